"""The review page (下级单位年报审核): the statuses of every unit under a parent, the XLSX, the URL;
on a small generated tree (tests/unit_tree.py) and on the bundled reports."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from dashboard import db, paged, views
from dashboard.views import rank
from dashboard.views.review import page_order, review_stem, with_links
from etl.pipeline import build
from tests import apptest, fixtures, unit_tree

HUAIAN = "淮安市人民政府"
HONGZE = "淮安市洪泽区人民政府"


@pytest.fixture(scope="module")
def tree_db(tmp_path_factory) -> Path:
    return unit_tree.build(tmp_path_factory.mktemp("tree") / "dashboard.duckdb")


@pytest.fixture(scope="module")
def bundled_db(tmp_path_factory) -> Path:
    db_file = tmp_path_factory.mktemp("bundled") / "dashboard.duckdb"
    build(fixtures.ROOT / "data" / "reports", db_file)
    return db_file


def counts(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


CHECK = "不通过的检查"  # the column of the failed checks' table (one row per check)


def tables(at) -> list[pd.DataFrame]:
    """The status tables, in tab order (the failed checks' table left out)."""
    return [d.value for d in at.dataframe if CHECK not in d.value.columns]


def check_table(at) -> pd.DataFrame:
    (frame,) = (d.value for d in at.dataframe if CHECK in d.value.columns)
    return frame


def names(frame: pd.DataFrame) -> list[str]:
    column = "单位" if "单位" in frame.columns else "name"
    return list(frame[column])


def test_review_of_a_city_every_depth(monkeypatch, tree_db):
    monkeypatch.setenv("DASHBOARD_DB", str(tree_db))
    at = apptest.open_page("pages/page_review.py", parent="jia", y="2024")
    assert not at.warning
    assert counts(at) == {"已载入": "6个", "未能载入": "0个", "未报送": "1个"}
    loaded, missing = tables(at)
    assert sorted(names(loaded)) == sorted(
        unit_tree.UNITS[u][0] for u in unit_tree.REPORTING if u not in ("jia", "yi", "yi-a")
    ), "东区's departments too (every depth), not 甲市 itself nor 乙市's units"
    assert names(missing) == ["甲市北区人民政府"]
    assert rank.HEADERS["profile"] in loaded.columns
    assert (at.query_params["parent"], at.query_params["y"]) == ("jia", "2024")


def test_review_lists_a_refused_file_with_its_reason(monkeypatch, tree_db):
    monkeypatch.setenv("DASHBOARD_DB", str(tree_db))
    at = apptest.open_page("pages/page_review.py", parent="yi", y="2024")
    assert counts(at) == {"已载入": "1个", "未能载入": "1个", "未报送": "0个"}
    loaded, refused = tables(at)
    assert names(loaded) == ["乙市甲县人民政府"]
    _, source, reason, place = unit_tree.REFUSED
    row = refused.iloc[0]
    assert (row["单位"], row["文件"], row["位置"]) == ("乙市乙县人民政府", source, place)
    assert reason in row["未能载入的原因"]


def test_review_default_parent_and_bad_url(monkeypatch, tree_db):
    monkeypatch.setenv("DASHBOARD_DB", str(tree_db))
    at = apptest.open_page("pages/page_review.py", parent="不存在", y="1900")
    notes = [w.value for w in at.warning]
    assert any("上级单位参数无效" in n for n in notes) and any("年度参数无效" in n for n in notes)
    assert at.selectbox(key="r_parent").value == "jia", "the default: the unit with most units under it"


def test_review_xlsx_is_the_etl_one(monkeypatch, tree_db):
    from etl.review import review as etl_review
    from etl.review import review_xlsx

    monkeypatch.setenv("DASHBOARD_DB", str(tree_db))
    token = db.version()
    r = views.review(token, "dong", 2024)
    with db.cursor(token) as cur:
        frames = etl_review(cur, "dong", 2024)
    ours = pd.read_excel(io.BytesIO(r.xlsx()), sheet_name=None)
    theirs = pd.read_excel(io.BytesIO(review_xlsx(frames, "甲市东区人民政府", 2024)), sheet_name=None)
    assert list(ours) == [*frames, "说明"]
    for status in frames:  # the same sheets as `python -m etl review` writes
        pd.testing.assert_frame_equal(ours[status], theirs[status])
    assert sorted(ours["已载入"]["单位"]) == ["甲市东区交通运输局", "甲市东区财政局"]
    assert review_stem(r) == "下级单位年报审核_甲市东区人民政府_2024年"


def test_with_links_after_the_unit_name():
    frame = pd.DataFrame({"单位": ["甲 乙", "不在名录"], "状态": ["已载入", "已载入"]})
    out = with_links(frame, {"甲 乙": "a b"})
    assert list(out.columns) == ["单位", "单位档案", "状态"]
    assert out["单位档案"][0] == "/unit?unit=a%20b" and pd.isna(out["单位档案"][1])
    assert list(with_links(frame.drop(columns="单位"), {}).columns) == ["状态"]


def test_bundled_review_of_huaian(monkeypatch, bundled_db):
    monkeypatch.setenv("DASHBOARD_DB", str(bundled_db))
    tree = rank.unit_tree(db.version())
    parent = next(u for u, n in tree.names.items() if n == HUAIAN)
    at = apptest.open_page("pages/page_review.py", parent=parent, y="2024")
    assert not at.warning
    assert counts(at) == {"已载入": "1个", "未能载入": "0个", "未报送": "3个"}
    loaded, missing = tables(at)  # 未能载入 is empty: a notice, no table
    assert names(loaded) == [HONGZE]
    assert "不通过的检查及依据" not in loaded.columns, "the checks' text is in their own table"
    # the units data/units.toml expects under 淮安市, without a 2024 report
    assert names(missing) == ["淮安市清江浦区人民政府", "淮安市盱眙县人民政府", "淮安市金湖县人民政府"]
    checks = check_table(at)
    assert set(checks["单位"]) == {HONGZE}
    assert list(checks.columns) == ["单位", "报告编号", "类别", CHECK, "应为", "实际", "依据（原文）"]
    assert any(c.startswith("依申请公开：正文所述受理申请数与表三“本年新收”总计对照") for c in checks[CHECK])
    assert checks["依据（原文）"].str.len().min() > 0, "each check with its evidence"
    assert not at.expander, "no expander per unit (thousands of them on a province)"


def test_failed_checks_a_page_at_a_time(monkeypatch, bundled_db):
    monkeypatch.setenv("DASHBOARD_DB", str(bundled_db))
    token = db.version()
    parent = next(u for u, n in rank.unit_tree(token).names.items() if n == HUAIAN)
    whole = paged.review_checks(token, parent, 2023, None)  # 洪泽区 2023: two inconsistencies
    assert paged.review_check_count(token, parent, 2023) == len(whole) == 2
    assert list(whole["类别"]) == ["不一致", "不一致"]
    pages = [paged.review_checks(token, parent, 2023, 1, offset) for offset in range(len(whole) + 1)]
    assert [len(p) for p in pages] == [1] * len(whole) + [0], "LIMIT/OFFSET, the last page empty"
    pd.testing.assert_frame_equal(pd.concat(pages, ignore_index=True), whole, check_dtype=False)
    assert paged.review_check_count(token, "no-such-unit", 2024) == 0


def test_page_order_puts_the_report_columns_last():
    frame = pd.DataFrame(
        columns=["单位", "报告编号", "层级（1为直属）", "予以公开率（%）", "不通过的检查及依据"]
    )
    assert list(page_order(frame).columns) == [
        "单位", "予以公开率（%）", "层级（1为直属）", "报告编号",
    ]  # fmt: skip
