"""store.check_summary, the review's digest of each report's failed checks, is computed by every
write: after a build, an add, a replace (the old report removed), a rebuild without a file, and
when an add changes the across-years checks of a report it did not touch, and after an add to a
database built before it existed, it is exactly what aggregating the published `checks` view gives."""

from __future__ import annotations

import duckdb
import pytest

from etl import pipeline
from tests import fixtures
from tests.fixtures import SEED_NAME, query, report_2020, seed_bytes, write

NAME_2020 = "sichuan-center-2020.txt"

# The oracle: the aggregation the review ran over `checks` before the summary was stored.
_FROM_CHECKS = """
SELECT report_id, year,
    count(*) FILTER (severity <> 'warning') AS failed,
    count(*) FILTER (severity = 'warning') AS warnings,
    string_agg(description || '（应为 ' || coalesce(CAST(expected AS VARCHAR), '空白')
               || '，实际 ' || coalesce(CAST(actual AS VARCHAR), '空白') || '；' || coalesce(evidence, '') || '）',
               '\n' ORDER BY check_id) AS failed_checks
FROM checks WHERE passed = false GROUP BY report_id, year ORDER BY report_id
"""


def summary(db) -> dict[str, dict]:
    """The stored summary by report, after asserting it is what `checks` gives now."""
    stored = query(db, "SELECT * FROM store.check_summary ORDER BY report_id")
    assert stored == query(db, _FROM_CHECKS)
    return {row["report_id"]: row for row in stored}


def carryover_lines(row: dict) -> list[str]:
    return [line for line in row["failed_checks"].split("\n") if line.startswith("跨年度")]


@pytest.fixture
def seed_db(tmp_path):
    """The seed built into a database; returns (reports folder, db path)."""
    return fixtures.seed_database(tmp_path)


def test_a_build_stores_one_row_per_report_with_failed_checks(seed_db):
    _, db = seed_db
    rows = summary(db)
    assert list(rows) == ["sichuan-center-2019"]
    row = rows["sichuan-center-2019"]
    assert (row["year"], row["failed"], row["warnings"]) == (2019, 2, 0)
    assert len(row["failed_checks"].split("\n")) == 2
    assert "（应为 487988.0，实际 487901.0；" in row["failed_checks"]  # the trading total's 87


def test_add_replace_and_a_rebuild_without_the_file_keep_it_current(seed_db, tmp_path):
    reports, db = seed_db
    pipeline.add(write(tmp_path / "a", NAME_2020, report_2020(carried_in=0)), reports, db)
    assert "sichuan-center-2020" not in summary(db)  # consistent with 2019: nothing failed
    pipeline.add(write(tmp_path / "b", NAME_2020, report_2020(carried_in=5)), reports, db, replace=True)
    row = summary(db)["sichuan-center-2020"]
    assert (row["year"], row["failed"], row["warnings"]) == (2020, 2, 0)
    assert len(carryover_lines(row)) == 2  # 自然人 and 总计: 0 carried out in 2019, 5 carried in
    assert "（应为 0.0，实际 5.0；" in row["failed_checks"]
    # Replaced again by the consistent version: the old report's failures are gone with it.
    pipeline.add(write(tmp_path / "c", NAME_2020, report_2020(carried_in=0)), reports, db, replace=True)
    assert "sichuan-center-2020" not in summary(db)
    pipeline.add(write(tmp_path / "d", NAME_2020, report_2020(carried_in=5)), reports, db, replace=True)
    assert "sichuan-center-2020" in summary(db)
    (reports / NAME_2020).unlink()  # removed from the folder, then rebuilt
    pipeline.build(reports, db)
    assert list(summary(db)) == ["sichuan-center-2019"]


def test_adding_the_earlier_year_updates_the_later_report_s_summary(tmp_path):
    """The add loads 2019; the across-years check it adds belongs to 2020, which it did not touch."""
    reports = tmp_path / "reports"
    write(reports, NAME_2020, report_2020(carried_in=2))
    db = tmp_path / "db.duckdb"
    pipeline.build(reports, db)
    assert "sichuan-center-2020" not in summary(db)  # no 2019 yet: nothing to pair with
    pipeline.add(write(tmp_path / "incoming", SEED_NAME, seed_bytes()), reports, db)
    rows = summary(db)
    assert list(rows) == ["sichuan-center-2019", "sichuan-center-2020"]
    assert len(carryover_lines(rows["sichuan-center-2020"])) == 2
    assert rows["sichuan-center-2020"]["failed"] == 2


def test_an_add_to_a_database_built_before_the_summary_creates_and_fills_it(seed_db, tmp_path):
    reports, db = seed_db
    with duckdb.connect(str(db)) as con:
        con.execute("DROP TABLE store.check_summary")
    pipeline.add(write(tmp_path / "a", NAME_2020, report_2020(carried_in=5)), reports, db)
    assert list(summary(db)) == ["sichuan-center-2019", "sichuan-center-2020"]
