"""报告原文: each report's own words (一 总体情况, 五 问题与改进, 六 其他事项), searchable across all reports."""

import streamlit as st

from dashboard import db, state, ui, views

f = state.current()
token = db.version()

st.title("报告原文")
st.markdown(
    "各机关在年报中用自己的话写下的内容：总体情况、存在的问题及改进情况、其他需要报告的事项。"
    "可以在所有已载入的报告中搜索（例如“解读”），每段都注明出处并可下载原文件。"
)
words, part, notices = state.texts_filters(views.PART_LABELS)
for note in notices:
    st.warning(note)
found = views.search_texts(token, words, part)
if found.words:
    st.markdown(f"**搜索结果** {found.summary}")
    for i, hit in enumerate(found.hits):
        with st.container(border=True):
            st.markdown(f"**{ui.escape(hit.agency)}** · {hit.year}年 · {hit.heading}")
            st.markdown(hit.text)
            box = ui.row()
            box.caption(f"来源文件：{ui.escape(hit.source_file)}")
            box.button(
                "查看这份报告", key=f"open-{i}", on_click=state.select_report, args=(hit.agency, hit.year)
            )
            ui.source_download(box, hit.source_file, key=f"src-{i}")
    if not found.hits:
        st.info("没有找到包含这些词的段落。")

report = views.report_texts(token, f.agency, f.year)
st.header(f"{f.year}年报告原文")
st.markdown(f"**{ui.escape(f.agency)}** · {ui.escape(report.title)}")
box = ui.row()
box.caption(f"来源文件：{ui.escape(report.source_file)}（机关与年度在左侧或页首选择）")
ui.source_download(box, report.source_file, key="src-report")
if not report.sections:
    st.info("这份报告没有可显示的文字段落。")
for heading, paragraphs in report.sections:
    st.subheader(heading)
    st.markdown("\n\n".join(paragraphs))  # one element a section: its paragraphs as they are
