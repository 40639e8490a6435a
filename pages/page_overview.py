"""总览: the selected year's headline numbers, the source report, data quality."""

import streamlit as st

from dashboard import db, facts, queries, state, ui

f = state.current()
token = db.version()
catalog = queries.catalog(token)
report = catalog[(catalog["agency"] == f.agency) & (catalog["year"] == f.year)].iloc[0]
figs = queries.figures(token, f.agency, f.years)
prev = f.previous_year

st.title(f"{f.year}年度数据总览")
st.markdown(f"**{ui.escape(f.agency)}** · 政府信息公开工作年度报告")

HEADLINES = [
    ("交易信息发布", facts.TRADING_TOTAL, "条"),
    ("受理行政审批事项", facts.APPROVALS_RECEIVED, "件"),
    ("办结行政审批事项", facts.APPROVALS_COMPLETED, "件"),
    ("12345受理群众诉求", facts.HOTLINE_TOTAL, "件"),
    ("群众满意率", facts.SATISFACTION, "%"),
]
if facts.pick(figs, f.year, [key for _, key, _ in HEADLINES]).empty:
    st.info(
        "这份年报没有交易信息、行政审批或12345热线的数字（这些是四川省政务服务和公共资源交易服务中心年报特有的内容）。"
    )
else:
    cols = [*st.columns(3), *st.columns(3)[:2]]
    for col, (name, key, unit) in zip(cols, HEADLINES, strict=True):
        found = facts.pick(figs, f.year, [key])
        ev = found["evidence"].iloc[0] if not found.empty else "本年度报告中未找到这一数字"
        ui.headline(
            col, name, facts.value(figs, f.year, key), unit, facts.value(figs, prev, key), help=ui.escape(ev)
        )

st.subheader("依申请公开与复议诉讼")
table_now = facts.table_headlines(
    queries.foi_requests(token, f.agency, f.year), queries.review_litigation(token, f.agency, f.year)
)
table_prev = (
    facts.table_headlines(
        queries.foi_requests(token, f.agency, prev), queries.review_litigation(token, f.agency, prev)
    )
    if prev is not None
    else {}
)
cols = st.columns(len(table_now))
for col, (name, (value, where)) in zip(cols, table_now.items(), strict=True):
    ui.headline(col, name, value, "件", table_prev.get(name, (None, ""))[0], help=where)
if prev is not None:
    st.caption(f"箭头为与{prev}年报告相比的变化。")
else:
    st.caption("只载入了这一个年度，暂无上年对比。")

with st.expander("这些数字的原文出处", expanded=False):
    for name, key, _unit in HEADLINES:
        found = facts.pick(figs, f.year, [key])
        if found.empty:
            st.markdown(f"- **{name}**：本年度报告中未找到")
        else:
            st.markdown(f"- **{name}**：“{ui.escape(found['evidence'].iloc[0])}”")

st.subheader("来源报告")
st.markdown(
    f"- 报告：{ui.escape(report['title'])}\n"
    f"- 文件：`{report['source_file']}`（SHA-256 `{report['source_sha256'][:16]}…`）\n"
    f"- 表格格式：{report['template']}年版国家模板\n"
    f"- 载入时间：{report['loaded_at']:%Y-%m-%d %H:%M}"
)

st.subheader("数据质量")
counts = queries.check_counts(token, f.agency, f.year)
if counts["failed"]:
    st.warning(
        f"本报告自身的勾稽关系检查共{counts['total']}项：{counts['failed']}项不一致，"
        f"{counts['passed']}项通过，{counts['not_assessable']}项无法评估。"
        "我们如实保存报告原数，不作更正。"
    )
else:
    st.success(
        f"本报告的{counts['total']}项勾稽关系检查没有发现不一致（{counts['not_assessable']}项无法评估）。"
    )
st.page_link(
    "pages/page_quality.py",
    label="查看每一项检查",
    icon=":material/fact_check:",
    query_params=st.query_params.to_dict(),
)
