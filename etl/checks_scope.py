"""Validate step: what the prose states against the same count in a table.

The prose names its own subject (全市, 全区, 区政府办代表区政府, 本机关…) and the tables count
the reporting agency, so every check here is a warning (severity ``warning``), never an
error; both places are its evidence (template-reference.md, docs/prose-figures.md).
"""

from __future__ import annotations

from .check_text import cell_evidence, fmt, grid, not_assessable, row_key
from .model import WARNING, Check, DisclosureCell, Figure, Report, RequestCell, ReviewCell
from .template import (
    APPLICANT_TOTAL,
    OUTCOME_TOTAL,
    PROCEEDINGS,
    TABLE2_2019,
    TABLE2_2021,
    TABLE3_BY_CODE,
    TABLE3_CARRIED_IN,
    TABLE3_CARRIED_OUT,
    TABLE3_NEW,
    TABLE3_TOTAL,
)


def scope_checks(report: Report) -> list[Check]:
    """A count the prose states against the same count in a table.

    The two may differ in scope (the prose speaks of one office, the table of the whole
    agency), so a difference is a warning, not an error (template-reference.md)."""
    description = (
        f"依申请公开：正文所述受理申请数与表三“{row_key(TABLE3_NEW)}”总计对照"
        "（两者统计口径可能不同，如正文只计本级机关，不一致时为提示而非错误）"
    )
    prose = report.figure("requests", "received", topic="foi")
    cell = grid(report.foi_requests).get((TABLE3_NEW, APPLICANT_TOTAL))
    table = cell.value if cell else None
    evidence = "；".join(
        [*([f"正文：“{prose.evidence}”"] if prose else []), *([cell_evidence([cell])] if cell else [])]
    )
    passed = None
    if prose is None:
        description = not_assessable(description, "正文未写明受理申请数")
    elif table is None:
        description = not_assessable(description, f"表三“{row_key(TABLE3_NEW)}”总计为空白")
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
        evidence = "；".join([_prose_evidence(prose), *(_anycell_evidence(c) for c in found)])
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


def _anycell_evidence(c: RequestCell | ReviewCell | DisclosureCell) -> str:
    if isinstance(c, RequestCell):
        return cell_evidence([c])
    if isinstance(c, ReviewCell):
        return f"表四“{c.proceeding}·{c.outcome}”={fmt(c.value)}（第{c.source_line}行）"
    return f"表二“{c.content}”×“{c.measure}”={fmt(c.value)}（第{c.source_line}行）"
