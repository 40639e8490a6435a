"""What parsing one file collects besides its figures: the problems that refuse it, and
the cells it saw but could not place in the national template (listed to officials,
never loaded, never silently dropped)."""

from __future__ import annotations

from .document import Cell
from .model import Problem, Unplaced
from .numbers import CellValue, is_remark, parse_cell

REMARK = "不是数值，按空白（NULL）存储"


class Collector:
    """Problems and unplaced cells of one file, each with its place."""

    def __init__(self, file: str, unit: str = "行"):
        self.file = file
        self.unit = unit  # 行 (a line of a .txt) or 段 (a block of other formats)
        self.problems: list[Problem] = []
        self.unplaced: list[Unplaced] = []

    def add(self, place: str, reason: str) -> None:
        self.problems.append(Problem(self.file, place, reason))

    def not_placed(
        self, table: str, cell: Cell, reason: str, row_text: str = "", column_text: str = ""
    ) -> None:
        """List a cell that has no place in the template (with its row and column as printed)."""
        self.unplaced.append(Unplaced(table, cell.line, row_text, column_text, cell.text, reason))


def read_value(
    cell: Cell, table: str, place: str, row_text: str, column_text: str, out: Collector
) -> CellValue | None:
    """A value cell: a number or a blank; words with no numeral are NULL (and listed);
    anything else is a figure that cannot be read (a problem naming ``place``, and None)."""
    parsed = parse_cell(cell.text)
    if parsed is None and is_remark(cell.text):
        out.not_placed(table, cell, REMARK, row_text, column_text)
        return CellValue(None, cell.text)
    if parsed is None:
        out.add(f"{place}（第{cell.line}{out.unit}）", f"无法识别的数值“{cell.text}”")
    return parsed
