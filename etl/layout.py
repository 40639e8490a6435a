"""Layout of the published text: title, the six sections, table cells in rows.

The seed format: section headings at the start of a line (``二、主动公开…``);
table cells one per line behind a tab; a line with neither tab nor heading
continues the cell above (a wrapped header such as ``本年新`` / ``制作数量``);
blank lines end a table row.
"""

from __future__ import annotations

import itertools
import re

from .document import NUMERALS, Cell, Document, Line, Section, clean_cell, heading_numeral, parse_title

__all__ = ["Cell", "Line", "Section", "clean_cell", "heading_numeral", "text_document"]


def split_lines(text: str) -> list[Line]:
    return list(map(Line, itertools.count(1), text.split("\n")))


def is_blank(text: str) -> bool:
    return not text.strip()  # str.strip() strips NBSP and U+3000 too


def title_line(lines: list[Line]) -> Line | None:
    """The report's title: the first non-blank line that reads as one, else the first non-blank line."""
    first = None
    for line in lines[:50]:
        if not is_blank(line.text):
            if parse_title(line.text):
                return line
            first = first or line
    return first


def split_sections(lines: list[Line]) -> dict[str, list[Line]]:
    """Cut the text into its numbered sections (headings must come in order)."""
    sections: dict[str, list[Line]] = {}
    headings: dict[str, Line] = {}
    current: str | None = None
    for line in lines:
        # Only a line whose first visible character is a section numeral can be a heading.
        numeral = (
            heading_numeral(line.text, current)
            if line.text[:1] != "\t" and line.text.lstrip()[:1] in NUMERALS
            else None
        )
        if numeral:
            current = numeral
            sections[numeral] = []
            headings[numeral] = line
        elif current is not None:
            sections[current].append(line)
    return {n: [headings[n], *body] for n, body in sections.items()}


def text_document(name: str, sha256: str, text: str) -> Document:
    """The text format (the seed's) as a Document."""
    lines = split_lines(text)
    sections = {}
    for numeral, (heading, *body) in split_sections(lines).items():
        section = Section(numeral, heading)
        section.rows = cell_rows(body)
        section.paragraphs = prose_lines(body)
        sections[numeral] = section
    return Document(name, sha256, "txt", title_line(lines), sections)


def cell_rows(lines: list[Line]) -> list[list[Cell]]:
    """Group a table section's cells into rows; blank lines separate rows."""
    rows: list[list[Cell]] = []
    row: list[Cell] = []
    for number, text in lines:
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


def prose_lines(lines: list[Line]) -> list[Line]:
    """The paragraphs of a section: its non-blank lines outside tables (before any cell)."""
    out = []
    for line in lines:
        if line.text[:1] == "\t":
            break
        if not is_blank(line.text):
            out.append(Line(line.number, line.text.strip()))
    return out


_SENTENCE = re.compile(r"[^。！？!?]*(?:[。！？!?]+|$)")


def sentences(text: str) -> list[tuple[int, str]]:
    """Split a paragraph into sentences, each with its offset in the paragraph."""
    out = []
    for m in _SENTENCE.finditer(text):
        if m.group().strip():
            out.append((m.start(), m.group()))
    return out
