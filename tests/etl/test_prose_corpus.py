"""The sentence corpus, row by row: each sentence gives exactly its figures (a ``miss`` row:
never a figure it does not state), and precision is 100 % in every family."""

from __future__ import annotations

import pytest

from etl.figure_specs import FAMILIES, FIGURE_LABELS
from tests.prose_corpus import load, read, score

ROWS = load()


def test_the_corpus_is_large_and_covers_every_new_family():
    assert len(ROWS) >= 150
    negatives = [r for r in ROWS if not r.expected]
    assert len(negatives) >= 60
    for family in FAMILIES:
        if family in ("website", "publicity"):
            continue
        assert any(r.family == family and r.expected for r in ROWS), family
        assert any(r.family == family and not r.expected for r in ROWS), family


@pytest.mark.parametrize("row", ROWS, ids=[f"{r.line}:{r.sentence[:20]}" for r in ROWS])
def test_sentence_gives_exactly_its_figures(row):
    got = read(row)
    if row.status == "miss":
        assert got < row.expected  # known miss: fewer figures, none false
    else:
        assert got == row.expected
    for key, _ in row.expected:
        assert FIGURE_LABELS[key]


def test_precision_is_100_percent_in_every_family():
    for family, (tp, fp, fn) in score(ROWS).items():
        assert fp == 0, family
        assert tp > 0 or fn > 0


def test_disclosure_patterns_run_in_linear_time_on_a_long_line():
    import time

    from etl.document import Line, Section
    from etl.parse_prose import find_figures

    runs = [
        unit * (200_000 // len(unit))
        for unit in ("政府信息公开", "受理各类", "网站", "1件结转", "答复申请", "未发生")
    ]
    runs += ["政策解读1" + " " * 200_000 + "x", "约" + " " * 200_000 + "x"]  # a number-first pattern's spaces
    for line in runs:
        unit = line[:4]
        start = time.process_time()
        find_figures(Section("一", Line(1, "一、总体情况"), [Line(2, "依申请" + line)]), "某县人民政府")
        assert time.process_time() - start < 2, unit
