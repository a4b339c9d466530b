"""Units: the one pint registry, unit spellings, quantity parsing, normalization and display units."""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

from targettrack.errors import UnitError
from targettrack.models import Normalized
from targettrack.numbers import parse_amount

if TYPE_CHECKING:  # pint is imported only by the functions that need it
    import pint

_PHRASES_FILE = "unit_phrases.tsv"
_DEFINITIONS_FILE = "units.txt"

# The canonical unit of each dimension (ANNOTATION.md), as (label, pint unit). Money is not
# listed: every currency is its own dimension and its canonical label is its ISO 4217 code.
_CANONICAL_UNITS: tuple[tuple[str, str], ...] = (
    ("kW", "kilowatt"),
    ("kWh", "kilowatt_hour"),
    ("tCO2", "tonne_CO2"),
    ("tCO2e", "tonne_CO2e"),
    ("tce", "tonne_coal_equivalent"),
    ("t", "tonne"),
    ("m3", "cubic_meter"),
    ("m2", "square_meter"),
    ("m", "meter"),
    ("ug/m3", "microgram_per_cubic_meter"),
    ("%", "percent"),
    ("pp", "percentage_point"),
    ("count", "count"),
    ("times", "times"),
)
_CANONICAL_PINT = dict(_CANONICAL_UNITS)

# Words that state a multiple without a number: "double the 2020 level".
_MULTIPLE_WORDS = {
    "double": 2.0, "doubled": 2.0, "twice": 2.0, "twofold": 2.0, "triple": 3.0, "tripled": 3.0,
    "treble": 3.0, "threefold": 3.0, "quadruple": 4.0, "quadrupled": 4.0, "fourfold": 4.0,
}

# A rate per year keeps the unit of its quantity (ANNOTATION.md): "860,300 t CO2 per year" is tCO2,
# and "kWh per year" must not become a power.
_PER_YEAR = re.compile(
    r"\s*(?:(?:per|a|each|every)\s+(?:year|annum)|annually|yearly|/\s*(?:year|yr|a))\s*\Z", re.IGNORECASE
)
_RANGE_SEPARATOR = re.compile(r"\s*(?:-|–|—|~|to\b)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedQuantity:
    """A quantity as written ("50 million kW"): value(s) with multipliers applied and a pint unit name."""

    value: float
    value_max: float | None
    unit: str
    text: str


@dataclass(frozen=True)
class DisplayUnit:
    """A unit to show a row of figures in: `label` ("GW") and `factor` (value_in_display = value / factor)."""

    label: str
    factor: float


# ---------------------------------------------------------------------------------------------
# Spellings (no pint)


@functools.cache
def unit_phrases() -> list[tuple[str, str]]:
    """Every unit spelling of data/unit_phrases.tsv as (phrase, pint unit name), longest phrase first."""
    table = _phrase_table()
    return sorted(table.items(), key=lambda item: (-len(item[0]), item[0]))


@functools.cache
def _phrase_table() -> dict[str, str]:
    source = resources.files("targettrack").joinpath("data", _PHRASES_FILE)
    return read_phrases(source.read_text(encoding="utf-8"), where=str(source))


def read_phrases(text: str, *, where: str) -> dict[str, str]:
    """Parse unit spellings, one `phrase<TAB>pint unit` a line; `where` names the file in errors."""
    table: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        columns = line.split("\t")
        if len(columns) != 2 or not columns[0].strip() or not columns[1].strip():
            raise UnitError("a unit spelling line needs a phrase and a pint unit separated by one tab",
                            where=f"{where}:{number}", hint="write it as: kilowatts<TAB>kilowatt")
        phrase, unit = _phrase_key(columns[0]), columns[1].strip()
        if table.get(phrase, unit) != unit:
            raise UnitError(f"'{phrase}' is spelled for both {table[phrase]} and {unit}",
                            where=f"{where}:{number}", hint="keep one line for each spelling")
        table[phrase] = unit
    return table


def _phrase_key(phrase: str) -> str:
    return " ".join(phrase.lower().split())


# ---------------------------------------------------------------------------------------------
# The registry


@functools.cache
def registry() -> pint.UnitRegistry:
    """The application's pint registry: pint's defaults plus data/units.txt, built once per process."""
    import pint

    definitions = resources.files("targettrack").joinpath("data", _DEFINITIONS_FILE)
    try:
        # The cache holds parsed definition files (ours included), which cuts creation from ~0.45 s to ~0.05 s.
        ureg = pint.UnitRegistry(cache_folder=":auto:", on_redefinition="ignore")
    except OSError:  # no writable cache directory: slower, same result
        ureg = pint.UnitRegistry(on_redefinition="ignore")
    with resources.as_file(definitions) as path:
        ureg.load_definitions(path)
    ureg.enable_contexts("coal_equivalent")
    return ureg


# ---------------------------------------------------------------------------------------------
# Parsing


@functools.cache
def parse_unit(phrase: str) -> str:
    """A unit spelling ("kilowatts", "t CO2") or pint expression ("kW/m**2") as a pint unit name."""
    key = _phrase_key(_PER_YEAR.sub("", phrase))
    table = _phrase_table()
    if key in table:
        return table[key]
    if not key:
        raise UnitError("no unit given", hint="write a unit such as kW, t CO2, yuan or %")
    ureg = registry()
    try:
        unit = ureg.parse_units(" ".join(_PER_YEAR.sub("", phrase).split()))
    except Exception:  # pint's parser raises many kinds; all of them mean "not a unit"
        raise _unknown_unit(phrase) from None
    return str(unit)


def _unknown_unit(phrase: str, text: str | None = None) -> UnitError:
    import difflib

    known = list(_phrase_table()) + [label.lower() for label, _ in _CANONICAL_UNITS]
    close = difflib.get_close_matches(_phrase_key(phrase), known, n=4, cutoff=0.5)
    where = f" in '{text}'" if text is not None and text.strip() != phrase.strip() else ""
    suggestion = f"closest known spellings: {', '.join(close)}; " if close else ""
    return UnitError(f"unknown unit '{phrase.strip()}'{where}",
                     hint=f"{suggestion}a spelling is added as a line in targettrack/data/{_PHRASES_FILE}")


def parse_quantity(text: str) -> ParsedQuantity:
    """A quantity as people write it: "50 million kW", "13.2%", "20000-26000 square meters", "35"."""
    stripped = text.strip()
    if stripped.lower() in _MULTIPLE_WORDS:
        return ParsedQuantity(_MULTIPLE_WORDS[stripped.lower()], None, "times", text)
    prefix_unit, body = _currency_prefix(stripped)
    try:
        value, value_max, rest = parse_amount(body)
    except ValueError:
        raise UnitError(f"no number in '{text}'", hint="write the number before the unit, e.g. '50 million kW'") \
            from None
    if rest.startswith("-") and rest[1:2].isalpha():  # "2-fold", "5-kilowatt"
        rest = rest[1:]
    if prefix_unit is not None:
        if rest and not _PER_YEAR.fullmatch(" " + rest):
            raise UnitError(f"unexpected '{rest}' after the amount in '{text}'",
                            hint="write the currency once, e.g. '$5 billion' or '5 billion dollars'")
        return ParsedQuantity(value, value_max, prefix_unit, text)
    if not rest:
        return ParsedQuantity(value, value_max, "count", text)
    try:
        return ParsedQuantity(value, value_max, parse_unit(rest), text)
    except UnitError as error:
        ranged = _repeated_unit_range(value, rest)
        if ranged is None or value_max is not None:
            raise _unknown_unit(rest, text) if error.message.startswith("unknown unit") else error from None
        return ParsedQuantity(value, ranged[0], ranged[1], text)


def _currency_prefix(text: str) -> tuple[str | None, str]:
    """A currency written before the amount ("$5 billion", "RMB 3 million"): (pint unit, the rest)."""
    if not text or text[0].isdigit():
        return None, text
    lowered = text.lower()
    for phrase, unit in unit_phrases():
        if lowered.startswith(phrase) and _is_currency(unit):
            rest = text[len(phrase):].lstrip()
            if rest[:1].isdigit():
                return unit, rest
    return None, text


def _repeated_unit_range(value: float, rest: str) -> tuple[float, str] | None:
    """The upper end and unit of "40% to 45%", where the unit is written at both ends."""
    lowered = rest.lower()
    for phrase, unit in unit_phrases():
        if not lowered.startswith(phrase):
            continue
        after = rest[len(phrase):]
        if phrase[-1].isalnum() and after[:1].isalnum():
            continue
        separator = _RANGE_SEPARATOR.match(after)
        if not separator:
            return None
        try:
            upper, upper_max, upper_rest = parse_amount(after[separator.end():])
            upper_unit = parse_unit(upper_rest)
        except (ValueError, UnitError):
            return None
        if upper_max is None and upper >= value and upper_unit == unit:
            return upper, unit
        return None
    return None


# ---------------------------------------------------------------------------------------------
# Dimensions, normalization and conversion


@functools.cache
def _is_currency(unit: str) -> bool:
    return _currency_code(unit) is not None


@functools.cache
def _currency_code(unit: str) -> str | None:
    ureg = registry()
    dimensions = dict(ureg.parse_units(unit).dimensionality)
    if len(dimensions) == 1:
        (name, power), = dimensions.items()
        if power == 1 and name.startswith("[currency_"):
            return name[len("[currency_"):-1]
    return None


@functools.cache
def _canonical_by_dimensionality() -> dict[object, str]:
    ureg = registry()
    return {ureg.parse_units(pint_unit).dimensionality: label for label, pint_unit in _CANONICAL_UNITS}


@functools.cache
def canonical_unit(unit: str) -> str:
    """The canonical unit of `unit`'s dimension: kW, kWh, tCO2, tCO2e, tce, t, CNY, m3, m2, %, pp, ..."""
    pint_name = parse_unit(unit)
    code = _currency_code(pint_name)
    if code is not None:
        return code
    ureg = registry()
    parsed = ureg.parse_units(pint_name)
    label = _canonical_by_dimensionality().get(parsed.dimensionality)
    if label is not None:
        return label
    return str(ureg.Quantity(1, parsed).to_base_units().units)


@functools.cache
def _factor(unit: str) -> tuple[float, float, str]:
    """(scale, offset, canonical): value in the canonical unit = value * scale + offset.

    Factors pint worked out are kept in a small cache file, so extraction in a new process
    does not import pint at all for the units it has seen before.
    """
    table, key = _factor_table()
    known = table.get(unit)
    if known is not None:
        return known[0], known[1], known[2]
    canonical = canonical_unit(unit)
    scale, offset = _pair_factor(unit, canonical)
    table[unit] = [scale, offset, canonical]
    if key is not None:
        from targettrack import cache

        cache.write(*key, table)
    return scale, offset, canonical


@functools.cache
def _factor_table() -> tuple[dict[str, list], tuple[str, str] | None]:
    """The cached factors, and the cache's file name and stamp (None when they cannot be known)."""
    from importlib import metadata
    from pathlib import Path

    from targettrack import cache

    try:
        data = Path(__file__).parent / "data"
        stamp = "|".join([f"pint={metadata.version('pint')}",
                          cache.file_stamp(data / "units.txt", data / "unit_phrases.tsv", Path(__file__))])
    except (OSError, metadata.PackageNotFoundError):
        return {}, None
    # One file per installed copy of the package: two installs sharing the cache folder keep their own.
    key = cache.file_name("unit-factors", Path(__file__).parent), stamp
    table = cache.read(*key)
    return (table if isinstance(table, dict) else {}), key


@functools.cache
def _pair_factor(unit: str, to_unit: str) -> tuple[float, float]:
    ureg = registry()
    source = ureg.parse_units(parse_unit(unit))
    target = ureg.parse_units(_CANONICAL_PINT.get(to_unit) or parse_unit(to_unit))
    try:
        zero = ureg.Quantity(0.0, source).to(target).magnitude
        one = ureg.Quantity(1.0, source).to(target).magnitude
    except Exception:  # pint's DimensionalityError, or a context that cannot apply
        raise UnitError(f"cannot convert {unit} to {to_unit}",
                        hint=f"{_measured_as(unit)} and {_measured_as(to_unit)} measure different things") from None
    return one - zero, zero


def _measured_as(unit: str) -> str:
    canonical = canonical_unit(unit)
    return unit if canonical == unit else f"{unit} ({canonical})"


def normalize(value: float | None, unit: str | None, value_max: float | None = None) -> Normalized:
    """The value (and range end) in the canonical unit of its dimension; a bare number is a count."""
    if unit is None:
        if value is None and value_max is None:
            return Normalized(None, None, None)
        unit = "count"
    scale, offset, canonical = _factor(unit)
    if scale == 1.0 and offset == 0.0:
        return Normalized(value, value_max, canonical)
    return Normalized(
        None if value is None else _tidy(value * scale + offset),
        None if value_max is None else _tidy(value_max * scale + offset),
        canonical,
    )


def _tidy(number: float) -> float:
    # 1e6 * 0.001 is 1000.0000000000001: twelve significant digits keep every figure a text can state.
    if type(number) is float and number.is_integer() and -1e12 < number < 1e12:
        return number  # twelve digits at most: formatting would give it back unchanged, at a tenth of the cost
    return float(f"{number:.12g}")


def convert(value: float, unit: str, to_unit: str) -> float:
    """`value` in `unit` expressed in `to_unit`; UnitError when the two do not convert."""
    scale, offset = _pair_factor(unit, to_unit)
    return _tidy(value * scale + offset)


def compatible(unit_a: str, unit_b: str) -> bool:
    """Whether a value in `unit_a` converts to `unit_b` (UnitError when either is not a unit)."""
    parse_unit(unit_a)
    parse_unit(unit_b)
    try:
        _pair_factor(unit_a, unit_b)
    except UnitError:
        return False
    return True


# ---------------------------------------------------------------------------------------------
# Display

_WORD_SCALES = ((1e12, 1e12, "trillion"), (1e9, 1e9, "billion"), (1e6, 1e6, "million"))
# (from, factor, label), largest first: the first row whose `from` the largest value reaches is used.
_DISPLAY_SCALES: dict[str, tuple[tuple[float, float, str], ...]] = {
    "kW": ((1e6, 1e6, "GW"), (1e3, 1e3, "MW"), (0.0, 1.0, "kW")),
    "kWh": ((1e12, 1e12, "trillion kWh"), (1e9, 1e9, "billion kWh"), (1e6, 1e6, "million kWh"), (0.0, 1.0, "kWh")),
    "tCO2": ((1e9, 1e9, "Gt CO2"), (1e6, 1e6, "Mt CO2"), (1e3, 1e3, "kt CO2"), (0.0, 1.0, "t CO2")),
    "tCO2e": ((1e9, 1e9, "Gt CO2e"), (1e6, 1e6, "Mt CO2e"), (1e3, 1e3, "kt CO2e"), (0.0, 1.0, "t CO2e")),
    "tce": ((1e9, 1e9, "Gt ce"), (1e6, 1e6, "Mt ce"), (1e3, 1e3, "kt ce"), (0.0, 1.0, "tce")),
    "t": ((1e9, 1e9, "Gt"), (1e6, 1e6, "Mt"), (1e3, 1e3, "kt"), (0.0, 1.0, "t")),
    "m3": ((1e9, 1e9, "billion m3"), (1e6, 1e6, "million m3"), (0.0, 1.0, "m3")),
    # Floor areas read best in m2, land in hectares, regions in km2.
    "m2": ((1e7, 1e6, "km2"), (1e5, 1e4, "hectares"), (0.0, 1.0, "m2")),
    "m": ((1e3, 1e3, "km"), (0.0, 1.0, "m")),
    "ug/m3": ((0.0, 1.0, "μg/m3"),),
    "%": ((0.0, 1.0, "%"),),
    "pp": ((0.0, 1.0, "pp"),),
    "times": ((0.0, 1.0, "x"),),
    "count": (*_WORD_SCALES, (0.0, 1.0, "")),
}
# How amounts of money read ("15.59 billion yuan"); other currencies show their ISO code.
_MONEY_NAMES = {"CNY": "yuan", "USD": "US dollars", "EUR": "euros"}
_ATTACHED_LABELS = {"%", "x"}


def display_unit(canonical: str, values: list[float]) -> DisplayUnit:
    """One display unit for a row of figures in `canonical` units, chosen by the largest of them."""
    largest = max((abs(v) for v in values if v is not None and math.isfinite(v)), default=0.0)
    scales = _DISPLAY_SCALES.get(canonical)
    if scales is None:
        code = _currency_code(parse_unit(canonical))
        if code is not None:
            name = _MONEY_NAMES.get(code, code)
            scales = (*((start, factor, f"{word} {name}") for start, factor, word in _WORD_SCALES), (0.0, 1.0, name))
        else:
            scales = ((0.0, 1.0, _pretty_unit(canonical)),)
    for start, factor, label in scales:
        if largest >= start:
            return DisplayUnit(label, factor)
    return DisplayUnit(scales[-1][2], scales[-1][1])


def _pretty_unit(unit: str) -> str:
    ureg = registry()
    return f"{ureg.parse_units(parse_unit(unit)):~P}"


def display(value: float, unit: str, value_max: float | None = None) -> str:
    """A figure in readable units: "50 GW", "15.59 billion yuan", "860.3 kt CO2", "13.2%", "2x"."""
    normalized = normalize(value, unit, value_max)
    shown = display_unit(normalized.unit, [normalized.value, normalized.value_max])
    number = format_number(normalized.value / shown.factor)
    if normalized.value_max is not None:
        upper = format_number(normalized.value_max / shown.factor)
        joiner = " to " if min(normalized.value, normalized.value_max) < 0 else "-"
        number = f"{number}{joiner}{upper}"
    if not shown.label:
        return number
    return f"{number}{shown.label}" if shown.label in _ATTACHED_LABELS else f"{number} {shown.label}"


def format_number(number: float) -> str:
    """At most four significant digits, with thousands separators: 1,333 ; 860.3 ; 0.001235."""
    from decimal import ROUND_HALF_UP, Decimal

    if number == 0 or not math.isfinite(number):
        return "0" if number == 0 else str(number)
    # Decimal from the shortest repr rounds 12,345 to 12,350 as a reader does, not as binary floats do.
    exact = Decimal(repr(number))
    rounded = exact.quantize(Decimal(1).scaleb(exact.adjusted() - 3), rounding=ROUND_HALF_UP)
    decimals = max(0, -rounded.as_tuple().exponent)
    text = f"{rounded:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
