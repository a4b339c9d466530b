"""Properties of extraction over generated texts: it never raises, offsets hold, values are finite and canonical,
and figures survive formatting and parsing back."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from targettrack import numbers, units
from targettrack.extraction import iter_records

# The canonical units of ANNOTATION.md; money is any ISO 4217 code.
CANONICAL = {"kW", "kWh", "tCO2", "tCO2e", "tce", "t", "m3", "m2", "ug/m3", "%", "pp", "count", "times"}
CURRENCY = re.compile(r"[A-Z]{3}")

BUDGET = settings(max_examples=200, deadline=None, derandomize=True,
                  suppress_health_check=[HealthCheck.too_slow])

PLACES = ["Hebei", "Inner Mongolia", "Ordos", "Guangdong", "Shenzhen", "Yunnan", "Gansu", "Jiuquan", "China",
          "India", "Germany", "Hainan", "Xiamen", "Qinghai"]
UNITS = ["kilowatts", "kW", "GW", "megawatts", "kWh", "billion kWh", "tons of carbon dioxide", "tonnes of CO2",
         "tons of standard coal", "tons of CO2 equivalent", "tons", "yuan", "US dollars", "euros", "hectares",
         "mu", "square kilometers", "cubic meters", "micrograms per cubic meter", "%", "percent",
         "percentage points", "projects", "times"]
MULTIPLIERS = ["", "thousand", "million", "billion", "ten thousand", "hundred million"]
LEADS = ["By {year}, {place} will reach", "{place} aims to raise the figure to", "In {year}, {place} recorded",
         "Last year {place} cut it by", "{place} plans no more than", "The share in {place} stood at about",
         "Compared with {base}, {place} will reduce it by", "{place} strives to add more than"]
TOPICS = ["of installed wind power capacity", "of renewable electricity", "of carbon dioxide emissions",
          "of energy consumption", "of forest coverage", "of investment in clean energy", "of afforestation",
          "in PM2.5 concentration", "of new energy vehicles", ""]


def _number_text(value: float, style: int) -> str:
    if style == 0:
        return f"{value:,.0f}"
    if style == 1:
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{value:g}"


@st.composite
def policy_sentences(draw) -> str:
    """A few sentences of a policy text from random numbers, multipliers, units, places and years."""
    sentences = []
    for _ in range(draw(st.integers(1, 4))):
        lead = draw(st.sampled_from(LEADS)).format(place=draw(st.sampled_from(PLACES)),
                                                   year=draw(st.integers(1990, 2070)),
                                                   base=draw(st.sampled_from([2005, 2010, 2015, 2020])))
        value = draw(st.floats(min_value=0, max_value=1e7, allow_nan=False, allow_infinity=False))
        figure = _number_text(value, draw(st.integers(0, 2)))
        multiplier = draw(st.sampled_from(MULTIPLIERS))
        unit = draw(st.sampled_from(UNITS))
        upper = draw(st.one_of(st.none(), st.floats(min_value=0, max_value=1e7, allow_nan=False)))
        if upper is not None:
            figure = f"{figure}-{_number_text(upper, 1)}"
        quantity = " ".join(part for part in (figure, multiplier, unit) if part)
        if unit in ("%",):
            quantity = f"{figure}%"
        tail = draw(st.sampled_from(TOPICS))
        year = draw(st.sampled_from(["", f" by {draw(st.integers(2000, 2080))}", " in 2021", " last year"]))
        sentences.append(f"{lead} {quantity} {tail}{year}.".replace("  ", " "))
    return " ".join(sentences)


def check_records(text: str, published: str | None = None) -> list:
    records = list(iter_records(text, published=published, path="generated.txt", all_quantities=True))
    for record in records:
        assert text[record.source.start:record.source.end] == record.text
        normalized = record.normalized
        if normalized is None or normalized.value is None:
            continue
        assert math.isfinite(normalized.value), record
        if normalized.value_max is not None:
            assert math.isfinite(normalized.value_max), record
        assert normalized.unit in CANONICAL or CURRENCY.fullmatch(normalized.unit or ""), record
    return records


@BUDGET
@given(st.text(max_size=400))
@example("\x00\x1b[31m 50 GW \u202e by 2025 [bold] ")
@example("1e308 million billion kW" * 3)
@example("-" * 50 + "5" + "." * 50)
def test_any_text_extracts_without_raising(text):
    check_records(text)


@BUDGET
@given(st.lists(st.sampled_from([*"0123456789.,-%~ ", "GW", "kW", "million", "billion", "by 20", "yuan", "tons",
                                 "\n", " and ", " to ", "Hebei", "2025", "."]), max_size=80).map("".join))
def test_number_heavy_text_extracts_without_raising(text):
    check_records(text)


@BUDGET
@given(policy_sentences(), st.sampled_from([None, "2023-04-05", "2019-12-31"]))
def test_policy_sentences_give_records_with_exact_offsets_and_canonical_finite_values(text, published):
    check_records(text, published)


@BUDGET
@given(policy_sentences())
def test_a_record_value_formatted_for_display_parses_back_to_the_same_value(text):
    for record in check_records(text):
        normalized = record.normalized
        if record.dropped or normalized is None or normalized.value is None:
            continue
        shown = units.display(normalized.value, normalized.unit, normalized.value_max)
        parsed = units.parse_quantity(shown)
        again = units.normalize(parsed.value, parsed.unit, parsed.value_max)
        assert again.unit == normalized.unit, shown
        # display keeps four significant digits
        assert again.value == pytest.approx(normalized.value, rel=1e-3, abs=1e-9), shown
        if normalized.value_max is not None:
            assert again.value_max == pytest.approx(normalized.value_max, rel=1e-3, abs=1e-9), shown


@BUDGET
@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False),
       st.sampled_from(sorted(CANONICAL | {"CNY", "USD", "EUR"})))
def test_any_value_in_a_canonical_unit_survives_display_and_parsing(value, unit):
    if unit == "tce" and abs(value) >= 999_950_000:
        return  # "Gt ce": the known failure below
    shown = units.display(value, unit)
    parsed = units.parse_quantity(shown)
    again = units.normalize(parsed.value, parsed.unit, parsed.value_max)
    assert again.unit == unit, shown
    assert again.value == pytest.approx(value, rel=1e-3, abs=1e-9), shown


@BUDGET
@given(st.floats(min_value=0, max_value=1e15, allow_nan=False, allow_infinity=False),
       st.sampled_from(["{:,.0f}", "{:.3f}", "{}", "{:,.2f}"]))
def test_numbers_round_trip(value, layout):
    text = layout.format(value)
    assert numbers.parse_number(text) == pytest.approx(float(text.replace(",", "")), rel=1e-12)


def test_gigatonnes_of_coal_equivalent_survive_display_and_parsing():
    parsed = units.parse_quantity(units.display(1.5e9, "tce"))
    assert units.normalize(parsed.value, parsed.unit).unit == "tce"


@BUDGET
@given(st.text(alphabet="1920 56789x-\u0663", max_size=40))
@example("2020201 and 1995 or 19999, 2030")
def test_year_digits_found_as_the_year_pattern_finds_them(sentence):
    from targettrack.extraction.context import YEAR, _year_starts

    assert _year_starts(sentence) == [m.start() for m in re.finditer(YEAR, sentence)]


@BUDGET
@given(st.lists(st.sampled_from(["The plan.", "Dr. Li", " said", "!", "?", "\n", "\n\n", " A", " 5", '"Yes."',
                                 " e.g. this", "U.S. ", "。", " ok"]), max_size=20).map("".join))
def test_sentence_ends_are_where_the_end_pattern_finds_them(text):
    from targettrack.extraction.context import _SENTENCE_END, _sentence_ends

    assert [m.span() for m in _sentence_ends(text)] == [m.span() for m in _SENTENCE_END.finditer(text)]


YEAR_PIECES = ["by", "before", "in", "since", "from", "compared with", "the end of", "than", "until", "during",
               "2025", "2030", "2005", "levels", "year", "the", ",", "-", "for", "at", "of", "early", "mid"]


@BUDGET
@given(st.lists(st.sampled_from(YEAR_PIECES), max_size=16).map(" ".join))
def test_year_patterns_tried_at_lead_words_find_what_finditer_finds(sentence):
    from targettrack.extraction.context import _LETTERS_ONLY, _YEAR_SCANS, _matches_at

    letters = sentence.encode("ascii", "replace").translate(_LETTERS_ONLY)
    words, spaced = set(letters.split()), b" " + letters + b" "
    for pattern, _, _, leads, _, _, cased in _YEAR_SCANS:
        if leads is None or cased:
            continue
        expected = [m.span() for m in pattern.finditer(sentence)]
        present = leads & words
        found = [m.span() for m in _matches_at(pattern, sentence, spaced, present, 0, len(sentence))] if present else []
        assert found == expected, pattern.pattern[:60]
