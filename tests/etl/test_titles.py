"""Agency and year from the title as published (issue 8, part 1): every title form, page
chrome before it, a title over two lines, the web page's <title> with its site suffix,
and a body sentence that must never become the agency. Sentences and names are made up."""

from __future__ import annotations

import dataclasses
import io

import pytest

from etl.document import Line, clean_title, find_title, parse_title, title_parts
from etl.model import ReportError
from etl.parse import parse_report
from etl.pipeline import load_report
from etl.readers import document_from_bytes
from tests.fixtures import SEED_AGENCY, SEED_TITLE, seed_text
from tests.render import _article_html, _escape, seed_content, seed_docx

BODY_SENTENCE = (
    "本年度报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和"
    "《2019年政府信息公开工作年度报告格式》要求编制，由本机关办公室汇总。"
)

# --- One line: (as printed, year, agency, the title as published) ---------------------------

TITLE_FORMS = [
    ("2019年上海市人民政府办公厅政府信息公开工作年度报告", 2019, "上海市人民政府办公厅", None),
    ("平潭综合实验区2021年度政府信息公开工作年度报告", 2021, "平潭综合实验区", None),
    ("某市公共资源交易中心2022年政府信息公开工作年度报告", 2022, "某市公共资源交易中心", None),
    ("关于某县水利局2020年政府信息公开工作的年度报告", 2020, "某县水利局", None),
    ("某区教育局2023年度政府信息公开年度报告", 2023, "某区教育局", None),
    ("洪泽区人民政府2023 年政府信息公开工作年度报告", 2023, "洪泽区人民政府", None),
    ("２０２２年某镇人民政府政府信息公开工作年度报告", 2022, "某镇人民政府", None),
    ("二〇二〇年某县统计局政府信息公开工作年度报告", 2020, "某县统计局", None),
    (SEED_TITLE, 2019, SEED_AGENCY, None),
    # A web site's suffix after the title, as a page's <title> carries it.
    (
        "2019年上海市人民政府办公厅政府信息公开工作年度报告_上海市人民政府",
        2019,
        "上海市人民政府办公厅",
        "2019年上海市人民政府办公厅政府信息公开工作年度报告",
    ),
    (
        "某市司法局2021年政府信息公开工作年度报告 - 某市司法局网",
        2021,
        "某市司法局",
        "某市司法局2021年政府信息公开工作年度报告",
    ),
    (
        "某市审计局2021年政府信息公开工作年度报告｜某市审计局",
        2021,
        "某市审计局",
        "某市审计局2021年政府信息公开工作年度报告",
    ),
]


@pytest.mark.parametrize(("line", "year", "agency", "published"), TITLE_FORMS)
def test_title_forms(line, year, agency, published):
    assert parse_title(line) == (year, agency)
    assert clean_title(line) == (published or line)


CHROME_INLINE = [
    "当前位置：首页 > 政务公开 > 政府信息公开年报 > 2021年某市民政局政府信息公开工作年度报告",
    "当前位置：首页 ＞ 信息公开 ＞ 2021年某市民政局政府信息公开工作年度报告",
    "来源：某市民政局 发布日期：2022-01-28 2021年某市民政局政府信息公开工作年度报告",
    "发布时间：2022-01-28 10:15 2021年某市民政局政府信息公开工作年度报告",
    "微信 微博 QQ空间 2021年某市民政局政府信息公开工作年度报告",
    "大 中 小 2021年某市民政局政府信息公开工作年度报告",
    "【字号：大 中 小】 2021年某市民政局政府信息公开工作年度报告",
    "【打印本页】 【关闭窗口】 2021年某市民政局政府信息公开工作年度报告",
    "2021年某市民政局政府信息公开工作年度报告 发布日期：2022-01-28",
]


@pytest.mark.parametrize("line", CHROME_INLINE)
def test_chrome_on_the_title_line_is_left_out(line):
    assert parse_title(line) == (2021, "某市民政局")
    assert clean_title(line) == "2021年某市民政局政府信息公开工作年度报告"


NOT_TITLES = [
    BODY_SENTENCE,
    "本年度报告根据《中华人民共和国政府信息公开条例》编制",  # no full stop: still a sentence
    "根据2019年政府信息公开工作年度报告格式要求，现公布如下。",
    "微信 微博 QQ空间",
    "打印本页 关闭窗口",
    "大 中 小",
    "当前位置：首页 > 政务公开 > 政府信息公开年报",
    "2019年度报告",  # a sidebar link: no 政府信息公开
    "政府信息公开年报",  # a site's column: neither year nor agency
    "政府信息公开工作年度报告",
    "关于召开2020年春季运动会的通知",
]


@pytest.mark.parametrize("line", NOT_TITLES)
def test_sentences_and_chrome_are_no_title(line):
    assert title_parts(line) is None
    assert parse_title(line) is None


PARTIAL = [
    ("2024年政府信息公开工作年度报告", 2024, None),
    ("某市人民政府政府信息公开工作年度报告", None, "某市人民政府"),
    ("打印本页关闭窗口2024年政府信息公开工作年度报告", 2024, None),  # chrome is never an agency
]


@pytest.mark.parametrize(("line", "year", "agency"), PARTIAL)
def test_a_title_without_its_year_or_agency_says_what_it_has(line, year, agency):
    parts = title_parts(line)
    assert parts is not None and (parts.year, parts.agency) == (year, agency)
    assert parse_title(line) is None


# --- Among lines: chrome lines before, two-line titles, body sentences after -------------------

CHROME_LINES = [
    "当前位置：首页 > 政务公开 > 政府信息公开年报",
    "来源：某市民政局",
    "发布日期：2022-01-28",
    "微信 微博 QQ空间",
    "大 中 小",
    "打印本页 关闭窗口",
]
SPLITS = [
    (["某市民政局", "2021年政府信息公开工作年度报告"], "某市民政局2021年政府信息公开工作年度报告"),
    (["某市民政局2021年", "政府信息公开工作年度报告"], "某市民政局2021年政府信息公开工作年度报告"),
    (["2021年", "某市民政局", "政府信息公开工作年度报告"], "2021年某市民政局政府信息公开工作年度报告"),
    (
        ["关于某市民政局", "2021年政府信息公开工作的年度报告"],
        "关于某市民政局2021年政府信息公开工作的年度报告",
    ),
]


@pytest.mark.parametrize("chrome", [[], CHROME_LINES, CHROME_LINES[::-1]])
@pytest.mark.parametrize(("parts", "joined"), SPLITS)
def test_find_title_joins_a_split_title_after_chrome(chrome, parts, joined):
    lines = [Line(n, t) for n, t in enumerate([*chrome, *parts, BODY_SENTENCE], start=1)]
    assert find_title(lines) == Line(len(chrome) + 1, joined)
    assert parse_title(joined) == (2021, "某市民政局")


def test_find_title_never_takes_a_body_sentence():
    assert find_title([Line(1, BODY_SENTENCE), Line(2, "一、总体情况")]) is None
    # A partial title is found (an official supplies the rest); the sentence after it is not.
    assert find_title([Line(1, "2024年政府信息公开工作年度报告"), Line(2, BODY_SENTENCE)]) == Line(
        1, "2024年政府信息公开工作年度报告"
    )
    # A sidebar's heading line with 报告 is no fragment of the title below it.
    lines = [Line(1, "相关报告"), Line(2, "2018年度报告"), Line(3, "2019年某局政府信息公开工作年度报告")]
    assert find_title(lines) == Line(3, "2019年某局政府信息公开工作年度报告")


# --- Whole reports in each format -------------------------------------------------------------


def _txt(head: str) -> bytes:
    return seed_text().replace(SEED_TITLE, head, 1).encode("utf-8")


def _html(body_title: str, page_title: str, chrome: str = "", first: str = BODY_SENTENCE) -> bytes:
    content = seed_content()
    one = content.sections[0]
    content = dataclasses.replace(
        content,
        sections=(dataclasses.replace(one, paragraphs=(first, *one.paragraphs)), *content.sections[1:]),
    )
    return (
        f'<html><head><meta charset="utf-8"><title>{_escape(page_title)}</title></head><body>'
        f"{chrome}{body_title}<div class='content'>{_article_html(content)}</div>"
        "<div>【打印本页】【关闭窗口】</div></body></html>"
    ).encode()


PAGE_CHROME = (
    "<div>当前位置：<a>首页</a> &gt; <a>政务公开</a> &gt; <a>政府信息公开年报</a></div>"
    "<div>来源：办公厅&nbsp;&nbsp;发布日期：2020-03-30</div>"
    "<div>分享到：<a>微信</a> <a>微博</a> <a>QQ空间</a></div>"
    "<div>字号：<a>大</a> <a>中</a> <a>小</a></div><div><a>打印本页</a> <a>关闭窗口</a></div>"
)
CITY = "2019年上海市人民政府办公厅政府信息公开工作年度报告"


def _docx(lines: list[str]) -> bytes:
    """The seed as a Word file, its title paragraph replaced by ``lines`` (each centred, bold)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document(io.BytesIO(seed_docx()))
    title = document.paragraphs[0]
    assert title.text.replace("\n", "") == SEED_TITLE
    for line in lines:
        paragraph = title.insert_paragraph_before()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(line).bold = True
    title._element.getparent().remove(title._element)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


WHOLE = {
    # name: (file name, bytes, agency, year, title as stored)
    "txt two lines": (
        "a.txt",
        _txt(f"淮安市人民政府\n2024年政府信息公开工作年度报告\n{BODY_SENTENCE}"),
        "淮安市人民政府",
        2024,
        "淮安市人民政府2024年政府信息公开工作年度报告",
    ),
    "txt chrome lines": (
        "b.txt",
        _txt("\n".join([*CHROME_LINES, "平潭综合实验区2021年度政府信息公开工作年度报告", BODY_SENTENCE])),
        "平潭综合实验区",
        2021,
        "平潭综合实验区2021年度政府信息公开工作年度报告",
    ),
    "html centred bold title, body sentence first": (
        "c.html",
        _html(
            f'<p style="text-align:center"><strong>{CITY}</strong></p>', f"{CITY}_上海市人民政府", PAGE_CHROME
        ),
        "上海市人民政府办公厅",
        2019,
        CITY,
    ),
    "html title only in <title>, with suffix": (
        "d.html",
        _html("", f"{CITY}_上海市人民政府", PAGE_CHROME),
        "上海市人民政府办公厅",
        2019,
        CITY,
    ),
    "html <title> and heading disagree: the body's": (
        "e.html",
        _html("<h1>某市公共资源交易中心2022年政府信息公开工作年度报告</h1>", "政府信息公开年报 - 某市政府网"),
        "某市公共资源交易中心",
        2022,
        "某市公共资源交易中心2022年政府信息公开工作年度报告",
    ),
    "html partial heading, full <title>": (
        "f.html",
        _html(
            "<h1>2022年政府信息公开工作年度报告</h1>",
            "某市公共资源交易中心2022年政府信息公开工作年度报告_某市",
        ),
        "某市公共资源交易中心",
        2022,
        "某市公共资源交易中心2022年政府信息公开工作年度报告",
    ),
    "html two lines with <br>": (
        "g.html",
        _html("<h1>关于某县水利局<br>2020年政府信息公开工作的年度报告</h1>", "年报", PAGE_CHROME),
        "某县水利局",
        2020,
        "关于某县水利局2020年政府信息公开工作的年度报告",
    ),
    "docx two paragraphs": (
        "h.docx",
        _docx(["淮安市人民政府", "2024年政府信息公开工作年度报告", BODY_SENTENCE]),
        "淮安市人民政府",
        2024,
        "淮安市人民政府2024年政府信息公开工作年度报告",
    ),
}


@pytest.mark.parametrize("case", list(WHOLE))
def test_whole_reports_agency_year_and_title(case, tmp_path):
    name, data, agency, year, title = WHOLE[case]
    path = tmp_path / name
    path.write_bytes(data)
    report = load_report(path)
    assert (report.agency, report.year, report.title) == (agency, year, title)
    assert (report.agency_source, report.year_source) == ("title", "title")
    assert report.foi_requests and report.figures, "the sections after the title are read"


def test_the_seed_keeps_its_agency_year_and_title():
    report = parse_report(document_from_bytes("s.txt", seed_text().encode("utf-8")))
    assert (report.agency, report.year, report.title) == (SEED_AGENCY, 2019, SEED_TITLE)


# --- Refusals say what was looked for, and where ----------------------------------------------

REFUSALS = [
    (
        "x.txt",
        _txt(BODY_SENTENCE),
        "x.txt：标题（第1行）：不是政府信息公开工作年度报告：未找到“某年某机关政府信息公开工作年度报告”这样的标题"
        "（在“一、总体情况”之前的各段中查找，也查找了分两三行印的标题；第一行是“本年度报告根据《中华人民共和国政府信息公开条例》"
        "（以下简称《条例》）和《2019…”；已识别的章节：一、二、三、四、五、六）。如确是年报，可人工指定机关名称和年度",
    ),
    (
        "y.html",
        _html("", "政府信息公开 - 某市政府网", PAGE_CHROME),
        "y.html：标题（第1段）：不是政府信息公开工作年度报告：未找到“某年某机关政府信息公开工作年度报告”这样的标题"
        "（在“一、总体情况”之前的各段、网页的<title>中查找，也查找了分两三行印的标题；第一段是“当前位置：首页 > 政务公开 > "
        "政府信息公开年报”；已识别的章节：一、二、三、四、五、六）。如确是年报，可人工指定机关名称和年度",
    ),
    (
        "z.txt",
        _txt("2024年政府信息公开工作年度报告"),
        "z.txt：标题（第1行）：标题“2024年政府信息公开工作年度报告”中没有机关名称（查找的是年份前后的机关名称，"
        "如“某市人民政府2024年政府信息公开工作年度报告”）；可人工指定机关名称",
    ),
    (
        "w.txt",
        _txt("某市人民政府政府信息公开工作年度报告"),
        "w.txt：标题（第1行）：标题“某市人民政府政府信息公开工作年度报告”中没有年份（查找的是“2024年”或“2024年度”）；"
        "可人工指定年度",
    ),
]


@pytest.mark.parametrize(("name", "data", "message"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_no_agency_or_year_is_refused_saying_what_was_looked_for(name, data, message, tmp_path):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ReportError) as info:
        load_report(path)
    assert str(info.value) == message
    assert "--" not in message, "no command-line flag in a message the import page shows"


# --- Every line of a file may be looked at: reading one stays linear -----------------------------

LONG_LINES = [
    "某" * 5000 + "政府信息公开" + "某" * 5000 + "报",
    "a:" * 140 + "政府信息公开报",
    "大 " * 140 + "政府信息公开报告",
    "微信" * 140 + " 政府信息公开报告",
    "某" * 100_000 + "政府信息公开工作年度报告",
]


@pytest.mark.parametrize("line", LONG_LINES, ids=range(len(LONG_LINES)))
def test_long_lines_are_read_in_linear_time(line):
    import time

    started = time.perf_counter()
    assert title_parts(line) is None
    assert find_title([Line(n, line) for n in range(200)]) is None
    assert time.perf_counter() - started < 0.5  # cubic backtracking took minutes on the first line


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("某市12345政务服务便民热线2022年政府信息公开工作年度报告", (2022, "某市12345政务服务便民热线")),
        ("2023年某市第17中学政府信息公开工作年度报告", (2023, "某市第17中学")),
        ("某市第2人民医院2021年度政府信息公开工作年度报告", (2021, "某市第2人民医院")),
    ],
)
def test_digits_in_an_agency_name_are_part_of_it(title, expected):
    from etl.document import parse_title

    assert parse_title(title) == expected
