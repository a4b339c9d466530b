#!/usr/bin/env python3
"""Count the instructions that --jobs adds: what parallel extraction costs the tool, apart from the machine.

usage: python scripts/bench_parallel_cost.py [--docs 1000] [--jobs 2] [--seed S]

Wall-clock speed-ups on a shared machine move with its other load; instruction counts (valgrind's
callgrind) do not. This writes --docs documents of the corpus benchmark (bench_corpus.py) and counts,
over every process (the command and its workers), the instructions of

    targettrack extract CORPUS --format jsonl --jobs 1
    targettrack extract CORPUS --format jsonl --jobs N

each less the same command on two one-sentence documents (start-up, loading the vocabularies and the
gazetteer, starting the workers).
What --jobs N executes beyond --jobs 1 is the cost of sending documents and records between
processes; the speed-up it leaves at best, with all instructions spread evenly over N cores, is
N x (--jobs 1 count) / (--jobs N count). A measured speed-up below that comes from the machine
(cores slowing each other, other tenants), not from the tool. Needs valgrind (Debian:
`apt-get install valgrind`); takes a few minutes.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_corpus import COMMAND, write_corpus  # this script's folder is on the path when it runs
from bench_extract import describe_install
from bench_instructions import callgrind, callgrind_total, valgrind_missing


def _extract(folder: Path, jobs: int) -> list[str]:
    return [*COMMAND, "-q", "extract", str(folder), "--format", "jsonl", "--jobs", str(jobs)]


def count(corpus: Path, jobs: int, scratch: Path) -> tuple[int, int]:
    """Instructions of `extract CORPUS --jobs N`: (the command's own process, its workers together).

    Workers are forked, and callgrind gives each the count of its parent at the fork; the start-up
    run subtracts it along with the rest of the start-up.
    """
    for old in scratch.glob("callgrind.*"):
        old.unlink()
    command = [*callgrind(f"{scratch}/callgrind.%p"), *_extract(corpus, jobs)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _, stderr = process.communicate()
    if process.returncode != 0:
        last = (stderr.strip().splitlines() or ["no message"])[-1]
        raise SystemExit(f"error: extract --jobs {jobs} failed under valgrind: {last}")
    totals = {}
    for path in scratch.glob("callgrind.*"):
        totals[int(path.name.split(".")[1])] = callgrind_total(path)
    # valgrind runs the command in the process it was started as; the other files are its workers'
    return totals.pop(process.pid), sum(totals.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000, help="documents counted [1000]")
    parser.add_argument("--jobs", type=int, default=2, help="the --jobs value compared with 1 [2]")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if valgrind_missing():
        return 1
    if args.jobs < 2 or args.docs < 2:
        parser.error("--jobs and --docs must be at least 2")
    print(describe_install())
    with tempfile.TemporaryDirectory(prefix="targettrack-parallel-") as name:
        base = Path(name)
        corpus, empty, scratch = base / "corpus", base / "start-up", base / "callgrind"
        for folder in (corpus, empty, scratch):
            folder.mkdir()
        size = write_corpus(corpus, args.docs, args.seed)
        # Two documents, so --jobs N starts its workers as it does for the corpus, each with a figure,
        # so --jobs 1 too loads what extraction loads on first use (vocabularies, gazetteer, units).
        for number in range(2):
            (empty / f"doc{number}.txt").write_text(
                "By 2025, Hebei will reach 50 million kilowatts of wind power capacity.\n", encoding="utf-8")
        # A first run fills the on-disk caches (gazetteer, unit factors) that a new install or tree
        # builds once; counted, it would fall on whichever command ran first.
        subprocess.run(_extract(empty, 1), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        counts = {}
        for jobs in (1, args.jobs):
            parent, workers = count(corpus, jobs, scratch)
            start_parent, start_workers = count(empty, jobs, scratch)
            counts[jobs] = (parent - start_parent, workers - start_workers)
        serial = sum(counts[1])
        parent, workers = counts[args.jobs]
        total = parent + workers
        print(f"{args.docs:,} documents, {size / 1e6:.1f} MB; instructions without start-up:")
        print(f"  --jobs 1: {serial / 1e6:>9,.0f}M")
        print(f"  --jobs {args.jobs}: {total / 1e6:>9,.0f}M ({total / serial - 1:+.1%}): the command "
              f"{parent / 1e6:,.0f}M, its workers {workers / 1e6:,.0f}M")
        print(f"the speed-up that leaves at best on {args.jobs} cores: {args.jobs * serial / total:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
