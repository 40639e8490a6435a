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

from etl import pipeline
from etl.model import Report, ReportError
from etl.parse import SUPPLIED, TITLE_PLACE
from etl.pipeline import AlreadyLoaded, add, safe_file_name
from etl.readers import MAX_BYTES, REPORT_SUFFIXES, document_from_bytes

__all__ = ["SUPPLIED", "AlreadyLoaded", "Preview", "ReportError", "commit", "parse_year", "preview"]

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
    title_problem: bool = (
        False  # the title gave no agency or year (or a wrong one): an official may supply them
    )
    printed_agency: str = ""  # the agency as the report names it, when a loaded one's fuller name is used


def parse_year(text: str) -> tuple[int | None, str | None]:
    """The 年度 input: (year, None), (None, None) when empty, or (None, the message)."""
    text = text.strip()
    if not text:
        return None, None
    if text.isascii() and text.isdigit() and len(text) == 4:
        return int(text), None
    return None, f"年度应为四位数字（如 2024），而不是“{text}”"


def preview(name: str, data: bytes, agency: str | None = None, year: int | None = None) -> Preview:
    """Read, parse and check an upload without storing anything: ``etl check``'s preview
    (agency matched to a loaded one, the report it would replace); ``agency``/``year`` are
    the official's, used as ``etl add --agency/--year`` uses them."""
    safe = safe_file_name(name)
    out = Preview(safe)
    if len(data) > MAX_UPLOAD_BYTES:
        out.problems.append(f"文件超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
        return out
    try:
        result = pipeline.preview(document_from_bytes(safe, data), db_path(), agency, year, reports_dir())
    except ReportError as exc:
        out.problems = [str(p) for p in exc.problems]
        out.title_problem = any(p.place.startswith(TITLE_PLACE) for p in exc.problems)
        return out
    out.report, out.printed_agency, out.replaces = result.report, result.printed_agency, result.replaces
    return out


def commit(
    name: str, data: bytes, replace: bool, agency: str | None = None, year: int | None = None
) -> Report:
    """Load the upload with ``etl add`` (validated again, copied, loaded atomically)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / safe_file_name(name)
        path.write_bytes(data)
        return add(path, reports_dir(), db_path(), replace=replace, agency=agency, year=year)
