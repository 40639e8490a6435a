"""行政审批: approvals received and completed, and the completion ratio across years."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import charts, facts
from .base import Chart, Metric, cache, chart_maker, figure_index

APPROVALS_KEYS = (facts.APPROVALS_RECEIVED, facts.APPROVALS_COMPLETED)
APPROVALS_SECTION = "报告第一部分“总体情况”"


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
        year_rows = facts.across_years(figs, compare, keys)
        title = "行政审批事项：受理与办结"
        items = chart(
            charts.grouped_bars(year_rows, title, "件", x="year", series="label"),
            year_rows,
            {"year": "年度", "label": "项目", "value": "件数"},
            name="行政审批受理与办结",
            title=title,
            source=f"{agency}政府信息公开工作年度报告，{APPROVALS_SECTION}",
            evidence=facts.evidence(figs, year, keys),
        )
        if len(compare) > 1:
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
