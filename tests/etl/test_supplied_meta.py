"""Agency and year supplied by an official (issue 8, part 2): ``etl check/add --agency/--year``,
the sidecar that keeps them for ``etl build``, its staging and recovery, the new ``reports``
columns, and the import page's inputs (AppTest)."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from etl import cli, pipeline
from etl.model import Report, ReportError, UnmatchedSentence, Unplaced
from tests import apptest
from tests.fixtures import (
    SEED_AGENCY,
    SEED_NAME,
    SEED_TITLE,
    SEED_UNIT,
    query,
    report_2020,
    seed_bytes,
    seed_text,
    write,
)
from tests.render import seed_content, seed_html

BODY = "本年度报告根据《中华人民共和国政府信息公开条例》和上级有关要求编制。"
NO_TITLE = seed_text().replace(SEED_TITLE, BODY, 1)  # no title at all: the body sentence first
NO_AGENCY = seed_text().replace(SEED_TITLE, "2020年政府信息公开工作年度报告", 1)
PASSWORD = "another horse battery staple"


@pytest.fixture
def site(tmp_path):
    """The seed built into a database; (reports folder, db path)."""
    reports = tmp_path / "reports"
    write(reports, SEED_NAME, seed_bytes())
    db = tmp_path / "db" / "dashboard.duckdb"
    pipeline.build(reports, db)
    return reports, db


def reports_rows(db) -> list[tuple]:
    rows = query(db, "SELECT agency, year, agency_source, year_source, title FROM reports ORDER BY year")
    return [(r["agency"], r["year"], r["agency_source"], r["year_source"], r["title"]) for r in rows]


# --- etl check ---------------------------------------------------------------------------------


CHECKS = [
    # (file text, arguments, exit code, lines the output must have)
    (
        NO_TITLE,
        ["--agency", "某市数据局", "--year", "2020"],
        0,
        [
            "x.txt：某市数据局 2020年（表格格式：2019年版）",
            "机关名称：某市数据局（人工指定，非从标题读取）",
            "年度：2020（人工指定，非从标题读取）",
        ],
    ),
    (
        NO_AGENCY,
        ["--agency", "  某市数据局 "],
        0,
        ["x.txt：某市数据局 2020年（表格格式：2019年版）", "机关名称：某市数据局（人工指定，非从标题读取）"],
    ),
    (
        seed_text(),  # the title has both: the supplied year overrides it
        ["--year", "2018"],
        0,
        # filed under the unit's official name (data/units.toml beside data/reports/)
        [f"x.txt：{SEED_UNIT} 2018年（表格格式：2019年版）", "年度：2018（人工指定，非从标题读取）"],
    ),
]


@pytest.mark.parametrize(("text", "args", "code", "lines"), CHECKS)
def test_cli_check_with_supplied_agency_and_year(text, args, code, lines, tmp_path, capsys):
    path = write(tmp_path, "x.txt", text)
    assert cli.main(["check", str(path), *args]) == code
    out = capsys.readouterr().out.splitlines()
    assert out[: len(lines)] == lines
    assert ("机关名称：" in "".join(out)) == ("--agency" in args)


def test_cli_check_without_them_refuses_and_says_how(tmp_path, capsys):
    path = write(tmp_path, "x.txt", NO_AGENCY)
    assert cli.main(["check", str(path)]) == 1
    err = capsys.readouterr().err
    assert "x.txt：标题（第1行）：标题“2020年政府信息公开工作年度报告”中没有机关名称" in err
    assert "提示：可加 --agency 机关名称 和/或 --year 年份 人工指定" in err
    assert cli.main(["check", str(path), "--agency", ""]) == 1
    assert "x.txt：标题（第1行）：人工指定的机关名称为空" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["check", str(path), "--agency", "某局", "--year", "二〇二〇"])
    assert "年度应为四位数字（如 2024），而不是“二〇二〇”" in capsys.readouterr().err


# --- etl add, then build -------------------------------------------------------------------------


def test_cli_add_keeps_the_supplied_values_for_build(site, tmp_path, capsys):
    reports, db = site
    incoming = write(tmp_path / "in", "data-office-2020.txt", NO_TITLE)
    argv = ["add", str(incoming), "--reports", str(reports), "--db", str(db)]
    assert cli.main([*argv, "--agency", "某市数据局", "--year", "2020"]) == 0
    out = capsys.readouterr().out
    assert "机关名称：某市数据局（人工指定，非从标题读取）\n年度：2020（人工指定，非从标题读取）" in out
    sidecar = reports / "data-office-2020.meta.json"
    meta = json.loads(sidecar.read_text(encoding="utf-8"))
    assert (meta["agency"], meta["year"]) == ("某市数据局", 2020)
    assert sorted(p.name for p in reports.iterdir()) == sorted(
        ["data-office-2020.meta.json", "data-office-2020.txt", SEED_NAME]
    )
    expected = [
        (SEED_AGENCY, 2019, "title", "title", SEED_TITLE),
        ("某市数据局", 2020, "supplied", "supplied", ""),
    ]
    assert reports_rows(db) == expected
    # The folder rebuilt from scratch reads the report the same way.
    db.unlink()
    pipeline.build(reports, db)
    assert reports_rows(db) == expected


def test_add_replace_without_values_removes_the_sidecar(site, tmp_path):
    reports, db = site
    name = "centre-2020.txt"
    pipeline.add(write(tmp_path / "a", name, NO_AGENCY), reports, db, agency=SEED_AGENCY)
    assert (reports / "centre-2020.meta.json").exists()
    assert reports_rows(db)[1][:4] == (SEED_AGENCY, 2020, "supplied", "title")
    # The same file name again, its title read as printed: the old sidecar must not outlive it.
    pipeline.add(write(tmp_path / "b", name, report_2020()), reports, db, replace=True)
    assert sorted(p.name for p in reports.iterdir()) == [name, SEED_NAME]
    pipeline.build(reports, db)
    assert reports_rows(db)[1][:4] == (SEED_AGENCY, 2020, "title", "title")


def test_replace_under_another_name_removes_the_old_sidecar(site, tmp_path):
    reports, db = site
    pipeline.add(write(tmp_path / "a", "old-2020.txt", NO_AGENCY), reports, db, agency=SEED_AGENCY)
    assert (reports / "old-2020.meta.json").exists()
    pipeline.add(write(tmp_path / "b", "new-2020.txt", report_2020()), reports, db, replace=True)
    assert sorted(p.name for p in reports.iterdir()) == ["new-2020.txt", SEED_NAME]


def test_already_loaded_carries_what_the_page_needs(site, tmp_path):
    reports, db = site
    again = write(tmp_path, "again.txt", seed_text())
    with pytest.raises(pipeline.AlreadyLoaded) as info:
        pipeline.add(again, reports, db)
    exc = info.value
    assert (exc.agency, exc.year, exc.loaded_file) == (SEED_AGENCY, 2019, SEED_NAME)
    assert isinstance(exc, ReportError) and "--replace" in str(exc)  # the command line's words


# --- Recovery of an add killed around its sidecar ------------------------------------------------


def _staged(reports, name: str, meta: dict) -> None:
    (reports / f".{name}.meta-staged").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def test_recovery_puts_a_staged_sidecar_in_place_when_the_add_took_place(site, tmp_path):
    reports, db = site
    pipeline.add(write(tmp_path / "a", "x-2020.txt", NO_TITLE), reports, db, agency="某市数据局", year=2020)
    sidecar = reports / "x-2020.meta.json"
    meta = json.loads(sidecar.read_text(encoding="utf-8"))
    sidecar.unlink()  # killed after the database swap, before the sidecar was put in place
    _staged(reports, "x-2020.txt", meta)
    pipeline.recover_add(reports, db)
    assert json.loads(sidecar.read_text(encoding="utf-8")) == meta
    assert not list(reports.glob(".*"))


def test_recovery_drops_a_staged_sidecar_of_an_add_that_did_not_take_place(site, tmp_path):
    reports, db = site
    pipeline.add(write(tmp_path / "a", "x-2020.txt", NO_TITLE), reports, db, agency="某市数据局", year=2020)
    sidecar = reports / "x-2020.meta.json"
    before = sidecar.read_text(encoding="utf-8")
    meta = json.loads(before)
    # The same file added again with another year, killed before the database swap.
    _staged(reports, "x-2020.txt", {**meta, "year": 2021})
    (reports / ".y-2020.txt.meta-staged").write_text("{", encoding="utf-8")  # killed mid-write
    pipeline.recover_add(reports, db)
    assert sidecar.read_text(encoding="utf-8") == before
    assert not list(reports.glob(".*"))


def test_add_onto_a_database_from_before_the_new_columns(site, tmp_path):
    reports, db = site
    con = duckdb.connect(str(db))
    con.execute("ALTER TABLE store.reports DROP COLUMN agency_source")
    con.execute("ALTER TABLE store.reports DROP COLUMN year_source")
    con.close()
    pipeline.add(write(tmp_path / "a", "x-2020.txt", NO_AGENCY), reports, db, agency="某市数据局")
    rows = reports_rows(db)
    assert [r[:4] for r in rows] == [
        (SEED_AGENCY, 2019, "title", "title"),
        ("某市数据局", 2020, "supplied", "title"),
    ]


# --- The import page (AppTest) ---------------------------------------------------------------------


@pytest.fixture
def page_site(site, monkeypatch):
    reports, db = site
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.setenv("DASHBOARD_REPORTS", str(reports))
    monkeypatch.setenv("DASHBOARD_ADMIN_PASSWORD", PASSWORD)
    return reports, db


def _logged_in():
    at = apptest.start("pages/page_import.py")
    at.text_input[0].input(PASSWORD)
    at.button[0].click().run()
    return at


def _input(at, label: str):
    return next(t for t in at.text_input if t.label == label)


def _texts(at) -> str:
    parts = [e.value for e in (*at.error, *at.success, *at.info, *at.warning, *at.markdown, *at.caption)]
    return "\n".join(str(p) for p in parts)


def test_import_page_with_supplied_agency_and_year(page_site):
    reports, db = page_site
    at = _logged_in()
    at.get("file_uploader")[0].upload("data-office.txt", NO_TITLE.encode(), "text/plain").run()
    assert not at.exception
    assert any("不能载入" in e.value for e in at.error)
    assert any("不是政府信息公开工作年度报告" in m.value for m in at.markdown)
    assert at.expander[0].proto.expanded, "the inputs are opened when the title gives nothing"
    assert "--agency" not in _texts(at) and "--replace" not in _texts(at)
    _input(at, "机关名称").input("某市数据局").run()
    _input(at, "年度").input("2020").run()
    assert not at.exception
    (success,) = [s.value for s in at.success]
    assert success.startswith("读到：某市数据局（人工指定） 2020年（人工指定）报告")
    next(b for b in at.button if b.label == "确认载入").click().run()
    assert any(s.value.startswith("已载入 某市数据局（人工指定） 2020年（人工指定）报告") for s in at.success)
    assert reports_rows(db)[1] == ("某市数据局", 2020, "supplied", "supplied", "")
    meta = json.loads((reports / "data-office.meta.json").read_text(encoding="utf-8"))
    assert (meta["agency"], meta["year"]) == ("某市数据局", 2020)


def test_import_page_refuses_a_bad_year(page_site):
    at = _logged_in()
    at.get("file_uploader")[0].upload("data-office.txt", NO_AGENCY.encode(), "text/plain").run()
    _input(at, "年度").input("20二0").run()
    assert [e.value for e in at.error] == ["年度应为四位数字（如 2024），而不是“20二0”"]
    assert not [b for b in at.button if b.label == "确认载入"]


def test_import_page_matches_the_agency_as_etl_add_does(page_site, tmp_path):
    reports, db = page_site
    full, short = "淮安市洪泽区人民政府", "洪泽区人民政府"
    pipeline.add(write(tmp_path, "hz-2020.txt", report_2020(agency=full)), reports, db)
    at = _logged_in()
    at.get("file_uploader")[0].upload(
        "hz-2020-v2.txt", report_2020(agency=short).encode(), "text/plain"
    ).run()
    assert not at.exception
    (success,) = [s.value for s in at.success]
    assert success.startswith(f"读到：{full}（标题作“{short}”） 2020年报告")
    confirm = next(b for b in at.button if b.label == "确认载入")
    assert confirm.disabled, "replacing the loaded 2020 report needs the confirmation"
    next(c for c in at.checkbox if c.key.startswith("confirm_replace")).check().run()
    next(b for b in at.button if b.label == "确认载入").click().run()
    assert any(s.value.startswith(f"已载入 {full} 2020年报告") for s in at.success)
    assert sorted(p.name for p in reports.iterdir()) == ["hz-2020-v2.txt", SEED_NAME]


def test_import_page_words_a_late_clash_its_own_way(page_site, tmp_path, monkeypatch):
    reports, db = page_site
    at = _logged_in()
    at.get("file_uploader")[0].upload("c-2020.txt", report_2020().encode(), "text/plain").run()
    assert not at.checkbox, "nothing of 2020 is loaded yet"
    # Someone else loads 2020 before the confirmation: the next run asks to confirm the replace.
    pipeline.add(write(tmp_path, "other-2020.txt", report_2020()), reports, db)
    at.run()
    assert [c.label for c in at.checkbox] == ["确认替换已载入的同一年度报告（other-2020.txt）"]
    # Between the last preview and the load itself: add() refuses, the page says it in its words.
    from dashboard import admin

    def clash(path, *args, **kwargs):
        raise pipeline.AlreadyLoaded(path.name, SEED_AGENCY, 2020, "third-2020.txt")

    monkeypatch.setattr(admin, "add", clash)
    next(c for c in at.checkbox if c.key.startswith("confirm_replace")).check().run()
    next(b for b in at.button if b.label == "确认载入").click().run()
    assert [e.value for e in at.error] == [
        f"{SEED_AGENCY} 2020年的报告刚刚已由他人载入（third\\-2020\\.txt），数据库没有任何改动。请重新上传，并勾选确认替换。"
    ], "the file name escaped as report text"
    assert "--replace" not in _texts(at)


def test_import_page_lists_coverage(page_site):
    at = _logged_in()
    at.get("file_uploader")[0].upload("c-2020.txt", report_2020().encode(), "text/plain").run()
    labels = [e.label for e in at.expander]
    assert any(
        label.startswith("未能归位的表格单元格（") and "含数字但未识别的句子（" in label for label in labels
    )


def test_recovery_without_a_reports_folder_creates_nothing(site):
    reports, db = site
    shutil.rmtree(reports)
    pipeline.recover_add(reports, db)
    assert not reports.exists()


def test_cli_check_lists_unplaced_cells_and_unmatched_sentences(capsys):
    report = Report("某局", 2020, "", "2019", "x.html", "")
    report.unplaced_cells = [Unplaced("二", 14, "行政许可", "本年增/减", "12项", "单元格不是数字")]
    report.unmatched_sentences = [UnmatchedSentence("一", 5, "全年办理网上申请356件。")]
    cli.print_coverage(report)
    assert capsys.readouterr().out.splitlines() == [
        "",
        "未能归位的表格单元格（1个，不会入库）：",
        "  表二 第14段 行“行政许可” 列“本年增/减”：“12项”（单元格不是数字）",
        "",
        "含数字但未识别的句子（1句，请核对是否漏读）：",
        "  第5段：全年办理网上申请356件。",
    ]


def test_replace_by_a_file_of_the_same_stem_keeps_the_new_sidecar(site, tmp_path):
    reports, db = site
    pipeline.add(write(tmp_path / "a", "x.txt", NO_AGENCY), reports, db, agency=SEED_AGENCY)
    page = seed_html(seed_content(NO_AGENCY))  # the same report as a web page: x.html replaces x.txt
    pipeline.add(
        write(tmp_path / "b", "x.html", page), reports, db, replace=True, agency=SEED_AGENCY, year=2020
    )
    assert sorted(p.name for p in reports.iterdir()) == [SEED_NAME, "x.html", "x.meta.json"]
    meta = json.loads((reports / "x.meta.json").read_text(encoding="utf-8"))
    assert (meta["agency"], meta["year"]) == (SEED_AGENCY, 2020)
    pipeline.build(reports, db)
    assert reports_rows(db)[1][:4] == (SEED_AGENCY, 2020, "supplied", "supplied")
