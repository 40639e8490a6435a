"""Embedded charts in Chromium through `make serve`'s nginx: a page of another site (another
port, another host name: ``localhost`` against ``127.0.0.1``) frames a chart and it renders,
with its title, source line and link; the snippet the "嵌入" action gives works the same; the
dashboard's pages refuse to be framed.

The stack (nginx + one replica, deploy/stack.py) runs in a temporary directory on free ports and
is stopped at the end; its first visit is the framed chart (a fresh server, as on a new site).
Skipped only when nginx is not installed (``scripts/setup.sh test`` installs it).
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard import embed
from deploy import stack
from tests.e2e.helpers import assert_no_exception, open_page, wait_for_app, wait_for_charts

pytestmark = pytest.mark.skipif(
    stack.nginx_binary() is None,
    reason="nginx is not installed (apt-get install nginx; setup.sh test does it)",
)

CHART = "交易信息分类"  # the trading page's category chart
TITLE = "2019年各类交易信息发布数量"
REFUSED = "frame-ancestors 'none'"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[stack.Stack]:
    from etl.pipeline import build
    from tests import fixtures

    reports = tmp_path_factory.mktemp("seed-reports")
    fixtures.write(reports, fixtures.SEED_NAME, fixtures.seed_bytes())
    db = tmp_path_factory.mktemp("seed-db") / "dashboard.duckdb"
    build(reports, db)
    run_dir = tmp_path_factory.mktemp("embed-run")
    with stack.running(run_dir, replicas=1, env={"DASHBOARD_DB": str(db)}) as st:
        yield st


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass


@pytest.fixture(scope="module")
def other_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """Another site: a static server on 127.0.0.1, visited as http://localhost:PORT (so the
    dashboard at 127.0.0.1 is another site too, not only another origin)."""
    root = tmp_path_factory.mktemp("other-site")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield root, f"http://localhost:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def host_page(site: tuple[Path, str], name: str, body: str) -> str:
    root, url = site
    (root / name).write_text(
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>别的网站</title></head>'
        f"<body><h1>一篇引用图表的文章</h1>{body}</body></html>",
        encoding="utf-8",
    )
    return f"{url}/{name}"


def framed(page, part: str):
    """The frame whose URL contains ``part``, once it has one."""
    for _ in range(100):
        found = [f for f in page.frames if part in f.url]
        if found:
            return found[0]
        page.wait_for_timeout(100)
    raise AssertionError(f"no frame at {part}: {[f.url for f in page.frames]}")


def assert_chart_alone(frame, served: stack.Stack) -> None:
    wait_for_app(frame)
    wait_for_charts(frame, 1)
    assert_no_exception(frame)
    text = frame.locator('[data-testid="stMain"]').inner_text()
    assert TITLE in text
    assert "来源：" in text and "发布各类公共资源交易服务信息487988条" in text  # the report's sentence
    assert frame.locator('[data-testid="stPlotlyChart"]').count() == 1  # that chart only
    assert frame.locator('[data-testid="stSidebar"]').count() == 0  # no filters, no menu
    link = frame.get_by_role("link", name="在数据看板中查看完整页面")
    assert link.get_attribute("href") == f"{served.url}/trading?year=2019"
    assert link.get_attribute("target") == "_blank"


def test_a_chart_framed_by_another_site_renders_and_a_page_is_refused(served, other_site, browser):
    url = embed.embed_url(f"{served.url}/trading", CHART, {"year": ["2019"]})
    host = host_page(
        other_site,
        "article.html",
        embed.snippet(url, TITLE) + f'<iframe src="{served.url}/trading?year=2019" title="整页"></iframe>',
    )
    with browser.new_context(viewport={"width": 1280, "height": 1200}, locale="zh-CN") as context:
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda m: console.append(m.text))
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        response = page.goto(host)
        assert response is not None and response.ok
        assert_chart_alone(framed(page, "/embed?"), served)
        for _ in range(50):  # the refusal is reported once the page's response arrives
            if any(REFUSED in m for m in console):
                break
            page.wait_for_timeout(100)
        assert any(REFUSED in m and served.url in m for m in console), console  # names the origin only
        whole = [f for f in page.frames if f.url.startswith(f"{served.url}/trading")]
        assert all(f.locator('[data-testid="stApp"]').count() == 0 for f in whole)  # nothing shown
        assert errors == []


def test_the_snippet_of_a_chart_s_embed_action_works_on_another_site(served, other_site, browser):
    with browser.new_context(viewport={"width": 1280, "height": 1200}, locale="zh-CN") as context:
        page = context.new_page()
        open_page(page, f"{served.url}/trading?year=2019", charts=1)
        page.get_by_role("button", name="嵌入").first.click()
        code = page.locator('[data-testid="stPopoverBody"] [data-testid="stCode"] code').first
        code.wait_for()
        snippet = code.inner_text().strip()
        assert snippet.startswith(f'<iframe src="{served.url}/embed?page=trading&amp;chart=')
        assert snippet == embed.snippet(
            embed.embed_url(f"{served.url}/trading", CHART, {"year": ["2019"]}), TITLE
        )
        host = host_page(other_site, "copied.html", snippet)
        other = context.new_page()
        other.goto(host)
        assert_chart_alone(framed(other, "/embed?"), served)


@pytest.mark.parametrize(("path", "charts"), [("/trading", 1), ("/approvals", 1), ("/hotline", 3)])
def test_every_chart_has_the_embed_action(served, browser, path, charts):
    with browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN") as context:
        page = context.new_page()
        open_page(page, f"{served.url}{path}?year=2019", charts=charts)
        drawn = page.locator('[data-testid="stPlotlyChart"]').count()
        assert drawn >= charts
        assert page.locator('[data-testid="stPopover"]').filter(has_text="嵌入").count() == drawn
