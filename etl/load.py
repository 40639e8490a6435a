"""Load step: reports into DuckDB (the SQL itself is in :mod:`etl.store`), one writer at a time.

Writers never touch the live database file: they write a temporary copy next
to it and swap it in with ``os.replace`` (atomic on POSIX), so a reader sees
either the old or the new database, complete, and a failed load leaves the old
one byte for byte as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from . import store
from .filing import unit_columns
from .model import Report
from .resources import BY_NAME, LOADED
from .store import create_schema, insert_frame, replace_table, set_unit_ids
from .units import Units

# Each column goes to DuckDB as an Arrow array of its declared type: converted from the Python
# list in C, read by DuckDB without guessing (None is NULL), faster than a pandas frame of
# object columns.
_ARROW = {
    "VARCHAR": pa.string(),
    "INTEGER": pa.int32(),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
    "TIMESTAMP": pa.timestamp("us"),
}


def _column(values: list, sql_type: str) -> pa.Array:
    """One column with an explicit type, so DuckDB reads it without guessing."""
    return pa.array(values, type=_ARROW[sql_type])


def columns_of(reports: list[Report], table: str, loaded_at: datetime) -> dict[str, list]:
    """The reports' rows of one stored table, column by column, in the schema's order."""
    out = rows_of(reports).columns[table]
    if table == "reports":
        out = {c: [loaded_at] * len(reports) if c == "loaded_at" else out[c] for c in BY_NAME[table].columns}
    return out


def typed_table(resource_name: str, columns: dict[str, list]) -> pa.Table:
    """Columns of one stored table as an Arrow table of the declared types (see ``_column``)."""
    types = {f.name: f.type for f in BY_NAME[resource_name].fields}
    return pa.table({c: _column(values, types[c]) for c, values in columns.items()})


def write_units(con: duckdb.DuckDBPyConnection, units: Units) -> None:
    """The ``units`` table from one resolution, and every loaded report filed under its unit."""
    columns = unit_columns(units)
    replace_table(con, "units", typed_table("units", columns))
    spellings = [(a, u.unit_id, u.name) for u in units.all() for a in (u.name, *u.aliases)]
    set_unit_ids(
        con,
        pd.DataFrame(
            {
                "spelling": [s for s, _, _ in spellings],
                "unit_id": [i for _, i, _ in spellings],
                "name": [n for _, _, n in spellings],
            }
        ),
    )


@dataclass
class Rows:
    """Reports as the columns of the stored tables, ready for one bulk INSERT per table.

    This is what a parse worker sends back: lists of plain values pickle many times faster than
    the reports' objects, and the parent only joins lists. ``reports.loaded_at`` is left out
    (the writer sets it); ``counts`` are the rows of each report per table, so that a report
    refused after it was parsed (a duplicate) can be left out (:meth:`without`)."""

    report_ids: list[str] = field(default_factory=list)
    counts: dict[str, list[int]] = field(default_factory=dict)
    columns: dict[str, dict[str, list]] = field(default_factory=dict)

    def without(self, drop: set[int]) -> Rows:
        """These rows less those of the reports at the positions ``drop``."""
        out = Rows([r for k, r in enumerate(self.report_ids) if k not in drop])
        for table, cols in self.columns.items():
            counts = self.counts[table]
            keep, start = [], 0
            for k, n in enumerate(counts):
                if k not in drop:
                    keep.append((start, start + n))
                start += n
            out.counts[table] = [n for k, n in enumerate(counts) if k not in drop]
            out.columns[table] = {c: [v for a, b in keep for v in values[a:b]] for c, values in cols.items()}
        return out


def rows_of(reports: list[Report]) -> Rows:
    """The reports' rows of every loaded table, column by column, in the schema's order."""
    out = Rows([r.report_id for r in reports])
    for resource in LOADED:
        table, names = resource.name, resource.columns
        if table == "reports":
            out.counts[table] = [1] * len(reports)
            out.columns[table] = {c: [getattr(r, c) for r in reports] for c in names if c != "loaded_at"}
            continue
        cols: dict[str, list] = {c: [] for c in names}
        ids, counts = cols["report_id"], []
        for report in reports:
            items = getattr(report, table)
            counts.append(len(items))
            ids.extend([report.report_id] * len(items))
            for c in names[1:]:
                cols[c].extend([getattr(item, c) for item in items])
        out.counts[table], out.columns[table] = counts, cols
    return out


def insert_rows(con: duckdb.DuckDBPyConnection, batches: list[Rows], loaded_at: datetime) -> None:
    """Insert the rows of many reports with one bulk INSERT per table (no row loop in SQL).

    Each table goes to DuckDB as one DataFrame of typed columns (built column by
    column, not row by row): the load costs a fraction of the parse.
    """
    count = sum(len(b.report_ids) for b in batches)
    if not count:
        return
    for resource in LOADED:
        table = resource.name
        columns: dict[str, list] = {}
        for name in resource.columns:
            if table == "reports" and name == "loaded_at":
                columns[name] = [loaded_at] * count
            elif len(batches) == 1:
                columns[name] = batches[0].columns[table][name]
            else:
                columns[name] = [v for b in batches for v in b.columns[table][name]]
        if not columns["report_id"]:
            continue
        insert_frame(con, table, typed_table(table, columns))


def now() -> datetime:
    """The time stamped on what a writer loads (local time, to the second)."""
    return datetime.now().replace(microsecond=0)


def insert_reports(con: duckdb.DuckDBPyConnection, reports: list[Report]) -> None:
    """Insert many reports (``insert_rows`` of their rows)."""
    insert_rows(con, [rows_of(reports)], now())


def refresh_derived(con: duckdb.DuckDBPyConnection) -> None:
    """Inside a writer's staged transaction, after its inserts and deletes: every table derived
    from what is loaded now (the across-years checks) computed again. The one place for them:
    build, add and the first add's build all end here."""
    store.refresh_derived(con)


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


def write_database(db_path: Path, reports: list[Report], units: Units | None = None) -> None:
    """A new database holding exactly ``reports`` (and their ``units``), swapped in atomically.

    The caller holds ``writer_lock`` (build and add do)."""
    with staged_database(db_path, start_from_existing=False) as con:
        insert_reports(con, reports)
        if units is not None:
            write_units(con, units)
        refresh_derived(con)
