"""Filing reports under their units: the build, the add and the preview agree on each report's
unit, the registry beside the reports folder is read, and the units table is the same resolution."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from etl import pipeline
from etl.filing import REGISTRY_NAME, registry_beside
from etl.model import ReportError
from etl.readers import read_document
from etl.units import unit_id_for
from tests.fixtures import ROOT, SEED_AGENCY, SEED_NAME, seed_bytes, write

CENTRE = "四川省政务服务和公共资源交易服务中心"
REGISTRY = f"""[[unit]]
name = "{CENTRE}"
aliases = ["{SEED_AGENCY}"]
expected = true
"""


def _rows(db, sql):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture
def folder(tmp_path):
    reports = tmp_path / "reports"
    write(reports, SEED_NAME, seed_bytes())
    return reports


def test_a_folder_without_a_registry_files_by_the_printed_name(folder, tmp_path):
    db = tmp_path / "d.duckdb"
    pipeline.build(folder, db)
    assert _rows(db, "SELECT agency, unit_id, title LIKE '%' || agency || '%' FROM reports") == [
        (SEED_AGENCY, unit_id_for(SEED_AGENCY), True)
    ]
    assert _rows(db, "SELECT name, unit_type, parent_id FROM units ORDER BY name") == [
        ("四川省人民政府", "province", None),
        (SEED_AGENCY, "department", unit_id_for("四川省人民政府")),
    ]


def test_the_registry_beside_the_folder_gives_the_official_name(folder, tmp_path):
    (tmp_path / REGISTRY_NAME).write_text(REGISTRY, encoding="utf-8")
    db = tmp_path / "d.duckdb"
    pipeline.build(folder, db)
    # The report is filed under the official name; its title keeps what was printed.
    assert _rows(db, "SELECT agency, unit_id, title FROM reports") == [
        (CENTRE, unit_id_for(CENTRE), f"2019年{SEED_AGENCY}政府信息公开工作年度报告")
    ]
    assert _rows(db, f"SELECT aliases, expected, type_source FROM units WHERE name = '{CENTRE}'") == [
        (SEED_AGENCY, True, "auto:suffix:中心")
    ]
    # Every view carries the filed name.
    assert _rows(db, "SELECT DISTINCT agency FROM figures") == [(CENTRE,)]


def test_an_add_and_its_preview_file_the_report_as_the_build_does(folder, tmp_path):
    (tmp_path / REGISTRY_NAME).write_text(REGISTRY, encoding="utf-8")
    db = tmp_path / "d.duckdb"
    hongze = ROOT / "data" / "reports" / "huaian-hongze-district-2023.pdf"
    pipeline.build(folder, db)
    seen = pipeline.preview(read_document(hongze), db, reports_dir=folder)
    # No registry entry and no fuller spelling: the unit keeps the printed name; its parent is found.
    assert (seen.report.agency, seen.printed_agency) == ("洪泽区人民政府", "")
    assert seen.unit is not None and seen.unit.unit_type == "district"
    assert seen.unit.parent_id == unit_id_for("淮安市人民政府")
    report = pipeline.add(hongze, folder, db)
    assert report.agency == "洪泽区人民政府"
    assert _rows(db, "SELECT agency, unit_id FROM reports ORDER BY agency") == [
        (CENTRE, unit_id_for(CENTRE)),
        ("洪泽区人民政府", unit_id_for("洪泽区人民政府")),
    ]
    names = [r[0] for r in _rows(db, "SELECT name FROM units ORDER BY name")]
    assert names == ["四川省人民政府", CENTRE, "江苏省人民政府", "洪泽区人民政府", "淮安市人民政府"]
    # A rebuild of the same folder gives the same filing.
    rebuilt = tmp_path / "e.duckdb"
    pipeline.build(folder, rebuilt)
    sql = "SELECT * EXCLUDE (loaded_at) FROM reports ORDER BY report_id"
    assert _rows(rebuilt, sql) == _rows(db, sql)
    assert _rows(rebuilt, "SELECT * FROM units ORDER BY unit_id") == _rows(
        db, "SELECT * FROM units ORDER BY unit_id"
    )


def test_an_add_onto_a_database_from_before_units_files_the_old_reports_too(folder, tmp_path):
    db = tmp_path / "d.duckdb"
    pipeline.build(folder, db)
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE store.reports SET unit_id = NULL")
        con.execute("DELETE FROM store.units")
    pipeline.add(ROOT / "data" / "reports" / "huaian-hongze-district-2023.pdf", folder, db)
    assert _rows(db, "SELECT count(*) FROM reports WHERE unit_id IS NULL") == [(0,)]
    assert _rows(db, "SELECT count(*) FROM reports r JOIN units u USING (unit_id)") == [(2,)]


def test_a_bad_registry_refuses_the_build_naming_the_file_and_leaves_the_database(folder, tmp_path):
    db = tmp_path / "d.duckdb"
    pipeline.build(folder, db)
    before = db.read_bytes()
    (tmp_path / REGISTRY_NAME).write_text('[[unit]]\nname = "甲"\nunit_type = "planet"\n', encoding="utf-8")
    with pytest.raises(ReportError) as err:
        pipeline.build(folder, db)
    assert str(tmp_path / REGISTRY_NAME) in str(err.value) and "planet" in str(err.value)
    assert db.read_bytes() == before
    with pytest.raises(ReportError):
        registry_beside(folder)


def test_the_bundled_registry_is_read_for_the_bundled_folder(tmp_path):
    reports = tmp_path / "data" / "reports"
    shutil.copytree(ROOT / "data" / "reports", reports)
    shutil.copy(ROOT / "data" / REGISTRY_NAME, tmp_path / "data" / REGISTRY_NAME)
    db = tmp_path / "d.duckdb"
    pipeline.build(reports, db)
    assert _rows(db, "SELECT agency, year FROM reports ORDER BY agency, year") == [
        (CENTRE, 2019),
        ("淮安市人民政府", 2024),
        ("淮安市洪泽区人民政府", 2023),
        ("淮安市洪泽区人民政府", 2024),
    ]
    parent = _rows(
        db,
        "SELECT p.name FROM units u JOIN units p ON p.unit_id = u.parent_id WHERE u.name = '淮安市洪泽区人民政府'",
    )
    assert parent == [("淮安市人民政府",)]
