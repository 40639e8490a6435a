"""A limit on import-password attempts per client: 5 a minute, then a message to wait.

In-process (each replica counts its own; with sticky sessions a visitor stays on
one). The client is the websocket peer's address, or, only when that peer is a
proxy named in DASHBOARD_TRUSTED_PROXIES (``make serve`` sets 127.0.0.1), the
address the proxy reports in X-Real-IP / X-Forwarded-For. A header from anyone
else is ignored: it could be forged to get fresh attempts.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping

MAX_ATTEMPTS = 5
WINDOW_SECONDS = 60.0
MAX_CLIENTS = 10_000  # memory bound: the oldest clients are forgotten first
LOCAL = "127.0.0.1"  # Streamlit reports a loopback peer as None


class Limiter:
    """At most ``limit`` attempts per key in any ``window`` seconds (a sliding window)."""

    def __init__(
        self,
        limit: int = MAX_ATTEMPTS,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = MAX_CLIENTS,
    ) -> None:
        self.limit, self.window, self.clock, self.max_keys = limit, window, clock, max_keys
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def attempt(self, key: str) -> float:
        """Record an attempt by ``key``; 0 if it is allowed, else the seconds to wait
        (a refused attempt is not counted, so waiting is enough)."""
        now = self.clock()
        with self._lock:
            hits = self._hits.pop(key, None) or deque()
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            self._hits[key] = hits  # re-inserted: dict order is least recently seen first
            if len(hits) >= self.limit:
                return max(hits[0] + self.window - now, 0.001)
            hits.append(now)
            while len(self._hits) > self.max_keys:
                del self._hits[next(iter(self._hits))]
            return 0.0

    def reset(self, key: str) -> None:
        """Forget ``key``'s attempts (after a successful login)."""
        with self._lock:
            self._hits.pop(key, None)


def trusted_proxies(env: Mapping[str, str] | None = None) -> set[str]:
    """DASHBOARD_TRUSTED_PROXIES: comma-separated addresses of the proxies in front."""
    raw = (os.environ if env is None else env).get("DASHBOARD_TRUSTED_PROXIES", "")
    return {part.strip() for part in raw.split(",") if part.strip()}


def client_key(peer: str | None, headers: Mapping[str, str], trusted: set[str]) -> str:
    """Who is asking: the peer, or the client a trusted proxy in front reports.

    X-Real-IP is set by the proxy itself (it overwrites any sent by the client); in
    X-Forwarded-For the right-most address that is not a trusted proxy is the one the
    proxy saw (entries to its left were written by the client and may be forged).
    """
    peer = peer or LOCAL
    if peer not in trusted:
        return peer
    lower = {k.lower(): v for k, v in headers.items()}
    real = lower.get("x-real-ip", "").strip()
    if real:
        return real
    for hop in reversed(lower.get("x-forwarded-for", "").split(",")):
        hop = hop.strip()
        if hop and hop not in trusted:
            return hop
    return peer


def wait_message(seconds: float) -> str:
    """What the visitor reads when refused."""
    return f"尝试次数过多：每分钟最多 {MAX_ATTEMPTS} 次。请 {math.ceil(seconds)} 秒后再试。"


_login = Limiter()


def current_client() -> str:
    """The client of the running Streamlit session (see ``client_key``); anything but a
    string address or a header mapping (a test harness's stand-in) counts as absent."""
    import streamlit as st

    peer, headers = st.context.ip_address, st.context.headers
    return client_key(
        peer if isinstance(peer, str) else None,
        dict(headers) if isinstance(headers, Mapping) else {},
        trusted_proxies(),
    )


def login_attempt() -> float:
    """Count one password attempt of the current client; 0 if allowed, else seconds to wait."""
    return _login.attempt(current_client())


def login_succeeded() -> None:
    _login.reset(current_client())
