"""Units: spellings, the pint registry and its traps, parsing, normalization, conversion and display."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from targettrack import units
from targettrack.errors import UnitError
from targettrack.models import Normalized


def _run_python(code: str, **env: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={**os.environ, **env})
    return result.stdout.strip()


# --- importing and spellings -----------------------------------------------------------------


def test_importing_units_and_reading_spellings_does_not_import_pint():
    code = ("import sys, targettrack.units as u; u.unit_phrases(); u.parse_unit('kilowatts'); "
            "print('pint' in sys.modules)")
    assert _run_python(code) == "False"


def test_unit_phrases_are_lower_case_and_longest_first():
    phrases = units.unit_phrases()
    assert all(phrase == phrase.lower() for phrase, _ in phrases)
    lengths = [len(phrase) for phrase, _ in phrases]
    assert lengths == sorted(lengths, reverse=True)


@pytest.mark.parametrize(
    ("phrase", "unit"),
    [
        ("kilowatts", "kilowatt"), ("kw", "kilowatt"), ("gw", "gigawatt"),
        ("kilowatt-hours", "kilowatt_hour"), ("kwh", "kilowatt_hour"), ("kilowatt hours", "kilowatt_hour"),
        ("terawatt-hours", "terawatt_hour"), ("twh", "terawatt_hour"),
        ("tons of carbon dioxide", "tonne_CO2"), ("tonnes of co2", "tonne_CO2"), ("tons of co2", "tonne_CO2"),
        ("tons of carbon dioxide equivalent", "tonne_CO2e"), ("tonnes of co2e", "tonne_CO2e"),
        ("tons of greenhouse gases", "tonne_CO2e"),
        ("tons of standard coal", "tonne_coal_equivalent"), ("tonnes of coal equivalent", "tonne_coal_equivalent"),
        ("tce", "tonne_coal_equivalent"),
        ("tons", "tonne"), ("tonnes", "tonne"), ("t", "tonne"),
        ("yuan", "CNY"), ("rmb", "CNY"), ("yuan (rmb)", "CNY"), ("cny", "CNY"),
        ("u.s. dollars", "USD"), ("us dollars", "USD"), ("dollars", "USD"), ("usd", "USD"), ("$", "USD"),
        ("euros", "EUR"), ("eur", "EUR"), ("€", "EUR"),
        ("hectares", "hectare"), ("ha", "hectare"), ("mu", "mu"),
        ("square kilometers", "square_kilometer"), ("km2", "square_kilometer"),
        ("square kilometres", "square_kilometer"), ("square meters", "square_meter"),
        ("cubic meters", "cubic_meter"), ("cubic metres", "cubic_meter"), ("m3", "cubic_meter"),
        ("micrograms per cubic meter", "microgram_per_cubic_meter"), ("μg/m3", "microgram_per_cubic_meter"),
        ("ug/m3", "microgram_per_cubic_meter"), ("micrograms", "microgram_per_cubic_meter"),
        ("percent", "percent"), ("per cent", "percent"), ("%", "percent"),
        ("percentage points", "percentage_point"), ("percentage point", "percentage_point"),
        ("times", "times"), ("fold", "times"),
    ],
)
def test_spellings_map_to_pint_units(phrase, unit):
    assert dict(units.unit_phrases())[phrase] == unit


def test_a_number_with_its_multiplier_is_not_a_spelling():
    assert "10,000 kilowatts" not in dict(units.unit_phrases())


def test_every_spelling_names_a_unit_pint_knows():
    ureg = units.registry()
    for phrase, unit in units.unit_phrases():
        ureg.parse_units(unit)  # raises for a unit pint does not know
        assert units.canonical_unit(phrase)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("kilowatts kilowatt\n", "needs a phrase and a pint unit"),
        ("kilowatts\tkilowatt\textra\n", "needs a phrase and a pint unit"),
        ("# a comment\nkw\tkilowatt\nKW\tkilowatt_hour\n", "spelled for both kilowatt and kilowatt_hour"),
    ],
)
def test_a_broken_spellings_file_is_reported_with_its_line(text, message):
    with pytest.raises(UnitError, match=message) as raised:
        units.read_phrases(text, where="unit_phrases.tsv")
    assert raised.value.where == f"unit_phrases.tsv:{len(text.splitlines())}"
    assert raised.value.hint


def test_spellings_file_skips_comments_and_blank_lines_and_ignores_case():
    table = units.read_phrases("# units\n\nKiloWatts\tkilowatt\nkilowatts\tkilowatt\n", where="x.tsv")
    assert table == {"kilowatts": "kilowatt"}


# --- the registry ----------------------------------------------------------------------------


def test_registry_is_built_once():
    first = units.registry()
    started = time.perf_counter()
    second = units.registry()
    assert second is first
    assert time.perf_counter() - started < 0.01


def test_registry_works_without_a_writable_cache_directory(tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    code = "import targettrack.units as u; print(u.convert(1, 'ton', 'kg'))"
    assert _run_python(code, XDG_CACHE_HOME=str(blocker), HOME=str(blocker)) == "1000.0"


def test_two_installs_sharing_a_cache_folder_keep_their_own_unit_factors(tmp_path):
    # Two copies of the package (a release and a checkout, say) whose files differ: each reads the
    # factors it cached, so neither has to load pint again after the other ran.
    import shutil

    package = os.path.dirname(units.__file__)
    copies = []
    for name in ("release", "checkout"):
        shutil.copytree(package, tmp_path / name / "targettrack", ignore=shutil.ignore_patterns("__pycache__"))
        copies.append(str(tmp_path / name))
    (tmp_path / "checkout" / "targettrack" / "units.py").write_text(
        (tmp_path / "checkout" / "targettrack" / "units.py").read_text() + "\n# changed\n")
    code = "import sys, targettrack.units as u; u.normalize(5, 'GW'); print('pint' in sys.modules)"
    cache = str(tmp_path / "cache")
    first = [_run_python(code, PYTHONPATH=copy, TARGETTRACK_CACHE_DIR=cache) for copy in copies]
    again = [_run_python(code, PYTHONPATH=copy, TARGETTRACK_CACHE_DIR=cache) for copy in copies]
    assert first == ["True", "True"]  # each worked the factor out with pint once
    assert again == ["False", "False"]


# --- pint's traps, overridden ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "to_unit", "expected"),
    [
        (1, "ton", "kilogram", 1000),  # not pint's US short ton
        (1, "tons", "kilogram", 1000),
        (1, "tonne", "kilogram", 1000),
        (1, "t", "kilogram", 1000),
        (1, "short ton", "kilogram", 907.18474),  # still there when asked for by name
        (1, "kt", "tonne", 1000),  # kilotonne, not knot
        (1, "Mt", "tonne", 1e6),
        (1, "mu", "m2", 666.67),  # not a milli atomic mass unit
        (15, "mu", "hectare", 1),
        (1, "hectare", "m2", 1e4),
        (1, "km2", "m2", 1e6),
        (1, "tce", "gigajoule", 29.3076),  # standard coal converts to energy through its heat value
        (1e6, "tce", "kWh", 8.141e9),
        (1, "Mt CO2", "tCO2", 1e6),
        (1, "kt CO2", "tCO2", 1e3),
        (1, "ton of carbon dioxide", "tCO2", 1),
        (1, "MtCO2e", "tCO2e", 1e6),
        (1, "TWh", "kWh", 1e9),
        (1, "GW", "kW", 1e6),
        (35, "ug/m3", "microgram / meter ** 3", 35),
    ],
)
def test_conversions(value, unit, to_unit, expected):
    assert units.convert(value, unit, to_unit) == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize(
    ("unit_a", "unit_b"),
    [
        ("percent", "percentage point"),  # 4.9 percentage points are not 4.9 %
        ("%", "dimensionless"),
        ("pp", "point"),  # pint's pp is a typographic point
        ("tCO2", "t"),  # a tonne of CO2 is not a tonne of anything
        ("tCO2", "tCO2e"),
        ("tCO2e", "t"),
        ("kt", "knot"),
        ("count", "%"),
        ("times", "%"),
        ("CNY", "USD"),  # no exchange rates
        ("yuan", "euros"),
        ("USD", "EUR"),
        ("GBP", "JPY"),
        ("INR", "USD"),
        ("kW", "kWh"),
        ("kW", "tCO2"),
    ],
)
def test_units_that_must_not_convert(unit_a, unit_b):
    assert not units.compatible(unit_a, unit_b)
    with pytest.raises(UnitError, match=f"cannot convert {unit_a} to {unit_b}"):
        units.convert(1, unit_a, unit_b)


@pytest.mark.parametrize(("unit_a", "unit_b"), [("tce", "kWh"), ("GW", "kilowatt"), ("mu", "km2"), ("RMB", "yuan")])
def test_units_that_convert(unit_a, unit_b):
    assert units.compatible(unit_a, unit_b)


def test_compatible_with_an_unknown_unit_raises():
    with pytest.raises(UnitError, match="unknown unit 'megafoo'"):
        units.compatible("kW", "megafoo")


# --- parsing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "value_max", "unit"),
    [
        ("50 million kW", 5e7, None, "kilowatt"),
        ("6,000,000 kilowatts", 6e6, None, "kilowatt"),
        ("1.2 billion kWh", 1.2e9, None, "kilowatt_hour"),
        ("15.59 billion yuan", 1.559e10, None, "CNY"),
        ("100 million yuan", 1e8, None, "CNY"),
        ("860,300 t CO2", 860_300, None, "tonne_CO2"),
        ("4.9 percentage points", 4.9, None, "percentage_point"),
        ("2 million mu", 2e6, None, "mu"),
        ("13.2%", 13.2, None, "percent"),
        ("35", 35, None, "count"),
        ("20000-26000 square meters", 20_000, 26_000, "square_meter"),
        ("50 GW", 50, None, "gigawatt"),
        ("5e7 kW", 5e7, None, "kilowatt"),
        ("15 100 million yuan", 1.5e9, None, "CNY"),
        ("1.2 to 1.5 million kW", 1.2e6, 1.5e6, "kilowatt"),
        ("40% to 45%", 40, 45, "percent"),
        ("between 32 and 42 percent", 32, 42, "percent"),
        ("$5 billion", 5e9, None, "USD"),
        ("€135 billion", 1.35e11, None, "EUR"),
        ("RMB 3 million", 3e6, None, "CNY"),
        ("860,300 tons of carbon dioxide every year", 860_300, None, "tonne_CO2"),
        ("100 billion kWh per year", 1e11, None, "kilowatt_hour"),
        ("42 times", 42, None, "times"),
        ("double", 2, None, "times"),
        ("2-fold", 2, None, "times"),
        ("35 micrograms per cubic meter", 35, None, "microgram_per_cubic_meter"),
        ("5 million tons of CO2 equivalent", 5e6, None, "tonne_CO2e"),
        ("3 million tons of standard coal", 3e6, None, "tonne_coal_equivalent"),
        ("  12 MW  ", 12, None, "megawatt"),
        ("7 kg/m**3", 7, None, "kilogram / meter ** 3"),
    ],
)
def test_parse_quantity(text, value, value_max, unit):
    parsed = units.parse_quantity(text)
    assert parsed.value == pytest.approx(value)
    assert parsed.value_max == (None if value_max is None else pytest.approx(value_max))
    assert parsed.unit == unit
    assert parsed.text == text


def test_parse_quantity_names_the_unknown_unit_and_suggests_spellings():
    with pytest.raises(UnitError) as raised:
        units.parse_quantity("50 megafoo")
    assert raised.value.message == "unknown unit 'megafoo' in '50 megafoo'"
    assert "closest known spellings: mega" in raised.value.hint
    assert "unit_phrases.tsv" in raised.value.hint


def test_suggestions_find_a_misspelled_unit():
    with pytest.raises(UnitError) as raised:
        units.parse_unit("kilowats")
    assert "kilowatts" in raised.value.hint


@pytest.mark.parametrize("text", ["kW", "", "megawatts", "about a lot of yuan"])
def test_parse_quantity_without_a_number(text):
    with pytest.raises(UnitError, match=f"no number in '{text}'"):
        units.parse_quantity(text)


@pytest.mark.parametrize("text", ["50 GW by 2030", "5 bananas", "$5 billion dollars"])
def test_parse_quantity_rejects_words_after_the_unit(text):
    with pytest.raises(UnitError):
        units.parse_quantity(text)


@pytest.mark.parametrize(
    ("phrase", "unit"),
    [("Kilowatts", "kilowatt"), ("MW", "megawatt"), ("t CO2", "tonne_CO2"), ("kWh/year", "kilowatt_hour"),
     ("kilowatt_hour", "kilowatt_hour"), ("GtCO2e", "gigatonne_CO2e"), ("m**2", "meter ** 2")],
)
def test_parse_unit(phrase, unit):
    assert units.parse_unit(phrase) == unit


@pytest.mark.parametrize("phrase", ["", "   ", "megafoo", "kW by 2030", "2"])
def test_parse_unit_rejects_what_is_not_a_unit(phrase):
    with pytest.raises(UnitError):
        units.parse_unit(phrase)


# --- canonical units and normalization -------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "canonical"),
    [
        ("kilowatt", "kW"), ("GW", "kW"), ("megawatt", "kW"),
        ("kilowatt_hour", "kWh"), ("TWh", "kWh"), ("gigajoule", "kWh"), ("toe", "kWh"),
        ("tonne_CO2", "tCO2"), ("Mt CO2", "tCO2"), ("tonne_CO2e", "tCO2e"), ("tce", "tce"),
        ("Mtce", "tce"), ("tonne", "t"), ("kt", "t"), ("kilogram", "t"),
        ("CNY", "CNY"), ("yuan", "CNY"), ("USD", "USD"), ("euros", "EUR"), ("GBP", "GBP"), ("JPY", "JPY"),
        ("INR", "INR"),
        ("cubic meters", "m3"), ("hectare", "m2"), ("mu", "m2"), ("km2", "m2"), ("kilometers", "m"),
        ("ug/m3", "ug/m3"), ("percent", "%"), ("percentage points", "pp"), ("count", "count"),
        ("times", "times"), ("cubic meters per second", "meter ** 3 / second"),
    ],
)
def test_canonical_unit(unit, canonical):
    assert units.canonical_unit(unit) == canonical


@pytest.mark.parametrize(
    ("value", "unit", "value_max", "expected"),
    [
        (5e7, "kilowatt", None, Normalized(5e7, None, "kW")),
        (1200, "gigawatt", None, Normalized(1.2e9, None, "kW")),
        (1e11, "kilowatt_hour", None, Normalized(1e11, None, "kWh")),
        (93_000, "hectare", None, Normalized(9.3e8, None, "m2")),
        (1, "mu", None, Normalized(666.666666667, None, "m2")),
        (1.559e10, "CNY", None, Normalized(1.559e10, None, "CNY")),
        (20_000, "square_meter", 26_000, Normalized(20_000, 26_000, "m2")),
        (1.2, "megatonne_CO2", 1.5, Normalized(1.2e6, 1.5e6, "tCO2")),
        (35, None, None, Normalized(35, None, "count")),
        (None, "kilowatt", None, Normalized(None, None, "kW")),
        (None, None, None, Normalized(None, None, None)),
    ],
)
def test_normalize(value, unit, value_max, expected):
    assert units.normalize(value, unit, value_max) == expected


def test_normalize_is_fast_after_the_first_call_of_each_unit():
    names = ["kilowatt", "gigawatt", "kilowatt_hour", "tonne_CO2", "CNY", "percent", "mu", "count"]
    for name in names:
        units.normalize(1.0, name)
    started = time.perf_counter()
    for index in range(100_000):
        units.normalize(float(index), names[index % len(names)])
    assert time.perf_counter() - started < 2.0


def test_normalize_with_an_unknown_unit_raises():
    with pytest.raises(UnitError, match="unknown unit"):
        units.normalize(5, "megafoo")


# --- display --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "value_max", "shown"),
    [
        (5e7, "kW", None, "50 GW"),
        (5e7, "kilowatt", None, "50 GW"),
        (3e5, "kW", None, "300 MW"),
        (1.2e9, "kW", None, "1,200 GW"),
        (1.559e10, "CNY", None, "15.59 billion yuan"),
        (8e8, "CNY", None, "800 million yuan"),
        (3.69e11, "USD", None, "369 billion US dollars"),
        (7500, "USD", None, "7,500 US dollars"),
        (1.35e11, "EUR", None, "135 billion euros"),
        (2e9, "JPY", None, "2 billion JPY"),
        (860_300, "tCO2", None, "860.3 kt CO2"),
        (5.8e9, "tCO2", None, "5.8 Gt CO2"),
        (4.95e8, "tCO2e", None, "495 Mt CO2e"),
        (3.439e7, "tce", None, "34.39 Mt ce"),
        (598_400, "t", None, "598.4 kt"),
        (1.33333e9, "m2", None, "1,333 km2"),
        (3.3333e7, "m2", None, "33.33 km2"),
        (20_000, "m2", 26_000, "20,000-26,000 m2"),
        (2.84e8, "m3", None, "284 million m3"),
        (35, "ug/m3", None, "35 μg/m3"),
        (13.2, "%", None, "13.2%"),
        (40, "%", 45, "40-45%"),
        (4.9, "pp", None, "4.9 pp"),
        (2, "times", None, "2x"),
        (6e6, "count", None, "6 million"),
        (37_000, "count", None, "37,000"),
        (35, "count", None, "35"),
        (8.8e10, "kWh", None, "88 billion kWh"),
        (1.2e9, "kWh", 1.5e9, "1.2-1.5 billion kWh"),
        (-3, "%", -1, "-3 to -1%"),
        (0, "kW", None, "0 kW"),
        (0.0012345, "%", None, "0.001235%"),
    ],
)
def test_display(value, unit, value_max, shown):
    assert units.display(value, unit, value_max) == shown


@pytest.mark.parametrize(
    ("canonical", "values", "label", "factor"),
    [
        ("kW", [5e7, 3e5], "GW", 1e6),
        ("kW", [3e5, 2e4], "MW", 1e3),
        ("kW", [500], "kW", 1),
        ("kWh", [1.2e9, 8.8e10], "billion kWh", 1e9),
        ("CNY", [1.559e10, 8e8], "billion yuan", 1e9),
        ("CNY", [8e8], "million yuan", 1e6),
        ("USD", [4e12], "trillion US dollars", 1e12),
        ("tCO2", [4.95e8, 1e6], "Mt CO2", 1e6),
        ("tCO2", [860_300], "kt CO2", 1e3),
        ("tce", [5e9, 3.4e7], "Gt ce", 1e9),
        ("tce", [3.4e7], "Mt ce", 1e6),
        ("m2", [1.3e9, 9.3e8], "km2", 1e6),
        ("m2", [3e5], "hectares", 1e4),
        ("m2", [26_000], "m2", 1),
        ("%", [13.2, 82], "%", 1),
        ("pp", [4.9], "pp", 1),
        ("count", [6e6, 1e5], "million", 1e6),
        ("count", [], "", 1),
        ("kW", [None, 5e7], "GW", 1e6),
    ],
)
def test_display_unit(canonical, values, label, factor):
    assert units.display_unit(canonical, values) == units.DisplayUnit(label, factor)


def test_display_unit_of_a_figure_row_divides_every_value_alike():
    values = [5e7, 1.2e9, 3e5]
    shown = units.display_unit("kW", values)
    assert [value / shown.factor for value in values] == [50, 1200, 0.3]


@pytest.mark.parametrize(
    ("number", "text"),
    [(1333.333, "1,333"), (860.3, "860.3"), (15.59, "15.59"), (50.0, "50"), (12_345, "12,350"),
     (0.0012345, "0.001235"), (-2.5, "-2.5"), (0, "0"), (1_000_000, "1,000,000")],
)
def test_format_number_keeps_four_significant_digits(number, text):
    assert units.format_number(number) == text


def test_factors_seen_before_are_reused_without_importing_pint(tmp_path):
    import os
    import subprocess
    import sys

    code = ("import sys\nfrom targettrack import units\n"
            "print(units.normalize(5, 'gigawatt').value, units.normalize(2, 'mu').unit, 'pint' in sys.modules)")
    env = {**os.environ, "TARGETTRACK_CACHE_DIR": str(tmp_path)}
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert first.stdout.split() == ["5000000.0", "m2", "True"]
    assert second.stdout.split() == ["5000000.0", "m2", "False"]
