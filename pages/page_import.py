"""导入年报 (officials only): upload → preview with every check → confirm → load."""

import streamlit as st

from dashboard import admin, db, facts, queries, ui
from etl.figure_specs import FIGURE_LABELS

if not admin.configured():  # never reachable for the public, even by URL
    st.switch_page("app.py")

st.title("导入年报")
if not st.session_state.get("admin_ok"):
    with st.form("login"):
        given = st.text_input("管理密码", type="password")
        if st.form_submit_button("登录"):
            if admin.password_ok(given):
                st.session_state.admin_ok = True
                st.rerun()
            st.error("密码不正确。")
    st.stop()

st.markdown(
    f"支持 {'、'.join('.' + t for t in admin.UPLOAD_TYPES)}，单个文件不超过 "
    f"{admin.MAX_UPLOAD_BYTES // (1024 * 1024)} MB。先预览读到的数字和检查结果，确认后才载入。"
)
upload = st.file_uploader("选择年报文件", type=admin.UPLOAD_TYPES, key="upload")
if upload is None:
    st.stop()
if upload.size > admin.MAX_UPLOAD_BYTES:
    st.error(f"文件超过 {admin.MAX_UPLOAD_BYTES // (1024 * 1024)} MB，已拒绝。")
    st.stop()

data = upload.getvalue()
result = admin.preview(upload.name, data, queries.catalog(db.version()))
if result.problems:
    st.error("这份文件不能载入，数据库没有任何改动：")
    st.markdown("\n".join(f"- {ui.escape(p)}" for p in result.problems))
    st.stop()

report = result.report
st.success(
    f"读到：{ui.escape(report.agency)} {report.year}年报告（表格格式：{report.template}），将保存为 `{result.file_name}`。"
)
st.subheader("正文数字")
st.dataframe(
    [
        {
            "数字": FIGURE_LABELS.get((f.topic, f.metric, f.category), f.category),
            "数值": ui.fmt(f.value, f.unit) + ("（约数）" if f.approx else ""),
            "原文": f.evidence,
        }
        for f in report.figures
    ],
    hide_index=True,
)
if report.missing_figures:
    st.warning(
        "未找到（不会入库，不以0代替）："
        + "、".join(ui.escape(FIGURE_LABELS.get(k, ".".join(k))) for k in report.missing_figures)
    )
st.caption(
    f"表二 {len(report.active_disclosure)} 格，表三 {len(report.foi_requests)} 格，表四 {len(report.review_litigation)} 格。"
)
st.subheader("勾稽关系检查")
checks = facts.check_table(facts.checks_frame(report.checks))
ui.data_table(facts.table(checks, facts.CHECK_COLUMNS))

confirm_replace = True
if result.replaces:
    confirm_replace = st.checkbox(  # one checkbox per uploaded file: a new file asks again
        f"确认替换已载入的同一年度报告（{result.replaces}）", key=f"confirm_replace_{upload.file_id}"
    )
if st.button("确认载入", type="primary", disabled=not confirm_replace):
    try:
        loaded = admin.commit(upload.name, data, replace=bool(result.replaces))
    except admin.ReportError as exc:
        st.error("载入失败，数据库没有任何改动：")
        st.markdown("\n".join(f"- {ui.escape(str(p))}" for p in exc.problems))
    else:
        st.success(f"已载入 {ui.escape(loaded.agency)} {loaded.year}年报告。各页面将显示新数据。")
