"""What the benchmark scripts share: headless Chromium, Streamlit servers, the test
data they build, /proc measurements, timing and percentiles.

The scripts run as ``python bench/<name>.py`` and put the repository root on
``sys.path`` before they import this module as ``bench.common`` (so
``python -m bench.<name>`` works too). The browser and the server are the
end-to-end tests' own (tests/e2e/conftest.py), so a benchmark measures what the
tests check.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from pathlib import Path

from tests.e2e.conftest import BROWSER_ARGS, CHROMIUM, StreamlitServer

ROOT = Path(__file__).resolve().parent.parent
VIEWPORT = {"width": 1280, "height": 900}
TWO_YEAR_NAME = "sichuan-center-2020.txt"  # the derived 2020 report beside the seed


# --------------------------------------------------------------------------- set-up


def arg_parser(doc: str) -> argparse.ArgumentParser:
    """A parser described by the script's docstring's first line, which holds its usage."""
    return argparse.ArgumentParser(description=doc.split("\n")[0])


def require_chromium(parser: argparse.ArgumentParser) -> None:
    """Refuse to start, with the fix, rather than fail later inside Playwright."""
    if not CHROMIUM.exists():
        parser.error(f"{CHROMIUM} is missing (apt-get install chromium fonts-noto-cjk)")


def machine_line() -> str:
    """The versions and the machine's state, printed first so figures can be compared."""
    import streamlit

    return (
        f"Python {sys.version.split()[0]}, Streamlit {streamlit.__version__}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}"
    )


def write_two_year_reports(folder: Path) -> Path:
    """The seed (2019) and the derived 2020 report in ``folder``: two years to switch between."""
    from tests import fixtures

    fixtures.write(folder, fixtures.SEED_NAME, fixtures.seed_bytes())
    fixtures.write(folder, TWO_YEAR_NAME, fixtures.report_2020())
    return folder


def build(reports: Path, db: Path, workers: int | None = None) -> tuple[int, int]:
    """``etl build`` of a folder, keeping going past refused files where the build can
    (``strict=False``), in ``workers`` processes when given; (reports loaded, files refused).
    Works with either build: the one returning the reports, or the one returning ``Built``."""
    import inspect

    from etl import pipeline

    accepted = inspect.signature(pipeline.build).parameters
    kwargs = {"strict": False} if "strict" in accepted else {}
    if workers is not None:
        if "workers" not in accepted:
            raise SystemExit("etl/pipeline.py's build takes no workers: update bench/common.py")
        kwargs["workers"] = workers
    result = pipeline.build(reports, db, **kwargs)
    if isinstance(result, list):
        return len(result), 0
    return len(result.reports), len({problem.file for problem in result.refusals})


def one_report_database(folder: Path) -> Path:
    """The seed alone in ``folder``/one, built into ``folder``/one.duckdb: the baseline."""
    from tests import fixtures

    fixtures.write(folder / "one", fixtures.SEED_NAME, fixtures.seed_bytes())
    db = folder / "one.duckdb"
    build(folder / "one", db)
    return db


def write_tree(folder: Path, years: int = 5) -> list[Path]:
    """bench/tree.py's generated units tree (江苏省, its 13 cities, 95 districts and their
    departments, towns and zones: 2,028 units × ``years`` years; 10,140 reports for 5)."""
    from bench import tree

    return tree.write_tree(folder, years)


# --------------------------------------------------------------------------- browser and server


@contextlib.contextmanager
def sync_chromium() -> Iterator[object]:
    """The system's headless Chromium (Playwright's sync API), closed on the way out."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=BROWSER_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.asynccontextmanager
async def async_chromium() -> AsyncIterator[object]:
    """The system's headless Chromium (Playwright's async API), for many contexts at once."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=BROWSER_ARGS)
        try:
            yield browser
        finally:
            await browser.close()


@contextlib.contextmanager
def streamlit_server(
    script: Path, db: Path | None, env: Mapping[str, str], log_dir: Path
) -> Iterator[StreamlitServer]:
    """A server answering its health check; stopped (its whole process group) on the way out."""
    server = StreamlitServer(script, db, env, log_dir)
    try:
        server.wait_healthy()
        yield server
    finally:
        server.stop()


# --------------------------------------------------------------------------- /proc


def _process_tree(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry))
    tree, todo = [], [pid]
    while todo:
        p = todo.pop()
        tree.append(p)
        todo.extend(children.get(p, []))
    return tree


def tree_rss_kib(pid: int) -> int:
    """Resident memory (KiB) of a process and all its descendants, from /proc."""
    total = 0
    for p in _process_tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def tree_cpu_seconds(pid: int, exclude: int | None = None) -> float:
    """CPU time (user + system) of a process and its living descendants, from /proc;
    ``exclude`` leaves out that subtree (the server, when measuring this script's Chromium)."""
    skip = set(_process_tree(exclude)) if exclude else set()
    ticks = 0
    for p in _process_tree(pid):
        if p in skip:
            continue
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


# --------------------------------------------------------------------------- timing


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call of ``fn`` takes (wall clock: what a visitor waits)."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def timed_runs(fn: Callable[[], object], repeat: int) -> list[float]:
    """Seconds of each of ``repeat`` calls, for a median that one slow run does not move."""
    return [timed(fn) for _ in range(repeat)]


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0–100): always one of the measured values."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]
