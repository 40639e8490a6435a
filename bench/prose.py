"""Prose figures, precision and recall per family (a script, not a test): ``python bench/prose.py``.

Reads every sentence of tests/data/prose_sentences.tsv (positives and near-miss negatives)
and counts, per figure family, the figures read right (tp), read but not stated (fp) and
stated but not read (fn). Precision must be 100 % in every family (a figure the report
did not state is the worst failure); recall shows the wordings still missed (rows marked
``miss``). Exits 1 if any family's precision is below 100 %.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.prose_corpus import load, score  # noqa: E402


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:6.1f} %" if b else "     – "


def main() -> int:
    rows = load()
    negatives = sum(1 for r in rows if not r.expected)
    print(f"{len(rows)} sentences ({len(rows) - negatives} with figures, {negatives} near-miss negatives)")
    print(f"{'family':<24} {'rows':>5} {'tp':>5} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>9}")
    by_family = score(rows)
    total = [0, 0, 0]
    for family, (tp, fp, fn) in sorted(by_family.items()):
        n = sum(1 for r in rows if r.family == family)
        print(f"{family:<24} {n:>5} {tp:>5} {fp:>4} {fn:>4} {_pct(tp, tp + fp):>10} {_pct(tp, tp + fn):>9}")
        total = [total[0] + tp, total[1] + fp, total[2] + fn]
    tp, fp, fn = total
    print(
        f"{'all':<24} {len(rows):>5} {tp:>5} {fp:>4} {fn:>4} {_pct(tp, tp + fp):>10} {_pct(tp, tp + fn):>9}"
    )
    ok = fp == 0
    print("precision 100 %: " + ("met" if ok else "NOT met"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
