"""The docs stay true to the code: every command documented, README and CI agree."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not (ROOT / "docs").is_dir(), reason="needs a source checkout")


def test_every_command_and_option_is_in_the_command_reference():
    from targettrack.cli import cli

    reference = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    for name, command in cli.commands.items():
        assert f"`targettrack {name}" in reference, name
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--") and opt not in ("--help", "--format", "--registry"):
                    assert f"`{opt}" in reference, f"{name} {opt}"


def test_readme_starts_with_the_two_setup_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [line.strip() for line in readme.splitlines() if line.startswith("    python3 -m venv")]
    assert len(commands) >= 2
    install_and_run, install_and_test = commands[:2]
    assert "targettrack" in install_and_run and "pytest" in install_and_test
    assert readme.index(install_and_test) < readme.index("## ")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert install_and_test in ci.splitlines()


def test_every_metric_is_documented():
    from targettrack import metrics

    text = (ROOT / "docs" / "extraction.md").read_text(encoding="utf-8")
    for key in metrics.metrics():
        assert key in text, key
