"""``python -m etl build | check | add | fetch``: plain-word messages, never a traceback."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import dictionary, publish, review, store
from .checks import reason_of
from .fetch.cli import add_arguments as fetch_arguments
from .fetch.cli import run as fetch_run
from .figure_specs import FIGURE_LABELS
from .formatting import number
from .locking import DEFAULT_TIMEOUT as DEFAULT_LOCK_TIMEOUT
from .locking import TIMEOUT_VARIABLE
from .model import Check, Report, ReportError
from .parse import AGENCY_NOTE, SUPPLIED, TITLE_PLACE
from .pipeline import DEFAULT_DB, DEFAULT_REPORTS, Preview, add, build, preview
from .readers import read_document
from .units.command import units_command

PASS = {True: "通过", False: "不通过", None: "无法评估"}
REFUSED = 2  # the exit status of a build that loaded the others and refused some files


def _num(v: float | None) -> str:
    return number(v)


def print_checks(checks: list[Check]) -> None:
    failed = [c for c in checks if c.contradiction]
    warned = [c for c in checks if c.scope_difference]
    na = [c for c in checks if c.passed is None]
    passed = len(checks) - len(failed) - len(warned) - len(na)
    print(f"\n勾稽关系检查：共{len(checks)}项，通过{passed}项，"
          f"不通过{len(failed)}项，口径提示{len(warned)}项，无法评估{len(na)}项")  # fmt: skip
    for c in failed:
        print(f"  ✗ {c.check_id}：{c.description}\n      应为 {_num(c.expected)}，实际 {_num(c.actual)}")
    for c in warned:
        print(f"  ! {c.check_id}：{c.description}\n      表格 {_num(c.expected)}，正文 {_num(c.actual)}")
    for c in na:
        print(f"  ? {c.check_id}：无法评估，{reason_of(c.description) or '未说明原因'}")


def source_notes(report: Report) -> list[str]:
    """One line for each of agency and year an official supplied (not read from the title)."""
    notes = []
    if report.agency_source == SUPPLIED:
        notes.append(f"机关名称：{report.agency}（人工指定，非从标题读取）")
    if report.year_source == SUPPLIED:
        notes.append(f"年度：{report.year}（人工指定，非从标题读取）")
    return notes


def print_coverage(report: Report) -> None:
    """What the parser saw but could not place: table cells and sentences with numbers."""
    if report.unplaced_cells:
        print(f"\n未能归位的表格单元格（{len(report.unplaced_cells)}个，不会入库）：")
        for u in report.unplaced_cells:
            row = f"行“{u.row_text}”" if u.row_text else "行（无标签）"
            column = f"列“{u.column_text}”" if u.column_text else "列（无表头）"
            print(f"  表{u.table} 第{u.line}{_unit(report)} {row} {column}：“{u.text}”（{u.reason}）")
    if report.unmatched_sentences:
        print(f"\n含数字但未识别的句子（{len(report.unmatched_sentences)}句，请核对是否漏读）：")
        for s in report.unmatched_sentences:
            print(f"  第{s.line}{_unit(report)}：{s.text}")


def _unit(report: Report) -> str:
    return "行" if report.source_file.lower().endswith(".txt") else "段"


def print_report(report: Report) -> None:
    print(f"{report.source_file}：{report.agency} {report.year}年（表格格式：{report.template}年版）")
    for note in source_notes(report):
        print(note)
    agency_notes = [w for w in report.warnings if w.startswith(AGENCY_NOTE)]
    for note in agency_notes:  # the other names in the title, right under the agency read
        print(note)
    print(f"\n正文数字（{len(report.figures)}项）：")
    for f in report.figures:
        label = FIGURE_LABELS.get((f.topic, f.metric, f.category), "")
        approx = "（约数）" if f.approx else ""
        print(f"  {f.topic}.{f.metric}.{f.category} {label} = {_num(f.value)}{f.unit}{approx}")
        print(f"      出处（第{f.source_line}行）：{f.evidence}")
    if report.missing_figures:
        print(f"\n未找到的正文数字（{len(report.missing_figures)}项，数据库中不会有这些行）：")
        for key in report.missing_figures:
            print(f"  {'.'.join(key)} {FIGURE_LABELS.get(key, '')}")
    blanks = sum(1 for c in report.foi_requests if c.value is None)
    print(f"\n表二：{len(report.active_disclosure)}个单元格；表三：{len(report.foi_requests)}个单元格"
          f"（其中空白{blanks}个）；表四：{len(report.review_litigation)}个单元格")  # fmt: skip
    kinds: dict[str, int] = {}
    for t in report.texts:
        kinds[t.kind] = kinds.get(t.kind, 0) + 1
    print("文字条目：" + "，".join(f"{k} {n}条" for k, n in kinds.items()))
    print_coverage(report)
    for w in report.warnings:
        if w not in agency_notes:
            print(f"提示：{w}")
    print_checks(report.checks)


def print_preview(result: Preview) -> None:
    """The report, and what ``add`` would do with it against the loaded database."""
    print_report(result.report)
    if result.printed_agency:
        print(f"\n载入时将归入已载入的机关“{result.report.agency}”（报告写作“{result.printed_agency}”）。")
    if result.replaces:
        print(f"已载入同一机关同一年度的报告（{result.replaces}）：载入这份报告需加 --replace。")


def print_error(exc: ReportError) -> None:
    print(f"失败：发现{len(exc.problems)}个问题，数据库没有任何改动。", file=sys.stderr)
    for p in exc.problems:
        print(f"  - {p}", file=sys.stderr)
    if any(p.place.startswith(TITLE_PLACE) and "人工指定" in p.reason for p in exc.problems):
        print(
            "  提示：可加 --agency 机关名称 和/或 --year 年份 人工指定（例如 --agency 某市人民政府 --year 2024）",
            file=sys.stderr,
        )


def _year(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(f"年度应为四位数字（如 2024），而不是“{text}”")
    return int(text)


def _supplied(p: argparse.ArgumentParser) -> None:
    p.add_argument("--agency", help="人工指定机关名称（标题中没有或读错时；优先于标题）")
    p.add_argument("--year", type=_year, help="人工指定年度，如 2024（标题中没有或读错时；优先于标题）")


def _docs(check: bool) -> int:
    if check:
        if dictionary.stale():
            print(f"{dictionary.OUTPUT} 已过期：请运行 python -m etl docs", file=sys.stderr)
            return 1
        print(f"{dictionary.OUTPUT} 与字段登记一致")
        return 0
    print(f"{dictionary.OUTPUT} {'已更新' if dictionary.write() else '无变化'}")
    return 0


def review_command(parent: str, year: int, db: Path, out: Path) -> int:
    """``etl review``: the workbook, and a line per status."""
    with store.reading(db) as con:
        if con is None:
            print(f"失败：数据库 {db} 不存在，请先运行 python -m etl build", file=sys.stderr)
            return 1
        unit = review.find_unit(con, parent)
        if unit is None:
            close = "、".join(review.similar_units(con, parent))
            print(f"失败：单位名录中没有“{parent}”。相近的单位：{close}", file=sys.stderr)
            return 1
        frames = review.review(con, unit[0], year)
    out.write_bytes(review.review_xlsx(frames, unit[1], year))
    print(f"{unit[1]} {year}年下属单位审核清单已写入 {out}：")
    for status, frame in frames.items():
        print(f"  {status}：{len(frame)}个单位" + ("".join(f"\n    {n}" for n in frame["单位"])))
    return 0


def _build(args: argparse.Namespace) -> int:
    """0 when every file loaded; 2 when some were refused (listed, the others loaded)."""
    built = build(args.reports, args.db, strict=args.strict, lock_timeout=args.lock_timeout)
    print(
        f"已从{args.reports}载入{len(built.reports)}份报告到{args.db}"
        f"（报告自身勾稽关系不通过{built.failed_checks}项，见 checks 视图）"
    )
    if not built.refusals:
        return 0
    files = list(dict.fromkeys(p.file for p in built.refusals))
    print(
        f"未载入{len(files)}个文件（共{len(built.refusals)}个问题，见 refusals 视图；其余报告已载入）：",
        file=sys.stderr,
    )
    for p in built.refusals:
        print(f"  - {p}", file=sys.stderr)
    return REFUSED


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl", description="政府信息公开工作年度报告 → DuckDB")
    sub = parser.add_subparsers(dest="command", required=True)
    p_build = sub.add_parser("build", help="从报告文件夹重建数据库（原子替换）")
    p_build.add_argument("--reports", type=Path, default=DEFAULT_REPORTS)
    p_build.add_argument("--db", type=Path, default=DEFAULT_DB)
    p_build.add_argument(
        "--strict", action="store_true", help="全有或全无：任何一份报告未通过，都不载入（退出码为1）"
    )
    p_build.add_argument(
        "--lock-timeout",
        type=float,
        default=None,
        help=f"另一写入者持有写入锁时最多等待的秒数（默认{DEFAULT_LOCK_TIMEOUT:g}，或环境变量 {TIMEOUT_VARIABLE}）",
    )
    p_check = sub.add_parser("check", help="检查一份报告，不改动任何东西")
    p_check.add_argument("file", type=Path)
    p_check.add_argument("--db", type=Path, default=DEFAULT_DB, help="对照的数据库（只读）")
    _supplied(p_check)
    p_add = sub.add_parser("add", help="校验并载入一份新报告")
    p_add.add_argument("file", type=Path)
    p_add.add_argument("--replace", action="store_true", help="替换同一机关同一年度已载入的报告")
    p_add.add_argument("--reports", type=Path, default=DEFAULT_REPORTS)
    p_add.add_argument("--db", type=Path, default=DEFAULT_DB)
    _supplied(p_add)
    p_review = sub.add_parser(
        "review", help="上级单位审核清单：下属各单位某年度报告的载入、检查与指标（XLSX）"
    )
    p_review.add_argument("--parent", required=True, help="上级单位名称（或别名、单位编号）")
    p_review.add_argument("--year", required=True, type=_year)
    p_review.add_argument("--db", type=Path, default=DEFAULT_DB)
    p_review.add_argument("--out", required=True, type=Path, help="输出的 XLSX 文件")
    sub.add_parser(
        "units",
        help="单位树与无法判定的单位：名称、名称清单（.txt）或数据库（python -m etl units data/dashboard.duckdb）",
        add_help=False,
    )
    p_docs = sub.add_parser("docs", help="由字段登记生成 docs/data-dictionary.md")
    p_docs.add_argument("--check", action="store_true", help="只检查是否过期（过期时退出码为1）")
    fetch_arguments(sub.add_parser("fetch", help="从机关网站的年报栏目收集年度报告并载入"))
    publish.add_arguments(
        sub.add_parser("publish", help="发布开放数据（CSV、Parquet、JSON 与 datapackage.json）")
    )
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["units"]:  # its own arguments (names, files, folders, --registry)
        return units_command(argv[1:])
    args = parser.parse_args(argv)
    if args.command == "docs":
        return _docs(args.check)
    if args.command == "review":
        return review_command(args.parent, args.year, args.db, args.out)
    if args.command == "fetch":
        return fetch_run(args)
    if args.command == "publish":
        return publish.publish_command(args)
    try:
        if args.command == "build":
            return _build(args)
        elif args.command == "check":
            print_preview(preview(read_document(args.file), args.db, args.agency, args.year))
        else:
            report = add(args.file, args.reports, args.db, args.replace, args.agency, args.year)
            print(f"已载入{report.agency} {report.year}年报告（{report.source_file}）到{args.db}")
            for note in source_notes(report):
                print(note)
            print_checks(report.checks)
    except ReportError as exc:
        print_error(exc)
        return 1
    except BrokenPipeError:
        return 0
    except OSError as exc:
        print(f"失败：{exc.strerror or exc}（{exc.filename or ''}），数据库没有任何改动。", file=sys.stderr)
        return 1
    return 0
