"""Parse step for prose: the named figures of section 一 and listed items.

Patterns run on a same-length ASCII mapping of each sentence (full-width
digits become ASCII), and the evidence is cut from the original sentence, so
it is exactly what the report says.
"""

from __future__ import annotations

import re
from functools import cache

from .document import Section
from .figure_specs import DISSATISFACTION, FIGURE_SPECS, FigureSpec
from .layout import sentences
from .model import Figure, TextItem
from .numbers import NUMBER, parse_number, to_ascii

_N = rf"(?P<pre>约|近|超过)?\s*(?P<n>{NUMBER})\s*(?P<post>余|多|以上)?"
_ITEM_SPLIT = re.compile(r"[；;、，,]")


@cache
def _compiled(spec: FigureSpec) -> re.Pattern[str]:
    return re.compile(spec.pattern.replace("{N}", _N))


def find_figures(section: Section) -> tuple[list[Figure], list[FigureSpec]]:
    """Every figure of FIGURE_SPECS found in the section, and the specs not found."""
    found: list[Figure] = []
    missing: list[FigureSpec] = []
    sents = [
        (line.number, sent, to_ascii(sent)) for line in section.paragraphs for _, sent in sentences(line.text)
    ]
    for spec in FIGURE_SPECS:
        pattern = _compiled(spec)
        for line_no, original, ascii_text in sents:
            if spec.anchor and spec.anchor not in ascii_text:
                continue
            m = pattern.search(ascii_text)
            if not m:
                continue
            found.append(
                Figure(
                    spec.topic,
                    spec.metric,
                    spec.category,
                    parse_number(m.group("n")),
                    spec.unit,
                    bool(m.group("pre") or m.group("post")),
                    original.strip(),
                    original[m.start("pre") if m.group("pre") else m.start("n") : m.end()].strip(),
                    section.name,
                    line_no,
                )
            )
            break
        else:
            missing.append(spec)
    return found, missing


def dissatisfaction_topics(section: Section) -> list[TextItem]:
    """The hotline's dissatisfaction topics, one text item each."""
    for line in section.paragraphs:
        m = re.search(DISSATISFACTION, line.text)
        if not m:
            continue
        items = [t.strip() for t in _ITEM_SPLIT.split(m.group("list"))]
        items = [re.sub(r"等$", "", t).strip() for t in items if t]
        return [
            TextItem("hotline_dissatisfaction", i, t, section.name)
            for i, t in enumerate((t for t in items if t), start=1)
        ]
    return []


def paragraphs(section: Section, kind: str) -> list[TextItem]:
    """Each non-blank line of a prose section as one listed item."""
    return [
        TextItem(kind, i, line.text.strip(), section.name)
        for i, line in enumerate(section.paragraphs, start=1)
    ]


_INLINE_ITEM = re.compile(r"(?:(?<=^)|(?<=[。；;：:]))\s*(?=[一二三四五六七八九十]+是)")


def listed_items(section: Section, kind: str) -> list[TextItem]:
    """Section 五's items: each paragraph, split where an item starts inline
    (``…。二是…``); nothing is dropped, so an introduction stays an item too."""
    pieces = [
        piece.strip()
        for line in section.paragraphs
        for piece in _INLINE_ITEM.split(line.text)
        if piece.strip()
    ]
    return [TextItem(kind, i, text, section.name) for i, text in enumerate(pieces, start=1)]
