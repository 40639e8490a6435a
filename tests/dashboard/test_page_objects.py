"""What a script run no longer rebuilds: the navigation's page objects (built once, copied per
run), the favicon (read once), the database's version token (one stat) and the registry's
lookups (built with the cached registry)."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import db, navigation, theme, views
from etl.pipeline import build
from tests import fixtures


def _pages_twice() -> None:
    import streamlit as st

    from dashboard import page_objects

    first, second = page_objects.pages(with_import=False), page_objects.pages(with_import=True)
    protos = page_objects._prototypes(False)
    st.session_state.out = {
        "paths": list(first),
        "with_import": list(second),
        "distinct": all(first[p] is not second[p] and first[p] is not protos[p] for p in first),
        "same_protos": protos is page_objects._prototypes(False),
        "scripts": {p: str(page._page) for p, page in first.items()},
        "titles": {p: page.title for p, page in first.items()},
        "hidden": [p for p, page in first.items() if page.visibility == "hidden"],
    }


def test_page_objects_are_copies_of_prototypes_built_once():
    at = AppTest.from_function(_pages_twice).run()
    assert not at.exception, [e.message for e in at.exception]
    out = at.session_state.out
    public = [p.url_path for p in navigation.PUBLIC_PAGES]
    assert out["paths"] == [*public, navigation.EMBED_PAGE.url_path]
    assert out["with_import"] == [*public, navigation.IMPORT_PAGE.url_path, navigation.EMBED_PAGE.url_path]
    assert out["distinct"] and out["same_protos"]
    # absolute paths, so they resolve the same whatever the main script is
    root = Path(__file__).resolve().parents[2]
    assert out["scripts"]["trading"] == str(root / "pages" / "page_trading.py")
    assert out["titles"][""] == "数据概览" and out["hidden"] == ["embed"]


def test_favicon_is_the_png_as_a_data_uri():
    prefix = "data:image/png;base64,"
    assert theme.FAVICON.startswith(prefix)
    png = (Path(theme.__file__).parent / "favicon.png").read_bytes()
    assert base64.b64decode(theme.FAVICON[len(prefix) :]) == png


def test_version_changes_when_the_file_is_replaced_and_builds_a_missing_one(monkeypatch, tmp_path):
    path = tmp_path / "dashboard.duckdb"
    monkeypatch.setenv("DASHBOARD_DB", str(path))
    monkeypatch.setenv("DASHBOARD_REPORTS", str(fixtures.ROOT / "data" / "reports"))
    first = db.version()  # missing: built from the reports first
    assert path.exists()
    st = os.stat(path)
    assert first == f"{st.st_ino}-{st.st_mtime_ns}-{st.st_size}"
    assert db.version() == first
    other = tmp_path / "other.duckdb"
    other.write_bytes(path.read_bytes() + b"\0")
    other.replace(path)
    assert db.version() != first


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bundled-objects") / "dashboard.duckdb"
    build(fixtures.ROOT / "data" / "reports", path)
    return path


@pytest.mark.parametrize(
    ("agency", "unit"),
    [
        ("淮安市洪泽区人民政府", "淮安市洪泽区人民政府"),
        ("淮安市人民政府", "淮安市人民政府"),
        ("四川省政务服务和公共资源交易服务中心", "四川省政务服务和公共资源交易服务中心"),
        # the 2019 title's spelling: reports.agency holds the canonical name (the alias is mapped
        # to it before this lookup, by state's canonical step), so no report has this agency
        ("四川省政务服务和资源交易服务中心", None),
        ("淮安市", None),  # a near miss: no report printed this
        ("", None),
    ],
)
def test_registry_unit_of_an_agency(monkeypatch, bundled, agency, unit):
    monkeypatch.setenv("DASHBOARD_DB", str(bundled))
    reg = views.registry(db.version())
    assert reg.name(reg.unit_of(agency)) == (unit or "")
    assert (reg.unit_of(agency) is None) == (unit is None)


def test_registry_reporting_names_in_the_registry_order(monkeypatch, bundled):
    monkeypatch.setenv("DASHBOARD_DB", str(bundled))
    reg = views.registry(db.version())
    assert list(reg.reporting_names) == list(reg.reporting)
    assert sorted(reg.reporting_names.values()) == sorted(
        ["淮安市洪泽区人民政府", "淮安市人民政府", "四川省政务服务和公共资源交易服务中心"]
    )
