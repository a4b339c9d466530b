"""Grow a registry from extracted records: deduplicate, keep provenance, write atomically under a lock."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from targettrack.errors import RegistryError
from targettrack.models import Entry, Record, Region
from targettrack.registry import (VERSION, atomic_write_text, entry_id, parse_registry, read_yaml)

HEADER = """\
# targettrack registry: targets and outcomes, edited by hand and by `targettrack ingest`.
# Format: docs/registry.md. Check it with `targettrack validate`.
"""
QUOTE_LIMIT = 160  # characters of the sentence kept as a quote
RELATIVE_TOLERANCE = 0.005  # values this close are the same figure (rounding in different texts)
LOCK_TIMEOUT = 60.0


@dataclass
class Action:
    """What ingest does with one record: add a new entry, merge a source into one, or skip it."""

    action: str  # "add", "merge", "skip"
    record: Record
    entry_id: str | None = None
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        record = self.record
        return {
            "action": self.action, "id": self.entry_id, "reason": self.reason,
            "kind": record.kind, "metric": record.metric,
            "region": record.region.name if record.region else None,
            "value": record.normalized.value if record.normalized else None,
            "unit": record.normalized.unit if record.normalized else None,
            "year": record.year, "document": record.source.document,
            "start": record.source.start, "text": record.text,
        }


@dataclass
class Summary:
    documents: int = 0
    records: int = 0
    actions: list[Action] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(a.action == action for a in self.actions)

    def line(self, dry_run: bool) -> str:
        verb = "would add" if dry_run else "added"
        skipped: dict[str, int] = {}
        for a in self.actions:
            if a.action == "skip":
                skipped[a.reason or "?"] = skipped.get(a.reason or "?", 0) + 1
        reasons = "; ".join(f"{n} {reason}" for reason, n in sorted(skipped.items()))
        text = (f"{self.documents} documents read, {self.records} records found, {verb} "
                f"{self.count('add')} entries, {'would merge' if dry_run else 'merged'} "
                f"{self.count('merge')} sources, skipped {self.count('skip')}")
        if reasons:
            text += f" ({reasons})"
        if not dry_run and not self.count("add") and not self.count("merge"):
            text += "; nothing new"
        return text


def same_figure(entry: Entry, record: Record) -> bool:
    """Does the record state what the entry already holds (kind, region, metric, year, value)?"""
    if (entry.kind, entry.metric, entry.year) != (record.kind, record.metric, record.year):
        return False
    if entry.region.name != record.region.name:
        return False
    mine = entry.normalized
    theirs = record.normalized
    if mine is None or mine.value is None or theirs is None or theirs.value is None:
        return (mine is None or mine.value is None) and (theirs is None or theirs.value is None)
    if mine.unit != theirs.unit or entry.change != record.change:
        return False
    return _close(mine.value, theirs.value) and _close(mine.value_max, theirs.value_max)


def _key(item: Entry | Record) -> tuple:
    return (item.kind, item.metric, item.year, item.region.name if item.region else None)


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= RELATIVE_TOLERANCE * max(abs(a), abs(b)) or a == b


def _has_source(entry_map: Any, record: Record) -> bool:
    for source in entry_map.get("sources") or ():
        if not isinstance(source, dict):
            continue
        if source.get("document") == record.source.document and (
                source.get("start") == record.source.start or source.get("quote") == _quote(record)):
            return True
    return False


def _quote(record: Record) -> str:
    sentence = " ".join(record.sentence.split())
    if len(sentence) <= QUOTE_LIMIT:
        return sentence
    # keep the figure in view: a window of the sentence around the mention
    text = " ".join(record.text.split())
    at = max(sentence.find(text), 0)
    start = max(0, min(at - QUOTE_LIMIT // 3, len(sentence) - QUOTE_LIMIT))
    return ("..." if start else "") + sentence[start:start + QUOTE_LIMIT].strip() + "..."


def _source_map(record: Record):
    from ruamel.yaml.comments import CommentedMap

    source = CommentedMap()
    source["document"] = record.source.document
    if record.source.published:
        source["published"] = record.source.published
    if record.source.start is not None:
        source["start"] = record.source.start
        source["end"] = record.source.end
    source["quote"] = _quote(record)
    return source


def quantity_text(record: Record) -> str | None:
    """A readable quantity string for the registry ("60 million kW") that parses back to the record."""
    from targettrack import units

    if record.value is None or record.unit is None:
        return None
    exact = f"{record.value!r}{'' if record.value_max is None else f' to {record.value_max!r}'} {record.unit}"
    for text in (_readable(record.value, record.value_max, record.unit), exact):
        try:
            parsed = units.parse_quantity(text)
            again = units.normalize(parsed.value, parsed.unit, parsed.value_max)
        except Exception:  # noqa: BLE001 - a spelling that does not parse back is not used
            continue
        wanted = units.normalize(record.value, record.unit, record.value_max)
        if again.unit == wanted.unit and _close(again.value, wanted.value) and _close(again.value_max, wanted.value_max):
            return text
    return exact


_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def _readable(value: float, value_max: float | None, unit: str) -> str:
    from targettrack import units

    def number(v: float) -> str:
        for factor, word in _SCALES:
            if abs(v) >= factor:
                return f"{v / factor:,.10g} {word}"
        return f"{v:,.10g}"

    symbol = f"{units.registry().Unit(unit):~}".replace(" ** ", "").replace(" / ", "/")
    text = number(value) if value_max is None else f"{number(value)} to {number(value_max)}"
    return f"{text}{symbol}" if symbol in ("%",) else f"{text} {symbol}"


def _region_value(region: Region):
    """The region as written in the registry: its name where the gazetteer reads it back the same."""
    from ruamel.yaml.comments import CommentedMap

    from targettrack import geo

    if geo.lookup(region.name) == region:
        return region.name
    mapping = CommentedMap()
    for key in ("name", "level", "parent", "country"):
        if getattr(region, key) is not None:
            mapping[key] = getattr(region, key)
    return mapping


def _entry_map(new_id: str, record: Record):
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    entry = CommentedMap()
    entry["id"] = new_id
    entry["region"] = _region_value(record.region)
    entry["metric"] = record.metric
    quantity = quantity_text(record)
    if quantity is not None:
        entry["value"] = quantity
    if record.comparator != "=":
        entry["comparator"] = record.comparator
    if record.change != "level":
        entry["change"] = record.change
    if record.year is not None:
        entry["year"] = record.year
    if record.baseline_year is not None:
        baseline = CommentedMap()
        baseline["year"] = record.baseline_year
        entry["baseline"] = baseline
    sources = CommentedSeq()
    sources.append(_source_map(record))
    entry["sources"] = sources
    return entry


def skip_reason(record: Record) -> str | None:
    if record.region is None:
        return "no region"
    if record.metric is None:
        return "no metric"
    if record.kind == "target" and record.year is None:
        return "target without a year"
    if record.dropped:
        return f"not a record ({record.dropped})"
    return None


@contextlib.contextmanager
def locked(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """An exclusive lock on PATH.lock, so concurrent ingests take turns (each re-reads the file)."""
    import fcntl

    lock_path = path.with_name(path.name + ".lock")
    handle = open(lock_path, "a+")
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise RegistryError(f"registry is locked by another process ({lock_path})", where=str(path),
                                        hint="wait for the other `targettrack ingest` to finish, or remove the lock file if none runs") from None
                time.sleep(0.05)
        yield
    finally:
        handle.close()  # closing releases the lock


def _new_document():
    from ruamel.yaml import YAML

    return YAML(typ="rt").load(f"{HEADER}version: {VERSION}\ntargets: []\noutcomes: []\n")


def _dump(document) -> str:
    import io

    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


def ingest(path: str | os.PathLike, records: Iterable[Record], *, dry_run: bool = False,
           summary: Summary | None = None) -> Summary:
    """Add records to the registry at PATH (created if missing); return what was done.

    Records are collected first (extraction is the slow part), then the registry is read,
    changed and written while holding its lock, so concurrent runs both land.
    """
    from ruamel.yaml.comments import CommentedSeq

    path = Path(path)
    summary = summary or Summary()
    records = list(records)
    summary.records += len(records)
    with (contextlib.nullcontext() if dry_run else locked(path)):
        if path.exists():
            document = read_yaml(path)
            entries, problems = parse_registry(path)
            if problems:
                more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
                raise RegistryError(f"not writing to a registry that fails validation: {problems[0]}{more}",
                                    hint=f"fix it first; `targettrack validate {path}` lists every problem")
        else:
            document = _new_document()
            entries = []
        for section in ("targets", "outcomes"):
            if document.get(section) is None:
                document[section] = CommentedSeq()
        maps = {m["id"]: m for section in ("targets", "outcomes") for m in document[section]}
        taken = set(maps)
        known: dict[tuple, list[Entry]] = {}
        for entry in entries:
            known.setdefault(_key(entry), []).append(entry)
        for record in records:
            reason = skip_reason(record)
            if reason:
                summary.actions.append(Action("skip", record, reason=reason))
                continue
            match = next((e for e in known.get(_key(record), ()) if same_figure(e, record)), None)
            if match is not None:
                entry_map = maps[match.id]
                if _has_source(entry_map, record):
                    summary.actions.append(Action("skip", record, match.id, "already in the registry"))
                    continue
                if entry_map.get("sources") is None:
                    entry_map["sources"] = CommentedSeq()
                entry_map["sources"].append(_source_map(record))
                summary.actions.append(Action("merge", record, match.id))
                continue
            new_id = entry_id(record.region, record.metric, record.year, taken)
            entry_map = _entry_map(new_id, record)
            document["targets" if record.kind == "target" else "outcomes"].append(entry_map)
            maps[new_id] = entry_map
            known.setdefault(_key(record), []).append(Entry(id=new_id, kind=record.kind, metric=record.metric, region=record.region,
                               value=record.value, value_max=record.value_max, unit=record.unit,
                               comparator=record.comparator, change=record.change,
                               normalized=record.normalized, year=record.year))
            summary.actions.append(Action("add", record, new_id))
        if not dry_run and (summary.count("add") or summary.count("merge") or not path.exists()):
            text = _dump(document)
            _check_written(text, path)
            atomic_write_text(path, text)
    return summary


def _check_written(text: str, path: Path) -> None:
    """The new text must itself be a valid registry before it replaces the old one."""
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        probe = Path(scratch) / path.name
        probe.write_text(text, encoding="utf-8")
        _, problems = parse_registry(probe)
    if problems:
        raise RegistryError(f"internal check failed, registry not written: {problems[0]}", where=str(path))
