"""Shared fixtures: a CLI runner, a scratch registry, an isolated environment."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from targettrack.terminal import Environment


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path_factory):
    """No test sees the developer's registry variable or a targets.yaml in the working directory."""
    monkeypatch.delenv("TARGETTRACK_REGISTRY", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TARGETTRACK_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def invoke(runner):
    """Run the CLI in-process through the same error boundary as the console script."""
    from targettrack.cli import cli

    def run(*args, input=None):
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return run


@pytest.fixture
def write_registry(tmp_path):
    def write(body: str, name: str = "targets.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
        return path

    return write


@pytest.fixture
def env():
    """An Environment writing to strings, as when stdout is piped."""
    return Environment(stdout=io.StringIO(), stderr=io.StringIO())
