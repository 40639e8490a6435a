"""Cheap tests that let a prose search skip work, read off a pattern's parse tree.

A section's text is searched with every figure's pattern (about fifty). Python's
``re`` scans fast only when a pattern starts with a literal or a character class;
most of ours start with lookbehinds (``(?<!其他)``, a clause's start) or a
number, and are then tried at every position of the text. Two facts of a pattern,
computed once, make that cheap without changing what it matches:

- ``required_words``: literal words of which every match contains at least one
  (``政策解读``, one of ``结转 顺延 转入``). A text with none of them cannot match:
  the search is skipped (``str.__contains__`` is a fast scan).
- ``with_first_chars``: the pattern behind a lookahead of the characters a match
  can start with, so that most positions fail at once rather than after twenty
  lookbehinds.

Both are derived, never declared by hand: a wording added to a spec is covered.
Where the parse tree holds something not handled here, the answer is "no guard"
(``None``, or the pattern unchanged), never a wrong one.
"""

from __future__ import annotations

import re
from functools import cache

try:  # the parser of the standard library's ``re`` (``re._parser`` since Python 3.11)
    from re import _constants as C
    from re import _parser as P
except ImportError:  # pragma: no cover - another interpreter: no guards, same results
    C = P = None  # type: ignore[assignment]

_ZERO_WIDTH = () if C is None else (C.ASSERT, C.ASSERT_NOT, C.AT)
_REPEATS = () if C is None else (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT)


def _parse(pattern: str):
    if P is None:
        return None
    try:
        parsed = P.parse(pattern)
    except re.error:  # not a pattern re reads: no guard
        return None
    return None if parsed.state.flags & (re.IGNORECASE | re.VERBOSE) else parsed


# --- Required words ---------------------------------------------------------------------

Words = frozenset[str]


def _better(a: Words | None, b: Words | None) -> Words | None:
    """Of two requirements, the more selective: longer shortest word, then fewer words."""
    if a is None:
        return b
    if b is None:
        return a
    key = lambda w: (min(map(len, w)), -len(w))  # noqa: E731
    return a if key(a) >= key(b) else b


def _sequence(items) -> Words | None:
    """The best requirement of a sequence of parsed items (each one is mandatory)."""
    best: Words | None = None
    run: list[str] = []
    for op, av in items:
        if op is C.LITERAL:
            run.append(chr(av))
            continue
        if run:
            best = _better(best, frozenset(["".join(run)]))
            run = []
        if op is C.SUBPATTERN:
            best = _better(best, _sequence(av[3]))
        elif op is C.ATOMIC_GROUP:
            best = _better(best, _sequence(av))
        elif op in _REPEATS and av[0] >= 1:
            best = _better(best, _sequence(av[2]))
        elif op is C.BRANCH:
            alternatives = [_sequence(alt) for alt in av[1]]
            if all(alternatives):
                best = _better(best, frozenset().union(*alternatives))
    if run:
        best = _better(best, frozenset(["".join(run)]))
    return best


@cache
def required_words(pattern: str) -> Words | None:
    """Literal words of which every match of ``pattern`` contains one; None if none is known."""
    parsed = _parse(pattern)
    return None if parsed is None else _sequence(list(parsed))


def may_match(words: Words | None, text: str) -> bool:
    """False only when ``text`` holds none of ``words`` (so no match is possible)."""
    return words is None or any(w in text for w in words)


# --- First characters -------------------------------------------------------------------

_CATEGORIES = {} if C is None else {C.CATEGORY_DIGIT: r"\d", C.CATEGORY_SPACE: r"\s"}


def _first(items) -> tuple[set[str], bool] | None:
    """(characters a match of the sequence can start with, whether it can be empty)."""
    out: set[str] = set()
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        if op is C.LITERAL:
            out.add(re.escape(chr(av)))
            return out, False
        if op is C.IN:
            for kind, value in av:
                if kind is C.LITERAL:
                    out.add(re.escape(chr(value)))
                elif kind is C.CATEGORY and value in _CATEGORIES:
                    out.add(_CATEGORIES[value])
                else:  # a negated class, a range…: anything may start the match
                    return None
            return out, False
        inner = (
            [av[3]] if op is C.SUBPATTERN
            else [av] if op is C.ATOMIC_GROUP
            else av[1] if op is C.BRANCH
            else [av[2]] if op in _REPEATS
            else None
        )  # fmt: skip
        if inner is None:
            return None
        nullable = op in _REPEATS and av[0] == 0
        for sub in inner:
            found = _first(list(sub))
            if found is None:
                return None
            out |= found[0]
            nullable = nullable or found[1]
        if not nullable:
            return out, False
    return out, True


_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")  # must stay at the pattern's start: left alone


@cache
def with_first_chars(pattern: str) -> str:
    """``pattern`` behind a lookahead of the characters its matches start with (unchanged when
    it starts with a literal, which ``re`` already scans for, or when they are not known)."""
    parsed = _parse(pattern)
    if parsed is None or not parsed.data or parsed.data[0][0] is C.LITERAL or _GLOBAL_FLAGS.match(pattern):
        return pattern
    found = _first(list(parsed))
    if found is None or found[1] or not found[0]:
        return pattern
    return f"(?=[{''.join(sorted(found[0]))}])(?:{pattern})"
