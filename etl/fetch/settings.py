"""Scrapy's settings for a fetch: polite (robots.txt, one request at a time per site, about one a
second, AutoThrottle slowing down for a slow site), robust (timeouts, retries with backoff on 5xx
and timeouts, redirects, a size cap) and remembering (an HTTP cache revalidated on every run)."""

from __future__ import annotations

from pathlib import Path

from ..readers import MAX_BYTES

DEFAULT_DELAY = 1.0  # seconds between two requests to one site
DEFAULT_TIMEOUT = 30.0
DEFAULT_RETRIES = 3
MAX_REQUESTS = 5000  # a run stops after this many responses, whatever the sites link
USER_AGENT = "disclosure-dashboard-fetch/0.1 (政府信息公开工作年度报告收集; 遵守 robots.txt)"


def crawl_settings(
    store_root: Path,
    delay: float = DEFAULT_DELAY,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    backoff: float = 1.0,
    max_requests: int = MAX_REQUESTS,
) -> dict:
    return {
        "BOT_NAME": "etl-fetch",
        "USER_AGENT": USER_AGENT,
        "ROBOTSTXT_OBEY": True,
        # One request at a time per site, ``delay`` seconds apart (no random jitter below it);
        # AutoThrottle lengthens the delay for a slow site, never shortens it below ``delay``.
        "CONCURRENT_REQUESTS": 8,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "DOWNLOAD_DELAY": delay,
        "DOWNLOAD_DELAY_JITTER": 0,
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": delay,
        "AUTOTHROTTLE_MAX_DELAY": max(60.0, delay),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
        "DOWNLOAD_TIMEOUT": timeout,
        "RETRY_ENABLED": True,
        "RETRY_TIMES": retries,
        "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
        "FETCH_BACKOFF_BASE": backoff,
        "REDIRECT_ENABLED": True,
        "REDIRECT_MAX_TIMES": 5,
        "DOWNLOAD_MAXSIZE": MAX_BYTES,  # what the readers accept
        "DOWNLOAD_WARNSIZE": MAX_BYTES // 2,
        "HTTPCACHE_ENABLED": True,
        "HTTPCACHE_POLICY": "scrapy.extensions.httpcache.RFC2616Policy",
        "HTTPCACHE_STORAGE": "etl.fetch.middlewares.AtomicFilesystemCacheStorage",
        "HTTPCACHE_DIR": str((store_root / "httpcache").resolve()),
        # Every cached page is revalidated (a conditional request) rather than trusted as fresh:
        # a column's listing changes when a new report is published.
        "DEFAULT_REQUEST_HEADERS": {
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Language": "zh-CN,zh;q=0.9",
            "Cache-Control": "max-age=0",
        },
        "DOWNLOADER_MIDDLEWARES": {"etl.fetch.middlewares.RetryBackoff": 560},
        "ITEM_PIPELINES": {"etl.fetch.spider.StorePipeline": 300},
        "CLOSESPIDER_PAGECOUNT": max_requests,
        "LOG_FILE": str(store_root / "fetch.log"),
        "LOG_LEVEL": "INFO",
        "LOG_FILE_APPEND": False,
        "LOG_INSTALL_ROOT_HANDLER": True,
        "TELNETCONSOLE_ENABLED": False,
        "COOKIES_ENABLED": False,
    }
