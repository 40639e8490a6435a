"""Flattened text: a report saved with its line breaks gone (the whole report on one line, as
crawlers and copy-paste render a page). Its section headings are inside the line; its tables'
cells run together with nothing between them, so ``规章 00 0`` may be 0, 0, 0 or 00, 0 and the
digits cannot be split into cells faithfully. Such a file is refused with that reason, naming
each table and its first row, rather than with missing sections.
"""

from __future__ import annotations

import re

from ..model import Problem, ReportError
from ..template import SECTIONS, TABLE2_FORMATS, TABLE3_2019, TABLE_SECTIONS

# A section heading inside a line: the numeral, 、 and the section's title as the template
# prints it (or 概述 / 基本情况 for 一). Strict on purpose: the tables' own numbered rows
# (``三、本年度办理结果``) and prose (``一是…``) are not headings.
_TITLES = {n: (SECTIONS[n], "概述", "基本情况") if n == "一" else (SECTIONS[n],) for n in SECTIONS}
_INLINE = re.compile(
    r"([一二三四五六])[^\S\n]*[、.．][^\S\n]*("
    + "|".join(re.escape(t) for titles in _TITLES.values() for t in titles)
    + ")"
)
# What a table section's text is looked at for: a row label, then digits run together.
_ROW_LABELS: dict[str, tuple[str, ...]] = {
    "二": tuple(dict.fromkeys(c for blocks in TABLE2_FORMATS.values() for b in blocks for c in b.contents)),
    "三": tuple(r.label for r in TABLE3_2019 if not r.is_group),
    "四": ("总计",),
}
_ORDER = "一二三四五六"
_DIGITS = re.compile(r"[^\S\n]*(\d[\d\s.,]*)")


def inline_headings(text: str) -> list[tuple[int, str]]:
    """(position, numeral) of each section heading found inside lines, in order."""
    out: list[tuple[int, str]] = []
    for m in _INLINE.finditer(text):
        numeral, title = m.groups()
        if title in _TITLES[numeral] and (not out or _ORDER.index(numeral) > _ORDER.index(out[-1][1])):
            out.append((m.start(), numeral))
    return out


def with_heading_lines(text: str, heads: list[tuple[int, str]]) -> tuple[str, list[int]]:
    """The text with each inline heading on a line of its own (a line break before it and after
    its title), so that the sections are found as in any text; and, for each line of the new
    text, its line in the file (the breaks added are not the file's)."""
    parts, added, size, last = [], set(), 0, 0

    def put(piece: str, is_added: bool = False) -> None:
        nonlocal size
        if is_added:
            added.add(size)
        parts.append(piece)
        size += len(piece)

    for pos, _ in heads:
        end = _INLINE.match(text, pos).end()
        put(text[last:pos])
        if pos and text[pos - 1] != "\n":
            put("\n", True)
        put(text[pos:end])
        if text[end : end + 1] not in ("\n", ""):
            put("\n", True)
        last = end
    put(text[last:])
    out = "".join(parts)
    origin, line = [1], 1
    for k, ch in enumerate(out):
        if ch == "\n":
            line += k not in added
            origin.append(line)
    return out, origin


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _first_row(body: str, numeral: str) -> tuple[int, str, str] | None:
    """(position, label, digits as printed) of the table's first row whose cells are digits run
    together; None when no row of the table is followed by digits."""
    best = None
    for label in _ROW_LABELS[numeral]:
        start = 0
        while (at := body.find(label, start)) >= 0:
            m = _DIGITS.match(body, at + len(label))
            if m:
                if best is None or at < best[0]:
                    best = (at, label, m.group(1).strip())
                break
            start = at + 1
    return best


def refuse_run_together(name: str, text: str, heads: list[tuple[int, str]]) -> None:
    """Refuse a flattened text whose tables' cells run together: one problem per table, naming
    its first row and the digits that cannot be split. Returns when no table is like that."""
    problems = []
    for k, (pos, numeral) in enumerate(heads):
        if numeral not in TABLE_SECTIONS:
            continue
        end = heads[k + 1][0] if k + 1 < len(heads) else len(text)
        body = text[pos:end]
        if "\n" in body.strip():  # rows on lines of their own: a table the text reader can read
            continue
        row = _first_row(body, numeral)
        if row is None:
            continue
        at, label, digits = row
        shown = re.sub(r"[\t\u00a0\u3000]", " ", digits)
        shown = shown if len(shown) <= 40 else shown[:40] + "…"
        where = "各列的数字行" if numeral == "四" else f"“{label}”行"
        problems.append(
            Problem(
                name,
                f"表{numeral} 第{_line(text, pos + at)}行 {where}",
                f"表格被压成了一行，单元格连在一起，没有可靠的分隔（“{label}”之后是“{shown}”），"
                "数字无法如实拆分到各个单元格；请提供保留表格排版的文件（原网页、Word 或 PDF）",
            )
        )
    if problems:
        raise ReportError(problems)
