"""What an official supplied for a report (agency, year), kept beside its file.

``data/reports/x.pdf`` gets ``data/reports/x.meta.json`` when an official gave the
agency or year (the title has none, or says it wrong), so that ``etl build`` reads
the report the same way later. The file holds the checksum of the report it was
written for.
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
    """A staged sidecar into place, or (nothing supplied) the report's old sidecar removed."""
    if meta.get("agency") is not None or meta.get("year") is not None:
        os.replace(staged, meta_path(report_path))
    else:
        meta_path(report_path).unlink(missing_ok=True)
        staged.unlink()


def drop_replaced_meta(reports_dir: Path, replaced: str, name: str) -> None:
    """A replaced file's sidecar goes with it, unless it is the new file's too (same stem)."""
    if meta_path(reports_dir / replaced) != meta_path(reports_dir / name):
        meta_path(reports_dir / replaced).unlink(missing_ok=True)
