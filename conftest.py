"""The test suite's root: ``tests/etl/`` (the ETL, module by module, and its end-to-end
loads), ``tests/dashboard/`` and ``tests/test_*.py`` (the dashboard through AppTest),
``tests/e2e/`` (the real browser), with shared test data in ``tests/fixtures.py``,
``tests/render.py`` and ``tests/variant_reports.py``.

Tests run from the project root whatever directory pytest was started in: the ETL's
defaults (``data/reports``, ``data/dashboard.duckdb``) are relative to it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent


@pytest.fixture(autouse=True, scope="session")
def _at_the_project_root():
    before = Path.cwd()
    os.chdir(ROOT)
    yield
    os.chdir(before)
