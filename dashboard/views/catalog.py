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
    frame = queries.catalog(token)
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
