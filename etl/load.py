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
from operator import attrgetter
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
    """Reports as the stored tables' rows, one typed Arrow table per table, ready for one bulk
    INSERT each.

    This is what a parse worker sends back: Arrow tables pickle as buffers (many times faster
    than lists of Python values, on both sides), and the worker, not the parent, pays for the
    typing, so the parent (the one process that loads) only concatenates and inserts.
    ``reports.loaded_at`` is left out (the writer sets it); ``counts`` are the rows of each
    report per table, so that a report refused after it was parsed (a duplicate) can be left
    out (:meth:`without`)."""

    report_ids: list[str] = field(default_factory=list)
    counts: dict[str, list[int]] = field(default_factory=dict)
    tables: dict[str, pa.Table] = field(default_factory=dict)

    def without(self, drop: set[int]) -> Rows:
        """These rows less those of the reports at the positions ``drop``."""
        out = Rows([r for k, r in enumerate(self.report_ids) if k not in drop])
        for table, data in self.tables.items():
            counts = self.counts[table]
            keep = [k not in drop for k, n in enumerate(counts) for _ in range(n)]
            out.counts[table] = [n for k, n in enumerate(counts) if k not in drop]
            out.tables[table] = data.filter(pa.array(keep, type=pa.bool_()))
        return out


def rows_of(reports: list[Report]) -> Rows:
    """The reports' rows of every loaded table, in the schema's order (see :class:`Rows`)."""
    out = Rows([r.report_id for r in reports])
    for resource in LOADED:
        table, names = resource.name, resource.columns
        if table == "reports":
            names = tuple(c for c in names if c != "loaded_at")
            out.counts[table] = [1] * len(reports)
            columns = _transposed(reports, names)
        else:
            items_of = [getattr(report, table) for report in reports]
            out.counts[table] = [len(items) for items in items_of]
            ids = [rid for rid, items in zip(out.report_ids, items_of, strict=True) for _ in items]
            columns = {"report_id": ids, **_transposed([i for items in items_of for i in items], names[1:])}
        out.tables[table] = typed_table(table, columns)
    return out


def _transposed(items: list, names: tuple[str, ...]) -> dict[str, list]:
    """The attributes ``names`` of ``items``, column by column (one C-level pass per item)."""
    if not items:
        return {c: [] for c in names}
    if len(names) == 1:
        return {names[0]: [getattr(i, names[0]) for i in items]}
    return dict(zip(names, map(list, zip(*map(attrgetter(*names), items), strict=True)), strict=True))


def insert_rows(con: duckdb.DuckDBPyConnection, batches: list[Rows], loaded_at: datetime) -> None:
    """Insert the rows of many reports with one bulk INSERT per table (no row loop in SQL)."""
    count = sum(len(b.report_ids) for b in batches)
    if not count:
        return
    for resource in LOADED:
        table = resource.name
        data = pa.concat_tables([b.tables[table] for b in batches])
        if not data.num_rows:
            continue
        if table == "reports":
            data = data.append_column("loaded_at", _column([loaded_at] * count, "TIMESTAMP"))
        insert_frame(con, table, data)


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
