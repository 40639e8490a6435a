"""数据下载: every view as CSV/XLSX, the database file, the reports, and the method."""

import streamlit as st

from dashboard import db, files, state, ui, views

f = state.current()
token = db.version()

st.title("数据下载与方法说明")
st.markdown(
    "本站所有数字都来自各机关公开发布的政府信息公开工作年度报告原文，"
    "每个数字都记录了出处（原文句子或表格单元格所在行）。CSV 文件为带 BOM 的 UTF-8 编码，可直接用 Excel 打开。"
)
st.caption(
    "为防止电子表格把文字当作公式执行，CSV 中以 = + - @ 开头的文字单元格前加了一个英文单引号（'）；"
    "数字不受影响。XLSX 文件与数据库文件保存的是报告原文，未作任何改动。"
)

scope = st.radio("范围", ["所选年度", "全部年度"], horizontal=True, key="dl_scope")
year = f.year if scope == "所选年度" else None
suffix = str(f.year) if year else "all-years"

st.info(
    "**开放数据**：全部数据表（CSV 与 Parquet）、按单位的 JSON 和字段说明（datapackage.json）按版本发布在 "
    "[/data/](/data/)，最新版本见 [/data/latest/](/data/latest/)。带版本号的网址内容永远不变，便于引用；"
    "用法见项目文档 docs/api.md。",
    icon=":material/dataset:",
)

st.subheader("数据表")
downloads = views.downloads(token, f.agency, year)  # each file is made when its button is clicked
st.markdown(
    "\n".join(
        f"- **{title}**（`{name}`，{len(downloads[name].frame):,}行）"
        for name, title in views.VIEW_NAMES.items()
    )
)
name = st.selectbox(
    "选择要下载的数据表",
    list(views.VIEW_NAMES),
    format_func=lambda n: f"{views.VIEW_NAMES[n]}（{n}，{len(downloads[n].frame):,}行）",
    key="dl_view",
)
dl = downloads[name]
box = ui.row()
box.download_button(
    "下载 CSV", dl.csv, file_name=f"{name}-{suffix}.csv", mime="text/csv", key=f"dl-csv-{name}", on_click="ignore"
)  # fmt: skip
box.download_button(
    "下载 XLSX", dl.xlsx, file_name=f"{name}-{suffix}.xlsx", mime=ui.XLSX_MIME, key=f"dl-xlsx-{name}",
    on_click="ignore",
)  # fmt: skip
st.download_button(
    "下载整个数据库文件（DuckDB）",
    files.database_bytes,
    file_name="disclosure-reports.duckdb",
    mime="application/octet-stream",
    key="dl-db",
    on_click="ignore",
)
st.caption("数据库中的视图与字段说明见项目文档 docs/data-dictionary.md。")

st.subheader("原始报告文件")
st.caption("所选机关各年度的报告原文件（其他机关的在左侧选择机关后下载）。")
rows = views.catalog(token).agency_rows(f.agency)
st.markdown(
    "\n".join(
        f"- **{r['year']}年** {ui.escape(r['title'])}  \n"
        f"  {ui.escape(r['source_file'])} · SHA-256 {r['source_sha256']}"
        for r in rows
    )
)
box = ui.row(align="bottom")
row = rows[-1]
if len(rows) > 1:  # one button for the year chosen here (a button a report would be one element each)
    years = {r["year"]: r for r in rows}
    chosen = box.selectbox(
        "年度",
        list(years),
        index=len(years) - 1,
        format_func=lambda y: f"{y}年",
        key="dl_src_year",
        width=160,
    )
    row = years[chosen]
path = files.report_path(row["source_file"])
if path is not None:
    box.download_button(
        f"下载原文（{row['year']}年）", path.read_bytes, file_name=row["source_file"], mime="text/plain",
        key=f"dl-src-{row['report_id']}", on_click="ignore",
    )  # fmt: skip

st.subheader("数字是怎样读取的")
st.markdown(
    """
1. **读取**：报告文本按 UTF-8 或 GBK 编码读入，统一换行符；空文件、二进制文件会被拒绝。
2. **解析**：按国家统一格式识别六个部分；表二、表三、表四按模板的行列逐格读取，行列名称容错匹配
   （报告原文的错字，例如“自己这一情形”，照录在 raw_label / raw_measure 字段中）。
   空白单元格存为空值（NULL），不当作0。第一部分“总体情况”中的数字按固定句式识别，
   并保存原句作为出处；未找到的数字不入库，不会以0代替。
3. **检查**：按模板的勾稽关系（如表三“第一项加第二项之和，等于第三项加第四项之和”）及报告自述的数字关系逐项核对，
   结果见“数据质量”页。报告自身不一致时，如实保存原数并标记，不作更正。
4. **载入**：写入新的数据库文件后整体替换，访问者不会看到载入一半的数据。
"""
)

st.subheader("如何加入新一年的报告（供工作人员）")
st.markdown("在服务器的项目目录中运行：")
st.code(
    "python -m etl check 新报告.txt        # 先检查：列出读到的数字、出处和勾稽检查结果，不改动任何数据\n"
    "python -m etl add 新报告.txt          # 校验通过后复制到 data/reports/ 并载入数据库\n"
    "python -m etl add 新报告.txt --replace  # 替换同一机关同一年度已载入的报告",
    language="bash",
)
