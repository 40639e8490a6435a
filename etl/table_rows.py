"""Rows of a table as printed in the wild, made ready for the table parsers.

What a reader hands over is the printed grid: it may hold page numbers and running
heads (a table crossing pages), blank rows, blank unmerged cells at the end of a row
(a Word table on a uniform grid) and labels cut in two by a page break. These helpers
say which rows carry nothing and how cut labels join; every table parser uses them,
so a variation of layout is handled once.
"""

from __future__ import annotations

from .document import Cell, is_chrome_text
from .text_rules import is_page_number

# is_chrome_text and is_page_number are the readers' (etl.document, etl.text_rules), used here too.
__all__ = [
    "filled",
    "is_blank",
    "is_chrome_row",
    "is_chrome_text",
    "is_page_number",
    "join_label",
    "table_rows",
    "trim_blank_end",
]


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
