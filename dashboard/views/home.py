"""数据概览: what is in here: units and reports by type and year, the latest year's sums, the failures."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from .. import charts, export, facts, paged, queries
from ..blocks import Chart, Metric, Table, make_table, number_columns
from .base import cache, make_chart
from .quality import REFUSAL_COLUMNS
from .units import profile_url, registry, type_label

SUMS = (  # year_sums' keys → headline label, unit
    ("new_requests", "新收政府信息公开申请", "件"),
    ("disclosed", "予以公开", "件"),
    ("reviews", "政府信息公开行政复议", "件"),
    ("suits", "政府信息公开行政诉讼", "件"),
)
SOURCE = "本站已载入的各单位政府信息公开工作年度报告"


@dataclass(frozen=True, eq=False)
class Home:
    counts: tuple[Metric, ...]  # units, reports, years, reports with failed checks, refused files
    lead: str  # one sentence: what is in here
    by_year: Chart  # reports by year and unit type
    latest: int  # the latest loaded year
    latest_sums: tuple[Metric, ...]  # tables 三 and 四 summed over that year's reports
    sums_note: str
    failing: tuple[tuple[str, str, str], ...]  # unit_id, name, "2023年：2项不一致；…"
    refusals: Table  # files the build could not load (文件, 原因, 位置)
    units: UnitList  # every reporting unit, shown a page at a time (unit_page), downloaded whole


@cache
def home(token: str) -> Home:
    reg = registry(token)
    reports = reg.reports
    years = sorted(int(y) for y in reports["year"].unique())
    latest = years[-1]
    typed = reports.assign(
        unit_type=[reg.by_id.get(u, {}).get("unit_type") for u in reports["unit_id"]],
    )
    typed["类型"] = [type_label(t, short=True) for t in typed["unit_type"]]
    counts = typed.groupby(["year", "类型"], sort=True).size().reset_index(name="value")
    counts["x"] = [f"{y}年" for y in counts["year"]]
    title = "各年度已载入的报告（按单位类型）"
    by_year = make_chart(
        _stacked(counts, title),
        counts,
        {"year": "年度", "类型": "单位类型", "value": "数量（份）"},
        name="各年度报告数量",
        title=title,
        source=SOURCE,
        year=latest,
        compare=tuple(years),
    )
    sums = queries.year_sums(token, latest)
    failing_rows = reports[reports["failed"] > 0]
    refused = queries.view(token, "refusals")
    units_with_reports = reports["unit_id"].nunique() if reports["unit_id"].notna().any() else 0
    n_units = units_with_reports or reports["agency"].nunique()
    span = f"{years[0]}–{latest}年" if len(years) > 1 else f"{latest}年"
    counts_metrics = (
        Metric("报告单位", n_units, "个", help="至少有一份已载入报告的单位（机关）。"),
        Metric("年度报告", len(reports), "份"),
        Metric("报告年度", len(years), "个", help=f"已载入的年度：{span}。"),
        Metric("有不一致", len(failing_rows), "份", help="勾稽关系检查发现报告自身数字不一致的报告份数。"),
        Metric("未能载入", len(refused), "个", help="数据构建时因格式或内容问题被拒绝的文件个数。"),
    )
    return Home(
        counts=counts_metrics,
        lead=f"本站收录{n_units}个单位的{len(reports)}份政府信息公开工作年度报告（{span}）。",
        by_year=by_year,
        latest=latest,
        latest_sums=tuple(Metric(label, sums[key], unit) for key, label, unit in SUMS),
        sums_note=(
            f"{latest}年已载入的{len(reports[reports['year'] == latest])}份报告中表三、表四的数字直接相加；"
            "上级政府的报告可能已包含下级数字，合计不等于某一地区的总数。空白单元格不计入。"
        ),
        failing=_failing(failing_rows, reg),
        refusals=make_table(facts.table(refused, REFUSAL_COLUMNS)),
        units=UnitList(token, paged.reporting_unit_count(token)),
    )


def _failing(rows: pd.DataFrame, reg) -> tuple[tuple[str, str, str], ...]:
    out = []
    for unit_id, part in rows.groupby(rows["unit_id"].fillna(rows["agency"]), sort=False):
        name = reg.name(unit_id) or str(part["agency"].iloc[0])
        detail = "；".join(f"{y}年{n}项不一致" for y, n in zip(part["year"], part["failed"], strict=True))
        out.append((str(unit_id), name, detail))
    return tuple(sorted(out, key=lambda r: r[1]))


UNIT_HEADERS = {  # paged.reporting_units' columns → the table's headers
    "name": "单位",
    "unit_type": "类型",
    "parent_name": "上级单位",
    "years": "年度",
    "reports": "报告数",
    "failed": "不一致检查",
    "unit_id": "单位档案",
}
UNITS_PER_PAGE = paged.PAGE_SIZE


@dataclass(frozen=True, eq=False)
class UnitList:
    """Every reporting unit, by name: a page of them for the table (:func:`unit_page`), all of
    them in the CSV and XLSX (fetched when the button is clicked)."""

    token: str
    total: int

    def pages(self) -> int:
        return max(1, -(-self.total // UNITS_PER_PAGE))

    def csv(self) -> bytes:
        return export.csv_bytes(_unit_table(paged.reporting_units(self.token, None)))

    def xlsx(self) -> bytes:
        return export.xlsx_bytes(_unit_table(paged.reporting_units(self.token, None)), sheet_name="单位名录")


@cache
def unit_page(token: str, number: int) -> Table:
    """Page ``number`` (from 1) of the units table, each unit linked to its profile."""
    rows = paged.reporting_units(token, UNITS_PER_PAGE, (max(number, 1) - 1) * UNITS_PER_PAGE)
    return _linked(_unit_table(rows))


def _unit_table(rows: pd.DataFrame) -> pd.DataFrame:
    out = rows.assign(
        unit_type=[type_label(t, short=True) for t in rows["unit_type"]],
        parent_name=rows["parent_name"].fillna(""),
        unit_id=[profile_url(str(u)) for u in rows["unit_id"]],
    )
    return out[list(UNIT_HEADERS)].rename(columns=UNIT_HEADERS)


def _linked(data: pd.DataFrame) -> Table:
    """The units table, its last column a link to each unit's profile."""
    link = st.column_config.LinkColumn("单位档案", display_text="查看档案", help="打开这个单位的档案页")
    return Table(data, {**number_columns(data), "单位档案": link})


def _stacked(counts: pd.DataFrame, title: str):
    """Reports per year, stacked by unit type, years in order, whole numbers on the axis."""
    fig = charts.grouped_bars(counts, title, "份", x="x", series="类型")
    totals = counts.groupby("x")["value"].sum()
    top = float(totals.max()) if len(totals) else 1.0
    fig.update_layout(barmode="stack")
    fig.update_traces(textposition="inside")
    fig.update_xaxes(categoryorder="array", categoryarray=sorted(totals.index), title="年度")
    fig.update_yaxes(range=[0, top * 1.18], dtick=1 if top <= 10 else None, tickformat="d")
    return fig
