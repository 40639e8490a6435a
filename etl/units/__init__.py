"""Units: who reports, where they sit. The registry API the build and the review call.

- ``load_registry(path)`` reads ``data/units.toml`` (officials' corrections and expected units).
- ``resolve(names, registry)`` turns the agency names printed in titles into ``Units``: each name's
  unit, every ancestor up to the province, and the registry's units.
- ``unit_id_for(name)`` is the stable id of a canonical name; ``descendants`` walks the tree.
- ``classify(name)`` (etl/units/classify.py) is the pure classifier behind it.
"""

from __future__ import annotations

from collections.abc import Iterable

from .classify import UNIT_TYPES, Classification, classify
from .model import Unit, unit_id_for
from .registry import DEFAULT_PATH, EMPTY, RegistryError, RegistryFile, load_registry
from .resolve import build_units, government_name, same_agency

__all__ = [
    "DEFAULT_PATH",
    "EMPTY",
    "UNIT_TYPES",
    "Classification",
    "RegistryError",
    "RegistryFile",
    "Unit",
    "Units",
    "classify",
    "descendants",
    "government_name",
    "load_registry",
    "resolve",
    "same_agency",
    "unit_id_for",
]


class Units:
    """The resolved units of one build: look-ups by printed name and by id, the tree, and
    what could not be decided."""

    def __init__(self, units: dict[str, Unit], index: dict[str, str], undecided: list[tuple[str, str, str]]):
        self._units = units
        self._index = index
        self._undecided = undecided
        self._children: dict[str | None, list[Unit]] = {}
        for unit in self.all():
            self._children.setdefault(unit.parent_id, []).append(unit)

    def unit_of(self, name: str) -> Unit:
        """The unit of an agency name as printed (canonical name or any alias)."""
        try:
            return self._units[self._index[name.strip()]]
        except KeyError:
            raise KeyError(f"{name}：不在已解析的名称中（先传给 resolve）") from None

    def get(self, unit_id: str) -> Unit | None:
        return self._units.get(unit_id)

    def all(self) -> list[Unit]:
        """Every unit, sorted by canonical name (stable across builds)."""
        return sorted(self._units.values(), key=lambda u: (u.name, u.unit_id))

    def children(self, unit_id: str | None) -> list[Unit]:
        """Units whose parent is ``unit_id`` (``None``: the roots, including units whose
        parent is unknown)."""
        return list(self._children.get(unit_id, ()))

    def undecided(self) -> list[tuple[str, str, str]]:
        """``(name, what, why)`` for every unit whose ``type`` or ``parent`` is unknown."""
        return list(self._undecided)

    def __len__(self) -> int:
        return len(self._units)


def resolve(names: Iterable[str], registry: RegistryFile = EMPTY) -> Units:
    """Every name → its unit, plus every ancestor and the registry's units. No network."""
    return Units(*build_units(names, registry))


def descendants(units: Units, unit_id: str) -> list[Unit]:
    """Every unit under ``unit_id`` at every depth (breadth first, each level by name)."""
    found: list[Unit] = []
    seen = {unit_id}
    level = [unit_id]
    while level:
        nxt: list[str] = []
        for parent in level:
            for child in units.children(parent):
                if child.unit_id not in seen:
                    seen.add(child.unit_id)
                    found.append(child)
                    nxt.append(child.unit_id)
        level = nxt
    return found
