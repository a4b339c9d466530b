"""Quantity mentions in text: a number with its multipliers, range, comparator words and unit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from targettrack import numbers, units
from targettrack.extraction.context import for_lowered, letter_tree, lowered

_NUMBER_WORDS = sorted(
    [w for w in numbers.NUMBER_WORDS if w != "zero"] + ["half", "a half", "two thirds", "one third", "a third"],
    key=len, reverse=True,
)
_WORD_NUMBER = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ](?:one|two|three|four|five|six"
                r"|seven|eight|nine)|" + "|".join(_NUMBER_WORDS) + r")")


def _optional(pattern: str) -> str:
    """`pattern` or nothing, as `(?:pattern)?` matches: an empty alternative runs faster in the regex
    engine than an optional group, which sets up a repeat each time it is tried."""
    return f"(?:{pattern}|)"


# The look-ahead for a comma turns down "2025" before the thousands groups are tried three times.
_NUMERAL = r"(?:\d{1,3}(?=,\d)(?:,\d{3})+(?![\d])|\d+)" + _optional(r"\.\d+")
_WORD_MULTIPLIERS = r"(?:hundred million|ten thousand|hundred thousand|thousand|million|billion|trillion|bn|mn|mln)"
# "15 100 million yuan" and "300 10,000 kilowatts": translations that keep Chinese 亿 and 万 as numbers.
_DIGIT_MULTIPLIERS = r"(?:100 million|10,000|10 thousand)"
_MULTIPLIERS = _optional(
    rf"\s+{_WORD_MULTIPLIERS}" + _optional(rf"\s+{_WORD_MULTIPLIERS}") + _optional(rf"\s+{_DIGIT_MULTIPLIERS}(?=\s+[a-z])")
    + rf"|\s+{_DIGIT_MULTIPLIERS}(?=\s+[a-zA-Z])")
_AMOUNT = rf"(?:{_NUMERAL}|\b{_WORD_NUMBER}\b){_MULTIPLIERS}"
_CURRENCY_PREFIX = r"(?:US\$|\$|€|£|¥|RMB\s?|CNY\s?|USD\s?|EUR\s?)"


@dataclass(slots=True)  # made by the thousand: plain slots are quicker to build than frozen
class Mention:
    """A quantity as written: offsets, value(s) with multipliers applied, pint unit and unit text."""

    start: int
    end: int
    value: float
    value_max: float | None
    unit: str  # pint unit name; "count" for a bare number
    unit_text: str
    number_text: str
    is_word: bool  # the number is written in words ("two million")


@cache
def _unit_table() -> tuple[re.Pattern[str], dict[str, str]]:
    """The quantity pattern (for lower-cased text) and the pint unit of each lower-cased unit spelling."""
    phrases = units.unit_phrases()
    table = {phrase.lower(): unit for phrase, unit in phrases}
    unit_re = letter_tree([phrase.lower() for phrase, _ in phrases])
    prefix = _optional(rf"(?P<prefix>{_CURRENCY_PREFIX})")
    unit1 = _optional(r"(?P<unit1>\s?(?:%|percent|per cent))")
    # The unit tree is lower-case already; only the rest goes through for_lowered.
    head = for_lowered(
        rf"(?<![\w.,:/]){prefix}" + _optional(r"(?P<between>between\s+)") + rf"(?P<amount>{_AMOUNT})"
        + _optional(rf"{unit1}(?P<sep>\s*(?:-|–|—|~|to|and)\s*)(?P<amount2>{_AMOUNT})")
    ).pattern
    pattern = re.compile(head + _optional(rf"(?P<unit>\s?(?:{unit_re}))"))
    return pattern, table


@cache
def _candidates() -> tuple[re.Pattern[str], re.Pattern[bytes]]:
    """Where a quantity may start, as fast first passes: digits and currencies in the text, number
    words in its copy made by _spaced (after a space there).

    Each pattern starts with a plain character or class, so the regex engine skips straight to the
    few places where it may match; one pattern for both would be tried at every character.
    """
    signs = re.compile("|".join([*"0123456789", *map(re.escape, "$€£¥"), r"US\$", "RMB", "CNY", "USD", "EUR"]))
    words = sorted([w for w in numbers.NUMBER_WORDS if w != "zero"] + ["half", "between"], key=len, reverse=True)
    initials = "".join(sorted({w[0] for w in words} | {w[0].upper() for w in words}))
    # A class for the first letter and a tree of the literal tails keep this pass far faster than the
    # full pattern: at each space the engine tests each following character once.
    tails = letter_tree({w[1:] for w in words}, whole_words=False, loose_spaces=False)
    return signs, re.compile(rf" [{initials}](?:{tails})\b".encode("ascii"))


_NOT_WORD = bytes(c for c in range(128) if not (chr(c).isalnum() or chr(c) == "_"))
# Digits become "0" in the same pass: the word search reads them as word characters all the same, and
# _marked can hand out the copy as it is.
_SPACE_FOR_NOT_WORD = bytes.maketrans(_NOT_WORD + b"123456789", b" " * len(_NOT_WORD) + b"0" * 9)


def _spaced(encoded: bytes) -> bytes:
    """The text (as _ascii made it) after one space, with a space for each character that is not an
    ASCII letter, digit or "_" and "0" for each digit (so one byte per character, at its offset plus one)."""
    # A number word next to a non-ASCII letter ("fiveé") is found here but is no word start in the
    # text: the quantity pattern, which reads the text itself, turns such a candidate down.
    return b" " + encoded.translate(_SPACE_FOR_NOT_WORD)


def _next_word(spaced: bytes, position: int) -> tuple[int, int]:
    """Start and end of the first number word at or after `position`; past the end when there is none."""
    # A word starts after a space in `spaced`, where that space has the offset the word has in the
    # text: a search for one plain character, several times faster than testing each letter.
    word = _candidates()[1].search(spaced, position)
    return (word.start(), word.end() - 1) if word else (len(spaced), len(spaced))


_LETTER_SIGNS = ("RMB", "CNY", "EUR")
_OTHER_SIGNS = ("€", "£", "¥")
_ZERO_FOR_SIGN = bytes.maketrans(b"123456789$", b"0000000000")


def _ascii(text: str) -> bytes:
    """The text as bytes, one per character: "?" for each one that is not ASCII."""
    return text.encode("ascii", "replace")


def _marked(text: str, encoded: bytes, spaced: bytes) -> bytes | None:
    """A text with no currency sign but "$" (as _ascii made it) after one space, with "0" for each digit
    and "$" (all the signs a quantity may start with in it); None for other texts."""
    # One search for "US" settles most texts for both "US$" and "USD"; one that is all ASCII holds none
    # of the other signs.
    if "US" in text and ("US$" in text or "USD" in text) or any(sign in text for sign in _LETTER_SIGNS):
        return None
    if not text.isascii() and any(sign in text for sign in _OTHER_SIGNS):
        return None
    # Most texts have no "$": their copy made by _spaced marks every digit, and only digits, with "0".
    return spaced if b"$" not in encoded else b" " + encoded.translate(_ZERO_FOR_SIGN)


def _next_sign(text: str, position: int) -> tuple[int, int]:
    """Start and end of the first digit or currency sign at or after `position`; past the end when none.

    For a text with other signs than "$": in the others, scan() searches the copy made by _marked.
    """
    sign = _candidates()[0].search(text, position)
    return (sign.start(), sign.end()) if sign else (len(text) + 1, len(text) + 1)


# The common shapes, read without the general parser: "1,200.5" and "45.3 million".
_NUMERAL_AND_WORD = re.compile(r"((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s+(thousand|million|billion|trillion)")
_SPACES = re.compile(r"\s+")


def _plain_value(amount: str) -> float | None:
    """The value of a lower-cased amount (as the quantity pattern matched it) that is a numeral, alone or
    with one multiplier word; else None."""
    # The pattern puts a numeral's commas and point only where they belong, so string tests tell a
    # numeral alone from the other amounts (words, multipliers after a space) without a regex.
    digits = amount.replace(",", "")
    if digits.replace(".", "", 1).isdigit():
        return float(digits)
    if plain := _NUMERAL_AND_WORD.fullmatch(amount):
        return float(plain.group(1).replace(",", "")) * numbers.MULTIPLIERS[plain.group(2)]
    return None


@lru_cache(maxsize=4096)
def _unit_of(unit_text: str) -> str | None:
    """The pint unit of a unit as written, whatever its case and spacing ("Million  kWh")."""
    return _unit_table()[1].get(_SPACES.sub(" ", unit_text.strip().lower()))


def scan(text: str, lower: str | None = None) -> list[Mention]:
    """Every number in `text` that may be a quantity, with its unit when one follows.

    `lower` is the text lower-cased with the same offsets (context.lowered), when already known.
    """
    lower = lowered(text) if lower is None else lower
    pattern = _unit_table()[0]
    index = pattern.groupindex
    # Groups by number: one group() call for the few a match needs, not a look-up by name per use.
    g_prefix, g_between, g_amount, g_unit1, g_sep, g_amount2, g_unit = (
        index[name] for name in ("prefix", "between", "amount", "unit1", "sep", "amount2", "unit"))
    encoded = _ascii(text)
    spaced = _spaced(encoded)
    marked = _marked(text, encoded, spaced)
    # The next match of each first pass (start, end; past the end when there is none) stays valid
    # until the scan moves past its start, so each pass runs over the text about once.
    nowhere = len(text) + 1
    sign_at = word_at = -1
    found: list[Mention] = []
    position = 0
    while True:
        if sign_at < position:
            if marked is not None:
                # Each sign is one character in `marked`, one place on: a byte search, no regular expression.
                sign_at = marked.find(b"0", position + 1) - 1
                if sign_at < 0:
                    sign_at = nowhere
                sign_end = sign_at + 1
            else:
                sign_at, sign_end = _next_sign(text, position)
        if word_at < position:
            word_at, word_end = _next_word(spaced, position)
        if word_at < sign_at:
            start, candidate_end = word_at, word_end
        elif sign_at < nowhere:
            start, candidate_end = sign_at, sign_end
        else:
            break
        match = pattern.match(lower, start)
        if match is None:
            position = candidate_end
            continue
        position = end = match.end()
        unit_group, prefix_group, second_group, unit1, lower_amount = match.group(
            g_unit, g_prefix, g_amount2, g_unit1, g_amount)
        if prefix_group is None and second_group is None:
            # _plain_value's first test, written out: most amounts are digits alone ("2025", "40").
            value = float(lower_amount) if lower_amount.isdigit() else _plain_value(lower_amount)
        else:
            value = None
        if value is not None:
            # Most figures are a numeral, alone or with a unit: read them without the general steps.
            amount_start, amount_end = match.span(g_amount)
            amount = text[amount_start:amount_end]
            if unit_group:
                unit_text = text[match.start(g_unit):end]
                unit = _unit_of(unit_text)
            else:
                unit = None
            if unit is None:
                found.append(Mention(amount_start, amount_end, value, None, "count", "", amount, False))
                position = amount_end
            else:
                found.append(Mention(amount_start, end, value, None, unit, unit_text.strip(), amount, False))
            continue
        amount_start, amount_end = match.span(g_amount)
        amount = text[amount_start:amount_end]
        is_word = not amount[0].isdigit()
        if is_word and amount.lower() in ("a", "an", "half", "a half"):
            continue
        between = match.group(g_between)
        unit_text = text[match.start(g_unit):end].strip() if unit_group else ""
        prefix = text[match.start(g_prefix):match.end(g_prefix)].strip() if prefix_group else ""
        if second_group:
            second_end = match.end(g_amount2)
            second = text[match.start(g_amount2):second_end]
            separator = (match.group(g_sep) or "").strip()
            number_text = text[amount_start:second_end]
        else:
            second, number_text = None, amount
        if second and separator == "and" and not between:
            # "13.5% and 18%" are two figures, not a range.
            number_text = amount
            end = amount_end + len(unit1 or "")
            unit_text = text[amount_end:end].strip()
            second = None
            position = end
        if second and unit1 and unit_text and _unit_of(unit_text) != _unit_of(unit1):
            # "rose 55.2 percent to 610 GW": a change in percent, then a level in another unit.
            end = match.end(g_unit1)
            number_text = amount
            unit_text = text[match.start(g_unit1):end].strip()
            second = None
            position = end
        if second and unit1 and not unit_text:
            unit_text = text[match.start(g_unit1):match.end(g_unit1)].strip()
        try:
            if second:
                # "18% to 20%": the first unit is dropped for parsing, the range reads "18 to 20".
                parsed = f"{amount} {separator} {second}" if unit1 else number_text
                value, value_max, _ = numbers.parse_amount(("between " if between else "") + parsed)
            elif (plain := _plain_value(amount.lower())) is not None:
                value, value_max = plain, None
            else:
                value, value_max, _ = numbers.parse_amount(amount)
        except ValueError:
            continue
        if second and value_max is None:
            # Not an upward range ("51-50", "2023-04-05"): keep the first number alone.
            number_text = amount
            end = amount_end
            unit_text = ""
            position = end
        unit = _unit_of(unit_text) if unit_text else None
        if unit is None and prefix:
            unit = _unit_of(prefix)
            unit_text = prefix
        if unit is None:
            unit, unit_text = "count", ""
            if not second:
                end = amount_end
                position = end
        start = match.start(g_prefix) if prefix and unit_text == prefix else match.start(g_between) \
            if between and second else amount_start
        found.append(Mention(start, end, value, value_max, unit, unit_text, number_text, is_word))
    return found
