"""PDF reader, second half: the text lines and tables of each page → blocks in reading order.

Text lines are joined into paragraphs (also across pages) until a line is indented,
set apart by a gap, or is a section heading (a paragraph of its own); running heads
and page numbers in the margins are dropped; the title is the large or centred lines
at the top of page 1, joined. :mod:`.pdf_file` reads the pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..document import Para, Table, heading_numeral
from ..text_rules import is_page_number

# --- What a page holds ------------------------------------------------------------


@dataclass
class TextLine:
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    bold: bool
    text: str
    alone: bool = False  # a paragraph of its own (the title)


@dataclass
class PageContent:
    number: int
    width: float
    height: float
    n_chars: int
    images: int
    scanned: bool
    items: list[tuple[float, TextLine | list[list[str]]]] = field(default_factory=list)


def assemble_blocks(pages: list[PageContent]) -> list[Para | Table]:
    """Every page's lines and tables as numbered paragraph and table blocks."""
    return _Assembler().blocks(pages)


# --- Pages → blocks -----------------------------------------------------------------


class _Assembler:
    """Joins text lines into paragraphs and numbers every block in reading order."""

    def __init__(self) -> None:
        self.out: list[Para | Table] = []
        self.number = 0
        self.lines: list[str] = []

    def _next(self, count: int = 1) -> int:
        number = self.number + 1
        self.number += count
        return number

    def flush(self) -> None:
        if self.lines:
            self.out.append(Para(self._next(), "".join(self.lines)))
            self.lines = []

    def blocks(self, pages: list[PageContent]) -> list[Para | Table]:
        body = _body_metrics(pages)
        running = _chrome_keys(pages)
        prev: TextLine | None = None
        prev_page = 0
        for page in pages:
            items = [it for it in page.items if not _is_chrome(it[1], page, running)]
            if page is pages[0]:
                items = _mark_title(items, page, body)
            for _top, item in items:
                if isinstance(item, list):
                    self.flush()
                    self.out.append(Table(self._next(len(item)), item))
                    prev = None
                    continue
                alone = item.alone or _is_heading(item, body)
                starts = (
                    prev is None
                    or alone
                    or item.x0 > body.left + body.indent
                    or (prev_page == page.number and item.top - prev.bottom > 1.2 * max(item.size, 1.0))
                )
                if starts:
                    self.flush()
                self.lines.append(item.text)
                if alone:
                    self.flush()
                prev = None if alone else item
                prev_page = page.number
        self.flush()
        return self.out


@dataclass
class _Body:
    left: float  # the body text's left margin
    right: float  # where full lines of body text end
    size: float  # the body text's font size
    indent: float  # how far right of the margin a line must start to open a paragraph


def _body_metrics(pages: list[PageContent]) -> _Body:
    lines = [it for p in pages for _t, it in p.items if isinstance(it, TextLine)]
    if not lines:
        return _Body(0.0, 0.0, 12.0, 12.0)
    sizes: dict[float, int] = {}
    for ln in lines:
        sizes[ln.size] = sizes.get(ln.size, 0) + len(ln.text)
    size = max(sizes, key=lambda s: sizes[s])
    lefts: dict[int, int] = {}
    rights: dict[int, int] = {}
    for ln in lines:
        if abs(ln.size - size) <= 1:
            lefts[round(ln.x0)] = lefts.get(round(ln.x0), 0) + 1
            rights[round(ln.x1)] = rights.get(round(ln.x1), 0) + 1
    left = float(min(lefts, key=lambda x: (-lefts[x], x)))
    right = float(max(rights, key=lambda x: (rights[x], x)))
    return _Body(left, right, size, max(size * 1.2, 8.0))


def _margin_key(item: TextLine | list[list[str]], page: PageContent) -> str | None:
    """A text line in the top or bottom margin, keyed with its digits masked (or None)."""
    if not isinstance(item, TextLine):
        return None
    if not (item.top > page.height * 0.88 or item.bottom < page.height * 0.08):
        return None
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", item.text))


def _chrome_keys(pages: list[PageContent]) -> set[str]:
    """Running headers and footers: margin lines repeated on at least half the pages (and two)."""
    seen: dict[str, set[int]] = {}
    for page in pages:
        for _top, item in page.items:
            key = _margin_key(item, page)
            if key is not None:
                seen.setdefault(key, set()).add(page.number)
    return {k for k, on in seen.items() if len(on) >= 2 and 2 * len(on) >= len(pages)}


def _is_chrome(item: TextLine | list[list[str]], page: PageContent, running: set[str]) -> bool:
    """Page numbers and running headers/footers in the top or bottom margin."""
    key = _margin_key(item, page)
    if key is None or not isinstance(item, TextLine):
        return False
    return key in running or is_page_number(item.text)


def _is_heading(line: TextLine, body: _Body) -> bool:
    """A section heading (一、总体情况 …): a paragraph of its own.

    Set in a heading font or size, or at least a short line: a full-width line of
    body text that happens to start with "二、" is not one.
    """
    if heading_numeral(line.text, None) is None:
        return False
    return line.bold or line.size > body.size + 0.5 or line.x1 < body.right - body.size


def _centred(line: TextLine, page: PageContent, body: _Body) -> bool:
    left, right = line.x0, page.width - line.x1
    return abs(left - right) < max(body.size, 12.0) and left > body.left + body.indent


def _mark_title(
    items: list[tuple[float, TextLine | list[list[str]]]], page: PageContent, body: _Body
) -> list[tuple[float, TextLine | list[list[str]]]]:
    """Page 1 with its title lines (the first run of lines larger than body text, or
    centred, before any heading or table) joined into one line that stands alone."""
    start = end = None
    for i, (_top, item) in enumerate(items):
        if not isinstance(item, TextLine) or _is_heading(item, body):
            break
        if item.size >= body.size * 1.15 or _centred(item, page, body):
            start = i if start is None else start
            end = i + 1
        elif start is not None:
            break
    if start is None or end is None:
        return items
    run = [item for _top, item in items[start:end] if isinstance(item, TextLine)]
    text = "".join(line.text for line in run)
    first = run[0]
    title = TextLine(first.top, run[-1].bottom, first.x0, first.x1, first.size, first.bold, text, alone=True)
    return [*items[:start], (items[start][0], title), *items[end:]]
