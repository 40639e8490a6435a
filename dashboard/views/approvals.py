"""行政审批: approvals received and completed, and the completion ratio across years."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import charts, facts
from .base import Chart, Metric, cache, chart_maker, figure_chart, figure_index
from .specs import APPROVALS_ITEMS

APPROVALS_KEYS = APPROVALS_ITEMS.keys


@dataclass(frozen=True, eq=False)
class Approvals:
    empty: bool
    received: Metric
    completed: Metric
    ratio: float | None  # completed ÷ received, in %
    items: Chart | None
    ratios: Chart | None  # the ratio across the comparison range


@cache
def approvals(
    token: str, agency: str, year: int, years: tuple[int, ...], previous: int | None, compare: tuple[int, ...]
) -> Approvals:
    chart = chart_maker(year, compare)
    figs = figure_index(token, agency, years)
    keys = list(APPROVALS_KEYS)
    empty = facts.pick(figs, year, keys).empty
    received = facts.value(figs, year, facts.APPROVALS_RECEIVED)
    completed = facts.value(figs, year, facts.APPROVALS_COMPLETED)
    ratio = completed / received * 100 if received and completed is not None else None
    items = ratios = None
    if not empty:
        items = figure_chart(APPROVALS_ITEMS, figs, agency, year, compare)
        if len(compare) > 1:
            year_rows = facts.across_years(figs, compare, keys)
            wide = year_rows.pivot_table(index="year", columns="label", values="value").reset_index()
            recv, done = facts.label(facts.APPROVALS_RECEIVED), facts.label(facts.APPROVALS_COMPLETED)
            if recv in wide and done in wide:
                ratio_rows = pd.DataFrame(
                    {"year": wide["year"], "label": "办结数 ÷ 受理数", "value": wide[done] / wide[recv] * 100}
                )
                title = "办结数占受理数的比例（按年度）"
                ratios = chart(
                    charts.rate_lines(ratio_rows, title),
                    ratio_rows,
                    {"year": "年度", "label": "指标", "value": "比例（%）"},
                    name="行政审批办结比例-年度比较",
                    title=title,
                    source=f"本站根据{agency}各年度报告的受理数与办结数计算",
                )
    return Approvals(
        empty=empty,
        received=Metric("受理", received, "件", facts.value(figs, previous, facts.APPROVALS_RECEIVED)),
        completed=Metric("办结", completed, "件", facts.value(figs, previous, facts.APPROVALS_COMPLETED)),
        ratio=ratio,
        items=items,
        ratios=ratios,
    )
