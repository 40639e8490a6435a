"""Read step for old Word files (.doc, and WPS Office's .wps): converted to .docx by
LibreOffice headless, then read as any .docx.

Agencies still publish many reports as .doc attachments. No Python library reads the
old binary format faithfully (tables with merged cells included), LibreOffice does. Each
conversion runs in its own temporary folder with its own LibreOffice profile, so that
conversions in parallel build workers never share (and lock) one profile, and nothing is
left behind; it is bounded by a timeout.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from .source import refuse

OLD_WORD_SUFFIXES = (".doc", ".wps")
CONVERT_TIMEOUT = 120  # seconds; a first start (profile creation) takes a few
INSTALL_HINT = "请安装 libreoffice-writer-nogui（apt-get install libreoffice-writer-nogui）"


def soffice() -> str | None:
    """The LibreOffice program, or None when it is not installed: ``soffice.bin`` itself where it
    is beside the ``soffice`` script (so that it is our direct child and dies with us)."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            program = Path(os.path.realpath(found)).with_name("soffice.bin")
            return str(program) if os.access(program, os.X_OK) else found
    return None


_RESTART = 81  # soffice.bin asks to be started again after creating a new profile (the script does it)


def _die_with_parent() -> None:
    """In the child before exec (Linux): SIGKILL when the process that started it dies, so that a
    reader killed mid-conversion (a SIGKILLed build or fetch) leaves no LibreOffice running."""
    if _prctl is not None:
        _prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


try:
    _prctl = ctypes.CDLL(None, use_errno=True).prctl if sys.platform == "linux" else None
except (OSError, AttributeError):
    _prctl = None


# What a file named .doc or .wps really holds, by its first bytes: Word 97–2003 and WPS files
# are OLE2 compound files; sites also serve RTF, Word's HTML and .docx under these names.
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
_CONVERTIBLE = (OLE2, b"{\\rtf", b"<", b"MIME-Version")


def is_docx(data: bytes) -> bool:
    """A file named .doc that is really a .docx (a zip): read as one, no conversion."""
    return data.startswith(ZIP)


def old_word_to_docx(name: str, data: bytes, timeout: float = CONVERT_TIMEOUT) -> bytes:
    """A .doc/.wps file's bytes → the same document as .docx bytes, or a ReportError naming the file.

    Only what is a Word file goes to LibreOffice, which would read any other bytes as plain text."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:16]
    if not head.startswith(_CONVERTIBLE):
        raise refuse(name, "整个文件", f"不是有效的 Word（{Path(name).suffix}）文件")
    program = soffice()
    if program is None:
        raise refuse(name, "整个文件", f"读取 {Path(name).suffix} 文件需要 LibreOffice：{INSTALL_HINT}")
    suffix = Path(name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="etl-office-") as tmp:
        work = Path(tmp)
        source = work / f"report{suffix}"
        source.write_bytes(data)
        command = [
            program,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        try:
            returncode, output = run_soffice(command, timeout, tmp)
        except subprocess.TimeoutExpired:
            raise refuse(name, "整个文件", f"LibreOffice 转换超时（超过 {timeout:g} 秒）") from None
        except OSError as exc:
            raise refuse(
                name, "整个文件", f"无法运行 LibreOffice（{exc.strerror or exc}）：{INSTALL_HINT}"
            ) from None
        out = work / "out" / "report.docx"
        if returncode != 0 or not out.is_file() or out.stat().st_size == 0:
            detail = output.decode("utf-8", "replace").strip().splitlines()
            reason = detail[-1] if detail else f"退出码 {returncode}"
            raise refuse(name, "整个文件", f"LibreOffice 无法转换此文件（不是有效的 Word 文件？{reason}）")
        return out.read_bytes()


def run_soffice(command: list[str], timeout: float, home: str) -> tuple[int, bytes]:
    """Run LibreOffice once more when it asks to be restarted (``_RESTART``: a new profile's first
    start); see ``_run_once``."""
    returncode, output = _run_once(command, timeout, home)
    if returncode == _RESTART:
        returncode, output = _run_once(command, timeout, home)
    return returncode, output


def _run_once(command: list[str], timeout: float, home: str) -> tuple[int, bytes]:
    """Run LibreOffice (``command``, with ``HOME`` at ``home``) in its own process group, dying with
    its parent; on timeout the whole group is killed
    (``soffice`` is a script that starts ``soffice.bin``, which would outlive it)."""
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "HOME": home},
        start_new_session=True,
        preexec_fn=_die_with_parent,
    )
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise
    except BaseException:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        raise
    return process.returncode, output
