"""The progress and compare commands end to end: statuses, filters, records, formats and errors."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from targettrack.analysis import STATUSES

REGISTRY = """
version: 1
targets:
  - id: ordos-re-2025
    region: Ordos
    metric: renewable_capacity
    value: 50 million kW
    comparator: ">="
    year: 2025
    baseline: {value: 4 GW, year: 2020}
  - id: hebei-re-2021
    region: Hebei Province
    metric: renewable_capacity
    value: 6 GW
    comparator: ">="
    year: 2021
  - id: hebei-co2-2021
    region: Hebei
    metric: co2_intensity
    value: 4.2%
    change: decrease
    year: 2021
    baseline: {year: 2020}
  - id: china-nonfossil-2025
    region: China
    metric: non_fossil_share
    value: 20%
    comparator: ">="
    year: 2025
    baseline: {value: 15.9%, year: 2020}
  - id: china-peak-2030
    region: China
    metric: carbon_peak
    year: 2030
outcomes:
  - id: ordos-re-2023
    region: Ordos
    metric: renewable_capacity
    value: 30 GW
    year: 2023
    sources: [{document: ordos-energy-report.txt}]
  - id: hebei-re-2021-reported
    region: Hebei
    metric: renewable_capacity
    value: 5.5 million kW
    year: 2021
  - id: hebei-co2-2021-reported
    region: Hebei
    metric: co2_intensity
    value: 4.5%
    change: decrease
    year: 2021
  - id: china-nonfossil-2021
    region: China
    metric: non_fossil_share
    value: 0.7 percentage points
    change: increase
    year: 2021
  - id: china-nonfossil-2022
    region: China
    metric: non_fossil_share
    value: 1.2 percentage points
    change: increase
    year: 2022
"""

# worked out by hand, as of 2024
EXPECTED = {
    # (30 - 4) / (50 - 4), against 4 of 5 years from 2020 to 2025
    "ordos-re-2025": ("behind", 26 / 46, 0.8),
    # 5.5 / 6 with 2021 gone, no baseline
    "hebei-re-2021": ("overdue", 5.5 / 6, None),
    # fell 4.5% where 4.2% was planned
    "hebei-co2-2021": ("achieved", 4.5 / 4.2, 1.0),
    # 15.9 + 0.7 + 1.2 = 17.8%: (17.8 - 15.9) / (20 - 15.9)
    "china-nonfossil-2025": ("behind", 1.9 / 4.1, 0.8),
    "china-peak-2030": ("pending", None, None),
}


def record(value, year, *, kind="outcome", region="Ordos", parent="Inner Mongolia", level="city",
           metric="renewable_capacity", unit="kilowatt", canonical="kW", comparator="=") -> dict:
    return {"kind": kind, "metric": metric,
            "region": {"name": region, "level": level, "parent": parent, "country": "CN"},
            "value": value, "value_max": None, "unit": unit, "comparator": comparator, "change": "level",
            "normalized": {"value": value, "value_max": None, "unit": canonical}, "year": year,
            "baseline_year": None, "text": f"{value:g} kilowatts", "sentence": "A sentence.",
            "source": {"path": "news.txt", "start": 0, "end": 10, "published": "2024-03-01"}}


@pytest.fixture
def registry(write_registry):
    return str(write_registry(REGISTRY))


@pytest.fixture
def run_main(capsys):
    """The console script in-process: exit code, stdout, stderr."""
    from targettrack.cli import main

    def run(*args):
        with pytest.raises(SystemExit) as exit_info:
            main(list(args))
        out, err = capsys.readouterr()
        return exit_info.value.code, out, err

    return run


def progress_json(invoke, *args) -> dict[str, dict]:
    result = invoke("progress", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return {item["id"]: item for item in json.loads(result.stdout)}


# --------------------------------------------------------------------------- progress


def test_progress_status_and_figures_of_every_target(invoke, registry):
    items = progress_json(invoke, "--registry", registry, "--as-of", "2024")
    assert set(items) == set(EXPECTED)
    for target_id, (status, share, expected_share) in EXPECTED.items():
        item = items[target_id]
        assert item["status"] == status, target_id
        assert item["progress"] == (pytest.approx(share, abs=1e-4) if share is not None else None), target_id
        assert item["expected_progress"] == (pytest.approx(expected_share) if expected_share is not None
                                             else None), target_id


def test_progress_json_carries_target_baseline_and_latest_as_objects(invoke, registry):
    ordos = progress_json(invoke, "--registry", registry, "--as-of", "2024")["ordos-re-2025"]
    assert ordos["target"]["value"] == 5e7 and ordos["target"]["unit"] == "kW"
    assert ordos["target"]["comparator"] == ">=" and ordos["deadline"] == 2025
    assert (ordos["baseline"]["value"], ordos["baseline"]["year"]) == (4e6, 2020)
    assert (ordos["latest"]["value"], ordos["latest"]["year"]) == (3e7, 2023)
    assert ordos["latest"]["source"] == "ordos-energy-report.txt"
    assert ordos["region"]["name"] == "Ordos"


def test_progress_on_the_bundled_registry_gives_every_target_a_status(invoke):
    from targettrack.registry import load_registry

    targets = {t.id for t in load_registry().targets}
    items = progress_json(invoke)
    assert set(items) == targets
    assert all(item["status"] in STATUSES for item in items.values())
    assert items["china-carbon-neutrality-2060"]["status"] == "pending"


@pytest.mark.parametrize("statuses, expected_ids", [
    (["behind"], {"ordos-re-2025", "china-nonfossil-2025"}),
    (["achieved", "pending"], {"hebei-co2-2021", "china-peak-2030"}),
    (["on-track"], set()),
    (["Overdue"], {"hebei-re-2021"}),
])
def test_progress_status_filter(invoke, registry, statuses, expected_ids):
    args = [arg for status in statuses for arg in ("--status", status)]
    assert set(progress_json(invoke, "--registry", registry, "--as-of", "2024", *args)) == expected_ids


@pytest.mark.parametrize("args, expected_ids", [
    (["--region", "Inner Mongolia"], {"ordos-re-2025"}),  # a parent takes in its cities
    (["--region", "Ordos City"], {"ordos-re-2025"}),
    (["--region", "Hebei", "--metric", "co2_intensity"], {"hebei-co2-2021"}),
    (["--metric", "renewable_capacity"], {"ordos-re-2025", "hebei-re-2021"}),
])
def test_progress_region_and_metric_filters(invoke, registry, args, expected_ids):
    assert set(progress_json(invoke, "--registry", registry, *args)) == expected_ids


def test_progress_as_of_leaves_later_outcomes_out(invoke, registry):
    ordos = progress_json(invoke, "--registry", registry, "--as-of", "2022")["ordos-re-2025"]
    assert ordos["latest"] is None and ordos["status"] == "no data"


def test_progress_default_as_of_is_this_year(invoke, registry):
    from datetime import date

    items = progress_json(invoke, "--registry", registry)
    assert {item["as_of"] for item in items.values()} == {date.today().year}


def test_progress_records_add_outcomes_to_the_registry(invoke, registry, tmp_path):
    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps(record(5.2e7, 2024)) + "\n", encoding="utf-8")
    ordos = progress_json(invoke, "--registry", registry, "--records", str(path), "--as-of", "2024")["ordos-re-2025"]
    assert ordos["status"] == "achieved"
    assert ordos["latest"]["source"] == "news.txt"


def test_progress_records_alone_from_stdin(invoke):
    lines = "\n".join(json.dumps(r) for r in (
        record(5e7, 2025, kind="target", comparator=">="), record(2e7, 2023)))
    result = invoke("progress", "--records", "-", "--no-registry", "--as-of", "2024", "--format", "json",
                    input=lines + "\n")
    (item,) = json.loads(result.stdout)
    assert item["region"]["name"] == "Ordos" and item["target"]["year"] == 2025
    assert item["progress"] == pytest.approx(0.4)
    assert item["status"] == "on track"


def test_progress_counts_a_target_in_registry_and_records_once(invoke, registry, tmp_path):
    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps(record(5e7, 2025, kind="target", comparator=">=")) + "\n", encoding="utf-8")
    items = progress_json(invoke, "--registry", registry, "--records", str(path), "--region", "Ordos")
    assert list(items) == ["ordos-re-2025"]


def test_progress_table_shows_document_names_inert(invoke, registry, tmp_path):
    outcome = record(3.2e7, 2024)
    outcome["source"]["path"] = "[bold]report\x1b[31m.txt"
    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps(outcome) + "\n", encoding="utf-8")
    result = invoke("progress", "--registry", registry, "--records", str(path), "--as-of", "2024",
                    "--region", "Ordos", "--format", "table")
    assert "[bold]report\\x1b[31m.txt" in result.stdout
    assert "\x1b" not in result.stdout


def test_progress_csv_has_the_numbers_in_flat_columns(invoke, registry):
    result = invoke("progress", "--registry", registry, "--as-of", "2024", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    by_id = {row["id"]: row for row in rows}
    assert float(by_id["ordos-re-2025"]["progress"]) == pytest.approx(26 / 46, abs=1e-4)
    assert by_id["ordos-re-2025"]["baseline.year"] == "2020"
    assert by_id["china-peak-2030"]["baseline.year"] == ""
    assert "█" not in result.output


def test_progress_table_draws_bars_and_counts_statuses(invoke, registry):
    result = invoke("progress", "--registry", registry, "--as-of", "2024", "--format", "table")
    assert "█" in result.output and "░" in result.output
    assert "5 targets as of 2024: 1 achieved, 2 behind, 1 overdue, 1 pending" in result.output


def test_progress_plain_shows_percentages_and_statuses(invoke, registry):
    result = invoke("progress", "--registry", registry, "--as-of", "2024", "--format", "plain")
    line = next(line for line in result.output.splitlines() if line.startswith("renewable_capacity") and "50 GW" in line)
    assert "57%" in line and "80%" in line and "behind" in line and "ordos-energy-report.txt" in line


# --------------------------------------------------------------------------- compare


def compare_json(invoke, *args) -> list[dict]:
    result = invoke("compare", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_compare_bundled_ordos_and_hebei_capacity_side_by_side_in_gw(invoke):
    rows = {row["metric"]: row for row in compare_json(invoke, "--region", "Ordos", "--region", "Hebei")}
    capacity = rows["renewable_capacity"]
    assert capacity["unit"] == "GW"
    assert capacity["cells"]["Ordos"]["target"]["value"] == pytest.approx(50)
    assert capacity["cells"]["Hebei"]["target"]["value"] == pytest.approx(6)
    assert capacity["cells"]["Ordos"]["target"]["year"] == 2025


def test_compare_shows_kw_and_gw_figures_in_one_unit(invoke, registry):
    # Ordos is written in kW, Hebei in GW and million kW
    (row,) = compare_json(invoke, "--registry", registry, "--region", "Ordos", "--region", "Hebei",
                          "--metric", "renewable_capacity")
    assert row["unit"] == "GW"
    cells = row["cells"]
    assert (cells["Ordos"]["target"]["value"], cells["Hebei"]["target"]["value"]) == (50, 6)
    assert (cells["Ordos"]["outcome"]["value"], cells["Hebei"]["outcome"]["value"]) == (30, 5.5)
    assert cells["Ordos"]["outcome"]["display"] == "30 GW in 2023"


def test_compare_plain_lists_every_region_as_a_column_and_notes_empty_ones(invoke, registry):
    result = invoke("compare", "--registry", registry, "--region", "Ordos", "--region", "Hebei",
                    "--region", "Shanghai", "--format", "plain")
    header = result.output.splitlines()[0]
    assert header.split() == ["metric", "Ordos", "Hebei", "Shanghai"]
    assert "target: ≥ 50 GW by 2025" in result.output
    assert "no data for Shanghai" in result.output


def test_compare_json_has_null_cells_for_regions_without_data(invoke, registry):
    rows = compare_json(invoke, "--registry", registry, "--region", "Ordos", "--region", "Shanghai")
    assert rows and all(row["cells"]["Shanghai"] is None for row in rows)


@pytest.mark.parametrize("args, metrics", [
    (["--kind", "outcome"], {"renewable_capacity", "co2_intensity"}),
    (["--year", "2025"], {"renewable_capacity"}),
    (["--metric", "co2_intensity"], {"co2_intensity"}),
])
def test_compare_filters(invoke, registry, args, metrics):
    rows = compare_json(invoke, "--registry", registry, "--region", "Ordos", "--region", "Hebei", *args)
    assert {row["metric"] for row in rows} == metrics


def test_compare_a_parent_with_its_child(invoke, registry, tmp_path):
    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps(record(9e7, 2023, region="Inner Mongolia", parent="China", level="province")) + "\n",
                    encoding="utf-8")
    (row,) = compare_json(invoke, "--registry", registry, "--records", str(path), "--region", "Nei Mongol",
                          "--region", "Ordos", "--metric", "renewable_capacity")
    assert list(row["cells"]) == ["Inner Mongolia", "Ordos"]
    assert row["cells"]["Inner Mongolia"]["outcome"]["value"] == 90


def test_compare_by_metric_ranks_regions(invoke, registry):
    items = compare_json(invoke, "--registry", registry, "--by-metric", "renewable_capacity", "--as-of", "2024")
    assert [(i["rank"], i["region"]["name"]) for i in items] == [(1, "Hebei"), (2, "Ordos")]
    assert items[0]["progress"] == pytest.approx(5.5 / 6, abs=1e-4) and items[0]["unit"] == "GW"


def test_compare_table_renders(invoke, registry):
    result = invoke("compare", "--registry", registry, "--region", "Ordos", "--region", "Hebei", "--format", "table")
    assert "Renewable" in result.output and "50 GW" in result.output


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize("args, needle", [
    (["progress", "--region", "Ordoss"], "did you mean Ordos"),
    (["progress", "--metric", "renewable_capacty"], "did you mean renewable_capacity"),
    (["progress", "--status", "late"], "unknown status 'late'"),
    (["compare", "--region", "Ordos", "--region", "Hebeii"], "did you mean Hebei"),
    (["compare", "--by-metric", "capacity_renewable"], "unknown metric"),
    (["compare"], "compare needs regions"),
    (["progress", "--no-registry"], "--no-registry"),
    (["progress", "--records", "/nonexistent/records.jsonl"], "no such records file"),
])
def test_usage_errors_are_one_line_exit_2(run_main, args, needle):
    code, out, err = run_main(*args)
    assert code == 2, err
    assert needle in err
    assert len(err.strip().splitlines()) == 1 and out == ""


def test_a_bad_records_line_names_file_and_line(run_main, tmp_path):
    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps(record(1e6, 2023)) + "\n\nnot json\n", encoding="utf-8")
    code, _, err = run_main("progress", "--records", str(path))
    assert code == 2 and f"{path}:3:" in err


def test_the_commands_load_without_pandas_or_pint():
    code = ("import sys\nimport targettrack.commands.analysis\n"
            "print(' '.join(m for m in ('pandas', 'pint', 'rich') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
