"""The text reader: the published text's layout (title, the six sections, table cells in rows).

The seed format: section headings at the start of a line (``二、主动公开…``);
table cells one per line behind a tab; a line with neither tab nor heading
continues the cell above (a wrapped header such as ``本年新`` / ``制作数量``),
unless it is a page number (``- 4 -``) or a running head copied from a printed
page; blank lines end a table row.
"""

from __future__ import annotations

import re

from ..document import (
    Cell,
    Document,
    Line,
    Section,
    clean_cell,
    find_title,
    heading_numeral,
    is_chrome_text,
    parse_title,
)
from ..template import REQUIRED_SECTIONS
from .flat_text import inline_headings, refuse_run_together, with_heading_lines

__all__ = ["Cell", "Line", "Section", "clean_cell", "heading_numeral", "text_document"]

# Lines before the first heading looked at for the title (a title is at the top).
TITLE_LINES = 200


# Where a line may be a section heading: it does not start with a tab (as a table cell
# does) and starts as document._HEADING does (a numeral, then 、 and a word). Found in the
# whole text at once; heading_numeral() decides.
_HEADING_START = re.compile(r"^(?!\t)[^\S\n]*[一二三四五六][^\S\n]*[、.．][^\S\n]*\S", re.MULTILINE)


def title_line(lines: list[str], first_heading: int) -> Line | None:
    """The report's title, found as in the other formats (``document.find_title``: split over
    two or three lines, chrome before it, never a body sentence) among the lines before the
    first heading; else the first non-blank line that reads as a title, else the first one."""
    before = [
        Line(number, line.strip())
        for number, line in enumerate(lines[: min(first_heading, TITLE_LINES)], 1)
        if line.strip() and line[:1] != "\t"
    ]
    found = find_title(before)
    if found is not None:
        return found
    first = None
    for number, text in enumerate(lines[:50], start=1):
        if text.strip():
            if parse_title(text):
                return Line(number, text)
            first = first or Line(number, text)
    return first


def heading_lines(text: str, lines: list[str]) -> list[tuple[int, str]]:
    """(index in ``lines``, numeral) of each section heading (headings must come in order)."""
    out: list[tuple[int, str]] = []
    current: str | None = None
    index, pos = 0, 0
    for m in _HEADING_START.finditer(text):
        index += text.count("\n", pos, m.start())
        pos = m.start()
        numeral = heading_numeral(lines[index], current)
        if numeral:
            current = numeral
            out.append((index, numeral))
    return out


def text_document(name: str, sha256: str, text: str) -> Document:
    """The text format (the seed's) as a Document.

    Every step is one pass over the lines (a file of a million lines is read in
    well under a second): headings are found by one regex over the text, and a
    section's lines are only looked at by ``cell_rows`` and ``prose_lines``.
    """
    lines = text.split("\n")
    sections = {}
    heads = heading_lines(text, lines)
    if not set(REQUIRED_SECTIONS) <= {n for _, n in heads}:  # flattened? its headings inside lines
        inline = inline_headings(text)
        if len(inline) > len(heads):
            refuse_run_together(name, text, inline)
            text, origin = with_heading_lines(text, inline)
            return _renumbered(text_document(name, sha256, text), origin)
    for k, (index, numeral) in enumerate(heads):
        end = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
        body = lines[index + 1 : end]
        section = Section(numeral, Line(index + 1, lines[index]))
        section.rows = cell_rows(body, index + 2)
        section.paragraphs = prose_lines(body, index + 2)
        sections[numeral] = section
    first_heading = heads[0][0] if heads else TITLE_LINES
    return Document(name, sha256, "txt", title_line(lines, first_heading), sections)


def _renumbered(doc: Document, origin: list[int]) -> Document:
    """The document with every line number the file's (``origin``: the file's line of each line)."""

    def line(item: Line) -> Line:
        return Line(origin[item.number - 1], item.text)

    for section in doc.sections.values():
        section.heading = line(section.heading)
        section.paragraphs = [line(p) for p in section.paragraphs]
        section.rows = [[Cell(c.text, origin[c.line - 1]) for c in row] for row in section.rows]
    if doc.title is not None:
        doc.title = line(doc.title)
    return doc


def cell_rows(lines: list[str], first: int) -> list[list[Cell]]:
    """Group a table section's cells into rows; blank lines separate rows.

    ``lines`` are the section's lines after its heading, the first of them
    numbered ``first``.
    """
    rows: list[list[Cell]] = []
    row: list[Cell] = []
    wrapped: list[str] = []  # the continuation lines of the row's last cell (joined once, not line by line)
    for number, text in enumerate(lines, start=first):
        if text[:1] == "\t":
            if wrapped:
                row[-1] = Cell(row[-1].text + "".join(wrapped), row[-1].line)
                wrapped = []
            parts = text.split("\t")
            if len(parts) == 2:  # the usual case: one cell on the line (clean_cell, inlined)
                part = parts[1].strip()
                if "\u00a0" in part or "\u3000" in part:
                    part = part.replace("\u00a0", " ").replace("\u3000", " ")
                row.append(Cell(part, number))
            else:
                row.extend(Cell(clean_cell(part), number) for part in parts[1:])
        elif not text.strip():  # a blank line (str.strip() strips NBSP and U+3000 too)
            if row:
                if wrapped:
                    row[-1] = Cell(row[-1].text + "".join(wrapped), row[-1].line)
                    wrapped = []
                rows.append(row)
                row = []
        elif row and not is_chrome_text(text):  # a wrapped cell continues on a line of its own
            wrapped.append(clean_cell(text))
    if row:
        if wrapped:
            row[-1] = Cell(row[-1].text + "".join(wrapped), row[-1].line)
        rows.append(row)
    return rows


def prose_lines(lines: list[str], first: int) -> list[Line]:
    """The paragraphs of a section: its non-blank lines outside tables (before any cell)."""
    end = next((k for k, text in enumerate(lines) if text[:1] == "\t"), len(lines))
    return [Line(number, s) for number, text in enumerate(lines[:end], start=first) if (s := text.strip())]
