"""数据下载: every public view of an agency (one year or all) as CSV and XLSX."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

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
        return export.xlsx_bytes({self.name: self.frame})


@cache
def downloads(token: str, agency: str, year: int | None) -> dict[str, Download]:
    """Every public view of the agency, of one year or (``year`` None) of all years."""
    return {name: Download(name, queries.view(token, name, agency, year)) for name in queries.PUBLIC_VIEWS}
