"""The national report template, declared once as data.

Every row and column label of tables 二, 三 and 四 lives here, in its canonical
spelling (as ``template-reference.md`` writes it). Parsers match a report's own,
sometimes misprinted, labels against these declarations; nothing else in the
code base spells them out.
"""

from __future__ import annotations

from dataclasses import dataclass

# Words the template uses in several places (and reports' prose too): declared once.
TOTAL, OTHER, LICENSING = "总计", "其他", "行政许可"

# --- Sections -------------------------------------------------------------

SECTIONS: dict[str, str] = {
    "一": "总体情况",
    "二": "主动公开政府信息情况",
    "三": "收到和处理政府信息公开申请情况",
    "四": "政府信息公开行政复议、行政诉讼情况",
    "五": "存在的主要问题及改进情况",
    "六": "其他需要报告的事项",
}
# Words that make a line the heading of its section (reports reword the headings: 一、概述).
SECTION_WORDS: dict[str, tuple[str, ...]] = {
    "一": (SECTIONS["一"], "概述", "基本情况"),
    "二": ("主动公开",),
    "三": ("申请",),
    "四": ("行政复议", "行政诉讼"),
    "五": ("问题", "改进"),
    "六": (OTHER,),
}
TABLE_SECTIONS = ("二", "三", "四")
REQUIRED_SECTIONS = ("一", "二", "三", "四")

# --- Table 二 (proactive disclosure), 2019 format ---------------------------


@dataclass(frozen=True)
class DisclosureBlock:
    """One block of table 二: its item, its rows and its measure columns."""

    item: str  # 第二十条第（一）项
    number: str  # 一
    contents: tuple[str, ...]
    measures: tuple[str, ...]


TABLE2_2019: tuple[DisclosureBlock, ...] = (
    DisclosureBlock(
        "第二十条第（一）项",
        "一",
        ("规章", "规范性文件"),
        ("本年新制作数量", "本年新公开数量", "对外公开总数量"),
    ),
    DisclosureBlock(
        "第二十条第（五）项",
        "五",
        (LICENSING, "其他对外管理服务事项"),
        ("上一年项目数量", "本年增/减", "处理决定数量"),
    ),
    DisclosureBlock(
        "第二十条第（六）项",
        "六",
        ("行政处罚", "行政强制"),
        ("上一年项目数量", "本年增/减", "处理决定数量"),
    ),
    DisclosureBlock(
        "第二十条第（八）项",
        "八",
        ("行政事业性收费",),
        ("上一年项目数量", "本年增/减"),
    ),
    DisclosureBlock(
        "第二十条第（九）项",
        "九",
        ("政府集中采购",),
        ("采购项目数量", "采购总金额"),
    ),
)

TABLE2_2021: tuple[DisclosureBlock, ...] = (
    DisclosureBlock(
        "第二十条第（一）项",
        "一",
        ("规章", "行政规范性文件"),
        ("本年制发件数", "本年废止件数", "现行有效件数"),
    ),
    DisclosureBlock("第二十条第（五）项", "五", (LICENSING,), ("本年处理决定数量",)),
    DisclosureBlock("第二十条第（六）项", "六", ("行政处罚", "行政强制"), ("本年处理决定数量",)),
    DisclosureBlock("第二十条第（八）项", "八", ("行政事业性收费",), ("本年收费金额（单位：万元）",)),
)
TABLE2_FORMATS: dict[str, tuple[DisclosureBlock, ...]] = {"2019": TABLE2_2019, "2021": TABLE2_2021}
# The 2021 rule 7 (现行有效 carried forward): content codes for check ids.
IN_FORCE_CONTENTS: dict[str, str] = {"规章": "regulations", "行政规范性文件": "normative_documents"}
IN_FORCE, ISSUED, REPEALED = "现行有效件数", "本年制发件数", "本年废止件数"

# --- Table 三 (disclosure requests) -----------------------------------------

APPLICANTS: tuple[str, ...] = (
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    OTHER,
    TOTAL,
)
APPLICANT_PARTS = APPLICANTS[:-1]
APPLICANT_TOTAL = APPLICANTS[-1]


@dataclass(frozen=True)
class RequestRow:
    """One row of table 三. ``key`` is a short distinctive part of the label used
    for tolerant matching; ``parent`` is the code of the group row it sits under."""

    code: str
    label: str
    key: str
    parent: str | None = None
    is_group: bool = False  # a heading row with sub-rows and no cells of its own
    exact: bool = False  # match the key only as the whole label (short keys such as 其他)


TABLE3_2019: tuple[RequestRow, ...] = (
    RequestRow("1", "一、本年新收政府信息公开申请数量", "本年新收"),
    RequestRow("2", "二、上年结转政府信息公开申请数量", "上年结转"),
    RequestRow("3", "三、本年度办理结果", "本年度办理结果", is_group=True),
    RequestRow("3.1", "（一）予以公开", "予以公开", "3"),
    RequestRow("3.2", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "部分公开", "3"),
    RequestRow("3.3", "（三）不予公开", "不予公开", "3", is_group=True),
    RequestRow("3.3.1", "1.属于国家秘密", "国家秘密", "3.3"),
    RequestRow("3.3.2", "2.其他法律行政法规禁止公开", "其他法律行政", "3.3"),
    RequestRow("3.3.3", "3.危及“三安全一稳定”", "三安全一稳定", "3.3"),
    RequestRow("3.3.4", "4.保护第三方合法权益", "第三方合法权益", "3.3"),
    RequestRow("3.3.5", "5.属于三类内部事务信息", "内部事务", "3.3"),
    RequestRow("3.3.6", "6.属于四类过程性信息", "过程性信息", "3.3"),
    RequestRow("3.3.7", "7.属于行政执法案卷", "执法案卷", "3.3"),
    RequestRow("3.3.8", "8.属于行政查询事项", "查询事项", "3.3"),
    RequestRow("3.4", "（四）无法提供", "无法提供", "3", is_group=True),
    RequestRow("3.4.1", "1.本机关不掌握相关政府信息", "不掌握", "3.4"),
    RequestRow("3.4.2", "2.没有现成信息需要另行制作", "另行制作", "3.4"),
    RequestRow("3.4.3", "3.补正后申请内容仍不明确", "仍不明确", "3.4"),
    RequestRow("3.5", "（五）不予处理", "不予处理", "3", is_group=True),
    RequestRow("3.5.1", "1.信访举报投诉类申请", "信访举报投诉", "3.5"),
    RequestRow("3.5.2", "2.重复申请", "重复申请", "3.5"),
    RequestRow("3.5.3", "3.要求提供公开出版物", "公开出版物", "3.5"),
    RequestRow("3.5.4", "4.无正当理由大量反复申请", "大量反复", "3.5"),
    RequestRow("3.5.5", "5.要求行政机关确认或重新出具已获取信息", "重新出具", "3.5"),
    # （六）其他处理: one row (2019, and some 2021-era reports) or a heading over three (2021).
    RequestRow("3.6", "（六）其他处理", "其他处理", "3"),
    RequestRow(
        "3.6.1",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "逾期不补正",
        "3.6",
    ),
    RequestRow(
        "3.6.2",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "缴纳费用",
        "3.6",
    ),
    RequestRow("3.6.3", f"3.{OTHER}", OTHER, "3.6", exact=True),
    RequestRow("3.7", f"（七）{TOTAL}", TOTAL, "3"),
    RequestRow("4", "四、结转下年度继续办理", "结转下年度"),
)

TABLE3_BY_CODE: dict[str, RequestRow] = {r.code: r for r in TABLE3_2019}
# Rows whose cells hold numbers (group headings excluded), in the template's order.
TABLE3_CELL_ROWS: tuple[RequestRow, ...] = tuple(r for r in TABLE3_2019 if not r.is_group)
OTHER_HANDLING = "3.6"
OTHER_HANDLING_PARTS: tuple[str, ...] = ("3.6.1", "3.6.2", "3.6.3")


def table3_required(three_rows: bool) -> tuple[RequestRow, ...]:
    """The rows a complete table 三 has: （六） as one row, or as its three sub-rows."""
    drop = {OTHER_HANDLING} if three_rows else set(OTHER_HANDLING_PARTS)
    return tuple(r for r in TABLE3_CELL_ROWS if r.code not in drop)


# The parts that add up to （七）总计 (rule 2 of template-reference.md).
TABLE3_OUTCOME_PARTS: tuple[str, ...] = tuple(
    r.code for r in TABLE3_CELL_ROWS if r.code.startswith("3.") and r.code != "3.7"
)
TABLE3_NEW, TABLE3_CARRIED_IN, TABLE3_TOTAL, TABLE3_CARRIED_OUT = "1", "2", "3.7", "4"
TABLE3_DISCLOSED, TABLE3_WITHHELD = "3.1", "3.3"  # （一）予以公开; the group （三）不予公开
TABLE3_WITHHELD_ROWS: tuple[str, ...] = tuple(r.code for r in TABLE3_2019 if r.parent == TABLE3_WITHHELD)

# --- Table 四 (reconsideration and litigation) -------------------------------

PROCEEDINGS: tuple[str, ...] = ("行政复议", "未经复议直接起诉", "复议后起诉")
OUTCOMES: tuple[str, ...] = ("结果维持", "结果纠正", f"{OTHER}结果", "尚未审结", TOTAL)
OUTCOME_PARTS = OUTCOMES[:-1]
OUTCOME_TOTAL = OUTCOMES[-1]
TABLE4_HEADERS: tuple[str, ...] = ("行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉")
TABLE4_CELLS: tuple[tuple[str, str], ...] = tuple((p, o) for p in PROCEEDINGS for o in OUTCOMES)
