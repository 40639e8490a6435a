"""The compare and review pages' selections, validated and kept in the URL like the sidebar's.

Compare: ``?parent=<unit_id>&type=district&deep=1&y=2024&m=disclosed_rate&cfrom=2019&cto=2024``;
review: ``?parent=<unit_id>&y=2024`` (the keys are declared in ``navigation.PUBLIC_PAGES``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

import streamlit as st

from .layout import row
from .navigation import BY_PATH
from .state import MAX_PARAM, _param, parse_range, parse_year, write_params

COMPARE_KEYS = BY_PATH["compare"].params
REVIEW_KEYS = BY_PATH["review"].params


@dataclass(frozen=True)
class CompareSelection:
    parent: str  # a unit_id, or "" for every unit
    unit_type: str  # a unit_type, or "" for every type
    deep: bool  # every depth under the parent, not only the units directly under it
    year: int
    measure: str  # an indicator id or a table measure
    first: int  # the years below the ranking, inclusive
    last: int


def parse_choice(
    raw: str | None, options: Collection[str], default: str, what: str
) -> tuple[str, str | None]:
    """``raw`` if it is one of ``options``, else ``default`` with a notice naming ``what``."""
    if raw is None:
        return default, None
    if raw[:MAX_PARAM] in options:
        return raw[:MAX_PARAM], None
    return default, f"链接中的{what}参数无效，已显示默认{what}。"


def parse_flag(raw: str | None) -> tuple[bool, str | None]:
    """``1`` or ``0`` (absent: off)."""
    if raw is None or raw in ("0", "1"):
        return raw == "1", None
    return False, "链接中的层级参数无效，已只显示直属单位。"


def _init(ss, key: str, shadow: dict) -> None:
    """A widget's value from the page's shadow copy: Streamlit drops a widget's state while
    another page is shown, the shadow copy stays."""
    if key not in ss:
        ss[key] = shadow[key]


def parse_compare(
    param: Callable[[str], str | None],
    parents: Collection[str],
    types: Collection[str],
    years: tuple[int, ...],
    measures: Collection[str],
    default_measure: str,
) -> tuple[CompareSelection, list[str]]:
    """The compare page's selection from the URL (``param``: key → its value), each value
    validated (an unknown one falls back to the default with a notice). The page and an
    embedded chart of it read the URL the same way."""
    parent, n1 = parse_choice(param("parent"), parents, "", "上级单位")
    unit_type, n2 = parse_choice(param("type"), types, "", "单位类型")
    deep, n3 = parse_flag(param("deep"))
    year, n4 = parse_year(param("y"), years)
    measure, n5 = parse_choice(param("m"), measures, default_measure, "排名指标")
    (lo, hi), n6 = parse_range(param("cfrom"), param("cto"), years)
    notices = [n for n in (n1, n2, n3, n4, n5, n6) if n]
    return CompareSelection(parent, unit_type, deep, year, measure, lo, hi), notices


def compare_filters(
    parents: dict[str, str],
    types: dict[str, str],
    years: tuple[int, ...],
    measures: dict[str, str],
    default_measure: str,
) -> tuple[CompareSelection, list[str]]:
    """The compare page's pickers: a parent unit (``parents``: unit_id → label, "" for all),
    a unit type (``types``, "" for all), every depth or only direct, a year, a measure
    (``measures``: id → label) and the years below the ranking; synced with the URL, validated
    (an unknown value falls back with a notice). Returns the selection and the notices."""
    ss, notices = st.session_state, []
    if "c_shadow" not in ss:  # first visit of the session: the URL
        sel, notices = parse_compare(_param, parents, types, years, measures, default_measure)
        ss.c_shadow = {
            "c_parent": sel.parent,
            "c_type": sel.unit_type,
            "c_deep": sel.deep,
            "c_year": sel.year,
            "c_measure": sel.measure,
            "c_range": (sel.first, sel.last),
        }
    shadow = ss.c_shadow
    for key in ("c_parent", "c_type", "c_deep", "c_year", "c_measure"):
        _init(ss, key, shadow)
    box = st.container(key="compare_pickers")
    with box:
        top, bottom = row(align="bottom"), row(align="bottom")
    top.selectbox(
        "上级单位", list(parents), key="c_parent", format_func=parents.get, help="选择“全部单位”则不限上级。"
    )
    top.selectbox("单位类型", list(types), key="c_type", format_func=types.get)
    top.selectbox("年度", years, key="c_year", format_func=lambda y: f"{y}年")
    bottom.selectbox("排名指标", list(measures), key="c_measure", format_func=measures.get)
    bottom.checkbox("包括各级下级单位", key="c_deep", help="不勾选时只列出直属于所选上级单位的单位。")
    if len(years) > 1:
        shadow["c_range"] = bottom.select_slider(
            "历年对比范围", options=years, value=shadow["c_range"], format_func=lambda y: f"{y}年"
        )
    for key in ("c_parent", "c_type", "c_deep", "c_year", "c_measure"):
        shadow[key] = ss[key]
    lo, hi = shadow["c_range"]
    params = {"y": str(ss.c_year), "m": ss.c_measure, "cfrom": str(lo), "cto": str(hi)}
    params |= {"parent": ss.c_parent} if ss.c_parent else {}
    params |= {"type": ss.c_type} if ss.c_type else {}
    params |= {"deep": "1"} if ss.c_deep else {}
    write_params(params, COMPARE_KEYS)
    sel = CompareSelection(ss.c_parent, ss.c_type, bool(ss.c_deep), int(ss.c_year), ss.c_measure, lo, hi)
    return sel, notices


def review_filters(
    parents: dict[str, str], years: tuple[int, ...], default: str
) -> tuple[str, int, list[str]]:
    """The review page's pickers: a parent unit (``parents``: unit_id → label) and a year,
    synced with the URL like the compare page's."""
    ss, notices = st.session_state, []
    if "r_shadow" not in ss:
        parsed = {
            "r_parent": parse_choice(_param("parent"), parents, default, "上级单位"),
            "r_year": parse_year(_param("y"), years),
        }
        notices += [note for _, note in parsed.values() if note]
        ss.r_shadow = {key: value for key, (value, _) in parsed.items()}
    for key in ("r_parent", "r_year"):
        _init(ss, key, ss.r_shadow)
    box = row(align="bottom", key="review_pickers")
    box.selectbox("上级单位", list(parents), key="r_parent", format_func=parents.get)
    box.selectbox("年度", years, key="r_year", format_func=lambda y: f"{y}年", width=160)
    ss.r_shadow = {"r_parent": ss.r_parent, "r_year": ss.r_year}
    write_params({"parent": ss.r_parent, "y": str(ss.r_year)}, (*COMPARE_KEYS, *REVIEW_KEYS))
    return ss.r_parent, int(ss.r_year), notices
