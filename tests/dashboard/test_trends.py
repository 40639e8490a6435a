"""The trends view: a 2019-format report then a 2021-format one of the same agency; the change
of format is marked on the axis; the range is honoured (table-driven over ranges)."""

from __future__ import annotations

import pytest

from etl.pipeline import build
from tests import fixtures
from tests.etl.test_etl_2021 import report_2021


@pytest.fixture(scope="module")
def token(tmp_path_factory, monkeypatch_module) -> str:
    folder = tmp_path_factory.mktemp("trends")
    fixtures.write(folder / "reports", fixtures.SEED_NAME, fixtures.seed_bytes())
    fixtures.write(folder / "reports", "centre-2021.txt", report_2021(2021, three_rows=False))
    db = folder / "dashboard.duckdb"
    build(folder / "reports", db)
    monkeypatch_module.setenv("DASHBOARD_DB", str(db))
    from dashboard import db as dashboard_db

    return dashboard_db.version()


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


@pytest.mark.parametrize(
    ("first", "last", "years", "changes"),
    [
        (2019, 2021, (2019, 2021), ("2019年与2021年之间改为2021年版表格",)),
        (2019, 2019, (2019,), ()),
        (2021, 2021, (2021,), ()),
    ],
)
def test_years_and_format_changes(token, first, last, years, changes):
    from dashboard import views

    v = views.trends(token, fixtures.SEED_AGENCY, first, last)
    assert v.years == years
    assert v.changes == changes
    assert [c.title for c in v.charts][:1] == [
        f"依申请公开数量（{first}–{last}年）" if first != last else f"依申请公开数量（{first}年）"
    ]


def test_format_change_is_drawn_on_the_axis(token):
    from dashboard import views

    chart = views.trends(token, fixtures.SEED_AGENCY, 2019, 2021).charts[0]
    layout = chart.fig.layout
    assert list(layout.xaxis.ticktext) == ["2019年<br>2019年版", "2021年<br>2021年版"]
    assert [(s.x0, s.line.dash) for s in layout.shapes] == [(2020.0, "dot")]
    assert [a.text for a in layout.annotations] == ["此后为2021年版表格"]
    assert chart.summary.startswith(
        "图表“依申请公开数量（2019–2021年）”：2个年度，最近一年（2021年）新收申请 "
    )
    assert "虚线处表格格式改变" in chart.summary


def test_data_table_has_the_format_of_each_year(token):
    from dashboard import views

    data = views.trends(token, fixtures.SEED_AGENCY, 2019, 2021).charts[0].data
    assert list(data.columns) == ["年度", "指标", "数值（件）", "表格格式"]
    assert dict(zip(data["年度"], data["表格格式"], strict=False)) == {2019: "2019年版", 2021: "2021年版"}
