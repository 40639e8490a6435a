"""The unit registry as the pages need it: names, types in Chinese, parents, children, reports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from etl.units.names import TYPE_NAMES, TYPE_SHORT

from .. import queries
from .base import cache

UNIT_TYPES = TYPE_NAMES  # the registry's unit_type → how the pages say it
PROFILE_PATH = "/unit"  # navigation.PUBLIC_PAGES' profile: a unit's link is PROFILE_PATH?unit=<unit_id>


def type_label(unit_type: str | None, short: bool = False) -> str:
    labels = TYPE_SHORT if short else UNIT_TYPES
    return labels.get(unit_type or "unknown", str(unit_type))


def profile_url(unit_id: str) -> str:
    from urllib.parse import quote

    return f"{PROFILE_PATH}?unit={quote(unit_id)}"


@dataclass(frozen=True, eq=False)
class Registry:
    """Every unit, and every report's unit, looked up by id."""

    frame: pd.DataFrame  # queries.units
    reports: pd.DataFrame  # queries.report_status: one row per report, with its failed checks
    by_id: dict[str, dict[str, Any]]
    children: dict[str, tuple[str, ...]]  # parent_id → child ids, by name
    reporting: tuple[str, ...]  # units with at least one loaded report, by name
    canonical: dict[str, str]  # every alias (another spelling seen in a title) → the unit's name
    # Looked up on every script run of the profile, so built once here, not filtered per run:
    agency_units: dict[str, str]  # a report's agency (as printed) → its unit (its first report's)
    reporting_names: dict[str, str]  # reporting's ids → names, in that order

    def name(self, unit_id: str | None) -> str:
        return self.by_id[unit_id]["name"] if unit_id in self.by_id else ""

    def unit_of(self, agency: str) -> str | None:
        """The unit of an agency's reports (None before units existed)."""
        return self.agency_units.get(agency)

    def unit_reports(self, unit_id: str) -> pd.DataFrame:
        return self.reports[self.reports["unit_id"] == unit_id].sort_values("year")


@cache
def registry(token: str) -> Registry:
    frame = queries.units(token)
    reports = queries.report_status(token)
    by_id = {row["unit_id"]: row for row in frame.to_dict("records")}
    children: dict[str, list[str]] = {}
    for row in frame.itertuples():  # frame is sorted by name, so children are too
        if isinstance(row.parent_id, str):
            children.setdefault(row.parent_id, []).append(row.unit_id)
    with_reports = set(reports["unit_id"].dropna())
    reporting = tuple(u for u in frame["unit_id"] if u in with_reports)
    canonical = {
        alias: row.name
        for row in frame.itertuples()
        for alias in str(row.aliases or "").split("；")
        if alias and alias != row.name
    }
    firsts = reports.dropna(subset=["unit_id"]).drop_duplicates("agency")
    return Registry(
        frame,
        reports,
        by_id,
        {k: tuple(v) for k, v in children.items()},
        reporting,
        canonical,
        agency_units=dict(zip(firsts["agency"], firsts["unit_id"].astype(str), strict=True)),
        reporting_names={u: by_id[u]["name"] for u in reporting},
    )
