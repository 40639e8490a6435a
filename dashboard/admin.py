"""The officials' import: configured only with an admin password, and loading a
report through exactly the code path of ``python -m etl add``.

The password comes from the environment (DASHBOARD_ADMIN_PASSWORD) or from
Streamlit secrets (``admin_password``); without it the import page is not
registered at all.
"""

from __future__ import annotations

import hmac
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

from etl.checks import run_checks
from etl.model import Report, ReportError
from etl.parse import parse_report
from etl.pipeline import add, safe_file_name
from etl.read import MAX_BYTES, REPORT_SUFFIXES, document_from_bytes

from .db import db_path, reports_dir

UPLOAD_TYPES = [s.lstrip(".") for s in REPORT_SUFFIXES]
MAX_UPLOAD_BYTES = MAX_BYTES


def admin_password() -> str | None:
    password = os.environ.get("DASHBOARD_ADMIN_PASSWORD")
    if password:
        return password
    try:
        value = st.secrets.get("admin_password")
    except Exception:  # no secrets file: not configured
        return None
    return str(value) if value else None


def configured() -> bool:
    return bool(admin_password())


def password_ok(given: str) -> bool:
    expected = admin_password()
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


@dataclass
class Preview:
    file_name: str  # the safe name it will be stored under
    report: Report | None = None
    problems: list[str] = field(default_factory=list)
    replaces: str | None = None  # source file of the loaded report of the same agency and year


def preview(name: str, data: bytes, loaded) -> Preview:
    """Read, parse and check an upload without storing anything."""
    safe = safe_file_name(name)
    out = Preview(safe)
    if len(data) > MAX_UPLOAD_BYTES:
        out.problems.append(f"文件超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
        return out
    try:
        report = parse_report(document_from_bytes(safe, data))
    except ReportError as exc:
        out.problems = [str(p) for p in exc.problems]
        return out
    report.checks = run_checks(report)
    out.report = report
    same = loaded[(loaded["year"] == report.year) & (loaded["agency"] == report.agency)]
    if not same.empty:
        out.replaces = str(same["source_file"].iloc[0])
    return out


def commit(name: str, data: bytes, replace: bool) -> Report:
    """Load the upload with ``etl add`` (validated again, copied, loaded atomically)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / safe_file_name(name)
        path.write_bytes(data)
        return add(path, reports_dir(), db_path(), replace=replace)
