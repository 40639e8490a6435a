"""The words reports use for their prose figures, declared once as data.

Trading centres name the same trading category differently from centre to
centre and year to year (``工程建设类`` / ``建设工程招投标`` / ``工程建设项目信息``…),
and introduce a total with different verbs. ``figure_specs`` builds its
patterns from these lists, so a new wording is added here and nowhere else.
``docs/prose-figures.md`` explains how the words decide a number's subject.
"""

from __future__ import annotations

from dataclasses import dataclass

from .template import LICENSING, OTHER, TOTAL


@dataclass(frozen=True)
class TradingCategory:
    """One category of trading notices of the data contract (``trading · notices · key``)."""

    key: str  # the contract's category key
    label: str  # Chinese label shown on pages and in messages
    synonyms: tuple[str, ...]  # every name reports give it (the label among them)


TRADING_CATEGORIES: tuple[TradingCategory, ...] = (
    TradingCategory(
        "engineering",
        "工程建设类",
        ("工程建设类", "建设工程", "工程建设项目", "建设工程招投标", "工程建设项目信息"),
    ),
    TradingCategory("government_procurement", "政府采购类", ("政府采购类", "政府采购", "政府采购信息")),
    TradingCategory(
        "land_and_mining_rights",
        "土地使用权和矿业权",
        ("土地使用权和矿业权", "土地矿业权", "地矿资源", "国有建设用地使用权出让", "矿业权"),
    ),
    TradingCategory("state_owned_assets", "国有产权交易类", ("国有产权交易类", "国有产权", "产权交易")),
    TradingCategory("other", "其他交易信息", ("其他交易信息", "其他交易", "综合交易")),
)

# Written after a category's name, before its number: 工程建设类信息 933条.
CATEGORY_SUFFIXES: tuple[str, ...] = ("类信息", "类", "信息")

# A trading total: an introducing verb, then (in the same clause) the notices' noun and
# the number (发布各类公共资源交易服务信息487988条), or, at a clause's start in a sentence
# that also gives a category's number, the verb and the number (…产权交易5条，合计1,287条).
TOTAL_INTROS: tuple[str, ...] = ("发布", "公开", "共计", "合计", "累计")
TOTAL_AFTER_INTROS: tuple[str, ...] = ("共计", "合计", "累计", TOTAL)
TRADING_NOUNS: tuple[str, ...] = ("交易信息", "交易服务信息", "交易公告", "交易项目信息")
# 交易 right after these is a category's name (其他交易信息), not the total's noun.
NOT_TOTAL_BEFORE_TRADING: tuple[str, ...] = (OTHER, "综合", "产权")

# A sentence about the disclosure of government information: a category named in it
# (其中政府采购信息120条) counts disclosed items, not trading notices.
DISCLOSURE_SUBJECTS: tuple[str, ...] = ("政府信息", "政务信息")

# Administrative approvals: what is received (受理审批服务事项2,214件) and the word a
# sentence needs for its 办结 / 办结率 to be the approvals'.
APPROVAL_ITEMS: tuple[str, ...] = ("行政审批", "审批服务", LICENSING, "政务服务")
APPROVAL_WORDS: tuple[str, ...] = ("审批",)
# 受理…申请 counts requests (政府信息公开申请), never approvals.
REQUEST_WORDS: tuple[str, ...] = ("申请",)

# The 12345 hotline: a sentence needs one of these for its 办结 / 办结率 to be the hotline's;
# a sentence about cases passed on to departments gives the transferred figures instead.
HOTLINE_WORDS: tuple[str, ...] = ("12345", "热线", "诉求")
TRANSFER_WORDS: tuple[str, ...] = ("转交", "转办")
# A satisfaction rate in a sentence with these is not the hotline's.
NOT_HOTLINE_SATISFACTION: tuple[str, ...] = ("审批", "好差评")


@dataclass(frozen=True)
class AgencyKind:
    """Agencies whose name contains a marker report these topics in their prose."""

    name: str
    markers: tuple[str, ...]
    topics: tuple[str, ...]


AGENCY_KINDS: tuple[AgencyKind, ...] = (
    AgencyKind(
        "政务服务和公共资源交易中心", ("交易", "政务服务", "行政审批"), ("trading", "approvals", "hotline")
    ),
)


def reported_topics(agency: str) -> frozenset[str]:
    """The topics an agency of its kind reports (empty for an agency of no declared kind)."""
    return frozenset(
        topic for kind in AGENCY_KINDS if any(m in agency for m in kind.markers) for topic in kind.topics
    )
