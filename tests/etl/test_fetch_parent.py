"""``etl fetch --parent NAME``: the columns of a unit's tree, from the unit registry (etl/units)."""

from __future__ import annotations

import argparse

import pytest

from etl.fetch.cli import add_arguments, start_urls
from etl.fetch.parent import ParentError, column_urls

pytest.importorskip("etl.units", reason="the unit registry (etl/units) is not in this checkout")

REGISTRY = """
[[unit]]
name = "淮安市人民政府"
column_url = "http://127.0.0.1:1/ha/nb/index.html"

[[unit]]
name = "淮安市洪泽区人民政府"
aliases = ["洪泽区人民政府"]
column_url = "http://127.0.0.1:1/hz/nb/index.html"

[[unit]]
name = "淮安市金湖县人民政府"

[[unit]]
name = "淮安市洪泽区财政局"
column_url = "http://127.0.0.1:1/hzcz/nb/"

[[unit]]
name = "四川省政务服务和公共资源交易服务中心"
column_url = "http://127.0.0.1:1/sc/nb/"
"""


@pytest.fixture
def registry(tmp_path):
    path = tmp_path / "units.toml"
    path.write_text(REGISTRY, encoding="utf-8")
    return path


def test_a_parent_gathers_its_tree_columns_parent_first(registry):
    assert column_urls("淮安市人民政府", registry) == [
        ("淮安市人民政府", "http://127.0.0.1:1/ha/nb/index.html"),
        ("淮安市洪泽区人民政府", "http://127.0.0.1:1/hz/nb/index.html"),
        ("淮安市洪泽区财政局", "http://127.0.0.1:1/hzcz/nb/"),
    ]  # 金湖县 has no column; 四川 is not under 淮安


def test_a_unit_without_columns_under_it_is_an_error(registry):
    with pytest.raises(ParentError, match=r"淮安市金湖县人民政府及其下级单位.*都没有 column_url"):
        column_urls("淮安市金湖县人民政府", registry)


def test_parent_adds_to_the_urls_given(registry, capsys):
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args(
        ["http://127.0.0.1:1/hz/nb/index.html", "--parent", "洪泽区人民政府", "--registry", str(registry)]
    )
    assert start_urls(args) == ["http://127.0.0.1:1/hz/nb/index.html", "http://127.0.0.1:1/hzcz/nb/"]
    assert "淮安市洪泽区财政局：http://127.0.0.1:1/hzcz/nb/" in capsys.readouterr().out
