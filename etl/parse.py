"""Parse step: clean text → a Report, or a ReportError naming every problem."""

from __future__ import annotations

from datetime import date

from .document import Document, parse_title
from .layout import text_document
from .model import Report, ReportError
from .parse_prose import dissatisfaction_topics, find_figures, listed_items, paragraphs
from .parse_tables import Collector, oversized, parse_table2, parse_table3, parse_table4
from .read import SourceText
from .template import REQUIRED_SECTIONS, SECTIONS

__all__ = ["parse_report", "parse_title"]


# A section of a report is a few dozen paragraphs; far more is not a report (and each
# paragraph costs its share of parsing, so the limit also bounds the time a file takes).
MAX_PARAGRAPHS = 2000


def parse_report(source: SourceText | Document) -> Report:
    """Parse a Document (any format) or decoded text (the seed's format) into a Report."""
    doc = source if isinstance(source, Document) else text_document(source.name, source.sha256, source.text)
    out = Collector(doc.name, "行" if doc.fmt == "txt" else "段")
    title = doc.title
    parsed_title = parse_title(title.text) if title else None
    sections = dict(doc.sections)  # a copy: an oversized section is left out below
    if parsed_title is None:
        found = "、".join(sections) or "无"
        out.add(
            f"标题（第{title.number if title else 1}行）",
            "不是政府信息公开工作年度报告：第一行应为“某年某机关政府信息公开工作年度报告”"
            f"（已识别的章节：{found}）",
        )
        raise ReportError(out.problems)
    year, agency = parsed_title
    if not 2007 <= year <= date.today().year + 1:
        out.add(f"标题（第{title.number}行）", f"年份{year}不合理")
    missing = [n for n in REQUIRED_SECTIONS if n not in sections]
    if missing:
        names = "、".join(f"{n}、{SECTIONS[n]}" for n in missing)
        out.add("章节", f"缺少：{names}（报告不完整）")

    for numeral in [n for n in sections if len(sections[n].paragraphs) > MAX_PARAGRAPHS]:
        section = sections.pop(numeral)  # parsed no further (its size alone refuses the report)
        out.add(
            f"{section.name}（第{section.heading.number}{out.unit}起）",
            f"段落过多（{len(section.paragraphs)}段；年报的一节不超过{MAX_PARAGRAPHS}段），不是年报的正文",
        )

    report = Report(agency, year, title.text.strip(), "2019", doc.name, doc.sha256)
    table2_formats: set[str] = set()
    three_rows = False
    if "一" in sections:
        report.figures, not_found = find_figures(sections["一"])
        report.missing_figures = [(s.topic, s.metric, s.category) for s in not_found]
        report.texts += paragraphs(sections["一"], "overview_paragraph")
        report.texts += dissatisfaction_topics(sections["一"])
    tables = {
        n: sections[n].rows for n in "二三四" if n in sections and not oversized(n, sections[n].rows, out)
    }
    if "二" in tables:
        report.active_disclosure, table2_formats = parse_table2(tables["二"], out)
    if "三" in tables:
        report.foi_requests, three_rows = parse_table3(tables["三"], out)
    if "四" in tables:
        report.review_litigation = parse_table4(tables["四"], out)
    for numeral, kind in (("五", "problem_improvement"), ("六", "other_matters")):
        if numeral in sections:
            items = listed_items(sections[numeral], kind)
            report.texts += items
        else:
            report.warnings.append(f"未找到章节“{numeral}、{SECTIONS[numeral]}”")
    if out.problems:
        raise ReportError(out.problems)
    report.template = template_of(table2_formats, three_rows)
    return report


def template_of(table2_formats: set[str], three_rows: bool) -> str:
    """2019, 2021 or mixed. Table 二's headers tell the format; table 三's （六） as three
    rows is 2021 only (2021-era reports may still print it as one row)."""
    if len(table2_formats) > 1:
        return "mixed"
    if table2_formats == {"2021"}:
        return "2021"
    return "mixed" if three_rows else "2019"
