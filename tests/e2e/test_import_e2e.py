"""The officials' import page (导入年报) end to end, in Chromium, on a server of its own.

With DASHBOARD_ADMIN_PASSWORD set, on a temporary copy of the reports folder and a
database built from it: log in, upload the 2020 report of tests/fixtures.py through
the uploader's ``input[type=file]``, see the preview (figures table, checks), confirm,
see the success message, and see 2020's numbers on a new page at ``/?year=2020``.
A second 2020 report (uploaded as ``../../evil name.txt``) needs the replace checkbox
before 确认载入 is enabled, and is stored inside the reports folder under a safe name.
A file over Streamlit's ``maxUploadSize`` (20 MB, .streamlit/config.toml) is refused
by the uploader itself: it is never sent to the server.

Without the password (another server) there is no import page: ``/import`` shows the
home page (with Streamlit's 'Page not found' notice) and the sidebar has no 导入年报.

The tests of this file share the server and run in order (the first loads 2020).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from dashboard.navigation import PUBLIC_PAGES
from etl.pipeline import build
from tests import fixtures
from tests.e2e.conftest import APP, requires_app
from tests.e2e.helpers import (
    assert_no_exception,
    error_alerts,
    main_text,
    metric_values,
    open_page,
    wait_for_app,
    warning_texts,
    watch_dialogs,
)

pytestmark = requires_app

PASSWORD = "e2e horse battery staple"
UPLOADER = '[data-testid="stFileUploader"] input[type="file"]'
SUCCESS = '[data-testid="stAlertContentSuccess"]'
SIDEBAR_NAV = '[data-testid="stSidebarNav"]'


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, Path]:
    """A reports folder (the seed) and a database built from it, both temporary copies."""
    root = tmp_path_factory.mktemp("import-site")
    reports = root / "reports"
    fixtures.write(reports, fixtures.SEED_NAME, fixtures.seed_bytes())
    db = root / "dashboard.duckdb"
    build(reports, db)
    return reports, db


@pytest.fixture(scope="module")
def admin_url(server_factory, site) -> str:
    reports, db = site
    return server_factory(
        APP, db, env={"DASHBOARD_ADMIN_PASSWORD": PASSWORD, "DASHBOARD_REPORTS": str(reports)}
    )


def rerun(page) -> None:
    """Wait for the script run an interaction started (it may not have started yet)."""
    page.wait_for_timeout(200)
    wait_for_app(page)


def login(page, url: str) -> None:
    open_page(page, url + "/import", check=False)
    assert page.get_by_role("heading", name="导入年报").is_visible()
    page.get_by_label("管理密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    rerun(page)
    assert page.locator(UPLOADER).count() == 1
    assert error_alerts(page) == []


def upload(page, name: str, data: bytes) -> None:
    page.locator(UPLOADER).set_input_files({"name": name, "mimeType": "text/plain", "buffer": data})
    rerun(page)
    assert_no_exception(page)


def successes(page) -> list[str]:
    return page.locator(SUCCESS).all_inner_texts()


def confirm_button(page):
    return page.get_by_role("button", name="确认载入")


def test_upload_preview_confirm_then_2020_is_shown(admin_url, site, watched, browser_context, tmp_path):
    reports, db = site
    login(watched, admin_url)
    path = fixtures.write(tmp_path, "sichuan-center-2020.txt", fixtures.report_2020())
    watched.locator(UPLOADER).set_input_files(str(path))
    rerun(watched)
    assert_no_exception(watched)

    # the preview: what was read, the figures, the tables' cells, the checks
    assert error_alerts(watched) == []
    assert any("2020年报告" in s and "sichuan-center-2020.txt" in s for s in successes(watched))
    text = main_text(watched)
    for part in ("正文数字", "表二 22 格，表三 161 格，表四 15 格", "勾稽关系检查"):
        assert part in text, part
    assert watched.locator('[data-testid="stDataFrame"]').count() >= 2, "figures and checks tables"
    assert watched.get_by_role("checkbox").count() == 0, "a new year replaces nothing"
    assert fixtures.query(db, "SELECT year FROM reports") == [{"year": 2019}], "nothing loaded yet"

    confirm_button(watched).click()
    rerun(watched)
    assert any("已载入" in s and "2020年报告" in s for s in successes(watched)), successes(watched)
    assert sorted(p.name for p in reports.iterdir()) == [fixtures.SEED_NAME, "sichuan-center-2020.txt"]
    years = fixtures.query(db, "SELECT year FROM reports ORDER BY year")
    assert [r["year"] for r in years] == [2019, 2020]

    # a visitor's new page shows 2020
    with browser_context.new_page() as visitor:
        open_page(visitor, admin_url + "/?year=2020", check=False)
        assert_no_exception(visitor)
        assert warning_texts(visitor) == [], "2020 is loaded: no notice about the URL's year"
        assert "year=2020" in visitor.url
        values = metric_values(visitor)
        assert values["交易信息发布"] == f"{fixtures.FIGURES_2020.trading_total:,}条", values
        assert values["12345受理群众诉求"] == f"{fixtures.FIGURES_2020.hotline_total:,}件", values


def test_replace_needs_the_checkbox_and_the_name_is_made_safe(admin_url, site, watched):
    reports, db = site
    data = fixtures.report_2020(carried_in=5).encode("utf-8")  # differs in table 三
    login(watched, admin_url)
    upload(watched, "../../evil name.txt", data)
    assert any("将保存为 evil-name.txt" in s for s in successes(watched)), successes(watched)
    checkbox = watched.get_by_role("checkbox", name="确认替换已载入的同一年度报告（sichuan-center-2020.txt）")
    assert checkbox.count() == 1 and not checkbox.is_checked()
    assert confirm_button(watched).is_disabled(), "replacing needs the checkbox first"

    watched.locator('[data-testid="stCheckbox"] label').click()  # as a person ticks it
    rerun(watched)
    assert checkbox.is_checked()
    assert confirm_button(watched).is_enabled()
    confirm_button(watched).click()
    rerun(watched)
    assert any("已载入" in s for s in successes(watched)), successes(watched)

    # stored inside the reports folder under the safe name; the replaced file is gone
    assert sorted(p.name for p in reports.iterdir()) == ["evil-name.txt", fixtures.SEED_NAME]
    assert (reports / "evil-name.txt").read_bytes() == data
    root = reports.parent
    strays = [p for p in root.parent.rglob("*evil*") if p.parent != reports]
    assert strays == [], "nothing written outside the reports folder"
    rows = fixtures.query(db, "SELECT source_file, source_sha256 FROM reports WHERE year = 2020")
    assert rows == [{"source_file": "evil-name.txt", "source_sha256": hashlib.sha256(data).hexdigest()}]


def test_replace_confirmation_is_asked_again_for_another_file(admin_url, watched):
    login(watched, admin_url)
    upload(watched, "first-2020.txt", fixtures.report_2020().encode("utf-8"))
    watched.locator('[data-testid="stCheckbox"] label').click()
    rerun(watched)
    assert confirm_button(watched).is_enabled()

    upload(watched, "second-2020.txt", fixtures.report_2020(carried_in=7).encode("utf-8"))
    assert any("将保存为 second-2020.txt" in s for s in successes(watched))
    ticked = watched.get_by_role("checkbox").is_checked()
    # whichever the page shows, button and box must agree: disabled while the box is unticked
    assert confirm_button(watched).is_enabled() == ticked
    assert not ticked, "a new file needs its own confirmation"


def test_a_file_over_20_mb_is_refused_by_the_uploader(admin_url, site, watched, tmp_path):
    reports, db = site
    before = (fixtures.folder_state(reports), fixtures.sha256(db))
    login(watched, admin_url)
    sent: list[str] = []
    watched.on("request", lambda r: sent.append(r.url) if "/_stcore/upload_file" in r.url else None)
    big = tmp_path / "big-2020.txt"
    big.write_bytes(b"2020" * (21 * 1024 * 1024 // 4))  # 21 MiB
    watched.locator(UPLOADER).set_input_files(str(big))
    chip = watched.locator('[data-testid="stFileChip"]', has_text="big-2020.txt")
    chip.wait_for()
    uploader = watched.locator('[data-testid="stFileUploader"]').inner_text()
    assert "File must be 20.0MB or smaller." in uploader, uploader
    assert chip.get_attribute("aria-invalid") == "true"
    watched.wait_for_timeout(500)
    wait_for_app(watched)
    assert sent == [], "the file is never sent to the server"
    assert successes(watched) == [] and error_alerts(watched) == [], "the app never read it"
    assert confirm_button(watched).count() == 0
    assert (fixtures.folder_state(reports), fixtures.sha256(db)) == before


# --------------------------------------------------------------------------- no password


@pytest.fixture(scope="module")
def public_url(server_factory, built_db) -> str:
    """The app without an admin password: the other e2e files' server on ``built_db`` unless the
    test run's environment sets a password (then one with the password set empty)."""
    env = {"DASHBOARD_ADMIN_PASSWORD": ""} if os.environ.get("DASHBOARD_ADMIN_PASSWORD") else {}
    return server_factory(APP, built_db, env=env)


def test_no_import_page_without_a_password(public_url, page):
    dialogs = watch_dialogs(page)
    open_page(page, public_url + "/import", check=False)
    assert_no_exception(page)
    assert page.locator('[data-testid="stFileUploader"], input[type="file"]').count() == 0
    assert page.get_by_role("heading", name="导入年报").count() == 0
    assert page.get_by_label("管理密码").count() == 0
    not_found = page.get_by_role("dialog").filter(has_text="Page not found")
    home = page.get_by_role("heading", name="数据概览")
    assert not_found.count() == 1 or home.count() == 1, main_text(page)[:300]
    assert dialogs == [], f"no JavaScript dialog: {dialogs}"

    nav = page.locator(SIDEBAR_NAV)
    assert "导入年报" not in nav.inner_text()
    hrefs = nav.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert len(hrefs) == len(PUBLIC_PAGES) and not [h for h in hrefs if h.rstrip("/").endswith("/import")], (
        hrefs
    )
