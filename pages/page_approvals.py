"""行政审批: approvals received vs completed, the completion ratio, across years."""

import pandas as pd
import streamlit as st

from dashboard import charts, db, facts, queries, state, ui

f = state.current()
token = db.version()
figs = queries.figures(token, f.agency, f.years)
KEYS = [facts.APPROVALS_RECEIVED, facts.APPROVALS_COMPLETED]
SECTION = "报告第一部分“总体情况”"

st.title("行政审批事项")
rows = facts.pick(figs, f.year, KEYS)
if rows.empty:
    st.info(f"{f.year}年报告中没有行政审批事项的数字。")
    st.stop()

received = facts.value(figs, f.year, facts.APPROVALS_RECEIVED)
completed = facts.value(figs, f.year, facts.APPROVALS_COMPLETED)
ratio = completed / received * 100 if received and completed is not None else None
c1, c2, c3 = st.columns(3)
ui.headline(c1, "受理", received, "件", facts.value(figs, f.previous_year, facts.APPROVALS_RECEIVED))
ui.headline(c2, "办结", completed, "件", facts.value(figs, f.previous_year, facts.APPROVALS_COMPLETED))
c3.metric(
    "办结数 ÷ 受理数", "—" if ratio is None else f"{ratio:.1f}%", help="本站计算，报告未直接给出这一比例。"
)
st.caption(
    "“办结数 ÷ 受理数”是本站按报告两个数字计算的比例；报告只说受理和办结件数，并未说明两者的时间口径是否一致。"
)

year_rows = facts.across_years(figs, f.compare, KEYS)
ui.chart_block(
    charts.grouped_bars(year_rows, "行政审批事项：受理与办结", "件", x="year", series="label"),
    facts.table(year_rows, {"year": "年度", "label": "项目", "value": "件数"}),
    name="行政审批受理与办结",
    title="行政审批事项：受理与办结",
    source=f"{f.agency}政府信息公开工作年度报告，{SECTION}",
    filters=f,
    evidence=facts.evidence(figs, f.year, KEYS),
)

if len(f.compare) > 1:
    wide = year_rows.pivot_table(index="year", columns="label", values="value").reset_index()
    recv, done = facts.label(facts.APPROVALS_RECEIVED), facts.label(facts.APPROVALS_COMPLETED)
    if recv in wide and done in wide:
        ratio_rows = pd.DataFrame(
            {"year": wide["year"], "label": "办结数 ÷ 受理数", "value": wide[done] / wide[recv] * 100}
        )
        ui.chart_block(
            charts.rate_lines(ratio_rows, "办结数占受理数的比例（按年度）"),
            facts.table(ratio_rows, {"year": "年度", "label": "指标", "value": "比例（%）"}),
            name="行政审批办结比例-年度比较",
            title="办结数占受理数的比例（按年度）",
            source=f"本站根据{f.agency}各年度报告的受理数与办结数计算",
            filters=f,
        )
