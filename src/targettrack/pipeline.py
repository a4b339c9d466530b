"""Documents to records: read and extract each document, in-process or in worker processes, in input order."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from targettrack.errors import InputError

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from targettrack.models import Record
    from targettrack.sources import Document, ErrorHandler

STDIN = "-"


@dataclass(frozen=True)
class Options:
    """What every worker needs to know: the same for every document of a run."""

    published: str | None = None  # overrides the date found in each document
    all_quantities: bool = False
    timeout: float | None = None  # seconds allowed to read and extract one document
    # What to make of each document's records where they are found (filter, render): its result is
    # Extracted.output and the records are not sent on. Module-level or plain data, for spawned workers.
    convert: Callable[[list[Record]], Any] | None = None


@dataclass
class Extracted:
    """One document's outcome: its records, or the error that stopped it."""

    path: str
    records: list[Record] = field(default_factory=list)  # empty when Options.convert made `output`
    size: int = 0  # bytes read (for throughput)
    error: InputError | None = None
    found: int = 0  # records found, before any conversion
    output: Any = None  # Options.convert of the records


def default_jobs() -> int:
    """The cores this process may run on (the affinity mask, not the machine's count, under taskset or a container)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def expand_paths(paths: Sequence[str], on_error: ErrorHandler | None = None) -> list[str]:
    """Files named or found under directories, in order; the list is small even for a large corpus."""
    from targettrack.sources import iter_paths

    return list(iter_paths(paths, on_error))


def extract_paths(paths: Sequence[str], *, options: Options = Options(), jobs: int = 1,
                  stdin=None) -> Iterator[Extracted]:
    """One Extracted per path (files, or `-` for stdin), in the order given, as soon as it and all before it are done.

    With `jobs` > 1, documents are read and extracted in worker processes; only paths go
    out and records come back, so the parent never holds a document's text. Close the
    iterator (or let it finish) to stop the workers.
    """
    items = [_read_stdin(stdin) if path == STDIN else path for path in paths]
    if jobs <= 1 or len(items) <= 1:
        for item in items:
            yield _extract_one(item, options)
        return
    yield from _extract_parallel(items, options, jobs)


# ---------------------------------------------------------------------------
# One document


def _read_stdin(stream) -> Document | Extracted:
    # Workers cannot read the parent's standard input; its one document is read here and sent along.
    from targettrack.sources import read_stdin

    try:
        return read_stdin(stream)
    except InputError as error:
        return Extracted(path="<stdin>", error=error)


class DocumentTimeout(BaseException):
    """A document ran past its time limit (a BaseException, so no `except Exception` on the way swallows it)."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise DocumentTimeout in the block after `seconds` (main thread on Unix; elsewhere no limit)."""
    import signal
    import threading

    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum, frame):
        raise DocumentTimeout()

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _extract_one(item: str | Document | Extracted, options: Options) -> Extracted:
    if isinstance(item, Extracted):
        return item
    path = item if isinstance(item, str) else item.path
    try:
        with time_limit(options.timeout):
            return _read_and_extract(item, options)
    except DocumentTimeout:
        return Extracted(path=path, error=InputError(
            f"took longer than {options.timeout:g} s to read and extract; skipped", where=path,
            hint="split the document, or allow more time with --timeout"))


def _read_and_extract(item: str | Document, options: Options) -> Extracted:
    from targettrack.extraction import iter_records
    from targettrack.sources import read_document

    if isinstance(item, str):
        path = item
        try:
            size = os.stat(path).st_size
            document = read_document(path)
        except InputError as error:
            return Extracted(path=path, error=error)
        except OSError as error:
            return Extracted(path=path, error=InputError(f"cannot read: {error.strerror or error}", where=path))
    else:
        document, path = item, item.path
        size = len(document.text.encode("utf-8", errors="replace"))
    try:
        records = list(iter_records(document.text, published=options.published or document.published,
                                    path=document.path, all_quantities=options.all_quantities))
        if options.convert is not None:
            return Extracted(path=path, size=size, found=len(records), output=options.convert(records))
    except Exception as error:  # noqa: BLE001 - one document that breaks the engine must not stop the others
        return Extracted(path=path, size=size, error=InputError(
            f"extraction failed: {type(error).__name__}: {_first_line(error)}", where=path,
            hint="the other documents were processed; please report this document"))
    return Extracted(path=path, records=records, size=size, found=len(records))


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0][:200] if lines else ""


# ---------------------------------------------------------------------------
# Worker processes

_OPTIONS = Options()
_WARM_UP_TEXT = "By 2025, Hebei will reach 50 million kilowatts of wind power capacity, up 12% from 2020."


def _warm_up() -> None:
    """Load the engine, its vocabularies and the gazetteer once, not once per document."""
    try:
        from targettrack.extraction import iter_records

        for _ in iter_records(_WARM_UP_TEXT, published="2023-01-01"):
            pass
    except Exception:  # noqa: BLE001 - a broken engine is reported per document, naming each file
        pass


def _init_worker(options: Options, parent: int) -> None:
    import signal
    import threading

    global _OPTIONS
    _OPTIONS = options
    # Ctrl-C reaches the whole process group; the parent alone decides to stop and ends the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    _warm_up()  # a no-op after fork, where the parent has already loaded everything


def _exit_with_parent(parent: int) -> None:
    """End this worker when the parent is gone without stopping it (killed, or by SIGPIPE under `| head`).

    Workers wait on a queue whose other end they hold too, so they would never see it close.
    """
    import time

    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _run_chunk(chunk: Sequence[str | Document | Extracted]) -> list[Extracted]:
    return [_extract_one(item, _OPTIONS) for item in chunk]


def _start_method() -> str:
    """fork where it is safe (Linux): workers inherit the loaded engine, no re-import, instant start.

    The parent has started no threads when the pool first forks (the progress display starts
    later), which is what makes fork safe; a pool forked again after a worker died may
    copy the display's thread state, which workers never use. Elsewhere (macOS, where system libraries are
    not fork-safe) forkserver, else spawn; the initializer then loads the engine once per worker.
    """
    import multiprocessing
    import sys

    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "fork" in methods:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _new_executor(jobs: int, options: Options) -> ProcessPoolExecutor:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = _start_method()
    if method == "fork":
        _warm_up()
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(method),
                               initializer=_init_worker, initargs=(options, os.getpid()))


def _terminate(executor: ProcessPoolExecutor) -> None:
    """Stop the workers now (interrupted, or the output closed): queued work is dropped."""
    executor.shutdown(wait=False, cancel_futures=True)
    terminate = getattr(executor, "terminate_workers", None)  # Python 3.14+
    if terminate is not None:
        terminate()
        return
    # Before 3.14 the executor has no public way to end busy workers; its process table is the only handle.
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        if process.is_alive():
            process.terminate()
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        process.join(timeout=5)


def _chunks(items: Sequence, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield list(items[start:start + size])


def _extract_parallel(items: Sequence, options: Options, jobs: int) -> Iterator[Extracted]:
    from concurrent.futures.process import BrokenProcessPool

    # Small chunks amortise the cost of a round trip; few large documents still spread over every worker.
    size = max(1, min(16, len(items) // (jobs * 32)))
    window = jobs * 4  # chunks in flight: memory stays flat however large the corpus
    chunks = _chunks(items, size)
    pending: deque = deque()
    executor = _new_executor(jobs, options)
    finished = False
    try:
        while True:
            try:
                while len(pending) < window and (chunk := next(chunks, None)) is not None:
                    pending.append([chunk, None])
                    pending[-1][1] = executor.submit(_run_chunk, chunk)
                if not pending:
                    break
                results = pending[0][1].result()
                pending.popleft()
            except BrokenProcessPool:
                # A worker died (killed, out of memory, a crash in C code). Every chunk in flight is
                # lost; each of its documents runs again alone, so only the culprit is reported.
                _terminate(executor)
                lost = [chunk for chunk, _ in pending]
                pending.clear()
                for item in (item for chunk in lost for item in chunk):
                    yield _extract_isolated(item, options)
                executor = _new_executor(jobs, options)
                continue
            yield from results
        finished = True
    finally:
        if finished:
            executor.shutdown(wait=True)
        else:
            _terminate(executor)


def _extract_isolated(item, options: Options) -> Extracted:
    from concurrent.futures.process import BrokenProcessPool

    executor = _new_executor(1, options)
    try:
        return executor.submit(_run_chunk, [item]).result()[0]
    except BrokenProcessPool:
        path = item.path if not isinstance(item, str) else item
        return Extracted(path=path, error=InputError(
            "the worker process reading it died", where=path,
            hint="the other documents were processed; try it alone with --jobs 1 to see why"))
    finally:
        _terminate(executor)

