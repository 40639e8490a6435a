"""The PDF reader on a table 三 that crosses a page break, as a WPS export prints it:
the group label cut in two (``（四）无`` at the foot of page 1 with sub-row 1,
``法提供`` at the top of page 2 with sub-rows 2–3), a header cell broken over two
lines, a page number and a running head on each page. The PDF is built here, by
hand (text in a CID font with a ToUnicode map, so no font file is needed; table
rules as drawn lines), with made-up figures.
"""

from __future__ import annotations

import io

from etl.document import assemble
from etl.parse_table3 import parse_table3
from etl.parse_tables import Collector
from etl.readers.pdf_file import pdf_blocks
from etl.template import APPLICANTS, TABLE3_2019, table3_required

PAGE_W, PAGE_H = 595, 842
SIZE = 5  # the table's font size; every glyph is one em wide (DW 1000)
TITLE = "示例市人民政府2024年政府信息公开工作年度报告"
RUNNING_HEAD = "示例市人民政府办公室印发"


# --- A minimal PDF writer: CJK text via Identity-H + ToUnicode, lines as rules -----


class Page:
    def __init__(self) -> None:
        self.ops: list[str] = []

    def text(self, x: float, top: float, text: str, size: float = SIZE, font: str = "F1") -> None:
        glyphs = "".join(f"{ord(ch):04X}" for ch in text)
        self.ops.append(f"BT /{font} {size} Tf {x:.2f} {PAGE_H - top - size * 0.88:.2f} Td <{glyphs}> Tj ET")

    def line(self, x0: float, top0: float, x1: float, top1: float) -> None:
        self.ops.append(f"0.5 w {x0:.2f} {PAGE_H - top0:.2f} m {x1:.2f} {PAGE_H - top1:.2f} l S")

    def box(self, x0: float, top: float, x1: float, bottom: float, lines: list[str]) -> None:
        for a, b, c, d in (
            (x0, top, x1, top),
            (x0, bottom, x1, bottom),
            (x0, top, x0, bottom),
            (x1, top, x1, bottom),
        ):
            self.line(a, b, c, d)
        height = len(lines) * (SIZE + 1)
        first = top + (bottom - top - height) / 2
        for i, text in enumerate(lines):
            self.text(x0 + 1.5, first + i * (SIZE + 1), text)


def _font(name: str, base: str) -> list[bytes]:
    """A Type0 font (object numbers filled in by build_pdf): font, descendant."""
    return [
        b"<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H /DescendantFonts [%%d 0 R]"
        b" /ToUnicode %%d 0 R >>" % base.encode(),
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo << /Registry (Adobe)"
        b" /Ordering (Identity) /Supplement 0 >> /DW 1000 /FontDescriptor << /Type /FontDescriptor"
        b" /FontName /%s /Flags 4 /FontBBox [0 -120 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120"
        b" /CapHeight 700 /StemV 80 >> >>" % (base.encode(), base.encode()),
    ]


def build_pdf(pages: list[Page]) -> bytes:
    used = sorted(
        {
            int(op[i : i + 4], 16)
            for p in pages
            for op in p.ops
            if "<" in op
            for i in range(op.index("<") + 1, op.index(">"), 4)
        }
    )
    chunks = [used[i : i + 100] for i in range(0, len(used), 100)]
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /U def /CMapType 2 def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        + "".join(
            f"{len(c)} beginbfchar\n" + "".join(f"<{u:04X}> <{u:04X}>\n" for u in c) + "endbfchar\n"
            for c in chunks
        )
        + "endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()
    n_pages = len(pages)
    # 1 catalog, 2 pages, 3 ToUnicode, 4-5 font F1, 6-7 font F2, then page + content per page.
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % (8 + 2 * i) for i in range(n_pages)), n_pages),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(cmap), cmap),
    ]
    f1, d1 = _font("F1", "SimSun")
    f2, d2 = _font("F2", "SimHei")
    objects += [f1 % (5, 3), d1, f2 % (7, 3), d2]
    for i, page in enumerate(pages):
        content = "\n".join(page.ops).encode()
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R"
            b" /Resources << /Font << /F1 4 0 R /F2 6 0 R >> >> >>" % (PAGE_W, PAGE_H, 9 + 2 * i)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % off for off in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


# --- Table 三 across a page break ------------------------------------------------

COLS = [40, 90, 160, 390, *(390 + 28 * k for k in range(1, 8))]  # 3 label columns, 7 value columns
ROW_H = 14
ROWS = table3_required(True)  # the 25 rows of the 2021 variant
PAGE1_LAST = "3.4.1"
GROUP_LABEL = {r.code: r.label for r in TABLE3_2019 if any(s.parent == r.code for s in TABLE3_2019)}


def values(code: str) -> list[str]:
    """Made-up cells, distinct per row; 科研机构 blank, 总计 blank on the result rows."""
    n = [r.code for r in ROWS].index(code) + 1
    total = str(n * 3 + 700) if code in ("1", "2", "3.7", "4") else ""
    return [str(n), str(n + 200), "", str(n + 400), "0", str(n + 600), total]


def header(page: Page, top: float) -> float:
    """The three header rows (spans as the template prints them); returns the top below them."""
    r = [top, top + ROW_H, top + 2 * ROW_H, top + 3 * ROW_H]
    page.box(
        COLS[0], r[0], COLS[3], r[3], ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"]
    )
    page.box(COLS[3], r[0], COLS[10], r[1], ["申请人情况"])
    page.box(COLS[3], r[1], COLS[4], r[3], ["自然人"])
    page.box(COLS[4], r[1], COLS[9], r[2], ["法人或其他组织"])
    page.box(COLS[9], r[1], COLS[10], r[3], ["总计"])
    subs = [["商业", "企业"], ["科研", "机构"], ["社会公益", "组织"], ["法律服务", "机构"], ["其他"]]
    for k, lines in enumerate(subs):
        page.box(COLS[4 + k], r[2], COLS[5 + k], r[3], lines)
    return r[3]


def data_rows(page: Page, top: float, rows: list, group_text: dict[str, str], outer: str) -> None:
    """Data rows from ``top``: labels with their row-spanned group cells, then the values."""
    tops = [top + i * ROW_H for i in range(len(rows) + 1)]
    results = [i for i, r in enumerate(rows) if r.parent is not None]
    if results:  # the 三、本年度办理结果 column, spanning every result row on this page
        page.box(COLS[0], tops[results[0]], COLS[1], tops[results[-1] + 1], [outer] if outer else [])
    for i, r in enumerate(rows):
        if r.parent is None:
            page.box(COLS[0], tops[i], COLS[3], tops[i + 1], [r.label])
        elif r.parent == "3":
            page.box(COLS[1], tops[i], COLS[3], tops[i + 1], [r.label])
        else:
            page.box(COLS[2], tops[i], COLS[3], tops[i + 1], [r.label])
            if i == 0 or rows[i - 1].parent != r.parent:
                last = max(j for j, s in enumerate(rows) if s.parent == r.parent)
                page.box(
                    COLS[1],
                    tops[i],
                    COLS[2],
                    tops[last + 1],
                    [group_text.get(r.parent, GROUP_LABEL[r.parent])],
                )
        for k, v in enumerate(values(r.code)):
            page.box(COLS[3 + k], tops[i], COLS[4 + k], tops[i + 1], [v] if v else [])


def table3_pdf() -> bytes:
    split = [r.code for r in ROWS].index(PAGE1_LAST) + 1
    page1, page2 = Page(), Page()
    for page, number in ((page1, 3), (page2, 4)):
        page.text(240, 20, RUNNING_HEAD, size=8)
        page.text(280, 800, f"- {number} -", size=8)
    page1.text((PAGE_W - len(TITLE) * 14) / 2, 80, TITLE, size=14)
    page1.text(40, 130, "三、收到和处理政府信息公开申请情况", size=10, font="F2")
    data_rows(page1, header(page1, 160), list(ROWS[:split]), {"3.4": "（四）无"}, "三、本年度办理结果")
    data_rows(page2, 60, list(ROWS[split:]), {"3.4": "法提供"}, "")
    page2.text(40, 300, "四、政府信息公开行政复议、行政诉讼情况", size=10, font="F2")
    return build_pdf([page1, page2])


def test_reader_gives_the_cut_label_on_both_sides_of_the_break() -> None:
    doc = assemble("cut.pdf", "0" * 64, "pdf", pdf_blocks("cut.pdf", table3_pdf()))
    assert doc.title is not None and doc.title.text == TITLE
    assert list(doc.sections) == ["三", "四"]
    rows = [[c.text for c in row] for row in doc.sections["三"].rows]
    assert rows[2] == ["", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""]
    i = next(k for k, row in enumerate(rows) if "（四）无" in row)
    assert rows[i] == ["", "（四）无", "1.本机关不掌握相关政府信息", *values("3.4.1")]
    assert rows[i + 1] == ["", "法提供", "2.没有现成信息需要另行制作", *values("3.4.2")]
    assert rows[i + 2] == ["", "", "3.补正后申请内容仍不明确", *values("3.4.3")]
    assert len(rows) == 3 + len(ROWS)  # no page number, running head or blank row among them
    assert not doc.sections["三"].paragraphs


def test_table3_across_the_page_break_parses_every_cell() -> None:
    doc = assemble("cut.pdf", "0" * 64, "pdf", pdf_blocks("cut.pdf", table3_pdf()))
    out = Collector("cut.pdf", "段")
    cells, three_rows = parse_table3(doc.sections["三"].rows, out)
    assert out.problems == [] and out.unplaced == [] and three_rows
    got = {(c.row_code, c.applicant): c.value for c in cells}
    assert got == {
        (r.code, a): (float(v) if v else None)
        for r in ROWS
        for a, v in zip(APPLICANTS, values(r.code), strict=True)
    }
    parents = {c.row_code: c.parent_label for c in cells}
    assert parents["3.4.1"] == parents["3.4.3"] == "（四）无法提供"


def test_table4_left_blank_reads_as_fifteen_nulls() -> None:
    """Table 四 of an agency with no cases: the values row is drawn but empty."""
    from etl.parse_tables import parse_table4

    page = Page()
    page.text((PAGE_W - len(TITLE) * 14) / 2, 80, TITLE, size=14)
    page.text(40, 130, "四、政府信息公开行政复议、行政诉讼情况", size=10, font="F2")
    xs = [40 + 36 * k for k in range(16)]
    tops = [160, 174, 188, 202, 216]
    page.box(xs[0], tops[0], xs[5], tops[1], ["行政复议"])
    page.box(xs[5], tops[0], xs[15], tops[1], ["行政诉讼"])
    page.box(xs[5], tops[1], xs[10], tops[2], ["未经复议直接起诉"])
    page.box(xs[10], tops[1], xs[15], tops[2], ["复议后起诉"])
    for k, outcome in enumerate(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3):
        if k < 5:
            page.box(
                xs[k],
                tops[1],
                xs[k + 1],
                tops[3],
                [outcome[:2], outcome[2:]] if len(outcome) > 2 else [outcome],
            )
        else:
            page.box(
                xs[k],
                tops[2],
                xs[k + 1],
                tops[3],
                [outcome[:2], outcome[2:]] if len(outcome) > 2 else [outcome],
            )
        page.box(xs[k], tops[3], xs[k + 1], tops[4], [])
    doc = assemble("none.pdf", "0" * 64, "pdf", pdf_blocks("none.pdf", build_pdf([page])))
    rows = [[c.text for c in row] for row in doc.sections["四"].rows]
    assert rows[-1] == [""] * 15
    out = Collector("none.pdf", "段")
    cells = parse_table4(doc.sections["四"].rows, out)
    assert out.problems == [] and out.unplaced == []
    assert [c.value for c in cells] == [None] * 15
