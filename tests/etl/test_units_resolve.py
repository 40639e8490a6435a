"""resolve(): printed names → units, aliases, ancestors, the fuller name canonical, the
registry's manual facts and expected units, and what stays undecided (listed, never guessed)."""

from __future__ import annotations

import pytest

from etl.agencies import match_existing
from etl.units import EMPTY, RegistryError, Unit, descendants, load_registry, resolve, unit_id_for
from etl.units.command import units_command

PRINTED = [
    "淮安市人民政府",
    "洪泽区人民政府",
    "淮安市洪泽区人民政府",
    "淮安市洪泽区交通运输局",
    "洪泽区交通运输局",
    "金湖县人民政府",
    "淮安市洪泽区高良涧街道办事处",
    "四川省政务服务和资源交易服务中心",
    "区财政局",
    "某某单位",
]


@pytest.fixture(scope="module")
def units():
    return resolve(PRINTED, load_registry())


def by_name(units, name) -> Unit:
    return next(u for u in units.all() if u.name == name)


def test_unit_fields_match_the_view():
    from etl.resources import RESOURCES

    view = next(r for r in RESOURCES if r.name == "units")
    assert [f.name for f in view.fields] == list(Unit.__dataclass_fields__)


def test_view_row(units):
    row = units.unit_of("洪泽区人民政府").as_row()
    assert row[:3] == ("ue07a847d2155", "淮安市洪泽区人民政府", "洪泽区人民政府")
    assert row[3:] == (
        "district",
        "u840080817244",
        "auto:suffix:人民政府+市辖区",
        "auto:gazetteer:320800",
        "320813",
        True,
        None,
    )
    assert units.unit_of("淮安市人民政府").as_row()[2] == ""


def test_unit_id_is_stable_and_documented():
    assert unit_id_for("淮安市洪泽区人民政府") == "ue07a847d2155"
    assert unit_id_for("淮安市洪泽区人民政府") != unit_id_for("洪泽区人民政府")


@pytest.mark.parametrize(
    ("printed", "canonical"),
    [
        ("四川省政务服务和资源交易服务中心", "四川省政务服务和公共资源交易服务中心"),  # registry alias
        ("洪泽区人民政府", "淮安市洪泽区人民政府"),  # fuller name canonical
        ("洪泽区交通运输局", "淮安市洪泽区交通运输局"),  # same division, same rest
        ("金湖县人民政府", "淮安市金湖县人民政府"),  # registry name, gazetteer code
        ("淮安市人民政府", "淮安市人民政府"),
        ("区财政局", "区财政局"),
    ],
)
def test_each_printed_name_finds_its_unit(units, printed, canonical):
    unit = units.unit_of(printed)
    assert unit.name == canonical and unit.unit_id == unit_id_for(canonical)
    if printed != canonical:
        assert printed in unit.aliases


def test_tree(units):
    province = by_name(units, "江苏省人民政府")  # an ancestor no title printed
    city = units.unit_of("淮安市人民政府")
    district = units.unit_of("洪泽区人民政府")
    bureau = units.unit_of("淮安市洪泽区交通运输局")
    street = units.unit_of("淮安市洪泽区高良涧街道办事处")
    assert (province.unit_type, province.parent_id, province.parent_source) == ("province", None, "auto:top")
    assert (city.unit_type, city.parent_id, city.parent_source) == (
        "city",
        province.unit_id,
        "auto:gazetteer:320000",
    )
    assert (district.parent_id, district.division_code, district.expected) == (city.unit_id, "320813", True)
    assert (bureau.unit_type, bureau.parent_id, bureau.parent_source) == (
        "department",
        district.unit_id,
        "auto:prefix",
    )
    assert (street.unit_type, street.parent_id) == ("town_street", district.unit_id)
    assert units.unit_of("金湖县人民政府").parent_id == city.unit_id
    centre = units.unit_of("四川省政务服务和公共资源交易服务中心")
    assert units.get(centre.parent_id).name == "四川省人民政府"
    under_city = {u.name for u in descendants(units, city.unit_id)}
    assert under_city == {
        "淮安市洪泽区人民政府",
        "淮安市洪泽区交通运输局",
        "淮安市洪泽区高良涧街道办事处",
        "淮安市金湖县人民政府",
        "淮安市盱眙县人民政府",
        "淮安市清江浦区人民政府",
    }


def test_registry_units_without_reports_are_units(units):
    missing = by_name(units, "淮安市盱眙县人民政府")
    assert missing.expected and missing.unit_type == "district" and missing.aliases == ("盱眙县人民政府",)


def test_undecided_are_listed_not_guessed(units):
    assert units.undecided() == [
        ("区财政局", "parent", "名称中没有地区"),
        ("某某单位", "parent", "名称的结尾不是已知的单位类别"),
        ("某某单位", "type", "名称的结尾不是已知的单位类别"),
    ]
    assert units.unit_of("区财政局").parent_id is None
    assert units.unit_of("区财政局").unit_type == "department"
    assert units.unit_of("某某单位").unit_type == "unknown"


def test_deterministic():
    first = resolve(PRINTED, load_registry()).all()
    again = resolve(list(reversed(PRINTED)) + PRINTED[:3], load_registry()).all()
    assert first == again
    assert [u.name for u in first] == sorted(u.name for u in first)


def test_ambiguous_short_name_is_not_merged():
    units = resolve(["鼓楼区人民政府", "南京市鼓楼区人民政府", "福州市鼓楼区人民政府"])
    assert units.unit_of("鼓楼区人民政府").name == "鼓楼区人民政府"
    assert ("鼓楼区人民政府", "parent") in [(n, w) for n, w, _ in units.undecided()]


def test_old_place_prefix_rule_kept():
    units = resolve(["测试市甲区政务服务中心", "甲区政务服务中心"])
    assert units.unit_of("甲区政务服务中心").name == "测试市甲区政务服务中心"


def test_manual_type_and_parent_override(tmp_path):
    path = tmp_path / "units.toml"
    path.write_text(
        '[[unit]]\nname = "区财政局"\nunit_type = "department"\nparent = "淮安市洪泽区人民政府"\n'
        '[[unit]]\nname = "某某单位"\nunit_type = "functional_zone"\nparent = "金湖县人民政府"\n',
        encoding="utf-8",
    )
    units = resolve(["区财政局", "某某单位"], load_registry(path))
    bureau = units.unit_of("区财政局")
    assert (bureau.type_source, bureau.parent_source) == ("manual", "manual")
    assert units.get(bureau.parent_id).name == "淮安市洪泽区人民政府"
    zone = units.unit_of("某某单位")
    assert zone.unit_type == "functional_zone" and units.get(zone.parent_id).name == "金湖县人民政府"
    assert units.undecided() == []


def test_manual_parents_in_a_circle_are_refused(tmp_path):
    path = tmp_path / "units.toml"
    path.write_text(
        '[[unit]]\nname = "甲中心"\nparent = "乙中心"\n[[unit]]\nname = "乙中心"\nparent = "甲中心"\n'
    )
    with pytest.raises(RegistryError, match="成环"):
        resolve([], load_registry(path))


def test_unknown_name_is_a_clear_key_error(units):
    with pytest.raises(KeyError, match="不在已解析的名称中"):
        units.unit_of("淮安市民政局")


def test_agencies_still_file_under_the_fuller_printed_name():
    printed = ["洪泽区人民政府", "淮安市洪泽区人民政府", "四川省政务服务和资源交易服务中心"]
    units = resolve(printed, EMPTY)
    assert {name: units.unit_of(name).name for name in printed} == {
        "洪泽区人民政府": "淮安市洪泽区人民政府",
        "淮安市洪泽区人民政府": "淮安市洪泽区人民政府",
        "四川省政务服务和资源交易服务中心": "四川省政务服务和资源交易服务中心",
    }
    assert match_existing("洪泽区人民政府", ["淮安市洪泽区人民政府"]) == "淮安市洪泽区人民政府"
    assert match_existing("淮安市金湖县人民政府", ["金湖县人民政府"]) == "金湖县人民政府"
    assert match_existing("淮安市人民政府", ["淮安市洪泽区人民政府"]) == "淮安市人民政府"
    assert resolve([], EMPTY).all() == []


def test_units_command_prints_tree_and_undecided(capsys):
    assert units_command(["区财政局", "淮安市洪泽区交通运输局"]) == 0
    out = capsys.readouterr().out
    assert "    淮安市洪泽区人民政府 · district" in out
    assert "      淮安市洪泽区交通运输局 · department" in out
    assert "区财政局 · 上级未定：名称中没有地区" in out
