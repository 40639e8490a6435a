"""The disclosure figures any agency's prose states (topic ``foi``), declared as data.

Governments and departments state, in sections 一 and 六, figures that the tables
also hold in part: information proactively disclosed, policy interpretations,
normative documents, requests received / completed / carried, reviews and
lawsuits, fees. Each figure is declared once here (``FigureDef``: its key, Chinese
label, unit and meaning); its wordings are ``FigureSpec``s built from the words of
``vocabulary`` (the subject guard: a number is the figure's only when its clause's
subject is). ``docs/prose-figures.md`` explains the rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from .spec_base import FigureSpec, any_of
from .vocabulary import (
    CARRY_WORDS,
    CASE_UNITS,
    CHANNELS,
    COMPLETE_VERBS,
    DISCLOSURE_CONTEXT,
    DOCUMENT_ISSUE_VERBS,
    DOCUMENT_NOUNS,
    FEE_CONTEXT,
    FEE_NOUNS,
    INTERPRETATION_NOUNS,
    INTERPRETATION_UNITS,
    NO_FEE_NOUNS,
    NO_FEE_VERBS,
    NONE_HAPPENED,
    NOT_INTERPRETATION_CLAUSE,
    NOT_ISSUED_CLAUSE,
    NOT_PROACTIVE_BEFORE,
    NOT_PROACTIVE_CLAUSE,
    NOT_REQUEST_CLAUSE,
    NOT_REQUEST_TOTAL_CLAUSE,
    OTHER_CHANNELS,
    PROACTIVE_BARE_VERBS,
    PROACTIVE_VERBS,
    RECEIVE_VERBS,
    REQUEST_SUBJECTS,
)


@dataclass(frozen=True)
class FigureDef:
    """One figure of the contract: its key, Chinese label, unit and meaning (for the dictionary)."""

    topic: str
    metric: str
    category: str
    label: str
    unit: str
    meaning: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.topic, self.metric, self.category)


_CHANNEL_LABELS = {"website": "网站", "new_media": "政务新媒体", "gazette": "政府公报"}

FOI_FIGURES: tuple[FigureDef, ...] = (
    FigureDef("foi", "proactive_disclosed", "total", "主动公开政府信息", "条",
              "proactively disclosed items, no single channel named (主动公开政府信息13561条); "
              "the unit as printed (条, 篇 or 件)"),
    *(
        FigureDef("foi", "proactive_disclosed", key, f"主动公开政府信息（{label}）", "条",
                  f"items disclosed through one channel named right before the verb ({label})")
        for key, label in _CHANNEL_LABELS.items()
    ),
    FigureDef("foi", "policy_interpretations", "total", "政策解读", "篇",
              "policy interpretations published or made (政策解读117篇); the unit as printed "
              "(篇, 个, 次, 条…)"),
    FigureDef("foi", "normative_documents", "issued", "制发规范性文件", "件",
              "(administrative) normative documents issued (制发/印发); ↔ table 二 本年制发件数"),
    FigureDef("foi", "normative_documents", "repealed", "废止规范性文件", "件",
              "normative documents repealed (废止); ↔ table 二 本年废止件数"),
    FigureDef("foi", "requests", "received", "受理政府信息公开申请", "件",
              "disclosure requests received (受理/收到/接收/新收); ↔ table 三 row 一 总计"),
    FigureDef("foi", "requests", "completed", "办结（答复）政府信息公开申请", "件",
              "requests completed or answered (办结/答复); ↔ table 三 （七）总计"),
    FigureDef("foi", "requests", "carried_in", "上年结转政府信息公开申请", "件",
              "requests carried in from the previous year; ↔ table 三 row 二"),
    FigureDef("foi", "requests", "carried_over", "结转下年度政府信息公开申请", "件",
              "requests carried over to the next year (结转/顺延); ↔ table 三 row 四"),
    FigureDef("foi", "reviews", "total", "政府信息公开行政复议", "件",
              "administrative reviews over disclosure (a stated 未发生 is 0); ↔ table 四 行政复议 总计"),
    FigureDef("foi", "lawsuits", "total", "政府信息公开行政诉讼", "件",
              "lawsuits over disclosure (a stated 未发生 is 0); ↔ table 四 two 行政诉讼 总计 summed"),
    FigureDef("foi", "fees", "total", "收取信息处理费", "元",
              "information-processing fees charged, in 元 (万元 multiplied; 未收取 is 0)"),
)  # fmt: skip
_DEF = {d.key: d for d in FOI_FIGURES}

# Families (for applicability and the bench): a foi metric → its family.
FOI_FAMILIES: dict[str, str] = {
    "proactive_disclosed": "proactive_disclosed",
    "policy_interpretations": "policy_interpretations",
    "normative_documents": "normative_documents",
    "requests": "requests",
    "reviews": "reviews_lawsuits",
    "lawsuits": "reviews_lawsuits",
    "fees": "fees",
}


def _spec(key: tuple[str, str, str], pattern: str, **kw) -> FigureSpec:
    d = _DEF[key]
    # Any agency's disclosure figures are optional: the national template puts them in the
    # tables; a report need not restate them in prose, so none is ever listed as missing.
    return FigureSpec(d.topic, d.metric, d.category, d.unit, pattern, label=d.label, optional=True, **kw)


def _not_after(words: tuple[str, ...]) -> str:
    return "".join(f"(?<!{w})" for w in words)


# After a noun, before its number: 共计, 为, 达…
_TO_N = r"\s*+(?:共计|合计|总计|累计|共|为|达)?\s*+{N}\s*+"
# A number-first pattern starts only at a number's first digit (or its bound word): tried
# anywhere else, {N}'s run of spaces would be scanned again from every space (quadratic).
_NOT_DIGIT_BEFORE = r"(?<![\d.,])(?=[\d约近超])"
_NUM_END = "(?P<numend>)"  # in a number-first pattern: where the number as written ends

# --- Proactive disclosure ------------------------------------------------------------
_VERB = f"{_not_after(NOT_PROACTIVE_BEFORE)}{any_of(PROACTIVE_VERBS)}"
_TAIL = _TO_N + "(?P<unit>[条篇件])"
_DISCLOSED = f"(?:{_VERB}(?:各类|各项)?(?:政府|政务)信息|{any_of(PROACTIVE_BARE_VERBS)}(?:各类)?信息){_TAIL}"
# After a channel, 发布信息 alone is that channel's disclosed information (通过政务新媒体发布信息1,204条).
_CHANNEL_DISCLOSED = (
    f"(?:{_VERB}(?:各类|各项)?(?:政府|政务)?信息|{any_of(PROACTIVE_BARE_VERBS)}(?:各类)?信息){_TAIL}"
)
_ALL_CHANNELS = tuple(w for words in CHANNELS.values() for w in words)
_ONE_CHANNEL_GAP = "[^，。；、和及与等]{0,12}?"
# A single channel governing the verb (网站主动公开…): the number is that channel's.
_ONE_CHANNEL = any_of(_ALL_CHANNELS + OTHER_CHANNELS) + _ONE_CHANNEL_GAP + any_of(PROACTIVE_VERBS)
_PROACTIVE_SPECS = (
    _spec(("foi", "proactive_disclosed", "total"), _DISCLOSED,
          clause_block=f"{_ONE_CHANNEL}|{any_of(NOT_PROACTIVE_CLAUSE)}"),
    *(
        _spec(("foi", "proactive_disclosed", channel), any_of(words) + _ONE_CHANNEL_GAP + _CHANNEL_DISCLOSED,
              clause_block=any_of(tuple(w for w in _ALL_CHANNELS + OTHER_CHANNELS if w not in words)
                                  + NOT_PROACTIVE_CLAUSE))
        for channel, words in CHANNELS.items()
    ),
)  # fmt: skip

# --- Policy interpretations ------------------------------------------------------------
_I_UNIT = f"(?P<unit>{any_of(INTERPRETATION_UNITS)})"
_I_NOUN = any_of(INTERPRETATION_NOUNS)
_INTERPRETATION_SPECS = tuple(
    _spec(("foi", "policy_interpretations", "total"), pattern,
          clause_block=any_of(NOT_INTERPRETATION_CLAUSE))
    for pattern in (
        f"政策解读{_I_NOUN}?{_TO_N}{_I_UNIT}",  # 发布政策解读材料31篇, 开展政策解读23次
        f"解读{_I_NOUN}(?:发布|制作)?{_TO_N}{_I_UNIT}",  # 解读信息发布7条, …解读产品45个
        rf"{_NOT_DIGIT_BEFORE}{{N}}\s*+{_I_UNIT}{_NUM_END}(?:各类)?政策解读",  # 发布31篇政策解读
    )
)  # fmt: skip

# --- Normative documents ----------------------------------------------------------------
_DOCS = any_of(DOCUMENT_NOUNS)
_DOCUMENT_SPECS = (
    _spec(("foi", "normative_documents", "issued"),
          f"{any_of(DOCUMENT_ISSUE_VERBS)}(?:各类)?{_DOCS}{_TO_N}件",
          clause_block=any_of(NOT_ISSUED_CLAUSE)),
    _spec(("foi", "normative_documents", "issued"),
          rf"{any_of(DOCUMENT_ISSUE_VERBS)}\s*+{{N}}\s*+件{_NUM_END}{_DOCS}",
          clause_block=any_of(NOT_ISSUED_CLAUSE)),
    _spec(("foi", "normative_documents", "repealed"), f"废止{_DOCS}?{_TO_N}件",
          anchor=_DOCS, block="规章|政策性文件"),
)  # fmt: skip

# --- Requests ---------------------------------------------------------------------------
_REQUEST_SENTENCE = any_of(REQUEST_SUBJECTS)
_NOT_REQUEST = any_of(NOT_REQUEST_CLAUSE)
_NOT_TOTAL = any_of(NOT_REQUEST_TOTAL_CLAUSE)
_NEXT_YEAR = "(?:至|到)?下(?:一)?(?:个)?年度?"
_REQUEST_SPECS = (
    _spec(("foi", "requests", "received"),
          # only the request's own words between the verb and 申请 (受理低保申请12件 is no request)
          f"{any_of(RECEIVE_VERBS)}共?(?:各类)?(?:[^，。；]{{0,12}}?(?:信息公开|政府信息))?依?申请(?:公开)?(?:事项)?"
          f"{_TO_N}件",
          anchor=_REQUEST_SENTENCE,
          clause_block=f"{_NOT_REQUEST}|{_NOT_TOTAL}|{any_of(CARRY_WORDS)}"),
    _spec(("foi", "requests", "completed"),
          # the number right after the verb, or after the requests named (办结政府信息公开申请148件)
          f"{any_of(COMPLETE_VERBS)}(?:[^，。；（()\\d]{{0,10}}?申请(?:公开)?(?:事项)?)?{_TO_N}件",
          anchor=_REQUEST_SENTENCE,
          clause_block=f"{_NOT_REQUEST}|{_NOT_TOTAL}|{any_of(CARRY_WORDS)}"),
    _spec(("foi", "requests", "carried_in"),
          f"上(?:一)?年度?结转(?:的)?(?:政府信息公开)?(?:申请)?{_TO_N}件",
          anchor=_REQUEST_SENTENCE, clause_block=_NOT_REQUEST),
    _spec(("foi", "requests", "carried_over"),
          f"{any_of(CARRY_WORDS)}{_NEXT_YEAR}(?:继续)?(?:办理|答复|处理)?(?:的)?(?:申请)?{_TO_N}件",
          anchor=_REQUEST_SENTENCE, clause_block=_NOT_REQUEST),
    _spec(("foi", "requests", "carried_over"),
          rf"{_NOT_DIGIT_BEFORE}{{N}}\s*+件{_NUM_END}(?:申请)?{any_of(CARRY_WORDS)}{_NEXT_YEAR}",
          anchor=_REQUEST_SENTENCE, clause_block=_NOT_REQUEST),
)  # fmt: skip

# --- Reviews and lawsuits ----------------------------------------------------------------
# Words of an outcome (行政复议被纠错2件) or of the body that handles cases (办理行政复议案件215件).
_OUTCOME_WORDS = "维持|纠正|纠错|撤销|尚未|审结|败诉|胜诉|确认违法|办理|审理|受理|应诉|承办|代理"
_STATED_NONE_END = "(?=[、和及与或，。；!?！？]|$|情况|事项)"


def _case_specs(metric: str, proceeding: str) -> tuple[FigureSpec, ...]:
    key = ("foi", metric, "total")
    context = any_of(DISCLOSURE_CONTEXT)
    return (
        # disclosure named before the proceeding, in the same clause or the one before
        # (因政府信息公开被申请行政复议36起，行政诉讼9起): 全年办理行政复议案件215件 is another subject
        _spec(key, f"{context}[^。；]{{0,24}}?{proceeding}(?:案件|申请)?{_TO_N}{any_of(CASE_UNITS)}",
              clause_block=_OUTCOME_WORDS),
        # a stated zero: 未发生因政府信息公开引起的行政复议、行政诉讼
        _spec(key, f"{any_of(NONE_HAPPENED)}[^，。；\\d]{{0,24}}?{proceeding}(?:案件|申请)?{_STATED_NONE_END}",
              anchor=context),
    )  # fmt: skip


_CASE_SPECS = _case_specs("reviews", "行政复议") + _case_specs("lawsuits", "行政诉讼")

# --- Fees ---------------------------------------------------------------------------------
_FEE_SPECS = (
    _spec(("foi", "fees", "total"), f"{any_of(FEE_NOUNS)}(?:用)?{_TO_N}元",
          anchor=any_of(FEE_CONTEXT), sections=("一", "六")),
    _spec(("foi", "fees", "total"), f"{any_of(NO_FEE_VERBS)}[^，。；\\d]{{0,12}}?{any_of(NO_FEE_NOUNS)}",
          anchor=any_of(FEE_CONTEXT), sections=("一", "六")),
)  # fmt: skip

FOI_SPECS: tuple[FigureSpec, ...] = (
    *_PROACTIVE_SPECS,
    *_INTERPRETATION_SPECS,
    *_DOCUMENT_SPECS,
    *_REQUEST_SPECS,
    *_CASE_SPECS,
    *_FEE_SPECS,
)
