"""Acceptance: whole reports of other agencies, never seen by the parser's unit tests,
load with the right agency, year, format, every table cell and the figures they state,
and no contradiction the report does not have (tests/variant_reports.py)."""

from __future__ import annotations

import pytest

from etl.pipeline import load_report
from tests.variant_reports import VARIANTS, Variant

pytestmark = pytest.mark.parametrize("make", VARIANTS, ids=[m.__name__ for m in VARIANTS])


@pytest.fixture
def loaded(make, tmp_path):
    variant: Variant = make()
    path = tmp_path / variant.name
    path.write_bytes(variant.data)
    return variant, load_report(path)


def test_agency_year_and_format(loaded):
    variant, report = loaded
    assert (report.agency, report.year, report.template) == (variant.agency, variant.year, variant.template)
    assert (report.agency_source, report.year_source) == ("title", "title")


def test_every_table_cell(loaded):
    variant, report = loaded
    assert {(c.content, c.measure): c.value for c in report.active_disclosure} == variant.t2
    assert {(c.row_code, c.applicant): c.value for c in report.foi_requests} == variant.t3
    assert {(c.proceeding, c.outcome): c.value for c in report.review_litigation} == variant.t4


def test_stated_figures(loaded):
    variant, report = loaded
    found = {(f.topic, f.metric, f.category): f.value for f in report.figures}
    assert {k: found.get(k) for k in variant.figures} == variant.figures
    for f in report.figures:
        assert (f.evidence and f.raw_text in f.evidence) or f.raw_text.replace(" ", "") in f.evidence


def test_no_false_contradiction(loaded):
    variant, report = loaded
    failing = sorted(c.check_id for c in report.checks if c.passed is False)
    assert failing == sorted(variant.failing_checks)
