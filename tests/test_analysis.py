"""Progress and comparison over hand-built entries; every expectation is worked out in the test."""

from __future__ import annotations

import pytest

from targettrack.analysis import STATUSES, assess, children_sums, compare, expected, link, progress, rank
from targettrack.models import Entry, Normalized, Region, Source

CHINA = Region("China", "country", None, "CN")
INNER_MONGOLIA = Region("Inner Mongolia", "province", "China", "CN")
ORDOS = Region("Ordos", "city", "Inner Mongolia", "CN")
BAOTOU = Region("Baotou", "city", "Inner Mongolia", "CN")
HEBEI = Region("Hebei", "province", "China", "CN")
SHANGHAI = Region("Shanghai", "province", "China", "CN")

GW = 1e6  # kW
MT = 1e6  # t


def target(value=None, unit="kW", *, id="t", metric="renewable_capacity", region=ORDOS, comparator=">=",
           change="level", year=2025, baseline=None, baseline_year=None, value_max=None) -> Entry:
    """A registry target; `baseline` is a (value, pint unit) pair as the registry parses it."""
    return Entry(
        id=id, kind="target", metric=metric, region=region, quantity=None if value is None else f"{value} {unit}",
        value=value, value_max=value_max, unit=unit if value is not None else None, comparator=comparator,
        change=change, normalized=Normalized(value, value_max, unit if value is not None else None),
        year=year, baseline_quantity=None if baseline is None else f"{baseline[0]} {baseline[1]}",
        baseline_value=None if baseline is None else baseline[0],
        baseline_unit=None if baseline is None else baseline[1], baseline_year=baseline_year,
    )


def outcome(value, unit="kW", *, year, id=None, metric="renewable_capacity", region=ORDOS, change="level",
            baseline_year=None, link=None, document="report.txt") -> Entry:
    return Entry(
        id=id or f"o-{region.name.lower()}-{metric}-{year}-{value}", kind="outcome", metric=metric, region=region,
        value=value, unit=unit if value is not None else None, change=change,
        normalized=Normalized(value, None, unit if value is not None else None), year=year,
        baseline_year=baseline_year, target=link, sources=(Source(document=document),),
    )


# --------------------------------------------------------------------------- expected progress


@pytest.mark.parametrize("base, deadline, as_of, share", [
    (2020, 2025, 2023, 3 / 5),
    (2020, 2025, 2020, 0.0),
    (2020, 2025, 2019, 0.0),  # before the baseline year: nothing expected yet
    (2020, 2025, 2030, 1.0),  # past the deadline: all of it
    (2020, 2020, 2023, None),  # no span to draw a line over
    (None, 2025, 2023, None),
])
def test_expected_progress_is_a_straight_line_from_baseline_year_to_deadline(base, deadline, as_of, share):
    assert expected(base, deadline, as_of) == (pytest.approx(share) if share is not None else None)


# --------------------------------------------------------------------------- level targets


LEVEL = target(50 * GW, baseline=(10 * GW, "kW"), baseline_year=2020)


@pytest.mark.parametrize("latest_gw, latest_year, as_of, status, share, expected_share", [
    # (30 - 10) / (50 - 10) = 0.5 against 3 of 5 years gone
    (30, 2023, 2023, "behind", 0.5, 0.6),
    # (36 - 10) / 40 = 0.65 against 0.6
    (36, 2023, 2023, "on track", 0.65, 0.6),
    # (34 - 10) / 40 = 0.6, exactly on the line
    (34, 2023, 2023, "on track", 0.6, 0.6),
    # (52 - 10) / 40 = 1.05: reached before the deadline
    (52, 2024, 2024, "achieved", 1.05, 0.8),
    # (45 - 10) / 40 = 0.875 and 2025 is over
    (45, 2025, 2026, "overdue", 0.875, 1.0),
])
def test_level_target_with_registry_baseline(latest_gw, latest_year, as_of, status, share, expected_share):
    outcomes = [outcome(20 * GW, year=2021), outcome(latest_gw * GW, year=latest_year)]
    result = assess(LEVEL, outcomes, as_of)
    assert result.status == status
    assert result.progress == pytest.approx(share)
    assert result.expected_progress == pytest.approx(expected_share)
    assert result.latest.year == latest_year
    assert result.baseline.value == 10 * GW and result.baseline.origin == "registry"


def test_level_target_takes_its_baseline_from_the_outcome_of_its_baseline_year():
    goal = target(50 * GW, baseline_year=2020)
    outcomes = [outcome(10 * GW, year=2020), outcome(30 * GW, year=2023)]
    result = assess(goal, outcomes, 2023)
    assert (result.baseline.value, result.baseline.year, result.baseline.origin) == (10 * GW, 2020, "outcome")
    assert result.progress == pytest.approx((30 - 10) / (50 - 10))
    assert result.status == "behind"  # 0.5 < 0.6


def test_level_target_without_baseline_is_a_share_of_the_target_and_not_judged_on_pace():
    result = assess(target(50 * GW), [outcome(30 * GW, year=2023)], 2024)
    assert result.progress == pytest.approx(30 / 50)
    assert result.expected_progress is None
    assert result.status == "on track"
    assert any("pace" in note for note in result.notes)


def test_level_target_without_baseline_reached_in_its_year():
    # Hebei: more than 6 million kW of renewables installed in 2021; 6.5 million reported
    goal = target(6 * GW, region=HEBEI, year=2021)
    result = assess(goal, [outcome(6.5 * GW, region=HEBEI, year=2021)], 2022)
    assert result.status == "achieved"
    assert result.progress == pytest.approx(6.5 / 6)


def test_latest_outcome_wins_and_later_outcomes_than_as_of_are_ignored():
    outcomes = [outcome(20 * GW, year=2021), outcome(30 * GW, year=2023), outcome(60 * GW, year=2025)]
    result = assess(LEVEL, outcomes, 2023)
    assert result.latest.year == 2023
    assert result.measured == 30 * GW


def test_target_without_outcomes_has_no_data():
    result = assess(LEVEL, [outcome(30 * GW, region=HEBEI, year=2023)], 2023)
    assert result.status == "no data"
    assert result.progress is None and result.latest is None


def test_level_equal_target_below_its_baseline_is_a_reduction():
    # PM2.5 to 35 ug/m3 by 2025 from 45 in 2020; 40 in 2022: (45 - 40) / (45 - 35) = 0.5 against 0.4
    goal = target(35, "ug/m3", metric="pm25_concentration", comparator="=", baseline=(45, "ug/m3"),
                  baseline_year=2020)
    result = assess(goal, [outcome(40, "ug/m3", metric="pm25_concentration", year=2022)], 2022)
    assert result.progress == pytest.approx(0.5)
    assert result.expected_progress == pytest.approx(0.4)
    assert result.status == "on track"


@pytest.mark.parametrize("latest_gw, status", [(48, "achieved"), (47, "on track")])
def test_approximate_target_is_reached_within_five_percent(latest_gw, status):
    goal = target(50 * GW, comparator="~")
    assert assess(goal, [outcome(latest_gw * GW, year=2023)], 2023).status == status


# --------------------------------------------------------------------------- caps


CAP = target(50 * MT, "tce", metric="energy_consumption", comparator="<=", baseline=(55 * MT, "tce"),
             baseline_year=2020)


@pytest.mark.parametrize("figures, as_of, status, share", [
    # (55 - 52) / (55 - 50) = 0.6 against 3 of 5 years
    ([(52, 2023)], 2023, "on track", 0.6),
    # (55 - 54) / 5 = 0.2 against 0.6
    ([(54, 2023)], 2023, "behind", 0.2),
    # at the cap counts as achieved: (55 - 50) / 5 = 1
    ([(50, 2022)], 2022, "achieved", 1.0),
    # achieved only while at or below: back above it in 2023, (55 - 54) / 5 = 0.2
    ([(49, 2022), (54, 2023)], 2023, "behind", 0.2),
    # above the cap once the deadline is gone
    ([(51, 2025)], 2026, "overdue", 0.8),
])
def test_cap_with_baseline(figures, as_of, status, share):
    outcomes = [outcome(v * MT, "tce", metric="energy_consumption", year=y) for v, y in figures]
    result = assess(CAP, outcomes, as_of)
    assert result.status == status
    assert result.progress == pytest.approx(share)


@pytest.mark.parametrize("latest, status, share", [
    (60, "on track", 50 / 60),  # above the cap, no baseline to judge the pace by
    (50, "achieved", 1.0),
    (40, "achieved", 50 / 40),
])
def test_cap_without_baseline_is_the_cap_over_the_figure(latest, status, share):
    goal = target(50 * MT, "tce", metric="energy_consumption", comparator="<=")
    result = assess(goal, [outcome(latest * MT, "tce", metric="energy_consumption", year=2023)], 2023)
    assert result.status == status
    assert result.progress == pytest.approx(share)


def test_capped_growth_is_achieved_while_growth_stays_within_the_cap():
    # energy consumption to grow by no more than 10% from 2020 to 2025; 2023 is 6% above 2020
    goal = target(10, "%", metric="energy_consumption", comparator="<=", change="increase", baseline_year=2020)
    outcomes = [outcome(100 * MT, "tce", metric="energy_consumption", year=2020),
                outcome(106 * MT, "tce", metric="energy_consumption", year=2023)]
    result = assess(goal, outcomes, 2023)
    assert result.status == "achieved"
    assert result.measured == pytest.approx(6.0)


# --------------------------------------------------------------------------- change targets


CUT = target(18, "%", metric="co2_emissions", comparator="=", change="decrease", baseline_year=2020)


def emissions(value, year, **kwargs):
    return outcome(value, "tCO2", metric="co2_emissions", year=year, **kwargs)


def emissions_change(percent, year, **kwargs):
    return outcome(percent, "%", metric="co2_emissions", change="decrease", year=year, **kwargs)


@pytest.mark.parametrize("outcomes, as_of, measured, share, status", [
    # levels: 190 / 200 - 1 = -5%, 5 / 18 of the cut, against 3 of 5 years
    ([emissions(200 * MT, 2020), emissions(190 * MT, 2023)], 2023, -5.0, 5 / 18, "behind"),
    # a change measured from the baseline year itself: 13.2 / 18
    ([emissions_change(13.2, 2023, baseline_year=2020)], 2023, -13.2, 13.2 / 18, "on track"),
    # yearly changes chained: 0.95 * 0.96 = 0.912, so -8.8%, 8.8 / 18 against 2 of 5 years
    ([emissions_change(5, 2021), emissions_change(4, 2022)], 2022, -8.8, 8.8 / 18, "on track"),
    # a level for the baseline year and a yearly change after it: 0.97 * 0.9 - 1 = -12.7%
    ([emissions(200 * MT, 2020), emissions(194 * MT, 2021), emissions_change(10, 2022)], 2022,
     -12.7, 12.7 / 18, "on track"),
    # 0.8 * 1.01 - 1 = -19.2% is more than the cut
    ([emissions_change(20, 2023, baseline_year=2020),
      outcome(1, "%", metric="co2_emissions", change="increase", year=2024)], 2024, -19.2, 19.2 / 18, "achieved"),
    # a rise where a cut was wanted is negative progress; and the deadline is gone
    ([emissions(200 * MT, 2020), emissions(210 * MT, 2025)], 2026, 5.0, -5 / 18, "overdue"),
])
def test_relative_cut_against_levels_and_changes(outcomes, as_of, measured, share, status):
    result = assess(CUT, outcomes, as_of)
    assert result.measured == pytest.approx(measured)
    assert result.progress == pytest.approx(share)
    assert result.status == status


def test_one_year_change_target_against_a_one_year_change_outcome():
    # Hebei: CO2 per unit of GDP to fall by 4.2% in 2021 (from 2020); it fell by 4.5%
    goal = target(4.2, "%", region=HEBEI, metric="co2_intensity", comparator="=", change="decrease",
                  year=2021, baseline_year=2020)
    fell = outcome(4.5, "%", region=HEBEI, metric="co2_intensity", change="decrease", year=2021)
    result = assess(goal, [fell], 2022)
    assert result.status == "achieved"
    assert result.progress == pytest.approx(4.5 / 4.2)


def test_one_year_change_target_without_baseline_year_is_measured_from_the_year_before():
    goal = target(4.2, "%", region=HEBEI, metric="co2_intensity", comparator="=", change="decrease", year=2021)
    fell = outcome(2.1, "%", region=HEBEI, metric="co2_intensity", change="decrease", year=2021)
    result = assess(goal, [fell], 2022)
    assert result.baseline.year == 2020 and result.baseline.origin == "implied"
    assert result.progress == pytest.approx(0.5)
    assert result.status == "overdue"


def test_change_target_with_a_level_but_no_baseline_level_has_no_data():
    # a 2023 level alone cannot say how far emissions moved since 2020
    result = assess(CUT, [emissions(190 * MT, 2023)], 2023)
    assert result.status == "no data"
    assert result.notes


def test_absolute_change_target_against_levels():
    # add 20 GW between 2020 and 2025; 2020: 10 GW, 2023: 25 GW, so 15 of 20
    goal = target(20 * GW, change="increase", comparator=">=", baseline_year=2020)
    result = assess(goal, [outcome(10 * GW, year=2020), outcome(25 * GW, year=2023)], 2023)
    assert result.progress == pytest.approx(15 / 20)
    assert result.status == "on track"


# --------------------------------------------------------------------------- shares


SHARE = target(25, "%", metric="non_fossil_share", comparator=">=", baseline=(15.9, "percent"), baseline_year=2020)


def share_points(points, year, **kwargs):
    return outcome(points, "pp", metric="non_fossil_share", change="increase", year=year, **kwargs)


def test_share_target_in_percent_against_yearly_changes_in_points():
    # 15.9 + 0.7 + 1.2 = 17.8%; (17.8 - 15.9) / (25 - 15.9) against 2 of 5 years
    result = assess(SHARE, [share_points(0.7, 2021), share_points(1.2, 2022)], 2022)
    assert result.measured == pytest.approx(17.8)
    assert result.progress == pytest.approx(1.9 / 9.1)
    assert result.expected_progress == pytest.approx(0.4)
    assert result.status == "behind"


def test_share_target_against_a_change_in_points_since_the_baseline_year():
    # 15.9 + 4.1 = 20%; 4.1 / 9.1 against 2 of 5 years
    result = assess(SHARE, [share_points(4.1, 2022, baseline_year=2020)], 2022)
    assert result.measured == pytest.approx(20.0)
    assert result.status == "on track"


def test_points_target_against_share_levels():
    # raise the share by 5 points from 2020 by 2025: 16% then 19%, so 3 of 5 points
    goal = target(5, "pp", metric="non_fossil_share", comparator=">=", change="increase", baseline_year=2020)
    outcomes = [outcome(16, "%", metric="non_fossil_share", year=2020),
                outcome(19, "%", metric="non_fossil_share", year=2023)]
    result = assess(goal, outcomes, 2023)
    assert result.measured == pytest.approx(3.0)
    assert result.progress == pytest.approx(0.6)
    assert result.status == "on track"


def test_points_do_not_move_a_level_that_is_not_a_share():
    result = assess(target(50 * GW), [outcome(2, "pp", change="increase", year=2023)], 2023)
    assert result.status == "no data"


# --------------------------------------------------------------------------- milestones


NEUTRALITY = target(metric="carbon_neutrality", region=CHINA, comparator="=", year=2060)


@pytest.mark.parametrize("outcomes, as_of, status, share", [
    ([], 2026, "pending", None),
    ([], 2060, "pending", None),  # due by the end of its year
    ([], 2061, "no data", None),
    ([outcome(None, metric="carbon_neutrality", region=CHINA, year=2055)], 2056, "achieved", 1.0),
    ([outcome(None, metric="carbon_neutrality", region=CHINA, year=2058)], 2056, "pending", None),
    ([outcome(None, metric="carbon_neutrality", region=HEBEI, year=2040)], 2061, "no data", None),
])
def test_milestone(outcomes, as_of, status, share):
    result = assess(NEUTRALITY, outcomes, as_of)
    assert NEUTRALITY.is_milestone
    assert result.status == status
    assert result.progress == share


# --------------------------------------------------------------------------- linking


def test_link_takes_same_metric_and_region_and_explicit_links_latest_first():
    goal = target(50 * GW, id="ordos-re")
    same = outcome(30 * GW, year=2022)
    later = outcome(35 * GW, year=2023)
    other_metric = outcome(5 * GW, metric="wind_capacity", year=2023)
    other_place = outcome(5 * GW, region=HEBEI, year=2023)
    named = outcome(31 * GW, region=INNER_MONGOLIA, year=2021, link="ordos-re")
    assert link(goal, [same, other_metric, later, other_place, named]) == [later, same, named]


def test_outcomes_in_units_that_do_not_convert_are_left_out_with_a_note():
    result = assess(target(50 * GW), [outcome(3e9, "kWh", year=2023)], 2023)
    assert result.status == "no data"
    assert any("kWh" in note for note in result.notes)


def test_parent_target_sums_the_figures_of_the_places_within_it():
    goal = target(100 * GW, region=INNER_MONGOLIA)
    outcomes = [outcome(30 * GW, region=ORDOS, year=2023), outcome(20 * GW, region=BAOTOU, year=2023),
                outcome(10 * GW, region=BAOTOU, year=2021)]
    result = assess(goal, outcomes, 2023)
    assert result.measured == pytest.approx(50 * GW)
    assert result.progress == pytest.approx(0.5)
    assert result.latest.to_dict()["regions"] == ["Baotou", "Ordos"]


def test_sums_never_count_a_place_and_a_place_within_it_twice():
    outcomes = [outcome(80 * GW, region=INNER_MONGOLIA, year=2023), outcome(30 * GW, region=ORDOS, year=2023),
                outcome(40 * GW, region=HEBEI, year=2023)]
    sums = children_sums(CHINA, "renewable_capacity", outcomes)
    assert sums[0].value == pytest.approx(120 * GW)


def test_shares_are_not_summed_over_places():
    goal = target(25, "%", metric="non_fossil_share", region=INNER_MONGOLIA)
    outcomes = [outcome(20, "%", metric="non_fossil_share", region=ORDOS, year=2023),
                outcome(30, "%", metric="non_fossil_share", region=BAOTOU, year=2023)]
    assert assess(goal, outcomes, 2023).status == "no data"


def test_progress_covers_every_target_and_only_targets():
    entries = [LEVEL, NEUTRALITY, outcome(30 * GW, year=2023)]
    results = progress(entries, as_of=2023)
    assert [r.target for r in results] == [LEVEL, NEUTRALITY]
    assert all(r.status in STATUSES for r in results)


def test_progress_json_carries_numbers_and_objects():
    data = assess(LEVEL, [outcome(30 * GW, year=2023)], 2023).to_dict()
    assert (data["status"], data["progress"], data["expected_progress"]) == ("behind", 0.5, 0.6)
    assert data["target"]["value"] == 50 * GW and data["target"]["comparator"] == ">="
    assert data["baseline"]["value"] == 10 * GW and data["baseline"]["year"] == 2020
    assert data["latest"]["value"] == 30 * GW and data["latest"]["year"] == 2023
    assert data["latest"]["source"] == "report.txt"


# --------------------------------------------------------------------------- compare


def test_compare_shows_capacity_of_every_region_in_one_unit():
    # Ordos written in kW, Hebei in GW: both rows read in GW
    ordos = target(50 * GW, id="ordos")
    hebei = Entry(id="hebei", kind="target", metric="renewable_capacity", region=HEBEI, quantity="6 GW",
                  value=6, unit="gigawatt", comparator=">=", normalized=Normalized(6 * GW, None, "kW"), year=2021)
    done = outcome(7 * GW, region=HEBEI, year=2022)
    result = compare([ordos, hebei, done], [ORDOS, HEBEI])
    (row,) = result.to_dict()["rows"]
    assert row["unit"] == "GW"
    assert row["cells"]["Ordos"]["target"]["value"] == pytest.approx(50)
    assert row["cells"]["Hebei"]["target"]["value"] == pytest.approx(6)
    assert row["cells"]["Hebei"]["outcome"]["value"] == pytest.approx(7)
    assert row["cells"]["Ordos"]["outcome"] is None
    assert "50 GW" in row["cells"]["Ordos"]["target"]["display"]


def test_compare_shows_the_latest_deadline_and_counts_the_others():
    early, late = target(30 * GW, id="early", year=2023), target(50 * GW, id="late", year=2025)
    cell = compare([early, late], [ORDOS]).to_dict()["rows"][0]["cells"]["Ordos"]
    assert cell["target"]["id"] == "late"
    assert cell["target"]["more"] == 1


def test_compare_marks_figures_in_units_that_do_not_convert():
    entries = [target(50 * GW, id="a"), target(50 * GW, id="b", region=HEBEI),
               outcome(3e9, "kWh", region=HEBEI, year=2022)]
    row = compare(entries, [ORDOS, HEBEI]).to_dict()["rows"][0]
    assert row["unit"] == "GW"
    assert row["cells"]["Hebei"]["outcome"]["in_row_unit"] is False
    assert row["cells"]["Hebei"]["target"]["in_row_unit"] is True


def test_compare_keeps_regions_without_data_as_empty_columns():
    result = compare([target(50 * GW)], [ORDOS, SHANGHAI])
    data = result.to_dict()
    assert data["rows"][0]["cells"]["Shanghai"] is None
    assert data["empty_regions"] == ["Shanghai"]


@pytest.mark.parametrize("kind, year, expected_rows", [
    (None, None, ["renewable_capacity", "wind_capacity"]),
    ("outcome", None, ["wind_capacity"]),
    ("target", 2025, ["renewable_capacity"]),
    (None, 2030, []),
])
def test_compare_filters(kind, year, expected_rows):
    entries = [target(50 * GW), outcome(3 * GW, metric="wind_capacity", year=2022)]
    rows = compare(entries, [ORDOS], kind=kind, year=year).rows
    assert [r.metric for r in rows] == expected_rows


def test_compare_parent_beside_its_children():
    entries = [target(100 * GW, id="im", region=INNER_MONGOLIA), target(50 * GW, id="ordos")]
    cells = compare(entries, [INNER_MONGOLIA, ORDOS]).to_dict()["rows"][0]["cells"]
    assert (cells["Inner Mongolia"]["target"]["value"], cells["Ordos"]["target"]["value"]) == (100, 50)


def test_rank_orders_regions_by_progress_then_by_size():
    entries = [
        target(50 * GW, id="ordos"), outcome(40 * GW, year=2023),  # 0.8
        target(10 * GW, id="hebei", region=HEBEI), outcome(9 * GW, region=HEBEI, year=2023),  # 0.9
        outcome(5 * GW, region=BAOTOU, year=2023),  # no target
        outcome(70 * GW, region=SHANGHAI, year=2023),  # no target, larger
    ]
    items = rank(entries, "renewable_capacity", as_of=2023).items()
    assert [i["region"]["name"] for i in items] == ["Hebei", "Ordos", "Shanghai", "Baotou"]
    assert [i["rank"] for i in items] == [1, 2, 3, 4]
    assert items[0]["progress"] == pytest.approx(0.9)
    assert items[0]["unit"] == "GW"


def test_rank_limited_to_places_within_a_region():
    entries = [outcome(40 * GW, year=2023), outcome(5 * GW, region=BAOTOU, year=2023),
               outcome(9 * GW, region=HEBEI, year=2023)]
    items = rank(entries, "renewable_capacity", regions=[INNER_MONGOLIA], as_of=2023).items()
    assert [i["region"]["name"] for i in items] == ["Ordos", "Baotou"]


def test_distinct_keeps_one_entry_per_figure():
    from targettrack.analysis import distinct

    registry = target(4.2, "%", id="hebei-co2", region=HEBEI, metric="co2_intensity", comparator="=",
                      change="decrease", year=2021, baseline_year=2020)
    extracted = target(4.2, "%", id="hebei-co2-2", region=HEBEI, metric="co2_intensity", comparator="=",
                       change="decrease", year=2021)  # the year before is its baseline too
    other_year = target(4.2, "%", id="hebei-co2-2022", region=HEBEI, metric="co2_intensity", comparator="=",
                        change="decrease", year=2022)
    reported = outcome(50 * GW, year=2023)
    assert distinct([registry, extracted, other_year, reported, reported]) == [registry, other_year, reported]


def test_a_target_whose_unit_is_unknown_has_no_data_rather_than_an_error():
    goal = Entry(id="odd", kind="target", metric="renewable_capacity", region=ORDOS, quantity="50 megafoo",
                 value=50, unit="megafoo", normalized=None, year=2025)
    result = assess(goal, [outcome(30 * GW, year=2023)], 2024)
    assert result.status == "no data" and "megafoo" in result.notes[0]
