"""The intermediate form every reader produces: a title, and the six sections,
each with its paragraphs and its table rows (cells as text).

Readers of .txt, .html, .docx and .pdf differ; from a Document on, the same
parser, checks and loader follow. Table rows use the seed's conventions: a
cell covered by a row span above is an empty placeholder (``""``), a cell
covered by a column span to its left is left out, and a blank cell is ``""``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from .template import SECTION_WORDS, SECTIONS
from .text_rules import is_dashed_page_number, to_ascii


class Line(NamedTuple):
    number: int  # where it is: the line number (.txt) or the block's ordinal (other formats)
    text: str


class Cell(NamedTuple):
    text: str
    line: int


@dataclass
class Section:
    numeral: str
    heading: Line
    paragraphs: list[Line] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.numeral}、{SECTIONS[self.numeral]}"


@dataclass
class Document:
    name: str  # file name, for messages
    sha256: str
    fmt: str  # txt, html, docx, pdf
    title: Line | None
    sections: dict[str, Section]
    page_title: str | None = None  # a web page's ``<title>``: its agency may be fuller than the title's


class Para(NamedTuple):
    """A paragraph block, as a non-text reader yields it."""

    number: int
    text: str


class Table(NamedTuple):
    """A table block: rows of cell texts (spans normalised as described above)."""

    number: int  # the ordinal of its first row; row i is number + i
    rows: list[list[str]]


# --- Title and headings ------------------------------------------------------------

_TITLE_MARK = "政府信息公开"
# The title's core, read in text with its spaces removed: [agency][year年(度)][的][agency]
# 政府信息公开[工作][的][年度]报告 (or 年报). An agency name is Chinese (letters, digits and
# brackets allowed: ``某市12345政务服务便民热线``), never punctuation: chrome and sentences
# around the core stay out of it. Read backwards from the tail (one pass; a regex with two lazy
# runs before a literal is cubic); the year is the run's last ``2019年(度)(的)``.
_AGENCY_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9（）()·]")
_RUN_YEAR = re.compile(r"(?<![0-9])([0-9]{4})年度?的?")
# What follows the agency and year: 政府信息公开[工作][的][年度]报告 (or 年报).
_TITLE_TAIL = re.compile(rf"{_TITLE_MARK}(?:工作)?的?(?:年度)?(?:报告|年报)")
_CN_YEAR = re.compile("[〇○零一二三四五六七八九]{4}(?=年)")
_CN_DIGITS = str.maketrans("〇○零一二三四五六七八九", "000123456789")
# A body sentence is never a title (``本年度报告根据《中华人民共和国政府信息公开条例》…编制。``).
SENTENCE_MARKS = ("。", "，", "；", "根据", "条例》")
# Page chrome around a title on a web page: breadcrumbs, source and date lines, share
# buttons, font-size switches, print/close links. Words that are never in an agency's name.
CHROME_WORDS = (
    "当前位置", "首页", "来源", "发布", "日期", "时间", "浏览", "点击", "阅读", "作者", "索引号",
    "打印", "关闭", "窗口", "微信", "微博", "QQ空间", "QQ", "分享", "收藏", "字号", "字体", "大中小", "返回",
)  # fmt: skip
_BREADCRUMB = re.compile(r"[>＞›»→]")
# A word of a line, read token by token (no regex over the whole line: chrome is short, a
# line may not be); a font-size switch ``【字号：大 中 小】`` is one token.
_TOKEN = re.compile(r"[【\[]?(?:字号|字体)?[:：]?[【\[]?大[】\]]?\s+[【\[]?中[】\]]?\s+[【\[]?小[】\]]?|\S+")
_DATE = re.compile(r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}")
_SITE_SUFFIX = re.compile(r"^\s*[_\-—–|｜·]")
MAX_AGENCY = 40
MAX_TITLE_TEXT = 300  # a title with the chrome on its line; a longer line is prose (and bounds the work)


class TitleParts(NamedTuple):
    """What a line that reads as a report title says: its year and agency (either may be missing)."""

    year: int | None
    agency: str | None
    text: str  # the title as published: page chrome and a web site's suffix left out
    # Other names glued to the agency in a crawler's copy (a site's name before a column name).
    alternatives: tuple[str, ...] = ()


# A crawler's copy of a page glues the site's name and a column's name to the title:
# ``沭阳县发改局政府信息公开沭阳县发展和改革局2023年…``. The agency is the name after the
# last column word, when that name starts with a place (县, 市, 区…) as a full name does.
COLUMN_WORDS = ("政府信息公开", "政务公开", "信息公开")
# What follows a column word in a column's name (政府信息公开年报, 政务公开专栏).
_COLUMN_TAILS = ("年度报告", "年报", "专栏", "专题", "栏目", "平台")
_COLUMN_SPLIT = re.compile(f"(?:{'|'.join(COLUMN_WORDS)})(?:{'|'.join(_COLUMN_TAILS)})?")
_PLACE_START = re.compile(r"^[\u4e00-\u9fff]{1,8}?(?:省|市|县|区|州|旗|盟|镇|乡|街道)")


def split_glued(agency: str) -> tuple[str, tuple[str, ...]]:
    """(the agency, the other names glued before it), from a name a crawler's copy glued
    together; a name with no column word in it is returned as it is."""
    if not _COLUMN_SPLIT.search(agency):
        return agency, ()
    pieces = [p for p in _COLUMN_SPLIT.split(agency) if p]
    if len(pieces) < 2 or not _PLACE_START.match(pieces[-1]) or not plausible_agency(pieces[-1]):
        return agency, ()
    return pieces[-1], tuple(dict.fromkeys(p for p in pieces[:-1] if len(p) >= 2))


def _chrome_end(text: str) -> int:
    """Where the title begins in a line with chrome before it: after a breadcrumb's last ``>``
    and the chrome words that follow (``当前位置：首页 > 政务公开 > …``, ``大 中 小 …``)."""
    start = 0
    crumbs = [m.end() for m in _BREADCRUMB.finditer(text)]
    if crumbs and _TITLE_MARK in text[crumbs[-1] :]:
        start = crumbs[-1]
    for m in _TOKEN.finditer(text, start):
        if _TITLE_MARK in m.group() or not _chrome_token(m.group()):
            return m.start()
    return start


def _chrome_token(token: str) -> bool:
    """A word of page chrome: 来源：…, a date, 【打印本页】, 大 中 小, 微信, 关闭窗口…"""
    return (
        ":" in token
        or "：" in token
        or token[:1] in "【["
        or bool(_DATE.match(token))
        or token.replace(" ", "") in ("大中小", "[大中小]", "【大中小】")
        or any(word in token for word in CHROME_WORDS)
    )


def plausible_agency(name: str) -> bool:
    """An agency's name: short, and no page-chrome word in it."""
    return 2 <= len(name) <= MAX_AGENCY and not any(word in name for word in CHROME_WORDS)


@lru_cache(maxsize=1024)  # a title is read again by parse and build (immutable result)
def title_parts(line: str) -> TitleParts | None:
    """What a line says if it reads as a report title (``2019年X中心政府信息公开工作年度报告``,
    ``X中心2021年度…``, ``关于X2020年政府信息公开工作的年度报告``), else None.

    A line with the title mark and a year or an agency, not both, still reads as a
    title (the other is then None): an official may supply what is missing.
    """
    if len(line) > MAX_TITLE_TEXT or _TITLE_MARK not in line:
        return None
    text = to_ascii(line).strip()
    if "报" not in text:
        return None
    if any(mark in text for mark in SENTENCE_MARKS):
        return None
    core = _core(_squeezed(text[_chrome_end(text) :]))
    if core is None:
        return None
    year, agency, published = core
    agency, alternatives = split_glued(agency.removeprefix("关于").removesuffix("关于"))
    if year is None and not plausible_agency(agency):
        return None  # ``政府信息公开年报``: a site's column name, no report's title
    return TitleParts(year, agency if plausible_agency(agency) else None, published, alternatives)


def _run_start(text: str, end: int) -> int:
    """Where the run of agency characters that ends at ``end`` begins."""
    start = end
    while start > 0 and _AGENCY_CHAR.match(text, start - 1):
        start -= 1
    return start


def _core(text: str) -> tuple[int | None, str, str] | None:
    """(year, agency, the core as printed) of the first title core in ``text`` (spaces removed):
    the run of agency characters before the tail, a ``2019年(度)`` in it taken out as the year."""
    tails = list(_TITLE_TAIL.finditer(text))
    if not tails:
        return None
    # The first tail, unless only a later one has a year before it: a crawler's copy glues a
    # column's name (…政府信息公开年报) before the title (沭阳县发改局政府信息公开年报沭阳县…2023年…).
    m, start = tails[0], _run_start(text, tails[0].start())
    if len(tails) > 1 and not _RUN_YEAR.search(text, start, m.start()):
        for later in tails[1:]:
            at = _run_start(text, later.start())
            if _RUN_YEAR.search(text, at, later.start()):
                m, start = later, at
                break
    run = text[start : m.start()]
    years = list(_RUN_YEAR.finditer(run))
    if not years:
        return None, run, text[start : m.end()]
    y = years[-1]
    return int(y.group(1)), run[: y.start()] + run[y.end() :], text[start : m.end()]


def _squeezed(text: str) -> str:
    """Without spaces (``2023 年政府…``), a year in Chinese numerals as digits."""
    return re.sub(r"\s+", "", _CN_YEAR.sub(lambda m: m.group().translate(_CN_DIGITS), text))


def parse_title(title: str) -> tuple[int, str] | None:
    """``2019年X中心政府信息公开工作年度报告`` → (2019, ``X中心``); None unless both are there."""
    parts = title_parts(title)
    if parts is None or parts.year is None or parts.agency is None:
        return None
    return parts.year, parts.agency


def is_chrome_text(text: str) -> bool:
    """Text a page adds to a table that crosses pages: a page number with its dashes
    (``- 4 -``), or a running head that reads as the report's title."""
    squeezed = re.sub(r"\s+", "", text)
    return is_dashed_page_number(squeezed) or parse_title(squeezed) is not None


def clean_title(title: str) -> str:
    """The title as published: without the page chrome before it or a site's suffix after it
    (``…年度报告_上海市人民政府``). A line that is no title is returned trimmed."""
    text = title.strip()
    if title_parts(text) is None:
        return text
    mapped = to_ascii(text)  # same length: offsets hold in the original
    start = _chrome_end(mapped)
    end = max(mapped.rfind("报告"), mapped.rfind("年报")) + 2
    rest = mapped[end:]
    chrome_after = rest.strip() and all(_chrome_token(t) for t in _TOKEN.findall(rest))
    if end < 2 or not (_SITE_SUFFIX.match(rest) or chrome_after):
        end = len(text)
    return text[start:end].strip()


MAX_TITLE_LINES = 3  # a title printed over up to three lines (agency / year / 政府信息公开…)
_MAX_TITLE_PART = MAX_AGENCY + 30


def title_at(texts: list[str], i: int) -> tuple[int, str] | None:
    """If the title starts at ``texts[i]`` (alone, or printed over the lines after it):
    (how many lines, the title). Only a full title (year and agency) is joined."""
    if parse_title(texts[i]):
        return 1, texts[i]
    for n in range(2, MAX_TITLE_LINES + 1):
        parts = texts[i : i + n]
        if len(parts) < n or len(parts[-1]) > _MAX_TITLE_PART or len(parts[-2]) > _MAX_TITLE_PART:
            return None
        if title_parts(parts[-2]) is not None:
            return None  # a line that reads as a title is no fragment of a longer one
        if any("报" in part for part in parts[:-1]):
            return None  # only the last line ends in 报告: ``相关报告`` above a title is no part of it
        joined = "".join(parts)
        found = title_parts(joined)
        # Every line joined is part of the title: it starts at the first line (no chrome there).
        if found and found.year and found.agency and _squeezed(to_ascii(joined)).startswith(found.text):
            return n, joined
    return None


def find_title(lines: list[Line]) -> Line | None:
    """The report's title among the lines before its text: the first full title (one
    printed over two or three lines is joined), else the first line that reads as a title
    without its year or agency; None if no line reads as a title."""
    found = _title_in(lines, partial=True)
    return found[0] if found else None


_HEADING = re.compile(r"^\s*([一二三四五六])\s*[、.．]\s*(\S.{0,60})$")
ORDER = "一二三四五六"
NUMERALS = frozenset(ORDER)


def heading_numeral(text: str, after: str | None) -> str | None:
    """The section numeral if ``text`` is the heading of a section after ``after``."""
    if text[:1] == "\t" or text.lstrip()[:1] not in NUMERALS:
        return None
    m = _HEADING.match(text)
    if not m:
        return None
    numeral, rest = m.groups()
    if after is not None and ORDER.index(numeral) <= ORDER.index(after):
        return None
    if any(key in rest for key in SECTION_WORDS[numeral]):
        return numeral
    return None


def clean_cell(text: str) -> str:
    """Trim a cell; odd spaces (NBSP, ideographic) inside become plain spaces."""
    text = text.strip()
    if "\u00a0" in text or "\u3000" in text:
        text = text.replace("\u00a0", " ").replace("\u3000", " ")
    return text


def assemble(name: str, sha256: str, fmt: str, blocks: Iterable[Para | Table]) -> Document:
    """Blocks in reading order → a Document.

    The title is found among the paragraphs before the report's text
    (``find_title``: page chrome before it and body sentences are no title); sections
    start at their headings after it; a table belongs to the section above it, and a
    section's tables are one run of rows (a table continued on the next page simply
    continues). With no title, sections still start at the first heading: an
    official may supply the agency and year.
    """
    blocks = list(blocks)
    paras = [(k, Line(b.number, b.text.strip())) for k, b in enumerate(blocks) if isinstance(b, Para)]
    paras = [(k, line) for k, line in paras if line.text]
    lines = [line for _, line in paras]
    found = locate_title(lines)
    if found is not None:
        title, after = found
        start = paras[after][0] if after < len(paras) else len(blocks)
    else:
        title = lines[0] if lines else None
        start = 0
    sections: dict[str, Section] = {}
    current: Section | None = None
    for block in blocks[start:]:
        if isinstance(block, Table):
            if current is not None:
                current.rows.extend(
                    [Cell(clean_cell(t), block.number + i) for t in row]
                    for i, row in enumerate(block.rows)
                    if row
                )
            continue
        text = block.text.strip()
        if not text:
            continue
        numeral = heading_numeral(text, current.numeral if current else None)
        if numeral:
            current = Section(numeral, Line(block.number, text))
            sections[numeral] = current
        elif current is not None:
            current.paragraphs.append(Line(block.number, text))
    return Document(name, sha256, fmt, title, sections)


def locate_title(lines: list[Line]) -> tuple[Line, int] | None:
    """(the title, index of the line after it) among a document's paragraphs.

    Looked for before the heading ``一、…`` where the report's text begins; if no line
    there reads as a title, on after it (a sidebar may list headings above the title).
    """
    end = next((k for k, line in enumerate(lines) if heading_numeral(line.text, None) == "一"), len(lines))
    found = _title_in(lines[:end], partial=True) or _title_in(lines[end:], partial=False, offset=end)
    return found


def _title_in(lines: list[Line], partial: bool, offset: int = 0) -> tuple[Line, int] | None:
    texts = [line.text.strip() for line in lines]
    first_partial: tuple[Line, int] | None = None
    for i, line in enumerate(lines):
        found = title_at(texts, i)
        if found:
            return Line(line.number, found[1]), offset + i + found[0]
        if partial and first_partial is None and title_parts(texts[i]) is not None:
            first_partial = Line(line.number, texts[i]), offset + i + 1
    return first_partial


def expand_spans(cells: list[list[tuple[str, int, int]]]) -> list[list[str]]:
    """HTML-like rows of (text, rowspan, colspan) → rows in the seed's convention.

    A cell covered from above becomes ``""`` at its place (once, for the first
    column of the span); a cell covered from the left is left out. Used by the
    HTML and DOCX readers.
    """
    pending: dict[int, tuple[int, bool]] = {}  # column → (rows still covered, first column of span)
    out: list[list[str]] = []
    for row in cells:
        line: list[str] = []
        col = 0
        queue = iter(row)  # the row's cells, taken in order (not list.pop(0): quadratic in a wide row)
        left_in_row = len(row)
        # The last column covered from above (spans started in this row lie left of col, so it holds).
        last = max((c for c, (n, _) in pending.items() if n > 0), default=-1)
        while left_in_row or col <= last:
            left, first = pending.get(col, (0, False))
            if left > 0:
                pending[col] = (left - 1, first)
                if first:
                    line.append("")
                col += 1
                continue
            if not left_in_row:
                col += 1  # a ragged row: skip to the next covered column
                continue
            text, rowspan, colspan = next(queue)
            left_in_row -= 1
            line.append(text)
            width = max(colspan, 1)
            if rowspan > 1:
                for c in range(col, col + width):
                    pending[c] = (rowspan - 1, c == col)
            col += width
        out.append(line)
    return out
