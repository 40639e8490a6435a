"""Scale benchmark (a script, not a test): ``python bench/scale.py [--years 5 --visits 5]``.

bench/tree.py's generated tree (江苏省, its 13 cities, 95 districts and counties, their
departments, towns and zones: 2,028 units × 5 years = 10,140 reports) against one report (the
seed), side by side in one run (issue 14 item 7):

0. Names  — the classifier on the generated names (bench/tree.py's counts). Target: 0 wrong.
1. ETL    — ``etl build`` of the tree with one worker process against two, each in a fresh
            process (the interpreter's start and the imports excluded), both databases compared
            table by table (EXCEPT ALL both ways; the times of the build left out).
2. Pages  — every page of dashboard/navigation.py opened in Chromium on the tree's database
            against the same page on the one-report database, interleaved: time from ``goto``
            to the script finished and every chart drawn, median of the visits. ``warm``: the
            same selection again (a visitor moving between pages); ``cold``: another unit, year
            or parent each time (nothing of it cached). The profile (/unit) is a district's
            (peers: its city's districts), the review (/review) and the ranking (/compare) a
            city's. Target ≤ 1.5× for both kinds. Payload (bytes over the websocket) printed too.
3. Review — ``python -m etl review --parent 江苏省人民政府 --year <last>`` on the tree (every unit
            at every depth) against the seed's parent on one report, interleaved, median; and
            ``etl.review.review`` itself in-process (the command without the interpreter's start).
            Target ≤ 1.5×.

Only 127.0.0.1 is used; every wait has a timeout and every loop a bound; the servers started
here are stopped at the end.
"""

from __future__ import annotations

import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402
from dashboard import navigation  # noqa: E402

TARGET_RATE = 300.0
TARGET_RATIO = 1.5
PROVINCE = "江苏省人民政府"
CITY = "淮安市人民政府"  # the review page's and the ranking's warm parent
FIXED_UNIT = "淮安市洪泽区人民政府"  # the warm profile: a district, its peers its city's districts
PAGE_TIMEOUT_MS = 120_000
OPENED_JS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.dataset.testConnectionState !== 'CONNECTED' || app.dataset.testScriptState !== 'notRunning') return false;
    if (document.querySelector('[data-testid="stStatusWidgetRunningIcon"], [data-testid="stAppSkeleton"]')) return false;
    const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].filter(c => c.getClientRects().length);
    return charts.every(c => c.querySelector('.main-svg'));
}"""
# What a page showed that makes its time meaningless: an exception, or our parameters refused.
TROUBLE_JS = """() => {
    const main = document.querySelector('[data-testid="stMain"]') || document.body;
    const text = main.innerText;
    return [document.querySelectorAll('[data-testid="stException"]').length,
            /参数无效/.test(text) ? text.match(/[^\\n]*参数无效[^\\n]*/)[0] : ''];
}"""


# --------------------------------------------------------------------------- the flat generator

STEMS = "甲乙丙丁戊己庚辛壬癸"  # digits of an agency's number: titles' agency names have no digits


def agency_name(n: int) -> str:
    return "测试市" + "".join(STEMS[int(d)] for d in str(n)) + "区政务服务和资源交易服务中心"


def scale_report(index: int, rng: random.Random, agencies: int, first_year: int) -> str:
    """``tests.fixtures.varied_report`` under a title whose agency name has no digits."""
    from tests.fixtures import varied_report

    text = varied_report(index, rng, agencies=agencies, first_year=first_year)
    year = first_year + index // agencies
    return f"{year}年{agency_name(index % agencies)}政府信息公开工作年度报告" + text[text.index("\n") :]


def write_reports(folder: Path, agencies: int, years: int) -> list[Path]:
    """The former flat set (``agencies`` × ``years`` varied copies of the seed, one level of
    units): bench/build.py's reports. This script now measures the units tree instead."""
    from etl import pipeline
    from tests.fixtures import write

    rng = random.Random(20240101)
    for i in range(agencies * years):
        write(folder, f"r-{i:05d}.txt", scale_report(i, rng, agencies, 2015))
    return pipeline.report_files(folder)


# --------------------------------------------------------------------------- 0. names


def bench_names() -> None:
    from bench import tree
    from etl.units import EMPTY, resolve

    truths = tree.tree_units()
    start = time.perf_counter()
    units = resolve([t.name for t in truths], EMPTY)
    seconds = time.perf_counter() - start
    counts, unknowns = tree.score(truths, units)
    total = sum(counts.values(), Counter())
    wrong = total["type_wrong"] + total["parent_wrong"]
    print(f"\n0. Classifier on the tree's {len(truths):,} names ({seconds:.2f} s): types right {total['type_right']}, "
          f"wrong {total['type_wrong']}, unknown {total['type_unknown']}; parents right {total['parent_right']}, "
          f"wrong {total['parent_wrong']}, unknown {total['parent_unknown']} ({len(unknowns)} unknowns listed by "
          f"bench/tree.py). Wrong: {wrong} (target 0: {'met' if wrong == 0 else 'NOT met'})")  # fmt: skip


# --------------------------------------------------------------------------- 1. ETL


def timed_build(folder: Path, db: Path, workers: int) -> tuple[float, int, int]:
    """``etl build`` in a fresh process, as the command runs it: seconds from the call to its
    return (the interpreter's start and the imports excluded), reports loaded, files refused."""
    out = subprocess.run(
        [sys.executable, __file__, "--build-only", str(folder), str(db), str(workers)],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=3600,
    )  # fmt: skip
    seconds, reports, refused = out.stdout.split()[-3:]
    return float(seconds), int(reports), int(refused)


def build_only(folder: Path, db: Path, workers: int) -> None:
    start = time.perf_counter()
    reports, refused = common.build(folder, db, workers)
    print(time.perf_counter() - start, reports, refused)


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


def bench_etl(folder: Path, tmp: Path, n: int) -> Path:
    print(f"\n1. etl build of {n:,} reports (each in a fresh process)")
    big = tmp / "tree.duckdb"
    results = {}
    for workers, db in ((2, big), (1, tmp / "serial.duckdb")):  # the parallel first, as in build
        seconds, loaded, refused = timed_build(folder, db, workers)
        results[workers] = seconds
        print(f"   {workers} worker process{'es' if workers > 1 else '  '}   {seconds:7.2f} s   "
              f"{n / seconds:5.0f} reports/s   ({loaded:,} loaded, {refused} refused)")  # fmt: skip
    rate = n / results[2]
    print(f"   parallel {results[1] / results[2]:.2f}× faster than serial; "
          f"rate {rate:.0f}/s (target ≥ {TARGET_RATE:.0f}: {'met' if rate >= TARGET_RATE else 'NOT met'})")  # fmt: skip
    diff = same_content(big, tmp / "serial.duckdb")
    print(f"   same content: {'yes' if not any(diff.values()) else 'NO'} (rows differing per table: {diff})")
    (tmp / "serial.duckdb").unlink()
    return big


# --------------------------------------------------------------------------- 2. pages


@dataclass(frozen=True)
class Selection:
    """What a page is opened on: a report (agency, year), a unit with peers for the profile,
    a parent unit and a type for the review and the ranking."""

    agency: str
    year: int
    unit: str  # unit_id
    parent: str  # unit_id
    unit_type: str


def query(page: navigation.PageEntry, s: Selection) -> dict[str, str]:
    """The page's URL parameters for a selection: the keys the page declares it reads
    (``PageEntry.params``: the profile's unit and year, the review's and the ranking's parent
    and year, the ranking's unit type at every depth), else the sidebar's agency and year on
    the pages that have the sidebar (``filters``), else none."""
    values = {"unit": s.unit, "year": str(s.year), "y": str(s.year), "parent": s.parent}
    values |= {"type": s.unit_type, "deep": "1"}
    if page.params:
        return {key: values[key] for key in page.params if key in values}
    if page.filters is None:
        return {}
    return {"agency": s.agency, "year": str(s.year)}


def _rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def one_selection(db: Path) -> Selection:
    """The one report's: its agency and year, its unit, its parent (its review) and type."""
    ((agency, year, unit, parent, unit_type),) = _rows(
        db,
        "SELECT r.agency, r.year, r.unit_id, coalesce(u.parent_id, r.unit_id), u.unit_type "
        "FROM reports r JOIN units u USING (unit_id)",
    )
    return Selection(agency, year, unit, parent, unit_type)


class TreeSelections:
    """The warm selection (洪泽区 in the last year, its city) and random cold ones (another
    district, another city, another year, another unit's report; on a topic's page a report
    stating figures of that topic) in the tree's database."""

    def __init__(self, db: Path, rng: random.Random) -> None:
        self.rng = rng
        units = _rows(db, "SELECT unit_id, name, unit_type, parent_id FROM units")
        self.districts = [u for u in units if u[2] == "district" and u[3] is not None]
        self.cities = [u[0] for u in units if u[2] == "city"]
        years = [y for (y,) in _rows(db, "SELECT DISTINCT year FROM reports ORDER BY 1")]
        self.reports = {navigation.REPORT: _rows(db, "SELECT agency, year FROM reports ORDER BY report_id")}
        for topic in navigation.TOPICS:
            sql = "SELECT DISTINCT r.agency, r.year FROM figures f JOIN reports r USING (report_id) WHERE f.topic = ? ORDER BY 1, 2"
            self.reports[topic] = _rows(db, sql, [topic])
        (fixed,) = [u for u in units if u[1] == FIXED_UNIT]
        self.warm = Selection(fixed[1], years[-1], fixed[0], fixed[3], "district")

    def cold(self, page: navigation.PageEntry) -> Selection:
        district = self.rng.choice(self.districts)
        agency, year = self.rng.choice(self.reports.get(page.filters) or self.reports[navigation.REPORT])
        parent = self.rng.choice(self.cities)
        return replace(self.warm, agency=agency, year=year, unit=district[0], parent=parent)


def open_time(context, url: str) -> tuple[float, int, str]:
    """Seconds from ``goto`` to the script finished and every chart drawn; bytes received over
    the websocket meanwhile (the page's payload); what went wrong on the page, if anything."""
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
        seconds = time.perf_counter() - start
        exceptions, refused = page.evaluate(TROUBLE_JS)
        trouble = f"{exceptions} exception(s)" if exceptions else refused
        return seconds, received[0], trouble
    finally:
        page.close()


def bench_pages(one: Path, big: Path, visits: int, log_dir: Path, only: str | None = None) -> list[float]:
    from tests.e2e.conftest import APP

    pages = [p for p in navigation.PUBLIC_PAGES if only is None or f"/{p.url_path}" in only.split(",")]
    print(f"\n2. Page opens in Chromium, the tree against one report, median of {visits} visits each")
    small_sel = one_selection(one)
    tree = TreeSelections(big, random.Random(7))
    ratios, troubles = [], {}
    with (
        common.streamlit_server(APP, one, {}, log_dir) as small_server,
        common.streamlit_server(APP, big, {}, log_dir) as big_server,
        common.sync_chromium() as browser,
    ):
        context = browser.new_context(viewport=common.VIEWPORT, locale="zh-CN")

        def visit(server, page, sel: Selection) -> tuple[float, int]:
            url = f"{server.url}/{page.url_path}?{urllib.parse.urlencode(query(page, sel))}"
            seconds, payload, trouble = open_time(context, url)
            if trouble:
                troubles.setdefault(f"/{page.url_path} {url.split('?', 1)[1]}", trouble)
            return seconds, payload

        for server, sel in ((small_server, small_sel), (big_server, tree.warm)):
            for page in pages:  # first visits: the server learns its pages, compiles, caches the catalog
                visit(server, page, sel)
        print(
            f"   {'page':<12} {'one report':>11} {'warm':>9} {'cold':>9}   ratio warm / cold   payload KiB one / cold"
        )
        for page in pages:
            small_t, warm_t, cold_t, small_b, cold_b = [], [], [], [], []
            for _ in range(visits):  # interleaved, so a busy machine slows all three alike
                t, b = visit(small_server, page, small_sel)
                small_t.append(t)
                small_b.append(b)
                warm_t.append(visit(big_server, page, tree.warm)[0])
                t, b = visit(big_server, page, tree.cold(page))
                cold_t.append(t)
                cold_b.append(b)
            base = statistics.median(small_t)
            warm, cold = statistics.median(warm_t) / base, statistics.median(cold_t) / base
            ratios += [warm, cold]
            print(f"   /{page.url_path:<11} {base * 1000:8.0f} ms {statistics.median(warm_t) * 1000:6.0f} ms "
                  f"{statistics.median(cold_t) * 1000:6.0f} ms   {warm:5.2f}× / {cold:5.2f}×"
                  f"        {statistics.median(small_b) / 1024:6.0f} / {statistics.median(cold_b) / 1024:6.0f}")  # fmt: skip
        context.close()
    worst = max(ratios)
    print(
        f"   worst ratio {worst:.2f}× (target ≤ {TARGET_RATIO}: {'met' if worst <= TARGET_RATIO else 'NOT met'})"
    )
    for where, trouble in troubles.items():
        print(f"   ! {where}: {trouble}")
    return ratios


# --------------------------------------------------------------------------- 3. review


def review_cli(db: Path, parent: str, year: int, out: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "etl", "review", "--parent", parent, "--year", str(year), "--db", str(db),
         "--out", str(out)],
        cwd=ROOT, check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    return time.perf_counter() - start


def review_call(db: Path, parent: str, year: int) -> tuple[float, int]:
    """What ``etl review`` does, in this process (its read-only connection, ``review``,
    ``review_xlsx``): seconds, and the rows of every status."""
    from etl import review, store

    start = time.perf_counter()
    with store.reading(db) as con:
        unit_id, name = review.find_unit(con, parent)
        frames = review.review(con, unit_id, year)
    review.review_xlsx(frames, name, year)
    return time.perf_counter() - start, sum(len(f) for f in frames.values())


def bench_review(one: Path, big: Path, runs: int, tmp: Path) -> list[float]:
    """The command (a fresh interpreter each run, as an office runs it) and what it does in
    this process, on one report (its unit's parent), on a city of the tree (the page's case)
    and on the whole province, interleaved; medians and ratios against one report."""
    (small_parent,) = _rows(one, "SELECT p.name FROM reports r JOIN units u USING (unit_id) JOIN units p ON p.unit_id = u.parent_id")[0]  # fmt: skip
    (small_year,) = _rows(one, "SELECT year FROM reports")[0]
    (big_year,) = _rows(big, "SELECT max(year) FROM reports")[0]
    cases = {
        f"one report: {small_parent} {small_year}": (one, small_parent, small_year),
        f"tree: {CITY} {big_year}": (big, CITY, big_year),
        f"tree: {PROVINCE} {big_year}": (big, PROVINCE, big_year),
    }
    print(f"\n3. Review of every unit under a parent (python -m etl review), median of {runs} runs")
    from etl import store

    with store.reading(big) as con:
        if not store.has_check_summary(con):
            print("   the tree's database predates store.check_summary: its review aggregates the checks")
            print("   itself, as before (rebuild it, e.g. without --big-db, for the current figures)")
    cli: dict[str, list[float]] = {k: [] for k in cases}
    call: dict[str, list[float]] = {k: [] for k in cases}
    rows = {}
    for _ in range(runs):
        for name, (db, parent, year) in cases.items():
            cli[name].append(review_cli(db, parent, year, tmp / "review.xlsx"))
            seconds, rows[name] = review_call(db, parent, year)
            call[name].append(seconds)
    base_cli, base_call = (statistics.median(t[next(iter(cases))]) for t in (cli, call))
    print(f"   {'':<36} {'rows':>6}   {'command':>9} {'ratio':>7}   {'in-process':>10} {'ratio':>7}")
    ratios = []
    for name in cases:
        c, i = statistics.median(cli[name]), statistics.median(call[name])
        ratios.append(c / base_cli)
        print(f"   {name:<36} {rows[name]:>6,}   {c * 1000:6.0f} ms {c / base_cli:6.2f}×   "
              f"{i * 1000:7.0f} ms {i / base_call:6.2f}×")  # fmt: skip
    worst = max(ratios)
    print(
        f"   command's worst ratio {worst:.2f}× (target ≤ {TARGET_RATIO}: {'met' if worst <= TARGET_RATIO else 'NOT met'})"
    )
    return ratios


# --------------------------------------------------------------------------- main


def main() -> int:
    if sys.argv[1:2] == ["--build-only"]:  # timed_build's child process
        build_only(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))
        return 0
    parser = common.arg_parser(__doc__)
    parser.add_argument("--years", type=int, default=5, help="years of the tree (5: 10,140 reports)")
    parser.add_argument("--visits", type=int, default=5, help="visits of each page per database (5)")
    parser.add_argument("--runs", type=int, default=5, help="runs of the review per database (5)")
    parser.add_argument("--parts", default="names,etl,pages,review", help="names,etl,pages,review")
    parser.add_argument(
        "--tree", type=Path, help="an existing folder of the tree's reports (not regenerated)"
    )
    parser.add_argument("--pages", help="only these pages (paths, comma-separated: /,/unit,/review)")
    parser.add_argument(
        "--keep-db", type=Path, help="copy the tree's database here at the end (for bench/serve.py --db)"
    )
    parser.add_argument("--big-db", type=Path, help="an existing database of the tree (the ETL part skipped)")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    if "pages" in parts:
        common.require_chromium(parser)
    print(f"Scale benchmark — {common.machine_line()}")
    with tempfile.TemporaryDirectory(prefix="scale-bench-") as tmp_name:
        tmp = Path(tmp_name)
        if "names" in parts:
            bench_names()
        big = args.big_db
        if big is None and parts & {"etl", "pages", "review"}:
            folder = args.tree
            if folder is None:
                start = time.perf_counter()
                folder = tmp / "tree"
                common.write_tree(folder, args.years)
                print(f"\nthe tree's reports generated in {time.perf_counter() - start:.1f} s")
            n = len(list(folder.glob("*.txt")))
            if "etl" in parts:
                big = bench_etl(folder, tmp, n)
            else:
                big = tmp / "tree.duckdb"
                timed_build(folder, big, 2)
        if parts & {"pages", "review"}:
            one = common.one_report_database(tmp)
            if "pages" in parts:
                (tmp / "logs").mkdir()
                bench_pages(one, big, args.visits, tmp / "logs", args.pages)
            if "review" in parts:
                bench_review(one, big, args.runs, tmp)
        if args.keep_db is not None and big is not None and big != args.keep_db:
            shutil.copyfile(big, args.keep_db)
            print(f"\nthe tree's database kept at {args.keep_db}")
        print(f"\nload average at the end {common.machine_line().rsplit(' ', 1)[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
