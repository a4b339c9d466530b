"""Numbers as written in texts: numerals, number words, multipliers (million, 万, 亿) and ranges."""

from __future__ import annotations

import re

# Number words are English grammar, not a vocabulary a user would extend.
NUMBER_WORDS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100,
}

# Denominators of spoken fractions: "two thirds", "a quarter", "three fifths".
FRACTION_WORDS: dict[str, int] = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4,
    "fourths": 4, "fifth": 5, "fifths": 5, "tenth": 10, "tenths": 10,
}

MULTIPLIERS: dict[str, float] = {
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "ten thousand": 1e4,
    "hundred thousand": 1e5,
    "hundred million": 1e8,
    # Translations of Chinese 万 (1e4) and 亿 (1e8) write them as numbers: "15 100 million yuan".
    "100 million": 1e8,
    "10,000": 1e4,
    "10 thousand": 1e4,
    "万": 1e4,
    "亿": 1e8,
    "万亿": 1e12,
    "bn": 1e9,
    "mn": 1e6,
    "mln": 1e6,
    "k": 1e3,
}

_SMALL_WORDS = {word: value for word, value in NUMBER_WORDS.items() if value < 20}
_TENS_WORDS = {word: value for word, value in NUMBER_WORDS.items() if value >= 20 and value < 100}

_NUMERAL = r"[+\-−]?(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?(?:[eE][+\-]?\d+)?(?![\d,]\d)|[+\-−]?\.\d+"
_NUMERAL_RE = re.compile(_NUMERAL)
_FULL_NUMERAL_RE = re.compile(rf"(?:{_NUMERAL})\Z")

_WORD_ALTERNATION = "|".join(sorted(list(NUMBER_WORDS) + list(FRACTION_WORDS) + ["a", "an", "and"],
                                    key=len, reverse=True))
# A run of number words joined by spaces or hyphens; parsed by _words_value, shortened until it parses.
_WORDS_RE = re.compile(rf"(?:{_WORD_ALTERNATION})(?:[\s\-]+(?:{_WORD_ALTERNATION}))*(?![\w])", re.IGNORECASE)

# Multipliers written with digits apply only after a number that is not a year ("2020 10,000 tons").
_DIGIT_MULTIPLIERS = {key for key in MULTIPLIERS if key[0].isdigit()}
_CJK_MULTIPLIERS = {key for key in MULTIPLIERS if not key.isascii()}
_MULTIPLIER_RE = re.compile(
    "|".join(
        re.escape(key) + ("" if key in _CJK_MULTIPLIERS else r"(?![\w])")
        for key in sorted(MULTIPLIERS, key=len, reverse=True)
    ),
    re.IGNORECASE,
)
_RANGE_SEPARATOR_RE = re.compile(r"\s*(?:-|–|—|~|～|(?:to|and)\b)\s*", re.IGNORECASE)
_BETWEEN_RE = re.compile(r"between\s+", re.IGNORECASE)
_TOKEN_RE = re.compile(r"[^\s\-]+")
_HYPHEN_WORD_RE = re.compile(r"-\w")
_SPACES_RE = re.compile(r"\s*")
_HALF_A_RE = re.compile(r"half\s+an?\s+(?=\S)", re.IGNORECASE)
# Two numerals without commas, exponents or multipliers around a range word: "2020-25", "5 to 10".
# "and" is left to the general reading, where it makes a range only after "between".
_PLAIN_RANGE_RE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:-|–|—|~|～|to\b)\s*(\d+(?:\.\d+)?)", re.IGNORECASE)


def parse_number(text: str) -> float:
    """A single number: "6,000,000", "1.213", "5e7", "Thirteen", "twenty-five", "a", "half", "two thirds"."""
    cleaned = text.strip()
    if _FULL_NUMERAL_RE.match(cleaned):
        return _numeral_value(cleaned)
    value = _words_value(cleaned)
    if value is None:
        raise ValueError(f"not a number: {text!r}")
    return value


def parse_amount(text: str) -> tuple[float, float | None, str]:
    """The leading number of `text` with its multipliers and an optional range: (value, value_max, rest).

    "1.2 to 1.5 million kWh" gives (1.2e6, 1.5e6, "kWh"); "15 100 million yuan" gives
    (1.5e9, None, "yuan"); "between 32 and 42 percent" gives (32, 42, "percent").
    """
    # The shapes a text scan passes most often, read without the general steps: "Five", "2020-25".
    word_value = NUMBER_WORDS.get(text.lower())
    if word_value is not None:
        return float(word_value), None, ""
    plain_range = _PLAIN_RANGE_RE.fullmatch(text)
    if plain_range:
        value, upper = float(plain_range.group(1)), float(plain_range.group(2))
        if upper >= value:
            return value, upper, ""
        return value, None, text[plain_range.end(1):].lstrip()
    position = _skip_spaces(text, 0)
    between = _BETWEEN_RE.match(text, position)
    if between:
        position = between.end()
    first = _read_amount(text, position)
    if first is None:
        raise ValueError(f"no number in {text!r}")
    value, multiplier, position = first
    value_max = None
    separator = _RANGE_SEPARATOR_RE.match(text, position)
    if separator and (separator.group().strip().lower() != "and" or between):
        second = _read_amount(text, separator.end())
        if second is not None:
            upper, upper_multiplier, upper_end = second
            # "1.2 to 1.5 million": the closing multiplier applies to both ends.
            if multiplier == 1.0 and upper_multiplier != 1.0:
                value *= upper_multiplier
            elif upper_multiplier == 1.0 and multiplier != 1.0:
                upper *= multiplier
            # "2023-04-05" or "51-50" are not ranges: a range runs upwards.
            if upper >= value:
                value_max = upper
                position = upper_end
    return value, value_max, text[_skip_spaces(text, position):]


def _read_amount(text: str, position: int) -> tuple[float, float, int] | None:
    """A number and its multipliers at `position`: (value with multipliers applied, multiplier, end)."""
    half_a = _HALF_A_RE.match(text, position)
    if half_a:
        multiplier, end = _read_multipliers(text, half_a.end(), allow_digits=True)
        if multiplier != 1.0:
            return 0.5 * multiplier, multiplier, end
    number = _read_number(text, position)
    if number is None:
        return None
    value, end, is_word = number
    looks_like_year = not is_word and value.is_integer() and 1900 <= value <= 2100
    multiplier, end = _read_multipliers(text, end, allow_digits=not looks_like_year)
    return value * multiplier, multiplier, end


def _read_number(text: str, position: int) -> tuple[float, int, bool] | None:
    """A numeral or a run of number words at `position`: (value, end, written in words)."""
    numeral = _NUMERAL_RE.match(text, position)
    if numeral:
        return _numeral_value(numeral.group()), numeral.end(), False
    words = _WORDS_RE.match(text, position)
    if not words:
        return None
    tokens = list(_TOKEN_RE.finditer(words.group()))
    # Take the longest run of words that reads as one number: "two and three" stops at "two".
    for count in range(len(tokens), 0, -1):
        phrase = words.group()[: tokens[count - 1].end()]
        value = _words_value(phrase)
        if value is None:
            continue
        end = position + len(phrase)
        if _HYPHEN_WORD_RE.match(text, end):
            return None  # an ordinal or compound word: "twenty-fifth", "one-off"
        lone_article = count == 1 and phrase.lower() in ("a", "an")
        if lone_article and not _MULTIPLIER_RE.match(text, _skip_spaces(text, position + len(phrase))):
            return None
        return value, end, True
    return None


def _read_multipliers(text: str, position: int, *, allow_digits: bool) -> tuple[float, int]:
    """The product of the multipliers at `position` ("thousand million") and where they end."""
    total = 1.0
    while True:
        start = _skip_spaces(text, position)
        match = _MULTIPLIER_RE.match(text, start)
        if not match:
            return total, position
        key = match.group().lower()
        if key == "k" and start != position:
            # "20k" is a thousand; "20 k" is too ambiguous to read as one.
            return total, position
        if key in _DIGIT_MULTIPLIERS and (not allow_digits or start == position):
            return total, position
        total *= MULTIPLIERS[key]
        position = match.end()


def _numeral_value(numeral: str) -> float:
    return float(numeral.replace(",", "").replace("−", "-"))


def _words_value(phrase: str) -> float | None:
    """The value of number words ("twenty-five", "two hundred and ten", "two thirds"), or None."""
    tokens = _TOKEN_RE.findall(phrase.lower())
    if not tokens:
        return None
    # "one and a half", "two and a quarter"
    if len(tokens) >= 4 and tokens[-3:-1] in (["and", "a"], ["and", "an"]) and tokens[-1] in FRACTION_WORDS:
        whole = _whole_words_value(tokens[:-3])
        return None if whole is None else whole + 1 / FRACTION_WORDS[tokens[-1]]
    if tokens[-1] in FRACTION_WORDS:
        denominator = FRACTION_WORDS[tokens[-1]]
        if len(tokens) == 1:
            return 0.5 if tokens[0] == "half" else None
        numerator = 1 if tokens[:-1] in (["a"], ["an"]) else _whole_words_value(tokens[:-1])
        if numerator is None or (tokens[-1].endswith("s") != (numerator != 1) and tokens[-1] != "half"):
            return None
        return numerator / denominator
    if tokens in (["a"], ["an"]):
        return 1.0
    whole = _whole_words_value(tokens)
    return None if whole is None else float(whole)


def _whole_words_value(tokens: list[str]) -> int | None:
    """A whole number below a thousand in words: "nine", "twenty five", "a hundred and six"."""
    hundreds = 0
    if "hundred" in tokens:
        index = tokens.index("hundred")
        head = tokens[:index]
        if head in ([], ["a"], ["an"]):
            hundreds = 100
        elif len(head) == 1 and head[0] in _SMALL_WORDS and _SMALL_WORDS[head[0]] > 0:
            hundreds = 100 * _SMALL_WORDS[head[0]]
        else:
            return None
        tokens = tokens[index + 1:]
        if tokens[:1] == ["and"]:
            tokens = tokens[1:]
            if not tokens:
                return None
        if not tokens:
            return hundreds
    rest = _below_hundred(tokens)
    return None if rest is None or (hundreds and rest == 0) else hundreds + rest


def _below_hundred(tokens: list[str]) -> int | None:
    if len(tokens) == 1:
        word = tokens[0]
        return _SMALL_WORDS.get(word, _TENS_WORDS.get(word))
    if len(tokens) == 2 and tokens[0] in _TENS_WORDS and tokens[1] in _SMALL_WORDS:
        unit = _SMALL_WORDS[tokens[1]]
        return _TENS_WORDS[tokens[0]] + unit if 0 < unit < 10 else None
    return None


def _skip_spaces(text: str, position: int) -> int:
    spaces = _SPACES_RE.match(text, position)  # never None: the pattern matches the empty string
    return spaces.end() if spaces else position
