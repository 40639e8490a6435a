"""The chart exports of a real page, clicked in the browser: CSV, XLSX, PNG and SVG."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import openpyxl
import pandas as pd
import pytest
from PIL import Image

from tests.e2e.conftest import APP
from tests.e2e.helpers import ARTIFACTS, assert_no_exception, screenshot, wait_for_app, wait_for_charts

pytestmark = pytest.mark.skipif(not APP.exists(), reason="app.py is not written yet")


def download(page, button_name: str):
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name=button_name).first.click()
    d = info.value
    assert d.failure() is None
    return d.suggested_filename, open(d.path(), "rb").read()


def test_trading_page_downloads(streamlit_server, page):
    # from the root: a fresh session deep-linked to /trading fails (see test_smoke.py)
    page.goto(streamlit_server + "/")
    wait_for_app(page)
    page.get_by_role("link", name="交易信息").click()
    wait_for_app(page)
    wait_for_charts(page, 1)
    assert_no_exception(page)
    page.get_by_text("查看数据表与下载").first.click()
    page.get_by_role("button", name="下载 CSV").first.wait_for()
    screenshot(page, "e2e-trading-downloads")

    name, data = download(page, "下载 CSV")
    assert name.endswith(".csv") and data.startswith(b"\xef\xbb\xbf")
    assert len(pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")) > 0

    name, data = download(page, "下载 XLSX")
    assert name.endswith(".xlsx")
    assert openpyxl.load_workbook(io.BytesIO(data)).active.max_row > 1

    name, data = download(page, "下载 PNG 图片")
    assert name.endswith(".png") and data[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(data))
    assert image.width == 2000  # 1000 CSS px at scale 2
    (ARTIFACTS / "e2e-trading-chart.png").write_bytes(data)

    name, data = download(page, "下载 SVG 图片")
    assert name.endswith(".svg")
    assert ET.fromstring(data).tag.endswith("svg")
    assert_no_exception(page)
