"""12345热线: cases by channel and handling, rates, dissatisfaction topics."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from .. import facts, queries
from ..text import source_text
from .base import Chart, Metric, cache, figure_chart, figure_index
from .specs import (
    HOTLINE_CHANNELS,
    HOTLINE_COUNTS,
    HOTLINE_HANDLING,
    HOTLINE_RATES,
    HOTLINE_TRANSFERRED,
    ONE_REPORT,
)


@dataclass(frozen=True, eq=False)
class Hotline:
    empty: bool
    metrics: tuple[Metric, ...]
    channels: Chart | None
    national: tuple[tuple[str, float, str], ...]  # label, value, unit
    handling: Chart | None
    transferred: Chart | None
    topics: tuple[tuple[Any, str], ...]  # the listed problems: seq, text
    topics_caption: str  # their source line
    counts: Chart | None  # across the comparison range
    rates: Chart | None


@cache
def hotline(
    token: str, agency: str, year: int, years: tuple[int, ...], previous: int | None, compare: tuple[int, ...]
) -> Hotline:
    figs = figure_index(token, agency, years)
    source = ONE_REPORT.format(agency=agency, year=year)
    empty = facts.pick(figs, year, [facts.HOTLINE_TOTAL, *facts.HOTLINE_CHANNELS]).empty
    metrics = tuple(
        Metric(name, facts.value(figs, year, key), unit, facts.value(figs, previous, key))
        for name, key, unit in (
            ("受理群众诉求", facts.HOTLINE_TOTAL, "件"),
            ("转办办结率", facts.COMPLETION_RATE, "%"),
            ("电话回访", facts.CALLBACKS, "件"),
            ("群众满意率", facts.SATISFACTION, "%"),
        )
    )
    national = facts.pick(figs, year, facts.HOTLINE_NATIONAL)
    topics = queries.texts(token, agency, year, "hotline_dissatisfaction")
    view = Hotline(
        empty=empty,
        metrics=metrics,
        channels=None,
        national=tuple((r.label, r.value, r.unit) for r in national.itertuples()),
        handling=None,
        transferred=None,
        topics=tuple((r.seq, r.text) for r in topics.itertuples()),
        topics_caption=source_text(facts.evidence(figs, year, [facts.SATISFACTION]), source),
        counts=None,
        rates=None,
    )
    if empty:
        return view
    parts = {
        "channels": HOTLINE_CHANNELS,
        "handling": HOTLINE_HANDLING,
        "transferred": HOTLINE_TRANSFERRED,
        **({"counts": HOTLINE_COUNTS, "rates": HOTLINE_RATES} if len(compare) > 1 else {}),
    }
    return dataclasses.replace(
        view, **{part: figure_chart(spec, figs, agency, year, compare) for part, spec in parts.items()}
    )
