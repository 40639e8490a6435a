"""Dashboard benchmark (a script, not a test): ``python bench/app.py [--parts rerun,startup,sessions]``.

Every figure is printed as a ratio against a baseline measured in the same run,
interleaved with it, so a busy machine slows both alike:

1. rerun    — switching the year (sidebar selectbox ``f_year``) on each page, with
              AppTest on two-year data (2019 + the derived 2020 report) run as the
              server runs it (compiled scripts kept, no pages/ folder emulation),
              against two pages that draw from memory: the bare page renders the
              same Plotly figures (their JSON taken from the page's own
              ``plotly_chart`` elements) and dataframes; the whole page every element
              of the page (text, metrics, columns, expanders, tables, charts,
              buttons). Target: ≤ 1.5× the whole page (a page without charts has an
              almost empty bare page, so the bare ratio says little there).
2. startup  — from ``streamlit run`` to the first chart visible in Chromium: the
              app's /trading against tests/e2e/hello_app.py (one chart), each run a
              fresh server and a fresh browser context (the browser itself is started
              once, before, and not counted).
3. sessions — N browser sessions at once (one Chromium, N contexts, asyncio) on
              /trading: p50/p95 time to the first chart against a single session's,
              and the server's memory (RSS of the streamlit process and its
              children, from /proc) before and with the N sessions open.

Only 127.0.0.1 is used; every wait has a timeout and every loop a bound; the
servers started here are stopped at the end (their own process groups).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402
from bench.rerun import bench_rerun  # noqa: E402
from tests.e2e.conftest import APP, HELLO_APP  # noqa: E402
from tests.e2e.helpers import DRAWN_CHARTS_JS  # noqa: E402

CHART_TIMEOUT_MS = 60_000
FIRST_CHART = f"n => ({DRAWN_CHARTS_JS})() >= n"


# --------------------------------------------------------------------------- small tools


def build_databases(tmp: Path) -> tuple[Path, Path]:
    """The seed alone (one agency, one year) and the two-year data, built by the ETL into ``tmp``."""
    from etl.pipeline import build
    from tests import fixtures

    one = tmp / "one-year.duckdb"
    fixtures.write(tmp / "one-year-reports", fixtures.SEED_NAME, fixtures.seed_bytes())
    build(tmp / "one-year-reports", one)
    two = tmp / "two-year.duckdb"
    build(common.write_two_year_reports(tmp / "two-year-reports"), two)
    return one, two


# --------------------------------------------------------------------------- 2. startup


def first_chart(browser, url: str) -> float:
    """Seconds from ``goto`` to the first chart drawn and displayed, in a fresh context."""
    context = browser.new_context(viewport=common.VIEWPORT, locale="zh-CN")
    try:
        page = context.new_page()
        start = time.perf_counter()
        page.goto(url, timeout=CHART_TIMEOUT_MS)
        page.wait_for_function(FIRST_CHART, arg=1, timeout=CHART_TIMEOUT_MS)
        return time.perf_counter() - start
    finally:
        context.close()


def bench_startup(one_year_db: Path, runs: int, log_dir: Path) -> None:
    cases = {"app /trading": (APP, one_year_db, "/trading"), "hello_app": (HELLO_APP, None, "/")}
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
    with common.sync_chromium() as browser:
        for _ in range(runs):
            for name, (script, db, path) in cases.items():  # interleaved
                start = time.perf_counter()
                with common.streamlit_server(script, db, {}, log_dir) as server:
                    healthy = time.perf_counter() - start
                    first_chart(browser, server.url + path)
                    results[name].append((healthy, time.perf_counter() - start))
    print(f"\n2. From `streamlit run` to the first chart visible in Chromium, median of {runs} runs")
    print(f"   {'':<14}{'server healthy':>16}{'first chart':>14}{'ratio':>9}")
    hello = statistics.median(t for _, t in results["hello_app"])
    for name, pairs in results.items():
        healthy = statistics.median(h for h, _ in pairs)
        total = statistics.median(t for _, t in pairs)
        print(f"   {name:<14}{healthy:>14.2f} s{total:>12.2f} s{total / hello:>8.2f}×")
    print("   (ratio: against hello_app, a one-chart page; the app's first visit also opens the database)")


# --------------------------------------------------------------------------- 3. sessions


async def _session(browser, url: str) -> tuple[float, object]:
    context = await browser.new_context(viewport=common.VIEWPORT, locale="zh-CN")
    page = await context.new_page()
    start = time.perf_counter()
    await page.goto(url, timeout=CHART_TIMEOUT_MS)
    await page.wait_for_function(FIRST_CHART, arg=1, timeout=CHART_TIMEOUT_MS)
    return time.perf_counter() - start, context


def print_against_single(n: int, single: list[float], concurrent: list[float]) -> None:
    """A single session's median, then p50 and p95 of ``n`` at once as ratios to it: the
    browser's figures and the websocket-only ones are read side by side, so one layout."""
    one = statistics.median(single)
    p50, p95 = common.percentile(concurrent, 50), common.percentile(concurrent, 95)
    print(f"   single session, median of {len(single):>2}   {one:6.2f} s   ratio 1.00×")
    print(f"   {n} at once, p50 of {len(concurrent):>2}          {p50:6.2f} s   ratio {p50 / one:4.2f}×")
    print(f"   {n} at once, p95 of {len(concurrent):>2}          {p95:6.2f} s   ratio {p95 / one:4.2f}×")


async def _sessions(url: str, pid: int, n: int, bursts: int, singles: int) -> None:
    async with common.async_chromium() as browser:
        # warm up: the first visit of a server, the database opened, the caches filled
        _, context = await _session(browser, url)
        await context.close()
        single: list[float] = []
        concurrent: list[float] = []
        rss_before = rss_open = rss_after = 0
        wall: list[float] = []
        cpu = {"server": 0.0, "browser": 0.0}
        for burst in range(bursts):
            for _ in range(singles):
                seconds, context = await _session(browser, url)
                single.append(seconds)
                await context.close()
            await asyncio.sleep(1.0)
            if burst == 0:
                rss_before = common.tree_rss_kib(pid)
            cpu_server, cpu_client = (
                common.tree_cpu_seconds(pid),
                common.tree_cpu_seconds(os.getpid(), exclude=pid),
            )
            start = time.perf_counter()
            done = await asyncio.wait_for(
                asyncio.gather(*(_session(browser, url) for _ in range(n))), timeout=180
            )
            wall.append(time.perf_counter() - start)
            cpu["server"] += common.tree_cpu_seconds(pid) - cpu_server
            cpu["browser"] += common.tree_cpu_seconds(os.getpid(), exclude=pid) - cpu_client
            concurrent.extend(seconds for seconds, _ in done)
            if burst == 0:
                await asyncio.sleep(1.0)
                rss_open = common.tree_rss_kib(pid)
            for _, context in done:
                await context.close()
            if burst == 0:
                await asyncio.sleep(2.0)
                rss_after = common.tree_rss_kib(pid)

    print(f"\n3. {n} browser sessions at once on /trading (one Chromium, {n} contexts), {bursts} bursts")
    print_against_single(n, single, concurrent)
    print(f"   (max {max(concurrent):.2f} s; browser and server share this machine's {os.cpu_count()} CPUs)")
    total = sum(wall)
    print(
        f"   CPU during the bursts ({total:.1f} s wall): server {cpu['server']:.1f} s, "
        f"Chromium + Playwright {cpu['browser']:.1f} s"
    )
    per = (rss_open - rss_before) / n
    print("   server memory (RSS of streamlit and its children)")
    print(f"     before, no session open       {rss_before / 1024:7.1f} MiB")
    print(f"     with {n} sessions open         {rss_open / 1024:7.1f} MiB")
    print(
        f"     per extra session             {per / 1024:7.2f} MiB ({per / rss_before:.1%} of the idle server)"
    )
    print(f"     after they closed (2 s later) {rss_after / 1024:7.1f} MiB")


async def _ws_session(url: str, page_name: str, query: str, charts_expected: bool = True) -> float:
    """One session without a browser: Streamlit's own websocket protocol, the first script
    run of ``page_name`` requested as the frontend does; seconds until the run has finished."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    ws_url = url.replace("http://", "ws://", 1) + "/_stcore/stream"
    start = time.perf_counter()
    async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=30) as ws:
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = page_name
        await ws.send(msg.SerializeToString())
        charts = 0
        for _ in range(10_000):  # bounded: a page is a few hundred messages
            forward = ForwardMsg()
            forward.ParseFromString(await asyncio.wait_for(ws.recv(), CHART_TIMEOUT_MS / 1000))
            kind = forward.WhichOneof("type")
            if kind == "delta" and forward.delta.new_element.WhichOneof("type") == "plotly_chart":
                charts += 1
            if kind == "script_finished":
                break
        if charts_expected and not charts:
            raise RuntimeError(f"no chart in the script run of {page_name!r}")
        return time.perf_counter() - start


async def _ws_sessions(url: str, n: int, bursts: int, singles: int) -> None:
    await _ws_session(url, "", "", charts_expected=False)  # the server's first visit, at "/"
    single: list[float] = []
    concurrent: list[float] = []
    for _ in range(bursts):
        for _ in range(singles):
            single.append(await _ws_session(url, "trading", "year=2019"))
        done = await asyncio.wait_for(
            asyncio.gather(*(_ws_session(url, "trading", "year=2019") for _ in range(n))), timeout=180
        )
        concurrent.extend(done)
    print(f"   the server alone: {n} websocket sessions at once (no browser), to the end of the script run")
    print_against_single(n, single, concurrent)


def bench_sessions(one_year_db: Path, n: int, bursts: int, singles: int, log_dir: Path) -> None:
    with common.streamlit_server(APP, one_year_db, {}, log_dir) as server:
        asyncio.run(_sessions(server.url + "/trading", server.proc.pid, n, bursts, singles))
    try:
        import websockets  # noqa: F401  (Streamlit's server brings it; the check is for old setups)
    except ImportError:
        print("   (the server-alone figures need the websockets package)")
        return
    with common.streamlit_server(APP, one_year_db, {}, log_dir) as server:  # a fresh server for the same load
        asyncio.run(_ws_sessions(server.url, n, bursts, singles))


# --------------------------------------------------------------------------- main


def main() -> int:
    parser = common.arg_parser(__doc__)
    parser.add_argument("--parts", default="rerun,startup,sessions", help="which parts (all three)")
    parser.add_argument("--reruns", type=int, default=20, help="year switches timed per page (20)")
    parser.add_argument("--startup-runs", type=int, default=5, help="server starts per script (5)")
    parser.add_argument("--sessions", type=int, default=10, help="browser sessions at once (10)")
    parser.add_argument("--bursts", type=int, default=3, help="bursts of sessions at once (3)")
    parser.add_argument("--singles", type=int, default=3, help="single sessions before each burst (3)")
    args = parser.parse_args()
    parts = {p.strip() for p in args.parts.split(",") if p.strip()}
    unknown = parts - {"rerun", "startup", "sessions"}
    if unknown:
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    if parts & {"startup", "sessions"}:
        common.require_chromium(parser)

    print(f"Dashboard benchmark — {common.machine_line()}")
    with tempfile.TemporaryDirectory(prefix="app-bench-") as tmp:
        one_year_db, two_year_db = build_databases(Path(tmp))
        log_dir = Path(tmp) / "logs"
        log_dir.mkdir()
        if "rerun" in parts:
            bench_rerun(two_year_db, args.reruns)
        if "startup" in parts:
            bench_startup(one_year_db, args.startup_runs, log_dir)
        if "sessions" in parts:
            bench_sessions(one_year_db, args.sessions, args.bursts, args.singles, log_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
