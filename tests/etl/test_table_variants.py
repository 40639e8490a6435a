"""The three tables as printed in the wild: each variation of layout seen in real
reports (real-world-variants.md) built as rows of cells, as a reader hands them
over, and parsed; every cell asserted. Broken tables are still refused.

The figures and notes are made up for these tests.
"""

from __future__ import annotations

import pytest

from etl.document import Cell
from etl.parse_tables import Collector, parse_table2, parse_table3, parse_table4
from etl.readers.text_file import cell_rows
from etl.template import APPLICANTS, TABLE3_2019, table3_required

TITLE = "某某市人民政府2024年政府信息公开工作年度报告"  # a running head


def cells(rows: list[list[str]], first: int = 1) -> list[list[Cell]]:
    """Rows of texts → rows of Cells, one line number per row."""
    return [[Cell(t, first + i) for t in row] for i, row in enumerate(rows)]


# --- Table 三 -------------------------------------------------------------------

T3_HEADER = [
    ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
    ["", "自然人", "法人或其他组织", "总计"],
    ["", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""],
]
ROWS_2021 = table3_required(True)


def t3_values(code: str) -> list[str]:
    """Made-up cells of one row: distinct per row and column; 科研机构 blank."""
    n = [r.code for r in ROWS_2021].index(code) + 1
    return [str(n), str(n + 100), "", str(n + 300), str(n + 400), str(n + 500), str(7 * n + 1300)]


def t3_data(values=t3_values) -> list[list[str]]:
    """Table 三's data rows in the official 2021 layout (group labels as row-spanned cells)."""
    out = []
    for r in ROWS_2021:
        if r.parent is None:
            labels = [r.label]
        elif r.parent == "3":
            labels = ["三、本年度办理结果" if r.code == "3.1" else "", r.label]
        else:
            group = TABLE3_2019[[x.code for x in TABLE3_2019].index(r.parent)]
            labels = ["", group.label if r.code.endswith(".1") else "", r.label]
        out.append([*labels, *values(r.code)])
    return out


def expected3(values=t3_values) -> dict[tuple[str, str], float | None]:
    return {
        (r.code, a): (float(v) if v else None)
        for r in ROWS_2021
        for a, v in zip(APPLICANTS, values(r.code), strict=True)
    }


def parse3(rows: list[list[str]]) -> tuple[dict, Collector, list]:
    out = Collector("variant.pdf", "段")
    got, three_rows = parse_table3(cells(rows), out)
    assert three_rows
    return {(c.row_code, c.applicant): c.value for c in got}, out, got


def where(rows: list[list[str]], label: str) -> int:
    return next(i for i, row in enumerate(rows) if label in row)


def test_official_layout_every_cell() -> None:
    values, out, got = parse3(T3_HEADER + t3_data())
    assert out.problems == [] and out.unplaced == []
    assert values == expected3()
    assert len(got) == 25 * 7


def test_group_label_cut_by_a_page_break() -> None:
    """（四）无 at the foot of a page with sub-row 1, 法提供 at the top of the next with 2–3;
    between them the page number, the running head and the header repeated."""
    data = t3_data()
    i = where(data, "（四）无法提供")
    data[i][1] = "（四）无"
    data[i + 1][1] = "法提供"
    rows = T3_HEADER + data[: i + 1] + [["- 4 -"], [TITLE], *T3_HEADER] + data[i + 1 :]
    values, out, _got = parse3(rows)
    assert out.problems == [] and out.unplaced == []
    assert values == expected3()


def test_sub_row_label_cut_by_a_page_break_values_before() -> None:
    data = t3_data()
    i = where(data, "1.本机关不掌握相关政府信息")
    data[i][2] = "1.本机关不掌握"
    cont = ["", "", "相关政府信息", *[""] * 7]
    values, out, got = parse3(T3_HEADER + data[: i + 1] + [["-3-"], cont] + data[i + 1 :])
    assert out.problems == [] and out.unplaced == []
    assert values == expected3()
    assert {c.raw_label for c in got if c.row_code == "3.4.1"} == {"1.本机关不掌握相关政府信息"}


def test_sub_row_label_cut_by_a_page_break_values_after() -> None:
    data = t3_data()
    i = where(data, "2.没有现成信息需要另行制作")
    head = ["", "", "2.没有现成信息", *[""] * 7]
    tail = ["", "", "需要另行制作", *data[i][3:]]
    values, out, _got = parse3(T3_HEADER + data[:i] + [head, tail] + data[i + 1 :])
    assert out.problems == [] and out.unplaced == []
    assert values == expected3()


def test_header_cells_with_stray_spaces_and_line_breaks() -> None:
    header = [list(r) for r in T3_HEADER]
    header[2][2] = "商业\n企业"
    header[2][4] = "社会公益 组织"
    header[1][2] = "法人或其他\n组织"
    data = t3_data()
    data[where(data, "三、本年度办理结果")][0] = "三、本年度办 理结果"
    data[where(data, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")][1] = (
        "（二）部分公开（区分处理的，\n只计这一情形，不计其他情形）"
    )
    values, out, _got = parse3(header + data)
    assert out.problems == [] and out.unplaced == []
    assert values == expected3()


def test_total_column_blank_on_every_result_row() -> None:
    """Only 新收, 结转, （七）总计 and 结转下年 carry totals: blank is NULL, and it loads."""

    def values(code: str) -> list[str]:
        row = t3_values(code)
        return row if code in ("1", "2", "3.7", "4") else [*row[:-1], ""]

    got, out, _cells = parse3(T3_HEADER + t3_data(values))
    assert out.problems == [] and out.unplaced == []
    assert got == expected3(values)
    assert got[("3.1", "总计")] is None and got[("3.7", "总计")] == float(t3_values("3.7")[-1])


def test_full_width_space_and_dash_blanks_are_null() -> None:
    def values(code: str) -> list[str]:
        return ["　", "－", "/", "—", "", "无", "1"]

    got, out, _cells = parse3(T3_HEADER + t3_data(values))
    assert out.problems == [] and out.unplaced == []
    assert {v for (code, a), v in got.items() if a != "总计"} == {None}
    assert {v for (code, a), v in got.items() if a == "总计"} == {1.0}


def test_group_headings_as_rows_of_their_own_and_blank_rows() -> None:
    """An HTML-like layout: each group heading a row (spanning the table), sub-rows below."""
    rows = [list(r) for r in T3_HEADER]
    for r in ROWS_2021:
        if r.code.endswith(".1") and r.parent not in (None, "3"):
            rows.append([TABLE3_2019[[x.code for x in TABLE3_2019].index(r.parent)].label])
        rows.append([r.label, *t3_values(r.code)])
        if r.code == "2":
            rows.append([""] * 8)  # a blank row
    values, out, _got = parse3(rows)
    assert out.problems == [] and out.unplaced == []
    assert values == expected3()


def test_note_row_extra_column_and_words_in_a_cell_are_listed() -> None:
    header = [list(r) for r in T3_HEADER]
    header[1].append("备注")
    header[2].append("")
    data = [[*row, ""] for row in t3_data()]
    data[0][-1] = "含转办1件"
    i = where(data, "8.属于行政查询事项")
    data[i][3] = "不适用"  # 自然人 of 3.3.8
    rows = [*header, *data, ["注：本表数据截至12月31日。"]]
    values, out, got = parse3(rows)
    assert out.problems == []
    expected = expected3()
    expected[("3.3.8", "自然人")] = None
    assert values == expected
    assert [(u.table, u.row_text, u.column_text, u.text) for u in out.unplaced] == [
        ("三", "一、本年新收政府信息公开申请数量", "备注", "含转办1件"),
        ("三", "8.属于行政查询事项", "自然人", "不适用"),
        ("三", "注：本表数据截至12月31日。", "", "注：本表数据截至12月31日。"),
    ]
    assert next(c.raw_value for c in got if (c.row_code, c.applicant) == ("3.3.8", "自然人")) == "不适用"
    assert out.unplaced[0].line == len(header) + 1


def test_extra_row_with_figures_is_listed_not_loaded() -> None:
    data = t3_data()
    i = where(data, "（七）总计")
    rows = T3_HEADER + data[:i] + [["", "（八）移送有关机关", "1", "", "", "", "", "", "1"]] + data[i:]
    values, out, _got = parse3(rows)
    assert out.problems == []
    assert values == expected3()
    assert [(u.row_text, u.column_text, u.text) for u in out.unplaced] == [
        ("（八）移送有关机关", "", "（八）移送有关机关"),
        ("（八）移送有关机关", "自然人", "1"),
        ("（八）移送有关机关", "总计", "1"),
    ]


def test_truncated_table_is_still_refused() -> None:
    data = t3_data()
    i = where(data, "2.没有现成信息需要另行制作")
    out = Collector("cut.pdf", "段")
    parse_table3(cells(T3_HEADER + data[:i] + [["", "", "2.没有现成信息需要另行制作", "3", "103"]]), out)
    messages = [f"{p.place}：{p.reason}" for p in out.problems]
    assert messages == [
        f"表三 第{len(T3_HEADER) + i + 1}段：行“2.没有现成信息需要另行制作”应有7个数值，实际2个（表格可能被截断）",
        "表三：缺少10行（表格不完整，可能被截断），第一个缺少的是“2.没有现成信息需要另行制作”",
    ]
    assert all(p.file == "cut.pdf" for p in out.problems)


def test_unreadable_figure_is_still_refused() -> None:
    data = t3_data()
    data[0][1] = "1O5"
    out = Collector("typo.docx", "段")
    parse_table3(cells(T3_HEADER + data), out)
    assert [f"{p.place}：{p.reason}" for p in out.problems] == [
        "表三 行“一、本年新收政府信息公开申请数量” 列“自然人”（第4段）：无法识别的数值“1O5”"
    ]


def test_unmatched_label_beside_a_missing_row_is_refused() -> None:
    data = t3_data()
    data[where(data, "2.重复申请")][2] = "2.甲乙丙丁"
    out = Collector("x.docx", "段")
    parse_table3(cells(T3_HEADER + data), out)
    assert [p.reason for p in out.problems] == [
        "无法识别的行“2.甲乙丙丁”",
        "缺少1行（表格不完整，可能被截断），第一个缺少的是“2.重复申请”",
    ]


# --- Table 二 -------------------------------------------------------------------

T2_2021 = [
    ["第二十条第（一）项"],
    ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
    ["规章", "1", "0", "12"],
    ["行政规范性文件", "5", "2", "41"],
    ["第二十条第（五）项"],
    ["信息内容", "本年处理决定数量"],
    ["行政许可", "3120"],
    ["第二十条第（六）项"],
    ["信息内容", "本年处理决定数量"],
    ["行政处罚", "87"],
    ["行政强制", ""],
    ["第二十条第（八）项"],
    ["信息内容", "本年收费金额（单位：万元）"],
    ["行政事业性收费", "96171.6"],
]
EXPECTED_2021 = {
    ("第二十条第（一）项", "规章", "本年制发件数"): 1.0,
    ("第二十条第（一）项", "规章", "本年废止件数"): 0.0,
    ("第二十条第（一）项", "规章", "现行有效件数"): 12.0,
    ("第二十条第（一）项", "行政规范性文件", "本年制发件数"): 5.0,
    ("第二十条第（一）项", "行政规范性文件", "本年废止件数"): 2.0,
    ("第二十条第（一）项", "行政规范性文件", "现行有效件数"): 41.0,
    ("第二十条第（五）项", "行政许可", "本年处理决定数量"): 3120.0,
    ("第二十条第（六）项", "行政处罚", "本年处理决定数量"): 87.0,
    ("第二十条第（六）项", "行政强制", "本年处理决定数量"): None,
    ("第二十条第（八）项", "行政事业性收费", "本年收费金额（单位：万元）"): 96171.6,
}


def parse2(rows: list[list[str]], formats: set[str]) -> tuple[dict, Collector]:
    out = Collector("variant.docx", "段")
    got, fmts = parse_table2(cells(rows), out)
    assert fmts == formats
    return {(c.item, c.content, c.measure): c.value for c in got}, out


def uniform(rows: list[list[str]], width: int = 4) -> list[list[str]]:
    """The table on a uniform Word grid: every row padded with empty unmerged cells."""
    return [row + [""] * (width - len(row)) for row in rows]


def test_table2_2021_on_a_uniform_grid() -> None:
    values, out = parse2(uniform(T2_2021), {"2021"})
    assert out.problems == [] and out.unplaced == []
    assert values == EXPECTED_2021


T2_2019_FIVE_EIGHT = [
    ["第二十条第（一）项"],
    ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
    ["规章", "0", "0", "3"],
    ["规范性文件", "4", "4", "27"],
    ["第二十条第（五）项"],
    ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
    ["行政许可", "1034", "-185", "2871"],
    ["其他对外管理服务事项", "56", "－15", "120"],
    ["第二十条第（六）项"],
    ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
    ["行政处罚", "40", "+2", "15"],
    ["行政强制", "3", "0", ""],
    ["第二十条第（八）项"],
    ["信息内容", "上一年项目数量", "本年增/减"],
    ["行政事业性收费", "7", "-1"],
    ["第二十条第（九）项"],
    ["信息内容", "采购项目数量", "采购总金额"],
    ["政府集中采购", "25", "75394432.52元"],
]


def test_table2_2019_block_of_two_measures_on_a_four_column_grid() -> None:
    """The refused Word file: （八） and （九） leave their fourth cell empty and unmerged."""
    values, out = parse2(uniform(T2_2019_FIVE_EIGHT), {"2019"})
    assert out.problems == [] and out.unplaced == []
    assert values[("第二十条第（五）项", "行政许可", "本年增/减")] == -185.0
    assert values[("第二十条第（五）项", "其他对外管理服务事项", "本年增/减")] == -15.0
    assert values[("第二十条第（六）项", "行政处罚", "本年增/减")] == 2.0
    assert values[("第二十条第（六）项", "行政强制", "处理决定数量")] is None
    assert values[("第二十条第（八）项", "行政事业性收费", "上一年项目数量")] == 7.0
    assert values[("第二十条第（八）项", "行政事业性收费", "本年增/减")] == -1.0
    assert values[("第二十条第（九）项", "政府集中采购", "采购总金额")] == 75394432.52
    assert len(values) == 2 * 3 + 2 * 3 + 2 * 3 + 2 + 2


def test_table2_shifted_spans_page_chrome_and_header_variants() -> None:
    rows = [list(r) for r in T2_2021]
    rows[5] = [
        "信息内容",
        "",
        "本年处理决定数量",
    ]  # header: a blank cell before the measure (same width as data)
    rows[6] = ["行政许可", "", "3120"]
    rows[12] = ["信息内容", "本年收费金额\n（单位：万元）"]
    rows[13] = ["行政事业性收费", "96171.6", ""]  # one spare cell more than the header
    rows = [*rows[:8], ["- 4 -"], [TITLE], *rows[8:]]
    values, out = parse2(rows, {"2021"})
    assert out.problems == [] and out.unplaced == []
    assert values == EXPECTED_2021


def test_table2_extra_column_note_row_and_stray_cell_are_listed() -> None:
    rows = [list(r) for r in T2_2021]
    rows[1] = [*rows[1], "备注"]
    rows[2] = [*rows[2], "新制定1件"]
    rows[3] = [*rows[3], ""]
    rows[6] = ["行政许可", "3120", "含备案"]  # a filled cell under no header (uniform grid)
    rows[5] = ["信息内容", "本年处理决定数量", ""]
    rows.append(["注：收费金额为全年合计。"])
    values, out = parse2(rows, {"2021"})
    assert out.problems == []
    assert values == EXPECTED_2021
    assert [(u.table, u.row_text, u.column_text, u.text, u.reason) for u in out.unplaced] == [
        ("二", "规章", "备注", "新制定1件", "模板中没有这一列"),
        ("二", "行政许可", "", "含备案", "表头中没有对应的列"),
        ("二", "注：收费金额为全年合计。", "", "注：收费金额为全年合计。", "说明文字，不是模板中的行"),
    ]


def test_table2_too_few_cells_and_missing_row_are_refused() -> None:
    rows = [list(r) for r in T2_2021]
    rows[2] = ["规章", "1", "0"]
    del rows[10]  # 行政强制
    out = Collector("cut.docx", "段")
    parse_table2(cells(rows), out)
    assert [f"{p.place}：{p.reason}" for p in out.problems] == [
        "表二 第二十条第（一）项 行“规章”（第3段）：应有3个数值，实际2个（表格可能不完整）",
        "表二 第二十条第（六）项：缺少行：行政强制（表格不完整）",
    ]


# --- Table 四 -------------------------------------------------------------------

T4 = [
    ["行政复议", "行政诉讼"],
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"],
    ["", "", "", "", "", *["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2],
]
T4_VALUES = ["2", "1", "", "1", "4", "3", "", "", "1", "4", "", "", "", "", ""]


def parse4(rows: list[list[str]]) -> tuple[list, Collector]:
    out = Collector("variant.html", "段")
    got = parse_table4(cells(rows), out)
    return [c.value for c in got], out


def test_table4_header_with_stray_spaces_chrome_and_a_note() -> None:
    header = [list(r) for r in T4]
    header[0][0] = "行政 复议"
    header[1][3] = "尚 未\n审结"
    header[2][6] = "结果\n纠正"
    rows = [*header, ["- 5 -"], [*T4_VALUES, "", ""], ["注：复议均已办结。"]]
    values, out = parse4(rows)
    assert out.problems == []
    assert values == [2.0, 1.0, None, 1.0, 4.0, 3.0, None, None, 1.0, 4.0, None, None, None, None, None]
    assert [(u.table, u.text) for u in out.unplaced] == [("四", "注：复议均已办结。")]


def test_table4_all_blank_is_fifteen_nulls() -> None:
    values, out = parse4([*T4, [""] * 15])
    assert out.problems == [] and out.unplaced == []
    assert values == [None] * 15


def test_table4_truncated_is_refused() -> None:
    values, out = parse4([*T4, ["1", "0", "0"]])
    assert values == []
    assert [f"{p.place}：{p.reason}" for p in out.problems] == [
        "表四 数值行（第4段）：应有15个数值单元格，实际读到3个（表格不完整）"
    ]


# --- The text format: a page number and a running head inside a table ------------


@pytest.mark.parametrize("chrome", ["- 4 -", "-3-", "第 4 页", TITLE])
def test_text_table_skips_page_chrome_lines(chrome: str) -> None:
    lines = ["\t信息内容", "\t本年新", "制作数量", "", "\t规章", chrome, "\t5", ""]
    rows = cell_rows(lines, 10)
    assert [[(c.text, c.line) for c in row] for row in rows] == [
        [("信息内容", 10), ("本年新制作数量", 11)],
        [("规章", 14), ("5", 16)],
    ]


# --- A web page: shifted colspans, &nbsp; blanks, <br /> inside labels -------------


def test_html_table2_shifted_colspans_nbsp_and_br() -> None:
    from etl.readers import document_from_bytes

    page = """<html><body><p>某某区人民政府2021年政府信息公开工作年度报告</p>
<p>二、主动公开政府信息情况</p>
<table>
<tr><td colspan="4">第二十条第（一）项</td></tr>
<tr><td>信息内容</td><td>本年<br />制发件数</td><td>本年<br/>废止件数</td><td>现行有效件数</td></tr>
<tr><td>规章</td><td>1</td><td>0</td><td>12</td></tr>
<tr><td>行政规范<br />性文件</td><td>5</td><td>2</td><td>41</td></tr>
<tr><td colspan="4">第二十条第（五）项</td></tr>
<tr><td>信息内容</td><td colspan="3">本年处理决定数量</td></tr>
<tr><td colspan="2">行政许可</td><td colspan="2">3120</td></tr>
<tr><td colspan="4">第二十条第（六）项</td></tr>
<tr><td colspan="2">信息内容</td><td colspan="2">本年处理决定数量</td></tr>
<tr><td>行政处罚</td><td colspan="3">87</td></tr>
<tr><td>行政强制</td><td colspan="3">&nbsp;</td></tr>
<tr><td colspan="4">第二十条第（八）项</td></tr>
<tr><td>信息内容</td><td colspan="3">本年收费金额<br>（单位：万元）</td></tr>
<tr><td colspan="3">行政事业性收费</td><td>96171.6</td></tr>
</table></body></html>"""
    doc = document_from_bytes("page.html", page.encode("utf-8"))
    out = Collector("page.html", "段")
    got, formats = parse_table2(doc.sections["二"].rows, out)
    assert out.problems == [] and out.unplaced == [] and formats == {"2021"}
    assert {(c.item, c.content, c.measure): c.value for c in got} == EXPECTED_2021
    assert {c.raw_content for c in got} >= {"行政规范性文件"}
