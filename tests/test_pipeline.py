"""Documents to records in worker processes: input order, failures named and skipped, --jobs, the progress display."""

from __future__ import annotations

import io
import json
import os

import pytest

from targettrack import pipeline
from targettrack.render import FORMATS, Column
from targettrack.terminal import Environment

FIGURES = [
    "By {year}, {place} will raise wind power capacity to {n} million kilowatts.",
    "Forest coverage in {place} reached {n}% in {past}.",
    "{place} cut coal consumption by {n}% in {past} compared with the year before.",
    "Investment in green projects in {place} totalled {n} billion yuan in {past}.",
]
PLACES = ["Hebei", "Ordos", "Yunnan", "Gansu", "Shenzhen"]


def make_corpus(directory, count: int) -> list[str]:
    paths = []
    for number in range(count):
        sentences = [template.format(year=2025 + number % 6, place=PLACES[(number + i) % len(PLACES)],
                                     n=10 + (number * 7 + i) % 80, past=2015 + number % 8)
                     for i, template in enumerate(FIGURES) if (number + i) % 3]
        path = directory / f"note{number:03d}.txt"
        path.write_text(f"Bulletin {number}\n\n" + " ".join(sentences) + "\n", encoding="utf-8")
        paths.append(str(path))
    return paths


def records_by_path(results) -> list[tuple[str, list[dict]]]:
    return [(r.path, [record.to_dict() for record in r.records]) for r in results]


@pytest.fixture
def corpus(tmp_path):
    return make_corpus(tmp_path, 40)


@pytest.mark.parametrize("jobs", [2, 3])
def test_parallel_results_equal_in_process_results_in_input_order(corpus, jobs):
    alone = records_by_path(pipeline.extract_paths(corpus, jobs=1))
    parallel = records_by_path(pipeline.extract_paths(corpus, jobs=jobs))
    assert [path for path, _ in parallel] == corpus
    assert parallel == alone
    assert sum(len(records) for _, records in alone) > 40


def test_unreadable_inputs_become_errors_naming_the_file_and_the_rest_goes_on(tmp_path, corpus):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    fake_pdf = tmp_path / "scan.pdf"
    fake_pdf.write_bytes(b"this is not a PDF at all")
    paths = [corpus[0], str(empty), corpus[1], str(fake_pdf), str(tmp_path / "missing.txt"), corpus[2]]
    results = list(pipeline.extract_paths(paths, jobs=2))
    assert [r.path for r in results] == paths
    failed = {r.path: str(r.error) for r in results if r.error}
    assert set(failed) == {str(empty), str(fake_pdf), str(tmp_path / "missing.txt")}
    assert str(fake_pdf) in failed[str(fake_pdf)] and "PDF" in failed[str(fake_pdf)]
    assert all(r.records for r in results if not r.error)


@pytest.fixture
def engine_breaks_on(monkeypatch):
    """Make the engine fail on documents holding a word; fork carries the patch into the workers."""
    import targettrack.extraction as extraction

    real = extraction.iter_records

    def install(word: str, failure):
        def iter_records(text, *args, **kwargs):
            if word in text:
                failure()
            return real(text, *args, **kwargs)

        monkeypatch.setattr(extraction, "iter_records", iter_records)

    return install


def _raise():
    raise RecursionError("maximum recursion depth exceeded")


def _die():
    os._exit(3)


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_engine_crash_on_one_document_is_an_error_for_that_document_only(tmp_path, corpus, engine_breaks_on, jobs):
    engine_breaks_on("POISON", _raise)
    poisoned = tmp_path / "poisoned.txt"
    poisoned.write_text("POISON. Hebei will reach 30 GW of solar capacity by 2025.", encoding="utf-8")
    paths = [*corpus[:5], str(poisoned), *corpus[5:10]]
    results = list(pipeline.extract_paths(paths, jobs=jobs))
    assert [r.path for r in results] == paths
    [failed] = [r for r in results if r.error]
    assert failed.path == str(poisoned)
    assert "extraction failed: RecursionError" in str(failed.error)


@pytest.mark.skipif(pipeline._start_method() != "fork", reason="the patch reaches workers only through fork")
def test_a_worker_process_that_dies_costs_only_its_document(tmp_path, corpus, engine_breaks_on):
    engine_breaks_on("LETHAL", _die)
    lethal = tmp_path / "lethal.txt"
    lethal.write_text("LETHAL. Ordos forest coverage reached 27% in 2022.", encoding="utf-8")
    paths = [*corpus[:12], str(lethal), *corpus[12:24]]
    expected = records_by_path(pipeline.extract_paths(corpus[:24], jobs=1))
    results = list(pipeline.extract_paths(paths, jobs=2))
    assert [r.path for r in results] == paths
    [failed] = [r for r in results if r.error]
    assert failed.path == str(lethal) and "died" in str(failed.error)
    assert records_by_path(r for r in results if not r.error) == expected


def test_results_stream_before_the_corpus_is_done(corpus):
    results = pipeline.extract_paths(corpus, jobs=2)
    first = next(results)
    assert first.path == corpus[0] and first.records
    results.close()  # stops the workers; no hang, no error


def test_stdin_is_read_by_the_parent_and_keeps_its_place(corpus):
    stream = io.BytesIO(b"Yunnan will plant 2 million mu of forest by 2027.")
    results = list(pipeline.extract_paths([corpus[0], "-", corpus[1]], jobs=2, stdin=stream))
    assert [r.path for r in results] == [corpus[0], "<stdin>", corpus[1]]
    assert results[1].records[0].region.name == "Yunnan"


def test_default_jobs_is_the_cores_this_process_may_use():
    jobs = pipeline.default_jobs()
    assert jobs >= 1
    if hasattr(os, "sched_getaffinity"):
        assert jobs == len(os.sched_getaffinity(0))


# ---------------------------------------------------------------------------
# The commands


FILTERS = {
    "none": [],
    "kind": ["--kind", "target"],
    "region": ["--region", "Hebei", "--region", "Ordos"],
    "metric": ["--metric", "forest_coverage", "--kind", "outcome"],
    "nothing-left": ["--region", "Tibet"],
    "all-quantities": ["--all-quantities"],
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("options", FILTERS.values(), ids=FILTERS.keys())
def test_extract_output_is_the_same_for_every_jobs_value(invoke, tmp_path, fmt, options):
    make_corpus(tmp_path, 30)
    outputs = {jobs: invoke("extract", str(tmp_path), "--format", fmt, "--jobs", jobs, *options).stdout
               for jobs in ("1", "2")}
    assert outputs["1"] == outputs["2"]
    if options != FILTERS["nothing-left"] and fmt != "markdown":
        assert len(outputs["1"].splitlines()) > 10


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("options, keep", [
    (["--kind", "target"], lambda r: r["kind"] == "target"),
    (["--metric", "forest_coverage", "--metric", "coal_consumption"],
     lambda r: r["metric"] in ("forest_coverage", "coal_consumption")),
    (["--region", "Inner Mongolia"], lambda r: (r["region"] or {}).get("name") in ("Inner Mongolia", "Ordos")),
], ids=["kind", "metric", "region-and-its-cities"])
def test_filters_keep_exactly_the_records_asked_for(invoke, tmp_path, jobs, options, keep):
    make_corpus(tmp_path, 20)
    every = [json.loads(line) for line in invoke("extract", str(tmp_path), "--format", "jsonl", "--jobs", "1").stdout.splitlines()]
    kept = [json.loads(line) for line in
            invoke("extract", str(tmp_path), "--format", "jsonl", "--jobs", jobs, *options).stdout.splitlines()]
    assert kept == [record for record in every if keep(record)]
    assert 0 < len(kept) < len(every)


def test_the_record_filter_travels_to_spawned_workers():
    import pickle

    from targettrack.cliutil import record_filter
    from targettrack.commands.extract import RecordEncoder

    keep = record_filter("target", ["wind_capacity"], ["Hebei"])
    encoder = RecordEncoder(keep, "csv")
    assert pickle.loads(pickle.dumps(encoder)) == encoder
    assert pickle.loads(pickle.dumps(keep.select)).__self__ == keep


def test_verbose_lines_count_the_records_found_before_filtering(invoke, tmp_path):
    make_corpus(tmp_path, 3)
    every = invoke("-v", "extract", str(tmp_path), "--format", "jsonl", "--jobs", "2").stderr
    targets = invoke("-v", "extract", str(tmp_path), "--format", "jsonl", "--jobs", "2", "--kind", "target").stderr
    assert every == targets and every.count("records") == 3


# ---------------------------------------------------------------------------
# Blocks: items rendered where they are found, written as they are


def _item(number: int, *, region: bool = True, text: str = "50 GW", dropped: bool = False) -> dict:
    item = {"kind": "target", "metric": "wind_capacity",
            "region": {"name": "Hebei", "level": "province"} if region else None,
            "value": 50.0 + number, "text": text, "tags": ["a", "b"] if number % 2 else []}
    if dropped:
        item["dropped"] = "no metric"
    return item


ITEM_RUNS = {
    "alike": [[_item(0), _item(1)], [], [_item(2)]],
    "first-has-no-region": [[_item(0, region=False), _item(1)], [_item(2), _item(3, dropped=True)]],
    "hostile-text": [[_item(0, text='say "50, 60"\nor\r70\t80'), _item(1, region=False, text="a\rb")],
                     [_item(2, text="\u202e50 GW, \x85")]],
    "nothing": [[], []],
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("runs", ITEM_RUNS.values(), ids=ITEM_RUNS.keys())
@pytest.mark.parametrize("fields", [None, ("kind", "value", "region.name", "dropped")], ids=["own-columns", "fixed-columns"])
def test_blocks_write_the_same_bytes_as_their_items(runs, fmt, fields):
    from targettrack.render import View, encode, write, write_blocks

    view = View(columns=[Column("kind", lambda r: r["kind"]), Column("text", lambda r: r["text"])],
                group=lambda r: str(r["value"] // 2), fields=fields)
    direct, blocked = Environment(stdout=io.StringIO(), stderr=io.StringIO()), Environment(stdout=io.StringIO(), stderr=io.StringIO())
    written = write([item for run in runs for item in run], view, fmt, direct)
    assert write_blocks((block for run in runs for block in encode(run, fmt, fields)), view, fmt, blocked) == written
    assert blocked.stdout.getvalue() == direct.stdout.getvalue()
    assert blocked.stderr.getvalue() == direct.stderr.getvalue()
    if fmt in ("csv", "tsv"):
        assert blocked.stdout.getvalue() == _dict_writer_output([item for run in runs for item in run], fmt, fields)


def _dict_writer_output(items: list[dict], fmt: str, fields) -> str:
    """What csv.DictWriter makes of the items, the header being the fixed columns or the first item's."""
    import csv

    from targettrack.render import flatten

    out = io.StringIO()
    rows = [flatten(item) for item in items]
    if rows or fields:
        writer = csv.DictWriter(out, fieldnames=list(fields or rows[0]), extrasaction="ignore", restval="",
                                delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return out.getvalue()


def test_extract_warns_about_a_failed_file_and_exits_1(invoke, tmp_path):
    make_corpus(tmp_path, 6)
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    result = invoke("extract", str(tmp_path), "--format", "jsonl", "--jobs", "2")
    assert result.exit_code == 1
    assert "broken.pdf" in result.stderr and "PDF" in result.stderr
    paths = {json.loads(line)["source"]["path"] for line in result.stdout.splitlines()}
    assert len(paths) == 6


@pytest.mark.parametrize("jobs", ["0", "-1", "many"])
def test_jobs_must_be_a_positive_number(invoke, tmp_path, jobs):
    make_corpus(tmp_path, 1)
    result = invoke("extract", str(tmp_path), "--jobs", jobs)
    assert result.exit_code == 2
    assert "--jobs" in result.output


def test_ingest_in_parallel_adds_the_same_entries(invoke, tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    make_corpus(texts, 12)
    for jobs in ("1", "2"):
        invoke("ingest", str(texts), "--registry", str(tmp_path / f"r{jobs}.yaml"), "--jobs", jobs)
    one, two = ((tmp_path / f"r{jobs}.yaml").read_text(encoding="utf-8") for jobs in ("1", "2"))
    assert one == two and "hebei" in one


# ---------------------------------------------------------------------------
# Progress display


def terminal_env(**kwargs) -> Environment:
    return Environment(stdout=io.StringIO(), stderr=io.StringIO(), stderr_isatty=True, **kwargs)


def run_progress(env: Environment, documents: int = 3) -> str:
    with env.progress(documents, 3000) as progress:
        progress.DELAY = 0
        for number in range(documents):
            progress.advance(f"doc{number}.txt", 1000, records=2, failed=number == 1)
    return env.stderr.getvalue()


def test_progress_bar_on_a_terminal_shows_documents_records_and_speed():
    shown = run_progress(terminal_env())
    assert "/3 documents" in shown and "records" in shown and "B/s" in shown


@pytest.mark.parametrize("env", [
    terminal_env(quiet=True),
    Environment(stdout=io.StringIO(), stderr=io.StringIO()),  # stderr piped
    terminal_env(stdout_isatty=True),  # records on the same terminal
], ids=["quiet", "stderr-not-a-terminal", "stdout-on-the-terminal"])
def test_no_progress_bar_when_quiet_piped_or_records_on_the_terminal(env):
    assert run_progress(env) == ""


def test_verbose_adds_a_line_per_file_even_without_a_terminal():
    env = Environment(stdout=io.StringIO(), stderr=io.StringIO(), verbose=1)
    assert run_progress(env).splitlines() == ["doc0.txt: 2 records", "doc1.txt: skipped", "doc2.txt: 2 records"]


def test_verbose_lines_are_inert():
    env = Environment(stdout=io.StringIO(), stderr=io.StringIO(), verbose=1)
    with env.progress(1, 10) as progress:
        progress.advance("evil\x1b[31m.txt", 10, records=0)
    assert "\x1b" not in env.stderr.getvalue() and "\\x1b" in env.stderr.getvalue()
