"""Input the ETL meets in practice: odd encodings and numerals that must load to the
same figures as the seed, and bad files that must be refused with a clear message
naming the file, leaving an existing database byte for byte as it was."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl import cli, pipeline
from etl.model import ReportError
from etl.parse import parse_report
from etl.readers import read_bytes, read_file
from tests.fixtures import (
    ROOT,
    SEED_NAME,
    bad_reports,
    folder_state,
    query,
    replace_once,
    report_2020,
    seed_bytes,
    seed_text,
    set_t3_row,
    sha256,
    write,
)

FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _gbk() -> bytes:
    # GBK has no no-break space: a GBK-saved report has a full-width space (A1A1) instead.
    return seed_text().replace("\xa0", "\u3000").encode("gbk")


def _thousands() -> str:
    text = seed_text()
    for number, written in (
        ("487988", "487,988"),
        ("119172", "119,172"),
        ("272064", "272,064"),
        ("2744958", "2,744,958"),
        ("432442", "432,442"),
        ("19267", "19,267"),
        ("38925359", "38,925,359"),
    ):
        assert text.count(number) == 1, number
        text = text.replace(number, written)
    return text


# name → (bytes of the file, a number as the file writes it, which must be in the evidence)
VARIANTS: dict[str, tuple[bytes, str | None]] = {
    "gbk": (_gbk(), None),
    "gb18030": (seed_text().encode("gb18030"), None),
    "utf8-bom": (b"\xef\xbb\xbf" + seed_bytes(), None),
    "crlf": (seed_text().replace("\n", "\r\n").encode("utf-8"), None),
    "gbk-crlf": (_gbk().replace(b"\n", b"\r\n"), None),
    "bom-crlf": (b"\xef\xbb\xbf" + seed_text().replace("\n", "\r\n").encode("utf-8"), None),
    "fullwidth-one": (seed_text().replace("272064", "２７２０６４").encode("utf-8"), "２７２０６４条"),
    "fullwidth-all": (seed_text().translate(FULLWIDTH).encode("utf-8"), "４８７９８８条"),
    "fullwidth-percent": (seed_text().replace("91.75%", "91.75％").encode("utf-8"), "91.75％"),
    "fullwidth-rate": (seed_text().replace("91.75%", "９１．７５％").encode("utf-8"), "９１．７５％"),
    "thousands": (_thousands().encode("utf-8"), "119,172条"),
}

FIGURES_SQL = "SELECT topic, metric, category, value, unit, approx FROM figures ORDER BY ALL"
CELLS_SQL = {
    "active_disclosure": "SELECT item, content, measure, value FROM active_disclosure ORDER BY ALL",
    "foi_requests": "SELECT row_code, row_label, applicant, value FROM foi_requests ORDER BY ALL",
    "review_litigation": "SELECT proceeding, outcome, value FROM review_litigation ORDER BY ALL",
    "checks": "SELECT check_id, expected, actual, passed FROM checks ORDER BY ALL",
    "reports": "SELECT report_id, agency, year, template FROM reports",
}


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory):
    base = tmp_path_factory.mktemp("seed")
    write(base / "reports", SEED_NAME, seed_bytes())
    pipeline.build(base / "reports", base / "db.duckdb")
    return base / "db.duckdb"


@pytest.fixture
def good_db(tmp_path):
    """A database built from the seed, and its reports folder."""
    reports = tmp_path / "reports"
    write(reports, SEED_NAME, seed_bytes())
    db = tmp_path / "db" / "dashboard.duckdb"
    pipeline.build(reports, db)
    return reports, db


# --- Odd input, same figures ---------------------------------------------------------


def test_variants_really_differ_from_the_seed():
    for name, (data, _) in VARIANTS.items():
        assert data != seed_bytes(), name
    assert VARIANTS["gbk"][0].decode("gbk").count("\u3000") == seed_text().count("\xa0")
    with pytest.raises(UnicodeDecodeError):
        VARIANTS["gbk"][0].decode("utf-8")


@pytest.mark.parametrize("name", list(VARIANTS))
def test_odd_input_loads_to_the_same_data(tmp_path, seed_db, name):
    data, written = VARIANTS[name]
    path = write(tmp_path / "reports", SEED_NAME, data)
    db = tmp_path / "db.duckdb"
    pipeline.build(tmp_path / "reports", db)
    assert query(db, FIGURES_SQL) == query(seed_db, FIGURES_SQL)
    assert len(query(db, FIGURES_SQL)) == 21
    for view, sql in CELLS_SQL.items():
        assert query(db, sql) == query(seed_db, sql), view
    (report,) = query(db, "SELECT source_sha256 FROM reports")
    assert report["source_sha256"] == sha256(path)
    # Evidence is cut from the file's own text: it is literally there.
    text = read_file(path).text
    for row in query(db, "SELECT evidence, raw_text FROM figures"):
        assert row["evidence"] in text
        assert row["raw_text"] in row["evidence"]
    if written:
        evidences = [r["evidence"] for r in query(db, "SELECT evidence FROM figures")]
        assert any(written in e for e in evidences)


def test_fullwidth_digits_keep_the_original_in_evidence(tmp_path):
    path = write(tmp_path, SEED_NAME, VARIANTS["fullwidth-one"][0])
    report = pipeline.load_report(path)
    engineering = report.figure("notices", "engineering", topic="trading")
    assert engineering.value == 272064
    assert engineering.raw_text == "２７２０６４条"
    assert "工程建设类２７２０６４条" in engineering.evidence


def test_thousands_separator_in_prose_and_table(tmp_path):
    path = write(tmp_path, SEED_NAME, VARIANTS["thousands"][0])
    report = pipeline.load_report(path)
    assert report.figure("notices", "government_procurement", topic="trading").value == 119172
    assert report.figure("notices", "government_procurement", topic="trading").raw_text == "119,172条"
    assert report.figure("visits", "total", topic="website").value == 2744958
    (amount,) = [c for c in report.active_disclosure if c.measure == "采购总金额"]
    assert (amount.value, amount.raw_value) == (38925359, "38,925,359")


def test_bound_and_spaced_percent_of_the_seed(seed_db):
    rows = query(
        seed_db,
        "SELECT category, value, approx, raw_text FROM figures WHERE category IN ('total', 'satisfaction') "
        "AND metric IN ('news_articles', 'rate')",
    )
    assert sorted((r["category"], r["value"], r["approx"], r["raw_text"]) for r in rows) == [
        ("satisfaction", 85.51, False, "85.51 %"),
        ("total", 1230, True, "1230余篇"),
    ]


# --- Bad input, refused ---------------------------------------------------------------

BAD = bad_reports()
# What the message must say about each bad file, besides its name.
REASONS = {
    "empty-2021.txt": ["文件为空"],
    "binary-2021.txt": ["二进制"],
    "notice-2021.txt": ["不是政府信息公开工作年度报告"],
    "truncated-2021.txt": [
        "表三 第144行：行“（三）不予公开”应有7个数值，实际3个（表格可能被截断）",
        "缺少19行",
        "缺少：四、政府信息公开行政复议、行政诉讼情况",
    ],
    "no-table4-2021.txt": ["缺少：四、政府信息公开行政复议、行政诉讼情况"],
}


def test_bad_files_are_what_they_claim():
    assert BAD["empty-2021.txt"] == b""
    assert b"\x00" in BAD["binary-2021.txt"]
    truncated = BAD["truncated-2021.txt"].decode("utf-8")
    assert seed_text().startswith(truncated.rstrip("\n"))
    assert "三、收到和处理政府信息公开申请情况" in truncated and "四、政府信息公开" not in truncated
    no_t4 = BAD["no-table4-2021.txt"].decode("utf-8")
    assert "行政复议" not in no_t4 and "五、存在的主要问题及改进情况" in no_t4
    assert len(no_t4.split("\n")) == len(seed_text().split("\n")) - (396 - 349)


def _assert_refused(exc: ReportError, name: str) -> None:
    message = str(exc)
    assert name in message
    assert all(p.file == name for p in exc.problems)
    for reason in REASONS[name]:
        assert reason in message, (name, reason, message)


@pytest.mark.parametrize("name", list(BAD))
def test_strict_build_refuses_a_folder_with_a_bad_file(good_db, name):
    reports, db = good_db
    write(reports, name, BAD[name])
    db_before = folder_state(db.parent)
    with pytest.raises(ReportError) as info:
        pipeline.build(reports, db, strict=True)
    _assert_refused(info.value, name)
    assert folder_state(db.parent) == db_before  # same bytes, no stray temp file
    assert list(db_before) == ["dashboard.duckdb"]


@pytest.mark.parametrize("name", list(BAD))
def test_add_refuses_a_bad_file(good_db, tmp_path, name):
    reports, db = good_db
    bad = write(tmp_path / "incoming", name, BAD[name])
    db_before, reports_before = folder_state(db.parent), folder_state(reports)
    with pytest.raises(ReportError) as info:
        pipeline.add(bad, reports, db)
    _assert_refused(info.value, name)
    assert folder_state(db.parent) == db_before
    assert folder_state(reports) == reports_before


@pytest.mark.parametrize("command", ["build", "add"])
@pytest.mark.parametrize("name", list(BAD))
def test_cli_refuses_without_traceback(good_db, tmp_path, capsys, command, name):
    reports, db = good_db
    if command == "build":
        write(reports, name, BAD[name])
        argv = ["build", "--strict", "--reports", str(reports), "--db", str(db)]
    else:
        bad = write(tmp_path / "incoming", name, BAD[name])
        argv = ["add", str(bad), "--reports", str(reports), "--db", str(db)]
    before = sha256(db)
    assert cli.main(argv) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert name in err
    assert "数据库没有任何改动" in err
    assert "Traceback" not in err
    assert sha256(db) == before
    assert sorted(p.name for p in db.parent.iterdir()) == ["dashboard.duckdb"]


@pytest.mark.parametrize(("command", "name"), [("build", "binary-2021.txt"), ("add", "truncated-2021.txt")])
def test_cli_process_exit_code_and_stderr(good_db, tmp_path, command, name):
    reports, db = good_db
    if command == "build":
        write(reports, name, BAD[name])
        args = ["build", "--strict", "--reports", str(reports), "--db", str(db)]
    else:
        args = [
            "add",
            str(write(tmp_path / "incoming", name, BAD[name])),
            "--reports",
            str(reports),
            "--db",
            str(db),
        ]
    before = sha256(db)
    proc = subprocess.run(
        [sys.executable, "-m", "etl", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 1
    assert name in proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""
    assert sha256(db) == before
    assert sorted(p.name for p in db.parent.iterdir()) == ["dashboard.duckdb"]


def test_build_lists_every_bad_file_at_once(good_db):
    reports, db = good_db
    for name, data in BAD.items():
        write(reports, name, data)
    with pytest.raises(ReportError) as info:
        pipeline.build(reports, db, strict=True)
    assert {p.file for p in info.value.problems} == set(BAD)
    built = pipeline.build(reports, db)  # not strict: the seed loads, every bad file is listed
    assert [r.source_file for r in built.reports] == [SEED_NAME]
    assert {p.file for p in built.refusals} == set(BAD)
    assert {r["source_file"] for r in query(db, "SELECT source_file FROM refusals")} == set(BAD)


def test_binary_without_nul_bytes_is_refused(tmp_path):
    data = bytes(range(128, 256)) * 16
    path = write(tmp_path, "noise-2021.txt", data)
    with pytest.raises(ReportError) as info:
        pipeline.load_report(path)
    assert "noise-2021.txt" in str(info.value)
    assert "编码" in str(info.value)


def test_other_file_types_are_refused_by_add(good_db, tmp_path):
    reports, db = good_db
    doc = write(tmp_path, "report-2021.doc", b"\xd0\xcf\x11\xe0 old Word file")
    before = sha256(db)
    with pytest.raises(ReportError) as info:
        pipeline.add(doc, reports, db)
    assert "report-2021.doc" in str(info.value)
    assert sha256(db) == before


def test_same_agency_and_year_twice_in_a_folder_is_refused(good_db):
    reports, db = good_db
    write(reports, "copy-of-2019.txt", seed_bytes())
    before = sha256(db)
    with pytest.raises(ReportError) as info:
        pipeline.build(reports, db, strict=True)
    assert "同一机关同一年度" in str(info.value)
    assert sha256(db) == before


def test_two_files_with_the_same_stem_are_refused(tmp_path):
    reports = tmp_path / "reports"
    write(reports, "centre.txt", seed_bytes())
    write(reports, "centre.TXT", report_2020())
    with pytest.raises(ReportError) as info:
        pipeline.build(reports, tmp_path / "db.duckdb", strict=True)
    assert "centre.txt" in str(info.value) and "centre.TXT" in str(info.value)
    assert not (tmp_path / "db.duckdb").exists()


# --- Properties: any number, any way it is written ------------------------------------------

WRITINGS = {
    "plain": lambda n: str(n),
    "thousands": lambda n: f"{n:,}",
    "fullwidth": lambda n: str(n).translate(FULLWIDTH),
    "fullwidth-thousands": lambda n: f"{n:,}".translate(FULLWIDTH),
}


@settings(max_examples=60, deadline=None)
@given(n=st.integers(min_value=0, max_value=10**10), style=st.sampled_from(sorted(WRITINGS)))
def test_any_prose_number_in_any_writing(n, style):
    written = WRITINGS[style](n)
    text = replace_once(seed_text(), "热线电话167041件", f"热线电话{written}件")
    report = parse_report(read_bytes(SEED_NAME, text.encode("utf-8")))
    phone = report.figure("cases", "phone", topic="hotline")
    assert phone.value == n
    assert phone.raw_text == f"{written}件"
    assert phone.approx is False
    assert f"热线电话{written}件" in phone.evidence
    # The other figures of the sentence are untouched.
    assert report.figure("cases", "online", topic="hotline").value == 265401


@settings(max_examples=40, deadline=None)
@given(
    cells=st.lists(st.one_of(st.none(), st.integers(min_value=0, max_value=99999)), min_size=7, max_size=7),
    code=st.sampled_from(["1", "2", "3.2", "3.3.3", "3.5.5", "3.6", "4"]),
)
def test_any_table3_row(cells, code):
    text = set_t3_row(seed_text(), code, cells)
    report = parse_report(read_bytes(SEED_NAME, text.encode("utf-8")))
    row = [c for c in report.foi_requests if c.row_code == code]
    assert [c.value for c in row] == cells  # a blank stays None, a 0 stays 0
    assert [c.raw_value for c in row] == [None if v is None else str(v) for v in cells]
    assert len(report.foi_requests) == 161
