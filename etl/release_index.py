"""The release's HTML pages: a release's files with their sizes and row counts (from its
``datapackage.json``), and the list of every release. Plain HTML, no script, every text escaped."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

from .formatting import number

STYLE = (
    "body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;max-width:70rem;margin:2rem auto;"
    "padding:0 1rem;color:#1f2328}table{border-collapse:collapse;width:100%}"
    "th,td{border-bottom:1px solid #d0d7de;padding:.4rem .6rem;text-align:left}"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}code{background:#f6f8fa;padding:0 .2rem}"
)


def size(n: int) -> str:
    """Bytes for people: ``1.2 MB``, ``3.4 KB``, ``512 B`` (the exact count is in the title)."""
    for unit, step in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= step:
            return f"{n / step:.1f} {unit}"
    return f"{n} B"


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(title)}</title>'
        f"<style>{STYLE}</style></head><body>\n{body}\n</body></html>\n"
    )


def _link(path: str, text: str | None = None) -> str:
    return f'<a href="{escape(path)}">{escape(text or path)}</a>'


def _bytes_cell(n: int) -> str:
    return f'<td class="n" title="{n:,} 字节">{size(n)}</td>'


def release_page(descriptor: dict[str, Any], units: int) -> str:
    """``index.html`` of one release: every resource with its rows, CSV and Parquet sizes."""
    rows = []
    for r in descriptor["resources"]:
        rows.append(
            f"<tr><td><code>{escape(r['name'])}</code></td><td>{escape(r['title'])}</td>"
            f'<td class="n">{number(r["rows"])}</td>'
            f"<td>{_link(r['path'])}</td>{_bytes_cell(r['bytes'])}"
            f"<td>{_link(r['parquet']['path'])}</td>{_bytes_cell(r['parquet']['bytes'])}</tr>"
        )
    licence = descriptor["licenses"][0]
    body = f"""<h1>{escape(descriptor["title"])}</h1>
<p>版本 <code>{escape(descriptor["version"])}</code>，生成于 {escape(descriptor["created"])}（UTC）。
许可：{_link(licence["path"], licence["title"])}。</p>
<p>{escape(descriptor["description"])}</p>
<p>字段说明（类型、中文名、含义）：{_link("datapackage.json")}（Frictionless Data Package）。</p>
<table><thead><tr><th>视图</th><th>中文名</th><th>行数</th><th>CSV</th><th>大小</th><th>Parquet</th><th>大小</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
<p>按单位的 JSON：{number(units)} 个单位，每个单位一个文件（单位信息、各年度报告及其正文数字和指标），
目录见 {_link(descriptor.get("units_json", "units/index.json"))}。</p>
<p>{_link("../", "全部版本")}</p>"""
    return _page(f"{descriptor['title']} {descriptor['version']}", body)


def versions_page(out: Path, latest: str) -> str:
    """The release root's ``index.html``: ``latest`` and every version, newest first."""
    items = []
    for folder in sorted((p for p in out.iterdir() if p.is_dir() and not p.is_symlink()), reverse=True):
        package = folder / "datapackage.json"
        if folder.name.startswith(".") or not package.exists():
            continue
        descriptor = json.loads(package.read_text(encoding="utf-8"))
        rows = sum(r["rows"] for r in descriptor["resources"])
        mark = "（最新）" if folder.name == latest else ""
        items.append(
            f"<li>{_link(folder.name + '/', folder.name)}{mark}：生成于 {escape(descriptor['created'])}，"
            f"{len(descriptor['resources'])} 个视图共 {number(rows)} 行</li>"
        )
    body = f"""<h1>开放数据发布</h1>
<p>{_link("latest/", "latest/")} 总是指向最新版本：{_link(latest + "/", latest)}。
引用数据时请用带版本号的网址，它的内容永远不变。</p>
<ul>
{chr(10).join(items)}
</ul>"""
    return _page("开放数据发布：全部版本", body)
