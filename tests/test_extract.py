"""Extraction: quantities, units, ranges, comparators, years, kinds, places, metrics and drop reasons."""

import json

import pytest
from click.testing import CliRunner

from targettrack.extraction import extract


def only(text, published="2023-03-01", **filters):
    records = [r for r in extract(text, published=published)
               if all(getattr(r, k) == v for k, v in filters.items())]
    assert len(records) == 1, [r.text for r in records]
    return records[0]


@pytest.mark.parametrize("sentence, value, unit, canonical", [
    ("By 2027, Gansu will install 45 million kilowatts of wind power.", 45e6, "kW", 45e6),
    ("By 2027, Gansu will install 3.5 GW of wind power.", 3.5e9 / 1e3, "kW", 3.5e6),
    ("In 2021, Yunnan's hydropower stations generated 310 billion kWh.", 3.1e11, "kWh", 3.1e11),
    ("In 2021, Shanxi consumed 210 million tons of standard coal.", 2.1e8, "tce", 2.1e8),
    ("In 2021, Jiangsu emitted 800 million tons of carbon dioxide.", 8e8, "tCO2", 8e8),
    ("In 2022, Hunan afforested 2,000 hectares.", 2000, "m2", 2e7),
    ("In 2022, Hunan afforested 30,000 mu.", 30000, "m2", 2e7),
    ("In 2022, the PM2.5 concentration in Xi'an was 46 micrograms per cubic meter.", 46, "ug/m3", 46),
    ("In 2022, Zhejiang invested 12.5 billion yuan in green projects.", 1.25e10, "CNY", 1.25e10),
])
def test_multipliers_and_units_are_normalized(sentence, value, unit, canonical):
    record = extract(sentence, published="2023-02-01")[0]
    assert record.normalized.unit == unit
    assert record.normalized.value == pytest.approx(canonical, rel=1e-3)


@pytest.mark.parametrize("sentence, value, value_max, unit", [
    ("Yunnan aims to cut carbon intensity by 18-20% by 2025.", 18, 20, "%"),
    ("Yunnan aims to cut carbon intensity by between 18 and 20 percent by 2025.", 18, 20, "%"),
    ("Yunnan aims to cut carbon intensity by 18% to 20% by 2025.", 18, 20, "%"),
    ("Yunnan expects 1.1 to 1.3 million electric vehicles on its roads by 2030.", 1.1e6, 1.3e6, "count"),
])
def test_ranges(sentence, value, value_max, unit):
    record = extract(sentence, published="2022-06-01")[0]
    assert (record.normalized.value, record.normalized.value_max, record.normalized.unit) == \
        (pytest.approx(value), pytest.approx(value_max), unit)


@pytest.mark.parametrize("phrase, comparator", [
    ("more than 30 GW", ">="), ("no less than 30 GW", ">="), ("over 30 GW", ">="), ("exceed 30 GW", ">="),
    ("within 30 GW", "<="), ("below 30 GW", "<="), ("up to 30 GW", "<="),
    ("about 30 GW", "~"), ("nearly 30 GW", "~"), ("30 GW", "="),
])
def test_comparators(phrase, comparator):
    record = extract(f"By 2028, Qinghai's solar capacity will reach {phrase}.", published="2023-01-01")[0]
    assert record.comparator == comparator


@pytest.mark.parametrize("sentence, unit, change", [
    ("In 2022, Fujian's forest coverage rate rose by 0.4 percentage points.", "pp", "increase"),
    ("In 2022, Fujian's forest coverage rate reached 67%.", "%", "level"),
    ("In 2022, Anhui's coal consumption fell by 3%.", "%", "decrease"),
    ("By 2030, Anhui's carbon intensity will be 65% lower than in 2005.", "%", "decrease"),
])
def test_percent_points_and_changes(sentence, unit, change):
    record = extract(sentence, published="2023-01-01")[0]
    assert (record.normalized.unit, record.change) == (unit, change)


def test_n_times_is_a_multiple():
    record = extract("In 2022, Gansu's wind capacity was 3 times the 2015 level.", published="2023-01-01")[0]
    assert (record.normalized.value, record.normalized.unit) == (3, "times")


@pytest.mark.parametrize("sentence, year", [
    ("Guizhou will raise its forest coverage rate to 64% by 2025.", 2025),
    ("Guizhou will raise its forest coverage rate to 64% before 2030.", 2030),
    ("Guizhou will raise its forest coverage rate to 64% by the end of the 14th Five-Year Plan.", 2025),
    ("During the 14th Five-Year Plan period, Guizhou will raise its forest coverage rate to 64%.", 2025),
    ("Guizhou's forest coverage rate reached 62% in 2021.", 2021),
    ("Guizhou's forest coverage rate reached 62% last year.", 2022),
    ("Guizhou's forest coverage rate reached 62% this year.", 2023),
    ("As of the end of June 2022, Guizhou's forest coverage rate stood at 62%.", 2022),
])
def test_years(sentence, year):
    assert extract(sentence, published="2023-05-10")[0].year == year


def test_last_year_without_a_publication_date_is_unknown():
    assert extract("Guizhou's forest coverage rate reached 62% last year.")[0].year is None


def test_year_plan_item_is_a_target_of_that_year():
    text = "Work plan\n2022: Expand solar power. Add 2 million kilowatts of photovoltaic capacity in Hebei.\n"
    record = only(text, published="2021-12-01", unit="kilowatt")
    assert (record.kind, record.year, record.metric) == ("target", 2022, "solar_capacity")


@pytest.mark.parametrize("sentence, baseline", [
    ("By 2030, Sichuan will cut carbon intensity by 65% compared with 2005.", 2005),
    ("By 2030, Sichuan will cut carbon intensity by 65% from the 2005 level.", 2005),
    ("By 2030, Sichuan's carbon intensity will be 65% lower than in 2005.", 2005),
])
def test_baselines(sentence, baseline):
    record = extract(sentence, published="2022-01-01")[0]
    assert (record.baseline_year, record.year, record.metric) == (baseline, 2030, "co2_intensity")


@pytest.mark.parametrize("sentence, kind", [
    ("Shaanxi will build 20 GW of wind power by 2025.", "target"),
    ("Shaanxi plans to add 20 GW of wind power.", "target"),
    ("Shaanxi pledged to install 20 GW of wind power.", "target"),
    ("Shaanxi installed 20 GW of wind power in 2021.", "outcome"),
    ("Shaanxi's wind power capacity reached 20 GW at the end of last year.", "outcome"),
])
def test_kind(sentence, kind):
    assert extract(sentence, published="2022-08-01")[0].kind == kind


@pytest.mark.parametrize("sentence, metric, year", [
    ("Jilin will strive to peak carbon emissions before 2030.", "carbon_peak", 2030),
    ("Jilin aims to achieve carbon neutrality by 2060.", "carbon_neutrality", 2060),
    ("Canada has committed to net zero emissions by 2050.", "carbon_neutrality", 2050),
    ("Austria wants to be climate neutral by 2040.", "carbon_neutrality", 2040),
])
def test_milestones_without_numbers(sentence, metric, year):
    record = extract(sentence, published="2021-01-01")[0]
    assert (record.kind, record.metric, record.year, record.value, record.normalized.value) == \
        ("target", metric, year, None, None)


@pytest.mark.parametrize("sentence", [
    "The forum opened on March 12, 2023 and lasted three days.",
    "The 20th National Congress met in the capital.",
    "Delegates discussed the 14th Five-Year Plan at length.",
    "The expo covers an exhibition area of 40,000 square meters with 800 exhibitors.",
    "For details call 0351-4567 8901.",
    "The province ranked in the top ten nationwide.",
    "The bill passed 218-212 in the House.",
    "The session began at 9:30 in the morning.",
    "The 260-page report was released on Monday.",
    "The chairman, aged 58, spoke for 40 minutes.",
])
def test_non_records_are_dropped(sentence):
    assert extract(sentence, published="2023-01-01") == []


def test_all_quantities_keeps_dropped_figures_with_a_reason():
    text = "The expo covers 40,000 square meters. On May 3 the forum met. Hebei will add 5 GW of wind power by 2025."
    records = extract(text, published="2023-01-01", all_quantities=True)
    reasons = {r.text: r.dropped for r in records}
    assert reasons["40,000 square meters"] == "event logistics"
    assert reasons["3"] == "date"
    assert reasons["5 GW"] is None


@pytest.mark.parametrize("text, region", [
    ("Ordos is a coal city. The city will install 10 GW of solar power by 2025.", "Ordos"),
    ("Hainan is a tropical island. By 2030 the island will have 1 million electric vehicles.", "Hainan"),
    ("Jinan is the capital of Shandong Province. By 2025 the province will cut coal consumption by 10%.", "Shandong"),
    ("Ningxia released its plan. Nationwide, coal's share fell to 56% in 2021.", "China"),
    ("Yunnan released a plan on Monday. It will install 5 GW of wind power by 2025.", "Yunnan"),
])
def test_places_resolve_through_context(text, region):
    records = extract(text, published="2022-01-01")
    assert records and records[-1].region.name == region


@pytest.mark.parametrize("sentence, metric", [
    ("By 2025, the share of non-fossil energy in Henan will reach 16%.", "non_fossil_share"),
    ("By 2025, Henan's forest coverage rate will reach 26%.", "forest_coverage"),
    ("By 2025, Henan will add 10 GW of photovoltaic power.", "solar_capacity"),
    ("By 2025, Henan will add 10 GW of offshore wind.", "wind_capacity"),
    ("In 2022, Henan's total installed generating capacity was 110 GW.", "power_capacity"),
    ("In 2022, Henan had 1.2 million new energy vehicles.", "new_energy_vehicles"),
    ("In 2022, Henan's carbon market turnover was 2 billion yuan.", "carbon_market"),
])
def test_metrics_from_keywords(sentence, metric):
    assert extract(sentence, published="2023-01-01")[0].metric == metric


def test_a_change_takes_the_metric_of_what_it_changes():
    records = extract("In 2022, Henan's wind power capacity was 22 GW, up 9.5% year on year.", published="2023-01-01")
    assert [r.metric for r in records] == ["wind_capacity", "wind_capacity"]


def test_respectively_pairs_figures_with_their_subjects():
    text = "By 2025, Hubei will cut energy consumption and carbon dioxide emissions per unit of GDP by 14% and 19% respectively."
    assert [r.metric for r in extract(text, published="2022-01-01")] == ["energy_intensity", "co2_intensity"]


def test_offsets_point_at_the_text():
    text = "Summary\n\nBy 2025, Hebei will add 5 GW of wind power. In 2022, Hebei's forest coverage rate reached 35%."
    records = extract(text, published="2023-01-01")
    assert len(records) == 2
    for record in records:
        assert text[record.source.start:record.source.end] == record.text
        assert record.text in record.sentence


def test_library_function_is_the_package_call():
    import targettrack

    text = "By 2025, Hebei will add 5 GW of wind power."
    assert targettrack.extract(text) == extract(text)


# --- the command line -------------------------------------------------------------------------

SAMPLE = ("date 2022-09-01\nOrdos, a city in Inner Mongolia, will raise its solar capacity to 20 GW by 2025. "
          "Last year, Hebei's forest coverage rate reached 35%. Germany aims to be climate neutral by 2045.\n")


@pytest.fixture
def sample(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    return path


def run(*args, input=None):
    from targettrack.cli import cli

    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_cli_jsonl_agrees_with_the_library(sample):
    result = run("extract", str(sample), "--format", "jsonl")
    assert result.exit_code == 0
    printed = [json.loads(line) for line in result.output.splitlines()]
    expected = [r.to_dict() for r in extract(SAMPLE, published="2022-09-01", source=str(sample))]
    assert printed == expected
    assert [p["year"] for p in printed] == [2025, 2021, 2045]


def test_cli_reads_stdin_and_published_overrides(sample):
    result = run("extract", "-", "--format", "jsonl", "--published", "2020-05-05", input=SAMPLE)
    years = [json.loads(line)["year"] for line in result.output.splitlines()]
    assert years == [2025, 2019, 2045]


@pytest.mark.parametrize("options, texts", [
    (["--kind", "outcome"], ["35%"]),
    (["--metric", "solar_capacity"], ["20 GW"]),
    (["--region", "Inner Mongolia"], ["20 GW"]),
    (["--region", "China"], ["20 GW", "35%"]),
    (["--region", "Germany", "--kind", "target"], ["climate neutral by 2045"]),
])
def test_cli_filters(sample, options, texts):
    result = run("extract", str(sample), "--format", "jsonl", *options)
    assert [json.loads(line)["text"] for line in result.output.splitlines()] == texts


def test_cli_all_quantities_shows_reasons(tmp_path):
    path = tmp_path / "expo.txt"
    path.write_text("The expo on June 5 has 300 booths. Hebei will add 5 GW of wind power by 2025.", encoding="utf-8")
    result = run("extract", str(path), "--format", "jsonl", "--all-quantities")
    dropped = {json.loads(line)["text"]: json.loads(line).get("dropped") for line in result.output.splitlines()}
    assert dropped == {"5": "date", "300": "event logistics", "5 GW": None, "2025": "date"}


def test_cli_missing_file_still_processes_the_others(sample, tmp_path):
    result = run("extract", str(tmp_path / "missing.txt"), str(sample), "--format", "jsonl")
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 3


@pytest.mark.parametrize("options", [["--region", "Atlantis"], ["--metric", "wind_capacty"],
                                     ["--published", "yesterday"]])
def test_cli_bad_options_are_errors(sample, options):
    from targettrack.errors import InputError

    with pytest.raises(InputError):
        run("extract", str(sample), *options)


def test_library_api_stays_a_function_after_the_engine_is_imported():
    import targettrack
    import targettrack.extraction  # noqa: F401 - importing the engine must not shadow the API

    text = "date 2024-01-10\nIn 2023 the forest coverage rate of Hebei reached 35.6%."
    assert callable(targettrack.extract)
    assert [r.normalized.value for r in targettrack.extract(text)] == [35.6]


# --- general phenomena: each with texts of its own kind ----------------------------------------

def records_of(text, published):
    return [(r.kind, r.metric, r.region.name if r.region else None, r.normalized.value, r.normalized.unit, r.year)
            for r in extract(text, published=published)]


@pytest.mark.parametrize("text, region", [
    ("Hubei publishes its transport plan. Wuhan, the provincial capital, will run 8,000 new energy buses by 2026.",
     "Wuhan"),
    ("Fujian reported its air quality. Xiamen, the province's busiest port, logged 360 days of good air in 2023.",
     "Xiamen"),
    ("Gansu has abundant sunshine. Jiuquan, a city in the province's west, will add 12 GW of solar power by 2025.",
     "Jiuquan"),
    ("Guiyang, the capital of Guizhou Province, logged 350 days of good air in 2022.", "Guiyang"),
    ("Officials in Hunan said that Changsha will add 2,000 charging piles in 2024.", "Changsha"),
])
def test_an_apposition_describes_the_place_before_it(text, region):
    record = [r for r in extract(text, published="2023-06-01") if r.value][0]
    assert record.region.name == region


@pytest.mark.parametrize("sentence, count", [
    ("In 2025 the province plans to add 6 million kilowatts of solar power and to invest 90 billion yuan in grids.", 2),
    ("Shaanxi will build 5 GW of wind power, and spend 40 billion yuan on storage in 2025.", 2),
    ("This year Anhui aims to plant 50,000 hectares of forest and to cut coal use by 2 million tons.", 2),
])
def test_a_plan_word_carries_over_coordinated_verbs(sentence, count):
    kinds = [r.kind for r in extract(sentence, published="2025-01-15")]
    assert kinds == ["target"] * count


@pytest.mark.parametrize("sentence, accepted", [
    ("Sichuan will raise the share of renewable energy in final energy consumption to 45 percent by 2030.",
     {"renewable_power_share", "non_fossil_share"}),
    ("The EU wants renewables to make up 42.5 percent of its energy mix by 2030.",
     {"renewable_power_share", "non_fossil_share"}),
])
def test_a_percent_level_is_never_a_capacity(sentence, accepted):
    record = only(sentence, published="2023-04-01")
    assert record.metric in accepted


def test_a_percent_change_can_belong_to_any_metric():
    record = only("Shandong's wind power capacity rose 14 percent in 2022.", published="2023-02-01")
    assert (record.metric, record.change) == ("wind_capacity", "increase")


@pytest.mark.parametrize("sentence, published, kind, year", [
    ("During the 13th Five-Year Plan period, Jiangxi's carbon intensity fell by 19.6 percent.", "2021-05-01",
     "outcome", 2020),
    ("During the 14th Five-Year Plan period, Jiangxi's carbon intensity will fall by 18 percent.", "2021-05-01",
     "target", 2025),
    ("In the 12th Five-Year Plan period, coal consumption per unit of GDP was cut by 20 percent.", None,
     "outcome", 2015),
])
def test_a_past_verb_outweighs_a_plan_period(sentence, published, kind, year):
    record = extract(sentence, published=published)[0]
    assert (record.kind, record.year) == (kind, year)


@pytest.mark.parametrize("sentence, figures", [
    ("Hydropower capacity in Yunnan rose 4.1 percent to 81 GW.", [(4.1, "%"), (8.1e7, "kW")]),
    ("Solar generation in Hebei grew 30% to 42 billion kWh in 2022.", [(30, "%"), (4.2e10, "kWh")]),
])
def test_a_percent_change_then_a_level_are_two_figures(sentence, figures):
    found = [(r.normalized.value, r.normalized.unit) for r in extract(sentence, published="2023-01-01")]
    assert found == [(pytest.approx(v), u) for v, u in figures]


@pytest.mark.parametrize("text, published, expected", [
    ("Guizhou will have 20 million kilowatts of solar power by 2025. At the end of last year, capacity stood at "
     "11 million kilowatts.", "2023-03-01", ("outcome", "solar_capacity", 2022)),
    ("Tibet aims to reach 10 GW of solar power by 2025. Installed capacity now stands at 3.2 GW.", "2023-08-01",
     ("outcome", "solar_capacity", 2023)),
    ("Tibet aims to reach 10 GW of solar power by 2025. Installed capacity stood at 3.2 GW.", "2023-08-01",
     ("outcome", "solar_capacity", None)),
])
def test_a_report_does_not_take_the_deadline_of_the_sentence_before(text, published, expected):
    record = extract(text, published=published)[1]
    assert (record.kind, record.metric, record.year) == expected


@pytest.mark.parametrize("text, metric", [
    ("Guangdong runs one of the oldest carbon markets in China. In 2022, 15 million tons changed hands there.",
     "carbon_market"),
    ("Beijing's carbon market grew in 2022, with a turnover of 380 million yuan. In 2023, 4.1 million tons were "
     "traded, worth 420 million yuan.", "carbon_market"),
    ("Shenzhen had 760,000 new energy vehicles at the end of 2022. Sales of such vehicles rose 30 percent in 2023.",
     "new_energy_vehicles"),
])
def test_a_figure_without_a_metric_word_takes_the_paragraphs_metric(text, metric):
    assert all(r.metric == metric for r in extract(text, published="2024-01-10"))


def test_a_new_paragraph_forgets_the_metric():
    text = "Tianjin installed 1.5 GW of wind power in 2022.\n\nThe port handled 470 million tons in 2022."
    assert [r.metric for r in extract(text, published="2023-02-01")] == ["wind_capacity", "other"]


@pytest.mark.parametrize("sentence, value", [
    ("Xi'an will add 2,000 charging piles in 2024.", 2000),
    ("Lhasa planted 2,030 hectares of forest in 2022.", 2030),
])
def test_a_number_with_a_thousands_comma_is_no_year(sentence, value):
    assert extract(sentence, published="2023-06-01")[0].value == value


def test_enumerated_pollutants_take_their_own_metric():
    sentence = ("By 2025, emissions of chemical oxygen demand, ammonia nitrogen, sulfur dioxide and nitrogen oxides in "
                "Hunan will fall by 90,000 tons, 4,000 tons, 25,000 tons and 51,000 tons respectively.")
    metrics = [r.metric for r in extract(sentence, published="2022-01-01")]
    assert metrics[2:] == ["air_pollutant_emissions", "air_pollutant_emissions"]
    assert all(m in ("water_quality", "other") for m in metrics[:2])


def test_adjectives_sharing_one_noun_are_no_enumeration():
    sentence = "Onshore and offshore wind power in Fujian will reach 6 GW and 10 GW respectively by 2030."
    assert [r.metric for r in extract(sentence, published="2022-01-01")] == ["wind_capacity", "wind_capacity"]


@pytest.mark.parametrize("text, region", [
    ("Zhejiang expanded its grid. \u201cWe will connect 3 GW of offshore wind by 2027,\u201d said an official of "
     "the Guangdong energy bureau.", "Guangdong"),
    ("Zhejiang expanded its grid. \u201cNingbo will connect 3 GW of offshore wind by 2027,\u201d said an official of "
     "the Guangdong energy bureau.", "Ningbo"),
])
def test_a_quoted_figure_belongs_to_the_speakers_place(text, region):
    assert only(text, published="2024-01-01").region.name == region


@pytest.mark.parametrize("sentence, year, metrics", [
    ("Sales of new petrol cars in the United Kingdom will be banned from 2030, officials said.", None, None),
    ("The sale of fuel vehicles in Hainan will be banned by 2030.", 2030, {"new_energy_vehicles", "other"}),
    ("Japan plans to phase out inefficient coal-fired power plants by 2030.", 2030,
     {"coal_consumption", "power_capacity", "other"}),
])
def test_bans_by_a_year_are_milestones(sentence, year, metrics):
    found = [r for r in extract(sentence, published="2021-01-01") if r.value is None]
    if year is None:
        assert found == []  # "from 2030" is no deadline that a scorer could check
        return
    assert [(r.kind, r.year) for r in found] == [("target", year)]
    assert found[0].metric in metrics


@pytest.mark.parametrize("sentence, published, expected", [
    ("Korea pledged to cut emissions 40 percent by fiscal 2030.", "2022-01-01",
     ("target", "ghg_emissions", 2030, "decrease")),
    ("Renewables supplied 52 percent of Spain's electricity in 2023.", "2024-01-01",
     ("outcome", "renewable_power_share", 2023, "level")),
    ("Texas wants renewable sources to meet 40 percent of the state's power demand by 2035.", "2024-01-01",
     ("target", "renewable_power_share", 2035, "level")),
    ("Poland plans to have 1 million zero-emission vehicles on its roads by 2030.", "2024-01-01",
     ("target", "new_energy_vehicles", 2030, "level")),
])
def test_international_news(sentence, published, expected):
    record = only(sentence, published=published)
    assert (record.kind, record.metric, record.year, record.change) == expected


def test_items_of_a_goal_list_are_targets_of_their_own_metric():
    text = ("Main goals for 2025: GDP growth of around 5.5 percent; carbon intensity to fall by 3 percent; "
            "forest coverage of 45 percent.")
    found = [(r.kind, r.metric, r.year) for r in extract(text, published="2025-01-20")]
    assert found == [("target", "other", 2025), ("target", "co2_intensity", 2025), ("target", "forest_coverage", 2025)]


def test_national_in_a_name_is_no_reference_to_the_country():
    text = ("Statistical Communique of Henan Province on the National Economic and Social Development in 2022\n"
            "Forest coverage reached 25.1 percent.")
    assert only(text, published="2023-03-01").region.name == "Henan"


def test_that_share_points_back_within_a_sentence():
    text = "Wind and solar supplied 31 percent of Denmark's power in 2020, and the government wants that share " \
           "to reach 70 percent by 2030."
    assert {r.metric for r in extract(text, published="2021-01-01")} == {"renewable_power_share"}


@pytest.mark.parametrize("text, region", [
    ("Oregon's energy office said on Monday that the state now has 6.4 GW of wind capacity.", "Oregon"),
    ("Punjab approved a new solar policy. The state plans to install 3 GW of solar power by 2027.", "Punjab"),
    ("Saitama Prefecture will raise its forest coverage rate to 35 percent by 2030.", "Saitama"),
    ("Lower Saxony will expand offshore wind capacity to 30 GW by 2035.", "Lower Saxony"),
    ("Jakarta will have 10,000 electric buses by 2030.", "Jakarta"),
    ("Under the Paris Agreement, Chile will cut its greenhouse gas emissions by 30 percent by 2030.", "Chile"),
])
def test_world_states_prefectures_and_cities_are_regions(text, region):
    record = extract(text, published="2023-05-01")[0]
    assert record.region.name == region


@pytest.mark.parametrize("text, region", [
    # the county is unknown: the city named in the same phrase, not the province
    ("Ziyun Miao and Bouyei Autonomous County in Anshun, Guizhou province, built 250,000 kilowatts of wind power "
     "in 2022.", "Anshun"),
    ("Zhaojue County in Liangshan Yi Autonomous Prefecture, Sichuan province, planted 2,000 hectares of forest "
     "in 2022.", "Liangshan"),
    # an apposition or a relative clause after the subject does not replace it
    ("Xining, the capital of Qinghai province, recorded 310 days of good air in 2022.", "Xining"),
    ("Karnataka, which hosts India's largest solar park, generated 18 billion kWh of solar power in 2022.",
     "Karnataka"),
])
def test_the_most_specific_place_of_a_phrase_is_the_subject(text, region):
    record = extract(text, published="2023-05-01")[0]
    assert record.region.name == region


@pytest.mark.parametrize("sentence, year", [
    # the time of writing
    ("Today, Harbin has 52,000 electric buses.", 2024),
    ("Jiangxi currently has 19 GW of solar power.", 2024),
    ("At present, Jiangxi has 19 GW of solar power.", 2024),
    ("So far this year, Jiangxi has added 4 GW of solar power.", 2024),
    ("In the first nine months of this year, Jiangxi added 4 GW of solar power.", 2024),
    # fiscal years are named by the year they end in
    ("Rajasthan added 9 GW of solar capacity in the 2023-24 fiscal year ending March 31.", 2024),
    ("Japan's greenhouse gas emissions fell 3.1 percent in fiscal 2022.", 2022),
    # periods that end at publication
    ("Over the past five years, Fujian's carbon intensity fell by 11.2 percent.", 2023),
    ("Since 2021, Fujian has built 3.6 million kilowatts of offshore wind power.", 2024),
])
def test_outcome_years_from_the_time_of_writing(sentence, year):
    records = extract(sentence, published="2024-06-15")
    assert [(r.kind, r.year) for r in records] == [("outcome", year)]


def test_a_fiscal_year_range_is_no_figure():
    assert [r.text for r in extract("Kerala's solar capacity reached 1.2 GW in 2022-23.", published="2023-09-01")] \
        == ["1.2 GW"]


def test_a_duration_has_no_year_and_takes_none_from_the_sentence_before():
    text = ("Zhejiang will raise its forest coverage rate to 61.5 percent by 2025. "
            "The province will invest 6 billion yuan over four years in green projects.")
    investment = only(text, metric="green_investment")
    assert (investment.kind, investment.year) == ("target", None)


def test_between_now_and_a_year_is_a_deadline():
    record = only("Vietnam will cut 90 million tonnes of carbon dioxide between now and 2030.", published="2023-01-01")
    assert (record.kind, record.year) == ("target", 2030)


@pytest.mark.parametrize("text, expected", [
    # a denominator is no figure and names the metric
    ("In 2023, Shanxi's energy consumption per 10,000 yuan of GDP fell by 3.4 percent.",
     [("3.4 percent", "energy_intensity")]),
    # keywords after "of which" belong to the parts, not the total
    ("By the end of 2023, Gansu's installed capacity of power generation was 92 million kilowatts, of which "
     "solar power was 29.5 million kilowatts.",
     [("92 million kilowatts", "power_capacity"), ("29.5 million kilowatts", "solar_capacity")]),
    ("Shaanxi's installed power capacity reached 110 GW, including 26 GW of wind power.",
     [("110 GW", "power_capacity"), ("26 GW", "wind_capacity")]),
    # clean energy in consumption is the non-fossil share; renewables producing electricity a power share
    ("In 2023, the proportion of clean energy consumption in Hainan was 37.2 percent.",
     [("37.2 percent", "non_fossil_share")]),
    ("In 2023, renewables produced 14.1 percent of Thailand's electricity.",
     [("14.1 percent", "renewable_power_share")]),
    # coordinated figures share the metric
    ("Quebec requires zero-emission vehicles to make up 40 percent of new sales by 2027 and 70 percent by 2031.",
     [("40 percent", "new_energy_vehicles"), ("70 percent", "new_energy_vehicles")]),
    # a count of trees is afforestation
    ("Yulin will plant 5 million trees in 2025.", [("5 million", "afforestation")]),
])
def test_metrics_of_totals_parts_denominators_and_coordinated_figures(text, expected):
    found = [(r.text, r.metric) for r in extract(text, published="2024-03-01")]
    assert found == expected


def test_the_subject_of_the_sentence_before_carries_in_the_unit_that_fits():
    text = ("In 2023, Hami built photovoltaic plants with 1.8 million kilowatts. "
            "The plants generated 2.6 billion kWh.")
    generation = extract(text, published="2024-03-01")[1]
    assert (generation.text, generation.metric) == ("2.6 billion kWh", "renewable_generation")


def test_a_change_between_two_levels_gives_both_figures():
    text = "In 2023, the share of non-fossil energy in Guangxi rose from 27.4 percent to 29.9 percent."
    found = [(r.normalized.value, r.metric) for r in extract(text, published="2024-03-01")]
    assert found == [(27.4, "non_fossil_share"), (29.9, "non_fossil_share")]


def test_a_milestone_takes_the_metric_of_its_own_words():
    text = "Chile has 35 GW of installed capacity. It will phase out unabated coal power by 2040."
    milestone = only(text, published="2024-03-01", value=None)
    assert (milestone.metric, milestone.year) == ("coal_consumption", 2040)


# --- bounded time -------------------------------------------------------------------------------

def _run_on(figures):
    import time

    text = " ".join(f"Hebei added {i} million kilowatts of wind power and" for i in range(figures))
    started = time.process_time()
    records = extract(text, published="2024-03-01")
    return records, time.process_time() - started


def test_two_thousand_figures_in_one_sentence_take_a_few_seconds():
    records, elapsed = _run_on(2000)
    assert len(records) == 2000
    assert {r.metric for r in records} == {"wind_capacity"}
    assert elapsed < 5.0


def test_time_grows_linearly_with_the_figures_of_one_sentence():
    extract("Hebei added 5 million kilowatts of wind power.")  # vocabularies loaded before timing
    _, small = _run_on(1000)
    _, large = _run_on(4000)
    assert large < 6 * small


def test_a_long_sentence_is_cut_into_pieces_at_clause_marks():
    from targettrack.extraction.context import MAX_SENTENCE, sentences

    clause = "Hebei added 5 million kilowatts of wind power; "
    text = clause * (3 * MAX_SENTENCE // len(clause))
    pieces = sentences(text)
    assert len(pieces) > 1
    assert all(len(p.text) <= MAX_SENTENCE for p in pieces)
    assert all(p.text.startswith("Hebei") and p.text.endswith(";") for p in pieces)
    assert all(text[p.start:p.end] == p.text for p in pieces)


@pytest.mark.parametrize("number", ["0871 6543210", "0871-6543210", "０８７１６５４３２１０"])
def test_a_phone_number_is_no_record(number):
    from targettrack.extraction.classify import drop_reason

    text = f"For questions, call the hotline {number} before noon."
    start = text.index(number)
    reason = drop_reason(text, text.lower(), start, start + len(number.split()[0].split("-")[0]),
                         number.split()[0].split("-")[0], "count", text.lower())
    assert reason == "phone number"
