"""Indicators (rates) of a report, declared once as records: the SQL that computes the
``indicators`` table, the data dictionary, the pages and the downloads all come from here.

A rate is numerator ÷ denominator × 100, each a sum of table cells (table 三's 总计
column, or table 四's cells). The formats of 2019 and 2021 print these rows alike, so
every indicator below compares across them (``comparable``). Faithful to the report: a
blank or zero denominator gives NULL with the reason, never 0; blank cells count as 0
only beside filled ones, as in the checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from .template import (
    APPLICANT_TOTAL,
    OUTCOME_TOTAL,
    OUTCOMES,
    PROCEEDINGS,
    TABLE3_BY_CODE,
    TABLE3_CARRIED_IN,
    TABLE3_CARRIED_OUT,
    TABLE3_DISCLOSED,
    TABLE3_NEW,
    TABLE3_TOTAL,
    TABLE3_WITHHELD_ROWS,
)

FOI, REVIEW = "foi_requests", "review_litigation"
CORRECTED = OUTCOMES[1]  # 结果纠正
REVIEW_PROCEEDING, SUITS = PROCEEDINGS[0], PROCEEDINGS[1:]
UNABLE_ROWS: tuple[str, ...] = tuple(code for code, row in TABLE3_BY_CODE.items() if row.parent == "3.4")
PARTLY_DISCLOSED = "3.2"

# Why a value is NULL (the ``null_reason`` column).
NO_CELLS = "报告中没有这些单元格"
DENOMINATOR_BLANK = "分母单元格均为空白"
DENOMINATOR_ZERO = "分母为0"
NUMERATOR_BLANK = "分子单元格均为空白"


@dataclass(frozen=True)
class Term:
    """A sum of cells: table 三 rows (by code, 总计 column) or table 四 cells (proceeding, outcome)."""

    table: str
    cells: tuple[tuple[str, str], ...]  # (row code, 总计) or (proceeding, outcome)

    @property
    def text(self) -> str:
        """The sum in the template's words: ``（一）予以公开 + （二）部分公开``; a group's label
        (``（三）不予公开``) where the term is every sub-row of that group."""
        if self.table != FOI:
            return " + ".join(f"{p}{o}" for p, o in self.cells)
        codes = [code for code, _ in self.cells]
        parent = TABLE3_BY_CODE[codes[0]].parent
        group = [c for c, row in TABLE3_BY_CODE.items() if row.parent == parent and parent != "3"]
        if parent is not None and codes == group:
            return TABLE3_BY_CODE[parent].label
        return " + ".join(TABLE3_BY_CODE[c].label.split("（区分处理")[0] for c in codes)


def rows(*codes: str) -> Term:
    return Term(FOI, tuple((code, APPLICANT_TOTAL) for code in codes))


def cells(*pairs: tuple[str, str]) -> Term:
    return Term(REVIEW, pairs)


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str  # Chinese
    numerator: Term
    denominator: Term
    meaning: str  # Chinese, as the pages and the dictionary show it
    better: str | None = None  # "higher" or "lower": which way ranks first; None when neither is better
    comparable: bool = True  # the same cells in the 2019 and 2021 formats
    unit: str = "%"

    @property
    def formula(self) -> str:
        table = "表三“总计”列" if self.numerator.table == FOI else "表四"
        num, den = (f"（{t.text}）" if len(t.cells) > 1 and " + " in t.text else t.text
                    for t in (self.numerator, self.denominator))  # fmt: skip
        return f"{table}：{num} ÷ {den} × 100%"


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "disclosed_rate",
        "予以公开率",
        rows(TABLE3_DISCLOSED),
        rows(TABLE3_TOTAL),
        "本年度办理结果中，全部予以公开的申请所占比例。",
        better="higher",
    ),
    Indicator(
        "substantive_disclosed_rate",
        "实质公开率",
        rows(TABLE3_DISCLOSED, PARTLY_DISCLOSED),
        rows(TABLE3_TOTAL),
        "本年度办理结果中，申请人得到所申请信息（全部或部分公开）的申请所占比例。",
        better="higher",
    ),
    Indicator(
        "not_disclosed_rate",
        "不予公开率",
        rows(*TABLE3_WITHHELD_ROWS),
        rows(TABLE3_TOTAL),
        "本年度办理结果中，不予公开（八种情形合计）的申请所占比例。",
        better="lower",
    ),
    Indicator(
        "unable_rate",
        "无法提供率",
        rows(*UNABLE_ROWS),
        rows(TABLE3_TOTAL),
        "本年度办理结果中，无法提供（本机关不掌握、需另行制作、补正后仍不明确）的申请所占比例。",
    ),
    Indicator(
        "carry_over_rate",
        "结转率",
        rows(TABLE3_CARRIED_OUT),
        rows(TABLE3_NEW, TABLE3_CARRIED_IN),
        "本年度须办理的申请（本年新收 + 上年结转）中，年底仍未办结、结转下年度的比例。",
        better="lower",
    ),
    Indicator(
        "review_corrected_rate",
        "复议纠正率",
        cells((REVIEW_PROCEEDING, CORRECTED)),
        cells((REVIEW_PROCEEDING, OUTCOME_TOTAL)),
        "政府信息公开行政复议案件中，结果为纠正的比例。",
        better="lower",
    ),
    Indicator(
        "litigation_corrected_rate",
        "诉讼纠正率",
        cells(*((s, CORRECTED) for s in SUITS)),
        cells(*((s, OUTCOME_TOTAL) for s in SUITS)),
        "政府信息公开行政诉讼案件（未经复议直接起诉与复议后起诉合计）中，结果为纠正的比例。",
        better="lower",
    ),
)
BY_ID: dict[str, Indicator] = {i.id: i for i in INDICATORS}


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _terms_values() -> str:
    """(indicator, part, table, key, outcome) for every cell of every term, as SQL VALUES."""
    out = []
    for ind in INDICATORS:
        for part, term in (("num", ind.numerator), ("den", ind.denominator)):
            out += [
                f"({_quote(ind.id)}, '{part}', {_quote(term.table)}, {_quote(k)}, {_quote(o)})"
                for k, o in term.cells
            ]
    return ", ".join(out)


def _records_values() -> str:
    return ", ".join(
        f"({_quote(i.id)}, {_quote(i.name)}, {str(i.comparable).upper()}, {n})"
        for n, i in enumerate(INDICATORS)
    )


# Every report × indicator: the sums of its terms' cells, then the rate or the reason it has none.
# A term's sum is NULL when none of its cells holds a number; ``present`` counts the cells printed.
REFRESH_SQL = f"""
INSERT INTO store.indicators (report_id, unit_id, indicator, value, numerator, denominator,
                              null_reason, name, comparable)
WITH terms(indicator, part, tbl, k, o) AS (VALUES {_terms_values()}),
records(indicator, name, comparable, ord) AS (VALUES {_records_values()}),
cells AS (
    SELECT report_id, '{FOI}' AS tbl, row_code AS k, applicant AS o, value FROM store.foi_requests
    UNION ALL
    SELECT report_id, '{REVIEW}', proceeding, outcome, value FROM store.review_litigation
),
sums AS (
    SELECT r.report_id, t.indicator, t.part, sum(c.value) AS total, count(c.report_id) AS present
    FROM store.reports r CROSS JOIN terms t
    LEFT JOIN cells c ON c.report_id = r.report_id AND c.tbl = t.tbl AND c.k = t.k AND c.o = t.o
    GROUP BY ALL
),
pairs AS (
    SELECT report_id, indicator,
        max(total) FILTER (part = 'num') AS num, max(present) FILTER (part = 'num') AS num_cells,
        max(total) FILTER (part = 'den') AS den, max(present) FILTER (part = 'den') AS den_cells
    FROM sums GROUP BY ALL
)
SELECT p.report_id, r.unit_id, p.indicator,
    CASE WHEN den IS NOT NULL AND den <> 0 AND num IS NOT NULL THEN num / den * 100 END,
    num, den,
    CASE WHEN num_cells = 0 AND den_cells = 0 THEN {_quote(NO_CELLS)}
         WHEN den IS NULL THEN {_quote(DENOMINATOR_BLANK)}
         WHEN den = 0 THEN {_quote(DENOMINATOR_ZERO)}
         WHEN num IS NULL THEN {_quote(NUMERATOR_BLANK)} END,
    rec.name, rec.comparable
FROM pairs p JOIN store.reports r USING (report_id) JOIN records rec USING (indicator)
ORDER BY p.report_id, rec.ord
"""
