"""The prose figures of the centre's reports, declared as data.

Each spec names a figure of ``data-contract.md`` (topic · metric · category),
its unit, and the pattern that finds it in one sentence of section 一.
``{N}`` stands for a number with an optional bound (``约``, ``余``…). A
sentence must also contain ``anchor`` when one is given. The first sentence
that matches is the figure's evidence.

Patterns must run in linear time on any sentence (a file may hold a 1 MB line):
runs of spaces are possessive (``\\s*+``), and a gap between two words is either
bounded (``[^，。；]{0,12}?``) or, when unbounded, tried once per clause.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FigureSpec:
    topic: str
    metric: str
    category: str
    unit: str
    pattern: str
    anchor: str | None = None
    label: str = ""  # Chinese name for pages and messages


FIGURE_SPECS: tuple[FigureSpec, ...] = (
    FigureSpec("trading", "notices", "total", "条",
               # 发布…交易…信息N条 within one clause (no 。，； and, in a sentence, no ！？ before its
               # end), written so that it runs in linear time: tried once per clause, from the
               # clause's first 发布 and its first 交易 after that (a later 发布 or 交易 could only
               # find fewer 信息N条 after it).
               r"(?<![^。，；！？!?])(?>[^。，；！？!?发]*+(?:发(?!布)[^。，；！？!?发]*+)*+)"
               r"发布(?>[^。，；]*?交易)[^。，；]*?信息\s*+{N}\s*+条", label="交易信息总数"),
    FigureSpec("trading", "notices", "engineering", "条",
               r"工程建设(?:项目)?类?\s*+{N}\s*+条", label="工程建设类"),
    FigureSpec("trading", "notices", "government_procurement", "条",
               r"政府采购类?\s*+{N}\s*+条", label="政府采购类"),
    FigureSpec("trading", "notices", "land_and_mining_rights", "条",
               r"土地[^，。；、]{0,12}?矿业权类?\s*+{N}\s*+条", label="土地使用权和矿业权"),
    FigureSpec("trading", "notices", "state_owned_assets", "条",
               r"国有产权(?:交易)?类?\s*+{N}\s*+条", label="国有产权交易类"),
    FigureSpec("trading", "notices", "other", "条",
               r"其他交易(?:信息|类)?\s*+{N}\s*+条", label="其他交易信息"),
    FigureSpec("approvals", "items", "received", "件",
               r"受理行政审批事项(?:[（(][^）)]{0,20}[）)])?\s*+{N}\s*+件", label="受理行政审批事项"),
    FigureSpec("approvals", "items", "completed", "件",
               r"办结\s*+{N}\s*+件", anchor="行政审批", label="办结行政审批事项"),
    FigureSpec("hotline", "cases", "total", "件",
               r"受理(?:群众)?诉求\s*+{N}\s*+件", label="12345受理群众诉求"),
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
               r"已办结\s*+{N}\s*+件", label="转办已办结"),
    FigureSpec("hotline", "rate", "transferred_completion", "%",
               r"办结率为?\s*+{N}\s*+%", label="转办办结率"),
    FigureSpec("hotline", "callbacks", "total", "件",
               r"回访\s*+{N}\s*+件", label="电话回访"),
    FigureSpec("hotline", "rate", "satisfaction", "%",
               r"满意率为?\s*+{N}\s*+%", label="群众满意率"),
    FigureSpec("website", "visits", "total", "次",
               r"访问量[^，。；]{0,8}?\s*+{N}\s*+次", label="网站访问量"),
    FigureSpec("publicity", "news_articles", "total", "篇",
               r"新闻信息\s*+{N}\s*+篇", label="发布新闻信息"),
    # Any agency's prose: "全区受理政府信息公开申请 21 件", "区政府办代表区政府受理政府信息公开申请
    # 17 件". Compared with table 三's 本年新收 as a scope warning (checks.scope_checks).
    FigureSpec("foi", "requests", "received", "件",
               r"(?:受理|收到|接收)[^，。；]{0,16}?信息公开申请\s*+(?:共\s*+)?{N}\s*+件",
               label="受理政府信息公开申请"),
)  # fmt: skip

# The hotline's dissatisfaction topics: "不满意主要涉及：A；B；C等。"
DISSATISFACTION = r"不满意(?:的)?(?:主要|问题)?(?:涉及|集中在|包括)\s*[:：]?\s*(?P<list>[^。]+)"

FIGURE_LABELS: dict[tuple[str, str, str], str] = {
    (s.topic, s.metric, s.category): s.label for s in FIGURE_SPECS
}
