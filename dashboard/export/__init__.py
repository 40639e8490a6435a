"""The export layer: tables as CSV/XLSX, charts as PNG/SVG images, download names.

Pure functions over DataFrames and Plotly figures; no Streamlit here, so the
pages decide how to offer the files (``st.download_button`` accepts a callable
as ``data``, which defers the image rendering to the click). One module a job:
:mod:`etl.spreadsheets` (CSV, XLSX: the ETL writes them too), :mod:`.names` (file names, the chart toolbar),
:mod:`.browser` (the Chromium that renders images), :mod:`.images` (a chart
with its title, year and source drawn on it). When no browser is installed,
:func:`figure_image` raises :class:`ExportUnavailable` and the page shows
:func:`missing_browser_message` instead.
"""

from etl.spreadsheets import FORMULA_START, csv_bytes, defuse_formula, xlsx_bytes

from ..theme import FONT as CJK_FONT
from .browser import (
    ExportError,
    ExportUnavailable,
    browser_available,
    browser_path,
    cjk_font_available,
    close_renderer,
    missing_browser_message,
    warm_up,
)
from .images import figure_image
from .names import modebar_config, safe_filename

__all__ = [
    "CJK_FONT",
    "FORMULA_START",
    "ExportError",
    "ExportUnavailable",
    "browser_available",
    "browser_path",
    "cjk_font_available",
    "close_renderer",
    "csv_bytes",
    "defuse_formula",
    "figure_image",
    "missing_browser_message",
    "modebar_config",
    "safe_filename",
    "warm_up",
    "xlsx_bytes",
]
