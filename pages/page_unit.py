"""单位档案: one unit: where it sits, its reports, its rates against its peers, its failed checks."""

import streamlit as st

from dashboard import db, state, ui, unit_state, views

token = db.version()
reg = views.registry(token)
units = reg.reporting_names

st.title("单位档案")
if not units:
    st.info("数据库中还没有单位名录，请用当前版本重新构建数据库（python -m etl build）。")
    st.stop()
default = reg.unit_of(state.current().agency) or next(iter(units))
unit, year, notices = unit_state.unit_filters(units, default, lambda u: views.profile(token, u).years)
for note in notices:
    st.warning(note)
p = views.profile(token, unit)

st.header(p.name)
facts = [f"类型：{p.unit_type}"]
if p.aliases:
    facts.append("报告标题中的其他写法：" + "、".join(p.aliases))
st.markdown(ui.escape(" · ".join(facts)))
if p.parent:
    st.page_link(
        "pages/page_unit.py",
        label=f"上级单位：{p.parent[1]}",
        icon=":material/arrow_upward:",
        query_params={"unit": p.parent[0]},
    )
else:
    st.caption("没有登记上级单位。")
st.caption(ui.escape(p.sources))
if p.children:
    box = st.expander(
        f"下级单位（{len(p.children)}个）",
        expanded=len(p.children) <= 10,
        key=f"children-{unit}",
        on_change="rerun",
    )
    if box.open:  # drawn only when opened
        for child_id, name, n in p.children:
            if n:
                box.page_link(
                    "pages/page_unit.py", label=f"{name}（{n}份报告）", query_params={"unit": child_id}
                )
            else:
                box.markdown(f"{ui.escape(name)}（尚无已载入的报告）")

st.subheader("历年报告")
st.markdown(  # one element for all the years; the links are the selected year's
    "\n".join(
        f"- **{r['year']}年** {ui.escape(r['title'])} · "
        + (f"{r['failed']}项不一致" if r["failed"] else "未发现不一致")
        for r in p.reports
    )
)
chosen = next((r for r in p.reports if r["year"] == year), None)
if chosen is not None:
    params = {"agency": chosen["agency"], "year": str(year)}
    box = ui.row()
    box.page_link("pages/page_overview.py", label=f"{year}年报告总览", icon=":material/summarize:", query_params=params)  # fmt: skip
    box.page_link("pages/page_quality.py", label=f"{year}年检查结果", icon=":material/fact_check:", query_params=params)  # fmt: skip

peers = views.peers(token, unit, year)
st.subheader(f"{year}年主要比率与同类单位比较")
st.caption(
    f"同类单位：{ui.escape(peers.scope)}，共{peers.count}个单位有{year}年的比率。"
    "排名按每个比率“越好”的方向；数值相同的并列同一名次；无数值的不参与排名，排在最后。"
)
if peers.table.data.empty:
    st.info(f"{year}年的报告没有可计算比率的表三、表四数字（或数据库建于比率出现之前）。")
else:
    ui.data_table(peers.table, key="peer-table")
if peers.chart is not None:
    ui.chart_block(peers.chart)
with st.expander(
    f"同类单位的比率（{len(peers.members.data)}个单位，按{views.DEFINITIONS[0][0]}排序，无数值的排在最后）"
):
    ui.data_table(peers.members, key="peer-members")
    ui.table_downloads(peers.members, f"同类单位比率_{year}年", key="peer-members")
with st.expander("比率的定义", expanded=False):
    st.markdown(
        "\n".join(
            f"- **{name}**：{ui.escape(formula)}（{better}）" for name, formula, better in views.DEFINITIONS
        )
    )

st.subheader("报告中不一致的项")
if p.failed.data.empty:
    st.success("这个单位已载入的报告都没有发现不一致。")
else:
    ui.data_table(p.failed, key="failed-table")
