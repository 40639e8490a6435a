"""下级单位年报审核: for a supervising office, every unit under a parent in one year, by status
(loaded, refused with the reason, expected but missing), as ``python -m etl review`` writes it.

The frames come from ``etl.review.review`` unchanged (the page and the command line show the
same list); this module adds the counts, a link to each unit's profile and the XLSX download.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from etl.review import HEADERS, LOADED, review_xlsx

from .. import export, queries
from .base import Table, cache
from .rank import HEADERS as RANK_HEADERS
from .rank import UnitTree, linked_table, unit_tree
from .units import profile_url

STATUS_HELP = {
    "已载入": "报告已载入数据库；未通过的勾稽关系检查及其依据、各项指标见表中各列。",
    "未能载入": "找到了报告文件，但未能载入（原因与位置见表中各列）。",
    "未报送": "单位名录（data/units.toml）列为应报送，但该年度没有载入的报告。",
}
UNIT_COLUMN = HEADERS["unit"]  # the column of a review frame that names the unit (canonical name)
CHECKS_COLUMN = HEADERS["failed_checks"]  # the failed checks with their evidence, one per line
# Shown after the unit's own columns on the page (the report's id, title and file last); the
# XLSX keeps etl.review's order.
LATER = tuple(HEADERS[k] for k in ("depth", "report_id", "title", "source_file", "failed_checks"))


@dataclass(frozen=True, eq=False)
class Review:
    parent: str
    parent_name: str
    year: int
    frames: dict[str, pd.DataFrame]  # etl.review.review's frames, unchanged (the XLSX's sheets)
    tables: dict[str, Table]  # the same with a link to each unit's profile (the page's tables)
    summary: str
    failed: tuple[tuple[str, tuple[str, ...]], ...]  # (unit, its failed checks with evidence), loaded units

    def xlsx(self) -> bytes:
        return review_xlsx(self.frames, self.parent_name, self.year)


def with_links(frame: pd.DataFrame, ids: dict[str, str]) -> pd.DataFrame:
    """The frame with a 单位档案 link after its 单位 column (``ids``: canonical name → unit_id);
    blank for a name not in ``ids``."""
    if UNIT_COLUMN not in frame.columns:
        return frame
    out = frame.copy()
    links = frame[UNIT_COLUMN].map(lambda n: profile_url(ids[n]) if n in ids else None)
    out.insert(list(frame.columns).index(UNIT_COLUMN) + 1, RANK_HEADERS["profile"], links)
    return out


def page_order(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns a reader looks at first (unit, checks, indicators) before the report's own."""
    later = [c for c in LATER if c in frame.columns]
    return frame[[c for c in frame.columns if c not in later] + later]


def failed_checks(frame: pd.DataFrame) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each loaded unit with failed checks: its name and the checks with their evidence."""
    if CHECKS_COLUMN not in frame.columns:
        return ()
    rows = frame.dropna(subset=[CHECKS_COLUMN])
    return tuple(
        (str(unit), tuple(line for line in str(text).split("\n") if line.strip()))
        for unit, text in zip(rows[UNIT_COLUMN], rows[CHECKS_COLUMN], strict=True)
    )


@cache
def review(token: str, parent: str, year: int) -> Review:
    frames = queries.review(token, parent, year)
    tree = unit_tree(token)
    name = tree.names.get(parent, parent)
    ids = {n: u for u, n in tree.names.items()}
    counts = "，".join(f"{status}{len(frame)}个" for status, frame in frames.items())
    return Review(
        parent=parent,
        parent_name=name,
        year=year,
        frames=frames,
        tables={status: linked_table(page_order(with_links(frame, ids))) for status, frame in frames.items()},
        summary=f"{name}下属各级单位，{year}年：{counts}。",
        failed=failed_checks(frames.get(LOADED, pd.DataFrame())),
    )


def review_stem(r: Review) -> str:
    """The download's file name without extension."""
    return export.safe_filename(f"下级单位年报审核_{r.parent_name}", f"{r.year}年")


def default_parent(tree: UnitTree) -> str:
    """The parent with the most units directly under it (the first in tree order on a tie)."""
    children = dict(zip(tree.frame["unit_id"], tree.frame["children"], strict=True))
    return max(tree.parents, key=lambda u: children[u]) if tree.parents else ""
