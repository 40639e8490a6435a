"""Validate step: the report's own consistency rules (勾稽关系).

Each check stores what it compares, the expected and the actual value, and
passed: True, False, or None when it cannot be assessed (the stated total is
blank, or a figure was not found). A blank part counts as 0 in a sum, and the
description says so. Nothing here changes a figure. A failed check is an error
(the report contradicts itself), except where prose and table may count in
different scopes: that is a warning (severity ``warning``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .figure_specs import FIGURE_LABELS
from .formatting import number
from .model import WARNING, Check, DisclosureCell, Figure, Report, RequestCell, ReviewCell
from .numbers import NUMBER, to_ascii
from .template import (
    APPLICANT_PARTS,
    APPLICANT_TOTAL,
    APPLICANTS,
    OUTCOME_PARTS,
    OUTCOME_TOTAL,
    PROCEEDINGS,
    TABLE2_2019,
    TABLE2_2021,
    TABLE3_BY_CODE,
    TABLE3_CARRIED_IN,
    TABLE3_CARRIED_OUT,
    TABLE3_CELL_ROWS,
    TABLE3_NEW,
    TABLE3_OUTCOME_PARTS,
    TABLE3_TOTAL,
)
from .vocabulary import TRADING_CATEGORIES

APPLICANT_CODES: dict[str, str] = dict(
    zip(
        APPLICANTS,
        ("natural_person", "business", "research", "public_interest", "legal_services", "other", "total"), strict=False,
    )
)  # fmt: skip
PROCEEDING_CODES: dict[str, str] = dict(
    zip(PROCEEDINGS, ("reconsideration", "direct_suit", "suit_after_reconsideration"), strict=False)
)
BLANK_AS_ZERO = "空白单元格按0计"
# The rule of every sum check: blanks are 0 unless nothing but the total is filled.
BLANK_AS_RULE = f"{BLANK_AS_ZERO}；总计空白或分项全部空白则无法评估"


def _fmt(v: float | None) -> str:
    return number(v, blank="空白")


def _sum(values: Iterable[float | None]) -> float:
    return float(sum(v for v in values if v is not None))


def not_assessable(description: str, reason: str) -> str:
    """A check's description with why it could not be assessed (shown on 数据质量 and by ``etl check``)."""
    return f"{description}（{NOT_ASSESSABLE}：{reason}）"


NOT_ASSESSABLE = "无法评估"
_REASON = re.compile(rf"（{NOT_ASSESSABLE}：([^（）]*)）$")


def reason_of(description: str) -> str | None:
    """Why a check could not be assessed, as ``not_assessable`` wrote it (None if it does not say)."""
    m = _REASON.search(description)
    return m.group(1) if m else None


PARTS_ALL_BLANK = "分项均为空白"
TOTAL_BLANK = "总计为空白"


def sum_check(
    check_id: str,
    description: str,
    total: float | None,
    parts: list[float | None],
    evidence: str,
) -> Check:
    """parts add up to total.

    Not assessable when the total is blank, or when every part is blank: many
    agencies leave whole columns blank (e.g. 总计 on table 三's result rows),
    and a blank is not a stated 0. When only some parts are blank they count as
    0, and the description says how many did.
    """
    blanks = sum(1 for p in parts if p is None)
    if blanks == len(parts):
        reason = PARTS_ALL_BLANK if total is not None else f"{TOTAL_BLANK}，{PARTS_ALL_BLANK}"
        return Check(check_id, not_assessable(description, reason), total, None, None, evidence)
    actual = _sum(parts)
    if total is None:
        return Check(check_id, not_assessable(description, TOTAL_BLANK), None, actual, None, evidence)
    if blanks:
        description += f"（其中{blanks}个空白分项按0计）"
    return Check(check_id, description, total, actual, actual == total, evidence)


# --- Prose relations -----------------------------------------------------------


def _figure_sum_check(
    report: Report, check_id: str, description: str, total_key: tuple, part_keys: list[tuple]
) -> Check | None:
    total = report.figure(*total_key[1:], topic=total_key[0])
    parts = [report.figure(*k[1:], topic=k[0]) for k in part_keys]
    found = [f for f in [total, *parts] if f is not None]
    if not found:  # the report speaks of none of it (a city government has no trading notices)
        return None
    evidence = " / ".join(dict.fromkeys(f.evidence for f in found)) or "报告中未找到相关数字"
    if total is None or any(p is None for p in parts):
        missing = [
            FIGURE_LABELS[k]
            for k, f in zip([total_key, *part_keys], [total, *parts], strict=False)
            if f is None
        ]
        return Check(
            check_id,
            not_assessable(description, f"未找到{'、'.join(missing)}"),
            total.value if total else None,
            None,
            None,
            evidence,
        )
    actual = float(sum(p.value for p in parts))
    return Check(check_id, description, total.value, actual, actual == total.value, evidence)


TRADING_PARTS = [("trading", "notices", c.key) for c in TRADING_CATEGORIES]


def prose_checks(report: Report) -> list[Check]:
    checks: list[Check | None] = [
        _figure_sum_check(
            report,
            "prose.trading_categories_sum",
            f"交易信息：{len(TRADING_PARTS)}个类别（{'、'.join(c.label for c in TRADING_CATEGORIES)}）之和应等于发布总数",
            ("trading", "notices", "total"),
            TRADING_PARTS,
        ),
        _figure_sum_check(
            report,
            "prose.hotline_channels_sum",
            "12345热线：热线电话 + 网络留言应等于受理诉求总数（国家平台承办件已含在渠道内）",
            ("hotline", "cases", "total"),
            [("hotline", "cases", "phone"), ("hotline", "cases", "online")],
        ),
        _figure_sum_check(
            report,
            "prose.hotline_handling_sum",
            "12345热线：直接办理 + 转交部门办理应等于受理诉求总数",
            ("hotline", "cases", "total"),
            [("hotline", "handling", "direct"), ("hotline", "handling", "transferred")],
        ),
    ]
    checks.append(_rate_check(report))
    return [c for c in checks if c is not None]


def _rate_check(report: Report) -> Check | None:
    check_id = "prose.hotline_completion_rate"
    rate = report.figure("rate", "transferred_completion", topic="hotline")
    done = report.figure("handling", "transferred_completed", topic="hotline")
    total = report.figure("handling", "transferred", topic="hotline")
    description = "12345热线：所述办结率应等于 已办结 ÷ 转交办理 ×100%（按报告的小数位数取舍）"
    if rate is None and done is None and total is None:
        return None
    evidence = (
        " / ".join(dict.fromkeys(f.evidence for f in (rate, done, total) if f)) or "报告中未找到相关数字"
    )
    if rate is None or done is None or total is None or total.value == 0:
        return Check(
            check_id,
            not_assessable(description, "缺少数字"),
            rate.value if rate else None,
            None,
            None,
            evidence,
        )
    # The precision the report states the rate to: "91.75%", "91.75 %", "９１．７５％" → 2.
    written = re.search(NUMBER, to_ascii(rate.raw_text))
    digits = written.group() if written else ""
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    actual = round(done.value / total.value * 100, decimals)
    description += f"：{_fmt(done.value)} ÷ {_fmt(total.value)} = {done.value / total.value * 100:.4f}%"
    return Check(check_id, description, rate.value, actual, actual == rate.value, evidence)


# --- Prose against tables: scope warnings ------------------------------------


def scope_checks(report: Report) -> list[Check]:
    """A count the prose states against the same count in a table.

    The two may differ in scope (the prose speaks of one office, the table of the whole
    agency), so a difference is a warning, not an error (template-reference.md)."""
    description = (
        f"依申请公开：正文所述受理申请数与表三“{_key(TABLE3_NEW)}”总计对照"
        "（两者统计口径可能不同，如正文只计本级机关，不一致时为提示而非错误）"
    )
    prose = report.figure("requests", "received", topic="foi")
    cell = _grid(report.foi_requests).get((TABLE3_NEW, APPLICANT_TOTAL))
    table = cell.value if cell else None
    evidence = "；".join(
        [*([f"正文：“{prose.evidence}”"] if prose else []), *([_cell_evidence([cell])] if cell else [])]
    )
    passed = None
    if prose is None:
        description = not_assessable(description, "正文未写明受理申请数")
    elif table is None:
        description = not_assessable(description, f"表三“{_key(TABLE3_NEW)}”总计为空白")
    else:
        passed = prose.value == table
    return [
        Check(
            "scope.foi_requests_received",
            description,
            table,
            prose.value if prose else None,
            passed,
            evidence or "报告中未找到相关数字",
            severity=WARNING,
        )
    ]


# What the prose states against the table cells holding the same count: (check id, figure
# key, what it is, the cells summed, by their template codes; or several such choices, the
# first the report has). Table 二's normative documents: the 2021 block 一's 行政规范性文件 ×
# 本年制发件数 / 本年废止件数, else the 2019 规范性文件 × 本年新制作数量.
_DOCS_2021, _DOCS_2019 = TABLE2_2021[0], TABLE2_2019[0]
Place = tuple[str, str, str]  # (table, row code or label, column)
PROSE_TABLE_PAIRS: tuple[tuple[str, tuple[str, str, str], str, tuple[tuple[Place, ...], ...]], ...] = (
    ("scope.foi_requests_completed", ("foi", "requests", "completed"), "办结（答复）申请数",
     ((("三", TABLE3_TOTAL, APPLICANT_TOTAL),),)),
    ("scope.foi_requests_carried_in", ("foi", "requests", "carried_in"), "上年结转申请数",
     ((("三", TABLE3_CARRIED_IN, APPLICANT_TOTAL),),)),
    ("scope.foi_requests_carried_over", ("foi", "requests", "carried_over"), "结转下年度申请数",
     ((("三", TABLE3_CARRIED_OUT, APPLICANT_TOTAL),),)),
    ("scope.foi_reviews", ("foi", "reviews", "total"), "政府信息公开行政复议数",
     ((("四", PROCEEDINGS[0], OUTCOME_TOTAL),),)),
    ("scope.foi_lawsuits", ("foi", "lawsuits", "total"), "政府信息公开行政诉讼数",
     ((("四", PROCEEDINGS[1], OUTCOME_TOTAL), ("四", PROCEEDINGS[2], OUTCOME_TOTAL)),)),
    ("scope.normative_documents_issued", ("foi", "normative_documents", "issued"), "制发规范性文件数",
     ((("二", _DOCS_2021.contents[1], _DOCS_2021.measures[0]),),
      (("二", _DOCS_2019.contents[1], _DOCS_2019.measures[0]),))),
    ("scope.normative_documents_repealed", ("foi", "normative_documents", "repealed"), "废止规范性文件数",
     ((("二", _DOCS_2021.contents[1], _DOCS_2021.measures[1]),),)),
)  # fmt: skip


def prose_table_checks(report: Report) -> list[Check]:
    """Each count the prose states against the table cells that hold it (received is
    ``scope_checks``'s). Emitted only where the prose states the count.

    Every one is a warning, never an error: the prose names its own subject (全市, 全区,
    区政府办代表区政府, 本机关…) and the tables count the reporting agency, and the
    parser cannot tell that the two are surely one scope (Hongze 2024: the prose's 17
    requests are the district office's, the table's 95 the district's). Both places are
    the evidence, for the official who can tell.
    """
    cells = _cells_by_place(report)
    checks = []
    for check_id, key, what, choices in PROSE_TABLE_PAIRS:
        prose = report.figure(key[1], key[2], topic=key[0])
        if prose is None:
            continue
        places = next((c for c in choices if all(p in cells for p in c)), choices[0])
        found = [cells[p] for p in places if p in cells]
        names = " + ".join(_place_name(p) for p in places)
        description = f"{what}：正文所述与{names}对照（两者统计口径可能不同，不一致时为提示而非错误）"
        values = [c.value for c in found]
        evidence = "；".join([_prose_evidence(prose), *(_any_cell_evidence(c) for c in found)])
        table, passed = None, None
        if len(found) < len(places):
            description = not_assessable(description, f"未找到{names}")
        elif any(v is None for v in values):
            description = not_assessable(description, f"{names}为空白")
        else:
            table = float(sum(v for v in values if v is not None))
            passed = prose.value == table
        checks.append(Check(check_id, description, table, prose.value, passed, evidence, severity=WARNING))
    return checks


def _cells_by_place(report: Report) -> dict[Place, RequestCell | ReviewCell | DisclosureCell]:
    places: dict[Place, RequestCell | ReviewCell | DisclosureCell] = {}
    places.update({("三", c.row_code, c.applicant): c for c in report.foi_requests})
    places.update({("四", c.proceeding, c.outcome): c for c in report.review_litigation})
    places.update({("二", c.content, c.measure): c for c in report.active_disclosure})
    return places


def _place_name(place: Place) -> str:
    table, row, column = place
    label = TABLE3_BY_CODE[row].key if table == "三" else row
    return f"表{table}“{label}”×“{column}”"


def _prose_evidence(f: Figure) -> str:
    return f"正文（{f.section}，第{f.source_line}行）：“{f.evidence}”"


def _any_cell_evidence(c: RequestCell | ReviewCell | DisclosureCell) -> str:
    if isinstance(c, RequestCell):
        return _cell_evidence([c])
    if isinstance(c, ReviewCell):
        return f"表四“{c.proceeding}·{c.outcome}”={_fmt(c.value)}（第{c.source_line}行）"
    return f"表二“{c.content}”×“{c.measure}”={_fmt(c.value)}（第{c.source_line}行）"


# --- Table 三 -----------------------------------------------------------------


def _grid(cells: list[RequestCell]) -> dict[tuple[str, str], RequestCell]:
    return {(c.row_code, c.applicant): c for c in cells}


def _cell_evidence(cells: list[RequestCell | None]) -> str:
    parts = []
    for c in cells:
        if c is not None:
            parts.append(f"表三“{c.row_label}”×“{c.applicant}”={_fmt(c.value)}（第{c.source_line}行）")
    return "；".join(parts)


def _key(code: str) -> str:
    """A row of table 三 named by its key words (本年新收, 上年结转, 结转下年度)."""
    return TABLE3_BY_CODE[code].key


# Rule 1 of the template, in its rows' key words.
BALANCE = (
    f"{_key(TABLE3_NEW)} + {_key(TABLE3_CARRIED_IN)} = 办理结果{APPLICANT_TOTAL} + {_key(TABLE3_CARRIED_OUT)}"
)


def table3_checks(report: Report) -> list[Check]:
    grid = _grid(report.foi_requests)
    if not grid:
        return []
    value = lambda r, a: grid[(r, a)].value if (r, a) in grid else None  # noqa: E731
    checks: list[Check] = []
    for applicant in APPLICANTS:
        code = APPLICANT_CODES[applicant]
        ins = [value(TABLE3_NEW, applicant), value(TABLE3_CARRIED_IN, applicant)]
        outs = [value(TABLE3_TOTAL, applicant), value(TABLE3_CARRIED_OUT, applicant)]
        cells = [
            grid.get((r, applicant))
            for r in (TABLE3_NEW, TABLE3_CARRIED_IN, TABLE3_TOTAL, TABLE3_CARRIED_OUT)
        ]
        description = f"表三“{applicant}”列：{BALANCE}（{BLANK_AS_ZERO}）"
        if all(v is None for v in ins + outs):
            chk = Check(
                f"t3.balance.{code}", not_assessable(description, "该列四个单元格均为空白"),
                None, None, None, _cell_evidence(cells) or "该列四个单元格均为空白",
            )  # fmt: skip
        else:
            expected, actual = _sum(ins), _sum(outs)
            chk = Check(
                f"t3.balance.{code}", description, expected, actual, expected == actual, _cell_evidence(cells)
            )
        checks.append(chk)
    for applicant in APPLICANTS:
        parts = [grid.get((r, applicant)) for r in TABLE3_OUTCOME_PARTS]
        total = grid.get((TABLE3_TOTAL, applicant))
        checks.append(
            sum_check(
                f"t3.outcomes_sum.{APPLICANT_CODES[applicant]}",
                f"表三“{applicant}”列：（一）至（六）各项之和 = （七）总计（{BLANK_AS_RULE}）",
                total.value if total else None,
                [p.value if p else None for p in parts],
                _cell_evidence([total]) + "；各项之和见表三该列",
            )
        )
    present = {code for code, _ in grid}
    for row in (r for r in TABLE3_CELL_ROWS if r.code in present):
        parts = [grid.get((row.code, a)) for a in APPLICANT_PARTS]
        total = grid.get((row.code, APPLICANT_TOTAL))
        checks.append(
            sum_check(
                f"t3.applicants_sum.{row.code}",
                f"表三“{TABLE3_BY_CODE[row.code].label}”行：六类申请人之和 = 总计（{BLANK_AS_RULE}）",
                total.value if total else None,
                [p.value if p else None for p in parts],
                _cell_evidence([total, *parts]),
            )
        )
    return checks


# --- Table 四 -----------------------------------------------------------------


def table4_checks(report: Report) -> list[Check]:
    grid = {(c.proceeding, c.outcome): c for c in report.review_litigation}
    checks = []
    for proceeding in PROCEEDINGS:
        if (proceeding, OUTCOME_TOTAL) not in grid:
            continue
        parts = [grid[(proceeding, o)] for o in OUTCOME_PARTS]
        total = grid[(proceeding, OUTCOME_TOTAL)]
        evidence = "；".join(
            f"表四“{c.proceeding}·{c.outcome}”={_fmt(c.value)}（第{c.source_line}行）"
            for c in [*parts, total]
        )
        checks.append(
            sum_check(
                f"t4.block_sum.{PROCEEDING_CODES[proceeding]}",
                f"表四“{proceeding}”：{' + '.join(OUTCOME_PARTS)} = {OUTCOME_TOTAL}（{BLANK_AS_RULE}）",
                total.value,
                [p.value for p in parts],
                evidence,
            )
        )
    return checks


def run_checks(report: Report) -> list[Check]:
    """All within-report checks, in a stable order."""
    return (
        prose_checks(report)
        + scope_checks(report)
        + prose_table_checks(report)
        + table3_checks(report)
        + table4_checks(report)
    )
