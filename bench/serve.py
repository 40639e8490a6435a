"""Serving benchmark (a script, not a test): ``python bench/serve.py [--views 10 --total 40 --sessions 20]``.

A page view is what a visitor's browser asks of the server, replayed without a
browser: the page's HTML, then (a first visit, empty cache) every /static/ file
Chromium fetched for /trading (recorded once at the start), then Streamlit's
websocket with the script run of /trading to its end. Figures are ratios
against a baseline measured in the same run:

1. cpu     — server CPU (replicas + nginx, from /proc) per first-visit view through
             nginx, against the same view from the Streamlit process alone (1 replica,
             its own port, views interleaved); also per view with a warm cache.
2. rate    — first-visit views per second through nginx with 2 replicas against 1
             (``--clients`` at once, ``--total`` views each).
3. sessions — ``--sessions`` websocket sessions at once through nginx (2 replicas):
             p50/p95 to the end of the script run, against one session alone.

Only 127.0.0.1 is used; every loop has a bound and every wait a timeout; the stacks
started here (deploy/stack.py) are stopped at the end.
"""

from __future__ import annotations

import asyncio
import http.client
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402
from deploy import stack  # noqa: E402

PAGE = "trading"
QUERY = "year=2019"
TIMEOUT = 60.0


# --------------------------------------------------------------------------- one page view


def fetch_http(base: str, assets: list[str], cookie: str | None) -> str | None:
    """The HTML of /trading and (``assets``) the static files, on one keep-alive connection
    with gzip accepted, as a browser asks; returns the sticky cookie nginx set, if any."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=TIMEOUT)
    headers = {"Accept-Encoding": "gzip", **({"Cookie": f"stroute={cookie}"} if cookie else {})}
    try:
        for path in [f"/{PAGE}?{QUERY}", *assets]:
            conn.request("GET", path, headers=headers)
            resp = conn.getresponse()
            resp.read()
            if resp.status != 200:
                raise RuntimeError(f"{base}{path}: HTTP {resp.status}")
            set_cookie = resp.getheader("Set-Cookie") or ""
            match = re.match(r"stroute=([0-9a-f]+)", set_cookie)
            if match:
                cookie = match.group(1)
                headers["Cookie"] = f"stroute={cookie}"
    finally:
        conn.close()
    return cookie


async def ws_run(base: str, cookie: str | None, page: str = PAGE) -> None:
    """Streamlit's websocket: the first script run of /``page``, to its end."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    url = base.replace("http://", "ws://", 1) + "/_stcore/stream"
    extra = {"Cookie": f"stroute={cookie}"} if cookie else {}
    async with websockets.connect(
        url, subprotocols=["streamlit"], max_size=None, open_timeout=TIMEOUT, additional_headers=extra
    ) as ws:
        msg = BackMsg()
        msg.rerun_script.query_string = QUERY
        msg.rerun_script.page_name = page
        await ws.send(msg.SerializeToString())
        for _ in range(10_000):  # bounded: a page is a few hundred messages
            forward = ForwardMsg()
            forward.ParseFromString(await asyncio.wait_for(ws.recv(), TIMEOUT))
            if forward.WhichOneof("type") == "script_finished":
                return
    raise RuntimeError("the script run did not finish")


async def view(base: str, assets: list[str]) -> float:
    """One page view (``assets`` empty: a warm cache); its wall-clock seconds."""
    start = time.perf_counter()
    cookie = await asyncio.to_thread(fetch_http, base, assets, None)
    await ws_run(base, cookie)
    return time.perf_counter() - start


# --------------------------------------------------------------------------- set-up


def record_assets(url: str) -> list[str]:
    """The /static/ paths Chromium fetches on a first visit of /trading (empty cache)."""
    from tests.e2e.helpers import chart_count, main_text, wait_for_app

    seen: list[str] = []
    with common.sync_chromium() as browser:
        context = browser.new_context(viewport=common.VIEWPORT)
        page = context.new_page()
        page.on("request", lambda r: seen.append(urlsplit(r.url).path) if "/static/" in r.url else None)
        page.goto(f"{url}/{PAGE}?{QUERY}")
        wait_for_app(page, timeout=TIMEOUT * 1000)
        page.wait_for_timeout(2000)  # late chunks (fonts, lazy modules, Plotly)
        if chart_count(page) < 1:
            raise RuntimeError(f"no chart drawn on /{PAGE} in Chromium: {page.url} {main_text(page)[:300]!r}")
        context.close()
    return sorted(set(seen))


def server_cpu(st: stack.Stack) -> float:
    """CPU seconds so far of every replica and of nginx (master and workers)."""
    pids = [int(p.read_text()) for p in st.run_dir.glob("*.pid")]
    return sum(common.tree_cpu_seconds(pid) for pid in pids)


def nginx_cpu(st: stack.Stack) -> float:
    return common.tree_cpu_seconds(int((st.run_dir / "nginx.pid").read_text()))


# --------------------------------------------------------------------------- the three parts


def bench_cpu(st: stack.Stack, assets: list[str], views: int) -> None:
    """Interleaved: a view straight to the replica, then one through nginx, ``views`` times each."""
    cost: dict[str, list[float]] = {"alone": [], "nginx": [], "alone-warm": [], "nginx-warm": []}
    targets = {"alone": st.replica_url(0), "nginx": st.url}
    for _ in range(views):
        for name, base in targets.items():
            for suffix, files in (("", assets), ("-warm", [])):
                before = server_cpu(st)
                asyncio.run(view(base, files))
                time.sleep(0.05)  # let the replica finish its bookkeeping after the run
                cost[name + suffix].append(server_cpu(st) - before)
    alone, through = statistics.mean(cost["alone"]), statistics.mean(cost["nginx"])
    warm_alone, warm_through = statistics.mean(cost["alone-warm"]), statistics.mean(cost["nginx-warm"])
    print(f"1. server CPU per page view of /{PAGE} (mean of {views}; replica + nginx, from /proc)")
    print(f"   first visit, Streamlit alone         {alone * 1000:7.1f} ms   (baseline)")
    print(f"   first visit, through nginx           {through * 1000:7.1f} ms   {through / alone:5.2f}×")
    print(f"   warm cache,  Streamlit alone         {warm_alone * 1000:7.1f} ms   {warm_alone / alone:5.2f}×")
    print(
        f"   warm cache,  through nginx           {warm_through * 1000:7.1f} ms   {warm_through / alone:5.2f}×"
    )
    print(f"   ({len(assets)} static files a first visit fetches; nginx used {nginx_cpu(st):.2f} s in all)")


async def _rate(base: str, assets: list[str], clients: int, total: int) -> float:
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(total):
        queue.put_nowait(i)

    async def client() -> None:
        while not queue.empty():
            queue.get_nowait()
            await view(base, assets)

    start = time.perf_counter()
    await asyncio.wait_for(asyncio.gather(*(client() for _ in range(clients))), timeout=600)
    return total / (time.perf_counter() - start)


def bench_rate(stacks: dict[int, stack.Stack], assets: list[str], clients: int, total: int) -> None:
    rates = {n: asyncio.run(_rate(st.url, assets, clients, total)) for n, st in stacks.items()}
    print(f"2. first-visit views per second through nginx ({clients} clients at once, {total} views)")
    print(f"   1 replica   {rates[1]:6.2f} views/s   (baseline)")
    print(f"   2 replicas  {rates[2]:6.2f} views/s   {rates[2] / rates[1]:5.2f}×")


async def _sessions(base: str, n: int, bursts: int) -> tuple[list[float], list[float]]:
    single, together = [], []
    for _ in range(bursts):
        for _ in range(3):
            single.append(await view(base, []))
        together += await asyncio.wait_for(asyncio.gather(*(view(base, []) for _ in range(n))), 300)
    return single, together


def bench_sessions(st: stack.Stack, n: int, bursts: int) -> None:
    single, together = asyncio.run(_sessions(st.url, n, bursts))
    one = statistics.median(single)
    p50, p95 = common.percentile(together, 50), common.percentile(together, 95)
    print(f"3. {n} sessions at once through nginx, 2 replicas (websocket level, {bursts} bursts)")
    print(f"   one session alone (median)  {one * 1000:7.0f} ms   (baseline)")
    print(f"   p50 of {n} at once           {p50 * 1000:7.0f} ms   {p50 / one:5.2f}×")
    print(f"   p95 of {n} at once           {p95 * 1000:7.0f} ms   {p95 / one:5.2f}×")


# --------------------------------------------------------------------------- main


def main() -> int:
    parser = common.arg_parser(__doc__)
    parser.add_argument("--views", type=int, default=10, help="page views per kind for the CPU figure (10)")
    parser.add_argument("--clients", type=int, default=8, help="clients at once for the rate (8)")
    parser.add_argument("--total", type=int, default=40, help="views per rate measurement (40)")
    parser.add_argument("--sessions", type=int, default=20, help="sessions at once (20)")
    parser.add_argument("--bursts", type=int, default=2, help="bursts of sessions (2)")
    args = parser.parse_args()
    common.require_chromium(parser)
    if stack.nginx_binary() is None:
        parser.error("nginx is not installed (apt-get install nginx; scripts/setup.sh serve does it)")

    from etl.pipeline import build

    print(f"Serving benchmark — {common.machine_line()}")
    with tempfile.TemporaryDirectory(prefix="serve-bench-") as tmp:
        from tests import fixtures

        reports = Path(tmp) / "reports"  # the seed alone: the same page whatever data/reports holds
        fixtures.write(reports, fixtures.SEED_NAME, fixtures.seed_bytes())
        db = Path(tmp) / "dashboard.duckdb"
        build(reports, db)
        env = {"DASHBOARD_DB": str(db)}
        stacks: dict[int, stack.Stack] = {}
        try:
            for n in (1, 2):
                stacks[n] = stack.start(Path(tmp) / f"run{n}", stack.free_port(), n, env)
            for st in stacks.values():  # every replica has run the app once ("/" first) before timing
                for i in range(len(st.replica_ports)):
                    asyncio.run(ws_run(st.replica_url(i), None, page=""))
                    asyncio.run(view(st.replica_url(i), []))
            assets = record_assets(stacks[1].url)
            bench_cpu(stacks[1], assets, args.views)
            bench_rate(stacks, assets, args.clients, args.total)
            bench_sessions(stacks[2], args.sessions, args.bursts)
        finally:
            for st in stacks.values():
                stack.stop(st.run_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
