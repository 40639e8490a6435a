"""对比: one row per agency-year of a selection (tables 三 and 四), sortable, with charts and exports.

Only what the 2019 and 2021 national formats count the same way is compared: table 三's
rows and table 四 (the 2021 format only splits （六）其他处理 into three rows, not shown
here); table 二 counts different things in the two formats and is left out.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from etl.indicators import BY_ID

from .. import charts, export, facts, queries
from .base import Chart, Table, cache, make_chart, make_table

MAX_AGENCIES = 20  # a selection's size: at most 20 agencies × their years in the table and charts
COMPARABLE_NOTE = (
    "只比较两版国家格式口径一致的数字：表三（依申请公开）各行与表四（行政复议、行政诉讼）。"
    "2021年版表三只把“（六）其他处理”分为三项，本页不单列这一项；"
    "表二（主动公开）两版统计的内容不同（2019年版为新公开、对外公开总数量等，2021年版为制发、废止、现行有效件数等），"
    "不作比较。占比在分母为0或空白时留空。"
)
SHARE_CHART = "disclosed_share"


@dataclass(frozen=True, eq=False)
class Compare:
    table: Table  # one row per agency-year, Chinese headers (sortable on the page)
    frame: pd.DataFrame  # the same, internal column names
    chart: Chart | None  # the chosen measure, one line per agency
    share: Chart | None  # 予以公开占比, one line per agency
    summary: str  # one sentence on the selection

    def csv(self) -> bytes:
        return export.csv_bytes(self.table.data)

    def xlsx(self) -> bytes:
        return export.xlsx_bytes(self.table.data)


def measure_chart(frame: pd.DataFrame, measure: str, span: str, *, name: str) -> Chart | None:
    """One measure of ``compare_frame`` over the years, one line per agency."""
    label, unit = facts.COMPARE_MEASURES[measure]
    data = facts.measure_long(frame, (measure,))
    if data.empty:
        return None
    title = f"{label}（{span}）"
    first, last = int(data["year"].min()), int(data["year"].max())
    values = data.sort_values("value", ascending=False)
    top = values.iloc[0]
    summary = (
        f"图表“{title}”：{data['agency'].nunique()}个机关、{len(data)}个机关年度；"
        f"最高为{top['agency']}{int(top['year'])}年的{charts.value_text(top['value'], unit)}"
        f"{'' if unit == '%' else unit}，最低为{values.iloc[-1]['agency']}{int(values.iloc[-1]['year'])}年的"
        f"{charts.value_text(values.iloc[-1]['value'], unit)}{'' if unit == '%' else unit}。"
    )
    return make_chart(
        charts.series_lines(data, title, unit, "agency"),
        data,
        {"agency": "机关", "year": "年度", "value": f"{label}（{unit}）"},
        name=name,
        title=title,
        source="各机关政府信息公开工作年度报告，表三、表四",
        year=last,
        compare=(first, last) if first != last else (last,),
        summary=summary,
    )


def indicator_chart(
    token: str, agencies: tuple[str, ...], first: int, last: int, indicator: str, *, name: str
):
    """One indicator over the years, one line per agency (``etl.indicators``; NULL years left out)."""
    ind = BY_ID[indicator]
    data = queries.indicator_series(token, agencies, first, last, indicator)
    if data.empty:
        return None
    span = f"{first}–{last}年" if first != last else f"{first}年"
    title = f"{ind.name}（{span}）"
    values = data.sort_values("value", ascending=False, kind="stable")
    top, low = values.iloc[0], values.iloc[-1]
    summary = (
        f"图表“{title}”：{data['agency'].nunique()}个机关、{len(data)}个机关年度；"
        f"最高为{top['agency']}{int(top['year'])}年的{top['value']:.2f}%，"
        f"最低为{low['agency']}{int(low['year'])}年的{low['value']:.2f}%。"
    )
    return make_chart(
        charts.series_lines(data.assign(value=data["value"].astype(float)), title, ind.unit, "agency"),
        data,
        {"agency": "机关", "year": "年度", "value": f"{ind.name}（{ind.unit}）"},
        name=name,
        title=title,
        source=f"各机关政府信息公开工作年度报告；{ind.formula}",
        year=last,
        compare=(first, last) if first != last else (last,),
        summary=summary,
    )


SAME_AS_SHARE = ("disclosed_rate", SHARE_CHART)  # measures whose chart is the 予以公开占比 chart


@cache
def compare(token: str, agencies: tuple[str, ...], first: int, last: int, measure: str) -> Compare:
    """The agencies × years table over a range; the chart of ``measure`` (a table measure of
    ``facts.COMPARE_MEASURES`` or an indicator id), and the 予以公开占比 chart beside it."""
    frame = facts.compare_frame(queries.compare_rows(token, agencies, first, last))
    span = f"{first}–{last}年" if first != last else f"{first}年"
    formats = sorted(set(frame["template"]))
    summary = (
        f"{len(agencies)}个机关，{span}，共{len(frame)}个机关年度（表格格式：{'、'.join(formats) or '无'}）。"
    )
    if measure in facts.COMPARE_MEASURES:
        label = facts.COMPARE_MEASURES[measure][0]
        chart = measure_chart(frame, measure, span, name=f"对比-{label}")
    else:
        chart = indicator_chart(token, agencies, first, last, measure, name=f"对比-{measure}")
    return Compare(
        table=make_table(facts.compare_table(frame)),
        frame=frame,
        chart=chart,
        share=None
        if measure in SAME_AS_SHARE
        else measure_chart(frame, SHARE_CHART, span, name="对比-予以公开占比"),
        summary=summary,
    )
