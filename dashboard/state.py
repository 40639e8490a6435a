"""The filters every page obeys (agency, year, comparison range), kept in the URL.

``?year=2019&from=2019&to=2020&agency=…``: a copied link reproduces the view.
Values from the URL are validated against what is loaded; anything else falls
back to the default with a notice, never an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import streamlit as st

if TYPE_CHECKING:
    from .views import Catalog

_YEAR = re.compile(r"^\s*(\d{4})\s*$")
MAX_PARAM = 200


@dataclass(frozen=True)
class Filters:
    agency: str
    year: int
    years: tuple[int, ...]  # every year loaded for the agency
    compare: tuple[int, ...]  # the comparison range, inclusive, oldest first
    agencies: tuple[str, ...]

    @property
    def previous_year(self) -> int | None:
        earlier = [y for y in self.years if y < self.year]
        return earlier[-1] if earlier else None


def parse_year(raw: str | None, years: tuple[int, ...]) -> tuple[int, str | None]:
    """The year asked for if it is loaded, else the latest, with a notice."""
    default = years[-1]
    if raw is None:
        return default, None
    m = _YEAR.match(raw[:MAX_PARAM])
    if m and int(m.group(1)) in years:
        return int(m.group(1)), None
    return default, f"链接中的年度参数无效或未载入，已显示最新年度 {default} 年。"


def parse_agency(raw: str | None, agencies: tuple[str, ...], default: str) -> tuple[str, str | None]:
    if raw is None:
        return default, None
    if raw[:MAX_PARAM] in agencies:
        return raw, None
    return default, "链接中的机关参数无效，已显示默认机关。"


def parse_range(
    raw_from: str | None, raw_to: str | None, years: tuple[int, ...]
) -> tuple[tuple[int, int], str | None]:
    """The comparison range; the full span of loaded years by default."""
    full = (years[0], years[-1])
    if raw_from is None and raw_to is None:
        return full, None
    a = _YEAR.match((raw_from or "")[:MAX_PARAM])
    b = _YEAR.match((raw_to or "")[:MAX_PARAM])
    if a and b and int(a.group(1)) in years and int(b.group(1)) in years:
        lo, hi = sorted((int(a.group(1)), int(b.group(1))))
        return (lo, hi), None
    return full, "链接中的比较年度范围无效，已显示全部年度。"


def _param(name: str) -> str | None:
    value = st.query_params.get(name)
    return None if value is None else str(value)


def sidebar_filters(catalog: Catalog) -> tuple[Filters, list[str]]:
    """Render the sidebar selectors, sync them with the URL; return the filters and notices.

    ``catalog`` is :func:`views.catalog` (the agencies, the default one, each one's
    years). The first run of a session reads the URL; later runs trust the widgets
    (so a page switch keeps the selection) and write the URL back.
    """
    agencies = catalog.agencies
    default_agency = catalog.default_agency
    notices: list[str] = []
    ss = st.session_state

    if "f_agency" not in ss:
        ss.f_agency, note = parse_agency(_param("agency"), agencies, default_agency)
        notices += [note] if note else []
    if ss.f_agency not in agencies:
        ss.f_agency = default_agency
    if len(agencies) > 1:
        st.sidebar.selectbox("机关", agencies, key="f_agency")
    agency = ss.f_agency

    years = catalog.years[agency]
    if "f_year" not in ss or ss.get("f_year_agency") != agency:
        first = "f_year" not in ss
        ss.f_year, note = parse_year(_param("year") if first else None, years)
        notices += [note] if note else []
        ss.f_year_agency = agency
    if ss.f_year not in years:
        ss.f_year = years[-1]
    st.sidebar.selectbox(
        "年度",
        years,
        key="f_year",
        format_func=lambda y: f"{y}年",
        help="所有页面都按这个年度显示；默认是最新年度。",
    )

    compare: tuple[int, ...] = (ss.f_year,)
    if len(years) > 1:
        if "f_range" not in ss or ss.get("f_range_agency") != agency:
            (lo, hi), note = parse_range(_param("from"), _param("to"), years)
            notices += [note] if note else []
            ss.f_range = (lo, hi)
            ss.f_range_agency = agency
        # No key: the range is kept in session state and passed as the value.
        lo, hi = st.sidebar.select_slider(
            "比较年度范围", options=years, value=ss.f_range, format_func=lambda y: f"{y}年"
        )
        ss.f_range = (lo, hi)
        compare = tuple(y for y in years if lo <= y <= hi)

    params = {"year": str(ss.f_year)}
    if len(agencies) > 1:
        params["agency"] = agency
    if len(years) > 1:
        params["from"], params["to"] = str(compare[0]), str(compare[-1])
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
    filters = Filters(agency, int(ss.f_year), years, compare, agencies)
    ss.filters = filters
    return filters, notices


def current() -> Filters:
    """The filters of this run, set by app.py before the page runs.

    A page run without app.py (Streamlit's pages/ folder routing of a legacy URL
    such as /page_trading on a fresh server) goes to the home page instead.
    """
    if "filters" not in st.session_state:
        st.switch_page("app.py")
    return st.session_state.filters
