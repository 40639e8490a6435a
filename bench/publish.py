"""Publish benchmark (a script, not a test): ``python bench/publish.py [--agencies 1000 --years 10 --rounds 2]``.

The 10,000-report tree of bench/scale.py (1,000 agencies × 10 years, its generator) is written
to a temporary folder; then, side by side in one run and interleaved round by round (so a busy
machine slows both alike), ``etl build`` of the tree and ``etl publish`` of the database it
built, each in a fresh process as the commands run (the interpreter's start and the imports
excluded). Target: publish ≤ 2× build (median of the rounds). Then the release is checked: every
Parquet file opens in DuckDB and pandas with the view's row count, and so does every CSV.

Only local files are used; the temporary folder is removed at the end.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402
from bench.scale import write_reports  # noqa: E402

TARGET_RATIO = 2.0


def build_only(folder: Path, db: Path) -> None:
    """The child process: ``etl build``, then print the seconds it took (imports excluded)."""
    from etl import pipeline

    start = time.perf_counter()
    reports = pipeline.build(folder, db)
    seconds = time.perf_counter() - start
    print(f"{len(reports):,} reports")
    print(seconds)


def publish_only(db: Path, out: Path) -> None:
    """The child process: publish, then print the seconds it took (imports excluded)."""
    from etl import publish

    start = time.perf_counter()
    release = publish.publish(db, out)
    seconds = time.perf_counter() - start
    rows = sum(w.rows for w in release.written.values())
    print(f"{len(release.written)} views, {rows:,} rows, {release.units:,} units")
    print(seconds)


def timed(step: str, source: Path, target: Path) -> float:
    """``step`` (build or publish) in a fresh process, as the command runs it; its seconds."""
    done = subprocess.run(
        [sys.executable, __file__, f"--{step}-only", str(source), str(target)],
        cwd=ROOT, capture_output=True, text=True, timeout=3600,
    )  # fmt: skip
    if done.returncode:
        raise SystemExit(f"{step} failed:\n{done.stderr[-3000:]}")
    note, seconds = done.stdout.strip().splitlines()[-2:]
    print(f"   {step:<8} {float(seconds):7.2f} s   {note}")
    return float(seconds)


def check_release(db: Path, folder: Path) -> bool:
    """Every view's Parquet file in DuckDB and pandas, and its CSV in pandas: the view's rows."""
    import duckdb
    import pandas as pd

    from etl.resources import RESOURCES

    ok = True
    with duckdb.connect(str(db), read_only=True) as con:
        for r in RESOURCES:
            view = con.execute(f"SELECT count(*) FROM {r.name}").fetchone()[0]
            parquet = folder / f"{r.name}.parquet"
            in_duckdb = con.execute(f"SELECT count(*) FROM read_parquet('{parquet}')").fetchone()[0]
            in_pandas = len(pd.read_parquet(parquet, columns=r.view_columns[:1]))
            in_csv = len(pd.read_csv(folder / f"{r.name}.csv", usecols=[0], encoding="utf-8-sig"))
            same = view == in_duckdb == in_pandas == in_csv
            ok &= same
            print(f"   {r.name:<18} view {view:>10,}  parquet: DuckDB {in_duckdb:>10,}  pandas {in_pandas:>10,}"
                  f"  csv: pandas {in_csv:>10,}  {'same' if same else 'DIFFERENT'}")  # fmt: skip
    return ok


def main() -> int:
    if sys.argv[1:2] in (["--build-only"], ["--publish-only"]):  # timed's child process
        (build_only if sys.argv[1] == "--build-only" else publish_only)(Path(sys.argv[2]), Path(sys.argv[3]))
        return 0
    parser = common.arg_parser(__doc__)
    parser.add_argument("--agencies", type=int, default=1000, help="agencies (1000)")
    parser.add_argument("--years", type=int, default=10, help="years per agency (10)")
    parser.add_argument("--rounds", type=int, default=2, help="build + publish rounds (2)")
    args = parser.parse_args()
    print(f"Publish benchmark — {common.machine_line()}")
    with tempfile.TemporaryDirectory(prefix="publish-bench-") as tmp_name:
        tmp = Path(tmp_name)
        start = time.perf_counter()
        folder = tmp / "reports"
        files = write_reports(folder, args.agencies, args.years)
        print(f"{len(files):,} reports ({args.agencies:,} agencies × {args.years} years) generated in "
              f"{time.perf_counter() - start:.1f} s")  # fmt: skip
        builds, publishes = [], []
        for i in range(args.rounds):
            print(f"\nround {i + 1} of {args.rounds}")
            db = tmp / f"round-{i}.duckdb"
            builds.append(timed("build", folder, db))
            publishes.append(timed("publish", db, tmp / f"release-{i}"))
            print(f"   publish / build this round: {publishes[-1] / builds[-1]:.2f}×")
        build, publish = statistics.median(builds), statistics.median(publishes)
        ratio = publish / build
        print(f"\nmedian of {args.rounds}: build {build:.2f} s, publish {publish:.2f} s: publish = {ratio:.2f}× build "
              f"(target ≤ {TARGET_RATIO:.0f}×: {'met' if ratio <= TARGET_RATIO else 'NOT met'})")  # fmt: skip
        last = args.rounds - 1
        print("\nThe release's files against the views:")
        ok = check_release(tmp / f"round-{last}.duckdb", tmp / f"release-{last}" / "latest")
        print(f"   every file has the view's rows: {'yes' if ok else 'NO'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
