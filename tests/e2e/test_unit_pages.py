"""The pages shaped by units in the real browser, on the bundled reports (``app_bundled_url``):
the first page and its links to the profiles, a profile's link to its parent, the topic pages
opened with no parameters, and no sidebar filters where they do nothing."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from tests.e2e.conftest import requires_app
from tests.e2e.helpers import chart_count, main_text, metric_values, open_page, screenshot, wait_for_app

pytestmark = requires_app

SIDEBAR = '[data-testid="stSidebar"]'
MAIN = '[data-testid="stMain"]'
HONGZE = "淮安市洪泽区人民政府"
HUAIAN = "淮安市人民政府"


def sidebar_filters(page) -> int:
    return page.locator(SIDEBAR).get_by_role("combobox").count()


def test_first_page_says_what_is_in_here(app_bundled_url, watched):
    open_page(watched, app_bundled_url + "/", charts=1)
    assert watched.get_by_role("heading", name="数据概览").is_visible()
    values = metric_values(watched)
    assert (values["报告单位"], values["年度报告"], values["有不一致"]) == ("3个", "4份", "2份")
    assert values["新收政府信息公开申请"] == "3,214件"
    assert chart_count(watched) == 1
    assert "各年度已载入的报告（按单位类型）" in main_text(watched)
    assert sidebar_filters(watched) == 0, "no agency or year filter on the first page"
    assert urlparse(watched.url).query == ""
    screenshot(watched, "e2e-home")


def test_first_page_links_a_failing_unit_to_its_profile_and_its_parent(app_bundled_url, watched):
    open_page(watched, app_bundled_url + "/")
    watched.locator(MAIN).get_by_role("link", name=re.compile(f"^{HONGZE}：2023年2项不一致")).click()
    watched.wait_for_url(re.compile(r"/unit\?"))
    wait_for_app(watched)
    watched.get_by_role("heading", name=HONGZE).wait_for()
    query = parse_qs(urlparse(watched.url).query)
    assert query["year"] == ["2024"] and query["unit"], "the profile's selection is in its URL"
    text = main_text(watched)
    assert "同类单位：全部县级单位" in text, "its peers (the rank itself is in the grid, see the AppTest)"
    assert "予以公开率·淮安市洪泽区人民政府 52.63%" in text, "the chart's text alternative"
    assert sidebar_filters(watched) == 0
    screenshot(watched, "e2e-unit-hongze")

    watched.locator(MAIN).get_by_role("link", name=f"上级单位：{HUAIAN}").click()
    watched.get_by_role("heading", name=HUAIAN).wait_for()
    wait_for_app(watched)
    assert "下级单位" in main_text(watched)
    assert parse_qs(urlparse(watched.url).query)["unit"] != query["unit"]


def test_profile_link_to_a_report_opens_its_overview(app_bundled_url, watched):
    open_page(watched, app_bundled_url + "/")
    watched.locator(MAIN).get_by_role("link", name=re.compile(f"^{HONGZE}：")).click()
    watched.get_by_role("heading", name=HONGZE).wait_for()
    wait_for_app(watched)
    watched.locator(MAIN).get_by_role("link", name="2024年报告总览").click()  # the selected year's
    watched.get_by_role("heading", name="2024年度报告总览").wait_for()
    wait_for_app(watched)
    query = parse_qs(urlparse(watched.url).query)
    assert (query["agency"], query["year"]) == ([HONGZE], ["2024"])
    assert watched.locator(SIDEBAR).get_by_role("combobox", name="年度").input_value() == "2024年"


def test_trading_with_no_parameters_shows_the_centre(app_bundled_url, watched):
    open_page(watched, app_bundled_url + "/trading", charts=1)
    assert metric_values(watched)["报告所述总数"] == "487,988条"
    assert watched.locator(SIDEBAR).get_by_role("combobox", name="机关").count() == 0, "one agency has them"
    assert "year=2019" in watched.url


def test_compare_page_has_no_sidebar_filters(app_bundled_url, watched):
    open_page(watched, app_bundled_url + "/compare")
    assert sidebar_filters(watched) == 0
