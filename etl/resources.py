"""The database's tables and views, declared once (see :mod:`etl.fields`).

Each :class:`Resource` is one stored table in schema ``store`` and one published view
in ``main`` (the data contract, ``../shared/data-contract.md``); the few tables that are not
published (:mod:`etl.resources_internal`) have no view. Each :class:`Field` one
column: type, NULL or not, named by the contract or an extra, Chinese header, meaning.
``python -m etl docs`` writes ``docs/data-dictionary.md`` from these records and a test
fails when it is stale.
"""

from __future__ import annotations

from .fields import Field as F
from .fields import Resource
from .resources_internal import INTERNAL
from .resources_observatory import OBSERVATORY

REPORT_ID = F("report_id", "VARCHAR", "报告编号", "See `reports`.")
# The provenance of a table cell, the same in tables 二, 三 and 四.
RAW_VALUE = F(
    "raw_value",
    "VARCHAR",
    "原文单元格",
    "Cell text as printed, trimmed (`0`, `38,925,359`, `1件`); NULL for a blank cell.",
    nullable=True,
    contract=False,
)
CELL_LINE = F(
    "source_line", "INTEGER", "源文件行（段）", "Line of the cell in the source file.", contract=False
)

RESOURCES: tuple[Resource, ...] = (
    Resource(
        "reports",
        "已载入的报告",
        "one loaded annual report",
        (
            F(
                "report_id",
                "VARCHAR",
                "报告编号",
                "Stable id of the report: the source file's name without extension (`sichuan-center-2019`). Unique.",
                key=True,
            ),
            F(
                "agency",
                "VARCHAR",
                "机关",
                "The reporting agency, as named in the title (`四川省政务服务和资源交易服务中心`), or as an official supplied it (see `agency_source`). Where titles of one agency differ only by a place prefix (`洪泽区人民政府` / `淮安市洪泽区人民政府`), the fuller name is used for all its reports so that years pair up; `title` keeps what was printed.",
            ),
            F(
                "year",
                "INTEGER",
                "年度",
                "The year the report covers, from the title (`2019年` or `2019年度`), or as an official supplied it (see `year_source`). (`agency`, `year`) is unique.",
            ),
            F(
                "template",
                "VARCHAR",
                "表格格式",
                "The national table format the report follows: `2019` (国办公开办函〔2019〕60号), `2021` (〔2021〕30号) or `mixed`. Table 二's headers tell the format, block by block; table 三's （六）其他处理 printed as three sub-rows is 2021 only (2021-era reports may still print it as one row). Blocks of both formats, or a 2019 table 二 with a three-row （六）, give `mixed`.",
            ),
            F(
                "source_file",
                "VARCHAR",
                "源文件",
                "File name in `data/reports/` (`sichuan-center-2019.txt`).",
            ),
            F("source_sha256", "VARCHAR", "源文件SHA-256", "SHA-256 (hex) of the file's bytes, as stored."),
            F(
                "loaded_at",
                "TIMESTAMP",
                "载入时间",
                "Local time of the build or add that loaded the report, to the second. No time zone.",
            ),
            F(
                "title",
                "VARCHAR",
                "标题",
                "The report's title, as published: the first line (or two or three lines, joined) before the report's text that reads as `某年某机关政府信息公开工作年度报告` (the agency before or after the year; `2019年度`; `关于…的年度报告`). Page chrome before it (breadcrumbs, `来源：`, `发布日期：`, share buttons, `大 中 小`, `打印本页 关闭窗口`) and a web site's suffix after it (`_上海市人民政府`, ` - XX网`) are left out; a body sentence (`本年度报告根据《…条例》…编制`) is never a title. On a web page with no title in the body, the page's `<title>` stands in. Empty when the report prints no title and an official supplied both agency and year.",
                contract=False,
            ),
            F(
                "agency_source",
                "VARCHAR",
                "机关名称来源",
                'Where `agency` came from: `title` (read from the title) or `supplied` (given by an official with `etl check/add --agency` or on the import page, because the title has none or to correct it; a supplied value overrides the title). Kept beside the report file as `data/reports/NAME.meta.json` (`{"agency": …, "year": …, "source_sha256": …}`), so `etl build` reads the report the same way. Reports loaded before this column existed read `title`.',
                contract=False,
                added="'title'",
            ),
            F(
                "year_source",
                "VARCHAR",
                "年度来源",
                "Where `year` came from: `title` or `supplied` (`--year`, the import page's 年度), as `agency_source`.",
                contract=False,
                added="'title'",
            ),
            F(
                "unit_id",
                "VARCHAR",
                "单位编号",
                "The unit (see `units`) the report belongs to: the agency's canonical unit, whatever spelling the title printed (`title` keeps it). NULL only in databases built before units existed.",
                nullable=True,
                contract=False,
                added="NULL",
            ),
            F(
                "source_url",
                "VARCHAR",
                "原文网址",
                "Where the report was published, for a report fetched from an agency's site (`etl fetch`); NULL for a file placed in `data/reports/` by hand.",
                nullable=True,
                contract=False,
                added="NULL",
            ),
        ),
        constraints="UNIQUE (agency, year)",
        scope="reports",
    ),
    Resource(
        "figures",
        "正文数字（含原文出处）",
        "one figure stated in the prose",
        (
            REPORT_ID,
            F(
                "topic",
                "VARCHAR",
                "主题",
                "Subject area: `trading`, `approvals`, `hotline`, `website`, `publicity`, `foi`.",
            ),
            F("metric", "VARCHAR", "指标", "What is counted (see the list below)."),
            F(
                "category",
                "VARCHAR",
                "类别",
                "Which part of it (see the list below); `total` where there is no split.",
            ),
            F(
                "value",
                "DOUBLE",
                "数值",
                "The number. For an approximate figure it is the stated bound (`1230余篇` is 1230).",
            ),
            F(
                "unit",
                "VARCHAR",
                "单位",
                "The report's own unit: `条`, `件`, `次`, `篇`, `%` (also `元`, `万元` for money).",
            ),
            F(
                "approx",
                "BOOLEAN",
                "是否约数",
                "True when the report gives a bound, not a count: a bound word before the number (`约`, `近`, `超过`) or after it (`余`, `多`, `以上`).",
            ),
            F(
                "evidence",
                "VARCHAR",
                "原文出处",
                "The exact sentence of the report the figure was read from (cut after `。！？!?`), unchanged: full-width digits, thousands separators and spaces stay as printed. Search the source file for it.",
            ),
            F(
                "raw_text",
                "VARCHAR",
                "原文数字",
                "The number as printed, with its bound word and unit: `487988条`, `1230余篇`, `85.51 %`, `２７２０６４条`, `119,172条`.",
                contract=False,
            ),
            F(
                "section",
                "VARCHAR",
                "所在章节",
                "Canonical name of the section it was found in (`一、总体情况`).",
                contract=False,
            ),
            F(
                "source_line",
                "INTEGER",
                "源文件行（段）",
                "Line of the source file (the paragraph) holding the sentence.",
                contract=False,
            ),
        ),
    ),
    Resource(
        "active_disclosure",
        "表二 主动公开",
        "one cell of table 二 (主动公开政府信息情况)",
        (
            REPORT_ID,
            F(
                "item",
                "VARCHAR",
                "条目",
                "The block: `第二十条第（一）项`, `第二十条第（五）项`, `第二十条第（六）项`, `第二十条第（八）项`, `第二十条第（九）项` (2019 format only).",
            ),
            F(
                "content",
                "VARCHAR",
                "信息内容",
                "Canonical row label (信息内容). 2019: 规章, 规范性文件, 行政许可, 其他对外管理服务事项, 行政处罚, 行政强制, 行政事业性收费, 政府集中采购. 2021: 规章, 行政规范性文件, 行政许可, 行政处罚, 行政强制, 行政事业性收费.",
            ),
            F(
                "measure",
                "VARCHAR",
                "统计项",
                "Canonical column label: 本年新制作数量, 本年新公开数量, 对外公开总数量 (block 一); 上一年项目数量, 本年增/减, 处理决定数量 (blocks 五, 六); 上一年项目数量, 本年增/减 (block 八); 采购项目数量, 采购总金额 (block 九). 2021 format: 本年制发件数, 本年废止件数, 现行有效件数 (block 一); 本年处理决定数量 (blocks 五, 六); 本年收费金额（单位：万元） (block 八). The seed prints `本年增` where the format says `本年增/减`: the view says `本年增/减`.",
            ),
            F(
                "value",
                "DOUBLE",
                "数值",
                "The cell; NULL when blank. A count, except `采购总金额`, which is an amount of money stored as printed. The 2019 seed prints 38925359 with no unit.",
                nullable=True,
            ),
            F("raw_content", "VARCHAR", "原文信息内容", "Row label as printed.", contract=False),
            F(
                "raw_measure",
                "VARCHAR",
                "原文统计项",
                "Column label as printed (a header wrapped over two lines is joined: `本年新` + `制作数量`).",
                contract=False,
            ),
            RAW_VALUE,
            F(
                "item_order",
                "INTEGER",
                "条目顺序",
                "Order of the block in its format, 1–5 (2019) or 1–4 (2021).",
                contract=False,
            ),
            F("row_order", "INTEGER", "行顺序", "Order of the row inside its block, from 1.", contract=False),
            F(
                "col_order",
                "INTEGER",
                "列顺序",
                "Order of the column inside its block, from 1.",
                contract=False,
            ),
            CELL_LINE,
        ),
    ),
    Resource(
        "foi_requests",
        "表三 依申请公开",
        "one cell of table 三 (收到和处理政府信息公开申请情况)",
        (
            REPORT_ID,
            F("row_code", "VARCHAR", "行代码", "Stable short code of the row (scheme below)."),
            F(
                "row_label",
                "VARCHAR",
                "项目",
                "Canonical row label, e.g. `（二）部分公开（区分处理的，只计这一情形，不计其他情形）`. The seed misprints `自己这一情形`.",
            ),
            F(
                "parent_label",
                "VARCHAR",
                "所属分组",
                "Canonical label of the group row the row sits under (`三、本年度办理结果`, `（三）不予公开`, `（四）无法提供`, `（五）不予处理`, and `（六）其他处理` for its 2021 sub-rows). NULL for the top-level rows 1, 2 and 4.",
                nullable=True,
                contract=False,
            ),
            F(
                "applicant",
                "VARCHAR",
                "申请人类别",
                "The column: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他 (the last five are the parts of 法人或其他组织), 总计.",
            ),
            F(
                "value",
                "DOUBLE",
                "数值",
                "Number of requests; NULL when blank. In the 2019 seed, 115 of the 161 cells are blank (NBSP only).",
                nullable=True,
            ),
            F("raw_label", "VARCHAR", "原文项目", "Row label as printed.", contract=False),
            RAW_VALUE,
            F(
                "row_order",
                "INTEGER",
                "行顺序",
                "Order of the row in the report's table, 1–23, or 1–25 when （六） has three sub-rows (group rows excluded).",
                contract=False,
            ),
            F("col_order", "INTEGER", "列顺序", "Order of the column, 1–7 (自然人 … 总计).", contract=False),
            CELL_LINE,
        ),
    ),
    Resource(
        "review_litigation",
        "表四 行政复议与诉讼",
        "one cell of table 四 (行政复议、行政诉讼)",
        (
            REPORT_ID,
            F(
                "proceeding",
                "VARCHAR",
                "类别",
                "行政复议 (administrative reconsideration), 未经复议直接起诉 (a lawsuit filed without reconsideration), 复议后起诉 (a lawsuit filed after reconsideration).",
            ),
            F("outcome", "VARCHAR", "结果", "结果维持, 结果纠正, 其他结果, 尚未审结, 总计."),
            F("value", "DOUBLE", "数值", "Number of cases; NULL when blank.", nullable=True),
            RAW_VALUE,
            F(
                "col_order",
                "INTEGER",
                "列顺序",
                "1–15, the order of the fifteen cells in the printed row.",
                contract=False,
            ),
            CELL_LINE,
        ),
    ),
    Resource(
        "texts",
        "文字条目（问题与改进、不满意问题等）",
        "one listed item of prose",
        (
            REPORT_ID,
            F("kind", "VARCHAR", "类型", "What the item is (below)."),
            F("seq", "INTEGER", "序号", "Order of the item within its report and kind, from 1."),
            F("text", "VARCHAR", "文字", "The item as printed (trimmed)."),
            F(
                "section",
                "VARCHAR",
                "所在章节",
                "Canonical name of the section it comes from.",
                contract=False,
            ),
        ),
    ),
    Resource(
        "checks",
        "勾稽关系检查",
        "one consistency check (勾稽关系) on one report",
        (
            REPORT_ID,
            F("check_id", "VARCHAR", "检查代码", "Which rule, and on what (list below). Unique per report."),
            F(
                "description",
                "VARCHAR",
                "检查内容",
                "The rule in plain Chinese. It says when blank cells count as 0, and why a check could not be assessed.",
            ),
            F("expected", "DOUBLE", "应为", "The value the report states (usually a total).", nullable=True),
            F("actual", "DOUBLE", "实际", "The value recomputed from the report's parts.", nullable=True),
            F(
                "passed",
                "BOOLEAN",
                "是否通过",
                "True when `expected` = `actual`, false when they differ. **NULL when the rule cannot be assessed**: a stated total is blank, every part of a sum is blank, or a figure it needs is not in the report; the description then ends with `（无法评估：why）`.",
                nullable=True,
            ),
            F(
                "kind",
                "VARCHAR",
                "类型",
                "`within` (one report) or `across` (two consecutive years of one agency).",
                contract=False,
            ),
            F(
                "severity",
                "VARCHAR",
                "严重程度",
                "`error`: a failure means the report contradicts itself. `warning`: the two sides may count in different scopes (a prose figure about one office vs a table about the whole agency), so a failure is shown as 口径提示, not as an inconsistency. Only the `scope.*` checks are warnings.",
                contract=False,
            ),
            F(
                "evidence",
                "VARCHAR",
                "依据（原文或单元格）",
                "Where the compared values are. For prose checks, the figures' sentences joined by ` / `. For table checks, the cells as `表三“row”×“applicant”=value（第N行）`, joined by `；`.",
                contract=False,
            ),
        ),
        report_note="The report the check is about. An across-years check belongs to the later year.",
    ),
    *OBSERVATORY,
)
BY_NAME: dict[str, Resource] = {r.name: r for r in RESOURCES}
REPORTS = BY_NAME["reports"]
# Every table of schema ``store``: the published ones, then the internal ones (no view).
STORED: tuple[Resource, ...] = (*RESOURCES, *INTERNAL)
# The tables of one report's rows (deleted with it).
PART_TABLES = tuple(r.name for r in STORED if r.per_report)
# The tables the loader fills from parsed reports, in order.
LOADED = tuple(r for r in RESOURCES if r.scope in ("reports", "part"))
