"""Tables as files: CSV (UTF-8 with BOM, formula-like text defused) and XLSX, for the dashboard's
downloads and the ETL's own files (the review list, the open-data release).

Pure functions over DataFrames; no Streamlit."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

import pandas as pd

from .xlsx import Sheet, workbook

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


def _display_width(value: Any, limit: int | None = None) -> int:
    """Columns of text (a Chinese character counts two), of its first ``limit`` characters."""
    text = "" if value is None else str(value)[:limit]
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _excel_ready(df: pd.DataFrame) -> pd.DataFrame:
    """Flatten MultiIndex columns and drop time zones (Excel has none); the frame itself when
    there is neither (no copy of a large frame)."""
    zoned = [c for c, dtype in df.dtypes.items() if isinstance(dtype, pd.DatetimeTZDtype)]
    if not zoned and not isinstance(df.columns, pd.MultiIndex):
        return df
    df = df.copy()
    for col in zoned:
        df[col] = df[col].dt.tz_localize(None)
    if isinstance(df.columns, pd.MultiIndex):
        df.columns = [" / ".join(str(p) for p in col if str(p) != "") for col in df.columns]
    return df


MAX_WIDTH = 60  # characters
WIDTH_SAMPLE = 100  # rows a column's width is measured over (every cell of 2,000 rows costs seconds)


def _width(header: Any, sample: list[Any]) -> float:
    # a column is at most MAX_WIDTH wide, so no more characters are measured
    width = max([_display_width(header), *(_display_width(v, MAX_WIDTH) for v in sample if not _blank(v))])
    return min(max(width + 2, 8), MAX_WIDTH)


def _blank(value: Any) -> bool:
    return (
        value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))
    )


def _sheet(name: str, df: pd.DataFrame) -> Sheet:
    """A frame as a sheet: typed cells (numpy scalars made Python ones), the header frozen and
    filterable, columns sized to their first rows."""
    df = _excel_ready(df)
    columns = [series.tolist() for _, series in df.items()]
    widths = [_width(h, values[:WIDTH_SAMPLE]) for h, values in zip(df.columns, columns, strict=True)]
    return Sheet(name, [str(h) for h in df.columns], zip(*columns, strict=True), widths, len(df))


def xlsx_bytes(
    data: pd.DataFrame | Mapping[str, pd.DataFrame],
    *,
    sheet_name: str = "数据",
    notes: Mapping[str, str] | None = None,
) -> bytes:
    """An Excel workbook: one sheet per frame (a single frame goes to ``sheet_name``).

    Sheet names are made valid for Excel (at most 31 characters, no ``[]:*?/\\``,
    unique). The header row is frozen and filterable, columns are sized to their
    contents (Chinese characters count double; the first rows are measured). Text stays
    text, never a formula; a blank (NULL) cell stays blank. ``notes`` (e.g.
    ``{"数据来源": ..., "年度": ...}``) adds a last sheet "说明" with one line per entry.
    """
    frames = {sheet_name: data} if isinstance(data, pd.DataFrame) else dict(data)
    if not frames and not notes:
        frames = {sheet_name: pd.DataFrame()}
    names = _sheet_names([*frames.keys(), *(["说明"] if notes else [])])
    sheets = [_sheet(name, df) for name, df in zip(names, frames.values(), strict=False)]
    if notes:
        widths = [
            max(10, *(_display_width(k) + 2 for k in notes)),
            min(100, max(20, *(_display_width(v) + 2 for v in notes.values()))),
        ]
        sheets.append(Sheet(names[-1], ["项目", "内容"], list(notes.items()), widths, len(notes), False))
    return workbook(sheets)
