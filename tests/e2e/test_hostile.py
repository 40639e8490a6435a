"""Hostile links: script in the URL's filters must never run, and the visitor gets a notice.

A listener on ``page.on("dialog")`` (``watch_dialogs``) records any alert/confirm/prompt (and
dismisses it so the page does not hang); the test fails if one fired. Payloads also try to set
``window.__xss`` without a dialog.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.e2e.conftest import requires_app
from tests.e2e.helpers import (
    assert_no_exception,
    error_alerts,
    main_text,
    metric_values,
    open_page,
    outer_html,
    warning_texts,
    watch_dialogs,
)

pytestmark = requires_app

SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="window.__xss=1;alert(2)">'
SVG = "<svg/onload=alert(3)>"
CASES = [
    pytest.param("/", {"year": SCRIPT}, ["年度参数无效"], id="year-script"),
    pytest.param(
        "/trading",
        {"year": IMG, "from": SVG, "to": "2019"},
        ["年度参数无效", "比较年度范围无效"],
        id="trading-img-svg",
    ),
    pytest.param("/hotline", {"year": "2019", "agency": SCRIPT + IMG}, ["机关参数无效"], id="agency"),
    pytest.param("/quality", {"year": "javascript:alert(4)//" + "9" * 300}, ["年度参数无效"], id="long-year"),
]


@pytest.mark.parametrize(("path", "params", "notices"), CASES)
def test_script_in_the_url_never_runs(app_two_years_url, page, path, params, notices):
    dialogs = watch_dialogs(page)
    query = "&".join(f"{k}={quote(v, safe='')}" for k, v in params.items())
    open_page(page, f"{app_two_years_url}{path}?{query}", check=False)
    page.wait_for_timeout(500)  # an onerror/onload handler would have run by now

    assert dialogs == [], f"a JavaScript dialog fired: {dialogs}"
    assert page.evaluate("() => window.__xss") is None
    assert_no_exception(page)
    assert error_alerts(page) == []
    shown = warning_texts(page)
    for notice in notices:
        assert any(notice in w for w in shown), (notice, shown)
    # the payloads are neither rendered as elements nor echoed as text
    assert outer_html(page.locator('[data-testid="stMain"] script, img[src="x"], svg[onload]')) == []
    text = main_text(page)
    assert "alert(" not in text and "<script" not in text
    # the fallback view: the latest year (2020) unless the URL's year was valid
    year = params["year"] if params["year"] == "2019" else "2020"
    assert f"year={year}" in page.url
    if path == "/":
        assert metric_values(page)["交易信息发布"] == "510,000条"
