"""The 2021 national table format in the seed's text layout: table 二's new blocks,
table 三's （六） as three sub-rows, format detection, and the 2021 across-years rule
(现行有效 carried forward). Test data is derived from the seed in the test."""

from __future__ import annotations

import pytest

from etl import pipeline
from etl.model import ReportError
from etl.parse import parse_report, template_of
from etl.readers import read_bytes
from tests import fixtures
from tests.fixtures import SEED_NAME, seed_text, set_title, write


def _cells(*values) -> str:
    return "".join(f"\t{v}\n" for v in values)


def table2_2021(rules: tuple[int, int, int], norms: tuple[int, int, int]) -> str:
    """Table 二 in the 2021 format: 制发/废止/现行有效 and the single-measure blocks."""
    return (
        "二、主动公开政府信息情况\n"
        + _cells("第二十条第（一）项")
        + "\n"
        + _cells("信息内容", "本年制发件数", "本年废止件数", "现行有效件数")
        + "\n"
        + _cells("规章", *rules)
        + "\n"
        + _cells("行政规范性文件", *norms)
        + "\n"
        + _cells("第二十条第（五）项")
        + "\n"
        + _cells("信息内容", "本年处理决定数量")
        + "\n"
        + _cells("行政许可", 12)
        + "\n"
        + _cells("第二十条第（六）项")
        + "\n"
        + _cells("信息内容", "本年处理决定数量")
        + "\n"
        + _cells("行政处罚", 3)
        + "\n"
        + _cells("行政强制", "\u00a0")
        + "\n"
        + _cells("第二十条第（八）项")
        + "\n"
        + _cells("信息内容", "本年收费金额（单位：万元）")
        + "\n"
        + _cells("行政事业性收费", "7730.28")
        + "\n\n"
    )


OTHER_ONE_ROW = "\t\n\t（六）其他处理\n" + _cells(0, *["\u00a0"] * 5, 0)
OTHER_THREE_ROWS = (
    "\t\n\t（六）其他处理\n\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\n"
    + _cells(1, *["\u00a0"] * 5, 1)
    + "\n\t\n\t\n\t2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\n"
    + _cells(0, *["\u00a0"] * 5, 0)
    + "\n\t\n\t\n\t3.其他\n"
    + _cells(2, *["\u00a0"] * 5, 2)
)


def report_2021(
    year: int = 2021,
    rules=(0, 0, 1),
    norms=(3, 0, 5),
    three_rows: bool = True,
    agency: str | None = None,
    table2: bool = True,
) -> str:
    text = set_title(seed_text(), year=year, agency=agency)
    start, end = text.index("二、主动公开政府信息情况"), text.index("三、收到和处理政府信息公开申请情况")
    if table2:
        text = text[:start] + table2_2021(rules, norms) + text[end:]
    seed_row = "\t\n\t（六）其他处理\n" + "".join(f"\t{v}\n" for v in ("0", *["\u00a0"] * 5, "0"))
    assert seed_row in text
    if three_rows:
        # The three sub-rows hold 1 + 0 + 2 = 3; make （七）总计 and 新收 agree.
        text = text.replace(seed_row, OTHER_THREE_ROWS)
    return text


def query(db, sql: str) -> list[tuple]:
    return [tuple(row.values()) for row in fixtures.query(db, sql)]


def parse(text: str, name: str = "r.txt"):
    return parse_report(read_bytes(name, text.encode("utf-8")))


def test_table2_in_the_2021_format():
    report = parse(report_2021())
    assert report.template == "2021"
    cells = {(c.item, c.content, c.measure): c for c in report.active_disclosure}
    assert len(cells) == 10
    assert cells[("第二十条第（一）项", "规章", "现行有效件数")].value == 1
    assert cells[("第二十条第（一）项", "行政规范性文件", "本年制发件数")].value == 3
    assert cells[("第二十条第（五）项", "行政许可", "本年处理决定数量")].value == 12
    assert cells[("第二十条第（六）项", "行政强制", "本年处理决定数量")].value is None
    fee = cells[("第二十条第（八）项", "行政事业性收费", "本年收费金额（单位：万元）")]
    assert fee.value == 7730.28 and fee.raw_value == "7730.28"


def test_other_handling_as_three_rows():
    report = parse(report_2021())
    codes = sorted({c.row_code for c in report.foi_requests})
    assert "3.6" not in codes
    assert {"3.6.1", "3.6.2", "3.6.3"} <= set(codes)
    assert len(codes) == 25
    orders = sorted({(c.row_order, c.row_code) for c in report.foi_requests})
    assert [o for o, _ in orders] == list(range(1, 26)), "display order is contiguous"
    by = {(c.row_code, c.applicant): c.value for c in report.foi_requests}
    assert by[("3.6.3", "自然人")] == 2
    sub = next(c for c in report.foi_requests if c.row_code == "3.6.1")
    assert sub.parent_label == "（六）其他处理"


def test_template_detection():
    assert parse(report_2021(three_rows=False)).template == "2021", "2021-era reports may print one row"
    assert parse(report_2021(table2=False, three_rows=True)).template == "mixed"
    assert parse(seed_text()).template == "2019"
    assert template_of({"2019", "2021"}, False) == "mixed"


def test_a_2021_table_missing_a_sub_row_is_refused():
    text = report_2021()
    cut = "\n\t\n\t\n\t3.其他\n" + _cells(2, *["\u00a0"] * 5, 2)
    with pytest.raises(ReportError) as info:
        parse(text.replace(cut, "\n"), "cut.txt")
    assert "cut.txt" in str(info.value) and "3.其他" in str(info.value)


def _build(tmp_path, texts: dict[str, str]):
    reports = tmp_path / "reports"
    for name, text in texts.items():
        write(reports, name, text)
    db = tmp_path / "db.duckdb"
    pipeline.build(reports, db)
    return db


def test_in_force_rule_across_years(tmp_path):
    # 2021: 规章 现行有效 1, 规范性文件 5. 2022: 规章 0+0→1 (passes), 规范性文件 5+3−1=7 but says 8 (fails).
    db = _build(
        tmp_path,
        {
            "a-2021.txt": report_2021(2021, rules=(0, 0, 1), norms=(3, 0, 5)),
            "a-2022.txt": report_2021(2022, rules=(0, 0, 1), norms=(3, 1, 8)),
        },
    )
    rows = query(
        db,
        "SELECT check_id, expected, actual, passed FROM checks WHERE check_id LIKE 'x.in_force.%' "
        "ORDER BY check_id",
    )
    assert rows == [
        ("x.in_force.normative_documents", 8.0, 7.0, False),
        ("x.in_force.regulations", 1.0, 1.0, True),
    ]
    years = query(db, "SELECT DISTINCT year FROM checks WHERE check_id LIKE 'x.in_force.%'")
    assert years == [(2022,)]


def test_no_in_force_rule_for_2019_format_pairs(tmp_path):
    db = _build(tmp_path, {SEED_NAME: seed_text(), "b-2020.txt": set_title(seed_text(), year=2020)})
    assert query(db, "SELECT count(*) FROM checks WHERE check_id LIKE 'x.in_force.%'") == [(0,)]


def test_agency_with_and_without_city_prefix_pairs_across_years(tmp_path):
    db = _build(
        tmp_path,
        {
            "hz-2021.txt": report_2021(2021, agency="洪泽区人民政府"),
            "hz-2022.txt": report_2021(2022, agency="淮安市洪泽区人民政府"),
        },
    )
    assert query(db, "SELECT DISTINCT agency FROM reports") == [("淮安市洪泽区人民政府",)]
    titles = query(db, "SELECT title FROM reports ORDER BY year")
    assert titles[0][0].startswith("2021年洪泽区人民政府"), "the title keeps the printed name"
    assert query(db, "SELECT count(*) FROM checks WHERE kind = 'across'")[0][0] > 0
