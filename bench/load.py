"""Load under rebuilds (a script, not a test): ``python bench/load.py [--duration 60] [--sessions 20]``.

N browser sessions at once (one headless Chromium, N contexts, Playwright's async
API) go through every page and switch years for a fixed time, while a background
thread rebuilds the database underneath every few seconds with the ETL's own
command, ``python -m etl build --reports R --db D`` in a subprocess, alternating
between a one-year folder (the seed, 2019) and a two-year folder (+ the derived
2020 report of tests/fixtures.py). Each rebuild swaps in a new file (os.replace);
the app must notice (its version token) and never show a visitor an error.

Each visitor arrives within the first few seconds and repeats, at random (seeded),
with a pause between views (``--think``, 1 s on average): open a page by URL (a new
Streamlit session, ``/page?year=Y``), click another page in the sidebar (same
session), or choose the other year in the sidebar's 年度 selector (when two years are
loaded at that moment). A page view is timed from the action to the end of the
script run it started (the server's ``script_finished`` message on the page's
websocket) with the app idle (connected, not running, no skeleton).

Printed: page views, p50/p95/max page time and the server's part of it (from the
action, or a new page's websocket opening, to the run's end), errors shown to
visitors (exception boxes, st.error boxes, Streamlit's 'Page not found': must be 0),
views that timed out (must be 0), JavaScript dialogs and uncaught errors, rebuilds
done, the server's memory (RSS of its process tree from /proc) at the start, peak, at
the end with the sessions open and after they closed, CPU seconds of the server, the
browser and the rebuilds, and tracebacks in the server's log. Exit status 1 if
anything failed.

Only 127.0.0.1 is used; every wait has a timeout and every loop a deadline; it
stops by itself and stops the server it started (its own process group).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402
from bench.visitors import START_GRACE, Tally, visitors, warm_up  # noqa: E402
from tests.e2e.conftest import APP  # noqa: E402

PYTHON = ROOT / ".venv" / "bin" / "python"

# --------------------------------------------------------------------------- small tools


def mib(kib: int) -> str:
    return f"{kib / 1024:.0f} MiB"


def prepare(tmp: Path) -> tuple[Path, Path, Path]:
    """The one-year and two-year report folders, and the database built from the two-year one."""
    from etl.pipeline import build
    from tests import fixtures

    one, two = tmp / "reports-1-year", common.write_two_year_reports(tmp / "reports-2-years")
    fixtures.write(one, fixtures.SEED_NAME, fixtures.seed_bytes())
    db = tmp / "db" / "dashboard.duckdb"
    db.parent.mkdir()
    build(two, db)
    return one, two, db


# --------------------------------------------------------------------------- rebuilds and memory


@dataclass
class Rebuilds:
    done: int = 0
    failed: list[str] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    cpu: float = 0.0  # user + system seconds of the rebuild processes


def rebuild_loop(
    folders: tuple[Path, Path], db: Path, every: float, stop: threading.Event, out: Rebuilds
) -> None:
    """``python -m etl build`` every ``every`` seconds, alternating folders, until ``stop``."""
    python = str(PYTHON if PYTHON.exists() else sys.executable)
    k = 0
    while not stop.wait(every):
        folder = folders[k % 2]
        k += 1
        start = time.perf_counter()
        before = os.times()
        try:
            done = subprocess.run(
                [python, "-m", "etl", "build", "--reports", str(folder), "--db", str(db)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
        except subprocess.TimeoutExpired:
            out.failed.append(f"{folder.name}: timed out after 120 s")
            continue
        out.seconds.append(time.perf_counter() - start)
        after = os.times()
        out.cpu += (after.children_user - before.children_user) + (
            after.children_system - before.children_system
        )
        if done.returncode == 0:
            out.done += 1
        else:
            out.failed.append(f"{folder.name}: exit {done.returncode}: {done.stderr.strip()[-300:]}")


def memory_loop(pid: int, stop: threading.Event, peak: list[int]) -> None:
    while not stop.wait(1.0):
        peak[0] = max(peak[0], common.tree_rss_kib(pid))


# --------------------------------------------------------------------------- main


def main() -> int:
    parser = common.arg_parser(__doc__)
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (60)")
    parser.add_argument("--sessions", type=int, default=20, help="browser sessions at once (20)")
    parser.add_argument("--rebuild-every", type=float, default=5, help="seconds between rebuilds (5)")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between a visitor's views (1 s)")
    parser.add_argument("--timeout", type=float, default=90, help="seconds a page view may take (90)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the visitors (1)")
    args = parser.parse_args()
    common.require_chromium(parser)
    if not APP.exists():
        parser.error(f"{APP} is missing")

    print(f"Load under rebuilds — {common.machine_line()} before the start")
    with tempfile.TemporaryDirectory(prefix="load-bench-") as tmp_name:
        tmp = Path(tmp_name)
        one, two, db = prepare(tmp)
        logs = tmp / "logs"
        logs.mkdir()
        env = {"DASHBOARD_REPORTS": str(two), "DASHBOARD_ADMIN_PASSWORD": ""}
        rebuilds, tally, peak = Rebuilds(), Tally(), [0]
        stop = threading.Event()
        with common.streamlit_server(APP, db, env, logs) as server:
            pid = server.proc.pid
            threads = [
                threading.Thread(
                    target=rebuild_loop, args=((one, two), db, args.rebuild_every, stop, rebuilds)
                ),
                threading.Thread(target=memory_loop, args=(pid, stop, peak)),
            ]
            try:
                asyncio.run(warm_up(server.url, args.timeout * 1000))
                rss_start = peak[0] = common.tree_rss_kib(pid)
                for t in threads:
                    t.start()
                started = time.perf_counter()
                during = asyncio.run(visitors(server.url, pid, args, tally))
                wall = time.perf_counter() - started
                load = os.getloadavg()[0]
                stop.set()
                for t in threads:
                    t.join(timeout=130)  # a rebuild in progress ends within its own timeout
                time.sleep(2.0)
                rss_after = common.tree_rss_kib(pid)
                tracebacks = server.log.read_text(errors="replace").count("Traceback")
            finally:
                stop.set()  # the loops end before the server does

    times = [t for ts in tally.times.values() for t in ts]
    shown = sum(n for kind, n in tally.problems.items() if kind != "timeout")
    timeouts = tally.problems["timeout"]
    print(
        f"\n{args.sessions} sessions (one Chromium, {args.sessions} contexts) for {args.duration:.0f} s "
        f"({wall:.0f} s with the last views), think time {args.think:g} s on average, "
        f"a rebuild every {args.rebuild_every:g} s (1 year ⇄ 2 years)"
    )
    kinds = ", ".join(f"{len(v)} {k}" for k, v in tally.times.items())
    print(f"  page views                  {len(times)} ({kinds}: by URL, sidebar link, year selector)")
    if times:
        print(
            f"  page time p50 / p95 / max   {common.percentile(times, 50):.2f} s / {common.percentile(times, 95):.2f} s / "
            f"{max(times):.2f} s  (action to the end of its script run, app idle)"
        )
        answered = tally.answered
        print(
            f"    server's part             p50 {common.percentile(answered, 50):5.2f} s, "
            f"p95 {common.percentile(answered, 95):5.2f} s  (action, or a new page's websocket, to the run's end)"
        )
        for k, ts in tally.times.items():
            if ts:
                print(
                    f"    {k:<8}                  p50 {common.percentile(ts, 50):5.2f} s, p95 {common.percentile(ts, 95):5.2f} s"
                )
    print(
        f"  errors shown to visitors    {shown}  (exceptions {tally.problems['exceptions']}, st.error "
        f"{tally.problems['errors']}, Page not found {tally.problems['not_found']}, no year selector "
        f"{tally.problems['no_selector']})"
    )
    print(f"  views timed out             {timeouts}  (no end of a script run within {args.timeout:g} s)")
    for sample in tally.samples:
        print(f"    - {sample}")
    print(f"  JavaScript dialogs / errors {len(tally.dialogs)} / {len(tally.js_errors)}")
    for text in (tally.dialogs + tally.js_errors)[:5]:
        print(f"    - {text}")
    print(f"  failed requests             {len(tally.failed_requests)}")
    for text in tally.failed_requests[:5]:
        print(f"    - {text}")
    print(f"  year switches skipped       {tally.skipped_year_switches} (one year loaded at that moment)")
    print(
        f"  clicks without effect       {tally.clicks_without_effect} (no run started in {START_GRACE:g} s "
        "and the page unchanged: the click did not land)"
    )
    median = f"{statistics.median(rebuilds.seconds):.1f} s each" if rebuilds.seconds else "none"
    print(f"  rebuilds                    {rebuilds.done} done, {len(rebuilds.failed)} failed ({median})")
    for failure in rebuilds.failed[:5]:
        print(f"    - {failure}")
    print(
        f"  server memory (RSS, tree)   start {mib(rss_start)}, peak {mib(peak[0])}, "
        f"end {mib(during['rss_end'])} (sessions open), {mib(rss_after)} (2 s after they closed)"
    )
    print(
        f"  CPU seconds                 server {during['cpu_server']:.0f}, Chromium + Playwright "
        f"{during['cpu_browser']:.0f}, rebuilds {rebuilds.cpu:.0f} (of {wall * (os.cpu_count() or 1):.0f} "
        f"available; load average {load:.1f} at the end)"
    )
    if times:
        print(
            f"  server CPU per page view    {during['cpu_server'] / len(times) * 1000:.0f} ms "
            f"({len(times) / wall * 60:.0f} views a minute in all)"
        )
    print(f"  server log                  {tracebacks} traceback(s)")
    ok = bool(times) and shown == 0 and timeouts == 0 and not tally.dialogs
    ok = ok and rebuilds.done > 0 and not rebuilds.failed and tracebacks == 0
    print("  result                      " + ("OK" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
