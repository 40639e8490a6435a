"""read → parse → validate → load, for one file (check, preview), a folder (build) and a
new report (add). Each refuses bad input with a ReportError and leaves the database as
it was. The steps themselves live in their modules: readers (``etl.readers``), the parser
(``etl.parse``), the checks (``etl.checks``), the loader (``etl.load``, ``etl.store``) and
the add transaction (``etl.adding``)."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import store
from .adding import AlreadyLoaded, add_parsed, recover_add, safe_file_name
from .checks import run_checks
from .document import Document
from .filing import file_reports, registry_beside, unit_of
from .load import write_database, writer_lock
from .model import Problem, Report, ReportError
from .parallel import parse_files
from .parse import parse_report
from .readers import REPORT_SUFFIXES, read_document
from .sidecar import meta_path, read_meta
from .units import Unit, Units

__all__ = [
    "DEFAULT_DB",
    "DEFAULT_REPORTS",
    "AlreadyLoaded",
    "Preview",
    "add",
    "build",
    "load_report",
    "meta_path",
    "parse_folder",
    "preview",
    "read_meta",
    "recover_add",
    "report_files",
    "safe_file_name",
    "without_cyclic_gc",
]

DEFAULT_REPORTS = Path("data/reports")
DEFAULT_DB = Path("data/dashboard.duckdb")


def check_report(document: Document, agency: str | None = None, year: int | None = None) -> Report:
    """Parse and check one document; ``agency``/``year`` are an official's (see ``parse_report``)."""
    report = parse_report(document, agency=agency, year=year)
    report.checks = run_checks(report)
    return report


def load_report(path: Path, agency: str | None = None, year: int | None = None) -> Report:
    """Read, parse and check one file (no database involved)."""
    return check_report(read_document(path), agency, year)


@dataclass
class Preview:
    """What ``add`` would do with a report, before anything is stored."""

    report: Report  # as add would file it (its agency matched to a loaded one)
    printed_agency: str = ""  # the agency as printed, when its unit's canonical name differs
    replaces: str | None = None  # source file of the loaded report of the same agency and year
    unit: Unit | None = None  # the unit it will be filed under


def preview(
    document: Document,
    db_path: Path,
    agency: str | None = None,
    year: int | None = None,
    reports_dir: Path = DEFAULT_REPORTS,
) -> Preview:
    """Parse and check a document and file it under its unit as ``add`` will (the registry
    beside ``reports_dir``, the loaded agencies): the one preview of ``etl check`` and of the
    import page."""
    report = check_report(document, agency, year)
    out = Preview(report)
    unit = unit_of(report.agency, registry_beside(reports_dir), store.loaded_agencies(db_path))
    report.unit_id = unit.unit_id
    out.unit = unit
    if unit.name != report.agency:
        out.printed_agency, report.agency = report.agency, unit.name
    loaded = store.loaded_report(db_path, report.agency, report.year)
    out.replaces = loaded[1] if loaded else None
    return out


@contextlib.contextmanager
def without_cyclic_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while many reports are built.

    Parsed reports are trees of small objects with no reference cycles; with the
    collector on, it rescans all of them again and again as they pile up (about
    a quarter of the parse time of 1,000 reports). Memory is still freed by
    reference counting, and the collector runs again afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def report_files(reports_dir: Path) -> list[Path]:
    return sorted(
        p
        for p in reports_dir.iterdir()
        if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES and not p.name.startswith(".")
    )


def _duplicates(reports: list[Report]) -> list[Problem]:
    seen: dict[tuple[str, int], str] = {}
    ids: dict[str, str] = {}
    problems = []
    for r in reports:
        key = (r.agency, r.year)
        if key in seen:
            problems.append(
                Problem(
                    r.source_file, "标题", f"与{seen[key]}是同一机关同一年度（{r.agency}，{r.year}年）的报告"
                )
            )
        elif r.report_id in ids:
            # report_id is the file stem: "a.txt" and "a.TXT" would share it.
            problems.append(
                Problem(r.source_file, "文件名", f"与{ids[r.report_id]}的文件名（不含扩展名）相同，请改名")
            )
        seen[key] = r.source_file
        ids.setdefault(r.report_id, r.source_file)
    return problems


def parse_folder(reports_dir: Path) -> list[Report]:
    """Every report of a folder, filed under its unit, or one ReportError listing every bad file."""
    return _parse_and_file(reports_dir)[0]


def _parse_and_file(reports_dir: Path) -> tuple[list[Report], Units]:
    """The folder's reports filed under their units (the registry beside the folder), and the units."""
    if not reports_dir.is_dir():
        raise ReportError([Problem(str(reports_dir), "文件夹", "不存在")])
    files = report_files(reports_dir)
    if not files:
        raise ReportError(
            [Problem(str(reports_dir), "文件夹", "没有可读取的报告文件（.txt、.html、.docx、.pdf）")]
        )
    registry = registry_beside(reports_dir)
    reports, problems = parse_files(files, load_report, read_meta)  # the cyclic GC paused inside
    units = file_reports(reports, registry)
    problems.extend(_duplicates(reports))
    if problems:
        raise ReportError(problems)
    return reports, units


def build(reports_dir: Path = DEFAULT_REPORTS, db_path: Path = DEFAULT_DB) -> list[Report]:
    """Parse every report in the folder and swap in a new database.

    The folder is read holding the writer lock, after an interrupted ``add`` is
    finished or undone: what is built is what the folder holds, and an ``add``
    running meanwhile cannot be lost (built over by a database parsed before it)."""
    with writer_lock(db_path), without_cyclic_gc():
        recover_add(reports_dir, db_path)
        reports, units = _parse_and_file(reports_dir)
        write_database(db_path, reports, units)
    return reports


def add(
    path: Path,
    reports_dir: Path = DEFAULT_REPORTS,
    db_path: Path = DEFAULT_DB,
    replace: bool = False,
    agency: str | None = None,
    year: int | None = None,
) -> Report:
    """Validate one new report, copy it into the reports folder and load it, atomically.

    An agency or year an official supplied is kept beside the file (``meta_path``) so
    that a later ``build`` reads the report the same way."""
    agency = agency.strip() if agency is not None else None
    report = load_report(path, agency, year)
    with writer_lock(db_path):
        recover_add(reports_dir, db_path)
        return add_parsed(report, path, reports_dir, db_path, replace, (agency, year), _folder_reports)


def _folder_reports(reports_dir: Path) -> list[Report]:
    """The folder's reports (none when it holds no report file), for an add with no database yet."""
    return parse_folder(reports_dir) if report_files(reports_dir) else []
