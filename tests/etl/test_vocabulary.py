"""The vocabulary of prose figures: every category of the contract with every name
reports give it, declared once, and the agency kinds that decide missing figures."""

from __future__ import annotations

from pathlib import Path

import pytest

import etl.figure_specs
from etl.document import Line, Section
from etl.figure_specs import FIGURE_LABELS
from etl.parse_prose import find_figures
from etl.vocabulary import TRADING_CATEGORIES, reported_topics

# The names seen in real reports (real-world-variants.md), per contract category.
EXPECTED = {
    "engineering": {"工程建设类", "建设工程", "工程建设项目", "建设工程招投标", "工程建设项目信息"},
    "government_procurement": {"政府采购类", "政府采购", "政府采购信息"},
    "land_and_mining_rights": {
        "土地使用权和矿业权",
        "土地矿业权",
        "地矿资源",
        "国有建设用地使用权出让",
        "矿业权",
    },
    "state_owned_assets": {"国有产权交易类", "国有产权", "产权交易"},
    "other": {"其他交易信息", "其他交易", "综合交易"},
}
LABELS = {
    "engineering": "工程建设类",
    "government_procurement": "政府采购类",
    "land_and_mining_rights": "土地使用权和矿业权",
    "state_owned_assets": "国有产权交易类",
    "other": "其他交易信息",
}


def test_the_five_contract_categories_in_order():
    assert [c.key for c in TRADING_CATEGORIES] == list(EXPECTED)


@pytest.mark.parametrize("category", TRADING_CATEGORIES, ids=lambda c: c.key)
def test_each_category_has_every_real_name_and_its_label(category):
    assert set(category.synonyms) == EXPECTED[category.key]
    assert len(category.synonyms) == len(set(category.synonyms))
    assert category.label == LABELS[category.key] and category.label in category.synonyms
    assert FIGURE_LABELS[("trading", "notices", category.key)] == category.label


def test_no_name_belongs_to_two_categories():
    names = [s for c in TRADING_CATEGORIES for s in c.synonyms]
    assert len(names) == len(set(names))


def test_figure_specs_declare_no_category_name_of_their_own():
    """Declared once: the specs' source names no category; its patterns come from the vocabulary."""
    source = Path(etl.figure_specs.__file__).read_text(encoding="utf-8")
    for name in sorted({s for c in TRADING_CATEGORIES for s in c.synonyms}):
        assert name not in source, name


CASES = [(c.key, s) for c in TRADING_CATEGORIES for s in c.synonyms]


@pytest.mark.parametrize(("key", "name"), CASES, ids=[n for _, n in CASES])
def test_each_name_with_a_number_gives_its_category(key, name):
    sentence = f"其中{name}１,２34条。"
    section = Section("一", Line(1, "一、总体情况"), [Line(2, sentence)])
    found, _ = find_figures(section, "某公共资源交易中心")
    assert [(f.category, f.value, f.raw_text, f.evidence) for f in found] == [
        (key, 1234.0, "１,２34条", sentence)
    ]


@pytest.mark.parametrize(("key", "name"), CASES, ids=[n for _, n in CASES])
def test_each_name_without_a_number_gives_nothing(key, name):
    section = Section(
        "一", Line(1, "一、总体情况"), [Line(2, f"中心开展{name}等交易服务，共有12名工作人员。")]
    )
    found, _ = find_figures(section, "某公共资源交易中心")
    assert found == []


@pytest.mark.parametrize(
    ("agency", "topics"),
    [
        ("四川省政务服务和公共资源交易服务中心", {"trading", "approvals", "hotline"}),
        ("某市公共资源交易中心", {"trading", "approvals", "hotline"}),
        ("某县行政审批局", {"trading", "approvals", "hotline"}),
        ("某市政务服务管理局", {"trading", "approvals", "hotline"}),
        ("洪泽区人民政府", set()),
        ("某市人民政府办公室", set()),
        ("", set()),
    ],
)
def test_reported_topics_by_agency_kind(agency, topics):
    assert reported_topics(agency) == topics
