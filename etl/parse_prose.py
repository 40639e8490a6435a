"""Parse step for prose: the named figures of section 一 and listed items.

Patterns run on a same-length ASCII mapping of each sentence (full-width
digits become ASCII), and the evidence is cut from the original sentence, so
it is exactly what the report says.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from .applicable import applicable_families, readable_families, unit_type_hint
from .document import Section
from .figure_specs import DISSATISFACTION, FIGURE_SPECS, FigureSpec, family_of
from .model import Figure, TextItem, UnmatchedSentence
from .numbers import to_ascii
from .regex_guard import Words, may_match, required_words, with_first_chars

# A number as prose writes it: 487988, 9,239, 3 516 (a space between thousands), 91.75.
_NUMBER = r"\d{1,3}(?:[, ]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_N = rf"(?P<pre>约|近|超过)?\s*+(?P<n>{_NUMBER})\s*+(?P<mult>万|亿)?(?P<post>余|多|以上)?"
_MULTIPLIERS = {"万": 10_000, "亿": 100_000_000}
_ITEM_SPLIT = re.compile(r"[；;、，,]")


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(with_first_chars(pattern.replace("{N}", _N)))


@cache
def _words(pattern: str) -> Words | None:
    """The words without which ``pattern`` cannot match (see ``regex_guard``)."""
    return required_words(pattern.replace("{N}", _N))


def _value(m: re.Match[str]) -> float:
    """The number of a match, times its 万/亿 (8232万 is 82320000): exact, in decimal."""
    digits = m.group("n").replace(",", "").replace(" ", "")
    return float(Decimal(digits) * _MULTIPLIERS.get(m.group("mult") or "", 1))


def find_figures(
    sections: Section | Iterable[Section], agency: str = "", unit_type: str | None = None
) -> tuple[list[Figure], list[FigureSpec]]:
    """Every figure of FIGURE_SPECS found in the sections, and the figures not found.

    Each figure is the first match, in reading order (section 一 before 六), of any of
    its specs (a figure may have several wordings) in a sentence that has the spec's
    anchor and not its block, where the match's clause has no word of its
    ``clause_block`` (the subject guard). Sentences are not searched one by one (a
    section of many thousands of sentences would cost specs × sentences calls): each
    pattern runs over the section's text, and only a sentence where it matches there is
    cut out and searched on its own (a match in the whole text may run over the
    sentence's end).

    ``unit_type`` (the unit registry's, else ``applicable.unit_type_hint`` of the agency)
    decides which families are read and which are listed as missing
    (``applicable``): a city government is not told it lacks trading notices, a
    department reads no hotline figure.
    """
    by_numeral = {s.numeral: _Prose(s) for s in ([sections] if isinstance(sections, Section) else sections)}
    kind = unit_type if unit_type is not None else unit_type_hint(agency)
    readable = readable_families(kind, agency)
    hits: dict[tuple[str, str, str], tuple[tuple[int, int], FigureSpec, str, int, str, re.Match[str]]] = {}
    first_spec: dict[tuple[str, str, str], FigureSpec] = {}
    for p in _prepared():
        spec = p.spec
        first_spec.setdefault(spec.key, spec)
        if p.family not in readable:
            continue
        for numeral in spec.sections:
            text = by_numeral.get(numeral)
            if text is None:
                continue
            if not (may_match(p.words, text.ascii) and may_match(p.anchor_words, text.ascii)):
                continue  # a word the pattern (or its anchor) needs is not in the section
            hit = text.first_match(p.pattern, p.anchor, p.block, p.clause_block)
            if hit is None:
                continue
            at = (_ORDER[numeral], hit[0])
            if spec.key not in hits or at < hits[spec.key][0]:
                hits[spec.key] = (at, spec, text.name, *hit[1:])
            break
    found = [_figure(*hits[key][1:]) for key in first_spec if key in hits]
    families = applicable_families(kind, agency, {family_of((f.topic, f.metric, f.category)) for f in found})
    missing = [
        spec
        for key, spec in first_spec.items()
        if key not in hits and not spec.optional and family_of(key) in families
    ]
    return found, missing


_ORDER = {numeral: i for i, numeral in enumerate("一二三四五六")}


@dataclass(frozen=True)
class _Prepared:
    """A spec with its regexes compiled and its guards read off (once, not per report)."""

    spec: FigureSpec
    family: str
    pattern: re.Pattern[str]
    anchor: re.Pattern[str] | None
    block: re.Pattern[str] | None
    clause_block: re.Pattern[str] | None
    words: Words | None  # see regex_guard.required_words
    anchor_words: Words | None


@cache
def _prepared() -> tuple[_Prepared, ...]:
    return tuple(
        _Prepared(
            spec,
            family_of(spec.key),
            _compiled(spec.pattern),
            _regex(spec.anchor),
            _regex(spec.block),
            _regex(spec.clause_block),
            _words(spec.pattern),
            _words(spec.anchor) if spec.anchor else None,
        )
        for spec in FIGURE_SPECS
    )


def _regex(pattern: str | None) -> re.Pattern[str] | None:
    return _compiled(pattern) if pattern else None


def _figure(spec: FigureSpec, section: str, line_no: int, original: str, m: re.Match[str]) -> Figure:
    groups = m.re.groupindex
    if "n" not in groups:  # a stated zero (未发生…行政复议, 未收取任何费用): the words are its raw text
        value, approx, start = 0.0, False, m.start()
    else:
        value, approx = _value(m), bool(m.group("pre") or m.group("post"))
        start = m.start("pre") if m.group("pre") else m.start("n")
    unit = m.group("unit") if "unit" in groups and m.group("unit") else spec.unit
    end = m.end("numend") if "numend" in groups else m.end()  # number first: 103件, not 103件顺延…
    return Figure(
        spec.topic,
        spec.metric,
        spec.category,
        value,
        unit,
        approx,
        original.strip(),
        original[start:end].strip(),  # the number as written, with its bound word and unit
        section,
        line_no,
    )


# Between two paragraphs in the joined text: a sentence end, as a paragraph's end is.
_JOIN = "。"


class _Prose:
    """A section's paragraphs joined (as written, and mapped to ASCII), cut into sentences on demand."""

    def __init__(self, section: Section):
        self.name = section.name
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
        self,
        pattern: re.Pattern[str],
        anchor: re.Pattern[str] | None,
        block: re.Pattern[str] | None,
        clause_block: re.Pattern[str] | None = None,
    ) -> tuple[int, int, str, re.Match[str]] | None:
        """(offset in the joined text, line, sentence, match) of the first sentence where
        ``pattern`` matches, that has ``anchor`` and not ``block``, in a clause without
        ``clause_block``."""
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
            if (anchor is None or anchor.search(sentence)) and not (block and block.search(sentence)):
                m = _in_clause(pattern, sentence, clause_block)  # within the sentence alone
                if m:
                    return at + m.start(), self.lines[i].number, texts[j], m
            pos = at + len(texts[j])


_CLAUSE_ENDS = frozenset("，,；;。！？!?")
# How far back a clause's start is looked for: a clause is a few dozen characters; the bound
# keeps a 1 MB line without commas linear.
_MAX_CLAUSE = 300


def _in_clause(
    pattern: re.Pattern[str], sentence: str, clause_block: re.Pattern[str] | None
) -> re.Match[str] | None:
    """The first match of ``pattern`` in the sentence whose clause (from the clause's start
    to the match's end) has no ``clause_block``: a word there changes the number's subject."""
    m = pattern.search(sentence)
    while m is not None and clause_block is not None:
        start = m.start()
        while start > 0 and m.start() - start < _MAX_CLAUSE and sentence[start - 1] not in _CLAUSE_ENDS:
            start -= 1
        if not clause_block.search(sentence, start, m.end()):
            return m
        m = pattern.search(sentence, m.start() + 1)
    return m


# A number of the prose, on the ASCII mapping: 3,516 · 91.75 · 3 516 is two numbers here
# (a figure's raw text covers both).
_ANY_NUMBER = re.compile(r"\d++(?:[,.]\d++)*+")
# What follows a number that is not a count: a year (2019年, 2019-2020年), a date
# (3月5日, 2021-03-05), an issue number (〔2019〕12号).
_NOT_COUNT_AFTER = re.compile(r"\s*+(?:年|月|日|号|[-/.]\d|[-—–~至]\s*+\d{4}\s*+年|[〕\]］])")
# What precedes one: an article or ordinal (第20条, 第3次), an enumerator or issue year
# (（1）, 〔2019〕).
_NOT_COUNT_BEFORE = frozenset("第（(〔[［")
# 12345 not followed by a unit is the hotline's name (省级12345平台), not a count.
_HOTLINE_NAME = re.compile(r"12345(?!\d)(?!\s*+[件条次个项%])")
_ENUMERATOR = re.compile(r"\s*+\d++\s*+[.、．]")


def _counts(ascii_sentence: str) -> list[tuple[int, int]]:
    """The spans of the numbers of a sentence that may be a count (not a year, a date,
    an article or the hotline's name)."""
    spans = []
    lead = len(ascii_sentence) - len(ascii_sentence.lstrip())
    for m in _ANY_NUMBER.finditer(ascii_sentence):
        start, end = m.span()
        before = ascii_sentence[start - 1] if start else ""
        if before in _NOT_COUNT_BEFORE or _NOT_COUNT_AFTER.match(ascii_sentence, end):
            continue
        if _HOTLINE_NAME.match(ascii_sentence, start):
            continue
        if start == lead and _ENUMERATOR.match(ascii_sentence):
            continue  # "1.加强…": a list's enumerator at the sentence's start
        spans.append((start, end))
    return spans


def unmatched_sentences(sections: list[Section], figures: list[Figure]) -> list[UnmatchedSentence]:
    """The sentences of ``sections`` with a number (a count, not a year, a date or an
    article) that no figure was read from: listed to officials so that nothing the
    parser could not place is dropped silently. A sentence that gave a figure is
    listed too when another of its numbers gave none (矿业权3条 beside 国有建设用地使用权
    出让58条, the category's first name, is not added to it)."""
    read: dict[tuple[str, int, str], list[str]] = {}
    for f in figures:
        read.setdefault((f.section, f.source_line, f.evidence), []).append(to_ascii(f.raw_text))
    out: list[UnmatchedSentence] = []
    for section in sections:
        for line in section.paragraphs:
            ascii_line = to_ascii(line.text)
            numbers = [m.start() for m in _ANY_NUMBER.finditer(ascii_line)]
            if not numbers:
                continue
            pairs = sentences(line.text)
            offsets = [at for at, _ in pairs]
            for j in sorted({bisect.bisect_right(offsets, n) - 1 for n in numbers} - {-1}):
                at, text = pairs[j]
                ascii_sentence = ascii_line[at : at + len(text)]
                raws = read.get((section.name, line.number, text.strip()), [])
                if _unread(ascii_sentence, raws):
                    out.append(UnmatchedSentence(section.name, line.number, text.strip()))
    return out


def _unread(ascii_sentence: str, raws: list[str]) -> bool:
    """Whether a count of the sentence lies outside every figure's number as written
    (each figure claims the first of its occurrences not claimed by another)."""
    counts = _counts(ascii_sentence)
    if not counts:
        return False
    claimed: list[tuple[int, int]] = []
    for raw in raws:
        at = ascii_sentence.find(raw)
        while at >= 0 and (at, at + len(raw)) in claimed:
            at = ascii_sentence.find(raw, at + 1)
        if at >= 0:
            claimed.append((at, at + len(raw)))
    return any(not any(a <= s and e <= b for a, b in claimed) for s, e in counts)


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


_SENTENCE = re.compile(r"[^。！？!?]*(?:[。！？!?]+|$)")


def sentences(text: str) -> list[tuple[int, str]]:
    """Split a paragraph into sentences, each with its offset in the paragraph."""
    out = []
    for m in _SENTENCE.finditer(text):
        if m.group().strip():
            out.append((m.start(), m.group()))
    return out
