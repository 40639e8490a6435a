"""Rows of a table as printed in the wild, made ready for the table parsers.

What a reader hands over is the printed grid: it may hold page numbers and running
heads (a table crossing pages), blank rows, blank unmerged cells at the end of a row
(a Word table on a uniform grid) and labels cut in two by a page break. These helpers
say which rows carry nothing and how cut labels join; every table parser uses them,
so a variation of layout is handled once.
"""

from __future__ import annotations

import re

from .document import Cell, parse_title

# A printed page number: ``- 4 -``, ``-3-``, ``第 4 页``, ``第4页 共9页``, ``4/9``, ``4``.
PAGE_NUMBER = re.compile(
    r"^(?:[-－—–−~～]\s*\d+\s*[-－—–−~～]|第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|\d{1,3})$"
)
# A page number with the dashes around it (a bare ``4`` in a table is a figure, not chrome).
_DASHED_PAGE_NUMBER = re.compile(
    r"^(?:[-－—–−~～]\s*\d+\s*[-－—–−~～]|第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?)$"
)


def is_page_number(text: str) -> bool:
    """A page number as a footer prints it (a bare number too)."""
    return bool(PAGE_NUMBER.match(re.sub(r"\s+", "", text)))


def is_chrome_text(text: str) -> bool:
    """Text a page adds to a table that crosses pages: a page number with its dashes
    (``- 4 -``), or a running head that reads as the report's title."""
    squeezed = re.sub(r"\s+", "", text)
    return bool(_DASHED_PAGE_NUMBER.match(squeezed)) or parse_title(squeezed) is not None


def filled(row: list[Cell]) -> list[Cell]:
    return [c for c in row if c.text.strip()]


def is_blank(cells: list[Cell]) -> bool:
    return not any(c.text.strip() for c in cells)


def is_chrome_row(row: list[Cell]) -> bool:
    """A row holding only a page number or a running head."""
    cells = filled(row)
    return len(cells) == 1 and is_chrome_text(cells[0].text)


def table_rows(rows: list[list[Cell]]) -> list[list[Cell]]:
    """The rows that carry something: blank rows and page chrome left out."""
    return [row for row in rows if not is_blank(row) and not is_chrome_row(row)]


def trim_blank_end(cells: list[Cell], keep: int) -> list[Cell]:
    """Drop blank cells from the end while more than ``keep`` are left (a uniform grid's
    unmerged spare cells); a filled cell is never dropped."""
    end = len(cells)
    while end > keep and not cells[end - 1].text.strip():
        end -= 1
    return cells[:end]


def join_label(first: str, second: str) -> str:
    """A label cut in two (over lines, or by a page break), joined as printed."""
    return first.rstrip() + second.lstrip()
