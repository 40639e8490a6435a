"""Parse step for table 三 (disclosure requests), from rows of cells as printed.

A row is its labels (the group label, if printed in the row, then the row's own)
and the seven applicant cells. Layouts seen in the wild are read, not refused:
a label cut in two by a page break (``（四）无`` / ``法提供``, or a sub-row label
whose second half starts the next page), a group heading printed as a row of its
own, blank rows, page numbers and running heads, columns right of 总计, note rows.
What cannot be placed in the template is listed (``Collector.unplaced``); what
leaves the table incomplete (a truncated row, a missing row) refuses the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .collector import Collector, read_value
from .document import Cell
from .labels import best_match, normalise, similarity
from .model import RequestCell
from .numbers import parse_cell
from .table_rows import filled, is_blank, join_label, table_rows
from .template import (
    APPLICANT_TOTAL,
    APPLICANTS,
    OTHER_HANDLING_PARTS,
    TABLE3_2019,
    TABLE3_BY_CODE,
    RequestRow,
    table3_required,
)

TABLE = "三"
_NOT_A_LABEL = "不是模板中的行或分组标题（说明文字，或无法识别的标签；其下各行按各自的标签归类）"
# Rows with sub-rows under them (a group label names one of these).
_GROUPS = frozenset(r.parent for r in TABLE3_2019 if r.parent)
_HEADER_WORDS = (*tuple(normalise(a) for a in APPLICANTS), "申请人情况", "法人或其他组织")

# Display order of table 三's rows in each variant (（六） as one row, or as three sub-rows);
# a （六） row printed beside sub-rows (a malformed table) is placed last.
_ROW_ORDER_ONE: dict[str, int] = {r.code: i for i, r in enumerate(table3_required(False), start=1)}
_ROW_ORDER_THREE: dict[str, int] = {r.code: i for i, r in enumerate(table3_required(True), start=1)} | {
    "3.6": len(table3_required(True)) + 1
}


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


@dataclass
class _Printed:
    """A data row as printed: its label cells, the seven applicant cells, any cells right of 总计."""

    labels: list[Cell]
    values: list[Cell]
    extras: list[Cell]

    @property
    def blank(self) -> bool:
        return is_blank(self.values) and is_blank(self.extras)


def _extra_columns(header_rows: list[list[Cell]]) -> tuple[int, list[str]]:
    """How many columns the header prints right of 总计 (a 备注 column, a spare grid column), and their texts."""
    for row in header_rows:
        texts = [normalise(c.text) for c in row]
        if normalise(APPLICANT_TOTAL) in texts:
            after = row[len(texts) - 1 - texts[::-1].index(normalise(APPLICANT_TOTAL)) + 1 :]
            return len(after), [c.text for c in after]
    return 0, []


def _joins(first: str, second: str, context: str | None) -> RequestRow | None:
    """The row two pieces of a cut label name together, if joined they read closer to it
    than either piece alone (so a note or a whole label is never swallowed by its neighbour)."""
    target = _match_request_row(join_label(first, second), context)
    if target is None:
        return None
    whole = similarity(join_label(first, second), target.label)
    return target if whole > max(similarity(first, target.label), similarity(second, target.label)) else None


def _continues(a: _Printed, b: _Printed) -> bool:
    """Whether ``b`` is the rest of ``a`` (a row whose label a page break or a line cut in
    two): one half carries no figures, and the joined label reads as one row of the template."""
    if len(b.labels) != 1 or not (a.values and b.values) or not (a.blank or b.blank):
        return False
    target = _joins(a.labels[-1].text, b.labels[0].text, None)
    return target is not None and not target.is_group


def _join_cut_rows(printed: list[_Printed]) -> list[_Printed]:
    out: list[_Printed] = []
    for row in printed:
        if out and _continues(out[-1], row):
            a = out[-1]
            label = Cell(join_label(a.labels[-1].text, row.labels[0].text), a.labels[-1].line)
            full = row if a.blank else a
            out[-1] = _Printed([*a.labels[:-1], label], full.values, full.extras)
        else:
            out.append(row)
    return out


def parse_table3(rows: list[list[Cell]], out: Collector) -> tuple[list[RequestCell], bool]:
    """Table 三's cells, and whether （六）其他处理 is printed as three sub-rows (2021)."""
    width = len(APPLICANTS)
    rows = table_rows(rows)
    headers = [row for row in rows if _is_header([c.text for c in row])]
    extra, extra_names = _extra_columns(headers)
    span = width + extra
    printed: list[_Printed] = []
    for row in rows:
        if any(row is h for h in headers):
            continue
        labels = [c for c in row[:-span] if c.text] if len(row) > span else []
        if labels:
            printed.append(_Printed(labels, row[len(row) - span : len(row) - extra], row[len(row) - extra :]))
            continue
        cells = filled(row)
        if len(cells) == 1 and parse_cell(cells[0].text) is None:
            # A group heading as a row of its own (or half of one), or a note: see _place.
            printed.append(_Printed(cells, [], []))
            continue
        first = cells[0] if cells else row[0]
        # The values are the cells after the last label-like (non-numeric) cell.
        values = len(row)
        for i, cell in enumerate(row):
            if cell.text and parse_cell(cell.text) is None:
                values = len(row) - i - 1
        out.add(
            f"表三 第{first.line}{out.unit}",
            f"行“{first.text}”应有{width}个数值，实际{values}个（表格可能被截断）",
        )
    found, pending, unknown = _place(_join_cut_rows(printed), extra_names, out)
    header_text = normalise("".join(c.text for row in headers for c in row))
    missing_headers = [a for a in APPLICANTS if normalise(a) not in header_text]
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
    for row in unknown:  # a row the template does not have: an extra row, or a misprint beyond matching
        label = row.labels[-1]
        if missing:
            out.add(f"表三 第{label.line}{out.unit}", f"无法识别的行“{label.text}”")
            continue
        out.not_placed(TABLE, label, "模板中没有这一行", row_text=label.text)
        for cell, applicant in zip([*row.values, *row.extras], [*APPLICANTS, *extra_names], strict=False):
            if cell.text:
                out.not_placed(TABLE, cell, "模板中没有这一行", row_text=label.text, column_text=applicant)
    if missing:
        out.add(
            "表三",
            f"缺少{len(missing)}行（表格不完整，可能被截断），第一个缺少的是“{missing[0]}”",
        )
    return cells, three_rows


def _place(
    printed: list[_Printed], extra_names: list[str], out: Collector
) -> tuple[dict[str, int], list[tuple], list[_Printed]]:
    """Match each printed row to the template: the rows found (code → line), their cells
    (waiting for their row order), and the rows with a label the template does not have."""
    found: dict[str, int] = {}
    pending: list[tuple] = []
    unknown: list[_Printed] = []
    context: str | None = None
    fragment: Cell | None = None  # a group label not yet matched: perhaps cut by a page break
    for row in printed:
        for label in row.labels[:-1] if row.values else row.labels:
            if fragment is not None:
                joined = _joins(fragment.text, label.text, context)
                if joined is not None and joined.is_group:
                    context, fragment = joined.code, None
                    continue
                out.not_placed(TABLE, fragment, _NOT_A_LABEL, row_text=fragment.text)
                fragment = None
            match = _match_request_row(label.text, context)
            if match is None:
                fragment = label
            elif match.is_group or match.code in _GROUPS:  # （六）其他处理 heads its sub-rows in 2021
                context = match.code
            elif row.values:
                context = match.parent
            else:  # a row of words alone that names a row with figures: a note, not the row
                out.not_placed(TABLE, label, _NOT_A_LABEL, row_text=label.text)
        if not row.values:
            continue
        label = row.labels[-1]
        target = _match_request_row(label.text, context)
        if target is None:
            unknown.append(row)
            continue
        context = target.code if target.is_group else target.parent
        place = f"表三 行“{target.label}”（第{label.line}{out.unit}）"
        for cell, name in zip(row.extras, extra_names, strict=False):
            if cell.text:
                out.not_placed(
                    TABLE, cell, "表头“总计”右侧的列，不在模板中", row_text=label.text, column_text=name
                )
        if target.is_group:
            for cell, applicant in zip(row.values, APPLICANTS, strict=True):
                if cell.text:
                    out.not_placed(
                        TABLE, cell, "分组标题行的数值（模板中这一行没有数值）", label.text, applicant
                    )
            continue
        if target.code in found:
            out.add(place, f"与第{found[target.code]}{out.unit}重复")
            continue
        found[target.code] = label.line
        parent = TABLE3_BY_CODE[target.parent].label if target.parent else None
        for col, (cell, applicant) in enumerate(zip(row.values, APPLICANTS, strict=True), start=1):
            parsed = read_value(
                cell, TABLE, f"表三 行“{target.label}” 列“{applicant}”", label.text, applicant, out
            )
            if parsed is None:
                continue
            pending.append((target, parent, applicant, parsed, label.text, col, cell.line))
    if fragment is not None:
        out.not_placed(TABLE, fragment, _NOT_A_LABEL, row_text=fragment.text)
    return found, pending, unknown
