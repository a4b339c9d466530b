"""What a figure is: a record or not (and why not), target or outcome, metric, comparator, change."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from targettrack import metrics as metric_vocabulary
from targettrack.extraction.context import CLAUSE_BREAK

# --- not records ------------------------------------------------------------------------------

_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|" \
          r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
_DATE_BEFORE = re.compile(rf"{_MONTHS}\s*$|{_MONTHS}\s+\d{{1,2}},\s*$|\b(?:on|On) the\s*$")
_DATE_AFTER = re.compile(rf"^\s*(?:{_MONTHS}|(?:st|nd|rd|th)\b|\s*[/.]\d{{1,2}}[/.]|-\d{{1,2}}-\d)")
_TIME = re.compile(r"^\s*(?::\d\d|\s*(?:a\.m\.|p\.m\.|am\b|pm\b|o'clock))", re.IGNORECASE)
_ORDINAL_AFTER = re.compile(r"^(?:st|nd|rd|th)\b|^-(?:st|nd|rd|th)\b")
_PLAN_NAME_AFTER = re.compile(r"^[- ](?:Year|year)[- ]Plan|^\+\d|^\s*\+", re.IGNORECASE)
_DURATION_AFTER = re.compile(
    r"^[\s-]*(?:consecutive\s+|straight\s+|more\s+|full\s+)?(?:years?|months?|weeks?|days?|hours?|minutes?|"
    r"decades?|centuries|century)\b(?!\s+(?:of\s+)?(?:good|excellent|with good))", re.IGNORECASE)
_AGE = re.compile(r"^\s*(?:years?[- ]old|-year-old)|aged\s*$", re.IGNORECASE)
_PHONE = re.compile(r"^[\d\- ]{3,}\d{4}")
_LOGISTICS = re.compile(
    r"\b(?:exhibit(?:ion|ors?|s)?|expo|booths?|visitors?|audience|attendees?|participants?|delegates?|"
    r"delegation|exhibition area|venue|forum|sessions?|pages?|seminar|tickets?)\b", re.IGNORECASE)
_RANKING = re.compile(r"(?:\btop|\bNo\.|\bnumber|\branks?|\branked|\branking)\s*$", re.IGNORECASE)
_SHARE_PRICE = re.compile(r"\b(?:per share|share price|stock price|shares (?:rose|fell|closed|jumped|dropped))\b",
                          re.IGNORECASE)
_VOTE = re.compile(r"^\s*[-–]\s*\d+\b")
_VOTE_WORDS = re.compile(r"\b(?:votes?|voted|senate|house|ballot|score[sd]?|won|beat)\b", re.IGNORECASE)
_SIZE_CLASS = re.compile(
    r"(?:\b(?:units?|plants?|projects?|boilers?|enterprises?|companies|vehicles?|ships?)\s+(?:of|with|above|over)|"
    r"\b(?:single|each|every|per)\s+[\w-]+\s+(?:of|above|over|exceeding))\s+(?:more than |over |at least |above )?$",
    re.IGNORECASE)
_RATIO_AFTER = re.compile(r"^\s*(?:to|:)\s*1\b")
_YEAR_VALUE = re.compile(r"^(?:19[5-9]\d|20\d\d)$")


def drop_reason(text: str, start: int, end: int, number_text: str, unit: str, clause: str) -> str | None:
    """Why a quantity mention is not a record, or None when it may be one."""
    before, after = text[max(0, start - 40):start], text[end:end + 40]
    if unit == "count":
        if _YEAR_VALUE.match(number_text.replace(",", "")) or re.match(r"^(?:19|20)\d\d\s*(?:to|-|–)\s*(?:19|20)\d\d$",
                                                                       number_text):
            return "date"
        if _TIME.match(after):
            return "time of day"
        if _DATE_BEFORE.search(before) or _DATE_AFTER.match(after):
            return "date"
        if _ORDINAL_AFTER.match(after):
            return "ordinal"
        if _PLAN_NAME_AFTER.match(after):
            return "plan name"
        if _AGE.match(after) or _AGE.search(before):
            return "age"
        if _DURATION_AFTER.match(after):
            return "duration"
        if _PHONE.match(text[start:start + 16]) and re.match(r"^[\d\- ]+$", text[start:start + 9]):
            return "phone number"
        if _VOTE.match(after) and _VOTE_WORDS.search(clause):
            return "vote count"
        if _RANKING.search(before):
            return "ranking"
    if _SIZE_CLASS.search(before):
        return "size class (a threshold, not a figure)"
    if unit == "count" and _RATIO_AFTER.match(after):
        return "ratio"
    if _has(_SHARE_PRICE, clause):
        return "share price"
    if unit in ("count", "m2", "square_meter", "meter ** 2", "hectare", "km2") and _has(_LOGISTICS, clause):
        return "event logistics"
    return None


@lru_cache(maxsize=1024)
def _has(pattern: re.Pattern[str], text: str) -> bool:
    # Figures of one clause share the answer: look once.
    return pattern.search(text) is not None


# --- comparator and change --------------------------------------------------------------------

_AT_LEAST = re.compile(
    r"(?:more than|over|above|exceed(?:s|ed|ing)?|at least|no less than|not less than|no fewer than|not fewer than|"
    r"upwards of|in excess of|top(?:s|ped)?|surpass(?:es|ed|ing)?|beyond|passe[sd]|pass)\s+(?:the\s+)?(?:about\s+)?$",
    re.IGNORECASE)
_AT_MOST = re.compile(
    r"(?:less than|fewer than|below|under|within|no more than|not more than|up to|at most|no higher than|"
    r"not exceed(?:ing)?|kept within|capped at|a maximum of|as (?:high|much) as)\s+(?:the\s+)?$", re.IGNORECASE)
_ABOUT = re.compile(
    r"(?:about|around|approximately|nearly|almost|roughly|some|approach(?:es|ing)?|close to|an estimated|"
    r"estimated|approx\.|~|circa)\s+$", re.IGNORECASE)
_AT_LEAST_AFTER = re.compile(r"^\s*(?:or more|and above|or above|and more|at least|plus)\b", re.IGNORECASE)


_NOT_LESS = re.compile(r"(?:no|not)\s+(?:less|fewer|lower)\s+than\s+$", re.IGNORECASE)
_NOT_MORE = re.compile(r"(?:no|not)\s+(?:more|higher|greater)\s+than\s+$", re.IGNORECASE)


def comparator(before: str, after: str) -> str:
    """">=", "<=", "~" or "=" from the words around a figure."""
    tail = before[-45:]
    if _NOT_LESS.search(tail):
        return ">="
    if _NOT_MORE.search(tail):
        return "<="
    if _AT_MOST.search(tail):
        return "<="
    if _AT_LEAST.search(tail) or _AT_LEAST_AFTER.match(after):
        return ">="
    if _ABOUT.search(tail):
        return "~"
    return "="


_INCREASE_BEFORE = re.compile(
    r"(?:\bup|\brose|\brise|\brising|\bincrease[ds]?|\bincreasing|\bgrew|\bgrow(?:s|n|th)?|\bgain(?:ed)?|\braised?|"
    r"\bjump(?:ed)?|\bclimb(?:ed)?|\bexpand(?:ed)?|\badded?)\s+(?:by\s+)?(?:of\s+)?(?:a\s+net\s+|a\s+|an\s+)?"
    r"(?:(?:more than|over|about|nearly|almost|around|some|roughly)\s+)?$", re.IGNORECASE)
_DECREASE_BEFORE = re.compile(
    r"(?:\bdown|\bfell|\bfall(?:s|en)?|\bdrop(?:ped|s)?|\bdecrease[ds]?|\bdeclined?|\bcut(?:s|ting)?|\breduc(?:e|ed|es|ing|tion)"
    r"(?:\s+of)?|\blower(?:ed)?|\bshr[au]nk|\bslash(?:ed)?|\bdecline of)\s+(?:by\s+)?(?:of\s+)?(?:a\s+|an\s+)?"
    r"(?:[\w\s,]{0,60}?\bby\s+)?(?:(?:more than|over|about|nearly|almost|around|some|roughly|no less than|at least)\s+)?$",
    re.IGNORECASE)
_INCREASE_AFTER = re.compile(r"^\s*(?:higher|more|up|increase|growth|above|larger|greater)\b", re.IGNORECASE)
_DECREASE_AFTER = re.compile(r"^\s*(?:lower|less|fewer|down|below|decrease|reduction|drop|smaller|cut)\b",
                             re.IGNORECASE)
_TO_LEVEL = re.compile(r"\bto\s+(?:(?:about|around|nearly|more than|over|some|roughly)\s+)?$", re.IGNORECASE)


def change(before: str, after: str, unit: str) -> str:
    """"increase", "decrease" or "level": is the figure a change or a level?"""
    tail = before[-90:]
    if _TO_LEVEL.search(tail[-25:]):
        return "level"
    if _INCREASE_AFTER.match(after):
        return "increase"
    if _DECREASE_AFTER.match(after):
        return "decrease"
    if _DECREASE_BEFORE.search(tail[-70:]):
        return "decrease"
    if _INCREASE_BEFORE.search(tail[-40:]):
        return "increase"
    return "level"


# --- target or outcome ------------------------------------------------------------------------

_TARGET_CUES = re.compile(
    r"\b(?:will|shall|would|is to|are to|to be|strive|striving|aims?|aiming|aimed|plans?|planned|planning|targets?|"
    r"targeted|goals?|pledges?|pledged|commit(?:s|ted|ment)?|expects?|expected|is set to|are set to|ensure|must|"
    r"should|projected|forecast|objectives?|seeks?|intends?|vows?|promised?|promises|propos(?:e|es|ed)|requires?|"
    r"required|arranged?|arranges|task(?:s|ed)?|endeavou?r|going to|envisag(?:e|es|ed)|calls? for|mandates?|"
    r"requirements?|quota|set out to|sets out to|sets? a goal|earmark(?:s|ed)?)\b|^\s*(?:to|strive|promote|formulate|accelerate|build|ensure|achieve)\b",
    re.IGNORECASE)
_OUTCOME_CUES = re.compile(
    r"\b(?:reached|was|were|stood|fell|rose|increased|decreased|dropped|grew|had|has been|have been|achieved|"
    r"completed|totall?ed|hit|passed|exceeded|registered|recorded|amounted|accounted|made up|contributed|produced|"
    r"generated|saved|cut|reduced|logged|brought|covered|reported|released|traded|installed|added)\b",
    re.IGNORECASE)


def kind(before_in_sentence: str, clause_before: str, year_role: str | None, year: int | None,
         published_year: int | None, plan_item: bool) -> str:
    """"target" for commitments and plans, "outcome" for reported figures."""
    if plan_item:
        return "target"
    future = year is not None and published_year is not None and year > published_year
    if year_role == "deadline" and (published_year is None or (year or 0) >= published_year):
        return "target"
    if future:
        return "target"
    if _has(_TARGET_CUES, clause_before):
        return "target"
    if year_role is None and _has(_TARGET_CUES, before_in_sentence) and not _has(_OUTCOME_CUES, clause_before):
        return "target"
    return "outcome"


# --- metric -----------------------------------------------------------------------------------

_SHARE_CUE = re.compile(
    r"\b(?:share|proportion|account(?:s|ed|ing)? for|make up|makes up|made up|making up|ratio|percent of|"
    r"per cent of|supply|supplies|supplied|meet|cover(?:ed|s)?|equal to)\b|%\s+of\b|percent\s+of\b",
    re.IGNORECASE)
_DENOMINATOR_BEFORE = re.compile(
    r"(?:\bof|\bin|\bfor|\bfrom)\s+(?:(?:the|its|their|total|all|primary|gross|whole|nation's|country's|society's|"
    r"year's|newly|installed|new)\s+)*$", re.IGNORECASE)


_OF_CONSTRUCT = re.compile(r"^\s*(?:of|in|from|for)\s+(?:[\w-]+\s+){0,3}$|^\s*$", re.IGNORECASE)


@cache
def _metric_list() -> list[metric_vocabulary.Metric]:
    return [m for m in metric_vocabulary.metrics().values() if m.pattern is not None and not m.is_milestone]


def metric(sentence: str, start: int, end: int, canonical: str | None) -> str:
    """The metric key of a figure at sentence[start:end] from the keywords around it."""
    share = canonical in ("%", "pp")
    clauses = _clause_bounds(sentence, start, end)
    clause_start, clause_end = clauses
    share_cue = share and bool(_SHARE_CUE.search(sentence[clause_start:clause_end]))
    hits: list[tuple[int, int, float, str]] = []
    level_unit = canonical not in ("%", "pp", "times")
    for hit_start, hit_end, m in keyword_hits(sentence):
        if level_unit and not m.allows(canonical):
            continue
        is_share_metric = "share" in m.units
        if True:
            if hit_end <= start:
                distance, after = start - hit_end, False
            elif hit_start >= end:
                distance, after = hit_start - end, True
            else:
                distance, after = 0, False
            score = m.weight - distance / 45.0
            if not clause_start <= hit_start < clause_end:
                score -= 1.5
            if after:
                between = sentence[end:hit_start]
                if _OF_CONSTRUCT.match(between):
                    # "98 million kilowatts of wind power": the noun after "of" is the figure's own.
                    score += 1.0
                else:
                    score -= 0.8 + (1.0 if "," in between else 0.0)
            if share:
                if is_share_metric:
                    score += 1.0 if share_cue else -0.5
                elif share_cue and _DENOMINATOR_BEFORE.search(sentence[max(0, hit_start - 40):hit_start]):
                    score -= 2.5
                elif not set(m.units) & {"%", "pp"}:
                    score -= 0.3
            elif level_unit:
                # The unit already narrows the choice: any keyword in the sentence beats no keyword.
                score = max(score, 0.05)
            hits.append((hit_start, hit_end, score, m.key))
    # A keyword inside a longer one of another metric ("solar" in "wind and solar") does not count.
    best_key, best_score = "other", 0.0
    for hit in hits:
        if any(o[0] <= hit[0] and hit[1] <= o[1] and (o[1] - o[0]) > (hit[1] - hit[0]) and o[3] != hit[3]
               for o in hits):
            continue
        if hit[2] > best_score:
            best_key, best_score = hit[3], hit[2]
    return best_key


@lru_cache(maxsize=512)
def keyword_hits(sentence: str) -> list[tuple[int, int, metric_vocabulary.Metric]]:
    """Every metric keyword in a sentence (computed once per sentence, shared by its figures)."""
    lowered = sentence.lower()
    if len(lowered) != len(sentence):  # a few characters change length when lower-cased
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in sentence)
    hits = []
    starts = {m.start() for m in _any_keyword().finditer(lowered)}
    if not starts:
        return hits
    for m in _metric_list():
        # Each metric's own pattern is tried only where some keyword starts.
        hits.extend((hit.start(), hit.end(), m) for hit in m.pattern.finditer(lowered, min(starts)))
    return hits


@cache
def _any_keyword() -> re.Pattern[str]:
    alternatives = "|".join(k.lower() for m in _metric_list() for k in m.keywords)
    return re.compile(r"\b(?=" + alternatives + ")")


@lru_cache(maxsize=512)
def _breaks(sentence: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in CLAUSE_BREAK.finditer(sentence)]


def _clause_bounds(sentence: str, start: int, end: int) -> tuple[int, int]:
    clause_start, clause_end = 0, len(sentence)
    for break_start, break_end in _breaks(sentence):
        if break_end <= start:
            clause_start = break_end
        elif break_start >= end:
            clause_end = break_start
            break
    return clause_start, clause_end


def clause_of(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The clause around sentence[start:end], as offsets in the sentence."""
    return _clause_bounds(sentence, start, end)
