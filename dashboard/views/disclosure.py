"""政府信息公开: the three standard tables as printed, and table 三 as a chart."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import charts, facts, queries
from .base import Chart, Table, cache, chart_maker, make_table

# The page's tabs (tables 二, 三, 四) and the key holding the chosen one's label.
DISCLOSURE_TABS = ("表二 主动公开", "表三 依申请公开", "表四 复议与诉讼")
DISCLOSURE_TAB_KEY = "d_tab"


@dataclass(frozen=True, eq=False)
class Disclosure:
    blocks: tuple[tuple[str, Table], ...]  # table 二, one grid per item
    outcomes: Chart  # table 三 as a chart
    foi: Table  # table 三 as printed
    review: Table  # table 四 as printed
    review_failures: tuple[Any, ...]  # failed checks of table 四: description, expected, actual


@cache
def disclosure(token: str, agency: str, year: int, compare: tuple[int, ...]) -> Disclosure:
    chart = chart_maker(year, compare)
    source = f"{agency}{year}年政府信息公开工作年度报告"
    cells = queries.foi_requests(token, agency, year)
    outcome = facts.outcomes_by_applicant(cells)
    title = f"{year}年依申请公开办理结果（按申请人类型）"
    checks = queries.checks(token, agency, year)
    return Disclosure(
        blocks=tuple(
            (item, make_table(grid))
            for item, grid in facts.disclosure_blocks(queries.active_disclosure(token, agency, year))
        ),
        outcomes=chart(
            charts.outcomes_by_applicant(outcome, title),
            outcome,
            {"applicant": "申请人类型", "outcome": "办理结果", "value": "件数"},
            name="依申请公开办理结果",
            title=title,
            source=f"{source}，第三部分（表三；（三）至（六）的分项相加，空白按0计）",
        ),
        foi=make_table(facts.foi_grid(cells)),
        review=make_table(facts.review_grid(queries.review_litigation(token, agency, year))),
        review_failures=tuple(
            facts.failed_checks(checks[checks["check_id"].str.startswith("t4.")]).itertuples()
        ),
    )
