"""12345热线: cases by channel and handling, rates, dissatisfaction topics."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from .. import charts, facts, queries
from ..text import source_text
from .base import Chart, Metric, cache, chart_maker, figure_index


@dataclass(frozen=True, eq=False)
class Hotline:
    empty: bool
    metrics: tuple[Metric, ...]
    channels: Chart | None
    national: tuple[tuple[str, float, str], ...]  # label, value, unit
    handling: Chart | None
    transferred: Chart | None
    topics: tuple[tuple[Any, str], ...]  # the listed problems: seq, text
    topics_caption: str  # their source line
    counts: Chart | None  # across the comparison range
    rates: Chart | None


@cache
def hotline(
    token: str, agency: str, year: int, years: tuple[int, ...], previous: int | None, compare: tuple[int, ...]
) -> Hotline:
    chart = chart_maker(year, compare)
    figs = figure_index(token, agency, years)
    source = f"{agency}{year}年政府信息公开工作年度报告，第一部分“总体情况”"
    empty = facts.pick(figs, year, [facts.HOTLINE_TOTAL, *facts.HOTLINE_CHANNELS]).empty
    metrics = tuple(
        Metric(name, facts.value(figs, year, key), unit, facts.value(figs, previous, key))
        for name, key, unit in (
            ("受理群众诉求", facts.HOTLINE_TOTAL, "件"),
            ("转办办结率", facts.COMPLETION_RATE, "%"),
            ("电话回访", facts.CALLBACKS, "件"),
            ("群众满意率", facts.SATISFACTION, "%"),
        )
    )
    channels = facts.pick(figs, year, facts.HOTLINE_CHANNELS)
    national = facts.pick(figs, year, facts.HOTLINE_NATIONAL)
    handling = facts.pick(figs, year, facts.HOTLINE_HANDLING)
    transferred = facts.pick(figs, year, [facts.TRANSFERRED, facts.TRANSFERRED_DONE])
    topics = queries.texts(token, agency, year, "hotline_dissatisfaction")
    view = Hotline(
        empty=empty,
        metrics=metrics,
        channels=None,
        national=tuple((r.label, r.value, r.unit) for r in national.itertuples()),
        handling=None,
        transferred=None,
        topics=tuple((r.seq, r.text) for r in topics.itertuples()),
        topics_caption=source_text(facts.evidence(figs, year, [facts.SATISFACTION]), source),
        counts=None,
        rates=None,
    )
    if empty:
        return view
    parts: dict[str, Chart | None] = {}
    if not channels.empty:
        title = f"{year}年12345热线受理渠道"
        parts["channels"] = chart(
            charts.stacked_share(channels, title, "件"),
            channels,
            {"label": "渠道", "value": "数量", "unit": "单位"},
            name="12345受理渠道",
            title=title,
            source=source,
            evidence=facts.evidence(figs, year, [facts.HOTLINE_TOTAL, *facts.HOTLINE_CHANNELS]),
        )
    if not handling.empty:
        title = f"{year}年12345热线办理方式"
        parts["handling"] = chart(
            charts.stacked_share(handling, title, "件"),
            handling,
            {"label": "办理方式", "value": "件数"},
            name="12345办理方式",
            title=title,
            source=source,
            evidence=facts.evidence(figs, year, facts.HOTLINE_HANDLING),
        )
    if len(transferred) == 2:
        title = f"{year}年转交部门办理的诉求及办结"
        parts["transferred"] = chart(
            charts.category_bars(transferred, title, "件"),
            transferred,
            {"label": "项目", "value": "件数"},
            name="12345转办办结",
            title=title,
            source=source,
            evidence=facts.evidence(
                figs, year, [facts.TRANSFERRED, facts.TRANSFERRED_DONE, facts.COMPLETION_RATE]
            ),
        )
    if len(compare) > 1:
        counts = facts.across_years(
            figs, compare, [facts.HOTLINE_TOTAL, *facts.HOTLINE_CHANNELS, *facts.HOTLINE_HANDLING]
        )
        title = "12345热线受理与办理（按年度）"
        parts["counts"] = chart(
            charts.grouped_bars(counts, title, "件"),
            counts,
            {"year": "年度", "label": "项目", "value": "件数"},
            name="12345热线-年度比较",
            title=title,
            source=f"{agency}各年度政府信息公开工作年度报告",
        )
        rates = facts.across_years(figs, compare, [facts.COMPLETION_RATE, facts.SATISFACTION])
        title = "转办办结率与群众满意率（按年度）"
        parts["rates"] = chart(
            charts.rate_lines(rates, title),
            rates,
            {"year": "年度", "label": "指标", "value": "百分比（%）"},
            name="12345比率-年度比较",
            title=title,
            source=f"{agency}各年度政府信息公开工作年度报告",
        )
    return dataclasses.replace(view, **parts)
