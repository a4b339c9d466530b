"""The metric vocabulary: keys, labels, additivity and the keywords that recognise a metric in text."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from targettrack.errors import InputError

DATA_FILE = "metrics.tsv"


@dataclass(frozen=True)
class Metric:
    """One metric: its key, label, whether figures of sub-regions add up, its units and keywords."""

    key: str
    label: str
    additive: bool
    units: tuple[str, ...]
    weight: float
    keywords: tuple[str, ...]
    pattern: re.Pattern[str] | None = field(default=None, compare=False, repr=False)  # on lower-cased text

    @property
    def is_milestone(self) -> bool:
        return self.units == ("milestone",)

    @property
    def takes_percent(self) -> bool:
        """Can a level in percent (not a change) be a figure of this metric? Shares, rates, intensities."""
        return "*" in self.units or bool({"%", "pp", "share"} & set(self.units))

    def allows(self, unit: str | None) -> bool:
        """Can a level figure in this canonical unit be a figure of this metric?"""
        if "*" in self.units or unit in self.units:
            return True
        return "money" in self.units and is_currency(unit)


def is_currency(unit: str | None) -> bool:
    """Canonical money units are ISO 4217 codes (CNY, USD, EUR)."""
    return unit is not None and len(unit) == 3 and unit.isalpha() and unit.isupper()


@cache
def metrics() -> dict[str, Metric]:
    """Every metric of the data file, by key, in file order."""
    text = resources.files("targettrack").joinpath("data", DATA_FILE).read_text(encoding="utf-8")
    found: dict[str, Metric] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        columns = line.split("\t")
        where = f"{DATA_FILE}:{number}"
        if len(columns) < 5:
            raise InputError("a metric line needs key, label, additive, units and weight", where=where,
                             hint="separate the columns with tabs")
        keywords = tuple(k.strip() for k in (columns[5] if len(columns) > 5 else "").split(" ; ") if k.strip())
        try:
            # Compiled for lower-cased text: matching without IGNORECASE is several times faster.
            pattern = re.compile(r"\b(?:" + "|".join(keywords).lower() + r")") if keywords else None
            weight = float(columns[4])
        except (re.error, ValueError) as error:
            raise InputError(f"bad metric line: {error}", where=where,
                             hint="keywords are regular expressions; weight is a number") from None
        found[columns[0]] = Metric(
            key=columns[0], label=columns[1], additive=columns[2].strip().lower() in ("yes", "true", "1"),
            units=tuple(u.strip() for u in columns[3].split(";") if u.strip()), weight=weight,
            keywords=keywords, pattern=pattern,
        )
    return found


def get(key: str) -> Metric | None:
    """The metric with this key, or None."""
    return metrics().get(key)


def suggest(key: str, n: int = 3) -> list[str]:
    """The closest metric keys, for a hint after an unknown key."""
    return difflib.get_close_matches(key.strip().lower(), list(metrics()), n=n, cutoff=0.5)
