"""Which figure families apply to a report: decided from what the agency is (its unit
type) and what the report itself states, never from one matched word.

Two questions, two functions:

- ``readable_families``: whose figures may be read at all. A department's own phone
  line is not the 12345 hotline, so a department (not a centre) reads no hotline figure.
- ``applicable_families``: whose figures, when not found, are listed as missing. A
  centre is told what it lacks of its families; a government only of a family it
  states; a department is never told its hotline figures are missing.

``unit_type_hint`` is the one place the unit type comes from: the unit registry's
classifier (``etl.units.classify``), the same that files the report under its unit.
"""

from __future__ import annotations

from collections.abc import Iterable

from .figure_specs import FAMILIES
from .units.classify import classify
from .vocabulary import reported_topics

GOVERNMENTS = frozenset({"province", "city", "district", "town_street", "functional_zone"})
DEPARTMENT = "department"
# The centres' families: listed as missing only where they apply.
CENTRE_FAMILIES = frozenset({"trading", "approvals", "hotline"})


def unit_type_hint(agency: str) -> str | None:
    """The unit type of an agency, from the unit registry's classifier (its name and the
    gazetteer: province, city, district, town_street, functional_zone, department), or None
    where the classifier cannot decide."""
    found = classify(agency.strip()).unit_type
    return None if found == "unknown" else found


def readable_families(unit_type: str | None, agency: str) -> set[str]:
    """The families whose figures the agency's prose may give."""
    families = set(FAMILIES)
    if unit_type == DEPARTMENT and "hotline" not in reported_topics(agency):
        families.discard("hotline")
    return families


def applicable_families(unit_type: str | None, agency: str, stated: Iterable[str]) -> set[str]:
    """The families whose figures not found are listed as missing.

    Only the centres' families are ever listed (any agency's disclosure figures live in
    the tables; restating them in prose is optional). They apply to an agency of a
    centre's kind (``vocabulary.AGENCY_KINDS``: 交易, 政务服务, 行政审批, 12345…), and to a
    government or an agency of unknown type that states a figure of the family. A
    department that is no centre is never told what it lacks.
    """
    own = set(reported_topics(agency)) & CENTRE_FAMILIES
    if unit_type == DEPARTMENT:
        return own
    return own | (set(stated) & CENTRE_FAMILIES)
