"""The registry file (``data/units.toml``): units officials name, correct or expect.

Read and checked here (every error names the file and line); merged with the names seen
in titles by ``resolve``. The format is described at the top of the bundled file."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .classify import UNIT_TYPES, classify, spelling_key

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "units.toml"
_KEYS = {"name", "aliases", "unit_type", "parent", "expected", "column_url"}
_HEADER = re.compile(r"^\s*\[\[\s*unit\s*\]\]\s*(#.*)?$")
_KEY = re.compile(r'^\s*"?([A-Za-z_][A-Za-z0-9_-]*)"?\s*=')


class RegistryError(ValueError):
    """A bad registry file: the message starts with ``file:line：``."""


@dataclass(frozen=True)
class Entry:
    """One ``[[unit]]`` of the file; ``unit_type``/``parent`` are ``None`` when left to the
    classifier. ``line`` is where the entry starts."""

    name: str
    aliases: tuple[str, ...] = ()
    unit_type: str | None = None
    parent: str | None = None
    expected: bool = False
    column_url: str | None = None
    line: int = 0


@dataclass(frozen=True)
class RegistryFile:
    path: Path | None
    entries: tuple[Entry, ...] = ()

    def entry_for(self, name: str) -> Entry | None:
        """The entry whose name or alias is ``name``."""
        for entry in self.entries:
            if name == entry.name or name in entry.aliases:
                return entry
        return None


EMPTY = RegistryFile(None)


def _key_lines(text: str) -> list[tuple[int, dict[str, int]]]:
    """For each ``[[unit]]`` block: its line and the line of each key in it (1-based)."""
    blocks: list[tuple[int, dict[str, int]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if _HEADER.match(line):
            blocks.append((number, {}))
        elif blocks and (key := _KEY.match(line)):
            blocks[-1][1].setdefault(key[1], number)
    return blocks


def load_registry(path: Path | None = None) -> RegistryFile:
    """Read and check a registry file (default ``data/units.toml``)."""
    path = Path(path) if path is not None else DEFAULT_PATH
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RegistryError(f"{path}：无法读取单位名录：{exc.strerror}") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{path}：不是有效的 TOML：{exc}") from exc
    return parse_registry(data, text, path)


def parse_registry(data: dict, text: str, path: Path) -> RegistryFile:
    extra = sorted(set(data) - {"unit"})
    if extra:
        raise RegistryError(f"{path}:1：未知的表 {extra[0]!r}：名录只含 [[unit]] 条目")
    units = data.get("unit", [])
    if not isinstance(units, list):
        raise RegistryError(f"{path}:1：unit 应写成 [[unit]] 表")
    lines = _key_lines(text)
    entries = [_entry(raw, lines[i] if i < len(lines) else (0, {}), path) for i, raw in enumerate(units)]
    _check_unique(entries, lines, path)
    _check_parents(entries, lines, path)
    return RegistryFile(path, tuple(entries))


def _entry(raw: dict, where: tuple[int, dict[str, int]], path: Path) -> Entry:
    start, keys = where

    def fail(key: str | None, message: str) -> RegistryError:
        return RegistryError(f"{path}:{keys.get(key, start) if key else start}：{message}")

    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise fail(unknown[0], f"未知的键 {unknown[0]!r}（可用：{'、'.join(sorted(_KEYS))}）")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise fail("name", "[[unit]] 缺少 name（单位名称）")
    aliases = raw.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise fail("aliases", f"{name}：aliases 应为名称列表")
    unit_type = raw.get("unit_type")
    if unit_type is not None and unit_type not in UNIT_TYPES:
        raise fail("unit_type", f"{name}：未知的 unit_type {unit_type!r}（可用：{'、'.join(UNIT_TYPES)}）")
    parent = raw.get("parent")
    if parent is not None and (not isinstance(parent, str) or not parent.strip()):
        raise fail("parent", f"{name}：parent 应为上级单位的名称")
    expected = raw.get("expected", False)
    if not isinstance(expected, bool):
        raise fail("expected", f"{name}：expected 应为 true 或 false")
    url = raw.get("column_url")
    if url is not None and not (isinstance(url, str) and url.startswith(("http://", "https://"))):
        raise fail("column_url", f"{name}：column_url 应为 http(s) 网址")
    return Entry(name.strip(), tuple(a.strip() for a in aliases), unit_type, parent, expected, url, start)


def _check_unique(entries: list[Entry], lines: list[tuple[int, dict[str, int]]], path: Path) -> None:
    seen: dict[str, int] = {}
    for entry, (start, keys) in zip(entries, lines, strict=False):
        for name, key in [(entry.name, "name")] + [(a, "aliases") for a in entry.aliases]:
            if name in seen:
                raise RegistryError(
                    f"{path}:{keys.get(key, start)}：{name} 重复：已是第 {seen[name]} 行单位的名称或别名"
                )
            seen[name] = start
    same: dict[tuple[str, str], int] = {}
    for entry, (start, keys) in zip(entries, lines, strict=False):
        for name, key in [(entry.name, "name")] + [(a, "aliases") for a in entry.aliases]:
            found = spelling_key(classify(name))
            if found is not None and same.setdefault(found, start) != start:
                raise RegistryError(
                    f"{path}:{keys.get(key, start)}：{name} 与第 {same[found]} 行是同一单位（同一行政区划、同一名称），"
                    "请写成它的别名"
                )


def _check_parents(entries: list[Entry], lines: list[tuple[int, dict[str, int]]], path: Path) -> None:
    known = {n for e in entries for n in (e.name, *e.aliases)}
    for entry, (start, keys) in zip(entries, lines, strict=False):
        if entry.parent is None:
            continue
        if entry.parent not in known and classify(entry.parent).division is None:
            raise RegistryError(
                f"{path}:{keys.get('parent', start)}：找不到 {entry.name} 的上级 {entry.parent}："
                "应为本名录中的单位，或行政区划中的政府（…人民政府）"
            )
        if entry.parent in (entry.name, *entry.aliases):
            raise RegistryError(f"{path}:{keys.get('parent', start)}：{entry.name} 的上级不能是它自己")
