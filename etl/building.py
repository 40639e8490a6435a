"""A folder build: every report of the folder into a new database, loaded while the folder is
still being parsed, and every file that cannot be loaded listed in ``refusals``.

The workers (:mod:`etl.parallel`) parse chunks of files and send back each chunk's rows as
columns (:class:`etl.load.Rows`); the parent inserts them in batches, inside the one staged
transaction, as they arrive: the load overlaps the parse. What needs every report at once
comes after the inserts: agencies filed under their fullest name (``agencies``), the
duplicates that only that reveals, then the refusals and the derived tables
(``load.refresh_derived``). The result does not depend on the number of workers: the same
chunks are parsed, and refusals are listed in the order of the files.

A build keeps going: a file that is refused is listed and the others are loaded. ``strict``
restores all or nothing: any refusal, and nothing is loaded. Either way a build where no report
passes changes nothing (it would only empty the database).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import store
from .document import title_parts
from .filing import registry_beside
from .load import Rows, insert_rows, now, refresh_derived, rows_of, staged_database, write_units
from .model import Problem, ReportError
from .parallel import WORKERS, Load, Meta, chunks_of, in_pool, ordered_map, parse_one
from .readers import REPORT_SUFFIXES, read_document
from .units import RegistryFile, resolve

BATCH = 400  # reports per bulk insert: large enough to be cheap, small enough to overlap the parse


def report_files(reports_dir: Path) -> list[Path]:
    return sorted(
        p
        for p in reports_dir.iterdir()
        if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES and not p.name.startswith(".")
    )


def folder_files(reports_dir: Path) -> list[Path]:
    """The folder's report files, or a ReportError when there is no folder or no file."""
    if not reports_dir.is_dir():
        raise ReportError([Problem(str(reports_dir), "文件夹", "不存在")])
    files = report_files(reports_dir)
    if not files:
        raise ReportError(
            [Problem(str(reports_dir), "文件夹", f"没有可读取的报告文件（{'、'.join(REPORT_SUFFIXES)}）")]
        )
    return files


@dataclass(frozen=True)
class Parsed:
    """What the parent keeps of a parsed report: who and when it is, where it came from."""

    index: int  # the file's position in the folder (the order of refusals)
    report_id: str
    agency: str
    year: int
    source_file: str
    source_sha256: str
    failed_checks: int  # the report's own checks that found a contradiction


@dataclass
class Chunk:
    """A worker's answer for a chunk of files: the parsed reports (positions in the chunk), their
    rows, and each refused file with its problems and checksum."""

    parsed: list[Parsed] = field(default_factory=list)
    rows: Rows = field(default_factory=Rows)
    refused: list[Refused] = field(default_factory=list)


@dataclass(frozen=True)
class Refused:
    """One problem of a refused file, with what is known of the file: its position in the folder,
    its checksum, and the agency and year its title (or its sidecar) names, when they can be read
    (so the review lists it under its unit)."""

    index: int
    problem: Problem
    sha256: str | None
    agency: str | None = None
    year: int | None = None


def title_of(path: Path, meta: Meta) -> tuple[str | None, int | None]:
    """The agency and year a refused file names (an official's sidecar first, then its title),
    when they can be read; (None, None) when the file cannot be read at all."""
    agency, year = meta(path)
    try:
        document = read_document(path)
    except ReportError:
        return agency, year
    parts = title_parts(document.title.text) if document.title else None
    if parts is not None:
        agency, year = agency or parts.agency, year or parts.year
    return agency, year


def file_sha256(path: Path) -> str | None:
    """The checksum of a refused file's bytes; None when it cannot be read."""
    try:
        with path.open("rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None


class ChunkParser:
    """Parse a chunk of files into a :class:`Chunk` (run in a worker; picklable, as its
    functions travel by name)."""

    def __init__(self, load: Load, meta: Meta):
        self.load, self.meta = load, meta

    def __call__(self, paths: list[Path]) -> Chunk:
        out, reports = Chunk(), []
        for k, path in enumerate(paths):
            outcome = parse_one(path, self.load, self.meta)
            if isinstance(outcome, tuple):
                sha, (agency, year) = file_sha256(path), title_of(path, self.meta)
                out.refused.extend(Refused(k, p, sha, agency, year) for p in outcome)
                continue
            reports.append(outcome)
            failed = sum(1 for c in outcome.checks if c.contradiction)
            r = outcome
            out.parsed.append(
                Parsed(k, r.report_id, r.agency, r.year, r.source_file, r.source_sha256, failed)
            )
        out.rows = rows_of(reports)
        return out


@dataclass
class Built:
    """What a build loaded and what it refused (each problem of each refused file, in the
    order of the files)."""

    reports: list[Parsed]
    refusals: list[Problem]

    @property
    def failed_checks(self) -> int:
        return sum(p.failed_checks for p in self.reports)


class Duplicates:
    """The reports seen so far by (agency, year) and by report id: a later report of the same
    agency and year, or of the same id (``a.txt`` and ``a.TXT``), is refused."""

    def __init__(self) -> None:
        self.keys: dict[tuple[str, int], str] = {}
        self.ids: dict[str, str] = {}

    def problem(self, agency: str, year: int, report_id: str, source_file: str) -> Problem | None:
        key = (agency, year)
        if key in self.keys:
            reason = f"与{self.keys[key]}是同一机关同一年度（{agency}，{year}年）的报告"
            return Problem(source_file, "标题", reason)
        if report_id in self.ids:
            # report_id is the file stem: "a.txt" and "a.TXT" would share it.
            reason = f"与{self.ids[report_id]}的文件名（不含扩展名）相同，请改名"
            return Problem(source_file, "文件名", reason)
        self.keys[key] = source_file
        self.ids[report_id] = source_file
        return None


def build_folder(
    reports_dir: Path, db_path: Path, load: Load, meta: Meta, strict: bool = False, workers: int = WORKERS
) -> Built:
    """Parse the folder's files and swap in a new database of every report that passes (with
    ``strict``, of all of them or none). The caller holds the writer lock."""
    files = folder_files(reports_dir)
    pool = workers if in_pool(len(files), workers) else 1
    chunks = chunks_of(files, pool)
    refused: list[Refused] = []
    accepted: list[Parsed] = []
    seen = Duplicates()
    loaded_at = now()
    with staged_database(db_path, start_from_existing=False) as con:
        pending: list[Rows] = []
        offset = 0
        if pool > 1:  # the workers have the cores: DuckDB's own threads would only take turns with them
            con.execute("SET threads = 1")
        for chunk, result in zip(chunks, ordered_map(ChunkParser(load, meta), chunks, pool), strict=True):
            refused.extend(replace(r, index=offset + r.index) for r in result.refused)
            drop = set()
            for position, p in enumerate(result.parsed):
                problem = seen.problem(p.agency, p.year, p.report_id, p.source_file)
                if problem is None:
                    accepted.append(replace(p, index=offset + p.index))
                else:
                    refused.append(Refused(offset + p.index, problem, p.source_sha256, p.agency, p.year))
                    drop.add(position)
            pending.append(result.rows.without(drop) if drop else result.rows)
            if sum(len(r.report_ids) for r in pending) >= BATCH:
                insert_rows(con, pending, loaded_at)
                pending = []
            offset += len(chunk)
        insert_rows(con, pending, loaded_at)
        con.execute("RESET threads")
        accepted, names = _file_under_units(con, accepted, refused, registry_beside(reports_dir))
        refused.sort(key=lambda item: item.index)  # stable: a file's problems stay in their order
        refusals = [r.problem for r in refused]
        if strict and refusals:
            raise ReportError(refusals)
        if not accepted:
            raise ReportError(refusals or [Problem(str(reports_dir), "文件夹", "没有可载入的报告")])
        store.insert_refusals(
            con,
            [
                (
                    r.problem.file,
                    r.problem.reason,
                    r.problem.place,
                    r.sha256,
                    loaded_at,
                    *names(r.agency),
                    r.year,
                )
                for r in refused
            ],
        )
        refresh_derived(con)
    return Built(accepted, refusals)


def _file_under_units(
    con, accepted: list[Parsed], refused: list[Refused], registry: RegistryFile
) -> tuple[list[Parsed], Callable[[str | None], tuple[str | None, str | None]]]:
    """File every report under its unit (the registry beside the folder; see ``etl.filing``) and
    refuse a later report that this makes a duplicate; write the units table and file the loaded
    reports in it. Returns the reports kept, and the (agency, unit_id) a refused file's agency
    stands for."""
    units = resolve([p.agency for p in accepted] + [r.agency for r in refused if r.agency], registry)
    seen = Duplicates()
    kept = []
    for p in accepted:
        unit = units.unit_of(p.agency)
        problem = seen.problem(unit.name, p.year, p.report_id, p.source_file)
        if problem is None:
            kept.append(replace(p, agency=unit.name))
        else:
            refused.append(Refused(p.index, problem, p.source_sha256, p.agency, p.year))
            store.delete_report(con, p.report_id)
    write_units(con, units)

    def names(agency: str | None) -> tuple[str | None, str | None]:
        if not agency:
            return None, None
        unit = units.unit_of(agency)
        return unit.name, unit.unit_id

    return kept, names
