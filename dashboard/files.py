"""Files the public may download: the database file and the source reports."""

from __future__ import annotations

from pathlib import Path

from .db import REPORTS_DIR, db_path


def database_bytes() -> bytes:
    return db_path().read_bytes()


def report_path(source_file: str) -> Path | None:
    """The path of a loaded report's source file, only if it lies inside data/reports."""
    path = (REPORTS_DIR / source_file).resolve()
    if path.parent != REPORTS_DIR.resolve() or not path.is_file():
        return None
    return path
