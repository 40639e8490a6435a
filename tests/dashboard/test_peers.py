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


class FakeRegistry:
    by_id = {u: {"parent_id": "city"} for u in "abc"} | {"city": {"parent_id": None}}

    def name(self, unit_id):
        return {"a": "甲区", "b": "乙区", "c": "丙区", "city": "某市"}.get(unit_id, "")


def test_peer_members_best_first_nulls_last():
    from dashboard.views.profile import peer_members

    group = rows(
        ("a", "city", "disclosed_rate", 50.0),
        ("b", "city", "disclosed_rate", None),
        ("c", "city", "disclosed_rate", 70.0),
        ("a", "city", "carry_over_rate", 1.0),
    )
    members = peer_members(group, FakeRegistry())
    assert list(members["单位"]) == ["丙区", "甲区", "乙区"], "higher 予以公开率 first, the NULL last"
    assert list(members.columns) == ["单位", "上级单位", "予以公开率（%）", "结转率（%）", "单位档案"]
    assert members["结转率（%）"].isna().tolist() == [True, False, True], "a missing rate stays blank"
    assert members["上级单位"].tolist() == ["某市"] * 3
    assert members["单位档案"].tolist()[0] == "/unit?unit=c"
