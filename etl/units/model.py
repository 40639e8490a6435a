"""A unit as published in the ``units`` view (the fields of etl/resources.py's ``units``)."""

from __future__ import annotations

import hashlib
from dataclasses import astuple, dataclass, fields

ALIAS_SEPARATOR = "；"


def unit_id_for(canonical_name: str) -> str:
    """Stable id of a unit: ``u`` + the first 12 hex digits of the SHA-1 of its canonical
    name in UTF-8 (``淮安市洪泽区人民政府`` → always the same id, on every machine and build).
    Renaming a unit's canonical name gives it a new id."""
    return "u" + hashlib.sha1(canonical_name.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Unit:
    """One row of the ``units`` view; ``aliases`` are the other spellings (a tuple here,
    joined by ``；`` in the view)."""

    unit_id: str
    name: str
    aliases: tuple[str, ...]
    unit_type: str
    parent_id: str | None
    type_source: str
    parent_source: str | None
    division_code: str | None
    expected: bool
    column_url: str | None

    def as_row(self) -> tuple:
        """The view's row, in its column order, with ``aliases`` joined by ``；`` (empty when none)."""
        values = list(astuple(self))
        values[[f.name for f in fields(self)].index("aliases")] = ALIAS_SEPARATOR.join(self.aliases)
        return tuple(values)
