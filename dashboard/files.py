"""Files the public may download: the database file and the source reports."""

from __future__ import annotations

from pathlib import Path

from .db import db_path, reports_dir


def database_bytes() -> bytes:
    return db_path().read_bytes()


def report_path(source_file: str) -> Path | None:
    """The path of a loaded report's source file, only if it lies inside data/reports."""
    folder = reports_dir().resolve()
    path = (folder / source_file).resolve()
    if path.parent != folder or not path.is_file():
        return None
    return path
