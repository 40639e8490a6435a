"""read → parse → validate → load, for one file (check), a folder (build) and a
new report (add). Each refuses bad input with a ReportError and leaves the
database as it was."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
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


def load_report(path: Path, agency: str | None = None, year: int | None = None) -> Report:
    """Read, parse and check one file (no database involved); ``agency``/``year`` are an
    official's (see ``parse_report``)."""
    report = parse_report(read_document(path), agency=agency, year=year)
    report.checks = run_checks(report)
    return report


class AlreadyLoaded(ReportError):
    """A report of the same agency and year is loaded: replacing it needs the official's say.

    The message is the command line's (``--replace``); the import page words it its own way
    from the attributes."""

    def __init__(self, file: str, agency: str, year: int, loaded_file: str):
        self.agency, self.year, self.loaded_file = agency, year, loaded_file
        super().__init__(
            [Problem(file, "标题", f"{agency} {year}年的报告已载入（{loaded_file}），如需替换请加 --replace")]
        )


# --- Supplied agency and year: a sidecar file next to the report ---------------------------

META_SUFFIX = ".meta.json"


def meta_path(report_path: Path) -> Path:
    """``data/reports/x.pdf`` → ``data/reports/x.meta.json``: what an official supplied for it."""
    return report_path.with_name(report_path.stem + META_SUFFIX)


def read_meta(report_path: Path) -> tuple[str | None, int | None]:
    """The agency and year supplied for a report in the folder (None, None without a sidecar)."""
    path = meta_path(report_path)
    if not path.exists():
        return None, None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        agency, year = data.get("agency"), data.get("year")
        if not (agency is None or isinstance(agency, str)) or not (year is None or type(year) is int):
            raise ValueError("agency must be text and year a whole number")
    except (OSError, ValueError, AttributeError) as exc:
        raise ReportError(
            [Problem(path.name, "整个文件", f"无法读取人工指定的机关名称和年度：{exc}")]
        ) from None
    return agency, year


def _meta_json(agency: str | None, year: int | None, sha256: str) -> str:
    return json.dumps({"agency": agency, "year": year, "source_sha256": sha256}, ensure_ascii=False, indent=1)


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
                reports.append(load_report(path, *read_meta(path)))
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
        return _add_parsed(report, path, reports_dir, db_path, replace, (agency, year))


# An add stages the new file as ``.NAME.incoming`` in the reports folder and, when it
# replaces a report of another file name, notes that name in ``.NAME.replaces``. What an
# official supplied (or, when nothing is, the removal of an older sidecar) is staged as
# ``.NAME.meta-staged``, holding the checksum of the file it belongs to.
_INCOMING, _REPLACES, _META_STAGED = ".incoming", ".replaces", ".meta-staged"


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
    for staged in sorted(reports_dir.glob(f".*{_META_STAGED}")):
        name = staged.name[1 : -len(_META_STAGED)]
        try:
            meta = json.loads(staged.read_text(encoding="utf-8"))
        except ValueError:  # killed while writing it: the add had not taken place
            meta = {}
        if meta and _holds_meta(db_path, name, meta) and (reports_dir / name).exists():
            _put_meta(staged, reports_dir / name, meta)  # the add took place: finish it
        else:
            staged.unlink()
    for note in sorted(reports_dir.glob(f".*{_REPLACES}")):
        name = note.name[1 : -len(_REPLACES)]
        replaced = note.read_text(encoding="utf-8")
        if replaced and replaced != name and _holds(db_path, name) and (reports_dir / name).exists():
            (reports_dir / replaced).unlink(missing_ok=True)  # the add took place: finish it
            _drop_replaced_meta(reports_dir, replaced, name)
        note.unlink()


def _drop_replaced_meta(reports_dir: Path, replaced: str, name: str) -> None:
    """The replaced file's sidecar goes with it, unless it is the new file's too (same stem)."""
    if meta_path(reports_dir / replaced) != meta_path(reports_dir / name):
        meta_path(reports_dir / replaced).unlink(missing_ok=True)


def _holds_meta(db_path: Path, source_file: str, meta: dict) -> bool:
    """Whether the database holds the report a staged sidecar was written for, read with what
    it supplies (the same file may be added again with other values)."""
    if not db_path.exists():
        return False
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        row = con.execute(
            "SELECT agency, year, agency_source, year_source FROM store.reports "
            "WHERE source_file = ? AND source_sha256 = ?",
            [source_file, meta.get("source_sha256")],
        ).fetchone()
    except duckdb.Error:  # a database from before supplied values: it cannot hold this add
        return False
    finally:
        con.close()
    if row is None:
        return False
    agency, year, agency_source, year_source = row
    supplied_agency, supplied_year = meta.get("agency"), meta.get("year")
    if (agency_source == "supplied") != (supplied_agency is not None):
        return False
    if (year_source == "supplied") != (supplied_year is not None) or supplied_year not in (None, year):
        return False
    return supplied_agency is None or match_existing(supplied_agency, [agency]) == agency


def _put_meta(staged: Path, report_path: Path, meta: dict) -> None:
    """The staged sidecar into place, or (nothing supplied) the report's old sidecar removed."""
    if meta.get("agency") is not None or meta.get("year") is not None:
        os.replace(staged, meta_path(report_path))
    else:
        meta_path(report_path).unlink(missing_ok=True)
        staged.unlink()


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


def _add_parsed(
    report: Report,
    path: Path,
    reports_dir: Path,
    db_path: Path,
    replace: bool,
    supplied: tuple[str | None, int | None] = (None, None),
) -> Report:
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
        raise AlreadyLoaded(path.name, report.agency, report.year, old[1])
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
    staged_meta = reports_dir / f".{dest_name}{_META_STAGED}"
    meta = {"agency": supplied[0], "year": supplied[1], "source_sha256": report.source_sha256}
    with_meta = supplied != (None, None) or meta_path(reports_dir / dest_name).exists()
    try:
        if replaced:
            note.write_text(replaced, encoding="utf-8")
        shutil.copyfile(path, staged_copy)
        if with_meta:  # after the staged copy: recovery finds the copy whenever it finds this
            staged_meta.write_text(_meta_json(*supplied, report.source_sha256), encoding="utf-8")
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
        if with_meta:
            _put_meta(staged_meta, reports_dir / dest_name, meta)
        if replaced:
            (reports_dir / replaced).unlink(missing_ok=True)
            _drop_replaced_meta(reports_dir, replaced, dest_name)
    finally:
        staged_copy.unlink(missing_ok=True)
        staged_meta.unlink(missing_ok=True)
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
