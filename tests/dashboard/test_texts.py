"""The texts view: search words and highlighting of report text, escaped (table-driven)."""

from __future__ import annotations

import pytest

from dashboard.views import texts


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("解读", ("解读",)),
        ("  政策  解读 ", ("政策", "解读")),
        ("解读 解读", ("解读",)),
        ("a b c d e f g", ("a", "b", "c", "d", "e")),  # at most five words
        ("   ", ()),
        ("x" * 80, ("x" * 50,)),  # at most 50 characters
    ],
)
def test_search_words(raw, words):
    assert texts.search_words(raw) == words


@pytest.mark.parametrize(
    ("text", "words", "shown"),
    [
        ("加强政策解读工作", ("解读",), "加强政策**解读**工作"),
        ("解读与解读", ("解读",), "**解读**与**解读**"),
        ("<b>解读</b>", ("解读",), r"\<b\>**解读**\</b\>"),  # HTML stays text
        ("[链接](javascript:x)", ("链接",), r"\[**链接**\]\(javascript\:x\)"),
        ("a*b", ("*",), r"a**\***b"),
        ("没有", ("解读",), "没有"),
    ],
)
def test_highlight_escapes_then_bolds(text, words, shown):
    assert texts.highlight(text, words) == shown


def test_every_search_part_names_known_kinds():
    assert set(texts.PARTS) == set(texts.PART_LABELS)
    assert all(set(kinds) <= set(texts.KINDS) for kinds in texts.PARTS.values())
