"""The output layer: every format from one list of items."""

from __future__ import annotations

import csv
import io
import json

import pytest

from targettrack.render import FORMATS, Column, View, flatten, write
from targettrack.terminal import Environment, safe_text

ITEMS = [
    {"id": "a", "region": {"name": "Ordos", "parent": "Inner Mongolia"}, "value": 5e7, "doc": "one.txt",
     "sources": [{"document": "one.txt"}]},
    {"id": "b", "region": {"name": "Hebei", "parent": "China"}, "value": None, "doc": "two.txt", "sources": []},
]
VIEW = View(columns=[Column("id", lambda i: i["id"]), Column("region", lambda i: i["region"]["name"]),
                     Column("value", lambda i: i["value"], justify="right")],
            footer=lambda items: [f"{len(items)} items"])


def run(fmt, items=ITEMS, view=VIEW, tty=False):
    env = Environment(stdout=io.StringIO(), stderr=io.StringIO(), stdout_isatty=tty, color=tty)
    count = write(items, view, fmt, env)
    return count, env.stdout.getvalue(), env.stderr.getvalue()


def test_json_is_one_array_of_the_items():
    count, out, _ = run("json")
    assert count == 2
    assert json.loads(out) == ITEMS


def test_json_of_nothing_is_an_empty_array():
    assert json.loads(run("json", items=[])[1]) == []


def test_jsonl_is_one_object_per_line():
    _, out, _ = run("jsonl")
    assert [json.loads(line) for line in out.splitlines()] == ITEMS


def test_jsonl_streams_a_generator_without_listing_it():
    def endless():
        n = 0
        while True:
            n += 1
            yield {"n": n}

    from itertools import islice
    _, out, _ = run("jsonl", items=islice(endless(), 1000))
    assert out.count("\n") == 1000


@pytest.mark.parametrize("fmt,delimiter", [("csv", ","), ("tsv", "\t")])
def test_csv_and_tsv_flatten_nested_objects(fmt, delimiter):
    _, out, _ = run(fmt)
    rows = list(csv.DictReader(io.StringIO(out), delimiter=delimiter))
    assert rows[0]["region.name"] == "Ordos"
    assert rows[0]["region.parent"] == "Inner Mongolia"
    assert rows[1]["value"] == ""
    assert json.loads(rows[0]["sources"]) == [{"document": "one.txt"}]


def test_plain_has_no_box_drawing_or_escape_codes():
    _, out, _ = run("plain")
    assert "Ordos" in out and "50,000,000" in out
    assert "\x1b" not in out
    assert not any(ch in out for ch in "│─┃━┏╭")
    assert out.rstrip().endswith("2 items")


def test_markdown_is_a_pipe_table():
    _, out, _ = run("markdown")
    lines = out.splitlines()
    assert lines[0].startswith("| id")
    assert set(lines[1]) <= set("|-: ")


def test_table_on_a_terminal_draws_a_rich_table():
    _, out, _ = run("table", tty=True)
    assert "Ordos" in out and "Hebei" in out


def test_groups_get_their_own_heading_in_document_order():
    view = View(columns=VIEW.columns, group=lambda i: i["doc"])
    _, out, _ = run("plain", view=view)
    assert out.index("one.txt") < out.index("Ordos") < out.index("two.txt") < out.index("Hebei")


def test_empty_human_output_says_so_on_stderr():
    count, out, err = run("plain", items=[])
    assert count == 0 and out == "" and "nothing to show" in err


@pytest.mark.parametrize("fmt", ["table", "plain", "markdown"])
def test_document_text_is_never_markup_or_escape_codes(fmt):
    hostile = {"id": "[bold red]x[/bold red] [link=http://e.vil]y[/link] \x1b[31mred\x1b[0m \u202eevil",
               "region": {"name": "R"}, "value": 1.0}
    _, out, _ = run(fmt, items=[hostile], tty=fmt == "table")
    assert "[bold red]x[/bold red]" in out or "[bold red]x[/bold" in out
    assert "\x1b[31m" not in out and "\u202e" not in out
    assert "\\x1b[31m" in out


def test_safe_text_escapes_controls_but_keeps_newlines_and_tabs():
    assert safe_text("a\tb\nc\x07\x1b") == "a\tb\nc\\x07\\x1b"


def test_flatten_keeps_empty_lists_empty():
    assert flatten({"a": {"b": 1}, "c": [], "d": None}) == {"a.b": 1, "c": "", "d": ""}


def test_every_format_is_handled():
    for fmt in FORMATS:
        assert run(fmt)[0] == 2


class _Tty(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize("variables,colour,fmt", [
    ({}, True, "table"),
    ({"NO_COLOR": "1"}, False, "table"),
    ({"TERM": "dumb"}, False, "plain"),
])
def test_terminal_colour_and_default_format(monkeypatch, variables, colour, fmt):
    import sys

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    for key, value in variables.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(sys, "stdout", _Tty())
    env = Environment.from_system()
    assert env.color is colour
    assert env.default_format == fmt
    write([{"id": "a", "region": {"name": "R"}, "value": 1.0}],
          View(columns=[Column("id", lambda i: i["id"], style=lambda i: "red")]), env.default_format, env)
    assert ("\x1b[" in env.stdout.getvalue()) is colour


def test_piped_output_is_plain_without_colour(monkeypatch):
    import sys

    monkeypatch.setattr(sys, "stdout", io.StringIO())
    env = Environment.from_system()
    assert env.default_format == "plain" and env.color is False


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_json_escapes_invisible_and_reordering_characters(fmt):
    hostile = {"text": "a\u202eb\u2066c\x7fd\x1b[31m\u6c34"}
    _, out, _ = run(fmt, items=[hostile])
    assert "\u202e" not in out and "\u2066" not in out and "\x7f" not in out and "\x1b" not in out
    assert "\u6c34" in out  # ordinary text stays readable
    decoded = json.loads(out)
    assert (decoded[0] if fmt == "json" else decoded) == hostile


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
@pytest.mark.parametrize("text", ["delete\x7fme", "\x7f", "plain ascii"])
def test_json_of_ascii_text_escapes_delete_only(fmt, text):
    _, out, _ = run(fmt, items=[{"text": text}])
    assert "\x7f" not in out
    assert ("\\u007f" in out) == ("\x7f" in text)
    decoded = json.loads(out)
    assert (decoded[0] if fmt == "json" else decoded) == {"text": text}


def test_a_tallied_summary_counts_without_keeping_the_items():
    view = View(columns=VIEW.columns, group=lambda i: i["doc"], tally=lambda i: i["region"]["name"],
                summary=lambda counts: [f"{counts['Ordos']} in Ordos, {counts['Hebei']} in Hebei"])
    _, out, _ = run("plain", view=view)
    assert out.rstrip().endswith("1 in Ordos, 1 in Hebei")
