"""Tolerant label matching: reports misprint the template's labels.

A label matches a canonical one when, after normalising (no spaces,
punctuation or enumerators), it is equal, one contains the other, or they are
similar enough (difflib ratio). Never by exact string alone.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

_NOISE = re.compile(r"[\s\u00a0\u3000()（）、，,.．:：;；“”\"'‘’/／《》\-—]+")
_ENUM = re.compile(r"^(?:[（(]?[一二三四五六七八九十]+[)）、.．]|[（(]?\d+[)）、.．])")
MIN_RATIO = 0.6


@lru_cache(maxsize=4096)
def normalise(label: str) -> str:
    text = label.strip()
    while True:
        stripped = _ENUM.sub("", text, count=1).strip()
        if stripped == text:
            break
        text = stripped
    return _NOISE.sub("", text)


def similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, normalise(a), normalise(b)).ratio()


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
    scored = max(pool, key=lambda c: similarity(raw, c), default=None)
    if scored is not None and similarity(raw, scored) >= MIN_RATIO:
        return scored
    return None
