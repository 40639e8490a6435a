"""PDF reader: a report's PDF → paragraph and table blocks in reading order.

Built for the text-layer PDFs that government offices publish (WPS / Word
exports; see tests/data/hongze_pdf_notes.md for what they look like):

- Tables are the ruled-line grids. Filled rectangles are ignored (WPS backs
  every printed line with a white rectangle and shades header bands; taken as
  edges they turn prose into "tables"); only drawn lines and thin or stroked
  rectangles count as rules. Each page's vertical rules are grouped into
  clusters (one per table) and every cluster is closed with a synthetic edge at
  its top and bottom, so a cell whose border is missing at a page break still
  reads. The grid of each table is rebuilt from its cells' boxes, so row and
  column spans are known and written in the seed's convention (see
  ``etl.document``); a table continued on the next page is simply the next
  Table block.
- Text lines are the text outside every table, with the spaces an extractor
  inserts at gaps next to Chinese characters removed (the PDFs hold no space
  glyphs there), so the text is the report's own. :mod:`.pdf_layout` joins
  them into paragraphs, drops page numbers and running heads, and finds the
  title.

Anything that is not a readable text PDF (not a PDF, encrypted, scanned) is
refused with a ReportError naming the file; no pdfminer exception escapes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from typing import Any

from ..document import Para, Table
from ..model import ReportError
from .pdf_layout import PageContent, TextLine, assemble_blocks
from .source import refuse

WHOLE_FILE = "整个文件"
NOT_A_PDF = "不是有效的PDF文件"
SCANNED = "扫描版PDF没有文字层，无法读取；请提供文字版PDF、Word或网页版本"
ENCRYPTED = "PDF文件已加密（需要密码才能打开），无法读取；请提供未加密的版本"

# Table finding: ruled lines only, synthetic edges added per cluster (see above).
_TABLE_SETTINGS: dict[str, Any] = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
}
_RULE_THICKNESS = 2.5  # a filled rectangle this thin (pt) is a drawn rule
_Y_TOLERANCE = 3  # digits sit ~1 pt off the CJK baseline
_MIN_SCANNED_IMAGE_SHARE = 0.3  # an image covering this share of a page …
_MIN_PAGE_CHARS = 10  # … on a page with fewer characters: a scanned page

# Spaces that sit next to a CJK character or full-width punctuation are the
# extractor's (justified lines, a Latin-font digit run beside Chinese text).
_CJK = (
    "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
)
_WIDE = _CJK + "\u2014\u2018\u2019\u201c\u201d\u2026\u00b7\u2022\u25cb\u25cf"
# The second branch is tried only where a run of spaces starts: from inside a run it could
# never match (the run's end is the same), and trying it at every position of a long run
# would cost the run's length each time (quadratic).
_EXTRA_SPACE = re.compile(
    rf"(?<=[{_WIDE}])[ \t\u00a0\u3000]+|(?<![ \t\u00a0\u3000])[ \t\u00a0\u3000]+(?=[{_WIDE}])"
)


def tidy(text: str) -> str:
    """Remove extractor-inserted spaces next to Chinese characters; trim."""
    return _EXTRA_SPACE.sub("", text).strip()


# --- Opening and refusing -------------------------------------------------------


def _cause_names(exc: BaseException) -> set[str]:
    """Class names of an exception, its arguments and its chain (pdfplumber wraps pdfminer's)."""
    names: set[str] = set()
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        e = todo.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        names.update(cls.__name__ for cls in type(e).__mro__)
        todo += [a for a in getattr(e, "args", ()) if isinstance(a, BaseException)]
        todo += [c for c in (e.__cause__, e.__context__) if c is not None]
    return names


def _refusal(name: str, exc: Exception) -> ReportError:
    names = _cause_names(exc)
    if names & {"PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning"}:
        return refuse(name, WHOLE_FILE, ENCRYPTED)
    if names & {"PDFSyntaxError", "PSEOF", "PSSyntaxError", "PDFNoValidXRef"}:
        return refuse(name, WHOLE_FILE, f"{NOT_A_PDF}（文件已损坏或不完整）")
    detail = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else type(exc).__name__
    return refuse(name, WHOLE_FILE, f"无法读取PDF文件（{detail}）")


def pdf_blocks(name: str, data: bytes) -> list[Para | Table]:
    """The blocks of a PDF report, in reading order; a ReportError if it cannot be read."""
    if b"%PDF-" not in data[:1024]:
        raise refuse(name, WHOLE_FILE, f"{NOT_A_PDF}（文件开头没有PDF标记）")
    import pdfplumber  # imported here: only PDF reports need it

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [_read_page(page) for page in pdf.pages]
        if not pages:
            raise refuse(name, WHOLE_FILE, f"{NOT_A_PDF}（没有页面）")
        _refuse_scanned(name, pages)
        return assemble_blocks(pages)
    except ReportError:
        raise
    except Exception as exc:  # pdfminer / pdfplumber raise many kinds; none may escape
        raise _refusal(name, exc) from None


def _refuse_scanned(name: str, pages: list[PageContent]) -> None:
    """Refuse a scanned PDF: all pages images, or image pages amid the text.

    Image-only pages after the last page with text (a scanned seal, photos) are
    let through: the report itself has been read by then.
    """
    total = sum(p.n_chars for p in pages)
    if total < _MIN_PAGE_CHARS * len(pages) and any(p.images for p in pages):
        raise refuse(name, WHOLE_FILE, SCANNED)
    if total == 0:
        raise refuse(
            name, WHOLE_FILE, "PDF中没有可读取的文字（文字可能已转为图形）；请提供文字版PDF、Word或网页版本"
        )
    last_text = max((p.number for p in pages if p.n_chars >= _MIN_PAGE_CHARS), default=0)
    scanned = [p.number for p in pages if p.scanned and p.number < last_text]
    if scanned:
        where = "、".join(f"第{n}页" for n in scanned)
        raise refuse(name, where, f"该页是扫描图像，{SCANNED}")


# --- One page -------------------------------------------------------------------


def _is_rule(obj: dict[str, Any]) -> bool:
    """Which graphics count as table rules: lines, curves, thin or stroked rectangles."""
    if obj.get("object_type") != "rect":
        return True
    if obj.get("stroke") and not _is_white(obj.get("stroking_color")):
        return True
    thin = min(obj["width"], obj["height"]) <= _RULE_THICKNESS
    return bool(thin and obj.get("fill") and not _is_white(obj.get("non_stroking_color")))


def _is_white(color: Any) -> bool:
    if color is None:
        return False
    values = color if isinstance(color, (list, tuple)) else (color,)
    try:
        nums = [float(v) for v in values]
    except (TypeError, ValueError):
        return False
    if len(nums) == 4:  # CMYK
        return all(v <= 0.05 for v in nums)
    return bool(nums) and all(v >= 0.95 for v in nums)


def _closing_edges(page: Any) -> list[dict[str, float]]:
    """A horizontal edge at the top and bottom of each cluster of vertical rules."""
    verticals = sorted(
        (e for e in page.edges if e["orientation"] == "v" and e["bottom"] - e["top"] > 1),
        key=lambda e: e["top"],
    )
    clusters: list[list[float]] = []  # [top, bottom, x0, x1, count]
    for e in verticals:
        if clusters and e["top"] <= clusters[-1][1] + 3:
            c = clusters[-1]
            c[1] = max(c[1], e["bottom"])
            c[2] = min(c[2], e["x0"])
            c[3] = max(c[3], e["x1"])
            c[4] += 1
        else:
            clusters.append([e["top"], e["bottom"], e["x0"], e["x1"], 1])
    edges = []
    for top, bottom, x0, x1, count in clusters:
        if count < 2 or x1 - x0 < 1:
            continue
        for y in (top, bottom):
            edges.append(
                {
                    "x0": x0,
                    "x1": x1,
                    "top": y,
                    "bottom": y,
                    "width": x1 - x0,
                    "height": 0,
                    "object_type": "line",
                }
            )
    return edges


def _inside(char: dict[str, Any], bbox: tuple[float, float, float, float]) -> bool:
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def _cell_text(chars: list[dict[str, Any]]) -> str:
    """A cell's text: its lines joined with no separator, extractor spaces removed."""
    if not chars:
        return ""
    from pdfplumber.utils import extract_text

    text = extract_text(chars, y_tolerance=_Y_TOLERANCE)
    return tidy("".join(line.strip() for line in text.splitlines()))


def _grid_coords(values: Iterable[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > 1.0:
            out.append(v)
    return out


def _index(coords: list[float], v: float) -> int:
    return min(range(len(coords)), key=lambda i: abs(coords[i] - v))


def _table_rows(table: Any, chars: list[dict[str, Any]]) -> list[list[str]]:
    """A pdfplumber table → rows of cell texts, spans written in the seed's convention."""
    boxes = [tuple(c) for c in table.cells]
    xs = _grid_coords(v for b in boxes for v in (b[0], b[2]))
    ys = _grid_coords(v for b in boxes for v in (b[1], b[3]))
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    owner: dict[tuple[int, int], int] = {}
    spans: list[tuple[int, int, int, int]] = []  # row, col, last row, last col
    for i, (x0, top, x1, bottom) in enumerate(boxes):
        r0, r1 = _index(ys, top), _index(ys, bottom)
        c0, c1 = _index(xs, x0), _index(xs, x1)
        spans.append((r0, c0, r1 - 1, c1 - 1))
        for r in range(r0, r1):
            for c in range(c0, c1):
                owner.setdefault((r, c), i)
    members: list[list[dict[str, Any]]] = [[] for _ in boxes]
    for ch in chars:
        if not ch["text"].strip():
            continue
        for i, b in enumerate(boxes):
            if _inside(ch, b):
                members[i].append(ch)
                break
    texts = [_cell_text(m) for m in members]
    rows: list[list[str]] = []
    for r in range(n_rows):
        row: list[str] = []
        for c in range(n_cols):
            i = owner.get((r, c))
            if i is None:
                row.append("")  # a hole in the grid: no cell drawn here
                continue
            r0, c0, _r1, _c1 = spans[i]
            if (r0, c0) == (r, c):
                row.append(texts[i])
            elif r0 < r and c0 == c:
                row.append("")  # covered from above: a placeholder at the span's first column
            # covered from the left (or from above, beyond the first column): left out
        if row:  # a blank row is kept: table 四 of an agency with no cases is blank (NULLs)
            rows.append(row)
    return rows


def _read_page(page: Any) -> PageContent:
    try:
        return _page_content(page)
    finally:
        page.close()  # drop the page's parsed objects: they are no longer needed


def _page_content(page: Any) -> PageContent:
    page = page.dedupe_chars()  # text drawn twice (a fake bold) counts once
    chars = [c for c in page.chars if c.get("upright", True)]
    n_chars = sum(1 for c in chars if c["text"].strip())
    area = page.width * page.height or 1.0
    image_area = sum(
        max(0.0, min(im["x1"], page.width) - max(im["x0"], 0))
        * max(0.0, min(im["bottom"], page.height) - max(im["top"], 0))
        for im in page.images
    )
    scanned = image_area >= _MIN_SCANNED_IMAGE_SHARE * area and n_chars < _MIN_PAGE_CHARS
    content = PageContent(page.page_number, page.width, page.height, n_chars, len(page.images), scanned)
    if not n_chars:
        return content

    ruled = page.filter(_is_rule)
    settings = dict(_TABLE_SETTINGS, explicit_horizontal_lines=_closing_edges(ruled))
    tables = [t for t in ruled.find_tables(settings) if len(t.cells) > 1]
    boxes = [t.bbox for t in tables]
    for table in tables:
        inner = [c for c in chars if _inside(c, table.bbox)]
        rows = _table_rows(table, inner)
        if rows:
            content.items.append((table.bbox[1], rows))

    outside = page.filter(lambda o: o.get("object_type") != "char" or not any(_inside(o, b) for b in boxes))
    for line in outside.extract_text_lines(y_tolerance=_Y_TOLERANCE, return_chars=True):
        text = tidy(line["text"])
        if not text:
            continue
        line_chars = [c for c in line["chars"] if c["text"].strip()]
        sizes = sorted(round(c["size"], 1) for c in line_chars) or [0.0]
        fonts = [c.get("fontname", "") for c in line_chars]
        bold = sum(1 for f in fonts if _BOLD.search(f)) > len(fonts) / 2
        content.items.append(
            (
                line["top"],
                TextLine(
                    line["top"], line["bottom"], line["x0"], line["x1"], sizes[len(sizes) // 2], bold, text
                ),
            )
        )
    content.items.sort(key=lambda item: item[0])
    return content


_BOLD = re.compile(r"黑体|Hei|Bold|SimHei|STHeiti|Black", re.IGNORECASE)
