"""The readers' own text rules (etl/text_rules.py) and the wall between reading and parsing: the
readers import nothing of the parser (issue 14, item 8)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from etl import numbers, table_rows
from etl.document import is_chrome_text
from etl.text_rules import is_dashed_page_number, is_page_number, to_ascii
from tests.fixtures import ROOT

PARSING = ("etl.parse", "etl.numbers", "etl.table_rows", "etl.collector", "etl.checks", "etl.load")


def test_reading_imports_nothing_of_parsing():
    code = "import sys, etl.readers, etl.document; print(' '.join(sorted(sys.modules)))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert "etl.text_rules" in loaded
    assert [m for m in loaded if m.startswith(PARSING)] == []


def test_one_declaration_of_each_helper():
    assert numbers.to_ascii is to_ascii
    assert table_rows.is_page_number is is_page_number and table_rows.is_chrome_text is is_chrome_text


@pytest.mark.parametrize(
    ("text", "page", "dashed"),
    [
        ("- 4 -", True, True),
        ("第 4 页 共 9 页", True, True),
        ("4/9", True, False),
        ("4", True, False),  # a bare number is a page number in a margin, a figure in a table
        ("1234", False, False),
        ("- 4", False, False),
    ],
)
def test_page_numbers(text, page, dashed):
    assert is_page_number(text) is page
    assert is_dashed_page_number(text) is dashed


def test_to_ascii_keeps_positions():
    assert to_ascii("４８７９８８条，９１．７５％\u3000") == "487988条，91.75% "
    assert len(to_ascii("１\u00a0２")) == 3


def test_chrome_text():
    assert is_chrome_text("- 4 -")
    assert is_chrome_text("2019年四川省政务服务和资源交易服务中心政府信息公开工作年度报告")
    assert not is_chrome_text("4") and not is_chrome_text("规章")
