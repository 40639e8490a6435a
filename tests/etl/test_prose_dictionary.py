"""Every disclosure figure declared in etl/figure_specs_foi.py has its row (key, unit, Chinese
label) in the data dictionary's notes, and a spec reading it; every spec's key is declared."""

from __future__ import annotations

import pytest

from etl.dictionary import NOTES
from etl.figure_specs import FIGURE_LABELS, FIGURE_MEANINGS, FIGURE_SPECS, family_of
from etl.figure_specs_foi import FOI_FIGURES, FOI_SPECS

NOTES_TEXT = NOTES.read_text(encoding="utf-8")


@pytest.mark.parametrize("figure", FOI_FIGURES, ids=[".".join(f.key) for f in FOI_FIGURES])
def test_each_disclosure_figure_is_in_the_dictionary_and_read_by_a_spec(figure):
    row = f"| {figure.topic} | {figure.metric} | {figure.category} | {figure.unit} | {figure.label} |"
    assert row in NOTES_TEXT
    assert FIGURE_LABELS[figure.key] == figure.label and FIGURE_MEANINGS[figure.key]
    assert any(s.key == figure.key for s in FOI_SPECS)


def test_every_foi_spec_is_declared_and_optional():
    declared = {f.key for f in FOI_FIGURES}
    for spec in FOI_SPECS:
        assert spec.key in declared and spec.optional


def test_existing_contract_keys_are_kept():
    keys = {s.key for s in FIGURE_SPECS}
    assert ("foi", "requests", "received") in keys  # the published name, unchanged
    assert {family_of(k) for k in keys} >= {"trading", "approvals", "hotline", "requests", "fees"}
