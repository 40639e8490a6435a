"""Read step for Word files: a report as .docx → blocks (paragraphs and tables) in document order.

The body's XML is read directly (python-docx opens the package), so paragraphs
and tables come in the order they are printed, content controls (``w:sdt``)
and tracked insertions included, deletions left out:

- a paragraph's text is its runs' text; a line break inside it (Shift+Enter)
  starts a new paragraph, as ``<br>`` does on a web page, and a title broken
  over two lines is joined again (``read_html.tidy``);
- a table's merged cells become spans (``w:gridSpan`` → colspan; ``w:vMerge``
  restart/continue → rowspan; ``w:gridBefore`` → a blank cell) and then rows in
  the seed's conventions (``expand_spans``); a cell's paragraphs (and a nested
  table's cells) are joined without separator; an empty cell is blank, and a
  blank row is kept (the parser skips it, or reads it as blank values);
- page headers, footers, footnotes, comments and text boxes are not the report.

Anything that is not a readable .docx (not a zip, no Word document inside,
broken XML) is refused with a ReportError naming the file.
"""

from __future__ import annotations

import io
import zipfile

from ..document import Para, Table, expand_spans
from ..model import ReportError
from .html_grid import Grid, Text, tidy
from .source import refuse

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
MAX_UNPACKED = 200 * 1024 * 1024  # a larger unpacked size is not a report (or is a zip bomb)
# Paragraphs and tables a report may have: six sections of at most parse.MAX_PARAGRAPHS
# (2,000) paragraphs each, plus a margin. Counted while reading, so that a small file
# of countless tiny paragraphs is refused in well under a second, not read for seconds.
MAX_BLOCKS = 20_000

_P, _TBL, _TR, _TC, _SDT = W + "p", W + "tbl", W + "tr", W + "tc", W + "sdt"
# Containers whose children are read as if they stood in their place.
_WRAPPERS = frozenset((W + "customXml", W + "ins", W + "moveTo", W + "smartTag", W + "sdtContent"))
# Run-level content that is not printed text of the paragraph.
_NOT_TEXT = frozenset(
    (
        W + "del",
        W + "moveFrom",
        W + "drawing",
        W + "pict",
        W + "object",
        W + "pPr",
        W + "rPr",
        W + "sdtPr",
        W + "sdtEndPr",
        W + "footnoteReference",
        W + "endnoteReference",
        W + "commentReference",
        MC + "AlternateContent",
    )
)


def _val(element, tag: str) -> str | None:
    """The ``w:val`` of child ``tag`` of ``element``; "" if the child has no value; None if absent."""
    if element is None:
        return None
    child = element.find(W + tag)
    if child is None:
        return None
    return child.get(W + "val", "")


def _int(value: str | None, default: int = 1) -> int:
    try:
        return min(max(int(value or default), 1), 100)  # Word's tables have at most 63 columns
    except ValueError:
        return default


def _children(element, tag: str):
    """Children with ``tag``, looking through content controls and other wrappers."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag == _SDT:
            content = child.find(W + "sdtContent")
            if content is not None:
                yield from _children(content, tag)
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _run_text(element, out: list[str]) -> None:
    for child in element:
        tag = child.tag
        if tag == W + "t":
            out.append(child.text or "")
        elif tag in (W + "tab", W + "ptab"):
            out.append("\t")
        elif tag in (W + "br", W + "cr"):
            out.append("\n")
        elif tag == W + "noBreakHyphen":
            out.append("-")
        elif isinstance(tag, str) and tag not in _NOT_TEXT:
            _run_text(child, out)


def _paragraph_lines(p) -> list[str]:
    """A paragraph's text, one item per line (a line break starts a new one)."""
    out: list[str] = []
    _run_text(p, out)
    return "".join(out).replace("\t", " ").split("\n")


def _cell_text(tc) -> str:
    """A cell's paragraphs (and any nested table's cells) joined without separator."""
    parts: list[str] = []
    for child in tc:
        if child.tag == _P:
            parts.extend(line.strip() for line in _paragraph_lines(child))
        elif child.tag == _TBL:
            parts.extend(_cell_text(cell) for row in _children(child, _TR) for cell in _children(row, _TC))
        elif child.tag == _SDT or child.tag in _WRAPPERS:
            content = child.find(W + "sdtContent") if child.tag == _SDT else child
            if content is not None:
                parts.append(_cell_text(content))
    return "".join(parts)


def _table_rows(tbl) -> list[list[str]]:
    """A table's rows in the seed's conventions."""
    spans: list[list[tuple[str, int, int]]] = []
    # grid column → the [text, rowspan, colspan] a vertical merge started there, for the next row
    open_merges: dict[int, list] = {}
    for tr in _children(tbl, _TR):
        props = tr.find(W + "trPr")
        if props is not None and props.find(W + "del") is not None:
            continue  # a deleted row (tracked change)
        row: list[list] = []
        merges: dict[int, list] = {}
        col = 0
        before = _int(_val(props, "gridBefore")) if _val(props, "gridBefore") else 0
        if before:
            row.append(["", 1, before])  # columns the row skips: one blank cell
            col = before
        for tc in _children(tr, _TC):
            cell_props = tc.find(W + "tcPr")
            width = _int(_val(cell_props, "gridSpan"))
            vmerge = _val(cell_props, "vMerge")
            hmerge = _val(cell_props, "hMerge")
            if hmerge is not None and hmerge != "restart" and row:
                row[-1][2] += width  # legacy horizontal merge: widen the cell on the left
                col += width
                continue
            above = open_merges.get(col)
            if vmerge is not None and vmerge != "restart" and above is not None and above[2] == width:
                above[1] += 1  # covered by the cell above: it spans one more row
                merges[col] = above
            else:
                entry = [_cell_text(tc), 1, width]
                row.append(entry)
                if vmerge is not None:
                    merges[col] = entry
            col += width
        open_merges = merges
        spans.append(row)
    frozen = [[(text, rowspan, colspan) for text, rowspan, colspan in row] for row in spans]
    expanded = expand_spans(frozen)
    # A row with no cells of its own (all covered from above) carries nothing. A blank row is
    # kept: table 四's values row of an agency with no cases is blank (NULLs, not a missing row).
    return [out for out, row in zip(expanded, frozen, strict=True) if row]


class _TooManyBlocks(Exception):
    """Raised inside the walk; turned into a ReportError naming the file."""


def _blocks(container, out: list[Text | Grid]) -> None:
    for child in container:
        if len(out) > MAX_BLOCKS:
            raise _TooManyBlocks
        if child.tag == _P:
            out.extend(Text(line.strip()) for line in _paragraph_lines(child) if line.strip())
        elif child.tag == _TBL:
            rows = _table_rows(child)
            if rows:
                out.append(Grid(rows))
        elif child.tag == _SDT:
            content = child.find(W + "sdtContent")
            if content is not None:
                _blocks(content, out)
        elif child.tag in _WRAPPERS:
            _blocks(child, out)


def _read(name: str, data: bytes) -> list[Text | Grid]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
            raise refuse(
                name, "整个文件", f"解压后过大（超过 {MAX_UNPACKED // (1024 * 1024)} MB），不是一份报告"
            )
    import docx  # python-docx, imported only when a Word file is read

    body = docx.Document(io.BytesIO(data)).element.body
    items: list[Text | Grid] = []
    try:
        _blocks(body, items)
    except _TooManyBlocks:
        raise refuse(name, "整个文件", f"段落和表格过多（超过 {MAX_BLOCKS:,} 个），不是一份年报") from None
    return items


def docx_blocks(name: str, data: bytes) -> list[Para | Table]:
    """A .docx file's bytes → its paragraphs and tables in document order, or a ReportError."""
    try:
        items = _read(name, data)
    except ReportError:
        raise
    except Exception:  # zip, XML or package errors of any library: not a Word file we can read
        raise refuse(name, "整个文件", "不是有效的Word（.docx）文件") from None
    return tidy(items)
