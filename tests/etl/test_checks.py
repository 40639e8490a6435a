"""Unit tests of etl/checks.py: the blank-cell convention of the sum checks.

A blank is not a stated 0: when every part of a sum is blank the check cannot be
assessed (many agencies leave whole columns blank), when only some are blank they
count as 0 and the description says how many.
"""

from __future__ import annotations

import pytest

from etl.checks import run_checks, sum_check, table3_checks
from etl.model import Report, RequestCell
from etl.template import APPLICANTS, TABLE3_BY_CODE, table3_required

CASES = [
    # name, total, parts, (expected, actual, passed), words the description must contain
    ("all filled, equal", 5.0, [2.0, 3.0], (5.0, 5.0, True), []),
    ("all filled, unequal", 6.0, [2.0, 3.0], (6.0, 5.0, False), []),
    (
        "parts all blank, total stated",
        805.0,
        [None, None, None],
        (805.0, None, None),
        ["无法评估：分项均为空白"],
    ),
    ("parts all blank, total 0", 0.0, [None, None], (0.0, None, None), ["无法评估：分项均为空白"]),
    ("everything blank", None, [None, None], (None, None, None), ["无法评估：总计为空白，分项均为空白"]),
    ("total blank, parts filled", None, [1.0, None], (None, 1.0, None), ["无法评估：总计为空白"]),
    ("some parts blank count as 0", 3.0, [3.0, None, None], (3.0, 3.0, True), ["其中2个空白分项按0计"]),
    ("some blank, still unequal", 4.0, [3.0, None], (4.0, 3.0, False), ["其中1个空白分项按0计"]),
]


@pytest.mark.parametrize(("name", "total", "parts", "outcome", "words"), CASES, ids=[c[0] for c in CASES])
def test_sum_check(name, total, parts, outcome, words):
    check = sum_check("x", "规则", total, parts, "出处")
    assert (check.expected, check.actual, check.passed) == outcome
    for word in words:
        assert word in check.description
    if outcome[2] is not None:
        assert "无法评估" not in check.description
    if None not in parts:
        assert "空白分项" not in check.description


def _report(cells: dict[tuple[str, str], float | None]) -> Report:
    report = Report("某市人民政府办公室", 2019, "标题", "2019", "a.txt", "0" * 64)
    report.foi_requests = [
        RequestCell(code, TABLE3_BY_CODE[code].label, None, applicant, value, "", None, 1, 1, 1)
        for (code, applicant), value in cells.items()
    ]
    return report


def _blank_total_column(new: float) -> dict[tuple[str, str], float | None]:
    """Table 三 as many agencies fill it: 总计 blank on the result rows, figures by applicant."""
    cells: dict[tuple[str, str], float | None] = {}
    for row in table3_required(False):
        for applicant in APPLICANTS:
            cells[(row.code, applicant)] = None
    cells[("1", "自然人")] = new
    cells[("1", "总计")] = new
    cells[("3.1", "自然人")] = new
    cells[("3.7", "自然人")] = new
    cells[("3.7", "总计")] = new
    return cells


def test_blank_total_column_is_not_a_contradiction():
    checks = {c.check_id: c for c in table3_checks(_report(_blank_total_column(805.0)))}
    total = checks["t3.outcomes_sum.total"]
    assert (total.expected, total.actual, total.passed) == (805.0, None, None)
    assert "分项均为空白" in total.description
    assert checks["t3.outcomes_sum.natural_person"].passed is True
    assert checks["t3.balance.total"].passed is True
    assert [c.check_id for c in checks.values() if c.passed is False] == []


def test_filled_parts_against_a_blank_total_column_still_fail_when_they_differ():
    cells = _blank_total_column(805.0)
    cells[("3.1", "总计")] = 800.0  # one result row filled: blanks now count as 0
    checks = {c.check_id: c for c in table3_checks(_report(cells))}
    total = checks["t3.outcomes_sum.total"]
    assert (total.expected, total.actual, total.passed) == (805.0, 800.0, False)
    assert "空白分项按0计" in total.description


def test_every_unassessable_check_says_why():
    report = _report(_blank_total_column(12.0))
    for check in run_checks(report):
        if check.passed is None:
            assert "无法评估：" in check.description, check.check_id


def test_every_unassessable_check_in_a_database_says_why(tmp_path):
    """Across-years checks too (computed in SQL): the bundled reports and the derived 2020 report."""
    from etl.pipeline import build
    from tests import fixtures

    reports = tmp_path / "reports"
    fixtures.write(reports, fixtures.SEED_NAME, fixtures.seed_bytes())
    fixtures.write(reports, "sichuan-center-2020.txt", fixtures.report_2020())
    for pdf in sorted((fixtures.ROOT / "data" / "reports").glob("*.pdf")):  # the bundled Hongze reports
        fixtures.write(reports, pdf.name, pdf.read_bytes())
    db = tmp_path / "db.duckdb"
    build(reports, db)
    rows = fixtures.query(db, "SELECT check_id, kind, description FROM checks WHERE passed IS NULL")
    assert {r["kind"] for r in rows} == {"within", "across"}
    assert [r["check_id"] for r in rows if "无法评估：" not in r["description"]] == []


def _figure(topic: str, metric: str, category: str, value: float):
    from etl.model import Figure

    return Figure(topic, metric, category, value, "件", False, "句子。", f"{value:g}件", "一、总体情况", 1)


PROSE_CASES = [
    # figures the report states → the prose checks made (a topic it never speaks of gives none)
    ([], []),
    ([("hotline", "cases", "total", 10.0)], ["prose.hotline_channels_sum", "prose.hotline_handling_sum"]),
    ([("trading", "notices", "engineering", 3.0)], ["prose.trading_categories_sum"]),
    ([("hotline", "rate", "transferred_completion", 90.0)], ["prose.hotline_completion_rate"]),
]


@pytest.mark.parametrize(("figures", "expected"), PROSE_CASES)
def test_prose_checks_only_for_what_the_report_speaks_of(figures, expected):
    from etl.checks import prose_checks

    report = _report({})
    report.figures = [_figure(*f) for f in figures]
    checks = prose_checks(report)
    assert [c.check_id for c in checks] == expected
    assert all(c.passed is None and "无法评估：" in c.description for c in checks)
