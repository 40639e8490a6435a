"""Render deploy/nginx.conf.template into a working nginx config, and the static copy it serves.

Kept apart from the process handling (deploy/stack.py) so the config can be
rendered and checked without starting anything (tests/deploy/test_deploy.py).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import os
import pwd
import re
import shutil
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from etl.publish import DEFAULT_OUT as DATA_RELEASE

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
STREAMLIT_CONFIG = ROOT / ".streamlit" / "config.toml"
COOKIE = "stroute"
# Files worth compressing; fonts and images are compressed already.
COMPRESSIBLE = {".js", ".css", ".svg", ".json", ".html", ".txt", ".map", ".mjs"}
EMBED_ANCESTORS = "*"  # /embed (a chart alone) may be framed by any site; nothing else may
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)


@dataclass
class Settings:
    """What a rendered config depends on; defaults are those of ``make serve``."""

    port: int = 8080
    replica_ports: list[int] = field(default_factory=lambda: [8501, 8502])
    run_dir: Path = ROOT / ".run"
    static_root: Path = ROOT / ".run" / "static"
    listen: str = "0.0.0.0"
    frame_ancestors: str = "'none'"  # FRAME_ANCESTORS="'self' https://portal.example.gov.cn"
    cookie_secure: bool = False  # COOKIE_SECURE=1 when TLS is terminated in front
    workers: str = "auto"
    max_body_mb: int | None = None  # None: server.maxUploadSize of .streamlit/config.toml
    data_root: Path = ROOT / DATA_RELEASE  # python -m etl publish's folder, served at /data/


def max_upload_mb(config: Path = STREAMLIT_CONFIG) -> int:
    """Streamlit's upload limit (server.maxUploadSize, MB; Streamlit's default is 200)."""
    with open(config, "rb") as f:
        return int(tomllib.load(f).get("server", {}).get("maxUploadSize", 200))


def streamlit_static() -> Path:
    """The frontend bundle inside the installed Streamlit package."""
    import streamlit

    return Path(streamlit.__file__).resolve().parent / "static"


def inline_script_hashes(index_html: Path) -> list[str]:
    """CSP sources (``'sha256-…'``) for the inline scripts of Streamlit's index.html, so the
    policy allows exactly those and no other inline script."""
    text = index_html.read_text(encoding="utf-8")
    hashes = []
    for body in _INLINE_SCRIPT.findall(text):
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        hashes.append(f"'sha256-{digest}'")
    return hashes


def content_security_policy(frame_ancestors: str, script_hashes: list[str]) -> str:
    """What Streamlit's frontend needs, all from this origin: its module scripts (plus the
    hashed inline one, and WebAssembly compilation, which its protobuf decoder uses for
    64-bit integers; no JavaScript eval), inline styles (emotion and Plotly set them),
    data:/blob: images, fonts and downloads, the websocket ('self' covers ws/wss of the
    same host)."""
    directives = [
        "default-src 'self'",
        "script-src " + " ".join(["'self'", "'wasm-unsafe-eval'", *script_hashes]),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "media-src 'self' data: blob:",
        "worker-src 'self' blob:",
        "frame-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        f"frame-ancestors {frame_ancestors}",
    ]
    return "; ".join(directives)


def security_headers(frame_ancestors: str, script_hashes: list[str]) -> dict[str, str]:
    """The headers every response gets (X-Frame-Options too when it can say the same)."""
    headers = {
        "Content-Security-Policy": content_security_policy(frame_ancestors, script_hashes),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    }
    legacy = {"'none'": "DENY", "'self'": "SAMEORIGIN"}.get(frame_ancestors.strip())
    if legacy:
        headers["X-Frame-Options"] = legacy
    return headers


def _check_frame_ancestors(value: str) -> str:
    """Refuse what would break the header line (quotes, semicolons, newlines)."""
    if not value.strip() or re.search(r"[;\"\n\r\\{}$]", value):
        raise ValueError(f"FRAME_ANCESTORS: not a list of CSP sources: {value!r}")
    return value.strip()


def _nginx_path(path: Path) -> str:
    """A directory for ``alias``, with its trailing slash, quoted (so a space stays inside)."""
    text = str(path)
    if re.search(r'["\\$;{}\n\r\t]', text):
        raise ValueError(f"data root: a path nginx cannot take: {text!r}")
    return f'"{text}/"'


def render(settings: Settings, template: Path = TEMPLATE) -> str:
    """The nginx config for ``settings`` (no placeholder left)."""
    if not settings.replica_ports:
        raise ValueError("at least one replica is needed")
    ancestors = _check_frame_ancestors(settings.frame_ancestors)
    hashes = inline_script_hashes(streamlit_static() / "index.html")
    header_lines = "\n".join(
        f'        add_header {name} "{value}" always;'
        for name, value in security_headers(ancestors, hashes).items()
    )
    upstreams = "\n".join(
        f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in settings.replica_ports
    )
    user_line = ""
    if os.geteuid() == 0:  # workers would otherwise run as "nobody", unable to read the project
        user_line = f"user {pwd.getpwuid(ROOT.stat().st_uid).pw_name};"
    embed_lines = "\n".join(
        f'        add_header {name} "{value}" always;'
        for name, value in security_headers(EMBED_ANCESTORS, hashes).items()
    )
    values = {
        "USER_LINE": user_line,
        "WORKERS": settings.workers,
        "RUN_DIR": str(settings.run_dir),
        "STATIC_ROOT": str(settings.static_root),
        "MAX_BODY_MB": str(settings.max_body_mb or max_upload_mb()),
        "COOKIE": COOKIE,
        "COOKIE_SECURE": "; Secure" if settings.cookie_secure else "",
        "UPSTREAM_SERVERS": upstreams,
        "LISTEN": settings.listen,
        "PORT": str(settings.port),
        "SECURITY_HEADERS": header_lines,
        "EMBED_HEADERS": embed_lines,
        "DATA_ROOT": _nginx_path(Path(settings.data_root).resolve()),
    }
    text = template.read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace(f"@@{name}@@", value)
    left = re.findall(r"@@[A-Z_]+@@", text)
    if left:
        raise ValueError(f"placeholders without a value: {sorted(set(left))}")
    return text


def precompress_static(dest: Path, source: Path | None = None) -> Path:
    """``dest``/static/…: links to Streamlit's bundle plus a ``.gz`` beside each text file,
    for nginx's ``gzip_static`` (compressed once per Streamlit version, not per request).

    Returns ``dest`` (nginx's ``root`` for ``/static/``). Each file is written under a
    temporary name and renamed, so two runs at once never leave half a file.
    """
    source = (source or streamlit_static()) / "static"
    for src in sorted(p for p in source.rglob("*") if p.is_file()):
        target = dest / "static" / src.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            tmp.unlink(missing_ok=True)
            tmp.symlink_to(src)
            tmp.replace(target)
        gz = target.with_name(target.name + ".gz")
        if src.suffix in COMPRESSIBLE and not gz.exists():
            tmp = gz.with_name(f".{gz.name}.{os.getpid()}.tmp")
            with open(src, "rb") as fin, gzip.GzipFile(tmp, "wb", compresslevel=9, mtime=0) as fout:
                shutil.copyfileobj(fin, fout)
            tmp.replace(gz)
    return dest


def main(argv: list[str] | None = None) -> int:
    """``python -m deploy.render --port 80 --replicas 8501,8502``: the config on stdout (for
    the systemd units); the static copy is made under .run/static/<Streamlit version>."""
    import argparse
    import sys

    import streamlit

    parser = argparse.ArgumentParser(description=main.__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--replicas", default="8501,8502", help="replica ports, comma-separated")
    parser.add_argument("--run-dir", type=Path, default=ROOT / ".run")
    parser.add_argument("--frame-ancestors", default=os.environ.get("FRAME_ANCESTORS", "'none'"))
    parser.add_argument("--cookie-secure", action="store_true")
    parser.add_argument("--data-root", type=Path, default=ROOT / DATA_RELEASE, help="the release, at /data/")
    args = parser.parse_args(argv)
    static_root = precompress_static(ROOT / ".run" / "static" / streamlit.__version__)
    settings = Settings(
        port=args.port,
        replica_ports=[int(p) for p in args.replicas.split(",")],
        run_dir=args.run_dir.resolve(),
        static_root=static_root,
        frame_ancestors=args.frame_ancestors,
        cookie_secure=args.cookie_secure,
        data_root=args.data_root,
    )
    sys.stdout.write(render(settings))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
