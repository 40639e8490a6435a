"""bench/tree.py's generated tree: the classifier (through resolve, no registry file)
gets no type or parent wrong on its ~2,000 names, and lists exactly the unknowable ones."""

from __future__ import annotations

import random
from collections import Counter

from bench.tree import UNKNOWABLE, score, tree_report, tree_units
from etl.units import EMPTY, resolve


def test_generated_names_give_zero_wrong():
    truths = tree_units()
    counts, unknowns = score(truths, resolve([t.name for t in truths], EMPTY))
    total = sum(counts.values(), Counter())
    assert (total["type_wrong"], total["parent_wrong"]) == (0, 0)
    assert {name for name, _, _ in unknowns} == {name for name, _ in UNKNOWABLE}
    assert total["type_right"] + total["type_unknown"] == len(truths)


def test_tree_shape():
    truths = tree_units()
    kinds = Counter(t.unit_type for t in truths)
    assert (kinds["province"], kinds["city"], kinds["district"]) == (1, 13, 95)
    assert kinds["department"] > 500 and kinds["town_street"] > 500 and kinds["functional_zone"] > 13
    assert 9_000 <= len(truths) * 5 <= 11_000
    assert len({t.name for t in truths}) == len(truths)
    hongze = [t for t in truths if t.name.startswith("淮安市洪泽区")]
    assert Counter(t.unit_type for t in hongze) == {
        "department": 8,
        "town_street": 10,
        "district": 1,
        "functional_zone": 1,
    }
    assert all(t.parent == "淮安市洪泽区人民政府" for t in hongze if t.unit_type != "district")
    assert tree_units() == truths  # deterministic


def test_report_carries_the_unit_title():
    truth = tree_units()[1]
    text = tree_report(truth, 2022, 0, random.Random(1), 2020)
    assert text.startswith(f"2022年{truth.name}政府信息公开工作年度报告\n")
