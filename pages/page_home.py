"""数据概览 (the first page): what is loaded, the latest year's sums, the reports that fail checks."""

import streamlit as st

from dashboard import db, ui, views

FAILING_SHOWN = 10  # links drawn (a page of thousands of links is slow to send and to read)

token = db.version()
v = views.home(token)

st.title("数据概览")
st.markdown(
    f"{ui.escape(v.lead)}每个数字都来自报告原文并注明出处；报告自身数字不一致之处如实保存并标出，不作更正。"
)
ui.metrics(v.counts)

st.subheader("收录了哪些报告")
ui.chart_block(v.by_year)

st.subheader(f"{v.latest}年合计")
ui.metrics(v.latest_sums)
st.caption(ui.escape(v.sums_note))

st.subheader("报告有不一致的单位")
if not v.failing:
    st.success("已载入的报告都没有发现不一致。")
for unit_id, name, detail in v.failing[:FAILING_SHOWN]:
    st.page_link(
        "pages/page_unit.py",
        label=f"{name}：{detail}",
        icon=":material/warning:",
        query_params={"unit": unit_id},
    )
more = (
    f"共{len(v.failing):,}个单位，这里列出前{FAILING_SHOWN}个，其余见下方“全部单位”表。"
    if len(v.failing) > FAILING_SHOWN
    else ""
)
st.caption(f"{more}点击单位查看它的档案：历年报告、主要比率与同类比较、每一项不一致。")

st.subheader("未能载入的文件")
if v.refusals.data.empty:
    st.caption("最近一次构建没有拒绝任何文件。")
else:
    st.warning(f"最近一次构建有{len(v.refusals.data)}个文件未能载入，其余报告照常载入：")
    ui.data_table(v.refusals, key="refusals-table")

st.subheader("全部单位")
number = ui.pager(
    v.units.total,
    views.UNITS_PER_PAGE,
    "units",
    "有报告的单位（按名称排列）",
    "个",
    "完整名单请用下方按钮下载 CSV 或 XLSX。",
)
ui.data_table(views.unit_page(token, number), key="units-table")
ui.table_downloads(v.units, "单位名录", label="完整名单")
st.page_link("pages/page_overview.py", label="查看单份报告的总览", icon=":material/summarize:")
