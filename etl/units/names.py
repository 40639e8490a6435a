"""How the pages, the review and the downloads say each unit type in Chinese: declared once."""

from __future__ import annotations

from .classify import UNIT_TYPES

TYPE_NAMES: dict[str, str] = {  # unit_type → its Chinese name
    "province": "省级政府",
    "city": "市级政府",
    "district": "县级政府（区、县、县级市）",
    "department": "部门（委、办、局、中心等）",
    "town_street": "乡镇、街道",
    "functional_zone": "开发区、园区",
    "unknown": "类型未能确定",
}
TYPE_SHORT: dict[str, str] = {  # for tables and legends
    "province": "省级",
    "city": "市级",
    "district": "县级",
    "department": "部门",
    "town_street": "乡镇街道",
    "functional_zone": "开发区园区",
    "unknown": "未能确定",
}
assert tuple(TYPE_NAMES) == tuple(TYPE_SHORT) == tuple(UNIT_TYPES), "one name per unit type"
