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
- tables to rows, layout tables, the title and the chrome around the report:
  ``html_grid`` (this module is the parser).

``html.parser`` is tolerant: unclosed ``<p>``/``<td>``/``<tr>``, ``<td>``
without ``<tr>``, stray end tags and Word's ``<![if …]>`` sections all parse.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ..document import Para, Table
from .html_grid import CellNode, Element, Grid, TableNode, Text, collapse, flatten, tidy

__all__ = ["Grid", "Text", "collapse", "html_blocks", "html_page", "tidy"]

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
_MAX_NESTING = 32

# Word's conditional sections (``<![if !supportLists]>``) and stray ``<![`` make html.parser raise:
# read them as the bogus comments a browser sees (up to the next ``>``).
_MARKED_SECTION = re.compile(r"<!\[")


@dataclass
class _Context:
    """Where text goes now: the page, a table (outside its cells) or a cell."""

    flow: list[Text | TableNode]
    table: TableNode | None = None
    cell: CellNode | None = None
    buffer: list[str] = field(default_factory=list)
    where: Element | None = None
    started: bool = False


def _span(value: str | None) -> int:
    """A rowspan/colspan attribute as a browser reads it: leading digits, else 1."""
    m = re.match(r"\s*\+?(\d+)", value or "")
    n = int(m.group(1)) if m else 1
    return min(max(n, 1), _MAX_SPAN)


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.flow: list[Text | TableNode] = []
        self.contexts = [_Context(self.flow)]
        self.stack: list[Element] = []
        self.open: Counter[str] = Counter()  # open elements by tag, to skip hopeless searches
        self.tables = 0
        self.clock = 0
        self.skipping = 0
        self.pre = 0
        self.page_title: list[str] = []

    # --- the stack of open elements ---

    def _here(self) -> Element | None:
        return self.stack[-1] if self.stack else None

    def _push(self, tag: str, role: str | None = None) -> None:
        self.clock += 1
        self.stack.append(Element(tag, role, self._here(), self.clock))
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

    def _table(self) -> TableNode | None:
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
        table = TableNode(self._here())
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
        node = CellNode(_span(values.get("rowspan")), _span(values.get("colspan")))
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


def html_blocks(text: str) -> list[Para | Table]:
    """A web page's text → its paragraphs and tables in reading order."""
    return html_page(text)[0]


def html_page(text: str) -> tuple[list[Para | Table], str]:
    """A web page's text → (its blocks, its ``<title>`` text): the parse step compares the
    agency the ``<title>`` names with the one the report's own title names."""
    parser = _PageParser()
    parser.feed(_MARKED_SECTION.sub("<!_[", text))
    parser.close()
    page_title = "".join(parser.page_title)
    return tidy(flatten(parser.flow), page_title), collapse(page_title)
