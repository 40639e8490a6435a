"""All of the ETL's SQL, in one place: the schema (generated from :mod:`etl.resources`), the
loader's writes, the across-years checks, and the read-only look-ups that ``add`` makes.

Tables live in schema ``store``; the published views (the data contract) in ``main``.
Readers of a database file go through :func:`reading`, which opens it read-only and
closes it whatever happens.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from .checks import APPLICANT_CODES, NOT_ASSESSABLE
from .fields import REPORT_COLUMNS, Field, Resource
from .indicators import REFRESH_SQL as INDICATORS_SQL
from .resources import PART_TABLES, RESOURCES, STORED
from .template import (
    IN_FORCE,
    IN_FORCE_CONTENTS,
    ISSUED,
    REPEALED,
    TABLE3_BY_CODE,
    TABLE3_CARRIED_IN,
    TABLE3_CARRIED_OUT,
)

CARRIED_OUT_LABEL = TABLE3_BY_CODE[TABLE3_CARRIED_OUT].label.split("、", 1)[1]  # 结转下年度继续办理
CARRIED_IN_KEY = TABLE3_BY_CODE[TABLE3_CARRIED_IN].key  # 上年结转

# --- The schema ----------------------------------------------------------------------------


def column_ddl(field: Field) -> str:
    return f"{field.name} {field.type}" + (
        " PRIMARY KEY" if field.key else "" if field.nullable else " NOT NULL"
    )


def table_ddl(resource: Resource) -> str:
    parts = [column_ddl(f) for f in resource.fields]
    return ", ".join([*parts, resource.constraints] if resource.constraints else parts)


def view_sql(resource: Resource) -> str:
    """The published view: a report's rows with report_id, agency and year (no join needed to filter)."""
    if not resource.per_report:
        return f"SELECT {', '.join(resource.view_columns)} FROM store.{resource.name}"
    own = resource.view_columns[len(REPORT_COLUMNS) :]
    return (
        f"SELECT t.report_id, r.agency, r.year, {', '.join('t.' + c for c in own)} "
        f"FROM store.{resource.name} t JOIN store.reports r USING (report_id)"
    )


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Tables (published or internal) and the published views; columns and tables added since a
    database was first built are added to it (a writer's next refresh_derived fills a new derived one)."""
    con.execute("CREATE SCHEMA IF NOT EXISTS store")
    for resource in STORED:
        con.execute(f"CREATE TABLE IF NOT EXISTS store.{resource.name} ({table_ddl(resource)})")
        for field in resource.fields:
            if field.added is not None:
                con.execute(
                    f"ALTER TABLE store.{resource.name} ADD COLUMN IF NOT EXISTS "
                    f"{field.name} {field.type} DEFAULT {field.added}"
                )
    for resource in RESOURCES:
        con.execute(f"CREATE OR REPLACE VIEW main.{resource.name} AS {view_sql(resource)}")


# --- Writes ----------------------------------------------------------------------------------


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame | pa.Table) -> None:
    """One bulk INSERT of a frame (pandas or Arrow) whose columns are the table's."""
    con.register("frame", frame)
    try:
        # By name: a database from before a column was added holds it last, not where it is declared.
        con.execute(f"INSERT INTO store.{table} BY NAME SELECT * FROM frame")
    finally:
        con.unregister("frame")


def replace_table(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """A table of its own (``units``, ``refusals``) replaced whole by ``frame``."""
    con.execute(f"DELETE FROM store.{table}")
    if len(frame):
        insert_frame(con, table, frame)


def set_unit_ids(con: duckdb.DuckDBPyConnection, units: pd.DataFrame) -> None:
    """Every loaded report filed under its unit (``units``: canonical name and alias → unit_id):
    an add files the reports loaded before it the same way as the new one."""
    con.register("unit_names", units)
    try:
        con.execute(
            "UPDATE store.reports SET unit_id = n.unit_id, agency = n.name FROM unit_names n "
            "WHERE store.reports.agency = n.spelling "
            "AND (store.reports.agency <> n.name OR store.reports.unit_id IS DISTINCT FROM n.unit_id)"
        )
    finally:
        con.unregister("unit_names")


def delete_report(con: duckdb.DuckDBPyConnection, report_id: str) -> None:
    for table in (*PART_TABLES, "reports"):
        con.execute(f"DELETE FROM store.{table} WHERE report_id = ?", [report_id])


def insert_refusals(con: duckdb.DuckDBPyConnection, rows: list[tuple]) -> None:
    """Rows of the refusals table (source_file, reason, place, source_sha256, refused_at, agency,
    unit_id, year), in order. A build replaces them all (its database starts empty); an add keeps
    the last build's."""
    if rows:
        columns = [
            "source_file",
            "reason",
            "place",
            "source_sha256",
            "refused_at",
            "agency",
            "unit_id",
            "year",
        ]
        frame = pd.DataFrame(rows, columns=columns, dtype=object)
        frame["refused_at"] = pd.to_datetime(frame["refused_at"])
        insert_frame(con, "refusals", frame)


def drop_refusals(con: duckdb.DuckDBPyConnection, source_file: str) -> None:
    """Forget the refusals of a file name: an add has just loaded a file of that name."""
    con.execute("DELETE FROM store.refusals WHERE source_file = ?", [source_file])


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
       printf('跨年度：%d年表三“%s”列的“{CARRIED_OUT_LABEL}”应等于%d年的“{CARRIED_IN_KEY}”（空白单元格按0计）',
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
sides AS (  -- each pair twice, once per report: an equality join below (an IN join is a slow nested loop)
    SELECT p.*, true AS is_prev, p.prev_id AS side_id FROM pairs p
    UNION ALL
    SELECT p.*, false, p.cur_id FROM pairs p
),
cells AS (
    SELECT p.cur_id, p.prev_id, p.year, p.prev_year, c.content, c.code,
        max(d.value) FILTER (p.is_prev AND d.measure = '{IN_FORCE}') AS prev_in_force,
        max(d.value) FILTER (NOT p.is_prev AND d.measure = '{ISSUED}') AS issued,
        max(d.value) FILTER (NOT p.is_prev AND d.measure = '{REPEALED}') AS repealed,
        max(d.value) FILTER (NOT p.is_prev AND d.measure = '{IN_FORCE}') AS in_force,
        count(*) FILTER (p.is_prev AND d.measure = '{IN_FORCE}') AS prev_rows,
        count(*) FILTER (NOT p.is_prev AND d.measure = '{IN_FORCE}') AS cur_rows
    FROM sides p
    CROSS JOIN (SELECT * FROM (VALUES {", ".join(f"('{c}', '{k}')" for c, k in IN_FORCE_CONTENTS.items())})
                AS t(content, code)) c
    JOIN store.active_disclosure d
      ON d.report_id = p.side_id AND d.content = c.content
    GROUP BY p.cur_id, p.prev_id, p.year, p.prev_year, c.content, c.code
)
SELECT cur_id, 'x.in_force.' || code,
       printf('跨年度（2021年版表二）：%d年“%s”{IN_FORCE} + %d年{ISSUED} − {REPEALED} = %d年{IN_FORCE}（空白单元格按0计）',
              prev_year, content, year, year)
         || CASE WHEN in_force IS NULL THEN printf('（{NOT_ASSESSABLE}：%d年{IN_FORCE}为空白）', year) ELSE '' END,
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


# The review's digest of each report's failed checks (``store.check_summary``, internal): the
# counts by severity and every failed check, by check_id, one a line with its values and evidence.
CHECK_SUMMARY_SELECT = """
SELECT c.report_id, r.year,
    count(*) FILTER (c.severity <> 'warning') AS failed,
    count(*) FILTER (c.severity = 'warning') AS warnings,
    string_agg(c.description || '（应为 ' || coalesce(CAST(c.expected AS VARCHAR), '空白')
               || '，实际 ' || coalesce(CAST(c.actual AS VARCHAR), '空白') || '；' || coalesce(c.evidence, '') || '）',
               '\n' ORDER BY c.check_id) AS failed_checks
FROM store.checks c JOIN store.reports r USING (report_id)
WHERE c.passed = false
GROUP BY c.report_id, r.year
"""
CHECK_SUMMARY_SQL = "INSERT INTO store.check_summary BY NAME" + CHECK_SUMMARY_SELECT


def has_check_summary(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the database has ``store.check_summary`` (one built before it existed has not,
    until its next write)."""
    sql = (
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'store' AND table_name = 'check_summary'"
    )
    return bool(con.execute(sql).fetchone()[0])


def refresh_derived(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute what is derived from the loaded reports: the across-years checks, then what reads
    every check (the check summary) and the indicators. Every writer ends here, after its last
    change to reports or checks, so nothing derived is ever stale."""
    refresh_cross_year_checks(con)
    con.execute("DELETE FROM store.check_summary")
    con.execute(CHECK_SUMMARY_SQL)
    con.execute("DELETE FROM store.indicators")
    con.execute(INDICATORS_SQL)


# --- Read-only look-ups (for add and its recovery) -----------------------------------------


@contextlib.contextmanager
def reading(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection | None]:
    """A read-only connection to the database file, closed afterwards; None when there is no file."""
    if not db_path.exists():
        yield None
        return
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        yield con
    finally:
        con.close()


def holds(db_path: Path, source_file: str, sha256: str | None = None) -> bool:
    """Whether the database holds a report read from ``source_file`` (with that checksum)."""
    with reading(db_path) as con:
        if con is None:
            return False
        row = con.execute(
            "SELECT count(*) FROM store.reports WHERE source_file = ? AND (? IS NULL OR source_sha256 = ?)",
            [source_file, sha256, sha256],
        ).fetchone()
    return bool(row and row[0])


def how_read(db_path: Path, source_file: str, sha256: str | None) -> tuple | None:
    """(agency, year, agency_source, year_source) of the loaded report of that file and checksum."""
    with reading(db_path) as con:
        if con is None:
            return None
        try:
            return con.execute(
                "SELECT agency, year, agency_source, year_source FROM store.reports "
                "WHERE source_file = ? AND source_sha256 = ?",
                [source_file, sha256],
            ).fetchone()
        except duckdb.Error:  # a database from before supplied values
            return None


def report_id_owner(db_path: Path, report_id: str) -> str | None:
    """The source file of the loaded report with this id, if any."""
    with reading(db_path) as con:
        row = (
            None
            if con is None
            else con.execute(
                "SELECT source_file FROM store.reports WHERE report_id = ?", [report_id]
            ).fetchone()
        )
    return row[0] if row else None


def loaded_agencies(db_path: Path) -> list[str]:
    with reading(db_path) as con:
        if con is None:
            return []
        return [row[0] for row in con.execute("SELECT DISTINCT agency FROM store.reports").fetchall()]


def loaded_report(db_path: Path, agency: str, year: int) -> tuple[str, str] | None:
    """(report_id, source_file) of the loaded report of that agency and year."""
    with reading(db_path) as con:
        row = (
            None
            if con is None
            else con.execute(
                "SELECT report_id, source_file FROM store.reports WHERE agency = ? AND year = ?",
                [agency, year],
            ).fetchone()
        )
    return (row[0], row[1]) if row else None
