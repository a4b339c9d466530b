"""What a figure is: a record or not (and why not), target or outcome, metric, comparator, change."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache

from targettrack import metrics as metric_vocabulary
from targettrack.extraction.context import (CLAUSE_BREAK, CLAUSE_MARK, after_gap, for_lowered, letter_tree,
                                             lowered, word_start)


# --- not records ------------------------------------------------------------------------------

_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|" \
          r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
# The three ways a date may end before a figure ("in May 2024", "on May 5, 2024", "on the 5th"),
# each tried only where the text's last word lets it end there (see _date_before).
_MONTH_BEFORE = re.compile(rf"{_MONTHS}\s*$")
_MONTH_DAY_BEFORE = re.compile(rf"{_MONTHS}\s+\d{{1,2}},\s*$")
_ON_THE_BEFORE = re.compile(r"\b(?:on|On) the\s*$")
_LONGEST_MONTH = len("September.")
_DATE_AFTER = re.compile(rf"^\s*(?:{_MONTHS}|(?:st|nd|rd|th)\b|\s*[/.]\d{{1,2}}[/.]|-\d{{1,2}}-\d)")
_TIME = for_lowered(r"^\s*(?::\d\d|\s*(?:a\.m\.|p\.m\.|am\b|pm\b|o'clock))")
_ORDINAL_AFTER = re.compile(r"^(?:st|nd|rd|th)\b|^-(?:st|nd|rd|th)\b")
_PLAN_NAME_AFTER = for_lowered(r"^[- ](?:Year|year)[- ]Plan|^\+\d|^\s*\+")
_DURATION_AFTER = for_lowered(
    r"^[\s-]*(?:consecutive\s+|straight\s+|more\s+|full\s+)?(?:years?|months?|weeks?|days?|hours?|minutes?|"
    r"decades?|centuries|century)\b(?!\s+(?:of\s+)?(?:good|excellent|with good))")
_AGE = for_lowered(r"^\s*(?:years?[- ]old|-year-old)|aged\s*$")
_PHONE = re.compile(r"^[\d\- ]{3,}\d{4}")
_LOGISTICS_WORDS = ("exhibit(?:ion|ors?|s)?", "expo", "booths?", "visitors?", "audience", "attendees?",
                    "participants?", "delegates?", "delegation", "exhibition area", "venue", "forum", "sessions?",
                    "pages?", "seminar", "tickets?")
_LOGISTICS = after_gap(*_LOGISTICS_WORDS)  # searched in " " + text
# Every word starts with four plain letters: a substring test for those rules out most clauses at once.
_LOGISTICS_GATE = tuple(sorted({word[:4] for word in _LOGISTICS_WORDS}))
_RANKING = for_lowered(r"(?:\btop|\bNo\.|\bnumber|\branks?|\branked|\branking)\s*$")
_SHARE_PRICE = for_lowered(word_start("per share", "share price", "stock price",
                                        "shares (?:rose|fell|closed|jumped|dropped)") + r"\b")
_VOTE = re.compile(r"^\s*[-–]\s*\d+\b")
_VOTE_WORDS = for_lowered(word_start("votes?", "voted", "senate", "house", "ballot", "score[sd]?", "won", "beat")
                          + r"\b")
# Written as word starts (see word_start) so that the search skips to the letters a phrase may start with.
_SIZE_CLASS = for_lowered(word_start(
    *(rf"{noun}\s+(?:of|with|above|over)"
      for noun in ("units?", "plants?", "projects?", "boilers?", "enterprises?", "companies", "vehicles?", "ships?")),
    *(rf"{each}\s+[\w-]+\s+(?:of|above|over|exceeding)" for each in ("single", "each", "every", "per")))
    + r"\s+(?:more than |over |at least |above )?$")
_RATIO_AFTER = re.compile(r"^\s*(?:to|:)\s*1\b")
_CLASS_AFTER = re.compile(r"^\s*(?:and|or)\s+(?:above|more|over|larger)|^\s*(?:each|or more|and above|apiece)\b")
# "energy consumption per 10,000 yuan of GDP": the figure is what a rate is measured per.
_PER = re.compile(word_start("per(?: unit of)?", "for every") + r"\s*$")
# The last word before a figure that each pattern ending at the figure needs (lower-cased).
_DATE_TAILS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
               "dec", "jan.", "feb.", "mar.", "apr.", "jun.", "jul.", "aug.", "sep.", "sept.", "oct.", "nov.", "dec.",
               ",", "the")
_RANKING_TAILS = ("top", "no.", "number", "rank", "ranks", "ranked", "ranking")
_SIZE_CLASS_TAILS = ("of", "with", "above", "over", "exceeding", "than", "least")
_YEAR_VALUE = re.compile(r"^(?:19[5-9]\d|20\d\d)$")
_YEAR_RANGE = re.compile(r"^(?:19|20)\d\d\s*(?:to|-|–)\s*(?:19|20)\d\d$")
_YEAR_BEFORE = re.compile(r"(?:19|20)\d\d\s*[-–/]\s*$")
_DIGITS = re.compile(r"^[\d\- ]+$")


def drop_reason(text: str, lower: str, start: int, end: int, number_text: str, unit: str, clause: str) -> str | None:
    """Why a quantity mention is not a record, or None when it may be one.

    `lower` is the document lower-cased (same offsets), `clause` the figure's clause lower-cased.
    """
    before_lower = lower[max(0, start - 40):start]
    # The patterns that end where the figure starts need one of a few words there: test those first.
    tail = before_lower.rstrip()
    if unit == "count":
        after, after_lower = text[end:end + 40], lower[end:end + 40]
        # Each pattern after the figure needs one of a few characters first (after any spaces):
        # testing that character spares most of the matches.
        first = after_lower.lstrip()[:1]
        if len(number_text) == 2 and _YEAR_BEFORE.search(text[max(0, start - 40):start]):
            return "date"  # "the 2023-24 fiscal year"
        if number_text.startswith(("19", "20")) and (_YEAR_VALUE.match(number_text) or _YEAR_RANGE.match(number_text)):
            return "date"
        if first in ":apo" and _TIME.match(after_lower):
            return "time of day"
        if (tail.endswith(_DATE_TAILS) and _date_before(text[max(0, start - 40):start], tail)) or \
                (first in "jfmasondrt/.-" and _DATE_AFTER.match(after)):
            return "date"
        if first in "snrt-" and _ORDINAL_AFTER.match(after):
            return "ordinal"
        if first in "-y+" and _PLAN_NAME_AFTER.match(after_lower):
            return "plan name"
        if (first in "ya-" and _AGE.match(after_lower)) or (tail.endswith("aged") and _AGE.search(before_lower)):
            return "age"
        if first in "-csmfywdh" and _DURATION_AFTER.match(after_lower):
            return "duration"
        # A phone number runs to seven digits, dashes or spaces at least: test the seventh first
        # (isdecimal is what \d matches, other scripts' digits included).
        seventh = text[start + 6:start + 7]
        if (seventh.isdecimal() or seventh in "- ") and _PHONE.match(text[start:start + 16]) \
                and _DIGITS.match(text[start:start + 9]):
            return "phone number"
        if first in "-\u2013" and _VOTE.match(after) and _VOTE_WORDS.search(clause):
            return "vote count"
        if tail.endswith(_RANKING_TAILS) and _RANKING.search(before_lower):
            return "ranking"
    if tail.endswith(("per", "per unit of", "for every")) and _PER.search(before_lower):
        return "denominator (the unit a rate is measured in)"
    if tail.endswith(_SIZE_CLASS_TAILS) and _SIZE_CLASS.search(before_lower) \
            and not (tail.endswith(("plants with", "projects with")) and not _CLASS_AFTER.match(lower[end:end + 40])):
        # "units of 300,000 kilowatts and above" is a class; "built plants with 1.2 GW" is what was built
        return "size class (a threshold, not a figure)"
    if unit == "count" and first in "t:" and _RATIO_AFTER.match(after):
        return "ratio"
    if ("share" in clause or "stock" in clause) and _has(_SHARE_PRICE, clause):
        return "share price"
    if unit in ("count", "m2", "square_meter", "meter ** 2", "hectare", "km2") and _names_logistics(clause):
        return "event logistics"
    return None


def _date_before(window: str, tail: str) -> bool:
    """Does a date end the text before a figure (`window`; `tail` is it lower-cased, trailing spaces cut)?

    Each pattern's last word is a month, a comma or "the": the tail picks the one pattern that may
    match, and where it must start when its length is bounded.
    """
    if tail.endswith("the"):
        # The match starts at "on the": a search would try the word boundary at every position.
        position = len(tail) - len("on the")
        return position >= 0 and _ON_THE_BEFORE.match(window, position) is not None
    if tail.endswith(","):
        return _MONTH_DAY_BEFORE.search(window) is not None
    return _MONTH_BEFORE.search(window, max(0, len(tail) - _LONGEST_MONTH)) is not None


@lru_cache(maxsize=1024)
def _names_logistics(clause: str) -> bool:
    # Figures of one clause share the answer, gate included: look once.
    return any(map(clause.__contains__, _LOGISTICS_GATE)) and _LOGISTICS.search(" " + clause) is not None


@lru_cache(maxsize=1024)
def _has(pattern: re.Pattern[str], text: str) -> bool:
    # Figures of one clause share the answer: look once.
    return pattern.search(text) is not None


# --- comparator and change --------------------------------------------------------------------

_AT_LEAST = for_lowered(
    r"(?:more than|over|above|exceed(?:s|ed|ing)?|at least|no less than|not less than|no fewer than|not fewer than|"
    r"upwards of|in excess of|top(?:s|ped)?|surpass(?:es|ed|ing)?|beyond|passe[sd]|pass)\s+(?:the\s+)?(?:about\s+)?$")
_AT_MOST = for_lowered(
    r"(?:less than|fewer than|below|under|within|no more than|not more than|up to|at most|no higher than|"
    r"not exceed(?:ing)?|kept within|capped at|a maximum of|as (?:high|much) as)\s+(?:the\s+)?$")
_ABOUT = for_lowered(
    r"(?:about|around|approximately|nearly|almost|roughly|some|approach(?:es|ing)?|close to|an estimated|"
    r"estimated|approx\.|~|circa)\s+$")
_AT_LEAST_AFTER = for_lowered(r"^\s*(?:or more|and above|or above|and more|at least|plus)\b")


_NOT_LESS = for_lowered(r"(?:no|not)\s+(?:less|fewer|lower)\s+than\s+$")
_NOT_MORE = for_lowered(r"(?:no|not)\s+(?:more|higher|greater)\s+than\s+$")


# How each comparator phrase above ends (its last words, or "the", "about" that may follow some):
# most figures follow none, and a test of the text before the figure spares the searches that cannot
# match. Short last words ("to", "of", "at", "as") come with the words before them: alone they end
# too many texts.
_AT_MOST_ENDS = ("than", "below", "under", "within", "up to", "at most", "exceed", "exceeding", "capped at",
                 "a maximum of", "as high as", "as much as", "the")
_AT_LEAST_ENDS = ("than", "over", "above", "exceed", "exceeds", "exceeded", "exceeding", "at least", "upwards of",
                  "in excess of", "top", "tops", "topped", "surpass", "surpasses", "surpassed", "surpassing", "beyond",
                  "passed", "passes", "pass", "the", "about")
_ABOUT_ENDS = ("about", "around", "approximately", "nearly", "almost", "roughly", "some", "approach", "approaches",
               "approaching", "close to", "estimated", "approx.", "~", "circa")
_COMPARATOR_ENDS = _AT_MOST_ENDS + _AT_LEAST_ENDS + _ABOUT_ENDS
_AT_LEAST_AFTER_STARTS = ("or", "and", "at", "plus")  # the first word of each phrase of _AT_LEAST_AFTER


def comparator(before: str, after: str) -> str:
    """">=", "<=", "~" or "=" from the (lower-cased) words around a figure."""
    tail = before[-45:]
    # The phrases before a figure end in a space: the text up to it ends with the phrase's last word
    # (the words hold no space, so there is no need to split out that word).
    ending = tail.rstrip() if tail[-1:].isspace() else ""
    if not ending.endswith(_COMPARATOR_ENDS):
        if after.lstrip().startswith(_AT_LEAST_AFTER_STARTS) and _AT_LEAST_AFTER.match(after):
            return ">="
        return "="
    if ending.endswith("than"):  # the last word of both "not less than" and "not more than"
        if _NOT_LESS.search(tail):
            return ">="
        if _NOT_MORE.search(tail):
            return "<="
    if ending.endswith(_AT_MOST_ENDS) and _AT_MOST.search(tail):
        return "<="
    if (ending.endswith(_AT_LEAST_ENDS) and _AT_LEAST.search(tail)) or _AT_LEAST_AFTER.match(after):
        return ">="
    if ending.endswith(_ABOUT_ENDS) and _ABOUT.search(tail):
        return "~"
    return "="


_INCREASE_VERBS = ("up", "rose", "rise", "rising", "increase[ds]?", "increasing", "grew", "grow(?:s|n|th)?",
                   "gain(?:ed)?", "raised?", "jump(?:ed)?", "climb(?:ed)?", "expand(?:ed)?", "added?")
_DECREASE_VERBS = ("down", "fell", "fall(?:s|en)?", "drop(?:ped|s)?", "decrease[ds]?", "declined?", "cut(?:s|ting)?",
                   "reduc(?:e|ed|es|ing|tion)(?:\\s+of)?", "lower(?:ed)?", "shr[au]nk", "slash(?:ed)?", "decline of")
# Verbs written as word starts (see word_start): the search skips to the letters a verb may start with.
_INCREASE_BEFORE = for_lowered(
    word_start(*_INCREASE_VERBS) + r"\s+(?:by\s+)?(?:of\s+)?(?:a\s+net\s+|a\s+|an\s+)?"
    r"(?:(?:more than|over|about|nearly|almost|around|some|roughly)\s+)?$")
_DECREASE_BEFORE = for_lowered(
    r"\b(?:" + "|".join(_DECREASE_VERBS) + r")\s+(?:by\s+)?(?:of\s+)?(?:a\s+|an\s+)?"
    r"(?:[\w\s,]{0,60}?\bby\s+|(?<=cut )(?:its\s+|their\s+|the\s+)?(?:[\w-]+\s+){1,3})?"
    r"(?:(?:more than|over|about|nearly|almost|around|some|roughly|no less than|at least)\s+)?$")
# After a figure: a word that makes it an increase (group 1) or a decrease (group 2), in one match.
_CHANGE_AFTER = for_lowered(r"^\s*(?:(higher|more|up|increase|growth|above|larger|greater)\b|"
                            r"(lower|less|fewer|down|below|decrease|reduction|drop|smaller|cut)\b)")
_TO_LEVEL = for_lowered(word_start("to") + r"\s+(?:(?:about|around|nearly|more than|over|some|roughly)\s+)?$")


_MAKE_UP = for_lowered(
    word_start("ma(?:ke|kes|de|king) up") + r"\s+(?:(?:about|around|nearly|more than|over|some|roughly)\s+)?$")


def compared_after(after: str) -> bool:
    """"40 percent below", "10% higher": the words after a figure compare it with something."""
    return _CHANGE_AFTER.match(after) is not None


# Each pattern before a figure is a verb (or "to", "make up") followed only by these small words up
# to the figure, or a decrease "... by" or "cut ..." phrase. The last word before the small words tells
# which patterns may match (mostly none), so few of the searches run.
_CHANGE_FILLERS = frozenset(("by", "of", "a", "an", "net", "more", "than", "over", "about", "nearly", "almost",
                             "around", "some", "roughly", "no", "less", "at", "least"))
_INCREASE_ENDS = ("up", "rose", "rise", "rising", "increase", "increased", "increases", "increasing", "grew", "grow",
                  "grows", "grown", "growth", "gain", "gained", "raise", "raised", "jump", "jumped", "climb",
                  "climbed", "expand", "expanded", "adde", "added")
_DECREASE_ENDS = ("down", "fell", "fall", "falls", "fallen", "drop", "dropped", "drops", "decrease", "decreased",
                  "decreases", "decline", "declined", "cut", "cuts", "cutting", "reduce", "reduced", "reduces",
                  "reducing", "reduction", "lower", "lowered", "shrank", "shrunk", "slash", "slashed")
# Where a decrease pattern may start, for the rarer longer phrases: a plain alternation (no word
# boundary, which would slow the scan) finds the first place, and the pattern is tried from there.
_DECREASE_VERB = re.compile("(?:" + "|".join(_DECREASE_VERBS) + r")\s")


def _last_word(words: list[str]) -> int:
    """The index of the last word that is not one of the small words (-1 when there is none)."""
    last = len(words) - 1
    while last >= 0 and words[last] in _CHANGE_FILLERS:
        last -= 1
    return last


def change(before: str, after: str) -> str:
    """"increase", "decrease" or "level": is the figure a change or a level? (lower-cased words around it)"""
    # Every pattern before the figure ends in a space: without one there, only the words after count.
    spaced = before[-1:].isspace()
    if spaced:
        tail = before[-70:]
        # The last three words mostly hold the word wanted: split off only those (the first part
        # is the rest of the text), and split everything when all three are small words.
        words = tail.rsplit(None, 3)
        last = _last_word(words)
        if last <= 0 and len(words) == 4:
            words = tail.split()
            last = _last_word(words)
        word = words[last] if last >= 0 else ""  # the last word before the small words
        if (word.endswith("to") and _TO_LEVEL.search(before[-25:])) or \
                (word.endswith("up") and _MAKE_UP.search(before[-25:])):
            return "level"
    compared = _CHANGE_AFTER.match(after)
    if compared is not None:
        return "increase" if compared.group(1) else "decrease"
    if not spaced:
        return "level"
    # "reduced emissions by": a "by" among the small words (or glued to a comma) may end a longer phrase.
    if word.endswith(_DECREASE_ENDS) or word.endswith("by") or "by" in words[last + 1:] or "cut" in tail:
        verb = _DECREASE_VERB.search(tail)
        if verb is not None and _DECREASE_BEFORE.search(tail, verb.start()):
            return "decrease"
    if word.endswith(_INCREASE_ENDS) and _INCREASE_BEFORE.search(before[-40:]):
        return "increase"
    return "level"


# --- target or outcome ------------------------------------------------------------------------

_TARGET_WORDS = (
    "will", "shall", "would", "is to", "are to", "to be", "strive", "striving", "aims?", "aiming", "aimed", "plans?",
    "planned", "planning", "targets?", "targeted", "goals?", "pledges?", "pledged", "commit(?:s|ted|ment)?",
    "expects?", "expected", "is set to", "are set to", "ensure", "must", "should", "projected", "forecast",
    "objectives?", "seeks?", "intends?", "vows?", "promised?", "promises", "propos(?:e|es|ed)", "requires?",
    "required", "arranged?", "arranges", "task(?:s|ed)?", "endeavou?r", "going to", "envisag(?:e|es|ed)",
    "calls? for", "mandates?", "requirements?", "quota", "set out to", "sets out to", "sets? a goal",
    "earmark(?:s|ed)?")


# Searched in " " + text (see after_gap).
_TARGET_CUES = after_gap(*_TARGET_WORDS)
# A clause that starts with an infinitive or an imperative ("to raise ...", "strive to ...") is a plan.
_TARGET_START = for_lowered(r"\s*(?:to|strive|promote|formulate|accelerate|build|ensure|achieve)\b")
_OUTCOME_WORDS = (
    "reached", "was", "were", "stood", "fell", "rose", "increased", "decreased", "dropped", "grew", "had", "has been",
    "have been", "achieved", "completed", "totall?ed", "hit", "passed", "exceeded", "registered", "recorded",
    "amounted", "accounted", "made up", "contributed", "produced", "generated", "saved", "cut", "reduced", "logged",
    "brought", "covered", "reported", "released", "traded", "installed", "added")
_OUTCOME_CUES = after_gap(*_OUTCOME_WORDS)  # searched in " " + text


@lru_cache(maxsize=1024)
def _cues(text: str) -> tuple[str, bool, bool]:
    """`text` (lower-cased) with the names of plan periods blanked out, whether it holds a planning cue
    (a planning word, or an infinitive or imperative at its start) and, when it holds none, whether it
    holds a past-tense verb.

    Asked for each record of a figure and for its second reading, with the same text: looked up once.
    """
    cues = _PLAN_NAMES.sub(" ", text) if "plan" in text else text
    if _TARGET_START.match(cues) is not None:
        return cues, True, False
    # One scan for both word lists instead of one each: the first word found is a cue or a verb.
    # The space stands for the start of the text (see after_gap): offsets in it are those of `cues`.
    spaced = " " + cues
    first = _CUE_OR_PAST.search(spaced)
    if first is None:
        return cues, False, False
    if _TARGET_CUES.match(spaced, first.start()) is not None:
        return cues, True, False
    # A past-tense verb comes first: no cue starts before it, one may still follow.
    return cues, _TARGET_CUES.search(spaced, first.start() + 1) is not None, True


# "the 13th Five-Year Plan period" names a period: its "Plan" is no planning word.
_PLAN_NAMES = for_lowered(r"\b\d{1,2}(?:st|nd|rd|th)\s+five[- ]year\s+plans?(?:\s+period)?|\bfive[- ]year\s+plans?")
_PAST_VERBS = (
    "dropped", "fell", "rose", "grew", "was", "were", "decreased", "increased", "declined", "reached", "achieved",
    "totall?ed", "stood", "registered", "recorded", "amounted", "exceeded", "surged", "jumped", "climbed", "soared",
    "shrank", "slid", "plunged", "hit")
# A planning cue or a past-tense verb: one scan finds the first of either (see _cues).
_CUE_OR_PAST = after_gap(*_TARGET_WORDS, *_PAST_VERBS)  # searched in " " + text
# A second verb sharing the first one's subject and modal: "plans to add X and to invest Y".
_COORDINATED_VERB = for_lowered(
    r"\s*(?:and\s+|or\s+)?(?:to\s+)?(?:add|invest|build|install|raise|increase|reduce|cut|lower|reach|achieve|"
    r"plant|complete|create|develop|expand|control|keep|make|put|bring|phase|retire|upgrade|renovate|construct|"
    r"deploy|generate|produce|save|afforest|restore|treat|eliminate|close|shut|cap|limit|spend|allocate|"
    r"provide|launch|establish|set up|double|triple|halve|plant|train|connect|cover)\b")


_GOAL_LIST = for_lowered(word_start("targets?", "goals?", "tasks?", "objectives?", "plans?") + r"\b[^.;:]{0,40}:")


def kind(before_in_sentence: str, clause_before: str, year_role: str | None, year: int | None,
         published_year: int | None, plan_item: bool) -> str:
    """"target" for commitments and plans, "outcome" for reported figures (from lower-cased text)."""
    if plan_item:
        return "target"
    future = year is not None and published_year is not None and year > published_year
    if not future:
        _, clause_target, clause_past = _cues(clause_before)
        # A past-tense verb outweighs a period phrase: "during the 13th Five-Year Plan period, ... dropped by".
        if not clause_target and clause_past:
            return "outcome"
    if year_role == "deadline" and (published_year is None or (year or 0) >= published_year):
        return "target"
    if future or clause_target:
        return "target"
    sentence_cues, sentence_target, _ = _cues(before_in_sentence)
    if sentence_target and _COORDINATED_VERB.match(clause_before):
        return "target"
    if ":" in sentence_cues and _GOAL_LIST.search(sentence_cues):
        return "target"  # "Main targets for 2024: GDP growth of about 5 percent; ..."
    if year_role is None and sentence_target and not _OUTCOME_CUES.search(" " + clause_before):
        return "target"
    return "outcome"


# --- metric -----------------------------------------------------------------------------------

_SHARE_CUE = for_lowered(word_start(
    "share", "proportion", "account(?:s|ed|ing)? for", "make up", "makes up", "made up", "making up", "ratio",
    "percent of", "per cent of", "supply", "supplies", "supplied", "meet", "cover(?:ed|s)?", "equal to",
    loose=(r"%\s+of", r"percent\s+of")) + r"\b")
# The prepositions as word starts (see word_start): the search skips to their letters.
_DENOMINATOR_BEFORE = for_lowered(
    word_start("of", "in", "for", "from") + r"\s+(?:(?:the|its|their|total|all|primary|gross|whole|nation's|"
    r"country's|society's|year's|newly|installed|new)\s+)*$")


# Words after a total that name its parts: keywords after them belong to the later figures.
_SUBSET = for_lowered(r"\b(?:of which|among which|among them|including|includ(?:es|ed))\b")
_OF_CONSTRUCT = for_lowered(r"^\s*(?:of|in|from|for)\s+(?:[\w-]+\s+){0,3}$|^\s*$")


@cache
def _metric_list() -> list[tuple[metric_vocabulary.Metric, re.Pattern[str]]]:
    """The metrics that have keywords and are not milestones, each with its keyword pattern."""
    return [(m, m.pattern) for m in metric_vocabulary.metrics().values() if m.pattern is not None and not m.is_milestone]


def metric(sentence: str, start: int, end: int, canonical: str | None, is_change: bool = True,
           lower: str | None = None, clause: tuple[int, int] | None = None) -> str:
    """The metric key of a figure at sentence[start:end] from the keywords around it.

    A metric whose units do not fit the figure is passed over for the next best: a level in percent
    ("to 42.5 percent", `is_change` False) is never a capacity or a tonnage. `lower` (the sentence
    lower-cased) and `clause` (the figure's clause) are computed here when not given.
    """
    found, containers = _keyword_layout(sentence)
    if not found:
        return "other"
    share = canonical in ("%", "pp")
    clause_start, clause_end = clause or clause_of(sentence, start, end)
    lower = lowered(sentence) if lower is None else lower
    share_cue = share and bool(_SHARE_CUE.search(lower[clause_start:clause_end]))
    level_unit = canonical not in ("%", "pp", "times")
    scores: dict[int, float] = {}  # by index in `found`, in the order of `found`
    best_key, best_score = "other", 0.0
    fits = _fits(canonical) if level_unit else None
    for number, (hit_start, hit_end, key, weight, takes_percent, is_share_metric, in_percent) in enumerate(found):
        if fits is not None and key not in fits:
            continue
        if share and not is_change and not takes_percent:
            continue
        if hit_end <= start:
            distance, after = start - hit_end, False
        elif hit_start >= end:
            distance, after = hit_start - end, True
        else:
            distance, after = 0, False
        score = weight - distance / 45.0
        if not clause_start <= hit_start < clause_end:
            if not level_unit and ";" in sentence[min(hit_end, start):max(hit_start, end)]:
                continue  # "GDP growth of about 5 percent; energy intensity to fall by ...": another item
            score -= 1.5
        if after:
            between = lower[end:hit_start]
            if "which" in between or "among" in between or "includ" in between:
                if _SUBSET.search(between):
                    continue  # "176 million kilowatts, of which solar power was ...": the part, not the total
            if _OF_CONSTRUCT.match(between):
                # "98 million kilowatts of wind power": the noun after "of" is the figure's own.
                score += 1.0
            else:
                score -= 0.8 + (1.0 if "," in between else 0.0)
        if share:
            if is_share_metric:
                score += 1.0 if share_cue else -0.5
            elif share_cue and _DENOMINATOR_BEFORE.search(lower[max(0, hit_start - 40):hit_start]):
                score -= 2.5
            elif not in_percent:
                score -= 0.3
        elif level_unit:
            # The unit already narrows the choice: any keyword in the sentence beats no keyword.
            if score < 0.05:
                score = 0.05
        if containers:
            scores[number] = score
        elif score > best_score:  # no hit holds another (mostly): the best is known as we go
            best_key, best_score = key, score
    if not containers:
        return best_key
    # A keyword inside a longer one of another metric ("solar" in "wind and solar") does not count.
    for number, score in scores.items():
        held = containers[number]  # mostly empty: tested before the generator is made
        if score > best_score and not (held and any(other in scores for other in held)):
            best_key, best_score = found[number][2], score
    return best_key


# A keyword hit as metric() reads it for every figure of its sentence: start, end, metric key, weight,
# and whether the metric takes a level in percent, is a share, has a percent unit.
_Hit = tuple[int, int, str, float, bool, bool, bool]


@lru_cache(maxsize=256)
def _fits(canonical: str | None) -> frozenset[str]:
    """The keys of the metrics a level figure in this canonical unit may be a figure of."""
    return frozenset(m.key for m in metric_vocabulary.metrics().values() if m.allows(canonical))


@lru_cache(maxsize=512)
def _keyword_layout(sentence: str) -> tuple[list[_Hit], list[tuple[int, ...]]]:
    """The keyword hits of a sentence and, for each, the hits of other metrics that hold it in a longer
    span (found once per sentence: comparing every pair per figure grows with the cube of the figures);
    an empty list when no hit is held by another."""
    found = keyword_hits(sentence)
    traits = _metric_traits()
    hits = [(start, end, m.key, m.weight, *traits[m.key]) for start, end, m in found]
    if len(found) < 2:
        return hits, []
    containers: list[list[int]] = [[] for _ in found]
    by_start = sorted(range(len(found)), key=lambda number: found[number][0])
    for position, number in enumerate(by_start):
        start, end, m = found[number]
        # Only hits starting inside this one can be held by it or, starting where it does, hold it.
        for later in range(position + 1, len(by_start)):
            other = by_start[later]
            other_start, other_end, other_metric = found[other]
            if other_start >= end:
                break
            if other_metric.key == m.key:
                continue
            if other_end <= end and other_end - other_start < end - start:
                containers[other].append(number)
            elif other_start == start and other_end > end:
                containers[number].append(other)
    if not any(containers):
        return hits, []
    return hits, [tuple(c) for c in containers]


@cache
def _metric_traits() -> dict[str, tuple[bool, bool, bool]]:
    """Per metric key: takes a level in percent, is a share, has a percent unit."""
    return {m.key: (m.takes_percent, "share" in m.units, bool(set(m.units) & {"%", "pp"}))
            for m in metric_vocabulary.metrics().values()}


@lru_cache(maxsize=512)
def keyword_hits(sentence: str) -> list[tuple[int, int, metric_vocabulary.Metric]]:
    """Every metric keyword in a sentence (computed once per sentence, shared by its figures).

    The same hits as running each metric's pattern over the sentence, found in one pass: word
    starts whose first letters can begin a keyword are tried against all metrics at once.
    """
    lower = lowered(sentence)
    candidates, ascii_candidates, tries = _keyword_index()
    # In ASCII text both patterns find the same word starts; the ASCII one tests word characters faster.
    scan = ascii_candidates if lower.isascii() else candidates
    listed = _metric_list()
    ends = [0] * len(listed)
    found: list[tuple[int, int, int]] = []
    # The scan matches the character before a word start (see _keyword_index): a space put before the
    # sentence stands for its start, and shifts the offsets so that the match starts at the word.
    for candidate in scan.finditer(" " + lower):
        position = candidate.start()
        for number, match in tries[candidate.group(1)]:
            # A metric's hits do not overlap, as with finditer over its own pattern.
            if position < ends[number]:
                continue
            hit = match(lower, position)
            if hit is not None:
                end = ends[number] = hit.end()
                found.append((number, position, end))
    found.sort()
    return [(start, end, listed[number][0]) for number, start, end in found]


_PREFIX_SIZE = 8  # characters of a keyword's start looked for first: "of " starts many phrases, "of the e" few


@cache
def _keyword_index() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, tuple[tuple[int, Callable], ...]]]:
    """Where a keyword may start (one pattern whose group 1 is the keyword's first letters; the same
    compiled for ASCII text), and for those letters each metric that has a keyword starting with
    them, with its pattern's match method."""
    from re import _parser as sre_parser  # type: ignore[attr-defined]  # the parser is private, not in the stubs

    listed = _metric_list()
    by_prefix: dict[str, set[int]] = {}
    for number, (m, _) in enumerate(listed):
        for keyword in m.keywords:
            for prefix, _ in _prefixes(sre_parser.parse(keyword.lower()), _PREFIX_SIZE):
                by_prefix.setdefault(prefix, set()).add(number)
    # A word start is looked for as the character before it, a non-word one: the regex engine skips
    # straight to those, where it would try a word boundary at every character. A keyword that starts
    # with another character (a user's "%" or "$") needs any character before a word boundary instead.
    before = r"\W" if all(re.match(r"\w", prefix) for prefix in by_prefix if prefix) else r"(?s:.)\b"
    if "" in by_prefix:  # a keyword that may start with anything: every metric at every word start
        source = before + r"()(?=\w)"
        metrics_of = {"": tuple(range(len(listed)))}
    else:
        # The pattern takes the longest prefix at a position; the metrics of its shorter prefixes apply too.
        metrics_of = {prefix: tuple(sorted(set().union(*(numbers for other, numbers in by_prefix.items()
                                                         if prefix.startswith(other)))))
                      for prefix in by_prefix}
        source = before + r"(?=(" + letter_tree(by_prefix, whole_words=False, loose_spaces=False) + "))"
    tries = {prefix: tuple((number, listed[number][1].match) for number in numbers)
             for prefix, numbers in metrics_of.items()}
    return re.compile(source), re.compile(source, re.ASCII), tries


def _prefixes(items, size: int) -> set[tuple[str, bool]]:
    """The literal beginnings (up to `size` characters) of a parsed pattern; True when more may follow."""
    from re import _constants as sre  # type: ignore[attr-defined]

    found: set[tuple[str, bool]] = {("", False)}
    for op, arguments in items:
        grown: set[tuple[str, bool]] = set()
        for text, open_ended in found:
            if open_ended or len(text) >= size:
                grown.add((text[:size], True))
                continue
            for piece, piece_open in _item_prefixes(op, arguments, size - len(text), sre):
                grown.add((text + piece, piece_open))
        found = grown
    return {(text[:size], open_ended or len(text) > size) for text, open_ended in found}


def _item_prefixes(op, arguments, size: int, sre) -> set[tuple[str, bool]]:
    if op is sre.LITERAL:
        return {(chr(arguments), False)}
    if op is sre.AT:  # \b and other zero-width assertions
        return {("", False)}
    if op is sre.IN and all(kind is sre.LITERAL for kind, _ in arguments):
        return {(chr(value), False) for _, value in arguments}
    if op is sre.SUBPATTERN:
        return _prefixes(arguments[3], size)
    if op is sre.BRANCH:
        return set().union(*(_prefixes(branch, size) for branch in arguments[1]))
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        low, high, inner = arguments
        once = _prefixes(inner, size)
        if high != 1:  # a second repeat may follow the first
            once = {(text, True) for text, _ in once}
        # No repeat at all: what follows the repeat begins the text ("of (?:the |its )*power" starts
        # "of power" as well as "of the ", so "of " alone, at every "of", need not be tried).
        return once | {("", False)} if low == 0 else once
    return {("", True)}


@lru_cache(maxsize=512)
def _breaks(sentence: str) -> list[tuple[int, int]]:
    pattern = CLAUSE_BREAK if "while" in sentence or "and to" in sentence else CLAUSE_MARK
    return [(m.start(), m.end()) for m in pattern.finditer(sentence)]


def clause_of(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The clause around sentence[start:end], as offsets in the sentence."""
    clause_start, clause_end = 0, len(sentence)
    for break_start, break_end in _breaks(sentence):
        if break_end <= start:
            clause_start = break_end
        elif break_start >= end:
            clause_end = break_start
            break
    return clause_start, clause_end
