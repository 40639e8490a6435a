"""Parallel parsing (etl/parallel.py): the same reports and problems, in the same order, as the
serial loop, and the same database content once loaded (table-driven over folder shapes)."""

from __future__ import annotations

import os
import random
from pathlib import Path

import duckdb
import pytest

from bench.scale import scale_report
from etl import parallel
from etl.load import write_database
from etl.pipeline import load_report, read_meta, report_files
from tests import fixtures

TABLES = ("reports", "figures", "active_disclosure", "foi_requests", "review_litigation", "texts", "checks")


def serial(files: list[Path]):
    reports, problems = [], []
    for path in files:
        outcome = parallel.parse_one(path, load_report, read_meta)
        if isinstance(outcome, tuple):
            problems.extend(outcome)
        else:
            reports.append(outcome)
    return reports, problems


def folder(tmp_path: Path, good: int, bad: tuple[str, ...]) -> list[Path]:
    rng = random.Random(11)
    for i in range(good):
        fixtures.write(tmp_path, f"r-{i:03d}.txt", scale_report(i, rng, agencies=7, first_year=2015))
    for name in bad:
        fixtures.write(tmp_path, name, fixtures.bad_reports()[name])
    return report_files(tmp_path)


@pytest.mark.parametrize(
    ("good", "bad", "workers"),
    [
        (40, (), 2),  # over SERIAL_BELOW: in the pool, several chunks
        (70, ("empty-2021.txt", "truncated-2021.txt"), 2),  # refused files among them, in order
        (5, ("binary-2021.txt",), 2),  # few files: in this process
        (40, ("notice-2021.txt",), 1),
    ],
)
def test_same_reports_and_problems_in_the_same_order(tmp_path, good, bad, workers):
    files = folder(tmp_path, good, bad)
    reports, problems = parallel.parse_files(files, load_report, read_meta, workers=workers)
    expected_reports, expected_problems = serial(files)
    assert [r.source_file for r in reports] == [r.source_file for r in expected_reports]
    assert reports == expected_reports, "every figure, cell, text and check equal"
    assert problems == expected_problems
    assert len(reports) == good and {p.file for p in problems} == set(bad)


def dump(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT * EXCLUDE (loaded_at) FROM {t} ORDER BY ALL").fetchall() if t == "reports"
                else con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}  # fmt: skip
    finally:
        con.close()


def test_same_database_content_as_a_serial_build(tmp_path):
    files = folder(tmp_path / "reports", 48, ())
    reports, _ = parallel.parse_files(files, load_report, read_meta)
    expected, _ = serial(files)
    write_database(tmp_path / "parallel.duckdb", reports)
    write_database(tmp_path / "serial.duckdb", expected)
    got, want = dump(tmp_path / "parallel.duckdb"), dump(tmp_path / "serial.duckdb")
    assert {t: len(rows) for t, rows in got.items()}["foi_requests"] == 48 * 161
    assert got == want


def load_with_pid(path: Path, agency: str | None = None, year: int | None = None):
    report = load_report(path, agency, year)
    report.warnings.append(f"pid {os.getpid()}")
    return report


@pytest.mark.parametrize(
    ("count", "in_pool"), [(parallel.SERIAL_BELOW, True), (parallel.SERIAL_BELOW - 1, False)]
)
def test_pool_is_used_for_many_files(tmp_path, count, in_pool):
    """From SERIAL_BELOW files on they are parsed in two other processes; fewer, in this one."""
    files = folder(tmp_path, count, ())
    reports, _ = parallel.parse_files(files, load_with_pid, read_meta)
    pids = {int(r.warnings[-1].split()[1]) for r in reports}
    assert len(reports) == count
    assert (os.getpid() not in pids) is in_pool
    assert len(pids) == (2 if in_pool else 1)
