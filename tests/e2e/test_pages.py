"""Every page in the real browser, and the year filter kept in the URL.

One-year tests run on the bundled 2019 report (``app_url``); the year tests on
2019 + the derived 2020 report of tests/fixtures.py (``app_two_years_url``), where
2019 has 487,988 trading notices (categories 87 short of it) and 2020 has 510,000
(categories add up). Both servers are shared with the other e2e files.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from tests.e2e.conftest import APP, requires_app
from tests.e2e.helpers import (
    assert_no_exception,
    chart_count,
    choose_table,
    main_text,
    metric_values,
    open_page,
    overlap,
    screenshot,
    select_year,
    wait_for_app,
    wait_for_charts,
    warning_texts,
)

pytestmark = requires_app

SIDEBAR = '[data-testid="stSidebar"]'


def year_in_url(page) -> str | None:
    m = re.search(r"[?&]year=([^&]*)", page.url)
    return m.group(1) if m else None


def selected_year(page) -> str:
    return page.locator(SIDEBAR).get_by_role("combobox", name="年度").input_value()


# --------------------------------------------------------------------------- every page, one year


def test_overview(app_url, watched):
    open_page(watched, app_url + "/overview")
    values = metric_values(watched)
    assert values["交易信息发布"] == "487,988条"
    assert values["受理行政审批事项"] == "165,037件"
    assert values["群众满意率"] == "85.51%"
    text = main_text(watched)
    assert "2019年度报告总览" in text
    assert "2项不一致" in text
    assert year_in_url(watched) == "2019"


def test_trading(app_url, watched):
    open_page(watched, app_url + "/trading", charts=1)
    assert chart_count(watched) == 1, "one year loaded: no comparison chart"
    assert watched.locator('[data-testid="stPlotlyChart"] .main-svg').first.is_visible()
    values = metric_values(watched)
    assert values["报告所述总数"] == "487,988条"
    assert values["各类别之和"] == "487,901条"
    assert any("相差 87条" in w for w in warning_texts(watched))
    chart_text = watched.locator('[data-testid="stPlotlyChart"]').first.inner_text()
    assert "2019年各类交易信息发布数量" in chart_text
    assert "272,064条（55.8%）" in chart_text, "full numbers with the share as bar labels"


def test_approvals(app_url, watched):
    open_page(watched, app_url + "/approvals", charts=1)
    assert chart_count(watched) == 1, "one year loaded: no comparison chart"
    assert watched.locator(f'{SIDEBAR} [data-testid="stSlider"]').count() == 0, "no range to choose"
    values = metric_values(watched)
    assert values["受理"] == "165,037件"
    assert values["办结"] == "60,593件"
    assert values["办结数 ÷ 受理数"] == "36.7%"


def test_hotline(app_url, watched):
    open_page(watched, app_url + "/hotline", charts=3)
    watched.wait_for_timeout(300)  # a comparison chart drawn late would still be counted
    assert chart_count(watched) == 3, "channels, handling, transferred; no comparison with one year"
    values = metric_values(watched)
    assert values["受理群众诉求"] == "432,442件"
    assert values["转办办结率"] == "91.75%"
    text = main_text(watched)
    for topic in ("住房保障", "集资公路维修", "环境污染", "交通出行", "医疗纠纷"):
        assert topic in text


def test_quality(app_url, watched):
    open_page(watched, app_url + "/quality")
    values = metric_values(watched)
    assert values["不一致"] == "2"
    assert values["检查项"] == "45"
    text = main_text(watched)
    assert "相差 87" in text and "应为 1，实际 0" in text


def test_disclosure_tabs(app_url, watched):
    open_page(watched, app_url + "/disclosure")
    assert watched.get_by_role("tab", name="表二 主动公开").get_attribute("aria-selected") == "true"
    assert chart_count(watched) == 0, "the table 三 chart is in a tab not shown yet"
    assert watched.locator('[data-testid="stDataFrame"]').count() == 5, "表二's five grids only"

    watched.get_by_role("tab", name="表三 依申请公开").click()  # drawn when chosen (a rerun)
    wait_for_charts(watched, 1)
    wait_for_app(watched)
    chart = watched.locator('[role="tabpanel"]:visible [data-testid="stPlotlyChart"]')
    assert chart.count() == 1 and chart.locator(".main-svg").first.is_visible()
    assert "2019年依申请公开办理结果" in chart.inner_text()
    tables = watched.locator('[role="tabpanel"]:visible [data-testid="stDataFrame"]:visible')
    assert tables.count() == 1, "the full table (the chart's own table is in a closed expander)"
    grid = tables.first.locator('[role="grid"]')
    assert grid.get_attribute("aria-rowcount") == "24", "23 rows of table 三 and the header row"
    headers = tables.first.locator('[role="columnheader"]').all_inner_texts()
    assert any("行代码" in h for h in headers) and any("自然人" in h for h in headers)

    watched.get_by_role("tab", name="表四 复议与诉讼").click()
    watched.get_by_text("报告自身不一致：").wait_for()
    assert any("行政复议" in w for w in warning_texts(watched))
    assert_no_exception(watched)


def open_table3_chart(page, url: str):
    open_page(page, url + "/disclosure")
    page.get_by_role("tab", name="表三 依申请公开").click()
    wait_for_charts(page, 1)
    return page.locator('[role="tabpanel"]:visible [data-testid="stPlotlyChart"]')


def test_table3_chart_legend_does_not_cover_the_title(app_url, watched):
    chart = open_table3_chart(watched, app_url)
    title = chart.locator(".gtitle").bounding_box()
    legend = chart.locator(".legend").bounding_box()
    assert title and legend
    assert not overlap(title, legend), (title, legend)


@pytest.mark.parametrize(("path", "charts"), [("/hotline", 3), ("/approvals", 1), ("/trading", 1)])
def test_legends_stay_below_the_x_axis(app_url, watched, path, charts):
    """The legend sits under the axis title and tick labels, on low charts too (the
    hotline's channel bar is 260 px high: its legend once covered 数量（件、条）)."""
    open_page(watched, app_url + path, charts=charts)
    for chart in watched.locator('[data-testid="stPlotlyChart"]').all():
        if chart.locator(".legend").count() == 0:  # a chart of one series has no legend
            continue
        legend = chart.locator(".legend").bounding_box()
        axis = [*chart.locator(".xtitle").all(), *chart.locator(".xtick text").all()]
        for element in axis:
            box = element.bounding_box()
            assert box and legend and not overlap(box, legend), (path, element.text_content(), box, legend)


def test_table3_chart_outcomes_in_the_table_order(app_url, watched):
    chart = open_table3_chart(watched, app_url)
    legend = [t.strip() for t in chart.locator(".legendtext").all_text_contents()]
    numerals = ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）"]
    order = [next(i for i, n in enumerate(numerals) if t.startswith(n)) for t in legend]
    assert order in (sorted(order), sorted(order, reverse=True)), legend


def test_downloads_lists_the_views(app_url, watched):
    open_page(watched, app_url + "/downloads")
    text = main_text(watched)
    rows = {"reports": 1, "figures": 21, "active_disclosure": 22, "foi_requests": 161,
            "review_litigation": 15, "texts": 15, "checks": 45}  # fmt: skip
    for view, n in rows.items():
        assert f"{view}，{n:,}行" in text, view
    for view in ("reports", "checks"):  # the first by default, another once chosen
        if view != "reports":
            choose_table(watched, view)
        for fmt in ("csv", "xlsx"):
            assert watched.locator(f".st-key-dl-{fmt}-{view} button").is_visible()
    assert watched.get_by_role("button", name="下载整个数据库文件（DuckDB）").is_visible()
    assert re.search(r"SHA-256 [0-9a-f]{64}", text)


# --------------------------------------------------------------------------- the year, two years


@pytest.mark.parametrize(
    ("year", "total", "delta", "warned"),
    [(2019, "487,988条", None, True), (2020, "510,000条", "+22,012条 较上年", False)],
)
def test_url_year_is_honoured(app_two_years_url, watched, year, total, delta, warned):
    open_page(watched, f"{app_two_years_url}/trading?year={year}", charts=2)
    assert year_in_url(watched) == str(year)
    assert selected_year(watched) == f"{year}年"
    assert metric_values(watched)["报告所述总数"] == total
    assert any("相差 87条" in w for w in warning_texts(watched)) is warned
    deltas = watched.locator('[data-testid="stMetricDelta"]').all_inner_texts()
    assert (delta in " ".join(deltas)) if delta else deltas == []
    charts = watched.locator('[data-testid="stPlotlyChart"]')
    assert f"{year}年各类交易信息发布数量" in charts.nth(0).inner_text()
    assert "各类交易信息发布数量（按年度）" in charts.nth(1).inner_text()


def test_year_selector_changes_url_and_numbers(app_two_years_url, watched):
    open_page(watched, app_two_years_url + "/trading?year=2019", charts=1)
    assert metric_values(watched)["报告所述总数"] == "487,988条"

    select_year(watched, 2020)
    assert year_in_url(watched) == "2020"
    watched.get_by_text("510,000条").first.wait_for()
    assert metric_values(watched)["报告所述总数"] == "510,000条"
    assert not any("相差" in w for w in warning_texts(watched))
    assert_no_exception(watched)

    select_year(watched, 2019)
    assert year_in_url(watched) == "2019"
    watched.get_by_text("相差 87条").wait_for()
    assert metric_values(watched)["报告所述总数"] == "487,988条"


def test_sidebar_navigation_keeps_the_year(app_two_years_url, watched):
    open_page(watched, app_two_years_url + "/trading?year=2019", charts=1)
    watched.locator(SIDEBAR).get_by_role("link", name="12345热线").click()
    watched.wait_for_url(re.compile(r"/hotline\?"))
    wait_for_app(watched)
    wait_for_charts(watched, 3)
    assert year_in_url(watched) == "2019"
    assert selected_year(watched) == "2019年"
    assert metric_values(watched)["受理群众诉求"] == "432,442件"  # 2020: 450,000件

    watched.locator(SIDEBAR).get_by_role("link", name="报告总览").click()
    watched.get_by_role("heading", name="2019年度报告总览").wait_for()
    assert year_in_url(watched) == "2019"
    # the overview's own link to the quality page keeps the filters too
    watched.get_by_role("link", name="查看每一项检查").click()
    watched.wait_for_url(re.compile(r"/quality\?"))
    wait_for_app(watched)
    assert year_in_url(watched) == "2019"
    assert metric_values(watched)["不一致"] == "2"  # 2020 has none
    assert_no_exception(watched)


def test_invalid_url_year_shows_a_notice_and_the_latest_year(app_two_years_url, watched):
    open_page(watched, app_two_years_url + "/trading?year=abc", charts=1)
    assert any("年度参数无效" in w for w in warning_texts(watched))
    assert selected_year(watched) == "2020年"
    assert year_in_url(watched) == "2020", "the URL is corrected to what is shown"
    assert metric_values(watched)["报告所述总数"] == "510,000条"


@pytest.mark.parametrize(("path", "one_year", "two_years"), [("/trading", 1, 2), ("/approvals", 1, 2),
                                                             ("/hotline", 3, 5)])  # fmt: skip
def test_comparison_charts_only_with_two_years(app_two_years_url, watched, path, one_year, two_years):
    """With one year loaded the pages draw ``one_year`` charts (asserted by the tests above)."""
    open_page(watched, app_two_years_url + path + "?year=2020", charts=two_years)
    assert chart_count(watched) == two_years
    assert "（按年度）" in main_text(watched)
    assert watched.locator(f'{SIDEBAR} [data-testid="stSlider"]').count() == 1

    # a comparison range of one year, from the URL: no comparison charts
    open_page(watched, app_two_years_url + path + "?year=2020&from=2020&to=2020", charts=one_year)
    watched.wait_for_timeout(300)  # a chart drawn late would still be counted
    assert chart_count(watched) == one_year
    assert "（按年度）" not in main_text(watched)


def test_comparison_range_slider_updates_the_url(app_two_years_url, watched):
    open_page(watched, app_two_years_url + "/trading?year=2020", charts=2)
    assert "from=2019" in watched.url and "to=2020" in watched.url
    start = watched.locator(f'{SIDEBAR} input[type="range"]').first
    start.focus()
    watched.keyboard.press("ArrowRight")
    watched.wait_for_url(re.compile(r"from=2020"))
    wait_for_app(watched)
    watched.wait_for_function("() => !document.body.innerText.includes('各类交易信息发布数量（按年度）')")
    assert chart_count(watched) == 1
    assert year_in_url(watched) == "2020"


def test_change_of_a_rate_is_in_percentage_points(app_two_years_url, watched):
    open_page(watched, app_two_years_url + "/hotline?year=2020", charts=3)
    delta = watched.locator('[data-testid="stMetric"]', has_text="转办办结率").locator(
        '[data-testid="stMetricDelta"]'
    )
    assert "3.49" in delta.inner_text()
    assert "个百分点" in delta.inner_text()


# --------------------------------------------------------------------------- deep link, first visit


def test_deep_link_as_first_visit_shows_no_page_not_found(server_factory, built_db, watched):
    url = server_factory(APP, built_db, env={"E2E_SERVER": "fresh-for-page-not-found"})  # its own server
    open_page(watched, url + "/hotline?year=2019", charts=3)
    assert watched.get_by_role("heading", name="12345政务服务热线").is_visible()
    watched.wait_for_timeout(500)
    dialogs = watched.get_by_role("dialog")
    if dialogs.count():
        screenshot(watched, "e2e-deep-link-page-not-found", full_page=False)
    assert dialogs.count() == 0, dialogs.all_inner_texts()


def test_an_old_overview_link_opens_that_report(app_two_years_url, watched):
    """The overview was served at / (now 数据概览's); a link shared then, "/?year=2019", opens
    报告总览 at /overview with the same filters instead of the first page."""
    open_page(watched, app_two_years_url + "/?year=2019")
    watched.get_by_role("heading", name="2019年度报告总览").wait_for()
    wait_for_app(watched)
    assert urlparse(watched.url).path == "/overview"
    assert year_in_url(watched) == "2019"
    assert metric_values(watched)["交易信息发布"] == "487,988条"
    watched.wait_for_timeout(500)
    assert watched.get_by_role("dialog").count() == 0, watched.get_by_role("dialog").all_inner_texts()
