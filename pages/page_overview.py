"""报告总览: one report's headline numbers (the selected agency and year), its source, its checks."""

import streamlit as st

from dashboard import db, state, ui, views

f = state.current()
prev = f.previous_year
v = views.overview(db.version(), f.agency, f.year, f.years, prev)

st.title(f"{f.year}年度报告总览")
st.markdown(f"**{ui.escape(f.agency)}** · 政府信息公开工作年度报告")

if not v.headlines:
    st.info(
        "这份年报没有交易信息、行政审批或12345热线的数字（这些是四川省政务服务和公共资源交易服务中心年报特有的内容）。"
    )
else:
    ui.metrics(v.headlines)

st.subheader("依申请公开与复议诉讼")
ui.metrics(v.tables)
if prev is not None:
    st.caption(f"箭头为与{prev}年报告相比的变化。")
else:
    st.caption("只载入了这一个年度，暂无上年对比。")

with st.expander("这些数字的原文出处", expanded=False):
    for name, evidence in v.evidence:
        if evidence is None:
            st.markdown(f"- **{name}**：本年度报告中未找到")
        else:
            st.markdown(f"- **{name}**：“{ui.escape(evidence)}”")

st.subheader("来源报告")
report = v.report
st.markdown(
    f"- 报告：{ui.escape(report['title'])}\n"
    f"- 文件：{ui.escape(report['source_file'])}（SHA-256 {report['source_sha256'][:16]}…）\n"
    f"- 表格格式：{report['template']}年版国家模板\n"
    f"- 载入时间：{report['loaded_at']:%Y-%m-%d %H:%M}"
)

st.subheader("数据质量")
counts = v.counts
(st.warning if counts["failed"] else st.success)(v.check_summary)
st.page_link(
    "pages/page_quality.py",
    label="查看每一项检查",
    icon=":material/fact_check:",
    query_params=st.query_params.to_dict(),
)
