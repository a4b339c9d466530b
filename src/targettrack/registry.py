"""targets.yaml: find, load and validate the registry of targets and outcomes; atomic saves."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from targettrack.errors import RegistryError, TargettrackError, ValidationFailed
from targettrack.models import CHANGES, COMPARATORS, STRENGTHS, Entry, Normalized, Record, Region, Source

ENV_VAR = "TARGETTRACK_REGISTRY"
VERSION = 1
TOP_KEYS = ("version", "targets", "outcomes")
ENTRY_KEYS = ("id", "region", "metric", "value", "comparator", "change", "year", "baseline",
              "description", "strength", "target", "sources")
BASELINE_KEYS = ("value", "year")
SOURCE_KEYS = ("document", "published", "quote", "start", "end", "url")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
MILESTONE_METRICS = ("carbon_peak", "carbon_neutrality")


def bundled_path() -> Path:
    return Path(__file__).parent / "data" / "targets.yaml"


def find_registry(path: str | os.PathLike | None = None) -> Path:
    """The registry file to use: --registry, $TARGETTRACK_REGISTRY, ./targets.yaml, the bundled default."""
    for given, origin in ((path, "--registry"), (os.environ.get(ENV_VAR) or None, f"${ENV_VAR}")):
        if given:
            candidate = Path(given)
            if not candidate.is_file():
                raise RegistryError(f"no such registry file: {candidate}", where=origin,
                                    hint="check the path, or create it with `targettrack ingest TEXTS --registry FILE`")
            return candidate
    local = Path("targets.yaml")
    return local if local.is_file() else bundled_path()


@dataclass
class Registry:
    path: Path
    entries: list[Entry] = field(default_factory=list)
    displays: dict[str, str] = field(default_factory=dict, repr=False)  # id -> "> = 50 GW"

    def display(self, entry: Entry) -> str:
        """The entry's figure for people: comparator, direction, display units ("down 4.2%")."""
        text = self.displays.get(entry.id)
        if text is None:
            text = self.displays[entry.id] = display_text(entry)
        return text

    @property
    def targets(self) -> list[Entry]:
        return [e for e in self.entries if e.kind == "target"]

    @property
    def outcomes(self) -> list[Entry]:
        return [e for e in self.entries if e.kind == "outcome"]

    def get(self, entry_id: str) -> Entry | None:
        return next((e for e in self.entries if e.id == entry_id), None)


def load_registry(path: str | os.PathLike | None = None) -> Registry:
    """Load and check a registry; the first problem is raised as a one-line RegistryError.

    A registry that loaded cleanly before and has not changed since is read back from a cache
    (entries and display texts as JSON), which spares parsing YAML, units and places.
    """
    registry_path = find_registry(path)
    cached = _read_cache(registry_path)
    if cached is not None:
        return cached
    entries, problems = parse_registry(registry_path)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise RegistryError(problems[0] + more,
                            hint=f"run `targettrack validate {registry_path}` to see every problem")
    registry = Registry(path=registry_path, entries=entries)
    _write_cache(registry)
    return registry


def display_text(entry: Entry) -> str:
    from targettrack import units

    if entry.value is None:
        return "milestone" if entry.kind == "target" else "reached"
    shown = units.display(entry.value, entry.unit, entry.value_max)
    prefix = {"=": "", ">=": ">= ", "<=": "<= ", "~": "~"}[entry.comparator]
    direction = {"increase": "up ", "decrease": "down "}.get(entry.change, "")
    return f"{prefix}{direction}{shown}"


def _cache_key(registry_path: Path) -> tuple[str, str] | None:
    """The cache file name of this registry, and the stamp that says it is still valid."""
    from targettrack import __version__
    from targettrack.cache import file_name, file_stamp

    try:
        resolved = registry_path.resolve()
        stamp = "|".join([__version__, str(resolved),
                          file_stamp(resolved, *sorted((Path(__file__).parent / "data").iterdir()))])
    except OSError:
        return None
    return file_name("registry", resolved), stamp


def _read_cache(registry_path: Path) -> Registry | None:
    from targettrack import cache

    key = _cache_key(registry_path)
    data = cache.read(*key) if key else None
    if data is None:
        return None
    try:
        entries = [Entry.from_dict(item) for item in data["entries"]]
        return Registry(path=registry_path, entries=entries, displays=data["displays"])
    except (KeyError, TypeError, ValueError):
        return None


def _write_cache(registry: Registry) -> None:
    from targettrack import cache

    key = _cache_key(registry.path)
    if key is None:
        return
    cache.write(*key, {
        "entries": [dict(e.to_dict(), line=e.line, baseline_quantity=e.baseline_quantity)
                    for e in registry.entries],
        "displays": {e.id: registry.display(e) for e in registry.entries},
    })


def validate_registry(path: str | os.PathLike | None = None) -> Registry:
    """Load a registry, raising ValidationFailed with every problem as FILE:LINE: message."""
    registry_path = find_registry(path)
    entries, problems = parse_registry(registry_path)
    if problems:
        raise ValidationFailed(problems, where=str(registry_path))
    return Registry(path=registry_path, entries=entries)


def read_yaml(path: Path) -> Any:
    """The round-trip document (comments, order and line numbers kept)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RegistryError(f"no such registry file: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RegistryError(f"cannot read registry: {exc}", where=str(path)) from None
    try:
        return YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f"{path}:{mark.line + 1}" if mark else str(path)
        raise RegistryError(f"malformed YAML: {exc.problem or exc.context}", where=line,
                            hint="check indentation and quoting on that line") from None
    except YAMLError as exc:
        raise RegistryError(f"malformed YAML: {exc}", where=str(path)) from None


def parse_registry(path: Path) -> tuple[list[Entry], list[str]]:
    """Parse a registry file into entries and a list of FILE:LINE problems."""
    document = read_yaml(path)
    checker = _Checker(path)
    entries = checker.document(document)
    return entries, checker.problems


def _line(node: Any, key: Any = None) -> int | None:
    """1-based line of a mapping (or of one of its keys) in a round-trip document."""
    lc = getattr(node, "lc", None)
    if lc is None:
        return None
    try:
        if key is not None and key in node:
            return lc.key(key)[0] + 1
        return lc.line + 1
    except (KeyError, TypeError, AttributeError):
        return None


class _Checker:
    """Turns the YAML tree into Entry objects, collecting every problem with its line."""

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[str] = []

    def problem(self, line: int | None, message: str) -> None:
        self.problems.append(f"{self.path}:{line or 1}: {message}")

    def document(self, doc: Any) -> list[Entry]:
        if doc is None:
            self.problem(1, "empty registry: expected `version: 1`, `targets:` and `outcomes:`")
            return []
        if not isinstance(doc, dict):
            self.problem(_line(doc), "the registry must be a mapping with `version`, `targets` and `outcomes`")
            return []
        for key in doc:
            if key not in TOP_KEYS:
                self.problem(_line(doc, key), f"unknown top-level key {key!r} (expected one of: {', '.join(TOP_KEYS)})")
        if doc.get("version") != VERSION:
            self.problem(_line(doc, "version") if "version" in doc else 1,
                         f"version must be {VERSION}, found {doc.get('version')!r}")
        entries: list[Entry] = []
        for section, kind in (("targets", "target"), ("outcomes", "outcome")):
            items = doc.get(section)
            if items is None:
                continue
            if not isinstance(items, list):
                self.problem(_line(doc, section), f"`{section}` must be a list of entries")
                continue
            for item in items:
                entry = self.entry(item, kind)
                if entry is not None:
                    entries.append(entry)
        self.cross_check(entries)
        return entries

    def entry(self, item: Any, kind: str) -> Entry | None:
        from targettrack import units

        line = _line(item)
        if not isinstance(item, dict):
            self.problem(line, f"each {kind} must be a mapping of keys such as id, region, metric, value, year")
            return None
        before = len(self.problems)
        for key in item:
            if key not in ENTRY_KEYS:
                self.problem(_line(item, key), f"unknown key {key!r} (expected one of: {', '.join(ENTRY_KEYS)})")
        entry_id = item.get("id")
        if not isinstance(entry_id, str) or not ID_PATTERN.match(entry_id):
            self.problem(_line(item, "id") or line,
                         f"id must be lower-case letters, digits, '-', '.' or '_', found {entry_id!r}")
            entry_id = None
        region = self.region(item)
        metric = self.metric(item)
        year = self.year(item, "year", required=kind == "target")
        comparator = item.get("comparator", "=")
        if comparator not in COMPARATORS:
            self.problem(_line(item, "comparator"),
                         f"comparator must be one of {', '.join(COMPARATORS)}, found {comparator!r} (quote it: \">=\")")
        change = item.get("change", "level")
        if change not in CHANGES:
            self.problem(_line(item, "change"), f"change must be one of {', '.join(CHANGES)}, found {change!r}")
        strength = item.get("strength")
        if strength is not None and strength not in STRENGTHS:
            self.problem(_line(item, "strength"), f"strength must be one of {', '.join(STRENGTHS)}, found {strength!r}")
        if kind == "outcome" and strength is not None:
            self.problem(_line(item, "strength"), "strength applies to targets only")
        link = item.get("target")
        if link is not None and kind != "outcome":
            self.problem(_line(item, "target"), "`target:` links an outcome to a target id; targets cannot have it")

        quantity, parsed, normalized = self.quantity(item, "value", item)
        if quantity is None and not (metric in MILESTONE_METRICS or kind == "target"):
            self.problem(line, f"outcome {entry_id or ''} has no value; give one, e.g. `value: 13.2%`".replace("  ", " "))
        baseline_quantity = baseline_parsed = None
        baseline_year = None
        baseline = item.get("baseline")
        if baseline is not None:
            if not isinstance(baseline, dict):
                self.problem(_line(item, "baseline"), "baseline must be a mapping with `value` and/or `year`")
            else:
                for key in baseline:
                    if key not in BASELINE_KEYS:
                        self.problem(_line(baseline, key), f"unknown baseline key {key!r} (expected value, year)")
                baseline_quantity, baseline_parsed, _ = self.quantity(baseline, "value", baseline)
                baseline_year = self.year(baseline, "year", required=False)
                if parsed and baseline_parsed and not units.compatible(parsed.unit, baseline_parsed.unit) \
                        and change == "level":
                    self.problem(_line(baseline, "value"),
                                 f"baseline {baseline_quantity!r} is not in a unit compatible with value {quantity!r}")
        sources = self.sources(item)
        if len(self.problems) > before:
            return None
        return Entry(
            id=entry_id, kind=kind, metric=metric, region=region, quantity=quantity,
            value=parsed.value if parsed else None, value_max=parsed.value_max if parsed else None,
            unit=parsed.unit if parsed else None, comparator=comparator, change=change,
            normalized=normalized, year=year, baseline_quantity=baseline_quantity,
            baseline_value=baseline_parsed.value if baseline_parsed else None,
            baseline_unit=baseline_parsed.unit if baseline_parsed else None,
            baseline_year=baseline_year, description=_text(item.get("description")),
            strength=strength, target=link, sources=sources, line=line,
        )

    def region(self, item: dict) -> Region | None:
        from targettrack import geo

        value = item.get("region")
        line = _line(item, "region") or _line(item)
        if isinstance(value, dict):  # a place the gazetteer does not know, spelled out
            name = value.get("name")
            if not isinstance(name, str) or not name.strip():
                self.problem(line, "region needs a `name`")
                return None
            return Region(name=name, level=value.get("level"), parent=value.get("parent"),
                          country=value.get("country"))
        if not isinstance(value, str) or not value.strip():
            self.problem(line, "region is required, e.g. `region: Ordos`")
            return None
        region = geo.lookup(value)
        if region is None:
            close = geo.suggest(value)
            hint = f"did you mean {', '.join(close)}?" if close else "spell the place out as a mapping with name, level, parent, country"
            self.problem(line, f"unknown region {value!r} ({hint})")
        return region

    def metric(self, item: dict) -> str | None:
        from targettrack import metrics

        value = item.get("metric")
        line = _line(item, "metric") or _line(item)
        if not isinstance(value, str):
            self.problem(line, "metric is required, e.g. `metric: renewable_capacity`")
            return None
        if metrics.get(value) is None:
            close = metrics.suggest(value)
            hint = f"did you mean {', '.join(close)}?" if close else "see `targettrack metrics` or docs/metrics"
            self.problem(line, f"unknown metric {value!r} ({hint})")
            return None
        return value

    def year(self, node: dict, key: str, required: bool) -> int | None:
        value = node.get(key)
        if value is None:
            if required:
                self.problem(_line(node), f"`{key}` is required (the deadline year), e.g. `{key}: 2030`")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2200:
            self.problem(_line(node, key), f"{key} must be a four-digit year, found {value!r}")
            return None
        return value

    def quantity(self, node: dict, key: str, owner: dict):
        from targettrack import units
        from targettrack.errors import UnitError

        raw = node.get(key)
        if raw is None:
            return None, None, None
        text = str(raw).strip()
        try:
            parsed = units.parse_quantity(text)
            normalized = units.normalize(parsed.value, parsed.unit, parsed.value_max)
        except (UnitError, TargettrackError) as exc:
            hint = f" ({exc.hint})" if exc.hint else ""
            self.problem(_line(node, key), f"{exc.message} in {key} {text!r}{hint}")
            return None, None, None
        return text, parsed, normalized

    def sources(self, item: dict) -> tuple[Source, ...]:
        raw = item.get("sources")
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self.problem(_line(item, "sources"), "sources must be a list of mappings with document, published, quote")
            return ()
        result = []
        for source in raw:
            if not isinstance(source, dict):
                self.problem(_line(item, "sources"), "each source must be a mapping with document, published, quote")
                continue
            for key in source:
                if key not in SOURCE_KEYS:
                    self.problem(_line(source, key), f"unknown source key {key!r} (expected one of: {', '.join(SOURCE_KEYS)})")
            published = source.get("published")
            if published is not None:
                published = str(published)
                try:
                    date.fromisoformat(published)
                except ValueError:
                    self.problem(_line(source, "published"), f"published must be a date YYYY-MM-DD, found {published!r}")
            result.append(Source(document=_text(source.get("document")), published=published,
                                 start=source.get("start"), end=source.get("end"),
                                 quote=_text(source.get("quote"))))
        return tuple(result)

    def cross_check(self, entries: list[Entry]) -> None:
        seen: dict[str, Entry] = {}
        for entry in entries:
            if entry.id in seen:
                self.problem(entry.line, f"duplicate id {entry.id!r} (first at line {seen[entry.id].line}); ids must be unique")
            else:
                seen[entry.id] = entry
        for entry in entries:
            if entry.target and (entry.target not in seen or seen[entry.target].kind != "target"):
                self.problem(entry.line, f"outcome {entry.id!r} links to unknown target {entry.target!r}")


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def filter_entries(entries: Iterable[Entry], *, regions: Sequence[Region] = (), metrics: Sequence[str] = (),
                   kind: str | None = None, year: int | None = None, year_from: int | None = None,
                   year_to: int | None = None) -> list[Entry]:
    """Entries that match every filter given; a region matches its own children."""
    if regions:
        from targettrack import geo
    result = []
    for entry in entries:
        if kind and entry.kind != kind:
            continue
        if metrics and entry.metric not in metrics:
            continue
        if year is not None and entry.year != year:
            continue
        if year_from is not None and (entry.year is None or entry.year < year_from):
            continue
        if year_to is not None and (entry.year is None or entry.year > year_to):
            continue
        if regions and not any(geo.is_within(entry.region, r) for r in regions):
            continue
        result.append(entry)
    return result


def sort_entries(entries: Iterable[Entry]) -> list[Entry]:
    """Sorted by region, metric, year (entries without a year last), then id."""
    return sorted(entries, key=lambda e: (e.region.name.lower(), e.metric, e.year is None, e.year or 0, e.id))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def entry_id(region: Region | None, metric: str | None, year: int | None, taken: set[str]) -> str:
    """A readable id such as ordos-renewable-capacity-2025, with -2, -3 ... when taken."""
    parts = [slug(region.name) if region else "unknown", slug(metric or "other")]
    if year is not None:
        parts.append(str(year))
    base = "-".join(p for p in parts if p)
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def entries_from_records(records: Iterable[Record], taken: set[str] | None = None) -> list[Entry]:
    """Registry entries standing for extracted records (ids derived, provenance kept)."""
    taken = set() if taken is None else taken
    entries = []
    for record in records:
        if record.region is None or record.metric is None:
            continue
        source = Source(document=record.source.document, published=record.source.published,
                        start=record.source.start, end=record.source.end, quote=record.text)
        entries.append(Entry(
            id=entry_id(record.region, record.metric, record.year, taken), kind=record.kind,
            metric=record.metric, region=record.region, quantity=record.text, value=record.value,
            value_max=record.value_max, unit=record.unit, comparator=record.comparator,
            change=record.change, normalized=record.normalized or Normalized(None, None, None),
            year=record.year, baseline_year=record.baseline_year, sources=(source,),
        ))
    return entries


def atomic_write_text(path: Path, text: str) -> None:
    """Write via a temporary file in the same directory, then rename: the old file or the new, never half."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
