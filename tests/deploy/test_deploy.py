"""`make serve`'s proxy (deploy/): the rendered nginx config, and a running stack asked with
plain HTTP for its headers, cached static files, limits and sticky routing.

Skipped only when nginx is not installed (``scripts/setup.sh test`` installs it, so CI runs
these). Every stack runs in a temporary directory on free ports and is stopped at the end.
"""

from __future__ import annotations

import gzip
import http.client
import re
import socket
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from deploy import render, stack

NO_NGINX = "nginx is not installed (apt-get install nginx; scripts/setup.sh test does it)"
needs_nginx = pytest.mark.skipif(stack.nginx_binary() is None, reason=NO_NGINX)
INDEX = render.streamlit_static() / "index.html"


def settings(tmp_path: Path, **kw) -> render.Settings:
    return render.Settings(
        port=18080, replica_ports=[18501, 18502], run_dir=tmp_path, static_root=tmp_path / "s", **kw
    )


# --------------------------------------------------------------------------- rendering


def test_rendered_config_has_every_replica_and_the_upload_limit(tmp_path):
    conf = render.render(settings(tmp_path))
    assert "@@" not in conf
    assert re.findall(r"server 127\.0\.0\.1:(\d+) max_fails=1 fail_timeout=10s;", conf) == ["18501", "18502"]
    assert "hash $sticky_key consistent;" in conf
    assert "listen 0.0.0.0:18080;" in conf
    assert f"pid {tmp_path}/nginx.pid;" in conf
    assert f"root {tmp_path}/s;" in conf
    assert "server_tokens off;" in conf
    assert render.max_upload_mb() == 20  # .streamlit/config.toml's server.maxUploadSize
    assert "client_max_body_size 20m;" in conf
    assert "gzip_static on;" in conf


def test_csp_allows_exactly_the_inline_script_of_streamlits_page():
    hashes = render.inline_script_hashes(INDEX)
    assert len(hashes) == len(re.findall(r"<script>", INDEX.read_text()))
    assert len(hashes) >= 1
    policy = render.content_security_policy("'none'", hashes)
    assert f"script-src 'self' 'wasm-unsafe-eval' {' '.join(hashes)};" in policy
    assert "'unsafe-eval'" not in policy  # WebAssembly may compile; JavaScript may not eval
    assert "'unsafe-inline'" not in policy.split("style-src")[0]  # scripts: never inline at large
    assert "object-src 'none'" in policy
    assert policy.endswith("frame-ancestors 'none'")


def test_frame_ancestors_is_configurable_and_x_frame_options_follows(tmp_path):
    embed = "'self' https://portal.example.gov.cn"
    conf = render.render(settings(tmp_path, frame_ancestors=embed))
    assert f'frame-ancestors {embed}" always;' in conf
    assert "add_header X-Frame-Options" not in conf  # it cannot name another site: CSP alone decides
    assert 'X-Frame-Options "SAMEORIGIN"' in render.render(settings(tmp_path, frame_ancestors="'self'"))
    assert 'X-Frame-Options "DENY"' in render.render(settings(tmp_path))
    for bad in ("'self'; script-src *", 'x" always; add_header', "", "a\nb"):
        with pytest.raises(ValueError, match="FRAME_ANCESTORS"):
            render.render(settings(tmp_path, frame_ancestors=bad))


def test_secure_cookie_when_tls_is_terminated_in_front(tmp_path):
    assert "SameSite=Lax; Secure" in render.render(settings(tmp_path, cookie_secure=True))
    assert "Secure" not in render.render(settings(tmp_path))


def test_precompressed_copy_has_the_same_bytes(tmp_path):
    src = tmp_path / "pkg"
    (src / "static" / "js").mkdir(parents=True)
    (src / "static" / "js" / "a.js").write_text("console.log(1);\n" * 500)
    (src / "static" / "f.woff2").write_bytes(b"\x00font")
    dest = render.precompress_static(tmp_path / "out", src)
    js = dest / "static" / "js" / "a.js"
    assert js.read_text() == "console.log(1);\n" * 500
    assert gzip.decompress((dest / "static" / "js" / "a.js.gz").read_bytes()) == js.read_bytes()
    assert (dest / "static" / "f.woff2").exists()
    assert not (dest / "static" / "f.woff2.gz").exists()  # fonts are compressed already
    assert [p.name for p in dest.rglob("*.tmp")] == []


@needs_nginx
def test_nginx_accepts_the_rendered_config(tmp_path):
    import subprocess

    (tmp_path / "logs").mkdir()
    (tmp_path / "tmp").mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text(render.render(settings(tmp_path)))
    nginx = stack.nginx_binary()
    assert nginx is not None
    out = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-e", str(tmp_path / "logs" / "e.log"), "-c", str(conf)],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert "syntax is ok" in out.stderr


# --------------------------------------------------------------------------- a running stack


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[stack.Stack]:
    if stack.nginx_binary() is None:
        pytest.skip(NO_NGINX)
    from etl.pipeline import build

    db = tmp_path_factory.mktemp("db") / "dashboard.duckdb"
    build(render.ROOT / "data" / "reports", db)
    run_dir = tmp_path_factory.mktemp("run")
    with stack.running(run_dir, replicas=2, env={"DASHBOARD_DB": str(db)}) as st:
        yield st


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=20) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


def access_log(st: stack.Stack) -> list[str]:
    time.sleep(0.2)  # nginx writes the line when the response is done
    return (st.run_dir / "logs" / "access.log").read_text().splitlines()


def test_page_through_nginx_has_the_security_headers_and_no_version(running):
    status, headers, body = get(running.url + "/trading")
    assert status == 200
    assert b'<div id="root">' in body
    assert headers["server"] == "nginx"
    csp = headers["content-security-policy"]
    assert csp == render.content_security_policy("'none'", render.inline_script_hashes(INDEX))
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"
    status, headers, body = get(running.url + "/static/no-such-file.js")
    assert status == 404
    assert headers["server"] == "nginx"
    assert b"nginx/" not in body  # error pages name no version either


def test_static_assets_are_served_by_nginx_gzipped_and_cached_for_a_year(running):
    _, _, page = get(running.url + "/")
    asset = re.search(rb'src="\./(static/js/index\.[^"]+\.js)"', page)
    assert asset is not None
    path = asset.group(1).decode()
    status, headers, body = get(f"{running.url}/{path}", {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    assert headers["x-content-type-options"] == "nosniff"
    assert gzip.decompress(body) == (render.streamlit_static() / path).read_bytes()
    assert f'"GET /{path} HTTP/1.1" 200' in "\n".join(access_log(running))
    assert any(f"GET /{path} " in line and "upstream=-" in line for line in access_log(running))


def test_health_answers_through_nginx_and_from_every_replica(running):
    assert stack.healthy(running.url)
    assert all(stack.healthy(running.replica_url(i)) for i in range(2))


def _log_lines_for(st: stack.Stack, route: str) -> list[str]:
    return [line for line in access_log(st) if f"route={route}" in line]


def test_sticky_cookie_keeps_a_visitor_on_one_replica_and_visitors_spread(running):
    upstreams = set()
    for _ in range(12):
        status, headers, _ = get(running.url + "/")
        assert status == 200
        cookie = headers["set-cookie"]
        match = re.fullmatch(r"stroute=([0-9a-f]{32}); Path=/; HttpOnly; SameSite=Lax", cookie)
        assert match, cookie
        route = match.group(1)
        for _ in range(3):
            status, again, _ = get(running.url + "/hotline", {"Cookie": f"stroute={route}"})
            assert status == 200
            assert "set-cookie" not in again  # kept, not replaced
        served = {re.search(r"upstream=(\S+)", line).group(1) for line in _log_lines_for(running, route)}
        assert len(served) == 1, served  # all four requests of this visitor: one replica
        upstreams |= served
    assert upstreams == {f"127.0.0.1:{p}" for p in running.replica_ports}  # 12 visitors: both used


def _upgrade(st: stack.Stack, origin: str | None) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", st.port, timeout=10)
    headers = {
        "Upgrade": "websocket",
        "Connection": "Upgrade",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Protocol": "streamlit",
    }
    if origin:
        headers["Origin"] = origin
    conn.request("GET", "/_stcore/stream", headers=headers)
    status = conn.getresponse().status
    conn.close()
    return status


def test_websocket_upgrades_from_the_same_site_and_is_refused_from_another(running):
    assert _upgrade(running, f"http://127.0.0.1:{running.port}") == 101
    assert _upgrade(running, None) == 101
    assert _upgrade(running, "https://evil.example") == 403
    assert _upgrade(running, f"http://127.0.0.1:{running.port}.evil.example") == 403


def test_request_body_over_the_upload_limit_is_refused_by_nginx(running):
    with socket.create_connection(("127.0.0.1", running.port), timeout=10) as s:
        s.sendall(
            b"PUT /_stcore/upload_file/x/y HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + f"Content-Length: {20 * 1024 * 1024 + 1}\r\n\r\n".encode()
        )
        reply = s.recv(4096).decode(errors="replace")
    assert reply.startswith("HTTP/1.1 413 "), reply[:200]


def test_stop_ends_every_process_it_started(tmp_path):
    if stack.nginx_binary() is None:
        pytest.skip(NO_NGINX)
    st = stack.start(tmp_path, port=stack.free_port(), replicas=2)
    pids = [int(p.read_text()) for p in sorted(tmp_path.glob("*.pid"))]
    assert len(pids) == 3
    assert all(Path(f"/proc/{pid}").exists() for pid in pids)
    workers = [
        int(p.name)
        for p in Path("/proc").iterdir()
        if p.name.isdigit() and _ppid(int(p.name)) == int((tmp_path / "nginx.pid").read_text())
    ]
    assert workers  # nginx's workers, ended with their master
    assert sorted(stack.stop(tmp_path)) == sorted(pids)
    assert not stack.healthy(st.url)
    for pid in [*pids, *workers]:
        assert not _alive(pid), pid
    assert list(tmp_path.glob("*.pid")) == []
    assert stack.stop(tmp_path) == []  # twice is harmless


def _ppid(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return -1


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status waits to be read
