"""The prose figures of the centre's reports, declared as data.

Each spec names a figure of ``data-contract.md`` (topic · metric · category),
its unit, and the pattern that finds it in one sentence of section 一. Its
words come from ``vocabulary`` (declared once there). ``{N}`` stands for a
number with an optional bound (``约``, ``余``…) and multiplier (``万``). A
sentence must also contain a match of ``anchor`` when one is given, and none of
``block``. Several specs may share one figure (other wordings); the figure is
the first match in reading order of any of them. ``docs/prose-figures.md``
explains the rules.

Patterns must run in linear time on any sentence (a file may hold a 1 MB line):
runs of spaces are possessive (``\\s*+``), and a gap between two words is either
bounded (``[^，。；]{0,12}?``) or, when unbounded, tried once per clause.
"""

from __future__ import annotations

import re

from .figure_specs_foi import FOI_FAMILIES, FOI_FIGURES, FOI_SPECS
from .spec_base import _CLAUSE_ENDS, _SENTENCE_ENDS, FigureSpec, _skip_to_first, any_of
from .vocabulary import (
    APPROVAL_ITEMS,
    APPROVAL_WORDS,
    CATEGORY_SUFFIXES,
    DISCLOSURE_SUBJECTS,
    HOTLINE_SATISFACTION_WORDS,
    HOTLINE_WORDS,
    NOT_HOTLINE_SATISFACTION,
    NOT_HOTLINE_SATISFACTION_CLAUSE,
    NOT_TOTAL_BEFORE_TRADING,
    NOT_WEBSITE_VISITS_CLAUSE,
    REQUEST_WORDS,
    TOTAL_AFTER_INTROS,
    TOTAL_INTROS,
    TRADING_CATEGORIES,
    TRADING_NOUNS,
    TRANSFER_WORDS,
)

# The number and unit after a name: 272064条, 为933条, ：58 条, 合计15条.
_BEFORE_N = rf"\s*+(?:[:：]|为|{any_of(TOTAL_AFTER_INTROS)}|共|达)?\s*+"
_SUFFIX = any_of(CATEGORY_SUFFIXES)


def category_pattern(synonyms: tuple[str, ...]) -> str:
    return f"{any_of(synonyms)}{_SUFFIX}?{_BEFORE_N}{{N}}\\s*+条"


# Any trading category with its number (no named groups: it is an anchor).
_PLAIN_N = r"\d[\d,. ]*+\s*+[万亿]?(?:余|多)?\s*+条"
ANY_CATEGORY_FIGURE = (
    any_of(tuple(s for c in TRADING_CATEGORIES for s in c.synonyms)) + f"{_SUFFIX}?{_BEFORE_N}{_PLAIN_N}"
)

# 交易 right after any category's name (its 交易信息 suffix) is that category, not the total.
_NOT_CATEGORY = "".join(
    f"(?<!{re.escape(w)})"
    for w in dict.fromkeys((*NOT_TOTAL_BEFORE_TRADING, *(s for c in TRADING_CATEGORIES for s in c.synonyms)))
)
# Total before the categories: 发布…交易…信息N条 within one clause, written so that it runs in
# linear time: tried once per clause, from the clause's first introducing verb (a later one
# could only find fewer 信息N条 after it).
TOTAL_WITH_NOUN = (
    _skip_to_first(TOTAL_INTROS, _CLAUSE_ENDS)
    + any_of(TOTAL_INTROS)
    + f"[^{_CLAUSE_ENDS}]*?{_NOT_CATEGORY}{any_of(TRADING_NOUNS)}"
    + rf"\s*+(?:{any_of(TOTAL_AFTER_INTROS)}|共|达)?\s*+{{N}}\s*+条"
)
# The number before the noun: 发布1,287条交易信息.
TOTAL_NUMBER_FIRST = (
    rf"(?:发布|公开)(?:各类)?\s*+{{N}}\s*+条(?P<numend>)(?:各类)?(?:公共资源)?{_NOT_CATEGORY}"
    + any_of(TRADING_NOUNS)
)
# The noun, then a total verb: 交易信息合计1,287条.
TOTAL_NOUN_FIRST = rf"{_NOT_CATEGORY}{any_of(TRADING_NOUNS)}\s*+{any_of(TOTAL_AFTER_INTROS)}\s*+{{N}}\s*+条"
# Total after (or before) the categories, at a clause's start: …（某类）5条，合计1,287条.
TOTAL_AFTER = rf"(?<![^{_CLAUSE_ENDS}])\s*+(?:全年)?{any_of(TOTAL_AFTER_INTROS)}(?:发布|公开)?\s*+{{N}}\s*+条"

# 办结 after 转交/转办 in the sentence (tried once per sentence, from its first 转交/转办).
_AFTER_TRANSFER = (
    _skip_to_first(TRANSFER_WORDS, _SENTENCE_ENDS) + any_of(TRANSFER_WORDS) + f"[^{_SENTENCE_ENDS}]*?"
)

_DISCLOSURE = any_of(DISCLOSURE_SUBJECTS)
_APPROVAL = any_of(APPROVAL_WORDS)
_HOTLINE = any_of(HOTLINE_WORDS)
_TRANSFER = any_of(TRANSFER_WORDS)


FIGURE_SPECS: tuple[FigureSpec, ...] = (
    # A clause that also names government information (发布政府信息和交易信息共1,500条) mixes
    # two subjects: no trading total.
    FigureSpec("trading", "notices", "total", "条", TOTAL_WITH_NOUN, label="交易信息总数",
               clause_block=_DISCLOSURE),
    FigureSpec("trading", "notices", "total", "条", TOTAL_NOUN_FIRST, label="交易信息总数",
               clause_block=_DISCLOSURE),
    FigureSpec("trading", "notices", "total", "条", TOTAL_NUMBER_FIRST, label="交易信息总数",
               clause_block=_DISCLOSURE),
    FigureSpec("trading", "notices", "total", "条", TOTAL_AFTER, anchor=ANY_CATEGORY_FIGURE,
               label="交易信息总数", block=_DISCLOSURE),
    *(
        FigureSpec("trading", "notices", c.key, "条", category_pattern(c.synonyms), label=c.label,
                   block=_DISCLOSURE)
        for c in TRADING_CATEGORIES
    ),
    FigureSpec("approvals", "items", "received", "件",
               rf"受理{any_of(APPROVAL_ITEMS)}事项(?:[（(][^）)]{{0,20}}[）)])?\s*+(?:共\s*+)?{{N}}\s*+件",
               label="受理行政审批事项"),
    FigureSpec("approvals", "items", "completed", "件",
               r"办结\s*+{N}\s*+件", anchor=_APPROVAL, label="办结行政审批事项",
               block=any_of(REQUEST_WORDS)),
    FigureSpec("approvals", "rate", "completion", "%",
               r"办结率为?\s*+{N}\s*+%", anchor=_APPROVAL, label="审批办结率", optional=True,
               block=any_of(REQUEST_WORDS + TRANSFER_WORDS)),
    FigureSpec("hotline", "cases", "total", "件",
               r"受理(?:群众)?诉求\s*+(?:共\s*+)?{N}\s*+件", label="12345受理群众诉求"),
    FigureSpec("hotline", "cases", "phone", "件",
               r"热线电话\s*+{N}\s*+件", label="热线电话"),
    FigureSpec("hotline", "cases", "online", "条",
               r"(?:政民互动|微博|微信|客户端)[^，。；]{0,30}?留言\s*+{N}\s*+条", label="网络留言"),
    FigureSpec("hotline", "national_platform_cases", "mini_program", "件",
               r"小程序留言\s*+{N}\s*+件", label="国家政务服务投诉与建议小程序留言"),
    FigureSpec("hotline", "national_platform_cases", "service_platform", "件",
               r"国家政务服务平台留言\s*+{N}\s*+件", label="国家政务服务平台留言"),
    FigureSpec("hotline", "handling", "direct", "件",
               r"直接办理\s*+{N}\s*+件", label="热线团队直接办理"),
    FigureSpec("hotline", "handling", "transferred", "件",
               r"转交[^，。；]{0,12}?办理\s*+{N}\s*+件", label="转交相关部门办理"),
    FigureSpec("hotline", "handling", "transferred_completed", "件",
               _AFTER_TRANSFER + r"办结\s*+{N}\s*+件", label="转办已办结", block=_APPROVAL),
    FigureSpec("hotline", "handling", "completed", "件",
               r"办结\s*+{N}\s*+件", anchor=_HOTLINE, label="办结群众诉求", optional=True,
               block=any_of(TRANSFER_WORDS + APPROVAL_WORDS + REQUEST_WORDS)),
    FigureSpec("hotline", "rate", "transferred_completion", "%",
               r"办结率为?\s*+{N}\s*+%", anchor=_TRANSFER, label="转办办结率", block=_APPROVAL),
    FigureSpec("hotline", "rate", "completion", "%",
               r"办结率为?\s*+{N}\s*+%", anchor=_HOTLINE, label="诉求办结率", optional=True,
               block=any_of(TRANSFER_WORDS + APPROVAL_WORDS)),
    FigureSpec("hotline", "callbacks", "total", "件",
               r"回访\s*+{N}\s*+件", label="电话回访"),
    FigureSpec("hotline", "rate", "satisfaction", "%",
               r"满意(?:率|度)为?\s*+{N}\s*+%", label="群众满意率",
               anchor=any_of(HOTLINE_SATISFACTION_WORDS), block=any_of(NOT_HOTLINE_SATISFACTION),
               clause_block=any_of(NOT_HOTLINE_SATISFACTION_CLAUSE)),
    FigureSpec("website", "visits", "total", "次",
               r"访问量[^，。；]{0,8}?\s*+{N}\s*+次", label="网站访问量",
               clause_block=any_of(NOT_WEBSITE_VISITS_CLAUSE)),
    FigureSpec("publicity", "news_articles", "total", "篇",
               r"新闻信息\s*+{N}\s*+篇", label="发布新闻信息"),
)  # fmt: skip

# The hotline's dissatisfaction topics: "不满意主要涉及：A；B；C等。"
DISSATISFACTION = r"不满意(?:的)?(?:主要|问题)?(?:涉及|集中在|包括)\s*[:：]?\s*(?P<list>[^。]+)"

FIGURE_SPECS = FIGURE_SPECS + FOI_SPECS

FIGURE_LABELS: dict[tuple[str, str, str], str] = {s.key: s.label for s in FIGURE_SPECS}
FIGURE_UNITS: dict[tuple[str, str, str], str] = {s.key: s.unit for s in FIGURE_SPECS}
FIGURE_MEANINGS: dict[tuple[str, str, str], str] = {d.key: d.meaning for d in FOI_FIGURES}


def family_of(key: tuple[str, str, str]) -> str:
    """The figure family of a key: its topic, or for ``foi`` its metric's family."""
    topic, metric, _ = key
    return FOI_FAMILIES.get(metric, metric) if topic == "foi" else topic


FAMILIES: tuple[str, ...] = tuple(dict.fromkeys(family_of(s.key) for s in FIGURE_SPECS))
