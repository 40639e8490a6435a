"""Embeddable charts: the "嵌入" action under every chart, and what the embed page shows.

The action gives an ``<iframe>`` snippet whose URL names the page, the chart and the
selection: ``/embed?page=trading&chart=categories&agency=…&year=2019&from=…&to=…&embed=true``.
The embed page (``pages/page_embed.py``) rebuilds that page's view model for the selection,
read from the URL without the sidebar's widgets and validated the same way
(:mod:`dashboard.state`), and shows the one chart with its title, its source line and a link
back to the full page. nginx lets any site frame ``/embed`` and no other URL (deploy/).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

from . import compare_state, navigation, state, unit_state, views
from .views import Chart

PAGE = navigation.EMBED_PAGE
PATH = PAGE.url_path  # /embed
SELECTION = (*state.FILTER_PARAMS, *state.PAGE_PARAMS)  # what a chart's URL carries over
HEIGHT = 560  # the iframe's height in pixels: title, chart, source line and link
ParamGetter = Callable[[str], list[str]]


# --------------------------------------------------------------------------- the snippet


def page_of(url: str) -> tuple[str, str]:
    """(the app's base URL ending in ``/``, the page's url_path) of a page's URL."""
    parts = urlsplit(url)
    base, _, page = parts.path.rstrip("/").rpartition("/")
    return urlunsplit((parts.scheme, parts.netloc, base + "/", "", "")), page


def embed_url(page_url: str, chart: str, params: Mapping[str, list[str]]) -> str:
    """The URL of one chart of the page at ``page_url`` with the selection ``params``."""
    base, page = page_of(page_url)
    query = [("page", page), ("chart", chart)]
    query += [(k, v) for k in SELECTION for v in params.get(k, [])]
    return f"{base}{PATH}?{urlencode(query)}&embed=true"


def full_page_url(base: str, page: str, params: Mapping[str, list[str]]) -> str:
    """The full page a chart comes from, with the same selection."""
    query = urlencode([(k, v) for k in SELECTION for v in params.get(k, [])])
    return f"{base}{page}" + (f"?{query}" if query else "")


def snippet(url: str, title: str) -> str:
    """The ``<iframe>`` to paste into another site's page."""
    return (
        f'<iframe src="{escape(url)}" title="{escape(title)}" width="100%" height="{HEIGHT}" '
        'style="border:0" loading="lazy"></iframe>'
    )


def _current_params() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in SELECTION if k in st.query_params}


def action(chart: Chart) -> None:
    """The "嵌入" popover under a chart: its iframe snippet, ready to copy."""
    url = st.context.url
    if not url:  # no browser (a script run in tests): nothing to embed
        return
    box = st.popover("嵌入", icon=":material/code:", key=f"embed-{chart.name}", on_change="rerun")
    if not box.open:  # filled only when opened
        return
    with box:
        st.caption("复制以下代码，粘贴到网页中即可嵌入这张图表（显示标题、来源和原页面链接）：")
        st.code(snippet(embed_url(url, chart.name, _current_params()), chart.title), language="html")


def requested() -> bool:
    """Whether this run is the embed page (known before navigation: the browser's path)."""
    return page_of(st.context.url or "")[1] == PATH


# --------------------------------------------------------------------------- the embed page


@dataclass(frozen=True)
class Embedded:
    chart: Chart
    full_page: str  # the full page with the same selection


def filters_from(catalog: views.Catalog, param: Callable[[str], str | None]) -> state.Filters:
    """The sidebar's filters from the URL alone, validated as the sidebar does (an invalid value
    falls back to the default)."""
    agency, _ = state.parse_agency(param("agency"), catalog.agencies, catalog.default_agency)
    years = catalog.years[agency]
    year, _ = state.parse_year(param("year"), years)
    (lo, hi), _ = state.parse_range(param("from"), param("to"), years)
    compare = tuple(y for y in years if lo <= y <= hi) if len(years) > 1 else (year,)
    return state.Filters(agency, year, years, compare, catalog.agencies)


@dataclass(frozen=True)
class Charts:
    """The charts of a page that draws them from several view models (the rank page, a profile)."""

    charts: tuple[Chart | None, ...]


def _compare(token: str, catalog: views.Catalog, f: state.Filters, get: ParamGetter) -> Any:
    """The rank page's charts for the selection its URL holds, read as the page reads it."""
    parents, types, measures = views.picker_options(views.unit_tree(token))
    param = lambda k: _one(get(k))  # noqa: E731
    sel, _ = compare_state.parse_compare(
        param, parents, types, catalog.all_years, measures, views.DEFAULT_MEASURE
    )
    page = views.compare_page(
        token, sel.parent, sel.unit_type, sel.deep, sel.year, sel.measure, sel.first, sel.last
    )
    return Charts(page.charts)


def _unit(token: str, catalog: views.Catalog, f: state.Filters, get: ParamGetter) -> Any:
    """A unit's profile chart (its rates against its peers' median) for the unit and year of the URL."""
    reg = views.registry(token)
    units = reg.reporting_names
    if not units:
        return Charts(())
    unit, _ = unit_state.parse_unit(_one(get("unit")), units, reg.unit_of(f.agency) or next(iter(units)))
    years = views.profile(token, unit).years
    year, _ = state.parse_year(_one(get("year")), years)
    return Charts((views.peers(token, unit, year).chart,))


# Each page with charts: its view model for a selection, as the page itself asks for it.
PAGES: dict[str, Callable[[str, views.Catalog, state.Filters, ParamGetter], Any]] = {
    "trading": lambda t, c, f, g: views.trading(t, f.agency, f.year, f.years, f.previous_year, f.compare),
    "approvals": lambda t, c, f, g: views.approvals(t, f.agency, f.year, f.years, f.previous_year, f.compare),
    "hotline": lambda t, c, f, g: views.hotline(t, f.agency, f.year, f.years, f.previous_year, f.compare),
    "disclosure": lambda t, c, f, g: views.disclosure(t, f.agency, f.year, f.compare),
    "trends": lambda t, c, f, g: views.trends(t, f.agency, f.compare[0], f.compare[-1]),
    "compare": _compare,
    "": lambda t, c, f, g: views.home(t),
    "unit": _unit,
}


def _one(values: list[str]) -> str | None:
    return values[-1] if values else None


def charts_of(model: Any) -> dict[str, Chart]:
    """Every chart of a view model (its Chart fields, and charts in tuple or list fields), by name."""
    found: dict[str, Chart] = {}
    for field in dataclasses.fields(model):
        value = getattr(model, field.name)
        for item in value if isinstance(value, list | tuple) else (value,):
            if isinstance(item, Chart):
                found.setdefault(item.name, item)
    return found


def resolve(token: str, base: str, get: ParamGetter) -> Embedded | str:
    """The chart the URL asks for, or why there is none (a message for the visitor)."""
    page, name = _one(get("page")), _one(get("chart"))
    if page not in PAGES or not name:
        return "链接不完整或无效：请从图表下方的“嵌入”按钮重新复制代码。"
    catalog = views.catalog(token)
    if catalog.empty:
        return "数据库中还没有任何年度报告。"
    f = filters_from(catalog, lambda k: _one(get(k)))
    chart = charts_of(PAGES[page](token, catalog, f, get)).get(name)
    if chart is None:
        return "所选机关和年度没有这张图表的数据。"
    params = {k: get(k) for k in SELECTION}
    return Embedded(chart, full_page_url(base, page, params))
