"""总览: the headline numbers of one report, from its prose and its tables, and its checks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import facts, queries
from ..text import escape
from .base import Metric, cache, figure_index
from .catalog import catalog

HEADLINES = (
    ("交易信息发布", facts.TRADING_TOTAL, "条"),
    ("受理行政审批事项", facts.APPROVALS_RECEIVED, "件"),
    ("办结行政审批事项", facts.APPROVALS_COMPLETED, "件"),
    ("12345受理群众诉求", facts.HOTLINE_TOTAL, "件"),
    ("群众满意率", facts.SATISFACTION, "%"),
)


@dataclass(frozen=True, eq=False)
class Overview:
    report: dict[str, Any]  # the catalog row of the report
    headlines: tuple[Metric, ...]  # empty when the report has none of these figures
    evidence: tuple[tuple[str, str | None], ...]  # headline name → its sentence (None: not found)
    tables: tuple[Metric, ...]  # from tables 三 and 四
    counts: dict[str, int]  # the checks
    check_summary: str  # one sentence on them


@cache
def overview(token: str, agency: str, year: int, years: tuple[int, ...], previous: int | None) -> Overview:
    figs = figure_index(token, agency, years)
    found = {name: figs.get(year, key) for name, key, _ in HEADLINES}
    headlines = ()
    if any(found.values()):
        headlines = tuple(
            Metric(
                name,
                facts.value(figs, year, key),
                unit,
                facts.value(figs, previous, key),
                escape(found[name]["evidence"] if found[name] else "本年度报告中未找到这一数字"),
            )
            for name, key, unit in HEADLINES
        )
    now = facts.table_headlines(
        queries.foi_requests(token, agency, year), queries.review_litigation(token, agency, year)
    )
    before = (
        facts.table_headlines(
            queries.foi_requests(token, agency, previous), queries.review_litigation(token, agency, previous)
        )
        if previous is not None
        else {}
    )
    tables = tuple(
        Metric(name, value, "件", before.get(name, (None, ""))[0], where)
        for name, (value, where) in now.items()
    )
    counts = queries.check_counts(token, agency, year)
    return Overview(
        report=catalog(token).reports[(agency, year)],
        headlines=headlines,
        evidence=tuple((name, hit["evidence"] if hit else None) for name, hit in found.items()),
        tables=tables,
        counts=counts,
        check_summary=facts.check_summary(counts),
    )
