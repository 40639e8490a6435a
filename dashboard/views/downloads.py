"""数据下载: every public view of an agency (one year or all) as CSV and XLSX."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from etl.resources import BY_NAME, RESOURCES

from .. import export, queries
from .base import cache


@dataclass(frozen=True, eq=False)
class Download:
    """One public view (optionally of one year) as CSV and XLSX, made on click."""

    name: str
    frame: pd.DataFrame

    def csv(self) -> bytes:
        return export.csv_bytes(self.frame)

    def xlsx(self) -> bytes:
        """The view, and a sheet 说明 with each column's Chinese name and meaning (from the registry)."""
        return export.xlsx_bytes({self.name: self.frame}, notes=column_notes(self.name))


# Each public view's Chinese name, for the downloads page.
VIEW_NAMES: dict[str, str] = {r.name: r.label for r in RESOURCES}


def column_notes(view: str) -> dict[str, str]:
    """Column → its Chinese name, type and meaning, as docs/data-dictionary.md gives them."""
    resource = BY_NAME[view]
    fields = {**{f.name: f for f in BY_NAME["reports"].fields}, **{f.name: f for f in resource.fields}}
    return {
        c: f"{fields[c].header}（{fields[c].type}）：{fields[c].description}" for c in resource.view_columns
    }


@cache
def downloads(token: str, agency: str, year: int | None) -> dict[str, Download]:
    """Every public view of the agency, of one year or (``year`` None) of all years."""
    return {name: Download(name, queries.view(token, name, agency, year)) for name in queries.PUBLIC_VIEWS}
