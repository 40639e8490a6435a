"""`make serve` in Chromium: pages through nginx under its Content-Security-Policy, a replica
killed while a visitor browses, and a rebuilt database reaching every replica.

Each test module's stack (nginx + 2 replicas, deploy/stack.py) runs in a temporary
directory on free ports and is stopped at the end. Skipped only when nginx is not
installed (``scripts/setup.sh test`` installs it).
"""

from __future__ import annotations

import os
import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from deploy import stack
from tests.e2e.helpers import assert_no_exception, error_alerts, main_text, open_page, warning_texts

pytestmark = pytest.mark.skipif(
    stack.nginx_binary() is None,
    reason="nginx is not installed (apt-get install nginx; setup.sh test does it)",
)

# (path, charts drawn at least): the overview and the tabbed/table pages draw none up front
PAGES = [("/", 0), ("/trading", 1), ("/approvals", 1), ("/hotline", 3), ("/disclosure", 0), ("/quality", 0)]
PAGES += [("/downloads", 0)]
CSP_WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
    e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""
FALLBACK = "链接中的年度参数无效或未载入，已显示最新年度 2019 年。"


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed 2019 report alone (data/reports/ may hold other agencies' reports)."""
    from etl.pipeline import build
    from tests import fixtures

    reports = tmp_path_factory.mktemp("seed-reports")
    fixtures.write(reports, fixtures.SEED_NAME, fixtures.seed_bytes())
    db = tmp_path_factory.mktemp("seed-db") / "dashboard.duckdb"
    build(reports, db)
    return db


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, seed_db: Path) -> Iterator[stack.Stack]:
    with stack.running(tmp_path_factory.mktemp("serve-run"), env={"DASHBOARD_DB": str(seed_db)}) as st:
        yield st


def _upstream(st: stack.Stack, context) -> str:
    """The replica (host:port) nginx sends this visitor to: a request with the visitor's cookie,
    looked up in the access log (a websocket's own line is written only when it closes)."""
    route = _route(context)
    response = context.request.get(st.url + "/_stcore/health")
    assert response.ok
    for _ in range(50):  # the line is written once the response is sent
        lines = (st.run_dir / "logs" / "access.log").read_text().splitlines()
        mine = [line for line in lines if "GET /_stcore/health " in line and f"route={route}" in line]
        if mine:
            return re.search(r"upstream=(\S+)", mine[-1]).group(1)
        time.sleep(0.1)
    raise AssertionError(f"no access-log line for route {route}")


def _route(context) -> str:
    cookies = {c["name"]: c["value"] for c in context.cookies()}
    return cookies["stroute"]


def test_every_page_loads_through_nginx_with_no_csp_violation(served, browser):
    with browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN") as context:
        context.add_init_script(CSP_WATCH)
        page = context.new_page()
        console = []
        page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        for path, charts in PAGES:
            response = page.goto(served.url + path)
            assert response is not None and response.ok
            assert response.headers["content-security-policy"].startswith("default-src 'self'")
            open_page(page, served.url + path, charts)
            assert page.evaluate("window.__csp") == [], path
        assert console == []
        assert errors == []
        assert _route(context)


def test_a_killed_replica_does_not_take_its_visitors_down(tmp_path, browser, seed_db):
    with stack.running(tmp_path, env={"DASHBOARD_DB": str(seed_db)}) as st:
        with browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN") as context:
            page = context.new_page()
            open_page(page, st.url + "/trading", charts=1)
            route = _route(context)
            victim = st.replica_ports.index(int(_upstream(st, context).rsplit(":", 1)[1]))
            pid = int((tmp_path / f"replica-{victim}.pid").read_text())
            os.killpg(pid, signal.SIGKILL)  # the visitor's replica dies mid-visit
            os.waitpid(pid, 0)  # reaped: it is this test's child (stack.start runs in-process)

            # the next page view: the same visitor, the same cookie, another replica
            open_page(page, st.url + "/hotline", charts=1)
            assert_no_exception(page)
            assert error_alerts(page) == []
            assert "12345" in main_text(page)
            survivor = f"127.0.0.1:{st.replica_ports[1 - victim]}"
            assert _upstream(st, context) == survivor
            assert _route(context) == route  # the cookie is kept; nginx re-hashed it

            # and the page still works on its new replica: a rerun after the failover
            open_page(page, st.url + "/trading?year=2019", charts=1)
            assert "487,988" in main_text(page)
        assert stack.healthy(st.url)  # the site answers its health check with one replica
        assert not stack.healthy(f"http://127.0.0.1:{st.replica_ports[victim]}")


def test_a_rebuilt_database_reaches_every_replica_on_its_next_run(tmp_path, browser):
    from etl.pipeline import build
    from tests import fixtures

    one, two = tmp_path / "one", tmp_path / "two"
    fixtures.write(one, fixtures.SEED_NAME, fixtures.seed_bytes())
    fixtures.write(two, fixtures.SEED_NAME, fixtures.seed_bytes())
    fixtures.write(two, "sichuan-center-2020.txt", fixtures.report_2020())
    db = tmp_path / "dashboard.duckdb"
    build(one, db)
    with stack.running(tmp_path / "run", env={"DASHBOARD_DB": str(db)}) as st:
        with browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN") as context:
            pages = [context.new_page() for _ in st.replica_ports]
            for i, page in enumerate(pages):  # each replica directly: both have served 2019 only
                open_page(page, f"{st.replica_url(i)}/?year=2020")
                assert FALLBACK in warning_texts(page)
            build(two, db)  # what `etl build` / `etl add` do: a new file swapped in atomically
            for i, page in enumerate(pages):
                open_page(page, f"{st.replica_url(i)}/?year=2020")
                assert FALLBACK not in warning_texts(page), f"replica {i} still serves the old file"
                assert "year=2020" in page.url
            through_nginx = context.new_page()
            open_page(through_nginx, f"{st.url}/?year=2020")
            assert FALLBACK not in warning_texts(through_nginx)
