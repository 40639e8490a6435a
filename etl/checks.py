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

from .check_text import (  # noqa: F401  (re-exported: cli, store, dashboard)
    NOT_ASSESSABLE,
    cell_evidence,
    fmt,
    grid,
    not_assessable,
    reason_of,
    row_key,
)
from .checks_scope import prose_table_checks, scope_checks
from .figure_specs import FIGURE_LABELS
from .model import Check, Report
from .numbers import NUMBER, to_ascii
from .template import (
    APPLICANT_PARTS,
    APPLICANT_TOTAL,
    APPLICANTS,
    OUTCOME_PARTS,
    OUTCOME_TOTAL,
    PROCEEDINGS,
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


def _sum(values: Iterable[float | None]) -> float:
    return float(sum(v for v in values if v is not None))


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
    description += f"：{fmt(done.value)} ÷ {fmt(total.value)} = {done.value / total.value * 100:.4f}%"
    return Check(check_id, description, rate.value, actual, actual == rate.value, evidence)


# --- Table 三 -----------------------------------------------------------------


# Rule 1 of the template, in its rows' key words.
BALANCE = f"{row_key(TABLE3_NEW)} + {row_key(TABLE3_CARRIED_IN)} = 办理结果{APPLICANT_TOTAL} + {row_key(TABLE3_CARRIED_OUT)}"


def table3_checks(report: Report) -> list[Check]:
    by_cell = grid(report.foi_requests)
    if not by_cell:
        return []
    value = lambda r, a: by_cell[(r, a)].value if (r, a) in by_cell else None  # noqa: E731
    checks: list[Check] = []
    for applicant in APPLICANTS:
        code = APPLICANT_CODES[applicant]
        ins = [value(TABLE3_NEW, applicant), value(TABLE3_CARRIED_IN, applicant)]
        outs = [value(TABLE3_TOTAL, applicant), value(TABLE3_CARRIED_OUT, applicant)]
        cells = [
            by_cell.get((r, applicant))
            for r in (TABLE3_NEW, TABLE3_CARRIED_IN, TABLE3_TOTAL, TABLE3_CARRIED_OUT)
        ]
        description = f"表三“{applicant}”列：{BALANCE}（{BLANK_AS_ZERO}）"
        if all(v is None for v in ins + outs):
            chk = Check(
                f"t3.balance.{code}", not_assessable(description, "该列四个单元格均为空白"),
                None, None, None, cell_evidence(cells) or "该列四个单元格均为空白",
            )  # fmt: skip
        else:
            expected, actual = _sum(ins), _sum(outs)
            chk = Check(
                f"t3.balance.{code}", description, expected, actual, expected == actual, cell_evidence(cells)
            )
        checks.append(chk)
    for applicant in APPLICANTS:
        parts = [by_cell.get((r, applicant)) for r in TABLE3_OUTCOME_PARTS]
        total = by_cell.get((TABLE3_TOTAL, applicant))
        checks.append(
            sum_check(
                f"t3.outcomes_sum.{APPLICANT_CODES[applicant]}",
                f"表三“{applicant}”列：（一）至（六）各项之和 = （七）总计（{BLANK_AS_RULE}）",
                total.value if total else None,
                [p.value if p else None for p in parts],
                cell_evidence([total]) + "；各项之和见表三该列",
            )
        )
    present = {code for code, _ in by_cell}
    for row in (r for r in TABLE3_CELL_ROWS if r.code in present):
        parts = [by_cell.get((row.code, a)) for a in APPLICANT_PARTS]
        total = by_cell.get((row.code, APPLICANT_TOTAL))
        checks.append(
            sum_check(
                f"t3.applicants_sum.{row.code}",
                f"表三“{TABLE3_BY_CODE[row.code].label}”行：六类申请人之和 = 总计（{BLANK_AS_RULE}）",
                total.value if total else None,
                [p.value if p else None for p in parts],
                cell_evidence([total, *parts]),
            )
        )
    return checks


# --- Table 四 -----------------------------------------------------------------


def table4_checks(report: Report) -> list[Check]:
    by_cell = {(c.proceeding, c.outcome): c for c in report.review_litigation}
    checks = []
    for proceeding in PROCEEDINGS:
        if (proceeding, OUTCOME_TOTAL) not in by_cell:
            continue
        parts = [by_cell[(proceeding, o)] for o in OUTCOME_PARTS]
        total = by_cell[(proceeding, OUTCOME_TOTAL)]
        evidence = "；".join(
            f"表四“{c.proceeding}·{c.outcome}”={fmt(c.value)}（第{c.source_line}行）" for c in [*parts, total]
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
