"""The extract command: find targets and outcomes in texts and stream them out as records."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import click

from targettrack.cliutil import RecordFilter, check_published, output_options, pass_env, record_filter
from targettrack.errors import ExitCode, InputError
from targettrack.render import Block, Column, View, encode, json_blocks, write_blocks

# Generous for any real document (100 MB at 1 MB/s); a bound for texts that would never finish.
DOCUMENT_TIMEOUT = 300.0


def _value_text(record: dict) -> str:
    normalized = record.get("normalized") or {}
    if normalized.get("value") is None:
        return "milestone"
    from targettrack import units

    try:
        return units.display(normalized["value"], normalized["unit"], normalized.get("value_max"))
    except Exception:  # display is a nicety; the raw figure is always right
        return f"{normalized['value']:g} {normalized['unit']}"


def _region_text(record: dict) -> str:
    region = record.get("region") or {}
    return region.get("name") or ""


def _comparator_text(record: dict) -> str:
    comparator = record.get("comparator") or "="
    return "" if comparator == "=" else comparator


VIEW = View(
    columns=[
        Column("kind", lambda r: r["kind"]),
        Column("metric", lambda r: r.get("metric") or ""),
        Column("region", _region_text),
        Column("", _comparator_text),
        Column("value", _value_text, justify="right"),
        Column("change", lambda r: "" if r.get("change") == "level" else r.get("change")),
        Column("year", lambda r: r.get("year") or "", justify="right"),
        Column("text", lambda r: r.get("text") or ""),
    ],
    group=lambda r: (r.get("source") or {}).get("path"),
    tally=lambda r: r["kind"],
    summary=lambda counts: [f"{sum(counts.values())} records: {counts['target']} targets, "
                            f"{counts['outcome']} outcomes"],
    empty="no records found",
)


@dataclasses.dataclass(frozen=True)
class RecordEncoder:
    """A document's records to output blocks: filtered, as dicts, in the output format.

    Run where the records are found, so worker processes do this work and send back text.
    """

    keep: RecordFilter
    fmt: str
    fields: tuple[str, ...] | None = None  # csv/tsv columns, when the view fixes them

    def __call__(self, records: list) -> list[Block]:
        if self.fmt in ("json", "jsonl"):
            # The same text as encoding each record's to_dict(), in a fraction of the time.
            from targettrack.extraction.jsonline import record_json

            return json_blocks([record_json(record) for record in records if self.keep(record)], self.fmt)
        return encode([record.to_dict() for record in records if self.keep(record)], self.fmt, self.fields)


def jobs_option(func):
    """Add --jobs N: documents read and extracted by N worker processes (1: in this process)."""
    return click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
                        help="Worker processes [default: the number of cores; 1 reads in this process].")(func)


def timeout_option(func):
    """Add --timeout SECONDS: the time one document may take before it is skipped with a warning."""
    return click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=DOCUMENT_TIMEOUT,
                        metavar="SECONDS", show_default=True,
                        help="Skip (with a warning) a document that takes longer than this to read and extract.")(func)


def run_documents(env, paths, *, published=None, all_quantities=False, jobs=None, timeout=DOCUMENT_TIMEOUT,
                  convert=None, on_error) -> Iterator:
    """Extracted documents of `paths` in input order, with the progress display and per-file lines.

    Shared by extract and ingest. Failed documents go to `on_error` (one warning each) and are not yielded.
    `convert` runs on each document's records where they are found (see pipeline.Options).
    """
    import contextlib
    import os

    from targettrack import pipeline

    files = pipeline.expand_paths(list(paths), on_error)
    total_bytes = 0
    if env.stderr_isatty and not env.quiet:
        for path in files:
            with contextlib.suppress(OSError):
                total_bytes += os.stat(path).st_size if path != "-" else 0
    options = pipeline.Options(published=published, all_quantities=all_quantities, timeout=timeout, convert=convert)
    results = pipeline.extract_paths(files, options=options, jobs=jobs or pipeline.default_jobs())
    with contextlib.closing(results), env.progress(len(files), total_bytes) as progress:
        for result in results:
            if result.error is not None:
                on_error(result.error)
            progress.advance(result.path, result.size, result.found, failed=result.error is not None)
            if result.error is None:
                yield result


@click.command("extract")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--published", metavar="DATE", help="Publication date (YYYY-MM-DD) for every input; "
              "overrides the date found in the text. Gives 'last year' its year.")
@click.option("--kind", type=click.Choice(["target", "outcome"]), help="Only targets or only outcomes.")
@click.option("--metric", "metrics", multiple=True, metavar="METRIC", help="Only this metric (repeatable).")
@click.option("--region", "regions", multiple=True, metavar="NAME",
              help="Only this region and the places within it (aliases allowed; repeatable).")
@click.option("--all-quantities", is_flag=True,
              help="Also every quantity that is not a record, with the reason in `dropped`.")
@jobs_option
@timeout_option
@output_options
@pass_env
def extract_command(env, fmt, paths, published, kind, metrics, regions, all_quantities, jobs, timeout):
    """Find quantitative targets and outcomes in texts (files, directories, or - for stdin).

    Text, Markdown, HTML and PDF are read; directories are walked recursively. Documents are
    read in parallel (--jobs) and records stream out in input order as each document is done,
    so any number of documents can be piped through.

    \b
    Examples:
      targettrack extract report.txt
      targettrack extract news/ --format jsonl > records.jsonl
      targettrack extract news/ --region Hebei --metric forest_coverage --kind target
      curl -s https://example.org/plan.html | targettrack extract - --published 2023-04-05
    """

    published = check_published(published)
    keep = record_filter(kind, metrics, regions)
    failures: list[InputError] = []

    def on_error(error: InputError) -> None:
        failures.append(error)
        env.warn(f"error: {error}")

    view = VIEW
    if all_quantities:  # the reason a quantity is not a record
        view = dataclasses.replace(VIEW, columns=[*VIEW.columns, Column("dropped", lambda r: r.get("dropped") or "")])
    encoder = RecordEncoder(keep, fmt, tuple(view.fields) if view.fields else None)

    def blocks() -> Iterator[Block]:
        for result in run_documents(env, paths, published=published, all_quantities=all_quantities,
                                    jobs=jobs, timeout=timeout, convert=encoder, on_error=on_error):
            yield from result.output

    write_blocks(blocks(), view, fmt, env)
    if failures:
        raise click.exceptions.Exit(ExitCode.FINDINGS)
