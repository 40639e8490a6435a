"""A local copy of an agency's 年报 column, built by the tests and served on 127.0.0.1 (a free port).

``/xxgk/nb/index.html`` lists the reports over three listing pages (下一页, page numbers):
an HTML report (UTF-8), an HTML report in GBK (declared by the HTTP header and a meta tag)
linked from two listing pages, a PDF-only report (the real Hongze 2023 report), a
``.doc``-only report (the official 2021 template filled in, converted by LibreOffice) listed
on a GB2312 page that says so only in its meta tag, a
guide and a notice (not reports), a report-titled article under a path robots.txt
disallows, and a link to another host. The second listing page fails once with HTTP 500;
``Site.slow_once`` makes a page answer once only after the client's timeout.

The server answers conditional requests (If-None-Match, If-Modified-Since → 304) and logs
every request, so tests can tell what was downloaded, when, and how many at a time.
"""

from __future__ import annotations

import dataclasses
import email.utils
import hashlib
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.fixtures import CORPUS, SEED_TITLE, seed_text
from tests.render import seed_content, seed_html

HONGZE_PDF = CORPUS / "huaian-hongze-district-2023.pdf"
COLUMN = "/xxgk/nb/"
DISALLOWED = "/xxgk/nb/draft/"
LAST_MODIFIED = email.utils.formatdate(1_700_000_000, usegmt=True)

# The reports of the column: article path → title.
HTML_REPORT = ("/xxgk/nb/art/2021/jia.html", "2020年示例市甲局政府信息公开工作年度报告")
GBK_REPORT = ("/xxgk/nb/art/2021/yi.html", "2020年示例市乙局政府信息公开工作年度报告")
PDF_REPORT = ("/xxgk/nb/art/2024/hongze.html", "淮安市洪泽区2023年政府信息公开工作年度报告")
DOC_REPORT = ("/xxgk/nb/art/2023/shili.html", "示例县人民政府2022年政府信息公开工作年度报告")
PDF_FILE = "/xxgk/nb/files/hongze-2023.pdf"
DOC_FILE = "/xxgk/nb/files/shili-2022.doc"
GUIDE = ("/xxgk/nb/art/guide.html", "示例市人民政府政府信息公开指南（2023年修订）")
NOTICE = ("/xxgk/nb/art/notice.html", "关于做好2023年政府信息公开工作年度报告编制工作的通知")
DRAFT = ("/xxgk/nb/draft/bing.html", "2021年示例市丙局政府信息公开工作年度报告")
FAILS_ONCE = "/xxgk/nb/index_1.html"
REPORTS = (HTML_REPORT, GBK_REPORT, PDF_REPORT, DOC_REPORT)


@dataclass
class Page:
    body: bytes
    content_type: str
    etag: str | None = None
    last_modified: str | None = LAST_MODIFIED


@dataclass
class Hit:
    path: str
    status: int
    start: float
    end: float
    headers: dict[str, str]


@dataclass
class Site:
    pages: dict[str, Page]
    fail_once: set[str] = field(default_factory=set)
    slow_once: dict[str, float] = field(default_factory=dict)  # path → seconds before answering, once
    hits: list[Hit] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def replace(self, path: str, body: bytes) -> None:
        """Publish a new version of a file (new body, ETag and Last-Modified)."""
        old = self.pages[path]
        self.pages[path] = dataclasses.replace(
            old,
            body=body,
            etag=f'"{hashlib.sha1(body).hexdigest()[:16]}"' if old.etag else None,
            last_modified=email.utils.formatdate(1_800_000_000, usegmt=True),
        )


def _html(title: str, body: str, charset: str = "utf-8") -> str:
    return (
        f'<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        f"<title>{title}</title></head>\n<body>\n"
        '<div class="nav"><a href="/">首页</a> <a href="/xxgk/">政务公开</a> <a href="/xxgk/nb/">政府信息公开年报</a></div>\n'
        f"{body}\n</body></html>\n"
    )


def _listing(items: list[tuple[str, str]], pager: str, charset: str = "utf-8") -> bytes:
    lis = "\n".join(
        f'<li><a href="{p}" title="{t}" target="_blank">{t[:14]}…</a><span>2024-01-20</span></li>'
        for p, t in items
    )
    page = _html(
        "政府信息公开年报", f'<ul class="list">\n{lis}\n</ul>\n<div class="pager">{pager}</div>', charset
    )
    return page.encode(charset)


def _attachment_page(title: str, file_path: str, label: str) -> bytes:
    body = (
        f'<h1>{title}</h1>\n<div class="info">发布时间：2024-01-20 来源：办公室</div>\n'
        f'<div class="content"><p>附件：<a href="{file_path}">{label}</a></p></div>'
    )
    return _html(title, body).encode()


def seed_page(title: str, charset: str = "utf-8") -> str:
    """The seed report as a government web page under another title (agency and year)."""
    return seed_html(seed_content(seed_text().replace(SEED_TITLE, title)), charset=charset)


def old_word(docx: bytes, suffix: str = ".doc") -> bytes:
    """A .docx converted to the old Word format by LibreOffice (as agencies still publish)."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "report.docx"
        source.write_bytes(docx)
        target = "doc:MS Word 97"
        subprocess.run(
            [
                shutil.which("soffice") or "soffice",
                f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(Path(tmp) / "out"),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        return (Path(tmp) / "out" / "report.doc").read_bytes()


def build_site(doc_bytes: bytes) -> Site:
    html = "text/html; charset=utf-8"
    pages = {
        "/robots.txt": Page(f"User-agent: *\nDisallow: {DISALLOWED}\n".encode(), "text/plain"),
        "/xxgk/nb/index.html": Page(
            _listing(
                [
                    HTML_REPORT,
                    GBK_REPORT,
                    GUIDE,
                    DRAFT,
                    ("http://127.0.0.2:9/nb/x.html", "2020年某市丁局政府信息公开工作年度报告"),
                ],
                '<a href="index.html">首页</a> <a href="index_1.html">2</a> <a href="index_2.html">3</a> '
                '<a href="index_1.html">下一页</a> <a href="index_2.html">尾页</a>',
            ),
            html,
        ),
        COLUMN: Page(b"", html),  # the column's folder serves its first page (set below)
        FAILS_ONCE: Page(
            _listing(
                [GBK_REPORT, PDF_REPORT, NOTICE],
                '<a href="index.html">首页</a> <a href="index.html">上一页</a> <a href="index_2.html">下一页</a>',
            ),
            html,
        ),
        # GB2312, declared only by the page's meta tag (the HTTP header names no charset).
        "/xxgk/nb/index_2.html": Page(
            _listing(
                [DOC_REPORT], '<a href="index.html">首页</a> <a href="index_1.html">上一页</a>', "gb2312"
            ),
            "text/html",
        ),
        HTML_REPORT[0]: Page(seed_page(HTML_REPORT[1]).encode("utf-8"), html),
        # GBK: declared by the HTTP header, and by the page's own meta tag.
        GBK_REPORT[0]: Page(seed_page(GBK_REPORT[1], charset="gbk").encode("gbk"), "text/html; charset=GBK"),
        PDF_REPORT[0]: Page(_attachment_page(PDF_REPORT[1], PDF_FILE, "洪泽区2023年年报.pdf"), html),
        PDF_FILE: Page(HONGZE_PDF.read_bytes(), "application/pdf", etag='"hz-2023-v1"'),
        DOC_REPORT[0]: Page(_attachment_page(DOC_REPORT[1], DOC_FILE, DOC_REPORT[1] + ".doc"), html),
        DOC_FILE: Page(doc_bytes, "application/msword"),
        GUIDE[0]: Page(_html(GUIDE[1], f"<h1>{GUIDE[1]}</h1><p>一、主动公开</p>").encode(), html),
        NOTICE[0]: Page(_html(NOTICE[1], f"<h1>{NOTICE[1]}</h1>").encode(), html),
        DRAFT[0]: Page(seed_page(DRAFT[1]).encode("utf-8"), html),
    }
    pages[COLUMN] = pages["/xxgk/nb/index.html"]
    return Site(pages, fail_once={FAILS_ONCE})


class _Handler(BaseHTTPRequestHandler):
    site: Site

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        site = self.site
        start = time.monotonic()
        delay = site.slow_once.pop(self.path.split("?")[0], None)
        if delay is not None:  # answered after the client gave up (its timeout): logged as status 0
            time.sleep(delay)
            with site.lock:
                site.hits.append(Hit(self.path, 0, start, time.monotonic(), dict(self.headers.items())))
            return
        with site.lock:
            site.in_flight += 1
            site.max_in_flight = max(site.max_in_flight, site.in_flight)
        try:
            status = self._answer()
        finally:
            with site.lock:
                site.in_flight -= 1
                site.hits.append(Hit(self.path, status, start, time.monotonic(), dict(self.headers.items())))

    def _answer(self) -> int:
        site, path = self.site, self.path.split("?")[0]
        if path in site.fail_once:
            site.fail_once.discard(path)
            return self._send(500, b"<h1>500</h1>", "text/html")
        page = site.pages.get(path)
        if page is None:
            return self._send(404, b"not found", "text/plain")
        etag, since = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
        if (page.etag and etag == page.etag) or (
            not etag and page.last_modified and since == page.last_modified
        ):
            return self._send(304, b"", None, page)
        return self._send(200, page.body, page.content_type, page)

    def _send(self, status: int, body: bytes, content_type: str | None, page: Page | None = None) -> int:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        if page is not None and page.etag:
            self.send_header("ETag", page.etag)
        if page is not None and page.last_modified:
            self.send_header("Last-Modified", page.last_modified)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)
        return status


def serve(site: Site) -> ThreadingHTTPServer:
    """Serve the site on 127.0.0.1 (a free port) in a daemon thread; ``server.shutdown()`` stops it."""
    handler = type("Handler", (_Handler,), {"site": site})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    site.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
