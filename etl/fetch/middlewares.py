"""Two additions to Scrapy's own machinery: a pause before each retry that doubles with each
attempt (Scrapy retries at once), and an HTTP cache that a killed process cannot leave half
written (Scrapy's writes an entry's files one by one, in place)."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from scrapy.extensions.httpcache import FilesystemCacheStorage
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor, task

BACKOFF_BASE = 1.0  # seconds before the first retry; 2, 4… before the next
BACKOFF_MAX = 30.0


class RetryBackoff:
    """Delay a retried request (Scrapy's RetryMiddleware marks it with ``retry_times``):
    ``FETCH_BACKOFF_BASE`` × 2^(attempt−1) seconds, at most ``BACKOFF_MAX``."""

    def __init__(self, base: float):
        self.base = base

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getfloat("FETCH_BACKOFF_BASE", BACKOFF_BASE))

    async def process_request(self, request):
        attempt = request.meta.get("retry_times", 0)
        if attempt and self.base > 0:
            delay = min(self.base * 2 ** (attempt - 1), BACKOFF_MAX)
            await maybe_deferred_to_future(task.deferLater(reactor, delay, lambda: None))
        return None


class AtomicFilesystemCacheStorage(FilesystemCacheStorage):
    """Scrapy's filesystem HTTP cache, each entry written in a temporary folder and renamed into
    place: a killed crawl leaves a whole entry or none (a half-written listing page read back
    from the cache would hide reports)."""

    def open_spider(self, spider) -> None:
        super().open_spider(spider)
        # What a killed crawl left half written (never read: the entries' names start with a dot).
        for stale in Path(self.cachedir).glob("*/*/.*"):
            shutil.rmtree(stale, ignore_errors=True)

    def store_response(self, spider, request, response) -> None:
        final = Path(self._get_request_path(spider, request))
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = final.with_name(f".{final.name}.{uuid.uuid4().hex}.tmp")
        real = self._get_request_path
        self._get_request_path = lambda spider, request: str(tmp)  # the parent writes the entry there
        try:
            super().store_response(spider, request, response)
        finally:
            self._get_request_path = real
        old = None
        if final.exists():
            old = final.with_name(f".{final.name}.{uuid.uuid4().hex}.old")
            os.replace(final, old)
        os.replace(tmp, final)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
