"""The downloads of the 数据下载 and 数据质量 pages, clicked in the browser and opened
as the visitor would: CSV (UTF-8 with BOM), XLSX, the DuckDB file, the source report.

Chart exports (CSV/XLSX/PNG/SVG of a chart) are in test_exports.py.
"""

from __future__ import annotations

import hashlib
import io
import re

import duckdb
import openpyxl
import pandas as pd

from tests.e2e.conftest import ROOT, requires_app
from tests.e2e.helpers import assert_no_exception, choose_table, download, main_text, open_page, wait_for_app

pytestmark = requires_app

BOM = b"\xef\xbb\xbf"


def read_csv(data: bytes) -> pd.DataFrame:
    """A downloaded CSV: it must start with the BOM and be valid UTF-8 throughout."""
    assert data.startswith(BOM), data[:20]
    text = data[len(BOM) :].decode("utf-8")  # strict: raises on any invalid byte
    assert not text.startswith("\ufeff"), "a second BOM"
    return pd.read_csv(io.StringIO(text))


def test_view_csv_and_xlsx_of_the_selected_year(app_url, page):
    open_page(page, app_url + "/downloads")
    choose_table(page, "foi_requests")

    name, data = download(page, page.locator(".st-key-dl-csv-foi_requests button"))
    assert name == "foi_requests-2019.csv"
    csv = read_csv(data)
    assert len(csv) == 161, "23 rows × 7 applicant columns of table 三"
    assert set(csv["year"]) == {2019}
    assert {"row_code", "row_label", "applicant", "value", "raw_value", "source_line"} <= set(csv.columns)
    assert "一、本年新收政府信息公开申请数量" in set(csv["row_label"])
    assert csv["value"].isna().any() and (csv["value"] == 0).any(), "blank cells stay blank, not 0"

    name, data = download(page, page.locator(".st-key-dl-xlsx-foi_requests button"))
    assert name == "foi_requests-2019.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert book.sheetnames == ["foi_requests", "说明"]  # the data, and what each column means
    rows = list(book["foi_requests"].iter_rows(values_only=True))
    assert list(rows[0]) == list(csv.columns)
    notes = {r[0]: r[1] for r in book["说明"].iter_rows(min_row=2, values_only=True)}
    assert list(notes) == list(csv.columns)
    assert notes["applicant"].startswith("申请人类别（VARCHAR）：")
    assert len(rows) == 1 + 161
    xlsx = pd.DataFrame(rows[1:], columns=rows[0])
    assert xlsx["row_code"].astype(str).tolist() == csv["row_code"].astype(str).tolist()
    assert xlsx["value"].isna().sum() == csv["value"].isna().sum()

    choose_table(page, "checks")
    name, data = download(page, page.locator(".st-key-dl-csv-checks button"))
    checks = read_csv(data)
    assert len(checks) == 45 and (checks["passed"] == False).sum() == 2  # noqa: E712
    assert_no_exception(page)


def test_database_file_is_a_duckdb_database(app_url, page, tmp_path):
    open_page(page, app_url + "/downloads")
    name, data = download(page, "下载整个数据库文件（DuckDB）")
    assert name.endswith(".duckdb")
    assert data[8:12] == b"DUCK", "DuckDB's magic bytes"
    path = tmp_path / name
    path.write_bytes(data)
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM foi_requests WHERE year = 2019").fetchone() == (161,)
        ((sha,),) = con.execute("SELECT source_sha256 FROM reports").fetchall()
    finally:
        con.close()
    assert sha in main_text(page)


def test_report_source_has_the_sha256_shown(app_url, page):
    open_page(page, app_url + "/downloads")
    shown = re.findall(r"SHA-256 ([0-9a-f]{64})", main_text(page))
    assert len(shown) == 1, shown
    name, data = download(page, "下载原文")
    assert name == "sichuan-center-2019.txt"
    assert hashlib.sha256(data).hexdigest() == shown[0]
    assert data == (ROOT / "data" / "reports" / name).read_bytes()


def test_scope_selected_year_or_all_years(app_two_years_url, page):
    open_page(page, app_two_years_url + "/downloads?year=2020")
    assert "foi_requests，161行" in main_text(page)
    choose_table(page, "foi_requests")
    name, data = download(page, page.locator(".st-key-dl-csv-foi_requests button"))
    assert name == "foi_requests-2020.csv"
    assert set(read_csv(data)["year"]) == {2020}

    page.locator(".st-key-dl_scope").get_by_text("全部年度").click()
    page.get_by_text("foi_requests，322行").wait_for()
    wait_for_app(page)
    name, data = download(page, page.locator(".st-key-dl-csv-foi_requests button"))
    assert name == "foi_requests-all-years.csv"
    both = read_csv(data)
    assert len(both) == 322 and both.groupby("year").size().to_dict() == {2019: 161, 2020: 161}
    assert len(re.findall(r"SHA-256 [0-9a-f]{64}", main_text(page))) == 2, "both source reports"
    assert_no_exception(page)


def test_quality_checks_csv(app_url, page):
    open_page(page, app_url + "/quality")
    name, data = download(page, "下载检查结果 CSV")
    assert name == "checks-2019.csv"
    table = read_csv(data)
    assert len(table) == 45
    assert (table["结果"] == "不一致").sum() == 2
    assert table["检查内容"].str.contains("交易信息").any()
