"""对比与排名: the units of a group (under a parent, of a type) ranked by an indicator or a table
figure in one year, then the same units over the years. Layout only."""

import streamlit as st

from dashboard import compare_state, db, ui, views

token = db.version()
catalog = views.catalog(token)
tree = views.unit_tree(token)

st.title("单位对比与排名")
st.markdown(
    "选择上级单位和单位类型（例如“淮安市人民政府”直属的“县级政府”），按一个指标或表格数字排名。"
    "点击表头可排序；所选内容保存在网址中，复制链接即可分享。"
)
parents, types, measures = views.picker_options(tree)
sel, notices = compare_state.compare_filters(
    parents, types, catalog.all_years, measures, views.DEFAULT_MEASURE
)
for note in notices:
    st.warning(note)

page = views.compare_page(
    token, sel.parent, sel.unit_type, sel.deep, sel.year, sel.measure, sel.first, sel.last
)
r, m = page.ranking, page.ranking.measure
with st.container(border=True):
    st.markdown(f"**{ui.escape(m.label)}**：{ui.escape(m.formula)}（{m.order_text}）")
    st.caption(ui.escape(f"{m.meaning} {m.format_note}".strip()))
st.caption(r.summary)
if r.frame.empty:
    st.info("所选上级单位下没有这一类型的单位，或这些单位在该年度既没有报告也不在应报送名录中。")
else:
    ui.data_table(r.table, key="rank-table")
    ui.table_downloads(r, f"单位排名_{m.label}_{sel.year}年")
    if r.chart is not None:
        ui.chart_block(r.chart)

st.subheader("历年对比")
st.info(views.COMPARABLE_NOTE, icon=":material/info:")
v = page.years
if v is None:
    st.info(f"所选单位在{sel.year}年没有载入的报告。")
else:
    more = f"（排名前{views.MAX_AGENCIES}个）" if len(r.agencies) > views.MAX_AGENCIES else ""
    st.caption(f"{r.group}中{sel.year}年有报告的单位{more}：{v.summary}")
    ui.data_table(v.table, key="compare-table")
    ui.table_downloads(v, f"机关年度对比_{sel.first}–{sel.last}年")
    for chart in (v.chart, v.share):
        if chart is not None:
            ui.chart_block(chart)
