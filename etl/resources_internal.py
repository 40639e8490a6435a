"""Tables of schema ``store`` that are not published: declared like the published ones
(:mod:`etl.resources`), so their DDL is generated, but with no view in ``main``, no entry in the
data dictionary, the datapackage or the release.

``check_summary`` is the review's per-report digest of ``checks``, computed once per write instead
of on every review (a province's review aggregated 170,000 failed checks each time). It is a cache
in a presentation format (the review's Chinese text), so it is not part of the data contract: the
`checks` view stays the published source of the same facts.
"""

from __future__ import annotations

from .fields import Field as F
from .fields import Resource

INTERNAL: tuple[Resource, ...] = (
    Resource(
        "check_summary",
        "不通过的检查（按报告汇总）",
        "one report with failed checks: how many, and each with its evidence",
        (
            F("report_id", "VARCHAR", "报告编号", "See `reports`."),
            F(
                "year",
                "INTEGER",
                "年度",
                "The report's year (`reports.year`), so the review filters with no join.",
            ),
            # BIGINT: what count(*) gives, so the review's frames keep the dtype they had.
            F(
                "failed",
                "BIGINT",
                "不通过的勾稽关系检查（项）",
                "Failed checks that are errors (severity <> warning).",
            ),
            F("warnings", "BIGINT", "口径提示（项）", "Failed checks that are scope warnings."),
            F(
                "failed_checks",
                "VARCHAR",
                "不通过的检查及依据",
                "Every failed check, by check_id, one a line: `description（应为 expected，实际 actual；evidence）`.",
            ),
        ),
        report_note="The report the checks are about.",
        scope="derived",
    ),
)
