"""A record as one line of JSON: the same text as json's encoder gives for Record.to_dict(), made faster.

Extraction writes records by the hundred thousand, and json's general encoder, which finds its way
through each record's dicts anew, took more than a tenth of the time of extracting them. Here the
record's layout is known, so only its values are encoded, each as json writes it (strings by
json's encode_basestring, numbers by their repr).
The result is byte for byte json.JSONEncoder(ensure_ascii=False).encode(record.to_dict()):
tests/test_jsonline.py checks it on every kind of value. This module is compiled with the
extraction modules (setup.py).
"""

from __future__ import annotations

import json
import math
from json.encoder import encode_basestring
from typing import Any


def value_json(value: object) -> str:
    """One value as json's encoder writes it (ensure_ascii off, NaN and infinities allowed)."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return encode_basestring(value)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return str(value)  # an int itself (not a subclass or bool): the same as int.__repr__
    if type(value) is float:
        if math.isfinite(value):
            return repr(value)
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return json.dumps(value, ensure_ascii=False)  # anything else (a subclass, a container): the general encoder


def record_json(record: Any) -> str:
    """`record` (a models.Record) as the JSON text of its to_dict(), on one line."""
    region = record.region
    normalized = record.normalized
    source = record.source
    if region is None:
        region_json = "null"
    else:
        region_json = (f'{{"name": {value_json(region.name)}, "level": {value_json(region.level)}, '
                       f'"parent": {value_json(region.parent)}, "country": {value_json(region.country)}}}')
    if normalized is None:
        normalized_json = "null"
    else:
        normalized_json = (f'{{"value": {value_json(normalized.value)}, '
                           f'"value_max": {value_json(normalized.value_max)}, "unit": {value_json(normalized.unit)}}}')
    text = (f'{{"kind": {value_json(record.kind)}, "metric": {value_json(record.metric)}, "region": {region_json}, '
            f'"value": {value_json(record.value)}, "value_max": {value_json(record.value_max)}, '
            f'"unit": {value_json(record.unit)}, "comparator": {value_json(record.comparator)}, '
            f'"change": {value_json(record.change)}, "normalized": {normalized_json}, '
            f'"year": {value_json(record.year)}, "baseline_year": {value_json(record.baseline_year)}, '
            f'"text": {value_json(record.text)}, "sentence": {value_json(record.sentence)}, '
            f'"source": {{"path": {value_json(source.document)}, "start": {value_json(source.start)}, '
            f'"end": {value_json(source.end)}, "published": {value_json(source.published)}}}')
    dropped = record.dropped
    if dropped:
        return f'{text}, "dropped": {value_json(dropped)}}}'
    return text + "}"
