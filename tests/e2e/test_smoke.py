"""Smoke test in a real browser: the root page loads, shows its title, raises nothing."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import APP, HELLO_APP, requires_app
from tests.e2e.helpers import assert_no_exception, open_page, screenshot, wait_for_charts

SCRIPTS = [pytest.param(str(HELLO_APP), id="hello_app")]
if APP.exists():
    SCRIPTS.insert(0, pytest.param(str(APP), id="app"))

TITLES = {"app.py": "政府信息公开", "hello_app.py": "Hello 看板"}


@pytest.mark.parametrize("streamlit_server", SCRIPTS, indirect=True)
def test_root_page_loads(streamlit_server, page, request):
    open_page(page, streamlit_server + "/")
    script = request.node.callspec.params["streamlit_server"].rsplit("/", 1)[-1]
    expected = TITLES[script]
    page.wait_for_function("t => document.title.includes(t)", arg=expected)
    assert page.locator('[data-testid="stMain"]').inner_text().strip(), "the main area is empty"
    if script == "hello_app.py":
        wait_for_charts(page, 1)
        assert page.get_by_role("heading", name="Hello 看板").is_visible()
    shot = screenshot(page, f"smoke-{script.removesuffix('.py')}")
    assert shot.stat().st_size > 10_000  # a real picture, not a blank page


@pytest.mark.parametrize("streamlit_server", ["tests/e2e/modebar_app.py"], indirect=True)
def test_modebar_config_reaches_plotly(streamlit_server, page):
    """The camera button is titled in Chinese (the zh-CN dictionary travels in the config)."""
    open_page(page, streamlit_server + "/", charts=1, check=False)
    assert_no_exception(page)
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    chart.hover()
    button = chart.locator('.modebar-btn[data-title="下载图片（PNG）"]')
    assert button.count() == 1
    assert chart.locator(".modebar-btn[data-title='Download plot as a PNG']").count() == 0
    assert chart.locator(".modebar-btn.plotlyjsicon").count() == 0  # displaylogo: False
    with page.expect_download() as info:
        button.click()
    assert info.value.suggested_filename == "交易信息_2019.png"


@requires_app
def test_second_server_on_two_year_data(server_factory, two_year_db, page):
    """The factory starts another server on another DASHBOARD_DB, side by side."""
    url = server_factory(APP, two_year_db)
    open_page(page, url + "/overview")
    assert "2020" in page.locator('[data-testid="stSidebar"]').inner_text()
    screenshot(page, "smoke-app-two-years")


@requires_app
def test_deep_link_to_a_page_on_a_fresh_server(server_factory, built_db, page):
    """A shared link to a page with its filters opens that page, even as a server's first visit."""
    url = server_factory(APP, built_db, env={"E2E_SERVER": "fresh-for-deep-link"})  # a server of its own
    open_page(page, url + "/trading?year=2019", check=False)
    assert_no_exception(page)
    wait_for_charts(page, 1, timeout=15_000)
