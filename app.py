"""The public dashboard: navigation, the shared filters, then the selected page.

Run with ``make run`` (or ``streamlit run app.py``). The database is opened
read-only; if it is missing it is built once from data/reports/.
"""

from pathlib import Path

import streamlit as st

from dashboard import admin, db, state, ui, views

st.set_page_config(
    page_title="政府信息公开年度报告数据看板",
    page_icon=str(Path(__file__).parent / "dashboard" / "favicon.png"),
    layout="wide",
)

PAGES = [
    st.Page("pages/page_overview.py", title="总览", icon=":material/home:", default=True),
    st.Page("pages/page_trading.py", title="交易信息", icon=":material/bar_chart:", url_path="trading"),
    st.Page("pages/page_approvals.py", title="行政审批", icon=":material/approval:", url_path="approvals"),
    st.Page("pages/page_hotline.py", title="12345热线", icon=":material/call:", url_path="hotline"),
    st.Page(
        "pages/page_disclosure.py", title="政府信息公开", icon=":material/description:", url_path="disclosure"
    ),
    st.Page("pages/page_quality.py", title="数据质量", icon=":material/fact_check:", url_path="quality"),
    st.Page("pages/page_compare.py", title="机关对比", icon=":material/compare_arrows:", url_path="compare"),
    st.Page("pages/page_trends.py", title="历年趋势", icon=":material/show_chart:", url_path="trends"),
    st.Page("pages/page_texts.py", title="报告原文", icon=":material/article:", url_path="texts"),
    st.Page("pages/page_downloads.py", title="数据下载", icon=":material/download:", url_path="downloads"),
]


def overview_alias() -> None:
    """/overview, a link people guess or shorten: the overview lives at /, so go there,
    keeping the filters (Streamlit gives the default page no path of its own)."""
    st.switch_page(PAGES[0], query_params=st.query_params.to_dict())


PAGES.append(st.Page(overview_alias, title="总览", url_path="overview", visibility="hidden"))
if admin.configured():  # the officials' import page exists only with an admin password
    PAGES.append(
        st.Page("pages/page_import.py", title="导入年报", icon=":material/upload_file:", url_path="import")
    )
page = st.navigation(PAGES)
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
st.sidebar.markdown("**筛选**")
filters, notices = state.sidebar_filters(catalog)
for note in notices:
    st.warning(note)
st.sidebar.caption("所选年度与比较范围保存在网址中，复制链接即可分享当前视图。")
page.run()
