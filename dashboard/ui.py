"""Page blocks shared by every page: a chart with its data, source and exports;
escaped report text; number formatting. Layout only, no SQL."""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from . import export
from .state import Filters

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$=:])")


def escape(text: str) -> str:
    """Report text as inert Markdown: every special character escaped, no HTML."""
    return _MD_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


def fmt(value: float | None, unit: str = "") -> str:
    if value is None or pd.isna(value):
        return "—"
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return f"{text}{unit}"


def source_note(evidence: list[str] | str, where: str) -> None:
    """The sentence(s) a chart's figures were read from, quoted and escaped."""
    items = [evidence] if isinstance(evidence, str) else list(dict.fromkeys(evidence))
    quoted = "”；“".join(escape(e) for e in items if e)
    st.caption(f"来源：{escape(where)}。原文：“{quoted}”")


def data_table(data: pd.DataFrame, **kwargs) -> None:
    """A table with full numbers (thousands separators) and blank cells left blank."""
    config = {
        col: st.column_config.NumberColumn(col, format="localized")
        for col in data.columns
        if pd.api.types.is_numeric_dtype(data[col]) and not col.endswith("年度")
    }
    st.dataframe(data, hide_index=True, column_config=config, **kwargs)


def chart_block(
    fig: go.Figure,
    data: pd.DataFrame,
    *,
    name: str,
    title: str,
    source: str,
    filters: Filters,
    evidence: list[str] | str | None = None,
) -> None:
    """A chart, then its data table, its source, and its exports (CSV, XLSX, PNG, SVG)."""
    years = (
        f"{filters.compare[0]}–{filters.compare[-1]}年" if len(filters.compare) > 1 else f"{filters.year}年"
    )
    stem = export.safe_filename(name, years)
    st.plotly_chart(fig, config=export.modebar_config(stem), key=f"chart-{name}")
    if evidence is not None:
        source_note(evidence, source)
    else:
        st.caption(f"来源：{escape(source)}")
    with st.expander("查看数据表与下载", expanded=False):
        data_table(data)
        cols = st.columns(4)
        cols[0].download_button(
            "下载 CSV",
            export.csv_bytes(data),
            file_name=f"{stem}.csv",
            mime="text/csv",
            key=f"csv-{name}",
            on_click="ignore",
        )
        cols[1].download_button(
            "下载 XLSX",
            lambda: export.xlsx_bytes(data),
            file_name=f"{stem}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=f"xlsx-{name}",
            on_click="ignore",
        )
        if export.browser_available():
            for col, fmt_name, mime in ((cols[2], "png", "image/png"), (cols[3], "svg", "image/svg+xml")):
                col.download_button(
                    f"下载 {fmt_name.upper()} 图片",
                    _image_maker(fig, fmt_name, title, source, years),
                    file_name=f"{stem}.{fmt_name}",
                    mime=mime,
                    key=f"{fmt_name}-{name}",
                    on_click="ignore",
                )
        else:
            cols[2].caption(export.missing_browser_message())


def _image_maker(fig: go.Figure, fmt_name: str, title: str, source: str, years: str):
    def make() -> bytes:
        return export.figure_image(fig, fmt_name, title=title, source=source, year_label=years)

    return make


def headline(
    col, label: str, value: float | None, unit: str, previous: float | None = None, help: str = ""
) -> None:
    """A headline number with the change from the previous loaded year, if any."""
    delta, arrow, colour = None, "auto", "normal"
    if previous is not None and value is not None and not pd.isna(previous):
        diff = value - previous
        if not diff:
            delta, arrow, colour = "与上年持平", "off", "off"
        elif unit == "%":  # a change of a rate is in percentage points, not percent
            delta = f"{diff:+.2f}个百分点 较上年"
        else:
            delta = f"{'+' if diff > 0 else ''}{fmt(diff, unit)} 较上年"
    col.metric(
        label,
        fmt(value, unit),
        delta=delta,
        help=help or None,
        border=True,
        delta_arrow=arrow,
        delta_color=colour,
    )
