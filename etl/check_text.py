"""Words and helpers every check module shares: how a value, a table 三 cell and an
assessment that could not be made are written (so ``checks`` and ``checks_scope`` need
not import each other)."""

from __future__ import annotations

import re
from functools import lru_cache

from .formatting import number
from .model import RequestCell
from .template import TABLE3_BY_CODE


@lru_cache(maxsize=4096)  # a few hundred values per report, most of them small and repeated
def fmt(v: float | None) -> str:
    return number(v, blank="空白")


def not_assessable(description: str, reason: str) -> str:
    """A check's description with why it could not be assessed (shown on 数据质量 and by ``etl check``)."""
    return f"{description}（{NOT_ASSESSABLE}：{reason}）"


NOT_ASSESSABLE = "无法评估"
_REASON = re.compile(rf"（{NOT_ASSESSABLE}：([^（）]*)）$")


def reason_of(description: str) -> str | None:
    """Why a check could not be assessed, as ``not_assessable`` wrote it (None if it does not say)."""
    m = _REASON.search(description)
    return m.group(1) if m else None


def grid(cells: list[RequestCell]) -> dict[tuple[str, str], RequestCell]:
    return {(c.row_code, c.applicant): c for c in cells}


def cell_evidence(cells: list[RequestCell | None]) -> str:
    parts = []
    for c in cells:
        if c is not None:
            parts.append(f"表三“{c.row_label}”×“{c.applicant}”={fmt(c.value)}（第{c.source_line}行）")
    return "；".join(parts)


def row_key(code: str) -> str:
    """A row of table 三 named by its key words (本年新收, 上年结转, 结转下年度)."""
    return TABLE3_BY_CODE[code].key
