"""交易信息: trading-platform notices by category, the stated total vs the sum."""

import streamlit as st

from dashboard import db, state, ui, views

f = state.current()
v = views.trading(db.version(), f.agency, f.year, f.years, f.previous_year, f.compare)

st.title("公共资源交易信息发布")
ui.topic_note(views.topic_catalog(db.version(), "trading"), "公共资源交易信息")
if v.empty:
    st.info(f"{f.year}年报告中没有公共资源交易信息的数字。")
    st.stop()

ui.metrics((v.total, v.parts_sum, v.diff))
if v.diff.value:
    st.warning(
        f"报告所述总数 {ui.fmt(v.total.value, '条')} 与五个类别之和 {ui.fmt(v.parts_sum.value, '条')} "
        f"相差 {ui.fmt(v.diff.value, '条')}。这是报告原文自身的不一致，报告未说明差额属于哪一类；本站照录原数，不作更正。"
    )

ui.chart_block(v.categories)
st.caption("比例按五个类别之和计算（不含未归入类别的差额）。")

if v.comparison is not None:
    st.subheader(f"{f.compare[0]}–{f.compare[-1]}年比较")
    ui.chart_block(v.comparison)
