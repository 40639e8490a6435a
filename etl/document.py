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
from typing import NamedTuple

from .numbers import to_ascii
from .template import SECTIONS


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
_YEAR = re.compile(r"(\d{4})\s*年度?")
_HEADING = re.compile(r"^\s*([一二三四五六])\s*[、.．]\s*(\S.{0,60})$")
_SECTION_KEYS: dict[str, tuple[str, ...]] = {
    "一": ("总体情况", "概述", "基本情况"),
    "二": ("主动公开",),
    "三": ("申请",),
    "四": ("行政复议", "行政诉讼"),
    "五": ("问题", "改进"),
    "六": ("其他",),
}
ORDER = "一二三四五六"
NUMERALS = frozenset(ORDER)


def parse_title(title: str) -> tuple[int, str] | None:
    """``2019年X中心政府信息公开工作年度报告`` → (2019, ``X中心``)."""
    text = to_ascii(title).strip()
    if _TITLE_MARK not in text or "报告" not in text:
        return None
    m = _YEAR.search(text)
    if not m:
        return None
    agency = (text[: m.start()] + text[m.end() :]).split(_TITLE_MARK)[0]
    agency = re.sub(r"\s+", "", agency).strip(":：-—")
    if not agency:
        return None
    return int(m.group(1)), agency


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
    if any(key in rest for key in _SECTION_KEYS[numeral]):
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

    The title is the first paragraph that reads as a report title (page chrome
    before it is ignored); sections start at their headings; a table belongs to
    the section above it, and a section's tables are one run of rows (a table
    continued on the next page simply continues).
    """
    title: Line | None = None
    first_text: Line | None = None
    sections: dict[str, Section] = {}
    current: Section | None = None
    for block in blocks:
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
        if title is None:
            first_text = first_text or Line(block.number, text)
            if parse_title(text):
                title = Line(block.number, text)
            continue
        numeral = heading_numeral(text, current.numeral if current else None)
        if numeral:
            current = Section(numeral, Line(block.number, text))
            sections[numeral] = current
        elif current is not None:
            current.paragraphs.append(Line(block.number, text))
    return Document(name, sha256, fmt, title or first_text, sections)


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
