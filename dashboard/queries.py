"""The query layer: every SQL statement of the app, each cached by its parameters.

The view layer (views.py) calls these functions for the pages; nothing else
writes SQL. Every function takes the database version token first, so a
rebuilt database is never answered from an old cache entry.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from etl import review as etl_review
from etl.fields import REPORT_COLUMNS
from etl.indicators import DENOMINATOR_BLANK, DENOMINATOR_ZERO, NUMERATOR_BLANK
from etl.resources import BY_NAME, RESOURCES
from etl.template import (
    APPLICANT_TOTAL,
    OUTCOME_TOTAL,
    OUTCOMES,
    PROCEEDINGS,
    TABLE3_DISCLOSED,
    TABLE3_NEW,
    TABLE3_TOTAL,
    TABLE3_WITHHELD_ROWS,
)

from .db import cursor, query

PUBLIC_VIEWS: tuple[str, ...] = tuple(r.name for r in RESOURCES)


def _select(view: str, *first: str) -> str:
    """``SELECT`` of a view's own columns (from the registry; not report_id, agency, year), after ``first``."""
    own = [c for c in BY_NAME[view].view_columns if c not in REPORT_COLUMNS]
    return f"SELECT {', '.join([*first, *own])} FROM {view}"


def _of_report(token: str, view: str, agency: str, year: int, order: str) -> pd.DataFrame:
    """One report's rows of a view, in ``order``."""
    return query(token, f"{_select(view)} WHERE agency = ? AND year = ? ORDER BY {order}", [agency, year])


@st.cache_data(show_spinner=False, max_entries=64)
def catalog(token: str) -> pd.DataFrame:
    """Every loaded report: agency, year, source file and when it was loaded."""
    return query(
        token,
        _select("reports", *REPORT_COLUMNS) + " ORDER BY agency, year",
    )


@st.cache_data(show_spinner=False, max_entries=256)
def figures(token: str, agency: str, years: tuple[int, ...]) -> pd.DataFrame:
    """The prose figures of one agency for the given years."""
    return query(
        token,
        _select("figures", "year")
        + " WHERE agency = ? AND list_contains(?, year) ORDER BY year, topic, metric, category",
        [agency, list(years)],
    )


@st.cache_data(show_spinner=False, max_entries=256)
def active_disclosure(token: str, agency: str, year: int) -> pd.DataFrame:
    """Table 二 of one report, in the report's order."""
    return _of_report(token, "active_disclosure", agency, year, "item_order, row_order, col_order")


@st.cache_data(show_spinner=False, max_entries=256)
def foi_requests(token: str, agency: str, year: int) -> pd.DataFrame:
    """Table 三 of one report, one row per cell, in the template's order."""
    return _of_report(token, "foi_requests", agency, year, "row_order, col_order")


@st.cache_data(show_spinner=False, max_entries=256)
def review_litigation(token: str, agency: str, year: int) -> pd.DataFrame:
    """Table 四 of one report."""
    return _of_report(token, "review_litigation", agency, year, "col_order")


@st.cache_data(show_spinner=False, max_entries=256)
def texts(token: str, agency: str, year: int, kind: str) -> pd.DataFrame:
    """Listed prose items of one kind (e.g. hotline_dissatisfaction)."""
    return query(
        token,
        _select("texts") + " WHERE agency = ? AND year = ? AND kind = ? ORDER BY seq",
        [agency, year, kind],
    )


@st.cache_data(show_spinner=False, max_entries=256)
def checks(token: str, agency: str, year: int) -> pd.DataFrame:
    """Every consistency check of one report, failures first."""
    failures_first = "CASE WHEN passed IS FALSE THEN 0 WHEN passed IS NULL THEN 2 ELSE 1 END, check_id"
    return _of_report(token, "checks", agency, year, failures_first)


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
    if BY_NAME[name].scope == "own":  # units, refusals: not rows of one agency's reports
        agency = year = None
    where, params = [], []
    if agency is not None:
        where.append("agency = ?")
        params.append(agency)
    if year is not None:
        where.append("year = ?")
        params.append(year)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    return query(token, f"SELECT * FROM {name}{clause}", params)  # name is whitelisted above


@st.cache_data(show_spinner=False, max_entries=256)
def agency_search(token: str, text: str, limit: int) -> tuple[str, ...]:
    """At most ``limit`` agency names containing ``text`` (all of them when it is empty), sorted."""
    rows = query(
        token,
        "SELECT DISTINCT agency FROM reports WHERE contains(lower(agency), lower(?)) ORDER BY agency LIMIT ?",
        [text, limit],
    )
    return tuple(rows["agency"])


# Table 三 and 四 figures of one agency-year, comparable between the 2019 and 2021 formats.
_COMPARE_SQL = """
WITH r AS ({reports}), t3 AS (
    SELECT report_id,
        sum(value) FILTER (row_code = ?) AS new_requests,
        sum(value) FILTER (row_code = ?) AS outcome_total,
        sum(value) FILTER (row_code = ?) AS disclosed,
        sum(value) FILTER (list_contains(?, row_code)) AS withheld,
        count(value) FILTER (list_contains(?, row_code)) AS withheld_cells
    FROM store.foi_requests
    WHERE report_id IN (SELECT report_id FROM r) AND applicant = ?
    GROUP BY report_id
), t4 AS (
    SELECT report_id,
        sum(value) FILTER (proceeding = ? AND outcome = ?) AS review_total,
        sum(value) FILTER (proceeding <> ? AND outcome = ?) AS litigation_total,
        sum(value) FILTER (outcome = ?) AS corrected,
        sum(value) FILTER (outcome = ?) AS decided_total
    FROM store.review_litigation WHERE report_id IN (SELECT report_id FROM r)
    GROUP BY report_id
), c AS (
    SELECT report_id, count(*) FILTER (NOT passed AND severity <> 'warning') AS failed_checks
    FROM store.checks WHERE report_id IN (SELECT report_id FROM r) GROUP BY report_id
)
SELECT r.agency, r.year, r.template, r.report_id, t3.new_requests, t3.outcome_total, t3.disclosed,
    CASE WHEN t3.withheld_cells > 0 THEN t3.withheld END AS withheld,
    t4.review_total, t4.litigation_total, t4.corrected, t4.decided_total,
    coalesce(c.failed_checks, 0) AS failed_checks
FROM r LEFT JOIN t3 USING (report_id) LEFT JOIN t4 USING (report_id) LEFT JOIN c USING (report_id)
ORDER BY r.agency, r.year
"""


@st.cache_data(show_spinner=False, max_entries=128)
def compare_rows(token: str, agencies: tuple[str, ...], first: int, last: int) -> pd.DataFrame:
    """One row per agency-year of the selection: tables 三 and 四's totals and the failed checks.

    Only the reports of the selection are read (a semi-join on their ids), never every report."""
    return query(
        token, _COMPARE_SQL.format(reports=_AGENCY_YEARS), [list(agencies), first, last, *_compare_params()]
    )


_AGENCY_YEARS = (
    "SELECT report_id, agency, year, template FROM store.reports "
    "WHERE list_contains(?, agency) AND year BETWEEN ? AND ?"
)


def _compare_params() -> list:
    """The parameters of ``_COMPARE_SQL`` after those of its reports (``r``)."""
    withheld = list(TABLE3_WITHHELD_ROWS)  # the sub-rows of （三）不予公开
    params = [TABLE3_NEW, TABLE3_TOTAL, TABLE3_DISCLOSED, withheld, withheld]
    params += [APPLICANT_TOTAL, PROCEEDINGS[0], OUTCOME_TOTAL, PROCEEDINGS[0], OUTCOME_TOTAL]
    return [*params, OUTCOMES[1], OUTCOME_TOTAL]


@st.cache_data(show_spinner=False, max_entries=64)
def measure_series(token: str, agency: str) -> pd.DataFrame:
    """The comparison measures of every loaded year of one agency (for the trends page)."""
    return compare_rows(token, (agency,), 0, 9999)


@st.cache_data(show_spinner=False, max_entries=256)
def report_texts(token: str, agency: str, year: int) -> pd.DataFrame:
    """The stored prose of one report (section 一's paragraphs, 五, 六, listed items), in order."""
    return _of_report(token, "texts", agency, year, "section, kind, seq")


@st.cache_data(show_spinner=False, max_entries=128)
def search_texts(token: str, words: str, kinds: tuple[str, ...], limit: int) -> tuple[pd.DataFrame, int]:
    """Paragraphs of every loaded report containing ``words`` (all of them, any case), at most
    ``limit`` rows (newest first), and how many there are in all."""
    terms = [w for w in words.split() if w][:5]
    where = " AND ".join(["list_contains(?, kind)"] + ["contains(lower(text), lower(?))"] * len(terms))
    params = [list(kinds), *terms]
    total = int(query(token, f"SELECT count(*) AS n FROM texts WHERE {where}", params)["n"].iloc[0])
    rows = query(
        token,
        "SELECT t.agency, t.year, t.kind, t.seq, t.text, r.source_file FROM texts t "
        f"JOIN reports r USING (report_id) WHERE {where} "
        "ORDER BY t.year DESC, t.agency, t.kind, t.seq LIMIT ?",
        [*params, limit],
    )
    return rows, total


# --- Units: the home page, a unit's profile, the topic pages (issue 14) ----------------------


@st.cache_data(show_spinner=False, max_entries=16)
def units(token: str) -> pd.DataFrame:
    """Every unit of the registry (reporting or not), by name."""
    return query(
        token,
        "SELECT unit_id, name, aliases, unit_type, parent_id, type_source, parent_source, expected "
        "FROM units ORDER BY name",
    )


@st.cache_data(show_spinner=False, max_entries=16)
def report_status(token: str) -> pd.DataFrame:
    """Every report with its unit and how many of its checks failed (errors) or are scope warnings."""
    return query(
        token,
        "SELECT r.report_id, r.agency, r.year, r.unit_id, r.title, r.template, "
        "coalesce(c.failed, 0) AS failed, coalesce(c.warnings, 0) AS warnings FROM reports r LEFT JOIN ("
        "  SELECT report_id, count(*) FILTER (NOT passed AND severity <> 'warning') AS failed,"
        "  count(*) FILTER (NOT passed AND severity = 'warning') AS warnings FROM checks GROUP BY report_id"
        ") c USING (report_id) ORDER BY r.agency, r.year",
    )


@st.cache_data(show_spinner=False, max_entries=16)
def year_sums(token: str, year: int) -> dict[str, float | None]:
    """Tables 三 and 四's totals summed over one year's reports (NULL when every cell is blank)."""
    row = query(
        token,
        "SELECT (SELECT count(*) FROM reports WHERE year = ?) AS reports, "
        "(SELECT sum(value) FROM foi_requests WHERE year = ? AND applicant = ? AND row_code = ?) AS new_requests, "
        "(SELECT sum(value) FROM foi_requests WHERE year = ? AND applicant = ? AND row_code = ?) AS disclosed, "
        "(SELECT sum(value) FROM review_litigation WHERE year = ? AND proceeding = ? AND outcome = ?) AS reviews, "
        "(SELECT sum(value) FROM review_litigation WHERE year = ? AND proceeding <> ? AND outcome = ?) AS suits",
        [
            *(year, year, APPLICANT_TOTAL, TABLE3_NEW, year, APPLICANT_TOTAL, TABLE3_DISCLOSED),
            *(year, PROCEEDINGS[0], OUTCOME_TOTAL, year, PROCEEDINGS[0], OUTCOME_TOTAL),
        ],
    ).iloc[0]
    return {k: None if pd.isna(v) else float(v) for k, v in row.items()}


@st.cache_data(show_spinner=False, max_entries=16)
def topic_reports(token: str, topic: str) -> pd.DataFrame:
    """The reports (agency, year) that state figures of a topic (``trading``, ``approvals``, ``hotline``)."""
    return query(
        token, "SELECT DISTINCT agency, year FROM figures WHERE topic = ? ORDER BY agency, year", [topic]
    )


@st.cache_data(show_spinner=False, max_entries=64)
def type_indicators(token: str, unit_type: str, year: int) -> pd.DataFrame:
    """One year's indicators of every unit of a type, with each unit's parent (a profile's peers)."""
    return query(
        token,
        "SELECT i.unit_id, u.parent_id, i.indicator, i.name, i.value, i.null_reason, i.comparable "
        "FROM indicators i JOIN units u USING (unit_id) WHERE u.unit_type = ? AND i.year = ? "
        "ORDER BY i.unit_id, i.indicator",
        [unit_type, year],
    )


@st.cache_data(show_spinner=False, max_entries=64)
def unit_failed_checks(token: str, unit_id: str) -> pd.DataFrame:
    """The failed checks (errors, not scope warnings) of every report of one unit, newest first."""
    return query(
        token,
        "SELECT c.year, c.description, c.expected, c.actual, c.evidence FROM checks c "
        "JOIN reports r USING (report_id) WHERE r.unit_id = ? AND NOT c.passed AND c.severity <> 'warning' "
        "ORDER BY c.year DESC, c.check_id",
        [unit_id],
    )


# --- end of the units block ------------------------------------------------------------------


# --- Units, ranking and review (the compare and review pages) ------------------------------------

# A table measure of the comparison (a column of _COMPARE_SQL) as value, numerator, denominator: a
# share is part ÷ whole × 100, NULL with the reason when the whole is 0 or blank; a count is itself.
RANK_SHARES: dict[str, tuple[str, str]] = {
    "disclosed_share": ("disclosed", "outcome_total"),
    "corrected_share": ("corrected", "decided_total"),
}
RANK_COUNTS = (
    "new_requests",
    "outcome_total",
    "withheld",
    "review_total",
    "litigation_total",
    "failed_checks",
)
NO_REPORT = "该年度没有载入报告"
NO_VALUE = "报告中没有这项数字"


@st.cache_data(show_spinner=False, max_entries=16)
def unit_counts(token: str) -> pd.DataFrame:
    """Every unit with its parent's name, how many units sit directly under it and how many
    reports it has loaded (what the compare and review pages' pickers offer)."""
    return query(
        token,
        "SELECT u.unit_id, u.name, u.unit_type, u.parent_id, p.name AS parent_name, u.expected, "
        "(SELECT count(*) FROM units c WHERE c.parent_id = u.unit_id) AS children, "
        "(SELECT count(*) FROM reports r WHERE r.unit_id = u.unit_id) AS reports "
        "FROM units u LEFT JOIN units p ON p.unit_id = u.parent_id ORDER BY u.name",
    )


def _tree_sql(parent: str, deep: bool) -> tuple[str, list]:
    """The units of a group: under ``parent`` (directly, or at every depth), or all when it is ""."""
    if not parent:
        return "SELECT unit_id FROM units", []
    if not deep:
        return "SELECT unit_id FROM units WHERE parent_id = ?", [parent]
    # UNION (not UNION ALL) never adds a unit twice, so a cycle in the registry ends.
    return (
        "SELECT unit_id FROM units WHERE parent_id = ? "
        "UNION SELECT u.unit_id FROM units u JOIN tree t ON u.parent_id = t.unit_id",
        [parent],
    )


def _values_sql(measure: str) -> tuple[str, list]:
    """report_id, value, numerator, denominator, null_reason of one measure for the reports ``rep``."""
    if measure in RANK_COUNTS:
        return (
            f"SELECT report_id, {measure}::DOUBLE AS value, NULL::DOUBLE AS numerator, "
            f"NULL::DOUBLE AS denominator, CASE WHEN {measure} IS NULL THEN '{NO_VALUE}' END AS null_reason "
            "FROM cmp",
            [],
        )
    if measure in RANK_SHARES:
        part, whole = RANK_SHARES[measure]
        return (
            f"SELECT report_id, CASE WHEN {whole} > 0 THEN {part} / {whole} * 100 END AS value, "
            f"{part}::DOUBLE AS numerator, {whole}::DOUBLE AS denominator, "
            f"CASE WHEN {whole} IS NULL THEN '{DENOMINATOR_BLANK}' WHEN {whole} = 0 THEN '{DENOMINATOR_ZERO}' "
            f"WHEN {part} IS NULL THEN '{NUMERATOR_BLANK}' END AS null_reason FROM cmp",
            [],
        )
    return (
        "SELECT report_id, value, numerator, denominator, null_reason FROM indicators "
        "WHERE indicator = ? AND report_id IN (SELECT report_id FROM rep)",
        [measure],
    )


@st.cache_data(show_spinner=False, max_entries=128)
def rank_rows(
    token: str, parent: str, unit_type: str, deep: bool, year: int, measure: str, descending: bool
) -> pd.DataFrame:
    """One row per unit of a group (under ``parent``, all units when it is ""; of ``unit_type``,
    any when it is "") that has a report in ``year`` or is expected to: the measure's value,
    numerator, denominator, why it is NULL, and the unit's rank.

    The rank is DuckDB's ``rank()`` over the values (``descending`` or not): ties share a rank
    and the next one skips (1, 2, 2, 4); a NULL value has no rank and sorts last. ``measure``
    is an indicator id (the ``indicators`` view) or a table measure of the comparison
    (``RANK_COUNTS``, ``RANK_SHARES``: tables 三 and 四 read by ``_COMPARE_SQL``)."""
    tree, params = _tree_sql(parent, deep)
    params += [unit_type, unit_type, year]
    cmp = ""
    if measure in RANK_COUNTS or measure in RANK_SHARES:
        reports = "SELECT report_id, NULL AS agency, NULL AS year, template FROM rep"
        cmp = f", cmp AS ({_COMPARE_SQL.format(reports=reports)})"
        params += _compare_params()
    values, more = _values_sql(measure)
    order = "DESC" if descending else "ASC"
    sql = f"""
WITH RECURSIVE tree(unit_id) AS ({tree}),
members AS (
    SELECT u.unit_id, u.name, u.unit_type, u.parent_id, u.expected FROM units u
    WHERE u.unit_id IN (SELECT unit_id FROM tree) AND (? = '' OR u.unit_type = ?)
), rep AS (
    SELECT r.report_id, r.unit_id, r.template FROM reports r
    WHERE r.year = ? AND r.unit_id IN (SELECT unit_id FROM members)
){cmp}, vals AS ({values}), grid AS (
    SELECT m.unit_id, m.name, m.unit_type, p.name AS parent_name, rep.report_id, rep.template,
        v.value, v.numerator, v.denominator,
        CASE WHEN rep.report_id IS NULL THEN '{NO_REPORT}'
             WHEN v.report_id IS NULL THEN '{NO_VALUE}' ELSE v.null_reason END AS null_reason
    FROM members m LEFT JOIN rep USING (unit_id) LEFT JOIN vals v USING (report_id)
    LEFT JOIN units p ON p.unit_id = m.parent_id
    WHERE rep.report_id IS NOT NULL OR m.expected
)
SELECT CASE WHEN value IS NOT NULL THEN rank() OVER (ORDER BY value {order} NULLS LAST) END AS rank,
    unit_id, name, unit_type, parent_name, report_id, template, value, numerator, denominator, null_reason
FROM grid ORDER BY value {order} NULLS LAST, name
"""
    return query(token, sql, params + more)


@st.cache_data(show_spinner=False, max_entries=64)
def indicator_series(
    token: str, agencies: tuple[str, ...], first: int, last: int, indicator: str
) -> pd.DataFrame:
    """One indicator of some agencies over a range of years: agency, year, value (NULLs left out)."""
    return query(
        token,
        "SELECT agency, year, value FROM indicators WHERE list_contains(?, agency) AND indicator = ? "
        "AND year BETWEEN ? AND ? AND value IS NOT NULL ORDER BY agency, year",
        [list(agencies), indicator, first, last],
    )


@st.cache_data(show_spinner=False, max_entries=32)
def review(token: str, parent: str, year: int) -> dict[str, pd.DataFrame]:
    """The supervising office's review of every unit under ``parent`` in ``year``: one frame per
    status (``etl.review.review``, the same as ``python -m etl review``), read on the
    read-only connection."""
    with cursor(token) as cur:
        return etl_review.review(cur, parent, year)
