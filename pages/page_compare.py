"""对比: pick agencies and a year range; one row per agency-year, sortable, with charts and exports."""

import streamlit as st

from dashboard import db, facts, state, ui, views

f = state.current()
token = db.version()
catalog = views.catalog(token)

st.title("机关与年度对比")
st.markdown(
    "选择若干机关和年度范围，每个机关的每个年度一行。点击表头可排序；所选机关、年度范围和图表指标保存在网址中。"
)
sel, notices = state.compare_filters(catalog, f, facts.COMPARE_MEASURES, views.MAX_AGENCIES)
for note in notices:
    st.warning(note)
v = views.compare(token, sel.agencies, sel.first, sel.last, sel.measure)

st.info(views.COMPARABLE_NOTE, icon=":material/info:")
st.caption(v.summary)
if not sel.agencies:
    st.info("请至少选择一个机关。")
elif v.table.data.empty:
    st.info("所选机关在这个年度范围内没有载入的报告。")
else:
    ui.data_table(v.table, key="compare-table")
    c1, c2, _ = st.columns([1, 1, 3])
    name = f"机关年度对比_{sel.first}–{sel.last}年"
    ui.table_downloads(v, name, (c1, c2))
    for chart in (v.chart, v.share):
        if chart is not None:
            ui.chart_block(chart)
