"""Old Word files (.doc, .wps) read through LibreOffice: the same cells as the .docx they came from,
and clear refusals (LibreOffice missing, not a Word file, a conversion that hangs)."""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from etl import cli
from etl.model import ReportError
from etl.pipeline import load_report
from etl.readers import office, read_document
from tests.docx_template import TEMPLATE, fill
from tests.etl.test_template_docx import filling
from tests.fixtures import ROOT
from tests.site import old_word

needs_office = pytest.mark.skipif(
    shutil.which("soffice") is None or not TEMPLATE.is_file(),
    reason="needs LibreOffice (scripts/setup.sh installs libreoffice-writer-nogui) and the official template",
)


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """The filled official template as .docx, and that file saved by LibreOffice as .doc (and named .wps)."""
    folder = tmp_path_factory.mktemp("office")
    docx = fill(filling())
    (folder / "shili-2022.docx").write_bytes(docx)
    doc = old_word(docx)
    (folder / "shili-2022.doc").write_bytes(doc)
    (folder / "shili-2022.wps").write_bytes(doc)  # WPS Office's .wps is the same compound-file format
    return {s: folder / f"shili-2022.{s}" for s in ("docx", "doc", "wps")}


def _cells(path: Path) -> tuple:
    """What a report says: its agency and year, its prose figures, every cell of tables 二, 三, 四."""
    r = load_report(path)
    figures = [(f.topic, f.metric, f.category, f.value, f.unit) for f in r.figures]
    return (r.agency, r.year, r.template, figures, r.active_disclosure, r.foi_requests, r.review_litigation)


@needs_office
@pytest.mark.parametrize("suffix", ["doc", "wps"])
def test_old_word_file_gives_the_cells_of_the_docx_it_came_from(files, suffix):
    old, new = _cells(files[suffix]), _cells(files["docx"])
    assert old == new
    assert old[0:2] == ("示例县人民政府", 2022)
    assert len(old[5]) == 175  # every cell of table 三, blanks included


def _check_output(path: Path, tmp: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["check", str(path), "--db", str(tmp / "none.duckdb")])
    return code, out.getvalue() + err.getvalue()


@needs_office
def test_etl_check_on_a_doc_prints_what_it_prints_for_the_docx(files, tmp_path):
    code_doc, doc = _check_output(files["doc"], tmp_path)
    code_docx, docx = _check_output(files["docx"], tmp_path)
    assert code_doc == code_docx == 0
    assert doc.replace("shili-2022.doc", "F") == docx.replace("shili-2022.docx", "F")
    assert "表三：175个单元格" in doc


def test_missing_libreoffice_says_what_to_install(tmp_path, monkeypatch):
    path = tmp_path / "report.doc"
    path.write_bytes(office.OLE2 + b"\x00" * 504)
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice on it
    with pytest.raises(ReportError) as caught:
        read_document(path)
    [problem] = caught.value.problems
    assert problem.file == "report.doc"
    assert "libreoffice-writer-nogui" in problem.reason and "apt-get install" in problem.reason
    code, output = _check_output(path, tmp_path)
    assert code == 1 and "report.doc" in output and "请安装 libreoffice-writer-nogui" in output


@pytest.mark.parametrize(
    "data",
    [b"plain text saved as .doc", b"%PDF-1.4 a PDF named .doc", bytes(range(256)) * 4],
)
def test_what_is_not_a_word_file_is_refused_before_libreoffice(tmp_path, data):
    path = tmp_path / "x.doc"
    path.write_bytes(data)
    with pytest.raises(ReportError) as caught:
        read_document(path)
    assert str(caught.value.problems[0]) == "x.doc：整个文件：不是有效的 Word（.doc）文件"


@needs_office
def test_a_docx_named_doc_is_read_as_docx(files, tmp_path):
    path = tmp_path / "mislabelled.doc"
    path.write_bytes(files["docx"].read_bytes())
    assert _cells(path) == _cells(files["docx"])


@needs_office
def test_a_conversion_over_its_time_is_refused_and_leaves_no_libreoffice(tmp_path, monkeypatch):
    marker = f"etl-office-timeout-{time.monotonic_ns()}-"
    real = tempfile.TemporaryDirectory
    monkeypatch.setattr(office.tempfile, "TemporaryDirectory", lambda prefix="": real(prefix=marker))
    with pytest.raises(ReportError) as caught:
        office.old_word_to_docx("slow.doc", office.OLE2 + b"\x00" * 504, timeout=0.2)
    assert str(caught.value.problems[0]) == "slow.doc：整个文件：LibreOffice 转换超时（超过 0.2 秒）"
    time.sleep(0.5)
    left = [p for p in Path("/proc").glob("[0-9]*") if marker.encode() in _cmdline(p)]
    assert left == []


def _cmdline(proc: Path) -> bytes:
    try:
        return (proc / "cmdline").read_bytes()
    except OSError:
        return b""


def _libreoffice_with(marker: str) -> list[Path]:
    """The running LibreOffice processes whose command line holds ``marker``."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            comm = (proc / "comm").read_text().strip()
        except OSError:
            continue
        if comm.startswith("soffice") and marker.encode() in _cmdline(proc):
            found.append(proc)
    return found


@needs_office
def test_a_reader_killed_mid_conversion_leaves_no_libreoffice(files, tmp_path):
    """SIGKILL (an OOM killer, a service manager) of a process converting a .doc: LibreOffice goes too."""
    marker = tmp_path / f"kill-{time.monotonic_ns()}"
    marker.mkdir()
    script = (
        "import sys, tempfile\n"
        "tempfile.tempdir = sys.argv[1]\n"
        "from etl.readers.office import old_word_to_docx\n"
        "old_word_to_docx('x.doc', open(sys.argv[2], 'rb').read())\n"
    )
    reader = subprocess.Popen([sys.executable, "-c", script, str(marker), str(files["doc"])], cwd=ROOT)
    try:
        deadline = time.monotonic() + 120
        while not _libreoffice_with(str(marker)) and time.monotonic() < deadline and reader.poll() is None:
            time.sleep(0.02)
        assert _libreoffice_with(str(marker)), "LibreOffice never started"
    finally:
        reader.kill()
        reader.wait()
    deadline = time.monotonic() + 5
    while _libreoffice_with(str(marker)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _libreoffice_with(str(marker)) == []


@needs_office
def test_add_then_build_read_old_word_files(files, tmp_path):
    import duckdb

    from etl.pipeline import add, build

    reports, db = tmp_path / "reports", tmp_path / "db" / "dashboard.duckdb"
    report = add(files["doc"], reports, db)
    assert (report.agency, report.year, report.source_file) == ("示例县人民政府", 2022, "shili-2022.doc")
    assert [(r.agency, r.year) for r in build(reports, db).reports] == [("示例县人民政府", 2022)]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT source_file FROM reports").fetchall() == [("shili-2022.doc",)]
        assert con.execute("SELECT count(*) FROM foi_requests").fetchone() == (175,)
