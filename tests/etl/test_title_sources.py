"""The agency when a web page's <title> and the report's own title disagree (issue 16, item 5):
the more specific full name of the two, the other shown as an alternative; never a name
neither prints. Names are real-style (the 沭阳 and 洪泽 pages), sentences made up."""

from __future__ import annotations

import pytest

from etl import cli
from etl.parse import AGENCY_NOTE, fuller_name, parse_report
from etl.readers import document_from_bytes
from tests.render import _article_html, _escape, seed_content

TAIL = "2023年政府信息公开工作年度报告"


def _page(page_title: str | None, heading: str | None) -> bytes:
    head = f"<title>{_escape(page_title)}</title>" if page_title is not None else ""
    body = f"<h1 class='title'>{_escape(heading)}</h1>" if heading is not None else ""
    return (
        f'<html><head><meta charset="utf-8">{head}</head><body>'
        f"{body}<div class='content'>{_article_html(seed_content())}</div></body></html>"
    ).encode()


def _report(page_title: str | None, heading: str | None):
    return parse_report(document_from_bytes("page.html", _page(page_title, heading)))


# (<title>, heading, agency, the note's text or None)
CASES = [
    # Agreeing: no note.
    ("2023年沭阳县发展和改革局政府信息公开工作年度报告_沭阳县人民政府", f"沭阳县发展和改革局{TAIL}",
     "沭阳县发展和改革局", None),
    # An abbreviation in <title> (site name glued after it), the full name in the heading.
    ("2023年沭阳县发改局政府信息公开工作年度报告_沭阳县人民政府", f"沭阳县发展和改革局{TAIL}",
     "沭阳县发展和改革局",
     "机关名称：网页<title>中为“沭阳县发改局”，正文标题中为“沭阳县发展和改革局”，采用更完整的“沭阳县发展和改革局”"),
    # The full name in <title>, the abbreviation in the heading: still the full one.
    (f"沭阳县发展和改革局{TAIL}", f"沭阳县发改局{TAIL}", "沭阳县发展和改革局",
     "机关名称：网页<title>中为“沭阳县发展和改革局”，正文标题中为“沭阳县发改局”，采用更完整的“沭阳县发展和改革局”"),
    # Short heading, region-prefixed <title>.
    (f"淮安市洪泽区人民政府{TAIL}", f"洪泽区人民政府{TAIL}", "淮安市洪泽区人民政府",
     "机关名称：网页<title>中为“淮安市洪泽区人民政府”，正文标题中为“洪泽区人民政府”，采用更完整的“淮安市洪泽区人民政府”"),
    # A heading glued by a crawler, a short <title>: the glued name is listed too.
    (f"洪泽区人民政府{TAIL}", f"洪泽区人民政府政务公开淮安市洪泽区人民政府{TAIL}", "淮安市洪泽区人民政府",
     "机关名称：网页<title>中为“洪泽区人民政府”，正文标题中为“淮安市洪泽区人民政府”，采用更完整的“淮安市洪泽区人民政府”"),
    # A heading glued to another column's name, a region-prefixed <title>: all three named.
    (f"淮安市洪泽区人民政府{TAIL}", f"洪泽区政府政务公开洪泽区人民政府{TAIL}", "淮安市洪泽区人民政府",
     "机关名称：网页<title>中为“淮安市洪泽区人民政府”，正文标题中为“洪泽区人民政府”；另有“洪泽区政府”，"
     "采用更完整的“淮安市洪泽区人民政府”"),
    # Two unrelated names (near miss: same county, another bureau): the heading's, the other shown.
    (f"沭阳县财政局{TAIL}", f"沭阳县发展和改革局{TAIL}", "沭阳县发展和改革局",
     "机关名称：网页<title>中为“沭阳县财政局”，正文标题中为“沭阳县发展和改革局”，两者不是同一名称，采用正文标题中的“沭阳县发展和改革局”"),
    # Only one of them.
    (None, f"淮安市洪泽区人民政府{TAIL}", "淮安市洪泽区人民政府", None),
    (f"淮安市洪泽区人民政府{TAIL}_淮安市洪泽区人民政府", None, "淮安市洪泽区人民政府", None),
    # A <title> that is only the site's name names no agency to compare.
    ("沭阳县人民政府", f"沭阳县发改局{TAIL}", "沭阳县发改局", None),
]  # fmt: skip


@pytest.mark.parametrize(("page_title", "heading", "agency", "note"), CASES)
def test_agency_from_title_and_heading(page_title, heading, agency, note):
    report = _report(page_title, heading)
    assert (report.agency, report.year) == (agency, 2023)
    notes = [w for w in report.warnings if w.startswith(AGENCY_NOTE)]
    assert notes == ([note] if note else [])


@pytest.mark.parametrize(
    ("a", "b", "fuller"),
    [
        ("沭阳县发改局", "沭阳县发展和改革局", "沭阳县发展和改革局"),
        ("淮安市洪泽区人民政府", "洪泽区人民政府", "淮安市洪泽区人民政府"),
        ("某县政府", "某县人民政府", "某县人民政府"),
        ("沭阳县财政局", "沭阳县发展和改革局", None),
        ("沭阳县人民政府", "沭阳县发展和改革局", None),  # the site's government, not the bureau
        ("县政府", "沭阳县人民政府", None),  # another first character: not shortened from it
        ("洪泽区人民政府", "洪泽区人民政府", "洪泽区人民政府"),
    ],
)
def test_fuller_name(a, b, fuller):
    assert fuller_name(a, b) == fuller
    assert fuller_name(b, a) == fuller


def test_etl_check_prints_the_alternative_under_the_agency(tmp_path, capsys):
    path = tmp_path / "page.html"
    path.write_bytes(
        _page("2023年沭阳县发改局政府信息公开工作年度报告_沭阳县人民政府", f"沭阳县发展和改革局{TAIL}")
    )
    assert cli.main(["check", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "沭阳县发展和改革局 2023年" in out[0]
    assert out[1] == (
        "机关名称：网页<title>中为“沭阳县发改局”，正文标题中为“沭阳县发展和改革局”，采用更完整的“沭阳县发展和改革局”"
    )
