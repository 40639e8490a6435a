"""The query layer: every SQL statement of the app, each cached by its parameters.

The view layer (views.py) calls these functions for the pages; nothing else
writes SQL. Every function takes the database version token first, so a
rebuilt database is never answered from an old cache entry.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from .db import query

PUBLIC_VIEWS: tuple[str, ...] = (
    "reports",
    "figures",
    "active_disclosure",
    "foi_requests",
    "review_litigation",
    "texts",
    "checks",
)


@st.cache_data(show_spinner=False, max_entries=64)
def catalog(token: str) -> pd.DataFrame:
    """Every loaded report: agency, year, source file and when it was loaded."""
    return query(
        token,
        "SELECT report_id, agency, year, template, source_file, source_sha256, loaded_at, title "
        "FROM reports ORDER BY agency, year",
    )


@st.cache_data(show_spinner=False, max_entries=256)
def figures(token: str, agency: str, years: tuple[int, ...]) -> pd.DataFrame:
    """The prose figures of one agency for the given years."""
    return query(
        token,
        "SELECT year, topic, metric, category, value, unit, approx, evidence, raw_text, source_line "
        "FROM figures WHERE agency = ? AND list_contains(?, year) ORDER BY year, topic, metric, category",
        [agency, list(years)],
    )


@st.cache_data(show_spinner=False, max_entries=256)
def active_disclosure(token: str, agency: str, year: int) -> pd.DataFrame:
    """Table 二 of one report, in the report's order."""
    return query(
        token,
        "SELECT item, content, measure, value, raw_content, raw_measure, raw_value, source_line "
        "FROM active_disclosure WHERE agency = ? AND year = ? ORDER BY item_order, row_order, col_order",
        [agency, year],
    )


@st.cache_data(show_spinner=False, max_entries=256)
def foi_requests(token: str, agency: str, year: int) -> pd.DataFrame:
    """Table 三 of one report, one row per cell, in the template's order."""
    return query(
        token,
        "SELECT row_code, row_label, parent_label, applicant, value, raw_label, raw_value, "
        "row_order, col_order, source_line FROM foi_requests "
        "WHERE agency = ? AND year = ? ORDER BY row_order, col_order",
        [agency, year],
    )


@st.cache_data(show_spinner=False, max_entries=256)
def review_litigation(token: str, agency: str, year: int) -> pd.DataFrame:
    """Table 四 of one report."""
    return query(
        token,
        "SELECT proceeding, outcome, value, raw_value, source_line FROM review_litigation "
        "WHERE agency = ? AND year = ? ORDER BY col_order",
        [agency, year],
    )


@st.cache_data(show_spinner=False, max_entries=256)
def texts(token: str, agency: str, year: int, kind: str) -> pd.DataFrame:
    """Listed prose items of one kind (e.g. hotline_dissatisfaction)."""
    return query(
        token,
        "SELECT seq, text, section FROM texts WHERE agency = ? AND year = ? AND kind = ? ORDER BY seq",
        [agency, year, kind],
    )


@st.cache_data(show_spinner=False, max_entries=256)
def checks(token: str, agency: str, year: int) -> pd.DataFrame:
    """Every consistency check of one report, failures first."""
    return query(
        token,
        "SELECT check_id, description, expected, actual, passed, kind, severity, evidence FROM checks "
        "WHERE agency = ? AND year = ? "
        "ORDER BY CASE WHEN passed IS FALSE THEN 0 WHEN passed IS NULL THEN 2 ELSE 1 END, check_id",
        [agency, year],
    )


@st.cache_data(show_spinner=False, max_entries=256)
def check_counts(token: str, agency: str, year: int) -> dict[str, int]:
    """How many checks passed, failed (errors), differ in scope (warnings) and could not be assessed."""
    row = query(
        token,
        "SELECT count(*) FILTER (passed) AS passed, "
        "count(*) FILTER (NOT passed AND severity <> 'warning') AS failed, "
        "count(*) FILTER (NOT passed AND severity = 'warning') AS warnings, "
        "count(*) FILTER (passed IS NULL) AS not_assessable, count(*) AS total "
        "FROM checks WHERE agency = ? AND year = ?",
        [agency, year],
    ).iloc[0]
    return {k: int(row[k]) for k in ("passed", "failed", "warnings", "not_assessable", "total")}


@st.cache_data(show_spinner=False, max_entries=64)
def view(token: str, name: str, agency: str | None = None, year: int | None = None) -> pd.DataFrame:
    """A whole public view (optionally one agency/year) for downloads."""
    if name not in PUBLIC_VIEWS:
        raise ValueError(f"unknown view {name!r}")
    where, params = [], []
    if agency is not None:
        where.append("agency = ?")
        params.append(agency)
    if year is not None:
        where.append("year = ?")
        params.append(year)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    return query(token, f"SELECT * FROM {name}{clause}", params)  # name is whitelisted above
