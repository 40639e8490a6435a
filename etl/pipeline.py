"""read → parse → validate → load, for one file (check), a folder (build) and a
new report (add). Each refuses bad input with a ReportError and leaves the
database as it was."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb

from .agencies import canonical_names, match_existing
from .checks import run_checks
from .load import (
    delete_report,
    insert_reports,
    refresh_cross_year_checks,
    staged_database,
    write_database,
    writer_lock,
)
from .model import Problem, Report, ReportError
from .parse import parse_report
from .read import REPORT_SUFFIXES, read_document

DEFAULT_REPORTS = Path("data/reports")
DEFAULT_DB = Path("data/dashboard.duckdb")


def load_report(path: Path) -> Report:
    """Read, parse and check one file (no database involved)."""
    report = parse_report(read_document(path))
    report.checks = run_checks(report)
    return report


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
    """Every report of a folder, or one ReportError listing every bad file."""
    if not reports_dir.is_dir():
        raise ReportError([Problem(str(reports_dir), "文件夹", "不存在")])
    files = report_files(reports_dir)
    if not files:
        raise ReportError(
            [Problem(str(reports_dir), "文件夹", "没有可读取的报告文件（.txt、.html、.docx、.pdf）")]
        )
    reports, problems = [], []
    with without_cyclic_gc():
        for path in files:
            try:
                reports.append(load_report(path))
            except ReportError as exc:
                problems.extend(exc.problems)
    names = canonical_names(r.agency for r in reports)
    for r in reports:
        r.agency = names[r.agency]
    problems.extend(_duplicates(reports))
    if problems:
        raise ReportError(problems)
    return reports


def build(reports_dir: Path = DEFAULT_REPORTS, db_path: Path = DEFAULT_DB) -> list[Report]:
    """Parse every report in the folder and swap in a new database.

    The folder is read holding the writer lock, after an interrupted ``add`` is
    finished or undone: what is built is what the folder holds, and an ``add``
    running meanwhile cannot be lost (built over by a database parsed before it)."""
    with writer_lock(db_path), without_cyclic_gc():
        recover_add(reports_dir, db_path)
        reports = parse_folder(reports_dir)
        write_database(db_path, reports)
    return reports


_SAFE = re.compile(r"[^A-Za-z0-9._\-\u4e00-\u9fff]+")


def safe_file_name(name: str) -> str:
    """A file name that cannot leave ``data/reports`` nor hide (no '..', '/', leading dot)."""
    base = Path(name.replace("\\", "/")).name
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = _SAFE.sub("-", stem).strip(".-") or "report"
    suffix = _SAFE.sub("", suffix).lower()
    return f"{stem[:80]}.{suffix}" if suffix else stem[:80]


def add(
    path: Path,
    reports_dir: Path = DEFAULT_REPORTS,
    db_path: Path = DEFAULT_DB,
    replace: bool = False,
) -> Report:
    """Validate one new report, copy it into the reports folder and load it, atomically."""
    report = load_report(path)
    with writer_lock(db_path):
        recover_add(reports_dir, db_path)
        return _add_parsed(report, path, reports_dir, db_path, replace)


# An add stages the new file as ``.NAME.incoming`` in the reports folder and, when it
# replaces a report of another file name, notes that name in ``.NAME.replaces``.
_INCOMING, _REPLACES = ".incoming", ".replaces"


def recover_add(reports_dir: Path, db_path: Path) -> None:
    """Finish or undo an ``add`` that was killed (the caller holds the writer lock).

    ``add`` takes place when it swaps in the new database; before that it stages
    the new file (and notes the file it replaces), after it it renames the file
    into place, removes the replaced one and then the note. So the database
    tells what to do with what is left: if it holds the staged file's report
    (same file name and checksum), the add took place and is finished;
    otherwise it is undone. Either way the folder and the database then agree,
    and nothing staged is left. Each step can be interrupted and recovered again.
    """
    if not reports_dir.is_dir():
        return
    for staged in sorted(reports_dir.glob(f".*{_INCOMING}")):
        name = staged.name[1 : -len(_INCOMING)]
        if _holds(db_path, name, hashlib.sha256(staged.read_bytes()).hexdigest()):
            os.replace(staged, reports_dir / name)
        else:
            staged.unlink()
    for note in sorted(reports_dir.glob(f".*{_REPLACES}")):
        name = note.name[1 : -len(_REPLACES)]
        replaced = note.read_text(encoding="utf-8")
        if replaced and replaced != name and _holds(db_path, name) and (reports_dir / name).exists():
            (reports_dir / replaced).unlink(missing_ok=True)  # the add took place: finish it
        note.unlink()


def _holds(db_path: Path, source_file: str, sha256: str | None = None) -> bool:
    """Whether the database holds a report read from ``source_file`` (with that checksum)."""
    if not db_path.exists():
        return False
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        row = con.execute(
            "SELECT count(*) FROM store.reports WHERE source_file = ? AND (? IS NULL OR source_sha256 = ?)",
            [source_file, sha256, sha256],
        ).fetchone()
    finally:
        con.close()
    return bool(row and row[0])


def _add_parsed(report: Report, path: Path, reports_dir: Path, db_path: Path, replace: bool) -> Report:
    dest_name = safe_file_name(path.name)
    report.source_file = dest_name
    if not db_path.exists():
        # Nothing loaded yet: the database is built from the folder plus the new file.
        others = parse_folder(reports_dir) if reports_dir.is_dir() and report_files(reports_dir) else []
        existing = {(r.agency, r.year): r for r in others}
        report.agency = match_existing(report.agency, {r.agency for r in others})
    else:
        existing = {}
        report.agency = match_existing(report.agency, _loaded_agencies(db_path))
    old = _existing_report(db_path, report, existing)
    if old is not None and not replace:
        raise ReportError(
            [
                Problem(
                    path.name,
                    "标题",
                    f"{report.agency} {report.year}年的报告已载入（{old[1]}），如需替换请加 --replace",
                )
            ]
        )
    taken = _report_id_owner(db_path, report, existing)
    if taken is not None and (old is None or old[0] != report.report_id):
        raise ReportError(
            [
                Problem(
                    path.name, "文件名", f"报告编号“{report.report_id}”已被另一份报告（{taken}）使用，请改名"
                )
            ]
        )
    clash = reports_dir / dest_name
    if clash.exists() and (old is None or old[1] != dest_name):
        raise ReportError(
            [Problem(path.name, "文件名", f"{reports_dir}中已有同名文件{dest_name}（属于另一份报告）")]
        )
    reports_dir.mkdir(parents=True, exist_ok=True)
    # Staged, then the database swapped in (the add takes place), then the files put in
    # place: a writer killed at any point is finished or undone by recover_add().
    replaced = old[1] if old is not None and old[1] != dest_name else ""
    note = reports_dir / f".{dest_name}{_REPLACES}"
    staged_copy = reports_dir / f".{dest_name}{_INCOMING}"
    try:
        if replaced:
            note.write_text(replaced, encoding="utf-8")
        shutil.copyfile(path, staged_copy)
        if db_path.exists():
            with staged_database(db_path, start_from_existing=True) as con:
                if old is not None:
                    delete_report(con, old[0])
                insert_reports(con, [report])
                refresh_cross_year_checks(con)
        else:
            kept = [r for r in existing.values() if (r.agency, r.year) != (report.agency, report.year)]
            write_database(db_path, [*kept, report])
        os.replace(staged_copy, reports_dir / dest_name)
        if replaced:
            (reports_dir / replaced).unlink(missing_ok=True)
    finally:
        staged_copy.unlink(missing_ok=True)
        note.unlink(missing_ok=True)
    return report


def _report_id_owner(db_path: Path, report: Report, parsed: dict) -> str | None:
    """The source file of a loaded report that already has ``report``'s id, if any."""
    if not db_path.exists():
        same = [r.source_file for r in parsed.values() if r.report_id == report.report_id]
        return same[0] if same else None
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        row = con.execute(
            "SELECT source_file FROM store.reports WHERE report_id = ?", [report.report_id]
        ).fetchone()
    finally:
        con.close()
    return row[0] if row else None


def _loaded_agencies(db_path: Path) -> list[str]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return [row[0] for row in con.execute("SELECT DISTINCT agency FROM store.reports").fetchall()]
    finally:
        con.close()


def _existing_report(db_path: Path, report: Report, parsed: dict) -> tuple[str, str] | None:
    """(report_id, source_file) of the loaded report of the same agency and year."""
    if not db_path.exists():
        r = parsed.get((report.agency, report.year))
        return (r.report_id, r.source_file) if r else None
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        row = con.execute(
            "SELECT report_id, source_file FROM store.reports WHERE agency = ? AND year = ?",
            [report.agency, report.year],
        ).fetchone()
    finally:
        con.close()
    return (row[0], row[1]) if row else None
