"""``etl fetch --parent NAME``: the 年报 columns of a unit and every unit under it, from the unit
registry (``data/units.toml``'s ``column_url``, read by :mod:`etl.units`)."""

from __future__ import annotations

from pathlib import Path


class ParentError(ValueError):
    """The parent cannot be gathered: no registry, not a known unit, or no column under it."""


def column_urls(parent: str, registry_path: Path | None = None) -> list[tuple[str, str]]:
    """(unit name, column URL) of ``parent`` and every unit under it that has a column, the
    parent first, then level by level (each level by name)."""
    try:
        from ..units import RegistryError, descendants, load_registry, resolve
    except ImportError:
        raise ParentError("此版本没有单位名录（etl/units），无法按上级单位收集；请直接给出栏目网址") from None
    try:
        registry = load_registry(registry_path)
    except RegistryError as exc:
        raise ParentError(str(exc)) from None
    names = [parent, *(e.name for e in registry.entries)]
    units = resolve(names, registry)
    root = units.unit_of(parent)
    tree = [root, *descendants(units, root.unit_id)]
    found = [(u.name, u.column_url) for u in tree if u.column_url]
    if not found:
        where = registry.path or "单位名录"
        raise ParentError(f"{root.name}及其下级单位在{where}中都没有 column_url（年报栏目网址）")
    return found
