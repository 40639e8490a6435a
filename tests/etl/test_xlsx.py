"""etl.xlsx, the minimal workbook writer: read back by openpyxl and pandas exactly."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pandas as pd
import pytest

from etl.xlsx import Sheet, column_letter, workbook


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
