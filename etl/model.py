"""What a parsed report is: plain dataclasses, one per database table."""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields


def fast_init(cls: type) -> type:
    """A frozen dataclass whose ``__init__`` writes the fields straight into the instance's
    ``__dict__``: the same record (immutable, hashable, equal by value), built about twice as
    fast. A frozen dataclass's own ``__init__`` goes through ``object.__setattr__`` once per
    field, and a build creates a few hundred records per report (one per table cell and check):
    a measurable share of a build's time. Decorate on top of ``@dataclass(frozen=True)``."""
    names = [f.name for f in fields(cls)]
    defaults = {f.name: f.default for f in fields(cls) if f.default is not MISSING}
    params = ", ".join(f"{n}=_default_{n}" if n in defaults else n for n in names)
    assert "_d" not in names  # the local name of the instance's __dict__ below
    body = "".join(f"    _d[{n!r}] = {n}\n" for n in names)
    namespace = {f"_default_{n}": v for n, v in defaults.items()}
    exec(f"def __init__(self, {params}):\n    _d = self.__dict__\n{body}", namespace)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init  # type: ignore[misc]
    return cls


@dataclass(frozen=True)
class Problem:
    """One reason a file cannot be loaded, with the place it was found."""

    file: str
    place: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}：{self.place}：{self.reason}"


class ReportError(Exception):
    """The project's own error: a report that cannot be read or loaded.

    It carries every problem found, each naming the file and the place, so an
    official can fix them all at once; it is never a traceback.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@fast_init
@dataclass(frozen=True)
class Figure:
    topic: str
    metric: str
    category: str
    value: float
    unit: str
    approx: bool
    evidence: str
    raw_text: str  # the number as written, with bound word and unit: "1230余篇", "85.51 %"
    section: str
    source_line: int


@fast_init
@dataclass(frozen=True)
class DisclosureCell:
    item: str
    content: str
    measure: str
    value: float | None
    raw_content: str
    raw_measure: str
    raw_value: str | None
    item_order: int
    row_order: int
    col_order: int
    source_line: int


@fast_init
@dataclass(frozen=True)
class RequestCell:
    row_code: str
    row_label: str
    parent_label: str | None
    applicant: str
    value: float | None
    raw_label: str
    raw_value: str | None
    row_order: int
    col_order: int
    source_line: int


@fast_init
@dataclass(frozen=True)
class ReviewCell:
    proceeding: str
    outcome: str
    value: float | None
    raw_value: str | None
    col_order: int
    source_line: int


@fast_init
@dataclass(frozen=True)
class TextItem:
    kind: str
    seq: int
    text: str
    section: str


@dataclass(frozen=True)
class Unplaced:
    """A table cell the parser could not place in the national template.

    Not loaded (it has no canonical row or column); listed to officials by
    ``etl check`` and the import preview so nothing is silently dropped."""

    table: str  # 二, 三 or 四
    line: int  # source line / block ordinal of the cell
    row_text: str  # the row's label as printed ("" when none)
    column_text: str  # the column's header as printed ("" when none)
    text: str  # the cell's text as printed
    reason: str  # why it was not placed, in Chinese


@fast_init
@dataclass(frozen=True)
class UnmatchedSentence:
    """A sentence of the prose with a number that no figure spec read: listed to officials."""

    section: str
    line: int
    text: str


ERROR, WARNING = "error", "warning"  # a check's severity: see Check.contradiction


@fast_init
@dataclass(frozen=True)
class Check:
    check_id: str
    description: str
    expected: float | None
    actual: float | None
    passed: bool | None  # None: not assessable
    evidence: str
    kind: str = "within"  # within one report, or across years
    severity: str = ERROR

    @property
    def contradiction(self) -> bool:
        """Failed, and an error: the report contradicts itself."""
        return self.passed is False and self.severity != WARNING

    @property
    def scope_difference(self) -> bool:
        """Failed, but a warning: prose and table may count in different scopes."""
        return self.passed is False and self.severity == WARNING


@dataclass
class Report:
    agency: str
    year: int
    title: str
    template: str
    source_file: str
    source_sha256: str
    figures: list[Figure] = field(default_factory=list)
    active_disclosure: list[DisclosureCell] = field(default_factory=list)
    foi_requests: list[RequestCell] = field(default_factory=list)
    review_litigation: list[ReviewCell] = field(default_factory=list)
    texts: list[TextItem] = field(default_factory=list)
    missing_figures: list[tuple[str, str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Where agency and year came from: "title" (read from the report) or "supplied" (given by an official).
    agency_source: str = "title"
    year_source: str = "title"
    unit_id: str | None = None  # the agency's unit in the registry (set when the build files it)
    source_url: str | None = None  # where a fetched report was published (etl fetch)
    # Coverage for officials (never loaded as figures): what the parser saw but could not place.
    unplaced_cells: list[Unplaced] = field(default_factory=list)
    unmatched_sentences: list[UnmatchedSentence] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)

    @property
    def report_id(self) -> str:
        """Stable id: the source file's stem (unique inside ``data/reports``)."""
        stem = self.source_file.rsplit("/", 1)[-1]
        return stem.rsplit(".", 1)[0] if "." in stem else stem

    def figure(self, metric: str, category: str, topic: str | None = None) -> Figure | None:
        for f in self.figures:
            if f.metric == metric and f.category == category and (topic in (None, f.topic)):
                return f
        return None
