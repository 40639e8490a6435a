"""The seed report (sichuan-center-2019.txt), built into a temporary database and
read back through the published views: every figure, every table cell, the
listed texts and every check, with the exact values of the report."""

from __future__ import annotations

import hashlib

import pytest

from etl import pipeline
from tests.fixtures import (
    APPLICANTS,
    SEED_AGENCY,
    SEED_NAME,
    SEED_TITLE,
    T3_PARENTS,
    T3_ROWS,
    query,
    seed_bytes,
    seed_text,
)

REPORT_ID = "sichuan-center-2019"

# The sentences of the seed that figures are read from, exactly as written.
S_VISITS = (
    "省政府政务服务和公共资源交易服务中心按照省委、省政府关于深化政务公开、加强政务服务的工作部署，"
    "认真贯彻落实国务院、省政府信息公开工作要点，以四川省政府政务服务和公共资源交易服务中心门户网站、"
    "省级网上政务服务大厅、四川日报公共资源交易周刊、政务周刊等为载体，及时、准确、全面公开政务服务和"
    "资源交易服务信息，网站访问量就多达2744958次，进一步持续优化和推进政务服务和资源交易服务，努力提高"
    "行政效能，为加快构建服务型政府政务服务和资源交易服务体系营造了良好的政务环境。"
)
S_TRADING = (
    "按照“公开为原则、不公开为例外”的原则，及时通过四川省公共资源交易信息网发布各类公共资源交易服务信息"
    "487988条，其中工程建设类272064条、政府采购类119172条、土地使用权和矿业权16236条、国有产权交易类"
    "36384条，其他交易信息44045条。"
)
S_APPROVALS = (
    "2019年省政务服务和资源交易服务中心各部门窗口受理行政审批事项（含公共服务事项）165037件，办结60593件。"
)
S_NEWS = (
    "在四川日报做好全省重大措施、重要项目开标活动等工作动态的新闻报道工作，通过制作视频宣传材料在中心政务"
    "服务大厅和交易服务大厅滚动播放，受到了办事群众和主管部门的高度认可；通过中心网站采集发布全省各市（州）、"
    "县（区）各类政务服务和资源交易服务新闻信息1230余篇，拓展了中心宣传的广度。"
)
S_HOTLINE = (
    "全年省级12345平台共受理群众诉求432442件，其中承办“国家政务服务投诉与建议”小程序留言104件，"
    "国家政务服务平台留言158件，热线电话167041件，四川省政务服务网政民互动、微博、微信和移动客户端留言265401条。"
)
S_HANDLING = "由省级12345热线团队直接办理411442件，转交相关部门办理21000件，已办结19267件，办结率为91.75%。"
S_CALLBACKS = "开展电话回访19999件，群众满意率为85.51 %，不满意主要涉及:住房保障；集资公路维修；环境污染；交通出行；医疗纠纷等。"

# data-contract.md's table: (topic, metric, category) → (value, unit, approx, number as written,
# evidence sentence, line of the seed).
FIGURES: dict[tuple[str, str, str], tuple[float, str, bool, str, str, int]] = {
    ("trading", "notices", "total"): (487988, "条", False, "487988条", S_TRADING, 5),
    ("trading", "notices", "engineering"): (272064, "条", False, "272064条", S_TRADING, 5),
    ("trading", "notices", "government_procurement"): (119172, "条", False, "119172条", S_TRADING, 5),
    ("trading", "notices", "land_and_mining_rights"): (16236, "条", False, "16236条", S_TRADING, 5),
    ("trading", "notices", "state_owned_assets"): (36384, "条", False, "36384条", S_TRADING, 5),
    ("trading", "notices", "other"): (44045, "条", False, "44045条", S_TRADING, 5),
    ("approvals", "items", "received"): (165037, "件", False, "165037件", S_APPROVALS, 6),
    ("approvals", "items", "completed"): (60593, "件", False, "60593件", S_APPROVALS, 6),
    ("hotline", "cases", "total"): (432442, "件", False, "432442件", S_HOTLINE, 9),
    ("hotline", "cases", "phone"): (167041, "件", False, "167041件", S_HOTLINE, 9),
    ("hotline", "cases", "online"): (265401, "条", False, "265401条", S_HOTLINE, 9),
    ("hotline", "national_platform_cases", "mini_program"): (104, "件", False, "104件", S_HOTLINE, 9),
    ("hotline", "national_platform_cases", "service_platform"): (158, "件", False, "158件", S_HOTLINE, 9),
    ("hotline", "handling", "direct"): (411442, "件", False, "411442件", S_HANDLING, 9),
    ("hotline", "handling", "transferred"): (21000, "件", False, "21000件", S_HANDLING, 9),
    ("hotline", "handling", "transferred_completed"): (19267, "件", False, "19267件", S_HANDLING, 9),
    ("hotline", "rate", "transferred_completion"): (91.75, "%", False, "91.75%", S_HANDLING, 9),
    ("hotline", "callbacks", "total"): (19999, "件", False, "19999件", S_CALLBACKS, 9),
    ("hotline", "rate", "satisfaction"): (85.51, "%", False, "85.51 %", S_CALLBACKS, 9),
    ("website", "visits", "total"): (2744958, "次", False, "2744958次", S_VISITS, 4),
    ("publicity", "news_articles", "total"): (1230, "篇", True, "1230余篇", S_NEWS, 8),
}

CONTRACT_COLUMNS = {
    "reports": ["report_id", "agency", "year", "template", "source_file", "source_sha256", "loaded_at"],
    "figures": [
        "report_id",
        "agency",
        "year",
        "topic",
        "metric",
        "category",
        "value",
        "unit",
        "approx",
        "evidence",
    ],
    "active_disclosure": ["report_id", "agency", "year", "item", "content", "measure", "value"],
    "foi_requests": ["report_id", "agency", "year", "row_code", "row_label", "applicant", "value"],
    "review_litigation": ["report_id", "agency", "year", "proceeding", "outcome", "value"],
    "texts": ["report_id", "agency", "year", "kind", "seq", "text"],
    "checks": ["report_id", "agency", "year", "check_id", "description", "expected", "actual", "passed"],
}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """The seed alone, built with the pipeline into a temporary database."""
    base = tmp_path_factory.mktemp("seed")
    reports = base / "reports"
    reports.mkdir()
    (reports / SEED_NAME).write_bytes(seed_bytes())
    pipeline.build(reports, base / "db.duckdb")
    return base / "db.duckdb"


# --- Views and their columns -------------------------------------------------------


@pytest.mark.parametrize("view", list(CONTRACT_COLUMNS))
def test_view_has_the_contract_columns_first_in_order(db, view):
    columns = [c["column_name"] for c in query(db, f"DESCRIBE {view}")]
    assert columns[: len(CONTRACT_COLUMNS[view])] == CONTRACT_COLUMNS[view]


@pytest.mark.parametrize("view", list(CONTRACT_COLUMNS))
def test_every_row_carries_agency_and_year(db, view):
    rows = query(db, f"SELECT report_id, agency, year FROM {view}")
    assert rows, f"{view} is empty"
    assert {(r["report_id"], r["agency"], r["year"]) for r in rows} == {(REPORT_ID, SEED_AGENCY, 2019)}


def test_value_columns_are_double(db):
    for view in ("figures", "active_disclosure", "foi_requests", "review_litigation"):
        types = {c["column_name"]: c["column_type"] for c in query(db, f"DESCRIBE {view}")}
        assert types["value"] == "DOUBLE", view


def test_reports_row(db):
    (row,) = query(db, "SELECT * FROM reports")
    assert row["report_id"] == REPORT_ID
    assert row["agency"] == SEED_AGENCY
    assert row["year"] == 2019
    assert row["template"] == "2019"
    assert row["source_file"] == SEED_NAME
    assert row["source_sha256"] == hashlib.sha256(seed_bytes()).hexdigest()
    assert row["loaded_at"] is not None
    assert row["title"] == SEED_TITLE


# --- Figures -------------------------------------------------------------------------


def test_evidence_sentences_are_in_the_seed():
    text = seed_text()
    for key, (_, _, _, written, sentence, line) in FIGURES.items():
        assert sentence in text.split("\n")[line - 1], key
        assert written in sentence, key


def test_exactly_the_contract_figures(db):
    rows = query(db, "SELECT topic, metric, category FROM figures")
    assert sorted((r["topic"], r["metric"], r["category"]) for r in rows) == sorted(FIGURES)


@pytest.mark.parametrize("key", list(FIGURES), ids=".".join)
def test_figure(db, key):
    value, unit, approx, written, sentence, line = FIGURES[key]
    (row,) = query(db, "SELECT * FROM figures WHERE topic = ? AND metric = ? AND category = ?", list(key))
    assert row["value"] == value
    assert row["unit"] == unit
    assert row["approx"] is approx
    assert row["evidence"] == sentence
    assert row["evidence"] in seed_text()
    assert row["raw_text"] == written
    assert row["raw_text"] in row["evidence"]
    assert row["source_line"] == line
    assert row["section"] == "一、总体情况"


# --- Table 二 -------------------------------------------------------------------------

I1, I5, I6, I8, I9 = (f"第二十条第（{n}）项" for n in "一五六八九")
# (item, content, measure) → (value, the measure as the seed prints it, line)
TABLE2: dict[tuple[str, str, str], tuple[float, str, int]] = {
    (I1, "规章", "本年新制作数量"): (0, "本年新制作数量", 21),
    (I1, "规章", "本年新公开数量"): (0, "本年新公开数量", 22),
    (I1, "规章", "对外公开总数量"): (0, "对外公开总数量", 23),
    (I1, "规范性文件", "本年新制作数量"): (0, "本年新制作数量", 26),
    (I1, "规范性文件", "本年新公开数量"): (0, "本年新公开数量", 27),
    (I1, "规范性文件", "对外公开总数量"): (0, "对外公开总数量", 28),
    (I5, "行政许可", "上一年项目数量"): (0, "上一年项目数量", 38),
    (I5, "行政许可", "本年增/减"): (0, "本年增", 39),
    (I5, "行政许可", "处理决定数量"): (0, "处理决定数量", 40),
    (I5, "其他对外管理服务事项", "上一年项目数量"): (0, "上一年项目数量", 43),
    (I5, "其他对外管理服务事项", "本年增/减"): (0, "本年增", 44),
    (I5, "其他对外管理服务事项", "处理决定数量"): (0, "处理决定数量", 45),
    (I6, "行政处罚", "上一年项目数量"): (0, "上一年项目数量", 55),
    (I6, "行政处罚", "本年增/减"): (0, "本年增", 56),
    (I6, "行政处罚", "处理决定数量"): (0, "处理决定数量", 57),
    (I6, "行政强制", "上一年项目数量"): (0, "上一年项目数量", 60),
    (I6, "行政强制", "本年增/减"): (0, "本年增", 61),
    (I6, "行政强制", "处理决定数量"): (0, "处理决定数量", 62),
    (I8, "行政事业性收费", "上一年项目数量"): (0, "上一年项目数量", 71),
    (I8, "行政事业性收费", "本年增/减"): (0, "本年增/减", 72),
    (I9, "政府集中采购", "采购项目数量"): (25, "采购项目数量", 81),
    (I9, "政府集中采购", "采购总金额"): (38925359, "采购总金额", 82),
}


def test_table2_has_exactly_22_cells(db):
    rows = query(db, "SELECT item, content, measure FROM active_disclosure")
    assert len(rows) == 22
    assert sorted((r["item"], r["content"], r["measure"]) for r in rows) == sorted(TABLE2)


@pytest.mark.parametrize("key", list(TABLE2), ids="·".join)
def test_table2_cell(db, key):
    value, raw_measure, line = TABLE2[key]
    (row,) = query(
        db, "SELECT * FROM active_disclosure WHERE item = ? AND content = ? AND measure = ?", list(key)
    )
    assert row["value"] == value
    assert row["raw_value"] == str(value)
    assert row["raw_measure"] == raw_measure
    assert row["raw_content"] == key[1]
    assert row["source_line"] == line


def test_table2_display_order(db):
    rows = query(
        db,
        "SELECT item, content, measure, item_order, row_order, col_order FROM active_disclosure "
        "ORDER BY item_order, row_order, col_order",
    )
    assert [(r["item"], r["content"], r["measure"]) for r in rows] == list(TABLE2)
    assert [r["item_order"] for r in rows] == [1] * 6 + [2] * 6 + [3] * 6 + [4] * 2 + [5] * 2
    assert [r["col_order"] for r in rows][:6] == [1, 2, 3, 1, 2, 3]


# --- Table 三 -------------------------------------------------------------------------

_ = None  # a blank cell (NBSP only in the seed): NULL in the database
# row_code → the seven cells 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计
TABLE3: dict[str, tuple[float | None, ...]] = {
    "1": (0, _, _, _, _, _, 0),
    "2": (0, _, _, _, _, _, 0),
    "3.1": (0, _, _, _, _, _, 0),
    "3.2": (0, _, _, _, _, _, 0),
    "3.3.1": (0, _, _, _, _, _, 0),
    "3.3.2": (0, _, _, _, _, _, 0),
    "3.3.3": (0, _, _, _, _, _, 0),
    "3.3.4": (0, _, _, _, _, _, 0),
    "3.3.5": (0, _, _, _, _, _, 0),
    "3.3.6": (0, _, _, _, _, _, 0),
    "3.3.7": (0, _, _, _, _, _, 0),
    "3.3.8": (0, _, _, _, _, _, 0),
    "3.4.1": (0, _, _, _, _, _, 0),
    "3.4.2": (0, _, _, _, _, _, 0),
    "3.4.3": (0, _, _, _, _, _, 0),
    "3.5.1": (0, _, _, _, _, _, 0),
    "3.5.2": (0, _, _, _, _, _, 0),
    "3.5.3": (0, _, _, _, _, _, 0),
    "3.5.4": (0, _, _, _, _, _, 0),
    "3.5.5": (0, _, _, _, _, _, 0),
    "3.6": (0, _, _, _, _, _, 0),
    "3.7": (0, _, _, _, _, _, 0),
    "4": (0, _, _, _, _, _, 0),
}
# The seed's first cell line of each row (the other six follow, one per line).
TABLE3_FIRST_LINE = {"1": 106, "2": 115, "3.1": 125, "3.2": 135, "3.3.1": 146, "3.7": 331, "4": 340}


def test_table3_has_161_cells_115_of_them_null(db):
    (row,) = query(db, "SELECT count(*) AS n, count(value) AS numbers FROM foi_requests")
    assert row == {"n": 161, "numbers": 46}


@pytest.mark.parametrize("code", list(TABLE3))
def test_table3_row(db, code):
    rows = query(db, "SELECT * FROM foi_requests WHERE row_code = ? ORDER BY col_order", [code])
    assert [r["applicant"] for r in rows] == list(APPLICANTS)
    assert tuple(r["value"] for r in rows) == TABLE3[code]
    assert [r["raw_value"] for r in rows] == [None if v is None else "0" for v in TABLE3[code]]
    canonical, printed = T3_ROWS[code]
    assert {r["row_label"] for r in rows} == {canonical}
    assert {r["raw_label"] for r in rows} == {printed}
    assert {r["parent_label"] for r in rows} == {T3_PARENTS[code]}
    assert {r["row_order"] for r in rows} == {list(TABLE3).index(code) + 1}
    assert [r["col_order"] for r in rows] == [1, 2, 3, 4, 5, 6, 7]
    if code in TABLE3_FIRST_LINE:
        first = TABLE3_FIRST_LINE[code]
        assert [r["source_line"] for r in rows] == list(range(first, first + 7))


def test_table3_misprinted_label_gets_the_canonical_one(db):
    (row,) = query(
        db, "SELECT row_label, raw_label FROM foi_requests WHERE row_code = '3.2' AND applicant = '总计'"
    )
    assert row["row_label"] == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert "自己这一情形" in row["raw_label"]


# --- Table 四 -------------------------------------------------------------------------

TABLE4 = [
    ("行政复议", "结果维持", 0),
    ("行政复议", "结果纠正", 0),
    ("行政复议", "其他结果", 0),
    ("行政复议", "尚未审结", 0),
    ("行政复议", "总计", 1),
    ("未经复议直接起诉", "结果维持", 0),
    ("未经复议直接起诉", "结果纠正", 0),
    ("未经复议直接起诉", "其他结果", 0),
    ("未经复议直接起诉", "尚未审结", 0),
    ("未经复议直接起诉", "总计", 0),
    ("复议后起诉", "结果维持", 0),
    ("复议后起诉", "结果纠正", 0),
    ("复议后起诉", "其他结果", 0),
    ("复议后起诉", "尚未审结", 0),
    ("复议后起诉", "总计", 0),
]


def test_table4_cells(db):
    rows = query(db, "SELECT * FROM review_litigation ORDER BY col_order")
    assert [(r["proceeding"], r["outcome"], r["value"]) for r in rows] == TABLE4
    assert [r["col_order"] for r in rows] == list(range(1, 16))
    assert [r["source_line"] for r in rows] == list(range(377, 392))
    assert [r["raw_value"] for r in rows] == [str(v) for _, _, v in TABLE4]


# --- Texts ------------------------------------------------------------------------------


def test_hotline_dissatisfaction_topics(db):
    rows = query(db, "SELECT seq, text FROM texts WHERE kind = 'hotline_dissatisfaction' ORDER BY seq")
    assert [(r["seq"], r["text"]) for r in rows] == [
        (1, "住房保障"),
        (2, "集资公路维修"),
        (3, "环境污染"),
        (4, "交通出行"),
        (5, "医疗纠纷"),
    ]


def test_problem_improvement_items(db):
    lines = seed_text().split("\n")
    rows = query(db, "SELECT seq, text, section FROM texts WHERE kind = 'problem_improvement' ORDER BY seq")
    assert [(r["seq"], r["text"]) for r in rows] == [(1, lines[396]), (2, lines[397]), (3, lines[398])]
    assert [r["text"][:2] for r in rows] == ["一是", "二是", "三是"]
    assert rows[0]["text"].startswith("一是全省公共资源交易平台建设范围不够。")
    assert {r["section"] for r in rows} == {"五、存在的主要问题及改进情况"}


def test_other_matters(db):
    rows = query(db, "SELECT seq, text, section FROM texts WHERE kind = 'other_matters'")
    assert rows == [{"seq": 1, "text": "无其他需报告事项", "section": "六、其他需要报告的事项"}]


def test_text_kinds(db):
    rows = query(db, "SELECT kind, count(*) AS n FROM texts GROUP BY kind")
    assert {r["kind"]: r["n"] for r in rows} == {
        "overview_paragraph": 6,
        "hotline_dissatisfaction": 5,
        "problem_improvement": 3,
        "other_matters": 1,
    }


# --- Checks -------------------------------------------------------------------------------

NA = (None, None, None)  # not assessable: expected, actual and passed all NULL
PARTS = ("business", "research", "public_interest", "legal_services", "other")
CHECKS: dict[str, tuple[float | None, float | None, bool | None]] = {
    "prose.trading_categories_sum": (487988, 487901, False),
    "prose.hotline_channels_sum": (432442, 432442, True),
    "prose.hotline_handling_sum": (432442, 432442, True),
    "prose.hotline_completion_rate": (91.75, 91.75, True),
    # the prose states no request count: table 三's 本年新收 总计 (0) has nothing to meet
    "scope.foi_requests_received": (0, None, None),
    "t3.balance.natural_person": (0, 0, True),
    **{f"t3.balance.{p}": NA for p in PARTS},
    "t3.balance.total": (0, 0, True),
    "t3.outcomes_sum.natural_person": (0, 0, True),
    **{f"t3.outcomes_sum.{p}": NA for p in PARTS},
    "t3.outcomes_sum.total": (0, 0, True),
    **{f"t3.applicants_sum.{code}": (0, 0, True) for code in TABLE3},
    "t4.block_sum.reconsideration": (1, 0, False),
    "t4.block_sum.direct_suit": (0, 0, True),
    "t4.block_sum.suit_after_reconsideration": (0, 0, True),
}


def test_exactly_these_checks(db):
    rows = query(db, "SELECT check_id FROM checks")
    assert len(rows) == 45
    assert sorted(r["check_id"] for r in rows) == sorted(CHECKS)


@pytest.mark.parametrize("check_id", list(CHECKS))
def test_check_outcome(db, check_id):
    (row,) = query(db, "SELECT * FROM checks WHERE check_id = ?", [check_id])
    assert (row["expected"], row["actual"], row["passed"]) == CHECKS[check_id]
    assert row["kind"] == "within"
    assert row["severity"] == ("warning" if check_id.startswith("scope.") else "error")
    assert row["description"]
    assert row["evidence"]


def test_exactly_two_checks_fail(db):
    rows = query(db, "SELECT check_id, expected, actual FROM checks WHERE passed = false ORDER BY check_id")
    assert rows == [
        {"check_id": "prose.trading_categories_sum", "expected": 487988, "actual": 487901},
        {"check_id": "t4.block_sum.reconsideration", "expected": 1, "actual": 0},
    ]
    (counts,) = query(
        db,
        "SELECT count(*) FILTER (WHERE passed) AS ok, count(*) FILTER (WHERE passed IS NULL) AS na FROM checks",
    )
    assert counts == {"ok": 32, "na": 11}


def test_failed_checks_cite_the_report(db):
    (trading,) = query(db, "SELECT evidence FROM checks WHERE check_id = 'prose.trading_categories_sum'")
    assert trading["evidence"] == S_TRADING
    (t4,) = query(db, "SELECT evidence FROM checks WHERE check_id = 't4.block_sum.reconsideration'")
    assert "表四“行政复议·总计”=1（第381行）" in t4["evidence"]


def test_completion_rate_check_recomputes_the_rate(db):
    (row,) = query(db, "SELECT * FROM checks WHERE check_id = 'prose.hotline_completion_rate'")
    assert row["passed"] is True
    assert row["actual"] == round(19267 / 21000 * 100, 2) == 91.75
    assert "19,267 ÷ 21,000" in row["description"]


def test_no_across_years_check_with_one_year(db):
    assert query(db, "SELECT * FROM checks WHERE kind = 'across' OR check_id LIKE 'x.%'") == []
