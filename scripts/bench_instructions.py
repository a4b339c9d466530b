#!/usr/bin/env python3
"""Count the CPU instructions of one extraction pass: a measure of work that the machine's load does not move.

usage: python scripts/bench_instructions.py [--docs N] [--texts DIR ...] [--src DIR ...]
Timings on a shared machine drift by half between runs; instruction counts (valgrind's callgrind) drift
by about 1%. The pass extracts N generated documents (those of bench_extract.py) and every text of
each --texts DIR once, after a warm-up on other documents. It is counted as the difference between
a run with the pass and one without it, so start-up and warm-up do not count. With several --src
trees (e.g. an older checkout's src), each is counted and compared with the first. Needs valgrind
(Debian: `apt-get install valgrind`); takes a few minutes per tree.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def child(with_pass: bool, docs: int, folders: list[str]) -> None:
    """The counted program: warm up, then (with_pass) extract the documents of the pass once."""
    sys.path.insert(0, str(HERE))
    from bench_extract import make_document

    from targettrack.extraction import iter_records
    from targettrack.sources import iter_documents

    warm = random.Random(0)
    for _ in range(30):
        list(iter_records(make_document(warm)))
    generated = random.Random(7)
    texts = [(make_document(generated), None, None) for _ in range(docs)]
    texts += [(d.text, d.published, d.path) for d in iter_documents(folders)]
    if with_pass:
        for text, published, path in texts:
            list(iter_records(text, published, path))
    print(sum(len(text) for text, _, _ in texts))


def callgrind(out: str) -> list[str]:
    """The start of a command run under callgrind, counting instructions only, into `out` (%p: the pid)."""
    return ["valgrind", "--tool=callgrind", "--cache-sim=no", f"--callgrind-out-file={out}"]


def callgrind_total(path: Path) -> int:
    """The instructions counted in one callgrind output file."""
    summary = next(line for line in path.read_text().splitlines() if line.startswith("summary:"))
    return int(summary.split()[1])


def valgrind_missing() -> bool:
    """Whether valgrind is missing (then said on stderr)."""
    if shutil.which("valgrind") is not None:
        return False
    print("error: valgrind is not installed (Debian: apt-get install valgrind)", file=sys.stderr)
    return True


def count(src: str, args: argparse.Namespace) -> tuple[int, int]:
    """Instructions of the pass with `src` on the path, and the characters it reads."""
    # Each tree keeps its own on-disk caches (unit factors, gazetteer), filled before counting.
    cache = Path(tempfile.gettempdir()) / "targettrack-bench" / hashlib.md5(src.encode()).hexdigest()[:8]
    env = {**os.environ, "PYTHONPATH": src, "TARGETTRACK_CACHE_DIR": str(cache), "PYTHONHASHSEED": "0"}
    command = [sys.executable, __file__, "--docs", str(args.docs), *sum((["--texts", t] for t in args.texts), [])]
    trial = subprocess.run([*command, "--child", "1"], env=env, capture_output=True, text=True)
    if trial.returncode != 0:
        last = (trial.stderr.strip().splitlines() or ["no message"])[-1]
        raise SystemExit(f"error: the pass fails with {src} on the path ({last}); run this script with the "
                         f"project's environment, e.g. .venv/bin/python")
    characters = int(trial.stdout.split()[-1])
    totals = []
    with tempfile.TemporaryDirectory() as scratch:
        for with_pass in ("0", "1"):
            out = Path(scratch) / f"callgrind.{with_pass}"
            subprocess.run([*callgrind(str(out)), *command, "--child", with_pass], env=env, check=True,
                           capture_output=True)
            totals.append(callgrind_total(out))
    return totals[1] - totals[0], characters


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200, help="generated documents in the pass [200]")
    parser.add_argument("--texts", action="append", default=[], metavar="DIR", help="real texts in the pass")
    parser.add_argument("--src", action="append", default=[], metavar="DIR",
                        help="source tree to count (repeatable; default: this checkout's src)")
    parser.add_argument("--child", choices=("0", "1"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        child(args.child == "1", args.docs, args.texts)
        return 0
    if valgrind_missing():
        return 1
    first = None
    for src in args.src or [str(HERE.parent / "src")]:
        instructions, characters = count(os.path.abspath(src), args)
        first = first or instructions
        print(f"{src}: {instructions / 1e6:,.0f}M instructions for {characters:,} characters "
              f"({instructions / characters:,.0f} per character; {instructions / first:.2f}x the first tree's count)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
