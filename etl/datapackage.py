"""The release's ``datapackage.json`` (Frictionless Tabular Data Package), made from the registry.

Every field's type, Chinese title and description come from :mod:`etl.resources` (the same
records as the DDL, the views and ``docs/data-dictionary.md``), so nothing here is written twice.
Pure functions: no database, no files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .fields import Field, Resource
from .resources import REPORTS, RESOURCES

NAME = "gov-information-disclosure-annual-reports"
TITLE = "政府信息公开工作年度报告数据"
DESCRIPTION = (
    "各机关公开发布的政府信息公开工作年度报告中的数字、表格与文字，逐项附原文出处，"
    "以及据此计算的勾稽关系检查和指标。空白单元格为空值（NULL），不当作0。"
    "每个视图有 CSV（带 BOM 的 UTF-8，Excel 可直接打开；以 = + - @ 开头的文字前加了英文单引号 '，"
    "以免电子表格当作公式执行）和 Parquet（与数据库逐字相同）两种格式。"
)
# The reports are official publications; the compilation is offered under CC BY 4.0 (attribution).
LICENSES = (
    {
        "name": "CC-BY-4.0",
        "title": "Creative Commons Attribution 4.0",
        "path": "https://creativecommons.org/licenses/by/4.0/",
    },
)
SOURCES = (
    {
        "title": "各机关公开发布的政府信息公开工作年度报告（每份报告的文件名、SHA-256 与原文网址见 reports 资源）",
    },
)
# DuckDB type → Table Schema type.
TYPES = {
    "VARCHAR": "string",
    "INTEGER": "integer",
    "BIGINT": "integer",
    "DOUBLE": "number",
    "BOOLEAN": "boolean",
    "TIMESTAMP": "datetime",
}
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"  # as the CSV writer writes it; local time, no zone (none is stored)


@dataclass(frozen=True)
class Written:
    """One resource as written: its files (relative paths), CSV size and hash, rows."""

    name: str
    rows: int
    csv_path: str
    csv_bytes: int
    csv_sha256: str
    parquet_path: str
    parquet_bytes: int


def view_fields(resource: Resource) -> list[Field]:
    """The view's columns as fields, in the view's order; ``agency`` and ``year`` of a report's
    rows are the report's (declared once, in ``reports``)."""
    own = {f.name: f for f in resource.fields}
    return [own.get(name) or REPORTS.field(name) for name in resource.view_columns]


def field_descriptor(field: Field) -> dict[str, Any]:
    """One Table Schema field. ``required`` for a column that is never NULL, except text: in a
    CSV an empty text and NULL look the same (Parquet keeps them apart)."""
    out: dict[str, Any] = {
        "name": field.name,
        "type": TYPES[field.type],
        "title": field.header,
        "description": field.description,
    }
    if field.type == "TIMESTAMP":
        out["format"] = DATETIME_FORMAT
    if field.key:
        out["constraints"] = {"required": True, "unique": True}
    elif not field.nullable and field.type != "VARCHAR":
        out["constraints"] = {"required": True}
    return out


def table_schema(resource: Resource) -> dict[str, Any]:
    fields = view_fields(resource)
    schema: dict[str, Any] = {
        "fields": [field_descriptor(f) for f in fields],
        "missingValues": [""],
    }
    keys = [f.name for f in fields if f.key]
    if keys:
        schema["primaryKey"] = keys
    return schema


def resource_descriptor(resource: Resource, written: Written) -> dict[str, Any]:
    """The CSV file as the resource (what ``frictionless validate`` reads), with its size and
    SHA-256; the Parquet copy and the row count beside it."""
    return {
        "name": resource.name,
        "title": resource.label,
        "description": f"每行：{resource.row}",
        "path": written.csv_path,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": written.csv_bytes,
        "hash": f"sha256:{written.csv_sha256}",
        "dialect": {"delimiter": ",", "quoteChar": '"', "header": True},
        "schema": table_schema(resource),
        "rows": written.rows,
        "parquet": {"path": written.parquet_path, "bytes": written.parquet_bytes},
    }


def package(
    written: Mapping[str, Written],
    *,
    version: str,
    created: str,
    units_json: str | None = None,
) -> dict[str, Any]:
    """The whole ``datapackage.json``: every public view in the registry's order.

    ``created`` is the build time (ISO 8601, UTC); ``version`` the release's folder name;
    ``units_json`` the index of the per-unit JSON files, when there are units."""
    out: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": NAME,
        "title": TITLE,
        "description": DESCRIPTION,
        "version": version,
        "created": created,
        "licenses": [dict(x) for x in LICENSES],
        "sources": [dict(x) for x in SOURCES],
        "resources": [resource_descriptor(r, written[r.name]) for r in RESOURCES],
    }
    if units_json:
        out["units_json"] = units_json
    return out
