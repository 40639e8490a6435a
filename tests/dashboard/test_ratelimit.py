"""The import-password limit (dashboard/ratelimit.py): 5 attempts a minute per client."""

from __future__ import annotations

import pytest

from dashboard import ratelimit
from dashboard.ratelimit import Limiter, client_key


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_five_attempts_a_minute_then_the_wait_until_the_oldest_expires():
    clock = Clock()
    limiter = Limiter(limit=5, window=60, clock=clock)
    for i in range(5):
        clock.now = 1000.0 + i  # attempts at 1000, 1001, …, 1004
        assert limiter.attempt("203.0.113.7") == 0.0
    clock.now = 1010.0
    assert limiter.attempt("203.0.113.7") == pytest.approx(50.0)  # the one at 1000 expires at 1060
    clock.now = 1059.5
    assert limiter.attempt("203.0.113.7") == pytest.approx(0.5)
    clock.now = 1060.0
    assert limiter.attempt("203.0.113.7") == 0.0  # one slot freed, and taken
    assert limiter.attempt("203.0.113.7") == pytest.approx(1.0)  # next frees at 1061


def test_refused_attempts_are_not_counted():
    clock = Clock()
    limiter = Limiter(limit=2, window=60, clock=clock)
    assert [limiter.attempt("a") for _ in range(2)] == [0.0, 0.0]
    for _ in range(50):  # hammering while refused does not push the wait further out
        assert limiter.attempt("a") == pytest.approx(60.0)
    clock.now += 60
    assert limiter.attempt("a") == 0.0


def test_clients_are_counted_apart_and_reset_forgets_one():
    clock = Clock()
    limiter = Limiter(limit=1, window=60, clock=clock)
    assert limiter.attempt("a") == 0.0
    assert limiter.attempt("a") > 0
    assert limiter.attempt("b") == 0.0
    limiter.reset("a")
    assert limiter.attempt("a") == 0.0
    assert limiter.attempt("b") > 0


def test_memory_is_bounded_forgetting_the_least_recently_seen_client():
    limiter = Limiter(limit=1, window=60, clock=Clock(), max_keys=3)
    for key in ("a", "b", "c"):
        assert limiter.attempt(key) == 0.0
    assert limiter.attempt("a") > 0  # "a" seen again: now the most recent
    assert limiter.attempt("d") == 0.0  # evicts "b", the least recently seen
    assert set(limiter._hits) == {"c", "a", "d"}
    assert limiter.attempt("b") == 0.0  # forgotten, so allowed again


def test_the_peer_is_the_client_when_no_proxy_is_trusted():
    forged = {"X-Real-IP": "198.51.100.1", "X-Forwarded-For": "198.51.100.2"}
    assert client_key("203.0.113.7", forged, set()) == "203.0.113.7"
    assert client_key(None, forged, set()) == "127.0.0.1"  # Streamlit reports loopback as None
    # a peer that is not the trusted proxy cannot choose its key with headers either
    assert client_key("203.0.113.7", forged, {"127.0.0.1"}) == "203.0.113.7"


def test_behind_a_trusted_proxy_the_address_it_reports():
    trusted = {"127.0.0.1"}
    assert client_key(None, {"x-real-ip": "203.0.113.7"}, trusted) == "203.0.113.7"
    # X-Forwarded-For: the right-most hop that is not the proxy; entries to its left are the client's own
    xff = {"X-Forwarded-For": "10.9.9.9, 203.0.113.7, 127.0.0.1"}
    assert client_key("127.0.0.1", xff, trusted) == "203.0.113.7"
    assert client_key("127.0.0.1", {}, trusted) == "127.0.0.1"  # nothing reported: the proxy itself


def test_trusted_proxies_from_the_environment():
    assert ratelimit.trusted_proxies({"DASHBOARD_TRUSTED_PROXIES": " 127.0.0.1, ::1 ,"}) == {
        "127.0.0.1",
        "::1",
    }
    assert ratelimit.trusted_proxies({}) == set()


def test_wait_message_says_how_long_in_whole_seconds():
    assert ratelimit.wait_message(49.2) == "尝试次数过多：每分钟最多 5 次。请 50 秒后再试。"


LOGIN_SCRIPT = """
import streamlit as st
from dashboard import ratelimit

wait = ratelimit.login_attempt()
st.error(ratelimit.wait_message(wait)) if wait else st.write("attempt allowed")
"""


def test_in_a_streamlit_session_the_sixth_attempt_within_a_minute_is_refused(monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setattr(ratelimit, "_login", Limiter())
    at = AppTest.from_string(LOGIN_SCRIPT)
    for _ in range(5):
        at.run()
        assert not at.exception
        assert [m.value for m in at.markdown] == ["attempt allowed"]
        assert len(at.error) == 0
    at.run()
    assert len(at.error) == 1
    assert at.error[0].value.startswith("尝试次数过多：每分钟最多 5 次。请 ")
    ratelimit.login_succeeded()
    at.run()
    assert [m.value for m in at.markdown] == ["attempt allowed"]
