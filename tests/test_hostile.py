"""Hostile input: escape sequences, markup, control and bidi characters, huge lines, deep HTML, fake PDFs,
symlink loops, FIFOs and unreadable files end in bounded time, shown inert, with the rest still processed."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from targettrack import pipeline
from targettrack.terminal import Environment

EXECUTABLE = str(Path(sys.executable).with_name("targettrack"))
FIGURE = "Hebei will reach 50 GW of wind power capacity by 2025."
GOOD = "By 2030, Qinghai will raise solar capacity to 120 million kilowatts."

# Each: what a document or file name may carry, and how a terminal must show it instead.
HOSTILE = {
    "ansi-colour": ("\x1b[31;1m", "\\x1b[31;1m"),
    "ansi-clear-screen": ("\x1b[2J\x1b[H", "\\x1b[2J\\x1b[H"),
    "osc-hyperlink": ("\x1b]8;;mailto:x@evil.example\x07", "\\x1b]8;;mailto:x@evil.example\\x07"),
    "bell-backspace-del": ("\x07\x08\x7f", "\\x07\\x08\\x7f"),
    "bidi-override": ("\u202e\u2066", "\\u202e\\u2066"),
}
MARKUP = {
    "bold-red": "[bold red]",
    "link": "[link=mailto:x@evil.example]",
}


@pytest.fixture
def terminal(monkeypatch):
    """Commands write as to a colour terminal (rich table); returns the Environment whose streams to read."""
    env = Environment(stdout=io.StringIO(), stderr=io.StringIO(), stdout_isatty=True, stderr_isatty=True,
                      color=True)
    monkeypatch.setattr(Environment, "from_system", classmethod(lambda cls, **kwargs: env))
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLUMNS", "200")  # file names are not wrapped across lines
    return env


def good_file(directory: Path) -> Path:
    path = directory / "good.txt"
    path.write_text(GOOD + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("hostile, escaped", HOSTILE.values(), ids=HOSTILE.keys())
def test_escape_and_control_characters_in_a_file_name_are_shown_escaped_in_the_table(invoke, terminal, hostile,
                                                                                       escaped):
    Path(f"plan{hostile}.txt").write_text(FIGURE, encoding="utf-8")
    result = invoke("extract", f"plan{hostile}.txt", "--jobs", "1")
    shown = terminal.stdout.getvalue()
    assert result.exit_code == 0
    assert "50 GW" in shown
    assert hostile not in shown
    assert f"plan{escaped}.txt" in shown


@pytest.mark.parametrize("markup", MARKUP.values(), ids=MARKUP.keys())
def test_rich_markup_in_a_file_name_is_printed_as_written(invoke, terminal, markup):
    Path(f"{markup}plan.txt").write_text(FIGURE, encoding="utf-8")
    invoke("extract", f"{markup}plan.txt", "--jobs", "1")
    shown = terminal.stdout.getvalue()
    assert f"{markup}plan.txt" in shown
    assert "\x1b]8;" not in shown  # no hyperlink was made


@pytest.mark.parametrize("hostile", [h for h, _ in HOSTILE.values()] + list(MARKUP.values()), ids=[*HOSTILE, *MARKUP])
def test_hostile_text_inside_a_document_stays_inert_in_table_and_json(invoke, terminal, tmp_path, hostile):
    path = tmp_path / "plan.txt"
    path.write_text(f"Notice{hostile}: Hebei will reach 50 GW{hostile} of wind power capacity by 2025.\n",
                    encoding="utf-8")
    invoke("extract", str(path), "--jobs", "1", "--all-quantities")
    table = terminal.stdout.getvalue()
    assert "50 GW" in table
    if hostile.startswith("["):
        assert "\x1b]8;" not in table  # markup made no hyperlink
    else:
        assert hostile not in table
    terminal.stdout.seek(0)
    terminal.stdout.truncate()
    invoke("extract", str(path), "--format", "jsonl")
    lines = terminal.stdout.getvalue().splitlines()
    records = [json.loads(line) for line in lines]
    assert any(hostile in record["sentence"] for record in records)  # the data is carried exactly
    for char in hostile:
        if ord(char) < 32:
            assert char not in "".join(lines)  # JSON escapes control characters (\u001b)
    for record in records:
        document = path.read_text(encoding="utf-8")
        assert document[record["source"]["start"]:record["source"]["end"]] == record["text"]


def test_warnings_and_verbose_lines_name_hostile_files_escaped(tmp_path):
    name = tmp_path / "bad\x1b[2J[bold]\u202e.pdf"
    name.write_bytes(b"plain text, not a PDF")
    good = good_file(tmp_path)
    result = subprocess.run([EXECUTABLE, "-v", "extract", str(name), str(good), "--format", "jsonl", "--jobs", "2"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr
    assert "\\x1b[2J[bold]\\u202e.pdf" in result.stderr
    assert "Qinghai" in result.stdout


def test_a_20_mb_single_line_ends_in_bounded_time_and_the_rest_is_processed(tmp_path):
    huge = tmp_path / "huge.txt"
    clause = "Hebei will add 5 GW of wind power and cut coal use by 3% by 2025; "
    huge.write_text(clause * (20_000_000 // len(clause)), encoding="utf-8")
    assert huge.stat().st_size > 19_000_000 and b"\n" not in huge.read_bytes()
    good = good_file(tmp_path)
    started = time.monotonic()
    result = subprocess.run([EXECUTABLE, "extract", str(huge), str(good), "--format", "jsonl", "--jobs", "2",
                             "--timeout", "5"], capture_output=True, text=True, timeout=120)
    assert time.monotonic() - started < 90
    assert "Qinghai" in result.stdout
    if result.returncode == 1:
        assert f"{huge}: took longer than 5 s to read and extract; skipped" in result.stderr
    else:
        assert result.returncode == 0 and "huge.txt" in result.stdout


def test_deeply_nested_html_ends_in_bounded_time_with_its_text(tmp_path):
    page = tmp_path / "nested.html"
    depth = 50_000
    page.write_text("<html><body>" + "<div>" * depth + f"<p>{FIGURE}</p>" + "</div>" * depth + "</body></html>",
                    encoding="utf-8")
    result = subprocess.run([EXECUTABLE, "extract", str(page), str(good_file(tmp_path)), "--format", "jsonl",
                             "--timeout", "60"], capture_output=True, text=True, timeout=120)
    assert "Qinghai" in result.stdout and "Traceback" not in result.stderr
    if result.returncode == 0:
        assert "Hebei" in result.stdout
    else:
        assert result.returncode == 1 and f"{page}:" in result.stderr


@pytest.mark.parametrize("content", [b"Just a text file with a .pdf name. Hebei: 5 GW by 2025.\n",
                                     b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage without end",
                                     b"%PDF-"], ids=["text", "truncated", "header-only"])
def test_a_pdf_that_is_not_a_pdf_is_named_and_skipped(invoke, tmp_path, content):
    fake = tmp_path / "report.pdf"
    fake.write_bytes(content)
    good_file(tmp_path)
    result = invoke("extract", str(tmp_path), "--format", "jsonl", "--jobs", "2")
    assert result.exit_code == 1
    assert f"{fake}: not a valid PDF" in result.stderr and "rename a text file" in result.stderr
    assert [json.loads(line)["region"]["name"] for line in result.stdout.splitlines()] == ["Qinghai"]


@pytest.fixture
def with_good(tmp_path):
    good_file(tmp_path)
    return tmp_path


def test_symlink_loops_are_named_and_the_rest_is_processed(invoke, with_good):
    (with_good / "again").symlink_to(with_good, target_is_directory=True)
    (with_good / "self.txt").symlink_to(with_good / "self.txt")
    result = invoke("extract", str(with_good), "--format", "jsonl", "--jobs", "2")
    assert result.exit_code == 1
    assert "symbolic link loop" in result.stderr
    assert "self.txt" in result.stderr and "again" in result.stderr
    assert [json.loads(line)["region"]["name"] for line in result.stdout.splitlines()] == ["Qinghai"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
@pytest.mark.parametrize("named", [False, True], ids=["in-a-directory", "named-explicitly"])
def test_a_fifo_is_refused_without_hanging(with_good, named):
    fifo = with_good / "pipe.txt"
    os.mkfifo(fifo)
    args = [str(fifo), str(with_good / "good.txt")] if named else [str(with_good)]
    result = subprocess.run([EXECUTABLE, "extract", *args, "--format", "jsonl", "--jobs", "2"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"{fifo}: is a named pipe (FIFO), not a file" in result.stderr
    assert "Qinghai" in result.stdout


@pytest.fixture
def unreadable(monkeypatch, with_good):
    """Files and a directory the user may not read: real permissions, or (as root, who reads anything) a patch."""
    secret = with_good / "secret.txt"
    secret.write_text(FIGURE, encoding="utf-8")
    closed = with_good / "closed"
    closed.mkdir()
    (closed / "inside.txt").write_text(FIGURE, encoding="utf-8")
    if os.geteuid() != 0:
        secret.chmod(0)
        closed.chmod(0)
        yield with_good
        closed.chmod(0o755)
        return
    real_open, real_listdir = os.open, os.listdir

    def guarded_open(path, *args, **kwargs):
        if os.fspath(path) == str(secret):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, *args, **kwargs)

    def guarded_listdir(path="."):
        if os.fspath(path) == str(closed):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_listdir(path)

    monkeypatch.setattr(os, "open", guarded_open)
    monkeypatch.setattr(os, "listdir", guarded_listdir)
    yield with_good


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_unreadable_files_and_directories_are_named_and_the_rest_is_processed(invoke, unreadable, jobs):
    if jobs == "2" and pipeline._start_method() != "fork":
        pytest.skip("the permission patch reaches workers only through fork")
    result = invoke("extract", str(unreadable), "--format", "jsonl", "--jobs", jobs)
    assert result.exit_code == 1
    assert f"{unreadable / 'secret.txt'}: permission denied" in result.stderr
    assert f"{unreadable / 'closed'}: cannot read directory" in result.stderr
    assert [json.loads(line)["region"]["name"] for line in result.stdout.splitlines()] == ["Qinghai"]
