"""Sentences and year expressions: the quick searches find exactly what the plain regex scans find."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from targettrack.extraction import context

BUDGET = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PLAN_PIECES = ["by the end of", "at the end of", "during", "in", "the", "14th", "13th", "15th", "five-year", "five year",
               "plan", "period", "the", "1", "x", "\n", "  ", ",", "for", "throughout", "and"]


@BUDGET
@given(st.lists(st.sampled_from(PLAN_PIECES), max_size=14).map(" ".join))
def test_plan_periods_found_as_the_plan_pattern_finds_them(sentence):
    assert [m.span() for m in context._plan_periods(sentence)] == \
        [m.span() for m in context._PLAN_PERIOD.finditer(sentence)]


@pytest.mark.parametrize("sentence", [
    "during the 14th five-year plan period, output doubled",
    "the 13th five-year plan and the 14th five year plan",
    "by the end of the\n\n  14th five-year plan",
    "x   the 14th five-year plan",
    "in14th five-year plan",
    "a14th five-year plan",
    "no ordinal in the five-year plan",
])
def test_plan_periods_at_edge_cases(sentence):
    assert [m.span() for m in context._plan_periods(sentence)] == \
        [m.span() for m in context._PLAN_PERIOD.finditer(sentence)]


DURATION_PIECES = ["over", "within", "in", "during", "for", "the", "next", "coming", "five", "10", "years", "year",
                   "-year", "period", "programme", "span", "five-year", "decade", "\n", "x", "é"]


def _durations(sentence: str) -> list[tuple[int, int]]:
    letters = sentence.encode("ascii", "replace").translate(context._LETTERS_ONLY)
    words, spaced = set(letters.split()), b" " + letters + b" "
    found = context._matches_at(context._DURATION, sentence, spaced, context._DURATION_LEADS & words, 0,
                                len(sentence), context._hyphen_years(sentence))
    return [m.span() for m in found]


@BUDGET
@given(st.lists(st.sampled_from(DURATION_PIECES), max_size=14).map(" ".join))
def test_durations_tried_at_lead_words_find_what_finditer_finds(sentence):
    assert _durations(sentence) == [m.span() for m in context._DURATION.finditer(sentence)]


@pytest.mark.parametrize("sentence, expected", [
    ("capacity will triple over the next five years", ["over the next five years"]),
    ("a five-year programme and a ten-year span", ["-year programme", "-year span"]),
    ("within 10 years, in 3 years", ["within 10 years", "in 3 years"]),
    ("the 2020 plan ran for years", []),
])
def test_durations_found(sentence, expected):
    assert [sentence[start:end] for start, end in _durations(sentence)] == expected


@BUDGET
@given(st.lists(st.sampled_from(["The plan.", "Dr. Li", " said", "!", "?", "\n", "\n\n", " A", " 5", '"Yes."', "'",
                                 ")", " (B", " \t", "...", "?!", " ok", "\x1c", "\r\n", "x"]), max_size=20).map("".join))
def test_sentence_ends_of_ascii_text_are_where_the_end_pattern_finds_them(text):
    assert [m.span() for m in context._sentence_ends(text)] == \
        [m.span() for m in context._SENTENCE_END.finditer(text)]


@pytest.mark.parametrize("text, expected", [
    ("It rose. Then it fell!\nNext line? Yes.", ["It rose.", "Then it fell!", "Next line?", "Yes."]),
    ('He said "Stop." (Then) left.', ['He said "Stop."', "(Then) left."]),
    ("Output was 4.5 GW. Dr. Li agreed.", ["Output was 4.5 GW.", "Dr. Li agreed."]),
    ("One\n\n  two", ["One", "two"]),
])
def test_sentences_split_at_stops_and_line_breaks(text, expected):
    assert [sentence.text for sentence in context.sentences(text)] == expected


@pytest.mark.parametrize("words, text, expected", [
    ({"of", "of the e", "of the"}, "of the energy", "of the e"),
    ({"of", "of the e", "of the"}, "of the sun", "of the"),
    ({"of", "of the e"}, "of thing", "of"),
    ({"co", "coal", "carbon"}, "cobalt", "co"),
    ({"co", "coal", "carbon"}, "carbo", None),
])
def test_letter_tree_matches_the_longest_phrase(words, text, expected):
    found = re.match(context.letter_tree(words, whole_words=False, loose_spaces=False), text)
    assert (found.group() if found and found.group() else None) == expected
