"""ETL benchmark (a script, not a test): ``python bench/etl.py [--reports N]``.

1. read + parse + check of the seed report, median of many runs;
2. N reports generated from the seed (other agencies, years and figures) in a
   temporary folder, then a full ``build`` into a temporary database, against the
   floor: the time the same process needs just to read those files.

The process is pinned to one CPU core (Linux), so the figures are for one core.
Target: at least 200 reports per second end to end (printed as met / NOT met).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402
from etl import pipeline  # noqa: E402
from etl.checks import run_checks  # noqa: E402
from etl.load import write_database  # noqa: E402
from etl.parse import parse_report  # noqa: E402
from etl.readers import read_file  # noqa: E402
from tests.fixtures import SEED_PATH, varied_report, write  # noqa: E402

TARGET = 200.0  # reports per second, end to end


def pin_to_one_core() -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity on this system)"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def read_all(files: list[Path]) -> int:
    return sum(len(p.read_bytes()) for p in files)


def main() -> int:
    parser = common.arg_parser(__doc__)
    parser.add_argument("--reports", type=int, default=1000, help="how many reports to generate (1000)")
    parser.add_argument("--runs", type=int, default=200, help="runs of the seed's parse + check (200)")
    parser.add_argument("--repeat", type=int, default=3, help="full builds to time, median taken (3)")
    args = parser.parse_args()

    print(f"ETL benchmark — Python {sys.version.split()[0]}, {pin_to_one_core()}")

    # 1. The seed: read, parse, check.
    def seed_once():
        report = parse_report(read_file(SEED_PATH))
        report.checks = run_checks(report)

    seed_once()  # warm up (regex compilation, caches)
    seed_times = common.timed_runs(seed_once, args.runs)
    read_times = common.timed_runs(lambda: read_file(SEED_PATH), args.runs)
    seed_ms = statistics.median(seed_times) * 1000
    print(f"\n1. Seed report ({SEED_PATH.name}), median of {args.runs} runs")
    print(f"   read + parse + check   {seed_ms:8.3f} ms   ({1000 / seed_ms:,.0f} reports/s)")
    print(f"   read + decode only     {statistics.median(read_times) * 1000:8.3f} ms")

    # 2. Many reports, full build.
    rng = random.Random(20190101)
    with tempfile.TemporaryDirectory(prefix="etl-bench-") as tmp:
        folder = Path(tmp) / "reports"
        start = time.perf_counter()
        for i in range(args.reports):
            write(folder, f"report-{i:05d}.txt", varied_report(i, rng))
        generated = time.perf_counter() - start
        files = pipeline.report_files(folder)
        size = read_all(files)
        print(f"\n2. {len(files)} generated reports ({size / 1e6:.1f} MB, generated in {generated:.1f} s)")

        floor = statistics.median(common.timed_runs(lambda: read_all(files), 5))
        db = Path(tmp) / "db" / "dashboard.duckdb"
        builds = common.timed_runs(lambda: pipeline.build(folder, db), args.repeat)
        build = statistics.median(builds)

        # Where the time goes: parse + check of the folder, then the load into DuckDB.
        start = time.perf_counter()
        reports = pipeline.parse_folder(folder)
        parse = time.perf_counter() - start
        start = time.perf_counter()
        write_database(Path(tmp) / "db" / "load-only.duckdb", reports)
        load = time.perf_counter() - start
        rows = sum(
            len(r.figures) + len(r.active_disclosure) + len(r.foi_requests) + len(r.review_litigation)
            + len(r.texts) + len(r.checks) + 1
            for r in reports
        )  # fmt: skip

    n = len(files)
    rate = n / build
    print(f"   read the files (floor)   {floor:8.3f} s   {floor / n * 1000:8.3f} ms/report   ratio 1.0")
    print(
        f"   full build (median of {args.repeat}) {build:6.3f} s   {build / n * 1000:8.3f} ms/report   "
        f"ratio {build / floor:,.0f}× the floor"
    )
    print(
        f"     of which parse + check {parse:6.3f} s   {parse / n * 1000:8.3f} ms/report   "
        f"ratio {parse / floor:,.0f}× the floor"
    )
    print(
        f"     of which load (DuckDB) {load:6.3f} s   {load / n * 1000:8.3f} ms/report   "
        f"({rows:,} rows, {rows / load:,.0f} rows/s)"
    )
    print(
        f"   end to end: {rate:,.0f} reports/s (target ≥ {TARGET:.0f}: {'met' if rate >= TARGET else 'NOT met'})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
