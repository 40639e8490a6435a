"""The pages shaped by units (issue 14) through AppTest on the bundled reports (data/reports/):
the first page, a unit's profile, the topic pages' default agency, and which pages have filters."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import navigation
from etl.pipeline import build
from tests import apptest, fixtures

HONGZE = "淮安市洪泽区人民政府"
HUAIAN = "淮安市人民政府"
CENTRE = "四川省政务服务和公共资源交易服务中心"


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("bundled-units") / "dashboard.duckdb"
    build(fixtures.ROOT / "data" / "reports", db)
    return db


@pytest.fixture
def app(monkeypatch, bundled):
    monkeypatch.setenv("DASHBOARD_DB", str(bundled))

    def run(page: str | None = None, **params: str) -> AppTest:
        return apptest.start(page, **params)

    return run


def unit_id(db: Path, name: str) -> str:
    (row,) = fixtures.query(db, "SELECT unit_id FROM units WHERE name = ?", [name])
    return row["unit_id"]


def open_unit(at: AppTest, unit: str, **params: str) -> AppTest:
    """Follow a link to /unit?unit=…: AppTest keeps the URL's parameters across a page switch."""
    for key, value in {"unit": unit, **params}.items():
        at.query_params[key] = value
    at.switch_page("pages/page_unit.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def links(at: AppTest) -> dict[str, str]:
    """Each page link's label → its target page and query string."""
    return {link.proto.label: f"{link.proto.page}?{link.proto.query_string}" for link in at.get("page_link")}


def sidebar_keys(at: AppTest) -> list[str]:
    return [s.key for s in at.sidebar.selectbox]


def param(at: AppTest, key: str) -> list[str]:
    value = at.query_params[key]
    return [value] if isinstance(value, str) else list(value)


# --- the topic pages open on the agency that has their figures --------------------------------


@pytest.mark.parametrize(
    ("page", "label", "value"),
    [
        ("pages/page_trading.py", "报告所述总数", "487,988条"),
        ("pages/page_approvals.py", "受理", "165,037件"),
        ("pages/page_hotline.py", "受理群众诉求", "432,442件"),
    ],
)
def test_topic_pages_open_on_the_centre_2019(app, page, label, value):
    at = app(page)
    assert metrics(at)[label] == value
    assert sidebar_keys(at) == ["f_year"], "one agency has these figures: no agency to choose"
    assert at.sidebar.selectbox(key="f_year").options == ["2019年"]
    assert param(at, "year") == ["2019"]
    assert any(CENTRE in c.value for c in at.caption), "the page says which agencies have these figures"


def test_a_topic_page_replaces_an_agency_without_its_figures_with_a_notice(app):
    at = app(None, agency=HONGZE, year="2024")
    assert at.title[0].value == "2024年度报告总览"
    at.switch_page("pages/page_trading.py").run()
    assert metrics(at)["报告所述总数"] == "487,988条"
    assert any(f"{HONGZE}的报告中没有公共资源交易信息的数字" in w.value for w in at.warning)
    assert param(at, "year") == ["2019"]


def test_a_link_to_a_topic_page_for_an_agency_without_its_figures(app):
    at = app(None)
    at.query_params["agency"] = HONGZE
    at.switch_page("pages/page_hotline.py").run()
    assert metrics(at)["受理群众诉求"] == "432,442件"
    assert any(f"{HONGZE}的报告中没有12345热线的数字" in w.value for w in at.warning)


# --- the first page ----------------------------------------------------------------------------


def test_home_page_says_what_is_loaded(app):
    at = app()
    assert at.title[0].value == "数据概览"
    values = metrics(at)
    assert (values["报告单位"], values["年度报告"], values["报告年度"]) == ("3个", "4份", "3个")
    assert (values["有不一致"], values["未能载入"]) == ("2份", "0个")
    # 2024: 淮安市 (表三 新收 3,119, 予以公开 1,362; 表四 复议 351, 诉讼 46) + 洪泽区 (95, 50; 2, 4)
    sums = ("新收政府信息公开申请", "予以公开", "政府信息公开行政复议", "政府信息公开行政诉讼")
    assert [values[k] for k in sums] == ["3,214件", "1,412件", "353件", "50件"]
    apptest.open_chart_tables(at)
    by_year = at.dataframe[0].value
    assert list(zip(by_year["年度"], by_year["单位类型"], by_year["数量（份）"], strict=True)) == [
        (2019, "部门", 1),
        (2023, "县级", 1),
        (2024, "县级", 1),
        (2024, "市级", 1),
    ]
    assert not at.sidebar.selectbox, "the first page has no agency or year filter"
    assert not list(at.query_params), "nor anything in its URL"


def test_home_page_links_the_failing_units_to_their_profiles(app, bundled):
    at = app()
    got = links(at)
    assert got[f"{HONGZE}：2023年2项不一致"] == f"unit?unit={unit_id(bundled, HONGZE)}"
    assert got[f"{CENTRE}：2019年2项不一致"] == f"unit?unit={unit_id(bundled, CENTRE)}"
    units = next(d.value for d in at.dataframe if "单位档案" in d.value.columns)
    hongze = units.set_index("单位").loc[HONGZE]
    assert (hongze["上级单位"], hongze["年度"], hongze["报告数"], hongze["不一致检查"]) == (
        HUAIAN,
        "2023、2024",
        2,
        2,
    )
    assert hongze["单位档案"] == f"/unit?unit={unit_id(bundled, HONGZE)}"


def test_an_old_overview_link_still_opens_that_report(app):
    """ "/" was one report's overview: a shared "/?agency=…&year=…" opens 报告总览 of that report."""
    at = app(None, agency=HONGZE, year="2023")
    assert at.title[0].value == "2023年度报告总览"
    assert metrics(at)["新收公开申请"] == "21件"
    assert (param(at, "agency"), param(at, "year")) == ([HONGZE], ["2023"])


# --- a unit's profile --------------------------------------------------------------------------


def test_hongze_profile_parent_reports_rank_and_failed_checks(app, bundled):
    at = open_unit(app(), unit_id(bundled, HONGZE))
    assert at.header[0].value == HONGZE
    got = links(at)
    assert got[f"上级单位：{HUAIAN}"] == f"unit?unit={unit_id(bundled, HUAIAN)}"
    assert got["2024年报告总览"] == f"overview?{urlencode({'agency': HONGZE, 'year': 2024})}"
    assert got["2024年检查结果"] == f"quality?{urlencode({'agency': HONGZE, 'year': 2024})}"
    assert not any(k.startswith("2023年") for k in got), "the links are the selected year's"
    assert any("**2023年**" in m.value and "2项不一致" in m.value for m in at.markdown)
    assert at.selectbox(key="u_year").value == 2024, "the latest year by default"
    assert (param(at, "unit"), param(at, "year")) == ([unit_id(bundled, HONGZE)], ["2024"])
    peers = at.dataframe[0].value.set_index("指标")
    assert peers.loc["予以公开率", "本单位（%）"] == pytest.approx(50 / 95 * 100)
    assert peers.loc["予以公开率", "排名"] == "第1名（共1个）"
    assert peers.loc["无法提供率", "排名"] == "不排名"
    assert any("同类单位：全部县级单位" in c.value for c in at.caption)
    failed = at.dataframe[-1].value
    assert list(failed["年度"]) == [2023, 2023]
    assert not at.sidebar.selectbox, "the profile has its own pickers, not the sidebar's"


def test_profile_year_from_the_url_and_a_bad_unit(app, bundled):
    at = open_unit(app(), unit_id(bundled, HONGZE), year="2023")
    assert at.selectbox(key="u_year").value == 2023
    at = open_unit(app(), "<script>x</script>")
    assert any("单位参数无效" in w.value for w in at.warning)


def test_profile_picker_switches_unit(app, bundled):
    at = open_unit(app(), unit_id(bundled, HONGZE))
    at.selectbox(key="u_unit").select(unit_id(bundled, CENTRE)).run()
    assert at.header[0].value == CENTRE
    assert param(at, "unit") == [unit_id(bundled, CENTRE)] and param(at, "year") == ["2019"]


# --- which pages have the sidebar's filters ----------------------------------------------------


@pytest.mark.parametrize("entry", navigation.PUBLIC_PAGES, ids=lambda e: e.url_path or "home")
def test_sidebar_filters_only_where_they_act(app, entry):
    at = app(entry.script if entry.url_path else None)
    if entry.filters is None:
        assert not at.sidebar.selectbox
        assert "agency" not in at.query_params
    else:
        assert "f_year" in sidebar_keys(at)
        assert param(at, "year")


# --- files the build refused ---------------------------------------------------------------


@pytest.fixture(scope="module")
def with_refusal(tmp_path_factory, bundled) -> Path:
    """The bundled build, and one file the build refused (a row of the ``refusals`` view)."""
    import shutil

    import duckdb

    db = tmp_path_factory.mktemp("refused") / "dashboard.duckdb"
    shutil.copy(bundled, db)
    con = duckdb.connect(str(db))
    con.execute(
        "INSERT INTO store.refusals (source_file, reason, place, refused_at) "
        "VALUES ('jinhu-2024.pdf', '表三第12行只有5个数字，应为7个', '表三 第12行', now())"
    )
    con.close()
    return db


def test_refused_files_on_the_quality_page_and_the_first_page(monkeypatch, with_refusal):
    monkeypatch.setenv("DASHBOARD_DB", str(with_refusal))
    at = apptest.start("pages/page_quality.py")
    refused = next(d.value for d in at.dataframe if "原因" in d.value.columns and "文件" in d.value.columns)
    assert refused[["文件", "原因", "位置"]].values.tolist() == [
        ["jinhu-2024.pdf", "表三第12行只有5个数字，应为7个", "表三 第12行"]
    ]
    assert any("最近一次构建有**1个文件**未能载入" in m.value for m in at.markdown)
    at = apptest.start()
    assert metrics(at)["未能载入"] == "1个"
    assert any("有1个文件未能载入" in w.value for w in at.warning)


def test_no_refusals_said_plainly(app):
    at = app("pages/page_quality.py")
    assert any("最近一次构建没有拒绝任何文件" in c.value for c in at.caption)


def test_huaian_profile_lists_hongze_among_its_children(app, bundled):
    at = open_unit(app(), unit_id(bundled, HUAIAN))
    assert at.header[0].value == HUAIAN
    got = links(at)
    assert got[f"{HONGZE}（2份报告）"] == f"unit?unit={unit_id(bundled, HONGZE)}"
    assert at.selectbox(key="u_year").options == ["2024年"]


def test_an_old_link_with_the_centre_s_printed_name_still_opens_its_report(app):
    """The centre's 2019 title printed 四川省政务服务和资源交易服务中心, now an alias of its unit."""
    at = app(None, agency="四川省政务服务和资源交易服务中心", year="2019")
    assert at.title[0].value == "2019年度报告总览"
    assert not [w.value for w in at.warning if "无效" in w.value]
    assert param(at, "agency") == [CENTRE]


def test_home_units_table_a_page_at_a_time_the_download_whole(monkeypatch, bundled):
    import io

    import pandas as pd

    from dashboard import db, paged, views

    monkeypatch.setenv("DASHBOARD_DB", str(bundled))
    token = db.version()
    units = views.home(token).units
    assert (units.total, units.pages()) == (3, 1)
    names = [HONGZE, HUAIAN, CENTRE]  # by name (code point order, as DuckDB sorts)
    assert list(paged.reporting_units(token, 2, 0)["name"]) == sorted(names)[:2]
    assert list(paged.reporting_units(token, 2, 2)["name"]) == sorted(names)[2:]
    assert list(views.unit_page(token, 1).data["单位"]) == sorted(names)
    whole = pd.read_csv(io.BytesIO(units.csv()), encoding="utf-8-sig")
    assert list(whole["单位"]) == sorted(names)
    assert list(whole.columns) == ["单位", "类型", "上级单位", "年度", "报告数", "不一致检查", "单位档案"]
    book = pd.read_excel(io.BytesIO(units.xlsx()), sheet_name=None)
    assert list(book) == ["单位名录"] and len(book["单位名录"]) == 3
