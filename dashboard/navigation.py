"""The public pages, declared once: script, title, icon, path, and the filters that act on them.

``app.py`` builds the navigation from them and draws the sidebar's agency and year selectors
only on the pages whose ``filters`` say so; tests and benchmarks that visit every page take
the paths from here."""

from __future__ import annotations

from typing import NamedTuple

REPORT = "report"  # the sidebar's agency and year choose one loaded report (any agency)
# A topic of the prose figures (figures.topic): the sidebar offers only the agencies and years whose
# reports state figures of it, and defaults to them.
TOPICS = ("trading", "approvals", "hotline")
# The compare page's URL: ?parent=<unit_id>&type=district&deep=1&y=2024&m=disclosed_rate&cfrom=…&cto=…
COMPARE_KEYS = ("parent", "type", "deep", "y", "m", "cfrom", "cto")


class PageEntry(NamedTuple):
    script: str
    title: str
    icon: str
    url_path: str  # "" for the default page, served at "/"
    filters: str | None = REPORT  # REPORT, a topic of TOPICS, or None: no sidebar filters
    params: tuple[str, ...] = ()  # URL keys the page itself writes (removed on the other pages)


PUBLIC_PAGES: tuple[PageEntry, ...] = (
    PageEntry("pages/page_home.py", "数据概览", ":material/home:", "", filters=None),
    PageEntry("pages/page_unit.py", "单位档案", ":material/account_balance:", "unit", None, ("unit", "year")),
    PageEntry("pages/page_overview.py", "报告总览", ":material/summarize:", "overview"),
    PageEntry("pages/page_trading.py", "交易信息", ":material/bar_chart:", "trading", "trading"),
    PageEntry("pages/page_approvals.py", "行政审批", ":material/approval:", "approvals", "approvals"),
    PageEntry("pages/page_hotline.py", "12345热线", ":material/call:", "hotline", "hotline"),
    PageEntry("pages/page_disclosure.py", "政府信息公开", ":material/description:", "disclosure"),
    PageEntry("pages/page_quality.py", "数据质量", ":material/fact_check:", "quality"),
    PageEntry(
        "pages/page_compare.py", "对比与排名", ":material/compare_arrows:", "compare", None, COMPARE_KEYS
    ),
    PageEntry("pages/page_review.py", "下级单位审核", ":material/rule:", "review", None, ("parent", "y")),
    PageEntry("pages/page_trends.py", "历年趋势", ":material/show_chart:", "trends"),
    PageEntry("pages/page_texts.py", "报告原文", ":material/article:", "texts"),
    PageEntry("pages/page_downloads.py", "数据下载", ":material/download:", "downloads"),
)
PAGE_PATHS: tuple[str, ...] = tuple(f"/{p.url_path}" for p in PUBLIC_PAGES)
BY_PATH: dict[str, PageEntry] = {p.url_path: p for p in PUBLIC_PAGES}
IMPORT_PAGE = PageEntry("pages/page_import.py", "导入年报", ":material/upload_file:", "import", filters=None)
PAGE_OWN_PARAMS = frozenset(k for p in PUBLIC_PAGES for k in p.params)
OVERVIEW = BY_PATH["overview"]  # one report's overview: where an old "/?agency=…&year=…" link goes
# Hidden from the menu: one chart alone, for other sites' iframes (dashboard/embed.py).
EMBED_PAGE = PageEntry("pages/page_embed.py", "嵌入图表", ":material/code:", "embed", filters=None)
