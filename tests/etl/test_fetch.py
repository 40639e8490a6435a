"""``python -m etl fetch`` against a local copy of an agency's 年报 column (tests/site.py), served on
127.0.0.1: what it loads, what it skips and why, how politely, and how it resumes after SIGKILL.

Each fetch runs as a subprocess (Scrapy's reactor runs once per process; a SIGKILL needs one).
Nothing leaves 127.0.0.1: the site's only outside link (to 127.0.0.2) must not even be requested.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from etl.sidecar import read_source
from tests.docx_template import TEMPLATE, fill
from tests.etl.test_template_docx import filling
from tests.fixtures import ROOT
from tests.site import (
    DISALLOWED,
    DOC_FILE,
    DRAFT,
    FAILS_ONCE,
    GBK_REPORT,
    GUIDE,
    HONGZE_PDF,
    HTML_REPORT,
    NOTICE,
    PDF_FILE,
    PDF_REPORT,
    build_site,
    old_word,
    serve,
)

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None or not TEMPLATE.is_file() or not HONGZE_PDF.is_file(),
    reason="needs LibreOffice (scripts/setup.sh installs libreoffice-writer-nogui) and the shared corpus",
)

# (agency, year, suffix of the stored file) of the four reports the column publishes.
EXPECTED = {
    ("示例市甲局", 2020, ".html"),
    ("示例市乙局", 2020, ".html"),
    ("洪泽区人民政府", 2023, ".pdf"),
    ("示例县人民政府", 2022, ".doc"),
}


@pytest.fixture(scope="module")
def doc_bytes() -> bytes:
    """The official 2021 template filled in (tests/docx_template.py), saved as .doc by LibreOffice."""
    return old_word(fill(filling()))


@pytest.fixture
def site(doc_bytes):
    site = build_site(doc_bytes)
    server = serve(site)
    yield site
    server.shutdown()
    server.server_close()


def _command(site, tmp: Path, delay: float, timeout: float = 20, backoff: float = 0.2) -> list[str]:
    return [
        sys.executable,
        "-m",
        "etl",
        "fetch",
        site.url("/xxgk/nb/index.html"),
        "--reports",
        str(tmp / "reports"),
        "--db",
        str(tmp / "db" / "dashboard.duckdb"),
        "--store",
        str(tmp / "store"),
        "--delay",
        str(delay),
        "--backoff",
        str(backoff),
        "--timeout",
        str(timeout),
    ]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "NO_PROXY": "*", "no_proxy": "*"}


def fetch(site, tmp: Path, delay: float = 0.05, **options) -> tuple[subprocess.CompletedProcess, dict]:
    done = subprocess.run(
        _command(site, tmp, delay, **options),
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        env=_env(),
    )
    summary = json.loads((tmp / "store" / "last-run.json").read_text(encoding="utf-8"))
    return done, summary


def loaded(tmp: Path) -> list[tuple]:
    with duckdb.connect(str(tmp / "db" / "dashboard.duckdb"), read_only=True) as con:
        return con.execute(
            "SELECT agency, year, source_file, source_sha256 FROM reports ORDER BY source_file"
        ).fetchall()


def outcome(summary: dict, url: str) -> dict:
    return next(o for o in summary["outcomes"] if o["url"] == url)


@pytest.fixture(scope="module")
def first_run(doc_bytes, tmp_path_factory):
    """One fetch of the whole column into empty folders, 0.3 s between requests, a 1 s timeout and
    1 s before a first retry; the PDF report's article answers once after 2.5 s (read-only for the tests)."""
    site = build_site(doc_bytes)
    site.slow_once[PDF_REPORT[0]] = 2.5
    server = serve(site)
    tmp = tmp_path_factory.mktemp("first-run")
    try:
        done, summary = fetch(site, tmp, delay=0.3, timeout=1, backoff=1)
    finally:
        server.shutdown()
        server.server_close()
    return site, tmp, done, summary


def test_fetch_loads_the_column_reports_and_skips_the_rest(first_run):
    site, tmp_path, done, summary = first_run
    assert done.returncode == 0, done.stdout + done.stderr
    rows = loaded(tmp_path)
    assert {(agency, year, Path(name).suffix) for agency, year, name, _ in rows} == EXPECTED
    assert summary["counts"] == {"new": 4, "unchanged": 0, "skipped": 3, "refused": 0, "failed": 0}
    # Each report file is beside its sidecar: where it was published, its validators and checksum.
    urls = {read_source(tmp_path / "reports" / name)["url"]: sha for _, _, name, sha in rows}
    assert set(urls) == {
        site.url(HTML_REPORT[0]),
        site.url(GBK_REPORT[0]),
        site.url(PDF_FILE),
        site.url(DOC_FILE),
    }
    for _, _, name, sha in rows:
        source = read_source(tmp_path / "reports" / name)
        assert source["sha256"] == sha and source["last_modified"] and source["fetched_at"]
    assert (
        read_source(tmp_path / "reports" / next(n for _, _, n, _ in rows if n.endswith(".pdf")))["etag"]
        == '"hz-2023-v1"'
    )
    # Skipped, each with its reason; robots.txt obeyed; nothing fetched outside the site.
    assert outcome(summary, site.url(GUIDE[0]))["reason"] == "标题不是年度报告"
    assert outcome(summary, site.url(NOTICE[0]))["reason"] == "标题含“通知”，不是年度报告本身"
    assert outcome(summary, site.url(DRAFT[0]))["reason"].startswith("robots.txt 不允许抓取")
    paths = [h.path for h in site.hits]
    assert not [p for p in paths if p.startswith(DISALLOWED)]
    assert all("127.0.0.2" not in url for url in summary["found"])
    # The page that failed once (500) and the one that timed out were retried after a pause (the
    # backoff, after the timeout); the article linked twice was fetched once.
    failing = [h for h in site.hits if h.path == FAILS_ONCE]
    assert [h.status for h in failing] == [500, 200]
    assert failing[1].start - failing[0].end >= 1.0
    slow = sorted((h for h in site.hits if h.path == PDF_REPORT[0]), key=lambda h: h.start)
    assert [h.status for h in slow] == [0, 200]
    assert slow[1].start - slow[0].start >= 1.0 + 1.0
    assert summary["stats"]["retry/count"] == 2
    assert paths.count(GBK_REPORT[0]) == 1
    # Politeness: one request at a time, at least the delay apart.
    assert site.max_in_flight == 1
    starts = sorted(h.start for h in site.hits)
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert min(gaps) >= 0.3 * 0.9, gaps
    assert "新载入4" in done.stdout and "robots.txt 不允许抓取" in done.stdout


def test_a_changed_report_replaces_its_loaded_version_and_nothing_else_is_downloaded(site, tmp_path):
    fetch(site, tmp_path)
    before = {name: sha for _, _, name, sha in loaded(tmp_path)}
    site.hits.clear()
    done, summary = fetch(site, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert summary["counts"] == {"new": 0, "unchanged": 4, "skipped": 3, "refused": 0, "failed": 0}
    assert {h.status for h in site.hits} == {304}, [(h.path, h.status) for h in site.hits]
    # The GBK article is republished (a correction): only it is downloaded and replaced.
    page = site.pages[GBK_REPORT[0]]
    site.replace(GBK_REPORT[0], page.body.replace(b"</body>", "<!-- 更正 --></body>".encode("gbk")))
    site.hits.clear()
    done, summary = fetch(site, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert [h.path for h in site.hits if h.status == 200] == [GBK_REPORT[0]]
    changed = outcome(summary, site.url(GBK_REPORT[0]))
    assert (changed["kind"], changed["reason"]) == (
        "new",
        "已发布的文件有变化，已替换旧版本（示例市乙局 2020年）",
    )
    after = {name: sha for _, _, name, sha in loaded(tmp_path)}
    assert after.keys() == before.keys()
    assert [n for n in after if after[n] != before[n]] == [changed["file"]]


def test_a_report_loaded_from_elsewhere_is_left_alone(site, tmp_path):
    """An official added 洪泽区's 2023 report by hand: the fetched one does not replace it."""
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copyfile(
        ROOT / "data" / "reports" / "huaian-hongze-district-2023.pdf", reports / "hongze-by-hand.pdf"
    )
    done, summary = fetch(site, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    kept = outcome(summary, site.url(PDF_REPORT[0]))
    assert kept["kind"] == "skipped"
    assert kept["reason"] == "洪泽区人民政府 2023年的报告已载入（hongze-by-hand.pdf），保留不动"
    assert "hongze-by-hand.pdf" in [name for _, _, name, _ in loaded(tmp_path)]


def test_refused_and_failed_reports_are_listed_and_exit_2(site, tmp_path):
    del site.pages[PDF_FILE]  # the attachment is gone: 404
    site.pages[
        HTML_REPORT[0]
    ].body = f"<html><body><h1>{HTML_REPORT[1]}</h1><p>正文见附件。</p></body></html>".encode()
    done, summary = fetch(site, tmp_path)
    assert done.returncode == 2
    failed = outcome(summary, site.url(PDF_REPORT[0]))
    assert failed["kind"] == "failed" and failed["reason"].startswith("HTTP 404")
    refused = outcome(summary, site.url(HTML_REPORT[0]))
    assert refused["kind"] == "refused" and refused["file"] in refused["reason"]
    assert summary["counts"]["new"] == 2 and "拒绝（1）" in done.stdout and "失败（1）" in done.stdout


def _kill_when(site, tmp: Path, condition) -> None:
    process = subprocess.Popen(
        _command(site, tmp, 0.1), cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 300
    try:
        while process.poll() is None and time.monotonic() < deadline and not condition():
            time.sleep(0.01)
        assert process.poll() is None, "the fetch ended before the moment it was to be killed"
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()


KILL_POINTS = {
    "while crawling, just after the PDF was served": lambda site, tmp: any(
        h.path == PDF_FILE and h.status == 200 for h in site.hits
    ),
    "while loading, at the first file in the reports folder": lambda site, tmp: (
        (tmp / "reports").is_dir() and any((tmp / "reports").iterdir())
    ),
}


@pytest.mark.parametrize("moment", KILL_POINTS)
def test_sigkilled_fetch_resumes_with_each_report_once_then_downloads_nothing(site, tmp_path, moment):
    _kill_when(site, tmp_path, lambda: KILL_POINTS[moment](site, tmp_path))
    done, summary = fetch(site, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = loaded(tmp_path)
    assert sorted((a, y, Path(n).suffix) for a, y, n, _ in rows) == sorted(EXPECTED)
    assert len({n for _, _, n, _ in rows}) == 4
    reports = sorted(p.name for p in (tmp_path / "reports").iterdir())
    assert len(reports) == 8 and not [n for n in reports if n.startswith(".")], reports  # 4 files, 4 sidecars
    assert not [p for p in (tmp_path / "store" / "files").iterdir() if p.name.startswith(".")]
    site.hits.clear()
    done, summary = fetch(site, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert {h.status for h in site.hits} == {304}, [(h.path, h.status) for h in site.hits]
    assert summary["counts"]["new"] == 0 and summary["counts"]["unchanged"] == 4
    assert loaded(tmp_path) == rows


def test_reports_source_url_holds_where_each_report_was_published(first_run):
    _site, tmp_path, _done, _summary = first_run
    with duckdb.connect(str(tmp_path / "db" / "dashboard.duckdb"), read_only=True) as con:
        rows = con.execute("SELECT source_file, source_url FROM reports").fetchall()
    assert len(rows) == 4
    for name, url in rows:
        assert url == read_source(tmp_path / "reports" / name)["url"]
