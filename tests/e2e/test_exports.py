"""The chart exports of a real page, clicked in the browser: CSV, XLSX, PNG and SVG."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import numpy as np
import openpyxl
import pandas as pd
from PIL import Image

from tests.e2e.conftest import requires_app
from tests.e2e.helpers import (
    ARTIFACTS,
    assert_no_exception,
    download,
    open_page,
    screenshot,
    wait_for_app,
    wait_for_charts,
)

pytestmark = requires_app


def title_glyphs(image: Image.Image) -> tuple[int, int]:
    """The first line of text at the top of an exported image (its title): how many glyphs
    (runs of inked columns) and how many distinct glyph shapes.

    Hanzi drawn without a CJK font come out as identical boxes ("tofu"): many glyphs,
    few shapes. A blank band has no glyphs at all.
    """
    ink = np.asarray(image.convert("L")) < 128
    rows = np.flatnonzero(ink.any(axis=1))
    if rows.size == 0:
        return 0, 0
    top = bottom = int(rows[0])
    while bottom < ink.shape[0] and ink[bottom].any():  # the line ends at the first blank row
        bottom += 1
    band = ink[top:bottom]
    cols = np.flatnonzero(band.any(axis=0))
    runs = np.split(cols, np.flatnonzero(np.diff(cols) > 1) + 1) if cols.size else []
    shapes = set()
    for run in runs:
        glyph = band[:, run[0] : run[-1] + 1]
        lines = np.flatnonzero(glyph.any(axis=1))
        glyph = glyph[lines[0] : lines[-1] + 1]
        small = Image.fromarray(glyph.astype(np.uint8) * 255).resize((10, 10))
        shapes.add((np.asarray(small) > 100).tobytes())
    return len(runs), len(shapes)


def assert_chinese_title(image: Image.Image, title: str) -> None:
    """The title is drawn at the top, one glyph per character, hanzi as real glyphs (not boxes)."""
    glyphs, shapes = title_glyphs(image)
    assert glyphs >= len(title) - 2, f"{glyphs} glyphs for the {len(title)} characters of {title!r}"
    assert shapes >= 0.8 * glyphs, f"only {shapes} distinct shapes among {glyphs} glyphs: boxes (tofu)?"


def test_title_glyphs_tells_text_from_boxes():
    """The check above on images made here: a real line of text vs the same line as boxes."""
    from PIL import ImageDraw, ImageFont

    font = ImageFont.load_default(size=40)
    text = Image.new("L", (900, 90), 255)
    ImageDraw.Draw(text).text((20, 20), "Annual report of 2019 figures", font=font, fill=0)
    glyphs, shapes = title_glyphs(text)
    assert glyphs >= 20 and shapes >= 0.5 * glyphs
    tofu = Image.new("L", (900, 90), 255)
    draw = ImageDraw.Draw(tofu)
    draw.text((20, 20), "2019", font=font, fill=0)
    for i in range(11):
        draw.rectangle((120 + 42 * i, 22, 150 + 42 * i, 62), outline=0, width=3)
    glyphs, shapes = title_glyphs(tofu)
    assert glyphs == 15 and shapes <= 5
    assert title_glyphs(Image.new("L", (100, 100), 255)) == (0, 0)


def test_trading_page_downloads(streamlit_server, page):
    # from the root: a server's first visit through a deep link gets Streamlit's "Page not found"
    # dialog over the page (test_pages.py::test_deep_link_as_first_visit_shows_no_page_not_found)
    open_page(page, streamlit_server + "/", check=False)
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
    assert_chinese_title(image, "2019年各类交易信息发布数量")

    name, data = download(page, "下载 SVG 图片")
    assert name.endswith(".svg")
    assert ET.fromstring(data).tag.endswith("svg")
    assert_no_exception(page)


def test_comparison_chart_data_names_the_year_range(app_two_years_url, page):
    """The 2019–2020 comparison chart's CSV: both years' rows, the range in the file name."""
    open_page(page, app_two_years_url + "/trading?year=2020", charts=2, check=False)
    expander = page.locator('[data-testid="stExpander"]').filter(has_text="查看数据表与下载").nth(1)
    expander.get_by_text("查看数据表与下载").click()
    button = expander.get_by_role("button", name="下载 CSV")
    button.wait_for(state="visible")
    page.wait_for_timeout(800)  # let the expander finish opening before the click (flaky otherwise)
    button.wait_for()
    name, data = download(page, button)
    assert name == "交易信息分类-年度比较_2019–2020年.csv"
    assert data.startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(table.columns) == ["年度", "类别", "发布数量（条）"]
    assert len(table) == 12, "the total and five categories, two years"
    totals = table[table["类别"] == "交易信息总数"].set_index("年度")["发布数量（条）"].to_dict()
    assert totals == {2019: 487988, 2020: 510000}
    assert_no_exception(page)
