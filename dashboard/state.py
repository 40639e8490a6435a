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

from . import db, queries
from .layout import row

if TYPE_CHECKING:
    from .views import Catalog

_YEAR = re.compile(r"^\s*(\d{4})\s*$")
MAX_PARAM = 200
AGENCY_OPTIONS = 50  # more agencies than this: a search box, then at most this many to choose from
FILTER_PARAMS = ("year", "agency", "from", "to")  # written by the sidebar
PAGE_PARAMS = (
    "parent",
    "type",
    "deep",
    "y",
    "m",
    "cfrom",
    "cto",
    "q",
    "part",
    "unit",
)  # written by a page; kept


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


def sidebar_filters(catalog: Catalog, subject: str | None = None) -> tuple[Filters, list[str]]:
    """Render the sidebar selectors, sync them with the URL; return the filters and notices.

    ``catalog`` is :func:`views.catalog` (the agencies, the default one, each one's years), or a
    topic's (:func:`views.topic_catalog`, ``subject`` naming the topic): then an agency chosen on
    another page that has none of its figures gives way to the topic's default, with a notice.
    The URL is read on a session's first run and whenever it holds values this sidebar did not
    write (a followed link); otherwise the widgets are trusted (so a page switch keeps the
    selection) and written back to the URL.
    """
    agencies = catalog.agencies
    default_agency = catalog.default_agency
    notices: list[str] = []
    ss = st.session_state
    url = {key: _param(key) for key in FILTER_PARAMS}
    written = ss.get("f_written", {})
    fresh = {k for k, v in url.items() if v is not None and v != written.get(k)}  # a link's, not ours
    first = "f_agency" not in ss

    if first or "agency" in fresh:
        url["agency"] = _canonical(url["agency"])  # a link made before the name was canonical
        ss.f_agency, note = parse_agency(url["agency"], agencies, default_agency)
        if note and subject and url["agency"] in _all_agencies():
            note = f"{url['agency'][:MAX_PARAM]}的报告中没有{subject}的数字，已显示{default_agency}。"
        notices += [note] if note else []
    if ss.f_agency not in agencies:
        if subject:
            notices.append(f"{ss.f_agency}的报告中没有{subject}的数字，本页显示{default_agency}。")
        ss.f_agency = default_agency
    if len(agencies) > 1:
        st.sidebar.selectbox("机关", agency_options(agencies, ss.f_agency, "f_agency_q"), key="f_agency")
    agency = ss.f_agency

    years = catalog.years[agency]
    url_year = first or "year" in fresh
    if url_year or ss.get("f_year_agency") != agency:
        ss.f_year, note = parse_year(url["year"] if url_year else None, years)
        notices += [note] if note else []
        ss.f_year_agency = agency
    if ss.f_year not in years:
        ss.f_year = years[-1]
    st.sidebar.selectbox(
        "年度",
        years,
        key="f_year",
        format_func=lambda y: f"{y}年",
        help="本页按这个年度显示；默认是最新年度。所选机关和年度保存在网址中，复制链接即可分享当前视图。",
    )

    phone_filters(agencies, years)

    compare: tuple[int, ...] = (ss.f_year,)
    if len(years) > 1:
        url_range = first or bool({"from", "to"} & fresh)
        if url_range or "f_range" not in ss or ss.get("f_range_agency") != agency:
            (lo, hi), note = parse_range(
                url["from"] if url_range else None, url["to"] if url_range else None, years
            )
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
    write_params(params, FILTER_PARAMS)
    ss.f_written = params
    filters = Filters(agency, int(ss.f_year), years, compare, agencies)
    ss.filters = filters
    return filters, notices


def _all_agencies() -> tuple[str, ...]:
    from .views import catalog

    return catalog(db.version()).agencies


def _canonical(agency: str | None) -> str | None:
    """The unit's canonical name for an alias (the centre's 2019 title printed
    四川省政务服务和资源交易服务中心): old shared links keep working."""
    from .views import registry

    if agency is None:
        return None
    return registry(db.version()).canonical.get(agency[:MAX_PARAM], agency)


def keep_filters(catalog: Catalog, own: tuple[str, ...] = ()) -> Filters:
    """A page without the sidebar's selectors: keep their values for the pages that have them
    (Streamlit drops a widget's state on a run that does not draw it), remove their keys from the
    URL (they do nothing here) except the page's ``own``, and give the page the filters anyway."""
    ss = st.session_state
    for key in ("f_agency", "f_year"):
        if key in ss:
            ss[key] = ss[key]
    agency = ss.get("f_agency")
    agency = agency if agency in catalog.years else catalog.default_agency
    years = catalog.years[agency]
    year = ss.get("f_year") if ss.get("f_year") in years else years[-1]
    lo, hi = ss.get("f_range", (year, year))
    compare = tuple(y for y in years if lo <= y <= hi) or (year,)
    for key in FILTER_PARAMS:
        if key not in own and key in st.query_params:
            del st.query_params[key]
    ss.f_written = {}  # the URL holds none of the sidebar's values now: a link's are fresh
    ss.filters = Filters(agency, int(year), years, compare, catalog.agencies)
    return ss.filters


def _from_phone(key: str) -> None:
    st.session_state[f"f_{key}"] = st.session_state[f"m_{key}"]


def phone_filters(agencies: tuple[str, ...], years: tuple[int, ...]) -> None:
    """The agency and year selectors again, at the top of the page, shown only on narrow screens
    (CSS in theme.PAGE_CSS), where the sidebar is folded away: in an expander drawn only when
    opened (on a wide screen it is hidden, and would cost every page view its elements). They
    follow the sidebar's, and a change is copied into the sidebar's before the next run draws it."""
    ss = st.session_state
    box = st.expander("筛选：机关与年度", icon=":material/tune:", key="phone_filters", on_change="rerun")
    if not box.open:
        return
    ss.m_agency, ss.m_year = ss.f_agency, ss.f_year
    left, right = box.columns([3, 2]) if len(agencies) > 1 else (None, box)
    if left is not None:
        options = agency_options(agencies, ss.f_agency, "m_agency_q", box=left)
        left.selectbox("机关", options, key="m_agency", on_change=_from_phone, args=("agency",))
    right.selectbox(
        "年度", years, key="m_year", format_func=lambda y: f"{y}年", on_change=_from_phone, args=("year",)
    )


def agency_options(
    agencies: tuple[str, ...], chosen: list[str] | str, search_key: str, box=None
) -> list[str]:
    """The agencies a selector offers: all of them when there are few; otherwise a search box
    (in the sidebar) and at most ``AGENCY_OPTIONS`` matches, after the ones already chosen.

    So a thousand agencies are never sent to the browser at once."""
    chosen = [chosen] if isinstance(chosen, str) else list(chosen)
    if len(agencies) <= AGENCY_OPTIONS:
        return list(dict.fromkeys([*agencies, *chosen]))
    text = (box or st.sidebar).text_input(
        "搜索机关",
        key=search_key,
        max_chars=50,
        placeholder="输入机关名称中的字",
        help=f"共{len(agencies):,}个机关；列表只显示前{AGENCY_OPTIONS}个匹配项。",
    )
    matches = queries.agency_search(db.version(), text.strip(), AGENCY_OPTIONS)
    return list(dict.fromkeys([*chosen, *matches]))


def write_params(params: dict[str, str | list[str]], owned: tuple[str, ...]) -> None:
    """Put ``params`` in the URL, remove the ``owned`` keys not in it and any unknown key;
    leave the other known keys (the sidebar's or a page's) alone. Only changed keys are written."""
    known = set(FILTER_PARAMS) | set(PAGE_PARAMS)
    drop = [k for k in st.query_params if k not in known or (k in owned and k not in params)]
    changed = {
        key: value
        for key, value in params.items()
        if st.query_params.get_all(key) != ([value] if isinstance(value, str) else list(value))
    }
    # One message to the browser for all of it (each single change would send its own).
    if drop:
        kept = {k: st.query_params.get_all(k) for k in st.query_params if k not in drop}
        st.query_params.from_dict({**kept, **changed})
    elif changed:
        st.query_params.update(changed)


def current() -> Filters:
    """The filters of this run, set by app.py before the page runs.

    A page run without app.py (Streamlit's pages/ folder routing of a legacy URL
    such as /page_trading on a fresh server) goes to the home page instead.
    """
    if "filters" not in st.session_state:
        st.switch_page("app.py")
    return st.session_state.filters


# --- The texts page: ?q=解读&part=problems ---------------------------------------------------


def texts_filters(parts: dict[str, str]) -> tuple[str, str, list[str]]:
    """The search box and the part of the report to search, synced with the URL."""
    ss, notices = st.session_state, []
    if "t_sel" not in ss:
        raw_q, raw_part = (_param("q") or "")[:MAX_PARAM], _param("part")
        ss.t_sel = (raw_q[:50], raw_part if raw_part in parts else "all")
        if raw_part is not None and raw_part not in parts:
            notices.append("链接中的搜索范围参数无效，已搜索全部内容。")
    if "t_q" not in ss:
        ss.t_q, ss.t_part = ss.t_sel
    box = row(align="bottom")
    box.text_input(
        "搜索所有已载入报告的原文", key="t_q", max_chars=50, placeholder="例如：解读（多个词用空格分开）"
    )
    box.selectbox("范围", list(parts), key="t_part", format_func=parts.get, width=220)
    ss.t_sel = (ss.t_q, ss.t_part)
    params = {"q": ss.t_q, "part": ss.t_part} if ss.t_q.strip() else {}
    write_params(params, ("q", "part"))
    return ss.t_q, ss.t_part, notices


def select_report(agency: str, year: int) -> None:
    """Show another report (a callback: it runs before the sidebar's selectors are drawn)."""
    ss = st.session_state
    ss.f_agency, ss.f_year, ss.f_year_agency = agency, year, agency
