"""Work over many files in a pool of processes, for ``build`` of a large folder, with the
results handed back in the order of the files, as they come (the parent loads them meanwhile).

Parsing is pure CPU work per file, so two worker processes (the machine has two cores)
parse about twice as fast. The result is the serial one exactly: the same function over the
same chunks of files, in the same order.

No worker outlives its parent: a worker asks the kernel to kill it when its parent dies
(``PR_SET_PDEATHSIG``, Linux) and a watchdog thread ends it when its parent changes
(elsewhere, or should the signal be missed), so a build killed with SIGKILL leaves nothing
running; and a forked worker never holds the writer lock (``etl.locking`` closes it in every
forked child).

The functions are passed in (``pipeline.load_report`` and ``pipeline.read_meta``, or a chunk
function), so this module does not import the pipeline that uses it. They are sent to the
workers by name, so they must be module-level functions (or partials of them).
"""

from __future__ import annotations

import collections
import ctypes
import ctypes.util
import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import TypeVar

from .model import Problem, Report, ReportError

WORKERS = 2
SERIAL_BELOW = 32  # fewer files than this are parsed in this process (a pool costs ~0.1–0.5 s)
CHUNK = 32  # at most this many files per task sent to a worker (fewer when there are few files)
AHEAD = 4  # chunks in flight per worker: the workers never wait, the parent holds few results
WATCHDOG_SECONDS = 0.5  # how often a worker looks whether its parent is still there

Load = Callable[..., Report]
Meta = Callable[[Path], tuple[str | None, int | None]]
Outcome = Report | tuple[Problem, ...]
T = TypeVar("T")

_PR_SET_PDEATHSIG = 1


def parse_one(path: Path, load: Load, meta: Meta) -> Outcome:
    """One file's report, or the problems that refuse it (``ReportError``'s)."""
    try:
        return load(path, *meta(path))
    except ReportError as exc:
        return tuple(exc.problems)


def _parse_chunk(paths: Sequence[Path], load: Load, meta: Meta) -> list[Outcome]:
    return [parse_one(p, load, meta) for p in paths]


def _die_with_parent() -> None:
    """Ask the kernel for SIGKILL when the parent dies (Linux); elsewhere the watchdog does it."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(WATCHDOG_SECONDS)
        if os.getppid() != parent:
            os._exit(1)  # the parent is gone: nobody will take this worker's results


def _worker_start() -> None:
    parent = os.getppid()
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="watch-parent").start()
    # Parsed reports are trees of small objects without cycles (see pipeline.without_cyclic_gc).
    gc.disable()


def _context() -> multiprocessing.context.BaseContext:
    """``fork`` (fast) from a single-threaded process such as ``etl build``; ``forkserver``
    where other threads run (the dashboard's server builds a missing database), since
    forking a threaded process can copy a held lock."""
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")


def chunks_of(files: Sequence[Path], workers: int) -> list[list[Path]]:
    """The files cut into tasks: every worker gets several, none more than CHUNK files."""
    size = max(1, min(CHUNK, len(files) // (max(workers, 1) * 4)))
    return [list(files[i : i + size]) for i in range(0, len(files), size)]


def in_pool(count: int, workers: int) -> bool:
    return workers > 1 and count >= SERIAL_BELOW


def ordered_map(work: Callable[[list[Path]], T], chunks: Sequence[list[Path]], workers: int) -> Iterator[T]:
    """``work`` over each chunk, in ``workers`` processes (in this one for one worker), the results
    yielded in the order of ``chunks`` as soon as each is ready; at most AHEAD chunks per worker
    are in flight, so results wait in the parent only as long as it is busy with earlier ones."""
    if workers <= 1:
        for chunk in chunks:
            yield work(chunk)
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=_worker_start) as pool:
        pending: collections.deque[Future[T]] = collections.deque()
        todo = iter(chunks)
        try:
            for chunk in todo:
                pending.append(pool.submit(work, chunk))
                if len(pending) >= workers * AHEAD:
                    break
            while pending:
                result = pending.popleft().result()
                chunk = next(todo, None)
                if chunk is not None:
                    pending.append(pool.submit(work, chunk))
                yield result
        finally:
            for future in pending:
                future.cancel()


def parse_files(
    files: Sequence[Path], load: Load, meta: Meta, workers: int = WORKERS
) -> tuple[list[Report], list[Problem]]:
    """Every file parsed (in ``workers`` processes when there are many): the reports and the
    problems, both in the order of ``files``, as a serial loop would give them."""
    files = list(files)
    enabled = gc.isenabled()
    gc.disable()  # here too: the reports received pile up (as in pipeline.without_cyclic_gc)
    try:
        pool = workers if in_pool(len(files), workers) else 1
        work = _ChunkParser(load, meta)
        outcomes = [o for part in ordered_map(work, chunks_of(files, pool), pool) for o in part]
    finally:
        if enabled:
            gc.enable()
    reports = [o for o in outcomes if isinstance(o, Report)]
    problems = [p for o in outcomes if not isinstance(o, Report) for p in o]
    return reports, problems


class _ChunkParser:
    """``_parse_chunk`` with its functions bound (picklable: they travel by name)."""

    def __init__(self, load: Load, meta: Meta):
        self.load, self.meta = load, meta

    def __call__(self, paths: list[Path]) -> list[Outcome]:
        return _parse_chunk(paths, self.load, self.meta)
