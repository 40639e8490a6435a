"""The search guards: the words a pattern needs and its first characters, read off its
parse tree; and, over every spec and every corpus sentence, the same matches with and
without them (a guard may only skip work, never a figure)."""

from __future__ import annotations

import re

import pytest

from etl.figure_specs import FIGURE_SPECS
from etl.parse_prose import _N
from etl.regex_guard import may_match, required_words, with_first_chars
from tests.prose_corpus import load

PATTERNS = sorted(
    {p.replace("{N}", _N) for s in FIGURE_SPECS for p in (s.pattern, s.anchor, s.block, s.clause_block) if p}
)


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        ("政策解读", {"政策解读"}),
        (r"\d+件(?:结转|顺延|转入)下", {"结转", "顺延", "转入"}),  # the branch: longer than 件 or 下
        (r"\d+件(?:结转|顺延|转入)下年度", {"下年度"}),  # the longest word wins
        # re factors a branch's common start out (受理行政(?:审批|许可)): one word then
        (r"受理(?:行政审批|行政许可)事项", {"受理行政"}),
        (r"(?:交易信息|交易公告)\s*+(?:共计|合计)", {"交易"}),
        (r"(?<!其他)交易(?:信息)?", {"交易"}),  # a lookbehind's words are not required
        (r"(?:办结)?\d+件", {"件"}),  # an optional word is not required
        (r"(?:受理|\d+)件", {"件"}),  # a branch with a non-literal alternative gives no words
        (r"\d+", None),
        (r"(?:办结|)\d+", None),  # an empty alternative: nothing required
        (r"(?i)abc", None),  # a flag changes what a literal matches: no guard
    ],
)
def test_required_words(pattern, words):
    got = required_words(pattern)
    assert (set(got) if got is not None else None) == words


@pytest.mark.parametrize(
    ("pattern", "guarded"),
    [
        (r"(?<!其他)(?:交易信息|交易公告)", r"(?=[交])(?:(?<!其他)(?:交易信息|交易公告))"),
        (r"(?:约)?\s*+\d+件", r"(?=[\d\s约])(?:(?:约)?\s*+\d+件)"),
        (r"a|b", "(?=[ab])(?:a|b)"),
        ("交易信息", "交易信息"),  # a literal start: re scans for it already
        (r"(?<![^。])[^，]*件", r"(?<![^。])[^，]*件"),  # a negated class may start it: unchanged
        (r"(?:约)?", r"(?:约)?"),  # may match nothing: unchanged
        (r"(?s)(?<!a)b", r"(?s)(?<!a)b"),  # a global flag must stay first: unchanged
    ],
)
def test_with_first_chars(pattern, guarded):
    assert with_first_chars(pattern) == guarded


def test_may_match():
    assert may_match(None, "")
    assert may_match(frozenset({"结转", "顺延"}), "3件顺延至下年度")
    assert not may_match(frozenset({"结转", "顺延"}), "3件转至下年度")


def _texts() -> list[str]:
    from etl.numbers import to_ascii

    return [to_ascii(row.sentence) for row in load()]


def _bundled_sections() -> list[str]:
    """Every section of the bundled reports (the centre's, 淮安市's, 洪泽区's), as find_figures
    searches it: its paragraphs joined, mapped to ASCII."""
    from etl.numbers import to_ascii
    from etl.pipeline import report_files
    from etl.readers import read_document
    from tests.fixtures import ROOT

    documents = [read_document(path) for path in report_files(ROOT / "data" / "reports")]
    return [to_ascii("。".join(p.text for p in s.paragraphs)) for d in documents for s in d.sections.values()]


@pytest.mark.parametrize("source", ["corpus", "bundled"])
def test_every_spec_matches_the_same_with_its_guards(source):
    """Every pattern of every spec (anchor, block and subject guard too), on every corpus
    sentence and every section of the bundled reports: the same matches, at the same places,
    with the same groups."""
    texts = _texts() if source == "corpus" else _bundled_sections()
    assert len(PATTERNS) > 60 and len(texts) > (150 if source == "corpus" else 20)
    for pattern in PATTERNS:
        plain, guarded, words = (
            re.compile(pattern),
            re.compile(with_first_chars(pattern)),
            required_words(pattern),
        )
        for text in texts:
            want = [(m.span(), m.groupdict()) for m in plain.finditer(text)]
            assert [(m.span(), m.groupdict()) for m in guarded.finditer(text)] == want, (pattern, text)
            if want:
                assert may_match(words, text), (pattern, text)
