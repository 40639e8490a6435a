"""Any agency's prose figures in the real reports of shared/corpus (淮安市 2024, 洪泽区 2023
and 2024): exactly the figures each states, with the sentence each is read from, and the
prose-vs-table checks on them. Every value was read by hand in the PDF's sentence."""

from __future__ import annotations

import pytest

from etl.checks import run_checks
from etl.parse import parse_report
from etl.readers import read_document, text_document
from tests.fixtures import CORPUS, SEED_AGENCY, seed_text

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the corpus folder {CORPUS} is absent")

REQUESTS = "2024年，全市共受理政府信息公开申请3119件，答复3050件（含上年度结转申请34件，另有103件顺延到下年度答复），均在法定期限内予以答复。"
CASES = "政府信息公开行政复议351件，其中结果维持72件，结果纠正64件，其他结果178件，尚未审结37件；政府信息公开行政诉讼46件，其中结果维持25件，结果纠正5件，其他结果9件，尚未审结7件。"
HUAIAN_DISCLOSED = "2024年，市政府网站主动公开各类政府信息5500余条，全年新增公开市政府规章1件、市政府及市政府办政策性文件11件，通过文字、图片等形式制作政策解读21个，制作《淮安市人民政府公报》6期。"
HONGZE_2024 = "2024年，我区在政府网站平台主动发布各类政府信息2428条，公开政府常务会议7期，解读信息发布7条。"
FEE_2024 = "2024年，区政府严格落实《政府信息公开信息处理费管理办法》，全年收取政府信息公开信息处理费0元。"

# file → {figure key: (value, unit, approx, number as written, sentence)}
EXPECTED = {
    "huaian-city-2024.pdf": {
        ("foi", "proactive_disclosed", "website"): (5500, "条", True, "5500余条", HUAIAN_DISCLOSED),
        ("foi", "policy_interpretations", "total"): (21, "个", False, "21个", HUAIAN_DISCLOSED),
        ("foi", "requests", "received"): (3119, "件", False, "3119件", REQUESTS),
        ("foi", "requests", "completed"): (3050, "件", False, "3050件", REQUESTS),
        ("foi", "requests", "carried_in"): (34, "件", False, "34件", REQUESTS),
        ("foi", "requests", "carried_over"): (103, "件", False, "103件", REQUESTS),
        ("foi", "reviews", "total"): (351, "件", False, "351件", CASES),
        ("foi", "lawsuits", "total"): (46, "件", False, "46件", CASES),
        ("foi", "fees", "total"): (
            3940, "元", False, "3940元",
            "2024年，市政府严格落实《政府信息公开信息处理费管理办法》，全年收取政府信息公开信息处理费3940元。",
        ),
    },
    "huaian-hongze-district-2023.pdf": {
        ("foi", "proactive_disclosed", "website"): (
            1136, "条", False, "1136条", "2023年，我区在政府网站平台主动公开政府信息1136条。"
        ),
        ("foi", "requests", "received"): (
            21, "件", False, "21件", "2023年全区受理政府信息公开申请21件，均在法定期限答复。"
        ),
        ("foi", "fees", "total"): (0, "元", False, "0元", FEE_2024.replace("2024", "2023")),
    },
    "huaian-hongze-district-2024.pdf": {
        ("foi", "proactive_disclosed", "website"): (2428, "条", False, "2428条", HONGZE_2024),
        ("foi", "policy_interpretations", "total"): (7, "条", False, "7条", HONGZE_2024),
        ("foi", "requests", "received"): (
            17, "件", False, "17件",
            "2024年，区政府办代表区政府受理政府信息公开申请17件，均已在法定期限内予以答复。",
        ),
        ("foi", "fees", "total"): (0, "元", False, "0元", FEE_2024),
    },
}  # fmt: skip


def _report(name: str):
    report = parse_report(read_document(CORPUS / name))
    report.checks = run_checks(report)
    return report


@needs_corpus
@pytest.mark.parametrize("name", list(EXPECTED))
def test_exactly_these_prose_figures(name):
    report = _report(name)
    got = {
        (f.topic, f.metric, f.category): (f.value, f.unit, f.approx, f.raw_text, f.evidence)
        for f in report.figures
    }
    assert got == {k: (float(v[0]), *v[1:]) for k, v in EXPECTED[name].items()}
    assert report.missing_figures == []  # a government is not told it lacks a centre's figures


@needs_corpus
def test_huaian_prose_agrees_with_its_tables_and_both_places_are_evidence():
    checks = {c.check_id: c for c in _report("huaian-city-2024.pdf").checks}
    expected = {
        "scope.foi_requests_completed": 3050,
        "scope.foi_requests_carried_in": 34,
        "scope.foi_requests_carried_over": 103,
        "scope.foi_reviews": 351,
        "scope.foi_lawsuits": 46,  # 未经复议直接起诉 26 + 复议后起诉 20
    }
    for check_id, value in expected.items():
        c = checks[check_id]
        assert (c.expected, c.actual, c.passed, c.severity) == (value, value, True, "warning"), check_id
        assert "正文（一、总体情况" in c.evidence and ("表三" in c.evidence or "表四" in c.evidence)
    assert "表四“未经复议直接起诉·总计”=26" in checks["scope.foi_lawsuits"].evidence


@needs_corpus
def test_hongze_states_no_count_the_new_checks_compare():
    ids = {c.check_id for c in _report("huaian-hongze-district-2024.pdf").checks}
    assert not any(
        i.startswith(("scope.foi_requests_c", "scope.foi_reviews", "scope.foi_lawsuits")) for i in ids
    )


def test_the_centre_keeps_its_21_figures_and_is_told_nothing_is_missing():
    report = parse_report(text_document("seed.txt", "", seed_text()))
    assert report.agency == SEED_AGENCY
    assert len(report.figures) == 21 and report.missing_figures == []
    assert not [f for f in report.figures if f.topic == "foi"]
