"""Layout of the published text: title, the six sections, table cells in rows.

The seed format: section headings at the start of a line (``二、主动公开…``);
table cells one per line behind a tab; a line with neither tab nor heading
continues the cell above (a wrapped header such as ``本年新`` / ``制作数量``);
blank lines end a table row.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from .template import SECTIONS

_HEADING = re.compile(r"^\s*([一二三四五六])\s*[、.．]\s*(\S.{0,60})$")
_SECTION_KEYS: dict[str, tuple[str, ...]] = {
    "一": ("总体情况", "概述", "基本情况"),
    "二": ("主动公开",),
    "三": ("申请",),
    "四": ("行政复议", "行政诉讼"),
    "五": ("问题", "改进"),
    "六": ("其他",),
}
_ORDER = "一二三四五六"
_NUMERALS = frozenset(_ORDER)


class Line(NamedTuple):
    number: int  # 1-based line number in the file
    text: str


@dataclass
class Section:
    numeral: str
    heading: Line
    lines: list[Line] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.numeral}、{SECTIONS[self.numeral]}"


class Cell(NamedTuple):
    text: str
    line: int


def split_lines(text: str) -> list[Line]:
    return list(map(Line, itertools.count(1), text.split("\n")))


def is_blank(text: str) -> bool:
    return not text.strip()  # str.strip() strips NBSP and U+3000 too


def title_line(lines: list[Line]) -> Line | None:
    for line in lines:
        if not is_blank(line.text):
            return line
    return None


def heading_numeral(text: str, after: str | None) -> str | None:
    """The section numeral if ``text`` is the heading of a section after ``after``."""
    if text.startswith("\t"):
        return None
    m = _HEADING.match(text)
    if not m:
        return None
    numeral, rest = m.groups()
    if after is not None and _ORDER.index(numeral) <= _ORDER.index(after):
        return None
    if any(key in rest for key in _SECTION_KEYS[numeral]):
        return numeral
    return None


def split_sections(lines: list[Line]) -> dict[str, Section]:
    """Cut the text into its numbered sections (headings must come in order)."""
    sections: dict[str, Section] = {}
    current: Section | None = None
    for line in lines:
        # Only a line whose first visible character is a section numeral can be a heading.
        numeral = (
            heading_numeral(line.text, current.numeral if current else None)
            if line.text[:1] != "\t" and line.text.lstrip()[:1] in _NUMERALS
            else None
        )
        if numeral:
            current = Section(numeral, line)
            sections[numeral] = current
        elif current is not None:
            current.lines.append(line)
    return sections


def cell_rows(section: Section) -> list[list[Cell]]:
    """Group a table section's cells into rows; blank lines separate rows."""
    rows: list[list[Cell]] = []
    row: list[Cell] = []
    for number, text in section.lines:
        if text[:1] == "\t":
            parts = text.split("\t")
            if len(parts) == 2:  # the usual case: one cell on the line (clean_cell, inlined)
                part = parts[1].strip()
                if "\u00a0" in part or "\u3000" in part:
                    part = part.replace("\u00a0", " ").replace("\u3000", " ")
                row.append(Cell(part, number))
            else:
                row.extend(Cell(clean_cell(part), number) for part in parts[1:])
        elif is_blank(text):
            if row:
                rows.append(row)
                row = []
        elif row:  # a wrapped cell continues on a line of its own
            last = row[-1]
            row[-1] = Cell(last.text + clean_cell(text), last.line)
    if row:
        rows.append(row)
    return rows


def clean_cell(text: str) -> str:
    # str.strip() already strips NBSP and U+3000; only inner ones need replacing.
    text = text.strip()
    if "\u00a0" in text or "\u3000" in text:
        text = text.replace("\u00a0", " ").replace("\u3000", " ")
    return text


def prose_lines(section: Section) -> list[Line]:
    """The non-blank lines of a prose section, each a paragraph."""
    return [ln for ln in section.lines if not is_blank(ln.text)]


_SENTENCE = re.compile(r"[^。！？!?]*(?:[。！？!?]+|$)")


def sentences(text: str) -> list[tuple[int, str]]:
    """Split a paragraph into sentences, each with its offset in the paragraph."""
    out = []
    for m in _SENTENCE.finditer(text):
        if m.group().strip():
            out.append((m.start(), m.group()))
    return out
