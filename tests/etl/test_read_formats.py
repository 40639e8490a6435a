"""The seed report published as a web page (HTML) and as a Word file (DOCX) loads to
exactly the data of the text version; and the HTML and DOCX readers' edge cases.

The HTML and DOCX files are rendered from the seed's own text (tests/render.py):
same title, headings, paragraphs and cells, but with the national template's
merged cells, page chrome, nested formatting and careless markup.

What the database comparison leaves out, and why:
- ``source_line`` (figures and the three tables): where a value sits in its
  file — a line of the .txt, a block number of the HTML/DOCX (a paragraph
  counts one, a table one per row). The numbers differ by nature; a separate
  test checks that they point at the right paragraph or table row.
- the line numbers inside ``checks.evidence`` ("（第123行）"), for the same
  reason: the evidence is compared with each ``第N行`` masked, the rest exactly.
- ``reports``: ``source_file``, ``source_sha256`` and ``loaded_at`` (the file's
  name, hash and load time).
Everything else is compared, ``report_id`` included (the files share the seed's
stem), raw labels and raw values included: nothing legitimately differs there.
"""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl import pipeline
from etl.checks import run_checks
from etl.document import Para, Table
from etl.model import ReportError
from etl.parse import parse_report
from etl.readers import document_from_bytes, read_document, text_document
from etl.readers.docx_file import docx_blocks
from etl.readers.html_page import collapse, html_blocks
from tests.fixtures import (
    SEED_NAME,
    SEED_PATH,
    SEED_TITLE,
    query,
    replace_once,
    seed_bytes,
    seed_text,
    set_t4,
    sha256,
    write,
)
from tests.render import OTHER_YEAR_TITLE, seed_content, seed_docx, seed_html

STEM = SEED_NAME.rsplit(".", 1)[0]

# name → (file name, bytes) of each rendering of the seed
FORMATS = {
    "html": (f"{STEM}.html", lambda: seed_html().encode("utf-8")),
    "html-table-layout": (f"{STEM}.htm", lambda: seed_html(page="table").encode("utf-8")),
    "html-unclosed-tags": (f"{STEM}.html", lambda: seed_html(closed=False).encode("utf-8")),
    "html-table-layout-unclosed": (
        f"{STEM}.HTML",
        lambda: seed_html(page="table", closed=False).encode("utf-8"),
    ),
    "html-gbk": (f"{STEM}.html", lambda: seed_html(charset="gbk").encode("gbk")),
    "docx": (f"{STEM}.docx", seed_docx),
}

VIEWS = {
    "reports": "SELECT * EXCLUDE (source_file, source_sha256, loaded_at) FROM reports",
    "figures": "SELECT * EXCLUDE (source_line) FROM figures",
    "active_disclosure": "SELECT * EXCLUDE (source_line) FROM active_disclosure",
    "foi_requests": "SELECT * EXCLUDE (source_line) FROM foi_requests",
    "review_litigation": "SELECT * EXCLUDE (source_line) FROM review_litigation",
    "texts": "SELECT * FROM texts",
    "checks": "SELECT * EXCLUDE (evidence), regexp_replace(evidence, '第\\d+行', '第N行', 'g') AS evidence FROM checks",
}


def _rows(db, view: str) -> list[tuple]:
    return sorted(tuple(r.values()) for r in query(db, VIEWS[view]))


@pytest.fixture(scope="module")
def text_db(tmp_path_factory):
    base = tmp_path_factory.mktemp("txt")
    write(base / "reports", SEED_NAME, seed_bytes())
    pipeline.build(base / "reports", base / "db.duckdb")
    return base / "db.duckdb"


def _shape(doc) -> tuple:
    """A Document's text content, without line numbers."""
    return (
        doc.title.text if doc.title else None,
        {
            n: (s.heading.text, [p.text for p in s.paragraphs], [[c.text for c in row] for row in s.rows])
            for n, s in doc.sections.items()
        },
    )


def _without_lines(items: list) -> list:
    return [dataclasses.replace(i, source_line=0) if hasattr(i, "source_line") else i for i in items]


# --- The renderings themselves -------------------------------------------------------------


def test_renderings_use_real_merged_cells():
    content = seed_content()
    layouts = {s.heading[0]: s.layout for s in content.sections if s.layout}
    assert ("第二十条第（一）项", 1, 4) in layouts["二"][0]
    t3 = [cell for row in layouts["三"] for cell in row]
    assert ("三、本年度办理结果", 20, 1) in t3
    assert ("（三）不予公开", 8, 1) in t3 and ("（五）不予处理", 5, 1) in t3
    assert ("一、本年新收政府信息公开申请数量", 1, 3) in t3 and ("（一）予以公开", 1, 2) in t3
    assert ("自然人", 2, 1) in t3 and ("法人或其他组织", 1, 5) in t3
    assert layouts["四"][0] == (("行政复议", 1, 5), ("行政诉讼", 1, 10))
    page = seed_html()
    assert 'rowspan="20"' in page and "colspan=10" in page and "&nbsp;</td>" not in page
    assert "自己这一情形" in page and ">本年增<" in page  # the seed's own misprints
    xml = zipfile.ZipFile(io.BytesIO(seed_docx())).read("word/document.xml").decode("utf-8")
    assert 'w:vMerge w:val="restart"' in xml and "<w:vMerge/>" in xml and 'w:gridSpan w:val="10"' in xml


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_same_document_as_the_text(fmt):
    name, render = FORMATS[fmt]
    doc = document_from_bytes(name, render())
    assert doc.fmt == ("docx" if fmt == "docx" else "html")
    expected = text_document(SEED_NAME, "", seed_text())
    assert _shape(doc) == _shape(expected)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_same_report_as_the_text(fmt):
    name, render = FORMATS[fmt]
    report = parse_report(document_from_bytes(name, render()))
    report.checks = run_checks(report)
    expected = pipeline.load_report(SEED_PATH)
    assert (report.agency, report.year, report.title, report.template) == (
        expected.agency, expected.year, expected.title, expected.template,
    )  # fmt: skip
    for part in ("figures", "active_disclosure", "foi_requests", "review_litigation", "texts"):
        assert _without_lines(getattr(report, part)) == _without_lines(getattr(expected, part)), part
    assert _masked(report.checks) == _masked(expected.checks)
    assert report.warnings == expected.warnings and report.missing_figures == expected.missing_figures


def _masked(checks: list) -> list:
    return [dataclasses.replace(c, evidence=re.sub(r"第\d+行", "第N行", c.evidence)) for c in checks]


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_same_database_rows_as_the_text(tmp_path, text_db, fmt):
    name, render = FORMATS[fmt]
    path = write(tmp_path / "reports", name, render())
    db = tmp_path / "db.duckdb"
    pipeline.build(tmp_path / "reports", db)
    for view in VIEWS:
        rows = _rows(db, view)
        assert rows, view
        assert rows == _rows(text_db, view), view
    (report,) = query(db, "SELECT report_id, source_file, source_sha256 FROM reports")
    assert report == {"report_id": STEM, "source_file": name, "source_sha256": sha256(path)}
    # The masked line numbers were there to mask, and NULLs stayed NULL.
    assert any(re.search(r"第\d+行", r["evidence"]) for r in query(db, "SELECT evidence FROM checks"))
    assert query(db, "SELECT count(*) AS n FROM foi_requests WHERE value IS NULL") == [{"n": 115}]


@pytest.mark.parametrize("fmt", ["html", "html-table-layout-unclosed", "docx"])
def test_source_lines_name_the_block(fmt):
    """A value's source_line is the number of its paragraph or table row in the file's blocks."""
    name, render = FORMATS[fmt]
    doc = document_from_bytes(name, render())
    report = parse_report(doc)
    rows = {cells[0].line: [c.text for c in cells] for s in doc.sections.values() for cells in s.rows}
    paragraphs = {p.number: p.text for s in doc.sections.values() for p in s.paragraphs}
    for cell in report.foi_requests:
        assert cell.raw_label in rows[cell.source_line]
    for cell in report.active_disclosure:
        assert cell.raw_content == rows[cell.source_line][0]
    for cell in report.review_litigation:
        assert len(rows[cell.source_line]) == 15
    for figure in report.figures:
        assert figure.evidence in paragraphs[figure.source_line]


# --- HTML -----------------------------------------------------------------------------------


def test_page_chrome_is_left_out():
    blocks = html_blocks(seed_html())
    texts = [b.text for b in blocks if isinstance(b, Para)]
    assert texts.count(SEED_TITLE) == 1
    after = texts[texts.index(SEED_TITLE) :]
    assert after[-2:] == ["六、其他需要报告的事项", "无其他需报告事项"]
    page = "\n".join(texts)
    for chrome in (
        "版权所有",
        "技术支持",
        "上一篇",
        "打印本页",
        "请启用JavaScript",
        "document.write",
        "_hmt",
        "font-size",
    ):
        assert chrome not in page, chrome
    assert OTHER_YEAR_TITLE not in page  # another year's report named in the sidebar
    assert [len(b.rows) for b in blocks if isinstance(b, Table)] == [18, 26, 4]


def test_gbk_page_with_meta_charset(tmp_path, text_db):
    data = seed_html(charset="gbk").encode("gbk")
    assert b'<meta charset="gbk">' in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    report = pipeline.load_report(write(tmp_path, f"{STEM}.html", data))
    assert report.title == SEED_TITLE
    assert report.figure("rate", "satisfaction").raw_text == "85.51 %"


def test_amount_with_unit_in_a_cell(tmp_path):
    text = replace_once(seed_text(), "\t38925359\n", "\t251000元\n")
    content = seed_content(text)
    for name, data in ((f"{STEM}.html", seed_html(content).encode()), (f"{STEM}.docx", seed_docx(content))):
        report = pipeline.load_report(write(tmp_path, name, data))
        (amount,) = [c for c in report.active_disclosure if c.measure == "采购总金额"]
        assert (amount.value, amount.raw_value) == (251000, "251000元"), name
    assert html_blocks("<table><tr><td><span>251000</span>元</td><td>251,000<br>\n元</td></tr></table>") == [
        Table(1, [["251000元", "251,000元"]])
    ]


def test_table4_left_blank_reads_as_nulls(tmp_path):
    content = seed_content(set_t4(seed_text(), [None] * 15))
    for name, data in ((f"{STEM}.html", seed_html(content).encode()), (f"{STEM}.docx", seed_docx(content))):
        report = pipeline.load_report(write(tmp_path, name, data))
        assert [c.value for c in report.review_litigation] == [None] * 15, name
        assert not [c for c in report.checks if c.check_id.startswith("t4.") and c.passed is not None], name


def _paras(markup: str) -> list[str]:
    return [b.text for b in html_blocks(markup) if isinstance(b, Para)]


def _tables(markup: str) -> list[list[list[str]]]:
    return [b.rows for b in html_blocks(markup) if isinstance(b, Table)]


def test_paragraphs_and_whitespace():
    assert _paras("<p>a<p>b<div>c</div>d<br>e<li>f<li>g</ul>h") == list("abcdefgh")
    # A source line break between Chinese characters vanishes; other whitespace collapses to one space.
    assert _paras("<p>\n  中心\n   按照 省委\tA\n B  85.51 %</p>") == ["中心按照 省委 A B 85.51 %"]
    assert _paras("<p>&ldquo;三公&rdquo;\n经费&nbsp;&nbsp;&amp;&#x4E00;&#20108;&lt;p&gt;</p>") == [
        "“三公”经费 &一二<p>"
    ]
    assert _paras("<pre>一、总体情况\n  正文</pre>") == ["一、总体情况", "正文"]
    assert _paras("<p>a<span>b</span><b> c</b></p>") == ["ab c"]
    assert collapse("\u200b中\ufeff心\u00a0 ") == "中心"


def test_tables_with_spans_and_blank_cells():
    markup = """<table>
      <tr><th rowspan="2">A</th><th colspan="2">B</th></tr>
      <tr><td><p>b1</p></td><td>&nbsp;</td></tr>
      <tr><td colspan="3">C</td></tr>
    </table>"""
    assert _tables(markup) == [[["A", "B"], ["", "b1", ""], ["C"]]]
    # A row with no cells of its own carries nothing; a row of blank cells is kept (a table
    # 四 left blank is a row of fifteen blank cells: NULLs, as the Word and PDF readers read it).
    assert _tables(
        "<table><tr><td rowspan=3>x</td><td>1</td></tr><tr></tr><tr><td>&nbsp;</td></tr></table>"
    ) == [[["x", "1"], ["", ""]]]


def test_malformed_markup():
    # <td> without <tr>, unclosed cells and rows, uppercase tags, unquoted attributes.
    assert _tables("<TABLE><TD>1<td rowspan=2>2<TR><td>3</table>") == [[["1", "2"], ["3", ""]]]
    # A nested table is the cell's text.
    nested = (
        "<table><tr><td><table><tr><td>251000</td><td>元</td></tr></table></td><td>&nbsp;</td></tr></table>"
    )
    assert _tables(nested) == [[["251000元", ""]]]
    # Stray end tags, a table part outside any table, an unclosed head with no body.
    assert _paras("</div></td></tr></table><td>x</td><p>y</p>") == ["x", "y"]
    assert _paras("<html><head><title>页面</title><meta charset=gbk><p>正文") == ["正文"]
    assert _paras("<html><head><title>页面</title>正文") == ["正文"]
    # Word's conditional sections and a broken marked section (html.parser would raise on it).
    assert _paras("<p><![if !supportLists]>1.<![endif]>属于国家秘密</p><p><![ broken >x</p>") == [
        "1.属于国家秘密",
        "x",
    ]
    # Spans a browser would not honour as written.
    spans = (
        "<table><tr><td rowspan=abc colspan=0>a</td><td colspan=2px>b</td><td rowspan=-1>c</td></tr></table>"
    )
    assert _tables(spans) == [[["a", "b", "c"]]]
    assert len(_tables("<table><tr><td rowspan=99999999>a</td></tr><tr><td>b</td></tr></table>")[0]) == 2
    # A table opened inside a table's row (not in a cell) starts a new table, as in a browser.
    assert _tables("<table><tr><td>1</td><td>2</td><table><tr><td>3</td><td>4</td></tr></table>") == [
        [["1", "2"]],
        [["3", "4"]],
    ]
    # Absurd spans (a million grid cells and more) are ignored rather than expanded.
    absurd = (
        "<table><tr>" + "<td rowspan=65534 colspan=1000>x" * 50 + "<tr></tr>" * 100 + "<tr><td>y<td>z</table>"
    )
    assert _tables(absurd) == [[["x"] * 50, ["y", "z"]]]


def test_title_choice():
    other = "2018年某局政府信息公开工作年度报告"
    title = "2019年某局政府信息公开工作年度报告"
    # Another year's report linked before the article; the report's own title broken over two lines.
    blocks = _paras(
        f"<ul><li>{other}</li></ul><h1>2019年某局<br>政府信息公开工作年度报告</h1><p>一、总体情况</p>"
    )
    assert blocks == [title, "一、总体情况"]
    # No title on the page but in <title>.
    assert _paras(f"<head><title>{title}_某局网站</title></head><h1>年度报告</h1><p>一、总体情况</p>")[0] == (
        f"{title}_某局网站"
    )
    doc = document_from_bytes("a.html", f"<title>{title}</title><p>一、总体情况</p>".encode())
    assert doc.title.text == title


def test_layout_table_around_the_report():
    blocks = html_blocks(seed_html(page="table"))
    texts = [b.text for b in blocks if isinstance(b, Para)]
    assert texts[texts.index(SEED_TITLE) + 2] == "一、总体情况"  # after the date line
    assert not any("版权所有" in t for t in texts)
    title = next(b.number for b in blocks if isinstance(b, Para) and b.text == SEED_TITLE)
    assert [len(b.rows) for b in blocks if isinstance(b, Table) and b.number > title] == [18, 26, 4]


def test_layout_or_data_table():
    # A single-cell table (a title box, a wrapper) is layout: its content reads as paragraphs.
    assert html_blocks(f"<table><tr><td><b>{SEED_TITLE}</b></td></tr></table>") == [Para(1, SEED_TITLE)]
    # A cell with prose paragraphs, or with a heading among paragraphs, is layout.
    prose = "<p>" + "正文" * 40 + "</p>"
    assert _tables(f"<table><tr><td>导航</td><td>{prose * 3}</td></tr></table>") == []
    assert _tables("<table><tr><td>导航</td><td><p>一、总体情况</p><p>正文</p></td></tr></table>") == []
    # A long note in one cell of a data table does not make it layout.
    note = "注：" + "说明" * 120
    assert _tables(f"<table><tr><td>规章</td><td>0</td></tr><tr><td colspan=2>{note}</td></tr></table>") == [
        [["规章", "0"], [note]]
    ]


def test_heading_printed_as_a_table_row():
    """A section heading printed as a row of its own in a table is a paragraph before the rest of it."""
    markup = (
        "<table><tr><td colspan=2>三、收到和处理政府信息公开申请情况</td></tr>"
        "<tr><td>一、本年新收政府信息公开申请数量</td><td>0</td></tr></table>"
    )
    assert html_blocks(markup) == [
        Para(1, "三、收到和处理政府信息公开申请情况"),
        Table(2, [["一、本年新收政府信息公开申请数量", "0"]]),
    ]


TOKENS = [
    *"<>/!-[]=\"' \n&;#xtdrpableh一、总体情况0元",
    *("<td", "<tr", "<table", "</table>", "<p>", "<![", "<!--", "&nbsp;", "rowspan=", "colspan=", "<head>"),
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), max_size=150).map("".join))
def test_any_markup_reads_without_error(markup):
    blocks = html_blocks(markup)
    assert all(isinstance(b, Para | Table) for b in blocks)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_damaged_page_reads_without_error(data):
    page = seed_html()
    start = data.draw(st.integers(0, len(page) - 1))
    end = data.draw(st.integers(start, min(len(page), start + 2000)))
    html_blocks(page[:start] + page[end:])


# --- DOCX ------------------------------------------------------------------------------------


def _docx(build) -> bytes:
    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_merged_and_blank_cells():
    def build(document):
        document.add_paragraph("前言")
        table = document.add_table(rows=3, cols=3)
        table.cell(0, 0).merge(table.cell(1, 0)).text = "A"
        table.cell(0, 1).merge(table.cell(0, 2)).text = "B"
        table.cell(1, 1).text = "c"
        table.cell(2, 0).text = "x"
        table.cell(2, 1).paragraphs[0].add_run("25")
        table.cell(2, 1).add_paragraph("1000元")
        document.add_paragraph("后记")

    blocks = docx_blocks("t.docx", _docx(build))
    assert blocks == [
        Para(1, "前言"),
        Table(2, [["A", "B"], ["", "c", ""], ["x", "251000元", ""]]),
        Para(5, "后记"),
    ]


def test_docx_row_starting_later():
    """w:gridBefore (a row that starts at a later grid column) keeps the cells in their columns."""

    def build(document):
        table = document.add_table(rows=2, cols=3)
        for c, text in enumerate(("a", "b", "c")):
            table.cell(0, c).text = text
        table.cell(1, 1).text = "e"
        table.cell(1, 2).text = "f"
        tr = table.rows[1]._tr
        tr.remove(tr.tc_lst[0])
        grid_before = docx.oxml.OxmlElement("w:gridBefore")
        grid_before.set(docx.oxml.ns.qn("w:val"), "1")
        tr.get_or_add_trPr().append(grid_before)

    assert docx_blocks("t.docx", _docx(build)) == [Table(1, [["a", "b", "c"], ["", "e", "f"]])]


def _refused(name: str, data: bytes, parse: bool = False) -> str:
    """The refusal of a file, by the reader itself (or, with ``parse``, by the parser)."""
    with pytest.raises(ReportError) as info:
        doc = document_from_bytes(name, data)
        if parse:
            parse_report(doc)
    assert all(p.file == name for p in info.value.problems)
    return str(info.value)


def _broken_xml() -> bytes:
    source = zipfile.ZipFile(io.BytesIO(seed_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, data[: len(data) // 2] if item.filename == "word/document.xml" else data)
    return out.getvalue()


def _plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        target.writestr("readme.txt", "不是Word文件")
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"PK\x03\x04 not really a zip", id="not-a-zip"),
        pytest.param(seed_text().encode("utf-8"), id="text-named-docx"),
        pytest.param(lambda: seed_docx()[:5000], id="truncated"),
        pytest.param(_plain_zip, id="zip-without-document"),
        pytest.param(_broken_xml, id="broken-xml"),
    ],
)
def test_not_a_docx_is_refused(data):
    message = _refused("年报-2019.docx", data() if callable(data) else data)
    assert "年报-2019.docx" in message and "不是有效的Word（.docx）文件" in message


def test_empty_docx_is_refused_as_not_a_report(tmp_path):
    assert docx_blocks("empty.docx", _docx(lambda d: None)) == []
    message = _refused("empty.docx", _docx(lambda d: None), parse=True)
    assert "不是政府信息公开工作年度报告" in message
    # And by a build, which leaves no database behind.
    write(tmp_path / "reports", "empty.docx", _docx(lambda d: None))
    with pytest.raises(ReportError, match=r"empty\.docx"):
        pipeline.build(tmp_path / "reports", tmp_path / "db.duckdb")
    assert not (tmp_path / "db.duckdb").exists()


def test_docx_from_disk_and_header_footer_ignored(tmp_path):
    path = write(tmp_path, f"{STEM}.docx", seed_docx())
    doc = read_document(path)
    assert doc.fmt == "docx" and doc.title.text == SEED_TITLE
    texts = [p.text for s in doc.sections.values() for p in s.paragraphs]
    assert not any("第 1 页" in t or "政务公开" == t[-4:] for t in texts)
