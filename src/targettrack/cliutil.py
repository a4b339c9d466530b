"""Shared click options for every command: output format, registry, environment, region and metric filters."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import click

from targettrack.errors import InputError
from targettrack.models import Region
from targettrack.render import FORMATS
from targettrack.terminal import Environment


def get_env() -> Environment:
    ctx = click.get_current_context()
    root = ctx.find_root()
    if not isinstance(root.obj, Environment):
        root.obj = Environment.from_system()
    return root.obj


def pass_env(func):
    """Pass the terminal Environment as `env`."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, env=get_env(), **kwargs)

    return wrapper


def output_options(func):
    """Add --format and pass `fmt`: a rich table on a terminal, plain text when piped."""

    @click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default=None,
                  help="Output format [default: table on a terminal, plain when piped].")
    @functools.wraps(func)
    def wrapper(*args, fmt=None, **kwargs):
        return func(*args, fmt=fmt or get_env().default_format, **kwargs)

    return wrapper


def registry_option(func):
    """Add --registry FILE and pass `registry_path` (None: $TARGETTRACK_REGISTRY, ./targets.yaml, bundled)."""
    return click.option("--registry", "registry_path", metavar="FILE", default=None,
                        help="Registry file [default: $TARGETTRACK_REGISTRY, ./targets.yaml, else the bundled one].")(func)


def resolve_regions(names: Sequence[str], option: str = "--region") -> list[Region]:
    """Regions named by the user (aliases allowed); an unknown name is an error naming the closest ones."""
    if not names:
        return []
    from targettrack import geo

    regions = []
    for name in names:
        region = geo.lookup(name)
        if region is None:
            close = geo.suggest(name)
            raise InputError(f"unknown region {name!r} for {option}",
                             hint=f"did you mean {', '.join(close)}?" if close else "use a country, province or city name")
        regions.append(region)
    return regions


def check_metrics(names: Sequence[str], option: str = "--metric") -> list[str]:
    if not names:
        return []
    from targettrack import metrics

    for name in names:
        if metrics.get(name) is None:
            close = metrics.suggest(name)
            raise InputError(f"unknown metric {name!r} for {option}",
                             hint=f"did you mean {', '.join(close)}?" if close else "`targettrack metrics` lists them")
    return list(names)


def check_published(value: str | None) -> str | None:
    """A --published option as an ISO date (YYYY-MM-DD), or an error saying how to write it."""
    if value is None:
        return None
    from datetime import date

    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise InputError(f"--published {value!r} is not a date", hint="write it as YYYY-MM-DD, e.g. 2023-04-05") from None


def record_filter(kind: str | None, metrics: Sequence[str], regions: Sequence[str]) -> RecordFilter:
    """A predicate for the records `--kind`, `--metric` and `--region` ask for (a region includes its places)."""
    return RecordFilter(kind, frozenset(check_metrics(metrics)), tuple(resolve_regions(regions)))


@dataclass(frozen=True)
class RecordFilter:
    """Which records to keep; plain data, so worker processes can receive it and filter where records are made."""

    kind: str | None = None
    metrics: frozenset[str] = frozenset()
    regions: tuple[Region, ...] = ()  # a region includes the places within it

    def __call__(self, record) -> bool:
        if self.kind and record.kind != self.kind:
            return False
        if self.metrics and record.metric not in self.metrics:
            return False
        if self.regions:
            from targettrack import geo

            if record.region is None:
                return False
            resolved = geo.get(record.region.name) or record.region
            return any(geo.is_within(resolved, region) for region in self.regions)
        return True

    def select(self, records: Sequence) -> list:
        """The records to keep, in order (what a worker sends back when records themselves are wanted)."""
        return [record for record in records if self(record)]
