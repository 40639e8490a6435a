"""``python -m etl publish``: the open-data release, a folder of files that never changes once written.

Every public view (the registry's RESOURCES) as Parquet (exact) and CSV (Excel-compatible as the
downloads are: BOM, formula-like text defused by the same rule), both written by DuckDB's COPY;
one JSON file per unit; a Frictionless
``datapackage.json`` (:mod:`etl.datapackage`) and an ``index.html`` (:mod:`etl.release_index`).

Each release lives in ``OUT/v<date>-<content hash>/``; ``OUT/latest`` is a symlink to the newest.
A URL that names a version keeps its meaning: a release is written under a staging name and
renamed into place whole, and publishing the same content again reuses its folder.
"""

from __future__ import annotations

import argparse
import codecs
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from . import datapackage, release_index
from .datapackage import Written
from .fields import REPORT_COLUMNS, Resource
from .resources import BY_NAME, RESOURCES
from .spreadsheets import defuse_sql
from .store import reading

DEFAULT_OUT = Path("data/release")
LATEST = "latest"
UNITS_DIR = "units"
UNITS_INDEX = f"{UNITS_DIR}/index.json"
BOM = codecs.BOM_UTF8  # so Excel reads the CSV as UTF-8 (Chinese), as the downloads do
_ORDER = ("item_order", "row_order", "col_order", "seq", "source_line")
_VERSION = re.compile(r"^v\d{4}-\d{2}-\d{2}-([0-9a-f]{12})$")
_UNSAFE_FILE = re.compile(r"[/\\\x00-\x1f]|^\.|^$")


@dataclass(frozen=True)
class Release:
    folder: Path
    version: str
    written: dict[str, Written]
    units: int
    reused: bool  # the same content was published before: its folder is the release


# --------------------------------------------------------------------------- SQL


def order_columns(resource: Resource) -> list[str]:
    """A stable order for the view's rows (a release is reproducible): the key or the report,
    the printed order (block, row, column, item, line), then every other column."""
    columns = resource.view_columns
    first = [f.name for f in resource.fields if f.key] or (["report_id"] if resource.per_report else [])
    first += [c for c in _ORDER if c in columns]
    return [*first, *(c for c in columns if c not in first and c not in REPORT_COLUMNS[1:])]


def _quoted(column: str) -> str:
    return f'"{column}"'


def _names(columns: list[str], alias: str = "") -> str:
    return ", ".join(alias + _quoted(c) for c in columns)


def ordered_select(resource: Resource) -> str:
    return (
        f'SELECT {_names(resource.view_columns)} FROM main."{resource.name}" '
        f"ORDER BY {_names(order_columns(resource))}"
    )


def _struct(alias: str, columns: list[str]) -> str:
    return "{" + ", ".join(f"'{c}': {alias}.\"{c}\"" for c in columns) + "}"


def units_sql() -> str:
    """One row per unit: its id and its JSON document (the unit, its years, its reports, each
    with its figures and indicators), every column named by the registry."""
    units, reports = BY_NAME["units"], BY_NAME["reports"]
    figure_cols = BY_NAME["figures"].view_columns[len(REPORT_COLUMNS) :]
    indicator_cols = [c for c in BY_NAME["indicators"].view_columns[len(REPORT_COLUMNS) :] if c != "unit_id"]
    report = _struct("r", reports.view_columns)[:-1]
    report += ", 'figures': coalesce(f.figures, []), 'indicators': coalesce(i.indicators, [])}"
    return f"""
WITH f AS (
    SELECT report_id, list({_struct("t", figure_cols)} ORDER BY {_names(order_columns(BY_NAME["figures"]), "t.")}) AS figures
    FROM main.figures t GROUP BY report_id
), i AS (
    SELECT report_id, list({_struct("t", indicator_cols)} ORDER BY t.indicator) AS indicators
    FROM main.indicators t GROUP BY report_id
), r AS (
    SELECT r.unit_id, list(DISTINCT r.year ORDER BY r.year) AS years,
           list({report} ORDER BY r.year, r.report_id) AS reports
    FROM main.reports r LEFT JOIN f USING (report_id) LEFT JOIN i USING (report_id)
    WHERE r.unit_id IS NOT NULL GROUP BY r.unit_id
)
SELECT u.unit_id, u.name, u.unit_type, u.parent_id, coalesce(r.years, []) AS years,
       to_json({{'unit': {_struct("u", units.view_columns)}, 'years': coalesce(r.years, []),
                 'reports': coalesce(r.reports, [])}}) AS doc
FROM main.units u LEFT JOIN r USING (unit_id)
ORDER BY u.unit_id
"""


def _sql_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


# --------------------------------------------------------------------------- files


def csv_select(resource: Resource, parquet: Path) -> str:
    """The CSV's rows: the Parquet file's (already in order), text cells defused for spreadsheets
    by the downloads' own rule (:func:`etl.spreadsheets.defuse_sql`)."""
    types = {f.name: f.type for f in datapackage.view_fields(resource)}
    cells = [
        f"{defuse_sql(_quoted(c))} AS {_quoted(c)}" if types[c] == "VARCHAR" else _quoted(c)
        for c in resource.view_columns
    ]
    return f"SELECT {', '.join(cells)} FROM read_parquet({_sql_path(parquet)})"


def write_resource(con: duckdb.DuckDBPyConnection, resource: Resource, folder: Path) -> Written:
    """``NAME.parquet`` (DuckDB's COPY: types and text exactly as stored, in a stable order) and
    ``NAME.csv`` from it: UTF-8 with a BOM, formula-like text defused, as the downloads write it
    (DuckDB writes it: a view of millions of rows never passes through Python objects)."""
    csv_path, parquet_path = folder / f"{resource.name}.csv", folder / f"{resource.name}.parquet"
    rows = con.execute(
        f"COPY ({ordered_select(resource)}) TO {_sql_path(parquet_path)} (FORMAT parquet, COMPRESSION zstd)"
    ).fetchone()[0]
    body = folder / f".{resource.name}.csv.tmp"
    con.execute(f"COPY ({csv_select(resource, parquet_path)}) TO {_sql_path(body)} (FORMAT csv, HEADER true)")
    digest = hashlib.sha256(BOM)
    with open(csv_path, "wb") as out, open(body, "rb") as src:
        out.write(BOM)
        while block := src.read(1 << 20):
            out.write(block)
            digest.update(block)
    body.unlink()
    return Written(
        resource.name,
        rows,
        csv_path.name,
        csv_path.stat().st_size,
        digest.hexdigest(),
        parquet_path.name,
        parquet_path.stat().st_size,
    )


def unit_file(unit_id: str) -> str:
    """The unit's file name (its id, as is); an id that cannot be a file name is refused."""
    if _UNSAFE_FILE.search(unit_id):
        raise ValueError(f"单位编号“{unit_id}”不能用作文件名")
    return f"{unit_id}.json"


def write_units(con: duckdb.DuckDBPyConnection, folder: Path) -> tuple[int, bytes]:
    """``units/<unit_id>.json`` for every unit and ``units/index.json`` listing them; returns the
    count and the index's bytes (part of the content hash, with each file's hash)."""
    (folder / UNITS_DIR).mkdir()
    index = []
    for unit_id, name, unit_type, parent_id, years, doc in con.execute(units_sql()).fetchall():
        path = f"{UNITS_DIR}/{unit_file(unit_id)}"
        data = doc.encode("utf-8")
        (folder / path).write_bytes(data)
        index.append(
            {
                "unit_id": unit_id,
                "name": name,
                "unit_type": unit_type,
                "parent_id": parent_id,
                "years": list(years),
                "path": path,
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        )
    body = json.dumps(index, ensure_ascii=False, indent=1).encode("utf-8")
    (folder / UNITS_INDEX).write_bytes(body)
    return len(index), body


# --------------------------------------------------------------------------- the release


def content_hash(written: dict[str, Written], units_index: bytes) -> str:
    """What the release holds: each CSV's hash (the Parquet files hold the same rows), the units'
    files, and the schema (the registry's fields), never the build time."""
    digest = hashlib.sha256()
    for w in written.values():
        digest.update(f"{w.name}:{w.rows}:{w.csv_sha256}\n".encode())
    digest.update(units_index)
    schema = [datapackage.table_schema(r) for r in RESOURCES]
    digest.update(json.dumps(schema, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    return digest.hexdigest()[:12]


def versions(out: Path) -> list[Path]:
    """The release folders under ``out``, oldest first (by name: the date leads)."""
    return sorted(p for p in out.iterdir() if p.is_dir() and not p.is_symlink() and _VERSION.match(p.name))


def point_latest(out: Path, version: str) -> None:
    """``out/latest`` → the version, swapped atomically (a reader sees the old or the new one)."""
    tmp = out / f".{LATEST}.{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(version, target_is_directory=True)
    os.replace(tmp, out / LATEST)


def publish(db: Path, out: Path = DEFAULT_OUT, now: dt.datetime | None = None) -> Release:
    """Write the release of the database ``db`` under ``out``; ``latest`` then points to it."""
    now = now or dt.datetime.now(dt.UTC)
    out.mkdir(parents=True, exist_ok=True)
    staging = out / f".staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        with reading(Path(db)) as con:
            if con is None:
                raise FileNotFoundError(f"没有数据库文件 {db}（先运行 python -m etl build）")
            written = {r.name: write_resource(con, r, staging) for r in RESOURCES}
            units, units_index = write_units(con, staging)
        digest = content_hash(written, units_index)
        same = [p for p in versions(out) if _VERSION.match(p.name).group(1) == digest]
        if same:
            shutil.rmtree(staging)
            version, reused = same[-1].name, True
        else:
            version, reused = f"v{now:%Y-%m-%d}-{digest}", False
            created = now.strftime("%Y-%m-%dT%H:%M:%SZ")
            descriptor = datapackage.package(
                written, version=version, created=created, units_json=UNITS_INDEX
            )
            (staging / "datapackage.json").write_text(
                json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
            (staging / "index.html").write_text(
                release_index.release_page(descriptor, units), encoding="utf-8"
            )
            os.replace(staging, out / version)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    point_latest(out, version)
    (out / "index.html").write_text(release_index.versions_page(out, version), encoding="utf-8")
    return Release(out / version, version, written, units, reused)


# --------------------------------------------------------------------------- the command


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from .pipeline import DEFAULT_DB

    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="发布目录（默认 data/release）")


def publish_command(args: argparse.Namespace) -> int:
    """``python -m etl publish [--db DB] [--out DIR]``: plain-word messages, no traceback."""
    try:
        release = publish(args.db, args.out)
    except (OSError, ValueError, duckdb.Error) as exc:
        print(f"发布失败：{exc}；已发布的版本没有任何改动。", file=sys.stderr)
        return 1
    rows = sum(w.rows for w in release.written.values())
    what = "内容与已发布的版本相同，沿用" if release.reused else "已发布"
    print(
        f"{what} {release.folder}（{len(release.written)}个视图共{rows:,}行，{release.units}个单位的 JSON）；"
        f"{args.out / LATEST} 指向它"
    )
    return 0
