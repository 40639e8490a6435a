"""etl/formatting.py: one way to write a figure, everywhere."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from etl.formatting import number

CASES = [
    (487988, {}, "487,988"),
    (487988.0, {"unit": "条"}, "487,988条"),
    (91.75, {"unit": "%"}, "91.75%"),
    (24252.311082, {}, "24,252.311082"),  # every decimal the report wrote
    (-15.0, {}, "-15"),
    (0, {}, "0"),
    (None, {}, "—"),
    (math.nan, {}, "—"),
    (pd.NA, {}, "—"),
    (None, {"blank": "空白"}, "空白"),
    (36.714021, {"decimals": 1, "unit": "%"}, "36.7%"),
    (99.96, {"decimals": 1}, "100"),
    ("abc", {}, "—"),
]


@pytest.mark.parametrize(("value", "kwargs", "expected"), CASES)
def test_number(value, kwargs, expected):
    assert number(value, **kwargs) == expected
