"""Which figure families apply (etl/applicable.py), the prose-vs-table checks
(checks.prose_table_checks) and agency names glued in a crawler's copy (document.split_glued)."""

from __future__ import annotations

import pytest

from etl.applicable import applicable_families, readable_families, unit_type_hint
from etl.checks import prose_table_checks
from etl.document import Line, Section, split_glued, title_parts
from etl.model import Figure, Report, RequestCell, ReviewCell
from etl.parse import parse_report
from etl.parse_prose import find_figures
from etl.readers import text_document
from etl.template import TABLE3_BY_CODE
from tests.fixtures import seed_text


@pytest.mark.parametrize(
    ("agency", "kind"),
    [
        ("江苏省人民政府", "province"),
        ("淮安市人民政府", "city"),
        ("淮安市洪泽区人民政府", "district"),
        ("金湖县人民政府", "district"),
        ("某镇人民政府", "town_street"),
        ("某街道办事处", "town_street"),
        ("某经济技术开发区管理委员会", "functional_zone"),
        ("沭阳县发展和改革局", "department"),
        ("某市公共资源交易中心", "department"),
        ("某市人民政府办公室", "department"),
        ("某某", None),
    ],
)
def test_unit_type_hint(agency, kind):
    assert unit_type_hint(agency) == kind


@pytest.mark.parametrize(
    ("kind", "agency", "stated", "listed"),
    [
        ("department", "某县发展和改革局", {"hotline"}, set()),  # never told its hotline figures are missing
        ("department", "某市公共资源交易中心", set(), {"trading", "approvals", "hotline"}),
        ("department", "某市12345政务服务便民热线", set(), {"trading", "approvals", "hotline"}),
        ("district", "某县人民政府", {"hotline", "requests"}, {"hotline"}),
        ("city", "某市人民政府", {"requests", "fees"}, set()),  # disclosure families are never listed
        (None, "某某", {"trading"}, {"trading"}),
    ],
)
def test_applicable_families(kind, agency, stated, listed):
    assert applicable_families(kind, agency, stated) == listed


def test_a_department_reads_no_hotline_figure_but_a_government_does():
    sentence = "12345热线共受理群众诉求3,516件，群众满意率98%。"
    assert "hotline" not in readable_families("department", "某县发展和改革局")
    section = Section("一", Line(1, "一、总体情况"), [Line(2, sentence)])
    found, missing = find_figures(section, "某县发展和改革局")
    assert (found, missing) == ([], [])
    found, _ = find_figures(section, "某县人民政府")
    assert {(f.metric, f.category, f.value) for f in found} == {
        ("cases", "total", 3516),
        ("rate", "satisfaction", 98),
    }


def test_the_county_bureau_of_the_issue_gets_no_hotline_figure_and_no_missing_list():
    section = Section("一", Line(1, "一、总体情况"), [Line(2, "县人大建议和政协提案办理满意率为100%。")])
    for agency in ("某县交通运输局", "某县人民政府"):
        assert find_figures(section, agency) == ([], [])


def test_the_centre_is_still_told_what_it_misses():
    section = Section("一", Line(1, "一、总体情况"), [Line(2, "发布交易信息61条。")])
    _, missing = find_figures(section, "某市公共资源交易中心")
    assert {s.topic for s in missing} == {"trading", "approvals", "hotline"}


# --- prose against tables ---------------------------------------------------------------


def _figure(metric: str, category: str, value: float) -> Figure:
    return Figure(
        "foi", metric, category, value, "件", False, "正文句子。", f"{value:g}件", "一、总体情况", 5
    )


def _report(figures: list[Figure]) -> Report:
    report = Report("某县人民政府", 2024, "标题", "2021", "a.txt", "0" * 64, figures=figures)
    report.foi_requests = [
        RequestCell(code, TABLE3_BY_CODE[code].label, None, "总计", value, "", None, 1, 1, 40)
        for code, value in (("2", 3.0), ("3.7", 60.0), ("4", None))
    ]
    report.review_litigation = [
        ReviewCell("行政复议", "总计", 2.0, "2", 5, 50),
        ReviewCell("未经复议直接起诉", "总计", 1.0, "1", 10, 50),
        ReviewCell("复议后起诉", "总计", 1.0, "1", 15, 50),
    ]
    return report


def test_prose_table_checks_compare_both_places_as_warnings():
    report = _report(
        [_figure("requests", "completed", 58), _figure("requests", "carried_in", 3),
         _figure("requests", "carried_over", 2), _figure("reviews", "total", 2), _figure("lawsuits", "total", 2),
         Figure("foi", "normative_documents", "issued", 12, "件", False, "印发规范性文件12件。", "12件", "一、总体情况", 6)]
    )  # fmt: skip
    checks = {c.check_id: c for c in prose_table_checks(report)}
    outcome = {k: (c.expected, c.actual, c.passed) for k, c in checks.items()}
    assert outcome == {
        "scope.foi_requests_completed": (60, 58, False),  # the prose may count another scope
        "scope.foi_requests_carried_in": (3, 3, True),
        "scope.foi_requests_carried_over": (None, 2, None),  # the table's cell is blank
        "scope.foi_reviews": (2, 2, True),
        "scope.foi_lawsuits": (2, 2, True),
        "scope.normative_documents_issued": (None, 12, None),  # no table 二 cell
    }
    assert all(c.severity == "warning" for c in checks.values())
    assert "无法评估：表三“结转下年度”×“总计”为空白" in checks["scope.foi_requests_carried_over"].description
    assert checks["scope.foi_requests_completed"].evidence == (
        "正文（一、总体情况，第5行）：“正文句子。”；表三“（七）总计”×“总计”=60（第40行）"
    )


def test_no_prose_figure_no_check():
    assert prose_table_checks(_report([])) == []


# --- agency names glued in a crawler's copy ---------------------------------------------


@pytest.mark.parametrize(
    ("name", "agency", "others"),
    [
        ("沭阳县发改局政府信息公开沭阳县发展和改革局", "沭阳县发展和改革局", ("沭阳县发改局",)),
        ("洪泽区人民政府政务公开淮安市洪泽区人民政府", "淮安市洪泽区人民政府", ("洪泽区人民政府",)),
        ("沭阳县发改局政府信息公开年报沭阳县发展和改革局", "沭阳县发展和改革局", ("沭阳县发改局",)),
        ("某区政府政务公开专栏某区财政局", "某区财政局", ("某区政府",)),
        ("某市政务公开办公室", "某市政务公开办公室", ()),  # a column word inside a real name
        ("某县信息公开领导小组办公室", "某县信息公开领导小组办公室", ()),
        ("淮安市人民政府", "淮安市人民政府", ()),
    ],
)
def test_split_glued(name, agency, others):
    assert split_glued(name) == (agency, others)


def test_a_title_glued_after_a_column_name_with_its_own_tail():
    parts = title_parts("沭阳县发改局政府信息公开年报沭阳县发展和改革局2023年政府信息公开工作年度报告")
    assert (parts.year, parts.agency, parts.alternatives) == (2023, "沭阳县发展和改革局", ("沭阳县发改局",))


def test_a_glued_title_gives_the_real_agency_and_shows_the_other_name():
    title = "沭阳县发改局政府信息公开沭阳县发展和改革局2023年政府信息公开工作年度报告"
    assert title_parts(title).agency == "沭阳县发展和改革局"
    text = seed_text().replace(seed_text().splitlines()[0], title, 1)
    report = parse_report(text_document("glued.txt", "", text))
    assert (report.agency, report.year) == ("沭阳县发展和改革局", 2023)
    assert any("沭阳县发改局" in w and "沭阳县发展和改革局" in w for w in report.warnings)
