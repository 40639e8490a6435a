"""The supervising office's review: for every unit under a parent (at every depth), one row
saying whether its report of the year is loaded (with its failed checks and indicators),
refused by the build (with the reason), or missing (expected in the registry, no report).

One function serves ``python -m etl review`` and the dashboard's review page: it reads the
published views, and the failed checks each write summarised per report (``store.check_summary``,
internal: see :mod:`etl.resources_internal`), through whatever connection it is given (the ETL's
read-only one, or the dashboard's locked-down cursor), and writes nothing.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd

from . import store
from .indicators import INDICATORS
from .spreadsheets import xlsx_bytes
from .units.names import TYPE_NAMES

LOADED, REFUSED, MISSING = "已载入", "未能载入", "未报送"
STATUSES = (LOADED, REFUSED, MISSING)
# Every unit under the parent, at every depth (the parent itself excluded), with its depth.
_TREE = """
WITH RECURSIVE tree(unit_id, depth) AS (
    SELECT unit_id, 0 FROM units WHERE unit_id = $parent
    UNION ALL
    SELECT u.unit_id, t.depth + 1 FROM units u JOIN tree t ON u.parent_id = t.unit_id WHERE t.depth < 12
), under AS (
    SELECT u.*, t.depth, p.name AS parent_name
    FROM tree t JOIN units u USING (unit_id) LEFT JOIN units p ON p.unit_id = u.parent_id
    WHERE t.depth > 0
)
"""

_LOADED_SQL = (
    _TREE
    + """
, rep AS (
    SELECT r.* FROM reports r JOIN under USING (unit_id) WHERE r.year = $year
), failed AS (  -- summarised by every write (store.CHECK_SUMMARY_SQL); no row: no failed check (0, NULL)
    SELECT report_id, failed, warnings, failed_checks FROM {check_summary} WHERE year = $year
), ind AS (
    PIVOT (SELECT report_id, indicator, value FROM indicators WHERE year = $year AND report_id IN (SELECT report_id FROM rep))
    ON indicator IN ({indicators}) USING any_value(value) GROUP BY report_id
)
SELECT under.name AS unit, under.unit_type, under.parent_name, under.depth, rep.report_id, rep.title,
    rep.source_file, coalesce(failed.failed, 0) AS failed, coalesce(failed.warnings, 0) AS warnings,
    failed.failed_checks, {indicator_columns}
FROM rep JOIN under USING (unit_id) LEFT JOIN failed USING (report_id) LEFT JOIN ind USING (report_id)
ORDER BY under.depth, under.name
"""
)

_REFUSED_SQL = (
    _TREE
    + """
SELECT under.name AS unit, under.unit_type, under.parent_name, under.depth, f.source_file,
    string_agg(f.place, '
' ORDER BY f.rowid) AS place,
    string_agg(f.place || '：' || f.reason, '
' ORDER BY f.rowid) AS reason
FROM (SELECT *, row_number() OVER () AS rowid FROM refusals) f JOIN under USING (unit_id)
WHERE f.year = $year
  AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.unit_id = f.unit_id AND r.year = $year)
GROUP BY ALL
ORDER BY under.depth, under.name, f.source_file
"""
)

_MISSING_SQL = (
    _TREE
    + """
SELECT under.name AS unit, under.unit_type, under.parent_name, under.depth, under.column_url
FROM under
WHERE under.expected
  AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.unit_id = under.unit_id AND r.year = $year)
  AND NOT EXISTS (SELECT 1 FROM refusals f WHERE f.unit_id = under.unit_id AND f.year = $year)
ORDER BY under.depth, under.name
"""
)

# Every failed check (scope warnings too) of the units' reports of the year, one row each: the
# page shows them a page at a time (LIMIT/OFFSET here), the workbook in 不通过的检查及依据.
_CHECKS_FROM = (
    _TREE
    + """
SELECT under.name AS unit, c.report_id, c.severity, c.description, c.expected, c.actual, c.evidence
FROM checks c JOIN reports r USING (report_id) JOIN under ON under.unit_id = r.unit_id
WHERE r.year = $year AND c.passed = false
"""
)
CHECK_HEADERS = {
    "unit": "单位",
    "report_id": "报告编号",
    "severity": "类别",
    "description": "不通过的检查",
    "expected": "应为",
    "actual": "实际",
    "evidence": "依据（原文）",
}
SEVERITY_NAMES = {"warning": "口径提示"}  # any other severity is an inconsistency
INCONSISTENT = "不一致"


HEADERS = {
    "unit": "单位",
    "unit_type": "单位类型",
    "parent_name": "上级单位",
    "depth": "层级（1为直属）",
    "report_id": "报告编号",
    "title": "报告标题（原文）",
    "source_file": "文件",
    "failed": "不通过的勾稽关系检查（项）",
    "warnings": "口径提示（项）",
    "failed_checks": "不通过的检查及依据",
    "place": "位置",
    "reason": "未能载入的原因",
    "column_url": "年报栏目网址",
    **{i.id: f"{i.name}（%）" for i in INDICATORS},
}


def _sql(template: str, check_summary: str = "store.check_summary") -> str:
    ids = ", ".join(f"'{i.id}'" for i in INDICATORS)
    columns = ", ".join(f'ind."{i.id}" AS {i.id}' for i in INDICATORS)
    return (
        template.replace("{indicators}", ids)
        .replace("{indicator_columns}", columns)
        .replace("{check_summary}", check_summary)
    )


def _check_summary(con: duckdb.DuckDBPyConnection) -> str:
    """The stored summary; for a database built before it existed, the same rows aggregated
    from the checks now (slower, as the review was before): the review works on it unchanged."""
    return "store.check_summary" if store.has_check_summary(con) else f"({store.CHECK_SUMMARY_SELECT})"


def review(con: duckdb.DuckDBPyConnection, parent_id: str, year: int) -> dict[str, pd.DataFrame]:
    """One frame per status (``已载入``, ``未能载入``, ``未报送``), with Chinese headers."""
    params = {"parent": parent_id, "year": year}
    frames = {
        LOADED: con.execute(_sql(_LOADED_SQL, _check_summary(con)), params).df(),
        REFUSED: con.execute(_REFUSED_SQL, params).df(),
        MISSING: con.execute(_MISSING_SQL, params).df(),
    }
    for frame in frames.values():
        frame["unit_type"] = frame["unit_type"].map(lambda t: TYPE_NAMES.get(t, t))
    return {status: frame.rename(columns=HEADERS) for status, frame in frames.items()}


def failed_checks(
    con: duckdb.DuckDBPyConnection, parent_id: str, year: int, limit: int | None = None, offset: int = 0
) -> pd.DataFrame:
    """The failed checks of the loaded units' reports, one row each (by depth, unit, check), with
    Chinese headers: ``limit`` rows from ``offset`` (all when ``limit`` is None)."""
    page = "" if limit is None else f" LIMIT {int(limit)} OFFSET {int(offset)}"
    sql = f"{_CHECKS_FROM} ORDER BY under.depth, under.name, c.report_id, c.check_id{page}"
    frame = con.execute(sql, {"parent": parent_id, "year": year}).df()
    frame["severity"] = frame["severity"].map(lambda s: SEVERITY_NAMES.get(s, INCONSISTENT))
    return frame.rename(columns=CHECK_HEADERS)


def count_failed_checks(con: duckdb.DuckDBPyConnection, parent_id: str, year: int) -> int:
    """How many rows :func:`failed_checks` has in all."""
    sql = f"SELECT count(*) FROM ({_CHECKS_FROM})"
    return int(con.execute(sql, {"parent": parent_id, "year": year}).fetchone()[0])


def notes(parent_name: str, year: int, frames: dict[str, pd.DataFrame]) -> dict[str, str]:
    """The workbook's 说明 sheet: what was reviewed, when, and what each sheet holds."""
    counts = "，".join(f"{status}{len(frames[status])}个" for status in STATUSES)
    return {
        "上级单位": parent_name,
        "年度": f"{year}年",
        "生成时间": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "范围": f"该单位下属的全部各级单位（{counts}）",
        LOADED: "报告已载入：不通过的勾稽关系检查附原文依据；指标为百分比，分母为0或空白时留空（原因见指标视图）。",
        REFUSED: "报告文件未能载入：原因与位置；请单位修改后重新报送。",
        MISSING: "名录中应报送、但该年度没有报告的单位。",
        "指标": "；".join(f"{i.name}：{i.formula}" for i in INDICATORS),
    }


def review_xlsx(frames: dict[str, pd.DataFrame], parent_name: str, year: int) -> bytes:
    """The review as a workbook: one sheet per status, then 说明."""
    return xlsx_bytes(frames, notes=notes(parent_name, year, frames))


def find_unit(con: duckdb.DuckDBPyConnection, name: str) -> tuple[str, str] | None:
    """(unit_id, canonical name) of the unit with this name or alias, or this id; a bare region
    (``淮安市``) stands for its government (``淮安市人民政府``)."""
    if not name.strip():
        return None
    for candidate in (name.strip(), name.strip() + "人民政府"):
        row = con.execute(
            "SELECT unit_id, name FROM units WHERE name = $n OR unit_id = $n "
            "OR aliases <> '' AND list_contains(string_split(aliases, '；'), $n) ORDER BY name = $n DESC LIMIT 1",
            {"n": candidate},
        ).fetchone()
        if row:
            return row[0], row[1]
    return None


def similar_units(con: duckdb.DuckDBPyConnection, name: str, limit: int = 5) -> list[str]:
    """Names close to ``name``, for a message when none matches."""
    rows = con.execute(
        "SELECT name FROM units ORDER BY jaro_winkler_similarity(name, ?) DESC, name LIMIT ?",
        [name.strip(), limit],
    ).fetchall()
    return [r[0] for r in rows]
