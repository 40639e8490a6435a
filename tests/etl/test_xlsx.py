"""etl.xlsx, the minimal workbook writer: read back by openpyxl and pandas exactly."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pandas as pd
import pytest

from etl.xlsx import CUT_NOTE, EXCEL_MAX_CHARS, Sheet, column_letter, workbook


@pytest.mark.parametrize(
    ("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"), (52, "BA"), (701, "ZZ"), (702, "AAA")]
)
def test_column_letters(index, letters):
    assert column_letter(index) == letters


def book(*sheets: Sheet):
    return openpyxl.load_workbook(io.BytesIO(workbook(list(sheets))))


def test_cells_text_escaped_and_control_characters_dropped():
    rows = [['<a & b> "q"', "行一\n行二\x0b", 3, 2.5, None, True, datetime.date(2024, 1, 2)]]
    ws = book(Sheet("数据", ["甲", "乙", "丙", "丁", "戊", "己", "庚"], rows, [10] * 7, 1)).active
    got = [c.value for c in ws[2]]
    assert got == ['<a & b> "q"', "行一\n行二", 3, 2.5, None, True, datetime.datetime(2024, 1, 2)]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:G2"
    assert ws.column_dimensions["A"].width == 10


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("\ufffe甲\uffff&<\x1f>\x00", "甲&<>"),  # the noncharacters and controls, wherever they are
        ("\t乙\n\x7f\u3000", "\t乙\n\x7f\u3000"),  # allowed in XML: kept
        # over the limit only with its control characters: they do not count, nothing is cut
        ("\x01" * 10 + "丙" * EXCEL_MAX_CHARS, "丙" * EXCEL_MAX_CHARS),
        ("\x01" + "丁" * (EXCEL_MAX_CHARS + 1), "丁" * (EXCEL_MAX_CHARS - len(CUT_NOTE)) + CUT_NOTE),
    ],
    ids=["forbidden", "allowed", "controls-before-the-cut", "cut"],
)
def test_characters_xml_forbids_are_dropped_and_the_cut_counts_what_is_kept(text, read):
    ws = book(Sheet("数据\ufffe", ["列\x0b"], [[text]], [], 1)).active
    assert (ws.title, ws.cell(1, 1).value, ws.cell(2, 1).value) == ("数据", "列", read)


def test_sheets_in_order_a_quote_in_a_name_and_no_filter_on_notes():
    wb = book(
        Sheet("单位's", ["单位"], [["甲"]], [], 1),
        Sheet("说明", ["项目", "内容"], [["年度", "2024年"]], [10, 20], 1, freeze_header=False),
    )
    assert wb.sheetnames == ["单位's", "说明"]
    assert wb["说明"].freeze_panes is None and not wb["说明"].auto_filter.ref
    frames = pd.read_excel(
        io.BytesIO(workbook([Sheet("x", ["a", "b"], [[1, "=1+1"], [None, "y"]], [], 2)])), sheet_name=None
    )
    assert frames["x"]["b"].tolist() == ["=1+1", "y"] and frames["x"]["a"].isna().tolist() == [False, True]
