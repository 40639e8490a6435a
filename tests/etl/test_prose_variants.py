"""Prose figures in other wordings: one row per wording (sentences written for these
tests, in the manner of real reports), with the figures it must give, or none."""

from __future__ import annotations

import time

import pytest

from etl.document import Line, Section
from etl.figure_specs import FIGURE_LABELS
from etl.model import UnmatchedSentence
from etl.parse_prose import find_figures, unmatched_sentences
from etl.readers import text_document
from tests.fixtures import seed_text

CENTRE = "某市公共资源交易中心"
CITY = "某县人民政府"


def section(*paragraphs: str) -> Section:
    """Section 一 with the given paragraphs, numbered from line 3."""
    return Section("一", Line(2, "一、总体情况"), [Line(3 + i, p) for i, p in enumerate(paragraphs)])


def read(*paragraphs: str) -> dict[tuple[str, str, str], tuple[float, bool, str, str]]:
    """(topic, metric, category) → (value, approx, number as written, evidence)."""
    found, _ = find_figures(section(*paragraphs), CENTRE)
    return {(f.topic, f.metric, f.category): (f.value, f.approx, f.raw_text, f.evidence) for f in found}


T, A, H = "trading", "approvals", "hotline"
NOTICES = "notices"

# sentence → the figures it gives: (topic, metric, category, value, approx, number as written).
# An empty tuple: the sentence gives no row.
WORDINGS: list[tuple[str, tuple[tuple[str, str, str, float, bool, str], ...]]] = [
    # totals introduced by 发布 / 公开 / 共计 / 合计 / 累计, before or after the categories
    (
        "全年公开交易信息1,287条，其中建设工程招投标933条、政府采购288条、国有建设用地使用权出让58条、产权交易5条。",
        (
            (T, NOTICES, "total", 1287, False, "1,287条"),
            (T, NOTICES, "engineering", 933, False, "933条"),
            (T, NOTICES, "government_procurement", 288, False, "288条"),
            (T, NOTICES, "land_and_mining_rights", 58, False, "58条"),
            (T, NOTICES, "state_owned_assets", 5, False, "5条"),
        ),
    ),
    ("本中心共发布各类交易信息9,239条。", ((T, NOTICES, "total", 9239, False, "9,239条"),)),
    (
        "工程建设项目信息410条、政府采购信息300条、地矿资源20条、综合交易7条，合计737条。",
        (
            (T, NOTICES, "engineering", 410, False, "410条"),
            (T, NOTICES, "government_procurement", 300, False, "300条"),
            (T, NOTICES, "land_and_mining_rights", 20, False, "20条"),
            (T, NOTICES, "other", 7, False, "7条"),
            (T, NOTICES, "total", 737, False, "737条"),
        ),
    ),
    ("全年进场项目的交易信息合计1,287条。", ((T, NOTICES, "total", 1287, False, "1,287条"),)),
    ("其他交易信息合计15条。", ((T, NOTICES, "other", 15, False, "15条"),)),  # a category, not the total
    ("平台累计发布交易信息8232万条。", ((T, NOTICES, "total", 82320000, False, "8232万条"),)),
    ("交易平台发布交易公告约3000条。", ((T, NOTICES, "total", 3000, True, "约3000条"),)),
    ("全年合计公开交易信息１２，４０６条。", ()),  # a full-width comma is a clause's end: no number
    ("全年合计公开交易信息１２４０６条。", ((T, NOTICES, "total", 12406, False, "１２４０６条"),)),
    ("网站发布交易服务信息3 516条。", ((T, NOTICES, "total", 3516, False, "3 516条"),)),
    (
        "其中建设工程1,200条，土地矿业权100余条，国有产权60条，其他交易40条。",
        (
            (T, NOTICES, "engineering", 1200, False, "1,200条"),
            (T, NOTICES, "land_and_mining_rights", 100, True, "100余条"),
            (T, NOTICES, "state_owned_assets", 60, False, "60条"),
            (T, NOTICES, "other", 40, False, "40条"),
        ),
    ),
    (
        "工程建设类：86条，政府采购类为44条。",
        (
            (T, NOTICES, "engineering", 86, False, "86条"),
            (T, NOTICES, "government_procurement", 44, False, "44条"),
        ),
    ),
    ("国有产权交易类１８条。", ((T, NOTICES, "state_owned_assets", 18, False, "１８条"),)),
    # a category named without a number, or a number about another subject: no row
    ("中心负责工程建设、政府采购、土地使用权和矿业权、国有产权交易等项目的进场交易。", ()),
    ("主动公开政府采购项目信息56条。", ()),
    # no trading figure; since issue 16 each is the disclosure figure it states
    ("发布政务信息120条。", (("foi", "proactive_disclosed", "total", 120, False, "120条"),)),
    ("在交易中心网站发布政务信息120条。", (("foi", "proactive_disclosed", "website", 120, False, "120条"),)),
    (
        "主动公开政府信息3,000条，其中政府采购信息120条。",
        (("foi", "proactive_disclosed", "total", 3000, False, "3,000条"),),
    ),
    ("发布其他交易信息15条。", ((T, NOTICES, "other", 15, False, "15条"),)),
    ("建设工程项目1,020个，成交金额35.6亿元。", ()),
    # approvals
    (
        "窗口受理审批服务事项2,214件，办结2,190件，办结率98.9%。",
        (
            (A, "items", "received", 2214, False, "2,214件"),
            (A, "items", "completed", 2190, False, "2,190件"),
            (A, "rate", "completion", 98.9, False, "98.9%"),
        ),
    ),
    (
        "受理政府信息公开申请21件，办结21件。",  # requests, not approvals (completed: since issue 16)
        (
            ("foi", "requests", "received", 21, False, "21件"),
            ("foi", "requests", "completed", 21, False, "21件"),
        ),
    ),
    ("行政审批科受理群众申请35件，办结35件。", ()),
    # the 12345 hotline
    (
        "12345热线共受理群众诉求3,516件，办结3,498件，办结率100%，满意度98.6%。",
        (
            (H, "cases", "total", 3516, False, "3,516件"),
            (H, "handling", "completed", 3498, False, "3,498件"),
            (H, "rate", "completion", 100, False, "100%"),
            (H, "rate", "satisfaction", 98.6, False, "98.6%"),
        ),
    ),
    (
        "热线转办工单2,000件，已办结1,950件，办结率97.5%。",
        (
            (H, "handling", "transferred_completed", 1950, False, "1,950件"),
            (H, "rate", "transferred_completion", 97.5, False, "97.5%"),
        ),
    ),
    ("政务服务好差评满意度99.9%。", ()),
    ("会议办结事项12件。", ()),
]


@pytest.mark.parametrize(("sentence", "expected"), WORDINGS, ids=[w[0][:24] for w in WORDINGS])
def test_wording_gives_exactly_these_figures(sentence, expected):
    got = read(sentence)
    assert {k: v[:3] for k, v in got.items()} == {
        (topic, metric, cat): (float(value), approx, raw)
        for topic, metric, cat, value, approx, raw in expected
    }
    for _, _, _, evidence in got.values():
        assert evidence == sentence  # the sentence, exactly as written


def test_every_figure_of_the_table_has_a_label():
    for _, expected in WORDINGS:
        for topic, metric, cat, *_ in expected:
            assert FIGURE_LABELS[(topic, metric, cat)]


def test_two_names_of_one_category_are_not_added_up():
    """国有建设用地使用权出让 and 矿业权 both name land_and_mining_rights: the first is
    the figure, the other is never added to it, and its sentence is listed unmatched."""
    s = section("发布交易信息61条，其中国有建设用地使用权出让58条、矿业权3条。")
    found, _ = find_figures(s, CENTRE)
    land = [f for f in found if f.category == "land_and_mining_rights"]
    assert [(f.value, f.raw_text) for f in land] == [(58.0, "58条")]
    assert unmatched_sentences([s], found) == [
        UnmatchedSentence("一、总体情况", 3, "发布交易信息61条，其中国有建设用地使用权出让58条、矿业权3条。")
    ]


def test_the_first_sentence_in_reading_order_wins_across_wordings():
    found = read("建设工程933条、政府采购288条，合计1,221条。", "全年发布交易信息1,300条。")
    assert found[(T, NOTICES, "total")][:3] == (1221.0, False, "1,221条")


# --- missing figures by the agency's kind --------------------------------------------


def test_a_city_government_is_not_told_it_lacks_trading_or_hotline_figures():
    _, missing = find_figures(section("全区受理政府信息公开申请21件。"), CITY)
    assert missing == []


def test_a_trading_centre_is_told_which_trading_approval_and_hotline_figures_are_missing():
    _, missing = find_figures(section("全区受理政府信息公开申请21件。"), CENTRE)
    keys = {(s.topic, s.metric, s.category) for s in missing}
    assert {s.topic for s in missing} == {T, A, H}
    assert (T, NOTICES, "total") in keys and (H, "cases", "total") in keys
    assert len(keys) == len(missing)  # one entry per figure, not per wording
    assert (H, "handling", "completed") not in keys  # optional: given in place of another


def test_an_agency_of_no_kind_is_told_what_is_missing_of_a_topic_it_reports():
    _, missing = find_figures(section("12345热线共受理群众诉求3,516件。"), CITY)
    assert {s.topic for s in missing} == {H}
    assert (H, "cases", "phone") in {(s.topic, s.metric, s.category) for s in missing}


@pytest.mark.parametrize(
    "agency", ["某省政务服务和公共资源交易服务中心", "某市行政审批局", "某区公共资源交易中心"]
)
def test_agencies_named_as_centres_report_trading_approvals_and_hotline(agency):
    _, missing = find_figures(section("无数字。"), agency)
    assert {s.topic for s in missing} == {T, A, H}


# --- unmatched sentences ------------------------------------------------------------


UNMATCHED_CASES = [
    ("2019年，中心召开会议。", False),  # a year
    ("2021年3月5日印发通知。", False),  # a date
    ("依据《条例》第20条公开。", False),  # an article
    ("省级12345平台运行平稳。", False),  # the hotline's name
    ("1.加强平台建设。", False),  # an enumerator
    ("按照国办发〔2019〕12号文件执行。", False),  # an issue number
    ("主动公开政府信息1136条。", False),  # read since issue 16 (proactive_disclosed)
    ("主动公开政府信息1136条，其中政府文件56条。", True),
    ("公开政府常务会议7期。", True),
    ("同比增长12.5%。", True),
    ("受理群众诉求12345件。", False),  # read as the hotline total
]


@pytest.mark.parametrize(("sentence", "listed"), UNMATCHED_CASES, ids=[c[0] for c in UNMATCHED_CASES])
def test_unmatched_sentences(sentence, listed):
    s = section(sentence)
    found, _ = find_figures(s, CENTRE)
    expected = [UnmatchedSentence("一、总体情况", 3, sentence)] if listed else []
    assert unmatched_sentences([s], found) == expected


def test_a_sentence_that_gave_a_figure_but_has_another_number_is_listed():
    text = "12345热线受理群众诉求3,516件，其中来电2,100件。"
    s = section("开头没有数字。" + text)
    found, _ = find_figures(s, CENTRE)
    assert [f.value for f in found] == [3516.0]
    assert unmatched_sentences([s], found) == [UnmatchedSentence("一、总体情况", 3, text)]


def test_unmatched_sentences_on_a_long_line_in_linear_time():
    s = section("发布交易信息1条，" * 60_000 + "政府采购1条、" * 60_000)
    start = time.process_time()
    found, _ = find_figures(s, CENTRE)
    unmatched = unmatched_sentences([s], found)
    assert time.process_time() - start < 2
    assert len(unmatched) == 1 and unmatched[0].line == 3


def test_the_seed_states_no_number_that_was_not_read():
    """The 2019 report: its years, its 12345平台 and its enumerators are not counts;
    every count of section 一 gave one of its 21 figures."""
    s = text_document("seed.txt", "", seed_text()).sections["一"]
    found, missing = find_figures(s, "四川省政务服务和资源交易服务中心")
    assert (len(found), missing) == (21, [])
    assert unmatched_sentences([s], found) == []
