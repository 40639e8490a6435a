"""Flattened text (etl/readers/flat_text.py): the seed saved with its line breaks gone, as crawlers
render a page. Its inline headings are found; its tables, whose cells run together, are refused with
that reason (naming each table and its first row), never with "章节缺少"."""

from __future__ import annotations

import dataclasses

import pytest

from etl import pipeline
from etl.model import ReportError
from etl.parse import parse_report
from etl.readers import text_document
from etl.readers.flat_text import inline_headings
from tests.fixtures import SEED_NAME, query, seed_text, write

ROW_2 = "表二 第1行 “规章”行"
ROW_3 = "表三 第1行 “一、本年新收政府信息公开申请数量”行"
ROW_4 = "表四 第1行 各列的数字行"


def flattened(joint: str, tab: str) -> str:
    return seed_text().replace("\n", joint).replace("\t", tab)


@pytest.mark.parametrize(
    ("joint", "tab", "digits"),
    [
        ("", "", ("00 0", "0      0", "000010000000000")),  # as a crawler renders the page's text
        ("", "\t", ("0 0  0", "0            0", "0 0 0 0 1 0 0 0 0 0 0 0 0 0 0")),  # tabs kept
        # Copy-paste: spaces for line breaks and tabs; the blank cells' no-break spaces make the cells'
        # boundaries ambiguous all the same. Long runs of digits are cut at 40 characters.
        (" ", " ", ("0  0   0", "0" + " " * 18 + "0", "0  0  0  0  1  0  0  0  0  0  0  0  0  0…")),
    ],
)
def test_flattened_tables_are_refused_naming_table_and_row(joint, tab, digits):
    with pytest.raises(ReportError) as info:
        text_document("flat-2019.txt", "0" * 64, flattened(joint, tab))
    problems = info.value.problems
    assert [p.place for p in problems] == [ROW_2, ROW_3, ROW_4]
    labels = ("规章", "一、本年新收政府信息公开申请数量", "总计")
    for p, label, shown in zip(problems, labels, digits, strict=True):
        assert p.file == "flat-2019.txt"
        assert p.reason.startswith(
            f"表格被压成了一行，单元格连在一起，没有可靠的分隔（“{label}”之后是“{shown}”）"
        )
        assert "数字无法如实拆分到各个单元格" in p.reason
    assert "章节" not in str(info.value)


def test_inline_headings_of_the_flattened_seed():
    text = flattened("", "")
    heads = inline_headings(text)
    assert [n for _, n in heads] == list("一二三四五六")
    assert [text[pos : pos + 6] for pos, _ in heads] == [
        "一、总体情况",
        "二、主动公开",
        "三、收到和处",
        "四、政府信息",
        "五、存在的主",
        "六、其他需要",
    ]
    # Near misses: the tables' own numbered rows and prose 一是… are no section headings.
    assert not inline_headings("三、本年度办理结果（一）予以公开0")
    assert not inline_headings("一是全省公共资源交易平台建设范围不够。")


def test_a_build_lists_the_flattened_file_and_loads_the_others(tmp_path):
    reports = tmp_path / "reports"
    write(reports, SEED_NAME, seed_text())
    write(reports, "flat-2020.txt", flattened("", "").replace("2019年四川省", "2020年四川省", 1))
    db = tmp_path / "db.duckdb"
    built = pipeline.build(reports, db)
    assert [r.source_file for r in built.reports] == [SEED_NAME]
    rows = query(db, "SELECT source_file, place FROM refusals")
    assert rows == [{"source_file": "flat-2020.txt", "place": place} for place in (ROW_2, ROW_3, ROW_4)]


def test_flattened_prose_with_tables_intact_is_read_with_the_files_line_numbers():
    """Only section 一 on one line (the tables keep their lines): read as the seed, every figure
    and cell the same, their line numbers those of the file."""
    text = seed_text()
    start = text.index("二、主动公开")
    half = text[:start].replace("\n", "") + "\n" + text[start:]
    shift = text[:start].count("\n") - 1
    seed = parse_report(text_document(SEED_NAME, "0" * 64, text))
    report = parse_report(text_document(SEED_NAME, "0" * 64, half))
    assert report.title == seed.title and report.agency == seed.agency
    assert [(f.topic, f.metric, f.category, f.value) for f in report.figures] == [
        (f.topic, f.metric, f.category, f.value) for f in seed.figures
    ]
    assert {f.source_line for f in report.figures} == {1}
    assert report.foi_requests == [
        dataclasses.replace(c, source_line=c.source_line - shift) for c in seed.foi_requests
    ]
    assert len(report.foi_requests) == 161


def test_a_report_that_mentions_a_heading_inline_is_read_as_before():
    text = seed_text().replace(
        "很好地履行了法定媒体的职责。", "很好地履行了法定媒体的职责（详见二、主动公开政府信息情况）。"
    )
    seed = parse_report(text_document(SEED_NAME, "0" * 64, seed_text()))
    report = parse_report(text_document(SEED_NAME, "0" * 64, text))
    assert report.foi_requests == seed.foi_requests and report.figures[0].value == seed.figures[0].value
