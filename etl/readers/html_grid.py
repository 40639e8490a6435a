"""From the HTML reader's parse tree to blocks: the report's data tables as rows in the
seed's conventions (``document.expand_spans``), and the paragraphs around them.

A table used for page layout (one whose cell holds the report's headings, long
prose or a nested table of several rows) is not a data table: its cells'
content is read in order as if the table were not there. ``tidy`` (shared with
the Word reader) joins a title printed over several lines, keeps the report's
own title (the page's ``<title>`` standing in when the body has none) and cuts
the page chrome after the report.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..document import (
    MAX_TITLE_LINES,
    Para,
    Table,
    expand_spans,
    heading_numeral,
    parse_title,
    title_at,
    title_parts,
)

MAX_GRID = 1_000_000  # grid cells a table's spans may cover; beyond that the spans are ignored
# Whitespace a browser collapses (NBSP too, in prose: it shows as a space); zero-width marks vanish.
_SPACES = re.compile(r"[ \t\n\r\f\u00a0]+")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def _wide(ch: str) -> bool:
    """A character of Chinese text: wide, or punctuation that Chinese text sets wide (“ ” …)."""
    if not ch:
        return False
    width = unicodedata.east_asian_width(ch)
    return width in ("W", "F") or (width == "A" and unicodedata.category(ch).startswith("P"))


def collapse(text: str) -> str:
    """Collapse whitespace as a browser does; a source line break between Chinese characters vanishes."""
    text = _INVISIBLE.sub("", text)

    def space(m: re.Match[str]) -> str:
        run = m.group()
        if (
            ("\n" in run or "\r" in run)
            and _wide(text[m.start() - 1 : m.start()])
            and _wide(text[m.end() : m.end() + 1])
        ):
            return ""
        return " "

    return _SPACES.sub(space, text).strip()


@dataclass(eq=False)
class Element:
    """An element of the page; ``enter``/``exit`` number its start and end, so that one element
    lies inside another when its interval lies inside the other's."""

    tag: str
    role: str | None  # skip, pre, table, row, cell
    parent: Element | None
    enter: int
    exit: int = 1 << 62  # still open

    def holds(self, other: Element | None) -> bool:
        return other is not None and self.enter <= other.enter and other.exit <= self.exit


@dataclass
class Text:
    """A paragraph (or a piece of a cell): its text and the innermost element it sits in."""

    text: str
    where: Element | None = None


@dataclass
class Grid:
    """A data table: rows in the seed's conventions."""

    rows: list[list[str]]
    where: Element | None = None


@dataclass
class CellNode:
    rowspan: int
    colspan: int
    flow: list[Text | TableNode] = field(default_factory=list)


@dataclass
class TableNode:
    where: Element | None
    rows: list[list[CellNode]] = field(default_factory=list)
    outside: list[Text | TableNode] = field(default_factory=list)  # caption and stray text, shown before it
    row_open: bool = False


def _flow_text(flow: list[Text | TableNode]) -> str:
    parts = []
    for item in flow:
        if isinstance(item, Text):
            parts.append(item.text)
        else:
            parts.append(_flow_text(item.outside))
            parts.extend(_flow_text(cell.flow) for row in item.rows for cell in row)
    return "".join(parts)


_LONG_TEXT = 200  # a cell label is short; paragraphs of prose in a cell mean a layout table


def _is_heading(text: str) -> bool:
    return bool(title_parts(text) or heading_numeral(text, None))


def _is_layout(table: TableNode) -> bool:
    """A table that lays out the page (or wraps the report), not one of the report's tables.

    It has a single cell, or a cell holding paragraphs of prose, a heading or
    title among other paragraphs, or a table of a report table's size (a nested
    table of a few cells is a data cell's text).
    """
    cells = [cell for row in table.rows for cell in row]
    if len(cells) == 1:
        return True
    for cell in cells:
        texts = [item.text for item in cell.flow if isinstance(item, Text)]
        if len(texts) >= 2 and any(_is_heading(t) for t in texts):
            return True
        if len(texts) >= 3 and sum(map(len, texts)) > _LONG_TEXT:
            return True
        for item in cell.flow:
            if isinstance(item, TableNode):
                rows = [r for r in item.rows if r]
                if (len(rows) >= 3 and max(map(len, rows)) >= 2) or _is_layout(item):
                    return True
    return False


def _grid(table: TableNode) -> list[list[str]]:
    n = len(table.rows)
    spans = [
        [(_flow_text(cell.flow), min(cell.rowspan, n - i), cell.colspan) for cell in row]
        for i, row in enumerate(table.rows)
    ]
    if sum(rowspan * colspan for row in spans for _, rowspan, colspan in row) > MAX_GRID:
        spans = [[(text, 1, 1) for text, _, _ in row] for row in spans]  # absurd spans: not a report's
    expanded = expand_spans(spans)
    # A row with no cells of its own (all covered from above) carries nothing; a row of blank
    # cells is kept (a table 四 left blank is fifteen blank cells, as the Word and PDF readers keep it).
    return [out for out, row in zip(expanded, table.rows, strict=True) if row]


def flatten(flow: list[Text | TableNode]) -> list[Text | Grid]:
    out: list[Text | Grid] = []
    for item in flow:
        if isinstance(item, Text):
            out.append(item)
            continue
        out.extend(flatten(item.outside))
        if _is_layout(item):
            for row in item.rows:
                for cell in row:
                    out.extend(flatten(cell.flow))
        else:
            rows = _grid(item)
            if rows:
                out.append(Grid(rows, item.where))
    return out


# --- From the parse to blocks ------------------------------------------------------------


def _headings_out_of_tables(items: list[Text | Grid]) -> list[Text | Grid]:
    """A section heading printed as a table row of its own (``三、收到和处理…`` over table 三) is a paragraph."""
    out: list[Text | Grid] = []
    for item in items:
        if isinstance(item, Text):
            out.append(item)
            continue
        rows: list[list[str]] = []
        for row in item.rows:
            if len(row) == 1 and heading_numeral(row[0], None):
                if rows:
                    out.append(Grid(rows, item.where))
                out.append(Text(row[0], item.where))
                rows = []
            else:
                rows.append(row)
        if rows:
            out.append(Grid(rows, item.where))
    return out


def _first_heading(items: list[Text | Grid]) -> int:
    """Where the report's text begins: its heading 一、总体情况 (or the like)."""
    for i, item in enumerate(items):
        if isinstance(item, Text) and heading_numeral(item.text, None) == "一":
            return i
    return len(items)


def _join_split_title(items: list[Text | Grid]) -> list[Text | Grid]:
    """A title printed on two or three lines (``…中心`` / ``政府信息公开工作年度报告``) is one
    paragraph (``document.title_at`` decides)."""
    items = list(items)
    end = _first_heading(items)
    i = 0
    while i < end:
        window: list[str] = []
        for item in items[i : min(i + MAX_TITLE_LINES, end)]:
            if not isinstance(item, Text):
                break
            window.append(item.text)
        found = title_at(window, 0) if window else None
        if found and found[0] > 1:
            n, text = found
            items[i : i + n] = [Text(text, items[i].where)]
            end -= n - 1
        i += 1
    return items


def _keep_last_title(items: list[Text | Grid], page_title: str = "") -> list[Text | Grid]:
    """Of the title-like lines before the report's first heading, keep the last.

    Sidebars and "previous article" links before the article name other years'
    reports; the report's own title is the one right above its text. A body
    sentence (``本年度报告根据《…条例》…``) is no title. With no full title in the
    body, the page's ``<title>`` stands in (its site suffix is left out when read)
    if it has the year and agency, or if nothing in the body reads as a title.
    """
    end = _first_heading(items)
    texts = [(i, item.text) for i, item in enumerate(items[:end]) if isinstance(item, Text)]
    titles = [i for i, text in texts if parse_title(text)]
    if titles:
        drop = set(titles[:-1])
        return [item for i, item in enumerate(items) if i not in drop]
    page_title = collapse(page_title)
    page = title_parts(page_title) if page_title else None
    if page and ((page.year and page.agency) or not any(title_parts(text) for _, text in texts)):
        return [Text(page_title), *items]
    return items


def _cut_after_report(items: list[Text | Grid]) -> list[Text | Grid]:
    """Drop what follows the element holding the report's section headings (footer, related links)."""
    start = next((i for i, it in enumerate(items) if isinstance(it, Text) and title_parts(it.text)), None)
    if start is None:
        return items
    heads: list[Element | None] = []
    current = None
    for item in items[start + 1 :]:
        if isinstance(item, Text):
            numeral = heading_numeral(item.text, current)
            if numeral:
                heads.append(item.where)
                current = numeral
    if len(heads) < 2 or any(h is None for h in heads):
        return items
    container = heads[0]  # the innermost element holding every heading
    while container is not None and not all(container.holds(h) for h in heads):
        container = container.parent
    if container is None:
        return items
    last = max(i for i, item in enumerate(items) if container.holds(item.where))
    return items[: last + 1]


def tidy(items: list[Text | Grid], page_title: str = "") -> list[Para | Table]:
    """Paragraphs and tables in reading order → numbered blocks (shared with the Word reader).

    A paragraph takes one number, a table one per row: the number a problem
    message names is where to look.
    """
    items = _headings_out_of_tables(items)
    items = _join_split_title(items)
    items = _keep_last_title(items, page_title)
    items = _cut_after_report(items)
    blocks: list[Para | Table] = []
    number = 1
    for item in items:
        if isinstance(item, Text):
            blocks.append(Para(number, item.text))
            number += 1
        else:
            blocks.append(Table(number, item.rows))
            number += len(item.rows)
    return blocks
