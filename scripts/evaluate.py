#!/usr/bin/env python3
"""Run extraction over the development texts and score it with the shared scorer (a benchmark, not a test).

usage: python scripts/evaluate.py [--texts DIR] [--gold FILE] [--scorer FILE] [--verbose] [--out FILE]
Paths default to ../shared/eval/dev/texts, ../shared/eval/dev/gold.jsonl and ../shared/eval/score.py,
relative to the repository root.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    shared = ROOT.parent / "shared" / "eval"
    parser.add_argument("--texts", default=str(shared / "dev" / "texts"))
    parser.add_argument("--gold", default=str(shared / "dev" / "gold.jsonl"))
    parser.add_argument("--scorer", default=str(shared / "score.py"))
    parser.add_argument("--out", help="also write the predicted records (JSON lines) here")
    parser.add_argument("--verbose", action="store_true", help="list misses, extras and wrong attributes")
    args = parser.parse_args(argv)

    from targettrack.extraction import iter_records
    from targettrack.sources import iter_documents

    errors: list[str] = []
    out_path = Path(args.out) if args.out else Path(tempfile.mkstemp(suffix=".jsonl")[1])
    count = 0
    with out_path.open("w", encoding="utf-8") as out:
        for document in iter_documents([args.texts], on_error=lambda e: errors.append(str(e))):
            for record in iter_records(document.text, published=document.published, path=document.path):
                out.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
                count += 1
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    print(f"{count} records written to {out_path}")
    scorer_path = Path(args.scorer)
    if not scorer_path.exists():
        print(f"no scorer at {scorer_path}; records are in {out_path}", file=sys.stderr)
        return 0
    spec = importlib.util.spec_from_file_location("score", scorer_path)
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    return scorer.main([args.gold, str(out_path)] + (["--verbose"] if args.verbose else []))


if __name__ == "__main__":
    sys.exit(main())
