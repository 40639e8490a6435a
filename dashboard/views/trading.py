"""交易信息: trading notices by category, and their sum against the stated total."""

from __future__ import annotations

from dataclasses import dataclass

from .. import charts, facts
from .base import Chart, Metric, cache, chart_maker, figure_chart, figure_index
from .specs import TRADING_ACROSS_YEARS

TRADING_SECTION = "报告第一部分“总体情况”"


@dataclass(frozen=True, eq=False)
class Trading:
    empty: bool
    total: Metric
    parts_sum: Metric
    diff: Metric
    categories: Chart | None
    comparison: Chart | None


@cache
def trading(
    token: str, agency: str, year: int, years: tuple[int, ...], previous: int | None, compare: tuple[int, ...]
) -> Trading:
    chart = chart_maker(year, compare)
    figs = figure_index(token, agency, years)
    cats = facts.pick(figs, year, facts.trading_keys())
    total = facts.value(figs, year, facts.TRADING_TOTAL)
    parts_sum = float(cats["value"].sum()) if not cats.empty else None
    diff = None if total is None or parts_sum is None else total - parts_sum
    empty = cats.empty and total is None
    categories = comparison = None
    if not empty:
        title = f"{year}年各类交易信息发布数量"
        chart_data = cats[["label", "value"]].assign(share=lambda d: d["value"] / d["value"].sum())
        categories = chart(
            charts.category_bars(cats, title, "条"),
            chart_data,
            {"label": "类别", "value": "发布数量（条）", "share": "占类别之和比例"},
            name="交易信息分类",
            title=title,
            source=f"{agency}{year}年政府信息公开工作年度报告，{TRADING_SECTION}",
            evidence=facts.evidence(figs, year, [facts.TRADING_TOTAL, *facts.trading_keys()]),
        )
        if len(compare) > 1:
            comparison = figure_chart(TRADING_ACROSS_YEARS, figs, agency, year, compare)
    return Trading(
        empty=empty,
        total=Metric("报告所述总数", total, "条", facts.value(figs, previous, facts.TRADING_TOTAL)),
        parts_sum=Metric("各类别之和", parts_sum, "条"),
        diff=Metric("未归入类别的差额", diff, "条"),
        categories=categories,
        comparison=comparison,
    )
