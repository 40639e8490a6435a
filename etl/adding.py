"""Adding one report to a loaded database, atomically: what ``etl add`` and the import page do.

The new file is staged in the reports folder, the database is swapped in (the add
takes place), then the file is put in place; a writer killed at any point is
finished or undone by :func:`recover_add`, so the folder and the database agree.
Nothing here parses: the caller hands over the parsed report (and, for a folder not
yet built, how to parse the folder).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from . import store
from .agencies import match_existing
from .filing import file_reports, registry_beside
from .load import insert_reports, refresh_derived, staged_database, write_database, write_units
from .model import Problem, Report, ReportError
from .sidecar import drop_replaced_meta, meta_json, meta_path, put_meta


class AlreadyLoaded(ReportError):
    """A report of the same agency and year is loaded: replacing it needs the official's say.

    The message is the command line's (``--replace``); the import page words it its own way
    from the attributes."""

    def __init__(self, file: str, agency: str, year: int, loaded_file: str):
        self.agency, self.year, self.loaded_file = agency, year, loaded_file
        super().__init__(
            [Problem(file, "标题", f"{agency} {year}年的报告已载入（{loaded_file}），如需替换请加 --replace")]
        )


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
        if store.holds(db_path, name, hashlib.sha256(staged.read_bytes()).hexdigest()):
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
            put_meta(staged, reports_dir / name, meta)  # the add took place: finish it
        else:
            staged.unlink()
    for note in sorted(reports_dir.glob(f".*{_REPLACES}")):
        name = note.name[1 : -len(_REPLACES)]
        replaced = note.read_text(encoding="utf-8")
        if replaced and replaced != name and store.holds(db_path, name) and (reports_dir / name).exists():
            (reports_dir / replaced).unlink(missing_ok=True)  # the add took place: finish it
            drop_replaced_meta(reports_dir, replaced, name)
        note.unlink()


def _holds_meta(db_path: Path, source_file: str, meta: dict) -> bool:
    """Whether the database holds the report a staged sidecar was written for, read with what
    it supplies (the same file may be added again with other values)."""
    row = store.how_read(db_path, source_file, meta.get("source_sha256"))
    if row is None:
        return False
    agency, year, agency_source, year_source = row
    supplied_agency, supplied_year = meta.get("agency"), meta.get("year")
    if (agency_source == "supplied") != (supplied_agency is not None):
        return False
    if (year_source == "supplied") != (supplied_year is not None) or supplied_year not in (None, year):
        return False
    return supplied_agency is None or match_existing(supplied_agency, [agency]) == agency


def add_parsed(
    report: Report,
    path: Path,
    reports_dir: Path,
    db_path: Path,
    replace: bool,
    supplied: tuple[str | None, int | None],
    parse_folder: Callable[[Path], list[Report]],
) -> Report:
    """Load a parsed report (the caller holds the writer lock, after ``recover_add``).

    With no database yet, it is built from the folder's reports (``parse_folder``: none for a
    folder without report files) plus the new report."""
    dest_name = safe_file_name(path.name)
    report.source_file = dest_name
    registry = registry_beside(reports_dir)
    if not db_path.exists():
        # Nothing loaded yet: the database is built from the folder plus the new file.
        others = parse_folder(reports_dir) if reports_dir.is_dir() else []
        existing = {(r.agency, r.year): r for r in others}
        loaded = [r.agency for r in others]
    else:
        existing = {}
        loaded = store.loaded_agencies(db_path)
    units = file_reports([report], registry, loaded)
    old = _loaded(db_path, report, existing)
    if old is not None and not replace:
        raise AlreadyLoaded(path.name, report.agency, report.year, old[1])
    taken = _id_owner(db_path, report, existing)
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
            staged_meta.write_text(meta_json(*supplied, report.source_sha256), encoding="utf-8")
        if db_path.exists():
            with staged_database(db_path, start_from_existing=True) as con:
                if old is not None:
                    store.delete_report(con, old[0])
                insert_reports(con, [report])
                write_units(con, units)
                store.drop_refusals(con, dest_name)  # the file of that name now loads
                refresh_derived(con)
        else:
            kept = [r for r in existing.values() if (r.agency, r.year) != (report.agency, report.year)]
            write_database(db_path, [*kept, report], units)
        os.replace(staged_copy, reports_dir / dest_name)
        if with_meta:
            put_meta(staged_meta, reports_dir / dest_name, meta)
        if replaced:
            (reports_dir / replaced).unlink(missing_ok=True)
            drop_replaced_meta(reports_dir, replaced, dest_name)
    finally:
        staged_copy.unlink(missing_ok=True)
        staged_meta.unlink(missing_ok=True)
        note.unlink(missing_ok=True)
    return report


def _id_owner(db_path: Path, report: Report, parsed: dict) -> str | None:
    """The source file of a loaded (or, with no database yet, parsed) report with ``report``'s id."""
    if not db_path.exists():
        return next((r.source_file for r in parsed.values() if r.report_id == report.report_id), None)
    return store.report_id_owner(db_path, report.report_id)


def _loaded(db_path: Path, report: Report, parsed: dict) -> tuple[str, str] | None:
    """(report_id, source_file) of the loaded (or parsed) report of the same agency and year."""
    if not db_path.exists():
        r = parsed.get((report.agency, report.year))
        return (r.report_id, r.source_file) if r else None
    return store.loaded_report(db_path, report.agency, report.year)
