"""One agency, one name: titles write the same agency with or without its city
or province (``洪泽区人民政府`` / ``淮安市洪泽区人民政府``). Reports are filed under
the fuller name so that the across-years checks pair them; each report's title
keeps the name as printed.

Kept for etl/pipeline.py and etl/adding.py; the rule itself now lives in the unit
registry (etl/units), which also reads the gazetteer. These functions use no registry
file, so an agency is still filed under a name its titles printed."""

from __future__ import annotations

from collections.abc import Iterable

from .units import EMPTY, classify, resolve, same_agency
from .units.classify import spelling_key

__all__ = ["canonical_names", "match_existing", "same_agency"]


def canonical_names(names: Iterable[str]) -> dict[str, str]:
    """Each name → the fullest name of the same agency among ``names``."""
    unique = sorted(set(names))
    units = resolve(unique, EMPTY)
    return {name: units.unit_of(name).name for name in unique}


def _division_key(name: str) -> tuple[str, str] | None:
    return spelling_key(classify(name))


def match_existing(name: str, existing: Iterable[str]) -> str:
    """The loaded agency name a new report's agency stands for (either direction)."""
    key = None
    for other in existing:
        if other == name or same_agency(name, other) or same_agency(other, name):
            return other
        key = key or _division_key(name)
        if key is not None and _division_key(other) == key:
            return other
    return name
