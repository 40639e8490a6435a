"""Shape query results for the pages: pick the figures a chart shows, with labels.

Pure pandas on small frames (tens of rows); no SQL, no Streamlit.
"""

from __future__ import annotations

import pandas as pd

from etl.checks import reason_of
from etl.fields import REPORT_COLUMNS
from etl.figure_specs import FIGURE_LABELS
from etl.model import WARNING
from etl.resources import BY_NAME
from etl.template import (
    APPLICANT_TOTAL,
    OUTCOME_TOTAL,
    PROCEEDINGS,
    TABLE3_2019,
    TABLE3_BY_CODE,
    TABLE3_NEW,
    TABLE3_TOTAL,
    TABLE3_WITHHELD,
    TABLE4_HEADERS,
)
from etl.vocabulary import TRADING_CATEGORIES as VOCABULARY_CATEGORIES

TRADING_CATEGORIES = tuple(c.key for c in VOCABULARY_CATEGORIES)  # the contract's order
Key = tuple[str, str, str]
TRADING_TOTAL: Key = ("trading", "notices", "total")
APPROVALS_RECEIVED: Key = ("approvals", "items", "received")
APPROVALS_COMPLETED: Key = ("approvals", "items", "completed")
HOTLINE_TOTAL: Key = ("hotline", "cases", "total")
HOTLINE_CHANNELS: tuple[Key, ...] = (("hotline", "cases", "phone"), ("hotline", "cases", "online"))
HOTLINE_NATIONAL: tuple[Key, ...] = (
    ("hotline", "national_platform_cases", "mini_program"),
    ("hotline", "national_platform_cases", "service_platform"),
)
HOTLINE_HANDLING: tuple[Key, ...] = (
    ("hotline", "handling", "direct"),
    ("hotline", "handling", "transferred"),
)
TRANSFERRED: Key = ("hotline", "handling", "transferred")
TRANSFERRED_DONE: Key = ("hotline", "handling", "transferred_completed")
COMPLETION_RATE: Key = ("hotline", "rate", "transferred_completion")
CALLBACKS: Key = ("hotline", "callbacks", "total")
SATISFACTION: Key = ("hotline", "rate", "satisfaction")


def label(key: Key) -> str:
    return FIGURE_LABELS.get(key, ".".join(key))


PICK_COLUMNS = ["label", "value", "unit", "approx", "evidence", "key"]


class FigureIndex:
    """The figures of a ``figures`` frame by (year, topic, metric, category), indexed once.

    Looking a figure up is then a dict access, not a boolean mask over the frame;
    the first row of a key wins, as in the frame's order.
    """

    def __init__(self, figs: pd.DataFrame) -> None:
        self._rows: dict[tuple[int, str, str, str], dict] = {}
        columns = ["year", "topic", "metric", "category", "value", "unit", "approx", "evidence"]
        for year, topic, metric, category, value, unit, approx, evidence in zip(
            *(figs[c].tolist() for c in columns), strict=True
        ):
            self._rows.setdefault(
                (year, topic, metric, category),
                {"value": float(value), "unit": unit, "approx": bool(approx), "evidence": evidence},
            )

    def get(self, year: int, key: Key) -> dict | None:
        return self._rows.get((year, *key))


Figures = pd.DataFrame | FigureIndex


def index(figs: Figures) -> FigureIndex:
    return figs if isinstance(figs, FigureIndex) else FigureIndex(figs)


def pick(figs: Figures, year: int, keys: tuple[Key, ...] | list[Key]) -> pd.DataFrame:
    """The rows of ``keys`` for one year, in the order asked, with Chinese labels."""
    idx = index(figs)
    rows = []
    for key in keys:
        hit = idx.get(year, key)
        if hit is not None:
            rows.append({"label": label(key), **hit, "key": ".".join(key)})
    return pd.DataFrame(rows, columns=PICK_COLUMNS)


def value(figs: Figures, year: int | None, key: Key) -> float | None:
    if year is None:
        return None
    hit = index(figs).get(year, key)
    return None if hit is None else hit["value"]


def evidence(figs: Figures, year: int, keys: tuple[Key, ...] | list[Key]) -> list[str]:
    idx = index(figs)
    hits = (idx.get(year, key) for key in keys)
    return list(dict.fromkeys(hit["evidence"] for hit in hits if hit is not None))


def across_years(figs: Figures, years: tuple[int, ...], keys: tuple[Key, ...] | list[Key]) -> pd.DataFrame:
    """year · label · value for the keys over the years (missing figures left out)."""
    idx = index(figs)
    parts = [pick(idx, y, keys).assign(year=y) for y in years]
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    return frame[["year", "label", "value", "unit"]] if not frame.empty else frame


def trading_keys() -> list[Key]:
    return [("trading", "notices", c) for c in TRADING_CATEGORIES]


def table(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """Rename and order columns for display and download (Chinese headers)."""
    return frame[list(columns)].rename(columns=columns)


def disclosure_blocks(cells: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """Table 二 as printed: one grid per item (信息内容 × the item's measures)."""
    blocks = []
    for item, block in cells.groupby("item", sort=False):
        grid = block.pivot(index="content", columns="measure", values="value")
        grid = grid.reindex(
            index=list(dict.fromkeys(block["content"])), columns=list(dict.fromkeys(block["measure"]))
        )
        blocks.append((str(item), grid.reset_index().rename(columns={"content": "信息内容"})))
    return blocks


def foi_grid(cells: pd.DataFrame) -> pd.DataFrame:
    """Table 三 as the report prints it: rows × applicant columns, blanks kept blank."""
    if cells.empty:
        return pd.DataFrame()
    grid = cells.pivot(index=["row_order", "row_code", "row_label"], columns="applicant", values="value")
    order = list(dict.fromkeys(cells.sort_values("col_order")["applicant"]))
    grid = grid.reindex(columns=order).reset_index().sort_values("row_order")
    parent = cells.drop_duplicates("row_code").set_index("row_code")["parent_label"]
    grid.insert(2, "分组", grid["row_code"].map(parent).fillna(""))
    return grid.drop(columns=["row_order"]).rename(columns={"row_code": "行代码", "row_label": "项目"})


def _short(label: str, key: str) -> str:
    """``（二）部分公开（区分处理的…）`` → ``（二）部分公开``: the enumerator and the row's key word."""
    return label[: label.index("）") + 1] + key


# The outcome groups of table 三 (（一）…（六）, not （七）总计), in the template's order.
OUTCOME_GROUPS = {
    r.code: _short(r.label, r.key) for r in TABLE3_2019 if r.parent == "3" and r.code != TABLE3_TOTAL
}
# Each row of table 三 that counts an outcome → its group (a group's sub-rows, or the group's own row).
OUTCOME_GROUP_OF = {
    r.code: r.code if r.code in OUTCOME_GROUPS else r.parent
    for r in TABLE3_2019
    if r.code in OUTCOME_GROUPS or r.parent in OUTCOME_GROUPS
}


def outcomes_by_applicant(cells: pd.DataFrame) -> pd.DataFrame:
    """applicant · outcome group · value (sub-rows of （三）–（六） summed, blanks as 0)."""
    part = cells[cells["row_code"].isin(OUTCOME_GROUP_OF)].copy()
    part["outcome"] = part["row_code"].map(OUTCOME_GROUP_OF).map(OUTCOME_GROUPS)
    part = part[part["applicant"] != APPLICANT_TOTAL]
    out = part.groupby(["outcome", "applicant"], sort=False, as_index=False).agg(
        value=("value", lambda s: s.fillna(0).sum()), col_order=("col_order", "first")
    )
    order = {name: i for i, name in enumerate(OUTCOME_GROUPS.values())}
    out = out.assign(group_order=out["outcome"].map(order))
    return out.sort_values(["group_order", "col_order"]).drop(columns=["col_order", "group_order"])


def review_grid(cells: pd.DataFrame) -> pd.DataFrame:
    """Table 四 as printed: one row per proceeding, the five outcomes as columns."""
    if cells.empty:
        return pd.DataFrame()
    grid = cells.pivot_table(
        index="proceeding", columns="outcome", values="value", aggfunc="first", sort=False
    )
    grid = grid.reindex(columns=list(dict.fromkeys(cells["outcome"])))
    grid = grid.reindex(list(dict.fromkeys(cells["proceeding"])))
    return grid.reset_index().rename(columns={"proceeding": "类别"})


CHECK_STATUS = {True: "通过", False: "不一致"}
SCOPE_WARNING = "口径提示"  # a failed check of severity "warning": prose and table may count differently
_CHECKS = BY_NAME["checks"]
# The checks' own columns, as the checks view has them (report_id, agency and year left out).
CHECK_FIELDS = [c for c in _CHECKS.view_columns if c not in REPORT_COLUMNS]
CHECK_COLUMNS = {
    "status": "结果",
    "reason": "无法评估的原因",
    **{c: _CHECKS.field(c).header for c in ("description", "expected", "actual")},
    "scope": "范围",
    **{c: _CHECKS.field(c).header for c in ("evidence", "check_id")},
}


def check_table(checks: pd.DataFrame) -> pd.DataFrame:
    """Checks with a readable status and scope (passed is NULL when not assessable)."""
    passed = checks["passed"].astype("boolean")
    warning = checks["severity"].eq(WARNING)
    return checks.assign(
        passed=passed,
        status=[
            "无法评估" if pd.isna(p) else SCOPE_WARNING if (not p and w) else CHECK_STATUS[bool(p)]
            for p, w in zip(passed, warning, strict=True)
        ],
        scope=checks["kind"].map({"within": "本报告内", "across": "跨年度"}),
        reason=[
            (reason_of(d) or "未说明") if pd.isna(p) else ""
            for d, p in zip(checks["description"], passed, strict=True)
        ],
    )


def unassessable_reasons(table: pd.DataFrame) -> pd.DataFrame:
    """How many checks could not be assessed, by reason (most frequent first), from ``check_table``."""
    na = table[table["passed"].isna()]
    return (
        na.groupby("reason", sort=False)
        .size()
        .sort_values(ascending=False, kind="stable")
        .rename("项数")
        .reset_index()
        .rename(columns={"reason": "原因"})
    )


def check_summary(counts: dict[str, int]) -> str:
    """One sentence on a report's checks, for the overview."""
    warnings = counts["warnings"]
    if counts["failed"]:
        also = f"，另有{warnings}项口径提示" if warnings else ""
        return (
            f"本报告自身的勾稽关系检查共{counts['total']}项：{counts['failed']}项不一致，"
            f"{counts['passed']}项通过，{counts['not_assessable']}项无法评估{also}。"
            "我们如实保存报告原数，不作更正。"
        )
    also = f"，{warnings}项口径提示" if warnings else ""
    return (
        f"本报告的{counts['total']}项勾稽关系检查没有发现不一致"
        f"（{counts['not_assessable']}项无法评估{also}）。"
    )


def _failed(checks: pd.DataFrame, warning: bool) -> pd.DataFrame:
    """Failed checks of one severity (as Check.contradiction / Check.scope_difference)."""
    failed = checks["passed"].astype("boolean").eq(False).fillna(False)
    return checks[failed & checks["severity"].eq(WARNING).eq(warning)]


def failed_checks(checks: pd.DataFrame) -> pd.DataFrame:
    """Checks that failed as errors: the report contradicts itself."""
    return _failed(checks, warning=False)


def scope_warnings(checks: pd.DataFrame) -> pd.DataFrame:
    """Checks that failed as warnings: prose and table may count in different scopes."""
    return _failed(checks, warning=True)


def checks_frame(checks) -> pd.DataFrame:
    """Check objects (from the ETL, before loading) as the checks view's columns, typed as the
    view is (a value not stated is NaN, shown blank, never "None")."""
    frame = pd.DataFrame([[getattr(c, f) for f in CHECK_FIELDS] for c in checks], columns=CHECK_FIELDS)
    return frame.astype({f: "float64" for f in CHECK_FIELDS if _CHECKS.field(f).type == "DOUBLE"})


def table_headlines(foi: pd.DataFrame, review: pd.DataFrame) -> dict[str, tuple[float | None, str]]:
    """Headline counts every report has, from tables 三 and 四, each with its cell as source."""

    def cell(frame: pd.DataFrame, **match) -> tuple[float | None, str]:
        hit = frame
        for col, val in match.items():
            hit = hit[hit[col] == val]
        if hit.empty:
            return None, "报告中没有这一单元格"
        row = hit.iloc[0]
        value = None if pd.isna(row["value"]) else float(row["value"])
        label = " · ".join(str(v) for v in match.values())
        return value, f"表格单元格：{label}（第{int(row['source_line'])}行）" + (
            "，空白" if value is None else ""
        )

    return {
        "新收公开申请": cell(foi, row_code=TABLE3_NEW, applicant=APPLICANT_TOTAL),
        "办理结果总计": cell(foi, row_code=TABLE3_TOTAL, applicant=APPLICANT_TOTAL),
        PROCEEDINGS[0]: cell(review, proceeding=PROCEEDINGS[0], outcome=OUTCOME_TOTAL),  # 行政复议
        "直接起诉": cell(review, proceeding=PROCEEDINGS[1], outcome=OUTCOME_TOTAL),
    }


# --- Comparing agency-years (tables 三 and 四, comparable between the 2019 and 2021 formats) ---

# column of queries.compare_rows (or computed here) → (Chinese header, unit); declared once.
COMPARE_MEASURES: dict[str, tuple[str, str]] = {
    "new_requests": ("新收申请", "件"),
    "outcome_total": ("办理结果总计", "件"),
    "disclosed_share": ("予以公开占比", "%"),
    "withheld": (TABLE3_BY_CODE[TABLE3_WITHHELD].key, "件"),  # 不予公开
    "review_total": (TABLE4_HEADERS[0], "件"),  # 行政复议
    "litigation_total": (TABLE4_HEADERS[1], "件"),  # 行政诉讼
    "corrected_share": ("纠正占比", "%"),
    "failed_checks": ("不一致检查", "项"),
}
COMPARE_KEYS = {"agency": "机关", "year": "年度", "template": "表格格式"}
TEMPLATE_LABEL = {"2019": "2019年版", "2021": "2021年版", "mixed": "混合"}


def _share(part: pd.Series, whole: pd.Series) -> pd.Series:
    """part / whole in percent, rounded to 0.1; blank where the whole is blank or 0."""
    whole = whole.where(whole > 0)
    return (part / whole * 100).round(1).astype(float)  # NaN, shown blank (pd.NA would show "None")


def compare_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """``queries.compare_rows`` with the two shares: agency, year, template and the measures."""
    out = rows.assign(
        disclosed_share=_share(rows["disclosed"], rows["outcome_total"]),
        corrected_share=_share(rows["corrected"], rows["decided_total"]),
        template=rows["template"].map(TEMPLATE_LABEL).fillna(rows["template"]),
    )
    return out[[*COMPARE_KEYS, *COMPARE_MEASURES]]


def compare_table(frame: pd.DataFrame) -> pd.DataFrame:
    """``compare_frame`` with Chinese headers (the shares' headers carry their unit)."""
    headers = {**COMPARE_KEYS}
    headers.update(
        {k: f"{name}（%）" if unit == "%" else name for k, (name, unit) in COMPARE_MEASURES.items()}
    )
    return table(frame, headers)


def measure_long(frame: pd.DataFrame, measures: tuple[str, ...]) -> pd.DataFrame:
    """agency · year · label · value · unit for some measures of ``compare_frame`` (blanks left out)."""
    long = frame.melt(id_vars=["agency", "year", "template"], value_vars=list(measures), var_name="measure")
    long = long.dropna(subset=["value"])
    long["label"] = long["measure"].map(lambda m: COMPARE_MEASURES[m][0])
    long["unit"] = long["measure"].map(lambda m: COMPARE_MEASURES[m][1])
    long["value"] = long["value"].astype(float)
    return long.reset_index(drop=True)


def format_changes(frame: pd.DataFrame) -> list[tuple[int, int, str]]:
    """(year before, year after, new format) wherever one agency's table format changes."""
    changes = []
    ordered = frame.sort_values("year")
    for (_, a), (_, b) in zip(ordered.iloc[:-1].iterrows(), ordered.iloc[1:].iterrows(), strict=True):
        if a["template"] != b["template"]:
            changes.append((int(a["year"]), int(b["year"]), str(b["template"])))
    return changes
