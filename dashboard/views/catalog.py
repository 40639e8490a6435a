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

    @property
    def empty(self) -> bool:
        return self.frame.empty


@cache
def catalog(token: str) -> Catalog:
    frame = queries.catalog(token)
    agencies = tuple(sorted(frame["agency"].unique()))
    years = {
        agency: tuple(int(y) for y in sorted(frame.loc[frame["agency"] == agency, "year"]))
        for agency in agencies
    }
    default = max(agencies, key=lambda a: len(years[a])) if agencies else ""
    rows = tuple(frame.to_dict("records"))
    reports: dict[tuple[str, int], dict[str, Any]] = {}
    for row in rows:
        reports.setdefault((row["agency"], int(row["year"])), row)
    return Catalog(frame, agencies, default, years, rows, reports)
