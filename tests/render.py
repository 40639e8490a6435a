"""The seed report's content as other formats publish it: a government web page
(HTML) and a Word file (DOCX), for the format tests.

Everything comes from the seed's own text, read by the text reader: the title,
the six headings, each prose paragraph word for word, and each table cell as
printed (the seed's own labels, misprints such as "自己这一情形" and "本年增"
included, and its blank cells). What changes is the form: the tables get the
merged cells of the national template (``*_layout`` below: the vertical
"三、本年度办理结果" cell, the "（三）不予公开" row spans, labels spanning the
label columns, header cells spanning rows and columns), so a reader must undo
real row and column spans to get the seed's rows back; and the web page puts
the article inside page chrome (header, menu, breadcrumbs, a sidebar naming
another year's report, a footer, scripts).
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass

from etl.document import expand_spans
from etl.readers import text_document
from tests.fixtures import SEED_AGENCY, SEED_NAME, seed_text

Span = tuple[str, int, int]  # (text, rowspan, colspan), as expand_spans takes them

APPLICANT_COLUMNS = 7
T3_LABEL_COLUMNS = 3
T2_COLUMNS = 4


@dataclass(frozen=True)
class SectionContent:
    heading: str
    paragraphs: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # the seed's rows (its conventions)
    layout: tuple[tuple[Span, ...], ...]  # the same table with merged cells


@dataclass(frozen=True)
class Content:
    title: str
    sections: tuple[SectionContent, ...]


# --- The national template's merged cells ---------------------------------------------


def table2_layout(rows: list[list[str]]) -> list[list[Span]]:
    """Table 二, four columns: a block's item across all of them; a short row's last cell widened."""
    out = []
    for row in rows:
        if len(row) == 1:
            out.append([(row[0], 1, T2_COLUMNS)])
            continue
        spans = [(text, 1, 1) for text in row]
        if len(row) < T2_COLUMNS:
            spans[-1] = (row[-1], 1, T2_COLUMNS - len(row) + 1)
        out.append(spans)
    return out


def table3_layout(rows: list[list[str]]) -> list[list[Span]]:
    """Table 三: three label columns and seven applicant columns, with the template's merges."""
    note, applicants_head = rows[0]
    _, person, organisations, total = rows[1]
    out: list[list[Span]] = [
        [(note, 3, T3_LABEL_COLUMNS), (applicants_head, 1, APPLICANT_COLUMNS)],
        [(person, 2, 1), (organisations, 1, 5), (total, 2, 1)],
        [(text, 1, 1) for text in rows[2][2:7]],
    ]
    for i, row in enumerate(rows[3:], start=3):
        labels, values = row[:-APPLICANT_COLUMNS], row[-APPLICANT_COLUMNS:]
        spans: list[Span] = []
        for k, label in enumerate(labels):
            if k < len(labels) - 1:  # a group label (三、本年度办理结果, （三）不予公开, …)
                if label == "":
                    continue  # covered by the group label above
                rowspan = 1
                for below in rows[i + 1 :]:
                    if len(below) - APPLICANT_COLUMNS - 1 > k and below[k] == "":
                        rowspan += 1
                    else:
                        break
                spans.append((label, rowspan, 1))
            else:  # the row's own label, across the rest of the label columns
                spans.append((label, 1, T3_LABEL_COLUMNS - k))
        spans.extend((value, 1, 1) for value in values)
        out.append(spans)
    return out


def table4_layout(rows: list[list[str]]) -> list[list[Span]]:
    """Table 四: 行政复议 over five columns, 行政诉讼 over ten, then its two blocks of five."""
    (review, litigation), second, third, values = rows
    return [
        [(review, 1, 5), (litigation, 1, 10)],
        [*((text, 2, 1) for text in second[:5]), (second[5], 1, 5), (second[6], 1, 5)],
        [(text, 1, 1) for text in third[5:]],
        [(value, 1, 1) for value in values],
    ]


LAYOUTS = {"二": table2_layout, "三": table3_layout, "四": table4_layout}


def seed_content(text: str | None = None) -> Content:
    """The seed (or an edited copy of its text) as title, sections, paragraphs and tables."""
    doc = text_document(SEED_NAME, "", seed_text() if text is None else text)
    assert doc.title is not None
    sections = []
    for numeral, section in doc.sections.items():
        rows = [[cell.text for cell in row] for row in section.rows]
        layout = LAYOUTS[numeral](rows) if rows else []
        if expand_spans(layout) != rows:  # the merged form must stand for exactly the seed's rows
            raise AssertionError(f"layout of table {numeral} does not expand to the seed's rows")
        sections.append(
            SectionContent(
                section.heading.text.strip(),
                tuple(p.text for p in section.paragraphs),
                tuple(tuple(r) for r in rows),
                tuple(tuple(r) for r in layout),
            )
        )
    return Content(doc.title.text.strip(), tuple(sections))


def placed(layout: tuple[tuple[Span, ...], ...] | list[list[Span]]) -> list[tuple[int, int, str, int, int]]:
    """Each cell of a merged layout with its grid position: (row, column, text, rowspan, colspan)."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(layout):
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in taken:
                c += 1
            out.append((r, c, text, rowspan, colspan))
            taken.update((r + i, c + j) for i in range(rowspan) for j in range(colspan))
            c += colspan
    return out


# --- HTML -----------------------------------------------------------------------------

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_WRAPPED_HEADERS = ("本年新",)  # the seed prints "本年新 / 制作数量" on two lines


def _escape(text: str) -> str:
    return html.escape(text, quote=False).replace("“", "&ldquo;").replace("”", "&rdquo;")


def _prose_html(text: str) -> str:
    """A paragraph as a CMS writes it: numbers in their own font, the source line broken after a comma."""
    body = _escape(text)
    body = _NUMBER.sub(lambda m: f'<span style="font-family:Times New Roman">{m.group()}</span>', body)
    body = body.replace("，", "，\n        ", 1) if "，" in body else body
    return f'<p style="text-indent:2em;line-height:2">&nbsp;&nbsp;{body}</p>'


def _cell_html(text: str, rowspan: int, colspan: int, index: int) -> str:
    spans = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f" colspan={colspan}" if colspan > 1 else "")
    if text == "":
        inner = "&nbsp;"
    elif _NUMBER.fullmatch(text) or text.endswith("元"):
        pad = "&nbsp;" if index % 2 else ""
        inner = f'<p align="center"><span lang="EN-US">{pad}{_escape(text)}{pad}</span></p>'
    elif any(text.startswith(w) and len(text) > len(w) for w in _WRAPPED_HEADERS):
        head = next(w for w in _WRAPPED_HEADERS if text.startswith(w))
        if index % 2:
            inner = f"<span>{_escape(head)}<br>\n{_escape(text[len(head) :])}</span>"
        else:
            inner = f"<p>{_escape(head)}</p>\n<p>{_escape(text[len(head) :])}</p>"
    else:
        inner = f'<p class="MsoNormal"><span style="font-size:10.5pt">{_escape(text)}</span></p>'
    return f'<td valign="middle"{spans}>\n  {inner}\n</td>'


def _table_html(layout: tuple[tuple[Span, ...], ...]) -> str:
    lines = [
        '<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" width="100%">',
        "<tbody>",
    ]
    index = 0
    for row in layout:
        cells = []
        for text, rowspan, colspan in row:
            cells.append(_cell_html(text, rowspan, colspan, index))
            index += 1
        lines.append("<tr>\n" + "\n".join(cells) + "\n</tr>")
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)


def _article_html(content: Content) -> str:
    parts = []
    for section in content.sections:
        parts.append(
            f'<p class="MsoNormal"><b><span style="font-family:黑体">{_escape(section.heading)}</span></b></p>'
        )
        parts.extend(_prose_html(p) for p in section.paragraphs)
        if section.layout:
            parts.append(_table_html(section.layout))
        parts.append("<p>&nbsp;</p>")
    return "\n".join(parts)


_SCRIPT = (
    '<script type="text/javascript">\n'
    "var title = '一、总体情况';\n"
    "if (1 < 2 && window.x) { document.write('<p>二、主动公开政府信息情况</p><table><tr><td>0</td></tr></table>'); }\n"
    "</script>"
)


def _head(content: Content, charset: str) -> str:
    meta = (
        f'<meta charset="{charset}">'
        if charset != "utf-8"
        else '<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />'
    )
    return (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml">\n<head>\n'
        f"{meta}\n<title>{_escape(content.title)}_{SEED_AGENCY}</title>\n"
        '<link rel="stylesheet" type="text/css" href="/css/style.css" />\n'
        '<style type="text/css">\n.title { font-size: 22px; } p { margin: 0; }\n</style>\n'
        f"{_SCRIPT}\n</head>\n"
    )


OTHER_YEAR_TITLE = f"2018年{SEED_AGENCY}政府信息公开工作年度报告"


def _div_page(content: Content) -> str:
    """A modern CMS page: the article in a content div, chrome around it."""
    return f"""<body>
<div class="top">
  <div class="logo"><img src="/images/logo.png" alt="{SEED_AGENCY}" />{SEED_AGENCY}</div>
  <div class="search"><form action="/search"><input type="text" name="q" value="请输入关键字" /><button>搜索</button></form></div>
</div>
<nav class="menu"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/bsfw/">办事服务</a></li></ul></nav>
<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政府信息公开</a> &gt; 政府信息公开年报</div>
<div class="main">
  <div class="sidebar">
    <h3>相关报告</h3>
    <ul><li><a href="/zwgk/2018.html">{OTHER_YEAR_TITLE}</a></li><li><a href="/zwgk/2017.html">2017年度报告</a></li></ul>
  </div>
  <div class="article">
    <h1 class="title">{_escape(content.title)}</h1>
    <div class="info">发布时间：2020-03-31&nbsp;&nbsp;来源：办公室&nbsp;&nbsp;浏览次数：<span id="hits">1024</span>&nbsp;&nbsp;字号：[<a>大</a> <a>中</a> <a>小</a>]</div>
    <div class="content" id="zoom">
{_article_html(content)}
    </div>
    <div class="tools">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div>
    <div class="pager">上一篇：<a href="/zwgk/2018.html">{OTHER_YEAR_TITLE}</a></div>
  </div>
</div>
<div class="bottom">
  <p>主办：{SEED_AGENCY}&nbsp;&nbsp;版权所有</p>
  <p>网站标识码：5100000000&nbsp;&nbsp;蜀ICP备00000000号-1</p>
  <p>一、本站声明：转载请注明出处</p>
</div>
<footer><p>六、其他需要报告的事项 — 技术支持：某某公司</p></footer>
<noscript><p>一、总体情况：请启用JavaScript</p></noscript>
<script>var _hmt = _hmt || [];</script>
</body>
</html>
"""


def _table_page(content: Content) -> str:
    """An older site: the whole page laid out with tables, the article in a nested table's cell."""
    return f"""<body>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td colspan="2"><img src="/images/banner.jpg" />{SEED_AGENCY}</td></tr>
<tr><td colspan="2">首页 | 政务公开 | 办事服务 | 互动交流</td></tr>
<tr>
  <td width="200" valign="top">
    <table width="100%"><tr><td>相关报告</td></tr><tr><td><a href="/2018.html">{OTHER_YEAR_TITLE}</a></td></tr></table>
  </td>
  <td valign="top">
    <table width="100%" border="0">
      <tr><td align="center" class="title">{_escape(content.title)}</td></tr>
      <tr><td align="center">发布日期：2020年03月31日</td></tr>
      <tr><td class="content">
{_article_html(content)}
      </td></tr>
    </table>
  </td>
</tr>
<tr><td colspan="2" align="center">版权所有：{SEED_AGENCY}　地址：成都市</td></tr>
</table>
</body>
</html>
"""


def _unclosed(page: str) -> str:
    """The same page as careless markup: no </p>, </td>, </tr>, </li>, no <tbody>, tables without
    their first <tr>, and mixed-case tags."""
    page = re.sub(r"</(?:p|td|th|tr|li|tbody)>", "", page)
    page = page.replace("<tbody>", "")
    page = re.sub(r"(<table[^>]*>\s*)<tr>", r"\1", page)
    return page.replace("<span", "<SPAN").replace("</span>", "</Span>").replace("<td", "<TD")


def seed_html(
    content: Content | None = None, *, charset: str = "utf-8", page: str = "div", closed: bool = True
) -> str:
    """The seed as a government web page (``page``: "div" for a modern site, "table" for a table layout)."""
    content = content or seed_content()
    body = _div_page(content) if page == "div" else _table_page(content)
    text = _head(content, charset) + body
    return text if closed else _unclosed(text)


# --- DOCX -------------------------------------------------------------------------------


def _runs(paragraph, text: str, bold: bool = False) -> None:
    """Text as Word stores it: split into runs where the font changes (around numbers)."""
    pos = 0
    for m in _NUMBER.finditer(text):
        if m.start() > pos:
            paragraph.add_run(text[pos : m.start()]).bold = bold
        run = paragraph.add_run(m.group())
        run.bold = bold
        run.font.name = "Times New Roman"
        pos = m.end()
    if pos < len(text):
        paragraph.add_run(text[pos:]).bold = bold


def _docx_table(document, layout: tuple[tuple[Span, ...], ...]) -> None:
    cells = placed(layout)
    columns = max(c + colspan for _, c, _, _, colspan in cells)
    table = document.add_table(rows=len(layout), cols=columns)
    table.style = "Table Grid"
    for r, c, text, rowspan, colspan in cells:
        cell = table.cell(r, c)
        if rowspan > 1 or colspan > 1:
            cell = cell.merge(table.cell(r + rowspan - 1, c + colspan - 1))
        head = next((w for w in _WRAPPED_HEADERS if text.startswith(w) and len(text) > len(w)), None)
        if head:  # printed on two lines: two paragraphs in the cell
            cell.paragraphs[0].add_run(head)
            cell.add_paragraph(text[len(head) :])
        elif text:
            _runs(cell.paragraphs[0], text)


def seed_docx(content: Content | None = None) -> bytes:
    """The seed as a Word file: the title over two lines, headings in bold, tables with merged cells."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    content = content or seed_content()
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = f"{SEED_AGENCY}　政务公开"
    section.footer.paragraphs[0].text = "第 1 页"
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cut = content.title.index("政府信息公开")
    title.add_run(content.title[:cut]).bold = True
    title.runs[0].add_break()  # the title printed on two lines
    title.add_run(content.title[cut:]).bold = True
    document.add_paragraph("\u00a0")
    for sec in content.sections:
        _runs(document.add_paragraph(), sec.heading, bold=True)
        for text in sec.paragraphs:
            _runs(document.add_paragraph(), text)
        if sec.layout:
            _docx_table(document, sec.layout)
            document.add_paragraph()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
