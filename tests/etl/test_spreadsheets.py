"""etl.spreadsheets' XLSX writer: typed cells, blanks left blank, widths from the first rows."""

from __future__ import annotations

import datetime
import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

from etl.spreadsheets import WIDTH_SAMPLE, xlsx_bytes


def sheet(frame: pd.DataFrame):
    return openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame))).active


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1, None], [1, None]),  # a blank (NULL) cell is blank, never 0
        ([1.5, float("nan")], [1.5, None]),
        (pd.array([3, pd.NA], dtype="Int64"), [3, None]),
        (np.array([487988, 0], dtype=np.int64), [487988, 0]),  # a real 0 stays 0
        ([True, False], [True, False]),
        (["=SUM(A1)", "-3"], ["=SUM(A1)", "-3"]),  # text stays text
        ([float("inf"), 2.0], ["inf", 2]),  # not a number Excel can hold: its text
    ],
)
def test_cells_keep_their_type_and_blanks(values, expected):
    ws = sheet(pd.DataFrame({"值": values}))
    assert [ws.cell(row=i, column=1).value for i in range(1, len(expected) + 2)] == ["值", *expected]


def test_dates_are_dates_and_time_zones_dropped():
    when = pd.Timestamp("2024-05-01 08:30", tz="Asia/Shanghai")
    ws = sheet(pd.DataFrame({"载入时间": [when, pd.NaT]}))
    assert ws["A2"].value == datetime.datetime(2024, 5, 1, 8, 30)
    assert ws["A3"].value is None


def test_width_is_measured_on_the_first_rows_only():
    short = ["甲"] * WIDTH_SAMPLE
    ws = sheet(pd.DataFrame({"单位": [*short, "很长" * 40]}))
    assert ws.column_dimensions["A"].width == pytest.approx(8, abs=1)
    ws = sheet(pd.DataFrame({"单位": ["很长" * 10, *short]}))
    assert ws.column_dimensions["A"].width == pytest.approx(42, abs=1)
    assert ws.auto_filter.ref == f"A1:A{WIDTH_SAMPLE + 2}"
