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
CATEGORY_SUFFIXES: tuple[str, ...] = ("类信息", "类", "信息", "交易信息")

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
    AgencyKind("12345热线", ("12345", "热线"), ("hotline",)),
)


def reported_topics(agency: str) -> frozenset[str]:
    """The topics an agency of its kind reports (empty for an agency of no declared kind)."""
    return frozenset(
        topic for kind in AGENCY_KINDS if any(m in agency for m in kind.markers) for topic in kind.topics
    )


# --- Any agency's prose: the disclosure figures (topic ``foi``) -----------------------
# Each list decides a number's subject: a number is a disclosure figure only when one of
# these words is its clause's subject (docs/prose-figures.md, "Disclosure figures").

# Proactive disclosure: the verb, then the information disclosed (政府信息, 政务信息).
PROACTIVE_VERBS: tuple[str, ...] = ("主动公开", "主动发布", "公开", "发布")
# 信息 alone is disclosed information only after these (累计公开信息986条).
PROACTIVE_BARE_VERBS: tuple[str, ...] = ("主动公开", "主动发布", "累计公开", "累计发布", "共公开", "共发布")
# 公开 right after these is a request's answer (依申请公开, 予以公开), not proactive disclosure.
NOT_PROACTIVE_BEFORE: tuple[str, ...] = ("申请", "予以", "不予", "部分")
# A channel named right before the verb makes the number that channel's, not the total.
CHANNELS: dict[str, tuple[str, ...]] = {
    "website": ("网站",),
    "new_media": ("政务新媒体", "新媒体", "微信公众号", "微信", "微博", "抖音", "客户端", "政务号"),
    "gazette": ("政府公报", "公报"),
}
# Channels with no category of their own: a number through them is neither the total nor a channel's.
OTHER_CHANNELS: tuple[str, ...] = (
    "公开栏",
    "公示栏",
    "电子屏",
    "档案馆",
    "图书馆",
    "查阅点",
    "新闻发布会",
    "报纸",
    "电视",
)
# In the clause of a proactive-disclosure number, these change its subject.
NOT_PROACTIVE_CLAUSE: tuple[str, ...] = ("申请", "新闻", "报送", "转载", "访问", "浏览", "点击", "交易信息")

# Policy interpretations: 政策解读 (or 解读 with one of these nouns) and its count.
INTERPRETATION_NOUNS: tuple[str, ...] = ("材料", "文章", "稿件", "信息", "产品", "文件")
INTERPRETATION_UNITS: tuple[str, ...] = ("篇", "个", "次", "条", "期", "件", "份")
NOT_INTERPRETATION_CLAUSE: tuple[str, ...] = (
    "访问",
    "浏览",
    "点击",
    "阅读量",
    "转发",
    "占比",
    "专栏",
    "培训",
)

# Normative documents: issued by one of these verbs; a clause with the others counts something else.
DOCUMENT_NOUNS: tuple[str, ...] = ("行政规范性文件", "规范性文件")
DOCUMENT_ISSUE_VERBS: tuple[str, ...] = ("制发", "印发", "出台", "制定", "新制发", "发布")
NOT_ISSUED_CLAUSE: tuple[str, ...] = (
    "清理",
    "废止",
    "备案",
    "审查",
    "现行有效",
    "征求",
    "解读",
    "修改",
    "修订",
)

# Disclosure requests: a sentence about them names one of these.
REQUEST_SUBJECTS: tuple[str, ...] = ("信息公开申请", "依申请", "公开申请")
RECEIVE_VERBS: tuple[str, ...] = ("受理", "收到", "接收", "新收")
COMPLETE_VERBS: tuple[str, ...] = ("办结", "答复", "办理完毕", "完成答复")
CARRY_WORDS: tuple[str, ...] = ("结转", "顺延", "转入")
# In a request figure's clause, these make it another count: a part (其中…), another
# proceeding, another kind of request or case.
NOT_REQUEST_CLAUSE: tuple[str, ...] = (
    "复议", "诉讼", "诉求", "热线", "12345", "审批", "许可", "建议", "提案", "信访", "转办",
    "咨询", "留言", "来信", "来电", "网民",
)  # fmt: skip
NOT_REQUEST_TOTAL_CLAUSE: tuple[str, ...] = (
    "其中",
    "当场",
    "延期",
    "逾期",
    "按时",
    "不予",
    "部分",
    "无法",
    "予以",
)

# Reviews and lawsuits over disclosure: a sentence needs one of these to be about disclosure.
DISCLOSURE_CONTEXT: tuple[str, ...] = ("信息公开", "依申请", "公开申请")
CASE_UNITS: tuple[str, ...] = ("件", "起", "宗", "个")
# A stated zero: 未发生因政府信息公开引起的行政复议、行政诉讼.
NONE_HAPPENED: tuple[str, ...] = ("未发生", "没有发生", "未出现", "未产生", "无一起", "未收到", "没有收到")

# Fees for information processing.
FEE_NOUNS: tuple[str, ...] = ("信息处理费", "处理费")
FEE_CONTEXT: tuple[str, ...] = ("信息处理费", "信息公开", "依申请")
NO_FEE_VERBS: tuple[str, ...] = ("未收取", "没有收取", "未向申请人收取")
NO_FEE_NOUNS: tuple[str, ...] = ("信息处理费", "任何费用", "费用")

# A satisfaction rate is the hotline's only in a sentence with a hotline word or its callbacks,
# and never beside these (人大代表建议和政协提案办理满意率100%).
HOTLINE_SATISFACTION_WORDS: tuple[str, ...] = (*HOTLINE_WORDS, "回访", "工单")
NOT_HOTLINE_SATISFACTION_CLAUSE: tuple[str, ...] = ("建议", "提案", "议案", "好评", "培训", "测评", "考核")
# A visit count of a page or column is not the website's.
NOT_WEBSITE_VISITS_CLAUSE: tuple[str, ...] = ("专栏", "栏目", "专题", "页面", "解读")
