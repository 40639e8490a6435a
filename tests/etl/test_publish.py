"""The open-data release (etl/publish.py) of the bundled reports: valid for Frictionless, every
view as CSV and Parquet with the view's rows, field records from the registry, Excel-ready CSV,
JSON by unit, versions that keep their meaning, and a failed publish that changes nothing."""

from __future__ import annotations

import codecs
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl import cli, datapackage, publish, store
from etl.pipeline import build
from etl.resources import BY_NAME, RESOURCES
from etl.spreadsheets import csv_bytes
from tests.fixtures import ROOT

HOSTILE = '=HYPERLINK("http://evil.example","点击")'  # a text item as a spreadsheet formula
TRADING_TOTAL = 487988  # the centre's 2019 trading notices, as printed
REFUSAL = {"source_file": "坏文件.txt", "reason": "表三第12行只有5个数字，应为7个", "place": "表三第12行"}


def add_rows(db: Path) -> None:
    """One text item that a spreadsheet would run as a formula (the CSV must defuse it), and one
    refused file (a view the bundled reports leave empty; its year unknown: NULL)."""
    con = duckdb.connect(str(db))
    try:
        con.execute(
            "INSERT INTO store.texts SELECT report_id, 'problems', 99, ?, '五、存在的主要问题及改进情况' "
            "FROM store.reports ORDER BY report_id LIMIT 1",
            [HOSTILE],
        )
        refusal = {**REFUSAL, "refused_at": dt.datetime(2026, 12, 3, 10, 0, 0)}
        columns = BY_NAME["refusals"].columns
        con.execute(
            f"INSERT INTO store.refusals ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [refusal.get(c) for c in columns],
        )
    finally:
        con.close()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("publish-db") / "dashboard.duckdb"
    build(ROOT / "data" / "reports", path)
    add_rows(path)
    return path


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory, db: Path) -> Path:
    out = tmp_path_factory.mktemp("release")
    publish.publish(db, out)
    return out


@pytest.fixture(scope="module")
def release(out: Path) -> Path:
    return out / publish.LATEST


def view(db: Path, name: str) -> pd.DataFrame:
    with store.reading(db) as con:
        return con.execute(publish.ordered_select(BY_NAME[name])).df()


def test_the_release_is_a_valid_frictionless_data_package(release):
    from frictionless import validate

    report = validate(release / "datapackage.json")
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])[:10]
    assert len(report.tasks) == len(RESOURCES)  # every view, and nothing else, as a table


def test_every_view_as_csv_and_parquet_with_the_view_s_rows(db, release):
    """Requirement: the Parquet files open in DuckDB and pandas with the views' row counts."""
    descriptor = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    with store.reading(db) as con:
        counts = {r.name: con.execute(f"SELECT count(*) FROM {r.name}").fetchone()[0] for r in RESOURCES}
    assert counts["reports"] == 4 and counts["foi_requests"] > 500 and counts["units"] >= 4
    check = duckdb.connect()
    for resource, entry in zip(RESOURCES, descriptor["resources"], strict=True):
        name = resource.name
        parquet = release / f"{name}.parquet"
        assert entry["rows"] == counts[name], name
        assert check.execute(f"SELECT count(*) FROM read_parquet('{parquet}')").fetchone()[0] == counts[name]
        assert len(pd.read_parquet(parquet)) == counts[name], name
        assert len(pd.read_csv(release / f"{name}.csv", encoding="utf-8-sig")) == counts[name], name
    check.close()


def test_parquet_keeps_types_and_text_exactly_as_the_database(db, release):
    types = (
        duckdb.connect()
        .execute(f"DESCRIBE SELECT * FROM read_parquet('{release / 'reports.parquet'}')")
        .fetchall()
    )
    assert [(c, t) for c, t, *_ in types] == [
        (f.name, f.type) for f in datapackage.view_fields(BY_NAME["reports"])
    ]
    texts = pd.read_parquet(release / "texts.parquet")
    assert HOSTILE in set(texts["text"])  # exact: no prefix outside the CSV
    assert texts.equals(view(db, "texts"))
    figures = pd.read_parquet(release / "figures.parquet")
    total = figures[
        (figures.topic == "trading") & (figures.metric == "notices") & (figures.category == "total")
    ]
    assert total["value"].tolist() == [TRADING_TOTAL]
    assert total["raw_text"].tolist() == ["487988条"]


def test_csv_is_the_downloads_csv(db, release):
    """UTF-8 with a BOM, the view's columns, formula-like text defused: read back, each CSV equals
    what the dashboard's download (etl.spreadsheets.csv_bytes) of the same view reads back as."""
    for resource in RESOURCES:
        raw = (release / f"{resource.name}.csv").read_bytes()
        assert raw.startswith(codecs.BOM_UTF8), resource.name
        header = raw[3:].split(b"\n", 1)[0].decode()
        assert header.split(",") == resource.view_columns
        frame = view(db, resource.name)
        ours = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig")
        theirs = pd.read_csv(io.BytesIO(csv_bytes(frame)), encoding="utf-8-sig")
        pd.testing.assert_frame_equal(ours, theirs, check_dtype=False)
    refusals = pd.read_csv(release / "refusals.csv", encoding="utf-8-sig")
    assert refusals[["source_file", "reason", "place", "refused_at"]].values.tolist() == [
        [*REFUSAL.values(), "2026-12-03 10:00:00"]
    ]
    assert refusals["year"].isna().all()  # NULL stays blank
    texts = pd.read_csv(release / "texts.csv", encoding="utf-8-sig")
    assert "'" + HOSTILE in set(texts["text"])
    assert HOSTILE not in set(texts["text"])


def test_datapackage_fields_are_the_registry_s_records(release):
    descriptor = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in descriptor["resources"]] == [r.name for r in RESOURCES]
    for resource, entry in zip(RESOURCES, descriptor["resources"], strict=True):
        assert entry["title"] == resource.label
        fields = entry["schema"]["fields"]
        assert [f["name"] for f in fields] == resource.view_columns
        for field, record in zip(fields, datapackage.view_fields(resource), strict=True):
            assert (field["title"], field["description"]) == (record.header, record.description)
            assert field["type"] == datapackage.TYPES[record.type]
    reports = descriptor["resources"][0]["schema"]
    assert reports["primaryKey"] == ["report_id"]
    year = next(f for f in reports["fields"] if f["name"] == "year")
    assert (year["title"], year["type"], year["constraints"]) == ("年度", "integer", {"required": True})
    loaded = next(f for f in reports["fields"] if f["name"] == "loaded_at")
    assert loaded["format"] == "%Y-%m-%d %H:%M:%S"
    value = next(f for f in descriptor["resources"][3]["schema"]["fields"] if f["name"] == "value")
    assert "constraints" not in value  # a blank cell is NULL: never required
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["sources"] and descriptor["created"].endswith("Z")
    assert descriptor["version"] == release.resolve().name


def test_one_json_file_per_unit_with_its_years_and_reports(db, release):
    index = json.loads((release / publish.UNITS_INDEX).read_text(encoding="utf-8"))
    with store.reading(db) as con:
        units = dict(con.execute("SELECT unit_id, name FROM units").fetchall())
        centre = con.execute(
            "SELECT unit_id FROM reports WHERE report_id = 'sichuan-center-2019'"
        ).fetchone()[0]
        hongze = con.execute("SELECT unit_id FROM reports WHERE report_id LIKE 'huaian-hongze%'").fetchone()[
            0
        ]
    assert {u["unit_id"]: u["name"] for u in index} == units
    assert sorted(p.name for p in (release / "units").iterdir()) == sorted(
        ["index.json", *(f"{u}.json" for u in units)]
    )
    doc = json.loads((release / "units" / f"{centre}.json").read_text(encoding="utf-8"))
    assert doc["unit"]["name"] == "四川省政务服务和公共资源交易服务中心"
    assert doc["years"] == [2019]
    [report] = doc["reports"]
    assert report["report_id"] == "sichuan-center-2019"
    total = [
        f
        for f in report["figures"]
        if (f["topic"], f["metric"], f["category"]) == ("trading", "notices", "total")
    ]
    assert [f["value"] for f in total] == [TRADING_TOTAL]
    doc = json.loads((release / "units" / f"{hongze}.json").read_text(encoding="utf-8"))
    assert doc["years"] == [2023, 2024]
    rate = next(i for i in doc["reports"][1]["indicators"] if i["indicator"] == "disclosed_rate")
    assert (rate["numerator"], rate["denominator"]) == (50, 95)  # 淮安市洪泽区 2024, table 三
    assert rate["value"] == 50 / 95 * 100
    parents = {u["unit_id"] for u in index if not u["years"]}
    assert parents  # ancestors without reports have a file too, with no years
    assert all(json.loads((release / "units" / f"{u}.json").read_text())["reports"] == [] for u in parents)


def test_index_page_lists_every_file_with_its_size_and_rows(release):
    page = (release / "index.html").read_text(encoding="utf-8")
    descriptor = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    for entry in descriptor["resources"]:
        assert f'href="{entry["name"]}.csv"' in page and f'href="{entry["name"]}.parquet"' in page
        assert f'title="{entry["bytes"]:,} 字节"' in page
        assert f'title="{entry["parquet"]["bytes"]:,} 字节"' in page
        assert f'<td class="n">{entry["rows"]:,}</td>' in page
    assert 'href="datapackage.json"' in page and 'href="units/index.json"' in page
    root = (release.parent / "index.html").read_text(encoding="utf-8")
    assert f'href="{descriptor["version"]}/"' in root and 'href="latest/"' in root


def test_the_same_content_again_is_the_same_version(db, tmp_path):
    first = publish.publish(db, tmp_path)
    stamp = (first.folder / "datapackage.json").stat().st_mtime_ns
    again = publish.publish(db, tmp_path)
    assert again.reused and again.version == first.version
    assert (first.folder / "datapackage.json").stat().st_mtime_ns == stamp  # not rewritten
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_new_content_is_a_new_version_and_the_old_one_keeps_its_meaning(db, tmp_path):
    first = publish.publish(db, tmp_path)
    before = {p.name: p.read_bytes() for p in first.folder.iterdir() if p.is_file()}
    one = tmp_path / "one.duckdb"
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(ROOT / "data" / "reports" / "sichuan-center-2019.txt", reports)
    build(reports, one)
    second = publish.publish(one, tmp_path)
    assert second.version != first.version and not second.reused
    assert (tmp_path / publish.LATEST).resolve() == second.folder
    assert {p.name: p.read_bytes() for p in first.folder.iterdir() if p.is_file()} == before
    assert second.written["reports"].rows == 1
    assert [p.name for p in publish.versions(tmp_path)] == sorted([first.version, second.version])


@pytest.mark.parametrize("broken", ["missing", "not a database"])
def test_a_failed_publish_changes_nothing(db, tmp_path, broken, capsys):
    first = publish.publish(db, tmp_path)
    listing = sorted(p.name for p in tmp_path.iterdir())
    bad = tmp_path.parent / f"bad-{broken.replace(' ', '-')}.duckdb"
    if broken != "missing":
        bad.write_bytes(b"this is not a DuckDB file\n" * 100)
    code = cli.main(["publish", "--db", str(bad), "--out", str(tmp_path)])
    assert code == 1
    assert "发布失败" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == listing  # no staging folder left
    assert (tmp_path / publish.LATEST).resolve() == first.folder


def test_the_command_says_what_it_published(db, tmp_path, capsys):
    assert cli.main(["publish", "--db", str(db), "--out", str(tmp_path)]) == 0
    said = capsys.readouterr().out
    version = (tmp_path / publish.LATEST).resolve().name
    assert said.startswith(f"已发布 {tmp_path / version}（10个视图共")
    assert cli.main(["publish", "--db", str(db), "--out", str(tmp_path)]) == 0
    assert capsys.readouterr().out.startswith("内容与已发布的版本相同，沿用")


def test_a_unit_id_that_cannot_be_a_file_name_is_refused():
    assert publish.unit_file("u0123456789ab") == "u0123456789ab.json"
    for bad in ("../x", "a/b", ".hidden", "", "a\nb"):
        with pytest.raises(ValueError, match="不能用作文件名"):
            publish.unit_file(bad)


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+86", "-15", "@SUM(A1)", "\tx", "\rx", "'=x", "", None, "a=b", "－1", " -1", "—", "1-2", "＝1"],
)
def test_the_sql_rule_defuses_exactly_what_the_downloads_rule_does(text):
    from etl.spreadsheets import defuse_formula, defuse_sql

    con = duckdb.connect()
    [(got,)] = con.execute(f"SELECT {defuse_sql('v')} FROM (SELECT ?::VARCHAR AS v)", [text]).fetchall()
    assert got == defuse_formula(text)
