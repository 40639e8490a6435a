"""The official blank 2021 Word template, filled in (tests/docx_template.py), read with
the project's reader and parsed: every cell of tables 二/三/四 asserted (value, and
NULL for each blank: empty or a full-width space). Variants as agencies print it:
table 二 on a uniform grid with trailing empty cells, the 总计 column blank on the
result rows, negative and decimal cells. The figures are made up.
"""

from __future__ import annotations

import pytest

from etl.model import Report
from etl.parse import parse_report
from etl.readers import document_from_bytes
from etl.template import APPLICANTS, TABLE3_2019, TABLE4_CELLS
from tests.docx_template import TEMPLATE, Filling, fill

needs_template = pytest.mark.skipif(not TEMPLATE.is_file(), reason=f"the template {TEMPLATE} is absent")
pytestmark = needs_template

TITLE = "示例县人民政府2022年政府信息公开工作年度报告"
PROSE = {
    "一": "本年度示例县人民政府主动公开政府信息412条，受理政府信息公开申请37件。",
    "五": "一是公开内容还不够全面；二是解读形式较为单一。下一步将逐项改进。",
    "六": "本年度未收取信息处理费。",
}
I1, I5, I6, I8 = (f"第二十条第（{n}）项" for n in "一五六八")
TABLE2 = {
    (I1, "规章"): ["2", None, "15"],  # 本年废止件数 left as the template's full-width-space blank
    (I1, "行政规范性文件"): ["7", "3", None],
    (I5, "行政许可"): ["2863"],
    (I6, "行政处罚"): ["154"],
    (I6, "行政强制"): [None],
    (I8, "行政事业性收费"): ["24252.311082"],
}
MEASURES = {
    I1: ["本年制发件数", "本年废止件数", "现行有效件数"],
    I5: ["本年处理决定数量"],
    I6: ["本年处理决定数量"],
    I8: ["本年收费金额（单位：万元）"],
}
# Table 三 by the template's printed labels (the canonical labels): the 25 rows of the 2021 variant.
T3_LABELS = [r.label for r in TABLE3_2019 if not r.is_group and r.code != "3.6"]


def t3(label: str) -> list[str | None]:
    """Made-up cells: distinct per row; 科研机构 and 社会公益组织 blank on every row."""
    n = T3_LABELS.index(label) + 1
    return [str(n), str(10 + n), None, None, str(30 + n), "0", str(n + 10 + n + 30 + n)]


TABLE3 = {label: t3(label) for label in T3_LABELS}
TABLE4 = ["3", "1", None, "2", "6", "4", None, "1", None, "5", "0", None, None, None, "0"]


def filling(**changes) -> Filling:
    base = {"title": TITLE, "prose": PROSE, "table2": TABLE2, "table3": TABLE3, "table4": TABLE4}
    return Filling(**(base | changes))


def number(text: str | None) -> float | None:
    if text is None:
        return None
    return float(text.removesuffix("元"))


def report_of(data: bytes, name: str = "filled.docx") -> Report:
    return parse_report(document_from_bytes(name, data))


def table2_of(report: Report) -> dict[tuple[str, str, str], float | None]:
    return {(c.item, c.content, c.measure): c.value for c in report.active_disclosure}


def expected_table2(cells: dict, measures: dict) -> dict[tuple[str, str, str], float | None]:
    return {
        (item, content, measure): number(v)
        for (item, content), values in cells.items()
        for measure, v in zip(measures[item], values, strict=True)
    }


def table3_of(report: Report) -> dict[tuple[str, str], float | None]:
    by_code = {r.code: r.label for r in TABLE3_2019}
    return {(by_code[c.row_code], c.applicant): c.value for c in report.foi_requests}


def expected_table3(cells: dict) -> dict[tuple[str, str], float | None]:
    return {
        (label, a): number(v)
        for label, values in cells.items()
        for a, v in zip(APPLICANTS, values, strict=True)
    }


def table4_of(report: Report) -> list[tuple[str, str, float | None]]:
    return [(c.proceeding, c.outcome, c.value) for c in report.review_litigation]


def expected_table4(values: list[str | None]) -> list[tuple[str, str, float | None]]:
    return [(p, o, number(v)) for (p, o), v in zip(TABLE4_CELLS, values, strict=True)]


def test_blank_template_has_the_variations_it_is_used_for() -> None:
    """The template itself: full-width-space blanks, line breaks in header cells, merged cells."""
    import zipfile

    xml = zipfile.ZipFile(TEMPLATE).read("word/document.xml").decode("utf-8")
    assert xml.count("\u3000") == 8 and xml.count("<w:br") == 11
    assert xml.count("w:gridSpan") > 20 and xml.count("w:vMerge") > 20


def test_filled_template_every_cell() -> None:
    report = report_of(fill(filling()))
    assert (report.agency, report.year, report.template) == ("示例县人民政府", 2022, "2021")
    assert table2_of(report) == expected_table2(TABLE2, MEASURES)
    assert table3_of(report) == expected_table3(TABLE3)
    assert table4_of(report) == expected_table4(TABLE4)
    assert len(report.foi_requests) == 25 * 7 and len(report.review_litigation) == 15
    # The template's blanks (empty, or a full-width space) are NULL, never 0.
    assert table2_of(report)[(I1, "规章", "本年废止件数")] is None
    assert table3_of(report)[("（七）总计", "科研机构")] is None
    assert (report.texts[0].text, report.texts[-1].text) == (PROSE["一"], PROSE["六"])


def test_filled_template_the_document_rows() -> None:
    """What the reader hands over: merged cells undone, header line breaks joined, blanks empty."""
    doc = document_from_bytes("filled.docx", fill(filling()))
    t4 = [[c.text for c in row] for row in doc.sections["四"].rows]
    assert t4[1][:4] == ["结果维持", "结果纠正", "其他结果", "尚未审结"]
    assert t4[-1] == [v or "" for v in TABLE4]
    t2 = [[c.text for c in row] for row in doc.sections["二"].rows]
    assert t2[2] == ["规章", "2", "", "15"]
    assert t2[5:7] == [["信息内容", "本年处理决定数量"], ["行政许可", "2863"]]


def test_uniform_grid_table2_with_trailing_empty_cells() -> None:
    """Table 二 drawn on a uniform four-column grid: one-measure blocks leave three empty cells."""
    data = fill(filling(), uniform_table2=True)
    rows = [[c.text for c in row] for row in document_from_bytes("grid.docx", data).sections["二"].rows]
    assert rows[4:7] == [
        ["第二十条第（五）项", "", "", ""],
        ["信息内容", "本年处理决定数量", "", ""],
        ["行政许可", "2863", "", ""],
    ]
    report = report_of(data, "grid.docx")
    assert table2_of(report) == expected_table2(TABLE2, MEASURES)
    assert table3_of(report) == expected_table3(TABLE3)


def test_uniform_grid_2019_block_with_negative_change() -> None:
    """（八） printed with the 2019 headers on the uniform grid: two measures, the fourth cell
    empty and unmerged (the Word file once refused with 应有2个数值，实际3个), a negative
    本年增/减: it loads, as a mixed report."""
    headers = {I8: ["上一年项目数量", "本年增/减", ""]}
    table2 = TABLE2 | {(I8, "行政事业性收费"): ["12", "-15", None]}
    data = fill(filling(table2=table2, table2_headers=headers), uniform_table2=True)
    rows = [[c.text for c in row] for row in document_from_bytes("mixed.docx", data).sections["二"].rows]
    assert rows[-2:] == [["信息内容", "上一年项目数量", "本年增/减", ""], ["行政事业性收费", "12", "-15", ""]]
    report = report_of(data, "mixed.docx")
    expected = expected_table2(table2, MEASURES | {I8: ["上一年项目数量", "本年增/减", "（空）"]})
    del expected[(I8, "行政事业性收费", "（空）")]
    assert table2_of(report) == expected
    assert expected[(I8, "行政事业性收费", "本年增/减")] == -15.0
    assert report.template == "mixed"
    assert next(c.raw_value for c in report.active_disclosure if c.measure == "本年增/减") == "-15"


def test_total_column_blank_on_every_result_row() -> None:
    """Only 新收, 结转, （七）总计 and 结转下年 carry a 总计: the others load with NULL there."""
    carrying = {
        "一、本年新收政府信息公开申请数量",
        "二、上年结转政府信息公开申请数量",
        "（七）总计",
        "四、结转下年度继续办理",
    }
    table3 = {label: v if label in carrying else [*v[:-1], None] for label, v in TABLE3.items()}
    report = report_of(fill(filling(table3=table3)), "no-totals.docx")
    assert table3_of(report) == expected_table3(table3)
    assert sum(1 for c in report.foi_requests if c.applicant == "总计" and c.value is None) == 25 - 4


def test_words_in_a_value_cell_are_null_and_listed() -> None:
    table3 = TABLE3 | {"2.重复申请": ["不适用", *TABLE3["2.重复申请"][1:]]}
    doc = document_from_bytes("words.docx", fill(filling(table3=table3)))
    from etl.parse_tables import Collector, parse_table3

    out = Collector("words.docx", "段")
    cells, _three = parse_table3(doc.sections["三"].rows, out)
    assert out.problems == []
    assert [(u.table, u.row_text, u.column_text, u.text) for u in out.unplaced] == [
        ("三", "2.重复申请", "自然人", "不适用")
    ]
    cell = next(c for c in cells if c.row_label == "2.重复申请" and c.applicant == "自然人")
    assert (cell.value, cell.raw_value) == (None, "不适用")


def test_truncated_table3_is_refused_naming_file_table_and_row() -> None:
    from etl.model import ReportError

    table3 = TABLE3 | {"3.其他": ["1", "11", None, None, "31", "0", "x7"]}
    with pytest.raises(ReportError) as caught:
        report_of(fill(filling(table3=table3)), "bad.docx")
    assert [str(p) for p in caught.value.problems] == [
        "bad.docx：表三 行“3.其他” 列“总计”（第45段）：无法识别的数值“x7”"
    ]


def test_table4_left_blank_is_fifteen_nulls() -> None:
    """An agency with no reconsideration or litigation leaves table 四's values row blank."""
    report = report_of(fill(filling(table4=[None] * 15)), "no-cases.docx")
    assert table4_of(report) == expected_table4([None] * 15)
