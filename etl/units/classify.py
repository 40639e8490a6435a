"""Classify an agency name as printed in a title: its unit type and the government unit
of the region above, read from the name and the gazetteer only. Pure: no registry, no I/O.

A name is read as ``[regions][rest]``: the longest run of gazetteer divisions at its start,
each inside the one before (``淮安市洪泽区`` + ``交通运输局``), then the rest decides the type.
What the name cannot decide is ``unknown`` with a reason, never guessed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import gazetteer
from .gazetteer import Division

UNIT_TYPES = (
    "province",
    "city",
    "district",
    "department",
    "town_street",
    "functional_zone",
    "unknown",
)
GOVERNMENT_TYPES = ("province", "city", "district")

_GOVERNMENT = ("人民政府", "政府", "行政公署")
_TOWN = re.compile(r"^(?P<town>[\u4e00-\u9fff]{1,12}?(?:镇|乡|街道))(?P<office>人民政府|政府|办事处)?$")
_ZONE_WORDS = (
    "开发区",
    "高新区",
    "园区",
    "工业园",
    "产业园",
    "新区",
    "保税区",
    "实验区",
    "试验区",
    "示范区",
    "合作区",
    "集聚区",
    "度假区",
    "风景区",
    "景区",
    "港区",
    "新城",
)
_ZONE = re.compile(r"^(?P<zone>.*?(?:" + "|".join(_ZONE_WORDS) + r"))(?P<office>管理委员会|管委会)?$")
_WHOLE = frozenset({"红十字会"})  # endings that are a whole unit's name after the region
_ZONE_OFFICE = "管委会"  # the short form is a zone's; a bare 管理委员会 may be a committee
_DEPARTMENT_ENDINGS = (
    "委员会",
    "联合会",
    "协会",
    "红十字会",
    "办公室",
    "办公厅",
    "研究室",
    "委",
    "办",
    "局",
    "厅",
    "署",
    "中心",
    "院",
    "所",
    "站",
    "队",
    "馆",
    "台",
    "处",
    "部",
    "社",
    "学校",
    "党校",
    "医院",
    "公司",
)


@dataclass(frozen=True)
class Classification:
    """``rule`` says what decided ``unit_type``; ``regions`` is the chain read from the name
    (outermost first), ``rest`` the name after it. ``parent`` is the division whose
    government is the parent (``parent_rule`` says how it was found), or ``None`` with
    ``parent_why`` when it cannot be decided (``top`` for a province: no parent)."""

    name: str
    unit_type: str
    rule: str
    regions: tuple[Division, ...]
    rest: str
    division: Division | None = None
    parent: Division | None = None
    parent_rule: str | None = None
    parent_why: str | None = None
    why: str | None = None

    @property
    def is_top(self) -> bool:
        return self.parent_rule == "top"


def read_regions(name: str) -> tuple[tuple[Division, ...], str, str | None]:
    """The chain of divisions at the start of ``name``, the rest, and the first region name
    that matched several divisions with nothing before it to tell them apart (chain stops)."""
    chain: list[Division] = []
    at = 0
    longest = gazetteer.longest_name()
    while at < len(name):
        found: tuple[str, tuple[Division, ...]] | None = None
        for end in range(min(len(name), at + longest), at + 1, -1):
            word = name[at:end]
            candidates = gazetteer.named(word)
            if chain:
                candidates = tuple(d for d in candidates if gazetteer.is_within(d, chain[-1]))
            if candidates:
                found = (word, candidates)
                break
        if found is None:
            break
        word, candidates = found
        if len(candidates) > 1:
            return tuple(chain), name[at:], word
        chain.append(candidates[0])
        at += len(word)
    return tuple(chain), name[at:], None


def _government_parent(division: Division) -> tuple[Division | None, str | None]:
    parent = gazetteer.parent(division)
    if parent is None:
        return None, "top"
    return parent, f"gazetteer:{parent.code}"


def _ambiguous_level(word: str) -> str | None:
    levels = {d.level for d in gazetteer.named(word)}
    return levels.pop() if len(levels) == 1 else None


def _town_parent(chain: tuple[Division, ...]) -> tuple[Division | None, str | None, str | None]:
    if not chain:
        return None, None, "名称中没有所在区县"
    last = chain[-1]
    if last.level == "district" or (last.level == "city" and not gazetteer.children(last.code)):
        return last, "prefix", None
    return None, None, f"{last.name}下设区县，名称没有写出乡镇、街道所在的区县"


def classify(name: str) -> Classification:
    """Type and parent of one agency name (see the module docstring)."""
    chain, rest, ambiguous = read_regions(name)
    if ambiguous is not None:
        many = len(gazetteer.named(ambiguous))
        why = f"{ambiguous}在行政区划中有{many}处，名称没有说明是哪一处"
        after = rest[len(ambiguous) :]
        if after in _GOVERNMENT:
            level = _ambiguous_level(ambiguous)
            if level is not None:
                return Classification(name, level, f"suffix:{after}+{level}", chain, rest, parent_why=why)
            return Classification(name, "unknown", "ambiguous", chain, rest, why=why, parent_why=why)
        kind = _kind_of_rest(after)
        if kind is not None:
            return Classification(name, kind[0], kind[1], chain, rest, parent_why=why)
        return Classification(name, "unknown", "none", chain, rest, why=why, parent_why=why)

    last = chain[-1] if chain else None
    if last is not None and rest in _GOVERNMENT:
        parent, parent_rule = _government_parent(last)
        return Classification(
            name,
            last.level,
            f"suffix:{rest}+{last.kind}",
            chain,
            rest,
            division=last,
            parent=parent,
            parent_rule=parent_rule,
        )
    kind = _kind_of_rest(rest)
    if kind is None:
        why = "名称的结尾不是已知的单位类别" if rest else "只有地名，没有单位"
        return Classification(name, "unknown", "none", chain, rest, why=why, parent_why=why)
    unit_type, rule = kind
    if unit_type == "town_street":
        parent, parent_rule, parent_why = _town_parent(chain)
        return Classification(name, unit_type, rule, chain, rest, None, parent, parent_rule, parent_why)
    if last is None:
        return Classification(name, unit_type, rule, chain, rest, parent_why="名称中没有地区")
    zone = next((w for w in _ZONE_WORDS if w in rest), None)
    if unit_type == "department" and zone is not None:
        why = f"{zone}的部门：园区单位不在行政区划中"
        return Classification(name, unit_type, rule, chain, rest, parent_why=why)
    return Classification(name, unit_type, rule, chain, rest, parent=last, parent_rule="prefix")


def _kind_of_rest(rest: str) -> tuple[str, str] | None:
    """(unit_type, rule) read from the part of the name after its regions."""
    if not rest:
        return None
    town = _TOWN.match(rest)
    if town:
        kind = "街道" if town["town"].endswith("街道") else town["town"][-1]
        return "town_street", f"suffix:{kind}{town['office'] or ''}"
    zone = _ZONE.match(rest)
    if zone:
        word = next(w for w in _ZONE_WORDS if zone["zone"].endswith(w))
        return "functional_zone", f"suffix:{word}{zone['office'] or ''}"
    if rest.endswith(_ZONE_OFFICE) and len(rest) > len(_ZONE_OFFICE):
        return "functional_zone", f"suffix:{_ZONE_OFFICE}"
    if rest.startswith("人民政府") and rest != "人民政府" and rest.endswith(_DEPARTMENT_ENDINGS):
        return "department", "suffix:人民政府+" + next(e for e in _DEPARTMENT_ENDINGS if rest.endswith(e))
    for ending in _DEPARTMENT_ENDINGS:
        if rest.endswith(ending) and (len(rest) > len(ending) or rest in _WHOLE):
            return "department", f"suffix:{ending}"
    return None


def spelling_key(found: Classification) -> tuple[str, str] | None:
    """What makes two spellings one unit: the division and what follows it."""
    if found.division is not None:
        return ("gov", found.division.code)
    if found.regions:
        return (found.regions[-1].code, found.rest)
    return None
