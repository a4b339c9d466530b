"""Exit codes (0, 1, 2, 130), --version, shell completion, and start-up that loads only the command used."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

EXECUTABLE = str(Path(sys.executable).with_name("targettrack"))
GOOD_TEXT = "By 2030, Gansu will reach 80 GW of new energy capacity.\n"


def run(*args: str, timeout: float = 60, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([EXECUTABLE, *args], capture_output=True, text=True, timeout=timeout, **kwargs)


@pytest.fixture
def good(tmp_path) -> str:
    path = tmp_path / "good.txt"
    path.write_text(GOOD_TEXT, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("args, code", [
    (["extract", "{good}", "--format", "jsonl"], 0),
    (["list"], 0),
    (["validate"], 0),
    (["extract", "{good}", "{missing}"], 1),
    (["extract", "{good}", "--jobs", "2", "{binary}"], 1),
    (["validate", "{broken_registry}"], 1),
    (["extract"], 2),
    (["extract", "{good}", "--no-such-option"], 2),
    (["extract", "{good}", "--jobs", "0"], 2),
    (["extract", "{good}", "--region", "Atlantis"], 2),
    (["extract", "{good}", "--published", "yesterday"], 2),
    (["no-such-command"], 2),
    (["units", "50 megafoo"], 2),
], ids=lambda value: " ".join(value) if isinstance(value, list) else str(value))
def test_exit_codes(tmp_path, good, args, code):
    (tmp_path / "data.bin").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "broken.yaml").write_text("targets:\n  - id: x\n    region: Atlantis\n", encoding="utf-8")
    names = {"good": good, "missing": str(tmp_path / "missing.txt"), "binary": str(tmp_path / "data.bin"),
             "broken_registry": str(tmp_path / "broken.yaml")}
    result = run(*(arg.format(**names) for arg in args))
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    if code == 1 and args[0] == "extract":
        assert "gansu" in result.stdout.lower()  # the good file was still processed


def test_version_names_the_program_its_version_and_whether_extraction_is_compiled():
    from python_source import is_compiled
    from targettrack import __version__
    from targettrack.extraction import engine

    result = run("--version")
    assert result.returncode == 0
    how = "compiled" if is_compiled(engine) else "in plain Python"  # the module imported
    assert result.stdout.strip() == f"targettrack, version {__version__} (extraction {how})"


@pytest.mark.parametrize("shell, marker", [("bash", "complete -o nosort -F"), ("zsh", "compdef"),
                                            ("fish", "complete --no-files --command targettrack")])
def test_shell_completion_scripts_are_printed(shell, marker):
    result = subprocess.run([EXECUTABLE], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "_TARGETTRACK_COMPLETE": f"{shell}_source"})
    assert result.returncode == 0 and marker in result.stdout


@pytest.mark.parametrize("words, cword, expected", [
    ("targettrack ex", "1", "extract"),
    ("targettrack extract --jo", "2", "--jobs"),
    ("targettrack list --ki", "2", "--kind"),
])
def test_completion_completes_commands_and_options(words, cword, expected):
    env = {**os.environ, "_TARGETTRACK_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": cword}
    result = subprocess.run([EXECUTABLE], capture_output=True, text=True, timeout=60, env=env)
    assert f"plain,{expected}" in result.stdout.splitlines()


def _make_corpus(directory: Path, count: int) -> None:
    sentence = ("In {year}, {place} installed {n} GW of solar capacity and cut coal use by {p}%. "
                "Plans call for {m} million kilowatts of wind power by 2030. ")
    places = ["Hebei", "Ordos", "Qinghai", "Fujian", "Anhui", "Xiamen"]
    for number in range(count):
        text = "".join(sentence.format(year=2016 + i % 8, place=places[(number + i) % 6], n=number % 90 + i,
                                       p=(number + i) % 9 + 1, m=20 + i) for i in range(40))
        (directory / f"report{number:04d}.txt").write_text(text, encoding="utf-8")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split()[2] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find the worker processes")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_during_a_long_extract_exits_130_with_one_line_and_no_workers_left(tmp_path, jobs):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _make_corpus(corpus, 1500)
    process = subprocess.Popen([EXECUTABLE, "extract", str(corpus), "--format", "jsonl", "--jobs", jobs],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert process.stdout.readline()  # records are flowing: the run is under way
        time.sleep(0.3)
        children = subprocess.run(["ps", "--ppid", str(process.pid), "-o", "pid="], capture_output=True,
                                  text=True).stdout.split()
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130
    assert stderr.decode() == "targettrack: error: interrupted\n"
    assert len(children) == (2 if jobs == "2" else 0)
    deadline = time.monotonic() + 5
    while any(_alive(int(pid)) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(int(pid)) for pid in children)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find the worker processes")
def test_output_closed_early_ends_the_workers_too(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _make_corpus(corpus, 600)
    result = subprocess.run(f"'{EXECUTABLE}' extract '{corpus}' --format jsonl --jobs 2 | head -1", shell=True,
                            capture_output=True, text=True, timeout=60)
    assert result.stdout.count("\n") == 1 and result.stderr == ""
    deadline = time.monotonic() + 5
    while _workers_of(corpus) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _workers_of(corpus)


def _workers_of(corpus: Path) -> list[str]:
    listing = subprocess.run(["ps", "-eo", "pid=,args="], capture_output=True, text=True).stdout
    return [line for line in listing.splitlines() if str(corpus) in line and "targettrack" in line]


# ---------------------------------------------------------------------------
# Start-up: a command loads only what it uses


def _modules_after(args: list[str]) -> set[str]:
    code = ("import sys\nfrom click.testing import CliRunner\nfrom targettrack.cli import cli\n"
            f"CliRunner().invoke(cli, {args!r})\nprint(' '.join(sorted(sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


def test_help_loads_no_command_module_and_nothing_heavy():
    loaded = _modules_after(["--help"])
    assert not {m for m in loaded if m.startswith("targettrack.commands.")}
    assert not loaded & {"targettrack.extraction", "targettrack.render", "rich", "tabulate", "pint", "yaml"}


@pytest.mark.parametrize("args, unwanted", [
    (["units", "5 GW"], {"targettrack.commands.extract", "targettrack.commands.analysis", "targettrack.extraction"}),
    (["metrics"], {"targettrack.commands.extract", "targettrack.commands.ingest", "pint"}),
    (["extract", "--help"], {"targettrack.commands.analysis", "targettrack.extraction", "pint", "pandas"}),
])
def test_a_command_loads_only_its_own_module(args, unwanted):
    assert not _modules_after(args) & unwanted


def test_the_command_list_in_help_matches_the_commands_own_help():
    from targettrack.cli import COMMANDS, cli

    for name, (_, _, summary) in COMMANDS.items():
        command = cli.commands[name]
        assert command.name == name
        assert command.help.split("\n\n")[0].replace("\n", " ").strip().startswith(summary.rstrip(".")), name


def test_main_in_process_leaves_the_sigpipe_handler_as_it_found_it():
    import signal

    from targettrack.cli import main

    before = signal.getsignal(signal.SIGPIPE)
    with pytest.raises(SystemExit):
        main(["--version"])
    assert signal.getsignal(signal.SIGPIPE) == before
