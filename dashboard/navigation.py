"""The public pages, declared once: script, title, icon and path. ``app.py`` builds the
navigation from them; tests and benchmarks that visit every page take the paths from here."""

from __future__ import annotations

from typing import NamedTuple


class PageEntry(NamedTuple):
    script: str
    title: str
    icon: str
    url_path: str  # "" for the default page, served at "/"


PUBLIC_PAGES: tuple[PageEntry, ...] = (
    PageEntry("pages/page_overview.py", "总览", ":material/home:", ""),
    PageEntry("pages/page_trading.py", "交易信息", ":material/bar_chart:", "trading"),
    PageEntry("pages/page_approvals.py", "行政审批", ":material/approval:", "approvals"),
    PageEntry("pages/page_hotline.py", "12345热线", ":material/call:", "hotline"),
    PageEntry("pages/page_disclosure.py", "政府信息公开", ":material/description:", "disclosure"),
    PageEntry("pages/page_quality.py", "数据质量", ":material/fact_check:", "quality"),
    PageEntry("pages/page_compare.py", "机关对比", ":material/compare_arrows:", "compare"),
    PageEntry("pages/page_trends.py", "历年趋势", ":material/show_chart:", "trends"),
    PageEntry("pages/page_texts.py", "报告原文", ":material/article:", "texts"),
    PageEntry("pages/page_downloads.py", "数据下载", ":material/download:", "downloads"),
)
PAGE_PATHS: tuple[str, ...] = tuple(f"/{p.url_path}" for p in PUBLIC_PAGES)
IMPORT_PAGE = PageEntry("pages/page_import.py", "导入年报", ":material/upload_file:", "import")
# Hidden from the menu: one chart alone, for other sites' iframes (dashboard/embed.py).
EMBED_PAGE = PageEntry("pages/page_embed.py", "嵌入图表", ":material/code:", "embed")
