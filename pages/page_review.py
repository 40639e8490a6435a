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
box = ui.row()
for status, frame in r.frames.items():
    box.metric(status, f"{len(frame)}个", help=views.STATUS_HELP.get(status), border=True)
box.download_button(
    "下载审核表 XLSX",
    r.xlsx,
    file_name=f"{views.review_stem(r)}.xlsx",
    mime=ui.XLSX_MIME,
    key="review-xlsx",
    on_click="ignore",
)
FULL = "完整列表（含每项检查的依据）请用上方按钮下载审核表 XLSX。"
for tab, (status, table) in zip(st.tabs(list(r.tables)), r.tables.items(), strict=True):
    with tab:
        if status in views.STATUS_HELP:
            st.caption(views.STATUS_HELP[status])
        if table.empty:
            st.info(f"没有{status}的单位。")
            continue
        size = views.REVIEW_ROWS_PER_PAGE
        number = ui.pager(len(table), size, f"review-{status}", "单位", "个", FULL)
        ui.data_table(views.review_table_page(r, status, number), key=f"review-{status}")
        if status == views.REVIEW_LOADED and r.checks:
            st.markdown("**不通过的检查（含口径提示）及依据**")
            st.caption(
                "每行一项检查：单位、检查内容、应为与实际的数字、原文依据。把鼠标停在单元格上可看全文。"
            )
            number = ui.pager(r.checks, size, "review-checks", "检查", "项", FULL)
            checks = views.review_check_page(token, parent, year, number)
            ui.data_table(checks, key="review-checks")
