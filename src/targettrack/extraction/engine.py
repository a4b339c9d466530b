"""Assemble records from a document: quantities and milestones with kind, metric, place and year."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache
from operator import attrgetter
from typing import Iterator, Sequence

from targettrack import geo, metrics as metric_vocabulary, units
from targettrack.extraction import classify
from targettrack.extraction.context import (
    RANKING_BEFORE, REFERENCE, Sentence, YearMention, for_lowered, lowered, reference_level, sentences, word_start,
    year_mentions,
)
from targettrack.extraction.scan import Mention, scan
from targettrack.models import Normalized, Record, Region, Source

_PLAN_LINE = re.compile(r"[ \t]*(19[5-9]\d|20\d\d)\s*[:：]")  # used with match() at a line start
_PROVINCIAL = for_lowered(word_start("provincial")
                          + r"\b(?!\s+(?:capital|party|people|leaders?|officials?|forestry|department))")
_RESPECTIVELY = for_lowered(word_start("respectively") + r"\b")
_INTENSITY_DISTRIBUTES = {"energy_consumption": "energy_intensity", "co2_emissions": "co2_intensity"}
# Units whose figures are kept as records even when no metric keyword is near them.
_UNLISTED_KEPT = {"%", "pp", "times", "t", "m2", "m3", "kW", "kWh", "tCO2", "tCO2e", "tce", "ug/m3"}
_YEARLIKE = re.compile(r"^(?:19[5-9]\d|20\d\d)(?:\s*(?:-|–|to)\s*(?:19[5-9]\d|20\d\d))?$")
_MILESTONE_HINT = for_lowered(r"peak|neutral|net[- ]zero|zero (?:net )?emissions|ban|phas(?:e|es|ed|ing)[- ]out|"
                              r"prohibit|(?:stop|end|halt)(?:s|ped|ed)? (?:selling|the sale|sales)")
# Words without which _MILESTONE_HINT cannot match: substring tests are several times faster than it.
_MILESTONE_WORDS = ("peak", "neutral", "zero", "ban", "phas", "prohibit", "selling", "sale")
# "the sale of fuel vehicles will be banned by 2030", "phase out coal power by 2038": a milestone with no number.
_BAN = for_lowered(word_start("ban(?:s|ned)?", "phas(?:e|es|ed|ing)[- ]out", "prohibit(?:s|ed)?",
                               *(f"{verb}(?:s|ped|ed)? (?:selling|the sale|sales)" for verb in ("stop", "end", "halt")))
                   + r"\b")
# "such vehicles", "these projects": the sentence goes on about what the one before was about.
_ANAPHORA = for_lowered(word_start("such\\s+[a-z]", "these\\s+[a-z]", "those\\s+[a-z]", "the same\\s+[a-z]",
                                    "this (?:share|proportion|figure|ratio)\\b", "that (?:share|proportion|figure|ratio)\\b"))
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_NO_METRIC_COUNT = "count of something no metric tracks"
_TREES_AFTER = for_lowered(r"\s+(?:(?:new|more|native|young)\s+)?(?:trees|saplings|seedlings)\b")
# "the National Economic and Social Development", "National Energy Administration": part of a name.
_NAME_WORD = re.compile(r"(?:National|Provincial|Municipal|Regional)\s+[A-Z]")
_TOTAL = for_lowered(r"\b(?:total|all|overall|combined|whole)\b")
_GOAL_AFTER_YEAR = for_lowered(r"^\s*(?:goal|target|pledge|deadline|commitment)\b")
_CHANGE_WORD = for_lowered(r"\b(?:up|down|rose|fell|increase|decrease|growth|higher|lower|"
                           r"an? (?:year-on-year )?(?:increase|decrease|rise|drop))\b")


@dataclass(slots=True)
class _Event:
    """A place referred to in a sentence ("the city"); named places are used as found (PlaceMention)."""

    start: int  # offset in the document
    region: Region
    end: int = -1  # a reference has no name to end: -1 (a PlaceMention's end is where its name ends)


# A place named (used as found: the same start, end and region) or referred to.
_Place = _Event | geo.PlaceMention


@dataclass(slots=True)
class _Figure:
    mention: Mention
    sentence: Sentence
    canonical: str | None
    normalized: Normalized | None
    metric: str = "other"
    dropped: str | None = None
    respective_year: YearMention | None = None
    change: str = "level"
    clause: tuple[int, int] = (0, 0)  # the figure's clause, as offsets in its sentence
    before: str = ""  # up to 120 characters of the sentence before the figure (lower-cased)
    after: str = ""  # the 30 characters of the document after it (lower-cased)


@cache
def _milestone_patterns() -> list[tuple[str, re.Pattern[str]]]:
    found = []
    for metric in metric_vocabulary.metrics().values():
        if metric.is_milestone and metric.pattern is not None:
            found.append((metric.key, metric.pattern))
    return found


def iter_records(text: str, published: str | None = None, path: str | None = None,
                 all_quantities: bool = False) -> Iterator[Record]:
    """The records of one document, in text order; with `all_quantities`, also the dropped ones."""
    published_year = int(published[:4]) if published and published[:4].isdigit() else None
    lower = lowered(text)
    doc_sentences = sentences(text, lower)
    places = geo.find_places(text)
    main_country = _main_country(places)
    mentions = scan(text, lower)
    # Mentions and places come in text order: each sentence takes the run of those starting inside it
    # (two look-ups per sentence, not one per item), and those between two sentences are skipped.
    mention_starts = [mention.start for mention in mentions]
    place_starts = [place.start for place in places]
    next_mention = next_place = 0  # the first mention (place) not yet given to a sentence

    # A gate word absent from the document is absent from each of its sentences: test only the others.
    reference_words = tuple(word for word in _REFERENCE_WORDS if word in lower)
    milestone_words = tuple(word for word in _MILESTONE_WORDS if word in lower)
    focus = _first_place(text, lower, places)
    carry_region: Region | None = None
    last_by_level: dict[str, Region] = {}  # the last place named at each level (a place with none: "province")
    carry_year: int | None = None
    carry_deadline = False  # the carried year was a deadline ("by 2025"), not a year something happened
    context_metric: str | None = None  # what the paragraph is about so far
    context_text: str | None = None  # the sentence that said so (lower-cased)
    previous_end = 0
    line_start = line_searched = 0
    plan_line, plan_year = -1, None  # the line whose plan year is known
    for sentence in doc_sentences:
        # Two line breaks need two characters between the sentences; most are one space apart.
        if sentence.start - previous_end > 1 and text.count("\n", previous_end, sentence.start) > 1 \
                and _PARAGRAPH_BREAK.search(text, previous_end, sentence.start):
            context_metric = context_text = None
        previous_end = sentence.end
        first_place = bisect_left(place_starts, sentence.start, next_place)
        next_place = bisect_left(place_starts, sentence.end, first_place)
        events: list[_Place] = []
        if next_place > first_place:  # most sentences name no place
            events = _drop_place_lists(text, places[first_place:next_place])
            events = [e for e in events if not _incidental(text, lower, e)]
            if len(events) > 1:
                # "Kunming, the capital of Yunnan province, ...": a place inside an apposition is no subject.
                events = [e for i, e in enumerate(events) if not _in_apposition(lower, e.start, e.end, events[:i])]
            if len(events) > 1:
                events = _drop_containers(text, events)
        for ref in REFERENCE.finditer(sentence.lower) if _holds(sentence.lower, reference_words) else ():
            ref_start = sentence.start + ref.start()
            if (events and _in_apposition(lower, ref_start, sentence.start + ref.end(), events)) \
                    or _NAME_WORD.match(text, ref_start):
                continue
            level = reference_level(ref.group())
            named_before = [e.region for e in events if e.start < ref_start]
            region = _resolve_reference(level, last_by_level, carry_region, main_country, named_before)
            if region is not None:
                events.append(_Event(ref_start, region))
        if events:
            events = [e for e in events if not _ranked(lower, e.start)]
            events.sort(key=attrgetter("start"))
            if focus is None and events:
                focus = events[0].region

        first_mention = bisect_left(mention_starts, sentence.start, next_mention)
        next_mention = bisect_left(mention_starts, sentence.end, first_mention)
        figures = _figures(text, lower, sentence, mentions[first_mention:next_mention], all_quantities) \
            if next_mention > first_mention else []
        has_milestone = _holds(sentence.lower, milestone_words) and _MILESTONE_HINT.search(sentence.lower) is not None
        if not figures and not has_milestone:
            # Nothing to record here: only the places carry on.
            if events:
                _remember(events, last_by_level)
                carry_region = events[-1].region
            continue
        lift = "provincial" in sentence.lower and _PROVINCIAL.search(sentence.lower) is not None
        years = year_mentions(sentence.text, published_year, sentence.lower)
        # The line start, searched only back to where the last search began: a long text with no line
        # breaks would otherwise be read again for every sentence.
        newline = text.rfind("\n", line_searched, sentence.start)
        if newline >= 0:
            line_start = newline + 1
        line_searched = sentence.start
        if line_start != plan_line:  # sentences of one line share its plan year
            plan = _PLAN_LINE.match(text, line_start)
            plan_year = int(plan.group(1)) if plan else None
            plan_line = line_start

        _assign_respectively(sentence, figures, years)
        _metric_from_context(sentence, figures, context_metric, context_text)
        sentence_region: Region | None = None
        carry = carry_region or focus
        # Only a quoted figure can be about a speaker: most sentences hold no quotation mark.
        quoted = '"' in sentence.text or "“" in sentence.text
        for figure, year, role, baseline in _with_years(sentence, figures, years, carry_year, plan_year,
                                                             published_year):
            if figure.dropped and not all_quantities:
                continue  # its record would be dropped: no need to build it
            record = _record(text, sentence, figure, events, carry, lift, year, role, baseline,
                             published_year, plan_year is not None, path, published, quoted,
                             carried_deadline=carry_deadline and role is None and year == carry_year)
            if not record.dropped:
                sentence_region = record.region
                if record.metric != "other":
                    context_metric = record.metric
                    context_text = sentence.lower
            yield record
        milestones = _milestones(text, sentence, years, events, carry, lift, path, published) \
            if has_milestone else ()
        for record in milestones:
            sentence_region = record.region
            yield record

        for last_year in reversed(years):  # the sentence's last point, deadline or plan year carries on
            if last_year.role in ("point", "deadline", "plan") and last_year.year:
                carry_year = last_year.year
                carry_deadline = last_year.role == "deadline"
                break
        _remember(events, last_by_level)
        # The place the sentence's figures were about carries on; else the last place it named.
        if sentence_region is not None:
            carry_region = sentence_region
        elif events:
            carry_region = events[-1].region


def _remember(events: list, last_by_level: dict[str, Region]) -> None:
    """The places a sentence named or referred to, as the last of their level ("the city" refers back to them)."""
    for event in events:
        last_by_level[event.region.level or "province"] = event.region
        if geo.is_municipality(event.region):
            last_by_level["city"] = event.region


def extract(text: str, published: str | None = None, source: str | None = None,
            all_quantities: bool = False) -> list[Record]:
    """Every record of a text (the same records as `targettrack extract`)."""
    return list(iter_records(text, published=published, path=source, all_quantities=all_quantities))


# --- places -----------------------------------------------------------------------------------

# A quick test before the REFERENCE pattern: every reference holds one of these words, and plain
# substring tests are faster than any regular expression over the sentence.
_REFERENCE_WORDS = ("city", "municipal", "provinc", "region", "island", "county", "district", "countr", "nation",
                    "state", "prefecture")


def _holds(text: str, words: tuple[str, ...]) -> bool:
    for word in words:
        if word in text:
            return True
    return False


# ", the capital of", ", a city in", ", its": an apposition opens with a determiner or a head noun;
# ", which hosts", ", where": a relative clause describes the place before it in the same way.
_APPOSITION_OPENS = re.compile(r"\s*,\s+(?:(?:the|a|an|its|their|capital|home|seat|one|which|where|whose)\s+"
                               r"(?:[\w'’-]+\s+){0,4})?")
_APPOSITION_CLOSES = re.compile(r"[^,.;:]{0,40},")


def _in_apposition(lower: str, start: int, end: int, events: list[_Place]) -> bool:
    """"Chengdu, the provincial capital, ...", "Shenzhen, the province's tech hub, ...": a reference
    in an apposition describes the place just named; it is not another subject."""
    for event in reversed(events):  # the last place named before `start`
        if 0 <= event.end <= start:
            return bool(_APPOSITION_OPENS.fullmatch(lower, event.end, start) and _APPOSITION_CLOSES.match(lower, end))
    return False


# "Weining Yi, Hui and Miao Autonomous County in Bijie": a short stretch ending in "in" before the container.
# Only capitalised words (the rest of the name) may stand between the place and "in".
_CONTAINED_IN = re.compile(r"(?:,?\s+(?:and\s+)?[A-Z][\w'’-]*){0,6}\s+in\s+")


def _drop_containers(text: str, events: list[_Place]) -> list[_Place]:
    """A place named as the container of the place just before it ("X County in Bijie, Guizhou") is no
    subject: the sentence is about the most specific place."""
    keep = [events[0]]
    for event in events[1:]:
        previous = keep[-1]
        if previous.end >= 0 and previous.region != event.region and _CONTAINED_IN.fullmatch(text, previous.end,
                                                                                                  event.start) \
                and geo.is_within(previous.region, event.region):
            continue
        keep.append(event)
    return keep


_ATTRIBUTION = re.compile(r"[\s,.]*(?:said|says|told|added|noted|stated|according to|announced)\b")


def _speaker_region(sentence: Sentence, offset: int, events: list[_Place]) -> Region | None:
    """'"We will install 5 GW by 2030," said an official of Jiangsu': a quoted figure is about the
    speaker's place named after the quote, unless the quote itself named a place before the figure."""
    quote = sentence.text
    at = offset - sentence.start
    opened = max(quote.rfind("“", 0, at), quote.rfind('"', 0, at))
    if opened < 0:
        return None
    closes = [i for i in (quote.find("”", at), quote.find('"', at)) if i >= 0]
    if not closes or any(opened < e.start - sentence.start < at for e in events):
        return None
    closed = min(closes)
    if not _ATTRIBUTION.match(quote, closed + 1):
        return None
    after = [e for e in events if e.start - sentence.start > closed]
    return after[0].region if after else None


def _metric_from_context(sentence: Sentence, figures: list[_Figure], context_metric: str | None,
                         context_text: str | None = None) -> None:
    """A figure with no metric word of its own, in a paragraph about one metric, is about that metric:
    "In 2023 alone, 212 million tons changed hands" in a paragraph on the carbon market; percentages and
    counts only when the text points back ("sales of such vehicles grew 30 percent", "that share")."""
    named: set[str] | None = None  # the metrics the sentence names, looked up only when a paragraph has one
    vocabulary = metric_vocabulary.metrics()
    for number, figure in enumerate(figures):
        metric = vocabulary.get(context_metric) if context_metric else None
        if metric is None:
            # No paragraph metric yet (the common case): only this figure's own metric can start one.
            if figure.metric != "other" and not figure.dropped:
                context_metric = figure.metric
            continue
        own = vocabulary.get(figure.metric)
        if own is not None and named is None:
            named = {m.key for _, _, m in classify.keyword_hits(sentence.text)}
        if own is not None and named == {figure.metric} and not figure.dropped \
                and _narrows(own, metric) and metric.allows(figure.canonical) and not _TOTAL.search(sentence.lower):
            # "Installed capacity now stands at 3.2 GW" in a paragraph on solar power: the solar capacity.
            figure.metric = metric.key
        elif figure.metric == "other" and figure.dropped in (None, _NO_METRIC_COUNT):
            level = figure.canonical not in ("%", "pp", "times", "count")
            # The figure's own stretch: from the figure before it to the next one (or the sentence end).
            stretch_start = figures[number - 1].mention.end if number else sentence.start
            stretch_end = figures[number + 1].mention.start if number + 1 < len(figures) else sentence.end
            between = sentence.lower[stretch_start - sentence.start:stretch_end - sentence.start]
            points_back = _ANAPHORA.search(between) is not None
            if (level and metric.allows(figure.canonical)) or \
                    (points_back and (not level or metric.allows(figure.canonical))):
                figure.metric = metric.key
                figure.dropped = None
        if context_text and figure.metric == "other" and not figure.dropped \
                and figure.canonical not in ("%", "pp", "times", "count"):
            # "... built wind farms with 2.1 million kilowatts. The farms generated 3.4 billion kWh": the
            # subject of the sentence before, in the metric that fits this figure's unit.
            figure.metric = _item_metric(context_text, figure.canonical)
        if figure.metric != "other" and not figure.dropped:
            context_metric = figure.metric


def _narrows(general: metric_vocabulary.Metric, specific: metric_vocabulary.Metric) -> bool:
    """Is `specific` a narrower kind of `general` (solar capacity of installed capacity)? Same additivity,
    a vaguer keyword weight, and every unit of the general metric allowed by the specific one."""
    return general.weight < specific.weight and general.additive == specific.additive \
        and general.key != specific.key and all(specific.allows(unit) for unit in general.units)


_RANKING_TAIL_WORDS = ("in", "among", "of", "all")
# The words RANKING_BEFORE needs, but for an ordinal in digits ("3rd"), tested before it.
_RANKING_WORDS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
                  "top", "rank", "leading", "largest", "highest", "lowest", "best")
_ORDINAL_DIGITS = re.compile(r"\d(?:st|nd|rd|th)")


def _ranked(lower: str, start: int) -> bool:
    """"third in the country": a place after a ranking is not the subject (the tail is tested first)."""
    # The tail ("in ", "among ") within the last 12 characters, tested without a regex: most places fail it.
    tail = lower[max(0, start - 12):start]
    trimmed = tail.rstrip()
    if trimmed == tail or not trimmed.endswith(_RANKING_TAIL_WORDS):
        return False
    window = lower[max(0, start - 60):start]
    if not _holds(window, _RANKING_WORDS) and _ORDINAL_DIGITS.search(window) is None:
        return False  # no ranking word, no "3rd": "in Hebei" is no ranking
    return RANKING_BEFORE.search(window) is not None


def _main_country(places: list[geo.PlaceMention]) -> Region:
    counts = Counter(place.region.country for place in places if place.region.country)
    code = counts.most_common(1)[0][0] if counts else "CN"  # the first of the most named
    return _country(code) or geo.CHINA


@cache
def _country(code: str) -> Region | None:
    for region in geo.gazetteer().by_name.values():
        if region.level == "country" and region.country == code:
            return region
    return None


def _resolve_reference(level: str | None, last_by_level: dict[str, Region], carry: Region | None,
                       main_country: Region, named_before: list[Region]) -> Region | None:
    if level == "country":
        countries = [r for r in named_before if r.level == "country"]
        return countries[-1] if countries else main_country
    if level is None:
        return None
    if level in ("province", "state") and carry is not None and carry.level == level:
        return carry
    if level == "city" and carry is not None and (carry.level in ("city", "county", "district")
                                                  or geo.is_municipality(carry)):
        return carry
    return last_by_level.get(level)


# "a press conference in Beijing on October 27", "Europe's largest economy": a place that is not
# what the sentence is about.
_EVENT_PLACE_BEFORE = for_lowered(r"\b(?:held|hosted|convened|took place|met|meeting|conference|summit|forum)"
                                 r"[\w\s,]{0,30}\b(?:in|at)\s+$")
_EVENT_PLACE_AFTER = re.compile(r"^\s+on\s+(?:\w+\s+\d{1,2}|the\s+\d|\w+day)\b")
_SUPERLATIVE_AFTER = re.compile(r"^['’]s\s+(?:[\w-]+\s+)?(?:largest|biggest|highest|lowest|first|leading|"
                                r"most|fastest|top|greatest|\w+-largest)\b")


def _incidental(text: str, lower: str, event: _Place) -> bool:
    name = event.region.name
    end = event.start + len(name)
    if text[event.start:end].lower() == name.lower():
        after_start = end
    else:  # an alias or another spelling: the name ends at the next space
        name_end = text.find(" ", event.start)
        after_start = name_end if name_end > 0 else end
    first = text[after_start:after_start + 1]
    if first not in ("'", "’") and not first.isspace():
        return False  # each pattern after the name starts with one of these: most places are followed by neither
    after = text[after_start:after_start + 40]  # not text[start:][:40], which copies the rest of the document
    if _SUPERLATIVE_AFTER.match(after) and event.region.level in ("region", "country", None):
        return True
    return bool(_EVENT_PLACE_AFTER.match(after)
                and _EVENT_PLACE_BEFORE.search(lower[max(0, event.start - 60):event.start]))


def _first_place(text: str, lower: str, places: list[geo.PlaceMention]) -> Region | None:
    for place in places:
        if not _incidental(text, lower, place):
            return place.region
    return None


_LIST_GAP = re.compile(r"[^,;.]*?(?:,\s*(?:and\s+)?|\s+and\s+)")
_LIST_GAP_END = re.compile(r",\s*(?:and\s+)?$|\s+and\s+$")


def _drop_place_lists(text: str, events: Sequence[_Place]) -> list[_Place]:
    """Places in an enumeration ("Beijing, Tianjin, Shanghai and Hubei") are not the subject."""
    if len(events) < 3:
        return list(events)
    keep: list[_Place] = []
    run: list[_Place] = [events[0]]
    for event in events[1:]:
        gap = text[run[-1].start:event.start]
        if len(gap) < 40 and _LIST_GAP.fullmatch(gap.split("\n")[0][-12:] or " ") or _LIST_GAP_END.search(gap):
            run.append(event)
            continue
        keep.extend(run if len(run) < 3 else [])
        run = [event]
    keep.extend(run if len(run) < 3 else [])
    return keep


def _region_for(offset: int, events: list[_Place], carry: Region | None, lift: bool) -> Region | None:
    region: Region | None
    for event in reversed(events):  # the last place before the offset, else the carried or the first one
        if event.start < offset:
            region = event.region
            break
    else:
        region = carry if carry is not None else events[0].region if events else None
    if lift and region is not None and region.level not in ("province", "country", "region"):
        for ancestor in geo.ancestors(region):
            if ancestor.level == "province":
                return ancestor
    return region


# --- figures ----------------------------------------------------------------------------------

def _figures(text: str, lower: str, sentence: Sentence, mentions: list[Mention],
             all_quantities: bool) -> list[_Figure]:
    figures: list[_Figure] = []
    unread: list[int] = []  # figures whose change and metric are read only if their record may be kept
    for mention in _split_from_to(text, lower, mentions):
        if mention.unit == "count" and not all_quantities and _YEARLIKE.match(mention.number_text):
            continue  # a year or a year range: by far the most common number that is not a figure
        start, end = mention.start - sentence.start, mention.end - sentence.start
        clause_start, clause_end = classify.clause_of(sentence.text, start, end)
        # Why a figure is no record depends on its unit only as bare number or area (never a tonnage of a
        # substance): tested before normalizing, so dates and the like cost no more.
        dropped = classify.drop_reason(text, lower, mention.start, mention.end, mention.number_text, mention.unit,
                                       sentence.lower[clause_start:clause_end])
        if dropped and not all_quantities and dropped != "duration":
            continue
        try:
            normalized = units.normalize(mention.value, mention.unit, mention.value_max)
        except Exception:  # an unknown unit spelling is not a reason to stop reading the document
            continue
        canonical = normalized.unit
        if canonical == "t":
            substance = _substance(lower, mention)
            if substance:
                mention = replace(mention, unit=substance)
                normalized = units.normalize(mention.value, substance, mention.value_max)
                canonical = normalized.unit
        before = sentence.lower[max(0, start - 120):start]
        after = lower[mention.end:mention.end + 30]
        figure = _Figure(mention, sentence, canonical, normalized, dropped=dropped, clause=(clause_start, clause_end),
                         before=before, after=after)
        if dropped == "duration" and not all_quantities:
            unread.append(len(figures))  # most are dropped whatever their metric: see below
        else:
            _read_metric(figure)
        figures.append(figure)
    for number in unread:
        # A duration stays a record only as a count of good air days, a metric named in the sentence;
        # otherwise its metric matters only to a change in percent just after it (_inherit_change_metrics).
        following = figures[number + 1].canonical if number + 1 < len(figures) else None
        if following in ("%", "pp") or _names_good_air_days(sentence):
            _read_metric(figures[number])
    if len(figures) > 1:
        _inherit_change_metrics(sentence, figures)
        _share_coordinated_metrics(sentence, figures)
    for figure in figures:
        if figure.dropped == "duration" and figure.metric == "good_air_days":
            figure.dropped = None
        if figure.dropped:
            continue
        if figure.mention.is_word and figure.canonical == "count" and figure.mention.value < 1000:
            figure.dropped = "number word without a unit"
            continue
        if figure.canonical == "count" and figure.metric == "other":
            figure.dropped = _NO_METRIC_COUNT
        elif figure.metric == "other" and figure.canonical not in _UNLISTED_KEPT \
                and not metric_vocabulary.is_currency(figure.canonical):
            figure.dropped = f"no metric for a figure in {figure.canonical}"
    return figures


def _read_metric(figure: _Figure) -> None:
    """The figure's change and metric, from the words around it."""
    sentence, canonical, after = figure.sentence, figure.canonical, figure.after
    start, end = figure.mention.start - sentence.start, figure.mention.end - sentence.start
    figure.change = classify.change(figure.before, after)
    # "to about 40 percent below 2005 levels" is a level by its words, a change by its meaning.
    relative = figure.change != "level" or classify.compared_after(after)
    figure.metric = classify.metric(sentence.text, start, end, canonical, relative, sentence.lower, figure.clause)
    if canonical == "count" and _TREES_AFTER.match(after):
        figure.metric = "afforestation"  # "plant 4 million trees": a count of trees is afforestation


def _names_good_air_days(sentence: Sentence) -> bool:
    # metric() chooses among the sentence's keyword hits (found once per sentence and kept).
    for _, _, found in classify.keyword_hits(sentence.text):
        if found.key == "good_air_days":
            return True
    return False


_FROM_BEFORE = re.compile(r"\bfrom\s+(?:(?:about|around|nearly|some)\s+)?$")
_TO_INSIDE = re.compile(r"\s+to\s+")


def _split_from_to(text: str, lower: str, mentions: list[Mention]) -> list[Mention]:
    """"rose from 20.8 percent to 25.9 percent" is a change between two levels, not a range: two figures."""
    for mention in mentions:
        if mention.value_max is not None:
            break
    else:
        return mentions  # no range, nothing to split (the common case)
    split: list[Mention] = []
    for mention in mentions:
        high = mention.value_max
        inside = _TO_INSIDE.search(lower, mention.start, mention.end) if high is not None else None
        if high is None or inside is None or not _FROM_BEFORE.search(lower, max(0, mention.start - 20), mention.start):
            split.append(mention)
            continue
        second_text = text[inside.end():mention.end]
        split.append(replace(mention, end=inside.start(), value_max=None,
                             number_text=mention.number_text.split("-")[0]))
        split.append(replace(mention, start=inside.end(), value=high, value_max=None,
                             number_text=second_text.split()[0] if second_text.split() else second_text))
    return split


# "emissions of carbon dioxide by 94.02 million tons", "cut one billion tonnes from its CO2 emissions":
# tons of a substance named beside the figure rather than in its unit.
_SUBSTANCE_BEFORE = for_lowered(
    r"(?P<s>carbon dioxide|co2|greenhouse gas(?:es)?|ghg|standard coal)(?:\s+emissions?)?"
    r"(?:\s+(?:by|of|to|at|reached|was|were|totall?ing|amounted to|fell by|rose by|decreased by|increased by))?"
    r"\s+(?:(?:about|around|nearly|some|roughly|more than|over)\s+)?$")
_SUBSTANCE_AFTER = for_lowered(
    r"^\s+(?:of|from)\s+(?:[\w-]+\s+){0,4}?(?P<s>carbon dioxide|co2|greenhouse gas(?:es)?|ghg)\b")
_SUBSTANCE_UNITS = {"carbon dioxide": "tCO2", "co2": "tCO2", "greenhouse gas": "tCO2e", "greenhouse gases": "tCO2e",
                    "ghg": "tCO2e", "standard coal": "tce"}


def _substance(lower: str, mention: Mention) -> str | None:
    before = _SUBSTANCE_BEFORE.search(lower[max(0, mention.start - 60):mention.start])
    after = _SUBSTANCE_AFTER.match(lower[mention.end:mention.end + 80])
    found = before or after
    return _SUBSTANCE_UNITS.get(found.group("s").lower()) if found else None


def _inherit_change_metrics(sentence: Sentence, figures: list[_Figure]) -> None:
    """"2.56 billion kilowatts, up 7.8% year on year": a change takes the metric of what it changes."""
    for previous, figure in zip(figures, figures[1:]):
        if figure.canonical not in ("%", "pp") or previous.canonical in ("%", "pp"):
            continue
        gap = sentence.lower[previous.mention.end - sentence.start:figure.mention.start - sentence.start]
        if len(gap) <= 40 and _CHANGE_WORD.search(gap + " ") and ";" not in gap:
            figure.metric = previous.metric


# "35 percent of new sales by 2026 and 68 percent by 2030": only a year and "and" between two figures.
_COORDINATED_GAP = for_lowered(r"(?:\s+(?:by|in|before|for)\s+(?:19|20)\d\d)?\s*,?\s*(?:and|or)\s+"
                               r"(?:(?:about|around|nearly|more than|over|at least|some)\s+)?")


def _share_coordinated_metrics(sentence: Sentence, figures: list[_Figure]) -> None:
    """Coordinated figures in one unit share the metric of the first ("35 percent ... by 2026 and 68
    percent by 2030")."""
    for previous, figure in zip(figures, figures[1:]):
        if figure.canonical != previous.canonical or previous.metric == "other" or previous.dropped:
            continue
        if _COORDINATED_GAP.fullmatch(sentence.lower, previous.mention.end - sentence.start,
                                      figure.mention.start - sentence.start):
            figure.metric = previous.metric
            if figure.dropped == _NO_METRIC_COUNT:
                figure.dropped = None


def _assign_respectively(sentence: Sentence, figures: list[_Figure], years: list[YearMention]) -> None:
    """"energy consumption and CO2 emissions per unit of GDP ... by 13.5% and 18% respectively"."""
    if "respectively" not in sentence.lower:
        return
    for resp in _RESPECTIVELY.finditer(sentence.lower):
        group = [f for f in figures
                 if 0 <= resp.start() - (f.mention.end - sentence.start) <= 80]
        group = [f for f in group if not f.dropped]
        if len(group) < 2:
            continue
        first = group[0].mention.start - sentence.start
        clause_start, _ = classify.clause_of(sentence.text, first, first + 1)
        hits = _metric_hits(sentence.text[clause_start:first])
        chosen = hits[-len(group):] if len(hits) >= len(group) else []
        if any(key.endswith("_intensity") for key in chosen):
            chosen = [_INTENSITY_DISTRIBUTES.get(key, key) for key in chosen]
        if chosen and len(set(chosen)) == len(chosen):
            for figure, key in zip(group, chosen):
                named = metric_vocabulary.get(key)
                if named is not None and (figure.canonical in ("%", "pp") or named.allows(figure.canonical)):
                    figure.metric = key
        else:
            # "emissions of COD, ammonia nitrogen, nitrogen oxides and VOCs ... by 110,000 tons, 6,000 tons,
            # 48,000 tons and 30,000 tons respectively": each figure takes the metric of its own item.
            items = _enumerated_items(sentence.lower[clause_start:first], len(group))
            for figure, item in zip(group, items):
                figure.metric = _item_metric(item, figure.canonical)
        deadlines = [y for y in years if y.role == "deadline" and y.end <= first]
        if len(deadlines) >= len(group) and len({y.year for y in deadlines[-len(group):]}) == len(group):
            for figure, year in zip(group, deadlines[-len(group):]):
                figure.respective_year = year


_LIST_SEPARATOR = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")
_ITEM_LEAD = re.compile(r"^.*\b(?:of|including|such as|namely|from)\s+")
_ITEM_TAIL = re.compile(r"\s+(?:in|at|across|will|shall|would|should|must|is|are|was|were|to|be|been|has|have|had|"
                        r"fell|dropped|rose|decreased|increased|declined|reached|by|respectively)\b.*$")


def _enumerated_items(segment: str, count: int) -> list[str]:
    """The last `count` items of an enumeration ending a stretch of text, or [] when there is none."""
    parts = _LIST_SEPARATOR.split(segment.strip())
    if len(parts) < count:
        return []
    items = parts[-count:]
    items[0] = _ITEM_LEAD.sub("", items[0])
    items[-1] = _ITEM_TAIL.sub("", items[-1])
    if any(not item or len(item.split()) > 5 for item in items):
        return []
    if all(len(item.split()) == 1 for item in items[:-1]):
        return []  # "coastal and offshore wind power": adjectives sharing one noun, not a list of subjects
    return items


def _item_metric(item: str, canonical: str | None) -> str:
    """The metric an enumerated item names, among those that fit the unit (any unit when None);
    "other" when none does."""
    best, best_weight = "other", 0.0
    for _, _, m in classify.keyword_hits(item):
        fits = canonical in (None, "%", "pp", "times") or m.allows(canonical)
        if fits and m.weight > best_weight:
            best, best_weight = m.key, m.weight
    return best


def _metric_hits(text: str) -> list[str]:
    """Metric keys named in a stretch of text, in order, the most specific where names overlap."""
    spans: list[tuple[int, int, float, str]] = []
    for m in metric_vocabulary.metrics().values():
        if m.pattern is None or m.is_milestone or m.weight < 1.5:
            continue
        for hit in m.pattern.finditer(text.lower()):
            spans.append((hit.start(), hit.end(), m.weight, m.key))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0]), -s[2]))
    chosen: list[tuple[int, int, float, str]] = []
    for span in spans:
        overlapping = [c for c in chosen if span[0] < c[1] and c[0] < span[1]]
        if not overlapping:
            chosen.append(span)
            continue
        if all((span[1] - span[0], span[2]) > (c[1] - c[0], c[2]) for c in overlapping):
            for c in overlapping:
                chosen.remove(c)
            chosen.append(span)
    chosen.sort()
    keys: list[str] = []
    for span in chosen:
        if not keys or keys[-1] != span[3]:
            keys.append(span[3])
    return keys


def _own_period(years: list[YearMention], published_year: int | None) -> tuple[int | None, str] | None:
    """The time a sentence names without a year of its own: "over the past five years" (the last full
    year), "since 2020" and "now" (the publication year), "over five years" (a duration: no year, and
    not the year of a sentence before)."""
    roles = {y.role: y for y in years}
    if "past" in roles:
        return (roles["past"].year or None, "point") if roles["past"].year else (None, "duration")
    if "start" in roles:
        return (published_year, "now") if published_year else (None, "duration")
    if "duration" in roles:
        return None, "duration"
    if "now" in roles:
        return (published_year, "now") if published_year else None
    return None


def _with_years(sentence: Sentence, figures: list[_Figure], years: list[YearMention], carry_year: int | None,
                plan_year: int | None, published_year: int | None = None) -> Iterator[tuple[_Figure, int | None, str | None, int | None]]:
    timing: list[YearMention] = []
    baselines: list[YearMention] = []
    for y in years:  # one pass: most sentences have a year or two
        if y.role in ("point", "deadline", "plan"):
            timing.append(y)
        elif y.role == "baseline" and y.year:
            baselines.append(y)
    period: tuple[int | None, str] | None = None
    period_known = False  # the sentence's own period is looked up when a figure first needs it
    for figure in figures:
        start = figure.mention.start - sentence.start
        end = figure.mention.end - sentence.start
        clause_start, clause_end = figure.clause
        chosen = figure.respective_year
        if chosen is None and timing:
            # Years come in text order, without overlaps: the last one before the figure and the
            # first one after it are all the choice needs.
            before = next_one = None
            for y in timing:
                if y.end <= start:
                    before = y
                elif y.start >= end:
                    next_one = y
                    break
            if next_one is not None and next_one.start <= end + 45 and next_one.start < clause_end:
                chosen = next_one  # "... 50 GW by 2025"
            elif before is not None:
                chosen = before  # "By 2025, ... 50 GW"
            elif next_one is not None and (next_one.start < clause_end or carry_year is None):
                chosen = next_one
        baseline = next((y.year for y in baselines if clause_start <= y.start < clause_end + 40), None) \
            if baselines else None
        if chosen is not None:
            yield figure, chosen.year or None, chosen.role, baseline
        elif plan_year is not None:
            yield figure, plan_year, "plan", baseline
        else:
            if not period_known:
                period, period_known = _own_period(years, published_year), True
            if period is not None:
                yield figure, period[0], period[1], baseline
            else:
                yield figure, carry_year, None, baseline


def _record(text: str, sentence: Sentence, figure: _Figure, events: list[_Place], carry: Region | None,
            lift: bool, year: int | None, role: str | None, baseline: int | None, published_year: int | None,
            plan_item: bool, path: str | None, published: str | None, quoted: bool,
            carried_deadline: bool = False) -> Record:
    mention = figure.mention
    start = mention.start - sentence.start
    head = sentence.lower[:start]
    clause_head = sentence.lower[figure.clause[0]:start]
    kind = classify.kind(head, clause_head, role, year, published_year, plan_item)
    if carried_deadline and kind == "target" and not plan_item:
        # "... will reach 18 GW by 2025. Capacity now stands at 7.9 GW": a report does not take the
        # deadline of the sentence before.
        unbound = classify.kind(head, clause_head, None, None, published_year, plan_item)
        if unbound == "outcome":
            kind, year = "outcome", None
    if role == "now" and kind == "target":
        year = None  # "now plans to add 10 GW": the time of writing is not the deadline
    region = (quoted and _speaker_region(sentence, mention.start, events)) \
        or _region_for(mention.start, events, carry, lift)
    return Record(
        kind=kind, metric=figure.metric, region=region, value=mention.value, value_max=mention.value_max,
        unit=mention.unit, comparator=classify.comparator(figure.before, figure.after),
        change=figure.change, normalized=figure.normalized, year=year,
        baseline_year=baseline if baseline != year else None, text=text[mention.start:mention.end],
        sentence=sentence.text, source=Source(document=path, published=published, start=mention.start,
                                              end=mention.end),
        dropped=figure.dropped,
    )


# --- milestones -------------------------------------------------------------------------------

_BAN_DEADLINE = re.compile(r"\b(?:by|before|until|in)\s+(?:\w+\s+)?(?:19|20)\d\d")
_DIGIT = re.compile(r"\d")
_BARE_YEAR_BEFORE = re.compile(r"\b(20\d\d)\s+$")


def _milestones(text: str, sentence: Sentence, years: list[YearMention], events: list[_Place],
                carry: Region | None, lift: bool, path: str | None, published: str | None) -> Iterator[Record]:
    hits: list[tuple[int, int, str]] = []
    for key, pattern in _milestone_patterns():
        for hit in pattern.finditer(sentence.lower):
            hits.append((hit.start(), hit.end(), key))
    for hit in _BAN.finditer(sentence.lower):
        # "phase out unabated coal power by 2030": the ban's own words name its metric.
        own = sentence.lower[hit.start():hit.end() + 60]
        deadline = _BAN_DEADLINE.search(own)
        own_metric = _item_metric(own[:deadline.start()] if deadline else own, None)
        hits.append((hit.start(), hit.end(), own_metric if own_metric != "other" else _item_metric(sentence.lower, None)))
    if not hits:
        return
    hits.sort()
    timing = [y for y in years if y.role in ("deadline", "point") and y.year]
    seen: set[tuple[str, int]] = set()
    for i, (start, end, key) in enumerate(hits):
        next_hit = hits[i + 1][0] if i + 1 < len(hits) else len(sentence.text)
        year = next((y for y in timing if end <= y.start <= end + 45 and y.start < next_hit
                     and y.role == "deadline" and not _DIGIT.search(sentence.text, end, y.start)), None)
        if year is None:
            # "a 2070 net zero goal", "by 2060, carbon neutrality"
            year = next((y for y in timing if 0 <= start - y.end <= 12 and y.role == "deadline"), None)
        if year is None:
            bare = _BARE_YEAR_BEFORE.search(sentence.text[max(0, start - 8):start])
            if bare and _GOAL_AFTER_YEAR.match(sentence.lower[end:]):
                year = YearMention(start - 5, start - 1, int(bare.group(1)), "deadline")
        if year is None or (key, year.year) in seen:
            continue
        seen.add((key, year.year))
        span_start, span_end = min(start, year.start), max(end, year.end)
        offset = sentence.start + span_start
        yield Record(
            kind="target", metric=key, region=_region_for(offset, events, carry, lift), value=None,
            value_max=None, unit=None, comparator="=", change="level", normalized=Normalized(None, None, None),
            year=year.year, baseline_year=None, text=sentence.text[span_start:span_end], sentence=sentence.text,
            source=Source(document=path, published=published, start=offset, end=sentence.start + span_end),
        )
