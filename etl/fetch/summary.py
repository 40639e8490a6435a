"""What a fetch did, report by report: found, then new / unchanged / skipped / refused /
failed, each with its reason; a progress line while it runs and the summary at the end
(also kept as JSON in the store, for whoever runs fetches unattended)."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TextIO

KINDS = ("new", "unchanged", "skipped", "refused", "failed")
LABELS = {"new": "新载入", "unchanged": "未变", "skipped": "跳过", "refused": "拒绝", "failed": "失败"}


@dataclass
class Outcome:
    kind: str  # one of KINDS
    url: str
    title: str
    reason: str
    file: str = ""  # the stored file's name, once stored


@dataclass
class Tally:
    """The outcomes of a run, by URL (a report's last word wins: fetched, then loaded)."""

    found: dict[str, str] = field(default_factory=dict)  # report article URL → title
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    fetched: dict[str, str] = field(default_factory=dict)  # article URL → "new" | "changed" | "unchanged"
    stats: dict = field(default_factory=dict)
    out: TextIO | None = None  # where the progress line goes (None: nowhere)
    requests: Callable[[], int] = lambda: 0
    _shown: float = 0.0
    _started: float = field(default_factory=time.monotonic)

    def report_found(self, url: str, title: str) -> None:
        self.found.setdefault(url, title)
        self.progress()

    def note(self, kind: str, url: str, title: str, reason: str, file: str = "") -> None:
        self.outcomes[url] = Outcome(kind, url, title, reason, file)
        self.progress()

    def counts(self) -> dict[str, int]:
        n = dict.fromkeys(KINDS, 0)
        for o in self.outcomes.values():
            n[o.kind] += 1
        return n

    def exit_code(self) -> int:
        """0, or 2 when something was refused or failed."""
        n = self.counts()
        return 2 if n["refused"] or n["failed"] else 0

    def progress(self, force: bool = False, stage: str = "抓取") -> None:
        """One line, rewritten in place on a terminal, else at most every 10 seconds."""
        if self.out is None:
            return
        now = time.monotonic()
        tty = self.out.isatty()
        if not force and now - self._shown < (0.2 if tty else 10.0):
            return
        self._shown = now
        n = self.counts()
        line = (
            f"{stage}：已请求{self.requests()}次，找到报告{len(self.found)}份，已下载{len(self.fetched)}份，"
            + "，".join(f"{LABELS[k]}{n[k]}" for k in KINDS)
            + f"（{now - self._started:.0f}秒）"
        )
        self.out.write(("\r\033[K" + line) if tty else line + "\n")
        self.out.flush()

    def end_progress(self) -> None:
        if self.out is not None and self.out.isatty():
            self.out.write("\n")


def rate_line(stats: dict) -> str:
    """Requests, time, requests per second, retries and 304s of a crawl, from Scrapy's stats.

    A cached page revalidated by a 304 reaches the stats as the cached 200 (the cache sits
    below them): the 304s are the report files' plus the cache's revalidations."""
    requests = int(stats.get("downloader/request_count", 0))
    elapsed = float(stats.get("elapsed_time_seconds", 0.0) or 0.0)
    rate = requests / elapsed if elapsed else 0.0
    retries = int(stats.get("retry/count", 0))
    not_modified = int(stats.get("downloader/response_status_count/304", 0)) + int(
        stats.get("httpcache/revalidate", 0)
    )
    return (
        f"请求{requests}次，用时{elapsed:.1f}秒（每秒{rate:.2f}次），重试{retries}次，"
        f"未修改（304）{not_modified}次，robots.txt 拦下{int(stats.get('robotstxt/forbidden', 0))}次"
    )


def print_summary(tally: Tally, out: TextIO = sys.stdout) -> None:
    n = tally.counts()
    print(
        f"抓取结束：找到年度报告{len(tally.found)}份；" + "，".join(f"{LABELS[k]}{n[k]}" for k in KINDS),
        file=out,
    )
    print(rate_line(tally.stats), file=out)
    for kind in KINDS:
        items = [o for o in tally.outcomes.values() if o.kind == kind]
        if not items:
            continue
        print(f"\n{LABELS[kind]}（{len(items)}）：", file=out)
        for o in sorted(items, key=lambda o: o.url):
            name = f" → {o.file}" if o.file else ""
            print(f"  {o.title or o.url}（{o.url}）{name}：{o.reason}", file=out)


def write_summary(tally: Tally, path: Path) -> None:
    """The run's outcomes and figures as JSON (``last-run.json`` in the store)."""
    stats = {k: v for k, v in tally.stats.items() if isinstance(v, int | float | str)}
    data = {
        "found": tally.found,
        "counts": tally.counts(),
        "outcomes": [asdict(o) for o in tally.outcomes.values()],
        "stats": stats,
        "exit_code": tally.exit_code(),
    }
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)
