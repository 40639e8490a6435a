"""Generated units tree (a script, not a test): ``python bench/tree.py [--out FOLDER] [--years 5]``.

A tree of units shaped like a province's reporting units, with the truth of each one's
type and parent, then about 10,000 reports of them over ``--years`` years (written only
with ``--out``):

- 1 province (江苏省人民政府), its 13 cities and their 95 districts and counties (real
  names from the gazetteer, etl/units/gazetteer.py); a county printed without its city
  now and then (``金湖县人民政府``), as real titles do;
- departments of each city and district (``淮安市财政局``, ``淮安市洪泽区交通运输局``), towns
  and streets with made-up names under their district's full name
  (``淮安市洪泽区高良涧街道办事处``), development zones (``淮安市经济技术开发区管理委员会``);
- names whose parent or type cannot be known from the name (``区财政局``, ``某某单位``).

Report bodies are tests.fixtures' varied reports (as bench/scale.py's), under the unit's title.

Printed: the classifier's counts on the generated names, through ``resolve`` with no
registry file (what the name and the gazetteer decide): for each true type, the types
right / wrong / unknown and the parents right / wrong / unknown, and every unknown listed.
Target: 0 wrong. Exit status 1 when anything is wrong.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.units import EMPTY, Units, gazetteer, resolve  # noqa: E402

PROVINCE = "江苏省"
CITY_DEPARTMENTS = (
    "人民政府办公室",
    "发展和改革委员会",
    "教育局",
    "公安局",
    "民政局",
    "财政局",
    "自然资源和规划局",
    "住房和城乡建设局",
    "交通运输局",
    "卫生健康委员会",
    "公共资源交易中心",
    "政务服务管理办公室",
    "市场监督管理局",
    "档案馆",
)
DISTRICT_DEPARTMENTS = (
    "人民政府办公室",
    "发展和改革局",
    "教育局",
    "财政局",
    "交通运输局",
    "住房和城乡建设局",
    "卫生健康委员会",
    "政务服务管理办公室",
    "农业农村局",
)
TOWN_SYLLABLES = "东西南北新安平和永清河湖山桥塘庄集岗圩沟涧港城坝口林泉丰兴盛华阳"
ZONES = ("经济技术开发区管理委员会", "高新技术产业开发区管委会", "工业园区管理委员会")
# Names whose parent (or type) no name can tell: (name, true type).
UNKNOWABLE = (
    ("区财政局", "department"),
    ("县教育局", "department"),
    ("市公共资源交易中心", "department"),
    ("某某单位", "unknown"),
    ("某某管理服务站点", "unknown"),
)


@dataclass(frozen=True)
class Truth:
    """A generated unit: the name its titles print, its true type, and the printed name of
    its true parent (``None`` at the top, or when nothing in the name can tell it)."""

    name: str
    unit_type: str
    parent: str | None
    knowable_parent: bool = True


def _town_names(rng: random.Random, count: int) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        names.add("".join(rng.sample(TOWN_SYLLABLES, 2)))
    return sorted(names)


def tree_units(seed: int = 20240101) -> list[Truth]:
    """The generated units, parents before children, deterministic for a seed."""
    rng = random.Random(seed)
    (province,) = gazetteer.named(PROVINCE)
    top = f"{province.name}人民政府"
    units = [Truth(top, "province", None)]
    for city in gazetteer.children(province.code):
        city_gov = f"{city.name}人民政府"
        units.append(Truth(city_gov, "city", top))
        units += [Truth(city.name + d, "department", city_gov) for d in rng.sample(CITY_DEPARTMENTS, 12)]
        units.append(Truth(city.name + ZONES[0], "functional_zone", city_gov))
        for n, district in enumerate(gazetteer.children(city.code)):
            full = city.name + district.name
            # A county printed without its city, as real titles do (金湖县人民政府), when the
            # gazetteer has only one division of that name.
            short = (
                district.kind != "市辖区" and len(gazetteer.named(district.name)) == 1 and rng.random() < 0.5
            )
            gov = f"{district.name if short else full}人民政府"
            units.append(Truth(gov, "district", city_gov))
            prefix = district.name if short else full
            units += [Truth(prefix + d, "department", gov) for d in rng.sample(DISTRICT_DEPARTMENTS, 8)]
            for i, town in enumerate(_town_names(rng, 10)):
                kind = "街道办事处" if i % 3 == 0 else ("乡人民政府" if i % 7 == 1 else "镇人民政府")
                units.append(Truth(f"{full}{town}{kind}", "town_street", gov))
            if n % 3 == 0:
                units.append(Truth(full + ZONES[1 + n % 2], "functional_zone", gov))
    units += [Truth(name, kind, None, knowable_parent=False) for name, kind in UNKNOWABLE]
    return units


# --------------------------------------------------------------------------- the counts


def score(truths: list[Truth], units: Units) -> tuple[dict[str, Counter], list[tuple[str, str, str]]]:
    """Per true type: type right/wrong/unknown and parent right/wrong/unknown; and the
    unknowns, each with the classifier's reason."""
    counts: dict[str, Counter] = {}
    unknowns: list[tuple[str, str, str]] = []
    why = {(name, what): reason for name, what, reason in units.undecided()}
    for truth in truths:
        unit = units.unit_of(truth.name)
        tally = counts.setdefault(truth.unit_type, Counter())
        if unit.unit_type == "unknown":
            tally["type_unknown"] += 1
            unknowns.append((truth.name, "type", why.get((unit.name, "type"), "")))
        else:
            tally["type_right" if unit.unit_type == truth.unit_type else "type_wrong"] += 1
        if unit.parent_id is None and unit.parent_source != "auto:top":
            tally["parent_unknown"] += 1
            unknowns.append((truth.name, "parent", why.get((unit.name, "parent"), "")))
        elif truth.parent is None:
            tally["parent_right" if unit.parent_id is None and truth.knowable_parent else "parent_wrong"] += 1
        else:
            right = unit.parent_id == units.unit_of(truth.parent).unit_id
            tally["parent_right" if right else "parent_wrong"] += 1
    return counts, unknowns


def print_counts(counts: dict[str, Counter], unknowns: list[tuple[str, str, str]]) -> int:
    order = ["province", "city", "district", "department", "town_street", "functional_zone", "unknown"]
    print(
        f"{'true type':<16}{'names':>7}   {'type right/wrong/unknown':>26}   {'parent right/wrong/unknown':>28}"
    )
    total = Counter()
    for kind in order:
        c = counts.get(kind, Counter())
        n = c["type_right"] + c["type_wrong"] + c["type_unknown"]
        total.update(c)
        print(
            f"{kind:<16}{n:>7}   {c['type_right']:>10} / {c['type_wrong']:>4} / {c['type_unknown']:>6}"
            f"   {c['parent_right']:>12} / {c['parent_wrong']:>4} / {c['parent_unknown']:>6}"
        )
    n = total["type_right"] + total["type_wrong"] + total["type_unknown"]
    print(
        f"{'all':<16}{n:>7}   {total['type_right']:>10} / {total['type_wrong']:>4} / {total['type_unknown']:>6}"
        f"   {total['parent_right']:>12} / {total['parent_wrong']:>4} / {total['parent_unknown']:>6}"
    )
    print(f"\nunknown ({len(unknowns)}), listed, never guessed:")
    for name, what, why in unknowns:
        print(f"  {name} · {what} · {why}")
    wrong = total["type_wrong"] + total["parent_wrong"]
    print(f"\nwrong: {wrong} (target 0)")
    return wrong


# --------------------------------------------------------------------------- the reports


def tree_report(truth: Truth, year: int, index: int, rng: random.Random, first_year: int) -> str:
    """A varied report (tests.fixtures) under the unit's title."""
    from tests.fixtures import varied_report

    text = varied_report(index, rng, agencies=1, first_year=first_year)
    return f"{year}年{truth.name}政府信息公开工作年度报告" + text[text.index("\n") :]


def write_tree(folder: Path, years: int = 5, first_year: int = 2020, seed: int = 20240101) -> list[Path]:
    """Write every unit's report of every year (``t-YYYY-NNNN.txt``) into ``folder``."""
    from tests.fixtures import write

    rng = random.Random(seed)
    truths = tree_units(seed)
    paths = []
    for y in range(years):
        year = first_year + y
        for n, truth in enumerate(truths):
            text = tree_report(truth, year, y, rng, first_year)
            paths.append(write(folder, f"t-{year}-{n:04d}.txt", text))
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--out", type=Path, help="write the reports into this folder (none written without it)"
    )
    parser.add_argument("--years", type=int, default=5, help="years of reports (5)")
    parser.add_argument("--first-year", type=int, default=2020, help="first year (2020)")
    args = parser.parse_args()
    start = time.perf_counter()
    truths = tree_units()
    kinds = Counter(t.unit_type for t in truths)
    print(
        f"{len(truths):,} units ({', '.join(f'{k} {v}' for k, v in kinds.items())}) × {args.years} years "
        f"= {len(truths) * args.years:,} reports"
    )
    units = resolve([t.name for t in truths], EMPTY)
    print(f"resolved into {len(units):,} units in {time.perf_counter() - start:.2f} s\n")
    wrong = print_counts(*score(truths, units))
    if args.out is not None:
        start = time.perf_counter()
        paths = write_tree(args.out, args.years, args.first_year)
        print(f"\n{len(paths):,} reports written to {args.out} in {time.perf_counter() - start:.1f} s")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
