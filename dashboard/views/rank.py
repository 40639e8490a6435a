"""排名: the units of a group (under a parent, of a type) ranked by one measure in one year.

The measures are the indicators (``etl.indicators.INDICATORS``: rates with their formula) and
the comparison's table figures (``facts.COMPARE_MEASURES``). The rank itself is computed in SQL
(``queries.rank_rows``); this module names the units, draws the bars and builds the exports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from etl.formatting import number
from etl.indicators import INDICATORS
from etl.units.names import TYPE_NAMES, TYPE_SHORT

from .. import charts, export, facts, queries
from .base import Chart, Table, cache, make_chart, number_columns
from .compare import MAX_AGENCIES, Compare, compare
from .units import UNIT_TYPES, profile_url

ALL = ""  # "every parent" / "every type" in a selection and in the URL (the key is left out)
CHART_BARS = 30  # at most this many units in the bar chart; the table has them all


@dataclass(frozen=True)
class Measure:
    """Something to rank by: an indicator or a figure of tables 三 and 四."""

    id: str
    label: str
    unit: str  # "%" or a count's unit (件, 项)
    formula: str
    meaning: str
    better: str | None  # "higher", "lower" or None: which way ranks first (None: the largest first)
    indicator: bool
    comparable: bool = True  # the same cells in the 2019 and 2021 formats

    @property
    def format_note(self) -> str:
        return (
            "2019年版与2021年版表格口径一致，可以比较。"
            if self.comparable
            else "2019年版与2021年版表格口径不同，不宜跨版比较。"
        )

    @property
    def descending(self) -> bool:
        return self.better != "lower"

    @property
    def order_text(self) -> str:
        return "数值越低排名越前" if not self.descending else "数值越高排名越前"


def _table_measures() -> tuple[Measure, ...]:
    """The comparison's figures, except 予以公开占比 (the same as the indicator 予以公开率)."""
    formulas = {
        "corrected_share": "表四：结果纠正（复议与诉讼合计）÷ 审结总计 × 100%",
        "failed_checks": "本报告未通过的勾稽关系检查项数",
    }
    return tuple(
        Measure(key, label, unit, formulas.get(key, f"报告表格中的“{label}”数字"), "", None, False)
        for key, (label, unit) in facts.COMPARE_MEASURES.items()
        if key != "disclosed_share"
    )


MEASURES: dict[str, Measure] = {
    **{
        i.id: Measure(i.id, i.name, i.unit, i.formula, i.meaning, i.better, True, i.comparable)
        for i in INDICATORS
    },
    **{m.id: m for m in _table_measures()},
}
DEFAULT_MEASURE = INDICATORS[0].id


def plain_type(unit_type: str) -> str:
    """A type's name without its explanation in brackets, for a sentence: 县级政府, 部门."""
    return re.sub(r"（[^（）]*）$", "", TYPE_NAMES.get(unit_type, unit_type))


def tree_order(units: pd.DataFrame) -> list[str]:
    """The unit ids depth-first from the top units (a parent before its children, siblings by
    name); a unit whose parent is missing or in a cycle comes last, not lost."""
    children: dict[str | None, list[str]] = {}
    known = set(units["unit_id"])
    for uid, parent in zip(units["unit_id"], units["parent_id"], strict=True):
        key = parent if isinstance(parent, str) and parent in known else None
        children.setdefault(key, []).append(uid)
    names = dict(zip(units["unit_id"], units["name"], strict=True))
    order: list[str] = []
    seen: set[str] = set()
    stack = sorted(children.get(None, []), key=names.get, reverse=True)
    while stack:
        uid = stack.pop()
        if uid in seen:
            continue
        seen.add(uid)
        order.append(uid)
        stack += sorted(children.get(uid, []), key=names.get, reverse=True)
    return order + sorted(known - seen, key=names.get)


@dataclass(frozen=True, eq=False)
class UnitTree:
    """The units, for the pickers: who can be a parent (has units under it), in tree order."""

    frame: pd.DataFrame  # queries.unit_counts
    names: dict[str, str]  # unit_id → name
    parents: tuple[str, ...]  # units with at least one unit directly under them, tree order
    labels: dict[str, str]  # unit_id → the picker's label (indented by depth, with its type)

    def label(self, unit_id: str) -> str:
        return self.labels.get(unit_id, "全部单位")


@cache
def unit_tree(token: str) -> UnitTree:
    frame = queries.unit_counts(token)
    names = dict(zip(frame["unit_id"], frame["name"], strict=True))
    parent_of = dict(zip(frame["unit_id"], frame["parent_id"], strict=True))
    kind = dict(zip(frame["unit_id"], frame["unit_type"], strict=True))
    has_children = set(frame.loc[frame["children"] > 0, "unit_id"])
    labels = {}
    for uid in names:
        depth, up = 0, parent_of.get(uid)
        while isinstance(up, str) and up in names and depth < 10:
            depth, up = depth + 1, parent_of.get(up)
        labels[uid] = f"{'　' * depth}{names[uid]}（{TYPE_SHORT.get(kind[uid], kind[uid])}）"
    parents = tuple(u for u in tree_order(frame) if u in has_children)
    return UnitTree(frame, names, parents, labels)


def group_text(tree: UnitTree, parent: str, unit_type: str, deep: bool) -> str:
    """The group in words: 淮安市人民政府直属的县（市、区）政府 / 全部部门和单位."""
    kind = plain_type(unit_type) if unit_type else "单位"
    if not parent:
        return f"全部{kind}"
    return f"{tree.names.get(parent, parent)}{'下属各级' if deep else '直属'}的{kind}"


HEADERS = {
    "rank": "排名",
    "name": "单位",
    "profile": "单位档案",
    "unit_type": "单位类型",
    "parent_name": "上级单位",
    "value": "数值",
    "numerator": "分子",
    "denominator": "分母",
    "null_reason": "无数值的原因",
}


@dataclass(frozen=True, eq=False)
class Ranking:
    measure: Measure
    year: int
    group: str  # the group in words
    frame: pd.DataFrame  # queries.rank_rows
    table: Table  # Chinese headers, with the link to each unit's profile
    chart: Chart | None  # bars of the ranked units (None when no unit has a value)
    summary: str
    agencies: tuple[str, ...]  # the ranked units with a report, in rank order (for the years below)

    def csv(self) -> bytes:
        return export.csv_bytes(self.table.data)

    def xlsx(self) -> bytes:
        return export.xlsx_bytes(self.table.data)


def value_text(value: float, measure: Measure) -> str:
    """A value as the page writes it: a rate to 0.01 percentage point, a count in full."""
    return f"{value:.2f}%" if measure.unit == "%" else f"{number(value)}{measure.unit}"


def value_header(measure: Measure) -> str:
    return f"{measure.label}（{measure.unit}）"


def rank_table(frame: pd.DataFrame, measure: Measure) -> pd.DataFrame:
    """``rank_rows`` with Chinese headers; numerator and denominator only for a rate."""
    data = frame.assign(
        profile=frame["unit_id"].map(profile_url),
        unit_type=frame["unit_type"].map(lambda t: TYPE_SHORT.get(t, t)),
        rank=frame["rank"].astype("Int64"),
    )
    headers = dict(HEADERS, value=value_header(measure))
    if measure.unit != "%":
        headers.pop("numerator")
        headers.pop("denominator")
    return facts.table(data, headers)


def linked_table(data: pd.DataFrame) -> Table:
    """A table whose 单位档案 column (if any) is a link to the unit's profile page."""
    config = number_columns(data)
    if HEADERS["profile"] in data.columns:
        config[HEADERS["profile"]] = st.column_config.LinkColumn(
            HEADERS["profile"], display_text="查看档案", help="打开该单位的档案页", width="small"
        )
    return Table(data, config)


def _column_config(data: pd.DataFrame, measure: Measure) -> dict:
    config = linked_table(data).column_config
    config[HEADERS["rank"]] = st.column_config.NumberColumn(HEADERS["rank"], format="%d", width="small")
    if measure.unit == "%":  # a rate is stored unrounded; shown to 0.01 percentage point
        name = value_header(measure)
        config[name] = st.column_config.NumberColumn(name, format="%.2f")
    return config


def _chart(frame: pd.DataFrame, measure: Measure, year: int, group: str) -> Chart | None:
    ranked = frame.dropna(subset=["value"]).head(CHART_BARS)
    if ranked.empty:
        return None
    cut = f"前{len(ranked)}名" if len(ranked) < frame["value"].notna().sum() else ""
    title = f"{group}：{measure.label}{cut}（{year}年）"
    data = ranked.assign(rank=ranked["rank"].astype(int), value=ranked["value"].astype(float))
    top, low = data.iloc[0], data.iloc[-1]
    summary = (
        f"图表“{title}”：{len(data)}个单位，{measure.order_text}；第1名为{top['name']}"
        f"（{value_text(top['value'], measure)}），第{int(low['rank'])}名为{low['name']}"
        f"（{value_text(low['value'], measure)}）。"
    )
    return make_chart(
        charts.rank_bars(data, title, measure.unit),
        data,
        {"rank": "排名", "name": "单位", "value": value_header(measure)},
        name=f"排名-{measure.label}",
        title=title,
        source="各单位政府信息公开工作年度报告，表三、表四"
        + ("；指标公式见本页" if measure.indicator else ""),
        year=year,
        compare=(year,),
        summary=summary,
    )


@cache
def ranking(token: str, parent: str, unit_type: str, deep: bool, year: int, measure_id: str) -> Ranking:
    measure = MEASURES[measure_id]
    frame = queries.rank_rows(token, parent, unit_type, deep, year, measure_id, measure.descending)
    group = group_text(unit_tree(token), parent, unit_type, deep)
    table = rank_table(frame, measure)
    valued = int(frame["value"].notna().sum())
    reported = int(frame["report_id"].notna().sum())
    summary = (
        f"{group}，{year}年：共{len(frame)}个单位，{reported}个有载入的报告，{valued}个有{measure.label}数值"
        f"（{measure.order_text}；并列的单位排名相同，无数值的排在最后）。"
    )
    if valued:
        top = frame.iloc[0]
        summary += f"第1名：{top['name']}，{value_text(top['value'], measure)}。"
    agencies = tuple(frame.loc[frame["report_id"].notna(), "name"])
    return Ranking(
        measure=measure,
        year=year,
        group=group,
        frame=frame,
        table=Table(table, _column_config(table, measure)),
        chart=_chart(frame, measure, year, group),
        summary=summary,
        agencies=agencies,
    )


# --- The whole compare page (the page and an embedded chart of it build the same) ---------------


def picker_options(tree: UnitTree) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """The compare page's choices: parents ("" for all), unit types ("" for all), measures."""
    parents = {ALL: "全部单位", **{u: tree.labels[u] for u in tree.parents}}
    types = {ALL: "全部类型", **UNIT_TYPES}
    measures = {m.id: f"{'指标' if m.indicator else '表格'}：{m.label}" for m in MEASURES.values()}
    return parents, types, measures


@dataclass(frozen=True, eq=False)
class ComparePage:
    ranking: Ranking
    years: Compare | None  # the ranked units with a report (at most MAX_AGENCIES) over the years
    charts: tuple[Chart, ...]  # every chart of the page, in order (for embedding)


@cache
def compare_page(
    token: str, parent: str, unit_type: str, deep: bool, year: int, measure: str, first: int, last: int
) -> ComparePage:
    r = ranking(token, parent, unit_type, deep, year, measure)
    agencies = r.agencies[:MAX_AGENCIES]
    years = compare(token, agencies, first, last, measure) if agencies else None
    charts = [r.chart] + ([years.chart, years.share] if years else [])
    return ComparePage(r, years, tuple(c for c in charts if c is not None))
