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
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from .source import refuse

OLD_WORD_SUFFIXES = (".doc", ".wps")
CONVERT_TIMEOUT = 120  # seconds; a first start (profile creation) takes a few
INSTALL_HINT = "请安装 libreoffice-writer-nogui（apt-get install libreoffice-writer-nogui）"


def soffice() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def old_word_to_docx(name: str, data: bytes, timeout: float = CONVERT_TIMEOUT) -> bytes:
    """A .doc/.wps file's bytes → the same document as .docx bytes, or a ReportError naming the file."""
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
            returncode, output = _run(command, timeout, tmp)
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


def _run(command: list[str], timeout: float, home: str) -> tuple[int, bytes]:
    """Run LibreOffice in its own process group; on timeout the whole group is killed
    (``soffice`` is a script that starts ``soffice.bin``, which would outlive it)."""
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "HOME": home},
        start_new_session=True,
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
