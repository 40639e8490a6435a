"""The database for the public app: opened read-only, one connection per file version.

The ETL swaps in a new database file atomically; the version token (inode and
mtime of the file) changes with it, so cached connections and query results
of the old file are not reused after a rebuild.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "dashboard.duckdb"
REPORTS_DIR = ROOT / "data" / "reports"
_build_lock = threading.Lock()


def db_path() -> Path:
    return Path(os.environ.get("DASHBOARD_DB") or DEFAULT_DB)


def reports_dir() -> Path:
    """The bundled reports (DASHBOARD_REPORTS overrides it, e.g. for tests)."""
    return Path(os.environ.get("DASHBOARD_REPORTS") or REPORTS_DIR)


def ensure_database() -> Path:
    """Build the database from data/reports/ once if it is missing (first start)."""
    path = db_path()
    if path.exists():
        return path
    with _build_lock:
        if not path.exists():
            from etl.pipeline import build

            build(reports_dir(), path)
    return path


def version() -> str:
    """A token that changes whenever the database file is replaced (one stat per call: it runs
    a few times in every script run, and each system call hands the interpreter lock away)."""
    try:
        st = os.stat(db_path())
    except FileNotFoundError:
        st = os.stat(ensure_database())
    return f"{st.st_ino}-{st.st_mtime_ns}-{st.st_size}"


@st.cache_resource(max_entries=2, show_spinner=False)
def connection(token: str) -> duckdb.DuckDBPyConnection:
    """A read-only, locked-down connection to one version of the file (keyed by its token).

    The file is ATTACHed READ_ONLY to a private in-memory database rather than
    opened with ``duckdb.connect(path)``: DuckDB shares one instance per path
    within a process, which would keep serving the old file after the ETL swaps
    in a new one. File access and configuration are then locked, so nothing run
    on this connection can write, attach or read any other file.
    """
    con = duckdb.connect(config={"threads": 2})
    escaped = str(db_path()).replace("'", "''")
    con.execute(f"ATTACH '{escaped}' AS reports_db (READ_ONLY)")
    con.execute("USE reports_db")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


@contextlib.contextmanager
def cursor(token: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor of its own on the read-only connection (thread-safe), closed after use: for
    code that takes a DuckDB connection, such as ``etl.review.review``."""
    cur = connection(token).cursor()
    try:
        cur.execute("USE reports_db")
        yield cur
    finally:
        cur.close()


def query(token: str, sql: str, params: list | None = None) -> pd.DataFrame:
    """Run one parameterised query on a cursor of its own (thread-safe)."""
    with cursor(token) as cur:
        return cur.execute(sql, params or []).df()
