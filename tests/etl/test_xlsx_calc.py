"""Our XLSX files opened in a real spreadsheet program: LibreOffice Calc (headless) converts
each sheet to CSV, and what it reads is what we wrote, cell for cell (text stays text, blanks
blank, numbers and dates exact). Excel is not available here; Calc is the strict reader we have."""

from __future__ import annotations

import csv
import datetime
import io
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from etl import pipeline, review
from etl.readers.office import run_soffice, soffice
from etl.spreadsheets import xlsx_bytes
from etl.xlsx import CUT_NOTE, EXCEL_MAX_CHARS
from tests.fixtures import ROOT

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None or not Path("/usr/lib/libreoffice/program/libsclo.so").exists(),
    reason="LibreOffice Calc is not installed (scripts/setup.sh test installs libreoffice-calc-nogui)",
)
# CSV, UTF-8, every sheet, full precision (not "as shown"), formulas not evaluated into values.
_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def calc_sheets(xlsx: bytes, tmp: Path) -> dict[str, list[list[str]]]:
    """Each sheet as LibreOffice Calc reads it (through its CSV export)."""
    src = tmp / "book.xlsx"
    src.write_bytes(xlsx)
    out = tmp / "csv"
    returncode, output = run_soffice(
        [soffice(), "--headless", "--norestore", f"-env:UserInstallation={(tmp / 'profile').as_uri()}",
         "--convert-to", _CSV, "--outdir", str(out), str(src)],
        120, str(tmp),
    )  # fmt: skip
    assert returncode == 0, output
    sheets = {}
    for path in sorted(out.glob("book-*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            sheets[path.stem.removeprefix("book-")] = list(csv.reader(fh))
    return sheets


def _as_calc_writes(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _same(calc: str, ours: str) -> bool:
    """A cell as Calc wrote it is ours: the same text, or the same number to Calc's 15 digits."""
    try:
        return calc == ours or float(calc) == pytest.approx(float(ours), rel=1e-14)
    except ValueError:
        return False


def openpyxl_sheets(xlsx: bytes) -> dict[str, list[list[str]]]:
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    out = {}
    for ws in book.worksheets:
        rows = [[_as_calc_writes(c) for c in row] for row in ws.iter_rows(values_only=True)]
        out[ws.title] = [r[: max((i + 1 for i, v in enumerate(r) if v), default=0)] for r in rows]
    return out


def test_a_data_export_reads_the_same_in_calc(tmp_path):
    frame = pd.DataFrame(
        {
            "机关": ["四川省政务服务和公共资源交易服务中心", "淮安市洪泽区人民政府", '<a & "b">'],
            "数值": [487988, None, 0],  # a blank stays blank, a 0 stays 0
            "比率（%）": [52.63157894736842, 91.75, None],
            "原文": ["=SUM(A1:A2)", "-3", "第一行\n第二行"],  # text is never a formula
            "载入时间": [datetime.datetime(2024, 5, 1, 8, 30), None, None],
        }
    )
    xlsx = xlsx_bytes(frame)
    calc = calc_sheets(xlsx, tmp_path)
    (name,) = calc
    rows = calc[name]
    assert rows[0] == list(frame.columns)
    first = rows[1]
    assert first[:2] == ["四川省政务服务和公共资源交易服务中心", "487988"]
    assert float(first[2]) == pytest.approx(52.63157894736842, rel=1e-14)  # Calc writes 15 digits
    assert first[3:] == ["=SUM(A1:A2)", "2024-05-01 08:30:00"]
    assert rows[2][:4] == ["淮安市洪泽区人民政府", "", "91.75", "-3"]
    assert rows[3][:4] == ['<a & "b">', "0", "", "第一行\n第二行"]


def test_a_cell_over_excel_s_limit_is_cut_and_says_so(tmp_path):
    long = "证" * (EXCEL_MAX_CHARS + 10)
    calc = calc_sheets(xlsx_bytes(pd.DataFrame({"依据": [long, "短"]})), tmp_path)
    (rows,) = calc.values()
    assert len(rows[1][0]) == EXCEL_MAX_CHARS and rows[1][0].endswith(CUT_NOTE)
    assert rows[2] == ["短"]


def test_the_review_workbook_reads_the_same_in_calc_as_in_openpyxl(tmp_path):
    root = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "reports", root / "reports")
    shutil.copy(ROOT / "data" / "units.toml", root / "units.toml")
    db = tmp_path / "d.duckdb"
    pipeline.build(root / "reports", db)
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        parent = review.find_unit(con, "淮安市")
        frames = review.review(con, parent[0], 2024)
    xlsx = review.review_xlsx(frames, parent[1], 2024)
    calc, ours = calc_sheets(xlsx, tmp_path), openpyxl_sheets(xlsx)
    assert set(calc) == set(ours) == {review.LOADED, review.REFUSED, review.MISSING, "说明"}
    for name, rows in ours.items():
        assert len(calc[name]) == len(rows), name
        for theirs, mine in zip(calc[name], rows, strict=True):
            assert [_same(a, b) for a, b in zip(theirs, mine, strict=False)] == [True] * len(mine), (
                name,
                mine,
            )
    assert calc[review.LOADED][1][0] == "淮安市洪泽区人民政府"
