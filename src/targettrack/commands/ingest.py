"""The ingest command: extract records from texts and add them to a registry."""

from __future__ import annotations

import click

from targettrack.cliutil import check_published, output_options, pass_env, record_filter
from targettrack.commands.extract import jobs_option, run_documents, timeout_option
from targettrack.errors import ExitCode
from targettrack.render import Column, View, write

PLAN_VIEW = View(
    columns=[
        Column("action", lambda a: a["action"],
               style=lambda a: {"add": "green", "merge": "cyan", "skip": "dim"}.get(a["action"])),
        Column("id", lambda a: a["id"] or ""),
        Column("kind", lambda a: a["kind"]),
        Column("region", lambda a: a["region"] or ""),
        Column("metric", lambda a: a["metric"] or ""),
        Column("value", lambda a: "" if a["value"] is None else f"{a['value']:,.6g} {a['unit']}", justify="right"),
        Column("year", lambda a: a["year"], justify="right"),
        Column("document", lambda a: a["document"]),
        Column("reason", lambda a: a["reason"] or ""),
    ],
    empty="no records found",
)


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--registry", "registry_path", metavar="FILE", default=None,
              help="Registry to grow (created if missing) [default: $TARGETTRACK_REGISTRY, else ./targets.yaml].")
@click.option("--dry-run", is_flag=True, help="Show what would be added and merged; write nothing.")
@click.option("--published", metavar="DATE", help="Publication date (YYYY-MM-DD) for every text, overriding the one found.")
@click.option("--kind", type=click.Choice(["target", "outcome"]), help="Take only targets or only outcomes.")
@click.option("--metric", "metrics", multiple=True, metavar="METRIC", help="Take only this metric (repeatable).")
@click.option("--region", "regions", multiple=True, metavar="NAME", help="Take only this region and places within it (repeatable).")
@jobs_option
@timeout_option
@output_options
@pass_env
def ingest_command(env, fmt, paths, registry_path, dry_run, published, kind, metrics, regions, jobs, timeout):
    """Extract targets and outcomes from texts and add them to the registry.

    A record that states what an entry already holds (same kind, region, metric, year and
    value, within rounding) adds its source to that entry instead of a new entry; ingesting
    the same texts twice adds nothing. Comments and order of the file are kept; the write
    is atomic and locked, so concurrent runs both land.

    \b
    Examples:
      targettrack ingest reports/ --registry targets.yaml --dry-run
      targettrack ingest speech.txt --kind target
    """
    import os
    from pathlib import Path

    from targettrack.ingest import Summary, ingest

    published = check_published(published)
    wanted = record_filter(kind, metrics, regions)
    path = Path(registry_path or os.environ.get("TARGETTRACK_REGISTRY") or "targets.yaml")
    failed = []

    def on_error(error):
        failed.append(error)
        env.warn(str(error))

    summary = Summary()

    def records():
        for result in run_documents(env, paths, published=published, jobs=jobs, timeout=timeout,
                                    convert=wanted.select, on_error=on_error):
            summary.documents += 1
            yield from result.output

    ingest(path, records(), dry_run=dry_run, summary=summary)
    if dry_run or fmt not in ("plain", "table"):
        write((a.to_dict() for a in summary.actions if dry_run or a.action != "skip"), PLAN_VIEW, fmt, env)
    env.info(f"{path}: {summary.line(dry_run)}")
    if failed:
        raise click.exceptions.Exit(ExitCode.FINDINGS)
