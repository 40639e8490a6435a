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
from .building import Built, Duplicates, build_folder, folder_files, report_files
from .checks import run_checks
from .document import Document
from .filing import file_reports, registry_beside, unit_of
from .locking import writer_lock
from .model import Problem, Report, ReportError
from .parallel import WORKERS, parse_files
from .parse import parse_report
from .readers import read_document
from .sidecar import meta_path, read_meta, source_url_of
from .units import Unit, Units

__all__ = [
    "DEFAULT_DB",
    "DEFAULT_REPORTS",
    "AlreadyLoaded",
    "Built",
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
    """Read, parse and check one file (no database involved); where it was published, from its
    sidecar when it was fetched (and is still the file fetched)."""
    report = check_report(read_document(path), agency, year)
    report.source_url = source_url_of(path, report.source_sha256)
    return report


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


def _duplicates(reports: list[Report]) -> list[Problem]:
    seen = Duplicates()
    return [p for r in reports if (p := seen.problem(r.agency, r.year, r.report_id, r.source_file))]


def parse_folder(reports_dir: Path) -> list[Report]:
    """Every report of a folder, filed under its unit, or one ReportError listing every bad file
    (all or nothing: what an ``add`` with no database yet builds from)."""
    return _parse_and_file(reports_dir)[0]


def _parse_and_file(reports_dir: Path) -> tuple[list[Report], Units]:
    """The folder's reports filed under their units (the registry beside the folder), and the units."""
    files = folder_files(reports_dir)
    registry = registry_beside(reports_dir)
    reports, problems = parse_files(files, load_report, read_meta)  # the cyclic GC paused inside
    units = file_reports(reports, registry)
    problems.extend(_duplicates(reports))
    if problems:
        raise ReportError(problems)
    return reports, units


def build(
    reports_dir: Path = DEFAULT_REPORTS,
    db_path: Path = DEFAULT_DB,
    strict: bool = False,
    workers: int = WORKERS,
    lock_timeout: float | None = None,
) -> Built:
    """Parse every report in the folder and swap in a new database of those that pass; each
    refused file is listed in ``refusals`` (``Built.refusals``). With ``strict``, any refusal
    refuses the build (a ReportError, nothing changed). A build where no report passes changes
    nothing either.

    The folder is read holding the writer lock, after an interrupted ``add`` is
    finished or undone: what is built is what the folder holds, and an ``add``
    running meanwhile cannot be lost (built over by a database parsed before it)."""
    with writer_lock(db_path, lock_timeout), without_cyclic_gc():
        recover_add(reports_dir, db_path)
        return build_folder(reports_dir, db_path, load_report, read_meta, strict, workers)


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
