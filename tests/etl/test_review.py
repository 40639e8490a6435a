"""The supervising office's review: every unit under a parent, loaded / refused / missing, from the
CLI and as a workbook, on the bundled reports (淮安市 → 洪泽区)."""

from __future__ import annotations

import io
import shutil
import zipfile

import duckdb
import openpyxl
import pandas as pd
import pytest

from etl import cli, pipeline, review, store
from etl.indicators import INDICATORS
from etl.units import unit_id_for
from tests.fixtures import ROOT

CITY, HONGZE = "淮安市人民政府", "淮安市洪泽区人民政府"
EXPECTED_MISSING = ["淮安市清江浦区人民政府", "淮安市盱眙县人民政府", "淮安市金湖县人民政府"]


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    root = tmp_path_factory.mktemp("review")
    shutil.copytree(ROOT / "data" / "reports", root / "data" / "reports")
    shutil.copy(ROOT / "data" / "units.toml", root / "data" / "units.toml")
    db = root / "d.duckdb"
    pipeline.build(root / "data" / "reports", db)
    return db


def test_the_city_s_review_lists_its_district_loaded_and_the_expected_ones_missing(bundled):
    with duckdb.connect(str(bundled), read_only=True) as con:
        frames = review.review(con, unit_id_for(CITY), 2024)
    loaded = frames[review.LOADED]
    assert list(loaded["单位"]) == [HONGZE]
    row = loaded.iloc[0]
    assert (row["报告编号"], row["上级单位"], row["层级（1为直属）"]) == (
        "huaian-hongze-district-2024",
        CITY,
        1,
    )
    assert row["予以公开率（%）"] == pytest.approx(50 / 95 * 100)
    assert row["复议纠正率（%）"] == pytest.approx(50.0)
    assert row["不通过的勾稽关系检查（项）"] == 0
    assert list(frames[review.MISSING]["单位"]) == EXPECTED_MISSING
    assert frames[review.REFUSED].empty
    # The city itself and units elsewhere (the Sichuan centre) are not under it.
    assert CITY not in set(loaded["单位"]) and "四川省政务服务和公共资源交易服务中心" not in set(
        loaded["单位"]
    )


def test_2023_the_district_is_loaded_with_its_own_contradictions(bundled):
    with duckdb.connect(str(bundled), read_only=True) as con:
        frames = review.review(con, unit_id_for(CITY), 2023)
    row = frames[review.LOADED].iloc[0]
    assert row["单位"] == HONGZE and row["不通过的勾稽关系检查（项）"] == 2
    assert "t4." in row["不通过的检查及依据"] or "表四" in row["不通过的检查及依据"]
    assert row["复议纠正率（%）"] != row["复议纠正率（%）"]  # NaN: 总计 0, no rate


def test_a_refused_file_is_listed_under_its_unit_not_as_missing(bundled, tmp_path):
    db = tmp_path / "r.duckdb"
    shutil.copy(bundled, db)
    with duckdb.connect(str(db)) as con:
        con.execute(
            "INSERT INTO store.refusals (source_file, reason, place, refused_at, agency, year, unit_id) "
            "VALUES ('jinhu-2024.pdf', '表三第12行只有5个数字，应为7个', '表三 第12行', now(), ?, 2024, ?)",
            ["淮安市金湖县人民政府", unit_id_for("淮安市金湖县人民政府")],
        )
        frames = review.review(con, unit_id_for(CITY), 2024)
    refused = frames[review.REFUSED]
    assert list(refused["单位"]) == ["淮安市金湖县人民政府"]
    assert list(refused["未能载入的原因"]) == ["表三 第12行：表三第12行只有5个数字，应为7个"]
    assert "淮安市金湖县人民政府" not in set(frames[review.MISSING]["单位"])


def test_the_cli_writes_one_sheet_per_status_and_notes(bundled, tmp_path, capsys):
    out = tmp_path / "review.xlsx"
    assert (
        cli.main(["review", "--parent", "淮安市", "--year", "2024", "--db", str(bundled), "--out", str(out)])
        == 0
    )
    printed = capsys.readouterr().out
    assert f"{CITY} 2024年" in printed and HONGZE in printed
    book = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    assert book.sheetnames == [review.LOADED, review.REFUSED, review.MISSING, "说明"]
    sheet = book[review.LOADED]
    headers = [c.value for c in sheet[1]]
    assert headers[0] == "单位" and all(f"{i.name}（%）" in headers for i in INDICATORS)
    assert sheet.cell(2, 1).value == HONGZE
    assert [r[0].value for r in book[review.MISSING].iter_rows(min_row=2)] == EXPECTED_MISSING


@pytest.mark.parametrize(
    ("parent", "message"),
    [("南京市人民政府", "单位名录中没有“南京市人民政府”"), ("", "单位名录中没有")],
)
def test_an_unknown_parent_is_refused_with_close_names(bundled, tmp_path, capsys, parent, message):
    out = tmp_path / "x.xlsx"
    assert (
        cli.main(["review", "--parent", parent, "--year", "2024", "--db", str(bundled), "--out", str(out)])
        == 1
    )
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_a_build_files_a_refused_report_under_its_unit_for_the_review(tmp_path):
    """A truncated report of 金湖县: the build loads the others, exits 2, and the review lists
    金湖县 as refused (with the reason and place), not as missing."""
    from tests.fixtures import seed_text

    root = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "reports", root / "reports")
    shutil.copy(ROOT / "data" / "units.toml", root / "units.toml")
    text = seed_text().replace("2019年四川省政务服务和资源交易服务中心", "2024年金湖县人民政府", 1)
    cut = text.index("（七）总计")
    (root / "reports" / "jinhu-2024.txt").write_text(text[:cut], encoding="utf-8")
    db = tmp_path / "d.duckdb"
    assert cli.main(["build", "--reports", str(root / "reports"), "--db", str(db)]) == 2
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT DISTINCT agency, year, unit_id FROM refusals WHERE source_file = 'jinhu-2024.txt'"
        ).fetchall()
        assert rows == [("淮安市金湖县人民政府", 2024, unit_id_for("淮安市金湖县人民政府"))]
        frames = review.review(con, unit_id_for(CITY), 2024)
        assert con.execute("SELECT count(*) FROM reports").fetchone() == (4,)
    refused = frames[review.REFUSED]
    assert list(refused["单位"]) == ["淮安市金湖县人民政府"]  # one row per file, its problems joined
    assert (
        "表三：缺少2行（表格不完整，可能被截断），第一个缺少的是“（七）总计”" in refused["未能载入的原因"][0]
    )
    assert "淮安市金湖县人民政府" not in set(frames[review.MISSING]["单位"])


# --- The stored check summary gives the frames the aggregation of checks gave ---------------------

# How the review aggregated `checks` on every run before the build stored the result in
# store.check_summary (the code replaced, kept here as the oracle).
_FAILED_BEFORE = """), failed AS (
    SELECT report_id,
        count(*) FILTER (severity <> 'warning') AS failed,
        count(*) FILTER (severity = 'warning') AS warnings,
        string_agg(description || '（应为 ' || coalesce(CAST(expected AS VARCHAR), '空白')
                   || '，实际 ' || coalesce(CAST(actual AS VARCHAR), '空白') || '；' || coalesce(evidence, '') || '）',
                   '\n' ORDER BY check_id) AS failed_checks
    FROM checks WHERE year = $year AND passed = false AND report_id IN (SELECT report_id FROM rep)
    GROUP BY report_id
), ind AS ("""


def _loaded_sql_before() -> str:
    sql = review._LOADED_SQL
    start, end = sql.index("), failed AS ("), sql.index("), ind AS (") + len("), ind AS (")
    return sql[:start] + _FAILED_BEFORE + sql[end:]


def _sheets(book: bytes) -> dict[str, bytes]:
    """The workbook's parts but the 说明 sheet (it holds the time it was written)."""
    with zipfile.ZipFile(io.BytesIO(book)) as z:
        last = max(n for n in z.namelist() if n.startswith("xl/worksheets/"))
        return {n: z.read(n) for n in z.namelist() if n != last}


def test_every_review_of_the_bundled_data_is_the_same_as_before_the_summary(bundled, monkeypatch):
    """Every parent with units under it, every year: the same frames (values, dtypes, order) and
    the same sheets, byte for byte, as the review that aggregated `checks` itself."""
    with duckdb.connect(str(bundled), read_only=True) as con:
        parents = con.execute(
            "SELECT DISTINCT p.unit_id, p.name FROM units u JOIN units p ON p.unit_id = u.parent_id ORDER BY 1"
        ).fetchall()
        years = [y for (y,) in con.execute("SELECT DISTINCT year FROM reports ORDER BY 1").fetchall()]
        compared = with_failed = 0
        for unit_id, name in parents:
            for year in years:
                after = review.review(con, unit_id, year)
                with monkeypatch.context() as m:
                    m.setattr(review, "_LOADED_SQL", _loaded_sql_before())
                    before = review.review(con, unit_id, year)
                for status in review.STATUSES:
                    pd.testing.assert_frame_equal(after[status], before[status], check_exact=True)
                assert _sheets(review.review_xlsx(after, name, year)) == _sheets(
                    review.review_xlsx(before, name, year)
                )
                compared += len(after[review.LOADED])
                with_failed += int(after[review.LOADED]["不通过的检查及依据"].notna().sum())
    assert compared >= 3 and with_failed >= 1  # loaded rows were compared, some with failed checks


def test_a_database_built_before_the_summary_is_reviewed_the_same(bundled, tmp_path):
    """No store.check_summary (built before it existed, read-only until its next write): the
    review aggregates the checks itself and gives the same frames."""
    old = tmp_path / "old.duckdb"
    shutil.copy(bundled, old)
    with duckdb.connect(str(old)) as con:
        con.execute("DROP TABLE store.check_summary")
    with duckdb.connect(str(bundled), read_only=True) as new, duckdb.connect(str(old), read_only=True) as con:
        assert store.has_check_summary(new) and not store.has_check_summary(con)
        for year in (2023, 2024):
            after, before = (
                review.review(new, unit_id_for(CITY), year),
                review.review(con, unit_id_for(CITY), year),
            )
            for status in review.STATUSES:
                pd.testing.assert_frame_equal(after[status], before[status], check_exact=True)
        assert before[review.LOADED]["口径提示（项）"].tolist() == [1]  # 2024: the district's scope warning
