"""The comparison page in Chromium on the bundled reports: the selection from the URL, back
into the URL after a change, the same view from the copied link, and the table's CSV."""

from __future__ import annotations

import io
import urllib.parse

import pandas as pd

from tests.e2e.helpers import download, main_text, open_page, screenshot, wait_for_app, warning_texts
from tests.fixtures import SEED_AGENCY

HONGZE = "淮安市洪泽区人民政府"


def params(page) -> dict[str, list[str]]:
    return urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)


def test_compare_url_round_trip(app_bundled_url, watched, browser_context):
    query = urllib.parse.urlencode({"cmp": HONGZE, "cfrom": "2023", "cto": "2024", "m": "withheld"})
    open_page(watched, f"{app_bundled_url}/compare?{query}", charts=2)
    assert params(watched)["cmp"] == [HONGZE]
    assert params(watched)["m"] == ["withheld"]
    text = main_text(watched)
    assert "1个机关，2023–2024年，共2个机关年度" in text
    assert "不予公开（2023–2024年）" in text, "the chosen measure's chart"
    screenshot(watched, "e2e-compare")

    # another measure: the URL follows
    watched.get_by_role("combobox", name="图表指标").click()
    watched.get_by_role("option", name="行政复议", exact=True).click()
    watched.wait_for_url("**m=review_total**")
    wait_for_app(watched)
    assert "行政复议（2023–2024年）" in main_text(watched)

    # the copied link opens the same view in a new session
    with browser_context.new_page() as other:
        open_page(other, watched.url, charts=2)
        assert params(other)["m"] == ["review_total"] and params(other)["cmp"] == [HONGZE]
        assert "行政复议（2023–2024年）" in main_text(other)
        assert warning_texts(other) == []


def test_compare_table_csv(app_bundled_url, page):
    open_page(page, f"{app_bundled_url}/compare", charts=2)
    name, data = download(page, "下载表格 CSV")
    assert name == "机关年度对比_2019–2024年.csv"
    table = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(zip(table["机关"], table["年度"], strict=True)) == [
        (SEED_AGENCY, 2019),
        (HONGZE, 2023),
        (HONGZE, 2024),
    ]
    assert table.loc[table["年度"] == 2024, "予以公开占比（%）"].item() == 52.6


def test_compare_bad_agency_in_url(app_bundled_url, watched):
    open_page(watched, f"{app_bundled_url}/compare?cmp=%3Cscript%3Ealert(1)%3C/script%3E", charts=2)
    assert any("对比机关参数无效" in w for w in warning_texts(watched))
    assert params(watched)["cmp"] == [SEED_AGENCY, HONGZE]
