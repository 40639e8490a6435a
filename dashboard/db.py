"""The database for the public app: opened read-only, one connection per file version.

The ETL swaps in a new database file atomically; the version token (inode and
mtime of the file) changes with it, so cached connections and query results
of the old file are not reused after a rebuild.
"""

from __future__ import annotations

import os
import threading
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


def ensure_database() -> Path:
    """Build the database from data/reports/ once if it is missing (first start)."""
    path = db_path()
    if path.exists():
        return path
    with _build_lock:
        if not path.exists():
            from etl.pipeline import build

            build(REPORTS_DIR, path)
    return path


def version() -> str:
    """A token that changes whenever the database file is replaced."""
    st = ensure_database().stat()
    return f"{st.st_ino}-{st.st_mtime_ns}-{st.st_size}"


@st.cache_resource(max_entries=2, show_spinner=False)
def connection(token: str) -> duckdb.DuckDBPyConnection:
    """The read-only connection for one version of the file (keyed by its token)."""
    return duckdb.connect(str(db_path()), read_only=True)


def query(token: str, sql: str, params: list | None = None) -> pd.DataFrame:
    """Run one parameterised query on a cursor of its own (thread-safe)."""
    cur = connection(token).cursor()
    try:
        return cur.execute(sql, params or []).df()
    finally:
        cur.close()
