"""dashboard/embed.py: the iframe URL and snippet of a chart, and the embed page's look-up of
one chart from its URL alone (every chart of every page with charts, a bad URL, a bad value)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from dashboard import embed
from etl.pipeline import build
from tests import fixtures

CHART = "交易信息分类"


def params_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


@pytest.mark.parametrize(
    ("page_url", "base", "page"),
    [
        ("http://127.0.0.1:8080/trading", "http://127.0.0.1:8080/", "trading"),
        ("https://data.example.gov.cn/trading/", "https://data.example.gov.cn/", "trading"),
        ("https://example.org/dashboard/hotline", "https://example.org/dashboard/", "hotline"),  # a base path
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080/", ""),  # the overview
    ],
)
def test_page_of_splits_the_app_s_base_and_the_page(page_url, base, page):
    assert embed.page_of(page_url) == (base, page)


def test_embed_url_names_the_page_the_chart_and_only_the_selection():
    selection = {
        "agency": ["A&B 中心"],
        "year": ["2019"],
        "parent": ["u甲"],
        "bogus": ["1"],
        "embed": ["x"],
    }
    url = embed.embed_url("https://example.org/dashboard/trading", CHART, selection)
    assert url.startswith("https://example.org/dashboard/embed?page=trading&chart=")
    assert params_of(url) == {
        "page": ["trading"],
        "chart": [CHART],
        "year": ["2019"],
        "agency": ["A&B 中心"],
        "parent": ["u甲"],
        "embed": ["true"],  # Streamlit's own: no toolbar, no padding
    }
    back = embed.full_page_url("https://example.org/dashboard/", "trading", selection)
    assert (
        back
        == "https://example.org/dashboard/trading?year=2019&agency=A%26B+%E4%B8%AD%E5%BF%83&parent=u%E7%94%B2"
    )
    assert embed.full_page_url("http://h/", "trading", {}) == "http://h/trading"


def test_the_snippet_escapes_what_it_quotes():
    html = embed.snippet('http://h/embed?page=t&chart="x"', '标题"><script>alert(1)</script>')
    assert html == (
        '<iframe src="http://h/embed?page=t&amp;chart=&quot;x&quot;" '
        'title="标题&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" width="100%" height="560" '
        'style="border:0" loading="lazy"></iframe>'
    )


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> Path:
    reports = tmp_path_factory.mktemp("embed-reports")
    fixtures.write(reports, fixtures.SEED_NAME, fixtures.seed_bytes())
    fixtures.write(reports, "sichuan-center-2020.txt", fixtures.report_2020())
    db = reports.parent / "embed.duckdb"
    build(reports, db)
    return db


def getter(**params: str | list[str]):
    values = {k: ([v] if isinstance(v, str) else v) for k, v in params.items()}
    return lambda key: values.get(key, [])


@pytest.fixture
def token(monkeypatch, two_years) -> str:
    from dashboard import db

    monkeypatch.setenv("DASHBOARD_DB", str(two_years))
    return db.version()


def test_every_chart_of_every_page_is_found_from_its_url(token):
    from dashboard import views

    catalog = views.catalog(token)
    agency = catalog.agencies[0]
    selection = {"agency": agency, "year": "2020", "from": "2019", "to": "2020"}
    f = embed.filters_from(catalog, lambda k: selection.get(k))
    assert (f.agency, f.year, f.compare) == (agency, 2020, (2019, 2020))
    found = 0
    for page, model in embed.PAGES.items():
        charts = embed.charts_of(model(token, catalog, f, getter(**selection)))
        for name, chart in charts.items():
            shown = embed.resolve(token, "http://h/", getter(page=page, chart=name, **selection))
            assert isinstance(shown, embed.Embedded), (page, name, shown)
            assert shown.chart is chart  # the page's own chart, from the shared view model
            assert shown.full_page.startswith(f"http://h/{page}?year=2020&agency=%E5%9B%9B")
        found += len(charts)
    assert found >= 10
    assert (
        embed.charts_of(embed.PAGES["trading"](token, catalog, f, getter()))[CHART].title
        == "2020年各类交易信息发布数量"
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "链接不完整或无效"),
        ({"page": "trading"}, "链接不完整或无效"),
        ({"page": "downloads", "chart": CHART}, "链接不完整或无效"),  # a page without charts
        ({"page": "../admin", "chart": CHART}, "链接不完整或无效"),
        ({"page": "trading", "chart": "没有这张图"}, "没有这张图表的数据"),
    ],
)
def test_a_bad_url_says_so_instead_of_a_chart(token, params, message):
    shown = embed.resolve(token, "http://h/", getter(**params))
    assert isinstance(shown, str) and message in shown


def test_a_bad_value_falls_back_as_the_sidebar_does(token):
    shown = embed.resolve(
        token,
        "http://h/",
        getter(page="trading", chart=CHART, year="1999", agency="<img src=x>", **{"from": "x"}),
    )
    assert isinstance(shown, embed.Embedded)
    assert shown.chart.title == "2020年各类交易信息发布数量"  # the latest year, the default agency
