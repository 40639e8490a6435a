"""下级单位年报审核: for a supervising office, every unit under a parent in one year, by status
(loaded, refused with the reason, expected but missing), as ``python -m etl review`` writes it.

The frames come from ``etl.review.review`` unchanged (the page and the command line show the
same list); this module adds the counts, a link to each unit's profile and the XLSX download.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from etl.review import CHECK_HEADERS, HEADERS, LOADED, review_xlsx

from .. import export, paged, queries
from .base import Table, cache, number_columns
from .rank import HEADERS as RANK_HEADERS
from .rank import UnitTree, linked_table, unit_tree
from .units import profile_url

STATUS_HELP = {
    "已载入": "报告已载入数据库；未通过的勾稽关系检查项数、各项指标见表中各列，每项检查及其依据见下方“不通过的检查”表。",
    "未能载入": "找到了报告文件，但未能载入（原因与位置见表中各列）。",
    "未报送": "单位名录（data/units.toml）列为应报送，但该年度没有载入的报告。",
}
UNIT_COLUMN = HEADERS["unit"]  # the column of a review frame that names the unit (canonical name)
CHECKS_COLUMN = HEADERS["failed_checks"]  # the failed checks with their evidence, one per line
# Shown after the unit's own columns on the page (the report's id, title and file last); the
# XLSX keeps etl.review's order.
LATER = tuple(HEADERS[k] for k in ("depth", "report_id", "title", "source_file"))
ROWS_PER_PAGE = paged.PAGE_SIZE


@dataclass(frozen=True, eq=False)
class Review:
    parent: str
    parent_name: str
    year: int
    frames: dict[str, pd.DataFrame]  # etl.review.review's frames, unchanged (the XLSX's sheets)
    tables: dict[str, pd.DataFrame]  # the same with a link to each unit's profile, without the
    # long text of the failed checks (shown a page at a time: table_page, check_page)
    summary: str
    checks: int  # failed checks (scope warnings too) of the loaded units' reports, one row each
    # table_page's pages, each made once: the review is cached and shared, so every rerun of
    # every session showed the same page, and rebuilt its table (links, column config, Arrow)
    pages: dict[tuple[str, int], Table] = field(default_factory=dict, repr=False)

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
    """The columns a reader looks at first (unit, counts, indicators) before the report's own;
    without the failed checks' text (one row per check in :func:`check_page`, all in the XLSX):
    thousands of units' checks in one cell each made the page megabytes."""
    later = [c for c in LATER if c in frame.columns]
    return frame[[c for c in frame.columns if c not in later and c != CHECKS_COLUMN] + later]


def pages(rows: int) -> int:
    return max(1, -(-rows // ROWS_PER_PAGE))


def table_page(r: Review, status: str, number: int) -> Table:
    """Page ``number`` (from 1) of one status's table (the review's frames are in memory already:
    the counts and the XLSX need them)."""
    made = r.pages.get((status, number))
    if made is None:
        start = (max(number, 1) - 1) * ROWS_PER_PAGE
        made = r.pages[(status, number)] = linked_table(r.tables[status].iloc[start : start + ROWS_PER_PAGE])
    return made


@cache
def check_page(token: str, parent: str, year: int, number: int) -> Table:
    """Page ``number`` (from 1) of the failed checks, one row each: unit, check, expected,
    actual, evidence (the page's rows fetched with LIMIT/OFFSET)."""
    rows = paged.review_checks(token, parent, year, ROWS_PER_PAGE, (max(number, 1) - 1) * ROWS_PER_PAGE)
    config = {
        CHECK_HEADERS["description"]: st.column_config.TextColumn(
            CHECK_HEADERS["description"], width="medium"
        ),
        CHECK_HEADERS["evidence"]: st.column_config.TextColumn(CHECK_HEADERS["evidence"], width="large"),
    }
    return Table(rows, {**number_columns(rows), **config})


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
        tables={status: page_order(with_links(frame, ids)) for status, frame in frames.items()},
        summary=f"{name}下属各级单位，{year}年：{counts}。",
        checks=paged.review_check_count(token, parent, year) if len(frames.get(LOADED, ())) else 0,
    )


def review_stem(r: Review) -> str:
    """The download's file name without extension."""
    return export.safe_filename(f"下级单位年报审核_{r.parent_name}", f"{r.year}年")


def default_parent(tree: UnitTree) -> str:
    """The parent with the most units directly under it (the first in tree order on a tie)."""
    children = dict(zip(tree.frame["unit_id"], tree.frame["children"], strict=True))
    return max(tree.parents, key=lambda u: children[u]) if tree.parents else ""
