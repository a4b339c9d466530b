"""The same text as UTF-8, GB18030, HTML and PDF gives the same records."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from test_sources import html_page, make_pdf

TITLE = "Anhui sets out new energy goals"
PARAGRAPHS = [
    "Anhui province will raise its installed photovoltaic capacity to more than 35 million kilowatts by 2025, the provincial energy bureau said.",
    "By the end of 2022, solar power capacity in Anhui had reached 22.6 million kilowatts, up 18 percent year on year.",
    "Hefei, the provincial capital, aims to cut carbon dioxide emissions per unit of GDP by 18 percent from 2020 by 2025.",
    "The province plans to reach carbon neutrality before 2060.",
]


def record_keys(output: str) -> list[tuple]:
    keys = []
    for line in output.splitlines():
        record = json.loads(line)
        norm = record["normalized"] or {}
        keys.append((record["kind"], record["metric"], (record["region"] or {}).get("name"), norm.get("value"),
                     norm.get("unit"), record["year"], record["baseline_year"], record["comparator"],
                     " ".join(record["text"].split())))
    return keys


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    folder = tmp_path_factory.mktemp("formats")
    plain = TITLE + "\n\n" + "\n\n".join(PARAGRAPHS) + "\n"
    (folder / "plain.txt").write_text(plain, encoding="utf-8")
    (folder / "legacy.txt").write_bytes(("\u5b89\u5fbd\u65b0\u95fb\n" + plain).encode("gb18030"))
    (folder / "page.html").write_text(html_page(TITLE, PARAGRAPHS), encoding="utf-8")
    (folder / "report.pdf").write_bytes(make_pdf([[TITLE, "", *PARAGRAPHS]]))
    return folder


def extract(path):
    result = subprocess.run([sys.executable, "-m", "targettrack", "extract", str(path), "--format", "jsonl",
                             "--published", "2023-03-01", "--jobs", "1"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return record_keys(result.stdout)


@pytest.mark.parametrize("name", ["legacy.txt", "page.html", "report.pdf"])
def test_every_format_gives_the_records_of_the_utf8_text(documents, name):
    expected = extract(documents / "plain.txt")
    assert len(expected) >= 5
    assert extract(documents / name) == expected


def test_offsets_refer_to_the_decoded_text_of_each_format(documents):
    from targettrack.extraction import iter_records
    from targettrack.sources import read_document

    for name in ("plain.txt", "legacy.txt", "page.html", "report.pdf"):
        document = read_document(documents / name)
        for record in iter_records(document.text, "2023-03-01", document.path):
            assert document.text[record.source.start:record.source.end] == record.text
