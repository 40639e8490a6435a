"""A unit's profile: ?unit=<unit_id>&year=2024, validated and kept in the URL like the sidebar's filters."""

from __future__ import annotations

import streamlit as st

from .layout import row
from .state import AGENCY_OPTIONS, MAX_PARAM, _param, parse_year, write_params


def parse_unit(raw: str | None, units: dict[str, str], default: str) -> tuple[str, str | None]:
    """The unit asked for if it has reports, else ``default`` with a notice."""
    if raw is None:
        return default, None
    if raw[:MAX_PARAM] in units:
        return raw, None
    return default, "链接中的单位参数无效或该单位没有已载入的报告，已显示默认单位。"


def unit_filters(units: dict[str, str], default: str, years_of) -> tuple[str, int, list[str]]:
    """The profile's unit and year pickers, synced with the URL (``unit``, ``year``) like the
    sidebar's: a followed link's values win over the session's. ``units`` maps the ids of the
    units with reports to their names; ``years_of(unit_id)`` gives a unit's years, oldest first."""
    ss, notices = st.session_state, []
    url = {"unit": _param("unit"), "year": _param("year")}
    written = ss.get("u_written", {})
    fresh = {k for k, v in url.items() if v is not None and v != written.get(k)}
    if "u_sel" not in ss or "unit" in fresh:  # a session's first visit, or a followed link
        ss.u_sel, note = parse_unit(url["unit"], units, default)
        notices += [note] if note else []
        ss.u_unit = ss.u_sel
    elif ss.get("u_unit") in units:  # the picker's choice
        ss.u_sel = ss.u_unit
    if ss.u_sel not in units:
        ss.u_sel = default
    ss.u_unit = ss.u_sel  # also restores the picker after another page was shown
    box = row(align="bottom")
    options = unit_options(units, ss.u_sel, box=box)
    box.selectbox("单位", options, key="u_unit", format_func=units.get)
    unit = ss.u_sel = ss.u_unit
    years = years_of(unit)
    if "year" in fresh or ss.get("u_year_unit") != unit or ss.get("u_year") not in years:
        ss.u_year, note = parse_year(url["year"] if "year" in fresh else None, years)
        notices += [note] if note else []
        ss.u_year_unit = unit
    ss.u_year = ss.u_year  # keep it while another page is shown
    box.selectbox("年度", years, key="u_year", format_func=lambda y: f"{y}年", width=160)
    params = {"unit": unit, "year": str(ss.u_year)}
    write_params(params, ("unit", "year"))
    ss.u_written = params
    return unit, int(ss.u_year), notices


def unit_options(units: dict[str, str], chosen: str, box) -> list[str]:
    """All units with reports when there are few; else a search box and at most
    ``AGENCY_OPTIONS`` matches after the chosen one (as :func:`agency_options`)."""
    if len(units) <= AGENCY_OPTIONS:
        return list(dict.fromkeys([*units, chosen]))
    text = box.text_input(
        "搜索单位",
        key="u_q",
        max_chars=50,
        placeholder="输入单位名称中的字",
        help=f"共{len(units):,}个单位；列表只显示前{AGENCY_OPTIONS}个匹配项。",
    ).strip()
    matches = [u for u, name in units.items() if text in name][:AGENCY_OPTIONS]
    return list(dict.fromkeys([chosen, *matches]))
