"""Progress of targets against outcomes, and regions compared side by side: pure functions over entries."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from targettrack.models import Entry, Region

STATUSES = ("achieved", "on track", "behind", "overdue", "no data", "pending")
# "about 50 GW" counts as reached within this share of the target figure
APPROXIMATE = 0.05
_EPSILON = 1e-9


# --------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class Figure:
    """A figure for one year: one outcome as reported, or the sum of several places' outcomes."""

    year: int
    value: float | None  # in `unit`, the canonical unit; None for "reached" (a milestone outcome)
    unit: str | None
    change: str  # level, increase, decrease
    baseline_year: int | None  # for a change: the year it is measured from
    outcomes: tuple[Entry, ...]

    @property
    def since(self) -> int:
        """The year a change is measured from: its own baseline year, else the year before."""
        return self.baseline_year if self.baseline_year is not None else self.year - 1

    @property
    def signed(self) -> float:
        return -self.value if self.change == "decrease" else self.value

    @property
    def is_sum(self) -> bool:
        return len(self.outcomes) > 1

    def display(self) -> str:
        if self.value is None:
            return "reached"
        if self.change == "level":
            return _display(self.value, self.unit)
        return _change_text(self.signed, self.unit, self.since, self.year)

    def to_dict(self) -> dict[str, Any]:
        first = self.outcomes[0]
        return {
            "id": first.id if not self.is_sum else None,
            "value": self.value,
            "unit": self.unit,
            "change": self.change,
            "baseline_year": self.baseline_year if self.change != "level" else None,
            "year": self.year,
            "display": self.display(),
            "regions": [o.region.name for o in self.outcomes],
            "outcomes": [o.id for o in self.outcomes],
            "source": _source_name(self.outcomes),
        }


def _source_name(outcomes: Sequence[Entry]) -> str | None:
    if len(outcomes) > 1:
        return f"sum of {len(outcomes)} places"
    documents = [s.document for s in outcomes[0].sources if s.document]
    return documents[0] if documents else outcomes[0].id


def _amount(entry: Entry) -> tuple[float | None, str | None]:
    """An entry's value in its canonical unit."""
    norm = entry.normalized
    if norm is not None and norm.value is not None:
        return norm.value, norm.unit
    if entry.value is None or entry.unit is None:
        return None, None
    from targettrack import units
    from targettrack.errors import UnitError

    try:
        norm = units.normalize(entry.value, entry.unit)
    except UnitError:
        return None, None
    return norm.value, norm.unit


def _figure(entry: Entry) -> Figure | None:
    if entry.year is None:
        return None
    value, unit = _amount(entry)
    if value is None and entry.value is not None:
        return None
    return Figure(year=entry.year, value=value, unit=unit, change=entry.change,
                  baseline_year=entry.baseline_year, outcomes=(entry,))


def _convert(value: float, unit: str | None, to_unit: str | None) -> float | None:
    """`value` in `to_unit`, or None when the units do not convert."""
    if unit == to_unit:
        return value
    if unit is None or to_unit is None:
        return None
    from targettrack import units
    from targettrack.errors import UnitError

    try:
        if not units.compatible(unit, to_unit):
            return None
        return units.convert(value, unit, to_unit)
    except UnitError:
        return None


def _display(value: float, unit: str | None, value_max: float | None = None) -> str:
    from targettrack import units
    from targettrack.errors import UnitError

    try:
        return units.display(value, unit, value_max) if unit else _number(value)
    except UnitError:
        return f"{_number(value)} {unit}"


def _number(value: float) -> str:
    """At most four significant digits, with thousands separators: 1,234 ; 50 ; 0.4562."""
    if value == 0:
        return "0"
    if abs(value) >= 1000:
        return f"{round(value):,}"
    text = f"{value:.4g}"
    return text if "e" not in text else f"{value:,.2f}"


def _change_text(signed: float, unit: str | None, since: int | None, year: int | None) -> str:
    """"+1.2 pp", "−18% from 2020": the year measured from is said unless it is the year before."""
    sign = "+" if signed >= 0 else "\u2212"
    shown = f"{sign}{_display(abs(signed), unit)}"
    if since is not None and (year is None or since != year - 1):
        shown += f" from {since}"
    return shown


# --------------------------------------------------------------------------- linking


def distinct(entries: Iterable[Entry]) -> list[Entry]:
    """Entries that say the same thing once (the first kept): a figure found in the registry and again
    in extracted records, or twice in one text, is one target or outcome."""
    seen: set[tuple] = set()
    kept = []
    for entry in entries:
        value, unit = _amount(entry)
        figure = None if value is None else float(f"{value:.4g}")
        key = (entry.kind, entry.region.name.casefold(), entry.metric, entry.year, entry.change,
               entry.comparator if entry.kind == "target" else None, figure, unit,
               _base_year(entry) if entry.change != "level" else None)  # a level's baseline adds, not alters
        if key in seen:
            continue
        seen.add(key)
        kept.append(entry)
    return kept


def same_region(a: Region | None, b: Region | None) -> bool:
    if a is None or b is None:
        return False
    if a.name.casefold() != b.name.casefold():
        return False
    return a.country is None or b.country is None or a.country == b.country


def _within(region: Region, ancestor: Region) -> bool:
    """True when `region` lies inside `ancestor` (not when it is the same place)."""
    if same_region(region, ancestor):
        return False
    return ancestor.name.casefold() in _ancestor_names(region)


@functools.lru_cache(maxsize=4096)
def _ancestor_names(region: Region) -> frozenset[str]:
    """The lower-cased names of the places that contain `region`: its parent chain in the gazetteer."""
    from targettrack import geo

    names = {region.parent.casefold()} if region.parent else set()
    try:
        names.update(a.name.casefold() for a in geo.ancestors(region))
    except (KeyError, ValueError):
        pass
    return frozenset(names)


def _additive(metric: str) -> bool:
    from targettrack import metrics

    known = metrics.get(metric)
    return bool(known and known.additive)


def link(target: Entry, outcomes: Iterable[Entry]) -> list[Entry]:
    """The outcomes that speak of `target`, latest year first.

    An outcome is linked when it names the target (`target:` in the registry),
    or when it has the target's metric and region. Units are not checked here.
    """
    linked = [o for o in outcomes if o.kind == "outcome" and (
        o.target == target.id or (o.metric == target.metric and same_region(o.region, target.region)))]
    return sorted(linked, key=lambda o: (-(o.year or 0), o.target != target.id))


def children_sums(region: Region, metric: str, outcomes: Iterable[Entry], unit: str | None = None) -> list[Figure]:
    """Per year, the sum of the level outcomes of the places within `region`, latest year first.

    Only for additive metrics (capacity, emissions: not shares or intensities),
    and only of figures that convert to one unit. Where a place and a place
    within it both report, the larger place is kept so nothing counts twice.
    """
    if not _additive(metric):
        return []
    inside = [o for o in outcomes if o.kind == "outcome" and o.metric == metric and o.change == "level"
              and o.year is not None and o.value is not None and _within(o.region, region)]
    by_year: dict[int, list[Entry]] = {}
    for outcome in inside:
        by_year.setdefault(outcome.year, []).append(outcome)
    sums = []
    for year in sorted(by_year, reverse=True):
        chosen: list[Entry] = []
        for outcome in by_year[year]:
            if any(same_region(outcome.region, c.region) for c in chosen):
                continue  # one figure per place and year
            if any(_within(outcome.region, other.region) for other in by_year[year] if other is not outcome):
                continue
            chosen.append(outcome)
        total, total_unit = 0.0, unit
        kept = []
        for outcome in chosen:
            value, value_unit = _amount(outcome)
            total_unit = total_unit or value_unit
            converted = None if value is None else _convert(value, value_unit, total_unit)
            if converted is None:
                continue
            total += converted
            kept.append(outcome)
        if kept:
            sums.append(Figure(year=year, value=total, unit=total_unit, change="level", baseline_year=None,
                               outcomes=tuple(sorted(kept, key=lambda o: o.region.name))))
    return sums


# --------------------------------------------------------------------------- series


class _Series:
    """One metric in one place year by year: levels in one unit, and changes between years.

    Levels can be rebuilt from a known level and the changes after it, and
    changes since a year from levels or from a chain of reported changes.
    """

    def __init__(self, unit: str | None, figures: Iterable[Figure], base_year: int | None = None,
                 base_value: float | None = None):
        self.unit = unit
        self.levels: dict[int, tuple[float, Figure | None]] = {}
        self.changes: dict[int, list[tuple[str, float, Figure]]] = {}
        if base_year is not None and base_value is not None:
            self.levels[base_year] = (base_value, None)
        for figure in figures:
            if figure.value is None:
                continue
            if figure.change == "level":
                value = _convert(figure.value, figure.unit, unit)
                if value is not None and figure.year not in self.levels:
                    self.levels[figure.year] = (value, figure)
                continue
            mode = _change_mode(figure.unit)
            if mode == "pp" and unit != "%":
                continue  # percentage points change a share, nothing else
            signed = figure.signed if mode != "abs" else _convert(figure.signed, figure.unit, unit)
            if signed is not None and figure.since < figure.year:
                self.changes.setdefault(figure.year, []).append((mode, signed, figure))

    def years(self) -> list[int]:
        return sorted({y for y, (_, f) in self.levels.items() if f is not None} | set(self.changes), reverse=True)

    def level(self, year: int, depth: int = 0) -> float | None:
        if year in self.levels:
            return self.levels[year][0]
        if depth > 200:
            return None
        for mode, signed, figure in self.changes.get(year, ()):
            prior = self.level(figure.since, depth + 1)
            if prior is None:
                continue
            return prior * (1 + signed / 100) if mode == "rel" else prior + signed
        return None

    def ratio(self, since: int, year: int, depth: int = 0) -> float | None:
        """Level in `year` over level in `since`."""
        if year == since:
            return 1.0
        now, then = self.level(year), self.level(since)
        if now is not None and then:
            return now / then
        if depth > 200:
            return None
        for mode, signed, figure in self.changes.get(year, ()):
            if mode == "rel" and since <= figure.since < year:
                prior = self.ratio(since, figure.since, depth + 1)
                if prior is not None:
                    return prior * (1 + signed / 100)
        return None

    def delta(self, since: int, year: int, mode: str, depth: int = 0) -> float | None:
        """Level in `year` minus level in `since`, in the series unit (pp for shares)."""
        if year == since:
            return 0.0
        now, then = self.level(year), self.level(since)
        if now is not None and then is not None:
            return now - then
        if depth > 200:
            return None
        for change_mode, signed, figure in self.changes.get(year, ()):
            if change_mode == mode and since <= figure.since < year:
                prior = self.delta(since, figure.since, mode, depth + 1)
                if prior is not None:
                    return prior + signed
        return None

    def figure(self, year: int) -> Figure | None:
        """The reported figure behind a year's value: its level if reported, else a change."""
        if year in self.levels and self.levels[year][1] is not None:
            return self.levels[year][1]
        changes = self.changes.get(year)
        return changes[0][2] if changes else None


def _change_mode(unit: str | None) -> str:
    """How a change figure moves a level: rel (a percent of it), pp (points of a share), abs (an amount)."""
    if unit == "%":
        return "rel"
    if unit == "pp":
        return "pp"
    return "abs"


# --------------------------------------------------------------------------- progress


@dataclass(frozen=True)
class Baseline:
    value: float | None
    unit: str | None
    year: int | None
    origin: str  # "registry", "outcome", or "implied" (the year before a one-year change)

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "unit": self.unit, "year": self.year, "origin": self.origin,
                "display": self.display()}

    def display(self) -> str:
        if self.value is None:
            return str(self.year) if self.year is not None else ""
        shown = _display(self.value, self.unit)
        return f"{shown} ({self.year})" if self.year is not None else shown


@dataclass(frozen=True)
class Progress:
    """Where one target stands as of a year."""

    target: Entry
    as_of: int
    status: str
    progress: float | None = None
    expected_progress: float | None = None
    baseline: Baseline | None = None
    latest: Figure | None = None
    measured: float | None = None  # the latest figure in the target's terms: a level, or the change since the baseline
    measured_unit: str | None = None
    notes: tuple[str, ...] = field(default=())

    def target_text(self) -> str:
        return target_text(self.target)

    def to_dict(self) -> dict[str, Any]:
        target = self.target
        value, unit = _amount(target)
        return {
            "id": target.id,
            "region": target.region.to_dict(),
            "metric": target.metric,
            "description": target.description,
            "target": {
                "value": value,
                "value_max": target.normalized.value_max if target.normalized else None,
                "unit": unit,
                "comparator": target.comparator,
                "change": target.change,
                "year": target.year,
                "milestone": target.is_milestone,
                "display": self.target_text(),
                "quantity": target.quantity,
            },
            "deadline": target.year,
            "baseline": self.baseline.to_dict() if self.baseline else None,
            "latest": self.latest.to_dict() if self.latest else None,
            "measured": None if self.measured is None else {
                "value": self.measured, "unit": self.measured_unit,
                "display": _measured_text(self.measured, self.measured_unit, target)},
            "progress": _round(self.progress),
            "expected_progress": _round(self.expected_progress),
            "status": self.status,
            "as_of": self.as_of,
            "notes": list(self.notes),
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def target_text(target: Entry) -> str:
    """The target as a reader wants it: "≥ 50 GW", "−4.2% from 2020", "milestone"."""
    if target.is_milestone:
        return "milestone"
    value, unit = _amount(target)
    if value is None:
        return target.quantity or ""
    symbol = {"=": "", ">=": "\u2265 ", "<=": "\u2264 ", "~": "\u2248 "}.get(target.comparator, "")
    if target.change != "level":
        signed = -value if target.change == "decrease" else value
        return symbol + _change_text(signed, unit, _base_year(target), target.year)
    value_max = target.normalized.value_max if target.normalized else None
    return symbol + _display(value, unit, value_max)


def _measured_text(measured: float, unit: str | None, target: Entry) -> str:
    if target.change == "level":
        return _display(measured, unit)
    return _change_text(measured, unit, _base_year(target), target.year)


def _base_year(target: Entry) -> int | None:
    """A change target's baseline year; a one-year change without one is measured from the year before."""
    if target.baseline_year is not None:
        return target.baseline_year
    if target.change != "level" and target.year is not None:
        return target.year - 1
    return None


def expected(base_year: int | None, deadline: int | None, as_of: int) -> float | None:
    """Share of the way from baseline year to deadline that a straight line covers by `as_of` (0..1)."""
    if base_year is None or deadline is None or deadline <= base_year:
        return None
    return min(1.0, max(0.0, (as_of - base_year) / (deadline - base_year)))


def assess(target: Entry, outcomes: Sequence[Entry], as_of: int) -> Progress:
    """Where `target` stands as of `as_of`, from the outcomes reported up to that year."""
    known = [o for o in outcomes if o.kind == "outcome" and o.year is not None and o.year <= as_of]
    linked = link(target, known)
    if target.is_milestone:
        return _assess_milestone(target, linked, as_of)
    return _assess_figure(target, linked, known, as_of)


def _assess_milestone(target: Entry, linked: list[Entry], as_of: int) -> Progress:
    reached = [o for o in linked if o.value is None and (o.normalized is None or o.normalized.value is None)]
    if reached:
        figure = _figure(reached[0])
        return Progress(target, as_of, "achieved", progress=1.0, latest=figure)
    if target.year is not None and as_of <= target.year:
        return Progress(target, as_of, "pending")
    return Progress(target, as_of, "no data", notes=("no outcome says the milestone was reached",))


def _assess_figure(target: Entry, linked: list[Entry], known: list[Entry], as_of: int) -> Progress:
    goal_value, goal_unit = _amount(target)
    if goal_value is None:
        return Progress(target, as_of, "no data", notes=(f"the target's figure {target.quantity!r} has no known unit",))
    notes: list[str] = []
    figures = [f for f in (_figure(o) for o in linked) if f is not None and f.value is not None]
    if not figures:
        figures = children_sums(target.region, target.metric, known)
        if figures:
            places = ", ".join(o.region.name for o in figures[0].outcomes)
            notes.append(f"figures summed over the places within {target.region.name} that report: {places}")
    if target.change == "level":
        mode = "level"
        series_unit = goal_unit
    else:
        mode = _change_mode(goal_unit)
        series_unit = "%" if mode == "pp" else (goal_unit if mode == "abs" else None)

    base_year = _base_year(target)
    base_value = None
    registry_base = None
    if target.baseline_value is not None and target.baseline_unit is not None:
        base_norm = _normalize(target.baseline_value, target.baseline_unit)
        if base_norm is not None:
            registry_base = base_norm
            series_unit = series_unit or base_norm[1]
    if series_unit is None:  # a relative change: levels in whichever unit the latest level is
        series_unit = next((f.unit for f in figures if f.change == "level"), None)
    if registry_base is not None:
        base_value = _convert(registry_base[0], registry_base[1], series_unit)
        if base_value is None:
            notes.append(f"baseline {target.baseline_quantity} does not convert to {series_unit}")

    series = _Series(series_unit, figures, base_year if base_value is not None else None, base_value)
    unused = [f for f in figures if not _usable(f, series)]
    if unused:
        units_seen = sorted({f.unit or "?" for f in unused})
        notes.append(f"{len(unused)} linked figure{'s' if len(unused) > 1 else ''} in units that do not "
                     f"convert ({', '.join(units_seen)}) left out")

    baseline = None
    start: float | None = None
    if mode == "level":
        if base_year is None and base_value is not None:
            baseline = Baseline(base_value, series_unit, None, "registry")
            start = base_value
        elif base_year is not None:
            level = series.level(base_year)
            if level is not None:
                origin = "registry" if base_value is not None else "outcome"
                baseline = Baseline(level, series_unit, base_year, origin)
                start = level
            else:
                baseline = Baseline(None, None, base_year, "registry")
    else:
        start = 0.0
        level = series.level(base_year) if base_year is not None else None
        origin = "registry" if target.baseline_year is not None else "implied"
        if base_value is not None:
            origin = "registry"
        elif level is not None:
            origin = "outcome"
        baseline = Baseline(level, series_unit if level is not None else None, base_year, origin)
        if base_year is None:
            notes.append("a change target needs a baseline year")
            return Progress(target, as_of, "no data", baseline=baseline, notes=tuple(notes))

    measured = latest = None
    for year in series.years():
        if base_year is not None and year <= base_year and mode != "level":
            break
        if mode == "level":
            value = series.level(year)
        elif mode == "rel":
            ratio = series.ratio(base_year, year)
            value = None if ratio is None else (ratio - 1) * 100
        else:
            value = series.delta(base_year, year, mode)
        if value is not None:
            measured, latest = value, series.figure(year)
            break
    if measured is None:
        if not figures:
            notes.append(f"no outcome for {target.region.name} and {target.metric} up to {as_of}")
        elif not unused:
            notes.append("the linked figures cannot be set against the target (no level for the baseline year)")
        return Progress(target, as_of, "no data", baseline=baseline, notes=tuple(notes))

    goal = goal_value if mode == "level" else (-goal_value if target.change == "decrease" else goal_value)
    direction = _direction(target, goal, start, series, mode)
    progress = _progress(measured, goal, start, direction)
    achieved = _achieved(measured, goal, start, direction, target.comparator)
    if progress is None and achieved:
        progress = 1.0
    expected_progress = expected(base_year, target.year, as_of) if start is not None else None
    if achieved:
        status = "achieved"
    elif target.year is not None and as_of > target.year:
        status = "overdue"
    elif expected_progress is not None and progress is not None and progress < expected_progress - _EPSILON:
        status = "behind"
    else:
        status = "on track"
        if expected_progress is None:
            notes.append("no baseline, so the pace is not judged")
    return Progress(target, as_of, status, progress=progress, expected_progress=expected_progress,
                    baseline=baseline, latest=latest, measured=measured,
                    measured_unit=series_unit if mode == "level" else goal_unit, notes=tuple(notes))


def _normalize(value: float, unit: str) -> tuple[float, str] | None:
    from targettrack import units
    from targettrack.errors import UnitError

    try:
        norm = units.normalize(value, unit)
    except UnitError:
        return None
    return (norm.value, norm.unit) if norm.value is not None else None


def _usable(figure: Figure, series: _Series) -> bool:
    if figure.change == "level":
        return series.unit is None or _convert(figure.value, figure.unit, series.unit) is not None
    return any(f is figure for changes in series.changes.values() for _, _, f in changes)


def _direction(target: Entry, goal: float, start: float | None, series: _Series, mode: str) -> int:
    """+1 when the target wants the figure to rise, -1 when to fall."""
    if mode == "level":
        if target.comparator == ">=":
            return 1
        if target.comparator == "<=":
            return -1
        reference = start
        if reference is None:  # infer from the earliest level known
            earliest = min((y for y, (_, f) in series.levels.items()), default=None)
            reference = series.levels[earliest][0] if earliest is not None else None
        return -1 if reference is not None and goal < reference else 1
    sign = 1 if goal >= 0 else -1
    # "growth within 3%" caps a change; every other change target asks for at least that much
    return -sign if target.comparator == "<=" else sign


def _progress(measured: float, goal: float, start: float | None, direction: int) -> float | None:
    if start is not None and (goal - start) * direction > 0:
        return (measured - start) / (goal - start)
    if direction > 0 and goal > 0:
        return measured / goal
    if direction < 0 and measured > 0 and goal > 0:
        return goal / measured
    return None


def _achieved(measured: float, goal: float, start: float | None, direction: int, comparator: str) -> bool:
    slack = APPROXIMATE * abs(goal) if comparator == "~" else 0.0
    slack += _EPSILON * max(1.0, abs(goal))
    return (measured - goal) * direction >= -slack


def progress(entries: Iterable[Entry], *, as_of: int | None = None) -> list[Progress]:
    """Every target's progress as of `as_of` (default: this year), in the order given."""
    if as_of is None:
        from datetime import date

        as_of = date.today().year
    entries = list(entries)
    # a target only looks at outcomes naming it, of its metric and place, or of places within it
    by_place: dict[tuple[str, str], list[Entry]] = {}
    by_target: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.kind != "outcome":
            continue
        by_place.setdefault((entry.metric, entry.region.name.casefold()), []).append(entry)
        for name in _ancestor_names(entry.region):
            by_place.setdefault((entry.metric, name), []).append(entry)
        if entry.target:
            by_target.setdefault(entry.target, []).append(entry)
    results = []
    for target in (e for e in entries if e.kind == "target"):
        nearby = by_place.get((target.metric, target.region.name.casefold()), [])
        named = [o for o in by_target.get(target.id, ()) if not any(o is n for n in nearby)]
        results.append(assess(target, nearby + named, as_of))
    return results


def status_counts(results: Iterable[Progress | dict]) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    for result in results:
        status = result["status"] if isinstance(result, dict) else result.status
        counts[status] = counts.get(status, 0) + 1
    return {k: v for k, v in counts.items() if v}


# --------------------------------------------------------------------------- comparison


@dataclass(frozen=True)
class RowUnit:
    """The one unit every level in a row is shown in: value_in_display = normalized / factor."""

    canonical: str | None
    label: str
    factor: float


def row_unit(canonical: str | None, values: Sequence[float]) -> RowUnit:
    if canonical is None:
        return RowUnit(None, "", 1.0)
    from targettrack import units
    from targettrack.errors import UnitError

    try:
        shown = units.display_unit(canonical, [abs(v) for v in values])
    except (UnitError, ValueError):
        return RowUnit(canonical, canonical, 1.0)
    return RowUnit(canonical, shown.label, shown.factor)


@dataclass(frozen=True)
class Cell:
    """One region's figures for one metric: the target shown, how many there are, the latest outcome."""

    region: Region
    target: Entry | None = None
    targets: int = 0
    outcome: Figure | None = None

    @property
    def empty(self) -> bool:
        return self.target is None and self.outcome is None


def _in_unit(value: float | None, unit: str | None, shown: RowUnit) -> float | None:
    if value is None or shown.canonical is None:
        return None
    converted = _convert(value, unit, shown.canonical)
    return None if converted is None else converted / shown.factor


def _labelled(amount: str, label: str) -> str:
    return f"{amount}{label}" if label == "%" else f"{amount} {label}".rstrip()


def _cell_target(target: Entry | None, count: int, shown: RowUnit) -> dict[str, Any] | None:
    if target is None:
        return None
    value, unit = _amount(target)
    value_max = target.normalized.value_max if target.normalized else None
    level = target.change == "level" and value is not None
    in_row = _in_unit(value, unit, shown) if level else None
    if target.is_milestone:
        text = f"milestone by {target.year}"
    elif in_row is not None:
        symbol = {"=": "", ">=": "\u2265 ", "<=": "\u2264 ", "~": "\u2248 "}.get(target.comparator, "")
        top = _in_unit(value_max, unit, shown)
        amount = _number(in_row) + (f"\u2013{_number(top)}" if top is not None else "")
        text = f"{symbol}{_labelled(amount, shown.label)} by {target.year}"
    else:
        text = f"{target_text(target)} by {target.year}"
    return {
        "id": target.id,
        # in the row's unit when it converts, else as normalized (a change, or a unit of its own)
        "value": in_row if in_row is not None else value,
        "value_max": _in_unit(value_max, unit, shown) if in_row is not None else value_max,
        "unit": shown.label if in_row is not None else unit,
        "normalized": {"value": value, "value_max": value_max, "unit": unit},
        "comparator": target.comparator,
        "change": target.change,
        "baseline_year": target.baseline_year,
        "year": target.year,
        "milestone": target.is_milestone,
        "in_row_unit": in_row is not None or not level,
        "more": max(0, count - 1),
        "display": text,
    }


def _cell_outcome(figure: Figure | None, shown: RowUnit) -> dict[str, Any] | None:
    if figure is None:
        return None
    level = figure.change == "level" and figure.value is not None
    in_row = _in_unit(figure.value, figure.unit, shown) if level else None
    if in_row is not None:
        text = f"{_labelled(_number(in_row), shown.label)} in {figure.year}"
    else:
        text = f"{figure.display()} in {figure.year}"
    data = figure.to_dict()
    data.update({
        "value": in_row if in_row is not None else figure.value,
        "unit": shown.label if in_row is not None else figure.unit,
        "normalized": {"value": figure.value, "unit": figure.unit},
        "in_row_unit": in_row is not None or not level,
        "display": text,
    })
    return data


@dataclass(frozen=True)
class ComparisonRow:
    metric: str
    label: str
    unit: RowUnit
    cells: tuple[Cell, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "label": self.label,
            "unit": self.unit.label or None,
            "canonical_unit": self.unit.canonical,
            "factor": self.unit.factor,
            "cells": {c.region.name: None if c.empty else {
                "target": _cell_target(c.target, c.targets, self.unit),
                "outcome": _cell_outcome(c.outcome, self.unit),
            } for c in self.cells},
        }


@dataclass(frozen=True)
class Comparison:
    regions: tuple[Region, ...]
    rows: tuple[ComparisonRow, ...]

    @property
    def empty_regions(self) -> list[Region]:
        return [r for i, r in enumerate(self.regions) if all(row.cells[i].empty for row in self.rows)]

    def to_dict(self) -> dict[str, Any]:
        return {"regions": [r.to_dict() for r in self.regions], "rows": [row.to_dict() for row in self.rows],
                "empty_regions": [r.name for r in self.empty_regions]}


def _label(metric: str) -> str:
    from targettrack import metrics

    known = metrics.get(metric)
    return known.label if known and getattr(known, "label", None) else metric.replace("_", " ")


def _dominant_unit(cells: Iterable[Cell]) -> tuple[str | None, list[float]]:
    """The canonical unit most levels of a row are in, and those levels."""
    levels: list[tuple[float, str]] = []
    for cell in cells:
        if cell.target is not None and cell.target.change == "level":
            value, unit = _amount(cell.target)
            if value is not None:
                levels.append((value, unit))
                if cell.target.normalized and cell.target.normalized.value_max is not None:
                    levels.append((cell.target.normalized.value_max, unit))
        if cell.outcome is not None and cell.outcome.change == "level" and cell.outcome.value is not None:
            levels.append((cell.outcome.value, cell.outcome.unit))
    if not levels:
        return None, []
    counts: dict[str, int] = {}
    for _, unit in levels:
        counts[unit] = counts.get(unit, 0) + 1
    canonical = max(counts, key=lambda u: (counts[u], -list(counts).index(u)))
    values = [v for v in (_convert(value, unit, canonical) for value, unit in levels) if v is not None]
    return canonical, values


def _frame(entries: Iterable[Entry], columns: Sequence[Region]):
    """One line per entry placed in a column: metric, column, kind, year, and the entry itself."""
    import pandas as pd

    lines = []
    for entry in entries:
        column = next((r.name for r in columns if same_region(entry.region, r)), None)
        if column is None:
            continue
        lines.append({"metric": entry.metric, "region": column, "kind": entry.kind,
                      "year": entry.year if entry.year is not None else -1,
                      "level": entry.change == "level", "entry": entry})
    frame = pd.DataFrame(lines, columns=["metric", "region", "kind", "year", "level", "entry"])
    # latest deadline or latest figure first; at the same year a level before a change
    return frame.sort_values(["year", "level"], ascending=[False, False], kind="stable")


def compare(entries: Iterable[Entry], regions: Sequence[Region], *, metrics: Sequence[str] = (),
            kind: str | None = None, year: int | None = None) -> Comparison:
    """Metrics as rows, `regions` as columns: each cell the latest target and the latest outcome.

    The target shown is the one with the latest deadline (the others are
    counted); the outcome is the latest reported figure. Every level in a row
    is shown in one display unit. A region with nothing appears as an empty column.
    """
    selected = [e for e in entries if (not metrics or e.metric in metrics) and (kind is None or e.kind == kind)
                and (year is None or e.year == year)]
    frame = _frame(selected, regions)
    names = [r.name for r in regions]
    latest = frame.drop_duplicates(["metric", "region", "kind"], keep="first")
    table = latest.pivot(index="metric", columns=["kind", "region"], values="entry")
    counts = frame[frame["kind"] == "target"].groupby(["metric", "region"]).size()
    order = list(metrics) if metrics else sorted(table.index)
    rows = []
    for metric in order:
        if metric not in table.index:
            continue
        cells = []
        for region, name in zip(regions, names):
            target = _pick(table, metric, "target", name)
            outcome = _pick(table, metric, "outcome", name)
            count = int(counts.get((metric, name), 0)) if len(counts) else 0
            cells.append(Cell(region, target, count, _figure(outcome) if outcome is not None else None))
        canonical, values = _dominant_unit(cells)
        rows.append(ComparisonRow(metric, _label(metric), row_unit(canonical, values), tuple(cells)))
    return Comparison(tuple(regions), tuple(rows))


def _pick(table, metric: str, kind: str, region: str) -> Entry | None:
    try:
        value = table.loc[metric, (kind, region)]
    except KeyError:
        return None
    return value if isinstance(value, Entry) else None


@dataclass(frozen=True)
class Ranked:
    """One region's standing on one metric: its latest target, latest outcome, and progress."""

    rank: int
    cell: Cell
    progress: Progress | None


@dataclass(frozen=True)
class Ranking:
    metric: str
    label: str
    unit: RowUnit
    places: tuple[Ranked, ...]

    def items(self) -> list[dict[str, Any]]:
        return [{
            "rank": p.rank,
            "region": p.cell.region.to_dict(),
            "metric": self.metric,
            "unit": self.unit.label or None,
            "target": _cell_target(p.cell.target, p.cell.targets, self.unit),
            "outcome": _cell_outcome(p.cell.outcome, self.unit),
            "progress": _round(p.progress.progress) if p.progress else None,
            "expected_progress": _round(p.progress.expected_progress) if p.progress else None,
            "status": p.progress.status if p.progress else None,
        } for p in self.places]


def rank(entries: Iterable[Entry], metric: str, *, regions: Sequence[Region] = (), kind: str | None = None,
         year: int | None = None, as_of: int | None = None) -> Ranking:
    """Every region with figures for `metric`, best first.

    Regions with a target are ranked by progress toward it (as of `as_of`),
    then the rest by their latest figure, largest first.
    """
    if as_of is None:
        from datetime import date

        as_of = date.today().year
    entries = list(entries)
    places: list[Region] = []
    for entry in entries:
        if entry.metric != metric or any(same_region(entry.region, p) for p in places):
            continue
        if regions and not any(same_region(entry.region, r) or _within(entry.region, r) for r in regions):
            continue
        places.append(entry.region)
    comparison = compare(entries, places, metrics=[metric], kind=kind, year=year)
    if not comparison.rows:
        return Ranking(metric, _label(metric), row_unit(None, []), ())
    row = comparison.rows[0]
    targets = [cell.target for cell in row.cells if cell.target is not None]
    assessed = progress([*targets, *(e for e in entries if e.kind == "outcome")], as_of=as_of)
    results = {id(t): r for t, r in zip(targets, assessed)}
    standings = []
    for cell in row.cells:
        if cell.empty:
            continue
        result = results.get(id(cell.target)) if cell.target is not None else None
        figure = cell.outcome
        level = _in_unit(figure.value, figure.unit, row.unit) if figure and figure.change == "level" else None
        has_progress = result is not None and result.progress is not None
        key = (not has_progress, -(result.progress if has_progress else 0.0),
               level is None, -(level or 0.0), cell.region.name)
        standings.append((key, cell, result))
    standings.sort(key=lambda s: s[0])
    ranked = tuple(Ranked(n, cell, result) for n, (_, cell, result) in enumerate(standings, 1))
    return Ranking(metric, row.label, row.unit, ranked)
