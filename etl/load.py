"""Load step: reports into DuckDB, and the across-years checks in SQL.

Writers never touch the live database file: they write a temporary copy next
to it and swap it in with ``os.replace`` (atomic on POSIX), so a reader sees
either the old or the new database, complete, and a failed load leaves the old
one byte for byte as it was.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from .checks import APPLICANT_CODES, NOT_ASSESSABLE
from .model import Report
from .schema import COLUMN_TYPES, COLUMNS, create_schema
from .template import IN_FORCE, IN_FORCE_CONTENTS, ISSUED, REPEALED, TABLE3_CARRIED_IN, TABLE3_CARRIED_OUT

_PARTS = ("figures", "active_disclosure", "foi_requests", "review_litigation", "texts", "checks")


def _column(values: list, sql_type: str) -> pd.Series:
    """One column with an explicit dtype, so DuckDB reads it without guessing."""
    if sql_type == "DOUBLE":
        return pd.Series(np.array(values, dtype=np.float64), copy=False)  # None → NaN, read as NULL
    if sql_type == "INTEGER":
        return pd.Series(np.array(values, dtype=np.int64), copy=False)
    if sql_type == "BOOLEAN":
        return pd.Series(values, dtype="boolean")  # nullable: None stays NULL
    if sql_type == "VARCHAR":
        return pd.Series(values, dtype=object)
    return pd.Series(values)


def columns_of(reports: list[Report], table: str, loaded_at: datetime) -> dict[str, list]:
    """The reports' rows of one stored table, column by column, in the schema's order."""
    names = COLUMNS[table]
    if table == "reports":
        return {
            c: [loaded_at] * len(reports) if c == "loaded_at" else [getattr(r, c) for r in reports]
            for c in names
        }
    out: dict[str, list] = {c: [] for c in names}
    ids = out["report_id"]
    for report in reports:
        items = getattr(report, table)
        ids.extend([report.report_id] * len(items))
        for c in names[1:]:
            out[c].extend([getattr(item, c) for item in items])
    return out


def insert_reports(con: duckdb.DuckDBPyConnection, reports: list[Report]) -> None:
    """Insert many reports with one bulk INSERT per table (no row loop in SQL).

    Each table goes to DuckDB as one DataFrame of typed columns (built column by
    column, not row by row): the load costs a fraction of the parse.
    """
    loaded_at = datetime.now().replace(microsecond=0)
    for table in COLUMNS:
        columns = columns_of(reports, table, loaded_at)
        if not columns["report_id"]:
            continue
        types = COLUMN_TYPES[table]
        frame = pd.DataFrame(  # noqa: F841 (read by DuckDB)
            {c: _column(values, types[c]) for c, values in columns.items()}, copy=False
        )
        con.execute(f"INSERT INTO store.{table} SELECT * FROM frame")


def delete_report(con: duckdb.DuckDBPyConnection, report_id: str) -> None:
    for table in (*_PARTS, "reports"):
        con.execute(f"DELETE FROM store.{table} WHERE report_id = ?", [report_id])


# Each report with the same agency's report of the year before: what the across-years rules pair.
_YEAR_PAIRS = """WITH pairs AS (
    SELECT cur.report_id AS cur_id, prev.report_id AS prev_id, cur.year, prev.year AS prev_year
    FROM store.reports cur JOIN store.reports prev
      ON prev.agency = cur.agency AND prev.year = cur.year - 1
),"""

CROSS_YEAR_SQL = f"""
INSERT INTO store.checks
{_YEAR_PAIRS}
cells AS (
    SELECT p.*, a.applicant, a.code,
           o.value AS prev_out, o.source_line AS prev_line,
           i.value AS cur_in, i.source_line AS cur_line
    FROM pairs p
    CROSS JOIN (SELECT * FROM (VALUES {", ".join(f"('{a}', '{c}')" for a, c in APPLICANT_CODES.items())})
                AS t(applicant, code)) a
    LEFT JOIN store.foi_requests o
      ON o.report_id = p.prev_id AND o.row_code = '{TABLE3_CARRIED_OUT}' AND o.applicant = a.applicant
    LEFT JOIN store.foi_requests i
      ON i.report_id = p.cur_id AND i.row_code = '{TABLE3_CARRIED_IN}' AND i.applicant = a.applicant
)
SELECT cur_id, 'x.carryover.' || code,
       printf('跨年度：%d年表三“%s”列的“结转下年度继续办理”应等于%d年的“上年结转”（空白单元格按0计）',
              prev_year, applicant, year)
         || CASE WHEN prev_out IS NULL AND cur_in IS NULL THEN '（{NOT_ASSESSABLE}：两个单元格均为空白）' ELSE '' END,
       CASE WHEN prev_out IS NULL AND cur_in IS NULL THEN NULL ELSE coalesce(prev_out, 0) END,
       CASE WHEN prev_out IS NULL AND cur_in IS NULL THEN NULL ELSE coalesce(cur_in, 0) END,
       CASE WHEN prev_out IS NULL AND cur_in IS NULL THEN NULL
            ELSE coalesce(prev_out, 0) = coalesce(cur_in, 0) END,
       'across', 'error',
       printf('%d年报告（%s）第%s行：%s；%d年报告（%s）第%s行：%s',
              prev_year, prev_id, coalesce(CAST(prev_line AS VARCHAR), '?'),
              coalesce(CAST(prev_out AS VARCHAR), '空白'),
              year, cur_id, coalesce(CAST(cur_line AS VARCHAR), '?'),
              coalesce(CAST(cur_in AS VARCHAR), '空白'))
    FROM cells
"""


# Rule 7 (2021 format): last year's 现行有效 + this year's 制发 − 废止 = this year's 现行有效.
IN_FORCE_SQL = f"""
INSERT INTO store.checks
{_YEAR_PAIRS}
cells AS (
    SELECT p.*, c.content, c.code,
        max(d.value) FILTER (d.report_id = p.prev_id AND d.measure = '{IN_FORCE}') AS prev_in_force,
        max(d.value) FILTER (d.report_id = p.cur_id AND d.measure = '{ISSUED}') AS issued,
        max(d.value) FILTER (d.report_id = p.cur_id AND d.measure = '{REPEALED}') AS repealed,
        max(d.value) FILTER (d.report_id = p.cur_id AND d.measure = '{IN_FORCE}') AS in_force,
        count(*) FILTER (d.report_id = p.prev_id AND d.measure = '{IN_FORCE}') AS prev_rows,
        count(*) FILTER (d.report_id = p.cur_id AND d.measure = '{IN_FORCE}') AS cur_rows
    FROM pairs p
    CROSS JOIN (SELECT * FROM (VALUES {", ".join(f"('{c}', '{k}')" for c, k in IN_FORCE_CONTENTS.items())})
                AS t(content, code)) c
    JOIN store.active_disclosure d
      ON d.report_id IN (p.prev_id, p.cur_id) AND d.content = c.content
    GROUP BY ALL
)
SELECT cur_id, 'x.in_force.' || code,
       printf('跨年度（2021年版表二）：%d年“%s”现行有效件数 + %d年本年制发 − 本年废止 = %d年现行有效件数（空白单元格按0计）',
              prev_year, content, year, year)
         || CASE WHEN in_force IS NULL THEN printf('（{NOT_ASSESSABLE}：%d年现行有效件数为空白）', year) ELSE '' END,
       CASE WHEN in_force IS NULL THEN NULL ELSE in_force END,
       coalesce(prev_in_force, 0) + coalesce(issued, 0) - coalesce(repealed, 0),
       CASE WHEN in_force IS NULL THEN NULL
            ELSE in_force = coalesce(prev_in_force, 0) + coalesce(issued, 0) - coalesce(repealed, 0) END,
       'across', 'error',
       printf('%d年现行有效 %s；%d年本年制发 %s、本年废止 %s、现行有效 %s', prev_year,
              coalesce(CAST(prev_in_force AS VARCHAR), '空白'), year, coalesce(CAST(issued AS VARCHAR), '空白'),
              coalesce(CAST(repealed AS VARCHAR), '空白'), coalesce(CAST(in_force AS VARCHAR), '空白'))
    FROM cells WHERE prev_rows > 0 AND cur_rows > 0
"""


def refresh_cross_year_checks(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute every across-years check from what is loaded now."""
    con.execute("DELETE FROM store.checks WHERE kind = 'across'")
    con.execute(CROSS_YEAR_SQL)
    con.execute(IN_FORCE_SQL)


@contextlib.contextmanager
def writer_lock(db_path: Path) -> Iterator[None]:
    """One writer at a time per database folder (an flock on the folder itself).

    Holding the lock, leftovers of a writer that was killed (SIGKILL leaves its
    temporary copy behind, with DuckDB's WAL or spill folder) are removed: no
    other writer can be using them. (What an ``add`` left in the reports folder
    is finished or undone by ``pipeline.recover_add``.)
    """
    folder = db_path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        for stale in folder.glob(f".{db_path.name}.*.tmp*"):
            if stale.is_dir() and not stale.is_symlink():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def staged_database(db_path: Path, start_from_existing: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection to a temporary copy; swap it in only if the block succeeds."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{db_path.name}.", suffix=".tmp", dir=db_path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if start_from_existing and db_path.exists():
            shutil.copyfile(db_path, tmp)
        else:
            tmp.unlink()
        con = duckdb.connect(str(tmp))
        try:
            create_schema(con)
            con.execute("BEGIN TRANSACTION")
            yield con
            con.execute("COMMIT")
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.chmod(tmp, 0o644)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, db_path)
        _fsync_dir(db_path.parent)
    finally:
        for leftover in (tmp, Path(f"{tmp}.wal")):
            leftover.unlink(missing_ok=True)


def write_database(db_path: Path, reports: list[Report]) -> None:
    """A new database holding exactly ``reports``, swapped in atomically.

    The caller holds ``writer_lock`` (build and add do)."""
    with staged_database(db_path, start_from_existing=False) as con:
        insert_reports(con, reports)
        refresh_cross_year_checks(con)
