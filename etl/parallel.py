"""Read, parse and check report files in a pool of processes, for ``build`` of a large folder.

Parsing is pure CPU work per file, so two worker processes (the machine has two cores)
parse about twice as fast; loading stays in the parent, in one transaction. The result is
the serial one exactly: the same reports, each parsed by the same ``load`` function, in the
order of ``files``, and the same problems in that order.

The functions are passed in (``pipeline.load_report`` and ``pipeline.read_meta``), so this
module does not import the pipeline that uses it. They are sent to the workers by name, so
they must be module-level functions.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .model import Problem, Report, ReportError

WORKERS = 2
SERIAL_BELOW = 32  # fewer files than this are parsed in this process (a pool costs ~0.1–0.5 s)
CHUNK = 32  # at most this many files per task sent to a worker (fewer when there are few files)

Load = Callable[..., Report]
Meta = Callable[[Path], tuple[str | None, int | None]]
Outcome = Report | tuple[Problem, ...]


def parse_one(path: Path, load: Load, meta: Meta) -> Outcome:
    """One file's report, or the problems that refuse it (``ReportError``'s)."""
    try:
        return load(path, *meta(path))
    except ReportError as exc:
        return tuple(exc.problems)


def _parse_chunk(paths: Sequence[Path], load: Load, meta: Meta) -> list[Outcome]:
    return [parse_one(p, load, meta) for p in paths]


def _worker_start() -> None:
    # Parsed reports are trees of small objects without cycles (see pipeline.without_cyclic_gc).
    gc.disable()


def _context() -> multiprocessing.context.BaseContext:
    """``fork`` (fast) from a single-threaded process such as ``etl build``; ``forkserver``
    where other threads run (the dashboard's server builds a missing database), since
    forking a threaded process can copy a held lock."""
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")


def parse_files(
    files: Sequence[Path], load: Load, meta: Meta, workers: int = WORKERS
) -> tuple[list[Report], list[Problem]]:
    """Every file parsed (in ``workers`` processes when there are many): the reports and the
    problems, both in the order of ``files``, as a serial loop would give them."""
    files = list(files)
    enabled = gc.isenabled()
    gc.disable()  # here too: the reports received pile up (as in pipeline.without_cyclic_gc)
    try:
        if workers <= 1 or len(files) < SERIAL_BELOW:
            outcomes = _parse_chunk(files, load, meta)
        else:
            size = max(1, min(CHUNK, len(files) // (workers * 4)))  # every worker gets several tasks
            chunks = [files[i : i + size] for i in range(0, len(files), size)]
            with ProcessPoolExecutor(
                max_workers=workers, mp_context=_context(), initializer=_worker_start
            ) as pool:
                parts = pool.map(_parse_chunk, chunks, [load] * len(chunks), [meta] * len(chunks))
                outcomes = [o for part in parts for o in part]
    finally:
        if enabled:
            gc.enable()
    reports = [o for o in outcomes if isinstance(o, Report)]
    problems = [p for o in outcomes if not isinstance(o, Report) for p in o]
    return reports, problems
