"""The bundled reports (data/reports/) as units: 淮安市人民政府's real 2024 report reads, and
its agency and 洪泽区's sit in one tree, 淮安市 → 洪泽区, with the registry's expected units."""

from __future__ import annotations

import pytest

from etl.pipeline import load_report
from etl.units import descendants, load_registry, resolve
from tests.fixtures import ROOT

REPORTS = ROOT / "data" / "reports"


@pytest.fixture(scope="module")
def bundled():
    return {
        path.name: load_report(path) for path in sorted(REPORTS.iterdir()) if path.suffix in (".pdf", ".txt")
    }


def test_city_report_reads(bundled):
    city = bundled["huaian-city-2024.pdf"]
    assert (city.agency, city.year) == ("淮安市人民政府", 2024)
    assert all(check.passed is not False for check in city.checks)


def test_bundled_agencies_form_one_tree(bundled):
    units = resolve([r.agency for r in bundled.values()], load_registry())
    city = units.unit_of("淮安市人民政府")
    hongze = units.unit_of(bundled["huaian-hongze-district-2024.pdf"].agency)
    centre = units.unit_of(bundled["sichuan-center-2019.txt"].agency)
    assert hongze.name == "淮安市洪泽区人民政府" and hongze.parent_id == city.unit_id
    assert units.get(city.parent_id).name == "江苏省人民政府"
    assert centre.name == "四川省政务服务和公共资源交易服务中心"
    assert units.get(centre.parent_id).name == "四川省人民政府"
    under = {u.name: u.expected for u in descendants(units, city.unit_id)}
    assert under["淮安市洪泽区人民政府"] and under["淮安市金湖县人民政府"]  # 金湖县 has no report: missing
    assert units.undecided() == []
