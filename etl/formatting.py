"""Figures as people read them, in one place for the pages, the charts, the exports,
the checks' descriptions and the command line.

A reported figure is written with every decimal the report gave (never rounded
away) and thousands separators; only numbers this project computes (a ratio,
a difference) are rounded, and the caller says to how many decimals.
"""

from __future__ import annotations

import math


def number(value: object, unit: str = "", *, blank: str = "—", decimals: int | None = None) -> str:
    """``487988`` → ``487,988``; ``91.75, "%"`` → ``91.75%``; None/NaN/NA → ``blank``.

    ``decimals`` rounds a computed value (a ratio); without it a fractional value
    keeps its shortest exact form, as parsed from the report.
    """
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return blank
    if math.isnan(v):
        return blank
    if decimals is not None:
        v = round(v, decimals)
    text = f"{v:,.0f}" if v.is_integer() else f"{v:,}"
    return f"{text}{unit}"
