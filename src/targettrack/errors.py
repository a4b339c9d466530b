"""The one root error of targettrack and its kinds, each with a message, a place and a hint."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1  # validation problems, inputs that failed
    USAGE = 2  # bad options, bad input files, unknown names
    INTERRUPTED = 130


class TargettrackError(Exception):
    """A known failure: one line for the user, never a traceback.

    `where` is a location such as ``targets.yaml:12`` or a file path; `hint`
    says how to fix it.
    """

    exit_code = ExitCode.USAGE

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.hint:
            text = f"{text} ({self.hint})"
        return text


class InputError(TargettrackError, ValueError):
    """A document, option value or file that cannot be used as given."""


class UnitError(TargettrackError, ValueError):
    """A quantity with an unknown unit, no number, or units that do not convert."""


class RegistryError(TargettrackError, ValueError):
    """A registry file that is missing, malformed or inconsistent."""


class ValidationFailed(TargettrackError):
    """A registry with problems; `problems` holds one ``FILE:LINE: message`` string each."""

    exit_code = ExitCode.FINDINGS

    def __init__(self, problems: list[str], *, where: str | None = None):
        count = len(problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} found", where=where)
        self.problems = problems
