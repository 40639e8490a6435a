"""dashboard/views/downloads.py: every view's XLSX carries its columns' names and meanings."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from dashboard.views.downloads import VIEW_NAMES, Download, column_notes
from etl.resources import RESOURCES


@pytest.mark.parametrize("resource", RESOURCES, ids=[r.name for r in RESOURCES])
def test_every_view_column_has_a_note(resource):
    notes = column_notes(resource.name)
    assert list(notes) == resource.view_columns
    assert all("：" in text and text.split("（")[0] for text in notes.values())
    assert VIEW_NAMES[resource.name] == resource.label


def test_xlsx_has_the_data_and_the_notes():
    frame = pd.DataFrame({"report_id": ["a"], "agency": ["某市"], "year": [2019], "check_id": ["t4.x"]})
    book = openpyxl.load_workbook(io.BytesIO(Download("checks", frame).xlsx()))
    assert book.sheetnames == ["checks", "说明"]
    rows = {r[0]: r[1] for r in book["说明"].iter_rows(min_row=2, values_only=True)}
    assert rows["agency"].startswith("机关（VARCHAR）：")
    assert rows["check_id"].startswith("检查代码（VARCHAR）：")
    assert rows["passed"].startswith("是否通过（BOOLEAN）：")
