"""How every page's view model is made: charts from figures (the block types are in :mod:`dashboard.blocks`), and the cache.

View models are cached with ``st.cache_resource``: every rerun and every session gets
the same object back (no unpickled copy, no figure rebuilt), so a page rerun only lays
out. They are shared, so nothing may change them after they are built.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from .. import export, facts, queries
from ..blocks import Chart, Metric, Table, make_table, number_columns
from ..text import escape, source_text

if TYPE_CHECKING:
    from .specs import FigureChart

ENTRIES = 32  # per function (a view with five charts is ~0.7 MB): tokens × agencies × years × ranges
cache = st.cache_resource(show_spinner=False, max_entries=ENTRIES)


def make_chart(
    fig: go.Figure,
    frame: pd.DataFrame,
    columns: dict[str, str],
    *,
    name: str,
    title: str,
    source: str,
    year: int,
    compare: tuple[int, ...],
    evidence: list[str] | str | None = None,
    summary: str = "",
) -> Chart:
    """A chart with its data table (``frame``'s ``columns``, renamed to their Chinese
    headers), source line, download names and modebar settings."""
    data = facts.table(frame, columns)
    years = f"{compare[0]}–{compare[-1]}年" if len(compare) > 1 else f"{year}年"
    stem = export.safe_filename(name, years)
    caption = source_text(evidence, source) if evidence is not None else f"来源：{escape(source)}"
    return Chart(
        fig=fig,
        data=data,
        name=name,
        title=title,
        source=source,
        caption=caption,
        years=years,
        stem=stem,
        config=export.modebar_config(stem),
        column_config=number_columns(data),
        summary=summary or describe(title, data),
    )


def describe(title: str, data: pd.DataFrame, limit: int = 6) -> str:
    """A chart's text alternative: its title and its largest values, from its data table."""
    from etl.formatting import number

    values = [
        c for c in data.columns if str(c).startswith(VALUE_HEADERS) and pd.api.types.is_numeric_dtype(data[c])
    ]
    if data.empty or not values:
        return f"图表“{title}”：没有数据。"
    value = values[0]
    names = [c for c in data.columns if c != value and not pd.api.types.is_numeric_dtype(data[c])]
    names = [c for c in names if c not in ("单位",)] + [c for c in data.columns if str(c).endswith("年度")]
    found = re.search(r"（([^（）]+)）$", str(value))
    unit = found.group(1) if found else ""
    if not data[value].fillna(0).any():
        return f"图表“{title}”共{len(data)}项（{value}）：各项均为0或空白。"
    top = data.dropna(subset=[value]).sort_values(value, ascending=False, kind="stable").head(limit)
    parts = [
        f"{'·'.join(_name(row[n], n) for n in dict.fromkeys(names))} {number(row[value])}{unit}"
        for _, row in top.iterrows()
    ]
    more = f"共{len(data)}项，最大的{limit}项" if len(data) > limit else f"共{len(data)}项"
    return f"图表“{title}”{more}（{value}）：" + "；".join(parts) + "。"


VALUE_HEADERS = ("数量", "件数", "数值", "百分比", "比例", "发布数量", "值")


def _name(value: Any, header: str) -> str:
    return f"{value}年" if str(header).endswith("年度") and str(value).isdigit() else str(value)


def chart_maker(year: int, compare: tuple[int, ...]) -> Callable[..., Chart]:
    """``make_chart`` for one view: every chart of a page has the page's year and range."""
    return functools.partial(make_chart, year=year, compare=compare)


def figure_chart(
    spec: FigureChart, figs: facts.FigureIndex, agency: str, year: int, compare: tuple[int, ...]
) -> Chart | None:
    """The chart a spec declares, for one selection; None when too few of its figures are found."""
    data = (
        facts.across_years(figs, compare, spec.keys)
        if spec.across_years
        else facts.pick(figs, year, spec.keys)
    )
    if len(data) < spec.min_rows:
        return None
    title = spec.title.format(year=year)
    return make_chart(
        spec.draw(data, title),
        data,
        spec.headers,
        name=spec.name,
        title=title,
        source=spec.source.format(agency=agency, year=year),
        year=year,
        compare=compare,
        evidence=None if spec.evidence is None else facts.evidence(figs, year, spec.evidence),
    )


def figure_index(token: str, agency: str, years: tuple[int, ...]) -> facts.FigureIndex:
    return facts.FigureIndex(queries.figures(token, agency, years))


__all__ = [
    "Chart",
    "Metric",
    "Table",
    "cache",
    "chart_maker",
    "figure_chart",
    "figure_index",
    "make_chart",
    "make_table",
    "number_columns",
]
