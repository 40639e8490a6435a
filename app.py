"""The public dashboard: navigation, the filters of the selected page, then the page.

Run with ``make run`` (or ``streamlit run app.py``). The database is opened
read-only; if it is missing it is built once from data/reports/. The first page
(数据概览, "/") says what is loaded; the sidebar's agency and year selectors appear
only on the pages they act on (``navigation.PageEntry.filters``).
"""

import streamlit as st

from dashboard import admin, db, embed, navigation, page_objects, state, theme, ui, views

st.set_page_config(
    page_title="政府信息公开年度报告数据看板",
    page_icon=theme.FAVICON,
    layout="wide",
)

PAGES = page_objects.pages(with_import=admin.configured())
page = st.navigation(list(PAGES.values()), position="hidden" if embed.requested() else "sidebar")
if page.url_path == embed.PATH:
    ui.page_style()
    page.run()
    st.stop()
entry = navigation.BY_PATH.get(page.url_path, navigation.IMPORT_PAGE)
if entry.url_path == "" and {"agency", "year"} & set(st.query_params):
    # "/?agency=…&year=…": a link from when "/" was one report's overview; it still opens that report
    st.switch_page(PAGES[navigation.OVERVIEW.url_path], query_params=st.query_params.to_dict())
ui.page_style()
try:
    token = db.version()
    catalog = views.catalog(token)
except Exception:  # never show visitors a traceback
    st.error("数据暂时无法读取，请稍后再试。")
    st.stop()
if catalog.empty:
    st.info("数据库中还没有任何年度报告。")
    st.stop()
for key in navigation.PAGE_OWN_PARAMS - set(entry.params) - set(state.FILTER_PARAMS):
    st.query_params.pop(key, None)  # another page's (?unit= of a profile): nothing here reads it
if entry.filters is None:
    state.keep_filters(catalog, own=entry.params)
else:
    topic = entry.filters if entry.filters in navigation.TOPICS else None
    shown = views.topic_catalog(token, topic) if topic else catalog
    filters, notices = state.sidebar_filters(shown, subject=views.TOPICS.get(topic) if topic else None)
    for note in notices:
        st.warning(note)
page.run()
