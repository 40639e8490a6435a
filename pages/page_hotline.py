"""12345热线: cases by channel, handling, completion, callbacks, satisfaction, topics."""

import streamlit as st

from dashboard import db, state, ui, views

f = state.current()
v = views.hotline(db.version(), f.agency, f.year, f.years, f.previous_year, f.compare)

st.title("12345政务服务热线")
ui.topic_note(views.topic_catalog(db.version(), "hotline"), "12345热线")
if v.empty:
    st.info(f"{f.year}年报告中没有12345热线的数字。")
    st.stop()

ui.metrics(v.metrics)

st.subheader("受理渠道")
if v.channels is not None:
    ui.chart_block(v.channels)
if v.national:
    items = "，".join(f"{label}{ui.fmt(value, unit)}" for label, value, unit in v.national)
    st.markdown(
        f"其中承办国家平台转来的诉求：{ui.escape(items)}。这些件数**已包含在上面的渠道数字之内**，不是另外的渠道。"
    )

st.subheader("办理方式与办结")
if v.handling is not None:
    ui.chart_block(v.handling)
if v.transferred is not None:
    ui.chart_block(v.transferred)

st.subheader("群众不满意的主要问题")
if not v.topics:
    st.caption("本年度报告未列出不满意的问题。")
else:
    st.markdown("\n".join(f"{seq}. {ui.escape(text)}" for seq, text in v.topics))
    st.caption(v.topics_caption)

if v.counts is not None:
    st.subheader(f"{f.compare[0]}–{f.compare[-1]}年比较")
    ui.chart_block(v.counts)
    ui.chart_block(v.rates)
