"""Page blocks shared by every page: a chart with its data, source and exports;
escaped report text; number formatting. Layout only, no SQL."""

from __future__ import annotations

import mimetypes
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from etl.formatting import number

from . import embed, export, files
from .blocks import number_columns
from .layout import row as row  # re-exported: pages lay rows out through ui
from .text import escape as escape
from .text import source_text
from .theme import PAGE_CSS  # re-exported: pages escape report text through ui

if TYPE_CHECKING:
    from .blocks import Chart, Metric, Table

fmt = number  # pages write figures the one way the whole project does (etl.formatting)


def page_style() -> None:
    """The app's own CSS (contrast of captions, the phone layout), once per run, before the page."""
    st.html(PAGE_CSS)


def source_note(evidence: list[str] | str, where: str) -> None:
    """The sentence(s) a chart's figures were read from, quoted and escaped."""
    st.caption(source_text(evidence, where))


def data_table(data: pd.DataFrame | Table, **kwargs) -> None:
    """A table with full numbers (thousands separators) and blank cells left blank.

    A :class:`views.Table` brings its column config, computed once."""
    if isinstance(data, pd.DataFrame):
        frame, config = data, number_columns(data)
    else:
        frame, config = data.shown, data.column_config
    st.dataframe(frame, hide_index=True, column_config=config, placeholder=BLANK, **kwargs)


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BLANK = ""  # how a table shows a cell the report left blank (NULL): blank, as printed, not "None"


DATA_KEY = "data-"  # + a chart's name: its "查看数据表与下载" expander's key (True when open)


def chart_block(chart: Chart) -> None:
    """A chart (from :mod:`views`), then its data table, its source, and its exports
    (CSV, XLSX, PNG, SVG; each file is made when its button is clicked)."""
    name = chart.name
    st.plotly_chart(chart.shown, config=chart.config, key=f"chart-{name}")
    # The text alternative, then the source line in small type: one element (one message a view).
    st.markdown(f"**图表说明**：{escape(chart.summary)}\n\n:small[{chart.caption}]")
    embed.action(chart)
    box = st.expander("查看数据表与下载", key=DATA_KEY + name, on_change="rerun")
    if not box.open:  # drawn only when opened: a closed one is one element, not eleven
        return
    with box:
        st.dataframe(chart.shown_data, hide_index=True, column_config=chart.column_config, placeholder=BLANK)
        buttons = row()
        table_downloads(chart, chart.stem, buttons, key=name, label="")
        if export.browser_available():
            for fmt_name, mime in (("png", "image/png"), ("svg", "image/svg+xml")):
                buttons.download_button(
                    f"下载 {fmt_name.upper()} 图片",
                    chart.image(fmt_name),
                    file_name=f"{chart.stem}.{fmt_name}",
                    mime=mime,
                    key=f"{fmt_name}-{name}",
                    on_click="ignore",
                )
        else:
            buttons.caption(export.missing_browser_message())


def table_downloads(source, stem: str, box=None, key: str | None = None, label: str = "表格") -> None:
    """CSV and XLSX buttons for a table (``source.csv``/``source.xlsx``, made on click), in
    ``box`` (a :func:`row`; a new one by default); ``key`` names the buttons (default: the stem)."""
    key = key or stem
    box = row() if box is None else box
    for ext, data, mime in (("csv", source.csv, "text/csv"), ("xlsx", source.xlsx, XLSX_MIME)):
        box.download_button(
            f"下载{label} {ext.upper()}",
            data,
            file_name=f"{stem}.{ext}",
            mime=mime,
            key=f"{ext}-{key}",
            on_click="ignore",
        )


def source_download(col, source_file: str, key: str) -> None:
    """A button downloading a report's source file as published (read when clicked)."""
    path = files.report_path(source_file)
    if path is None:
        col.caption("原文件不在服务器上。")
        return
    mime = mimetypes.guess_type(source_file)[0] or "application/octet-stream"
    col.download_button(
        "下载原文件", path.read_bytes, file_name=source_file, mime=mime, key=key, on_click="ignore"
    )


def metrics(items) -> None:
    """Headline numbers side by side (:class:`Metric` records), as many as there are."""
    box = row(align="top")
    for m in items:
        metric(box, m)


def metric(col, m: Metric) -> None:
    """A headline number from :mod:`views`, with the change from the previous year."""
    headline(col, m.label, m.value, m.unit, m.previous, help=m.help)


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


def pager(total: int, size: int, key: str, noun: str, measure: str, full: str) -> int:
    """Which page of a long table to show (from 1): a page selector when there is more than one
    page, and a line saying how many rows there are, which of them are shown and where the whole
    list is (``full``). ``noun`` names the rows (单位), ``measure`` counts them (个)."""
    pages = max(1, -(-total // size))
    number = 1
    if pages > 1:
        state = f"page-{key}"
        if st.session_state.get(state, 1) > pages:  # the list got shorter (another parent, a rebuild)
            st.session_state[state] = pages
        number = int(
            st.number_input(
                f"页码（共{pages:,}页）", min_value=1, max_value=pages, value=1, step=1, key=state, width=220
            )
        )
        first, last = (number - 1) * size + 1, min(number * size, total)
        st.caption(
            f"共{total:,}{measure}{noun}，每页{size}{measure}，"
            f"这是第{number:,}页（第{first:,}–{last:,}{measure}）。{full}"
        )
    elif total:
        st.caption(f"共{total:,}{measure}{noun}。{full}")
    return number


def topic_note(catalog, subject: str) -> None:
    """Which agencies' reports state a topic's figures (the only ones a topic page offers)."""
    shown = catalog.agencies[:8]
    names = "、".join(shown) + (f"等{len(catalog.agencies)}个" if len(catalog.agencies) > len(shown) else "")
    st.caption(f"报告中有{subject}数字的机关：{escape(names)}（左侧只列出这些机关和年度）。")
