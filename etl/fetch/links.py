"""What a link on an agency's 年报 column is: a listing page of the column (下一页, index_1.html),
an annual report (by its title), another article (skipped, with the reason), or nothing.

Pure functions of the link and its text, so each rule is tested on its own, apart from the crawl.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urlsplit

# Words of a report's title, and of the other articles a 年报 column lists.
REPORT_WORDS = ("年度报告", "年报")
DISCLOSURE_WORDS = ("信息公开", "政务公开")
NOT_REPORT_WORDS = (
    "指南",
    "通知",
    "解读",
    "图解",
    "目录",
    "制度",
    "规定",
    "办法",
    "意见",
    "公告",
    "统计表",
    "报送",
    "编制",
)
PAGER_WORDS = ("下一页", "上一页", "下页", "上页", "首页", "尾页", "末页", "后页", "前页")
FILE_SUFFIXES = (".pdf", ".docx", ".doc", ".wps")
ARTICLE_TITLE_MIN = 8  # shorter link texts are menus and breadcrumbs, not articles
_LISTING_NAME = re.compile(r"^(index|list|default)(_\d+)?\.s?html?$", re.I)
_YEAR = re.compile(r"(?:19|20)\d\d|[二两][〇○零O0][一二三四五六七八九〇○零O0]{2}")
_PAGE_NUMBER = re.compile(r"^\[?\d{1,4}\]?$")


@dataclass(frozen=True)
class Verdict:
    report: bool
    reason: str  # why it is not a report (empty for a report)


def title_verdict(title: str) -> Verdict:
    """Whether an article's title is an annual report's (政府信息公开工作年度报告, …年报), and why not."""
    t = re.sub(r"\s+", "", title)
    if not any(w in t for w in REPORT_WORDS):
        return Verdict(False, "标题不是年度报告")
    if not any(w in t for w in DISCLOSURE_WORDS):
        return Verdict(False, "标题不是政府信息公开年度报告")
    if not _YEAR.search(t):
        return Verdict(False, "标题没有年份（栏目名称，不是某一年度的报告）")
    for word in NOT_REPORT_WORDS:
        if word in t:
            return Verdict(False, f"标题含“{word}”，不是年度报告本身")
    return Verdict(True, "")


def looks_like_article(title: str) -> bool:
    """A link text long enough to be an article's title (not 首页, 政务公开, a page number…)."""
    return len(re.sub(r"\s+", "", title)) >= ARTICLE_TITLE_MIN


def column_prefix(start_url: str) -> str:
    """The folder a column's listing pages live in: ``…/nb/index.html`` → ``…/nb/``."""
    parts = urlsplit(start_url)
    path = parts.path or "/"
    folder = path if path.endswith("/") else path[: path.rfind("/") + 1]
    return f"{parts.scheme}://{parts.netloc.lower()}{folder}"


def same_site(url: str, start_url: str) -> bool:
    return urlsplit(url).netloc.lower() == urlsplit(start_url).netloc.lower()


def is_listing_page(url: str, text: str, start_url: str) -> bool:
    """A page of the column's listing: within the column's folder, and named as a listing page
    (index_1.html) or linked as one (下一页, a page number)."""
    if not url.startswith(column_prefix(start_url)):
        return False
    name = urlsplit(url).path.rsplit("/", 1)[-1]  # "" for the folder itself
    words = re.sub(r"\s+", "", text)
    return bool(_LISTING_NAME.match(name) or name == "" or words in PAGER_WORDS or _PAGE_NUMBER.match(words))


def file_suffix(url: str) -> str:
    """The report-file suffix of a URL's path (".pdf", ".doc", …), or ""."""
    suffix = PurePosixPath(urlsplit(url).path).suffix.lower()
    return suffix if suffix in FILE_SUFFIXES else ""


def pick_attachment(links: list[tuple[str, str]], title: str) -> str | None:
    """The report among an article's attachments ``(url, text)``: one whose text names the report
    (its title, or 年度报告) first, else by format (PDF, .docx, .doc, .wps); None without any."""
    files = [(url, text) for url, text in links if file_suffix(url)]
    if not files:
        return None
    order = {s: k for k, s in enumerate(FILE_SUFFIXES)}

    def rank(item: tuple[str, str]) -> tuple[int, int]:
        url, text = item
        named = bool(text) and (text.strip() in title or title_verdict(text).report)
        return (0 if named else 1, order[file_suffix(url)])

    return min(files, key=rank)[0]


# An article that only links its report shows none of the report's tables; every report
# has table 二's heading and table 三's first row.
_REPORT_TEXT = ("主动公开政府信息情况", "本年新收政府信息公开申请数量")


def holds_report_text(page_text: str) -> bool:
    """Whether an article page carries the report itself (not just a link to its attachment)."""
    text = re.sub(r"\s+", "", page_text)
    return all(marker in text for marker in _REPORT_TEXT)
