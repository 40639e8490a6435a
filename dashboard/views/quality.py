"""数据质量: every check of a report, the contradictions, the scope warnings, why some could not be assessed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from .. import export, facts, queries
from .base import Table, cache, make_table


@dataclass(frozen=True, eq=False)
class Quality:
    counts: dict[str, int]
    failed: tuple[Any, ...]  # rows with description, expected, actual, evidence
    warnings: tuple[Any, ...]  # scope warnings: the same columns
    reasons: pd.DataFrame  # why checks could not be assessed: 原因, 项数
    table: Table  # every check (Chinese headers), also the CSV download
    refusals: Table  # the files the last build could not load (文件, 原因, 位置): every agency's

    def csv(self) -> bytes:
        return export.csv_bytes(self.table.data)


@cache
def quality(token: str, agency: str, year: int) -> Quality:
    table = facts.check_table(queries.checks(token, agency, year))
    return Quality(
        counts=queries.check_counts(token, agency, year),
        failed=tuple(facts.failed_checks(table).itertuples()),
        warnings=tuple(facts.scope_warnings(table).itertuples()),
        reasons=facts.unassessable_reasons(table),
        table=make_table(facts.table(table, facts.CHECK_COLUMNS)),
        refusals=make_table(facts.table(queries.view(token, "refusals"), REFUSAL_COLUMNS)),
    )


REFUSAL_COLUMNS = {
    "source_file": "文件",
    "agency": "机关（标题所示）",
    "year": "年度",
    "reason": "原因",
    "place": "位置",
}
