"""Every page of the dashboard through streamlit.testing.v1.AppTest, with the seed
2019 report (and the bundled three reports) and with two-year fixture data (2019 + a derived 2020)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import navigation, ui, views
from etl.pipeline import build
from tests import apptest, fixtures

ROOT = fixtures.ROOT
PAGES = [p.script for p in navigation.PUBLIC_PAGES]
FILTERED = {p.script for p in navigation.PUBLIC_PAGES if p.filters is not None}
OVERVIEW = "pages/page_overview.py"


@pytest.fixture(scope="session")
def one_year_db(tmp_path_factory) -> Path:
    """The seed alone (the centre's 2019 report): one agency, one year."""
    folder = tmp_path_factory.mktemp("one-year")
    fixtures.write(folder / "reports", fixtures.SEED_NAME, fixtures.seed_bytes())
    db = folder / "dashboard.duckdb"
    build(folder / "reports", db)
    return db


@pytest.fixture(scope="session")
def bundled_db(tmp_path_factory) -> Path:
    """Everything in data/reports/ (what ``make run`` shows)."""
    db = tmp_path_factory.mktemp("bundled") / "dashboard.duckdb"
    build(ROOT / "data" / "reports", db)
    return db


def test_bundled_reports_three_agencies_four_reports(monkeypatch, bundled_db):
    at = run_app(monkeypatch, bundled_db, OVERVIEW)
    agencies = at.sidebar.selectbox(key="f_agency")
    assert agencies.options == [
        "四川省政务服务和公共资源交易服务中心",
        "淮安市人民政府",
        "淮安市洪泽区人民政府",
    ]
    assert agencies.value == "淮安市洪泽区人民政府", "the default: the agency with most years"
    assert at.sidebar.selectbox(key="f_year").options == ["2023年", "2024年"]
    assert at.title[0].value == "2024年度报告总览"


@pytest.fixture(scope="session")
def two_year_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("two-years")
    reports = folder / "reports"
    fixtures.write(reports, fixtures.SEED_NAME, fixtures.seed_bytes())
    fixtures.write(reports, "sichuan-center-2020.txt", fixtures.report_2020())
    db = folder / "dashboard.duckdb"
    build(reports, db)
    return db


def run_app(monkeypatch, db: Path, page: str | None = None, **params: str) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    return apptest.start(page, **params)


def choose(at: AppTest, tab: str) -> AppTest:
    """Choose a tab of the 政府信息公开 page."""
    return apptest.choose_tab(at, views.DISCLOSURE_TAB_KEY, tab)


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def all_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [w.value for w in at.warning] + [s.value for s in at.success] + [t.value for t in at.title]
    return "\n".join(parts)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_with_the_bundled_report(monkeypatch, one_year_db, page):
    at = run_app(monkeypatch, one_year_db, page)
    assert at.title, "each page has a title"
    if page in FILTERED:
        assert at.sidebar.selectbox(key="f_year").value == 2019
        assert at.query_params["year"] == ["2019"] or at.query_params["year"] == "2019"
    else:  # the pages the sidebar's agency and year do not act on (the first page, the profile, compare)
        assert not at.sidebar.selectbox
        assert "agency" not in at.query_params


def test_overview_headline_numbers(monkeypatch, one_year_db):
    at = run_app(monkeypatch, one_year_db, OVERVIEW)
    values = metric_values(at)
    assert values["交易信息发布"] == "487,988条"
    assert values["受理行政审批事项"] == "165,037件"
    assert values["办结行政审批事项"] == "60,593件"
    assert values["12345受理群众诉求"] == "432,442件"
    assert values["群众满意率"] == "85.51%"
    text = all_text(at)
    # the file name is written escaped (inert Markdown); it renders as the plain name
    assert ui.escape("sichuan-center-2019.txt") in text
    assert "2项不一致" in text
    assert "暂无上年对比" in text


def test_trading_shows_the_unattributed_difference(monkeypatch, one_year_db):
    at = run_app(monkeypatch, one_year_db, "pages/page_trading.py")
    values = metric_values(at)
    assert values["报告所述总数"] == "487,988条"
    assert values["各类别之和"] == "487,901条"
    assert values["未归入类别的差额"] == "87条"
    assert any("相差 87条" in w.value for w in at.warning)
    assert len(at.get("plotly_chart")) == 1, "no comparison chart with one year"


def test_hotline_page(monkeypatch, one_year_db):
    at = run_app(monkeypatch, one_year_db, "pages/page_hotline.py")
    values = metric_values(at)
    assert values["受理群众诉求"] == "432,442件"
    assert values["转办办结率"] == "91.75%"
    assert values["电话回访"] == "19,999件"
    text = all_text(at)
    for topic in ("住房保障", "集资公路维修", "环境污染", "交通出行", "医疗纠纷"):
        assert topic in text
    assert "已包含在上面的渠道数字之内" in text


def test_disclosure_tables_keep_blank_cells_blank(monkeypatch, one_year_db):
    at = run_app(monkeypatch, one_year_db, "pages/page_disclosure.py")
    assert not any("行代码" in d.value.columns for d in at.dataframe), "表三's tab is drawn when chosen"
    grid = next(d.value for d in choose(at, "表三 依申请公开").dataframe if "行代码" in d.value.columns)
    assert len(grid) == 23
    first = grid[grid["行代码"] == "1"].iloc[0]
    assert first["自然人"] == 0
    assert first["商业企业"] != first["商业企业"], "a blank cell is NaN/None, not 0"
    table4 = next(d.value for d in choose(at, "表四 复议与诉讼").dataframe if "类别" in d.value.columns)
    assert table4.set_index("类别").loc["行政复议", "总计"] == 1
    assert any("行政复议" in w.value for w in at.warning)


def test_quality_page_lists_the_two_failures(monkeypatch, one_year_db):
    at = run_app(monkeypatch, one_year_db, "pages/page_quality.py")
    values = metric_values(at)
    assert (values["检查项"], values["不一致"], values["口径提示"]) == ("45", "2", "0")
    text = all_text(at)
    assert "487,988" in text and "487,901" in text
    assert not any(s.value == "口径提示（不算错误）" for s in at.subheader)


def test_quality_page_says_why_checks_could_not_be_assessed(monkeypatch, one_year_db):
    at = run_app(monkeypatch, one_year_db, "pages/page_quality.py")
    assert any(s.value == "无法评估的项及原因" for s in at.subheader)
    reasons = next(d.value for d in at.dataframe if "原因" in d.value.columns)
    assert dict(zip(reasons["原因"], reasons["项数"], strict=True)) == {
        "该列四个单元格均为空白": 5,
        "总计为空白，分项均为空白": 5,
        "正文未写明受理申请数": 1,
    }
    checks = next(d.value for d in at.dataframe if "无法评估的原因" in d.value.columns)
    assert (checks["无法评估的原因"] != "").sum() == 11


def test_year_switch_changes_the_numbers(monkeypatch, two_year_db):
    at = run_app(monkeypatch, two_year_db, OVERVIEW)
    assert at.sidebar.selectbox(key="f_year").value == 2020, "default is the latest year"
    latest = metric_values(at)["交易信息发布"]
    at.sidebar.selectbox(key="f_year").select(2019).run()
    assert not at.exception
    assert metric_values(at)["交易信息发布"] == "487,988条"
    assert latest != "487,988条"
    assert at.query_params["year"] in (["2019"], "2019")


def test_url_year_is_honoured(monkeypatch, two_year_db):
    at = run_app(monkeypatch, two_year_db, year="2019")
    assert at.sidebar.selectbox(key="f_year").value == 2019
    assert metric_values(at)["交易信息发布"] == "487,988条"
    assert not at.warning or all("无效" not in w.value for w in at.warning)


@pytest.mark.parametrize(
    "bad", ["1999", "abc", "2019; DROP TABLE reports", "<script>alert(1)</script>", "9" * 500]
)
def test_invalid_url_year_falls_back_with_a_notice(monkeypatch, two_year_db, bad):
    at = run_app(monkeypatch, two_year_db, year=bad)
    assert at.sidebar.selectbox(key="f_year").value == 2020
    assert any("年度参数无效" in w.value for w in at.warning)


def test_comparison_charts_only_with_two_years(monkeypatch, one_year_db, two_year_db):
    one = run_app(monkeypatch, one_year_db, "pages/page_hotline.py")
    two = run_app(monkeypatch, two_year_db, "pages/page_hotline.py")
    assert len(two.get("plotly_chart")) > len(one.get("plotly_chart"))
    assert not one.sidebar.get("select_slider")
    assert two.sidebar.get("select_slider")


CORPUS = ROOT.parent / "shared" / "corpus"
HONGZE = "淮安市洪泽区人民政府"


@pytest.fixture(scope="session")
def two_agency_db(tmp_path_factory) -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is absent (the real PDF reports live there)")
    folder = tmp_path_factory.mktemp("two-agencies")
    reports = folder / "reports"
    fixtures.write(reports, fixtures.SEED_NAME, fixtures.seed_bytes())
    for year in (2023, 2024):
        name = f"huaian-hongze-district-{year}.pdf"
        fixtures.write(reports, name, (CORPUS / name).read_bytes())
    db = folder / "dashboard.duckdb"
    build(reports, db)
    return db


def test_agency_selector_and_a_report_without_centre_figures(monkeypatch, two_agency_db):
    at = run_app(monkeypatch, two_agency_db, agency=HONGZE, year="2024")
    assert at.sidebar.selectbox(key="f_agency").value == HONGZE
    assert at.sidebar.selectbox(key="f_year").value == 2024
    assert any("没有交易信息" in i.value for i in at.info)
    assert metric_values(at)["新收公开申请"] == "95件"
    at.switch_page("pages/page_trading.py").run()
    assert not at.exception
    # 交易信息 offers only the agencies with trading figures: the centre, with a notice
    assert any(f"{HONGZE}的报告中没有公共资源交易信息的数字" in w.value for w in at.warning)
    assert metric_values(at)["报告所述总数"] == "487,988条"
    at.switch_page(OVERVIEW).run()
    at.sidebar.selectbox(key="f_agency").select(HONGZE).run()
    at.sidebar.selectbox(key="f_year").select(2024).run()
    at.switch_page("pages/page_quality.py").run()
    assert metric_values(at)["不一致"] == "0"


def test_scope_warning_is_shown_apart_from_errors(monkeypatch, two_agency_db):
    """Hongze 2024: the prose's 17 requests (区政府办 alone) against table 三's 95 (the district)
    is a scope warning, not an inconsistency of the report."""
    at = run_app(monkeypatch, two_agency_db, agency=HONGZE, year="2024")
    (summary,) = at.success
    assert "没有发现不一致" in summary.value and "1项口径提示" in summary.value
    at.switch_page("pages/page_quality.py").run()
    values = metric_values(at)
    assert (values["不一致"], values["口径提示"]) == ("0", "1")
    assert any(s.value == "口径提示（不算错误）" for s in at.subheader)
    text = all_text(at)
    assert "表格 **95**，正文 **17**" in text
    assert ui.escape("区政府办代表区政府受理政府信息公开申请17件") in text
    statuses = next(d.value for d in at.dataframe if "结果" in d.value.columns)["结果"]
    assert statuses.value_counts().get("口径提示") == 1


def test_hongze_2023_table4_inconsistency_is_shown(monkeypatch, two_agency_db):
    at = run_app(monkeypatch, two_agency_db, "pages/page_quality.py", agency=HONGZE, year="2023")
    assert metric_values(at)["不一致"] == "2"


@pytest.mark.parametrize("bad", ["不存在的机关", "<img src=x onerror=alert(1)>", "x" * 1000])
def test_invalid_agency_falls_back_with_a_notice(monkeypatch, two_agency_db, bad):
    at = run_app(monkeypatch, two_agency_db, agency=bad)
    assert at.sidebar.selectbox(key="f_agency").value == HONGZE, "the default: the agency with most years"
    assert any("机关参数无效" in w.value for w in at.warning)


def test_views_are_built_once_per_selection(monkeypatch, two_year_db):
    """A page's view is shared between reruns, and never between years or ranges."""
    from dashboard import db, views

    monkeypatch.setenv("DASHBOARD_DB", str(two_year_db))
    token = db.version()
    agency = views.catalog(token).agencies[0]
    years = views.catalog(token).years[agency]
    assert years == (2019, 2020)
    v2019 = views.trading(token, agency, 2019, years, None, years)
    assert views.trading(token, agency, 2019, years, None, years) is v2019
    v2020 = views.trading(token, agency, 2020, years, 2019, years)
    assert v2020 is not v2019
    assert v2019.total.value == 487988 and v2020.total.value != v2019.total.value
    assert v2020.total.previous == 487988
    assert v2019.comparison is not None
    assert views.trading(token, agency, 2019, years, None, (2019,)).comparison is None
    assert v2019.categories.stem == "交易信息分类_2019–2020年"
    assert v2019.categories.csv().startswith(b"\xef\xbb\xbf")


SEED_AGENCY = fixtures.SEED_AGENCY


def param(at: AppTest, key: str) -> list[str]:
    """A URL parameter's values (AppTest gives one value as a string, several as a list)."""
    value = at.query_params[key]
    return [value] if isinstance(value, str) else list(value)


def test_texts_page_search_across_reports(monkeypatch, bundled_db):
    monkeypatch.setenv("DASHBOARD_REPORTS", str(ROOT / "data" / "reports"))
    at = run_app(monkeypatch, bundled_db, None, q="解读", part="problems")
    at.switch_page("pages/page_texts.py").run()
    text = all_text(at)
    assert "“解读”：共4段原文（2个机关）。" in text
    assert "继续优化政务公开、政策**解读**、关切回应等工作。" in text
    assert [param(at, "q"), param(at, "part")] == [["解读"], ["problems"]]
    assert [s.value for s in at.subheader] == [
        "一、总体情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    assert at.header[0].value == "2024年报告原文"
    at.button(key="open-3").click().run()  # the 2023 hit (淮安市 2024 twice, 洪泽区 2024, 洪泽区 2023)
    assert at.header[0].value == "2023年报告原文"
    assert at.sidebar.selectbox(key="f_year").value == 2023
    assert any(m.value.startswith("2023年，洪泽区政府信息公开工作取得一定的成效") for m in at.markdown)


def test_texts_page_of_the_seed_shows_its_problems(monkeypatch, one_year_db):
    at = run_app(monkeypatch, one_year_db, "pages/page_texts.py")
    headings = [s.value for s in at.subheader]
    assert "五、存在的主要问题及改进情况" in headings
    assert not at.text_input(key="t_q").value
    assert "q" not in at.query_params


@pytest.mark.parametrize(
    ("page", "summary"),
    [
        (
            "pages/page_trading.py",
            "**图表说明**：图表“2019年各类交易信息发布数量”共5项（发布数量（条））：工程建设类 272,064条；"
            "政府采购类 119,172条；其他交易信息 44,045条；国有产权交易类 36,384条；土地使用权和矿业权 16,236条。",
        ),
        (
            "pages/page_disclosure.py",
            "**图表说明**：图表“2019年依申请公开办理结果（按申请人类型）”共36项（件数）：各项均为0或空白。",
        ),
    ],
)
def test_every_chart_has_a_text_alternative(monkeypatch, one_year_db, page, summary):
    at = run_app(monkeypatch, one_year_db, page)
    if page == "pages/page_disclosure.py":
        choose(at, "表三 依申请公开")
    (text,) = (m.value for m in at.markdown if m.value.startswith(summary))
    assert text.split("\n\n")[0] == summary, "the summary first"
    assert text.split("\n\n")[1].startswith(":small[来源："), "then the chart's source line"


@pytest.fixture(scope="session")
def many_agencies_db(tmp_path_factory) -> Path:
    """60 agencies (more than state.AGENCY_OPTIONS), one report each."""
    import random

    from bench.scale import scale_report

    folder = tmp_path_factory.mktemp("many-agencies")
    rng = random.Random(3)
    for i in range(60):
        fixtures.write(
            folder / "reports", f"r-{i:02d}.txt", scale_report(i, rng, agencies=60, first_year=2020)
        )
    db = folder / "dashboard.duckdb"
    build(folder / "reports", db)
    return db


def test_many_agencies_are_searched_not_sent_whole(monkeypatch, many_agencies_db):
    from bench.scale import agency_name

    at = run_app(monkeypatch, many_agencies_db, OVERVIEW)
    picker = at.sidebar.selectbox(key="f_agency")
    assert len(picker.options) == 50, "at most AGENCY_OPTIONS of the 60 agencies"
    at.sidebar.text_input(key="f_agency_q").input("乙癸").run()  # agency 19's name: 测试市乙癸区…
    assert at.sidebar.selectbox(key="f_agency").options == [picker.value, agency_name(19)]
    at.sidebar.selectbox(key="f_agency").select(agency_name(19)).run()
    assert param(at, "agency") == [agency_name(19)]


def test_trends_page_range_from_the_url(monkeypatch, bundled_db):
    at = run_app(monkeypatch, bundled_db, None, agency=HONGZE, **{"from": "2024", "to": "2024"})
    at.switch_page("pages/page_trends.py").run()
    assert any("只有一个年度" in i.value for i in at.info)
    summaries = [m.value.split("\n\n")[0] for m in at.markdown if m.value.startswith("**图表说明**")]
    assert summaries[0] == (
        "**图表说明**：图表“依申请公开数量（2024年）”：1个年度，最近一年（2024年）新收申请 95件；办理结果总计 95件；不予公开 3件。"
    )
    assert len(summaries) == 4
