"""Classification helpers: the one-pass keyword search finds what each metric's own pattern finds."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from targettrack import metrics
from targettrack.extraction import classify


def _plain_hits(sentence: str) -> list[tuple[int, int, str]]:
    """The keyword hits found the slow way: every metric's pattern over the whole sentence."""
    lower = classify.lowered(sentence)
    found = [(number, hit.start(), hit.end()) for number, (_, pattern) in enumerate(classify._metric_list())
             for hit in pattern.finditer(lower)]
    listed = classify._metric_list()
    return [(start, end, listed[number][0].key) for number, start, end in sorted(found)]


def _hits(sentence: str) -> list[tuple[int, int, str]]:
    return [(start, end, m.key) for start, end, m in classify.keyword_hits(sentence)]


KEYWORD_SENTENCES = [
    "Installed wind power capacity reached 300 GW, and solar power capacity 250 GW.",
    "The share of non-fossil fuels in primary energy consumption rose to 17.5 percent.",
    "Carbon dioxide emissions per unit of GDP fell 18 percent; coal consumption dropped.",
    "Forest coverage reached 24 percent while PM2.5 concentration fell to 30 micrograms.",
    "The new energy vehicles sold numbered 6.8 million, of which electric cars made up most.",
    "Nothing here names a metric at all.",
    "",
    "(wind)solar/hydro-power,coal;nuclear:gas",
    "Électricité renouvelable: wind power up 12 percent in Zürich.",
    "Installed wind and solar power capacity reached 1.2 billion kilowatts, and the share of "
    "non-fossil energy in primary energy consumption rose to 17.5 percent.",
    "The province will plant 40,000 hectares of forest, raising forest coverage to 62%.",
    "Of the new power, of the electricity generated from renewable sources, 30% came from hydropower.",
    "“Carbon dioxide emissions per unit of GDP” fell; PM2.5 concentration averaged 29 micrograms.",
]


@pytest.mark.parametrize("sentence", KEYWORD_SENTENCES)
def test_keyword_hits_are_those_of_each_metric_pattern(sentence):
    assert _hits(sentence) == _plain_hits(sentence)


def _clear_keyword_caches():
    for cached in (classify._metric_list, classify._keyword_index, classify.keyword_hits,
                   classify._keyword_layout, classify._fits, classify._metric_traits):
        cached.cache_clear()


def test_a_keyword_starting_with_a_symbol_is_found(monkeypatch):
    # A user's vocabulary may start a keyword with a non-word character.
    real = metrics.metrics()
    added = metrics.Metric(key="price_share", label="Price share", additive=False, units=("%",), weight=2.0,
                           keywords=(r"\$ per ton", "price"), pattern=re.compile(r"\b(?:\$ per ton|price)"))
    monkeypatch.setattr(metrics, "metrics", lambda: {**real, "price_share": added})
    _clear_keyword_caches()
    try:
        sentence = "Coal cost 120$ per ton, a price 5% higher; the $ per ton figure is new."
        assert _hits(sentence) == _plain_hits(sentence)
        assert "price_share" in {key for _, _, key in _hits(sentence)}
        for text in KEYWORD_SENTENCES:
            assert _hits(text) == _plain_hits(text)
    finally:
        monkeypatch.undo()
        _clear_keyword_caches()


def _keyword_words() -> list[str]:
    words = set()
    for m, _ in classify._metric_list():
        for keyword in m.keywords:
            words.update(re.findall(r"[a-z0-9.]+", keyword.lower()))
    return sorted(words)


_PIECES = st.one_of(st.sampled_from(_keyword_words()), st.sampled_from([" ", ", ", "-", "(", ".", "'s ", "of the ", "x"]),
                    st.text(alphabet="abcdeilnoprstuw ", max_size=6))


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=14).map("".join))
def test_keyword_hits_match_the_plain_search_on_keyword_soup(sentence):
    assert _hits(sentence) == _plain_hits(sentence)


_PLAIN_SIZE_CLASS = re.compile(
    r"(?:\b(?:units?|plants?|projects?|boilers?|enterprises?|companies|vehicles?|ships?)\s+(?:of|with|above|over)|"
    r"\b(?:single|each|every|per)\s+[\w-]+\s+(?:of|above|over|exceeding))\s+(?:more than |over |at least |above )?$")
_PLAIN_PER = re.compile(r"\b(?:per(?: unit of)?|for every)\s*$")


@pytest.mark.parametrize("before", [
    "generating units of ", "new plants with ", "subunits of ", "each single-unit of more than ", "for every ",
    "energy use per unit of ", "emissions per ", "upper ", "apper ", "units of\n", "per  ", "every plant above ",
    "companies over at least ", "single boiler exceeding ", "built plants with ", "the unit's share of ", "",
])
def test_threshold_and_denominator_phrases_as_word_starts(before):
    assert bool(classify._SIZE_CLASS.search(before)) == bool(_PLAIN_SIZE_CLASS.search(before))
    assert bool(classify._PER.search(before)) == bool(_PLAIN_PER.search(before))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["units", "unit", "per", "each", "plants", "of", "over", "with", "more than",
                                 "at least", "for", "every", "sub", " ", "  ", "\n", "-", "x"]),
                max_size=10).map("".join))
def test_threshold_and_denominator_phrases_on_word_soup(before):
    assert bool(classify._SIZE_CLASS.search(before)) == bool(_PLAIN_SIZE_CLASS.search(before))
    assert bool(classify._PER.search(before)) == bool(_PLAIN_PER.search(before))


def _plain_breaks(sentence: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in classify.CLAUSE_BREAK.finditer(sentence)]


@pytest.mark.parametrize("sentence", [
    "Coal use fell 3 percent, while wind power rose 20 percent.",
    "While coal use fell, wind power rose; solar grew: 40 GW.",
    "The city aims to cut emissions and to raise forest cover, and the county will plant trees.",
    "Output rose 5 percent, exports were flat, imports fell.",
    "awhile and tomorrow, bandto meanwhile",
    "",
])
def test_clause_breaks_are_those_of_the_full_pattern(sentence):
    assert classify._breaks(sentence) == _plain_breaks(sentence)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["while", "and", "to", "and to", ",", ";", ":", " ", "was", "coal", "a", "w",
                                 "hile", "We", "While"]), max_size=25).map("".join))
def test_clause_breaks_of_word_mixes_are_those_of_the_full_pattern(sentence):
    assert classify._breaks(sentence) == _plain_breaks(sentence)


@pytest.mark.parametrize("word", classify._LOGISTICS_WORDS)
def test_each_logistics_word_starts_with_four_plain_letters(word):
    # The gate is a substring test for each word's first four characters: they must be letters, not a pattern.
    assert re.fullmatch("[a-z]{4}", word[:4])


@pytest.mark.parametrize("sentence, logistics", [
    ("The expo drew 120,000 visitors over four days.", True),
    ("More than 3,000 delegates attended the forum.", True),
    ("The report runs to 200 pages.", True),
    ("The park covers 300 hectares of wetland.", False),
    ("The party planted 300 trees.", False),  # a gate word ("part") without a logistics word
])
def test_event_logistics_found_through_the_gate(sentence, logistics):
    lower = classify.lowered(sentence)
    figure = re.search(r"\d[\d,]*", sentence)
    reason = classify.drop_reason(sentence, lower, figure.start(), figure.end(), figure.group(), "count", lower)
    assert (reason == "event logistics") == logistics


def _word_start_pattern(words):
    return classify.for_lowered(classify.word_start(*words) + r"\b")


_CUE_LISTS = [
    (classify._CUE_OR_PAST, (*classify._TARGET_WORDS, *classify._PAST_VERBS)),
    (classify._TARGET_CUES, classify._TARGET_WORDS),
    (classify._OUTCOME_CUES, classify._OUTCOME_WORDS),
    (classify._LOGISTICS, classify._LOGISTICS_WORDS),
]


@pytest.mark.parametrize("text", [
    "will", "the city will add 5 gw", "swill and twill", "it was planned", "the target was met",
    "goals: 40 gw", "-expected", "plans_to", "rose", "arose", "is set to rise", "aims", "aimsx", "",
])
@pytest.mark.parametrize("gapped, words", _CUE_LISTS)
def test_cue_words_found_from_the_gap_are_the_word_starts(text, gapped, words):
    plain = _word_start_pattern(words).search(text)
    found = gapped.search(" " + text)
    assert (found and found.start()) == (plain and plain.start())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["will", "was", "plan", "plans", "target", "s", "a", "rose", "is to", " ", ",", "-",
                                 "_", "1", "é", "aimed", "hit"]), max_size=20).map("".join), st.integers(0, 30))
def test_cue_word_searches_from_any_offset_match_the_word_starts(text, offset):
    for gapped, words in _CUE_LISTS:
        plain = _word_start_pattern(words)
        found = gapped.search(" " + text, offset)
        expected = plain.search(text, offset)
        assert (found and found.start()) == (expected and expected.start())
        assert (gapped.match(" " + text, offset) is None) == (plain.match(text, offset) is None)


_FULL_DATE_BEFORE = re.compile(rf"{classify._MONTHS}\s*$|{classify._MONTHS}\s+\d{{1,2}},\s*$|\b(?:on|On) the\s*$")


def _date_before_as_called(window: str) -> bool | None:
    """_date_before as drop_reason calls it (None where its gate on the last word keeps it from being asked)."""
    tail = classify.lowered(window).rstrip()
    if not tail.endswith(classify._DATE_TAILS):
        return None
    return classify._date_before(window, tail)


@pytest.mark.parametrize("window", [
    "on the ", "On the  ", "Moon the ", "upon the ", "on the", "n the ", "the ", "ON THE ", "Prices on the\n",
    "in May ", "in May", "since Sept. ", "September.  ", "Omar ", "in MAY ", "in may ", "late December\t",
    "on May 5, ", "May 12,", "on May 123, ", "In 2020, ", "on Jan.  7, ", "May,", "x" * 35 + "May 5, ",
    "x" * 38 + "on the ", "the", ",", "",
])
def test_date_before_a_figure_is_what_the_full_pattern_finds(window):
    found = _date_before_as_called(window)
    assert found is None or found == bool(_FULL_DATE_BEFORE.search(window))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["on", "On", " the", "the", " ", "\n", "May", "Sept", ".", ",", "5", "12", "mo",
                                 "ber", "Dec", "x", "é"]), max_size=14).map("".join))
def test_date_before_mixes_are_what_the_full_pattern_finds(window):
    window = window[-40:]
    found = _date_before_as_called(window)
    assert found is None or found == (_FULL_DATE_BEFORE.search(window) is not None)


_PLAIN_CHANGE_PATTERNS = [
    (classify._TO_LEVEL, r"\bto\s+(?:(?:about|around|nearly|more than|over|some|roughly)\s+)?$"),
    (classify._MAKE_UP, r"\bma(?:ke|kes|de|king) up\s+(?:(?:about|around|nearly|more than|over|some|roughly)\s+)?$"),
    (classify._INCREASE_BEFORE, r"\b(?:" + "|".join(classify._INCREASE_VERBS) + r")\s+(?:by\s+)?(?:of\s+)?"
     r"(?:a\s+net\s+|a\s+|an\s+)?(?:(?:more than|over|about|nearly|almost|around|some|roughly)\s+)?$"),
]


@pytest.mark.parametrize("before", [
    "rose to ", "onto ", "auto ", "to ", "(to about ", "output grew by ", "soup ", "it was up by a net ",
    "makes up ", "remake up ", "it made up more than ", "added ", "padded ", "_up ", "rose 5 percent ", "",
])
@pytest.mark.parametrize("pattern, plain", _PLAIN_CHANGE_PATTERNS)
def test_change_words_at_word_starts_match_as_with_a_word_boundary(before, pattern, plain):
    expected = re.compile(plain).search(before)
    found = pattern.search(before)
    assert (found and found.span()) == (expected and expected.span())


def _plain_comparator(before: str, after: str) -> str:
    """comparator() without its gates: every pattern tried in turn."""
    tail = before[-45:]
    if classify._NOT_LESS.search(tail):
        return ">="
    if classify._NOT_MORE.search(tail):
        return "<="
    if classify._AT_MOST.search(tail):
        return "<="
    if classify._AT_LEAST.search(tail) or classify._AT_LEAST_AFTER.match(after):
        return ">="
    if classify._ABOUT.search(tail):
        return "~"
    return "="


@pytest.mark.parametrize("before", [
    "rose to ", "up to ", "close to ", "a maximum of ", "maximum of ", "upwards of ", "in excess of ", "share of ",
    "capped at ", "stood at ", "at most ", "as high as ", "as much as ", "as  much as ", "was as ", "no more than ",
    "not less than ", "rather than ", "at least ", "less than the ", "more than the about ", "over the ",
    "x" * 40 + "up to ", "x" * 36 + "a maximum of ", "about", "",
])
@pytest.mark.parametrize("after", ["", " or more", " and above"])
def test_comparator_gates_answer_as_every_pattern_does(before, after):
    assert classify.comparator(before, after) == _plain_comparator(before, after)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["up", "to", "close", "a", "maximum", "of", "capped", "at", "most", "as", "high",
                                 "much", "upwards", "in", "excess", "least", "the", "about", "than", "no", "more",
                                 " ", " ", "  ", "x"]), max_size=12).map("".join),
       st.sampled_from(["", " or more", " tons"]))
def test_comparator_of_word_mixes_answers_as_every_pattern_does(before, after):
    assert classify.comparator(before, after) == _plain_comparator(before, after)


_PLAIN_DENOMINATOR_BEFORE = (
    r"(?:\bof|\bin|\bfor|\bfrom)\s+(?:(?:the|its|their|total|all|primary|gross|whole|nation's|country's|society's|"
    r"year's|newly|installed|new)\s+)*$")


@pytest.mark.parametrize("before", [
    "share of ", "proportion of the total ", "roof ", "in the nation's ", "within ", "coal in total ", "forfrom ",
    "from all new ", "share of the power ", "", "of",
])
def test_denominator_prepositions_at_word_starts_match_as_with_a_word_boundary(before):
    expected = re.search(_PLAIN_DENOMINATOR_BEFORE, before)
    found = classify._DENOMINATOR_BEFORE.search(before)
    assert (found and found.span()) == (expected and expected.span())
