"""Builds that keep going (etl/building.py): a folder build loads every report that passes and lists
each refused file in the ``refusals`` view (one row per problem, in the order of the files), exits 2
from the command line; ``--strict`` is all or nothing; an add keeps the last build's refusals."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from etl import cli, pipeline
from etl.model import ReportError
from tests.fixtures import (
    ROOT,
    SEED_AGENCY,
    SEED_NAME,
    bad_reports,
    folder_state,
    query,
    report_2020,
    seed_bytes,
    seed_text,
    set_title,
    sha256,
    write,
)

TRUNCATED = "truncated-2021.txt"
NAME_2020 = "sichuan-center-2020.txt"
REFUSALS_SQL = "SELECT source_file, place, reason, source_sha256 FROM refusals"


def folder(tmp_path: Path, *bad: str) -> Path:
    reports = tmp_path / "reports"
    write(reports, SEED_NAME, seed_bytes())
    write(reports, NAME_2020, report_2020())
    for name in bad:
        write(reports, name, bad_reports()[name])
    return reports


def test_a_folder_with_one_truncated_file_loads_the_others_and_exits_2(tmp_path):
    reports = folder(tmp_path, TRUNCATED)
    db = tmp_path / "db" / "dashboard.duckdb"
    proc = subprocess.run(
        [sys.executable, "-m", "etl", "build", "--reports", str(reports), "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert "载入2份报告" in proc.stdout
    assert "未载入1个文件（共3个问题" in proc.stderr
    assert f"{TRUNCATED}：表三 第144行：行“（三）不予公开”应有7个数值，实际3个" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert [r["year"] for r in query(db, "SELECT year FROM reports ORDER BY year")] == [2019, 2020]
    rows = query(db, REFUSALS_SQL)
    digest = sha256(reports / TRUNCATED)
    assert [(r["source_file"], r["place"], r["source_sha256"]) for r in rows] == [
        (TRUNCATED, "章节", digest),
        (TRUNCATED, "表三 第144行", digest),
        (TRUNCATED, "表三", digest),
    ]
    assert rows[1]["reason"] == "行“（三）不予公开”应有7个数值，实际3个（表格可能被截断）"
    assert sorted(p.name for p in db.parent.iterdir()) == ["dashboard.duckdb"]  # no lock note left


def test_strict_build_loads_nothing_and_exits_1(tmp_path, capsys):
    reports = tmp_path / "reports"
    write(reports, SEED_NAME, seed_bytes())
    db = tmp_path / "db" / "dashboard.duckdb"
    assert cli.main(["build", "--reports", str(reports), "--db", str(db)]) == 0
    state = folder_state(db.parent)
    write(reports, NAME_2020, report_2020())
    write(reports, TRUNCATED, bad_reports()[TRUNCATED])
    capsys.readouterr()
    assert cli.main(["build", "--strict", "--reports", str(reports), "--db", str(db)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and TRUNCATED in err and "数据库没有任何改动" in err
    assert folder_state(db.parent) == state
    assert query(db, "SELECT count(*) AS n FROM refusals") == [{"n": 0}]


def test_every_file_refused_changes_nothing(tmp_path):
    """A build where no report passes would only empty the database: it is refused instead."""
    reports = tmp_path / "reports"
    write(reports, SEED_NAME, seed_bytes())
    db = tmp_path / "db.duckdb"
    pipeline.build(reports, db)
    before = sha256(db)
    (reports / SEED_NAME).unlink()
    write(reports, "empty-2021.txt", b"")
    write(reports, "binary-2021.txt", bad_reports()["binary-2021.txt"])
    with pytest.raises(ReportError) as info:
        pipeline.build(reports, db)
    assert [p.file for p in info.value.problems] == ["binary-2021.txt", "empty-2021.txt"]
    assert sha256(db) == before


@pytest.mark.parametrize(
    ("files", "loaded", "refused"),
    [
        # Same agency and year: the later file (in name order) is refused, naming the earlier.
        (
            {"a-2019.txt": seed_text(), "b-2019.txt": seed_text()},
            ["a-2019.txt"],
            [("b-2019.txt", "标题", f"与a-2019.txt是同一机关同一年度（{SEED_AGENCY}，2019年）的报告")],
        ),
        # The same agency with and without its province: a duplicate once filed under the fuller name.
        (
            {
                "a-2019.txt": set_title(seed_text(), agency="政务服务和资源交易服务中心"),
                "b-2019.txt": set_title(seed_text(), agency="四川省政务服务和资源交易服务中心"),
            },
            ["a-2019.txt"],
            [("b-2019.txt", "标题", f"与a-2019.txt是同一机关同一年度（{SEED_AGENCY}，2019年）的报告")],
        ),
        # Two files of the same stem: one report id.
        (
            {"centre.txt": seed_text(), "centre.TXT": report_2020()},
            ["centre.TXT"],
            [("centre.txt", "文件名", "与centre.TXT的文件名（不含扩展名）相同，请改名")],
        ),
    ],
)
def test_duplicates_are_refusals_of_the_later_file(tmp_path, files, loaded, refused):
    reports = tmp_path / "reports"
    for name, text in files.items():
        write(reports, name, text)
    db = tmp_path / "db.duckdb"
    built = pipeline.build(reports, db)
    assert [r.source_file for r in built.reports] == loaded
    assert [(p.file, p.place, p.reason) for p in built.refusals] == refused
    assert [r["source_file"] for r in query(db, "SELECT source_file FROM reports")] == loaded
    assert [(r["source_file"], r["place"], r["reason"]) for r in query(db, REFUSALS_SQL)] == refused
    # The refused duplicate left no row anywhere.
    counts = query(db, "SELECT count(*) AS n FROM foi_requests UNION ALL SELECT count(*) FROM checks")
    assert counts[0]["n"] == 161 and all(r["n"] > 0 for r in counts)
    assert query(db, "SELECT DISTINCT agency FROM reports") == [{"agency": SEED_AGENCY}]


def test_an_add_keeps_the_last_builds_refusals(tmp_path):
    """``etl add`` copies the database: the last build's refusals stay listed (the file is still in
    the folder), except those of a file of the name the add now loads."""
    reports = folder(tmp_path, TRUNCATED, "empty-2021.txt")
    (reports / NAME_2020).unlink()
    db = tmp_path / "db.duckdb"
    pipeline.build(reports, db)
    before = query(db, REFUSALS_SQL)
    assert [r["source_file"] for r in before] == ["empty-2021.txt", *[TRUNCATED] * 3]
    pipeline.add(write(tmp_path / "incoming", NAME_2020, report_2020()), reports, db)
    assert query(db, REFUSALS_SQL) == before
    # The official removes the empty file and adds a good one under its name.
    (reports / "empty-2021.txt").unlink()
    pipeline.add(write(tmp_path / "fixed", "empty-2021.txt", report_2020(agency="某市数据局")), reports, db)
    assert [r["source_file"] for r in query(db, REFUSALS_SQL)] == [TRUNCATED] * 3


def test_refusals_in_the_order_of_the_files_whatever_the_workers(tmp_path):
    """Parallel or serial, the same database (refusals included, in order)."""
    from tests.etl.test_parallel import dump
    from tests.etl.test_parallel import folder as many

    files = many(tmp_path / "reports", 40, ("empty-2021.txt", "truncated-2021.txt", "notice-2021.txt"))
    assert len(files) == 43
    got = {}
    for workers in (1, 2):
        db = tmp_path / f"w{workers}.duckdb"
        built = pipeline.build(tmp_path / "reports", db, workers=workers)
        got[workers] = (built.refusals, dump(db), query(db, "SELECT source_file, place FROM refusals"))
    assert got[1] == got[2]
    assert got[2][2][0]["source_file"] == "empty-2021.txt"
    assert len(got[2][1]["reports"]) == 40


def test_rows_without_a_report_are_the_rows_of_the_others(tmp_path):
    """What a worker sends back (load.Rows) less a refused duplicate equals the others' rows."""
    from etl.load import rows_of

    reports = [
        pipeline.load_report(write(tmp_path, name, text))
        for name, text in (
            (SEED_NAME, seed_text()),
            (NAME_2020, report_2020()),
            ("c-2021.txt", set_title(seed_text(), year=2021)),
        )
    ]
    both = rows_of(reports).without({1})
    assert both == rows_of([reports[0], reports[2]])
    assert both.counts["foi_requests"] == [161, 161] and both.report_ids == ["sichuan-center-2019", "c-2021"]
    assert rows_of(reports).without({0, 1, 2}) == rows_of([])
