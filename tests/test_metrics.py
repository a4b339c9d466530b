"""The metric vocabulary: every key of the extraction contract, with labels, units and keywords."""

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
