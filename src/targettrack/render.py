"""One table of items in, every output format out: table, plain, json, jsonl, csv, tsv, markdown.

Items are dicts in their JSON form (the stable contract for scripts); a View says how a human
table shows them. Machine formats stream item by item; human formats are drawn group by group,
so long runs print as they go.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from targettrack.terminal import Environment, safe_text

FORMATS = ("table", "plain", "json", "jsonl", "csv", "tsv", "markdown")
MACHINE_FORMATS = ("json", "jsonl", "csv", "tsv")


@dataclass(frozen=True)
class Column:
    """A column of the human table: its header and how to show an item in it."""

    header: str
    value: Callable[[dict], Any]
    justify: str = "left"
    style: Callable[[dict], str | None] | None = None  # rich style of the cell (table format)
    rich: Callable[[dict], Any] | None = None  # a rich renderable instead of text (table format)


@dataclass(frozen=True)
class View:
    columns: Sequence[Column]
    title: str | None = None
    group: Callable[[dict], str | None] | None = None  # items grouped under a heading, in order
    footer: Callable[[list[dict]], list[str]] | None = None  # lines under the table (keeps the items)
    # for streams of any length: items are only counted by tally(item), summary(counts) gives the lines
    tally: Callable[[dict], str] | None = None
    summary: Callable[[Counter], list[str]] | None = None
    empty: str = "nothing to show"
    fields: Sequence[str] | None = None  # csv/tsv columns (flattened keys); default: the first item's


# Characters that can reorder or hide what a terminal shows: written as \\uXXXX escapes in JSON,
# which decodes to the same text (json.dumps escapes the C0 controls itself). Searched for first:
# translating every line costs as much as serializing it.
_JSON_RISKY = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match) -> str:
    return f"\\u{ord(match.group()):04x}"


# json.dumps with any non-default option builds a new encoder for every call: one is enough.
_JSON_ENCODER = json.JSONEncoder(ensure_ascii=False)


def to_json(item: Any) -> str:
    """One item as JSON text: UTF-8 kept readable, invisible and reordering characters escaped."""
    return _escape_risky(_JSON_ENCODER.encode(item))


def _escape_risky(text: str) -> str:
    # Of the risky characters, ASCII has only DEL: for an ASCII text (most) two quick tests replace the search.
    if text.isascii() and "\x7f" not in text:
        return text
    return _JSON_RISKY.sub(_escape, text) if _JSON_RISKY.search(text) else text


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return f"{value:,.0f}"
        return f"{value:,.6g}"
    return safe_text(str(value))


def flatten(item: dict, prefix: str = "") -> dict[str, Any]:
    """Nested dicts become dotted keys (region.name); lists become JSON text."""
    flat: dict[str, Any] = {}
    for key, value in item.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}."))
        elif isinstance(value, (list, tuple)):
            flat[name] = to_json(value) if value else ""
        else:
            flat[name] = "" if value is None else value
    return flat


def write(items: Iterable[dict], view: View, fmt: str, env: Environment) -> int:
    """Write items in `fmt` to env.stdout; return how many were written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    if fmt in MACHINE_FORMATS:
        blocks = (block for item in items for block in encode((item,), fmt, view.fields))
        return write_blocks(blocks, view, fmt, env)
    count = _write_human(iter(items), view, fmt, env)
    env.stdout.flush()
    return count


@dataclass(frozen=True)
class Block:
    """Items already in their output form, made where the items are (a worker process) and written as they are.

    Pickled from worker to parent: text costs far less to send and write than the items.
    """

    count: int
    text: str = ""  # jsonl: lines; json: items joined by ",\n"; csv/tsv: rows
    fields: tuple[str, ...] | None = None  # csv/tsv: the columns of `text` or `rows`
    rows: list[tuple] | None = None  # csv/tsv: the values, when `text` would not read back (a bare \r)
    items: list[dict] | None = None  # human formats: the items themselves


def encode(items: Iterable[dict], fmt: str, fields: Sequence[str] | None = None) -> list[Block]:
    """Items as blocks of `fmt` (none for no items); csv/tsv rows use `fields`, else each item's own keys."""
    if fmt in ("jsonl", "json"):
        return json_blocks([_JSON_ENCODER.encode(item) for item in items], fmt)
    if fmt in ("csv", "tsv"):
        return _encode_csv(items, fmt, tuple(fields) if fields else None)
    kept = list(items)
    return [Block(len(kept), items=kept)] if kept else []


def json_blocks(texts: list[str], fmt: str) -> list[Block]:
    """Items already encoded as JSON text (one line each) as the block of `fmt` ("json" or "jsonl")."""
    if not texts:
        return []
    # Escaped once for the whole block: an escape concerns one character, wherever its line is.
    return [Block(len(texts), _escape_risky("\n".join(texts) + "\n" if fmt == "jsonl" else ",\n".join(texts)))]


def _encode_csv(items: Iterable[dict], fmt: str, fields: tuple[str, ...] | None) -> list[Block]:
    # Rows are grouped in runs of the same columns: the header is the first item's columns,
    # which only the writer knows, so a run with other columns is rearranged there.
    runs: list[tuple[tuple[str, ...], list[tuple]]] = []
    for item in items:
        flat = flatten(item)
        if fields:
            columns, row = fields, tuple(flat.get(name, "") for name in fields)
        else:
            columns, row = tuple(flat), tuple(flat.values())
        if runs and runs[-1][0] == columns:
            runs[-1][1].append(row)
        else:
            runs.append((columns, [row]))
    blocks = []
    for columns, rows in runs:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=_DELIMITERS[fmt], lineterminator="\n").writerows(rows)
        text = buffer.getvalue()
        # csv leaves a bare \r unquoted and then cannot read it back: such runs keep their values
        blocks.append(Block(len(rows), fields=columns, rows=rows) if "\r" in text
                      else Block(len(rows), text, fields=columns))
    return blocks


_DELIMITERS = {"csv": ",", "tsv": "\t"}


def write_blocks(blocks: Iterable[Block], view: View, fmt: str, env: Environment) -> int:
    """Write blocks made by `encode` for `fmt`: the same bytes as write() of their items."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    writer = {"json": _write_json, "jsonl": _write_jsonl, "csv": _write_csv, "tsv": _write_csv}.get(fmt)
    if writer is None:
        count = _write_human((item for block in blocks for item in block.items), view, fmt, env)
    else:
        count = writer(iter(blocks), view, fmt, env)
    env.stdout.flush()
    return count


def _write_json(blocks: Iterator[Block], view: View, fmt: str, env: Environment) -> int:
    out, count = env.stdout, 0
    out.write("[")
    for block in blocks:
        out.write(",\n" if count else "\n")
        out.write(block.text)
        count += block.count
    out.write("\n]\n" if count else "]\n")
    return count


def _write_jsonl(blocks: Iterator[Block], view: View, fmt: str, env: Environment) -> int:
    out, count = env.stdout, 0
    for block in blocks:
        out.write(block.text)
        count += block.count
    return count


def _write_csv(blocks: Iterator[Block], view: View, fmt: str, env: Environment) -> int:
    out, delimiter = env.stdout, _DELIMITERS[fmt]
    header: tuple[str, ...] | None = None
    rearrange = None
    count = 0
    for block in blocks:
        if header is None:
            header = tuple(view.fields) if view.fields else block.fields
            csv.writer(out, delimiter=delimiter, lineterminator="\n").writerow(header)
        if block.fields == header and block.rows is None:
            out.write(block.text)
        else:
            if rearrange is None:
                rearrange = csv.DictWriter(out, fieldnames=header, extrasaction="ignore",
                                           delimiter=delimiter, lineterminator="\n")
            rows = block.rows if block.rows is not None else csv.reader(io.StringIO(block.text), delimiter=delimiter)
            for row in rows:
                rearrange.writerow(dict(zip(block.fields, row)))
        count += block.count
    if header is None and view.fields:
        csv.writer(out, delimiter=delimiter, lineterminator="\n").writerow(view.fields)
    return count


def _write_human(items: Iterator[dict], view: View, fmt: str, env: Environment) -> int:
    groups = groupby(items, key=view.group) if view.group else [(None, items)]
    count = 0
    kept: list[dict] = []  # only the footer needs the items back
    counts: Counter = Counter()
    for heading, group in groups:
        rows = list(group)
        if not rows:
            continue
        if fmt == "table":
            _draw_rich(rows, view, env, heading)
        else:
            if count:
                env.stdout.write("\n")
            _draw_text(rows, view, env, fmt, heading if heading is not None else view.title)
        count += len(rows)
        if view.footer:
            kept.extend(rows)
        if view.tally:
            counts.update(view.tally(row) for row in rows)
    if not count:
        env.info(view.empty)
        return 0
    lines = view.footer(kept) if view.footer else []
    if view.summary:
        lines += view.summary(counts)
    if lines and fmt == "table":
        from rich.text import Text

        for line in lines:
            env.console().print(Text(line))
    elif lines:
        env.stdout.write("\n" + "\n".join(lines) + "\n")
    return count


def _draw_text(rows: list[dict], view: View, env: Environment, fmt: str, title: str | None) -> None:
    headers = [c.header for c in view.columns]
    body = [[cell_text(c.value(row)) for c in view.columns] for row in rows]
    if title:
        env.stdout.write((f"## {safe_text(title)}" if fmt == "markdown" else safe_text(title)) + "\n\n")
    if fmt == "markdown":
        from tabulate import tabulate

        align = [("right" if c.justify == "right" else "left") for c in view.columns]
        table = tabulate(body, headers=headers, tablefmt="github", colalign=align, disable_numparse=True)
    else:
        table = _aligned(headers, body, [c.justify == "right" for c in view.columns])
    env.stdout.write(table + "\n")


def _aligned(headers: list[str], body: list[list[str]], right: list[bool]) -> str:
    """Plain columns two spaces apart, padded by display width (CJK characters take two cells).

    Written out rather than drawn by tabulate, whose import alone takes longer than listing a
    registry: plain is the format every piped command prints.
    """
    lines = [headers, *body]
    widths = [max(_width(line[i]) for line in lines) for i in range(len(headers))]
    out = []
    for line in lines:
        cells = []
        for text, width, flush_right in zip(line, widths, right):
            pad = " " * (width - _width(text))
            cells.append(pad + text if flush_right else text + pad)
        out.append("  ".join(cells).rstrip())
    return "\n".join(out)


def _width(text: str) -> int:
    if text.isascii():
        return len(text)
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1
               for ch in text)


def _draw_rich(rows: list[dict], view: View, env: Environment, heading: str | None) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    title = heading if heading is not None else view.title
    # Text objects are never parsed as markup: document text stays inert
    table = Table(title=Text(safe_text(title), style="bold") if title else None, box=box.SIMPLE_HEAD,
                  header_style="bold", title_justify="left")
    for column in view.columns:
        table.add_column(column.header, justify=column.justify, overflow="fold")
    for row in rows:
        cells = []
        for column in view.columns:
            if column.rich is not None:
                cells.append(column.rich(row))
            else:
                style = column.style(row) if column.style else None
                cells.append(Text(cell_text(column.value(row)), style=style or ""))
        table.add_row(*cells)
    env.console().print(table)


def rows_of(items: Iterable[Any], to_dict: Callable[[Any], dict] | None = None) -> Iterator[dict]:
    """Items as dicts, lazily (models have to_dict)."""
    for item in items:
        yield to_dict(item) if to_dict else item.to_dict()
