"""The command line: the main group, its global options, and the one error-to-exit-code boundary."""

from __future__ import annotations

import os
import signal
import sys

import click

from targettrack import __version__
from targettrack.errors import ExitCode, TargettrackError
from targettrack.terminal import Environment

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="targettrack")
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
    ctx.obj = Environment.from_system(quiet=quiet, verbose=verbose, debug=debug)


def _register() -> None:
    from targettrack.commands import registry as registry_commands

    for command in registry_commands.COMMANDS:
        cli.add_command(command)
    # commands of later layers register when their modules exist
    for module_name, names in (("extract", ("extract_command",)),
                               ("analysis", ("progress_command", "compare_command")),
                               ("ingest", ("ingest_command",))):
        try:
            module = __import__(f"targettrack.commands.{module_name}", fromlist=list(names))
        except ModuleNotFoundError as exc:
            if exc.name != f"targettrack.commands.{module_name}":
                raise
            continue
        for name in names:
            if hasattr(module, name):
                cli.add_command(getattr(module, name))


_register()


def main(argv: list[str] | None = None) -> None:
    """Run the CLI: known errors become one line on stderr and an exit code, never a traceback."""
    argv = sys.argv[1:] if argv is None else argv
    debug = "--debug" in argv or bool(os.environ.get("TARGETTRACK_DEBUG"))
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` ends us quietly
    try:
        code = cli.main(args=argv, prog_name="targettrack", standalone_mode=False)
    except TargettrackError as exc:
        if debug:
            raise
        _error(str(exc))
        code = exc.exit_code
    except click.exceptions.Abort:
        _error("interrupted")
        code = ExitCode.INTERRUPTED
    except click.ClickException as exc:
        exc.show()
        code = exc.exit_code
    except KeyboardInterrupt:
        _error("interrupted")
        code = ExitCode.INTERRUPTED
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
    sys.exit(int(code or 0))


def _error(message: str) -> None:
    from targettrack.terminal import safe_text

    sys.stderr.write(f"targettrack: error: {safe_text(message)}\n")


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
