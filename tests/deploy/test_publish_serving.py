"""The open-data release through `make serve`'s nginx: /data/ (static, CORS, gzip, cached by
version, index pages, Frictionless-valid over HTTP), and the frame policy: /embed may be framed
by any site, every other page by none.

Skipped only when nginx is not installed (``scripts/setup.sh test`` installs it). The stack runs
in a temporary directory on free ports with one replica and is stopped at the end.
"""

from __future__ import annotations

import gzip
import http.client
import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from deploy import render, stack
from etl import publish
from tests.deploy.test_deploy import INDEX, NO_NGINX, get, needs_nginx, settings

CACHED_FOR_GOOD = "public, max-age=31536000, immutable"
LATEST_CACHE = "public, max-age=300"


def first_response(st: stack.Stack, path: str) -> tuple[int, dict[str, str]]:
    """The status and headers of ``path`` itself (a redirect is not followed)."""
    conn = http.client.HTTPConnection("127.0.0.1", st.port, timeout=20)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}
    finally:
        conn.close()


def _location(conf: str, head: str) -> str:
    start = conf.index(f"location {head} {{")
    return conf[start : conf.index("\n        }\n", start)]


# --------------------------------------------------------------------------- rendering


def test_data_is_served_from_the_release_folder_to_any_site(tmp_path):
    conf = render.render(settings(tmp_path, data_root=tmp_path / "release"))
    data = _location(conf, "/data/")
    assert f'alias "{tmp_path}/release/";' in data
    assert 'add_header Access-Control-Allow-Origin "*" always;' in data
    assert "add_header Cache-Control $data_cache_control always;" in data
    assert "gzip_types text/csv application/json;" in data
    assert "text/csv csv;" in data and "application/vnd.apache.parquet parquet;" in data
    assert 'X-Frame-Options "DENY"' in data  # the security headers too (add_header is not inherited)
    assert '"~^/data/v[^/]+/"  "public, max-age=31536000, immutable";' in conf
    assert "return 301 /data/;" in _location(conf, "= /data")
    for bad in ('/tmp/a"b', "/tmp/a;b", "/tmp/a$b", "/tmp/a\nb"):
        with pytest.raises(ValueError, match="data root"):
            render.render(settings(tmp_path, data_root=Path(bad)))


def test_only_embed_may_be_framed_by_any_site(tmp_path):
    hashes = render.inline_script_hashes(INDEX)
    conf = render.render(settings(tmp_path))
    embed = _location(conf, "= /embed")
    assert (
        f'add_header Content-Security-Policy "{render.content_security_policy("*", hashes)}" always;' in embed
    )
    assert "frame-ancestors *" in embed and "X-Frame-Options" not in embed
    assert "proxy_pass http://streamlit;" in embed
    rest = _location(conf, "/")
    none = render.content_security_policy("'none'", hashes)
    assert f'add_header Content-Security-Policy "{none}"' in rest
    assert 'X-Frame-Options "DENY"' in rest
    # FRAME_ANCESTORS changes the other pages, never /embed
    conf = render.render(settings(tmp_path, frame_ancestors="'self' https://portal.example.gov.cn"))
    assert "frame-ancestors 'self' https://portal.example.gov.cn" in _location(conf, "/")
    assert "frame-ancestors *" in _location(conf, "= /embed")


@needs_nginx
def test_nginx_accepts_the_config_with_the_release(tmp_path):
    (tmp_path / "logs").mkdir()
    (tmp_path / "tmp").mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text(render.render(settings(tmp_path, data_root=tmp_path / "with space")))
    out = subprocess.run(
        [
            stack.nginx_binary(),
            "-t",
            "-p",
            str(tmp_path),
            "-e",
            str(tmp_path / "logs" / "e.log"),
            "-c",
            str(conf),
        ],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr


# --------------------------------------------------------------------------- a running stack


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[stack.Stack, Path]]:
    """nginx + one replica on the seed report, with its release published (twice: two versions)."""
    if stack.nginx_binary() is None:
        pytest.skip(NO_NGINX)
    from etl.pipeline import build
    from tests import fixtures

    reports = tmp_path_factory.mktemp("seed-reports")
    fixtures.write(reports, fixtures.SEED_NAME, fixtures.seed_bytes())
    db = tmp_path_factory.mktemp("db") / "dashboard.duckdb"
    build(reports, db)
    release = tmp_path_factory.mktemp("release")
    publish.publish(db, release)
    run_dir = tmp_path_factory.mktemp("run")
    conf = render.Settings(data_root=release)
    with stack.running(run_dir, replicas=1, env={"DASHBOARD_DB": str(db)}, settings=conf) as st:
        yield st, release


def test_latest_datapackage_is_served_to_any_site_gzipped_and_briefly_cached(served):
    st, release = served
    status, headers, body = get(st.url + "/data/latest/datapackage.json", {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["content-type"] == "application/json; charset=utf-8"
    assert headers["access-control-allow-origin"] == "*"
    assert headers["cache-control"] == LATEST_CACHE
    assert headers["content-encoding"] == "gzip"
    assert gzip.decompress(body) == (release / "latest" / "datapackage.json").read_bytes()


def test_a_versioned_file_is_cached_for_good_with_its_exact_bytes(served):
    st, release = served
    version = (release / publish.LATEST).resolve().name
    for name, mime in (
        ("reports.csv", "text/csv; charset=utf-8"),
        ("figures.parquet", "application/vnd.apache.parquet"),
    ):
        status, headers, body = get(f"{st.url}/data/{version}/{name}")
        assert status == 200, name
        assert headers["content-type"] == mime
        assert headers["cache-control"] == CACHED_FOR_GOOD
        assert headers["access-control-allow-origin"] == "*"
        assert body == (release / version / name).read_bytes()
    assert get(f"{st.url}/data/{version}/no-such-view.csv")[0] == 404


def test_index_pages_list_the_releases_and_files(served):
    st, release = served
    version = (release / publish.LATEST).resolve().name
    status, headers = first_response(st, "/data")
    assert (status, headers["location"]) == (301, "/data/")  # relative: right behind any host name
    status, headers, body = get(st.url + "/data/")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert f'href="{version}/"'.encode() in body
    status, _, body = get(st.url + "/data/latest/")
    assert status == 200
    descriptor = json.loads((release / version / "datapackage.json").read_text(encoding="utf-8"))
    for entry in descriptor["resources"]:
        assert f'href="{entry["path"]}"'.encode() in body
        assert f'<td class="n">{entry["rows"]:,}</td>'.encode() in body


def test_frictionless_validates_the_served_release_over_http(served):
    from frictionless import validate

    st, _ = served
    report = validate(st.url + "/data/latest/datapackage.json")
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])[:10]
    assert len(report.tasks) == 10


def test_embed_may_be_framed_and_the_pages_may_not(served):
    st, _ = served
    status, headers, body = get(st.url + "/embed?page=trading&chart=x&embed=true")
    assert status == 200 and b'<div id="root">' in body
    assert headers["content-security-policy"].endswith("frame-ancestors *")
    assert "x-frame-options" not in headers
    for path in ("/", "/trading", "/embed/", "/embedded", "/data/latest/"):
        status, headers = first_response(st, path)  # not a redirect's target: this URL's own answer
        assert re.search(r"frame-ancestors 'none'$", headers["content-security-policy"]), path
        assert headers["x-frame-options"] == "DENY", path
