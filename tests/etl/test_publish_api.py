"""docs/api.md, run: every URL it lists answers, and its curl and pandas examples work and print
what it says, against a release served over HTTP on 127.0.0.1 (a plain static server; the
nginx headers are tested in tests/deploy/test_publish_serving.py)."""

from __future__ import annotations

import doctest
import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard import embed
from etl import publish
from etl.resources import RESOURCES
from tests.etl.test_publish import db, out  # noqa: F401  (module fixtures, reused)
from tests.fixtures import ROOT

API = ROOT / "docs" / "api.md"
DOC_BASE = "http://localhost:8080"
_BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.S)


def blocks(kind: str) -> list[str]:
    return [body for lang, body in _BLOCK.findall(API.read_text(encoding="utf-8")) if lang == kind]


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, out: Path) -> Iterator[str]:  # noqa: F811
    """The release at /data/ of a static HTTP server on 127.0.0.1 (a free port)."""
    site = tmp_path_factory.mktemp("site")
    (site / "data").symlink_to(out, target_is_directory=True)
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass


def status(url: str) -> int:
    with urllib.request.urlopen(url, timeout=20) as resp:
        resp.read()
        return resp.status


def test_every_url_the_document_lists_answers(base, out):  # noqa: F811
    version = (out / publish.LATEST).resolve().name
    unit = json.loads((out / version / publish.UNITS_INDEX).read_text(encoding="utf-8"))[0]["unit_id"]
    text = API.read_text(encoding="utf-8")
    listed = re.findall(r"^\| `BASE(/data/[^`]*)` \|", text, re.M)
    assert len(listed) == 7
    for pattern in listed:
        for v in (version, "latest"):
            for view in [r.name for r in RESOURCES] if "<view>" in pattern else [""]:
                path = pattern.replace("<version>", v).replace("<view>", view).replace("<unit_id>", unit)
                assert status(base + path) == 200, path
    views = re.search(
        r"The ten views \(`<view>`\), in the order of `datapackage.json`: (.*?)\.\s+Their", text, re.S
    )
    assert views is not None
    assert re.findall(r"`(\w+)`", views.group(1)) == [r.name for r in RESOURCES]


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
@pytest.mark.parametrize("index", range(3))
def test_the_curl_examples_run(base, tmp_path, index):
    script = blocks("bash")[index].replace(DOC_BASE, base)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    lines = done.stdout.splitlines()
    if index == 0:
        assert lines[0].split()[1:] == [r.name for r in RESOURCES]
        assert "Access-Control-Allow-Origin" not in done.stdout or "*" in done.stdout
    elif index == 1:
        stated, computed, unit_path = lines
        assert stated == computed  # the CSV's SHA-256 is the one datapackage.json gives
        assert unit_path.startswith("units/u") and unit_path.endswith(".json")
        assert (tmp_path / "foi_requests.parquet").stat().st_size > 0
    else:
        assert "VALID" in done.stdout and "INVALID" not in done.stdout


def test_the_pandas_example_prints_what_the_document_says(base):
    [example] = blocks("python")
    parser = doctest.DocTestParser()
    test = parser.get_doctest(example.replace(DOC_BASE, base), {}, "docs/api.md", str(API), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    output: list[str] = []
    result = runner.run(test, out=output.append)
    assert result.attempted >= 15
    assert result.failed == 0, "".join(output)


def test_the_embed_snippet_is_the_one_the_action_gives():
    [html] = blocks("html")
    url = embed.embed_url(f"{DOC_BASE}/trading", "交易信息分类", {"year": ["2019"]})
    assert html.strip() == embed.snippet(url, "2019年各类交易信息发布数量")
