"""Test data for the ETL tests (and the ETL benchmark): everything is derived
from the seed report, ``data/reports/sichuan-center-2019.txt``, by exact text
edits, so each derived report differs from the seed only where a test says so.

Table cells in the seed are one per line behind a tab (``\\t0``); a blank cell
is a tab and a no-break space (``\\t\\xa0``). Table 三's seven cells of a row
follow the line of the row's own label.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"  # ../shared/corpus beside the project (CI has it)
TEST_DATA = ROOT / "tests" / "data"
SEED_NAME = "sichuan-center-2019.txt"
SEED_PATH = ROOT / "data" / "reports" / SEED_NAME
SEED_AGENCY = "四川省政务服务和资源交易服务中心"  # as its title prints it
SEED_UNIT = "四川省政务服务和公共资源交易服务中心"  # its official name, as data/units.toml files it
SEED_TITLE = "2019年四川省政务服务和资源交易服务中心政府信息公开工作年度报告"
BLANK = "\xa0"  # how the seed writes a blank cell

APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")

# Table 三's rows: row_code → (canonical label of the national format, the seed's own label).
T3_ROWS: dict[str, tuple[str, str]] = {
    "1": ("一、本年新收政府信息公开申请数量", "一、本年新收政府信息公开申请数量"),
    "2": ("二、上年结转政府信息公开申请数量", "二、上年结转政府信息公开申请数量"),
    "3.1": ("（一）予以公开", "（一）予以公开"),
    "3.2": (
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "（二）部分公开（区分处理的，自己这一情形，不计其他情形）",
    ),
    "3.3.1": ("1.属于国家秘密", "1.属于国家秘密"),
    "3.3.2": ("2.其他法律行政法规禁止公开", "2.其他法律行政法规禁止公开"),
    "3.3.3": ("3.危及“三安全一稳定”", "3.危及“三安全一稳定”"),
    "3.3.4": ("4.保护第三方合法权益", "4.保护第三方合法权益"),
    "3.3.5": ("5.属于三类内部事务信息", "5.属于三类内部事务信息"),
    "3.3.6": ("6.属于四类过程性信息", "6.属于四类过程性信息"),
    "3.3.7": ("7.属于行政执法案卷", "7.属于行政执法案卷"),
    "3.3.8": ("8.属于行政查询事项", "8.属于行政查询事项"),
    "3.4.1": ("1.本机关不掌握相关政府信息", "1.本机关不掌握相关政府信息"),
    "3.4.2": ("2.没有现成信息需要另行制作", "2.没有现成信息需要另行制作"),
    "3.4.3": ("3.补正后申请内容仍不明确", "3.补正后申请内容仍不明确"),
    "3.5.1": ("1.信访举报投诉类申请", "1.信访举报投诉类申请"),
    "3.5.2": ("2.重复申请", "2.重复申请"),
    "3.5.3": ("3.要求提供公开出版物", "3.要求提供公开出版物"),
    "3.5.4": ("4.无正当理由大量反复申请", "4.无正当理由大量反复申请"),
    "3.5.5": ("5.要求行政机关确认或重新出具已获取信息", "5.要求行政机关确认或重新出具已获取信息"),
    "3.6": ("（六）其他处理", "（六）其他处理"),
    "3.7": ("（七）总计", "（七）总计"),
    "4": ("四、结转下年度继续办理", "四、结转下年度继续办理"),
}
T3_PARENTS: dict[str, str | None] = {
    "1": None,
    "2": None,
    "3.1": "三、本年度办理结果",
    "3.2": "三、本年度办理结果",
    "3.6": "三、本年度办理结果",
    "3.7": "三、本年度办理结果",
    "4": None,
    **{f"3.3.{i}": "（三）不予公开" for i in range(1, 9)},
    **{f"3.4.{i}": "（四）无法提供" for i in range(1, 4)},
    **{f"3.5.{i}": "（五）不予处理" for i in range(1, 6)},
}


def seed_text() -> str:
    return SEED_PATH.read_text(encoding="utf-8")


def seed_bytes() -> bytes:
    return SEED_PATH.read_bytes()


def write(folder: Path, name: str, content: str | bytes) -> Path:
    """Write a report file (UTF-8 for text) and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def seed_database(tmp_path: Path) -> tuple[Path, Path]:
    """The seed in a reports folder, built into a database: (reports folder, db path)."""
    from etl import pipeline

    reports = tmp_path / "reports"
    write(reports, SEED_NAME, seed_bytes())
    db = tmp_path / "db" / "dashboard.duckdb"
    pipeline.build(reports, db)
    return reports, db


def query(db: Path, sql: str, params: list | None = None) -> list[dict]:
    """Rows of a query on a database file (opened read-only), as dicts."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        cur = con.execute(sql, params or [])
        columns = [d[0] for d in cur.description]
        return [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]
    finally:
        con.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_state(folder: Path) -> dict[str, str]:
    """Every file of a folder (hidden ones too) with its sha256: to prove nothing changed."""
    return {p.name: sha256(p) for p in sorted(folder.iterdir()) if p.is_file()}


def replace_once(text: str, old: str, new: str) -> str:
    """Replace ``old``, which must occur exactly once (so an edit never misses)."""
    count = text.count(old)
    if count != 1:
        raise AssertionError(f"expected exactly one {old!r} in the text, found {count}")
    return text.replace(old, new)


def set_title(text: str, year: int | None = None, agency: str | None = None) -> str:
    lines = text.split("\n")
    if lines[0] != SEED_TITLE:
        raise AssertionError(f"unexpected title line {lines[0]!r}")
    lines[0] = f"{year or 2019}年{agency or SEED_AGENCY}政府信息公开工作年度报告"
    return "\n".join(lines)


def _cell(value: float | int | str | None) -> str:
    return "\t" + (BLANK if value is None else str(value))


def set_t3_row(text: str, row_code: str, values: list[int | str | None]) -> str:
    """Set the seven cells (自然人 … 总计) of one row of table 三; None is a blank cell."""
    if len(values) != len(APPLICANTS):
        raise AssertionError("a row of table 三 has seven cells")
    lines = text.split("\n")
    start = lines.index("三、收到和处理政府信息公开申请情况")
    label_line = lines.index("\t" + T3_ROWS[row_code][1], start)
    for i, value in enumerate(values, start=1):
        if not lines[label_line + i].startswith("\t"):
            raise AssertionError(f"row {row_code}: line {label_line + i + 1} is not a cell")
        lines[label_line + i] = _cell(value)
    return "\n".join(lines)


def set_t4(text: str, values: list[int | str | None]) -> str:
    """Set the fifteen cells of table 四 (the last fifteen cell lines before section 五)."""
    lines = text.split("\n")
    end = lines.index("五、存在的主要问题及改进情况")
    cell_lines = [
        i
        for i in range(lines.index("四、政府信息公开行政复议、行政诉讼情况"), end)
        if lines[i].startswith("\t")
    ]
    for i, value in zip(cell_lines[-15:], values, strict=True):
        lines[i] = _cell(value)
    return "\n".join(lines)


# --- The 2020 report ------------------------------------------------------------


@dataclass(frozen=True)
class Figures2020:
    """The prose figures of the derived 2020 report (the seed's where not listed)."""

    trading_total: int = 510000
    engineering: int = 280000
    procurement: int = 120000
    land: int = 20000
    state_assets: int = 40000
    other: int = 50000
    hotline_total: int = 450000
    phone: int = 170000
    online: int = 280000
    direct: int = 429000
    transferred_completed: int = 20000
    completion_rate: str = "95.24"  # 20000 / 21000 = 95.238…
    visits: int = 3000000


FIGURES_2020 = Figures2020()

# Prose edits of the 2020 report: (text in the seed, text in 2020).
PROSE_2020: tuple[tuple[str, str], ...] = (
    ("信息487988条", f"信息{FIGURES_2020.trading_total}条"),
    ("工程建设类272064条", f"工程建设类{FIGURES_2020.engineering}条"),
    ("政府采购类119172条", f"政府采购类{FIGURES_2020.procurement}条"),
    ("矿业权16236条", f"矿业权{FIGURES_2020.land}条"),
    ("国有产权交易类36384条", f"国有产权交易类{FIGURES_2020.state_assets}条"),
    ("其他交易信息44045条", f"其他交易信息{FIGURES_2020.other}条"),
    ("诉求432442件", f"诉求{FIGURES_2020.hotline_total}件"),
    ("热线电话167041件", f"热线电话{FIGURES_2020.phone}件"),
    ("客户端留言265401条", f"客户端留言{FIGURES_2020.online}条"),
    ("直接办理411442件", f"直接办理{FIGURES_2020.direct}件"),
    ("已办结19267件", f"已办结{FIGURES_2020.transferred_completed}件"),
    ("办结率为91.75%", f"办结率为{FIGURES_2020.completion_rate}%"),
    ("多达2744958次", f"多达{FIGURES_2020.visits}次"),
)


def report_2020(carried_in: int = 0, agency: str | None = None) -> str:
    """The seed as the centre's 2020 report, with figures that are all consistent.

    Table 三: 3 requests from 自然人 this year plus ``carried_in`` carried over
    from 2019 (上年结转); 3 answered (2 予以公开, 1 本机关不掌握); the carried-in
    ones are carried on to 2021 (结转下年度), so every within-report check
    passes. The seed's 2019 结转下年度 is 0 (自然人, 总计) and blank (others), so
    the across-years check ``x.carryover`` passes for ``carried_in=0`` and fails
    for 自然人 and 总计 otherwise. Table 四 is all 0 (the seed's 1 is gone).
    """
    text = set_title(seed_text(), 2020, agency)
    for old, new in PROSE_2020:
        text = replace_once(text, old, new)
    blanks = [None] * 5
    text = set_t3_row(text, "1", [3, *blanks, 3])
    text = set_t3_row(text, "2", [carried_in, *blanks, carried_in])
    text = set_t3_row(text, "3.1", [2, *blanks, 2])
    text = set_t3_row(text, "3.4.1", [1, *blanks, 1])
    text = set_t3_row(text, "3.7", [3, *blanks, 3])
    text = set_t3_row(text, "4", [carried_in, *blanks, carried_in])
    return set_t4(text, [0] * 15)


# --- Bad reports -----------------------------------------------------------------


def truncated_in_table3() -> str:
    """The seed cut in the middle of a row of table 三 (after 3 of 7 cells of 1.属于国家秘密)."""
    lines = seed_text().split("\n")
    label = lines.index("\t1.属于国家秘密")
    return "\n".join(lines[: label + 4]) + "\n"


def without_table4() -> str:
    """The seed with section 四 (heading and table) removed."""
    lines = seed_text().split("\n")
    start = lines.index("四、政府信息公开行政复议、行政诉讼情况")
    end = lines.index("五、存在的主要问题及改进情况")
    return "\n".join(lines[:start] + lines[end:])


NOT_A_REPORT = (
    "关于召开2020年春季运动会的通知\n\n各部门：\n"
    "经研究，定于4月20日举行春季运动会，请各部门于4月10日前报送参赛名单。\n\n"
    "一、比赛项目\n田径、拔河。\n二、其他事项\n请准时参加。\n"
)

BINARY = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8


def bad_reports() -> dict[str, bytes]:
    """File name → content of each kind of file the ETL must refuse."""
    return {
        "empty-2021.txt": b"",
        "binary-2021.txt": BINARY,
        "notice-2021.txt": NOT_A_REPORT.encode("utf-8"),
        "truncated-2021.txt": truncated_in_table3().encode("utf-8"),
        "no-table4-2021.txt": without_table4().encode("utf-8"),
    }


# --- Many reports (benchmark) ------------------------------------------------------

# Every prose number of the seed's section 一 that a figure is read from.
_PROSE_NUMBERS: tuple[tuple[str, str], ...] = (
    ("多达", "2744958次"),
    ("信息", "487988条"),
    ("工程建设类", "272064条"),
    ("政府采购类", "119172条"),
    ("矿业权", "16236条"),
    ("国有产权交易类", "36384条"),
    ("其他交易信息", "44045条"),
    ("（含公共服务事项）", "165037件"),
    ("办结", "60593件"),
    ("诉求", "432442件"),
    ("小程序留言", "104件"),
    ("国家政务服务平台留言", "158件"),
    ("热线电话", "167041件"),
    ("客户端留言", "265401条"),
    ("直接办理", "411442件"),
    ("办理", "21000件"),
    ("已办结", "19267件"),
    ("回访", "19999件"),
)


def varied_report(index: int, rng: random.Random, agencies: int = 200, first_year: int = 2016) -> str:
    """The seed with another agency name, year, prose figures and table 三 cells.

    ``index`` picks a unique (agency, year): agency ``index % agencies``, year
    ``first_year + index // agencies``.
    """
    agency = f"测试市第{index % agencies + 1}政务服务和资源交易服务中心"
    text = set_title(seed_text(), first_year + index // agencies, agency)
    for before, number in _PROSE_NUMBERS:
        unit = number[-1]
        text = replace_once(text, before + number, f"{before}{rng.randint(1, 999999)}{unit}")
    text = replace_once(text, "办结率为91.75%", f"办结率为{rng.randint(5000, 9999) / 100}%")
    for code in ("1", "2", "3.1", "3.4.1", "3.7", "4"):
        cells = [rng.choice([None, 0, rng.randint(0, 50)]) for _ in range(6)]
        cells.append(sum(c or 0 for c in cells))
        text = set_t3_row(text, code, cells)
    return text
