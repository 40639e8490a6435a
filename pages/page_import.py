"""导入年报 (officials only): upload → preview with every check → confirm → load."""

import streamlit as st

from dashboard import admin, facts, ratelimit, ui
from etl.figure_specs import FIGURE_LABELS

if not admin.configured():  # never reachable for the public, even by URL
    st.switch_page("app.py")

st.title("导入年报")
if not st.session_state.get("admin_ok"):
    with st.form("login"):
        given = st.text_input("管理密码", type="password")
        if st.form_submit_button("登录"):
            wait = ratelimit.login_attempt()
            if wait:
                st.error(ratelimit.wait_message(wait))
                st.stop()
            if admin.password_ok(given):
                ratelimit.login_succeeded()
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
# What an official supplies when the title gives no agency or year (or a wrong one): read from
# the inputs' state before they are drawn (below, in an expander opened when needed).
agency_key, year_key = f"supplied_agency_{upload.file_id}", f"supplied_year_{upload.file_id}"
supplied_agency = str(st.session_state.get(agency_key, "")).strip() or None
year_text = str(st.session_state.get(year_key, ""))
supplied_year, year_error = admin.parse_year(year_text)
result = admin.preview(upload.name, data, agency=supplied_agency, year=supplied_year)
with st.expander(
    "机关名称和年度（人工指定）", expanded=result.title_problem or bool(supplied_agency or year_text.strip())
):
    st.caption("标题中读不出机关名称或年度，或读错时填写；填写的值优先于标题，并注明“人工指定”。")
    st.text_input("机关名称", key=agency_key, placeholder="例如：某市人民政府")
    st.text_input("年度", key=year_key, placeholder="例如：2024")
if year_error:
    st.error(year_error)
    st.stop()
if result.problems:
    st.error("这份文件不能载入，数据库没有任何改动：")
    st.markdown("\n".join(f"- {ui.escape(p)}" for p in result.problems))
    if result.title_problem:
        st.info("如确是年报，请在上方“机关名称和年度（人工指定）”中填写读不出的机关名称或年度。")
    st.stop()

report = result.report
agency_note = "（人工指定）" if report.agency_source == admin.SUPPLIED else ""
year_note = "（人工指定）" if report.year_source == admin.SUPPLIED else ""
printed = f"（标题作“{ui.escape(result.printed_agency)}”）" if result.printed_agency else ""
st.success(
    f"读到：{ui.escape(report.agency)}{agency_note}{printed} {report.year}年{year_note}报告"
    f"（表格格式：{report.template}），将保存为 `{result.file_name}`。"
)
for note in report.warnings:  # e.g. another name the page's title glued to the agency's
    st.caption(f"提示：{ui.escape(note)}")
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
    placeholder=ui.BLANK,
)
if report.missing_figures:
    st.warning(
        "未找到（不会入库，不以0代替）："
        + "、".join(ui.escape(FIGURE_LABELS.get(k, ".".join(k))) for k in report.missing_figures)
    )
st.caption(
    f"表二 {len(report.active_disclosure)} 格，表三 {len(report.foi_requests)} 格，表四 {len(report.review_litigation)} 格。"
)
cells, sentences = report.unplaced_cells, report.unmatched_sentences
with st.expander(f"未能归位的表格单元格（{len(cells)}个）；含数字但未识别的句子（{len(sentences)}句）"):
    st.caption("这些内容不会入库：请核对是否有数字漏读。")
    st.markdown(f"**未能归位的表格单元格（{len(cells)}个）**")
    if cells:
        st.markdown(
            "\n".join(
                f"- 表{ui.escape(u.table)} 第{u.line}段/行，行“{ui.escape(u.row_text)}”，"
                f"列“{ui.escape(u.column_text)}”：“{ui.escape(u.text)}”（{ui.escape(u.reason)}）"
                for u in cells
            )
        )
    st.markdown(f"**含数字但未识别的句子（{len(sentences)}句）**")
    if sentences:
        st.markdown("\n".join(f"- 第{s.line}段/行：{ui.escape(s.text)}" for s in sentences))
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
        loaded = admin.commit(
            upload.name, data, replace=bool(result.replaces), agency=supplied_agency, year=supplied_year
        )
    except admin.AlreadyLoaded as exc:  # loaded by someone else since the preview: ask again
        st.error(
            f"{ui.escape(exc.agency)} {exc.year}年的报告刚刚已由他人载入（{ui.escape(exc.loaded_file)}），"
            "数据库没有任何改动。请重新上传，并勾选确认替换。"
        )
    except admin.ReportError as exc:
        st.error("载入失败，数据库没有任何改动：")
        st.markdown("\n".join(f"- {ui.escape(str(p))}" for p in exc.problems))
    else:
        st.success(
            f"已载入 {ui.escape(loaded.agency)}{agency_note} {loaded.year}年{year_note}报告。各页面将显示新数据。"
        )
