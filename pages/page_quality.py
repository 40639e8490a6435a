"""数据质量: every check of the selected year, with expected, actual and evidence."""

import streamlit as st

from dashboard import db, state, ui, views

f = state.current()
v = views.quality(db.version(), f.agency, f.year)
counts = v.counts

st.title("数据质量：报告自身的勾稽关系")
st.markdown(
    "每份年度报告的数字之间有固定关系（例如各类别之和应等于总数）。我们逐项核对，"
    "**如实保存报告原数，不作更正**；不一致之处在这里列明。部分分项空白时，空白在求和时按0计；"
    "所述总数本身空白，或分项全部空白（空白不等于0）时，该项为“无法评估”，并写明原因。正文与表格统计口径可能不同的对照（如正文只计本级机关），"
    "数字不同时记为“口径提示”，不算报告自相矛盾。"
)
box = ui.row()
for label, key in (("检查项", "total"), ("不一致", "failed"), ("口径提示", "warnings"), ("通过", "passed"), ("无法评估", "not_assessable")):  # fmt: skip
    box.metric(label, counts[key], border=True)


def check_list(rows, values) -> None:
    """Checks as one numbered list (one element: a page of a hundred checks sends one, not four
    hundred): each its description, ``values(row)`` (the numbers compared) and its evidence."""
    with st.container(border=True):
        st.markdown(
            "\n".join(
                f"1. **{ui.escape(row.description)}**  \n   {values(row)}  \n   :small[依据：{ui.escape(row.evidence)}]"
                for row in rows
            )
        )


if v.failed:
    st.subheader("不一致的项")
    check_list(
        v.failed,
        lambda row: (
            f"应为 **{ui.fmt(row.expected)}**，实际 **{ui.fmt(row.actual)}**，相差 {ui.fmt(row.expected - row.actual)}。"
        ),
    )
if v.warnings:
    st.subheader("口径提示（不算错误）")
    check_list(v.warnings, lambda row: f"表格 **{ui.fmt(row.expected)}**，正文 **{ui.fmt(row.actual)}**。")
if not v.reasons.empty:
    st.subheader("无法评估的项及原因")
    st.markdown(
        "无法评估不是错误：报告没有给出核对所需的数字。最常见的是分项整列空白"
        "（许多机关只在“总计”列或只在分项列填数），空白不等于0，所以不作核对。"
    )
    ui.data_table(v.reasons)
st.subheader("未能载入的文件")
if v.refusals.data.empty:
    st.caption("最近一次构建没有拒绝任何文件（所有机关）。")
else:
    st.markdown(
        f"最近一次构建有**{len(v.refusals.data)}个文件**未能载入（所有机关）。其余报告照常载入；"
        "这些文件改正后重新构建即可载入。"
    )
    ui.data_table(v.refusals, key="refusals-table")

st.subheader("全部检查")
ui.data_table(v.table, height=min(40 + 35 * len(v.table.data), 1200))
st.download_button(
    "下载检查结果 CSV",
    v.csv,
    file_name=f"checks-{f.year}.csv",
    mime="text/csv",
    on_click="ignore",
)
