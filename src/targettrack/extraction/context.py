"""The context of a figure: sentences and clauses, year expressions, and references to places."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter, methodcaller
from typing import AbstractSet, Iterable, Iterator, NamedTuple

_UPPER_LITERAL = re.compile(r"\\.|\(\?P[<=]|[A-Z]")


def for_lowered(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A case-insensitive pattern, compiled to match lower-cased text.

    Matching without IGNORECASE is several times faster; escapes and group names keep their case.
    """
    source = _UPPER_LITERAL.sub(lambda m: m.group().lower() if len(m.group()) == 1 else m.group(), pattern)
    return re.compile(source, flags)


def word_start(*words: str, loose: tuple[str, ...] = ()) -> str:
    """`\\b(?:word|word...)` written so that each alternative starts with a plain character.

    A pattern whose alternatives all start with a literal lets the regex engine skip straight to the
    positions where one may match; a leading \\b hides that. Each word (a regular expression that
    starts with a letter) becomes `x(?<=\\bx)rest`, which matches the same text at the same word
    starts. `loose` fragments (also starting with a plain character) need no word start before them.
    """
    options = [f"{first}(?<=\\b{first})(?:{'|'.join(tails)})" for first, tails in _by_first(words).items()]
    return "(?:" + "|".join(options + list(loose)) + ")"


def after_gap(*words: str) -> re.Pattern[str]:
    """A pattern finding each of `words` (regular expressions starting with a letter) at a word start,
    matched from the non-word character before it: search `" " + text`, where a match's start is the
    word's offset in `text`.

    The engine skips to the few non-word characters and tries the words only there; a word_start
    pattern is tried at nearly every letter when the words start with many letters.
    """
    options = "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in _by_first(words).items())
    return for_lowered(rf"\W(?:{options})\b")


def _by_first(words: tuple[str, ...]) -> dict[str, list[str]]:
    """The words (regular expressions starting with a letter or digit) grouped by that character: an
    alternation of groups fails at the first character where one of all the words would fail at each."""
    groups: dict[str, list[str]] = {}
    for word in words:
        if not word[0].isalnum():
            raise ValueError(f"a word must start with a letter or digit: {word!r}")
        groups.setdefault(word[0], []).append(word[1:])
    return groups


def letter_tree(phrases: Iterable[str], *, whole_words: bool = True, loose_spaces: bool = True) -> str:
    """One regular expression for many literal phrases, as a tree of their letters: it compiles and fails
    fast, each character tested once.

    A longer phrase is tried before the shorter one it extends ("kilowatt hours" before "kilowatt").
    With `whole_words`, a phrase ending in a letter or digit must end at a word boundary ("t" is not
    the start of "tons"); with `loose_spaces`, a space matches any run of white space.
    """
    tree: dict = {}
    for phrase in phrases:
        node = tree
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict, last: str) -> str:
        options = [(r"\s+" if char == " " and loose_spaces else re.escape(char)) + build(child, char)
                   for char, child in sorted(node.items()) if char]
        if "" in node:
            options.append(r"(?![a-z0-9])" if whole_words and last.isalnum() else "")
        if not options:
            return ""
        return options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"

    return build(tree, "")


def lowered(text: str) -> str:
    """`text` in lower case with every offset unchanged (the few characters that grow stay as they are)."""
    lower = text.lower()
    if len(lower) == len(text):
        return lower
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)

_ABBREVIATION_WORDS = ("Mr", "Mrs", "Ms", "Dr", "St", "No", "Nos", "Co", "Ltd", "Inc", "Corp", "Vol", "Jan", "Feb",
                       "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "vs", "etc", "approx",
                       "e.g", "i.e")
# Their last two letters: a set look-up rules out most full stops before the test for each word.
_ABBREVIATION_ENDINGS = frozenset(word[-2:] for word in _ABBREVIATION_WORDS)
_ABBREVIATIONS = re.compile(
    r"(?:\b(?:[A-Z]\.){1,3}|\b(?:" + "|".join(re.escape(word) for word in _ABBREVIATION_WORDS) + r")\.)$")
# Read as it is only in texts that are not ASCII (see _sentence_ends). The character class first lets
# the regex engine skip to a stop or a line break; an alternation of a repeat and a literal would be
# tried at every position of the text.
_SENTENCE_END = re.compile(r"[.!?。！？\n](?:(?<=\n)\s*|(?<=[.!?。！？])[.!?。！？]*[\"'”’)]*(?=\s+[\"'“‘(]?[A-Z0-9]))")
# In ASCII text a match starts at a full stop (with "!" and "?", read as one here) or at a line break.
# A pattern for each kind starts with one literal character, which the regex engine skips to many
# times faster than to a character of a class; the two kinds hold none of each other's characters,
# so their matches never overlap and together are those of _SENTENCE_END.
_STOPS_AS_DOT = bytes.maketrans(b"!?", b"..")
_STOP_END = re.compile(r"\.\.*[\"')]*(?=\s+[\"'(]?[A-Z0-9])")
_LINE_END = re.compile(r"\n\s*")
_MATCH_START = methodcaller("start")


def _sentence_ends(text: str) -> list[re.Match[str]]:
    """The matches of _SENTENCE_END in `text`, at the places its finditer gives them."""
    if not text.isascii():
        return list(_SENTENCE_END.finditer(text))
    stops = text.encode("ascii").translate(_STOPS_AS_DOT).decode("ascii") if "!" in text or "?" in text else text
    ends = list(_STOP_END.finditer(stops))
    if "\n" in text:
        ends += _LINE_END.finditer(text)
        ends.sort(key=_MATCH_START)
    return ends


@dataclass(slots=True)  # made by the thousand: plain slots are quicker to build than frozen
class Sentence:
    start: int
    end: int
    text: str
    lower: str  # the text lower-cased, same offsets


def sentences(text: str, lower: str | None = None) -> list[Sentence]:
    """Split a document into sentences (and lines), keeping offsets; `lower` is lowered(text) when known."""
    lower = lowered(text) if lower is None else lower
    found: list[Sentence] = []
    start = 0
    for match in _sentence_ends(text):
        # An abbreviation ends in the full stop that starts the match; a line break or "!" is no abbreviation.
        # Its search tries every position of the window, so it waits for a capital or an abbreviation's end.
        stop = match.start()
        if text[stop] == "." and (text[stop - 1].isupper() or text[stop - 2:stop] in _ABBREVIATION_ENDINGS
                                  and text.endswith(_ABBREVIATION_WORDS, 0, stop)) \
                and _ABBREVIATIONS.search(text, max(0, stop - 12), stop + 1):
            continue
        end = match.end()
        _add(found, text, lower, start, end)
        start = end
    _add(found, text, lower, start, len(text))
    return found


# Work on a sentence grows with its figures times its length: a longer "sentence" (a table or a list
# flattened into one line, a text with no full stops) is cut into pieces of at most this many characters.
MAX_SENTENCE = 2000
# Where a long sentence is cut, best first: after a clause mark, before a conjunction, at a space.
_CUT_POINTS = (re.compile(r"[;:]\s+"), re.compile(r",\s+|\s+(?=(?:and|but|while|whereas|or)\s)"), re.compile(r"\s+"))


def _add(found: list[Sentence], text: str, lower: str, start: int, end: int) -> None:
    chunk = text[start:end]
    lstripped = chunk.lstrip()
    stripped = lstripped.rstrip()
    if not stripped:
        return
    offset = end - len(lstripped)
    stop = offset + len(stripped)
    if stop - offset > MAX_SENTENCE:
        _add_long(found, text, lower, offset, stop)
        return
    found.append(Sentence(offset, stop, stripped, lower[offset:stop]))


def _add_long(found: list[Sentence], text: str, lower: str, start: int, end: int) -> None:
    """Cut text[start:end] into pieces of at most MAX_SENTENCE characters, each ending at the best cut
    point in its second half."""
    while end - start > MAX_SENTENCE:
        limit = start + MAX_SENTENCE
        cut = limit
        for pattern in _CUT_POINTS:
            last = None
            for last in pattern.finditer(text, start + MAX_SENTENCE // 2, limit):
                pass
            if last is not None:
                cut = last.end()
                break
        piece = text[start:cut].rstrip()
        if piece:
            found.append(Sentence(start, start + len(piece), piece, lower[start:start + len(piece)]))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        found.append(Sentence(start, end, text[start:end], lower[start:end]))


# Clause boundaries inside a sentence: where a new subject may start.
# Each alternative starts with a character, not \b, so the regex engine can skip ahead to candidates.
_CLAUSE_MARKS = (r";", r":", r",\s+(?:and|while|but|whereas|with)\b",
                 r",\s+(?=[a-z]+ (?:was|were|is|are|will|had|has)\b)")
_CLAUSE_WORDS = (r"w(?<=\bw)hile\b", r"a(?<=\ba)nd to\b")
CLAUSE_BREAK = re.compile("|".join(_CLAUSE_MARKS + _CLAUSE_WORDS))
# The word alternatives make a search stop at every "w" and "a": in a sentence without "while" or
# "and to" (most) the marks alone find the same breaks.
CLAUSE_MARK = re.compile("|".join(_CLAUSE_MARKS))

# --- years ------------------------------------------------------------------------------------

YEAR = r"(?:19[5-9]\d|20[0-9]\d)"
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
          r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?")
_ORDINAL_PLAN = for_lowered(r"\b(1[0-9])(?:th|st|nd|rd)\s+Five[- ]Year\s+Plan")


@dataclass(slots=True)
class YearMention:
    start: int
    end: int
    year: int
    role: str  # "deadline", "point", "baseline", "start", "attribute", "now", "past", "duration"


_MONTH_WORDS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov",
                "Dec")


def _word_set(words: tuple[str, ...]) -> frozenset[bytes]:
    return frozenset(word.encode("ascii") for word in words)


def _lead_words(leads: tuple[str, ...]) -> frozenset[bytes]:
    """The first words of a pattern's leads, as bytes (see _LETTERS_ONLY).

    In every lead its first word is followed by a space or "-" (or, at its end, by the pattern's
    \\s+): a non-letter, so the word stands alone among the sentence's words.
    """
    return frozenset(re.split("[^a-z]", lead, maxsplit=1)[0].encode("ascii") for lead in leads)


# The words of a sentence are its runs of ASCII lower-case letters, as bytes: each other character
# becomes a space, and a split finds them several times faster than a regex search for runs of letters.
# With a space added at both ends, a search for " word " finds the word where it stands alone, at the
# word's own offset in the sentence (the added space comes first).
_LETTERS_ONLY = bytes(c if ord("a") <= c <= ord("z") else ord(" ") for c in range(256))


class _YearScan(NamedTuple):
    """A year pattern and the quick tests year_mentions runs before it (each None when it has none).

    The words are looked up in the set of the sentence's words: one set operation in place of a
    substring search per word.
    """

    pattern: re.Pattern[str]
    role: str  # the role of its years
    gate: frozenset[bytes] | None  # words it cannot match without, other than its lead words
    leads: frozenset[bytes] | None  # the first words of its matches: it is tried only where they stand
    endings: tuple[str, ...] | None  # one of its years follows one of these and a space
    needs: re.Pattern[str] | None  # a search that must succeed first
    cased: bool = False  # matched against the sentence's own case, not the lower-cased one


def _lowered_scan(role: str, leads: tuple[str, ...], rest: str, gate: tuple[str, ...] | None = None,
                  endings: tuple[str, ...] | None = None) -> _YearScan:
    """A pattern of the lower-cased sentence: one of its `leads` (at a word start, see word_start), then `rest`."""
    return _YearScan(for_lowered(word_start(*leads) + rest), "point" if role == "range" else role,
                     _word_set(gate) if gate else None, _lead_words(leads), endings, None)


_BASELINE_LEADS = ("compared (?:with|to)", "relative to", "against",
                   "than(?: in| that of| the level of| at the end of)?", "below", "above", "from", "over", "on")
_ATTRIBUTE_LEADS = ("launched", "founded", "established", "issued", "released", "designated", "set", "built",
                    "signed", "adopted", "published", "announced", "started", "began")
_DEADLINE_LEADS = ("by", "before", "until", "till", "no later than", "through", "between now and",
                   "from now (?:until|till|to|through)")
_POINT_LEADS = ("in", "during", "for", "of", "as of", "at the end of", "end of", "at end-", "throughout", "within")
_MONTH_ENDINGS = tuple(month.lower() for month in _MONTH_WORDS) + tuple(month.lower() + "." for month in _MONTH_WORDS)
# The dated-month pattern ("May 5, 2021") needs a comma before its year: rare, and a search for it (a
# literal first) costs less than testing the twelve month words.
_COMMA_YEAR = re.compile(rf",\s*{YEAR}")

# In the order they are tried: a year already inside a mention is not taken again.
_YEAR_SCANS = [
    # The baseline leads ("from", "than", "over", "on") are in most sentences with a year; its year
    # follows the last word of a lead or of an optional word between lead and year: a look at the few
    # characters before each year decides whether it can match at all. ("point" leads end in "in" before
    # most years: a look there costs more than it saves.)
    _lowered_scan("baseline", _BASELINE_LEADS,
                  rf"\s+(?:the\s+)?(?:end of\s+)?(?:{_MONTH}\s+)?(?P<y>{YEAR})(?:\s+levels?)?\b",
                  endings=("compared with", "compared to", "relative to", "against", "than", "than in", "that of",
                           "level of", "end of", "below", "above", "from", "over", "on", "the") + _MONTH_ENDINGS),
    _lowered_scan("baseline", ("the", "its", "their"), rf"\s+(?P<y>{YEAR})\s+levels?\b", gate=("level", "levels")),
    _lowered_scan("start", ("since",), rf"\s+(?:the\s+end\s+of\s+)?(?:{_MONTH}\s+)?(?P<y>{YEAR})\b"),
    _lowered_scan("attribute", _ATTRIBUTE_LEADS, rf"\s+(?:\w+\s+)?(?:in|on)\s+(?:\w+\s+)?(?P<y>{YEAR})\b"),
    _lowered_scan("range", ("from", "between"), rf"\s+(?P<y0>{YEAR})\s+(?:to|and|through)\s+(?P<y>{YEAR})\b"),
    # Its leads' first words ("no", "from", "between") are common: the words of "no later than", "from now" are not.
    _lowered_scan("deadline", _DEADLINE_LEADS,
                  rf"\s+(?:the\s+)?(?:end\s+of\s+)?(?:{_MONTH}\s+)?(?:\d{{1,2}},?\s+)?(?:fiscal\s+(?:year\s+)?)?"
                  rf"(?P<y>{YEAR})\b",
                  gate=("by", "before", "until", "till", "later", "through", "now")),
    _lowered_scan("point", _POINT_LEADS,
                  rf"\s+(?:the\s+)?(?:whole\s+)?(?:(?:fiscal\s+)?year\s+|fiscal\s+)?(?:(?:\d{{1,2}}\s+)?{_MONTH}\s+)?"
                  rf"(?:\d{{1,2}},?\s*)?(?P<y>{YEAR})\b(?!\s*[-–]\s*\d)"),
    _YearScan(re.compile(word_start(*_MONTH_WORDS) + rf"\.?\s+\d{{1,2}},\s*(?P<y>{YEAR})\b"), "point",
              gate=None, leads=None, endings=None, needs=_COMMA_YEAR, cased=True),
]


def _may_follow(lower: str, digits: list[int], endings: tuple[str, ...]) -> bool:
    """Can a year of the sentence follow a space and one of `endings`? False only when none can.

    A year after a space is one of `digits`: their search skips only years that start inside a longer
    run of digits.
    """
    for digit in digits:
        before = digit
        while before and lower[before - 1].isspace():
            before -= 1
        if before < digit and lower.endswith(endings, 0, before):
            return True
    return False


def _matches_at(pattern: re.Pattern[str], lower: str, spaced: bytes, words: AbstractSet[bytes], start: int,
                end: int, also: list[int] | tuple[()] = ()) -> list[re.Match[str]]:
    """pattern.finditer(lower, start, end) for a pattern whose matches start with one of `words` or at
    one of the offsets `also`.

    The regex engine would try the pattern at each of the many letters a lead word may start with;
    a byte search for the words alone in `spaced` (see _LETTERS_ONLY) finds the few places where it may
    match. finditer tries each place in turn and goes on after the end of a match: so does this.
    """
    starts = [*also]
    find = spaced.find
    for word in words:
        needle, limit = b" " + word + b" ", end + len(word) + 1
        at = find(needle, start, limit)
        while at >= 0:
            starts.append(at)
            at = find(needle, at + 1, limit)
    if len(starts) > 1:
        starts.sort()
    found: list[re.Match[str]] = []
    after = start  # finditer's matches do not overlap
    match = pattern.match
    for at in starts:
        if at >= after and (m := match(lower, at, end)):
            found.append(m)
            after = m.end()
    return found

# "2021: ..." at a line start: a plan item of that year.
_PLAN_ITEM = re.compile(rf"\s*(?P<y>{YEAR})\s*[:：]")
_PLAN_ITEMS = re.compile(rf"^\s*(?P<y>{YEAR})\s*[:：]", re.MULTILINE)
_RELATIVE_PHRASES = ("last year", "this year", "next year", "the previous year", "a year earlier", "the year before",
                     "the same period last year", "the end of last year", "the end of this year", "the current year",
                     "the middle of this century", "mid-century", "the middle of the century")
_RELATIVE = for_lowered(r"(?P<w>" + word_start(*_RELATIVE_PHRASES) + r")\b")
# Each phrase holds "year" or "century": its matches lie near those words, and the search needs to
# run only from this many characters before the first of them to this many after the last.
_RELATIVE_BEFORE = max(phrase.find("year") if "year" in phrase else phrase.find("century")
                       for phrase in _RELATIVE_PHRASES)
_RELATIVE_AFTER = max(len(phrase) - (phrase.find("year") if "year" in phrase else phrase.find("century"))
                      for phrase in _RELATIVE_PHRASES)
_PLAN_PERIOD = for_lowered(
    r"\b(?P<lead>by the end of|at the end of|during|in|by|within|over|throughout|for)?\s*(?:the\s+)?"
    r"(?P<n>1[0-9])(?:th|st|nd|rd)\s+Five[- ]Year\s+Plan(?:\s+period)?")
# The ordinal and the plan's name, which every match holds; its first character is a literal.
_PLAN_ORDINAL = re.compile(r"1[0-9](?:th|st|nd|rd)\s+five[- ]year\s+plan")
_PLAN_LEAD = 13  # the longest lead, "by the end of"


# A sentence with no year's digits names a year only through one of these (a substring search each
# is many times faster than a regex search for them all, which tries nearly every position).
_YEAR_WORDS = ("year", "century", "now", "today", "current", "present", "decade")
# "the 2023-24 fiscal year", "FY2023-24", "2023/24": a fiscal year, named by the year it ends in.
_FISCAL = re.compile(rf"(?P<y0>{YEAR})\s*[-–/]\s*(?P<yy>\d\d)(?!\d)")
_FISCAL_DEADLINE = for_lowered(r"(?:\bby|\bbefore|\buntil|\bthrough)\s+(?:the\s+)?(?:end\s+of\s+)?(?:fiscal\s+(?:year\s+)?|fy\s*)?$")
# Words for the time of writing: the figure describes the publication year (used when no year is named).
_PRESENT = for_lowered(word_start("today", "now", "currently", "at present", "presently", "so far", "to date",
                                  "as of now", "at the moment") + r"\b(?![-‑])")
# A word each of those phrases holds ("so far": "far"), for a look in the sentence's set of words.
_PRESENT_GATE = _word_set(("now", "today", "currently", "present", "presently", "far", "date", "moment"))
# "over the past five years", "in the last decade": a period that ended with the last full year.
_PAST_PERIOD = for_lowered(word_start("over", "in", "during", "for")
                           + r"\s+the\s+(?:past|last|previous)\s+(?:(?:\w+|\d+)\s+years|decade|few years)\b")
# "over five years", "within the next three years", "in ten years": a duration of its own, no year.
_DURATION = for_lowered(word_start("over", "within", "in", "during", "for")
                        + r"\s+(?:the\s+)?(?:next\s+|coming\s+|following\s+)?(?:\w+|\d+)\s+years\b"
                        r"|-year\s+(?:period|programme|program|span)\b")
_DURATION_LEADS = _lead_words(("over", "within", "in", "during", "for"))


def _hyphen_years(lower: str) -> list[int]:
    """Where "-year" stands in the sentence: the other start of a _DURATION match."""
    starts = []
    at = lower.find("-year")
    while at >= 0:
        starts.append(at)
        at = lower.find("-year", at + 1)
    return starts


# YEAR's first two characters and the third characters each allows after them.
_YEAR_LEADS = (("19", "56789"), ("20", "0123456789"))


def _year_starts(sentence: str) -> list[int]:
    """Where re.finditer(YEAR, sentence) finds a year.

    The regex engine tests every character against YEAR's first characters; two substring searches
    find the few places where a year may start many times faster.
    """
    starts: list[int] = []
    find, last = sentence.find, len(sentence) - 4
    for lead, thirds in _YEAR_LEADS:
        at = find(lead)
        while 0 <= at <= last:
            if sentence[at + 2] in thirds and sentence[at + 3].isdecimal():  # isdecimal is what \d matches
                starts.append(at)
            at = find(lead, at + 1)
    if len(starts) < 2:
        return starts
    # finditer's years do not overlap: "2020201" holds one.
    starts.sort()
    years, after = [], 0
    for at in starts:
        if at >= after:
            years.append(at)
            after = at + 4
    return years


_LEAD_SPAN = 90  # the longest lead of a year pattern ("than at the end of the whole year December 31, ")
_TRAIL_SPAN = 40  # what a pattern may look at after its year (" levels", "-2025" ruled out)


def _all_covered(found: list[YearMention], digits: list[int]) -> bool:
    """Does some mention hold each of the four digits of every year found in the sentence?

    A year may also start inside one of `digits` (the search does not overlap), so all four count.
    """
    for digit in digits:
        for mention in found:
            if mention.start <= digit and digit + 4 <= mention.end:
                break
        else:
            return False
    return True


def _add_year(found: list[YearMention], start: int, end: int, year: int, role: str) -> None:
    """Add a mention unless it overlaps one found before (so there is one per position)."""
    for other in found:
        if other.start <= start < other.end or start <= other.start < end:
            return
    found.append(YearMention(start, end, year, role))


_START = attrgetter("start")


def _plan_periods(lower: str) -> Iterator[re.Match[str]]:
    """_PLAN_PERIOD.finditer(lower), searched only from a little before each ordinal.

    _PLAN_PERIOD starts with optional parts, so the regex engine would try it at every position.
    A match is a lead, white space and "the" before an ordinal: it starts at most _PLAN_LEAD
    characters before the white space, "the" and white space in front of its ordinal.
    """
    after = 0  # finditer's matches do not overlap
    for ordinal in _PLAN_ORDINAL.finditer(lower):
        at = ordinal.start()
        if at < after:
            continue
        while at and lower[at - 1].isspace():  # isspace is what \s matches
            at -= 1
        if lower.endswith("the", 0, at):
            at -= 3
            while at and lower[at - 1].isspace():
                at -= 1
        if m := _PLAN_PERIOD.search(lower, max(after, at - _PLAN_LEAD)):
            yield m
            after = m.end()


def _relative_phrases(lower: str) -> Iterator[re.Match[str]]:
    """_RELATIVE.finditer(lower) for a sentence that holds "year" or "century"."""
    first, last = len(lower), -1
    for word in ("year", "century"):
        if (at := lower.find(word)) >= 0:
            first, last = min(first, at), max(last, lower.rfind(word))
    # One character more at the end: the \b after a phrase sees the sentence's next character.
    return _RELATIVE.finditer(lower, max(0, first - _RELATIVE_BEFORE), last + _RELATIVE_AFTER + 1)


def year_mentions(sentence: str, published_year: int | None, lower: str | None = None) -> list[YearMention]:
    """Every year expression in a sentence with its role, in order (one per position); `lower` is
    lowered(sentence) when known."""
    found: list[YearMention] = []
    lower = lowered(sentence) if lower is None else lower
    digits = _year_starts(sentence)
    # A year's digits are enough; only a sentence without them needs the search for the words.
    if not digits and not any(word in lower for word in _YEAR_WORDS):
        return []
    # One pass for the words of the sentence; each gate below is then a set operation.
    letters = lower.encode("ascii", "replace").translate(_LETTERS_ONLY)
    sentence_words = set(letters.split())
    spaced = b" " + letters + b" "  # each word with a space before and after it

    for m in _FISCAL.finditer(sentence) if digits and ("-" in sentence or "/" in sentence or "–" in sentence) else ():
        first, last = int(m.group("y0")), int(m.group("yy"))
        if last == (first + 1) % 100:
            role = "deadline" if _FISCAL_DEADLINE.search(lower, max(0, m.start() - 40), m.start()) else "point"
            _add_year(found, m.start(), m.end(), first + 1, role)
    if digits:
        # Every pattern ends at a year and starts at most a few words before it.
        window_start, window_end = max(0, digits[0] - _LEAD_SPAN), digits[-1] + _TRAIL_SPAN
        covered_by = 0  # how many mentions there were when coverage was last tested
        for pattern, role, gate, leads, endings, needs, cased in _YEAR_SCANS:
            if gate is not None and gate.isdisjoint(sentence_words):
                continue  # none of the words: the pattern cannot match
            if leads is not None and not (leads := leads & sentence_words):
                continue
            if endings is not None and not _may_follow(lower, digits, endings):
                continue
            if needs is not None and needs.search(sentence) is None:
                continue
            matches: Iterable[re.Match[str]]
            if leads is None:
                matches = pattern.finditer(sentence if cased else lower, window_start, window_end)
            else:
                matches = _matches_at(pattern, lower, spaced, leads, window_start, window_end)
            for m in matches:
                _add_year(found, m.start(), m.end(), int(m.group("y")), role)
            if len(found) > covered_by and _all_covered(found, digits):
                break  # every later match holds a year already inside a mention: add would refuse it
            covered_by = len(found)
        else:
            if "\n" in sentence:
                for m in _PLAN_ITEMS.finditer(sentence):
                    _add_year(found, m.start(), m.end(), int(m.group("y")), "plan")
            elif item := _PLAN_ITEM.match(sentence):
                _add_year(found, item.start(), item.end(), int(item.group("y")), "plan")
    for m in _plan_periods(lower) if "plan" in lower and "five" in lower else ():
        # A five-year plan stands for its last year: the 14th runs 2021-2025.
        year = 2025 + 5 * (int(m.group("n")) - 14)
        role = "deadline" if m.group("lead") else "attribute"
        _add_year(found, m.start("n") if not m.group("lead") else m.start(), m.end(), year, role)
    # Each of its phrases holds the word "year" or "century".
    for m in _relative_phrases(lower) if b"year" in sentence_words or b"century" in sentence_words else ():
        word = m.group("w").lower()
        if "century" in word:
            _add_year(found, m.start(), m.end(), 2050, "deadline")
            continue
        if published_year is None:
            # "last year" in an undated text: the year is unknown, not the one of a sentence before.
            _add_year(found, m.start(), m.end(), 0, "baseline" if "same period" in word or "previous" in word
                or "earlier" in word or "before" in word else "point")
            continue
        if word in ("last year", "the end of last year", "the same period last year"):
            role = "baseline" if "same period" in word else "point"
            _add_year(found, m.start(), m.end(), published_year - 1, role)
        elif word in ("this year", "the end of this year", "the current year"):
            _add_year(found, m.start(), m.end(), published_year, "point")
        elif word == "next year":
            _add_year(found, m.start(), m.end(), published_year + 1, "deadline")
        else:
            _add_year(found, m.start(), m.end(), 0, "baseline")
    if " years" in lower or "decade" in lower or "-year " in lower:
        for m in _PAST_PERIOD.finditer(lower) if "past" in lower or "last" in lower or "previous" in lower else ():
            _add_year(found, m.start(), m.end(), published_year - 1 if published_year else 0, "past")
        # Tried where one of its lead words or "-year" stands, not at each of the many letters they start with.
        for m in _matches_at(_DURATION, lower, spaced, _DURATION_LEADS & sentence_words, 0, len(lower),
                             _hyphen_years(lower)):
            _add_year(found, m.start(), m.end(), 0, "duration")
    if not _PRESENT_GATE.isdisjoint(sentence_words):
        for m in _PRESENT.finditer(lower):
            _add_year(found, m.start(), m.end(), published_year or 0, "now")
    if len(found) > 1:
        found.sort(key=_START)
    return found


# --- place references -------------------------------------------------------------------------

# Words that point back to a place of a given level named earlier ("the city", "the province").
REFERENCE = for_lowered(r"(?P<ref>" + word_start(
    "the (?:whole |entire )?(?:city|municipality|province|autonomous region|region|island|county|district"
    "|country|nation|prefecture)(?!['’]s? (?:capital|party|leaders?))",
    "the state(?![-‑]|['’]s? (?:capital|council)| (?:council|grid|of|owned|department|administration|media))",
    "the state['’]s", "nationwide", "national(?:ly)?", "across the country",
    "the whole country", "my country", "our country", "the nation['’]s", "the country['’]s", "the city['’]s",
    "the province['’]s", "the region['’]s", "provincial", "municipal", "regional") + r")\b")
REFERENCE_LEVEL = {
    "city": "city", "municipality": "city", "municipal": "city", "province": "province", "provincial": "province",
    "autonomous region": "province", "region": "province", "regional": "province", "island": "province",
    "county": "county", "district": "district", "state": "state", "prefecture": "province", "country": "country", "nation": "country",
    "national": "country", "nationally": "country", "nationwide": "country",
}
_REFERENCE_KEYS = sorted(REFERENCE_LEVEL, key=len, reverse=True)  # longest first: "autonomous region" before "region"
# "third in the country", "first nationwide", "top ten in the nation": rankings, not the subject.
RANKING_BEFORE = for_lowered(
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|top\s+\w+|\d+(?:st|nd|rd|th)|"
    r"ranks?|ranked|ranking|leading|largest|highest|lowest|best)\s+(?:\w+\s+){0,4}(?:in|among|of)\s+(?:all\s+)?$")


@lru_cache(maxsize=256)  # a few phrases come back in every text
def reference_level(phrase: str) -> str | None:
    """The level a reference phrase points to ("the city" -> "city")."""
    words = phrase.lower().replace("’", "'").replace("'s", "")
    for key in _REFERENCE_KEYS:
        if key in words:
            return REFERENCE_LEVEL[key]
    return None
