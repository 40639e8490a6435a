"""Parse step for prose: the named figures of section 一 and listed items.

Patterns run on a same-length ASCII mapping of each sentence (full-width
digits become ASCII), and the evidence is cut from the original sentence, so
it is exactly what the report says.
"""

from __future__ import annotations

import bisect
import itertools
import re
from functools import cache

from .document import Section
from .figure_specs import DISSATISFACTION, FIGURE_SPECS, FigureSpec
from .layout import sentences
from .model import Figure, TextItem
from .numbers import NUMBER, parse_number, to_ascii

_N = rf"(?P<pre>约|近|超过)?\s*+(?P<n>{NUMBER})\s*+(?P<post>余|多|以上)?"
_ITEM_SPLIT = re.compile(r"[；;、，,]")


@cache
def _compiled(spec: FigureSpec) -> re.Pattern[str]:
    return re.compile(spec.pattern.replace("{N}", _N))


def find_figures(section: Section) -> tuple[list[Figure], list[FigureSpec]]:
    """Every figure of FIGURE_SPECS found in the section, and the specs not found.

    Each spec's figure is its pattern's first match in the first sentence (in
    order) that has one (and its anchor). Sentences are not searched one by one
    (a section of many thousands of sentences would cost specs × sentences
    calls): each pattern runs over the section's text, and only a sentence where
    it matches there is cut out and searched on its own, for the match within
    that sentence (a match in the whole text may run over the sentence's end).
    """
    text = _Prose(section)
    found: list[Figure] = []
    missing: list[FigureSpec] = []
    name = section.name
    for spec in FIGURE_SPECS:
        hit = text.first_match(_compiled(spec), spec.anchor)
        if hit is None:
            missing.append(spec)
            continue
        line_no, original, m = hit
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
                name,
                line_no,
            )
        )
    return found, missing


# Between two paragraphs in the joined text: a sentence end, as a paragraph's end is.
_JOIN = "。"


class _Prose:
    """A section's paragraphs joined (as written, and mapped to ASCII), cut into sentences on demand."""

    def __init__(self, section: Section):
        self.lines = section.paragraphs
        joined = _JOIN.join(line.text for line in self.lines)
        self.ascii = to_ascii(joined)  # same length as the joined text: offsets are shared
        self.starts = list(
            itertools.accumulate((len(line.text) + len(_JOIN) for line in self.lines), initial=0)
        )
        self._sentences: dict[int, tuple[list[int], list[str]]] = {}

    def sentences_of(self, i: int) -> tuple[list[int], list[str]]:
        """The offsets (in the line) and texts of line ``i``'s sentences."""
        if i not in self._sentences:
            pairs = sentences(self.lines[i].text)
            self._sentences[i] = ([at for at, _ in pairs], [s for _, s in pairs])
        return self._sentences[i]

    def first_match(
        self, pattern: re.Pattern[str], anchor: str | None
    ) -> tuple[int, str, re.Match[str]] | None:
        """(line, sentence, match) of the first sentence where ``pattern`` matches (and ``anchor`` is)."""
        pos = 0
        while True:
            hit = pattern.search(self.ascii, pos)
            if hit is None:
                return None
            i = bisect.bisect_right(self.starts, hit.start()) - 1
            base = self.starts[i]
            offsets, texts = self.sentences_of(i)
            j = bisect.bisect_right(offsets, hit.start() - base) - 1
            if j < 0 or hit.start() - base >= offsets[j] + len(texts[j]):
                pos = self.starts[i + 1]  # not inside a sentence (the joint after the line)
                continue
            at = base + offsets[j]
            sentence = self.ascii[at : at + len(texts[j])]
            if not anchor or anchor in sentence:
                m = pattern.search(sentence)  # within the sentence alone
                if m:
                    return self.lines[i].number, texts[j], m
            pos = at + len(texts[j])


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
    name = section.name
    return [TextItem(kind, i, line.text.strip(), name) for i, line in enumerate(section.paragraphs, start=1)]


_INLINE_ITEM = re.compile(r"(?:(?<=^)|(?<=[。；;：:]))\s*(?=[一二三四五六七八九十]+是)")


def listed_items(section: Section, kind: str) -> list[TextItem]:
    """Section 五's items: each paragraph, split where an item starts inline
    (``…。二是…``); nothing is dropped, so an introduction stays an item too."""
    pieces = [
        piece.strip()
        for line in section.paragraphs
        # an item starts with "…是": a paragraph without 是 is one item (and needs no regex)
        for piece in (_INLINE_ITEM.split(line.text) if "是" in line.text else (line.text,))
        if piece.strip()
    ]
    name = section.name
    return [TextItem(kind, i, text, name) for i, text in enumerate(pieces, start=1)]
