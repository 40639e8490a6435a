"""下级单位年报审核: a supervising office's check of every unit under it in one year (loaded,
refused, missing; failed checks with their evidence; the indicators), with the same XLSX as
``python -m etl review``. Layout only; nothing here writes."""

import streamlit as st

from dashboard import compare_state, db, ui, views

token = db.version()
catalog = views.catalog(token)
tree = views.unit_tree(token)

st.title("下级单位年报审核")
st.markdown(
    "选择上级单位和年度，列出其下属各级单位的年度报告：已载入（含未通过的勾稽关系检查及依据、各项指标）、"
    "未能载入（含原因）和未报送（单位名录列为应报送但没有报告）。下载的表格与命令 `python -m etl review` 生成的相同。"
)
if not tree.parents:
    st.info("单位名录中还没有上下级关系，无法审核下级单位。")
    st.stop()
parents = {u: tree.labels[u] for u in tree.parents}
parent, year, notices = compare_state.review_filters(
    parents, catalog.all_years, views.default_review_parent(tree)
)
for note in notices:
    st.warning(note)

r = views.review(token, parent, year)
st.caption(r.summary)
cols = st.columns(len(r.frames) + 1)
for col, (status, frame) in zip(cols, r.frames.items(), strict=False):
    col.metric(status, f"{len(frame)}个", help=views.STATUS_HELP.get(status), border=True)
cols[-1].download_button(
    "下载审核表 XLSX",
    r.xlsx,
    file_name=f"{views.review_stem(r)}.xlsx",
    mime=ui.XLSX_MIME,
    key="review-xlsx",
    on_click="ignore",
)
for tab, (status, table) in zip(st.tabs(list(r.tables)), r.tables.items(), strict=True):
    with tab:
        if status in views.STATUS_HELP:
            st.caption(views.STATUS_HELP[status])
        if table.data.empty:
            st.info(f"没有{status}的单位。")
        else:
            ui.data_table(table, key=f"review-{status}")
        if status == views.REVIEW_LOADED and r.failed:
            st.markdown("**不通过的检查（含口径提示）及依据**")
            for unit, lines in r.failed:
                with st.expander(f"{unit}：{len(lines)}条"):
                    for line in lines:
                        st.markdown(f"- {ui.escape(line)}")
