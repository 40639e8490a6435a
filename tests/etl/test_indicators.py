"""Indicators: the records, the SQL made from them, exact values on the real reports, and NULL
with a reason (never 0) where a denominator is zero or blank."""

from __future__ import annotations

import duckdb
import pytest

from etl import indicators, store
from etl.indicators import BY_ID, INDICATORS
from etl.pipeline import build
from tests.fixtures import ROOT

IDS = (
    "disclosed_rate",
    "substantive_disclosed_rate",
    "not_disclosed_rate",
    "unable_rate",
    "carry_over_rate",
    "review_corrected_rate",
    "litigation_corrected_rate",
)


def test_the_issue_s_indicators_are_declared_once_with_names_and_formulas():
    assert tuple(i.id for i in INDICATORS) == IDS
    assert BY_ID["carry_over_rate"].formula == (
        "表三“总计”列：四、结转下年度继续办理 ÷ "
        "（一、本年新收政府信息公开申请数量 + 二、上年结转政府信息公开申请数量） × 100%"
    )
    assert BY_ID["not_disclosed_rate"].formula == "表三“总计”列：（三）不予公开 ÷ （七）总计 × 100%"
    assert BY_ID["litigation_corrected_rate"].formula == (
        "表四：（未经复议直接起诉结果纠正 + 复议后起诉结果纠正） ÷ （未经复议直接起诉总计 + 复议后起诉总计） × 100%"
    )
    assert all(i.unit == "%" and i.name and i.meaning and i.comparable for i in INDICATORS)


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    db = tmp_path_factory.mktemp("ind") / "d.duckdb"
    build(ROOT / "data" / "reports", db)
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


# The 2024 report of 淮安市洪泽区人民政府: table 三 总计 column 新收 95, 结转 0, 予以公开 50, 部分公开 9,
# 无法提供 31 + 1 + 0, （七）总计 95, 结转下年度 0; table 四 复议 纠正 1 of 2, suits 纠正 0 of 1 + 3.
@pytest.mark.parametrize(
    ("indicator", "numerator", "denominator"),
    [
        ("disclosed_rate", 50, 95),
        ("substantive_disclosed_rate", 59, 95),
        ("not_disclosed_rate", 3, 95),
        ("unable_rate", 32, 95),
        ("carry_over_rate", 0, 95),
        ("review_corrected_rate", 1, 2),
        ("litigation_corrected_rate", 0, 4),
    ],
)
def test_exact_values_of_the_hongze_2024_report(bundled, indicator, numerator, denominator):
    row = bundled.execute(
        "SELECT value, numerator, denominator, null_reason, name FROM indicators "
        "WHERE report_id = 'huaian-hongze-district-2024' AND indicator = ?",
        [indicator],
    ).fetchone()
    assert row[1:4] == (numerator, denominator, None)
    assert row[0] == pytest.approx(numerator / denominator * 100)
    assert row[4] == BY_ID[indicator].name


def test_the_report_s_own_contradiction_gives_null_not_a_rate(bundled):
    # 洪泽区 2023 prints 行政复议 结果纠正 1 under a 总计 of 0: no rate, the reason, the cells as printed.
    row = bundled.execute(
        "SELECT value, numerator, denominator, null_reason FROM indicators "
        "WHERE report_id = 'huaian-hongze-district-2023' AND indicator = 'review_corrected_rate'"
    ).fetchone()
    assert row == (None, 1, 0, indicators.DENOMINATOR_ZERO)


def test_every_report_has_every_indicator_once(bundled):
    counts = bundled.execute(
        "SELECT count(*), count(DISTINCT report_id), count(DISTINCT (report_id, indicator)) FROM indicators"
    ).fetchone()
    reports = bundled.execute("SELECT count(*) FROM reports").fetchone()[0]
    assert counts == (reports * len(INDICATORS), reports, reports * len(INDICATORS))


def _database(foi: dict[str, float | None], review: dict[tuple[str, str], float | None]):
    """One report with only the given cells (None: a blank cell), its indicators computed."""
    con = duckdb.connect()
    store.create_schema(con)
    con.execute(
        "INSERT INTO store.reports (report_id, agency, year, template, source_file, source_sha256, loaded_at,"
        " title, agency_source, year_source, unit_id) VALUES ('r', 'A', 2024, '2021', 'r.txt', 'x', now(), 't',"
        " 'title', 'title', 'u1')"
    )
    for n, (code, value) in enumerate(foi.items()):
        con.execute(
            "INSERT INTO store.foi_requests (report_id, row_code, row_label, applicant, value, raw_label,"
            " row_order, col_order, source_line) VALUES ('r', ?, ?, '总计', ?, ?, ?, 7, 1)",
            [code, code, value, code, n],
        )
    for n, ((proceeding, outcome), value) in enumerate(review.items()):
        con.execute(
            "INSERT INTO store.review_litigation (report_id, proceeding, outcome, value, col_order, source_line)"
            " VALUES ('r', ?, ?, ?, ?, 1)",
            [proceeding, outcome, value, n],
        )
    con.execute("DELETE FROM store.indicators")
    con.execute(indicators.REFRESH_SQL)
    return con


def _row(con, indicator):
    return con.execute(
        "SELECT value, numerator, denominator, null_reason FROM indicators WHERE indicator = ?", [indicator]
    ).fetchone()


@pytest.mark.parametrize(
    ("foi", "indicator", "expected"),
    [
        ({"3.1": 3, "3.7": 0}, "disclosed_rate", (None, 3, 0, indicators.DENOMINATOR_ZERO)),
        ({"3.1": 3, "3.7": None}, "disclosed_rate", (None, 3, None, indicators.DENOMINATOR_BLANK)),
        ({"3.1": None, "3.7": 8}, "disclosed_rate", (None, None, 8, indicators.NUMERATOR_BLANK)),
        ({}, "disclosed_rate", (None, None, None, indicators.NO_CELLS)),
        ({"3.1": 2, "3.2": None, "3.7": 8}, "substantive_disclosed_rate", (25.0, 2, 8, None)),
        ({"4": 1, "1": 4, "2": None}, "carry_over_rate", (25.0, 1, 4, None)),
        ({"3.4.1": None, "3.4.2": 1, "3.4.3": 1, "3.7": 4}, "unable_rate", (50.0, 2, 4, None)),
    ],
)
def test_blank_and_zero_cells(foi, indicator, expected):
    assert _row(_database(foi, {}), indicator) == expected


def test_litigation_counts_both_kinds_of_suit():
    review = {
        ("未经复议直接起诉", "结果纠正"): 1,
        ("未经复议直接起诉", "总计"): 2,
        ("复议后起诉", "结果纠正"): None,
        ("复议后起诉", "总计"): 2,
        ("行政复议", "结果纠正"): 0,
        ("行政复议", "总计"): 0,
    }
    con = _database({}, review)
    assert _row(con, "litigation_corrected_rate") == (25.0, 1, 4, None)
    assert _row(con, "review_corrected_rate") == (None, 0, 0, indicators.DENOMINATOR_ZERO)
    assert con.execute("SELECT DISTINCT unit_id FROM indicators").fetchall() == [("u1",)]
