"""交易信息: trading-platform notices by category, the stated total vs the sum."""

import streamlit as st

from dashboard import charts, db, facts, queries, state, ui

f = state.current()
token = db.version()
figs = queries.figures(token, f.agency, f.years)
SECTION = "报告第一部分“总体情况”"

st.title("公共资源交易信息发布")
cats = facts.pick(figs, f.year, facts.trading_keys())
total = facts.value(figs, f.year, facts.TRADING_TOTAL)
if cats.empty and total is None:
    st.info(f"{f.year}年报告中没有公共资源交易信息的数字。")
    st.stop()

parts_sum = float(cats["value"].sum()) if not cats.empty else None
c1, c2, c3 = st.columns(3)
ui.headline(c1, "报告所述总数", total, "条", facts.value(figs, f.previous_year, facts.TRADING_TOTAL))
ui.headline(c2, "各类别之和", parts_sum, "条")
diff = None if total is None or parts_sum is None else total - parts_sum
ui.headline(c3, "未归入类别的差额", diff, "条")
if diff:
    st.warning(
        f"报告所述总数 {ui.fmt(total, '条')} 与五个类别之和 {ui.fmt(parts_sum, '条')} 相差 {ui.fmt(diff, '条')}。"
        "这是报告原文自身的不一致，报告未说明差额属于哪一类；本站照录原数，不作更正。"
    )

chart_data = cats[["label", "value"]].assign(share=lambda d: d["value"] / d["value"].sum())
ui.chart_block(
    charts.category_bars(cats, f"{f.year}年各类交易信息发布数量", "条"),
    facts.table(chart_data, {"label": "类别", "value": "发布数量（条）", "share": "占类别之和比例"}),
    name="交易信息分类",
    title=f"{f.year}年各类交易信息发布数量",
    source=f"{f.agency}{f.year}年政府信息公开工作年度报告，{SECTION}",
    filters=f,
    evidence=facts.evidence(figs, f.year, [facts.TRADING_TOTAL, *facts.trading_keys()]),
)
st.caption("比例按五个类别之和计算（不含未归入类别的差额）。")

if len(f.compare) > 1:
    st.subheader(f"{f.compare[0]}–{f.compare[-1]}年比较")
    across = facts.across_years(figs, f.compare, [facts.TRADING_TOTAL, *facts.trading_keys()])
    ui.chart_block(
        charts.grouped_bars(across, "各类交易信息发布数量（按年度）", "条"),
        facts.table(across, {"year": "年度", "label": "类别", "value": "发布数量（条）"}),
        name="交易信息分类-年度比较",
        title="各类交易信息发布数量（按年度）",
        source=f"{f.agency}各年度政府信息公开工作年度报告，{SECTION}",
        filters=f,
    )
