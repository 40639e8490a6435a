"""The compare page (对比与排名) in Chromium: on a small generated tree (tests/unit_tree.py) the
ranking's order, the table's own sorting, the selection in the URL and back from a copied link,
and the ranking's CSV; on the bundled reports the years of the ranked units (their CSV) and a
bad URL parameter."""

from __future__ import annotations

import io
import urllib.parse

import pandas as pd
import pytest

from dashboard import views
from tests import unit_tree
from tests.e2e.conftest import warmed_up_app
from tests.e2e.helpers import (
    APP_TIMEOUT_MS,
    download,
    main_text,
    open_page,
    screenshot,
    wait_for_app,
    warning_texts,
)

HONGZE = "淮安市洪泽区人民政府"
HUAIAN = "淮安市人民政府"
RANKED = ["甲市东区交通运输局", "甲市东区人民政府", "甲市西区人民政府", "甲市东区财政局"]
UNRANKED = ["甲市中区人民政府", "甲市北区人民政府", "甲市南区人民政府"]  # no value: last, by name
JIA = "parent=jia&deep=1&y=2024&m=disclosed_rate"


@pytest.fixture(scope="module")
def tree_url(server_factory, tmp_path_factory, browser) -> str:
    db = unit_tree.build(tmp_path_factory.mktemp("tree") / "dashboard.duckdb")
    return warmed_up_app(server_factory, db, browser)


def params(page) -> dict[str, list[str]]:
    return urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)


def grid_rows(page) -> list[tuple[str, str]]:
    """(排名, 单位) of every row of the ranking table, as the grid shows them (its accessible table)."""
    rows = page.locator('[data-testid="stDataFrame"]').first.locator("tbody tr")
    rows.first.wait_for(state="attached", timeout=APP_TIMEOUT_MS)  # the grid draws after the script run
    return [
        (rows.nth(i).locator("td").nth(0).inner_text(), rows.nth(i).locator("td").nth(1).inner_text())
        for i in range(rows.count())
    ]


def click_header(page, x: float) -> None:
    """Click the ranking table's header row ``x`` pixels from its left edge (the grid is a canvas)."""
    box = page.locator('[data-testid="stDataFrame"]').first.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + 17)
    page.wait_for_timeout(300)


def test_ranking_order_and_sorting(tree_url, watched):
    open_page(watched, f"{tree_url}/compare?{JIA}", charts=1)
    assert grid_rows(watched) == [("1", RANKED[0]), ("2", RANKED[1]), ("2", RANKED[2]), ("4", RANKED[3])] + [
        ("", n) for n in UNRANKED
    ], "ties share a rank (1, 2, 2, 4); the units without a value last"
    screenshot(watched, "e2e-compare-rank")
    click_header(watched, 15)  # 排名, ascending: the grid's own sort puts blanks first
    assert [r for r in grid_rows(watched) if r[0]] == [
        ("1", RANKED[0]),
        ("2", RANKED[1]),
        ("2", RANKED[2]),
        ("4", RANKED[3]),
    ]
    click_header(watched, 15)  # descending
    assert [r[0] for r in grid_rows(watched)] == ["4", "2", "2", "1", "", "", ""]
    click_header(watched, 100)  # 单位 (in the browser's collation), then the other way
    by_name = [r[1] for r in grid_rows(watched)]
    assert sorted(by_name) == sorted(RANKED + UNRANKED) and by_name != RANKED + UNRANKED
    click_header(watched, 100)
    assert [r[1] for r in grid_rows(watched)] == by_name[::-1]


def test_selection_url_round_trip(tree_url, watched, browser_context):
    open_page(watched, f"{tree_url}/compare?{JIA}", charts=1)
    assert "甲市人民政府下属各级的单位，2024年：共7个单位" in main_text(watched)
    watched.get_by_role("combobox", name="单位类型").click()
    watched.get_by_role("option", name=views.UNIT_TYPES["department"], exact=True).click()
    watched.wait_for_url("**type=department**", timeout=APP_TIMEOUT_MS)
    wait_for_app(watched)
    assert [r[1] for r in grid_rows(watched)] == [RANKED[0], RANKED[3]]
    assert {k: v for k, v in params(watched).items() if k in ("parent", "type", "deep", "y", "m")} == {
        "parent": ["jia"], "type": ["department"], "deep": ["1"], "y": ["2024"], "m": ["disclosed_rate"],
    }  # fmt: skip

    with browser_context.new_page() as other:  # the copied link, a new session
        open_page(other, watched.url, charts=1)
        assert [r[1] for r in grid_rows(other)] == [RANKED[0], RANKED[3]]
        assert "甲市人民政府下属各级的部门，2024年：共2个单位" in main_text(other)
        assert warning_texts(other) == []


def test_ranking_csv(tree_url, page):
    open_page(page, f"{tree_url}/compare?{JIA}", charts=1)
    name, data = download(page, "下载表格 CSV")
    assert name == "单位排名_予以公开率_2024年.csv"
    table = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(table["单位"]) == RANKED + UNRANKED
    assert [None if pd.isna(r) else int(r) for r in table["排名"]] == [1, 2, 2, 4, None, None, None]
    assert list(table["予以公开率（%）"][:4]) == [90.0, 80.0, 80.0, 10.0]
    assert list(table["无数值的原因"][4:]) == ["报告中没有这项数字", "该年度没有载入报告", "分母为0"]
    assert table["单位档案"][0] == "/unit?unit=dong-jt"


def test_bundled_years_of_the_ranked_units_csv(app_bundled_url, page):
    open_page(page, f"{app_bundled_url}/compare?cfrom=2019&cto=2024", charts=2)
    name, data = download(page, page.get_by_role("button", name="下载表格 CSV").nth(1))
    assert name == "机关年度对比_2019–2024年.csv"
    table = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(zip(table["机关"], table["年度"], strict=True)) == [
        (HUAIAN, 2024),
        (HONGZE, 2023),
        (HONGZE, 2024),
    ]
    assert table.loc[(table["机关"] == HONGZE) & (table["年度"] == 2024), "予以公开占比（%）"].item() == 52.6


def test_bundled_bad_parameter_in_url(app_bundled_url, watched):
    open_page(watched, f"{app_bundled_url}/compare?parent=%3Cscript%3Ealert(1)%3C/script%3E&m=x", check=False)
    notes = warning_texts(watched)
    assert any("上级单位参数无效" in w for w in notes) and any("排名指标参数无效" in w for w in notes)
    assert "parent" not in params(watched) and params(watched)["m"] == ["disclosed_rate"]
