"""Parse step for the three standard tables, from rows of cells.

Each function returns the table's cells and appends any problem (with the
table, row and column it concerns) to ``problems``; the caller refuses the
report if there are any.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .document import Cell
from .labels import best_match, normalise, similarity
from .model import DisclosureCell, Problem, RequestCell, ReviewCell
from .numbers import parse_cell
from .template import (
    APPLICANTS,
    OTHER_HANDLING_PARTS,
    TABLE2_FORMATS,
    TABLE3_2019,
    TABLE3_BY_CODE,
    TABLE4_CELLS,
    TABLE4_HEADERS,
    DisclosureBlock,
    RequestRow,
    table3_required,
)

_ITEM = re.compile(r"第?二十条\s*+第?\s*+[（(]\s*+([一二三四五六七八九十]+)\s*+[)）]\s*+项")


class Collector:
    """Problems of one file, each with its place."""

    def __init__(self, file: str, unit: str = "行"):
        self.file = file
        self.unit = unit  # 行 (a line of a .txt) or 段 (a block of other formats)
        self.problems: list[Problem] = []

    def add(self, place: str, reason: str) -> None:
        self.problems.append(Problem(self.file, place, reason))


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


def _not_a_number(cell: Cell, place: str, out: Collector) -> None:
    out.add(f"{place}（第{cell.line}{out.unit}）", f"无法识别的数值“{cell.text}”")


# Display order of table 三's rows in each variant (（六） as one row, or as three sub-rows);
# a （六） row printed beside sub-rows (a malformed table) is placed last.
_ROW_ORDER_ONE: dict[str, int] = {r.code: i for i, r in enumerate(table3_required(False), start=1)}
_ROW_ORDER_THREE: dict[str, int] = {r.code: i for i, r in enumerate(table3_required(True), start=1)} | {
    "3.6": len(table3_required(True)) + 1
}


# --- Table 二 -----------------------------------------------------------------


def _candidates(number: str) -> list[tuple[str, DisclosureBlock]]:
    """The template blocks (of each format) with this item number."""
    return [(fmt, b) for fmt, blocks in TABLE2_FORMATS.items() for b in blocks if b.number == number]


def _header_score(header: list[str], block: DisclosureBlock) -> float:
    """How well a block's measures fit a header row (the format is told by its headers)."""
    score = sum(max((similarity(h, m) for m in block.measures), default=0.0) for h in header)
    return score - abs(len(header) - len(block.measures))


def parse_table2(rows: list[list[Cell]], out: Collector) -> tuple[list[DisclosureCell], set[str]]:
    """Table 二's cells and the formats (2019/2021) its blocks follow."""
    cells: list[DisclosureCell] = []
    number: str | None = None
    block: DisclosureBlock | None = None
    fmt = ""
    measures: list[tuple[str, str]] = []  # (canonical, raw)
    seen: dict[str, str] = {}  # item number → format
    row_order = 0
    for row in rows:
        texts = [c.text for c in row]
        filled = [c for c in row if c.text]
        m = _ITEM.search(filled[0].text) if len(filled) == 1 else None
        if m:
            number, block, measures, row_order = m.group(1), None, [], 0
            if not _candidates(number):
                out.add(f"表二 第{row[0].line}{out.unit}", f"未知的条目“{filled[0].text}”")
                number = None
            continue
        if number is None:
            continue
        if "信息内容" in normalise(texts[0]):
            header = [c for c in row[1:] if c.text]
            fmt, block = max(
                _candidates(number), key=lambda fb: _header_score([c.text for c in header], fb[1])
            )
            seen[number] = fmt
            measures = []
            for cell in header:
                canonical = best_match(cell.text, block.measures)
                if canonical is None:
                    out.add(
                        f"表二 {block.item} 表头（第{cell.line}{out.unit}）", f"无法识别的列“{cell.text}”"
                    )
                measures.append((canonical or cell.text, cell.text))
            continue
        values = row[1:]
        if block is None:  # no header row: the format whose column count fits
            fitting = [fb for fb in _candidates(number) if len(fb[1].measures) == len(values)]
            if len(fitting) != 1:
                out.add(f"表二 第{row[0].line}{out.unit}", "缺少表头行（信息内容……），无法确定各列")
                number = None
                continue
            fmt, block = fitting[0]
            seen[number] = fmt
            measures = [(m, m) for m in block.measures]
        place = f"表二 {block.item}"
        content = best_match(texts[0], block.contents)
        if content is None:
            out.add(f"{place}（第{row[0].line}{out.unit}）", f"无法识别的行“{texts[0]}”")
            continue
        if len(values) != len(measures):
            out.add(
                f"{place} 行“{content}”（第{row[0].line}{out.unit}）",
                f"应有{len(measures)}个数值，实际{len(values)}个（表格可能不完整）",
            )
            continue
        row_order += 1
        item_order = TABLE2_FORMATS[fmt].index(block) + 1
        for col, (cell, (measure, raw_measure)) in enumerate(zip(values, measures, strict=True), start=1):
            parsed = parse_cell(cell.text)
            if parsed is None:
                _not_a_number(cell, f"{place} 行“{content}” 列“{measure}”", out)
                continue
            cells.append(
                DisclosureCell(
                    block.item,
                    content,
                    measure,
                    parsed.value,
                    texts[0],
                    raw_measure,
                    parsed.raw,
                    item_order,
                    row_order,
                    col,
                    cell.line,
                )
            )
    formats = set(seen.values())
    expected = TABLE2_FORMATS["2021" if "2021" in formats else "2019"]
    missing = [b.item for b in expected if b.number not in seen]
    if missing:
        out.add("表二", "缺少以下条目：" + "、".join(missing) + "（表格不完整）")
    return cells, formats


# --- Table 三 -----------------------------------------------------------------

_HEADER_WORDS = (*tuple(normalise(a) for a in APPLICANTS), "申请人情况", "法人或其他组织")


def _is_header(texts: list[str]) -> bool:
    """A header row (also when a continued table repeats it on a new page)."""
    if any("勾稽关系" in t or "申请人情况" in t for t in texts):
        return True
    return sum(1 for t in texts if normalise(t) in _HEADER_WORDS) >= 2


@lru_cache(maxsize=4096)
def _match_request_row(label: str, context: str | None) -> RequestRow | None:
    n = normalise(label)
    keyed = [r for r in TABLE3_2019 if (n == normalise(r.key) if r.exact else normalise(r.key) in n)]
    if len(keyed) > 1:
        # Prefer the row under the current group, then the longest key.
        under = [r for r in keyed if r.parent == context]
        keyed = under or sorted(keyed, key=lambda r: -len(r.key))[:1]
    if keyed:
        return keyed[0]
    canonical = best_match(label, [r.label for r in TABLE3_2019])
    return next((r for r in TABLE3_2019 if r.label == canonical), None)


def parse_table3(rows: list[list[Cell]], out: Collector) -> tuple[list[RequestCell], bool]:
    """Table 三's cells, and whether （六）其他处理 is printed as three sub-rows (2021)."""
    width = len(APPLICANTS)
    pending: list[tuple] = []  # cells waiting for their row order, known at the end
    header_text = ""
    found: dict[str, int] = {}
    context: str | None = None
    for row in rows:
        texts = [c.text for c in row]
        if _is_header(texts):
            header_text += "".join(texts)
            continue
        labels = [c for c in row[:-width] if c.text] if len(row) > width else []
        if not labels:
            first = next((c for c in row if c.text), row[0])
            # The values are the cells after the last label-like (non-numeric) cell.
            values = len(row)
            for i, cell in enumerate(row):
                if cell.text and parse_cell(cell.text) is None:
                    values = len(row) - i - 1
            out.add(
                f"表三 第{first.line}{out.unit}",
                f"行“{first.text}”应有{width}个数值，实际{values}个（表格可能被截断）",
            )
            continue
        target: RequestRow | None = None
        for label in labels:
            match = _match_request_row(label.text, context)
            if match is None:
                out.add(f"表三 第{label.line}{out.unit}", f"无法识别的行“{label.text}”")
                target = None
                break
            target = match
            context = match.code if match.is_group else match.parent
        if target is None:
            continue
        place = f"表三 行“{target.label}”（第{labels[-1].line}{out.unit}）"
        if target.is_group:
            out.add(place, "分组标题行不应带有数值")
            continue
        if target.code in found:
            out.add(place, f"与第{found[target.code]}{out.unit}重复")
            continue
        found[target.code] = labels[-1].line
        parent = TABLE3_BY_CODE[target.parent].label if target.parent else None
        raw_label = labels[-1].text
        for col, (cell, applicant) in enumerate(zip(row[-width:], APPLICANTS, strict=False), start=1):
            parsed = parse_cell(cell.text)
            if parsed is None:
                _not_a_number(cell, f"表三 行“{target.label}” 列“{applicant}”", out)
                continue
            pending.append((target, parent, applicant, parsed, raw_label, col, cell.line))
    missing_headers = [a for a in APPLICANTS if normalise(a) not in normalise(header_text)]
    if missing_headers:
        out.add("表三 表头", "缺少申请人类别：" + "、".join(missing_headers))
    three_rows = any(code in found for code in OTHER_HANDLING_PARTS)
    required = table3_required(three_rows)
    # The row order is the row's place in this report's variant of the table.
    order = _ROW_ORDER_THREE if three_rows else _ROW_ORDER_ONE
    cells = [
        RequestCell(
            t.code, t.label, parent, applicant, parsed.value, raw_label, parsed.raw, order[t.code], col, line
        )
        for t, parent, applicant, parsed, raw_label, col, line in pending
    ]
    missing = [r.label for r in required if r.code not in found]
    if missing:
        out.add(
            "表三",
            f"缺少{len(missing)}行（表格不完整，可能被截断），第一个缺少的是“{missing[0]}”",
        )
    return cells, three_rows


# --- Table 四 -----------------------------------------------------------------


def parse_table4(rows: list[list[Cell]], out: Collector) -> list[ReviewCell]:
    width = len(TABLE4_CELLS)
    all_cells = [c for row in rows for c in row]
    header = "".join(c.text for c in all_cells)
    missing = [h for h in TABLE4_HEADERS if h not in header]
    if missing:
        out.add("表四 表头", "缺少：" + "、".join(missing))
    values = rows[-1] if rows else []
    if len(values) != width or any(parse_cell(c.text) is None for c in values):
        numeric = sum(1 for c in values if parse_cell(c.text) is not None)
        line = values[0].line if values else 0
        out.add(
            f"表四 数值行（第{line}{out.unit}）" if line else "表四",
            f"应有{width}个数值单元格，实际读到{numeric}个（表格不完整）",
        )
        return []
    cells = []
    for col, (cell, (proceeding, outcome)) in enumerate(zip(values, TABLE4_CELLS, strict=False), start=1):
        parsed = parse_cell(cell.text)
        assert parsed is not None  # checked above
        cells.append(ReviewCell(proceeding, outcome, parsed.value, parsed.raw, col, cell.line))
    return cells
