"""The Scrapy spider of agencies' 年报 columns, and the item pipeline that stores what it fetched.

From each start URL it follows the column's listing pages, takes the articles whose title is
an annual report's (others are skipped, with the reason), and from each article the report
as published: the page itself, or the attachment the page only links. Report files are asked
for with the validators of the copy in the store (a 304 means unchanged); listing and article
pages go through Scrapy's HTTP cache, revalidated on each run.
"""

from __future__ import annotations

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import TCPTimedOutError, TimeoutError

from .links import (
    file_suffix,
    holds_report_text,
    is_listing_page,
    looks_like_article,
    pick_attachment,
    same_site,
    title_verdict,
)
from .store import FetchStore
from .summary import Tally

MAX_LISTING_PAGES = 200  # per start URL: a column's listing is bounded, whatever its links say


class ReportSpider(scrapy.Spider):
    name = "reports"

    def __init__(self, start_urls: list[str], store: FetchStore, tally: Tally, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = list(start_urls)
        self.store = store
        self.tally = tally
        self.listings: dict[str, set[str]] = {url: {url} for url in self.start_urls}  # bounded per column

    async def start(self):
        for url in self.start_urls:
            yield Request(url, self.parse_listing, meta={"start": url}, errback=self.failed)

    def parse_listing(self, response: Response):
        start = response.meta["start"]
        if not isinstance(response, TextResponse):
            self.tally.note("failed", response.url, "", "列表页不是网页")
            return
        for url, text in _links(response):
            if not same_site(url, start):
                continue
            if is_listing_page(url, text, start):
                if url not in self.listings[start] and len(self.listings[start]) < MAX_LISTING_PAGES:
                    self.listings[start].add(url)
                    yield Request(url, self.parse_listing, meta={"start": start}, errback=self.failed)
                continue
            verdict = title_verdict(text)
            if verdict.report:
                if url not in self.tally.found:  # the same article linked twice is fetched once
                    self.tally.report_found(url, text)
                    yield self._article_request(url, text, start)
            elif looks_like_article(text) and url not in self.tally.outcomes:
                self.tally.note("skipped", url, text, verdict.reason)

    def _article_request(self, url: str, title: str, start: str) -> Request:
        meta = {"start": start, "article": url, "title": title}
        if file_suffix(url):  # the listing links the report file itself
            return self._file_request(url, url, meta)
        return Request(url, self.parse_article, meta=meta, errback=self.failed)

    def _file_request(self, url: str, page_url: str, meta: dict) -> Request:
        """A report file, asked for with the validators of its stored copy (304: unchanged)."""
        return Request(
            url,
            self.parse_file,
            headers=self.store.validators(url),
            meta={**meta, "page_url": page_url, "dont_cache": True, "handle_httpstatus_list": [304]},
            errback=self.failed,
        )

    def parse_article(self, response: Response):
        meta = response.meta
        if not isinstance(response, TextResponse):  # an article URL that serves the file itself
            yield from self.parse_file(response)
            return
        text = " ".join(
            response.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]").getall()
        )
        attachment = pick_attachment(list(_links(response)), meta["title"])
        if attachment is not None and not holds_report_text(text):
            if not same_site(attachment, meta["start"]):
                self.tally.note(
                    "failed", meta["article"], meta["title"], f"附件在其他网站（{attachment}），未下载"
                )
                return
            yield self._file_request(attachment, meta["article"], _own(meta))
            return
        yield _item(response, meta["article"], meta)

    def parse_file(self, response: Response):
        meta = response.meta
        if response.status == 304:
            stored = self.store.index.get(_as_linked(response))
            self.tally.fetched[meta["article"]] = "unchanged"
            if stored is not None:
                self.tally.note(
                    "unchanged", meta["article"], meta["title"], "未修改（304）", stored.path.name
                )
            return
        yield _item(response, meta.get("page_url", meta["article"]), meta)

    def failed(self, failure):
        request = failure.request
        meta = request.meta
        url = meta.get("article", request.url)
        title = meta.get("title", "")
        where = "" if "article" in meta else "列表页："
        if failure.check(IgnoreRequest) and "robots" in str(failure.value):
            self.tally.note("skipped", url, title, f"{where}robots.txt 不允许抓取（{request.url}）")
            return
        retries = meta.get("retry_times", 0)
        tried = f"（已重试{retries}次）" if retries else ""
        if failure.check(HttpError):
            reason = f"HTTP {failure.value.response.status}"
        elif failure.check(TimeoutError, TCPTimedOutError) or "Timeout" in type(failure.value).__name__:
            reason = "超时"
        elif "maxsize" in str(failure.value).lower() or "max size" in str(failure.value).lower():
            reason = "文件超过大小上限"
        else:
            reason = f"{type(failure.value).__name__}：{failure.value}"
        self.tally.note("failed", url, title, f"{where}{reason}{tried}（{request.url}）")


def _links(response: TextResponse):
    """Each link of a page: (absolute URL without fragment, its title attribute or text)."""
    for a in response.css("a[href]"):
        href = (a.attrib.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        url = response.urljoin(href).split("#")[0]
        if not url.startswith(("http://", "https://")):
            continue
        text = (a.attrib.get("title") or "").strip() or " ".join(
            t.strip() for t in a.css("::text").getall()
        ).strip()
        yield url, text


def _own(meta: dict) -> dict:
    """The spider's own keys of a response's meta (not Scrapy's, which must not be copied)."""
    return {k: meta[k] for k in ("start", "article", "title") if k in meta}


def _as_linked(response: Response) -> str:
    """The URL a file was asked for, before any redirect: the store's key for it."""
    return (response.meta.get("redirect_urls") or [response.url])[0]


def _item(response: Response, page_url: str, meta: dict) -> dict:
    headers = {
        k.decode("latin-1").lower(): response.headers.get(k).decode("latin-1")
        for k in (b"Content-Type", b"ETag", b"Last-Modified")
        if response.headers.get(k)
    }
    return {
        "article": meta["article"],
        "url": _as_linked(response),
        "page_url": page_url,
        "title": meta["title"],
        "body": response.body,
        "headers": headers,
    }


class StorePipeline:
    """Each fetched report into the store (atomically), noted as fetched new, changed or unchanged."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item: dict) -> dict:
        spider = self.crawler.spider
        status, stored = spider.store.save(
            item["url"], item["page_url"], item["title"], item["body"], item["headers"]
        )
        spider.tally.fetched[item["article"]] = status
        if status == "unchanged":
            spider.tally.note("unchanged", item["article"], item["title"], "与已存文件相同", stored.path.name)
        return {"article": item["article"], "file": stored.path.name, "status": status}
