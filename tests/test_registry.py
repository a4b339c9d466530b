"""The registry: lookup order, parsing, validation problems with lines, filters, atomic writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from targettrack.errors import RegistryError, ValidationFailed
from targettrack.registry import (atomic_write_text, bundled_path, entry_id, filter_entries, find_registry,
                                  load_registry, sort_entries, validate_registry)

GOOD = """
# my own notes: keep this comment
version: 1
targets:
  - id: ordos-renewable-capacity-2025
    region: Ordos City
    metric: renewable_capacity
    value: 50 million kW
    comparator: ">="
    year: 2025
    strength: pledge
    sources:
      - document: speech.txt
        published: 2022-10-20
        quote: more than 50 million kilowatts
  - id: china-carbon-neutrality-2060
    region: China
    metric: carbon_neutrality
    year: 2060
outcomes:
  - id: hebei-forest-coverage-2022
    region: Hebei Province
    metric: forest_coverage
    value: 82%
    year: 2022
"""


def test_bundled_registry_loads_with_the_seed_targets():
    registry = load_registry(bundled_path())
    ordos = registry.get("ordos-renewable-capacity-2025")
    assert ordos.region.name == "Ordos" and ordos.region.parent == "Inner Mongolia"
    assert ordos.normalized.value == pytest.approx(5e7) and ordos.normalized.unit == "kW"
    assert ordos.year == 2025 and ordos.comparator == ">="
    neutral = registry.get("china-carbon-neutrality-2060")
    assert neutral.is_milestone and neutral.year == 2060 and neutral.region.name == "China"
    assert registry.targets and registry.outcomes


def test_root_and_bundled_registry_are_the_same_file_content():
    root = Path(__file__).resolve().parents[1] / "targets.yaml"
    if not root.exists():
        pytest.skip("not run from a source checkout")
    assert root.read_text(encoding="utf-8") == bundled_path().read_text(encoding="utf-8")


def test_lookup_order_option_then_variable_then_cwd_then_bundled(tmp_path, monkeypatch, write_registry):
    assert find_registry() == bundled_path()
    cwd_file = Path("targets.yaml")
    cwd_file.write_text(GOOD, encoding="utf-8")
    assert find_registry() == cwd_file
    env_file = write_registry(GOOD, "env.yaml")
    monkeypatch.setenv("TARGETTRACK_REGISTRY", str(env_file))
    assert find_registry() == env_file
    option_file = write_registry(GOOD, "option.yaml")
    assert find_registry(option_file) == option_file


@pytest.mark.parametrize("origin", ["option", "variable"])
def test_a_named_registry_that_is_missing_is_an_error(tmp_path, monkeypatch, origin):
    missing = tmp_path / "nope.yaml"
    if origin == "variable":
        monkeypatch.setenv("TARGETTRACK_REGISTRY", str(missing))
    with pytest.raises(RegistryError, match="no such registry file"):
        find_registry(missing if origin == "option" else None)


def test_good_registry_parses_every_field(write_registry):
    registry = load_registry(write_registry(GOOD))
    ordos = registry.get("ordos-renewable-capacity-2025")
    assert ordos.quantity == "50 million kW" and ordos.value == pytest.approx(5e7)
    assert ordos.sources[0].published == "2022-10-20" and ordos.sources[0].quote.startswith("more than")
    assert ordos.line == 4
    assert registry.get("hebei-forest-coverage-2022").normalized.unit == "%"


def problems_of(write_registry, body):
    with pytest.raises(ValidationFailed) as failed:
        validate_registry(write_registry(body))
    return failed.value.problems


@pytest.mark.parametrize("body,line,needle", [
    ("version: 1\ntargets:\n  - id: x\n    region: Ordos\n    metric: renewable_capacity\n    value: 50 megafoo\n    year: 2025\n",
     6, "megafoo"),
    ("version: 1\ntargets:\n  - id: x\n    region: Ordos\n    metric: renewable_capacity\n    value: lots of kW\n    year: 2025\n",
     6, "no number"),
    ("version: 1\ntargets:\n  - id: x\n    region: Atlantis\n    metric: renewable_capacity\n    year: 2025\n",
     4, "unknown region 'Atlantis'"),
    ("version: 1\ntargets:\n  - id: x\n    region: Ordos\n    metric: renewable_capacty\n    year: 2025\n",
     5, "did you mean renewable_capacity"),
    ("version: 1\ntargets:\n  - id: x\n    region: Ordos\n    metric: carbon_peak\n    year: 2025\n"
     "  - id: x\n    region: Hebei\n    metric: carbon_peak\n    year: 2030\n", 7, "duplicate id 'x'"),
    ("version: 1\ntargets:\n  - id: x\n    region: Ordos\n    metric: carbon_peak\n", 3, "`year` is required"),
    ("version: 1\ntargets:\n  - id: x\n    region: Ordos\n    metric: carbon_peak\n    year: 2030\n    colour: red\n",
     7, "unknown key 'colour'"),
    ("version: 1\ntargets:\n  - id: x\n    region: Ordos\n    metric: carbon_peak\n    year: 2030\n    comparator: more\n",
     7, "comparator must be one of"),
    ("version: 1\noutcomes:\n  - id: y\n    region: Ordos\n    metric: forest_coverage\n    year: 2022\n    value: 3%\n"
     "    target: nowhere\n", 3, "unknown target 'nowhere'"),
    ("version: 2\n", 1, "version must be 1"),
])
def test_each_problem_names_file_line_and_what_is_wrong(write_registry, body, line, needle):
    problems = problems_of(write_registry, body)
    assert any(f"targets.yaml:{line}: " in p and needle in p for p in problems), problems


def test_every_problem_is_reported_not_just_the_first(write_registry):
    body = ("version: 1\ntargets:\n  - id: a\n    region: Atlantis\n    metric: carbon_peak\n    year: 2030\n"
            "  - id: b\n    region: Ordos\n    metric: nope\n    year: 2030\n")
    assert len(problems_of(write_registry, body)) == 2


def test_malformed_yaml_is_one_error_with_its_line(write_registry):
    path = write_registry("version: 1\ntargets:\n  - id: x\n   region: [unclosed\n")
    with pytest.raises(RegistryError) as error:
        load_registry(path)
    assert "malformed YAML" in str(error.value) and f"{path}:" in str(error.value)


def test_load_raises_the_first_problem_and_counts_the_rest(write_registry):
    body = ("version: 1\ntargets:\n  - id: a\n    region: Atlantis\n    metric: carbon_peak\n    year: 2030\n"
            "  - id: b\n    region: Ordos\n    metric: nope\n    year: 2030\n")
    with pytest.raises(RegistryError, match=r"unknown region 'Atlantis'.*and 1 more") as error:
        load_registry(write_registry(body))
    assert "targettrack validate" in error.value.hint


def test_filters_region_includes_children_and_year_range(write_registry):
    from targettrack import geo

    entries = load_registry(write_registry(GOOD)).entries
    inner_mongolia = geo.lookup("Inner Mongolia")
    assert [e.id for e in filter_entries(entries, regions=[inner_mongolia])] == ["ordos-renewable-capacity-2025"]
    assert len(filter_entries(entries, regions=[geo.lookup("China")])) == 3
    assert [e.id for e in filter_entries(entries, kind="outcome")] == ["hebei-forest-coverage-2022"]
    assert [e.year for e in filter_entries(entries, year_from=2023, year_to=2059)] == [2025]
    assert [e.id for e in filter_entries(entries, metrics=["carbon_neutrality"])] == ["china-carbon-neutrality-2060"]


def test_sorted_by_region_metric_year(write_registry):
    entries = sort_entries(load_registry(write_registry(GOOD)).entries)
    assert [e.region.name for e in entries] == ["China", "Hebei", "Ordos"]


def test_entry_ids_are_readable_and_unique():
    from targettrack.models import Region

    taken: set[str] = set()
    ordos = Region("Ordos", "city", "Inner Mongolia", "CN")
    assert entry_id(ordos, "renewable_capacity", 2025, taken) == "ordos-renewable-capacity-2025"
    assert entry_id(ordos, "renewable_capacity", 2025, taken) == "ordos-renewable-capacity-2025-2"


def test_atomic_write_replaces_whole_file_and_keeps_mode(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("old", encoding="utf-8")
    os.chmod(path, 0o640)
    atomic_write_text(path, "new")
    assert path.read_text(encoding="utf-8") == "new"
    assert (path.stat().st_mode & 0o777) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["r.yaml"]


def test_atomic_write_leaves_old_file_when_writing_fails(tmp_path, monkeypatch):
    path = tmp_path / "r.yaml"
    path.write_text("old", encoding="utf-8")

    def boom(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        atomic_write_text(path, "new")
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.yaml"]


def test_cached_load_equals_fresh_load_and_sees_edits(write_registry):
    import time as clock

    path = write_registry(GOOD)
    fresh = load_registry(path)
    cached = load_registry(path)
    assert cached.entries == fresh.entries
    assert [e.line for e in cached.entries] == [e.line for e in fresh.entries]
    assert cached.display(cached.get("ordos-renewable-capacity-2025")) == ">= 50 GW"
    clock.sleep(0.01)
    path.write_text(GOOD.replace("50 million kW", "60 million kW"), encoding="utf-8")
    assert load_registry(path).get("ordos-renewable-capacity-2025").value == pytest.approx(6e7)


def test_a_broken_cache_is_ignored(write_registry):
    from targettrack.cache import cache_dir

    path = write_registry(GOOD)
    load_registry(path)
    for file in cache_dir().iterdir():
        file.write_text("{not json", encoding="utf-8")
    assert load_registry(path).get("hebei-forest-coverage-2022") is not None
