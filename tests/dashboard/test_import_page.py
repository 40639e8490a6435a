"""The officials' import page (导入年报) through AppTest: absent without an admin
password; with one: login, upload, preview with checks, confirm, replace."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from etl.pipeline import build
from tests import apptest, fixtures

ROOT = fixtures.ROOT
PASSWORD = "correct horse battery staple"


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A database and reports folder of its own (the import writes to both)."""
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(fixtures.SEED_PATH, reports / fixtures.SEED_NAME)
    db = tmp_path / "dashboard.duckdb"
    build(reports, db)
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.setenv("DASHBOARD_REPORTS", str(reports))
    return reports, db


def start(page: str | None = "pages/page_import.py") -> AppTest:
    return apptest.start(page)


def login(at: AppTest, password: str = PASSWORD) -> AppTest:
    at.text_input[0].input(password)
    at.button[0].click().run()
    return at


def test_no_import_page_without_a_password(site, monkeypatch):
    monkeypatch.delenv("DASHBOARD_ADMIN_PASSWORD", raising=False)
    at = start(page=None)
    with pytest.raises(Exception):  # noqa: B017 - the page is not registered at all
        at.switch_page("pages/page_import.py")
        at.run()
        assert not [t for t in at.title if t.value == "导入年报"]
        raise RuntimeError("the import page ran")


def test_wrong_password_is_refused(site, monkeypatch):
    monkeypatch.setenv("DASHBOARD_ADMIN_PASSWORD", PASSWORD)
    at = login(start(), "wrong")
    assert any("密码不正确" in e.value for e in at.error)
    assert not at.get("file_uploader")


def test_password_attempts_are_limited(site, monkeypatch):
    from dashboard import ratelimit

    monkeypatch.setenv("DASHBOARD_ADMIN_PASSWORD", PASSWORD)
    monkeypatch.setattr(ratelimit, "_login", ratelimit.Limiter())  # this test's own count
    at = start()
    for _ in range(ratelimit.MAX_ATTEMPTS):
        login(at, "wrong")
        assert [e.value for e in at.error] == ["密码不正确。"]
    login(at)  # the right password, one attempt too many: still refused, and said why
    assert next(e.value for e in at.error).startswith("尝试次数过多")
    assert not at.get("file_uploader")


def test_upload_preview_confirm_and_replace(site, monkeypatch):
    reports, db = site
    monkeypatch.setenv("DASHBOARD_ADMIN_PASSWORD", PASSWORD)
    at = login(start())
    uploader = at.get("file_uploader")[0]
    uploader.upload(
        "../../centre 2020 report.txt", fixtures.report_2020().encode("utf-8"), "text/plain"
    ).run()
    assert not at.exception
    assert any("2020年报告" in s.value for s in at.success)
    assert len(at.dataframe) >= 2, "figures and checks are previewed"
    confirm = next(b for b in at.button if b.label == "确认载入")
    confirm.click().run()
    assert any("已载入" in s.value for s in at.success)
    stored = sorted(p.name for p in reports.iterdir())
    assert stored == ["centre-2020-report.txt", fixtures.SEED_NAME], (
        "stored under a safe name, inside reports/"
    )
    years = fixtures.query(db, "SELECT year FROM reports ORDER BY year")
    assert [r["year"] for r in years] == [2019, 2020]

    # The same year again: replacing needs an explicit confirmation.
    at = login(start())
    at.get("file_uploader")[0].upload(
        "again-2020.txt", fixtures.report_2020(carried_in=5).encode(), "text/plain"
    ).run()
    confirm = next(b for b in at.button if b.label == "确认载入")
    assert confirm.disabled
    next(c for c in at.checkbox if c.key.startswith("confirm_replace")).check().run()
    next(b for b in at.button if b.label == "确认载入").click().run()
    assert any("已载入" in s.value for s in at.success)
    assert sorted(p.name for p in reports.iterdir()) == ["again-2020.txt", fixtures.SEED_NAME]


def test_a_bad_upload_changes_nothing(site, monkeypatch):
    reports, db = site
    monkeypatch.setenv("DASHBOARD_ADMIN_PASSWORD", PASSWORD)
    before = fixtures.sha256(db)
    at = login(start())
    at.get("file_uploader")[0].upload("empty.txt", b"", "text/plain").run()
    assert any("不能载入" in e.value for e in at.error)
    assert not [b for b in at.button if b.label == "确认载入"]
    assert fixtures.sha256(db) == before
    assert [p.name for p in reports.iterdir()] == [fixtures.SEED_NAME]
