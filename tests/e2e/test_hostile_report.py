"""Hostile report content: script, HTML, Markdown, template and maths text inside a
report is shown as text on every page, never as elements, and never runs.

The report is the seed (tests/fixtures.py) with payloads where the pages show report
text: in section 一 sentences that hold figures, after a figure but inside the same
sentence (the sentence is shown as the source of a chart and as a headline's source),
in the hotline's dissatisfaction topics (after 不满意主要涉及:), in section 五's items
(downloads only), and in the agency name (``<b>四川</b>省…``, supplied by an official
beside the file, since the title reader stops at markup). Every figure is still read: the payloads never
split a sentence (no 。！？!?) nor a topic list (no ；、，).

Every page is opened in Chromium (the disclosure page with each of its tabs); the test
fails on any JavaScript dialog or uncaught JavaScript error, on any element made from a
payload (script, img[src=x], iframe, a javascript: link, an onerror attribute, KaTeX
maths, a heading, bold text), and unless the payload text is visible as text. The
texts view downloaded as CSV keeps the payloads as they are in the report.

A report's *file name* is shown too (overview and downloads); see
``test_hostile_file_name_is_shown_as_text``.
"""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest

from tests import fixtures
from tests.e2e.conftest import APP, requires_app
from tests.e2e.helpers import (
    assert_no_exception,
    choose_table,
    download,
    error_alerts,
    main_text,
    open_page,
    outer_html,
    wait_for_app,
)

pytestmark = requires_app

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
LINK = "[x](javascript:alert(1))"
IFRAME = "<iframe src=javascript:alert(1)>"
TEMPLATE = "{{7*7}}"
MATHS = "$$\\alert$$"
BOLD = "**bold**"
HEADING = "# heading"
AGENCY = "<b>四川</b>省政务服务和资源交易服务中心"
TITLE = f"2019年{AGENCY}政府信息公开工作年度报告"
READ_TITLE = TITLE.split("</b>", 1)[1]  # the title reader stops at markup, as at a breadcrumb's ">"

# Where each payload goes: (text in the seed, text in the hostile report).
EDITS: tuple[tuple[str, str], ...] = (
    # the trading sentence: source of the trading chart, of 交易信息发布 and of a failed check
    ("其他交易信息44045条。", f"其他交易信息44045条{LINK}{TEMPLATE}{BOLD}。"),
    # the approvals sentence
    ("办结60593件。", f"办结60593件{IFRAME}{MATHS}。"),
    # the hotline's channels sentence and its handling sentence
    ("诉求432442件，", f"诉求432442件{IMG}，"),
    ("已办结19267件，", f"已办结19267件{SCRIPT}，"),
    # the dissatisfaction topics (one topic each) — in the satisfaction sentence, too
    (
        "不满意主要涉及:住房保障；",
        f"不满意主要涉及:住房保障{IMG}；{SCRIPT}；{HEADING}；{BOLD}；{LINK}；{TEMPLATE}；{MATHS}；{IFRAME}；",
    ),
    # section 五: in an item, and a paragraph of its own that starts with a Markdown heading
    (
        "一是全省公共资源交易平台建设范围不够。",
        f"一是全省公共资源交易平台建设范围不够{SCRIPT}{IMG}。\n{HEADING} {LINK} {IFRAME} {TEMPLATE} {MATHS} {BOLD}",
    ),
)
TOPICS = [f"住房保障{IMG}", SCRIPT, HEADING, BOLD, LINK, TEMPLATE, MATHS, IFRAME, "集资公路维修"]
TRADING_TAIL = f"其他交易信息44045条{LINK}{TEMPLATE}{BOLD}。"
APPROVALS_TAIL = f"办结60593件{IFRAME}{MATHS}。"

# The seed's figures (not every spec matches it: it states no FOI request count).
FIGURES_SQL = "SELECT topic, metric, category, value, unit, approx FROM figures ORDER BY ALL"
# Elements a payload would make if it were rendered instead of shown as text.
PAYLOAD_ELEMENTS = (
    '[data-testid="stApp"] script, img[src="x"], iframe, a[href^="javascript:"], [onerror], '
    '[data-testid="stMain"] .katex'
)
# Leaf elements whose whole text is a payload's inner text: <b>四川</b>, **bold**, # heading, [x](…).
MARKUP_LEAVES_JS = """() => [...document.querySelectorAll('[data-testid="stApp"] *')]
    .filter(e => e.children.length === 0 && ['四川', 'bold', 'heading', 'x', '49'].includes(e.textContent.trim()))
    .map(e => e.tagName + ':' + e.textContent.trim())"""


def hostile_report() -> str:
    lines = fixtures.seed_text().split("\n")
    assert lines[0] == fixtures.SEED_TITLE
    lines[0] = TITLE
    text = "\n".join(lines)
    for old, new in EDITS:
        text = fixtures.replace_once(text, old, new)
    return text


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory, db_factory, server_factory) -> str:
    reports = tmp_path_factory.mktemp("hostile-reports")
    fixtures.write(reports, "hostile-2019.txt", hostile_report())
    # The title reader stops at markup (a breadcrumb's ">" is page chrome), so the agency with
    # its tags arrives as an official may supply it: beside the file, as `etl add --agency` keeps it.
    meta = {"agency": AGENCY, "year": 2019}
    fixtures.write(reports, "hostile-2019.meta.json", json.dumps(meta, ensure_ascii=False))
    db = db_factory(reports)
    (report,) = fixtures.query(db, "SELECT agency, agency_source, title FROM reports")
    assert (report["agency"], report["agency_source"]) == (AGENCY, "supplied"), "tags kept as text"
    assert report["title"] == READ_TITLE, "the title as read, no more"
    seed = tmp_path_factory.mktemp("hostile-seed")
    fixtures.write(seed, fixtures.SEED_NAME, fixtures.seed_bytes())
    found = fixtures.query(db, FIGURES_SQL)
    assert found and found == fixtures.query(db_factory(seed), FIGURES_SQL), (
        "every prose figure is still found"
    )
    return server_factory(APP, db, env={"DASHBOARD_REPORTS": str(reports)})  # first visit: "/"


def assert_inert(page) -> None:
    """No element made from a payload, no Python exception, no error box."""
    page.wait_for_timeout(300)  # an onerror/onload handler would have run by now
    assert outer_html(page.locator(PAYLOAD_ELEMENTS)) == []
    assert page.evaluate(MARKUP_LEAVES_JS) == []
    headings = page.locator('[data-testid="stMain"] h1')
    assert headings.count() == 1, headings.all_inner_texts()  # the page's own title only
    assert_no_exception(page)
    assert error_alerts(page) == []


def assert_shown(page, *texts: str) -> None:
    shown = main_text(page)
    missing = [t for t in texts if t not in shown]
    assert not missing, f"not shown as text: {missing}"


def test_overview(hostile_url, watched):
    open_page(watched, hostile_url + "/?year=2019")
    watched.get_by_text("这些数字的原文出处").click()
    watched.wait_for_timeout(300)
    assert_inert(watched)
    assert_shown(
        watched, AGENCY, READ_TITLE, TRADING_TAIL, APPROVALS_TAIL, f"诉求432442件{IMG}，", f"住房保障{IMG}；"
    )


def test_trading(hostile_url, watched):
    open_page(watched, hostile_url + "/trading?year=2019", charts=1)
    assert_inert(watched)
    assert_shown(watched, TRADING_TAIL, AGENCY)


def test_approvals(hostile_url, watched):
    open_page(watched, hostile_url + "/approvals?year=2019", charts=1)
    assert_inert(watched)
    assert_shown(watched, APPROVALS_TAIL, AGENCY)


def test_hotline(hostile_url, watched):
    open_page(watched, hostile_url + "/hotline?year=2019", charts=3)
    assert_inert(watched)
    assert_shown(watched, f"诉求432442件{IMG}，", f"已办结19267件{SCRIPT}，", AGENCY)
    items = watched.locator('[data-testid="stMarkdownContainer"] ol', has_text="住房保障").first.locator("li")
    assert [t.strip() for t in items.all_inner_texts()][: len(TOPICS)] == TOPICS, "one list item per topic"


def test_disclosure_tabs(hostile_url, watched):
    open_page(watched, hostile_url + "/disclosure?year=2019")
    assert_inert(watched)
    for tab in ("表三 依申请公开", "表四 复议与诉讼", "表二 主动公开"):
        watched.get_by_role("tab", name=tab).click()  # a tab is drawn when chosen (a rerun)
        panel = watched.locator('[role="tabpanel"]:visible')
        panel.get_by_text("来源：").first.wait_for()
        wait_for_app(watched)
        assert_inert(watched)
        assert AGENCY in panel.inner_text(), tab  # the source line names the agency


def test_quality(hostile_url, watched):
    open_page(watched, hostile_url + "/quality?year=2019")
    assert_inert(watched)
    assert_shown(watched, TRADING_TAIL)  # the failed trading check quotes its sentence


def test_downloads_and_texts_csv(hostile_url, watched):
    open_page(watched, hostile_url + "/downloads?year=2019")
    assert_inert(watched)
    assert_shown(watched, READ_TITLE)

    choose_table(watched, "texts")
    name, data = download(watched, watched.locator(".st-key-dl-csv-texts button"))
    assert name == "texts-2019.csv"
    assert data.startswith(b"\xef\xbb\xbf")
    texts = pd.read_csv(io.StringIO(data[3:].decode("utf-8")), dtype=str, keep_default_na=False)
    assert set(texts["agency"]) == {AGENCY}
    topics = texts[texts["kind"] == "hotline_dissatisfaction"].sort_values("seq", key=lambda s: s.astype(int))
    assert topics["text"].tolist()[: len(TOPICS)] == TOPICS
    items = texts[texts["kind"] == "problem_improvement"]["text"].tolist()
    assert f"一是全省公共资源交易平台建设范围不够{SCRIPT}{IMG}。" in items
    assert any(t.startswith(f"{HEADING} {LINK} {IFRAME} {TEMPLATE} {MATHS} {BOLD}") for t in items), items

    choose_table(watched, "figures")
    _, data = download(watched, watched.locator(".st-key-dl-csv-figures button"))
    figures = pd.read_csv(io.StringIO(data[3:].decode("utf-8")), dtype=str, keep_default_na=False)
    evidence = set(figures["evidence"])
    assert any(e.endswith(TRADING_TAIL) for e in evidence)
    assert any(f"已办结19267件{SCRIPT}，" in e for e in evidence)
    assert_inert(watched)


# --------------------------------------------------------------------------- the file name

FILE_NAME = f"hostile`{LINK}`{IMG}.txt"


@pytest.fixture(scope="module")
def hostile_name_url(tmp_path_factory, db_factory, server_factory) -> str:
    """The seed under a file name with a backtick, a Markdown link and a tag (``etl build``
    takes any file name in the folder; only uploads are renamed by safe_file_name)."""
    reports = tmp_path_factory.mktemp("hostile-name-reports")
    fixtures.write(reports, FILE_NAME, fixtures.seed_bytes())
    db = db_factory(reports)
    return server_factory(APP, db, env={"DASHBOARD_REPORTS": str(reports)})  # first visit: "/"


def test_hostile_file_name_is_shown_as_text(hostile_name_url, watched):
    page_links = watched.locator(
        '[data-testid="stMain"] a:not([aria-label="Link to heading"]):not([data-testid="stPageLink-NavLink"])'
    )
    wrong: dict[str, list[str]] = {}
    for path in ("/overview", "/downloads"):  # 来源报告 on the overview, 原始报告文件 on the downloads page
        open_page(watched, hostile_name_url + path, check=False)
        watched.wait_for_timeout(300)
        assert outer_html(watched.locator(PAYLOAD_ELEMENTS)) == [], path  # this part holds: nothing runs
        assert_no_exception(watched)
        links = outer_html(page_links)
        if re.sub(r"\s+", "", FILE_NAME) not in re.sub(r"\s+", "", main_text(watched)):
            wrong[path] = ["the file name is not shown as written", *links]
    assert wrong == {}
