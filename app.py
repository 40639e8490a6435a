"""The public dashboard: navigation, the shared filters, then the selected page.

Run with ``make run`` (or ``streamlit run app.py``). The database is opened
read-only; if it is missing it is built once from data/reports/.
"""

from pathlib import Path

import streamlit as st

from dashboard import admin, db, embed, navigation, state, ui, views

st.set_page_config(
    page_title="政府信息公开年度报告数据看板",
    page_icon=str(Path(__file__).parent / "dashboard" / "favicon.png"),
    layout="wide",
)

PAGES = [
    st.Page(
        p.script,
        title=p.title,
        icon=p.icon,
        **({"url_path": p.url_path} if p.url_path else {"default": True}),
    )
    for p in navigation.PUBLIC_PAGES
]


def overview_alias() -> None:
    """/overview, a link people guess or shorten: the overview lives at /, so go there,
    keeping the filters (Streamlit gives the default page no path of its own)."""
    st.switch_page(PAGES[0], query_params=st.query_params.to_dict())


PAGES.append(st.Page(overview_alias, title="总览", url_path="overview", visibility="hidden"))
if admin.configured():  # the officials' import page exists only with an admin password
    entry = navigation.IMPORT_PAGE
    PAGES.append(st.Page(entry.script, title=entry.title, icon=entry.icon, url_path=entry.url_path))
PAGES.append(st.Page(embed.PAGE.script, title=embed.PAGE.title, url_path=embed.PATH, visibility="hidden"))
page = st.navigation(PAGES, position="hidden" if embed.requested() else "sidebar")
ui.page_style()
if page.url_path == embed.PATH:  # a chart alone, framed by another site: no sidebar, no filters
    page.run()
    st.stop()
try:
    token = db.version()
    catalog = views.catalog(token)
except Exception:  # never show visitors a traceback
    st.error("数据暂时无法读取，请稍后再试。")
    st.stop()
if catalog.empty:
    st.info("数据库中还没有任何年度报告。")
    st.stop()
st.sidebar.markdown("**筛选**")
filters, notices = state.sidebar_filters(catalog)
for note in notices:
    st.warning(note)
st.sidebar.caption("所选年度与比较范围保存在网址中，复制链接即可分享当前视图。")
page.run()
