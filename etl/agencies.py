"""One agency, one name: titles write the same agency with or without its city
or province (``洪泽区人民政府`` / ``淮安市洪泽区人民政府``). Reports are filed under
the fuller name so that the across-years checks pair them; each report's title
keeps the name as printed."""

from __future__ import annotations

import re
from collections.abc import Iterable

_PLACE = re.compile(r"^[\u4e00-\u9fff]{1,10}?(?:省|市|自治区|自治州|州|盟|地区)$")


def same_agency(short: str, full: str) -> bool:
    """``full`` is ``short`` with a place prefix (e.g. 淮安市 + 洪泽区人民政府)."""
    return len(short) >= 4 and full.endswith(short) and bool(_PLACE.match(full[: len(full) - len(short)]))


def canonical_names(names: Iterable[str]) -> dict[str, str]:
    """Each name → the fullest name of the same agency among ``names``."""
    unique = sorted(set(names), key=len, reverse=True)
    mapping: dict[str, str] = {}
    for name in unique:
        mapping[name] = next((full for full in unique if same_agency(name, full)), name)
    return mapping


def match_existing(name: str, existing: Iterable[str]) -> str:
    """The loaded agency name a new report's agency stands for (either direction)."""
    for other in existing:
        if other == name or same_agency(name, other) or same_agency(other, name):
            return other
    return name
