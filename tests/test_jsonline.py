"""record_json gives, byte for byte, the JSON of a record's to_dict() as json's encoder writes it."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from targettrack.extraction import iter_records
from targettrack.extraction.jsonline import record_json, value_json
from targettrack.models import Normalized, Record, Region, Source

ENCODER = json.JSONEncoder(ensure_ascii=False)


def expected(record: Record) -> str:
    return ENCODER.encode(record.to_dict())


class Tons(float):
    """A float subclass, which json writes by float's repr."""


class Count(int):
    """An int subclass, which json writes by int's repr."""


texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=30)  # controls, quotes, backslashes, emoji
maybe_text = st.none() | texts
numbers = st.none() | st.floats() | st.integers(-10**20, 10**20) | st.booleans() | st.builds(Tons, st.floats()) \
    | st.builds(Count, st.integers(-10**6, 10**6))
regions = st.none() | st.builds(Region, texts, maybe_text, maybe_text, maybe_text)
normalized = st.none() | st.builds(Normalized, numbers, numbers, maybe_text)
sources = st.builds(Source, maybe_text, maybe_text, st.none() | st.integers(0, 10**9), st.none() | st.integers(0, 10**9))
records = st.builds(Record, texts, maybe_text, regions, numbers, numbers, maybe_text, texts, texts, normalized,
                    st.none() | st.integers(0, 3000), st.none() | st.integers(0, 3000), texts, texts, sources,
                    maybe_text)


@settings(max_examples=300, deadline=None)
@given(records)
def test_any_record_is_encoded_as_json_encodes_it(record):
    assert record_json(record) == expected(record)


@given(st.none() | st.booleans() | st.integers() | st.floats() | texts | st.lists(st.integers(), max_size=3))
def test_any_value_is_encoded_as_json_encodes_it(value):
    assert value_json(value) == ENCODER.encode(value)


def test_special_floats_and_the_dropped_field():
    region = Region("Hebei", "province", "China", "CN")
    for value in (float("nan"), float("inf"), float("-inf"), -0.0, 1e16, 5e-324, 50_000_000.0):
        record = Record("target", "renewable_capacity", region, value, None, "GW", ">=", "level",
                        Normalized(value, None, "kW"), 2025, None, "50 GW", "Hebei: 50 GW by 2025.",
                        Source("a.txt", "2023-01-01", 3, 8), dropped="a date")
        assert record_json(record) == expected(record)
        assert record_json(record).endswith(', "dropped": "a date"}')
    assert json.loads(record_json(record))["value"] == 5e7


def test_extracted_records_are_encoded_as_json_encodes_them():
    text = ("Post time: Jul-05-2021\nBy 2025, Ordos will install more than 50 million kilowatts of new energy, "
            "and forest coverage in the city reached 27.4% last year. Inner Mongolia's coal consumption fell "
            "by 3 million tons of standard coal compared with 2020, to 120 \u201cmillion\u201d yuan.")
    found = list(iter_records(text, path="news/ordos.txt", all_quantities=True))
    assert len(found) >= 3
    for record in found:
        assert record_json(record) == expected(record)
