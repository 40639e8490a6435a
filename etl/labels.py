"""Tolerant label matching: reports misprint the template's labels.

A label matches a canonical one when, after normalising (no spaces,
punctuation or enumerators), it is equal, one contains the other, or they are
similar enough (difflib ratio). Never by exact string alone.
"""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher
from functools import lru_cache

_NOISE = re.compile(r"[\s\u00a0\u3000()（）、，,.．:：;；“”\"'‘’/／《》\-—]+")
# Leading enumerators (``（三）``, ``1.``, ``一、``), any number of them, each with the spaces after it.
_ENUMS = re.compile(r"(?:(?:[（(]?[一二三四五六七八九十]+[)）、.．]|[（(]?\d+[)）、.．])\s*)*")
MIN_RATIO = 0.6
# Labels of the template are short; a cell this long is compared by length first.
LONG_LABEL = 100


@lru_cache(maxsize=4096)
def normalise(label: str) -> str:
    text = label.strip()
    text = text[_ENUMS.match(text).end() :].rstrip()  # one pass: a loop of subs is quadratic
    return _NOISE.sub("", text)


@lru_cache(maxsize=16384)
def similarity(a: str, b: str) -> float:
    """difflib's ratio of the normalised labels.

    For a long cell (a label of the template is never long) whose length alone
    rules out ``MIN_RATIO``, the upper bound from the lengths is returned
    instead: difflib's cost grows with the length, and the bound decides the
    same as the ratio would (it is below ``MIN_RATIO`` either way).
    """
    matcher = SequenceMatcher(None, normalise(a), normalise(b))
    bound = matcher.real_quick_ratio()
    if bound < MIN_RATIO and max(len(matcher.a), len(matcher.b)) > LONG_LABEL:
        return bound
    return matcher.ratio()


@lru_cache(maxsize=4096)
def _chars(text: str) -> Counter[str]:
    return Counter(text)


def _score(na: str, nb: str) -> float:
    """difflib's ratio of two normalised labels, where only a ratio of at least
    ``MIN_RATIO`` counts: below it, an upper bound (from the lengths, or from the
    characters in common, as difflib's quick ratios) may stand for the ratio."""
    total = len(na) + len(nb)
    bound = 2.0 * min(len(na), len(nb)) / total if total else 1.0
    if bound < MIN_RATIO:
        return bound
    a, b = _chars(na), _chars(nb)
    bound = 2.0 * sum(min(n, b[ch]) for ch, n in a.items() if ch in b) / total
    if bound < MIN_RATIO:
        return bound
    return SequenceMatcher(None, na, nb).ratio()


def best_match(raw: str, candidates: tuple[str, ...] | list[str]) -> str | None:
    """The canonical label ``raw`` stands for, or None if none is close enough."""
    n = normalise(raw)
    if not n:
        return None
    for cand in candidates:
        if normalise(cand) == n:
            return cand
    contained = [c for c in candidates if n in normalise(c) or normalise(c) in n]
    if len(contained) == 1:
        return contained[0]
    pool = contained or list(candidates)
    # The most similar candidate (the first of equals), if similar enough. A candidate that
    # cannot reach MIN_RATIO is scored by a bound below MIN_RATIO: it can neither win over
    # one that reaches it nor be returned, so the answer is that of the ratio alone.
    best, best_score = None, -1.0
    for cand in pool:
        score = _score(n, normalise(cand))
        if score > best_score:
            best, best_score = cand, score
    return best if best_score >= MIN_RATIO else None
