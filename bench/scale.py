"""Scale benchmark (a script, not a test): ``python bench/scale.py [--agencies 1000 --years 10]``.

10,000 generated reports (1,000 agencies × 10 years, each a varied copy of the seed) are
written to a temporary folder, then:

1. ETL   — the serial parse (read + parse + check, one process) against the parallel one
           (etl/parallel.py, two processes), the load (one transaction), and ``build``'s
           rate end to end (the interpreter's start excluded). Target ≥ 300 reports/s. The
           database of the parallel build is compared with the serial one's, table by table
           (EXCEPT ALL both ways; ``loaded_at`` left out). If etl/pipeline.py does not use
           etl.parallel yet, the build is timed with the proposed one-line change applied in
           memory for this run, and the script says so.
2. Pages — every page opened in Chromium on the 10,000-report database against the same page
           on a one-report database (the seed), side by side in one run, interleaved: time from
           ``goto`` to the script finished and every chart drawn, median of the visits. Two
           kinds of visit on the large database: ``warm`` (the same agency again, as a visitor
           moving between pages) and ``cold`` (another agency each time: nothing of it cached).
           Target ≤ 1.5× for both. The payload (bytes over the websocket) is printed too.

Only 127.0.0.1 is used; every wait has a timeout and every loop a bound; the servers started
here are stopped at the end.
"""

from __future__ import annotations

import inspect
import random
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402
from dashboard.navigation import PAGE_PATHS  # noqa: E402
from etl import parallel, pipeline  # noqa: E402
from etl.load import write_database  # noqa: E402

TARGET_RATE = 300.0
TARGET_RATIO = 1.5
PAGES = PAGE_PATHS
STEMS = "甲乙丙丁戊己庚辛壬癸"  # digits of an agency's number: titles' agency names have no digits
PAGE_TIMEOUT_MS = 120_000
OPENED_JS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.dataset.testConnectionState !== 'CONNECTED' || app.dataset.testScriptState !== 'notRunning') return false;
    if (document.querySelector('[data-testid="stStatusWidgetRunningIcon"], [data-testid="stAppSkeleton"]')) return false;
    const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].filter(c => c.getClientRects().length);
    return charts.every(c => c.querySelector('.main-svg'));
}"""


def agency_name(n: int) -> str:
    return "测试市" + "".join(STEMS[int(d)] for d in str(n)) + "区政务服务和资源交易服务中心"


def scale_report(index: int, rng: random.Random, agencies: int, first_year: int) -> str:
    """``tests.fixtures.varied_report`` under a title whose agency name has no digits."""
    from tests.fixtures import varied_report

    text = varied_report(index, rng, agencies=agencies, first_year=first_year)
    year = first_year + index // agencies
    return f"{year}年{agency_name(index % agencies)}政府信息公开工作年度报告" + text[text.index("\n") :]


def write_reports(folder: Path, agencies: int, years: int) -> list[Path]:
    from tests.fixtures import write

    rng = random.Random(20240101)
    for i in range(agencies * years):
        write(folder, f"r-{i:05d}.txt", scale_report(i, rng, agencies, 2015))
    return pipeline.report_files(folder)


# --------------------------------------------------------------------------- 1. ETL

LOOP = """    reports, problems = [], []
    with without_cyclic_gc():
        for path in files:
            try:
                reports.append(load_report(path, *read_meta(path)))
            except ReportError as exc:
                problems.extend(exc.problems)
"""
CHANGE = "    reports, problems = parse_files(files, load_report, read_meta)\n"


def with_parallel_parse() -> str:
    """Make sure ``pipeline.build`` parses in parallel: it does, or the proposed change is applied
    in memory for this run (the same statement, in the module's namespace). Says which."""
    source = inspect.getsource(pipeline.parse_folder)
    if "parse_files" in source:
        return "etl/pipeline.py uses etl.parallel"
    if LOOP not in source:
        raise SystemExit("etl/pipeline.py's parse_folder changed: update bench/scale.py's LOOP")
    namespace = vars(pipeline)
    namespace["parse_files"] = parallel.parse_files
    exec(compile(source.replace(LOOP, CHANGE), pipeline.__file__, "exec"), namespace)
    return "etl/pipeline.py does not use etl.parallel yet: the proposed change applied in memory"


def timed_build(folder: Path, db: Path) -> float:
    """``etl build`` in a fresh process, as the command runs it; seconds from the call to its
    return (the interpreter's start and the imports excluded)."""
    import subprocess

    out = subprocess.run(
        [sys.executable, __file__, "--build-only", str(folder), str(db)],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=1800,
    )  # fmt: skip
    note, seconds = out.stdout.strip().splitlines()[-2:]
    print(f"   {note} (build run in a fresh process)")
    return float(seconds)


def build_only(folder: Path, db: Path) -> None:
    print(with_parallel_parse())
    start = time.perf_counter()
    pipeline.build(folder, db)
    print(time.perf_counter() - start)


def same_content(a: Path, b: Path, exclude: tuple[str, ...] = ("loaded_at", "refused_at")) -> dict[str, int]:
    """Rows of each table in one database and not the other (both ways, with multiplicity); the
    columns ``exclude`` (the times of the build) left out."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute(f"ATTACH '{a}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{b}' AS b (READ_ONLY)")
    tables = con.execute(
        "SELECT DISTINCT table_name FROM information_schema.tables "
        "WHERE table_schema = 'store' AND table_type = 'BASE TABLE' ORDER BY 1"
    ).fetchall()
    out = {}
    for (table,) in tables:
        names = {r[0] for r in con.execute(f"DESCRIBE a.store.{table}").fetchall()}
        left_out = [c for c in exclude if c in names]
        cols = f"* EXCLUDE ({', '.join(left_out)})" if left_out else "*"
        q = f"SELECT count(*) FROM (SELECT {cols} FROM {{}}.store.{table} EXCEPT ALL SELECT {cols} FROM {{}}.store.{table})"
        out[table] = (
            con.execute(q.format("a", "b")).fetchone()[0] + con.execute(q.format("b", "a")).fetchone()[0]
        )
    con.close()
    return out


def bench_etl(folder: Path, tmp: Path) -> Path:
    files = pipeline.report_files(folder)
    n = len(files)
    print(f"\n1. ETL of {n:,} reports")
    # The parallel parse first, in a process holding no reports: a fork of a large heap makes the
    # workers copy the pages they allocate into (what ``etl build`` never does).
    start = time.perf_counter()
    reports, problems = parallel.parse_files(files, pipeline.load_report, pipeline.read_meta)
    t_parallel = time.perf_counter() - start
    assert not problems and len(reports) == n, problems[:3]
    del reports
    with pipeline.without_cyclic_gc():
        start = time.perf_counter()
        serial = [parallel.parse_one(p, pipeline.load_report, pipeline.read_meta) for p in files]
        t_serial = time.perf_counter() - start
    bad = [o for o in serial if isinstance(o, tuple)]
    if bad:
        raise SystemExit(f"{len(bad)} generated reports refused: {bad[0]}")
    print(f"   parse, serial (1 process)        {t_serial:7.2f} s   {n / t_serial:7.0f} reports/s")
    print(f"   parse, parallel (2 processes)    {t_parallel:7.2f} s   {n / t_parallel:7.0f} reports/s"
          f"   ({t_serial / t_parallel:.2f}× faster)")  # fmt: skip
    serial_db = tmp / "serial.duckdb"
    start = time.perf_counter()
    write_database(serial_db, serial)
    t_load = time.perf_counter() - start
    print(f"   load (one transaction)           {t_load:7.2f} s   {n / t_load:7.0f} reports/s")
    del serial
    big = tmp / "scale.duckdb"
    t_build = timed_build(folder, big)
    rate = n / t_build
    verdict = "met" if rate >= TARGET_RATE else "NOT met"
    print(f"   etl build, end to end            {t_build:7.2f} s   {rate:7.0f} reports/s "
          f"(target ≥ {TARGET_RATE:.0f}: {verdict}); serial parse + load would be {n / (t_serial + t_load):.0f}/s")  # fmt: skip
    diff = same_content(big, serial_db)
    print(f"   same content as the serial build: {'yes' if not any(diff.values()) else 'NO'} "
          f"(rows differing per table: {diff})")  # fmt: skip
    return big


# --------------------------------------------------------------------------- 2. Pages


def open_time(context, url: str) -> tuple[float, int]:
    """Seconds from ``goto`` to the script finished and every chart drawn; bytes received over
    the websocket meanwhile (the page's payload)."""
    page = context.new_page()
    received = [0]
    page.on(
        "websocket",
        lambda ws: ws.on("framereceived", lambda data: received.__setitem__(0, received[0] + len(data))),
    )
    try:
        start = time.perf_counter()
        page.goto(url, timeout=PAGE_TIMEOUT_MS)
        page.wait_for_timeout(50)  # the script run starts
        page.wait_for_function(OPENED_JS, timeout=PAGE_TIMEOUT_MS, polling=20)
        return time.perf_counter() - start, received[0]
    finally:
        page.close()


def bench_pages(one: Path, big: Path, agencies: int, years: int, visits: int, log_dir: Path) -> list[float]:
    from tests.e2e.conftest import APP
    from tests.fixtures import SEED_AGENCY

    print(f"\n2. Page opens: {agencies * years:,} reports against one report, median of {visits} visits each")
    rng = random.Random(7)
    ratios = []
    with (
        common.streamlit_server(APP, one, {}, log_dir) as small_server,
        common.streamlit_server(APP, big, {}, log_dir) as big_server,
        common.sync_chromium() as browser,
    ):
        context = browser.new_context(viewport=common.VIEWPORT, locale="zh-CN")
        fixed = {"agency": agency_name(0), "year": str(2015 + years - 1)}
        for server, query in ((small_server, {"agency": SEED_AGENCY, "year": "2019"}), (big_server, fixed)):
            for path in PAGES:  # first visits: the server learns its pages, compiles, caches the catalog
                open_time(context, f"{server.url}{path}?{urllib.parse.urlencode(query)}")
        print(
            f"   {'page':<12} {'one report':>11} {'warm':>9} {'cold':>9}   ratio warm / cold   payload KiB one / cold"
        )
        for path in PAGES:
            small_t, warm_t, cold_t, small_b, cold_b = [], [], [], [], []
            for _ in range(visits):  # interleaved, so a busy machine slows all three alike
                t, b = open_time(
                    context, f"{small_server.url}{path}?agency={urllib.parse.quote(SEED_AGENCY)}&year=2019"
                )
                small_t.append(t)
                small_b.append(b)
                warm_t.append(
                    open_time(context, f"{big_server.url}{path}?{urllib.parse.urlencode(fixed)}")[0]
                )
                other = {
                    "agency": agency_name(rng.randrange(1, agencies)),
                    "year": str(2015 + rng.randrange(years)),
                }
                t, b = open_time(context, f"{big_server.url}{path}?{urllib.parse.urlencode(other)}")
                cold_t.append(t)
                cold_b.append(b)
            base = statistics.median(small_t)
            warm, cold = statistics.median(warm_t) / base, statistics.median(cold_t) / base
            ratios += [warm, cold]
            print(f"   {path:<12} {base * 1000:8.0f} ms {statistics.median(warm_t) * 1000:6.0f} ms "
                  f"{statistics.median(cold_t) * 1000:6.0f} ms   {warm:5.2f}× / {cold:5.2f}×"
                  f"        {statistics.median(small_b) / 1024:6.0f} / {statistics.median(cold_b) / 1024:6.0f}")  # fmt: skip
        context.close()
    worst = max(ratios)
    print(
        f"   worst ratio {worst:.2f}× (target ≤ {TARGET_RATIO}: {'met' if worst <= TARGET_RATIO else 'NOT met'})"
    )
    return ratios


def main() -> int:
    if sys.argv[1:2] == ["--build-only"]:  # timed_build's child process
        build_only(Path(sys.argv[2]), Path(sys.argv[3]))
        return 0
    parser = common.arg_parser(__doc__)
    parser.add_argument("--agencies", type=int, default=1000, help="agencies (1000)")
    parser.add_argument("--years", type=int, default=10, help="years per agency (10)")
    parser.add_argument("--visits", type=int, default=5, help="visits of each page per database (5)")
    parser.add_argument("--parts", default="etl,pages", help="etl,pages")
    parser.add_argument(
        "--big-db", type=Path, help="pages only: an existing database of the generated reports"
    )
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    if "pages" in parts:
        common.require_chromium(parser)
    print(f"Scale benchmark — {common.machine_line()}")
    with tempfile.TemporaryDirectory(prefix="scale-bench-") as tmp_name:
        tmp = Path(tmp_name)
        start = time.perf_counter()
        folder = tmp / "reports"
        files = write_reports(folder, args.agencies, args.years)
        print(f"{len(files):,} reports ({args.agencies:,} agencies × {args.years} years) generated in "
              f"{time.perf_counter() - start:.1f} s")  # fmt: skip
        big = bench_etl(folder, tmp) if "etl" in parts else None
        if "pages" in parts:
            if args.big_db is not None:
                big = args.big_db
            elif big is None:
                big = tmp / "scale.duckdb"
                timed_build(folder, big)
            one_folder = tmp / "one"
            from tests import fixtures

            fixtures.write(one_folder, fixtures.SEED_NAME, fixtures.seed_bytes())
            one = tmp / "one.duckdb"
            pipeline.build(one_folder, one)
            (tmp / "logs").mkdir()
            bench_pages(one, big, args.agencies, args.years, args.visits, tmp / "logs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
