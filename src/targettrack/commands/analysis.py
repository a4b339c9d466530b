"""The `progress` and `compare` commands: where targets stand, and regions side by side."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from targettrack.cliutil import check_metrics, output_options, pass_env, registry_option, resolve_regions
from targettrack.errors import InputError
from targettrack.models import Entry
from targettrack.render import MACHINE_FORMATS, Column, View, flatten, write
from targettrack.terminal import safe_text

if TYPE_CHECKING:
    from targettrack.models import Record

STATUS_STYLES = {"achieved": "green", "on track": "cyan", "behind": "yellow", "overdue": "red",
                 "no data": "dim", "pending": "blue"}
BAR_WIDTH = 10


# --------------------------------------------------------------------------- shared


def _status(value: str) -> str:
    """Statuses as typed on a command line: "on-track", "on_track" and "on track" are one."""
    from targettrack.analysis import STATUSES

    status = value.strip().lower().replace("-", " ").replace("_", " ")
    if status not in STATUSES:
        raise InputError(f"unknown status {value!r} for --status",
                         hint=f"use one of: {', '.join(s.replace(' ', '-') for s in STATUSES)}")
    return status


def records_options(func):
    """Add --records FILE|- and --no-registry (pass `records_path`, `no_registry`)."""
    func = click.option("--no-registry", is_flag=True,
                        help="Use only the --records, not the registry.")(func)
    return click.option(
        "--records", "records_path", metavar="FILE",
        help="Extracted records (JSON lines from `targettrack extract --format jsonl`; - for stdin), "
             "added to the registry's entries (with --no-registry: used instead of them).")(func)


def read_records(path: str) -> list[Record]:
    """Records from a JSONL file or stdin; a bad line is an error naming FILE:LINE."""
    from targettrack.models import Record

    if path == "-":
        stream = sys.stdin
        if stream.isatty():
            raise InputError("--records - reads records from stdin, but stdin is a terminal",
                             hint="pipe them in: targettrack extract TEXTS --format jsonl | targettrack progress --records -")
        lines, name = stream.read().splitlines(), "<stdin>"
    else:
        try:
            with open(path, encoding="utf-8") as handle:
                lines = handle.read().splitlines()
        except FileNotFoundError:
            raise InputError(f"no such records file: {path}", where="--records",
                             hint="write one with `targettrack extract TEXTS --format jsonl > records.jsonl`") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read records: {exc}", where=path) from None
        name = path
    records = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            if not isinstance(data, dict):
                raise TypeError("not a JSON object")
            records.append(Record.from_dict(data))
        except (ValueError, TypeError, KeyError) as exc:
            raise InputError(f"not an extraction record: {exc}", where=f"{name}:{number}",
                             hint="give the output of `targettrack extract --format jsonl`, one record a line") from None
    return records


def load_entries(registry_path: str | None, records_path: str | None, no_registry: bool) -> list[Entry]:
    """The registry's entries and/or those standing for extracted records, each figure once."""
    from targettrack.registry import entries_from_records, load_registry

    if no_registry and not records_path:
        raise InputError("--no-registry leaves nothing to work on", hint="give --records FILE as well")
    entries = [] if no_registry else list(load_registry(registry_path).entries)
    if records_path:
        from targettrack.analysis import distinct

        taken = {e.id for e in entries}
        entries = distinct([*entries, *entries_from_records(read_records(records_path), taken)])
    return entries


def csv_fields(items: Sequence[dict]) -> list[str]:
    """Every flattened key of every item, grouped under the item's own key order (a null object and a
    filled one in another item give the filled one's columns)."""
    if not items:
        return []
    top = list(items[0])
    order: dict[str, int] = {}
    for item in items:
        for key in flatten(item):
            order.setdefault(key, len(order))
    parents = {key.rsplit(".", n)[0] for key in order for n in range(1, key.count(".") + 1)}
    keys = [key for key in order if key not in parents]
    return sorted(keys, key=lambda k: (top.index(k.split(".")[0]) if k.split(".")[0] in top else len(top), order[k]))


def percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.0f}%"


def bar(value: float | None, status: str):
    from rich.text import Text

    style = STATUS_STYLES.get(status, "")
    if value is None:
        return Text("")
    filled = round(min(max(value, 0.0), 1.0) * BAR_WIDTH)
    text = Text("\u2588" * filled, style=style)
    text.append("\u2591" * (BAR_WIDTH - filled), style="dim")
    text.append(f" {percent(value)}")
    return text


def status_footer(items: list[dict], as_of: int, verbose: bool) -> list[str]:
    from targettrack.analysis import status_counts

    counts = status_counts(items)
    total = len(items)
    lines = [f"{total} target{'s' if total != 1 else ''} as of {as_of}: " + ", ".join(f"{n} {s}" for s, n in counts.items())]
    if verbose:
        lines += [f"{item['id']}: {note}" for item in items for note in item["notes"]]
    return lines


# --------------------------------------------------------------------------- progress


def _latest_text(item: dict) -> str:
    latest = item["latest"]
    return "" if latest is None else f"{latest['display']} ({latest['year']})"


def _latest_rich(item: dict):
    from rich.text import Text

    latest = item["latest"]
    if latest is None:
        return Text("")
    text = Text(safe_text(f"{latest['display']} ({latest['year']})"))
    if latest.get("source"):
        text.append(f"\n{safe_text(latest['source'])}", style="dim")
    return text


def progress_view(as_of: int, fmt: str, verbose: bool) -> View:
    """The progress table, one block per region; on a terminal the source sits under the latest figure."""
    source = [] if fmt == "table" else [Column("source", lambda i: (i["latest"] or {}).get("source") or "")]
    return View(
        group=lambda i: i["region"]["name"],
        columns=[
            Column("metric", lambda i: i["metric"]),
            Column("target", lambda i: i["target"]["display"], justify="right"),
            Column("by", lambda i: i["deadline"], justify="right"),
            Column("baseline", lambda i: (i["baseline"] or {}).get("display") or ""),
            Column("latest", _latest_text, justify="right", rich=_latest_rich),
            *source,
            Column("progress", lambda i: percent(i["progress"]), justify="right",
                   rich=lambda i: bar(i["progress"], i["status"])),
            Column("expected", lambda i: percent(i["expected_progress"]), justify="right"),
            Column("status", lambda i: i["status"], style=lambda i: STATUS_STYLES.get(i["status"])),
        ],
        footer=lambda items: status_footer(items, as_of, verbose),
        empty="no targets match",
    )


@click.command("progress")
@click.option("--as-of", "as_of", type=int, metavar="YEAR",
              help="Judge progress as of this year; outcomes of later years are left out [default: this year].")
@click.option("--region", "regions", multiple=True, metavar="NAME",
              help="Only targets of this region and the places within it (aliases allowed; repeatable).")
@click.option("--metric", "metrics", multiple=True, metavar="METRIC", help="Only this metric (repeatable).")
@click.option("--status", "statuses", multiple=True, metavar="STATUS",
              help="Only targets with this status: achieved, on-track, behind, overdue, no-data, pending (repeatable).")
@records_options
@registry_option
@output_options
@pass_env
def progress_command(env, fmt, registry_path, records_path, no_registry, as_of, regions, metrics, statuses):
    """Show how far each target has come: progress against the straight line from baseline to deadline.

    Each target is set against the latest outcome of its region and metric
    (or the outcomes linked to it by id), in a unit that converts. Status is
    one of achieved, on track, behind, overdue, no data, pending. docs/progress.md
    defines every figure.

    \b
    Examples:
      targettrack progress --region "Inner Mongolia" --as-of 2025
      targettrack extract news/ --format jsonl | targettrack progress --records - --status behind
    """
    from datetime import date

    from targettrack import analysis
    from targettrack.registry import filter_entries, sort_entries

    wanted_statuses = {_status(s) for s in statuses}
    wanted_regions = resolve_regions(regions)
    wanted_metrics = check_metrics(metrics)
    as_of = as_of if as_of is not None else date.today().year
    entries = load_entries(registry_path, records_path, no_registry)
    targets = sort_entries(filter_entries(entries, regions=wanted_regions, metrics=wanted_metrics, kind="target"))
    outcomes = [e for e in entries if e.kind == "outcome"]
    results = analysis.progress([*targets, *outcomes], as_of=as_of)
    items = [r.to_dict() for r in results if not wanted_statuses or r.status in wanted_statuses]
    view = progress_view(as_of, fmt, env.verbose > 0)
    if fmt in ("csv", "tsv"):
        view = View(columns=view.columns, fields=csv_fields(items))
    write(items, view, fmt, env)


# --------------------------------------------------------------------------- compare


def _cell_text(cell: dict | None, separator: str) -> str:
    if cell is None:
        return ""
    lines = []
    for part, name in (("target", "target"), ("outcome", "latest")):
        figure = cell.get(part)
        if figure is None:
            continue
        text = figure["display"] + ("" if figure["in_row_unit"] else " *")
        if part == "target" and figure.get("more"):
            text += f" (+{figure['more']} more)"
        lines.append(f"{name}: {text}")
    return separator.join(lines)


def _cell_rich(cell: dict | None):
    from rich.text import Text

    text = Text()
    if cell is None:
        return text
    for part, name, style in (("target", "target", "cyan"), ("outcome", "latest", "green")):
        figure = cell.get(part)
        if figure is None:
            continue
        if text:
            text.append("\n")
        text.append(f"{name}: ", style="dim")
        text.append(safe_text(figure["display"]), style=style)
        if not figure["in_row_unit"]:
            text.append(" *", style="yellow")
        if part == "target" and figure.get("more"):
            text.append(f" (+{figure['more']} more)", style="dim")
    return text


def compare_footer(items: list[dict], names: Sequence[str]) -> list[str]:
    lines = []
    empty = [n for n in names if all(row["cells"].get(n) is None for row in items)]
    if empty:
        lines.append(f"no data for {', '.join(empty)}")
    if any(figure is not None and not figure["in_row_unit"]
           for row in items for cell in row["cells"].values() if cell
           for figure in (cell["target"], cell["outcome"])):
        lines.append("* in a unit that does not convert to the row's unit")
    return lines


CELL_FIELDS = ("target.id", "target.value", "target.unit", "target.comparator", "target.change", "target.year",
               "outcome.value", "outcome.unit", "outcome.change", "outcome.year", "outcome.source")


def compare_fields(names: Sequence[str]) -> list[str]:
    """CSV columns of a comparison: the row, then each region's target and latest outcome, in column order."""
    return ["metric", "label", "unit", *(f"cells.{name}.{field}" for name in names for field in CELL_FIELDS)]


def compare_view(names: Sequence[str], fmt: str) -> View:
    separator = " / " if fmt == "markdown" else "\n"

    def region_column(name: str) -> Column:
        return Column(name, lambda row: _cell_text(row["cells"].get(name), separator),
                      rich=lambda row: _cell_rich(row["cells"].get(name)))

    def metric_text(row: dict) -> str:
        return f"{row['label']} ({row['unit']})" if row["unit"] else row["label"]

    return View(
        columns=[Column("metric", metric_text), *(region_column(n) for n in names)],
        footer=lambda items: compare_footer(items, names),
        empty="no targets or outcomes for these regions",
    )


def ranking_view(label: str, unit: str | None) -> View:
    def figure(item: dict, part: str) -> str:
        data = item[part]
        return "" if data is None else data["display"] + ("" if data["in_row_unit"] else " *")

    return View(
        title=f"{label} ({unit})" if unit else label,
        columns=[
            Column("#", lambda i: i["rank"], justify="right"),
            Column("region", lambda i: i["region"]["name"]),
            Column("target", lambda i: figure(i, "target")),
            Column("latest", lambda i: figure(i, "outcome")),
            Column("progress", lambda i: percent(i["progress"]), justify="right",
                   rich=lambda i: bar(i["progress"], i["status"] or "")),
            Column("status", lambda i: i["status"] or "", style=lambda i: STATUS_STYLES.get(i["status"])),
        ],
        empty="no region has figures for this metric",
    )


def _distinct(regions: list) -> list:
    """One column per place, however many of its names were given."""
    from targettrack.analysis import same_region

    kept = []
    for region in regions:
        if not any(same_region(region, k) for k in kept):
            kept.append(region)
    return kept


@click.command("compare")
@click.option("--region", "regions", multiple=True, metavar="NAME",
              help="A region to show as a column (aliases allowed; repeatable; a parent and its children "
                   "can stand side by side).")
@click.option("--metric", "metrics", multiple=True, metavar="METRIC", help="Only this metric as a row (repeatable).")
@click.option("--kind", type=click.Choice(["target", "outcome"]), help="Only targets or only outcomes.")
@click.option("--year", type=int, metavar="YEAR", help="Only targets due in, and outcomes reported for, this year.")
@click.option("--by-metric", "by_metric", metavar="METRIC",
              help="Instead: every region with figures for METRIC, ranked by progress toward its target, "
                   "then by its latest figure (with --region: only places within those).")
@click.option("--as-of", "as_of", type=int, metavar="YEAR",
              help="With --by-metric: judge progress as of this year [default: this year].")
@records_options
@registry_option
@output_options
@pass_env
def compare_command(env, fmt, registry_path, records_path, no_registry, regions, metrics, kind, year, by_metric,
                    as_of):
    """Compare regions side by side: metrics as rows, regions as columns.

    Each cell shows the region's target (the latest deadline) and its latest
    outcome, every level of a row in one unit (all capacity in GW, all money
    in billion yuan, all CO2 in Mt), so cells compare at a glance.

    \b
    Examples:
      targettrack compare --region Ordos --region Hebei
      targettrack compare --region "Inner Mongolia" --region Ordos --metric renewable_capacity
      targettrack compare --by-metric renewable_capacity --format json
    """
    from targettrack import analysis

    wanted_regions = _distinct(resolve_regions(regions))
    wanted_metrics = check_metrics(metrics)
    if by_metric is not None:
        check_metrics([by_metric], "--by-metric")
    elif not wanted_regions:
        raise InputError("compare needs regions to compare",
                         hint="give --region NAME twice or more, e.g. --region Ordos --region Hebei, "
                              "or --by-metric METRIC")
    entries = load_entries(registry_path, records_path, no_registry)
    if by_metric is not None:
        ranking = analysis.rank(entries, by_metric, regions=wanted_regions, kind=kind, year=year, as_of=as_of)
        items = ranking.items()
        view = ranking_view(ranking.label, ranking.unit.label)
    else:
        comparison = analysis.compare(entries, wanted_regions, metrics=wanted_metrics, kind=kind, year=year)
        items = [row.to_dict() for row in comparison.rows]
        names = [r.name for r in wanted_regions]
        view = compare_view(names, fmt)
        empty = [r.name for r in comparison.empty_regions]
        if empty and fmt in MACHINE_FORMATS:
            env.info(f"no data for {', '.join(empty)}")
    if fmt in ("csv", "tsv"):
        fields = csv_fields(items) if by_metric is not None else compare_fields([r.name for r in wanted_regions])
        view = View(columns=view.columns, fields=fields)
    write(items, view, fmt, env)
