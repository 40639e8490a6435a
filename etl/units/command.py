"""``python -m etl units``: the units tree and what could not be decided, for officials
checking the registry file before a build."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from . import Units, load_registry, resolve

USAGE = "python -m etl units [--registry FILE] [NAME | NAMES.txt | DB.duckdb ...]"


def names_from(arg: str) -> list[str]:
    """Agency names from one argument: a DuckDB database (its reports' agencies and the
    agencies of their titles), a text file (one name a line) or a name."""
    path = Path(arg)
    if path.suffix == ".duckdb" and path.is_file():
        import duckdb

        with duckdb.connect(str(path), read_only=True) as con:
            return [
                row[0] for row in con.execute("SELECT DISTINCT agency FROM reports ORDER BY 1").fetchall()
            ]
    if path.suffix == ".txt" and path.is_file():
        return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [arg]


def print_tree(units: Units, out: TextIO) -> None:
    def line(unit, depth: int) -> None:
        mark = " [应报送]" if unit.expected else ""
        also = f"（又作：{'、'.join(unit.aliases)}）" if unit.aliases else ""
        out.write(f"{'  ' * depth}{unit.name} · {unit.unit_type} · {unit.type_source}{mark}{also}\n")

    def walk(unit, depth: int, seen: set[str]) -> None:
        line(unit, depth)
        seen.add(unit.unit_id)
        for child in units.children(unit.unit_id):
            if child.unit_id not in seen:
                walk(child, depth + 1, seen)

    seen: set[str] = set()
    for root in units.children(None):
        walk(root, 0, seen)


def units_command(args: Sequence[str], out: TextIO | None = None) -> int:
    """Print the units of the given names (plus the registry's) as a tree, then the
    undecided list. Returns 0, or 2 for a bad registry file or bad arguments."""
    from .registry import RegistryError

    out = out or sys.stdout
    args = list(args)
    registry_path = None
    if "--registry" in args:
        at = args.index("--registry")
        if at + 1 >= len(args):
            out.write(f"用法：{USAGE}\n")
            return 2
        registry_path = Path(args[at + 1])
        del args[at : at + 2]
    try:
        registry = load_registry(registry_path)
    except RegistryError as exc:
        out.write(f"单位名录有误：{exc}\n")
        return 2
    names = [name for arg in args for name in names_from(arg)]
    units = resolve(names, registry)
    out.write(f"单位 {len(units)} 个：\n")
    print_tree(units, out)
    undecided = units.undecided()
    out.write(f"\n无法判定 {len(undecided)} 项：\n")
    for name, what, why in undecided:
        out.write(f"  {name} · {'类型' if what == 'type' else '上级'}未定：{why}\n")
    return 0
