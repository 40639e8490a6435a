"""Parse step for the three standard tables, from rows of cells as printed.

Each function returns the table's cells and appends any problem (with the
table, row and column it concerns) to ``out.problems``; the caller refuses the
report if there are any. A cell seen but with no place in the template (an
extra column or row, a note, words where a figure goes) is appended to
``out.unplaced`` instead: listed to officials, never silently dropped. Table 三
is parsed in ``parse_table3``; tables 二 and 四 here.
"""

from __future__ import annotations

import re

from .collector import Collector, read_value
from .document import Cell
from .labels import best_match, normalise, similarity
from .model import DisclosureCell, ReviewCell
from .numbers import is_remark, parse_cell
from .parse_table3 import parse_table3
from .table_rows import filled, is_chrome_row, table_rows, trim_blank_end
from .template import (
    OUTCOMES,
    PROCEEDINGS,
    TABLE2_FORMATS,
    TABLE4_CELLS,
    TABLE4_HEADERS,
    DisclosureBlock,
)

__all__ = ["Collector", "oversized", "parse_table2", "parse_table3", "parse_table4"]

_ITEM = re.compile(r"第?二十条\s*+第?\s*+[（(]\s*+([一二三四五六七八九十]+)\s*+[)）]\s*+项")


# The national tables are small (table 三, the largest, has 26 rows of at most 10
# cells, and some 300 cells); far larger is not one of them. Refusing it early keeps
# the cost of matching its labels bounded, however large the file.
MAX_TABLE_ROWS = 200
MAX_TABLE_CELLS = 2000


def oversized(name: str, rows: list[list[Cell]], out: Collector) -> bool:
    """Whether table ``name``'s rows are too many to be the national table (then a problem is added)."""
    cells = sum(map(len, rows))
    if len(rows) <= MAX_TABLE_ROWS and cells <= MAX_TABLE_CELLS:
        return False
    out.add(
        f"表{name}（第{rows[0][0].line}{out.unit}起）",
        f"表格过大（{len(rows)}行、{cells}个单元格；国家格式的表格不超过{MAX_TABLE_ROWS}行、"
        f"{MAX_TABLE_CELLS}个单元格），不是年报的表格",
    )
    return True


# --- Table 二 -----------------------------------------------------------------

Column = tuple[str | None, str]  # (canonical measure or None, header as printed; "" for a blank header cell)


def _candidates(number: str) -> list[tuple[str, DisclosureBlock]]:
    """The template blocks (of each format) with this item number."""
    return [(fmt, b) for fmt, blocks in TABLE2_FORMATS.items() for b in blocks if b.number == number]


def _header_score(header: list[str], block: DisclosureBlock) -> float:
    """How well a block's measures fit a header row (the format is told by its headers)."""
    score = sum(max((similarity(h, m) for m in block.measures), default=0.0) for h in header)
    return score - abs(len(header) - len(block.measures))


def _line_up(
    values: list[Cell], columns: list[Column]
) -> tuple[list[tuple[Cell, Column]], list[Cell]] | None:
    """Each value cell with its header column, and the filled cells under no header.

    A row as wide as its header (a uniform grid) is lined up by position; otherwise
    the named columns are taken in order (spans differ from row to row in the
    wild), after dropping blank spare cells at the row's end. None: too few cells.
    """
    named = [i for i, (_canonical, raw) in enumerate(columns) if raw]
    if len(values) == len(columns) and len(named) < len(columns):
        spare = [v for i, v in enumerate(values) if i not in named and v.text]
        return [(values[i], columns[i]) for i in named], spare
    values = trim_blank_end(values, len(named))
    if len(values) != len(named):
        return None
    return [(v, columns[i]) for v, i in zip(values, named, strict=True)], []


def _has_figure(cells: list[Cell]) -> bool:
    return any(c.text and not is_remark(c.text) for c in cells)


class _Block:
    """One block of table 二 as printed: its template block, its columns, the rows found."""

    def __init__(self, number: str):
        self.number = number
        self.fmt = ""
        self.block: DisclosureBlock | None = None
        self.columns: list[Column] = []
        self.found: dict[str, int] = {}  # content → line
        self.unknown: list[list[Cell]] = []  # rows whose label is not one of the block's


def _table2_header(row: list[Cell], current: _Block, out: Collector) -> None:
    header = row[1:]
    named = [c.text for c in header if c.text]
    current.fmt, block = max(_candidates(current.number), key=lambda fb: _header_score(named, fb[1]))
    current.block = block
    current.columns = [(best_match(c.text, block.measures) if c.text else None, c.text) for c in header]
    missing = [m for m in block.measures if m not in {canonical for canonical, _raw in current.columns}]
    if not missing:
        return  # any other column is an extra one: its cells are listed, not placed
    for cell, (canonical, _raw) in zip(header, current.columns, strict=True):
        if cell.text and canonical is None:
            out.add(f"表二 {block.item} 表头（第{cell.line}{out.unit}）", f"无法识别的列“{cell.text}”")


def _table2_row(row: list[Cell], current: _Block, out: Collector) -> list[DisclosureCell]:
    """The cells of one data row of a block (problems and unplaced cells to ``out``)."""
    label, values = row[0], row[1:]
    if current.block is None:  # no header row: the format whose column count fits
        fitting = [
            fb
            for fb in _candidates(current.number)
            if len(trim_blank_end(values, len(fb[1].measures))) == len(fb[1].measures)
        ]
        if len(fitting) != 1:
            out.add(f"表二 第{label.line}{out.unit}", "缺少表头行（信息内容……），无法确定各列")
            return []
        current.fmt, current.block = fitting[0]
        current.columns = [(m, m) for m in current.block.measures]
    block = current.block
    place = f"表二 {block.item}"
    content = best_match(label.text, block.contents)
    if content is None:
        if _has_figure(values):
            current.unknown.append(row)
        else:  # a note row (words only): listed
            for cell in filled(row):
                out.not_placed("二", cell, "说明文字，不是模板中的行", label.text)
        return []
    if content in current.found:
        out.add(
            f"{place} 行“{content}”（第{label.line}{out.unit}）",
            f"与第{current.found[content]}{out.unit}重复",
        )
        return []
    current.found[content] = label.line
    lined = _line_up(values, current.columns)
    if lined is None:
        named = sum(1 for _c, raw in current.columns if raw)
        out.add(
            f"{place} 行“{content}”（第{label.line}{out.unit}）",
            f"应有{named}个数值，实际{len(trim_blank_end(values, named))}个（表格可能不完整）",
        )
        return []
    pairs, spare = lined
    for cell in spare:
        out.not_placed("二", cell, "表头中没有对应的列", label.text)
    row_order = len(current.found)
    item_order = TABLE2_FORMATS[current.fmt].index(block) + 1
    cells: list[DisclosureCell] = []
    for cell, (measure, raw_measure) in pairs:
        if measure is None:
            if cell.text:
                out.not_placed("二", cell, "模板中没有这一列", label.text, raw_measure)
            continue
        parsed = read_value(cell, "二", f"{place} 行“{content}” 列“{measure}”", label.text, raw_measure, out)
        if parsed is None:
            continue
        col = len(cells) + 1
        cells.append(
            DisclosureCell(
                block.item, content, measure, parsed.value, label.text, raw_measure, parsed.raw,
                item_order, row_order, col, cell.line,
            )
        )  # fmt: skip
    return cells


def _close_block(current: _Block, out: Collector) -> None:
    """A block's end: its missing rows refuse the report; rows the template lacks are listed."""
    if current.block is None:
        return
    missing = [c for c in current.block.contents if c not in current.found]
    for row in current.unknown:
        if missing:
            out.add(f"表二 {current.block.item}（第{row[0].line}{out.unit}）", f"无法识别的行“{row[0].text}”")
            continue
        for cell in filled(row):
            out.not_placed("二", cell, "模板中没有这一行", row[0].text)
    if missing:
        out.add(f"表二 {current.block.item}", "缺少行：" + "、".join(missing) + "（表格不完整）")


def parse_table2(rows: list[list[Cell]], out: Collector) -> tuple[list[DisclosureCell], set[str]]:
    """Table 二's cells and the formats (2019/2021) its blocks follow."""
    cells: list[DisclosureCell] = []
    current: _Block | None = None
    blocks: list[_Block] = []
    for row in table_rows(rows):
        texts = [c.text for c in row]
        cells_here = filled(row)
        m = _ITEM.search(cells_here[0].text) if len(cells_here) == 1 else None
        if m:
            current = _Block(m.group(1))
            if not _candidates(current.number):
                out.add(f"表二 第{row[0].line}{out.unit}", f"未知的条目“{cells_here[0].text}”")
                current = None
            else:
                blocks.append(current)
            continue
        if current is None:
            for cell in cells_here:
                out.not_placed("二", cell, "不在任何条目（第二十条第……项）之下", texts[0])
            continue
        if "信息内容" in normalise(texts[0]):
            _table2_header(row, current, out)
            continue
        cells += _table2_row(row, current, out)
    for block in blocks:
        _close_block(block, out)
    seen = {b.number: b.fmt for b in blocks if b.block is not None}
    formats = set(seen.values())
    expected = TABLE2_FORMATS["2021" if "2021" in formats else "2019"]
    missing = [b.item for b in expected if b.number not in seen]
    if missing:
        out.add("表二", "缺少以下条目：" + "、".join(missing) + "（表格不完整）")
    return cells, formats


# --- Table 四 -----------------------------------------------------------------

_TABLE4_WORDS = frozenset(normalise(w) for w in (*PROCEEDINGS, *OUTCOMES, *TABLE4_HEADERS))


def _is_table4_header(row: list[Cell]) -> bool:
    return any(normalise(c.text) in _TABLE4_WORDS for c in row)


def _table4_values(row: list[Cell], width: int) -> list[Cell] | None:
    """The row's fifteen value cells, if it is the values row (blank cells count: NULL)."""
    if _is_table4_header(row):
        return None
    cells = trim_blank_end(row, width)
    if len(cells) < width:
        return None
    values = cells[-width:]
    if any(parse_cell(c.text) is None and not is_remark(c.text) for c in values):
        return None
    if all(c.text and parse_cell(c.text) is None for c in values):
        return None  # words only: a note, not figures
    return values


def parse_table4(rows: list[list[Cell]], out: Collector) -> list[ReviewCell]:
    width = len(TABLE4_CELLS)
    rows = [row for row in rows if not is_chrome_row(row)]
    header = normalise("".join(c.text for row in rows for c in row))
    missing = [h for h in TABLE4_HEADERS if normalise(h) not in header]
    if missing:
        out.add("表四 表头", "缺少：" + "、".join(missing))
    found = [(i, v) for i, row in enumerate(rows) if (v := _table4_values(row, width)) is not None]
    if not found:
        values = rows[-1] if rows else []
        numeric = sum(1 for c in values if parse_cell(c.text) is not None)
        line = values[0].line if values else 0
        out.add(
            f"表四 数值行（第{line}{out.unit}）" if line else "表四",
            f"应有{width}个数值单元格，实际读到{numeric}个（表格不完整）",
        )
        return []
    at, values = found[-1]
    for i, row in enumerate(rows):  # notes and any other row: listed
        if i == at or _is_table4_header(row):
            continue
        for cell in filled(row):
            out.not_placed("四", cell, "数值行以外的内容，不在模板中")
    for cell in filled(trim_blank_end(rows[at], width)[:-width]):
        if parse_cell(cell.text) is not None:
            out.not_placed("四", cell, "数值行左侧多出的单元格，不在模板中")
    cells = []
    for col, (cell, (proceeding, outcome)) in enumerate(zip(values, TABLE4_CELLS, strict=True), start=1):
        parsed = read_value(cell, "四", f"表四 {proceeding}·{outcome}", "", f"{proceeding}·{outcome}", out)
        if parsed is not None:
            cells.append(ReviewCell(proceeding, outcome, parsed.value, parsed.raw, col, cell.line))
    return cells
