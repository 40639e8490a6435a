"""趋势: each measure of the selected agency over the years of the comparison range (from the URL)."""

import streamlit as st

from dashboard import db, state, ui, views

f = state.current()
v = views.trends(db.version(), f.agency, f.compare[0], f.compare[-1])

st.title("历年趋势")
st.markdown(f"**{ui.escape(f.agency)}** · 表三、表四的主要数字，逐年变化")
st.caption(
    "年度范围即左侧（手机上为页首）的“比较年度范围”，保存在网址中（from、to）。"
    "横轴每个年度下注明该年报告的表格格式；两版格式只比较口径一致的数字（见“对比与排名”页的说明）。"
)
if len(v.years) < 2:
    st.info("这个机关在所选范围内只有一个年度的报告，还看不出趋势。")
for change in v.changes:
    st.info(f"表格格式改变：{change}（图中以虚线标出）。", icon=":material/swap_horiz:")
for chart in v.charts:
    ui.chart_block(chart)
