"""Parse step: clean text → a Report, or a ReportError naming every problem."""

from __future__ import annotations

import re
from datetime import date

from .layout import cell_rows, split_lines, split_sections, title_line
from .model import Report, ReportError
from .numbers import to_ascii
from .parse_prose import dissatisfaction_topics, find_figures, listed_items, paragraphs
from .parse_tables import Collector, parse_table2, parse_table3, parse_table4
from .read import SourceText
from .template import REQUIRED_SECTIONS, SECTIONS

_TITLE_MARK = "政府信息公开"
_YEAR = re.compile(r"(\d{4})\s*年度?")


def parse_title(title: str) -> tuple[int, str] | None:
    """``2019年X中心政府信息公开工作年度报告`` → (2019, ``X中心``)."""
    text = to_ascii(title).strip()
    if _TITLE_MARK not in text or "报告" not in text:
        return None
    m = _YEAR.search(text)
    if not m:
        return None
    agency = (text[: m.start()] + text[m.end() :]).split(_TITLE_MARK)[0]
    agency = agency.strip(" \u3000:：-—")
    if not agency:
        return None
    return int(m.group(1)), agency


def parse_report(source: SourceText) -> Report:
    out = Collector(source.name)
    lines = split_lines(source.text)
    title = title_line(lines)
    parsed_title = parse_title(title.text) if title else None
    sections = split_sections(lines)
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

    report = Report(agency, year, title.text.strip(), "2019", source.name, source.sha256)
    if "一" in sections:
        report.figures, not_found = find_figures(sections["一"])
        report.missing_figures = [(s.topic, s.metric, s.category) for s in not_found]
        report.texts += paragraphs(sections["一"], "overview_paragraph")
        report.texts += dissatisfaction_topics(sections["一"])
    if "二" in sections:
        report.active_disclosure = parse_table2(cell_rows(sections["二"]), out)
    if "三" in sections:
        report.foi_requests = parse_table3(cell_rows(sections["三"]), out)
    if "四" in sections:
        report.review_litigation = parse_table4(cell_rows(sections["四"]), out)
    for numeral, kind in (("五", "problem_improvement"), ("六", "other_matters")):
        if numeral in sections:
            items = listed_items(sections[numeral], kind)
            report.texts += items
        else:
            report.warnings.append(f"未找到章节“{numeral}、{SECTIONS[numeral]}”")
    if out.problems:
        raise ReportError(out.problems)
    return report
