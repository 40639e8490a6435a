"""行政审批: approvals received vs completed, the completion ratio, across years."""

import streamlit as st

from dashboard import db, state, ui, views

f = state.current()
v = views.approvals(db.version(), f.agency, f.year, f.years, f.previous_year, f.compare)

st.title("行政审批事项")
ui.topic_note(views.topic_catalog(db.version(), "approvals"), "行政审批")
if v.empty:
    st.info(f"{f.year}年报告中没有行政审批事项的数字。")
    st.stop()

box = ui.row()
ui.metric(box, v.received)
ui.metric(box, v.completed)
box.metric(
    "办结数 ÷ 受理数",
    "—" if v.ratio is None else f"{v.ratio:.1f}%",
    help="本站计算，报告未直接给出这一比例。",
)
st.caption(
    "“办结数 ÷ 受理数”是本站按报告两个数字计算的比例；报告只说受理和办结件数，并未说明两者的时间口径是否一致。"
)

ui.chart_block(v.items)
if v.ratios is not None:
    ui.chart_block(v.ratios)
