"""What an official supplied for a report (agency, year), kept beside its file.

``data/reports/x.pdf`` gets ``data/reports/x.meta.json`` when an official gave the
agency or year (the title has none, or says it wrong), so that ``etl build`` reads
the report the same way later. The file holds the checksum of the report it was
written for.

A report fetched from its agency's site (``etl fetch``) also has there where it was
published: ``"source": {url, page_url, title, fetched_at, etag, last_modified, sha256}``.
The source describes the file whose SHA-256 it holds: a source whose checksum is not the
file's (the file was replaced by hand) is stale and is not read (:func:`source_url_of`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .model import Problem, ReportError

META_SUFFIX = ".meta.json"


def meta_path(report_path: Path) -> Path:
    """``data/reports/x.pdf`` → ``data/reports/x.meta.json``."""
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


def meta_json(agency: str | None, year: int | None, sha256: str) -> str:
    return json.dumps({"agency": agency, "year": year, "source_sha256": sha256}, ensure_ascii=False, indent=1)


def put_meta(staged: Path, report_path: Path, meta: dict) -> None:
    """A staged sidecar into place, or (nothing supplied) the report's old sidecar removed.

    Where the file was fetched from stays when it describes this very file (same SHA-256)."""
    source = read_source(report_path)
    if source is not None and source.get("sha256") != meta.get("source_sha256"):
        source = None
    if source is not None:
        data = {
            "agency": meta.get("agency"),
            "year": meta.get("year"),
            "source_sha256": meta.get("source_sha256"),
        }
        write_json_atomic(meta_path(report_path), {**data, "source": source})
        staged.unlink()
    elif meta.get("agency") is not None or meta.get("year") is not None:
        os.replace(staged, meta_path(report_path))
    else:
        meta_path(report_path).unlink(missing_ok=True)
        staged.unlink()


def drop_replaced_meta(reports_dir: Path, replaced: str, name: str) -> None:
    """A replaced file's sidecar goes with it, unless it is the new file's too (same stem)."""
    if meta_path(reports_dir / replaced) != meta_path(reports_dir / name):
        meta_path(reports_dir / replaced).unlink(missing_ok=True)


# --- Where a fetched report was published -----------------------------------------------

SOURCE_KEYS = ("url", "page_url", "title", "fetched_at", "etag", "last_modified", "sha256")


def read_source(report_path: Path) -> dict | None:
    """Where a fetched report was published (url, fetched_at, etag, last_modified, sha256, …),
    or None: no sidecar, no source in it, or a sidecar that cannot be read."""
    try:
        data = json.loads(meta_path(report_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    source = data.get("source") if isinstance(data, dict) else None
    if not isinstance(source, dict) or not isinstance(source.get("url"), str):
        return None
    return {k: source.get(k) for k in SOURCE_KEYS}


def source_url_of(report_path: Path, sha256: str) -> str | None:
    """The URL a report file was fetched from, when its sidecar's source describes this very
    file (its SHA-256): what ``reports.source_url`` holds."""
    source = read_source(report_path)
    return source["url"] if source is not None and source.get("sha256") == sha256 else None


def write_source(report_path: Path, source: dict) -> None:
    """Record where a report was fetched from in its sidecar, keeping what an official supplied
    there (agency, year) when it was written for the same file."""
    try:
        old = json.loads(meta_path(report_path).read_text(encoding="utf-8"))
        old = old if isinstance(old, dict) else {}
    except (OSError, ValueError):
        old = {}
    if old.get("source_sha256") != source.get("sha256"):
        old = {}
    data = {
        "agency": old.get("agency"),
        "year": old.get("year"),
        "source_sha256": source.get("sha256"),
        "source": {k: source.get(k) for k in SOURCE_KEYS},
    }
    write_json_atomic(meta_path(report_path), data)


def write_json_atomic(path: Path, data: dict) -> None:
    """Write JSON so that a reader (or a process killed meanwhile) never sees half a file:
    a temporary name in the same folder, flushed to disk, then renamed over the old file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(json.dumps(data, ensure_ascii=False, indent=1))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
