"""政府信息公开: tables 二, 三 and 四 as the report has them, and table 三 as a chart."""

import streamlit as st

from dashboard import db, state, ui, views

f = state.current()
v = views.disclosure(db.version(), f.agency, f.year, f.compare)
SOURCE = f"{f.agency}{f.year}年政府信息公开工作年度报告"

st.title("政府信息公开情况")
st.caption("以下三张表按国家统一格式填报。空白单元格照原样显示为空白，不当作0。")

# Only the chosen tab is drawn (choosing another reruns the page): the others' tables and chart
# would cost every page view.
tab2, tab3, tab4 = st.tabs(views.DISCLOSURE_TABS, key=views.DISCLOSURE_TAB_KEY, on_change="rerun")

if tab2.open:
    with tab2:
        st.subheader("二、主动公开政府信息情况")
        for item, grid in v.blocks:
            st.markdown(f"**{ui.escape(item)}**")
            ui.data_table(grid)
        st.caption(
            f"来源：{ui.escape(SOURCE)}，第二部分。列名按国家模板规范写法显示（报告原文的错字照录于下载数据的 raw_measure 列）。"
        )

if tab3.open:
    with tab3:
        st.subheader("三、收到和处理政府信息公开申请情况")
        ui.chart_block(v.outcomes)
        st.markdown("**表三全表**")
        ui.data_table(v.foi, height=900)
        st.caption(f"来源：{ui.escape(SOURCE)}，第三部分。空白单元格为报告留空。")

if tab4.open:
    with tab4:
        st.subheader("四、政府信息公开行政复议、行政诉讼情况")
        ui.data_table(v.review)
        st.caption(f"来源：{ui.escape(SOURCE)}，第四部分。“行政诉讼”分为未经复议直接起诉与复议后起诉。")
        for row in v.review_failures:
            st.warning(
                f"报告自身不一致：{ui.escape(row.description)}——总计为{ui.fmt(row.expected)}，各项之和为{ui.fmt(row.actual)}。"
            )
