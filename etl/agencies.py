"""Whether a name an official supplied stands for an agency already loaded (``洪泽区人民政府`` /
``淮安市洪泽区人民政府``): what ``adding`` asks of a staged sidecar. Filing reports under their units
is the unit registry's (``etl.filing``, ``etl.units``)."""

from __future__ import annotations

from collections.abc import Iterable

from .units import classify, same_agency
from .units.classify import spelling_key

__all__ = ["match_existing", "same_agency"]


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
