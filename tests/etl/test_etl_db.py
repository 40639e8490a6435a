"""The database over time: ``add`` (and --replace), two years of one agency with
the across-years checks, atomic rebuilds, and ``check`` that changes nothing."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

from etl import building, cli, pipeline, store
from etl.model import ReportError
from tests import fixtures
from tests.etl.test_etl_seed import FIGURES
from tests.fixtures import (
    FIGURES_2020,
    ROOT,
    SEED_AGENCY,
    SEED_NAME,
    SEED_UNIT,
    folder_state,
    query,
    report_2020,
    seed_bytes,
    sha256,
    write,
)

NAME_2020 = "sichuan-center-2020.txt"
APPLICANT_CODES = (
    "natural_person",
    "business",
    "research",
    "public_interest",
    "legal_services",
    "other",
    "total",
)


@pytest.fixture
def seed_db(tmp_path):
    """The seed built into a database; returns (reports folder, db path)."""
    return fixtures.seed_database(tmp_path)


def carryover(db, year: int = 2020) -> dict[str, tuple]:
    rows = query(
        db,
        "SELECT check_id, expected, actual, passed, kind, report_id FROM checks "
        "WHERE year = ? AND check_id LIKE 'x.carryover.%'",
        [year],
    )
    assert all(r["kind"] == "across" for r in rows)
    return {r["check_id"]: (r["expected"], r["actual"], r["passed"]) for r in rows}


def trading_total(db, year: int) -> float:
    (row,) = query(
        db,
        "SELECT value FROM figures WHERE year = ? AND topic = 'trading' AND metric = 'notices' "
        "AND category = 'total'",
        [year],
    )
    return row["value"]


# --- The derived 2020 report ----------------------------------------------------------


def test_report_2020_is_consistent_and_differs_from_the_seed(tmp_path):
    report = pipeline.load_report(write(tmp_path, NAME_2020, report_2020()))
    assert (report.agency, report.year) == (SEED_AGENCY, 2020)
    assert [c.check_id for c in report.checks if c.passed is False] == []
    assert report.figure("notices", "total", topic="trading").value == FIGURES_2020.trading_total
    assert report.figure("rate", "transferred_completion", topic="hotline").value == 95.24
    assert report.figure("notices", "total", topic="trading").value != 487988
    cells = {(c.row_code, c.applicant): c.value for c in report.foi_requests}
    assert cells[("1", "自然人")] == 3 and cells[("3.7", "总计")] == 3 and cells[("1", "商业企业")] is None
    assert [c.value for c in report.review_litigation] == [0] * 15


# --- add ------------------------------------------------------------------------------------


def test_add_loads_a_new_year_and_copies_the_file(seed_db, tmp_path):
    reports, db = seed_db
    incoming = write(tmp_path / "incoming", NAME_2020, report_2020())
    report = pipeline.add(incoming, reports, db)
    assert (report.agency, report.year) == (SEED_AGENCY, 2020)
    rows = query(db, "SELECT report_id, year, source_file FROM reports ORDER BY year")
    assert rows == [
        {"report_id": "sichuan-center-2019", "year": 2019, "source_file": SEED_NAME},
        {"report_id": "sichuan-center-2020", "year": 2020, "source_file": NAME_2020},
    ]
    assert trading_total(db, 2020) == FIGURES_2020.trading_total
    assert trading_total(db, 2019) == 487988  # the other year untouched
    assert (reports / NAME_2020).read_bytes() == incoming.read_bytes()
    assert sorted(p.name for p in reports.iterdir()) == [SEED_NAME, NAME_2020]
    assert sorted(p.name for p in db.parent.iterdir()) == ["dashboard.duckdb"]
    (n,) = query(db, "SELECT count(*) AS n FROM foi_requests WHERE year = 2020")
    assert n["n"] == 161


def test_add_again_is_refused_unless_replace(seed_db, tmp_path):
    reports, db = seed_db
    pipeline.add(write(tmp_path / "incoming", NAME_2020, report_2020()), reports, db)
    changed = write(tmp_path / "changed", NAME_2020, report_2020().replace("信息510000条", "信息510001条"))
    db_before, reports_before = folder_state(db.parent), folder_state(reports)
    with pytest.raises(ReportError) as info:
        pipeline.add(changed, reports, db)
    assert NAME_2020 in str(info.value)
    assert "--replace" in str(info.value)
    assert folder_state(db.parent) == db_before
    assert folder_state(reports) == reports_before
    assert trading_total(db, 2020) == 510000

    pipeline.add(changed, reports, db, replace=True)
    assert trading_total(db, 2020) == 510001
    assert (reports / NAME_2020).read_bytes() == changed.read_bytes()
    (n,) = query(db, "SELECT count(*) AS n FROM reports WHERE year = 2020")
    assert n["n"] == 1
    (cells,) = query(db, "SELECT count(*) AS n FROM active_disclosure WHERE year = 2020")
    assert cells["n"] == 22  # replaced, not added twice
    assert sorted(p.name for p in db.parent.iterdir()) == ["dashboard.duckdb"]


def test_replace_under_another_file_name_removes_the_old_file(seed_db, tmp_path):
    reports, db = seed_db
    pipeline.add(write(tmp_path / "a", NAME_2020, report_2020()), reports, db)
    renamed = write(
        tmp_path / "b", "centre-2020-v2.txt", report_2020().replace("信息510000条", "信息510002条")
    )
    pipeline.add(renamed, reports, db, replace=True)
    assert sorted(p.name for p in reports.iterdir()) == ["centre-2020-v2.txt", SEED_NAME]
    rows = query(db, "SELECT report_id, source_file FROM reports WHERE year = 2020")
    assert rows == [{"report_id": "centre-2020-v2", "source_file": "centre-2020-v2.txt"}]
    assert trading_total(db, 2020) == 510002


def test_add_without_a_database_builds_one_from_the_folder_and_the_file(tmp_path):
    reports = tmp_path / "reports"
    write(reports, SEED_NAME, seed_bytes())
    db = tmp_path / "new" / "dashboard.duckdb"
    pipeline.add(write(tmp_path / "incoming", NAME_2020, report_2020()), reports, db)
    assert [r["year"] for r in query(db, "SELECT year FROM reports ORDER BY year")] == [2019, 2020]
    assert len(carryover(db)) == 7


def test_add_refuses_a_file_name_already_used_by_another_report(seed_db, tmp_path, capsys):
    reports, db = seed_db
    (reports / SEED_NAME).unlink()  # loaded, but no longer in the folder
    incoming = write(tmp_path / "incoming", SEED_NAME, report_2020())  # a 2020 report under the 2019 name
    before = sha256(db)
    assert cli.main(["add", str(incoming), "--reports", str(reports), "--db", str(db)]) == 1
    _, err = capsys.readouterr()
    assert "sichuan-center-2019" in err and "请改名" in err and "Traceback" not in err
    assert sha256(db) == before
    assert list(reports.iterdir()) == []


def test_cli_add_again_and_replace(seed_db, tmp_path, capsys):
    reports, db = seed_db
    incoming = write(tmp_path / "incoming", NAME_2020, report_2020())
    argv = ["add", str(incoming), "--reports", str(reports), "--db", str(db)]
    assert cli.main(argv) == 0
    out, _ = capsys.readouterr()
    assert "2020年报告" in out and NAME_2020 in out

    before = sha256(db)
    assert cli.main(argv) == 1
    _, err = capsys.readouterr()
    assert "--replace" in err and NAME_2020 in err and "Traceback" not in err
    assert sha256(db) == before

    write(tmp_path / "incoming", NAME_2020, report_2020().replace("信息510000条", "信息520000条"))
    assert cli.main([*argv, "--replace"]) == 0
    capsys.readouterr()
    assert trading_total(db, 2020) == 520000


# --- Two years: across-years checks -------------------------------------------------------


def _build_two_years(tmp_path, carried_in: int):
    reports = tmp_path / "reports"
    write(reports, SEED_NAME, seed_bytes())
    write(reports, NAME_2020, report_2020(carried_in=carried_in))
    db = tmp_path / "two.duckdb"
    pipeline.build(reports, db)
    return db


NOT_ASSESSABLE = {f"x.carryover.{c}": (None, None, None) for c in APPLICANT_CODES[1:6]}


def test_carryover_passes_when_2020_carries_in_what_2019_carried_out(tmp_path):
    db = _build_two_years(tmp_path, carried_in=0)
    assert carryover(db) == {
        "x.carryover.natural_person": (0, 0, True),
        "x.carryover.total": (0, 0, True),
        **NOT_ASSESSABLE,
    }
    assert carryover(db, 2019) == {}
    rows = query(db, "SELECT DISTINCT report_id, agency, year FROM checks WHERE kind = 'across'")
    assert rows == [{"report_id": "sichuan-center-2020", "agency": SEED_AGENCY, "year": 2020}]
    (failed,) = query(db, "SELECT count(*) AS n FROM checks WHERE year = 2020 AND passed = false")
    assert failed["n"] == 0


def test_carryover_fails_when_the_years_disagree(tmp_path):
    db = _build_two_years(tmp_path, carried_in=2)
    assert carryover(db) == {
        "x.carryover.natural_person": (0, 2, False),
        "x.carryover.total": (0, 2, False),
        **NOT_ASSESSABLE,
    }
    (row,) = query(db, "SELECT description, evidence FROM checks WHERE check_id = 'x.carryover.total'")
    assert "2019" in row["description"] and "2020" in row["description"]
    assert "sichuan-center-2019" in row["evidence"] and "第346行" in row["evidence"]
    # The within-report checks of 2020 still all pass: only the years disagree.
    failed = query(db, "SELECT check_id FROM checks WHERE year = 2020 AND passed = false ORDER BY check_id")
    assert [r["check_id"] for r in failed] == ["x.carryover.natural_person", "x.carryover.total"]


def test_no_carryover_check_with_2020_alone(tmp_path):
    reports = tmp_path / "reports"
    write(reports, NAME_2020, report_2020(carried_in=2))
    db = tmp_path / "db.duckdb"
    pipeline.build(reports, db)
    assert query(db, "SELECT * FROM checks WHERE kind = 'across'") == []


def test_no_carryover_between_different_agencies(tmp_path):
    reports = tmp_path / "reports"
    write(reports, SEED_NAME, seed_bytes())
    write(reports, NAME_2020, report_2020(carried_in=2, agency="成都市政务服务中心"))
    db = tmp_path / "db.duckdb"
    pipeline.build(reports, db)
    assert query(db, "SELECT * FROM checks WHERE kind = 'across'") == []


def test_add_and_replace_recompute_carryover(seed_db, tmp_path):
    reports, db = seed_db
    assert carryover(db) == {}
    pipeline.add(write(tmp_path / "a", NAME_2020, report_2020(carried_in=0)), reports, db)
    assert carryover(db)["x.carryover.total"] == (0, 0, True)
    pipeline.add(write(tmp_path / "b", NAME_2020, report_2020(carried_in=5)), reports, db, replace=True)
    assert carryover(db)["x.carryover.total"] == (0, 5, False)
    (n,) = query(db, "SELECT count(*) AS n FROM checks WHERE kind = 'across'")
    assert n["n"] == 7  # recomputed, not accumulated


def test_adding_the_earlier_year_later_adds_the_check_to_the_later_one(tmp_path):
    reports = tmp_path / "reports"
    write(reports, NAME_2020, report_2020(carried_in=2))
    db = tmp_path / "db.duckdb"
    pipeline.build(reports, db)
    pipeline.add(write(tmp_path / "incoming", SEED_NAME, seed_bytes()), reports, db)
    assert carryover(db)["x.carryover.natural_person"] == (0, 2, False)
    assert carryover(db, 2019) == {}


# --- Atomic build ----------------------------------------------------------------------------


def test_successful_rebuild_swaps_in_the_new_content(seed_db):
    reports, db = seed_db
    before = sha256(db)
    write(reports, NAME_2020, report_2020())
    pipeline.build(reports, db)
    assert sha256(db) != before
    assert [r["year"] for r in query(db, "SELECT year FROM reports ORDER BY year")] == [2019, 2020]
    assert sorted(p.name for p in db.parent.iterdir()) == ["dashboard.duckdb"]
    (reports / NAME_2020).unlink()
    pipeline.build(reports, db)
    assert [r["year"] for r in query(db, "SELECT year FROM reports")] == [2019]
    assert query(db, "SELECT * FROM checks WHERE year = 2020") == []


def test_failed_strict_parse_leaves_the_old_database(seed_db):
    reports, db = seed_db
    state = folder_state(db.parent)
    write(reports, NAME_2020, report_2020())
    write(reports, "broken-2021.txt", b"")
    with pytest.raises(ReportError):
        pipeline.build(reports, db, strict=True)
    assert folder_state(db.parent) == state
    assert [r["year"] for r in query(db, "SELECT year FROM reports")] == [2019]


def test_failure_while_loading_leaves_the_old_database(seed_db, monkeypatch):
    reports, db = seed_db
    state = folder_state(db.parent)
    write(reports, NAME_2020, report_2020())

    def fail(con, batches, loaded_at):
        con.execute("DELETE FROM store.reports")  # a half-done write that must never show
        raise RuntimeError("disk full")

    monkeypatch.setattr(building, "insert_rows", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        pipeline.build(reports, db)
    assert folder_state(db.parent) == state
    assert [r["year"] for r in query(db, "SELECT year FROM reports")] == [2019]


def test_failure_while_adding_leaves_database_and_folder(seed_db, tmp_path, monkeypatch):
    reports, db = seed_db
    db_state, reports_state = folder_state(db.parent), folder_state(reports)
    monkeypatch.setattr(store, "refresh_cross_year_checks", lambda con: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        pipeline.add(write(tmp_path / "incoming", NAME_2020, report_2020()), reports, db)
    assert folder_state(db.parent) == db_state
    assert folder_state(reports) == reports_state


def test_build_into_a_new_folder(tmp_path):
    reports = tmp_path / "reports"
    write(reports, SEED_NAME, seed_bytes())
    db = tmp_path / "a" / "b" / "dashboard.duckdb"
    pipeline.build(reports, db)
    assert [r["report_id"] for r in query(db, "SELECT report_id FROM reports")] == ["sichuan-center-2019"]


# --- CLI ---------------------------------------------------------------------------------------


def _data_state() -> dict[str, str]:
    data = ROOT / "data"
    state = {f"data/{k}": v for k, v in folder_state(data).items()}
    state.update({f"data/reports/{k}": v for k, v in folder_state(data / "reports").items()})
    return state


def test_cli_check_prints_figures_and_checks_and_changes_nothing(tmp_path):
    path = write(tmp_path, SEED_NAME, seed_bytes())
    before_tmp, before_data = folder_state(tmp_path), _data_state()
    proc = subprocess.run(
        [sys.executable, "-m", "etl", "check", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    out = proc.stdout
    # Filed under the unit's official name (data/units.toml beside data/reports/), the printed one said.
    assert out.startswith(f"{SEED_NAME}：{SEED_UNIT} 2019年")
    assert f"载入时将归入已载入的机关“{SEED_UNIT}”（报告写作“{SEED_AGENCY}”）" in out
    assert "正文数字（21项）" in out
    for (topic, metric, category), (value, unit, approx, _, sentence, line) in FIGURES.items():
        number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
        assert f"{topic}.{metric}.{category} " in out
        assert f"= {number}{unit}{'（约数）' if approx else ''}\n" in out
        assert f"出处（第{line}行）：{sentence}" in out
    assert "表二：22个单元格；表三：161个单元格（其中空白115个）；表四：15个单元格" in out
    assert "勾稽关系检查：共45项，通过32项，不通过2项，口径提示0项，无法评估11项" in out
    assert "✗ prose.trading_categories_sum" in out and "应为 487,988，实际 487,901" in out
    assert "✗ t4.block_sum.reconsideration" in out and "应为 1，实际 0" in out
    assert folder_state(tmp_path) == before_tmp
    assert _data_state() == before_data


def test_cli_check_refuses_a_bad_file(tmp_path, capsys):
    path = write(tmp_path, "notice.txt", "会议通知\n")
    assert cli.main(["check", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "notice.txt" in err and "Traceback" not in err


def test_cli_build(tmp_path, capsys):
    reports = tmp_path / "reports"
    write(reports, SEED_NAME, seed_bytes())
    write(reports, NAME_2020, report_2020(carried_in=2))
    db = tmp_path / "db.duckdb"
    assert cli.main(["build", "--reports", str(reports), "--db", str(db)]) == 0
    out, err = capsys.readouterr()
    assert "载入2份报告" in out and err == ""
    assert [r["year"] for r in query(db, "SELECT year FROM reports ORDER BY year")] == [2019, 2020]


def test_cli_missing_folder(tmp_path, capsys):
    assert cli.main(["build", "--reports", str(tmp_path / "nope"), "--db", str(tmp_path / "db.duckdb")]) == 1
    _, err = capsys.readouterr()
    assert "nope" in err and "不存在" in err
    assert not (tmp_path / "db.duckdb").exists()


def test_build_leaves_the_garbage_collector_as_it_was(tmp_path):
    reports = tmp_path / "reports"
    write(reports, SEED_NAME, seed_bytes())
    assert gc.isenabled()
    pipeline.build(reports, tmp_path / "db.duckdb")
    assert gc.isenabled()
    write(reports, "empty.txt", b"")
    gc.disable()
    try:
        with pytest.raises(ReportError):
            pipeline.build(reports, tmp_path / "db.duckdb", strict=True)
        assert not gc.isenabled()
    finally:
        gc.enable()
