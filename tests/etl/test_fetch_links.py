"""etl.fetch.links, etl.fetch.store and the fetched report's sidecar: each rule on its own, without a crawl."""

from __future__ import annotations

import hashlib
import json

import pytest

from etl.fetch.links import (
    column_prefix,
    file_suffix,
    holds_report_text,
    is_listing_page,
    looks_like_article,
    pick_attachment,
    same_site,
    title_verdict,
)
from etl.fetch.store import FetchStore, suffix_of
from etl.sidecar import meta_path, put_meta, read_meta, read_source, source_url_of, write_source

# --- Titles --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "淮安市洪泽区2023年政府信息公开工作年度报告",
        "2019年四川省政务服务和资源交易服务中心政府信息公开工作年度报告",
        "示例市交通运输局2022年度政府信息公开工作年度报告",
        "某县人民政府2021年政务公开工作年报",
        "某县 2020 年 政府信息公开 年度报告",  # spaces as some lists print them
        "某市二〇二三年政府信息公开工作年度报告",
    ],
)
def test_report_titles(title):
    assert title_verdict(title).report


@pytest.mark.parametrize(
    ("title", "reason"),
    [
        ("示例市人民政府政府信息公开指南（2023年修订）", "标题不是年度报告"),
        ("关于做好2023年政府信息公开工作年度报告编制工作的通知", "标题含“通知”，不是年度报告本身"),
        ("2023年政府信息公开工作年度报告解读", "标题含“解读”，不是年度报告本身"),
        ("图解：2023年政府信息公开工作年度报告", "标题含“图解”，不是年度报告本身"),
        ("示例市2023年统计年报", "标题不是政府信息公开年度报告"),
        ("2023年国民经济和社会发展统计公报", "标题不是年度报告"),
        ("政府信息公开年报", "标题没有年份（栏目名称，不是某一年度的报告）"),
    ],
)
def test_titles_that_are_not_reports_and_why(title, reason):
    verdict = title_verdict(title)
    assert not verdict.report
    assert verdict.reason == reason


@pytest.mark.parametrize(
    ("text", "article"),
    [("首页", False), ("政务公开", False), ("2", False), ("示例市人民政府政府信息公开指南", True)],
)
def test_article_like_link_texts(text, article):
    assert looks_like_article(text) is article


# --- Listing pages ------------------------------------------------------------------------------

START = "http://www.example.gov.cn/xxgk/nb/index.html"


@pytest.mark.parametrize(
    ("url", "text", "listing"),
    [
        ("http://www.example.gov.cn/xxgk/nb/index_1.html", "下一页", True),
        ("http://www.example.gov.cn/xxgk/nb/index_12.shtml", "12", True),
        ("http://www.example.gov.cn/xxgk/nb/list_3.htm", "", True),
        ("http://www.example.gov.cn/xxgk/nb/", "政府信息公开年报", True),  # the column's folder
        ("http://www.example.gov.cn/xxgk/nb/page.jsp?p=2", "下一页", True),
        ("http://www.example.gov.cn/xxgk/nb/art/2024/x.html", "2023年政府信息公开工作年度报告", False),
        ("http://www.example.gov.cn/xxgk/index_1.html", "下一页", False),  # outside the column's path
        ("http://other.example.gov.cn/xxgk/nb/index_1.html", "下一页", False),  # another site
        ("http://www.example.gov.cn/xxgk/nb/t20240120_1.html", "某局2023年年报", False),
    ],
)
def test_listing_pages_stay_within_the_column(url, text, listing):
    assert is_listing_page(url, text, START) is listing


def test_column_prefix_and_site():
    assert column_prefix(START) == "http://www.example.gov.cn/xxgk/nb/"
    assert column_prefix("http://WWW.example.gov.cn/xxgk/nb/") == "http://www.example.gov.cn/xxgk/nb/"
    assert same_site("http://www.example.gov.cn/a", START)
    assert not same_site("http://www.example.gov.cn:8080/a", START)


# --- Attachments --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "suffix"),
    [
        ("http://x/a/b.PDF", ".pdf"),
        ("http://x/a/b.doc?v=1", ".doc"),
        ("http://x/a/b.wps", ".wps"),
        ("http://x/a/b.docx", ".docx"),
        ("http://x/a/b.html", ""),
        ("http://x/a/b.xls", ""),
    ],
)
def test_file_suffix(url, suffix):
    assert file_suffix(url) == suffix


def test_the_attachment_named_as_the_report_first_then_by_format():
    title = "示例县2022年政府信息公开工作年度报告"
    links = [
        ("http://x/a.html", "上一篇"),
        ("http://x/table.doc", "附表.doc"),
        ("http://x/report.wps", "示例县2022年政府信息公开工作年度报告.wps"),
    ]
    assert pick_attachment(links, title) == "http://x/report.wps"
    assert (
        pick_attachment([("http://x/b.doc", "下载"), ("http://x/a.pdf", "下载")], title) == "http://x/a.pdf"
    )
    assert pick_attachment([("http://x/a.html", "首页")], title) is None


def test_an_article_holds_the_report_only_with_its_tables():
    assert holds_report_text("二、主动公开政府信息情况 … 一、本年新收政府信息公开申请数量 12")
    assert not holds_report_text("附件：某县2022年政府信息公开工作年度报告.doc")
    assert not holds_report_text("二、主动公开政府信息情况")  # a near miss: one of the two


@pytest.mark.parametrize(
    ("url", "content_type", "body", "suffix"),
    [
        ("http://x/a.pdf", "application/octet-stream", b"", ".pdf"),
        ("http://x/download?id=3", "application/pdf", b"%PDF-1.4", ".pdf"),
        ("http://x/download?id=3", "application/octet-stream", b"\xd0\xcf\x11\xe0rest", ".doc"),
        ("http://x/download?id=3", "", b"PK\x03\x04rest", ".docx"),
        ("http://x/art/1.shtml", "text/html; charset=GBK", b"<html>", ".html"),
    ],
)
def test_a_fetched_file_suffix(url, content_type, body, suffix):
    assert suffix_of(url, content_type, body) == suffix


# --- The store ----------------------------------------------------------------------------------

URL = "http://www.example.gov.cn/xxgk/nb/art/1.html"
TITLE = "示例市2023年政府信息公开工作年度报告"


def test_store_keeps_each_file_with_its_source_and_validators(tmp_path):
    store = FetchStore(tmp_path)
    headers = {"content-type": "text/html", "etag": '"v1"', "last-modified": "Tue, 14 Nov 2023 22:13:20 GMT"}
    status, stored = store.save(URL, URL, TITLE, b"<html>v1</html>", headers)
    assert status == "new"
    assert stored.path.read_bytes() == b"<html>v1</html>"
    assert stored.path.name.startswith(TITLE) and stored.path.suffix == ".html"
    source = read_source(stored.path)
    assert source["url"] == URL and source["etag"] == '"v1"'
    assert source["sha256"] == hashlib.sha256(b"<html>v1</html>").hexdigest()
    reopened = FetchStore(tmp_path)  # a new run remembers the URL, its validators and its name
    assert reopened.validators(URL) == {
        "If-None-Match": '"v1"',
        "If-Modified-Since": "Tue, 14 Nov 2023 22:13:20 GMT",
    }
    assert reopened.save(URL, URL, TITLE, b"<html>v1</html>", headers)[0] == "unchanged"
    # The same bytes under new validators: nothing rewritten but the validators remembered.
    assert reopened.save(URL, URL, TITLE, b"<html>v1</html>", {**headers, "etag": '"v1b"'})[0] == "unchanged"
    assert FetchStore(tmp_path).validators(URL)["If-None-Match"] == '"v1b"'
    status, again = reopened.save(
        URL, URL, "另一个标题2023年政府信息公开工作年度报告", b"<html>v2</html>", headers
    )
    assert status == "changed" and again.path == stored.path  # same URL, same file name
    assert reopened.validators("http://www.example.gov.cn/other.html") == {}


def test_store_removes_what_a_killed_run_left(tmp_path):
    store = FetchStore(tmp_path)
    _, stored = store.save(URL, URL, TITLE, b"<html>v1</html>", {})
    (store.files / ".half.html.123.part").write_bytes(b"<ht")  # killed while writing a file
    (store.files / "no-sidecar.pdf").write_bytes(b"%PDF")  # killed between a file and its sidecar
    reopened = FetchStore(tmp_path)
    assert sorted(reopened.cleaned) == [".half.html.123.part", "no-sidecar.pdf"]
    assert sorted(p.name for p in reopened.files.iterdir()) == [stored.path.name, meta_path(stored.path).name]
    assert list(reopened.index) == [URL]


# --- The sidecar's source -----------------------------------------------------------------------

SOURCE = {
    "url": URL,
    "page_url": URL,
    "title": TITLE,
    "fetched_at": "2026-01-01T00:00:00+00:00",
    "etag": None,
    "last_modified": "Tue, 14 Nov 2023 22:13:20 GMT",
    "sha256": "a" * 64,
}


def test_source_is_read_only_for_the_file_it_describes(tmp_path):
    report = tmp_path / "x.html"
    report.write_text("x")
    assert read_source(report) is None and source_url_of(report, "a" * 64) is None
    write_source(report, SOURCE)
    assert read_source(report) == SOURCE
    assert source_url_of(report, "a" * 64) == URL
    assert source_url_of(report, "b" * 64) is None  # the file was replaced by hand: stale
    assert read_meta(report) == (None, None)


def test_source_keeps_what_an_official_supplied_for_the_same_file(tmp_path):
    report = tmp_path / "x.html"
    meta_path(report).write_text(json.dumps({"agency": "某局", "year": 2023, "source_sha256": "a" * 64}))
    write_source(report, SOURCE)
    assert read_meta(report) == ("某局", 2023)
    assert read_source(report)["url"] == URL


def test_put_meta_keeps_the_source_of_the_same_file_only(tmp_path):
    report = tmp_path / "x.html"
    write_source(report, SOURCE)
    staged = tmp_path / ".x.html.meta-staged"
    staged.write_text("{}")
    put_meta(staged, report, {"agency": None, "year": None, "source_sha256": "a" * 64})  # re-added as is
    assert read_source(report) == SOURCE and not staged.exists()
    staged.write_text("{}")
    put_meta(staged, report, {"agency": None, "year": None, "source_sha256": "b" * 64})  # another file
    assert not meta_path(report).exists()


def test_unreadable_sidecar_has_no_source(tmp_path):
    report = tmp_path / "x.html"
    meta_path(report).write_text("{half")
    assert read_source(report) is None
