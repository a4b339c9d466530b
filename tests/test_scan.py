"""The fast first passes of scan() find exactly the quantities its general path finds."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from python_source import python_copy
from targettrack.extraction import scan as installed_scan
from targettrack.extraction.scan import scan

# The fast path is switched off by replacing _marked: in the module as the interpreter runs it, since a
# compiled module's own calls do not see a replaced function. Both paths are compared in that copy.
scan_module = python_copy(installed_scan)

BUDGET = settings(max_examples=300, deadline=None, derandomize=True,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# Pieces that make currency signs, number words and near misses when strung together.
PIECES = ["US", "U.S.", "$", "D", "USD", "US$", "EUR", "RMB", "CNY", "€", "£", "¥", "5", "1,200", "3.5", " ",
          "  ", "-", "to", "and", "between", "million", "kW", "percent", "%", "one", "One", "ONE", "twenty",
          "Twenty-two", "hour", "seven", "hundred", "half", "a", ",", ".", "\n", "é", "“", "Department", "yuan",
          "tons", "fiveé", "ten_", "x"]


def general(text: str, monkeypatch: pytest.MonkeyPatch) -> list[scan_module.Mention]:
    """scan() as it runs on a text with currency signs other than "$": every sign by the full pattern."""
    with monkeypatch.context() as patched:
        patched.setattr(scan_module, "_marked", lambda text, encoded, spaced: None)
        return scan_module.scan(text)


@pytest.mark.parametrize("text, fast", [
    ("Costs fell 5% to $3 million.", True),
    ("It cost USD 5 million.", False),
    ("It cost US$5 million.", False),
    ("Sales of EUR 20 million and RMB 3 billion.", False),
    ("A loan of CNY 8 billion.", False),
    ("A loan of £8 billion and ¥9 trillion.", False),
    ("A loan of €8 billion.", False),
    ("The US plans 30 GW.", True),
    ("Up 7.5% from 2019 to 2,040 MW, 9 units", True),
    ("The “US” plans 30 GW.", True),
])
def test_the_fast_path_is_taken_only_for_texts_without_other_signs(text, fast, monkeypatch):
    encoded = scan_module._ascii(text)
    assert (scan_module._marked(text, encoded, scan_module._spaced(encoded)) is not None) is fast
    assert scan_module.scan(text) == general(text, monkeypatch)


@BUDGET
@example(text="The U.S. Department spent 5 billion.")
@example(text="Between one and two thirds of 40 GW; USD")
@given(text=st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_the_fast_path_finds_what_the_general_path_finds(text, monkeypatch):
    assert scan_module.scan(text) == general(text, monkeypatch)


@pytest.mark.parametrize("amount, value", [
    ("2025", 2025.0),
    ("3.75", 3.75),
    ("1,200", 1200.0),
    ("1,200,000.5", 1200000.5),
    ("45.3 million", 45.3e6),
    ("2 billion", 2e9),
    ("300 10,000", None),
    ("15 100 million", None),
    ("twelve", None),
    ("a half", None),
])
def test_plain_amounts_are_read_without_the_general_parser(amount, value):
    assert scan_module._plain_value(amount) == value


@pytest.mark.parametrize("text, number_text, value", [
    ("It grew 1,200.5 tons.", "1,200.5", 1200.5),
    ("It grew 45.3 million tons.", "45.3 million", 45.3e6),
    ("It grew 300 10,000 kilowatts.", "300 10,000", 3e6),
    ("It grew twelve percent.", "twelve", 12.0),
])
def test_a_quantity_reads_the_same_whichever_path_parses_it(text, number_text, value):
    [mention] = scan(text)
    assert (mention.number_text, mention.value) == (number_text, value)
