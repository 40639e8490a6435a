"""Whole reports of other agencies, as they are published, for the acceptance tests.

The seed-derived fixtures change one thing at a time; these combine the
variations of ``../shared/real-world-variants.md`` the way a real report of
another agency does: a city office's web page whose title is only in
``<title>`` and a centred bold line, a 2021-format Word file on a uniform grid,
a trading centre with its own wording. Every sentence and value here is made
up for the tests (no real report's text); each report comes with what a
correct reading gives: agency, year, format, every table cell, the figures.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from etl.template import APPLICANTS, TABLE2_2019, TABLE2_2021, TABLE3_2019
from tests.render import (
    Content,
    SectionContent,
    _article_html,
    _docx_table,
    _escape,
    table3_layout,
    table4_layout,
)

Key = tuple[str, str, str]
SECTION_HEADINGS = {
    "一": "一、总体情况",
    "二": "二、主动公开政府信息情况",
    "三": "三、收到和处理政府信息公开申请情况",
    "四": "四、政府信息公开行政复议、行政诉讼情况",
    "五": "五、存在的主要问题及改进情况",
    "六": "六、其他需要报告的事项",
}
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
OUTCOMES = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


@dataclass
class Variant:
    """A report as published (file name and bytes) and what reading it must give."""

    name: str
    data: bytes
    agency: str
    year: int
    template: str
    t2: dict[tuple[str, str], float | None]  # (content, measure) → value
    t3: dict[tuple[str, str], float | None]  # (row_code, applicant) → value
    t4: dict[tuple[str, str], float | None]  # (proceeding, outcome) → value
    figures: dict[Key, float] = field(default_factory=dict)
    failing_checks: tuple[str, ...] = ()  # the report's own contradictions, on purpose


def _value(text: str) -> float | None:
    """What a printed cell means: blank → None; ``-15`` → -15; ``96171.6`` → 96171.6; ``12元`` → 12."""
    text = text.replace("\u3000", "").replace("\xa0", "").strip()
    if text in ("", "/"):
        return None
    return float(text.rstrip("元件").replace(",", ""))


# --- Tables in the seed's row conventions -------------------------------------------------


def table2_rows(fmt: str, cells: dict[str, list[str]]) -> list[list[str]]:
    """Table 二 of a format: each block's item row, header row and content rows (cells as printed)."""
    rows: list[list[str]] = []
    for block in TABLE2_2019 if fmt == "2019" else TABLE2_2021:
        rows.append([block.item])
        rows.append(["信息内容", *block.measures])
        rows.extend([content, *cells[content]] for content in block.contents)
    return rows


def table2_expected(fmt: str, cells: dict[str, list[str]]) -> dict[tuple[str, str], float | None]:
    return {
        (content, measure): _value(text)
        for block in (TABLE2_2019 if fmt == "2019" else TABLE2_2021)
        for content in block.contents
        for measure, text in zip(block.measures, cells[content], strict=True)
    }


def table3_rows(three_rows: bool, cells: dict[str, list[str]]) -> list[list[str]]:
    """Table 三 with its three header rows; group labels on the first row of their group only."""
    rows = [
        [T3_NOTE, "申请人情况"],
        ["", "自然人", "法人或其他组织", "总计"],
        ["", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""],
    ]
    groups_started: set[str] = set()
    skip = {"3.6.1", "3.6.2", "3.6.3"} if not three_rows else {"3.6"}
    for row in TABLE3_2019:
        if row.is_group or row.code in skip:
            continue
        labels: list[str] = []
        if row.parent is None:
            labels = [row.label]
        else:
            parent = next(r for r in TABLE3_2019 if r.code == row.parent)
            if parent.parent is None:  # under 三、本年度办理结果
                labels = ["三、本年度办理结果" if "3" not in groups_started else "", row.label]
                groups_started.add("3")
            else:
                labels = [
                    "三、本年度办理结果" if "3" not in groups_started else "",
                    parent.label if parent.code not in groups_started else "",
                    row.label,
                ]
                groups_started.update({"3", parent.code})
        rows.append([*labels, *cells[row.code]])
    return rows


def table3_expected(cells: dict[str, list[str]]) -> dict[tuple[str, str], float | None]:
    return {
        (code, a): _value(t)
        for code, values in cells.items()
        for a, t in zip(APPLICANTS, values, strict=True)
    }


def table4_rows(values: list[str]) -> list[list[str]]:
    return [
        ["行政复议", "行政诉讼"],
        [*OUTCOMES, "未经复议直接起诉", "复议后起诉"],
        ["", "", "", "", "", *OUTCOMES, *OUTCOMES],
        values,
    ]


def table4_expected(values: list[str]) -> dict[tuple[str, str], float | None]:
    keys = [(p, o) for p in ("行政复议", "未经复议直接起诉", "复议后起诉") for o in OUTCOMES]
    return {k: _value(v) for k, v in zip(keys, values, strict=True)}


def table2_layout_padded(rows: list[list[str]]) -> list[list[tuple[str, int, int]]]:
    """Table 二 on a uniform 4-column grid: short rows keep trailing empty cells (nothing merged)."""
    return [[(t, 1, 1) for t in row] + [("", 1, 1)] * (4 - len(row)) for row in rows]


def table2_layout_merged(rows: list[list[str]]) -> list[list[tuple[str, int, int]]]:
    """Table 二 as the template merges it: item rows across 4 columns, short rows' last cell widened."""
    out = []
    for row in rows:
        spans = [(t, 1, 1) for t in row]
        spans[-1] = (row[-1], 1, 4 - len(row) + 1)
        out.append(spans)
    return out


# --- A city office's web page, 2019 format --------------------------------------------------

CITY_OFFICE = "某江市人民政府办公厅"
CITY_TITLE = f"2019年{CITY_OFFICE}政府信息公开工作年度报告"


def _city_t3() -> dict[str, list[str]]:
    """The 总计 column blank on every result row: only 新收, 结转, （七）总计 and 结转下年 carry it."""
    blank = ["", "", "", "", "", "", ""]
    cells = {r.code: list(blank) for r in TABLE3_2019 if not r.is_group and not r.code.startswith("3.6.")}
    cells["1"] = ["640", "150", "3", "2", "6", "4", "805"]
    cells["2"] = ["12", "3", "", "", "", "", "15"]
    cells["3.1"] = ["301", "70", "1", "1", "2", "2", ""]
    cells["3.2"] = ["25", "8", "", "", "1", "", ""]
    cells["3.3.3"] = ["4", "", "", "", "", "", ""]
    cells["3.3.5"] = ["10", "3", "", "", "", "", ""]
    cells["3.4.1"] = ["180", "40", "2", "1", "2", "1", ""]
    cells["3.4.3"] = ["20", "6", "", "", "", "", ""]
    cells["3.5.2"] = ["30", "9", "", "", "", "1", ""]
    cells["3.6"] = ["40", "10", "", "", "1", "", ""]
    cells["3.7"] = ["610", "146", "3", "2", "6", "4", "771"]
    cells["4"] = ["42", "7", "", "", "", "", "49"]
    return cells


def city_office_html() -> Variant:
    """Title only in ``<title>`` (with the site's suffix) and a centred bold line; the first body
    paragraph is the usual ``本年度报告根据…`` sentence; page chrome all around."""
    t2 = {
        "规章": ["2", "3", "45"],
        "规范性文件": ["11", "11", "160"],
        "行政许可": ["86", "-15", "10,240"],
        "其他对外管理服务事项": ["20", "\u3000", "315"],
        "行政处罚": ["5", "0", "96"],
        "行政强制": ["", "", ""],
        "行政事业性收费": ["3", "-1"],
        "政府集中采购": ["37", "2186.54"],
    }
    t3 = _city_t3()
    t4 = ["6", "1", "0", "1", "8", "3", "0", "1", "0", "4", "", "", "", "", ""]
    paragraphs = (
        "本年度报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，由市政府办公厅编制。"
        "全文包括总体情况、主动公开政府信息情况等六个部分。报告中所列数据的统计期限自2019年1月1日起至2019年12月31日止。",
        "2019年，市政府办公厅共受理政府信息公开申请805件，按时答复率100%。",
    )
    content = _content(
        CITY_TITLE,
        paragraphs,
        (
            table2_layout_merged(table2_rows("2019", t2)),
            table3_layout(table3_rows(False, t3)),
            table4_layout(table4_rows(t4)),
        ),
        ("一是解读还不够深入。二是平台建设仍需加强。", "无。"),
    )
    page = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{_escape(CITY_TITLE)}_某江市人民政府</title></head>
<body>
<div class="header">某江市人民政府 <a>无障碍</a> <a>长者模式</a></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a>政务公开</a> &gt; <a>政府信息公开年报</a></div>
<div class="article">
<p style="text-align:center"><strong><span style="font-size:22px">{_escape(CITY_TITLE)}</span></strong></p>
<div class="meta">来源：市政府办公厅&nbsp;&nbsp;发布日期：2020-03-30&nbsp;&nbsp;字号：<a>大</a> <a>中</a> <a>小</a></div>
<div class="share">分享到：微信 微博 QQ空间</div>
{_article_html(content)}
<div class="tools"><a>打印本页</a> <a>关闭窗口</a></div>
</div>
<div class="footer">主办：某江市人民政府办公厅 网站标识码0000000000</div>
</body></html>
"""
    return Variant(
        "city-office-2019.html",
        page.encode("utf-8"),
        CITY_OFFICE,
        2019,
        "2019",
        table2_expected("2019", t2),
        table3_expected(t3),
        table4_expected(t4),
        figures={("foi", "requests", "received"): 805.0},
    )


def _content(title: str, paragraphs: tuple[str, ...], tables: tuple, closing: tuple[str, str]) -> Content:
    """A report's six sections: 一's paragraphs, the three tables' layouts, 五 and 六 in one line each."""
    return Content(
        title,
        (
            SectionContent(SECTION_HEADINGS["一"], paragraphs, (), ()),
            *(_section(numeral, layout) for numeral, layout in zip("二三四", tables, strict=True)),
            SectionContent(SECTION_HEADINGS["五"], (closing[0],), (), ()),
            SectionContent(SECTION_HEADINGS["六"], (closing[1],), (), ()),
        ),
    )


def _section(numeral: str, layout: list[list[tuple[str, int, int]]]) -> SectionContent:
    return SectionContent(SECTION_HEADINGS[numeral], (), (), tuple(tuple(r) for r in layout))


# --- A city government's Word file, 2021 format, uniform grid ---------------------------------

CITY_GOV = "某川市人民政府"


def _gov_t3() -> dict[str, list[str]]:
    blank = ["\u3000"] * 7
    codes = [r.code for r in TABLE3_2019 if not r.is_group and r.code != "3.6"]
    cells = {code: list(blank) for code in codes}
    cells["1"] = ["88", "9", "", "1", "", "2", "100"]
    cells["2"] = ["4", "", "", "", "", "", "4"]
    cells["3.1"] = ["30", "5", "", "1", "", "1", "37"]
    cells["3.2"] = ["6", "", "", "", "", "", "6"]
    cells["3.4.1"] = ["40", "3", "", "", "", "1", "44"]
    cells["3.5.2"] = ["5", "", "", "", "", "", "5"]
    cells["3.6.1"] = ["3", "", "", "", "", "", "3"]
    cells["3.6.3"] = ["2", "1", "", "", "", "", "3"]
    cells["3.7"] = ["86", "9", "", "1", "", "2", "98"]
    cells["4"] = ["6", "", "", "", "", "", "6"]
    return cells


def city_gov_docx() -> Variant:
    """The title over two lines (agency, then year and kind), table 二 on a uniform grid with
    trailing empty unmerged cells, full-width-space blanks, amounts with decimals."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    t2 = {
        "规章": ["0", "0", "3"],
        "行政规范性文件": ["4", "2", "57"],
        "行政许可": ["1,532"],
        "行政处罚": ["215"],
        "行政强制": ["\u3000"],
        "行政事业性收费": ["24252.311082"],
    }
    t3 = _gov_t3()
    t4 = ["2", "", "1", "", "3", "1", "", "", "1", "2", "", "", "", "", ""]
    document = docx.Document()
    for line in (CITY_GOV, "2024年政府信息公开工作年度报告"):
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(line).bold = True
    document.add_paragraph(
        "本报告依据《中华人民共和国政府信息公开条例》和国务院办公厅政府信息公开办公室有关通知要求编制。"
    )
    document.add_paragraph(SECTION_HEADINGS["一"])
    document.add_paragraph("2024年，全市共受理政府信息公开申请100件，全部按期答复。")
    tables = {
        "二": table2_layout_padded(table2_rows("2021", t2)),
        "三": table3_layout(table3_rows(True, t3)),
        "四": table4_layout(table4_rows(t4)),
    }
    for numeral in "二三四":
        document.add_paragraph(SECTION_HEADINGS[numeral])
        _docx_table(document, tables[numeral])
    document.add_paragraph(SECTION_HEADINGS["五"])
    document.add_paragraph("一是公开的主动性还需提高。二是解读形式较为单一。")
    document.add_paragraph(SECTION_HEADINGS["六"])
    document.add_paragraph("本机关未收取信息处理费。")
    out = io.BytesIO()
    document.save(out)
    return Variant(
        "city-gov-2024.docx",
        out.getvalue(),
        CITY_GOV,
        2024,
        "2021",
        table2_expected("2021", t2),
        table3_expected(t3),
        table4_expected(t4),
        figures={("foi", "requests", "received"): 100.0},
    )


# --- A trading centre in its own words --------------------------------------------------------

CENTRE = "某州市公共资源交易中心"


def trading_centre_html() -> Variant:
    """Another trading centre: its categories and totals in other words, 2019 tables filled with 0."""
    zeros2 = {
        "规章": ["0", "0", "0"],
        "规范性文件": ["0", "0", "0"],
        "行政许可": ["0", "0", "0"],
        "其他对外管理服务事项": ["0", "0", "0"],
        "行政处罚": ["0", "0", "0"],
        "行政强制": ["0", "0", "0"],
        "行政事业性收费": ["0", "0"],
        "政府集中采购": ["0", "0"],
    }
    t3 = {r.code: ["0"] * 7 for r in TABLE3_2019 if not r.is_group and not r.code.startswith("3.6.")}
    t4 = ["0"] * 15
    paragraphs = (
        "2020年，中心在门户网站公开交易信息1,287条，其中建设工程招投标933条、政府采购288条、"
        "国有建设用地使用权出让58条、产权交易8条。",
        "12345热线共受理群众诉求3,516件，办结3,498件，群众满意度98.6%。",
        "窗口受理审批服务事项2,214件，办结2,190件。",
    )
    title = f"{CENTRE}2020年政府信息公开工作年度报告"
    content = _content(
        title,
        paragraphs,
        (
            table2_layout_merged(table2_rows("2019", zeros2)),
            table3_layout(table3_rows(False, t3)),
            table4_layout(table4_rows(t4)),
        ),
        ("一是信息更新不够及时。", "无其他需要报告的事项。"),
    )
    page = (
        f'<html><head><meta charset="utf-8"><title>{_escape(title)}</title></head><body>'
        f'<h2 align="center">{_escape(title)}</h2>{_article_html(content)}</body></html>'
    )
    return Variant(
        "trading-centre-2020.html",
        page.encode("utf-8"),
        CENTRE,
        2020,
        "2019",
        table2_expected("2019", zeros2),
        table3_expected(t3),
        table4_expected(t4),
        figures={
            ("trading", "notices", "total"): 1287.0,
            ("trading", "notices", "engineering"): 933.0,
            ("trading", "notices", "government_procurement"): 288.0,
            ("trading", "notices", "land_and_mining_rights"): 58.0,
            ("trading", "notices", "state_owned_assets"): 8.0,
            ("hotline", "cases", "total"): 3516.0,
            ("hotline", "rate", "satisfaction"): 98.6,
            ("approvals", "items", "received"): 2214.0,
            ("approvals", "items", "completed"): 2190.0,
        },
    )


VARIANTS = (city_office_html, city_gov_docx, trading_centre_html)


# --- A county centre's page: "关于…的年度报告", totals after the categories, repeated group labels ---

COUNTY = "某县公共资源交易中心"


def _repeated_group_labels(rows: list[list[str]]) -> list[list[tuple[str, int, int]]]:
    """Table 三 as some sites print it: no row spans, the group label repeated on every row."""
    header = table3_layout(rows)[:3]
    body, groups = [], ["", ""]
    for row in rows[3:]:
        labels, values = list(row[:-7]), row[-7:]
        for k in range(len(labels) - 1):
            groups[k] = labels[k] or groups[k]
            labels[k] = groups[k]
        spans = [(t, 1, 1) for t in labels[:-1]] + [(labels[-1], 1, 3 - len(labels) + 1)]
        body.append(spans + [(v, 1, 1) for v in values])
    return header + body


def county_about_html() -> Variant:
    """A 2020 report still on the 2019 tables; the title as ``关于…的年度报告``; the trading total
    after its categories (``合计``); applicant headers broken over lines; units in table 四's cells."""
    t2 = {
        "规章": ["0", "0", "0"],
        "规范性文件": ["1", "1", "12"],
        "行政许可": ["", "", ""],
        "其他对外管理服务事项": ["", "", ""],
        "行政处罚": ["", "", ""],
        "行政强制": ["", "", ""],
        "行政事业性收费": ["", ""],
        "政府集中采购": ["3", "75394432.52元"],
    }
    t3 = {r.code: [""] * 7 for r in TABLE3_2019 if not r.is_group and not r.code.startswith("3.6.")}
    t3["1"] = ["4", "1", "", "", "", "", "5"]
    t3["3.1"] = ["2", "1", "", "", "", "", "3"]
    t3["3.4.1"] = ["2", "", "", "", "", "", "2"]
    t3["3.7"] = ["4", "1", "", "", "", "", "5"]
    t4 = ["1件", "", "", "", "1件", *[""] * 10]
    paragraphs = (
        "2020年，中心全年发布工程建设项目信息933条、政府采购信息288条、土地矿业权58条、国有产权8条，合计1,287条。",
        "受理行政审批事项2,214件，办结2,190件。",
    )
    title = f"关于{COUNTY}2020年政府信息公开工作的年度报告"
    content = _content(
        title,
        paragraphs,
        (
            table2_layout_merged(table2_rows("2019", t2)),
            _repeated_group_labels(table3_rows(False, t3)),
            table4_layout(table4_rows(t4)),
        ),
        ("一是信息发布的及时性有待提高。", "无。"),
    )
    article = _article_html(content)
    for word, printed in (
        ("商业企业", "商业<br/>企业"),
        ("社会公益组织", "社会公益 组织"),
        ("尚未审结", "尚 未<br>审结"),
    ):
        article = article.replace(word, printed)
    page = (
        f'<html><head><meta charset="utf-8"><title>{_escape(title)} - 某县人民政府网</title></head><body>'
        "<div>当前位置：首页 &gt; 政务公开 &gt; 年度报告</div><div>来源：县公共资源交易中心 发布日期：2021-01-25</div>"
        f'<p align="center"><strong>{_escape(title)}</strong></p>{article}'
        "<div>【打印本页】【关闭窗口】</div></body></html>"
    )
    return Variant(
        "county-centre-2020.html",
        page.encode("utf-8"),
        COUNTY,
        2020,
        "2019",
        table2_expected("2019", t2),
        table3_expected(t3),
        table4_expected(t4),
        figures={
            ("trading", "notices", "total"): 1287.0,
            ("trading", "notices", "engineering"): 933.0,
            ("trading", "notices", "government_procurement"): 288.0,
            ("trading", "notices", "land_and_mining_rights"): 58.0,
            ("trading", "notices", "state_owned_assets"): 8.0,
            ("approvals", "items", "received"): 2214.0,
            ("approvals", "items", "completed"): 2190.0,
        },
    )


VARIANTS = (*VARIANTS, county_about_html)
