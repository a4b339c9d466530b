"""The gazetteer: look-ups by name and alias, parents, containment, suggestions, places in text."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from targettrack import geo
from targettrack.models import Region


@pytest.mark.parametrize("name, canonical, level", [
    ("Ordos", "Ordos", "city"),
    ("Ordos City", "Ordos", "city"),
    ("inner mongolia", "Inner Mongolia", "province"),
    ("Inner Mongolia Autonomous Region", "Inner Mongolia", "province"),
    ("Nei Mongol", "Inner Mongolia", "province"),
    ("Hebei Province", "Hebei", "province"),
    ("Tianjin Municipality", "Tianjin", "province"),
    ("Guangxi Zhuang Autonomous Region", "Guangxi", "province"),
    ("PRC", "China", "country"),
    ("China", "China", "country"),
    ("the United States", "United States", "country"),
    ("U.S.", "United States", "country"),
    ("Germany", "Germany", "country"),
    ("Russia", "Russia", "country"),
    ("Jinghai District", "Jinghai", "district"),
])
def test_lookup_resolves_names_aliases_and_suffixes(name, canonical, level):
    region = geo.lookup(name)
    assert region is not None
    assert (region.name, region.level) == (canonical, level)


@pytest.mark.parametrize("landmark, region", [
    ("Saihanba", "Chengde"),
    ("Saihanba Mechanical Forest Farm", "Chengde"),
    ("Three Gorges Dam", "Yichang"),
    ("Kubuqi Desert", "Ordos"),
])
def test_landmarks_resolve_to_the_region_they_stand_for(landmark, region):
    assert geo.lookup(landmark).name == region


@pytest.mark.parametrize("name", ["", "   ", "Atlantis", "Notaplace Province"])
def test_unknown_names_give_none(name):
    assert geo.lookup(name) is None


def test_china_and_its_places_carry_the_country_code():
    assert geo.lookup("China").country == "CN"
    assert geo.lookup("Ordos").country == "CN"
    assert geo.lookup("Ordos").parent == "Inner Mongolia"


def test_ancestors_run_up_to_the_country_nearest_first():
    assert [r.name for r in geo.ancestors(geo.lookup("Jinghai"))] == ["Tianjin", "China"]
    assert [r.name for r in geo.ancestors(geo.lookup("Ordos"))] == ["Inner Mongolia", "China"]
    assert geo.ancestors(geo.lookup("China")) == []


@pytest.mark.parametrize("place, area, inside", [
    ("Ordos", "Inner Mongolia", True),
    ("Ordos", "China", True),
    ("Ordos", "Ordos", True),
    ("Ordos", "Hebei", False),
    ("Inner Mongolia", "Ordos", False),
    ("Germany", "China", False),
])
def test_is_within(place, area, inside):
    assert geo.is_within(geo.lookup(place), geo.lookup(area)) is inside


def test_suggest_offers_close_names():
    assert "Inner Mongolia" in geo.suggest("Inner Mongolai")
    assert "Ordos" in geo.suggest("Ordoss")
    assert len(geo.suggest("Hebie", n=2)) <= 2


def test_find_places_in_text_with_offsets():
    text = "Officials from Hebei Province met Ordos Municipal staff; the U.S. and China's delegates watched."
    found = [(text[p.start:p.end], p.region.name) for p in geo.find_places(text)]
    assert found == [("Hebei Province", "Hebei"), ("Ordos Municipal", "Ordos"), ("U.S.", "United States"),
                     ("China", "China")]


def test_find_places_ignores_lower_case_words():
    assert geo.find_places("the china cabinet and a turkey dinner") == []


def test_gazetteer_cache_gives_the_same_places(tmp_path, monkeypatch):
    monkeypatch.setenv("TARGETTRACK_CACHE_DIR", str(tmp_path))
    built = geo._build()
    assert geo._read_cache() is None  # nothing cached yet
    geo._write_cache(built)
    cached = geo._read_cache()
    assert cached is not None
    assert cached.by_alias == built.by_alias and cached.by_name == built.by_name
    assert cached.by_alias["ordos"] == Region(name="Ordos", level="city", parent="Inner Mongolia", country="CN")


@pytest.mark.parametrize("content", ["not json", '{"stamp": "an older stamp", "regions": []}', '{"stamp": 1}'])
def test_a_stale_or_broken_gazetteer_cache_is_rebuilt(tmp_path, monkeypatch, content):
    monkeypatch.setenv("TARGETTRACK_CACHE_DIR", str(tmp_path))
    name, _ = geo._cache_key()
    (tmp_path / name).write_text(content, encoding="utf-8")
    assert geo._read_cache() is None
    geo._write_cache(geo._build())
    assert geo._read_cache().by_alias["inner mongolia"].name == "Inner Mongolia"


@pytest.mark.parametrize("name, canonical, level, parent", [
    ("California", "California", "state", "United States"),
    ("Gujarat", "Gujarat", "state", "India"),
    ("Bavaria", "Bavaria", "state", "Germany"),
    ("Aichi Prefecture", "Aichi", "province", "Japan"),
    ("Ontario", "Ontario", "province", "Canada"),
    ("Seoul", "Seoul", "city", "South Korea"),
    ("Houston", "Houston", "city", "Texas"),
    ("Mumbai", "Mumbai", "city", "India"),
    ("Washington State", "Washington", "state", "United States"),
])
def test_world_subdivisions_and_large_cities_are_known(name, canonical, level, parent):
    region = geo.lookup(name)
    assert (region.name, region.level, region.parent) == (canonical, level, parent)


@pytest.mark.parametrize("text", [
    "Central planners met on Monday.",
    "Delta flights were cancelled.",
    "Washington said it would respond.",
    "Mary and Nelson spoke first.",
    "the Paris Agreement entered into force.",
    "the Kyoto Protocol set binding caps.",
])
def test_words_and_titles_are_not_world_places(text):
    assert geo.find_places(text) == []


def test_a_country_keeps_its_name_over_a_subdivision_of_the_same_name():
    assert geo.lookup("Georgia").level == "country"


@pytest.mark.parametrize("text, name", [
    ("Liangshan Yi Autonomous Prefecture, Sichuan", "Liangshan"),
    ("Enshi Tujia and Miao Autonomous Prefecture", "Enshi"),
])
def test_peoples_in_autonomous_area_names_are_skipped(text, name):
    places = geo.find_places(text)
    assert places[0].region.name == name
    assert text[places[0].start:places[0].end].endswith("Prefecture")


_PLAIN_RUN = re.compile(r"[A-Z][A-Za-z'’.\-]*(?:[ \-](?:[A-Z][A-Za-z'’.\-]*))*")
_RUN_TEXT = st.text(alphabet="ABSabs '’.-\n,", max_size=40)


@settings(max_examples=300, deadline=None)
@given(_RUN_TEXT)
def test_capitalised_runs_are_those_of_the_backtracking_pattern(text):
    assert [m.span() for m in geo._RUN.finditer(text)] == [m.span() for m in _PLAIN_RUN.finditer(text)]


def _may_start_plainly(lower, firsts):
    words = re.findall(r"[A-Za-z][A-Za-z'’.]*", lower)
    return any(w in firsts or w.rstrip(".") in firsts or (w.endswith("'s") and w[:-2] in firsts) for w in words)


@settings(max_examples=300, deadline=None)
@given(_RUN_TEXT)
def test_a_run_may_start_an_alias_exactly_when_one_of_its_words_can(text):
    firsts = frozenset({"ab", "sa", "b.", "bas", "a"})
    for run in geo._RUN.finditer(text):
        lower = run.group().lower().replace("’", "'")
        assert geo._may_start_alias(lower, firsts) == _may_start_plainly(lower, firsts)


@pytest.mark.parametrize("lower, expected", [
    ("state council", False),
    ("north-ab", True),
    ("sa-b", True),
    ("x--ab", True),
    ("ab's office", True),
    ("b. station", True),
    ("u.s-x", False),
])
def test_runs_with_and_without_dots_and_apostrophes_are_gated_alike(lower, expected):
    assert geo._may_start_alias(lower, frozenset({"ab", "sa", "b."})) is expected
