"""The registry file (data/units.toml): the bundled file reads, and a bad file is refused
with the file, the line and the reason."""

from __future__ import annotations

import pytest

from etl.units import DEFAULT_PATH, RegistryError, load_registry

GOOD = """\
# a comment
[[unit]]
name = "四川省政务服务和公共资源交易服务中心"
aliases = ["四川省政务服务和资源交易服务中心"]

[[unit]]
name = "淮安市洪泽区交通运输局"
unit_type = "department"
parent = "淮安市洪泽区人民政府"
expected = true
column_url = "https://example.org/ndbg/"
"""


def write(tmp_path, text):
    path = tmp_path / "units.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_file_reads():
    registry = load_registry()
    assert registry.path == DEFAULT_PATH
    centre = registry.entry_for("四川省政务服务和资源交易服务中心")
    assert centre.name == "四川省政务服务和公共资源交易服务中心"
    expected = {e.name for e in registry.entries if e.expected}
    assert {"淮安市人民政府", "淮安市洪泽区人民政府", "淮安市金湖县人民政府"} <= expected


def test_fields_and_lines(tmp_path):
    registry = load_registry(write(tmp_path, GOOD))
    first, second = registry.entries
    assert (first.aliases, first.unit_type, first.parent, first.expected) == (
        ("四川省政务服务和资源交易服务中心",),
        None,
        None,
        False,
    )
    assert (second.unit_type, second.parent, second.expected, second.column_url, second.line) == (
        "department",
        "淮安市洪泽区人民政府",
        True,
        "https://example.org/ndbg/",
        6,
    )


BAD = [
    # (file text, line in the message, words of the reason)
    ('[[unit]]\nname = "淮安市财政局"\nunit_type = "bureau"\n', 3, "未知的 unit_type 'bureau'"),
    ('[[unit]]\nname = "淮安市财政局"\nparent = "某某单位"\n', 3, "找不到 淮安市财政局 的上级 某某单位"),
    ('[[unit]]\nname = "甲"\n\n[[unit]]\nname = "甲"\n', 5, "甲 重复：已是第 1 行单位"),
    ('[[unit]]\nname = "甲"\n\n[[unit]]\nname = "乙"\naliases = ["丙", "甲"]\n', 6, "甲 重复"),
    ('[[unit]]\nname = "甲"\nexpcted = true\n', 3, "未知的键 'expcted'"),
    ('[[unit]]\naliases = ["甲"]\n', 1, "缺少 name"),
    ('[[unit]]\nname = "甲"\nexpected = "yes"\n', 3, "expected 应为 true 或 false"),
    ('[[unit]]\nname = "甲"\ncolumn_url = "www.x.cn"\n', 3, "column_url 应为 http(s) 网址"),
    ('[[unit]]\nname = "淮安市财政局"\nparent = "淮安市财政局"\n', 3, "上级不能是它自己"),
    ('[units]\nname = "甲"\n', 1, "未知的表 'units'"),
    # two entries of one division: the second should be an alias of the first
    (
        '[[unit]]\nname = "淮安市金湖县人民政府"\n[[unit]]\nname = "金湖县人民政府"\n',
        4,
        "与第 1 行是同一单位",
    ),
    (
        '[[unit]]\nname = "洪泽区交通运输局"\n[[unit]]\nname = "乙"\naliases = ["淮安市洪泽区交通运输局"]\n',
        5,
        "同一单位",
    ),
]


@pytest.mark.parametrize(("text", "line", "reason"), BAD)
def test_bad_file_names_file_line_and_reason(tmp_path, text, line, reason):
    path = write(tmp_path, text)
    with pytest.raises(RegistryError) as caught:
        load_registry(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}："), message
    assert reason in message


def test_bad_toml_names_the_line(tmp_path):
    path = write(tmp_path, '[[unit]]\nname = "甲\n')
    with pytest.raises(RegistryError, match=r"不是有效的 TOML.*line 2"):
        load_registry(path)


def test_missing_file(tmp_path):
    with pytest.raises(RegistryError, match="无法读取单位名录"):
        load_registry(tmp_path / "none.toml")


def test_parent_may_be_a_gazetteer_government(tmp_path):
    path = write(tmp_path, '[[unit]]\nname = "某某中心"\nparent = "金湖县人民政府"\n')
    assert load_registry(path).entries[0].parent == "金湖县人民政府"
