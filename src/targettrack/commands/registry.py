"""Registry commands: list, show, validate, units, metrics."""

from __future__ import annotations

import difflib
import re

import click

from targettrack.cliutil import check_metrics, output_options, pass_env, registry_option, resolve_regions
from targettrack.errors import ExitCode, InputError, ValidationFailed
from targettrack.render import MACHINE_FORMATS, Column, View, write


def baseline_text(entry: dict) -> str:
    parts = []
    if entry.get("baseline_value") is not None:
        from targettrack import units

        parts.append(units.display(entry["baseline_value"], entry["baseline_unit"]))
    if entry.get("baseline_year") is not None:
        parts.append(f"({entry['baseline_year']})" if parts else str(entry["baseline_year"]))
    return " ".join(parts)


def source_text(entry: dict) -> str:
    documents = [s["document"] for s in entry["sources"] if s.get("document")]
    if not documents:
        return ""
    return documents[0] + (f" +{len(documents) - 1}" if len(documents) > 1 else "")


LIST_VIEW = View(
    columns=[
        Column("id", lambda e: e["id"]),
        Column("kind", lambda e: e["kind"], style=lambda e: "cyan" if e["kind"] == "target" else "green"),
        Column("region", lambda e: e["region"]["name"]),
        Column("metric", lambda e: e["metric"]),
        Column("value", lambda e: e["display"], justify="right"),
        Column("year", lambda e: e["year"], justify="right"),
        Column("baseline", baseline_text),
        Column("source", source_text),
    ],
    footer=lambda items: [f"{len(items)} entries: {sum(e['kind'] == 'target' for e in items)} targets, "
                          f"{sum(e['kind'] == 'outcome' for e in items)} outcomes"],
    empty="no entries match",
)


@click.command("list")
@click.option("--region", "regions", multiple=True, metavar="NAME",
              help="Only this region and the places within it (aliases allowed; repeatable).")
@click.option("--metric", "metrics", multiple=True, metavar="METRIC", help="Only this metric (repeatable).")
@click.option("--kind", type=click.Choice(["target", "outcome"]), help="Only targets or only outcomes.")
@click.option("--year", type=int, help="Only entries for this year.")
@click.option("--from", "year_from", type=int, metavar="YEAR", help="Only entries from this year on.")
@click.option("--to", "year_to", type=int, metavar="YEAR", help="Only entries up to this year.")
@registry_option
@output_options
@pass_env
def list_command(env, fmt, registry_path, regions, metrics, kind, year, year_from, year_to):
    """List the registry's targets and outcomes, sorted by region, metric and year.

    \b
    Example:
      targettrack list --region "Inner Mongolia" --kind target --format json
    """
    from targettrack.registry import filter_entries, load_registry, sort_entries

    wanted_regions = resolve_regions(regions)
    wanted_metrics = check_metrics(metrics)
    registry = load_registry(registry_path)
    entries = filter_entries(registry.entries, regions=wanted_regions, metrics=wanted_metrics, kind=kind,
                             year=year, year_from=year_from, year_to=year_to)
    write((dict(e.to_dict(), display=registry.display(e)) for e in sort_entries(entries)), LIST_VIEW, fmt, env)


SHOW_VIEW = View(columns=[Column("field", lambda r: r["field"]), Column("value", lambda r: r["value"])])


def _show_rows(entry: dict) -> list[dict]:
    region = entry["region"]
    place = ", ".join(p for p in (region["name"], region.get("parent"), region.get("country")) if p)
    rows = [("id", entry["id"]), ("kind", entry["kind"]), ("region", f"{place} ({region.get('level') or 'place'})"),
            ("metric", entry["metric"]), ("value", entry["display"]), ("as written", entry["quantity"]),
            ("normalized", _normalized_text(entry)), ("year", entry["year"]),
            ("baseline", baseline_text(entry)), ("strength", entry["strength"]),
            ("linked target", entry["target"]), ("description", entry["description"])]
    for n, source in enumerate(entry["sources"], 1):
        details = ", ".join(f"{k} {source[k]}" for k in ("published", "start", "end") if source.get(k) is not None)
        rows.append((f"source {n}", f"{source.get('document') or '?'}" + (f" ({details})" if details else "")))
        if source.get("quote"):
            rows.append(("  quote", f"\u201c{source['quote']}\u201d"))
    return [{"field": k, "value": v} for k, v in rows if v not in (None, "")]


def _normalized_text(entry: dict) -> str:
    norm = entry.get("normalized") or {}
    if norm.get("value") is None:
        return ""
    text = f"{norm['value']:g}"
    if norm.get("value_max") is not None:
        text += f"-{norm['value_max']:g}"
    return f"{text} {norm['unit']}"


@click.command("show")
@click.argument("entry_id", metavar="ID")
@registry_option
@output_options
@pass_env
def show_command(env, fmt, registry_path, entry_id):
    """Show one entry with everything known about it, sources included.

    \b
    Example:
      targettrack show ordos-renewable-capacity-2025
    """
    from targettrack.registry import load_registry

    registry = load_registry(registry_path)
    entry = registry.get(entry_id)
    if entry is None:
        close = difflib.get_close_matches(entry_id, [e.id for e in registry.entries], n=3, cutoff=0.5)
        raise InputError(f"no entry with id {entry_id!r} in {registry.path}",
                         hint=f"did you mean {', '.join(close)}?" if close else "`targettrack list` shows the ids")
    data = dict(entry.to_dict(), display=registry.display(entry))
    if fmt in MACHINE_FORMATS:
        write([data], View(columns=[]), fmt, env)
    else:
        write(_show_rows(data), SHOW_VIEW, fmt, env)


PROBLEM = re.compile(r"^(?P<file>.*?):(?P<line>\d+): (?P<message>.*)$")
PROBLEM_VIEW = View(columns=[Column("file", lambda p: p["file"]), Column("line", lambda p: p["line"], justify="right"),
                             Column("problem", lambda p: p["message"])])


@click.command("validate")
@click.argument("file", required=False, metavar="[FILE]")
@registry_option
@output_options
@pass_env
def validate_command(env, fmt, registry_path, file):
    """Check a registry: every schema and unit problem as FILE:LINE: message.

    Exits 1 when there are problems, else prints a one-line summary and exits 0.

    \b
    Example:
      targettrack validate targets.yaml
    """
    from targettrack.registry import validate_registry

    try:
        registry = validate_registry(file or registry_path)
    except ValidationFailed as failed:
        if fmt in ("plain", "table"):
            for problem in failed.problems:
                env.stdout.write(problem + "\n")
        else:
            items = []
            for problem in failed.problems:
                match = PROBLEM.match(problem)
                items.append({"file": match["file"], "line": int(match["line"]), "message": match["message"]}
                             if match else {"file": None, "line": None, "message": problem})
            write(items, PROBLEM_VIEW, fmt, env)
        env.warn(f"{failed.where}: {failed.message}")
        raise click.exceptions.Exit(ExitCode.FINDINGS) from None
    summary = (f"{registry.path}: ok, {len(registry.targets)} targets and "
               f"{len(registry.outcomes)} outcomes, no problems")
    if fmt in MACHINE_FORMATS:
        write([], PROBLEM_VIEW, fmt, env)
        env.info(summary)
    else:
        env.stdout.write(summary + "\n")


UNITS_VIEW = View(columns=[Column("", lambda r: r["field"]), Column("", lambda r: r["value"], justify="right")])


@click.command("units")
@click.argument("quantity")
@click.option("--to", "to_unit", metavar="UNIT", help="Also convert to this unit (e.g. GW, Mt CO2, hectare).")
@output_options
@pass_env
def units_command(env, fmt, quantity, to_unit):
    """Parse a quantity as people write it and show it normalized and converted.

    \b
    Examples:
      targettrack units "50 million kW"
      targettrack units "2 million mu" --to km2
    """
    from targettrack import units

    parsed = units.parse_quantity(quantity)
    normalized = units.normalize(parsed.value, parsed.unit, parsed.value_max)
    item = {"input": quantity, "value": parsed.value, "value_max": parsed.value_max, "unit": parsed.unit,
            "normalized": normalized.to_dict(), "display": units.display(parsed.value, parsed.unit, parsed.value_max)}
    if to_unit:
        target_unit = units.parse_unit(to_unit)
        converted = units.convert(parsed.value, parsed.unit, target_unit)
        converted_max = None if parsed.value_max is None else units.convert(parsed.value_max, parsed.unit, target_unit)
        item["converted"] = {"value": converted, "value_max": converted_max, "unit": target_unit}
    if fmt in MACHINE_FORMATS:
        write([item], View(columns=[]), fmt, env)
        return
    rows = [("input", quantity), ("value", f"{_number(parsed.value, parsed.value_max)} {parsed.unit}"),
            ("normalized", f"{_number(normalized.value, normalized.value_max)} {normalized.unit}"),
            ("display", item["display"])]
    if to_unit:
        conv = item["converted"]
        rows.append((f"in {to_unit}", f"{_number(conv['value'], conv['value_max'])} {conv['unit']}"))
    write([{"field": k, "value": v} for k, v in rows], UNITS_VIEW, fmt, env)


def _number(value: float, value_max: float | None = None) -> str:
    text = f"{value:,.10g}"
    return f"{text}-{value_max:,.10g}" if value_max is not None else text


METRICS_VIEW = View(columns=[Column("metric", lambda m: m["key"]), Column("label", lambda m: m["label"]),
                             Column("additive", lambda m: "yes" if m["additive"] else "no")])


@click.command("metrics")
@output_options
@pass_env
def metrics_command(env, fmt):
    """List the metric vocabulary (edit the data file to add one)."""
    from targettrack import metrics

    write(({"key": m.key, "label": m.label, "additive": m.additive} for m in metrics.metrics().values()),
          METRICS_VIEW, fmt, env)


COMMANDS = [list_command, show_command, validate_command, units_command, metrics_command]
