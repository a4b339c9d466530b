#!/usr/bin/env python3
"""Time extraction in-process on generated policy texts: characters per second and memory use.

usage: python scripts/bench_extract.py [--docs N] [--seed S]
       python scripts/bench_extract.py --texts DIR
Generates N documents (default 2000, a few MB) from templates with real-looking figures, units,
places and years, at the density of figures of real policy texts, extracts every record, and prints
throughput in CPU time of this one process (one core; less moved by other load than wall time), peak
memory, and the memory after N and after 10N documents (flat memory means records are not kept).
With --texts, it times real texts instead, each read once after a warm-up on generated ones.

It measures the targettrack this interpreter imports, and says whether its extraction modules are
compiled: `pip install .` compiles them (setup.py); an editable install or PYTHONPATH=src runs them
as plain Python.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

PLACES = ["Hebei", "Inner Mongolia", "Ordos", "Shandong", "Jinan", "Guangdong", "Shenzhen", "Yunnan",
          "Sichuan", "Chengdu", "Zhejiang", "Hangzhou", "Fujian", "Xiamen", "Gansu", "Jiuquan", "India",
          "Germany", "the United States", "Qinghai", "Ningxia", "Hainan", "Anhui", "Hefei"]
DATES = ["date 2022-03-14", "Post time: Jun-02-2021", "Updated: Sep 9,2023 08:15 AM", "Release Time 2020/11/30"]
TEMPLATES = [
    "By {y}, {p} will raise its installed wind power capacity to {n} million kilowatts.",
    "In {py}, the forest coverage rate of {p} reached {f}%, up {d} percentage points from {b}.",
    "{p} plans to cut carbon dioxide emissions per unit of GDP by {f}% compared with {b} by {y}.",
    "Last year the province generated {n} billion kWh of renewable electricity, up {d}% year on year.",
    "The city will strive to keep the share of coal in energy consumption below {f}% by the end of the 14th Five-Year Plan.",
    "Investment in clean energy projects totalled {n} billion yuan in {py}, according to the bureau.",
    "The expo, held from May {dd} to {dd2}, covered {n},000 square meters and drew {k} exhibitors.",
    "{p} aims to peak carbon emissions before 2030 and reach carbon neutrality by 2060.",
    "The region afforested {n} million mu in {py} and plans to add {k},000 hectares of forest next year.",
    "PM2.5 concentration in {p} fell to {k} micrograms per cubic meter in {py}, {d}% lower than a year earlier.",
    "Call 0{k}-6589 {dd}{dd2} for details; the meeting lasted {dd} days and {k} delegates attended.",
    "About {n} million tons of carbon dioxide were traded on the carbon market, with a turnover of {d} billion yuan.",
    "Photovoltaic capacity is to reach {n} GW by {y}, while offshore wind will grow to {k} GW.",
]


# Sentences without figures: news releases are mostly prose around a few figures.
PROSE = [
    "The meeting stressed that {p} must keep to the new development philosophy and promote green transformation.",
    "Officials said the province would coordinate pollution control, ecological protection and climate action.",
    "Leading cadres at all levels should raise their political standing and take responsibility for the work.",
    "Enterprises are encouraged to adopt energy-saving technologies and to upgrade their equipment.",
    "The plan sets out the main tasks, the division of responsibilities and the safeguards for implementation.",
    "Experts from universities in {p} discussed carbon capture, hydrogen and new power systems at the event.",
    "Local governments will strengthen supervision and publish regular reports on progress.",
    "The director said the next step is to deepen cooperation and share experience with other regions.",
]


# The share of lines drawn from the templates with figures, set so the documents have the density of
# real policy texts: about 9 numbers and 4 records per 1,000 characters, as the development texts
# under ../shared/eval/dev (0.45 gave 13 and 6, denser than any real text seen).
FIGURE_SHARE = 0.32


def make_document(rng: random.Random) -> str:
    lines = [rng.choice(DATES), f"{rng.choice(PLACES)} sets out green goals"]
    for _ in range(rng.randint(8, 20)):
        template = rng.choice(TEMPLATES) if rng.random() < FIGURE_SHARE else rng.choice(PROSE)
        lines.append(template.format(
            y=rng.choice([2025, 2030, 2035, 2060]), py=rng.choice([2019, 2020, 2021, 2022]),
            p=rng.choice(PLACES), n=round(rng.uniform(1, 900), 1), f=round(rng.uniform(5, 80), 1),
            d=round(rng.uniform(0.5, 30), 1), b=rng.choice([2005, 2015, 2020]), k=rng.randint(10, 999),
            dd=rng.randint(1, 14), dd2=rng.randint(15, 28)))
    return "\n\n".join(" ".join(lines[i:i + 3]) for i in range(0, len(lines), 3))


def max_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux, bytes on macOS
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024 / (1024 if sys.platform == "darwin" else 1)


def current_rss_mb() -> float:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * resource.getpagesize() / 1024 / 1024
    except OSError:
        return max_rss_mb()


def run(count: int, rng: random.Random) -> tuple[int, int, float]:
    from targettrack.extraction import iter_records

    characters = records = 0
    elapsed = 0.0
    for number in range(count):
        text = make_document(rng)
        characters += len(text)
        started = time.process_time()
        for _ in iter_records(text, published=None, path=f"doc{number}.txt"):
            records += 1
        elapsed += time.process_time() - started
    return characters, records, elapsed


def time_texts(folder: str, rounds: int) -> int:
    """Throughput on real texts, in CPU time of this process (less moved by other load than wall time)."""
    from targettrack.extraction import iter_records
    from targettrack.sources import iter_documents

    documents = list(iter_documents([folder]))
    # Warm up (gazetteer, patterns, unit factors) on generated documents, not on the texts timed: a
    # sentence read before is answered by the bounded per-sentence caches, which would flatter the figure.
    warm = random.Random(0)
    for _ in range(30):
        list(iter_records(make_document(warm)))
    characters = sum(len(d.text) for d in documents) * rounds
    started = time.process_time()
    for _ in range(rounds):
        for document in documents:
            list(iter_records(document.text, document.published, document.path))
    elapsed = time.process_time() - started
    print(f"{len(documents)} texts x {rounds}: {characters / 1e6:.2f} MB in {elapsed:.2f} s CPU, "
          f"{characters / elapsed / 1e6:.2f} MB/s")
    return 0


def describe_install() -> str:
    import targettrack

    how = "compiled" if targettrack.compiled() else "plain Python (not compiled)"
    return f"targettrack {targettrack.__version__} from {Path(targettrack.__file__).parent}: extraction {how}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--texts", metavar="DIR",
                        help="instead: time real texts (every file in DIR, read N times) in CPU time")
    parser.add_argument("--rounds", type=int, default=1,
                        help="with --texts: how many times to read them (after the first, cached sentences flatter)")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    if args.texts:
        return time_texts(args.texts, args.rounds)

    from targettrack.extraction import extract
    started = time.perf_counter()
    extract("By 2025, Hebei will install 5 GW of wind power.")  # loads the gazetteer and patterns
    print(f"start-up (gazetteer, vocabularies, units): {time.perf_counter() - started:.2f} s")
    print(describe_install())

    characters, records, elapsed = run(args.docs, rng)
    after_n = current_rss_mb()
    print(f"{args.docs} documents, {characters / 1e6:.2f} MB of text, {records} records "
          f"({records / characters * 1000:.1f} per 1,000 characters)")
    print(f"extraction: {elapsed:.2f} s CPU, {characters / elapsed / 1e6:.2f} MB/s ({characters / elapsed:,.0f} chars/s)")
    characters10, records10, elapsed10 = run(args.docs * 9, rng)
    after_10n = current_rss_mb()
    total = characters + characters10
    print(f"{args.docs * 10} documents, {total / 1e6:.2f} MB: {total / (elapsed + elapsed10) / 1e6:.2f} MB/s")
    print(f"memory: {after_n:.1f} MB after {args.docs} documents, {after_10n:.1f} MB after {args.docs * 10}; "
          f"peak {max_rss_mb():.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
