"""The compiled extraction modules (setup.py) give the same records as their Python source, and the
modules type-check, as mypyc needs to compile them (else an install silently falls back to Python).
"""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from python_source import is_compiled

ROOT = Path(__file__).resolve().parents[1]


def _must_type_check() -> list[str]:
    """The modules pyproject.toml makes mypy check strictly: those setup.py compiles."""
    overrides = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]["overrides"]
    return next(o["module"] for o in overrides if o["ignore_errors"] is False)


COMPILED = [importlib.import_module(name) for name in _must_type_check()]

installed_compiled = pytest.mark.skipif(not all(is_compiled(module) for module in COMPILED),
                                        reason="the extraction modules are installed as plain Python here")

# Run the command line with the package's own directory read from .py files only: an import hook
# for that directory alone, so the other packages' compiled modules still load.
_PYTHON_ONLY = """
import sys
from importlib import machinery
from pathlib import Path

package = str(Path(machinery.PathFinder.find_spec("targettrack").origin).parent)
source_only = machinery.FileFinder.path_hook((machinery.SourceFileLoader, machinery.SOURCE_SUFFIXES))

def hook(path):
    if path.startswith(package):
        return source_only(path)
    raise ImportError(path)

sys.path_hooks.insert(0, hook)
sys.path_importer_cache.clear()
from targettrack.cli import main
import targettrack.extraction.engine as engine
assert engine.__file__.endswith(".py"), engine.__file__
sys.argv = ["targettrack", *sys.argv[1:]]
main()
"""


def _extract(tmp_path: Path, python_only: bool, *args: str) -> bytes:
    command = [sys.executable, "-c", _PYTHON_ONLY] if python_only else [sys.executable, "-m", "targettrack"]
    done = subprocess.run([*command, "-q", "extract", *args, "--format", "jsonl", "--jobs", "1"],
                          capture_output=True, cwd=tmp_path, timeout=600)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


def _corpus(tmp_path: Path) -> Path:
    """The held-out texts and the text, HTML and PDF fixtures of the repository, and generated documents."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import bench_corpus
    finally:
        sys.path.pop(0)
    folder = tmp_path / "corpus"
    folder.mkdir()
    bench_corpus.write_corpus(folder, 150, seed=11)
    fixtures = [path for path in (ROOT / "tests" / "fixtures").iterdir() if path.suffix in (".txt", ".html", ".pdf")]
    for path in [*(ROOT / "bench" / "heldout" / "texts").glob("*.txt"), *fixtures]:
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


@installed_compiled
@pytest.mark.parametrize("flags", [(), ("--all-quantities",)], ids=["records", "all-quantities"])
def test_compiled_and_python_modules_give_the_same_records(tmp_path, flags):
    """The same command, run with the installed (compiled) modules and with their .py files only."""
    corpus = _corpus(tmp_path)
    compiled = _extract(tmp_path, False, str(corpus), *flags)
    assert compiled.count(b"\n") > 1000  # the corpus holds many records: the comparison means something
    assert _extract(tmp_path, True, str(corpus), *flags) == compiled


def test_the_compiled_modules_type_check():
    """setup.py compiles exactly the modules pyproject.toml has mypy check; mypy must pass on them."""
    files = ["src/" + module.__name__.replace(".", "/") + ".py" for module in COMPILED]
    setup = (ROOT / "setup.py").read_text(encoding="utf-8")
    assert sorted(files) == sorted(re.findall(r'"(src/[\w/]+\.py)"', setup))
    done = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", os.devnull, *files], capture_output=True,
                          cwd=ROOT, timeout=600, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
