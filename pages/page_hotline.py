"""12345热线: cases by channel, handling, completion, callbacks, satisfaction, topics."""

import streamlit as st

from dashboard import charts, db, facts, queries, state, ui

f = state.current()
token = db.version()
figs = queries.figures(token, f.agency, f.years)
SOURCE = f"{f.agency}{f.year}年政府信息公开工作年度报告，第一部分“总体情况”"

st.title("12345政务服务热线")
total = facts.value(figs, f.year, facts.HOTLINE_TOTAL)
if facts.pick(figs, f.year, [facts.HOTLINE_TOTAL, *facts.HOTLINE_CHANNELS]).empty:
    st.info(f"{f.year}年报告中没有12345热线的数字。")
    st.stop()

prev = f.previous_year
c1, c2, c3, c4 = st.columns(4)
ui.headline(c1, "受理群众诉求", total, "件", facts.value(figs, prev, facts.HOTLINE_TOTAL))
ui.headline(c2, "转办办结率", facts.value(figs, f.year, facts.COMPLETION_RATE), "%",
            facts.value(figs, prev, facts.COMPLETION_RATE))  # fmt: skip
ui.headline(
    c3, "电话回访", facts.value(figs, f.year, facts.CALLBACKS), "件", facts.value(figs, prev, facts.CALLBACKS)
)
ui.headline(c4, "群众满意率", facts.value(figs, f.year, facts.SATISFACTION), "%",
            facts.value(figs, prev, facts.SATISFACTION))  # fmt: skip

st.subheader("受理渠道")
channels = facts.pick(figs, f.year, facts.HOTLINE_CHANNELS)
national = facts.pick(figs, f.year, facts.HOTLINE_NATIONAL)
if not channels.empty:
    ui.chart_block(
        charts.stacked_share(channels, f"{f.year}年12345热线受理渠道", "件"),
        facts.table(channels, {"label": "渠道", "value": "数量", "unit": "单位"}),
        name="12345受理渠道",
        title=f"{f.year}年12345热线受理渠道",
        source=SOURCE,
        filters=f,
        evidence=facts.evidence(figs, f.year, [facts.HOTLINE_TOTAL, *facts.HOTLINE_CHANNELS]),
    )
if not national.empty:
    items = "，".join(f"{r.label}{ui.fmt(r.value, r.unit)}" for r in national.itertuples())
    st.markdown(
        f"其中承办国家平台转来的诉求：{ui.escape(items)}。这些件数**已包含在上面的渠道数字之内**，不是另外的渠道。"
    )

st.subheader("办理方式与办结")
handling = facts.pick(figs, f.year, facts.HOTLINE_HANDLING)
if not handling.empty:
    ui.chart_block(
        charts.stacked_share(handling, f"{f.year}年12345热线办理方式", "件"),
        facts.table(handling, {"label": "办理方式", "value": "件数"}),
        name="12345办理方式",
        title=f"{f.year}年12345热线办理方式",
        source=SOURCE,
        filters=f,
        evidence=facts.evidence(figs, f.year, facts.HOTLINE_HANDLING),
    )
transferred = facts.pick(figs, f.year, [facts.TRANSFERRED, facts.TRANSFERRED_DONE])
if len(transferred) == 2:
    ui.chart_block(
        charts.category_bars(transferred, f"{f.year}年转交部门办理的诉求及办结", "件"),
        facts.table(transferred, {"label": "项目", "value": "件数"}),
        name="12345转办办结",
        title=f"{f.year}年转交部门办理的诉求及办结",
        source=SOURCE,
        filters=f,
        evidence=facts.evidence(
            figs, f.year, [facts.TRANSFERRED, facts.TRANSFERRED_DONE, facts.COMPLETION_RATE]
        ),
    )

st.subheader("群众不满意的主要问题")
topics = queries.texts(token, f.agency, f.year, "hotline_dissatisfaction")
if topics.empty:
    st.caption("本年度报告未列出不满意的问题。")
else:
    st.markdown("\n".join(f"{r.seq}. {ui.escape(r.text)}" for r in topics.itertuples()))
    ui.source_note(facts.evidence(figs, f.year, [facts.SATISFACTION]), SOURCE)

if len(f.compare) > 1:
    st.subheader(f"{f.compare[0]}–{f.compare[-1]}年比较")
    counts = facts.across_years(
        figs, f.compare, [facts.HOTLINE_TOTAL, *facts.HOTLINE_CHANNELS, *facts.HOTLINE_HANDLING]
    )
    ui.chart_block(
        charts.grouped_bars(counts, "12345热线受理与办理（按年度）", "件"),
        facts.table(counts, {"year": "年度", "label": "项目", "value": "件数"}),
        name="12345热线-年度比较",
        title="12345热线受理与办理（按年度）",
        source=f"{f.agency}各年度政府信息公开工作年度报告",
        filters=f,
    )
    rates = facts.across_years(figs, f.compare, [facts.COMPLETION_RATE, facts.SATISFACTION])
    ui.chart_block(
        charts.rate_lines(rates, "转办办结率与群众满意率（按年度）"),
        facts.table(rates, {"year": "年度", "label": "指标", "value": "百分比（%）"}),
        name="12345比率-年度比较",
        title="转办办结率与群众满意率（按年度）",
        source=f"{f.agency}各年度政府信息公开工作年度报告",
        filters=f,
    )
