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

    def progress(self, documents: int, total_bytes: int) -> Progress:
        """A progress display for a run over `documents` files totalling `total_bytes`.

        The bar is drawn on stderr only when stderr is a terminal and stdout is not (records
        printed on the same terminal would tear it), never with --quiet; -v adds a line per file.
        """
        bar = self.stderr_isatty and not self.stdout_isatty and not self.quiet
        return Progress(self, documents, total_bytes, bar=bar, per_file=self.verbose > 0 and not self.quiet)


_CONTROL = {c: f"\\x{c:02x}" for c in range(32) if c not in (9, 10)}
_CONTROL[127] = "\\x7f"
# bidirectional overrides and isolates can reorder what a terminal shows
_CONTROL.update({c: f"\\u{c:04x}" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))})


def safe_text(text: str) -> str:
    """Text from documents made inert for a terminal: control and bidi characters shown escaped."""
    return text.translate(_CONTROL)


class Progress:
    """Documents done of a total, MB/s, records found and time left; a context manager around a run."""

    # A run that ends within this time shows no bar at all: it would only flicker.
    DELAY = 0.5

    def __init__(self, env: Environment, documents: int, total_bytes: int, *, bar: bool, per_file: bool):
        self.env = env
        self.documents = documents
        self.total_bytes = max(total_bytes, 1)
        self.bar = bar
        self.per_file = per_file
        self.done = 0
        self.records = 0
        self.bytes = 0
        self._display = None
        self._task = None
        self._started = 0.0

    def __enter__(self) -> Progress:
        import time

        self._started = time.monotonic()
        return self

    def __exit__(self, *exc_info) -> None:
        if self._display is not None:
            self._display.stop()
            self._display = None

    def advance(self, path: str, size: int, records: int, failed: bool = False) -> None:
        """One document finished (or failed, already warned about)."""
        self.done += 1
        self.records += records
        self.bytes += size
        if self.per_file:
            line = f"{path}: {'skipped' if failed else f'{records} records'}"
            if self._display is not None:
                from rich.text import Text

                self._display.console.print(Text(safe_text(line)))
            else:
                self.env.info(line)
        if self.bar:
            self._update()

    def _update(self) -> None:
        if self._display is None:
            import time

            if time.monotonic() - self._started < self.DELAY or self.done >= self.documents:
                return
            self._start_display()
        self._display.update(self._task, completed=self.bytes, done=self.done, records=self.records)

    def _start_display(self) -> None:
        from rich.progress import (BarColumn, Progress as RichProgress, TextColumn, TimeRemainingColumn,
                                   TransferSpeedColumn)

        self._display = RichProgress(
            BarColumn(), TextColumn("{task.fields[done]:,}/{task.fields[documents]:,} documents"),
            TransferSpeedColumn(), TextColumn("{task.fields[records]:,} records"), TimeRemainingColumn(),
            console=self.env.err_console(), transient=False, auto_refresh=True, refresh_per_second=4)
        self._task = self._display.add_task("extract", total=self.total_bytes, completed=self.bytes,
                                            done=self.done, documents=self.documents, records=self.records)
        self._display.start()
