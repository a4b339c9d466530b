"""Documents to records in worker processes: input order, failures named and skipped, --jobs, the progress display."""

from __future__ import annotations

import io
import json
import os

import pytest

from targettrack import pipeline
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


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_extract_output_is_the_same_for_every_jobs_value(invoke, tmp_path, fmt):
    make_corpus(tmp_path, 30)
    outputs = {jobs: invoke("extract", str(tmp_path), "--format", fmt, "--jobs", jobs).output for jobs in ("1", "2")}
    assert outputs["1"] == outputs["2"]
    assert len(outputs["1"].splitlines()) > 30


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
