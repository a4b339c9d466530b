"""The terminal environment: stdout/stderr, whether each is a terminal, colour, quiet/verbose, rich consoles."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # rich is imported only when a human table is drawn
    from rich.console import Console


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def colour_allowed(environ: dict[str, str] | None = None) -> bool:
    """No colour when NO_COLOR is set (any value) or TERM is dumb (clig.dev, no-color.org)."""
    environ = os.environ if environ is None else environ
    return "NO_COLOR" not in environ and environ.get("TERM") != "dumb"


@dataclass
class Environment:
    """Everything a command needs to know about where its output goes; tests build their own."""

    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    stdout_isatty: bool = False
    stderr_isatty: bool = False
    color: bool = False
    quiet: bool = False
    verbose: int = 0
    debug: bool = False
    _console: Console | None = field(default=None, repr=False)
    _err_console: Console | None = field(default=None, repr=False)

    @classmethod
    def from_system(cls, *, quiet: bool = False, verbose: int = 0, debug: bool = False) -> Environment:
        out_tty = _isatty(sys.stdout)
        return cls(stdout=sys.stdout, stderr=sys.stderr, stdout_isatty=out_tty,
                   stderr_isatty=_isatty(sys.stderr), color=out_tty and colour_allowed(),
                   quiet=quiet, verbose=verbose, debug=debug)

    @property
    def default_format(self) -> str:
        """A rich table on a terminal, plain text when piped or on a dumb terminal."""
        if self.stdout_isatty and os.environ.get("TERM") != "dumb":
            return "table"
        return "plain"

    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            # piped tables are not squeezed into 80 columns
            self._console = Console(file=self.stdout, force_terminal=self.stdout_isatty or None,
                                    width=None if self.stdout_isatty else 200,
                                    color_system="auto" if self.color else None,
                                    highlight=False, emoji=False,
                                    soft_wrap=False)
        return self._console

    def err_console(self) -> Console:
        if self._err_console is None:
            from rich.console import Console

            colour = self.stderr_isatty and colour_allowed()
            self._err_console = Console(file=self.stderr, stderr=True, highlight=False, emoji=False,
                                        color_system="auto" if colour else None)
        return self._err_console

    def warn(self, message: str) -> None:
        """One line on stderr (not silenced by --quiet: warnings name inputs that failed)."""
        self.stderr.write(f"targettrack: {safe_text(message)}\n")
        self.stderr.flush()

    def info(self, message: str) -> None:
        """A progress or summary line on stderr, silenced by --quiet."""
        if not self.quiet:
            self.stderr.write(f"{safe_text(message)}\n")
            self.stderr.flush()


_CONTROL = {c: f"\\x{c:02x}" for c in range(32) if c not in (9, 10)}
_CONTROL[127] = "\\x7f"
# bidirectional overrides and isolates can reorder what a terminal shows
_CONTROL.update({c: f"\\u{c:04x}" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))})


def safe_text(text: str) -> str:
    """Text from documents made inert for a terminal: control and bidi characters shown escaped."""
    return text.translate(_CONTROL)
