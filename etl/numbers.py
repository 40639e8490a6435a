"""Numerals as reports write them: ``１２３``, ``1,234``, ``85.51 %``, ``1230余``.

Full-width characters are mapped to ASCII by ``text_rules.to_ascii`` (one to one, so
positions in the mapped text equal positions in the original: evidence is always cut
from the original, unchanged text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .text_rules import to_ascii

__all__ = ["BLANK_CELLS", "NUMBER", "CellValue", "is_remark", "parse_cell", "parse_number", "to_ascii"]

# A number: digits with optional thousands separators and decimals, anchored on
# digits. Runs of spaces around it are possessive (``\s*+``): two ``\s*`` with only
# an optional word between them would otherwise try every split of a long run of
# spaces (quadratic), and giving spaces back never helps, as nothing after them
# matches a space.
NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# A cell may carry a sign (本年增/减: ``-185``, ``＋3``; the minus as printed: ASCII, full-width
# or U+2212) and a unit (``75394432.52元``).
_MINUS = "-－−"
_CELL = re.compile(
    rf"^(?:约|近|超过)?\s*+([-－−+＋]?)\s*+({NUMBER})\s*+(余|多|以上)?\s*+(%|万元|元|件|条|次|篇|个|项)?$"
)
BLANK_CELLS = {"", "/", "-", "—", "－", "／", "无"}
# Any numeral, written in digits or in Chinese: a cell with one is meant as a figure.
_NUMERAL = re.compile(r"[0-9零〇一二两三四五六七八九十百千万亿]")


def parse_number(text: str) -> float:
    """``'119,172'`` → 119172.0; raises ValueError for anything not a number."""
    return float(to_ascii(text).replace(",", ""))


@dataclass(frozen=True)
class CellValue:
    value: float | None
    raw: str | None
    approx: bool = False


@lru_cache(maxsize=8192)
def parse_cell(raw: str) -> CellValue | None:
    """A table cell: a number, a blank (None value), or None when not numeric."""
    text = to_ascii(raw).strip()
    if text in BLANK_CELLS:
        return CellValue(None, None)
    m = _CELL.match(text)
    if not m:
        return None
    value = parse_number(m.group(2))
    return CellValue(-value if m.group(1) in _MINUS and m.group(1) else value, raw.strip(), bool(m.group(3)))


def is_remark(raw: str) -> bool:
    """A cell of words with no numeral at all (``不适用``, ``暂无``): not a figure, so not a
    misprinted one either. Such a cell is kept as NULL and listed to officials; a cell with a
    numeral that does not parse (``1O5``) is a figure that cannot be read, and refused."""
    text = to_ascii(raw).strip()
    return parse_cell(raw) is None and not _NUMERAL.search(text)
