"""Queries of the long lists a page shows a page at a time (the first page's units, the review's
failed checks): each page's rows come from DuckDB with LIMIT/OFFSET and the count from its own
query, so a visit never fetches or sends thousands of rows; the whole list is fetched only when
its download is clicked (``limit=None``). Cached by their parameters like :mod:`queries`."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from etl import review as etl_review

from .db import cursor, query

PAGE_SIZE = 100  # rows per page of a long table

# Every unit with at least one loaded report: its parent, years, reports and failed checks.
_UNITS = """
WITH failed AS (
    SELECT report_id, count(*) FILTER (NOT passed AND severity <> 'warning') AS failed
    FROM checks GROUP BY report_id
)
SELECT u.unit_id, u.name, u.unit_type, p.name AS parent_name,
    string_agg(CAST(r.year AS VARCHAR), '、' ORDER BY r.year) AS years, count(*) AS reports,
    CAST(coalesce(sum(f.failed), 0) AS BIGINT) AS failed
FROM reports r JOIN units u USING (unit_id) LEFT JOIN units p ON p.unit_id = u.parent_id
LEFT JOIN failed f USING (report_id)
GROUP BY u.unit_id, u.name, u.unit_type, p.name
ORDER BY u.name, u.unit_id
"""


def _page(limit: int | None, offset: int) -> str:
    return "" if limit is None else f" LIMIT {int(limit)} OFFSET {int(offset)}"


@st.cache_data(show_spinner=False, max_entries=128)
def reporting_units(token: str, limit: int | None = PAGE_SIZE, offset: int = 0) -> pd.DataFrame:
    """``limit`` reporting units from ``offset``, by name (all of them when ``limit`` is None)."""
    return query(token, _UNITS + _page(limit, offset))


@st.cache_data(show_spinner=False, max_entries=16)
def reporting_unit_count(token: str) -> int:
    return int(query(token, "SELECT count(DISTINCT unit_id) AS n FROM reports")["n"].iloc[0])


@st.cache_data(show_spinner=False, max_entries=128)
def review_checks(
    token: str, parent: str, year: int, limit: int | None = PAGE_SIZE, offset: int = 0
) -> pd.DataFrame:
    """A page of the failed checks of the units under ``parent`` in ``year`` (etl.review's)."""
    with cursor(token) as cur:
        return etl_review.failed_checks(cur, parent, year, limit, offset)


@st.cache_data(show_spinner=False, max_entries=32)
def review_check_count(token: str, parent: str, year: int) -> int:
    with cursor(token) as cur:
        return etl_review.count_failed_checks(cur, parent, year)
