"""The stored reports into the database, through the same path as ``etl add``.

Every file of the store is looked at, not only this run's downloads: a run killed after
downloading and before loading is finished by the next. A file the database already holds
(same name and SHA-256) is unchanged; a new one is added; a changed one replaces the
version loaded from the same URL. A report of the same agency and year loaded from
elsewhere (another file, added by hand) is left alone.
"""

from __future__ import annotations

from pathlib import Path

from .. import store as database
from ..model import ReportError
from ..pipeline import AlreadyLoaded, add
from ..sidecar import read_source, write_source
from .store import FetchStore, Stored
from .summary import Tally


def load_stored(fetch_store: FetchStore, tally: Tally, reports_dir: Path, db_path: Path) -> None:
    stored = sorted(fetch_store.index.values(), key=lambda s: s.path.name)
    for k, item in enumerate(stored, 1):
        tally.progress(stage=f"载入（{k}/{len(stored)}）")
        _load_one(item, tally, reports_dir, db_path)


def _article_of(item: Stored, tally: Tally) -> str:
    """The article URL the summary knows this file by (the page that linked the attachment)."""
    for url in (item.source.get("page_url"), item.source["url"]):
        if url in tally.found:
            return url
    return item.source.get("page_url") or item.source["url"]


def _load_one(item: Stored, tally: Tally, reports_dir: Path, db_path: Path) -> None:
    name, sha = item.path.name, item.source["sha256"]
    article = _article_of(item, tally)
    title = tally.found.get(article) or item.source.get("title") or ""
    if database.holds(db_path, name, sha):
        _record_source(reports_dir / name, item.source)  # repairs one a killed run did not write
        if tally.fetched.get(article) in ("new", "changed"):
            tally.note("new", article, title, "已载入（上次运行下载后中断，本次补齐）", name)
        elif article in tally.found and article not in tally.outcomes:
            tally.note("unchanged", article, title, "已载入，文件未变", name)
        return
    try:
        try:
            report = add(item.path, reports_dir, db_path)
            reason = "新报告，已载入"
        except AlreadyLoaded as exc:
            if exc.loaded_file != name:
                tally.note(
                    "skipped",
                    article,
                    title,
                    f"{exc.agency} {exc.year}年的报告已载入（{exc.loaded_file}），保留不动",
                    name,
                )
                return
            report = add(item.path, reports_dir, db_path, replace=True)
            reason = "已发布的文件有变化，已替换旧版本"
    except ReportError as exc:
        tally.note("refused", article, title, "；".join(str(p) for p in exc.problems), name)
        return
    _record_source(reports_dir / name, item.source)
    tally.note("new", article, title, f"{reason}（{report.agency} {report.year}年）", name)


def _record_source(report_path: Path, source: dict) -> None:
    if report_path.exists() and read_source(report_path) != source:
        write_source(report_path, source)
