"""The metric vocabulary: every key of the extraction contract, with labels, units and keywords."""

import re

import pytest

from targettrack import metrics

CONTRACT = """carbon_peak carbon_neutrality co2_emissions co2_intensity ghg_emissions air_pollutant_emissions
energy_consumption energy_intensity non_fossil_share coal_share coal_consumption renewable_capacity
wind_capacity solar_capacity hydro_capacity nuclear_capacity power_capacity renewable_generation
renewable_power_share electricity_consumption pm25_concentration good_air_days water_quality forest_coverage
forest_stock afforestation carbon_sink industry_structure green_investment new_energy_vehicles carbon_market
other""".split()


def test_vocabulary_has_every_contract_key():
    assert set(CONTRACT) <= set(metrics.metrics())


@pytest.mark.parametrize("key, additive", [
    ("wind_capacity", True), ("co2_emissions", True), ("non_fossil_share", False),
    ("co2_intensity", False), ("forest_coverage", False),
])
def test_additivity(key, additive):
    assert metrics.get(key).additive is additive


@pytest.mark.parametrize("key, unit, allowed", [
    ("wind_capacity", "kW", True), ("wind_capacity", "kWh", False), ("green_investment", "USD", True),
    ("green_investment", "CNY", True), ("pm25_concentration", "ug/m3", True), ("other", "t", True),
])
def test_units_allowed(key, unit, allowed):
    assert metrics.get(key).allows(unit) is allowed


def test_milestones_have_no_unit():
    assert metrics.get("carbon_peak").is_milestone
    assert not metrics.get("solar_capacity").is_milestone


@pytest.mark.parametrize("text, key", [
    ("installed wind power", "wind_capacity"),
    ("photovoltaic plants", "solar_capacity"),
    ("the pm2.5 reading", "pm25_concentration"),
    ("forest coverage rate", "forest_coverage"),
])
def test_keywords_recognise_the_metric(text, key):
    assert metrics.get(key).pattern.search(text.lower())


def test_get_and_suggest():
    assert metrics.get("no_such_metric") is None
    assert "co2_intensity" in metrics.suggest("co2_intensty")


KEYWORD_SENTENCES = [
    "Installed wind and solar power capacity reached 1.2 billion kilowatts, and the share of "
    "non-fossil energy in primary energy consumption rose to 17.5 percent.",
    "The province will plant 40,000 hectares of forest, raising forest coverage to 62%.",
    "Of the new power, of the electricity generated from renewable sources, 30% came from hydropower.",
    "“Carbon dioxide emissions per unit of GDP” fell; PM2.5 concentration averaged 29 micrograms.",
    "",
]


def _each_pattern(sentence: str) -> list[tuple[int, int, str]]:
    from targettrack.extraction.classify import _metric_list
    from targettrack.extraction.context import lowered

    lower = lowered(sentence)
    return [(hit.start(), hit.end(), m.key) for m in _metric_list() for hit in m.pattern.finditer(lower)]


def _hits(sentence: str) -> list[tuple[int, int, str]]:
    from targettrack.extraction.classify import keyword_hits

    return [(start, end, m.key) for start, end, m in keyword_hits(sentence)]


@pytest.mark.parametrize("sentence", KEYWORD_SENTENCES)
def test_keyword_search_finds_what_each_pattern_finds(sentence):
    assert _hits(sentence) == _each_pattern(sentence)


def _clear_keyword_caches():
    from targettrack.extraction import classify

    for cached in (classify._metric_list, classify._keyword_index, classify.keyword_hits,
                   classify._keyword_layout, classify._fits, classify._metric_traits):
        cached.cache_clear()


def test_a_keyword_starting_with_a_symbol_is_found(monkeypatch):
    # A user's vocabulary may start a keyword with a non-word character.
    real = metrics.metrics()
    added = metrics.Metric(key="price_share", label="Price share", additive=False, units=("%",), weight=2.0,
                           keywords=(r"\$ per ton", "price"), pattern=re.compile(r"\b(?:\$ per ton|price)"))
    monkeypatch.setattr(metrics, "metrics", lambda: {**real, "price_share": added})
    _clear_keyword_caches()
    try:
        sentence = "Coal cost 120$ per ton, a price 5% higher; the $ per ton figure is new."
        assert _hits(sentence) == _each_pattern(sentence)
        assert ("price_share" in {key for _, _, key in _hits(sentence)})
        for text in KEYWORD_SENTENCES:
            assert _hits(text) == _each_pattern(text)
    finally:
        monkeypatch.undo()
        _clear_keyword_caches()
