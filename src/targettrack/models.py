"""Plain frozen dataclasses shared by every layer: Region, Normalized, Source, Record, Entry."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

KINDS = ("target", "outcome")
COMPARATORS = ("=", ">=", "<=", "~")
CHANGES = ("level", "increase", "decrease")
STRENGTHS = ("law", "policy document", "plan", "pledge", "proposed")


@dataclass(frozen=True)
class Region:
    """A place: canonical English name, level (country, province, city, district, ...), parent, country code."""

    name: str
    level: str | None = None
    parent: str | None = None
    country: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "level": self.level, "parent": self.parent, "country": self.country}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | str | None) -> Region | None:
        if data is None:
            return None
        if isinstance(data, str):
            return cls(name=data)
        return cls(**{k: data.get(k) for k in ("name", "level", "parent", "country")})


@dataclass(frozen=True)
class Normalized:
    """A value (and range end) in the canonical unit of its dimension, e.g. kW, tCO2, CNY, %."""

    value: float | None
    value_max: float | None
    unit: str | None

    def __init__(self, value: float | None, value_max: float | None, unit: str | None) -> None:
        # One per figure: set in one step, as Record does (see there).
        object.__setattr__(self, "__dict__", {"value": value, "value_max": value_max, "unit": unit})

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "value_max": self.value_max, "unit": self.unit}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Normalized | None:
        if not data:
            return None
        return cls(value=data.get("value"), value_max=data.get("value_max"), unit=data.get("unit"))


@dataclass(frozen=True)
class Source:
    """Where a figure was read: a document (path or name), its publication date, offsets and a short quote."""

    document: str | None = None
    published: str | None = None
    start: int | None = None
    end: int | None = None
    quote: str | None = None

    def __init__(self, document: str | None = None, published: str | None = None, start: int | None = None,
                 end: int | None = None, quote: str | None = None) -> None:
        # One per record: set in one step, as Record does (see there).
        object.__setattr__(self, "__dict__", {"document": document, "published": published, "start": start,
                                              "end": end, "quote": quote})

    def to_dict(self) -> dict[str, Any]:
        return {"document": self.document, "published": self.published,
                "start": self.start, "end": self.end, "quote": self.quote}

    def to_record_dict(self) -> dict[str, Any]:
        """The `source` object of an extracted record (ANNOTATION.md: path, start, end, published)."""
        return {"path": self.document, "start": self.start, "end": self.end, "published": self.published}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Source:
        return cls(document=data.get("document", data.get("path")), published=data.get("published"),
                   start=data.get("start"), end=data.get("end"), quote=data.get("quote"))


@dataclass(frozen=True)
class Record:
    """One quantitative statement found in a text (the extraction record of ANNOTATION.md)."""

    kind: str
    metric: str | None
    region: Region | None
    value: float | None
    value_max: float | None
    unit: str | None
    comparator: str
    change: str
    normalized: Normalized | None
    year: int | None
    baseline_year: int | None
    text: str
    sentence: str
    source: Source
    # extras, not part of the scored contract
    dropped: str | None = None  # why a quantity is not a record (only with --all-quantities)

    def __init__(self, kind: str, metric: str | None, region: Region | None, value: float | None,
                 value_max: float | None, unit: str | None, comparator: str, change: str,
                 normalized: Normalized | None, year: int | None, baseline_year: int | None, text: str,
                 sentence: str, source: Source, dropped: str | None = None) -> None:
        # Records are made by the thousand: one dict for every field is about twice as quick as the
        # frozen dataclass's own __init__, which sets each field through object.__setattr__.
        object.__setattr__(self, "__dict__", {
            "kind": kind, "metric": metric, "region": region, "value": value, "value_max": value_max,
            "unit": unit, "comparator": comparator, "change": change, "normalized": normalized, "year": year,
            "baseline_year": baseline_year, "text": text, "sentence": sentence, "source": source,
            "dropped": dropped,
        })

    def to_dict(self) -> dict[str, Any]:
        data = {
            "kind": self.kind,
            "metric": self.metric,
            "region": self.region.to_dict() if self.region else None,
            "value": self.value,
            "value_max": self.value_max,
            "unit": self.unit,
            "comparator": self.comparator,
            "change": self.change,
            "normalized": self.normalized.to_dict() if self.normalized else None,
            "year": self.year,
            "baseline_year": self.baseline_year,
            "text": self.text,
            "sentence": self.sentence,
            "source": self.source.to_record_dict(),
        }
        if self.dropped:
            data["dropped"] = self.dropped
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Record:
        return cls(
            kind=data["kind"], metric=data.get("metric"), region=Region.from_dict(data.get("region")),
            value=data.get("value"), value_max=data.get("value_max"), unit=data.get("unit"),
            comparator=data.get("comparator") or "=", change=data.get("change") or "level",
            normalized=Normalized.from_dict(data.get("normalized")), year=data.get("year"),
            baseline_year=data.get("baseline_year"), text=data.get("text") or "",
            sentence=data.get("sentence") or "", source=Source.from_dict(data.get("source") or {}),
            dropped=data.get("dropped"),
        )


@dataclass(frozen=True)
class Entry:
    """A registry entry: a target or an outcome, with its provenance.

    `quantity` is the value as the registry writes it ("50 million kW"); `value`
    and `unit` are that quantity parsed (5e7, "kilowatt"); `normalized` is it in
    the canonical unit. Milestones have no quantity.
    """

    id: str
    kind: str
    metric: str
    region: Region
    quantity: str | None = None
    value: float | None = None
    value_max: float | None = None
    unit: str | None = None
    comparator: str = "="
    change: str = "level"
    normalized: Normalized | None = None
    year: int | None = None
    baseline_quantity: str | None = None
    baseline_value: float | None = None
    baseline_unit: str | None = None
    baseline_year: int | None = None
    description: str | None = None
    strength: str | None = None
    target: str | None = None  # an outcome's explicit link to a target id
    sources: tuple[Source, ...] = ()
    line: int | None = field(default=None, compare=False)  # where the entry starts in its file

    @property
    def is_milestone(self) -> bool:
        return self.kind == "target" and self.value is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "metric": self.metric,
            "region": self.region.to_dict(),
            "quantity": self.quantity,
            "value": self.value,
            "value_max": self.value_max,
            "unit": self.unit,
            "comparator": self.comparator,
            "change": self.change,
            "year": self.year,
            "baseline_value": self.baseline_value,
            "baseline_unit": self.baseline_unit,
            "baseline_year": self.baseline_year,
            "normalized": self.normalized.to_dict() if self.normalized else None,
            "description": self.description,
            "strength": self.strength,
            "target": self.target,
            "sources": [s.to_dict() for s in self.sources],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entry:
        names = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in names}
        values["region"] = Region.from_dict(data["region"])
        values["normalized"] = Normalized.from_dict(data.get("normalized"))
        values["sources"] = tuple(Source.from_dict(s) for s in data.get("sources") or ())
        return cls(**values)
