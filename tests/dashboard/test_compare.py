"""The comparison view: shares, blanks, the agency parameter of the URL (table-driven)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboard import compare_state, db, facts, queries
from dashboard.views import rank
from tests import apptest, unit_tree
from tests.fixtures import ROOT


def rows(**overrides) -> pd.DataFrame:
    base = {
        "agency": "甲",
        "year": 2024,
        "template": "2021",
        "report_id": "a",
        "new_requests": 95.0,
        "outcome_total": 95.0,
        "disclosed": 50.0,
        "withheld": 3.0,
        "review_total": 2.0,
        "litigation_total": 4.0,
        "corrected": 1.0,
        "decided_total": 6.0,
        "failed_checks": 0,
    }
    return pd.DataFrame([{**base, **overrides}])


@pytest.mark.parametrize(
    ("overrides", "disclosed", "corrected"),
    [
        ({}, 52.6, 16.7),  # 50 / 95, 1 / 6
        ({"outcome_total": 0.0}, None, 16.7),  # a share of nothing is blank, not 0
        ({"outcome_total": None}, None, 16.7),  # a blank total: blank
        ({"decided_total": 0.0, "corrected": 0.0}, 52.6, None),
        ({"disclosed": 0.0}, 0.0, 16.7),
    ],
)
def test_shares(overrides, disclosed, corrected):
    frame = facts.compare_frame(rows(**overrides))
    got = frame.iloc[0]
    assert (None if pd.isna(got["disclosed_share"]) else got["disclosed_share"]) == disclosed
    assert (None if pd.isna(got["corrected_share"]) else got["corrected_share"]) == corrected


@pytest.mark.parametrize(
    ("template", "label"), [("2019", "2019年版"), ("2021", "2021年版"), ("mixed", "混合")]
)
def test_template_labels(template, label):
    assert facts.compare_frame(rows(template=template)).iloc[0]["template"] == label


def test_table_headers_in_order():
    table = facts.compare_table(facts.compare_frame(rows()))
    assert list(table.columns) == [
        "机关", "年度", "表格格式", "新收申请", "办理结果总计", "予以公开占比（%）",
        "不予公开", "行政复议", "行政诉讼", "纠正占比（%）", "不一致检查",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "expected", "notice"),
    [
        (None, "", None),  # absent: the default, quietly
        ("jia", "jia", None),
        ("不存在", "", "链接中的上级单位参数无效"),
        ("<script>", "", "无效"),
        ("jia" + "x" * 1000, "", "无效"),
        ("", "", None),  # "" is an option: every unit
    ],
)
def test_parse_choice(raw, expected, notice):
    got, note = compare_state.parse_choice(raw, {"": "全部单位", "jia": "甲市"}, "", "上级单位")
    assert got == expected
    assert (note is None) if notice is None else (notice in note)


@pytest.mark.parametrize(
    ("raw", "expected", "bad"),
    [(None, False, False), ("1", True, False), ("0", False, False), ("yes", False, True)],
)
def test_parse_flag(raw, expected, bad):
    got, note = compare_state.parse_flag(raw)
    assert got is expected and (note is not None) is bad


@pytest.mark.parametrize(
    ("data", "changes"),
    [
        ({2019: "2019年版", 2020: "2019年版"}, []),
        ({2019: "2019年版", 2021: "2021年版", 2022: "2021年版"}, [(2019, 2021, "2021年版")]),
        ({2024: "2021年版", 2019: "2019年版"}, [(2019, 2024, "2021年版")]),  # sorted by year first
    ],
)
def test_format_changes(data, changes):
    frame = pd.DataFrame({"year": list(data), "template": list(data.values())})
    assert facts.format_changes(frame) == changes


# --- Ranking on a small generated tree (tests/unit_tree.py) ------------------------------------


@pytest.fixture(scope="module")
def tree_db(tmp_path_factory) -> Path:
    return unit_tree.build(tmp_path_factory.mktemp("tree") / "dashboard.duckdb")


@pytest.fixture
def token(monkeypatch, tree_db) -> str:
    monkeypatch.setenv("DASHBOARD_DB", str(tree_db))
    return db.version()


def ranked(frame: pd.DataFrame) -> list[tuple]:
    return [
        (None if pd.isna(r) else int(r), name, None if pd.isna(v) else v, None if pd.isna(why) else why)
        for r, name, v, why in zip(
            frame["rank"], frame["name"], frame["value"], frame["null_reason"], strict=True
        )
    ]


@pytest.mark.parametrize(
    ("parent", "unit_type", "deep", "descending", "expected"),
    [
        (  # 甲市's direct units: a tie shares rank 1; the three without a value last, each with why
            "jia", "", False, True,
            [(1, "甲市东区人民政府", 80.0, None), (1, "甲市西区人民政府", 80.0, None),
             (None, "甲市中区人民政府", None, queries.NO_VALUE), (None, "甲市北区人民政府", None, queries.NO_REPORT),
             (None, "甲市南区人民政府", None, "分母为0")],
        ),
        (  # every depth: the departments of 东区 join; after the tie at 2 comes 4
            "jia", "", True, True,
            [(1, "甲市东区交通运输局", 90.0, None), (2, "甲市东区人民政府", 80.0, None),
             (2, "甲市西区人民政府", 80.0, None), (4, "甲市东区财政局", 10.0, None),
             (None, "甲市中区人民政府", None, queries.NO_VALUE), (None, "甲市北区人民政府", None, queries.NO_REPORT),
             (None, "甲市南区人民政府", None, "分母为0")],
        ),
        (  # every district of every city, the lowest first: NULLs still last
            "", "district", False, False,
            [(1, "甲市东区人民政府", 80.0, None), (1, "甲市西区人民政府", 80.0, None),
             (3, "乙市甲县人民政府", 85.0, None), (None, "乙市乙县人民政府", None, queries.NO_REPORT),
             (None, "甲市中区人民政府", None, queries.NO_VALUE), (None, "甲市北区人民政府", None, queries.NO_REPORT),
             (None, "甲市南区人民政府", None, "分母为0")],
        ),
        ("dong", "department", False, True, [(1, "甲市东区交通运输局", 90.0, None), (2, "甲市东区财政局", 10.0, None)]),
        ("dong-jt", "", True, True, []),  # a unit with nothing under it
    ],
)  # fmt: skip
def test_rank_rows_ties_share_a_rank_and_nulls_come_last(
    token, parent, unit_type, deep, descending, expected
):
    frame = queries.rank_rows(token, parent, unit_type, deep, unit_tree.YEAR, "disclosed_rate", descending)
    assert ranked(frame) == expected


def test_rank_rows_numerator_and_denominator(token):
    frame = queries.rank_rows(token, "jia", "district", False, unit_tree.YEAR, "disclosed_rate", True)
    xi = frame[frame["unit_id"] == "xi"].iloc[0]
    assert (xi["numerator"], xi["denominator"], xi["value"]) == (4.0, 5.0, 80.0)
    assert frame.loc[frame["unit_id"] == "nan", "denominator"].item() == 0.0


def test_rank_rows_a_table_figure_missing_from_every_report(token):
    frame = queries.rank_rows(token, "jia", "", False, unit_tree.YEAR, "new_requests", True)
    assert frame["rank"].isna().all() and frame["value"].isna().all()
    assert set(frame["null_reason"]) == {queries.NO_VALUE, queries.NO_REPORT}


def test_tree_order_parents_before_children():
    units = pd.DataFrame(
        {"unit_id": list(unit_tree.UNITS), "name": [u[0] for u in unit_tree.UNITS.values()],
         "parent_id": [u[2] for u in unit_tree.UNITS.values()]}
    )  # fmt: skip
    order = rank.tree_order(units)
    assert order[0] == "sheng" and sorted(order) == sorted(unit_tree.UNITS)
    for uid, (_, _, parent, _) in unit_tree.UNITS.items():
        if parent:
            assert order.index(parent) < order.index(uid)


def test_tree_order_keeps_a_cycle():
    units = pd.DataFrame(
        {"unit_id": ["a", "b", "c"], "name": ["甲", "乙", "丙"], "parent_id": ["b", "a", None]}
    )
    assert rank.tree_order(units) == ["c", "b", "a"]  # the cycle a ↔ b after the tree, by name


def test_every_indicator_is_a_measure_with_its_formula():
    from etl.indicators import INDICATORS

    for ind in INDICATORS:
        m = rank.MEASURES[ind.id]
        assert (m.label, m.formula, m.indicator) == (ind.name, ind.formula, True)
        assert m.descending is (ind.better != "lower") and m.comparable is ind.comparable
    assert "disclosed_share" not in rank.MEASURES, "the same as 予以公开率"
    assert rank.MEASURES["new_requests"].label == "新收申请"


# --- The page (AppTest) on the generated tree ----------------------------------------------------


def test_compare_page_ranks_the_group_from_the_url(token):
    at = apptest.open_page("pages/page_compare.py", parent="jia", deep="1", y="2024", m="disclosed_rate")
    assert not at.warning
    table = at.dataframe[0].value
    assert [None if pd.isna(r) else r for r in table["排名"]] == [1, 2, 2, 4, None, None, None]
    assert list(table["单位"][:4]) == [
        "甲市东区交通运输局",
        "甲市东区人民政府",
        "甲市西区人民政府",
        "甲市东区财政局",
    ]
    assert list(table.columns) == [
        "排名", "单位", "单位档案", "单位类型", "上级单位", "予以公开率（%）", "分子", "分母", "无数值的原因",
    ]  # fmt: skip
    assert table["单位档案"][0] == "/unit?unit=dong-jt"
    assert "（一）予以公开 ÷ （七）总计" in "\n".join(m.value for m in at.markdown)
    assert {k: at.query_params[k] for k in ("parent", "deep", "y", "m")} == {
        "parent": "jia", "deep": "1", "y": "2024", "m": "disclosed_rate",
    }  # fmt: skip
    assert at.selectbox(key="c_parent").value == "jia"


def test_compare_page_a_table_figure_has_no_numerator_column(token):
    at = apptest.open_page("pages/page_compare.py", parent="jia", m="failed_checks")
    assert list(at.dataframe[0].value.columns) == [
        "排名", "单位", "单位档案", "单位类型", "上级单位", "不一致检查（项）", "无数值的原因",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("bad", "notice"),
    [
        ({"parent": "不存在"}, "上级单位参数无效"),
        ({"parent": "dong-jt"}, "上级单位参数无效"),  # a unit with nothing under it
        ({"type": "<b>x</b>"}, "单位类型参数无效"),
        ({"deep": "2"}, "层级参数无效"),
        ({"y": "1900"}, "年度参数无效"),
        ({"m": "drop table"}, "排名指标参数无效"),
        ({"cfrom": "1900", "cto": "x"}, "比较年度范围无效"),
    ],
)
def test_compare_page_bad_url_values_fall_back_with_a_notice(token, bad, notice):
    at = apptest.open_page("pages/page_compare.py", **bad)
    assert any(notice in w.value for w in at.warning), [w.value for w in at.warning]
    assert len(at.dataframe[0].value) == 11, (
        "the default: the 9 units with a report, 北区 and 乙县 (expected)"
    )


def test_compare_page_change_of_picker_goes_to_the_url(token):
    at = apptest.open_page("pages/page_compare.py", parent="jia")
    at.selectbox(key="c_type").select("department").run()
    at.checkbox(key="c_deep").check().run()
    assert (at.query_params["type"], at.query_params["deep"]) == ("department", "1")
    assert list(at.dataframe[0].value["单位"]) == ["甲市东区交通运输局", "甲市东区财政局"]


# --- The page on the bundled reports: the years of the ranked units (what the old page showed) ----

HONGZE = "淮安市洪泽区人民政府"
HUAIAN = "淮安市人民政府"
SEED_UNIT = "四川省政务服务和公共资源交易服务中心"


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> Path:
    from etl.pipeline import build

    db_file = tmp_path_factory.mktemp("bundled") / "dashboard.duckdb"
    build(ROOT / "data" / "reports", db_file)
    return db_file


def unit_id(name: str) -> str:
    tree = rank.unit_tree(db.version())
    return next(u for u, n in tree.names.items() if n == name)


def test_bundled_default_ranks_2024_and_shows_their_years(monkeypatch, bundled):
    monkeypatch.setenv("DASHBOARD_DB", str(bundled))
    at = apptest.open_page("pages/page_compare.py")
    ranking = at.dataframe[0].value
    years = next(d.value for d in at.dataframe if "机关" in d.value.columns and "表格格式" in d.value.columns)
    reported = ranking[ranking["无数值的原因"] != queries.NO_REPORT]
    assert sorted(reported["单位"]) == [HUAIAN, HONGZE]
    assert list(zip(years["机关"], years["年度"], strict=True)) == sorted(
        [(HONGZE, 2023), (HONGZE, 2024), (HUAIAN, 2024)], key=lambda r: r
    )
    h2024 = years[(years["机关"] == HONGZE) & (years["年度"] == 2024)].iloc[0]
    assert (h2024["新收申请"], h2024["办理结果总计"], h2024["予以公开占比（%）"]) == (95, 95, 52.6)
    assert (h2024["行政复议"], h2024["行政诉讼"], h2024["纠正占比（%）"], h2024["不一致检查"]) == (
        2,
        4,
        16.7,
        0,
    )
    h2023 = years[(years["机关"] == HONGZE) & (years["年度"] == 2023)].iloc[0]
    assert h2023["不一致检查"] == 2 and h2023["表格格式"] == "2021年版"
    assert "表二（主动公开）两版统计的内容不同" in at.info[0].value
    hongze = ranking[ranking["单位"] == HONGZE].iloc[0]
    assert (hongze["分子"], hongze["分母"]) == (50, 95)
    assert round(hongze["予以公开率（%）"], 2) == 52.63


def test_bundled_districts_of_huaian_url_round_trip(monkeypatch, bundled):
    monkeypatch.setenv("DASHBOARD_DB", str(bundled))
    huaian = unit_id(HUAIAN)
    at = apptest.open_page("pages/page_compare.py", parent=huaian, type="district", y="2024", m="withheld")
    assert not at.warning
    ranking = at.dataframe[0].value
    assert ranking["单位"][0] == HONGZE and ranking["排名"][0] == 1
    assert ranking["不予公开（件）"][0] == 3
    assert set(ranking["单位"][1:]) and all(ranking["无数值的原因"][1:] == queries.NO_REPORT)
    assert {k: at.query_params[k] for k in ("parent", "type", "y", "m")} == {
        "parent": huaian, "type": "district", "y": "2024", "m": "withheld",
    }  # fmt: skip
    at.selectbox(key="c_measure").select("review_total").run()
    assert at.query_params["m"] == "review_total"
    assert at.dataframe[0].value["行政复议（件）"][0] == 2


def test_bundled_the_centre_among_departments(monkeypatch, bundled):
    monkeypatch.setenv("DASHBOARD_DB", str(bundled))
    at = apptest.open_page("pages/page_compare.py", type="department", y="2019", m="new_requests")
    ranking = at.dataframe[0].value
    assert list(ranking["单位"]) == [SEED_UNIT]


def test_compare_keys_leave_the_url_on_another_page(token):
    at = apptest.open_page("pages/page_compare.py", parent="jia", type="district", m="failed_checks")
    assert at.query_params["parent"] == "jia"
    at.switch_page("pages/page_review.py").run()
    assert not at.exception
    assert "type" not in at.query_params and "m" not in at.query_params, "the compare page's own keys"
    assert at.query_params["parent"] == "jia", "the review page reads the same parent"
    at.switch_page("pages/page_disclosure.py").run()
    assert not set(compare_state.COMPARE_KEYS) & set(at.query_params)


def test_an_embedded_chart_of_the_compare_page(token):
    from dashboard import embed

    url = {"page": ["compare"], "chart": ["排名-予以公开率"], "parent": ["jia"], "deep": ["1"], "y": ["2024"]}
    got = embed.resolve(token, "http://127.0.0.1/", lambda k: url.get(k, []))
    assert isinstance(got, embed.Embedded), got
    assert list(got.chart.data["单位"]) == [
        "甲市东区交通运输局",
        "甲市东区人民政府",
        "甲市西区人民政府",
        "甲市东区财政局",
    ]
    assert "parent=jia" in got.full_page and got.full_page.startswith("http://127.0.0.1/compare?")
