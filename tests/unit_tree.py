"""A small generated database of units, reports and indicators, written straight into the ETL's
schema (``etl.store.create_schema``): for ranking tests whose ties and blanks are set by hand.

The tree: 甲市 (city) → 东区, 西区, 南区, 中区, 北区 (districts; 北区 expected but without a report)
→ 东区 has two departments. 乙市 is a second city with two counties: 甲县 reports, 乙县's file
was refused by the build (a ``refusals`` row). Only the indicator rows a
test passes exist; every other cell of a report is absent.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd

from etl.resources import BY_NAME
from etl.store import create_schema, insert_frame

# unit_id → (name, unit_type, parent_id, expected)
UNITS: dict[str, tuple[str, str, str | None, bool]] = {
    "sheng": ("某省人民政府", "province", None, False),
    "jia": ("甲市人民政府", "city", "sheng", False),
    "dong": ("甲市东区人民政府", "district", "jia", False),
    "xi": ("甲市西区人民政府", "district", "jia", False),
    "nan": ("甲市南区人民政府", "district", "jia", False),
    "zhong": ("甲市中区人民政府", "district", "jia", False),
    "bei": ("甲市北区人民政府", "district", "jia", True),
    "dong-jt": ("甲市东区交通运输局", "department", "dong", False),
    "dong-cz": ("甲市东区财政局", "department", "dong", False),
    "yi": ("乙市人民政府", "city", "sheng", False),
    "yi-a": ("乙市甲县人民政府", "district", "yi", False),
    "yi-b": ("乙市乙县人民政府", "district", "yi", True),  # expected; its 2024 file was refused
}
YEAR = 2024
# unit_id → (value, numerator, denominator, null_reason) of disclosed_rate in YEAR: 东区 and 西区
# tie, 南区's denominator is 0, 中区 has a report without the indicator, 北区 has no report.
DISCLOSED: dict[str, tuple[float | None, float | None, float | None, str | None]] = {
    "jia": (50.0, 5.0, 10.0, None),
    "dong": (80.0, 8.0, 10.0, None),
    "xi": (80.0, 4.0, 5.0, None),
    "nan": (None, 0.0, 0.0, "分母为0"),
    "dong-jt": (90.0, 9.0, 10.0, None),
    "dong-cz": (10.0, 1.0, 10.0, None),
    "yi": (70.0, 7.0, 10.0, None),
    "yi-a": (85.0, 17.0, 20.0, None),
}
REPORTING = (*DISCLOSED, "zhong")
REFUSED = (
    "yi-b",
    "yi-b-2024.pdf",
    "表三第12行只有5个数字，应为7个",
    "表三 第12行",
)  # unit, file, reason, place


def _rows(resource: str, rows: list[dict]) -> pd.DataFrame:
    columns = [f.name for f in BY_NAME[resource].fields]
    return pd.DataFrame([{c: row.get(c) for c in columns} for row in rows], columns=columns)


def build(path: Path) -> Path:
    """Write the tree into a new database file at ``path``."""
    units = [
        {
            "unit_id": uid,
            "name": name,
            "aliases": "",
            "unit_type": utype,
            "parent_id": parent,
            "type_source": "manual",
            "parent_source": "manual" if parent else None,
            "expected": expected,
        }
        for uid, (name, utype, parent, expected) in UNITS.items()
    ]
    reports = [
        {
            "report_id": f"r-{uid}",
            "agency": UNITS[uid][0],
            "year": YEAR,
            "template": "2021",
            "source_file": f"{uid}.txt",
            "source_sha256": "0" * 64,
            "loaded_at": dt.datetime(2025, 1, 1),
            "title": f"{UNITS[uid][0]}{YEAR}年政府信息公开工作年度报告",
            "agency_source": "title",
            "year_source": "title",
            "unit_id": uid,
        }
        for uid in REPORTING
    ]
    indicators = [
        {
            "report_id": f"r-{uid}",
            "unit_id": uid,
            "indicator": "disclosed_rate",
            "value": value,
            "numerator": num,
            "denominator": den,
            "null_reason": reason,
            "name": "予以公开率",
            "comparable": True,
        }
        for uid, (value, num, den, reason) in DISCLOSED.items()
    ]
    con = duckdb.connect(str(path))
    try:
        create_schema(con)
        insert_frame(con, "units", _rows("units", units))
        insert_frame(con, "reports", _rows("reports", reports))
        insert_frame(con, "indicators", _rows("indicators", indicators))
        uid, source, reason, place = REFUSED
        refusal = {"source_file": source, "reason": reason, "place": place, "refused_at": dt.datetime(2025, 1, 1),
                   "agency": UNITS[uid][0], "year": YEAR, "unit_id": uid}  # fmt: skip
        insert_frame(con, "refusals", _rows("refusals", [refusal]))
    finally:
        con.close()
    return path
