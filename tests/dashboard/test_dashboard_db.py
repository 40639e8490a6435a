"""The public app's database connection: read-only, locked down, and never stale
after the ETL swaps in a new database file."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from dashboard import db
from etl.pipeline import add, build
from tests import fixtures


@pytest.fixture
def site(tmp_path, monkeypatch) -> tuple[Path, Path]:
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(fixtures.SEED_PATH, reports / fixtures.SEED_NAME)
    path = tmp_path / "dashboard.duckdb"
    build(reports, path)
    monkeypatch.setenv("DASHBOARD_DB", str(path))
    return reports, path


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TABLE x (a INTEGER)",
        "INSERT INTO store.reports SELECT * FROM store.reports",
        "DELETE FROM store.figures",
        "DROP VIEW figures",
        "UPDATE store.figures SET value = 0",
        "ATTACH '/tmp/other.duckdb' AS other",
        "SELECT * FROM read_csv('/etc/passwd')",
        "COPY store.figures TO '/tmp/leak.csv'",
        "SET enable_external_access = true",
    ],
)
def test_the_app_connection_cannot_write_or_reach_files(site, sql):
    _, path = site
    before = fixtures.sha256(path)
    with pytest.raises(duckdb.Error):
        db.query(db.version(), sql)
    assert fixtures.sha256(path) == before


def test_a_swapped_in_database_is_seen_at_once(site, tmp_path):
    reports, _ = site
    token = db.version()
    assert db.query(token, "SELECT count(*) AS n FROM reports")["n"].iloc[0] == 1
    upload = fixtures.write(tmp_path / "up", "centre-2020.txt", fixtures.report_2020())
    add(upload, reports, db.db_path())
    new_token = db.version()
    assert new_token != token
    assert db.query(new_token, "SELECT count(*) AS n FROM reports")["n"].iloc[0] == 2
    # The old version still answers from the old file until its connection is dropped.
    assert db.query(token, "SELECT count(*) AS n FROM reports")["n"].iloc[0] == 1
