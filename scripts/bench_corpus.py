#!/usr/bin/env python3
"""Benchmark `targettrack extract` over a generated corpus: throughput, speed-up with --jobs, peak memory.

usage: python scripts/bench_corpus.py [--docs 10000] [--small 1000] [--jobs 1,2] [--repeat 3] [--keep DIR] [--seed S]

The command is `python -m targettrack` with this interpreter, so PYTHONPATH=src measures a checkout.
The first lines say whether its extraction modules are compiled: `pip install .` compiles them
(setup.py); an editable install or PYTHONPATH=src runs them as plain Python.

Writes --docs varied documents (about 5 KB each: 10,000 make about 50 MB) into a temporary
directory, runs `targettrack extract DIR --format jsonl --jobs N` as a subprocess for each N,
and prints MB/s, documents/s, the speed-up over the first N, and the peak memory of the
process tree (sum of the resident sets of the command and its workers, sampled every 0.5 s,
and the largest single process from getrusage), and the CPU time of the process tree with
the speed-up it implies (robust when other work shares the cores). The --jobs runs are made R
times (--repeat, 3 by default) in alternation; the figures are those of each value's median run,
and the speed-up of each round (its runs are next to each other in time) is printed too. It also
times two `--jobs 1` runs at once against the same runs one after the other: how much one process
slows the other on this machine, which bounds the speed-up of two workers. It then runs the largest N on the first
--small documents, so memory at two corpus sizes can be compared: flat means streaming.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench_extract import describe_install  # this script's folder is on the path when it runs

ROOT = Path(__file__).resolve().parents[1]
# `python -m` with this interpreter: the package measured is the one it imports (PYTHONPATH included)
COMMAND = [sys.executable, "-m", "targettrack"]

PROVINCES = ["Hebei", "Shanxi", "Inner Mongolia", "Liaoning", "Jilin", "Jiangsu", "Zhejiang", "Anhui",
             "Fujian", "Jiangxi", "Shandong", "Henan", "Hubei", "Hunan", "Guangdong", "Guangxi", "Hainan",
             "Sichuan", "Guizhou", "Yunnan", "Shaanxi", "Gansu", "Qinghai", "Ningxia", "Xinjiang"]
CITIES = ["Ordos", "Baotou", "Hohhot", "Tangshan", "Zhangjiakou", "Chengde", "Datong", "Taiyuan", "Dalian",
          "Suzhou", "Nanjing", "Ningbo", "Wenzhou", "Hefei", "Xiamen", "Qingdao", "Yantai", "Zhengzhou",
          "Wuhan", "Changsha", "Shenzhen", "Zhuhai", "Chengdu", "Kunming", "Xi'an", "Lanzhou", "Jiuquan",
          "Xining", "Yinchuan", "Urumqi"]
COUNTRIES = ["China", "India", "Germany", "Brazil", "Indonesia", "Vietnam", "South Africa", "Japan"]
CAPACITY = [("wind power", "kilowatts", 1e4), ("photovoltaic", "kilowatts", 1e4), ("new energy", "GW", 1),
            ("hydropower", "MW", 100), ("installed power", "kilowatts", 1e4), ("offshore wind", "GW", 1)]
MASS = [("carbon dioxide emissions", "tons of carbon dioxide"), ("coal consumption", "tons of standard coal"),
        ("greenhouse gas emissions", "tons of CO2 equivalent"), ("energy consumption", "tons of standard coal")]
LEADS = ["According to the provincial development and reform commission,", "Officials said that",
         "The work report noted that", "Figures released this week show that", "Under the new plan,",
         "In a statement,", "The implementation opinions state that", "At a press conference,"]
FILLER = [
    "The measures cover industry, construction, transport and public institutions.",
    "Local governments are asked to draw up their own schedules and report on them every quarter.",
    "Experts interviewed said the main difficulty lies in grid connection and storage.",
    "The document also calls for stronger supervision of energy use in key enterprises.",
    "Several pilot zones will test market mechanisms before they are extended.",
    "Residents in the area have welcomed cleaner air and quieter streets.",
    "The plan was discussed at a standing meeting chaired by the governor.",
    "Companies that miss their quotas will face higher electricity prices.",
    "Training sessions were held for officials responsible for statistics.",
    "More detail will be published in the coming months, the commission added.",
    "The province has long relied on heavy industry and coal mining.",
    "Village collectives are encouraged to lease idle land for solar farms.",
    "Transmission lines linking the northwest with eastern load centres are under construction.",
    "Universities and research institutes will take part in evaluating the results.",
]


# The share of sentences that carry figures, set so the corpus has the density of real policy texts:
# about 4 records per 1,000 characters, as the development texts under ../shared/eval/dev (a figure in
# every third sentence gave 7 per 1,000, denser than any real text seen).
FIGURE_SHARE = 0.19


def _number(rng: random.Random, low: float, high: float) -> str:
    value = rng.uniform(low, high)
    style = rng.random()
    if style < 0.3:
        return f"{value:,.0f}"
    if style < 0.7:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _place(rng: random.Random) -> str:
    pool = rng.choice((PROVINCES, PROVINCES, CITIES, COUNTRIES))
    return rng.choice(pool)


def _sentence(rng: random.Random) -> str:
    place = _place(rng)
    year = rng.choice((2025, 2025, 2030, 2030, 2035, 2060))
    past = rng.randint(2015, 2023)
    lead = rng.choice(LEADS)
    kind = rng.randrange(9)
    if kind == 0:
        source, unit, scale = rng.choice(CAPACITY)
        amount = _number(rng, 1, 900) if unit != "kilowatts" else f"{rng.randint(1, 90) * 5} million"
        verb = rng.choice(("reach", "exceed", "strive to reach", "be no less than"))
        return f"{lead} {place} will {verb} {amount} {unit} of {source} capacity by {year}."
    if kind == 1:
        what, unit = rng.choice(MASS)
        return (f"In {past}, {what} in {place} stood at {_number(rng, 1, 500)} million {unit}, "
                f"{rng.choice(('down', 'up'))} {_number(rng, 0.5, 15)}% year on year.")
    if kind == 2:
        return (f"{lead} forest coverage in {place} reached {_number(rng, 10, 75)}% in {past}, "
                f"and the target for {year} is {_number(rng, 20, 80)} percent.")
    if kind == 3:
        base = rng.choice((2005, 2015, 2020))
        return (f"By {year}, carbon dioxide emissions per unit of GDP in {place} will fall by "
                f"{_number(rng, 10, 70)}% compared with {base} levels.")
    if kind == 4:
        return (f"Investment in green projects in {place} totalled {_number(rng, 1, 900)} "
                f"{rng.choice(('billion yuan', 'million yuan', 'billion US dollars'))} in {past}.")
    if kind == 5:
        return (f"The average PM2.5 concentration in {place} dropped to {rng.randint(18, 70)} micrograms "
                f"per cubic meter in {past}, with {rng.randint(250, 350)} days of good air.")
    if kind == 6:
        return (f"{place} will add {rng.randint(2, 900) * 1000:,} hectares of new forest and plant "
                f"{_number(rng, 1, 50)} million mu of grassland by {year}.")
    if kind == 7:
        return (f"{lead} {place} aims to peak carbon emissions before {rng.choice((2025, 2028, 2030))} "
                f"and achieve carbon neutrality by {rng.choice((2050, 2055, 2060))}.")
    return (f"Renewable generation in {place} rose to {_number(rng, 5, 800)} billion kWh in {past}, "
            f"{_number(rng, 10, 60)}% of the total, up {_number(rng, 0.2, 6)} percentage points.")


def document(rng: random.Random, size: int = 5000) -> str:
    """A news-like document of about `size` characters: a dated header, then figures amid prose."""
    lines = [f"{rng.choice(PROVINCES)} {rng.choice(('energy', 'climate', 'environment', 'forestry'))} bulletin",
             f"date {rng.randint(2019, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", ""]
    length = 0
    while length < size:
        paragraph = " ".join(_sentence(rng) if rng.random() < FIGURE_SHARE else rng.choice(FILLER)
                             for _ in range(rng.randint(2, 6)))
        lines.append(paragraph)
        lines.append("")
        length += len(paragraph) + 2
    return "\n".join(lines)


def write_corpus(directory: Path, count: int, seed: int) -> int:
    """`count` documents in nested folders (100 a folder); returns the bytes written."""
    rng = random.Random(seed)
    total = 0
    for number in range(count):
        folder = directory / f"batch{number // 100:04d}"
        folder.mkdir(exist_ok=True)
        suffix = ".md" if number % 7 == 0 else ".txt"
        data = document(rng, size=rng.randint(2500, 7500)).encode("utf-8")
        (folder / f"doc{number:05d}{suffix}").write_bytes(data)
        total += len(data)
    return total


SAMPLE_EVERY = 0.5  # seconds between two memory samples of the process tree


def _tree_rss(pid: int) -> tuple[int, int]:
    """(sum of RSS, sum of PSS) in bytes of a process and its descendants, from /proc."""
    rss = pss = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1]) * 1024
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1]) * 1024
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend(int(child) for child in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return rss, pss


def run(directory: Path, jobs: int, output: Path) -> dict:
    """Run extract once as a subprocess; its time, exit code, records and peak tree memory."""
    command = [*COMMAND, "-q", "extract", str(directory), "--format", "jsonl", "--jobs", str(jobs)]
    peak = {"rss": 0, "pss": 0}
    before = _children_cpu()
    start = time.perf_counter()
    with open(output, "wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.PIPE)

        def sample() -> None:
            while process.poll() is None:
                rss, pss = _tree_rss(process.pid)
                peak["rss"], peak["pss"] = max(peak["rss"], rss), max(peak["pss"], pss)
                # A sample reads every process's smaps_rollup, about 2 ms of CPU: every 50 ms that took
                # 4% of a core from the workers when they fill both; every 0.5 s, under 0.5%.
                time.sleep(SAMPLE_EVERY)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, stderr = process.communicate()
        sampler.join()
    elapsed = time.perf_counter() - start
    cpu = _children_cpu() - before  # the command and its workers, all reaped
    with open(output, "rb") as handle:
        records = sum(1 for _ in handle)
    return {"jobs": jobs, "seconds": elapsed, "cpu": cpu, "code": process.returncode, "records": records,
            "stderr": stderr.decode("utf-8", "replace").strip(), "tree_rss": peak["rss"], "tree_pss": peak["pss"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10000, help="documents in the corpus [10000]")
    parser.add_argument("--small", type=int, default=1000, help="documents in the memory comparison run [1000]")
    parser.add_argument("--jobs", default="1,2", help="comma-separated --jobs values to time [1,2]")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", metavar="DIR", help="write the corpus here and keep it")
    parser.add_argument("--repeat", type=int, default=3,
                        help="rounds of the --jobs runs, in alternation; figures from the median run [3]")
    args = parser.parse_args()
    jobs_values = [int(j) for j in args.jobs.split(",")]

    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="targettrack-corpus-"))
    base.mkdir(parents=True, exist_ok=True)
    try:
        corpus, small = base / "corpus", base / "small"
        for folder in (corpus, small):
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
        started = time.perf_counter()
        size = write_corpus(corpus, args.docs, args.seed)
        small_size = write_corpus(small, min(args.small, args.docs), args.seed)
        print(f"corpus: {args.docs:,} documents, {size / 1e6:.1f} MB "
              f"(written in {time.perf_counter() - started:.1f} s) in {corpus}")
        print(f"figures in {FIGURE_SHARE:.0%} of sentences: the records found below, per 1,000 characters, "
              f"show the density")
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        print(f"cores available: {cores}; load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(describe_install())
        print()
        print(f"{'run':<22}{'seconds':>9}{'CPU s':>8}{'MB/s':>8}{'docs/s':>9}{'speed-up':>10}"
              f"{'records':>10}{'tree RSS':>10}{'tree PSS':>10}")
        rounds: list[list[dict]] = []
        for number in range(args.repeat):
            # Rounds alternate the --jobs values, so a change in the machine's load falls on each of them.
            rounds.append([])
            for jobs in jobs_values:
                result = run(corpus, jobs, base / f"out{jobs}.jsonl")
                rounds[-1].append(result)
                label = f"{args.docs} docs --jobs {jobs}" + (f" #{number + 1}" if args.repeat > 1 else "")
                _print_row(label, result, size, args.docs, rounds[-1][0])
        # Each --jobs value is represented by its run of median time; the speed-up is between those.
        results = [sorted((r[k] for r in rounds), key=lambda r: r["seconds"])[args.repeat // 2]
                   for k in range(len(jobs_values))]
        if args.repeat > 1:
            for result in results:
                _print_row(f"median --jobs {result['jobs']}", result, size, args.docs, results[0])
            for k in range(1, len(jobs_values)):
                # Within a round the runs are next to each other in time: their ratio sees the least drift.
                ratios = [r[0]["seconds"] / r[k]["seconds"] for r in rounds]
                print(f"speed-up of --jobs {jobs_values[k]} in each round: "
                      f"{', '.join(f'{x:.2f}x' for x in ratios)} (median {statistics.median(ratios):.2f}x)")
        largest = max(jobs_values)
        result_small = run(small, largest, base / "out_small.jsonl")
        _print_row(f"{min(args.small, args.docs)} docs --jobs {largest}", result_small, small_size,
                   min(args.small, args.docs), None)
        largest_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
        print()
        print(f"largest single process (getrusage RUSAGE_CHILDREN ru_maxrss): {largest_child / 1e6:.0f} MB")
        same = len({r["records"] for r in results}) == 1
        identical = same and len({(base / f"out{r['jobs']}.jsonl").read_bytes() for r in results}) == 1
        print(f"outputs of every --jobs value identical: {'yes' if identical else 'NO'}")
        big = next(r for r in results if r["jobs"] == largest)
        print(f"memory, {min(args.small, args.docs)} vs {args.docs} documents (--jobs {largest}, tree PSS): "
              f"{result_small['tree_pss'] / 1e6:.0f} MB vs {big['tree_pss'] / 1e6:.0f} MB")
        if len(results) > 1:
            # On a busy machine wall time says little; CPU time of the whole tree is what the work costs.
            # N workers at best divide the tree's CPU time by N.
            first = results[0]
            print("CPU-implied speed-up over --jobs {}: {}".format(first["jobs"], ", ".join(
                f"--jobs {r['jobs']} {first['cpu'] / (r['cpu'] / r['jobs']):.2f}x" for r in results[1:])))
            factor = machine_factor(small)
            print(f"two --jobs 1 runs at once (each on half of the {min(args.small, args.docs)} documents) take "
                  f"{factor:.2f}x the CPU time of the same runs one after the other: this machine allows two "
                  f"processes a speed-up of at most {2 / factor:.2f}x")
        per_core = [size / 1e6 / r["seconds"] / r["jobs"] for r in results]
        print(f"throughput per core: {', '.join(f'{x:.2f} MB/s' for x in per_core)} "
              f"(median {statistics.median(per_core):.2f})")
        print(f"records per 1,000 characters: {results[0]['records'] / size * 1000:.1f}")
        for r in [*results, result_small]:
            if r["code"] != 0:
                print(f"--jobs {r['jobs']} exited {r['code']}: {r['stderr'][:500]}")
        return 0 if all(r["code"] == 0 for r in results) else 1
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


def _children_cpu() -> float:
    """CPU seconds (user and system) of every child process reaped so far, and of their children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _cpu_of(commands: list[list[str]]) -> float:
    """CPU seconds (user and system) of these commands, started together and all waited for."""
    before = _children_cpu()
    processes = [subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for command in commands]
    for process in processes:
        process.wait()
    return _children_cpu() - before


def machine_factor(corpus: Path) -> float:
    """The CPU time of two `--jobs 1` runs (each on half the corpus) at the same time, over that of the two
    runs one after the other.

    Two independent processes on two cores slow each other (shared caches and memory bandwidth, the
    clock, other tenants of a virtual machine): a factor f caps the speed-up of --jobs 2 at 2/f,
    whatever the tool does.
    """
    folders = sorted(path for path in corpus.iterdir() if path.is_dir())
    halves = [folders[:len(folders) // 2], folders[len(folders) // 2:]]
    commands = [[*COMMAND, "-q", "extract", *map(str, half), "--format", "jsonl", "--jobs", "1"] for half in halves]
    apart = sum(_cpu_of([command]) for command in commands)
    return _cpu_of(commands) / apart


def _print_row(label: str, result: dict, size: int, docs: int, first: dict | None) -> None:
    speedup = f"{first['seconds'] / result['seconds']:.2f}x" if first else ""
    print(f"{label:<22}{result['seconds']:>9.1f}{result['cpu']:>8.1f}{size / 1e6 / result['seconds']:>8.2f}"
          f"{docs / result['seconds']:>9.0f}{speedup:>10}{result['records']:>10,}"
          f"{result['tree_rss'] / 1e6:>8.0f}MB{result['tree_pss'] / 1e6:>8.0f}MB")


if __name__ == "__main__":
    sys.exit(main())
