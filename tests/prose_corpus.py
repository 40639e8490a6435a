"""The prose sentence corpus (tests/data/prose_sentences.tsv): loaded and scored per family.

Used by tests/etl/test_prose_corpus.py (each row exactly) and bench/prose.py (precision
and recall per family). A row is a sentence, the agency kind it is read for, and the
figures it must give (or none).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from etl.document import Line, Section
from etl.figure_specs import family_of
from etl.parse_prose import find_figures

CORPUS = Path(__file__).resolve().parent / "data" / "prose_sentences.tsv"
AGENCIES = {"gov": "某县人民政府", "dept": "某县发展和改革局", "centre": "某市公共资源交易中心"}
Key = tuple[str, str, str]


@dataclass(frozen=True)
class Row:
    family: str
    agency: str
    sentence: str
    expected: frozenset[tuple[Key, float]]
    status: str  # ok, or miss: a known figure not read yet
    line: int


def load(path: Path = CORPUS) -> list[Row]:
    rows = []
    for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not text.strip() or text.startswith("#"):
            continue
        family, agency, sentence, expected, status = text.split("\t")
        pairs = frozenset(
            (tuple(item.split("=")[0].split(".")), float(item.split("=")[1]))
            for item in expected.split("|")
            if expected != "-"
        )
        rows.append(Row(family, AGENCIES[agency], sentence, pairs, status, n))  # type: ignore[arg-type]
    return rows


def read(row: Row) -> frozenset[tuple[Key, float]]:
    """What the parser reads from the row's sentence (in section 一, and 六 for fees)."""
    sections = [Section(numeral, Line(1, numeral), [Line(2, row.sentence)]) for numeral in ("一", "六")]
    found, _ = find_figures(sections[:1], row.agency)
    if not found:  # a sentence of section 六 (fees): only the 六 specs read it there
        found, _ = find_figures(sections[1:], row.agency)
    return frozenset(((f.topic, f.metric, f.category), f.value) for f in found)


def score(rows: list[Row]) -> dict[str, tuple[int, int, int]]:
    """Per family: (true positives, false positives, false negatives) over all rows."""
    counts: dict[str, Counter[str]] = {}
    for row in rows:
        got = read(row)
        for pair in got | row.expected:
            c = counts.setdefault(family_of(pair[0]), Counter())
            c["tp" if pair in got and pair in row.expected else "fp" if pair in got else "fn"] += 1
    return {f: (c["tp"], c["fp"], c["fn"]) for f, c in counts.items()}
