"""The comparison view: shares, blanks, the agency parameter of the URL (table-driven)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import facts, state
from dashboard.views.catalog import Catalog


def rows(**overrides) -> pd.DataFrame:
    base = {
        "agency": "甲",
        "year": 2024,
        "template": "2021",
        "report_id": "a",
        "new_requests": 95.0,
        "outcome_total": 95.0,
        "disclosed": 50.0,
        "withheld": 3.0,
        "review_total": 2.0,
        "litigation_total": 4.0,
        "corrected": 1.0,
        "decided_total": 6.0,
        "failed_checks": 0,
    }
    return pd.DataFrame([{**base, **overrides}])


@pytest.mark.parametrize(
    ("overrides", "disclosed", "corrected"),
    [
        ({}, 52.6, 16.7),  # 50 / 95, 1 / 6
        ({"outcome_total": 0.0}, None, 16.7),  # a share of nothing is blank, not 0
        ({"outcome_total": None}, None, 16.7),  # a blank total: blank
        ({"decided_total": 0.0, "corrected": 0.0}, 52.6, None),
        ({"disclosed": 0.0}, 0.0, 16.7),
    ],
)
def test_shares(overrides, disclosed, corrected):
    frame = facts.compare_frame(rows(**overrides))
    got = frame.iloc[0]
    assert (None if pd.isna(got["disclosed_share"]) else got["disclosed_share"]) == disclosed
    assert (None if pd.isna(got["corrected_share"]) else got["corrected_share"]) == corrected


@pytest.mark.parametrize(
    ("template", "label"), [("2019", "2019年版"), ("2021", "2021年版"), ("mixed", "混合")]
)
def test_template_labels(template, label):
    assert facts.compare_frame(rows(template=template)).iloc[0]["template"] == label


def test_table_headers_in_order():
    table = facts.compare_table(facts.compare_frame(rows()))
    assert list(table.columns) == [
        "机关", "年度", "表格格式", "新收申请", "办理结果总计", "予以公开占比（%）",
        "不予公开", "行政复议", "行政诉讼", "纠正占比（%）", "不一致检查",
    ]  # fmt: skip


CATALOG = Catalog(
    pd.DataFrame(), ("甲", "乙", "丙"), "甲", {"甲": (2023,), "乙": (2024,), "丙": (2024,)}, (), {}
)


@pytest.mark.parametrize(
    ("raw", "limit", "expected", "notice"),
    [
        ([], 20, ("甲",), None),
        (["乙", "丙"], 20, ("乙", "丙"), None),
        (["乙", "乙"], 20, ("乙",), "1个"),  # a repeat counts as dropped
        (["乙", "不存在"], 20, ("乙",), "1个"),
        (["不存在", "<script>"], 20, ("甲",), "无效，已显示默认机关"),
        (["乙", "丙", "甲"], 2, ("乙", "丙"), "1个"),  # over the limit
        (["x" * 1000], 20, ("甲",), "无效"),
    ],
)
def test_parse_agencies(raw, limit, expected, notice):
    got, note = state.parse_agencies(raw, CATALOG, ("甲",), limit)
    assert got == expected
    assert (note is None) if notice is None else (notice in note)


@pytest.mark.parametrize(
    ("data", "changes"),
    [
        ({2019: "2019年版", 2020: "2019年版"}, []),
        ({2019: "2019年版", 2021: "2021年版", 2022: "2021年版"}, [(2019, 2021, "2021年版")]),
        ({2024: "2021年版", 2019: "2019年版"}, [(2019, 2024, "2021年版")]),  # sorted by year first
    ],
)
def test_format_changes(data, changes):
    frame = pd.DataFrame({"year": list(data), "template": list(data.values())})
    assert facts.format_changes(frame) == changes
