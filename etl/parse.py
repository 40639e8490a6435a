"""Parse step: clean text → a Report, or a ReportError naming every problem."""

from __future__ import annotations

from datetime import date

from .applicable import unit_type_hint
from .collector import Collector
from .document import Document, Line, clean_title, parse_title, title_parts
from .model import Report, ReportError
from .parse_prose import dissatisfaction_topics, find_figures, listed_items, paragraphs, unmatched_sentences
from .parse_tables import oversized, parse_table2, parse_table3, parse_table4
from .readers import SourceText, text_document
from .template import REQUIRED_SECTIONS, SECTIONS
from .units.resolve import same_agency

__all__ = ["TITLE_PLACE", "parse_report", "parse_title"]


# A section of a report is a few dozen paragraphs; far more is not a report (and each
# paragraph costs its share of parsing, so the limit also bounds the time a file takes).
MAX_PARAGRAPHS = 2000
# The place of every problem about the title (agency or year not readable): the import page
# offers its inputs for them, the command line its --agency/--year.
TITLE_PLACE = "标题"
SUPPLIED, FROM_TITLE = "supplied", "title"
LOOKED_FOR = "“某年某机关政府信息公开工作年度报告”这样的标题"


def parse_report(source: SourceText | Document, agency: str | None = None, year: int | None = None) -> Report:
    """Parse a Document (any format) or decoded text (the seed's format) into a Report.

    ``agency`` and ``year``, when given, are an official's: they are used where the
    title has none and override what it says (the Report records which).
    """
    doc = source if isinstance(source, Document) else text_document(source.name, source.sha256, source.text)
    out = Collector(doc.name, "行" if doc.fmt == "txt" else "段")
    sections = dict(doc.sections)  # a copy: an oversized section is left out below
    agency = agency.strip() if agency is not None else None
    found_agency, found_year, title = _title(doc, out, agency, year)
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

    report = Report(found_agency, found_year, title, "2019", doc.name, doc.sha256)
    report.agency_source = SUPPLIED if agency else FROM_TITLE
    report.year_source = SUPPLIED if year is not None else FROM_TITLE
    parts = title_parts(doc.title.text) if doc.title else None
    glued = parts.alternatives if parts else ()
    if not agency and found_agency:
        found_agency, note = _page_agency(found_agency, glued, doc.page_title)
        report.agency = found_agency
        if note:
            report.warnings.append(note)
    table2_formats: set[str] = set()
    three_rows = False
    if "一" in sections:
        prose = [sections[n] for n in ("一", "六") if n in sections]  # fees are often stated in 六
        # The unit type: the one hook the unit registry's classifier replaces.
        report.figures, not_found = find_figures(prose, found_agency, unit_type_hint(found_agency))
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
    report.unplaced_cells = list(out.unplaced)
    report.unmatched_sentences = unmatched_sentences(
        [sections[n] for n in ("一",) if n in sections], report.figures
    )
    return report


def _title(doc: Document, out: Collector, agency: str | None, year: int | None) -> tuple[str, int, str]:
    """(agency, year, title as published) from the title and what an official supplied;
    every part that is missing is a problem naming what was looked for, and where."""
    line: Line | None = doc.title
    parts = title_parts(line.text) if line else None
    where = f"{TITLE_PLACE}（第{line.number}{out.unit}）" if line else TITLE_PLACE
    title = clean_title(line.text) if line and parts else ""
    if agency == "":
        out.add(where, "人工指定的机关名称为空")
    if parts is None and not (agency and year is not None):
        found = "、".join(doc.sections) or "无"
        first = f"第一{out.unit}是“{_short(line.text)}”" if line else "文件中没有文字"
        page = "、网页的<title>" if doc.fmt == "html" else ""
        out.add(
            where,
            f"不是政府信息公开工作年度报告：未找到{LOOKED_FOR}（在“一、总体情况”之前的各段{page}中查找，"
            f"也查找了分两三行印的标题；{first}；已识别的章节：{found}）。如确是年报，可人工指定机关名称和年度",
        )
        raise ReportError(out.problems)  # nothing else is worth reading
    if agency is None and (parts is None or parts.agency is None):
        out.add(
            where,
            f"标题“{_short(title)}”中没有机关名称（查找的是年份前后的机关名称，"
            "如“某市人民政府2024年政府信息公开工作年度报告”）；可人工指定机关名称",
        )
    if year is None and (parts is None or parts.year is None):
        out.add(
            where,
            f"标题“{_short(title)}”中没有年份（查找的是“2024年”或“2024年度”）；可人工指定年度",
        )
    found_year = year if year is not None else (parts.year if parts and parts.year else 0)
    if found_year and not 2007 <= found_year <= date.today().year + 1:
        source = "人工指定的" if year is not None else ""
        out.add(where, f"{source}年份{found_year}不合理")
    found_agency = agency or (parts.agency if parts and parts.agency else "")
    return found_agency, found_year, title


AGENCY_NOTE = "机关名称："


def fuller_name(a: str, b: str) -> str | None:
    """Of two names of one agency, the more specific full one; None when they may name two.

    ``淮安市洪泽区人民政府`` over ``洪泽区人民政府`` (a place before it), ``沭阳县发展和改革局``
    over ``沭阳县发改局`` (the short one's characters in order, same first and last).
    """
    short, full = sorted((a, b), key=len)
    if short == full or len(short) < 3:
        return full if short == full else None
    if full.endswith(short) or same_agency(short, full):
        return full
    rest = iter(full)
    if short[0] == full[0] and short[-1] == full[-1] and all(ch in rest for ch in short):
        return full
    return None


def _page_agency(agency: str, glued: tuple[str, ...], page_title: str | None) -> tuple[str, str | None]:
    """(the agency, the note naming the other names) from the report's title and the page's
    ``<title>``: the more specific full name of the two; where they name unrelated
    agencies, the report's own title wins. Only names either source prints are used."""
    page = title_parts(page_title) if page_title else None
    other = page.agency if page and page.agency else None
    if other is None or other == agency:
        return agency, agency_note(agency, glued) if glued else None
    chosen = fuller_name(agency, other) or agency
    dropped = other if chosen == agency else agency
    names = tuple(dict.fromkeys(n for n in (*glued, *page.alternatives, dropped) if n != chosen))
    how = "采用更完整的" if fuller_name(agency, other) else "两者不是同一名称，采用正文标题中的"
    where = f"网页<title>中为“{other}”，正文标题中为“{agency}”"
    glue = f"；另有{'、'.join(f'“{n}”' for n in names if n not in (agency, other))}" if len(names) > 1 else ""
    return chosen, f"{AGENCY_NOTE}{where}{glue}，{how}“{chosen}”"


def agency_note(agency: str, alternatives: tuple[str, ...]) -> str:
    """The names a crawler's copy glued to the agency in the title, shown by ``etl check``."""
    others = "、".join(f"“{a}”" for a in alternatives)
    return f"{AGENCY_NOTE}标题中另有{others}（网页转载时粘连的网站或栏目名称），采用最完整的“{agency}”"


def _short(text: str, limit: int = 40) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + "…"


def template_of(table2_formats: set[str], three_rows: bool) -> str:
    """2019, 2021 or mixed. Table 二's headers tell the format; table 三's （六） as three
    rows is 2021 only (2021-era reports may still print it as one row)."""
    if len(table2_formats) > 1:
        return "mixed"
    if table2_formats == {"2021"}:
        return "2021"
    return "mixed" if three_rows else "2019"
