"""Folder builds (a script, not a test): ``python bench/build.py [--reports 10000] [--kills 20]``.

1. Rate — ``etl build`` of N generated seed-like reports (bench/scale.py's, 10,000 by default),
   each build in a fresh process as the command runs it (the interpreter's start excluded), side
   by side in one run:
   - serial:   the build in one process (``workers=1``);
   - before:   the former build, for reference: the folder parsed in the pool, then loaded
               (``parallel.parse_files`` then ``load.write_database``: no overlap);
   - parallel: the build as it is (two workers parse while the parent loads; target ≥ 300/s).
   The parallel database is compared with the serial one, table by table (bench/scale.py's
   ``same_content``: ``loaded_at`` and ``refused_at`` left out), refusals included: a few bad
   files are among the reports.
2. Kills — ``python -m etl build`` of a smaller folder SIGKILLed K times (the build alone, as the
   OOM killer does, not its process group): every other one at a random moment of its life, the
   others mid-parse (a random moment within a second of its pool starting). Each time every
   process it started must be gone within 5 s, and the next build must proceed without waiting
   for the lock.

Works in a temporary folder; every wait has a timeout.
"""

from __future__ import annotations

import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402
from bench.scale import same_content, write_reports  # noqa: E402
from tests import fixtures  # noqa: E402
from tests.processes import descendants, kill_all, running, wait_until_gone  # noqa: E402

TARGET_RATE = 300.0
BAD = ("empty-2021.txt", "truncated-2021.txt", "notice-2021.txt")
GONE_WITHIN = 5.0


def child(kind: str, folder: Path, db: Path) -> None:
    """One timed build in this (fresh) process; prints the seconds."""
    from etl import parallel, pipeline
    from etl.load import write_database

    start = time.perf_counter()
    if kind == "before":
        with pipeline.without_cyclic_gc():
            reports, _ = parallel.parse_files(
                pipeline.report_files(folder), pipeline.load_report, pipeline.read_meta
            )
            write_database(db, reports)
    else:
        pipeline.build(folder, db, workers=1 if kind == "serial" else 2)
    print(time.perf_counter() - start)


def timed(kind: str, folder: Path, db: Path) -> float:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(folder), str(db)],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=3600,
    )  # fmt: skip
    return float(out.stdout.strip().splitlines()[-1])


def bench_rate(tmp: Path, count: int, repeat: int) -> float:
    folder = tmp / "reports"
    agencies = max(1, count // 10)
    start = time.perf_counter()
    files = write_reports(folder, agencies, max(1, count // agencies))
    for name in BAD:
        fixtures.write(folder, name, fixtures.bad_reports()[name])
    n = len(files)
    print(f"\n1. etl build of {n:,} generated reports (+ {len(BAD)} refused files), "
          f"generated in {time.perf_counter() - start:.1f} s")  # fmt: skip
    runs: dict[str, list[float]] = {"serial": [], "before": [], "parallel": []}
    for r in range(repeat):  # interleaved, so a busy machine slows all three alike
        for kind, times in runs.items():
            times.append(timed(kind, folder, tmp / f"{kind}.duckdb"))
            print(f"   run {r + 1}: {kind:<9} {times[-1]:7.2f} s", flush=True)
    seconds = {kind: statistics.median(times) for kind, times in runs.items()}
    for kind in runs:
        print(f"   {kind:<9} {seconds[kind]:7.2f} s   {n / seconds[kind]:6.0f} reports/s   "
              f"({seconds['serial'] / seconds[kind]:.2f}× serial; median of {repeat})")  # fmt: skip
    rate = n / seconds["parallel"]
    print(f"   parallel build: {rate:.0f} reports/s (target ≥ {TARGET_RATE:.0f}: "
          f"{'met' if rate >= TARGET_RATE else 'NOT met'}); "
          f"{seconds['before'] / seconds['parallel']:.2f}× the former build's speed")  # fmt: skip
    diff = same_content(tmp / "parallel.duckdb", tmp / "serial.duckdb", exclude=("loaded_at", "refused_at"))
    print(f"   same content as the serial build: {'yes' if not any(diff.values()) else 'NO'} "
          f"(rows differing per table: {diff})")  # fmt: skip
    return rate


def bench_kills(tmp: Path, kills: int, seed: int) -> int:
    folder = tmp / "kill-reports"
    write_reports(folder, 20, 8)  # 160 reports: parsed in the pool
    db = tmp / "kill-db" / "dashboard.duckdb"
    build = [
        sys.executable,
        "-m",
        "etl",
        "build",
        "--reports",
        str(folder),
        "--db",
        str(db),
        "--lock-timeout",
        "30",
    ]
    start = time.perf_counter()
    subprocess.run(build, cwd=ROOT, capture_output=True, check=True, timeout=600)
    typical = time.perf_counter() - start
    print(f"\n2. {kills} builds of {len(list(folder.iterdir()))} reports SIGKILLed at a random moment "
          f"(0 to {typical:.1f} s, a whole build's time)")  # fmt: skip
    rng = random.Random(seed)
    left_behind = waited_max = 0.0
    mid = 0
    for k in range(kills):
        proc = subprocess.Popen(build, cwd=ROOT, start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        seen: set[int] = set()
        if k % 2:  # every other one mid-parse: a random moment once the pool runs
            deadline = time.monotonic() + typical
            while time.monotonic() < deadline and proc.poll() is None and len(seen) < 2:
                seen |= descendants(proc.pid)
                time.sleep(0.02)
            deadline = time.monotonic() + rng.uniform(0, 1.0)
        else:  # a random moment of the build's life, its start included
            deadline = time.monotonic() + rng.uniform(0, typical)
        while time.monotonic() < deadline and proc.poll() is None:
            seen |= descendants(proc.pid)
            time.sleep(0.02)
        seen |= descendants(proc.pid)
        mid += len({p for p in seen if running(p)}) >= 2
        try:
            os.kill(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(30)
        left, waited = wait_until_gone(seen, GONE_WITHIN)
        waited_max = max(waited_max, waited)
        if left:
            left_behind += len(left)
            kill_all(left)
        start = time.perf_counter()
        done = subprocess.run(build, cwd=ROOT, capture_output=True, text=True, timeout=600)
        if done.returncode != 0 or "等待写入锁" in done.stderr:
            raise SystemExit(f"kill {k + 1}: the next build did not proceed: {done.stderr}")
    print(f"   {kills} killed ({mid} while the pool ran); processes left running after {GONE_WITHIN:.0f} s: "
          f"{int(left_behind)}; longest wait for the workers to end: {waited_max:.2f} s; "
          f"every next build proceeded at once")  # fmt: skip
    return int(left_behind)


def main() -> int:
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
        return 0
    parser = common.arg_parser(__doc__)
    parser.add_argument("--reports", type=int, default=10_000, help="generated reports (10,000)")
    parser.add_argument("--repeat", type=int, default=1, help="timed builds of each kind, interleaved (1)")
    parser.add_argument("--kills", type=int, default=20, help="builds killed (20)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the kill moments (1)")
    parser.add_argument("--parts", default="rate,kills", help="rate,kills")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    print(f"Build benchmark — {common.machine_line()}")
    with tempfile.TemporaryDirectory(prefix="build-bench-") as name:
        tmp = Path(name)
        if "rate" in parts:
            bench_rate(tmp, args.reports, args.repeat)
        if "kills" in parts and bench_kills(tmp, args.kills, args.seed):
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
