"""The classifier (etl/units/classify.py): every unit type from the name alone, the region
above from the name and the gazetteer, and near misses. Names are real ones from the corpus
and shared/real-world-variants.md, or made up in their forms."""

from __future__ import annotations

import pytest

from etl.units import classify
from etl.units.gazetteer import by_code, named

# (name, unit_type, the division whose government is the parent, or None when unknown/top)
CASES = [
    # provinces and cities
    ("江苏省人民政府", "province", None),
    ("上海市人民政府", "province", None),
    ("新疆维吾尔自治区人民政府", "province", None),
    ("淮安市人民政府", "city", "江苏省"),
    ("江苏省淮安市人民政府", "city", "江苏省"),
    ("延边朝鲜族自治州人民政府", "city", "吉林省"),
    # districts, counties, county-level cities
    ("淮安市洪泽区人民政府", "district", "淮安市"),
    ("洪泽区人民政府", "district", "淮安市"),
    ("金湖县人民政府", "district", "淮安市"),
    ("启东市人民政府", "district", "南通市"),
    ("上海市浦东新区人民政府", "district", "上海市"),
    ("浦东新区人民政府", "district", "上海市"),
    ("仙桃市人民政府", "district", "湖北省"),
    ("南京市鼓楼区人民政府", "district", "南京市"),
    ("洪泽区政府", "district", "淮安市"),
    # departments: 委、办、局、厅, offices, centres, institutions
    ("淮安市洪泽区交通运输局", "department", "洪泽区"),
    ("淮安市财政局", "department", "淮安市"),
    ("淮安市发展和改革委员会", "department", "淮安市"),
    ("淮安市住房和城乡建设局", "department", "淮安市"),
    ("上海市人民政府办公厅", "department", "上海市"),
    ("淮安市人民政府办公室", "department", "淮安市"),
    ("江苏省教育厅", "department", "江苏省"),
    ("四川省政务服务和公共资源交易服务中心", "department", "四川省"),
    ("四川省政务服务和资源交易服务中心", "department", "四川省"),
    ("淮安市公共资源交易中心", "department", "淮安市"),
    ("淮安市洪泽区政务服务管理办公室", "department", "洪泽区"),
    ("金湖县卫生健康委", "department", "金湖县"),
    ("淮安市档案馆", "department", "淮安市"),
    ("淮安市驻北京办事处", "department", "淮安市"),
    ("淮安市红十字会", "department", "淮安市"),
    ("淮安市科学技术协会", "department", "淮安市"),
    ("淮安市中级人民法院", "department", "淮安市"),
    # towns and streets
    ("淮安市洪泽区高良涧街道办事处", "town_street", "洪泽区"),
    ("淮安市洪泽区高良涧街道", "town_street", "洪泽区"),
    ("淮安市洪泽区岔河镇人民政府", "town_street", "洪泽区"),
    ("金湖县银涂镇人民政府", "town_street", "金湖县"),
    ("淮安市淮安区某某乡人民政府", "town_street", "淮安区"),
    ("东莞市虎门镇人民政府", "town_street", "东莞市"),  # a city with no districts
    # development zones
    ("淮安市洪泽区经济开发区管理委员会", "functional_zone", "洪泽区"),
    ("淮安市高新技术产业开发区管委会", "functional_zone", "淮安市"),
    ("南京市高新区管委会", "functional_zone", "南京市"),
    ("苏州市工业园区管理委员会", "functional_zone", "苏州市"),
    ("淮安市洪泽区老子山旅游度假区管委会", "functional_zone", "洪泽区"),
    ("淮安市白马湖管委会", "functional_zone", "淮安市"),  # a 管委会 is a zone's
    ("南京市河西新城管理委员会", "functional_zone", "南京市"),
]

# Decided type, parent unknown: the name does not say where the unit sits.
UNKNOWN_PARENT = [
    ("区财政局", "department"),
    ("某县水利局", "department"),
    ("某市公共资源交易中心", "department"),
    ("某镇人民政府", "town_street"),
    ("淮安市高良涧镇人民政府", "town_street"),  # 淮安市 has districts: which one?
    ("高良涧街道办事处", "town_street"),
    ("平潭综合实验区", "functional_zone"),
    ("淮安经济技术开发区管理委员会", "functional_zone"),
    ("鼓楼区人民政府", "district"),  # four 鼓楼区 in China
    ("江苏省鼓楼区人民政府", "district"),  # two in 江苏省
    ("朝阳区人民政府", "district"),
    ("淮安市洪泽区经济开发区财政局", "department"),  # a zone's department
]

UNKNOWN_TYPE = ["某某单位", "淮安市", "淮安市洪泽区", "", "政府信息公开工作年度报告"]


@pytest.mark.parametrize(("name", "unit_type", "parent"), CASES)
def test_type_and_parent(name, unit_type, parent):
    found = classify(name)
    assert (found.unit_type, found.parent.name if found.parent else None) == (unit_type, parent)
    assert found.rule != "none"


@pytest.mark.parametrize("name", ["江苏省人民政府", "上海市人民政府"])
def test_a_province_is_the_top(name):
    found = classify(name)
    assert found.is_top and found.parent is None and found.parent_why is None


@pytest.mark.parametrize(("name", "unit_type"), UNKNOWN_PARENT)
def test_parent_unknown_with_a_reason(name, unit_type):
    found = classify(name)
    assert found.unit_type == unit_type
    assert found.parent is None and not found.is_top
    assert found.parent_why


@pytest.mark.parametrize("name", UNKNOWN_TYPE)
def test_type_unknown_with_a_reason(name):
    found = classify(name)
    assert found.unit_type == "unknown" and found.why and found.parent is None


def test_region_chain_and_rule():
    found = classify("淮安市洪泽区交通运输局")
    assert [d.name for d in found.regions] == ["淮安市", "洪泽区"]
    assert found.rest == "交通运输局" and found.rule == "suffix:局" and found.parent_rule == "prefix"
    gov = classify("金湖县人民政府")
    assert gov.division.code == "320831" and gov.parent_rule == "gazetteer:320800"
    assert gov.rule == "suffix:人民政府+县"


@pytest.mark.parametrize(
    ("name", "unit_type", "rule"),
    [
        # 浦东新区 is a district of 上海市, not a 新区 zone
        ("上海市浦东新区人民政府", "district", "suffix:人民政府+市辖区"),
        # 人民政府办公室 is a department, not the government
        ("淮安市人民政府办公室", "department", "suffix:人民政府+办公室"),
        # a 高新区's 管委会 is a zone, not a 委员会 department
        ("淮安市高新区管委会", "functional_zone", "suffix:高新区管委会"),
        ("淮安市城市管理委员会", "department", "suffix:委员会"),
        # 街道 and 街道办事处 are the same kind; a 办事处 with no 街道 is a department
        ("淮安市洪泽区高良涧街道", "town_street", "suffix:街道"),
        ("淮安市洪泽区高良涧街道办事处", "town_street", "suffix:街道办事处"),
        ("淮安市驻北京办事处", "department", "suffix:处"),
        # 城乡 is not a 乡
        ("淮安市洪泽区住房和城乡建设局", "department", "suffix:局"),
    ],
)
def test_near_misses(name, unit_type, rule):
    found = classify(name)
    assert (found.unit_type, found.rule) == (unit_type, rule)


def test_gazetteer_depth_and_codes():
    huaian = named("淮安市")
    assert [d.code for d in huaian] == ["320800"] and huaian[0].level == "city"
    assert by_code("320813").name == "洪泽区" and by_code("320813").parent_code == "320800"
    assert by_code("320000").level == "province"
    assert len(named("鼓楼区")) > 1
