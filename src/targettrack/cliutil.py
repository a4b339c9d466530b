"""Shared click options for every command: output format, registry, environment, region and metric filters."""

from __future__ import annotations

import functools
from collections.abc import Sequence

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
