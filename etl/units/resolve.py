"""Agency names as printed in titles → units: one unit per agency however its title spells
it, with its type, its parent, and every ancestor up to the province.

Two names are one unit when the registry lists one as the other's alias, when the
gazetteer reads both to the same division and the same rest (``洪泽区人民政府`` and
``淮安市洪泽区人民政府``), or by the old rule of a place prefix (``测试市甲区中心`` and
``甲区中心``, see ``same_agency``). The registry's name, else the fullest printed one, is
canonical. Deterministic: the result depends only on the set of names and the file."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import gazetteer
from .classify import Classification, classify, spelling_key
from .gazetteer import Division
from .model import Unit, unit_id_for
from .registry import Entry, RegistryError, RegistryFile

_PLACE = re.compile(r"^[\u4e00-\u9fff]{1,10}?(?:省|市|自治区|自治州|州|盟|地区)$")


def same_agency(short: str, full: str) -> bool:
    """``full`` is ``short`` with a place prefix (e.g. 淮安市 + 洪泽区人民政府)."""
    return len(short) >= 4 and full.endswith(short) and bool(_PLACE.match(full[: len(full) - len(short)]))


@dataclass(eq=False)
class _Group:
    members: set[str]
    entry: Entry | None = None
    generated: str | None = None
    merged_into: _Group | None = None
    keys: set[tuple[str, str]] = field(default_factory=set)

    def root(self) -> _Group:
        group = self
        while group.merged_into is not None:
            group = group.merged_into
        return group

    @property
    def canonical(self) -> str:
        if self.entry is not None:
            return self.entry.name
        if self.members:
            return min(self.members, key=lambda n: (-len(n), n))
        assert self.generated is not None
        return self.generated


def government_name(division: Division) -> str:
    """The name given to a government unit no title printed (an ancestor):
    ``江苏省人民政府``, ``淮安市人民政府``, ``淮安市洪泽区人民政府``, ``上海市浦东新区人民政府``."""
    suffix = "行政公署" if division.kind == "地区" else "人民政府"
    if division.level != "district":
        return division.name + suffix
    parent = gazetteer.parent(division)
    if parent is not None and (parent.level == "city" or parent.kind == "直辖市"):
        return parent.name + division.name + suffix
    return division.name + suffix


class _Builder:
    def __init__(self, registry: RegistryFile) -> None:
        self.groups: list[_Group] = []
        self.by_name: dict[str, _Group] = {}
        self.by_key: dict[tuple[str, str], _Group] = {}
        self.found: dict[str, Classification] = {}
        self.registry = registry
        for entry in registry.entries:
            group = self._new({entry.name, *entry.aliases}, entry=entry)
            for name in (entry.name, *entry.aliases):
                self._index_key(group, name)

    def classified(self, name: str) -> Classification:
        if name not in self.found:
            self.found[name] = classify(name)
        return self.found[name]

    def _new(self, members: set[str], entry: Entry | None = None, generated: str | None = None) -> _Group:
        group = _Group(set(members), entry, generated)
        self.groups.append(group)
        for name in members:
            self.by_name[name] = group
        return group

    def _index_key(self, group: _Group, name: str) -> None:
        key = spelling_key(self.classified(name))
        if key is not None:
            group.keys.add(key)
            self.by_key.setdefault(key, group)

    def add_printed(self, name: str) -> None:
        if name in self.by_name:
            return
        key = spelling_key(self.classified(name))
        group = self.by_key.get(key) if key is not None else None
        if group is None:
            group = self._new({name})
            self._index_key(group, name)
        else:
            group = group.root()
            group.members.add(name)
            self.by_name[name] = group

    def merge_place_prefixes(self) -> None:
        """The old rule: ``甲区中心`` is ``测试市甲区中心`` when that is the only fuller one."""
        fuller: dict[str, set[int]] = {}
        names = sorted(self.by_name)
        for full in names:
            for cut in range(2, min(len(full) - 3, 12)):
                short = full[cut:]
                if short in self.by_name and same_agency(short, full):
                    fuller.setdefault(short, set()).add(id(self.by_name[full].root()))
        roots = {id(g.root()): g.root() for g in self.groups}
        for short in sorted(fuller):
            targets = fuller[short]
            mine = self.by_name[short].root()
            targets.discard(id(mine))
            if len(targets) != 1:
                continue
            other = roots[next(iter(targets))].root()
            if mine.entry is not None and other.entry is not None:
                continue
            keep, gone = (mine, other) if mine.entry is not None else (other, mine)
            keep.members |= gone.members
            keep.keys |= gone.keys
            gone.merged_into = keep
            for name in gone.members:
                self.by_name[name] = keep

    def government(self, division: Division) -> _Group:
        key = ("gov", division.code)
        if key in self.by_key:
            return self.by_key[key].root()
        name = government_name(division)
        if name in self.by_name:
            return self.by_name[name].root()
        group = self._new(set(), generated=name)
        self.by_key[key] = group
        group.keys.add(key)
        self.found.setdefault(name, classify(name))
        return group

    def live(self) -> list[_Group]:
        return [g for g in self.groups if g.merged_into is None]


def build_units(names: Iterable[str], registry: RegistryFile):
    """The work of ``resolve`` (see etl/units/__init__.py), returning the parts of ``Units``."""
    builder = _Builder(registry)
    for name in sorted({n.strip() for n in names if n and n.strip()}):
        builder.add_printed(name)
    builder.merge_place_prefixes()
    decided: dict[int, tuple[_Group, str, str, _Group | None, str | None, str | None, str | None]] = {}
    queue = deque(builder.live())
    while queue:
        group = queue.popleft()
        if id(group) in decided:
            continue
        decided[id(group)] = _decide(builder, group)
        parent = decided[id(group)][3]
        if parent is not None and id(parent) not in decided:
            queue.append(parent)
    return _finish(builder, list(decided.values()))


def _best(builder: _Builder, group: _Group) -> Classification:
    names = sorted(group.members or {group.canonical}, key=lambda n: (n != group.canonical, -len(n), n))
    found = [builder.classified(n) for n in names]
    return next((f for f in found if f.unit_type != "unknown"), found[0])


def _decide(builder: _Builder, group: _Group):
    found = _best(builder, group)
    entry = group.entry
    if entry is not None and entry.unit_type is not None:
        unit_type, type_source = entry.unit_type, "manual"
    else:
        unit_type, type_source = found.unit_type, f"auto:{found.rule}"
    type_why = None if unit_type != "unknown" else (found.why or "无法判定")
    if entry is not None and entry.parent is not None:
        target = builder.by_name.get(entry.parent)
        if target is None:
            division = builder.classified(entry.parent).division
            if division is None:
                raise RegistryError(f"{entry.parent}：找不到 {entry.name} 的上级")
            target = builder.government(division)
            target.members.add(entry.parent)  # the name the official wrote is a spelling of it
            builder.by_name[entry.parent] = target
        return group, unit_type, type_source, target.root(), "manual", None, type_why
    if found.parent is not None:
        return (
            group,
            unit_type,
            type_source,
            builder.government(found.parent),
            f"auto:{found.parent_rule}",
            None,
            type_why,
        )
    if found.is_top:
        return group, unit_type, type_source, None, "auto:top", None, type_why
    return group, unit_type, type_source, None, None, found.parent_why or "无法判定", type_why


def _finish(builder: _Builder, rows):
    units: dict[str, Unit] = {}
    index: dict[str, str] = {}
    undecided: list[tuple[str, str, str]] = []
    ids = {id(row[0]): unit_id_for(row[0].canonical) for row in rows}
    for group, unit_type, type_source, parent, parent_source, parent_why, type_why in rows:
        name = group.canonical
        unit_id = ids[id(group)]
        division = _best(builder, group).division
        entry = group.entry
        units[unit_id] = Unit(
            unit_id=unit_id,
            name=name,
            aliases=tuple(sorted(group.members - {name})),
            unit_type=unit_type,
            parent_id=ids[id(parent)] if parent is not None else None,
            type_source=type_source,
            parent_source=parent_source,
            division_code=division.code
            if division is not None and unit_type in ("province", "city", "district")
            else None,
            expected=bool(entry and entry.expected),
            column_url=entry.column_url if entry else None,
        )
        for member in group.members | {name}:
            index[member] = unit_id
        if type_why is not None:
            undecided.append((name, "type", type_why))
        if parent_why is not None:
            undecided.append((name, "parent", parent_why))
    _check_cycles(units, rows, builder.registry.path)
    return units, index, sorted(undecided)


def _check_cycles(units: dict[str, Unit], rows, path) -> None:
    for unit in units.values():
        seen = {unit.unit_id}
        current = unit
        while current.parent_id is not None:
            if current.parent_id in seen:
                lines = [r[0].entry.line for r in rows if r[0].entry is not None and r[4] == "manual"]
                raise RegistryError(f"{path}:{min(lines) if lines else 0}：{unit.name} 的上级关系成环")
            seen.add(current.parent_id)
            current = units[current.parent_id]
