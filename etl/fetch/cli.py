"""``python -m etl fetch URL… [--parent NAME] [--reports DIR] [--db DB] [--delay SECONDS]``: gather the annual
reports of agencies' 年报 columns, load what is new, say what happened to each.

The crawl runs in this process (Scrapy's reactor can run once per process: one fetch per
command); the load follows it, through the same path as ``etl add``. Exit 0, or 2 when a
report was refused or something failed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urlsplit

from ..pipeline import DEFAULT_DB, DEFAULT_REPORTS
from .settings import DEFAULT_DELAY, DEFAULT_RETRIES, DEFAULT_TIMEOUT, MAX_REQUESTS

DEFAULT_STORE = Path("data/fetched")


def _url(text: str) -> str:
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise argparse.ArgumentTypeError(f"不是网址：“{text}”（应以 http:// 或 https:// 开头）")
    return text


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为秒数，而不是“{text}”") from None
    if value < 0:
        raise argparse.ArgumentTypeError("秒数不能为负")
    return value


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("urls", nargs="*", type=_url, metavar="URL", help="机关网站“政府信息公开年报”栏目的网址")
    p.add_argument(
        "--parent", metavar="单位名称", help="收集此单位及其全部下级单位的年报栏目（单位名录中的 column_url）"
    )
    p.add_argument("--registry", type=Path, default=None, help="单位名录文件（默认 data/units.toml）")
    p.add_argument("--reports", type=Path, default=DEFAULT_REPORTS)
    p.add_argument("--db", type=Path, default=DEFAULT_DB)
    p.add_argument(
        "--store", type=Path, default=DEFAULT_STORE, help="下载的原始文件、HTTP 缓存和日志所在的文件夹"
    )
    p.add_argument(
        "--delay",
        type=_seconds,
        default=DEFAULT_DELAY,
        help=f"同一网站两次请求之间的秒数（默认 {DEFAULT_DELAY:g}）",
    )
    p.add_argument("--timeout", type=_seconds, default=DEFAULT_TIMEOUT, help="单次请求的超时秒数")
    p.add_argument(
        "--retries", type=int, default=DEFAULT_RETRIES, help="5xx 与超时的重试次数（间隔逐次加倍）"
    )
    p.add_argument("--backoff", type=_seconds, default=1.0, help="第一次重试前等待的秒数")
    p.add_argument("--max-requests", type=int, default=MAX_REQUESTS, help="一次运行最多的请求数")


def fetch_command(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m etl fetch", description="从机关网站的年报栏目收集年度报告并载入"
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))


def start_urls(args: argparse.Namespace) -> list[str]:
    """The URLs given, then (``--parent``) the columns of the parent's tree from the registry."""
    urls = list(args.urls)
    if args.parent:
        from .parent import column_urls

        for name, url in column_urls(args.parent, args.registry):
            print(f"{name}：{url}")
            if url not in urls:
                urls.append(url)
    return urls


def run(args: argparse.Namespace) -> int:
    # Scrapy is imported here: the other commands do not pay for it.
    from scrapy.crawler import CrawlerProcess

    from .loading import load_stored
    from .parent import ParentError
    from .settings import crawl_settings
    from .spider import ReportSpider
    from .store import FetchStore
    from .summary import Tally, print_summary, write_summary

    try:
        urls = start_urls(args)
    except ParentError as exc:
        print(f"失败：{exc}", file=sys.stderr)
        return 1
    if not urls:
        print("失败：请给出年报栏目的网址，或用 --parent 指定上级单位", file=sys.stderr)
        return 1
    store = FetchStore(args.store)
    tally = Tally(out=sys.stderr)
    settings = crawl_settings(
        args.store, args.delay, args.timeout, args.retries, args.backoff, args.max_requests
    )
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(ReportSpider)
    tally.requests = lambda: int(crawler.stats.get_value("downloader/request_count", 0) or 0)
    process.crawl(crawler, start_urls=urls, store=store, tally=tally)
    process.start()
    tally.stats = dict(crawler.stats.get_stats())
    tally.progress(force=True)
    load_stored(store, tally, args.reports, args.db)
    tally.progress(force=True, stage="完成")
    tally.end_progress()
    print_summary(tally)
    write_summary(tally, args.store / "last-run.json")
    return tally.exit_code()
