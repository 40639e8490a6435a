"""What a prose figure spec is, and the regex helpers specs are built with.

Shared by ``figure_specs`` (the centre's figures) and ``figure_specs_foi`` (any
agency's disclosure figures), so neither imports the other's declarations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class FigureSpec:
    topic: str
    metric: str
    category: str
    unit: str
    pattern: str
    anchor: str | None = None  # a regex the sentence must contain
    label: str = ""  # Chinese name for pages and messages
    block: str | None = None  # a regex the sentence must not contain
    # A figure some reports give in place of another (办结 of all cases, not of transferred
    # ones): never listed as missing.
    optional: bool = False
    # A regex that must not match in the match's clause, from the clause's start to the
    # number's unit: a word there changes the number's subject (the subject guard).
    clause_block: str | None = None
    # The sections searched (fees are often stated in section 六).
    sections: tuple[str, ...] = ("一",)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.topic, self.metric, self.category)


def any_of(words: tuple[str, ...]) -> str:
    """An alternation of literal words, the longest first (so the fullest name wins)."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


_CLAUSE_ENDS = "。，；！？!?"
_SENTENCE_ENDS = "。！？!?"


def _skip_to_first(words: tuple[str, ...], ends: str) -> str:
    """From a clause's (sentence's) start, atomically up to the first of ``words`` in it:
    the clause is scanned once, never again from a later occurrence."""
    firsts = sorted({w[0] for w in words})
    not_word = "|".join(
        f"{re.escape(c)}(?!{'|'.join(re.escape(w[1:]) for w in words if w[0] == c)})" for c in firsts
    )
    plain = f"[^{ends}{''.join(firsts)}]"
    return f"(?<![^{ends}])(?>(?:{plain}++|{not_word})*+)"
