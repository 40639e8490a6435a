"""Read step for web pages: a report published as an HTML article → blocks in reading order.

Government sites publish the annual report inside page chrome (logo, menus,
breadcrumbs, sidebars, footer). The reader keeps the text a browser would show,
as paragraphs and tables, and leaves the rest to ``assemble()`` (which ignores
everything before the report's title):

- ``<head>``, ``<script>``, ``<style>``, ``<noscript>``, ``<nav>``, ``<footer>``,
  forms' widgets and the like are skipped; chrome after the report is cut off
  (see ``tidy``);
- every block element (``p``, ``div``, ``h1``–``h6``, ``li``, ``br``, …) ends a
  paragraph; whitespace is collapsed as a browser does, and a line break in the
  source between two Chinese characters disappears (no space is invented);
- a table's rows follow the seed's conventions (``expand_spans``): the text of
  a cell is its pieces (``<p>``, ``<span>``, ``<br>``, a nested table's cells)
  joined without separator; ``&nbsp;`` alone is a blank cell;
- a table used for page layout (one whose cell holds the report's headings,
  long prose or a nested table of several rows) is not a data table: its cells'
  content is read in order as if the table were not there.

``html.parser`` is tolerant: unclosed ``<p>``/``<td>``/``<tr>``, ``<td>``
without ``<tr>``, stray end tags and Word's ``<![if …]>`` sections all parse.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from .document import Para, Table, expand_spans, heading_numeral, parse_title

_VOID = frozenset(
    "area base basefont bgsound br col embed frame hr image img input keygen link meta param source track wbr".split()
)
# Elements whose content is never the report's text.
_SKIP = frozenset(
    "head title script style noscript template nav footer select option button textarea "
    "iframe object embed svg math map canvas audio video datalist".split()
)
_HEAD_CONTENT = frozenset("title meta link style script base noscript template".split())
# Elements that end a paragraph where they start and where they end.
_BLOCK = frozenset(
    "address article aside blockquote body caption center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form frameset h1 h2 h3 h4 h5 h6 header hgroup hr html legend li listing "
    "main menu nav ol p plaintext pre section summary table tbody td tfoot th thead tr ul xmp".split()
)
# Start tags that close an open <p> (HTML's rule).
_CLOSES_P = _BLOCK - frozenset("body html caption td th tr tbody thead tfoot".split())
_ROW_GROUPS = frozenset(("tbody", "thead", "tfoot"))
_MAX_SPAN = 1000  # as browsers cap colspan; a rowspan is capped by the rows left in the table
_MAX_GRID = 1_000_000  # grid cells a table's spans may cover; beyond that the spans are ignored
_MAX_NESTING = 32

# Whitespace a browser collapses (NBSP too, in prose: it shows as a space); zero-width marks vanish.
_SPACES = re.compile(r"[ \t\n\r\f\u00a0]+")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# Word's conditional sections (``<![if !supportLists]>``) and stray ``<![`` make html.parser raise:
# read them as the bogus comments a browser sees (up to the next ``>``).
_MARKED_SECTION = re.compile(r"<!\[")


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


# --- What the parser builds ------------------------------------------------------------


@dataclass(eq=False)
class _Element:
    """An element of the page; ``enter``/``exit`` number its start and end, so that one element
    lies inside another when its interval lies inside the other's."""

    tag: str
    role: str | None  # skip, pre, table, row, cell
    parent: _Element | None
    enter: int
    exit: int = 1 << 62  # still open

    def holds(self, other: _Element | None) -> bool:
        return other is not None and self.enter <= other.enter and other.exit <= self.exit


@dataclass
class Text:
    """A paragraph (or a piece of a cell): its text and the innermost element it sits in."""

    text: str
    where: _Element | None = None


@dataclass
class Grid:
    """A data table: rows in the seed's conventions."""

    rows: list[list[str]]
    where: _Element | None = None


@dataclass
class _Cell:
    rowspan: int
    colspan: int
    flow: list[Text | _Table] = field(default_factory=list)


@dataclass
class _Table:
    where: _Element | None
    rows: list[list[_Cell]] = field(default_factory=list)
    outside: list[Text | _Table] = field(default_factory=list)  # caption and stray text, shown before it
    row_open: bool = False


@dataclass
class _Context:
    """Where text goes now: the page, a table (outside its cells) or a cell."""

    flow: list[Text | _Table]
    table: _Table | None = None
    cell: _Cell | None = None
    buffer: list[str] = field(default_factory=list)
    where: _Element | None = None
    started: bool = False


def _span(value: str | None) -> int:
    """A rowspan/colspan attribute as a browser reads it: leading digits, else 1."""
    m = re.match(r"\s*\+?(\d+)", value or "")
    n = int(m.group(1)) if m else 1
    return min(max(n, 1), _MAX_SPAN)


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.flow: list[Text | _Table] = []
        self.contexts = [_Context(self.flow)]
        self.stack: list[_Element] = []
        self.open: Counter[str] = Counter()  # open elements by tag, to skip hopeless searches
        self.tables = 0
        self.clock = 0
        self.skipping = 0
        self.pre = 0
        self.page_title: list[str] = []

    # --- the stack of open elements ---

    def _here(self) -> _Element | None:
        return self.stack[-1] if self.stack else None

    def _push(self, tag: str, role: str | None = None) -> None:
        self.clock += 1
        self.stack.append(_Element(tag, role, self._here(), self.clock))
        self.open[tag] += 1
        if role == "table":
            self.tables += 1
        elif role == "skip":
            self.skipping += 1
        elif role == "pre":
            self.pre += 1

    def _pop_to(self, index: int) -> None:
        """Close stack[index:], innermost first."""
        while len(self.stack) > index:
            element = self.stack.pop()
            self.clock += 1
            element.exit = self.clock
            self.open[element.tag] -= 1
            if element.role == "skip":
                self.skipping -= 1
            elif element.role == "pre":
                self.pre -= 1
                self._flush()
            elif element.role == "cell":
                self._flush()
                self.contexts.pop()
            elif element.role == "row":
                table = self._table()
                if table is not None:
                    table.row_open = False
            elif element.role == "table":
                self.tables -= 1
                self._flush()
                self.contexts.pop()
            elif element.tag in _BLOCK:
                self._flush()

    def _find(
        self, tags: Iterable[str], stop_roles: tuple[str, ...] = (), stop_tags: Iterable[str] = ()
    ) -> int:
        """Index of the innermost open element with one of ``tags``, not looking past a stop; -1 if none."""
        tags, stop_tags = set(tags), set(stop_tags)
        if not any(self.open[t] for t in tags):
            return -1
        for i in range(len(self.stack) - 1, -1, -1):
            element = self.stack[i]
            if element.tag in tags:
                return i
            if element.role in stop_roles or element.tag in stop_tags:
                return -1
        return -1

    def _table_index(self) -> int:
        if not self.tables:
            return -1
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i].role == "table":
                return i
        return -1

    def _table(self) -> _Table | None:
        for context in reversed(self.contexts):
            if context.table is not None and context.cell is None:
                return context.table
        return None

    # --- text ---

    def _add(self, data: str) -> None:
        context = self.contexts[-1]
        if not context.started and data.strip(" \t\n\r\f"):
            context.where, context.started = self._here(), True
        context.buffer.append(data)

    def _flush(self) -> None:
        context = self.contexts[-1]
        text = collapse("".join(context.buffer)) if context.buffer else ""
        if text:
            context.flow.append(Text(text, context.where if context.started else self._here()))
        context.buffer = []
        context.where, context.started = None, False

    def _close_head(self) -> None:
        head = self._find(("head",))
        if head >= 0:
            self._pop_to(head)

    def handle_data(self, data: str) -> None:
        if self.skipping:
            top = self.stack[-1] if self.stack else None
            if top is not None and top.tag == "title":
                self.page_title.append(data)
                return
            if top is not None and top.tag == "head" and data.strip():
                self._close_head()  # text in <head>: the body has begun
            else:
                return
        if self.pre and "\n" in data:
            lines = data.split("\n")
            for i, line in enumerate(lines):
                if i:
                    self._flush()
                self._add(line)
            return
        self._add(data)

    # --- tags ---

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.open["head"] and tag not in _HEAD_CONTENT and tag != "head":
            self._close_head()
        if self.skipping:
            if tag not in _VOID:
                self._push(tag, "skip" if tag in _SKIP else None)
            return
        if tag in ("html", "body"):
            return
        if tag in _SKIP:
            if tag in _BLOCK or tag in ("select", "iframe", "object", "svg", "math", "canvas", "video"):
                self._flush()
            if tag not in _VOID:
                self._push(tag, "skip")
            return
        if tag in _CLOSES_P:
            p = self._find(("p",), stop_roles=("cell", "table"), stop_tags=("button",))
            if p >= 0:
                self._pop_to(p)
        if tag == "li":
            li = self._find(("li",), stop_roles=("cell", "table"), stop_tags=("ul", "ol", "menu"))
            if li >= 0:
                self._pop_to(li)
        elif tag in ("dd", "dt"):
            item = self._find(("dd", "dt"), stop_roles=("cell", "table"), stop_tags=("dl",))
            if item >= 0:
                self._pop_to(item)
        if tag in ("td", "th", "tr") or tag in _ROW_GROUPS:
            self._table_part(tag, attrs)
            return
        if tag == "table":
            self._start_table()
            return
        if tag in _BLOCK or tag == "br":
            self._flush()
        if tag in _VOID:
            return
        self._push(tag, "pre" if tag in ("pre", "listing", "plaintext", "xmp") else None)

    def _start_table(self) -> None:
        if self.tables >= _MAX_NESTING:
            self._flush()  # tables nested this deep are not a report's: read on as plain text
            return
        context = self.contexts[-1]
        if context.table is not None and context.cell is None:
            # <table> inside a table but outside its cells starts a new table (as in a browser).
            self._pop_to(self._table_index())
        self._flush()
        table = _Table(self._here())
        self.contexts[-1].flow.append(table)
        self._push("table", "table")
        self.contexts.append(_Context(table.outside, table=table))

    def _table_part(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        t = self._table_index()
        if t < 0:  # a table part outside any table: a browser ignores the tag
            self._flush()
            return
        table = self._table()
        assert table is not None
        if tag in _ROW_GROUPS or tag == "tr":
            self._pop_to(t + 1)  # close any open cell, row or row group
            if tag == "tr":
                table.rows.append([])
                table.row_open = True
                self._push("tr", "row")
            else:
                self._push(tag)
            return
        cell = self._find(("td", "th"), stop_roles=("table",))
        if cell >= 0:
            self._pop_to(cell)
        self._flush()  # stray text before the cell
        if not table.row_open:  # <td> without <tr>
            table.rows.append([])
            table.row_open = True
        values = dict(attrs)
        node = _Cell(_span(values.get("rowspan")), _span(values.get("colspan")))
        table.rows[-1].append(node)
        self._push(tag, "cell")
        self.contexts.append(_Context(node.flow, cell=node))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("html", "body"):
            return
        if tag == "br":  # </br> is read as <br>
            if not self.skipping:
                self._flush()
            return
        if tag == "table":
            index = self._table_index()
        elif tag in ("td", "th", "tr") or tag in _ROW_GROUPS:
            index = self._find((tag,), stop_roles=("table",))
        else:
            index = self._find((tag,), stop_roles=("cell", "table"))
        if index >= 0:
            self._pop_to(index)
        elif tag in _BLOCK and not self.skipping:
            self._flush()  # a stray </p> still ends a paragraph

    def close(self) -> None:
        super().close()
        self._pop_to(0)
        self._flush()


# --- From the parse to blocks ------------------------------------------------------------


def _flow_text(flow: list[Text | _Table]) -> str:
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
    return bool(parse_title(text) or heading_numeral(text, None))


def _is_layout(table: _Table) -> bool:
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
            if isinstance(item, _Table):
                rows = [r for r in item.rows if r]
                if (len(rows) >= 3 and max(map(len, rows)) >= 2) or _is_layout(item):
                    return True
    return False


def _grid(table: _Table) -> list[list[str]]:
    n = len(table.rows)
    spans = [
        [(_flow_text(cell.flow), min(cell.rowspan, n - i), cell.colspan) for cell in row]
        for i, row in enumerate(table.rows)
    ]
    if sum(rowspan * colspan for row in spans for _, rowspan, colspan in row) > _MAX_GRID:
        spans = [[(text, 1, 1) for text, _, _ in row] for row in spans]  # absurd spans: not a report's
    expanded = expand_spans(spans)
    # A row with no cells of its own (all covered from above) or with nothing in it carries nothing.
    return [out for out, row in zip(expanded, table.rows, strict=True) if row and any(out)]


def _flatten(flow: list[Text | _Table]) -> list[Text | Grid]:
    out: list[Text | Grid] = []
    for item in flow:
        if isinstance(item, Text):
            out.append(item)
            continue
        out.extend(_flatten(item.outside))
        if _is_layout(item):
            for row in item.rows:
                for cell in row:
                    out.extend(_flatten(cell.flow))
        else:
            rows = _grid(item)
            if rows:
                out.append(Grid(rows, item.where))
    return out


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
    """A title printed on two or three lines (``…中心`` / ``政府信息公开工作年度报告``) is one paragraph."""
    items = list(items)
    end = _first_heading(items)
    i = 0
    while i < end:
        for n in (2, 3):
            parts = items[i : i + n]
            texts = [p.text for p in parts if isinstance(p, Text)]
            if len(texts) < n or i + n > end or any(parse_title(t) for t in texts):
                break
            if parse_title("".join(texts)):
                items[i : i + n] = [Text("".join(texts), parts[0].where)]
                end -= n - 1
                break
        i += 1
    return items


def _keep_last_title(items: list[Text | Grid], page_title: str = "") -> list[Text | Grid]:
    """Of the title-like lines before the report's first heading, keep the last.

    Sidebars and "previous article" links before the article name other years'
    reports; the report's own title is the one right above its text. With no
    title on the page at all, the page's ``<title>`` stands in.
    """
    end = _first_heading(items)
    titles = [i for i in range(end) if isinstance(items[i], Text) and parse_title(items[i].text)]
    if not titles:
        page_title = collapse(page_title)
        return [Text(page_title), *items] if page_title and parse_title(page_title) else items
    drop = set(titles[:-1])
    return [item for i, item in enumerate(items) if i not in drop]


def _cut_after_report(items: list[Text | Grid]) -> list[Text | Grid]:
    """Drop what follows the element holding the report's section headings (footer, related links)."""
    start = next((i for i, it in enumerate(items) if isinstance(it, Text) and parse_title(it.text)), None)
    if start is None:
        return items
    heads: list[_Element | None] = []
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


def html_blocks(text: str) -> list[Para | Table]:
    """A web page's text → its paragraphs and tables in reading order."""
    parser = _PageParser()
    parser.feed(_MARKED_SECTION.sub("<!_[", text))
    parser.close()
    return tidy(_flatten(parser.flow), "".join(parser.page_title))
