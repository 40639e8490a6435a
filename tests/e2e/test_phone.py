"""At a phone's width (390 px): the year and agency filters at the top of the page (in an
expander "筛选：机关与年度", drawn when opened) without opening the sidebar, compact metric cards (two to a row), and the chart toolbar above the chart
title, not over it."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import open_page, overlap, screenshot, wait_for_app

PHONE = {"width": 390, "height": 844}
BAR = ".st-key-phone_filters"


@pytest.fixture
def phone(browser):
    with browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN"
    ) as context:
        context.set_default_timeout(30_000)
        yield context.new_page()


def box(locator) -> dict:
    b = locator.bounding_box()
    assert b is not None, "not displayed"
    return b


def test_filters_reachable_without_the_sidebar(app_bundled_url, phone):
    open_page(phone, app_bundled_url + "/overview")
    sidebar = phone.locator('[data-testid="stSidebar"]')
    assert box(sidebar)["x"] + box(sidebar)["width"] <= 0 or not sidebar.is_visible(), "folded away"
    bar = phone.locator(BAR)
    assert bar.is_visible()
    bar.get_by_text("筛选：机关与年度").click()  # opens it; the run that follows draws the selectors
    year = bar.get_by_role("combobox", name="年度")
    year.wait_for()
    agency = bar.get_by_role("combobox", name="机关")
    assert year.is_visible() and agency.is_visible()
    assert box(year)["x"] + box(year)["width"] <= PHONE["width"], "inside the screen"
    screenshot(phone, "e2e-phone-overview")
    year.click()
    phone.get_by_role("option", name="2023年", exact=True).click()
    phone.wait_for_url("**year=2023**")
    wait_for_app(phone)
    assert phone.get_by_role("heading", name="2023年度报告总览").is_visible()
    assert bar.get_by_role("combobox", name="年度").input_value() == "2023年"


def test_filters_hidden_on_a_desktop(app_bundled_url, page):
    open_page(page, app_bundled_url + "/overview")
    assert page.locator(BAR).count() == 1 and not page.locator(BAR).is_visible()


@pytest.mark.parametrize("path", ["/", "/unit"])
def test_no_filters_on_pages_they_do_not_act_on(app_bundled_url, phone, path):
    """数据概览 and 单位档案 have no agency or year filter, on a phone either."""
    open_page(phone, app_bundled_url + path)
    assert phone.locator(BAR).count() == 0
    screenshot(phone, "e2e-phone-" + (path.strip("/") or "home"), full_page=False)


def test_metric_cards_compact_two_to_a_row(app_bundled_url, phone):
    open_page(phone, app_bundled_url + "/overview?agency=四川省政务服务和资源交易服务中心&year=2019")
    cards = phone.locator('[data-testid="stMetric"]')
    boxes = [box(cards.nth(i)) for i in range(cards.count())]
    assert len(boxes) == 9
    assert all(b["height"] <= 110 for b in boxes), [b["height"] for b in boxes]
    assert boxes[0]["y"] == boxes[1]["y"] and boxes[1]["x"] > boxes[0]["x"], "two to a row"
    assert all(b["x"] + b["width"] <= PHONE["width"] for b in boxes)


@pytest.mark.parametrize(
    "path", ["/trends", "/compare", "/trading?agency=四川省政务服务和资源交易服务中心&year=2019"]
)
def test_chart_toolbar_does_not_cover_the_title(app_bundled_url, phone, path):
    open_page(phone, app_bundled_url + path, charts=1)
    chart = phone.locator('[data-testid="stPlotlyChart"]').first
    chart.scroll_into_view_if_needed()
    chart.locator(".main-svg").first.hover()
    toolbar = chart.locator(".modebar")
    toolbar.wait_for(state="visible")
    title = chart.locator(".gtitle")
    assert not overlap(box(toolbar), box(title)), (box(toolbar), box(title))
    screenshot(phone, "e2e-phone-" + path.strip("/").split("?")[0], full_page=False)
