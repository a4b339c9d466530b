"""Numbers, multipliers and ranges as they are written in policy texts."""

from __future__ import annotations

import pytest

from targettrack.numbers import MULTIPLIERS, parse_amount, parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6,000,000", 6_000_000),
        ("1.213", 1.213),
        ("20000", 20_000),
        ("1,200", 1_200),
        ("3,333.3", 3_333.3),
        ("5e7", 5e7),
        (" 35 ", 35),
        ("0.85", 0.85),
        ("two", 2),
        ("Thirteen", 13),
        ("twenty-five", 25),
        ("twenty five", 25),
        ("ninety", 90),
        ("one", 1),
        ("a", 1),
        ("half", 0.5),
        ("two thirds", 2 / 3),
        ("a third", 1 / 3),
        ("three quarters", 0.75),
        ("one and a half", 1.5),
        ("a hundred", 100),
        ("two hundred and ten", 210),
    ],
)
def test_parse_number_reads_numerals_and_words(text, expected):
    assert parse_number(text) == pytest.approx(expected)


def test_two_thirds_is_about_0_6667():
    assert parse_number("two thirds") == pytest.approx(0.6667, abs=1e-4)


@pytest.mark.parametrize(
    "text", ["", "million", "1,2000", "12,34", "two third", "one thirds", "twenty ninety", "five apples", "nan", "2023-04-05"]
)
def test_parse_number_rejects_what_is_not_one_number(text):
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(
    ("key", "factor"),
    [
        ("thousand", 1e3), ("million", 1e6), ("billion", 1e9), ("trillion", 1e12),
        ("ten thousand", 1e4), ("hundred million", 1e8), ("100 million", 1e8), ("10,000", 1e4),
        ("10 thousand", 1e4), ("万", 1e4), ("亿", 1e8), ("万亿", 1e12), ("bn", 1e9), ("mn", 1e6),
        ("mln", 1e6), ("k", 1e3),
    ],
)
def test_multipliers(key, factor):
    assert MULTIPLIERS[key] == factor


def test_multiplier_keys_are_lower_case():
    assert all(key == key.lower() for key in MULTIPLIERS)


@pytest.mark.parametrize(
    ("text", "value", "value_max", "rest"),
    [
        ("50 million kilowatts", 5e7, None, "kilowatts"),
        ("6,000,000 kilowatts", 6e6, None, "kilowatts"),
        ("1.2 billion kWh", 1.2e9, None, "kWh"),
        ("15.59 billion yuan each year", 1.559e10, None, "yuan each year"),
        ("8.64 trillion kWh", 8.64e12, None, "kWh"),
        ("20000-26000 square meters", 20_000, 26_000, "square meters"),
        ("60-65", 60, 65, ""),
        ("1.2 to 1.5 million", 1.2e6, 1.5e6, ""),
        ("1.2 million to 1.5 million kW", 1.2e6, 1.5e6, "kW"),
        ("between 32 and 42 percent", 32, 42, "percent"),
        ("33 to 35 percent", 33, 35, "percent"),
        ("two to three million", 2e6, 3e6, ""),
        ("15 100 million yuan", 1.5e9, None, "yuan"),
        ("15 10,000 kilowatts", 1.5e5, None, "kilowatts"),
        ("4 10 thousand tons", 4e4, None, "tons"),
        ("1.5 hundred million", 1.5e8, None, ""),
        ("ten thousand tons", 1e4, None, "tons"),
        ("two million mu", 2e6, None, "mu"),
        ("a million tons", 1e6, None, "tons"),
        ("half a million", 5e5, None, ""),
        ("one and a half million", 1.5e6, None, ""),
        ("two hundred thousand", 2e5, None, ""),
        ("5bn dollars", 5e9, None, "dollars"),
        ("3 mln", 3e6, None, ""),
        ("20k", 2e4, None, ""),
        ("5000万千瓦", 5e7, None, "千瓦"),
        ("1.5万亿元", 1.5e12, None, "元"),
        ("3亿", 3e8, None, ""),
        ("13.2% last year", 13.2, None, "% last year"),
        ("Thirteen projects", 13, None, "projects"),
        ("5e7 kW", 5e7, None, "kW"),
        # the short paths: a lone number word, a range of two plain numerals
        ("Five", 5, None, ""),
        ("20000-26000", 20000, 26000, ""),
        ("5 to 10", 5, 10, ""),
        ("1,200 - 1,500", 1200, 1500, ""),
    ],
)
def test_parse_amount(text, value, value_max, rest):
    parsed = parse_amount(text)
    assert parsed[0] == pytest.approx(value)
    assert parsed[1] == (pytest.approx(value_max) if value_max is not None else None)
    assert parsed[2] == rest


@pytest.mark.parametrize(
    ("text", "value", "rest"),
    [
        ("20 kW", 20, "kW"),  # k is a prefix here, not a thousand
        ("20 k", 20, "k"),
        ("2020 10,000 tons", 2020, "10,000 tons"),  # a year does not take a written-out multiplier
        ("2023-04-05", 2023, "-04-05"),  # a date is not a range
        ("2.5 to 1", 2.5, "to 1"),  # a ratio is not a range
        ("13.5% and 18%", 13.5, "% and 18%"),  # "and" makes a range only after "between"
        ("5 tons", 5, "tons"),
        ("twenty-fifth anniversary", None, None),
    ],
)
def test_parse_amount_does_not_overread(text, value, rest):
    if value is None:
        with pytest.raises(ValueError):
            parse_amount(text)
        return
    parsed = parse_amount(text)
    assert parsed == (pytest.approx(value), None, rest)


@pytest.mark.parametrize("text", ["", "kW", "a 10% cut", "about", "tens of thousands"])
def test_parse_amount_without_a_number_raises(text):
    with pytest.raises(ValueError, match="no number"):
        parse_amount(text)


def test_numbers_module_imports_nothing_heavy():
    import subprocess
    import sys

    code = "import sys, targettrack.numbers; print(sorted(m for m in ('pint', 'pandas') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
