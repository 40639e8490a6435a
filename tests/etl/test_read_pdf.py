"""The PDF reader on the two real 淮安市洪泽区 reports (2023, 2024), and the PDFs it
must refuse: not a PDF, encrypted, scanned (no text layer).

Expected values: tests/data/hongze_expected.json (every cell of tables 二/三/四, read
visually from the page renders); what the PDFs look like: hongze_pdf_notes.md.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import time
from pathlib import Path

import pytest

from etl.document import Para, Table, parse_title
from etl.model import ReportError
from etl.readers import document_from_bytes, read_document
from etl.readers.pdf_file import SCANNED, pdf_blocks
from tests import fixtures
from tests.fixtures import query

CORPUS = fixtures.CORPUS
EXPECTED = json.loads((fixtures.TEST_DATA / "hongze_expected.json").read_text(encoding="utf-8"))
YEARS = (2023, 2024)
HEADINGS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)
APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")


needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the corpus folder {CORPUS} is absent")


def pdf_path(year: int) -> Path:
    return CORPUS / f"huaian-hongze-district-{year}.pdf"


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- The Document of each real report ---------------------------------------------


@needs_corpus
@pytest.mark.parametrize("year", YEARS)
def test_title_year_and_agency(year: int) -> None:
    expected = EXPECTED[str(year)]
    doc = read_document(pdf_path(year))
    assert doc.fmt == "pdf"
    assert doc.sha256 == EXPECTED["_about"]["sources"][str(year)]["sha256"]
    assert doc.title is not None
    assert doc.title.text == expected["title"]
    assert doc.title.text == "".join(squeeze(t) for t in expected["title_lines_printed"])
    assert parse_title(doc.title.text) == (year, expected["agency_printed_in_title"])


@needs_corpus
@pytest.mark.parametrize("year", YEARS)
def test_six_sections_with_their_headings(year: int) -> None:
    doc = read_document(pdf_path(year))
    assert list(doc.sections) == list("一二三四五六")
    assert tuple(s.heading.text for s in doc.sections.values()) == HEADINGS
    for numeral in "二三四":
        assert doc.sections[numeral].rows, f"section {numeral} has no table rows"
        assert not doc.sections[numeral].paragraphs, f"table text leaked into section {numeral}'s prose"
    for numeral in "一五六":
        assert doc.sections[numeral].paragraphs and not doc.sections[numeral].rows


def table2_grid(year: int) -> list[list[str]]:
    """Table 二 as the reader should give it: band, header and data rows of each block."""
    rows: list[list[str]] = []
    cells = EXPECTED[str(year)]["table2"]
    for item in dict.fromkeys(c["item"] for c in cells):
        block = [c for c in cells if c["item"] == item]
        measures = list(dict.fromkeys(c["measure"] for c in block))
        rows += [[item], ["信息内容", *measures]]
        for content in dict.fromkeys(c["content"] for c in block):
            rows.append([content, *(c["printed"] for c in block if c["content"] == content)])
    return rows


@needs_corpus
@pytest.mark.parametrize("year", YEARS)
def test_table2_rows(year: int) -> None:
    rows = read_document(pdf_path(year)).sections["二"].rows
    # Spans expanded: a band spanning the table is one cell; on p.3 of 2023 the
    # 信息内容 cell whose top border is not drawn is still read.
    assert [[c.text for c in row] for row in rows] == table2_grid(year)


@needs_corpus
@pytest.mark.parametrize("year", YEARS)
def test_table3_rows(year: int) -> None:
    rows = [[c.text for c in row] for row in read_document(pdf_path(year)).sections["三"].rows]
    header, data = rows[:3], rows[3:]
    header_text = "".join(t for row in header for t in row)
    assert "勾稽关系" in header_text and "申请人情况" in header_text
    assert all(a in header_text for a in (*APPLICANTS, "法人或其他组织"))
    # Row spans: placeholders "" under 自然人 and 总计 (once per covered column).
    assert header[2] == ["", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""]

    cells = EXPECTED[str(year)]["table3"]
    codes = list(dict.fromkeys(c["row_code"] for c in cells))
    assert len(data) == len(codes) == 23
    for row, code in zip(data, codes, strict=True):
        expected = [c for c in cells if c["row_code"] == code]
        assert row[-7:] == [c["printed"] for c in expected], code
        labels = [t for t in row[:-7] if t]
        assert labels and labels[-1] == squeeze(expected[0]["printed_label"]), code
        assert 8 <= len(row) <= 10, code
    # The vertical group label is read as one label; rows under a row span start with "".
    assert data[2][:2] == ["三、本年度办理结果", "（一）予以公开"]
    assert all(row[0] == "" for row in data[3:-1])


@needs_corpus
@pytest.mark.parametrize("year", YEARS)
def test_table4_rows(year: int) -> None:
    rows = [[c.text for c in row] for row in read_document(pdf_path(year)).sections["四"].rows]
    assert len(rows) == 4
    assert [t for t in rows[0] if t] == ["行政复议", "行政诉讼"]
    assert rows[1] == [
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
        "未经复议直接起诉",
        "复议后起诉",
    ]
    outcomes = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert rows[2] == ["", "", "", "", "", *outcomes, *outcomes]
    assert rows[3] == [c["printed"] for c in EXPECTED[str(year)]["table4"]]


@needs_corpus
@pytest.mark.parametrize("year", YEARS)
def test_paragraphs_are_the_reports_own_text(year: int) -> None:
    doc = read_document(pdf_path(year))
    prose = [line.text for s in doc.sections.values() for line in s.paragraphs]
    text = "".join(prose)
    for figure in EXPECTED[str(year)]["prose_figures"]:
        assert figure["evidence"] in text
    for paragraph in prose:
        assert not re.search(r"\s", paragraph), paragraph  # the PDFs hold no space glyphs
        assert not re.fullmatch(r"[-－—]\s*\d+\s*[-－—]", paragraph)
    assert not re.search(r"[-－—]\d[-－—]", text)  # no page number glued into the prose
    overview = [line.text for line in doc.sections["一"].paragraphs]
    starts = [p[:3] for p in overview]
    for sub in ("（一）", "（二）", "（三）", "（四）", "（五）"):
        assert starts.count(sub) == 1, sub
    assert overview[0].startswith(f"{year}年，") and overview[0].endswith("发展。")
    assert all(p.endswith("。") for p in prose)


@needs_corpus
def test_paragraphs_2023_wraps_and_page_break() -> None:
    doc = read_document(pdf_path(2023))
    overview = [line.text for line in doc.sections["一"].paragraphs]
    assert overview[0] == (
        "2023年，洪泽区人民政府坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实《条例》"
        "相关规范要求，不断完善政府信息公开制度，建立健全政府信息公开保障机制，始终将政务公开工作摆在"
        "重要位置，推进政府信息公开工作规范、有序、健康发展。"
    )
    # （三） is a paragraph of its own, and its text runs on across the page break.
    assert overview[3] == "（三）政府信息管理情况。"
    assert "严格执行“分级审核、先审后发”程序" in overview[4]
    assert len(doc.sections["五"].paragraphs) == 1
    assert "一是" in doc.sections["五"].paragraphs[0].text and "三是" in doc.sections["五"].paragraphs[0].text


@needs_corpus
def test_paragraphs_2024_number_split_over_lines() -> None:
    doc = read_document(pdf_path(2024))
    assert "公开政府常务会议7期" in doc.sections["一"].paragraphs[1].text
    problems, plans = (line.text for line in doc.sections["五"].paragraphs)
    assert problems.startswith("2024年，全区政府信息公开工作")
    assert plans.startswith("针对存在问题") and plans.endswith("业务工作水平。")


@needs_corpus
@pytest.mark.parametrize("year", YEARS)
def test_block_numbers_run_in_reading_order(year: int) -> None:
    path = pdf_path(year)
    started = time.perf_counter()
    blocks = pdf_blocks(path.name, path.read_bytes())
    elapsed = time.perf_counter() - started
    assert elapsed < 5, f"reading a 5-page PDF took {elapsed:.1f} s"
    next_free = 1
    for block in blocks:
        assert block.number >= next_free
        next_free = block.number + (len(block.rows) if isinstance(block, Table) else 1)
    tables = [b for b in blocks if isinstance(b, Table)]
    assert len(tables) == 5  # 二 over pp.2–3, 三 over pp.3–4, 四 on p.4
    assert isinstance(blocks[0], Para) and blocks[0].text == EXPECTED[str(year)]["title"]


# --- Full pipeline: every cell against the visual reading ----------------------------


def _load(year: int):
    from etl.pipeline import load_report

    return load_report(pdf_path(year))


@needs_corpus
@pytest.mark.parametrize("year", YEARS)
def test_pipeline_every_table_cell(year: int) -> None:
    expected = EXPECTED[str(year)]
    report = _load(year)
    assert (report.year, report.template) == (year, "2021")
    got2 = sorted((c.item, c.content, c.measure, c.value) for c in report.active_disclosure)
    want2 = sorted((c["item"], c["content"], c["measure"], c["value"]) for c in expected["table2"])
    assert got2 == want2
    got3 = sorted((c.row_code, c.row_label, c.applicant, c.value) for c in report.foi_requests)
    want3 = sorted((c["row_code"], c["row_label"], c["applicant"], c["value"]) for c in expected["table3"])
    assert got3 == want3
    got4 = [(c.proceeding, c.outcome, c.value) for c in report.review_litigation]
    want4 = [(c["proceeding"], c["outcome"], c["value"]) for c in expected["table4"]]
    assert got4 == want4


@needs_corpus
@pytest.mark.parametrize("year", YEARS)
def test_pipeline_within_report_checks(year: int) -> None:
    expected = EXPECTED[str(year)]
    report = _load(year)
    failed = {
        c.check_id: (c.expected, c.actual)
        for c in report.checks
        if c.passed is False and c.severity == "error"
    }
    # 2023: table 四's 总计 of 行政复议 and 复议后起诉 is printed 0 (10+1 and 5 are stated);
    # 2024: nothing fails.
    assert failed == {c["check_id"]: (c["expected"], c["actual"]) for c in expected["checks"]}
    passed = {c.check_id for c in report.checks if c.passed}
    assert set(expected["checks_passed"]) <= passed
    # The prose's request count against table 三's 本年新收 总计 (rule 5, a scope warning):
    # 2023 "全区受理…21件" = 21; 2024 "区政府办代表区政府受理…17件" (one office) vs 95 (the district).
    (want,) = expected["warnings"]
    (scope,) = [c for c in report.checks if c.check_id == "scope.foi_requests_received"]
    assert (scope.expected, scope.actual, scope.passed) == (want["expected"], want["actual"], want["passed"])
    assert scope.severity == "warning"
    assert report.figure("requests", "received", topic="foi").value == want["actual"]


@needs_corpus
def test_build_evaluates_carry_over_across_years(tmp_path: Path) -> None:
    from etl.pipeline import build

    reports = tmp_path / "reports"
    reports.mkdir()
    for year in YEARS:
        shutil.copy(pdf_path(year), reports)
    db = tmp_path / "dashboard.duckdb"
    build(reports, db)
    # 2023's title says 洪泽区人民政府, 2024's 淮安市洪泽区人民政府: one agency, one name.
    agencies = query(db, "SELECT DISTINCT agency FROM reports")
    assert agencies == [{"agency": EXPECTED["2024"]["agency"]}]
    rows = query(
        db,
        "SELECT check_id, expected, actual, passed FROM checks "
        "WHERE report_id = 'huaian-hongze-district-2024' AND check_id LIKE 'x.carryover.%' ORDER BY check_id",
    )
    codes = sorted(
        c["check_id"].rsplit(".", 1)[1] for c in EXPECTED["cross_year_checks"] if "carry" in c["check_id"]
    )
    assert sorted(r["check_id"].rsplit(".", 1)[1] for r in rows) == codes
    assert all(r["passed"] for r in rows), rows


# --- Refusals ------------------------------------------------------------------------


def minimal_pdf(content: bytes | None = None, encrypt: bool = False) -> bytes:
    """A one-page PDF written by hand: with a line of Helvetica text, or encrypted."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content or b""), content or b""),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    trailer = b""
    if encrypt:  # the standard security handler, with a user password we do not have
        objects.append(
            b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <%s> /U <%s> >>" % (b"1" * 64, b"2" * 64)
        )
        trailer = b"/Encrypt 6 0 R /ID [<%s> <%s>] " % (b"ab" * 16, b"ab" * 16)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (i, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % off for off in offsets))
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    )
    return out.getvalue()


def text_pdf(text: str = "Annual report on government information disclosure") -> bytes:
    return minimal_pdf(b"BT /F1 14 Tf 72 760 Td (%s) Tj ET" % text.encode("ascii"))


def image_pdf(pages: int = 1) -> bytes:
    """A 'scanned' PDF: page images (drawn with Pillow) and no text layer."""
    from PIL import Image, ImageDraw

    images = []
    for n in range(pages):
        image = Image.new("RGB", (595, 842), "white")
        draw = ImageDraw.Draw(image)
        draw.text((72, 72), f"scanned page {n + 1}", fill="black")
        draw.rectangle((72, 200, 520, 400), outline="black")
        images.append(image)
    buf = io.BytesIO()
    images[0].save(buf, "PDF", save_all=True, append_images=images[1:], resolution=72)
    return buf.getvalue()


def refusal(name: str, data: bytes) -> str:
    with pytest.raises(ReportError) as caught:
        document_from_bytes(name, data)
    problems = caught.value.problems
    assert problems and all(p.file == name for p in problems)
    return "；".join(f"{p.place}：{p.reason}" for p in problems)


def test_a_text_pdf_reads() -> None:
    blocks = pdf_blocks("plain.pdf", text_pdf())
    assert blocks == [Para(1, "Annual report on government information disclosure")]


def test_not_a_pdf_is_refused(tmp_path: Path) -> None:
    assert "不是有效的PDF文件" in refusal("report.pdf", "2023年政府信息公开工作年度报告\n".encode())
    assert "不是有效的PDF文件" in refusal("image.pdf", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    assert "不是有效的PDF文件" in refusal("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog")
    path = tmp_path / "renamed.pdf"
    path.write_bytes(b"PK\x03\x04 a zip file, not a PDF" * 10)
    with pytest.raises(ReportError) as caught:
        read_document(path)
    assert caught.value.problems[0].file == "renamed.pdf"
    assert "不是有效的PDF文件" in caught.value.problems[0].reason


def test_truncated_pdf_is_refused() -> None:
    data = text_pdf()
    assert "PDF" in refusal("cut.pdf", data[: len(data) // 2])


def test_encrypted_pdf_is_refused() -> None:
    assert "已加密" in refusal("locked.pdf", minimal_pdf(b"", encrypt=True))


def test_scanned_pdf_is_refused() -> None:
    reason = refusal("scan.pdf", image_pdf(pages=2))
    assert reason == f"整个文件：{SCANNED}"


def test_scanned_page_amid_text_pages_is_refused() -> None:
    pdfium = pytest.importorskip("pypdfium2")
    merged = pdfium.PdfDocument.new()
    for data in (text_pdf(), image_pdf(), text_pdf("Page three of the annual report")):
        merged.import_pages(pdfium.PdfDocument(data))
    buf = io.BytesIO()
    merged.save(buf)
    reason = refusal("partly-scanned.pdf", buf.getvalue())
    assert reason.startswith("第2页：") and SCANNED in reason


def test_pdf_without_any_text_is_refused() -> None:
    assert "没有可读取的文字" in refusal("blank.pdf", minimal_pdf(b""))


def test_no_pdfplumber_exception_escapes(monkeypatch: pytest.MonkeyPatch) -> None:
    import pdfplumber

    def broken(*_args, **_kwargs):
        raise RuntimeError("something deep inside pdfminer")

    monkeypatch.setattr(pdfplumber, "open", broken)
    assert "无法读取PDF文件" in refusal("odd.pdf", text_pdf())


# --- Paragraph assembly on made-up page layouts --------------------------------------


def _line(top: float, x0: float, text: str, size: float = 16.0, x1: float = 518.5, bold: bool = False):
    from etl.readers.pdf_file import tidy
    from etl.readers.pdf_layout import TextLine

    return (top, TextLine(top, top + size, x0, x1, size, bold, tidy(text)))  # as _page_content makes them


def test_lines_join_into_paragraphs() -> None:
    from etl.readers.pdf_layout import PageContent, _Assembler

    page1 = PageContent(1, 595, 842, 500, 0, False)
    page1.items = [
        _line(40, 250, "内部资料 第 1 期", size=10, x1=345),  # a running header
        _line(87, 219, "某某区人民政府", size=22, x1=373),
        _line(120, 128, "2023 年政府信息公开工作年度报告", size=22, x1=464),
        _line(186, 106, "本报告根据《条例》编制。报告中所列数据统计期限自 2023 年 1 月 1 日"),
        _line(213, 74, "起至 2023 年 12 月 31 日止。", x1=300),
        _line(240, 106, "一、总体情况", x1=202, bold=True),
        _line(268, 106, "（一）主动公开情况。主动公开政府信息 1136"),
        _line(295, 74, "条 ， 较 上 年 增 加 。 严 格 执 行 “ 分"),
        _line(793, 280, "- 1 -", x1=315),
    ]
    page2 = PageContent(2, 595, 842, 500, 0, False)
    page2.items = [
        _line(40, 250, "内部资料 第 1 期", size=10, x1=345),
        _line(80, 74, "级审核”程序。", x1=200),
        _line(107, 106, "二、主动公开政府信息情况", x1=300, bold=True),
        (140, [["第二十条第（一）项"], ["信息内容", "本年制发件数"]]),
        _line(300, 106, "三、收到和处理政府信息公开申请情况", x1=400, bold=True),
        _line(793, 280, "- 2 -", x1=315),
    ]
    blocks = _Assembler().blocks([page1, page2])
    assert blocks == [
        Para(1, "某某区人民政府2023年政府信息公开工作年度报告"),
        Para(2, "本报告根据《条例》编制。报告中所列数据统计期限自2023年1月1日起至2023年12月31日止。"),
        Para(3, "一、总体情况"),
        Para(4, "（一）主动公开情况。主动公开政府信息1136条，较上年增加。严格执行“分级审核”程序。"),
        Para(5, "二、主动公开政府信息情况"),
        Table(6, [["第二十条第（一）项"], ["信息内容", "本年制发件数"]]),
        Para(8, "三、收到和处理政府信息公开申请情况"),
    ]


def test_tidy_removes_only_spaces_next_to_chinese() -> None:
    from etl.readers.pdf_file import tidy

    assert tidy("号 ， 邮 编 ： 223100 ， 电 话 ： 0517-87222589") == "号，邮编：223100，电话：0517-87222589"
    assert tidy("“ 三安全一稳定 ”") == "“三安全一稳定”"
    assert tidy("Windows 10 与 Office 2016") == "Windows 10与Office 2016"


def test_title_after_a_document_number() -> None:
    from etl.readers.pdf_layout import PageContent, _Assembler

    page = PageContent(1, 595, 842, 500, 0, False)
    page.items = [
        _line(60, 74, "洪政办〔2024〕3号", x1=220),
        _line(100, 186, "淮安市洪泽区人民政府", size=22, x1=406),
        _line(130, 128, "2024 年政府信息公开工作年度报告", size=22, x1=464),
        _line(180, 106, "本报告由区政府办公室编制。", x1=330),
        _line(210, 106, "一、总体情况", x1=202, bold=True),
        _line(240, 106, "全年主动公开政府信息 2428 条。", x1=400),
    ]
    texts = [b.text for b in _Assembler().blocks([page])]
    assert texts == [
        "洪政办〔2024〕3号",
        "淮安市洪泽区人民政府2024年政府信息公开工作年度报告",
        "本报告由区政府办公室编制。",
        "一、总体情况",
        "全年主动公开政府信息2428条。",
    ]
