"""The observatory's tables, declared once like the report's own (:mod:`etl.resources`): the
indicators computed from each report, the units reports are filed under, and the files a build
refused."""

from __future__ import annotations

from .fields import Field as F
from .fields import Resource

REPORT_ID = F("report_id", "VARCHAR", "报告编号", "See `reports`.")

OBSERVATORY: tuple[Resource, ...] = (
    Resource(
        "indicators",
        "指标（比率）",
        "one indicator of one report",
        (
            REPORT_ID,
            F("unit_id", "VARCHAR", "单位编号", "The report's unit (`reports.unit_id`).", nullable=True),
            F(
                "indicator",
                "VARCHAR",
                "指标代码",
                "Which indicator (list below, declared once in `etl/indicators.py`).",
            ),
            F(
                "value",
                "DOUBLE",
                "数值（%）",
                "numerator / denominator × 100, in percent, not rounded. NULL when it cannot be computed: see `null_reason`.",
                nullable=True,
            ),
            F(
                "numerator",
                "DOUBLE",
                "分子",
                "The numerator, summed from the table cells the formula names (blank cells count as 0 when some of its cells are filled); NULL when every cell is blank or missing.",
                nullable=True,
            ),
            F(
                "denominator",
                "DOUBLE",
                "分母",
                "The denominator, likewise; a zero or NULL denominator gives a NULL value, never 0.",
                nullable=True,
            ),
            F(
                "null_reason",
                "VARCHAR",
                "无法计算的原因",
                "Why `value` is NULL (`分母为0`, `分母单元格均为空白`, `报告中没有该表`…); NULL when there is a value.",
                nullable=True,
            ),
            F(
                "name",
                "VARCHAR",
                "指标名称",
                "The indicator's Chinese name (`予以公开率`).",
                contract=False,
            ),
            F(
                "comparable",
                "BOOLEAN",
                "格式间可比",
                "True when the formula reads the same cells in the 2019 and 2021 table formats, so values of both formats compare; false when the formats count it differently (the dictionary says how).",
                contract=False,
            ),
        ),
        report_note="The report the indicator is computed from (its tables 三 and 四).",
        scope="derived",
    ),
    Resource(
        "units",
        "单位（机关名录）",
        "one unit: an agency that reports, or is expected to",
        (
            F(
                "unit_id",
                "VARCHAR",
                "单位编号",
                "Stable id of the unit, derived from its canonical name. Unique.",
                key=True,
            ),
            F(
                "name",
                "VARCHAR",
                "名称",
                "The canonical (official, full) name: `四川省政务服务和公共资源交易服务中心`.",
            ),
            F(
                "aliases",
                "VARCHAR",
                "别名",
                "Every other spelling seen in a title or listed in the registry file, joined by `；` (`四川省政务服务和资源交易服务中心`); empty when none.",
            ),
            F(
                "unit_type",
                "VARCHAR",
                "单位类型",
                "`province`, `city`, `district` (county, county-level city, city district), `department` (委、办、局、厅, centres, institutions), `town_street`, `functional_zone` (开发区, 高新区, 园区, a zone's 管委会) or `unknown` (could not be decided: never guessed).",
            ),
            F(
                "parent_id",
                "VARCHAR",
                "上级单位编号",
                "The government unit of the region above (`淮安市洪泽区人民政府` → `淮安市人民政府` → `江苏省人民政府`); NULL at the top or when it cannot be decided.",
                nullable=True,
            ),
            F(
                "type_source",
                "VARCHAR",
                "类型来源",
                "Where `unit_type` came from: `manual` (the registry file `data/units.toml`) or `auto:` and the rule that decided it (`auto:suffix:人民政府+区`).",
            ),
            F(
                "parent_source",
                "VARCHAR",
                "上级来源",
                "Where `parent_id` came from: `manual`, or `auto:` and the rule (`auto:gazetteer:320813` for a division code of the administrative-division gazetteer, `auto:prefix` for a name that begins with its parent's region).",
                nullable=True,
            ),
            F(
                "division_code",
                "VARCHAR",
                "行政区划代码",
                "The code of the unit's administrative division in the gazetteer (`320813` for 洪泽区), when it is a government unit found there; NULL otherwise.",
                nullable=True,
                contract=False,
            ),
            F(
                "expected",
                "BOOLEAN",
                "应报送",
                "True when the registry file lists the unit as expected to publish a report (so a year without one is `missing` in the review); false for units known only from loaded reports.",
                contract=False,
            ),
            F(
                "column_url",
                "VARCHAR",
                "年报栏目网址",
                "The unit's 政府信息公开年报 column on its own site, when the registry file gives it (what `etl fetch --parent` starts from).",
                nullable=True,
                contract=False,
            ),
        ),
        scope="own",
    ),
    Resource(
        "refusals",
        "未能载入的文件",
        "one file a build could not load, and why",
        (
            F("source_file", "VARCHAR", "文件", "File name in the reports folder (`data/reports/`)."),
            F(
                "reason",
                "VARCHAR",
                "原因",
                "Why it was refused, in plain Chinese (`表三第12行只有5个数字，应为7个`).",
            ),
            F(
                "place",
                "VARCHAR",
                "位置",
                "Where in the file (section, table, row, page), or `文件` for the file as a whole.",
            ),
            F(
                "source_sha256",
                "VARCHAR",
                "文件SHA-256",
                "SHA-256 of the file's bytes; NULL when the file could not be read.",
                nullable=True,
                contract=False,
            ),
            F("refused_at", "TIMESTAMP", "时间", "Local time of the build that refused it.", contract=False),
            F(
                "agency",
                "VARCHAR",
                "机关",
                "The agency the file's title names, when its title could be read (the unit's canonical name); NULL otherwise.",
                nullable=True,
                contract=False,
            ),
            F(
                "year",
                "INTEGER",
                "年度",
                "The year its title names, when it could be read; NULL otherwise.",
                nullable=True,
                contract=False,
            ),
            F(
                "unit_id",
                "VARCHAR",
                "单位编号",
                "The unit of `agency` (see `units`), so the review lists a refused report under its unit; NULL when the title could not be read.",
                nullable=True,
                contract=False,
            ),
        ),
        scope="own",
    ),
)
