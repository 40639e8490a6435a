"""The blocks a page is made of: a headline number, a chart with its data, a table.

They sit below both the view models (:mod:`dashboard.views`, which build them) and
the page helpers (:mod:`dashboard.ui`, which lay them out), so neither imports the other's.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st
from streamlit import dataframe_util

from . import export


class PreparedFigure(go.Figure):
    """A figure whose ``to_dict`` is worked out once: what ``st.plotly_chart`` sends.

    ``st.plotly_chart`` calls ``to_dict`` on every script run (a deep copy of the figure
    with its arrays base64-encoded: over half of a chart's cost per run), while the
    figures of the cached view models never change. This figure is empty itself; it only
    hands Streamlit the finished dict of the figure it was made from (Streamlit reads it,
    never changes it). Exports and the embed page keep using the real figure."""

    def __init__(self, fig: go.Figure) -> None:
        super().__init__()
        self._spec = fig.to_dict()

    def to_dict(self) -> dict[str, Any]:
        return self._spec


class Metric(NamedTuple):
    """A headline number: its value, unit, the previous year's value and a help text."""

    label: str
    value: float | None
    unit: str
    previous: float | None = None
    help: str = ""


@dataclass(frozen=True, eq=False)
class Chart:
    """A chart with everything shown around it: data table, source and exports."""

    fig: go.Figure
    data: pd.DataFrame  # the table under the chart and in its CSV/XLSX (Chinese headers)
    name: str  # unique on the page (element keys)
    title: str
    source: str
    caption: str  # the source line under the chart, escaped
    years: str  # "2019年" or "2019–2020年", drawn on the exported images
    stem: str  # download file name without extension
    config: dict[str, Any]  # st.plotly_chart's config (modebar)
    column_config: dict[str, Any]  # the data table's number columns
    summary: str = ""  # the chart in one sentence with its key numbers (its text alternative)

    @functools.cached_property
    def shown(self) -> PreparedFigure:
        """The figure as st.plotly_chart gets it, made once per (cached, shared) chart."""
        return PreparedFigure(self.fig)

    @functools.cached_property
    def shown_data(self) -> pd.DataFrame | pa.Table:
        """The data table as st.dataframe gets it, converted to Arrow once."""
        return arrow_table(self.data)

    def csv(self) -> bytes:
        return export.csv_bytes(self.data)

    def xlsx(self) -> bytes:
        return export.xlsx_bytes(self.data)

    def image(self, fmt: str) -> Callable[[], bytes]:
        def make() -> bytes:
            return export.figure_image(
                self.fig, fmt, title=self.title, source=self.source, year_label=self.years
            )

        return make


@dataclass(frozen=True, eq=False)
class Table:
    """A display table with its number-column config."""

    data: pd.DataFrame
    column_config: dict[str, Any]

    @functools.cached_property
    def shown(self) -> pd.DataFrame | pa.Table:
        """The table as st.dataframe gets it, converted to Arrow once."""
        return arrow_table(self.data)

    def csv(self) -> bytes:
        return export.csv_bytes(self.data)

    def xlsx(self) -> bytes:
        return export.xlsx_bytes(self.data)


def arrow_table(data: pd.DataFrame) -> pd.DataFrame | pa.Table:
    """``data`` as the Arrow table st.dataframe makes of it on every run (Streamlit's own
    conversion, with its fixes of mixed columns), made once for a cached block; the frame
    itself if it cannot be converted (st.dataframe then converts or reports it as before)."""
    try:
        return dataframe_util.convert_pandas_df_to_arrow_table(data)
    except Exception:
        return data


def make_table(data: pd.DataFrame) -> Table:
    return Table(data, number_columns(data))


def number_columns(data: pd.DataFrame) -> dict:
    """Column config showing full numbers (thousands separators); year columns as they are."""
    return {
        col: st.column_config.NumberColumn(col, format="localized")
        for col in data.columns
        if pd.api.types.is_numeric_dtype(data[col]) and not col.endswith("年度")
    }
