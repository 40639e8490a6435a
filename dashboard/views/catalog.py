"""The loaded reports, and what the sidebar filters need from them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from .. import queries
from .base import cache


@dataclass(frozen=True, eq=False)
class Catalog:
    """The loaded reports, and what the sidebar filters need from them."""

    frame: pd.DataFrame
    agencies: tuple[str, ...]  # sorted
    default_agency: str  # the agency with most years (the first of them in sorted order)
    years: dict[str, tuple[int, ...]]  # each agency's years, oldest first
    rows: tuple[dict[str, Any], ...]  # the catalog's rows, in its order
    reports: dict[tuple[str, int], dict[str, Any]]  # (agency, year) → its catalog row
    all_years: tuple[int, ...] = ()  # every loaded year of any agency, oldest first

    def agency_rows(self, agency: str) -> list[dict[str, Any]]:
        """The catalog rows of one agency's reports, oldest first."""
        return [self.reports[(agency, year)] for year in self.years.get(agency, ())]

    @property
    def empty(self) -> bool:
        return self.frame.empty


@cache
def catalog(token: str) -> Catalog:
    return _catalog(queries.catalog(token))


TOPICS = {"trading": "公共资源交易信息", "approvals": "行政审批", "hotline": "12345热线"}


@cache
def topic_catalog(token: str, topic: str) -> Catalog:
    """The reports that state figures of ``topic`` (a page about them lists and defaults to
    these agencies and years); every report when none does, so the page can say so."""
    frame = queries.catalog(token)
    with_topic = frame.merge(queries.topic_reports(token, topic), on=["agency", "year"])
    return _catalog(with_topic) if len(with_topic) else catalog(token)


def _catalog(frame: pd.DataFrame) -> Catalog:
    agencies = tuple(sorted(frame["agency"].unique()))
    grouped = frame.groupby("agency", sort=True)["year"]  # one pass, not a mask per agency
    years = {str(agency): tuple(sorted(int(y) for y in ys)) for agency, ys in grouped}
    default = max(agencies, key=lambda a: len(years[a])) if agencies else ""
    rows = tuple(frame.to_dict("records"))
    reports: dict[tuple[str, int], dict[str, Any]] = {}
    for row in rows:
        reports.setdefault((row["agency"], int(row["year"])), row)
    all_years = tuple(sorted({int(y) for y in frame["year"]}))
    return Catalog(frame, agencies, default, years, rows, reports, all_years)
