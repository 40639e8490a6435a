"""Text rules the readers own: how printed characters map to plain ones, and what a page adds to
the text (page numbers). The readers (``etl.readers``, ``etl.document``) use them to lay a report
out, the parser to read figures; they live below both, so reading imports nothing of parsing.

Full-width characters are mapped one-to-one to ASCII so positions in the mapped text equal
positions in the original: evidence is always cut from the original, unchanged text.
"""

from __future__ import annotations

import re

_FULLWIDTH = {ord("０") + i: ord("0") + i for i in range(10)}
_FULLWIDTH.update({ord("％"): ord("%"), ord("．"): ord("."), ord("\u00a0"): ord(" ")})
_FULLWIDTH[ord("\u3000")] = ord(" ")
# Any character to map: most text has none, and a search for them is far cheaper than translate.
_TO_MAP = re.compile("[" + "".join(re.escape(chr(c)) for c in _FULLWIDTH) + "]")

# A printed page number: ``- 4 -``, ``-3-``, ``第 4 页``, ``第4页 共9页``, ``4/9``, ``4``.
PAGE_NUMBER = re.compile(
    r"^(?:[-－—–−~～]\s*\d+\s*[-－—–−~～]|第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|\d{1,3})$"
)
# A page number with the dashes around it (a bare ``4`` in a table is a figure, not chrome).
_DASHED_PAGE_NUMBER = re.compile(
    r"^(?:[-－—–−~～]\s*\d+\s*[-－—–−~～]|第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?)$"
)


def to_ascii(text: str) -> str:
    """Same-length mapping of full-width digits, %, . and odd spaces to ASCII."""
    return text.translate(_FULLWIDTH) if _TO_MAP.search(text) else text


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def is_page_number(text: str) -> bool:
    """A page number as a footer prints it (a bare number too)."""
    return bool(PAGE_NUMBER.match(squeezed(text)))


def is_dashed_page_number(text: str) -> bool:
    """A page number with its dashes or 第…页 (never a bare number, which may be a figure)."""
    return bool(_DASHED_PAGE_NUMBER.match(squeezed(text)))
