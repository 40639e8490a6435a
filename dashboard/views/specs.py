"""The charts of prose figures, declared as data (as Datasette keeps its filters as records).

A spec names the figures a chart shows, how it is drawn, its title, the Chinese
headers of its data table and whose sentences are its source; ``base.figure_chart``
turns one into a :class:`~dashboard.views.base.Chart`. A chart that derives values
(shares, ratios) is built by its page's view model instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import pandas as pd
import plotly.graph_objects as go

from .. import charts, facts
from ..facts import Key

OVERVIEW_SECTION = "第一部分“总体情况”"
ONE_REPORT = "{agency}{year}年政府信息公开工作年度报告，" + OVERVIEW_SECTION
ALL_REPORTS = "{agency}各年度政府信息公开工作年度报告"


@dataclass(frozen=True)
class FigureChart:
    """One chart of prose figures."""

    name: str  # unique on its page; the download file name
    draw: Callable[[pd.DataFrame, str], go.Figure]  # data, title → figure (a charts function)
    title: str  # may hold {year}
    keys: tuple[Key, ...]  # the figures shown, in order
    headers: dict[str, str]  # data column → Chinese header (table under the chart, downloads)
    source: str = ONE_REPORT  # may hold {agency} and {year}
    evidence: tuple[Key, ...] | None = None  # figures whose sentences are quoted (None: no quote)
    across_years: bool = False  # the comparison range (True) or the selected year
    min_rows: int = 1  # drawn only when at least this many of ``keys`` are found


YEAR_ROWS = {"year": "年度", "label": "项目", "value": "件数"}

HOTLINE_CHANNELS = FigureChart(
    "12345受理渠道",
    partial(charts.stacked_share, unit="件"),
    "{year}年12345热线受理渠道",
    facts.HOTLINE_CHANNELS,
    {"label": "渠道", "value": "数量", "unit": "单位"},
    evidence=(facts.HOTLINE_TOTAL, *facts.HOTLINE_CHANNELS),
)
HOTLINE_HANDLING = FigureChart(
    "12345办理方式",
    partial(charts.stacked_share, unit="件"),
    "{year}年12345热线办理方式",
    facts.HOTLINE_HANDLING,
    {"label": "办理方式", "value": "件数"},
    evidence=facts.HOTLINE_HANDLING,
)
HOTLINE_TRANSFERRED = FigureChart(
    "12345转办办结",
    partial(charts.category_bars, unit="件"),
    "{year}年转交部门办理的诉求及办结",
    (facts.TRANSFERRED, facts.TRANSFERRED_DONE),
    {"label": "项目", "value": "件数"},
    evidence=(facts.TRANSFERRED, facts.TRANSFERRED_DONE, facts.COMPLETION_RATE),
    min_rows=2,
)
HOTLINE_COUNTS = FigureChart(
    "12345热线-年度比较",
    partial(charts.grouped_bars, unit="件"),
    "12345热线受理与办理（按年度）",
    (facts.HOTLINE_TOTAL, *facts.HOTLINE_CHANNELS, *facts.HOTLINE_HANDLING),
    YEAR_ROWS,
    source=ALL_REPORTS,
    across_years=True,
)
HOTLINE_RATES = FigureChart(
    "12345比率-年度比较",
    charts.rate_lines,
    "转办办结率与群众满意率（按年度）",
    (facts.COMPLETION_RATE, facts.SATISFACTION),
    {"year": "年度", "label": "指标", "value": "百分比（%）"},
    source=ALL_REPORTS,
    across_years=True,
)
TRADING_ACROSS_YEARS = FigureChart(
    "交易信息分类-年度比较",
    partial(charts.grouped_bars, unit="条"),
    "各类交易信息发布数量（按年度）",
    (facts.TRADING_TOTAL, *facts.trading_keys()),
    {"year": "年度", "label": "类别", "value": "发布数量（条）"},
    source=ALL_REPORTS + "，报告" + OVERVIEW_SECTION,
    across_years=True,
)
APPROVALS_ITEMS = FigureChart(
    "行政审批受理与办结",
    partial(charts.grouped_bars, unit="件", x="year", series="label"),
    "行政审批事项：受理与办结",
    (facts.APPROVALS_RECEIVED, facts.APPROVALS_COMPLETED),
    YEAR_ROWS,
    source="{agency}政府信息公开工作年度报告，报告" + OVERVIEW_SECTION,
    evidence=(facts.APPROVALS_RECEIVED, facts.APPROVALS_COMPLETED),
    across_years=True,
)
