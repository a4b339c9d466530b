"""The command line: the main group, its global options, and the one error-to-exit-code boundary."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator, MutableMapping

import click

from targettrack import __version__
from targettrack.errors import ExitCode, TargettrackError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

# name: (module under targettrack.commands, attribute, the line `targettrack --help` shows).
# A command's module is imported only when that command runs, so start-up stays fast
# (a test checks these lines against the commands' own help).
COMMANDS = {
    "extract": ("extract", "extract_command",
                "Find quantitative targets and outcomes in texts (files, directories, or - for stdin)."),
    "list": ("registry", "list_command", "List the registry's targets and outcomes, sorted by region, metric and year."),
    "show": ("registry", "show_command", "Show one entry with everything known about it, sources included."),
    "validate": ("registry", "validate_command",
                 "Check a registry: every schema and unit problem as FILE:LINE: message."),
    "units": ("registry", "units_command",
              "Parse a quantity as people write it and show it normalized and converted."),
    "metrics": ("registry", "metrics_command", "List the metric vocabulary (edit the data file to add one)."),
    "progress": ("analysis", "progress_command",
                 "Show how far each target has come: progress against the straight line from baseline to deadline."),
    "compare": ("analysis", "compare_command",
                "Compare regions side by side: metrics as rows, regions as columns."),
    "ingest": ("ingest", "ingest_command", "Extract targets and outcomes from texts and add them to the registry."),
}


class LazyCommands(MutableMapping):
    """The group's commands, each imported on first use; iterating names imports nothing."""

    def __init__(self, table: dict[str, tuple[str, str, str]]):
        self.table = table
        self.loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self.loaded:
            if name not in self.table:
                raise KeyError(name)
            from importlib import import_module

            module, attribute, _ = self.table[name]
            self.loaded[name] = getattr(import_module(f"targettrack.commands.{module}"), attribute)
        return self.loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self.loaded[name] = command

    def __delitem__(self, name: str) -> None:
        self.loaded.pop(name, None)
        self.table = {key: value for key, value in self.table.items() if key != name}

    def __iter__(self) -> Iterator[str]:
        yield from self.table
        yield from (name for name in self.loaded if name not in self.table)

    def __len__(self) -> int:
        return len(set(self.table) | set(self.loaded))

    def summary(self, name: str) -> str:
        if name in self.table:
            return self.table[name][2]
        return self.loaded[name].get_short_help_str()


class Interrupted(Exception):
    """Ctrl-C during a command, carried past click (which would print a blank line of its own)."""


class LazyGroup(click.Group):
    """A group whose --help lists commands from the table above instead of importing them."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise Interrupted() from None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from click.utils import make_default_short_help

        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = [(name, make_default_short_help(self.commands.summary(name), limit)) for name in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    # click's version_option takes its message at import; whether extraction is compiled is looked up
    # only when asked.
    if not value or ctx.resilient_parsing:
        return
    from targettrack import compiled

    click.echo(f"targettrack, version {__version__} (extraction {'compiled' if compiled() else 'in plain Python'})")
    ctx.exit()


@click.group(cls=LazyGroup, context_settings=CONTEXT)
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the version and exit.")
@click.option("-q", "--quiet", is_flag=True, help="No progress or summary lines on stderr.")
@click.option("-v", "--verbose", count=True, help="More detail on stderr (repeatable).")
@click.option("--debug", is_flag=True, help="Show a traceback on errors.")
@click.pass_context
def cli(ctx: click.Context, quiet: bool, verbose: int, debug: bool) -> None:
    """Find, normalize and track quantitative policy targets and outcomes.

    \b
    Examples:
      targettrack list --region "Inner Mongolia"
      targettrack extract news/ --format jsonl > records.jsonl
      targettrack progress --as-of 2025
      targettrack compare --region Ordos --region Hebei
    """
    from targettrack.terminal import Environment

    ctx.obj = Environment.from_system(quiet=quiet, verbose=verbose, debug=debug)


cli.commands = LazyCommands(COMMANDS)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI: known errors become one line on stderr and an exit code, never a traceback."""
    argv = sys.argv[1:] if argv is None else argv
    # `| head` ends us quietly; the handler is put back on the way out, so a program that calls
    # main() in-process (a test runner) is not itself killed by a later broken pipe
    previous = signal.signal(signal.SIGPIPE, signal.SIG_DFL) if hasattr(signal, "SIGPIPE") else None
    try:
        code = _run(argv)
    finally:
        if previous is not None:
            signal.signal(signal.SIGPIPE, previous)
    sys.exit(int(code or 0))


def _run(argv: list[str]) -> int:
    debug = "--debug" in argv or bool(os.environ.get("TARGETTRACK_DEBUG"))
    try:
        code = cli.main(args=argv, prog_name="targettrack", standalone_mode=False)
    except TargettrackError as exc:
        if debug:
            raise
        _error(str(exc))
        code = exc.exit_code
    except (Interrupted, KeyboardInterrupt, click.exceptions.Abort):
        if sys.stderr.isatty():
            sys.stderr.write("\n")  # after the ^C the terminal echoed
        _error("interrupted")
        code = ExitCode.INTERRUPTED
    except click.ClickException as exc:
        exc.show()
        code = exc.exit_code
    except BrokenPipeError:
        _silence_stdout()
        code = ExitCode.OK
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        if debug:
            raise
        _error(f"unexpected error: {type(exc).__name__}: {exc} (run with --debug for a traceback)")
        code = ExitCode.FINDINGS
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    return code


def _error(message: str) -> None:
    from targettrack.terminal import safe_text

    sys.stderr.write(f"targettrack: error: {safe_text(message)}\n")


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
