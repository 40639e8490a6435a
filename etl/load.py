"""Load step: reports into DuckDB (the SQL itself is in :mod:`etl.store`), one writer at a time.

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

from .filing import unit_columns
from .model import Report
from .resources import BY_NAME, LOADED
from .store import create_schema, insert_frame, refresh_derived, replace_table, set_unit_ids
from .units import Units


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
    names = BY_NAME[table].columns
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


def typed_frame(resource_name: str, columns: dict[str, list]) -> pd.DataFrame:
    """Columns of one stored table as a frame with explicit dtypes (see ``_column``)."""
    types = {f.name: f.type for f in BY_NAME[resource_name].fields}
    return pd.DataFrame({c: _column(values, types[c]) for c, values in columns.items()}, copy=False)


def write_units(con: duckdb.DuckDBPyConnection, units: Units) -> None:
    """The ``units`` table from one resolution, and every loaded report filed under its unit."""
    columns = unit_columns(units)
    replace_table(con, "units", typed_frame("units", columns))
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


def insert_reports(con: duckdb.DuckDBPyConnection, reports: list[Report]) -> None:
    """Insert many reports with one bulk INSERT per table (no row loop in SQL).

    Each table goes to DuckDB as one DataFrame of typed columns (built column by
    column, not row by row): the load costs a fraction of the parse.
    """
    loaded_at = datetime.now().replace(microsecond=0)
    for resource in LOADED:
        columns = columns_of(reports, resource.name, loaded_at)
        if not columns["report_id"]:
            continue
        insert_frame(con, resource.name, typed_frame(resource.name, columns))


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


def write_database(db_path: Path, reports: list[Report], units: Units | None = None) -> None:
    """A new database holding exactly ``reports`` (and their ``units``), swapped in atomically.

    The caller holds ``writer_lock`` (build and add do)."""
    with staged_database(db_path, start_from_existing=False) as con:
        insert_reports(con, reports)
        if units is not None:
            write_units(con, units)
        refresh_derived(con)
