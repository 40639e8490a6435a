"""The store of fetched reports: each file as published, its sidecar (``NAME.meta.json``:
the source URL, the fetch time, the HTTP validators and the SHA-256) beside it.

It is also the crawl's memory: a URL fetched before is asked for again with its
validators (If-None-Match / If-Modified-Since), and keeps its file name. Every file is
written under a temporary name, flushed to disk and renamed, and its sidecar after it:
a process killed at any moment leaves either the old file or the new one, never half
of one, and a file without its sidecar (killed in between) is removed on the next run.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..adding import safe_file_name
from ..readers import REPORT_SUFFIXES
from ..sidecar import META_SUFFIX, meta_path, read_source, write_source
from .links import file_suffix

TMP_SUFFIX = ".part"

_TYPES = {
    "application/pdf": ".pdf",
    "application/msword": ".doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.ms-works": ".wps",
    "application/kswps": ".wps",
    "text/html": ".html",
    "application/xhtml+xml": ".html",
}


@dataclass(frozen=True)
class Stored:
    path: Path
    source: dict  # url, page_url, title, fetched_at, etag, last_modified, sha256


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """The bytes under a temporary name in the same folder, flushed to disk, renamed into place."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}{TMP_SUFFIX}")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)  # the rename itself survives a crash
    finally:
        os.close(fd)


def suffix_of(url: str, content_type: str, body: bytes) -> str:
    """A fetched file's suffix: by its URL, else its Content-Type, else its first bytes."""
    by_url = file_suffix(url)
    if by_url:
        return by_url
    mime = content_type.split(";")[0].strip().lower()
    if mime in _TYPES:
        return _TYPES[mime]
    if body.startswith(b"%PDF"):
        return ".pdf"
    if body.startswith(b"PK\x03\x04"):
        return ".docx"
    if body.startswith(b"\xd0\xcf\x11\xe0"):
        return ".doc"
    return ".html"


class FetchStore:
    """A folder of fetched files with their sidecars, indexed by source URL."""

    def __init__(self, root: Path):
        self.root = root
        self.files = root / "files"
        self.files.mkdir(parents=True, exist_ok=True)
        self.cleaned = self._clean()
        self.index: dict[str, Stored] = {}
        for path in sorted(self.files.iterdir()):
            if self._is_report(path):
                source = read_source(path)
                if source is not None:
                    self.index[source["url"]] = Stored(path, source)

    @staticmethod
    def _is_report(path: Path) -> bool:
        return path.is_file() and not path.name.startswith(".") and path.suffix.lower() in REPORT_SUFFIXES

    def _clean(self) -> list[str]:
        """Remove what a killed run left: temporary files, and files whose sidecar was never written."""
        removed = []
        for path in sorted(self.files.iterdir()):
            stale = path.name.startswith(".") and path.name.endswith((TMP_SUFFIX, ".tmp"))
            orphan = self._is_report(path) and read_source(path) is None
            if stale or orphan:
                path.unlink(missing_ok=True)
                removed.append(path.name)
        return removed

    def validators(self, url: str) -> dict[str, str]:
        """The conditional-request headers for a URL fetched before (none for a new one)."""
        stored = self.index.get(url)
        if stored is None or not stored.path.is_file():
            return {}
        headers = {}
        if stored.source.get("etag"):
            headers["If-None-Match"] = stored.source["etag"]
        if stored.source.get("last_modified"):
            headers["If-Modified-Since"] = stored.source["last_modified"]
        return headers

    def name_for(self, url: str, title: str, suffix: str) -> str:
        """A URL's file name: the one it had, else its title (or URL's last part) and a short hash of the URL."""
        stored = self.index.get(url)
        if stored is not None and stored.path.suffix.lower() == suffix:
            return stored.path.name
        stem = title.strip() or Path(url.split("?")[0].rstrip("/")).stem or "report"
        digest = hashlib.sha1(url.encode("utf-8")).hexdigest()[:8]
        return safe_file_name(f"{stem[:60]}-{digest}{suffix}")

    def save(
        self, url: str, page_url: str, title: str, body: bytes, headers: dict[str, str]
    ) -> tuple[str, Stored]:
        """Store a fetched file: ("new" | "changed" | "unchanged", where it is)."""
        sha = hashlib.sha256(body).hexdigest()
        old = self.index.get(url)
        if old is not None and old.source.get("sha256") == sha and old.path.is_file():
            validators = {"etag": headers.get("etag"), "last_modified": headers.get("last-modified")}
            if any(old.source.get(k) != v for k, v in validators.items()):  # same bytes, new validators
                old = Stored(old.path, {**old.source, **validators})
                write_source(old.path, old.source)
                self.index[url] = old
            return "unchanged", old
        suffix = suffix_of(url, headers.get("content-type", ""), body)
        path = self.files / self.name_for(url, title, suffix)
        source = {
            "url": url,
            "page_url": page_url,
            "title": title,
            "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "etag": headers.get("etag"),
            "last_modified": headers.get("last-modified"),
            "sha256": sha,
        }
        write_bytes_atomic(path, body)
        write_source(path, source)  # after the file: a file without it is removed as unfinished
        if old is not None and old.path != path:
            old.path.unlink(missing_ok=True)
            meta_path(old.path).unlink(missing_ok=True)
        stored = Stored(path, source)
        self.index[url] = stored
        return ("new" if old is None else "changed"), stored

    def sidecars(self) -> list[Path]:
        return sorted(self.files.glob(f"*{META_SUFFIX}"))
