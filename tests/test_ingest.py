"""ingest: growing a registry from texts, deduplicated, with provenance, losing nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from targettrack.registry import load_registry, validate_registry

WIND = """date 2024-03-02
Hebei will raise its installed wind power capacity to more than 60 million kilowatts by 2025.
In 2023 the forest coverage rate of Hebei reached 35.6%.
"""
WIND_AGAIN = """Post time: Mar-09-2024
Hebei will raise its installed wind power capacity to more than 60 million kilowatts by 2025, officials repeated.
"""
SHANXI = """date 2024-05-10
Shanxi plans to cut coal consumption by 5% by 2025 compared with 2020.
In 2023 the forest coverage rate of Shanxi reached 24.1%.
"""
HAND_WRITTEN = """\
# Our team's registry. Keep this header.
version: 1

targets:
  # Written by hand: the national milestone.
  - id: china-carbon-peak-2030
    region: China
    metric: carbon_peak
    year: 2030   # before 2030
    strength: policy document

outcomes: []
"""


def run(*args, cwd=None, env=None):
    return subprocess.run([sys.executable, "-m", "targettrack", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=120)


@pytest.fixture
def texts(tmp_path):
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "wind.txt").write_text(WIND, encoding="utf-8")
    (folder / "shanxi.txt").write_text(SHANXI, encoding="utf-8")
    return folder


def test_ingest_creates_a_registry_with_commented_header_and_entries(tmp_path, texts):
    registry = tmp_path / "r.yaml"
    result = run("ingest", str(texts), "--registry", str(registry))
    assert result.returncode == 0, result.stderr
    text = registry.read_text(encoding="utf-8")
    assert text.startswith("# targettrack registry")
    loaded = validate_registry(registry)
    ids = {e.id for e in loaded.entries}
    assert "hebei-wind-capacity-2025" in ids and "shanxi-forest-coverage-2023" in ids
    wind = loaded.get("hebei-wind-capacity-2025")
    assert wind.normalized.value == pytest.approx(6e7) and wind.comparator == ">="
    source = wind.sources[0]
    assert source.document.endswith("wind.txt") and source.published == "2024-03-02"
    assert WIND[source.start:source.end] in source.quote
    assert "2 documents read" in result.stderr and "added" in result.stderr


def test_ingesting_the_same_texts_twice_adds_nothing(tmp_path, texts):
    registry = tmp_path / "r.yaml"
    assert run("ingest", str(texts), "--registry", str(registry)).returncode == 0
    before = registry.read_text(encoding="utf-8")
    second = run("ingest", str(texts), "--registry", str(registry))
    assert second.returncode == 0
    assert registry.read_text(encoding="utf-8") == before
    assert "added 0 entries" in second.stderr and "nothing new" in second.stderr


def test_the_same_figure_from_another_text_merges_its_source(tmp_path, texts):
    registry = tmp_path / "r.yaml"
    run("ingest", str(texts / "wind.txt"), "--registry", str(registry))
    again = tmp_path / "again.txt"
    again.write_text(WIND_AGAIN, encoding="utf-8")
    result = run("ingest", str(again), "--registry", str(registry))
    assert "merged 1 sources" in result.stderr
    wind = load_registry(registry).get("hebei-wind-capacity-2025")
    assert [Path(s.document).name for s in wind.sources] == ["wind.txt", "again.txt"]
    assert len([e for e in load_registry(registry).entries if e.metric == "wind_capacity"]) == 1


def test_hand_written_comments_and_order_survive(tmp_path, texts):
    registry = tmp_path / "r.yaml"
    registry.write_text(HAND_WRITTEN, encoding="utf-8")
    assert run("ingest", str(texts), "--registry", str(registry)).returncode == 0
    text = registry.read_text(encoding="utf-8")
    assert text.startswith(HAND_WRITTEN.split("outcomes:")[0])  # header, comments, first entry untouched
    assert "# before 2030" in text and "# Written by hand" in text
    ids = [e.id for e in load_registry(registry).entries]
    assert ids[0] == "china-carbon-peak-2030"


def test_dry_run_shows_the_plan_and_writes_nothing(tmp_path, texts):
    registry = tmp_path / "r.yaml"
    registry.write_text(HAND_WRITTEN, encoding="utf-8")
    result = run("ingest", str(texts), "--registry", str(registry), "--dry-run", "--format", "json")
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert {"add"} <= {a["action"] for a in plan}
    assert any(a["id"] == "hebei-wind-capacity-2025" for a in plan)
    assert registry.read_text(encoding="utf-8") == HAND_WRITTEN
    assert "would add" in result.stderr


def test_filters_limit_what_is_taken(tmp_path, texts):
    registry = tmp_path / "r.yaml"
    run("ingest", str(texts), "--registry", str(registry), "--kind", "outcome", "--region", "Shanxi")
    entries = load_registry(registry).entries
    assert entries and all(e.kind == "outcome" and e.region.name == "Shanxi" for e in entries)


def test_an_invalid_registry_is_not_written_to(tmp_path, texts):
    registry = tmp_path / "r.yaml"
    broken = HAND_WRITTEN.replace("region: China", "region: Atlantis")
    registry.write_text(broken, encoding="utf-8")
    result = run("ingest", str(texts), "--registry", str(registry))
    assert result.returncode == 2
    assert "fails validation" in result.stderr and "Atlantis" in result.stderr
    assert registry.read_text(encoding="utf-8") == broken


def test_a_missing_input_is_reported_and_the_rest_ingested(tmp_path, texts):
    registry = tmp_path / "r.yaml"
    result = run("ingest", str(texts / "wind.txt"), str(tmp_path / "missing.txt"), "--registry", str(registry))
    assert result.returncode == 1
    assert "missing.txt" in result.stderr
    assert load_registry(registry).get("hebei-wind-capacity-2025") is not None


def test_two_processes_at_once_both_land(tmp_path):
    registry = tmp_path / "r.yaml"
    registry.write_text(HAND_WRITTEN, encoding="utf-8")
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir(), second.mkdir()
    for n in range(6):
        (first / f"a{n}.txt").write_text(f"In 2021 the forest coverage rate of Hebei reached {30 + n}.5%.\n", encoding="utf-8")
        (second / f"b{n}.txt").write_text(f"In 2022 the forest coverage rate of Shanxi reached {20 + n}.5%.\n", encoding="utf-8")
    procs = [subprocess.Popen([sys.executable, "-m", "targettrack", "-q", "ingest", str(folder), "--registry", str(registry)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for folder in (first, second)]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    entries = load_registry(registry).entries
    values = sorted(e.normalized.value for e in entries if e.metric == "forest_coverage")
    assert values == sorted([30.5 + n for n in range(6)] + [20.5 + n for n in range(6)])
    assert entries[0].id == "china-carbon-peak-2030"


KILLED_WRITER = textwrap.dedent("""
    import os, sys, time
    import targettrack.registry as registry
    real = os.fdopen

    class Slow:
        def __init__(self, handle):
            self.handle = handle
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            return self.handle.__exit__(*exc)
        def write(self, text):
            half = len(text) // 2
            self.handle.write(text[:half])
            self.handle.flush()
            open(sys.argv[1], "w").close()   # tell the test we are in the middle of the write
            time.sleep(30)
            self.handle.write(text[half:])
        def __getattr__(self, name):
            return getattr(self.handle, name)

    registry.os.fdopen = lambda *a, **k: Slow(real(*a, **k))
    from targettrack.cli import main
    main(sys.argv[2:])
""")


def test_a_process_killed_during_the_write_leaves_the_old_file(tmp_path, texts):
    registry = tmp_path / "r.yaml"
    registry.write_text(HAND_WRITTEN, encoding="utf-8")
    marker = tmp_path / "writing"
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(marker), "ingest", str(texts),
                             "--registry", str(registry)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert registry.read_text(encoding="utf-8") == HAND_WRITTEN
    validate_registry(registry)
    # the next run is not blocked by the dead process and lands
    assert run("ingest", str(texts), "--registry", str(registry)).returncode == 0
    assert load_registry(registry).get("hebei-wind-capacity-2025") is not None


def test_ingest_without_registry_option_uses_the_working_directory(tmp_path, texts):
    result = run("ingest", str(texts), cwd=tmp_path, env={k: v for k, v in os.environ.items() if k != "TARGETTRACK_REGISTRY"})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "targets.yaml").exists()


def test_ingest_then_progress_shows_the_new_outcomes(tmp_path):
    text = tmp_path / "plan.txt"
    text.write_text("date 2024-04-01\n"
                    "Shanxi will raise its forest coverage rate to 26% by 2025.\n"
                    "In 2023 the forest coverage rate of Shanxi reached 24.1%.\n", encoding="utf-8")
    registry = tmp_path / "r.yaml"
    assert run("ingest", str(text), "--registry", str(registry)).returncode == 0
    result = run("progress", "--registry", str(registry), "--as-of", "2024", "--format", "json")
    assert result.returncode == 0, result.stderr
    [row] = [r for r in json.loads(result.stdout) if r["metric"] == "forest_coverage"]
    assert row["region"]["name"] == "Shanxi"
    assert row["latest"]["value"] == pytest.approx(24.1) and row["latest"]["year"] == 2023
    assert row["latest"]["source"].endswith("plan.txt")
    assert row["status"] in ("on track", "behind")
