"""Tables as files: CSV (UTF-8 with BOM, formula-like text defused) and XLSX, for the dashboard's
downloads and the ETL's own files (the review list, the open-data release).

Pure functions over DataFrames; no Streamlit."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

import pandas as pd

# A text cell starting with one of these is run as a formula by Excel and other
# spreadsheets when the CSV is opened (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse_formula(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, prefixed with ``'``; other values as they are.

    Only text is touched: numbers (negative ones too) stay numbers. The prefix is the
    convention Excel itself uses for "this is text"; the database file and the XLSX
    export keep the text exactly as the report has it."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def defuse_sql(column: str) -> str:
    """:func:`defuse_formula` as a DuckDB expression over a text column (``column`` is SQL, a
    quoted name), for CSV files DuckDB writes itself (the open-data release, millions of rows):
    the same prefix on the same cells, NULL left NULL."""
    starts = " OR ".join(f"starts_with({column}, chr({ord(c)}))" for c in FORMULA_START)
    return f"CASE WHEN {starts} THEN chr(39) || {column} ELSE {column} END"


def csv_bytes(df: pd.DataFrame) -> bytes:
    """The frame as CSV in UTF-8 with a BOM (so Excel shows Chinese), without the index.

    Report text is untrusted: text cells that would start a formula are defused."""
    text_cols = [c for c in df.columns if df[c].dtype == object or pd.api.types.is_string_dtype(df[c])]
    if text_cols:
        df = df.copy()
        for col in text_cols:
            df[col] = df[col].map(defuse_formula)
    return df.to_csv(index=False).encode("utf-8-sig")


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


def _sheet_names(names: list[str]) -> list[str]:
    """Valid, unique Excel sheet names: no []:*?/\\, at most 31 characters, not 'History'."""
    out: list[str] = []
    seen: set[str] = set()
    for i, raw in enumerate(names, start=1):
        name = _SHEET_FORBIDDEN.sub("_", str(raw)).strip().strip("'") or f"Sheet{i}"
        if name.lower() == "history":
            name = f"{name}_"
        name = name[:31]
        candidate, n = name, 2
        while candidate.lower() in seen:
            suffix = f"({n})"
            candidate = name[: 31 - len(suffix)] + suffix
            n += 1
        seen.add(candidate.lower())
        out.append(candidate)
    return out


def _display_width(value: Any) -> int:
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _excel_ready(df: pd.DataFrame) -> pd.DataFrame:
    """Flatten MultiIndex columns and drop time zones (Excel has none)."""
    df = df.copy()
    if isinstance(df.columns, pd.MultiIndex):
        df.columns = [" / ".join(str(p) for p in col if str(p) != "") for col in df.columns]
    for col in df.columns:
        if isinstance(df[col].dtype, pd.DatetimeTZDtype):
            df[col] = df[col].dt.tz_localize(None)
    return df


def xlsx_bytes(
    data: pd.DataFrame | Mapping[str, pd.DataFrame],
    *,
    sheet_name: str = "数据",
    notes: Mapping[str, str] | None = None,
) -> bytes:
    """An Excel workbook: one sheet per frame (a single frame goes to ``sheet_name``).

    Sheet names are made valid for Excel (at most 31 characters, no ``[]:*?/\\``,
    unique). The header row is frozen and filterable, columns are sized to their
    contents (Chinese characters count double). Text that starts with ``=`` stays
    text, never a formula. ``notes`` (e.g. ``{"数据来源": ..., "年度": ...}``) adds
    a last sheet "说明" with one line per entry.
    """
    from openpyxl.utils import get_column_letter

    frames = {sheet_name: data} if isinstance(data, pd.DataFrame) else dict(data)
    if not frames and not notes:
        frames = {sheet_name: pd.DataFrame()}
    names = _sheet_names([*frames.keys(), *(["说明"] if notes else [])])
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, df in zip(names, frames.values(), strict=False):
            df = _excel_ready(df)
            df.to_excel(writer, sheet_name=name, index=False)
            ws = writer.sheets[name]
            for row in ws.iter_rows(min_row=2):
                for cell in row:
                    if cell.data_type == "f":  # a string that looks like a formula: keep it text
                        cell.data_type = "s"
            if len(df.columns):
                ws.freeze_panes = "A2"
                ws.auto_filter.ref = ws.dimensions
            for j, col in enumerate(df.columns, start=1):
                sample = df[col].head(1000).tolist()
                width = max([_display_width(col), *(_display_width(v) for v in sample)])
                ws.column_dimensions[get_column_letter(j)].width = min(max(width + 2, 8), 60)
        if notes:
            name = names[-1]
            pd.DataFrame({"项目": list(notes.keys()), "内容": list(notes.values())}).to_excel(
                writer, sheet_name=name, index=False
            )
            ws = writer.sheets[name]
            ws.column_dimensions["A"].width = max(10, *(_display_width(k) + 2 for k in notes))
            ws.column_dimensions["B"].width = min(
                100, max(20, *(_display_width(v) + 2 for v in notes.values()))
            )
    return buf.getvalue()
