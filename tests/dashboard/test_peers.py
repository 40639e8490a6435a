"""A unit against its peers (dashboard/views/profile.py) and the profile's URL parameter:
ranks with ties and NULLs, the median, the fallback from same-parent peers to same-type ones."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.unit_state import parse_unit
from dashboard.views.profile import peer_table, rank_text


@pytest.mark.parametrize(
    ("value", "values", "better", "expected"),
    [
        (50.0, [50.0, 40.0, 30.0], "higher", "第1名（共3个）"),
        (40.0, [50.0, 40.0, 30.0], "higher", "第2名（共3个）"),
        (40.0, [50.0, 40.0, 30.0], "lower", "第2名（共3个）"),
        (30.0, [50.0, 40.0, 30.0], "lower", "第1名（共3个）"),
        (40.0, [50.0, 40.0, 40.0, 30.0], "higher", "第2名（并列，共4个）"),
        (0.0, [0.0, 0.0], "lower", "第1名（并列，共2个）"),
        (None, [50.0, 40.0], "higher", "—（无数值，排在最后）"),
        (float("nan"), [50.0], "lower", "—（无数值，排在最后）"),
        (40.0, [50.0, 40.0], None, "不排名"),
    ],
)
def test_rank_text(value, values, better, expected):
    assert rank_text(value, pd.Series(values, dtype=float), better) == expected


def rows(*specs: tuple[str, str, str, float | None]) -> pd.DataFrame:
    """unit_id, parent_id, indicator, value (NULL with its reason)."""
    names = {"disclosed_rate": "予以公开率", "carry_over_rate": "结转率", "unable_rate": "无法提供率"}
    return pd.DataFrame(
        [
            {
                "unit_id": u,
                "parent_id": p,
                "indicator": i,
                "name": names[i],
                "value": v,
                "null_reason": None if v is not None else "分母为0",
                "comparable": True,
            }
            for u, p, i, v in specs
        ]
    )


def test_peer_table_median_rank_and_null_reason():
    group = rows(
        ("a", "city", "disclosed_rate", 50.0),
        ("b", "city", "disclosed_rate", 70.0),
        ("c", "city", "disclosed_rate", None),
        ("a", "city", "carry_over_rate", 10.0),
        ("b", "city", "carry_over_rate", 10.0),
        ("c", "city", "carry_over_rate", 5.0),
        ("c", "city", "unable_rate", 5.0),
    )
    a = peer_table(group, "a").set_index("指标")
    assert list(a.index) == ["予以公开率", "结转率"], "the unit's own indicators, in the records' order"
    assert (a.loc["予以公开率", "同类中位数（%）"], a.loc["予以公开率", "排名"]) == (60.0, "第2名（共2个）")
    assert a.loc["予以公开率", "有数值的单位数"] == 2, "a NULL is not a value"
    assert a.loc["结转率", "排名"] == "第2名（并列，共3个）", "lower is better; a tie says so"
    c = peer_table(group, "c").set_index("指标")
    assert c.loc["予以公开率", "排名"] == "—（无数值，排在最后）"
    assert c.loc["予以公开率", "说明"] == "分母为0"
    assert pd.isna(c.loc["予以公开率", "本单位（%）"]), "NULL stays NULL, never 0"
    assert c.loc["无法提供率", "排名"] == "不排名"


UNITS = {"u1": "淮安市洪泽区人民政府", "u2": "淮安市人民政府"}


@pytest.mark.parametrize(
    ("raw", "unit", "notice"),
    [
        (None, "u2", False),
        ("u1", "u1", False),
        ("u3", "u2", True),
        ("<b>u1</b>", "u2", True),
        ("u1" * 200, "u2", True),
    ],
)
def test_parse_unit(raw, unit, notice):
    got, note = parse_unit(raw, UNITS, "u2")
    assert got == unit
    assert (note is not None) == notice
