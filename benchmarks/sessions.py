"""Many browser-less Streamlit sessions at once against the real app (issue 15, "Under load").

    python -m benchmarks.sessions [--sessions 20] [--seconds 30] [--json]

Builds the demo index from corpus/html, corpus/pdf and corpus/txt in a temporary folder, starts
the real app (`streamlit run ui/streamlit_app.py --server.headless true`, loopback only, with
Streamlit's agent API switched on) and drives every session through
`POST /_stcore/agent/interact`: the API takes the browser's rerun path on the server — one
`AppSession` and script run per session, widget values applied as a browser's would be — so
the memory and the reruns measured are those of real sessions, without a browser or a
hand-built websocket protocol. AppTest in threads would share one process with the clients and
measure no server at all.

Each session loops until the time is up: a search (a new query typed, the Bundesland filter
cleared), a facet click (one Bundesland from the options the page offers now), opening the
first result's profile, and back to the results. Each interaction's wall time is the HTTP
round trip, which holds the full rerun and the snapshot the API builds from it (JSON of the
whole page, more than a browser's delta), so it is an upper bound of what a browser waits.

Memory: the resident set of the server process after one warm-up session has loaded the index
and filled the caches (every query, facet option and first profile once), then again at the end
with all sessions still alive (agent sessions stay until idle for `server.agentSessionTTL`);
memory per session is the difference over the number of sessions. Errors are any non-200 answer (a 202 `wait_timed_out` included), a page that raised,
or a failed connection.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks.measure import machine, percentiles, tree_rss

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "ui" / "streamlit_app.py"
ROUTE = "/_stcore/agent/interact"
# queries that find suppliers in the demo corpus, German, English and one misspelt
QUERIES = [
    "Kabelkonfektion",
    "cable assembly",
    "Getriebe",
    "Medizintechnik",
    "Optik Rathenow",
    "Mikroelektronik",
    "Armaturen",
    "Feinmechanik",
    "Schleiftechnik",
    "Zerspanung Erzgebirge",
    "precision mechanics",
    "Blechbearbeitung Sachsen",
    "Werkzeugbau",
    "welding",
    "Feinwerktechnick",
]
KINDS = ("open", "search", "facet", "profile", "back")


class SessionError(Exception):
    """One interaction that did not give a finished page."""


@dataclass
class SessionStats:
    """What one session did and saw."""

    interactions: int = 0
    searches: int = 0
    searches_with_results: int = 0
    profiles_shown: int = 0
    latency_ms: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in KINDS})
    errors: list[str] = field(default_factory=list)


@dataclass
class Result:
    """What a sessions run measured."""

    sessions: int
    seconds: float
    interactions: int = 0
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    latency_ms: dict = field(default_factory=dict)  # "all" and per kind: p50/p95/p99/mean/n
    max_ms: float = 0.0
    searches_with_results: list[int] = field(default_factory=list)  # per session
    profiles_shown: list[int] = field(default_factory=list)  # per session
    rss_base_mb: float = 0.0
    rss_end_mb: float = 0.0
    rss_peak_mb: float = 0.0
    mb_per_session: float = 0.0
    server_cpu_s: float = 0.0  # the app process's CPU time during the run
    client_cpu_s: float = 0.0  # this process's (the sessions' HTTP and JSON work)
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)
    machine: dict = field(default_factory=dict)
    options: tuple[str, ...] = ()  # Streamlit options the app ran with
    server_log: str = ""  # the end of the server's log when something failed


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_s(pid: int) -> float:
    """User plus system CPU seconds of a process so far, from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _find(node: dict, key: str) -> dict | None:
    if node.get("key") == key:
        return node
    for child in node.get("children") or []:
        hit = _find(child, key)
        if hit:
            return hit
    return None


def _exception_text(node: dict) -> str:
    if node.get("type") == "exception":
        return str(node.get("props", {}).get("message", "exception"))[:300]
    for child in node.get("children") or []:
        text = _exception_text(child)
        if text:
            return text
    return ""


class AgentSession:
    """One app session driven over the agent API on its own keep-alive connection."""

    def __init__(self, port: int, timeout: float = 60) -> None:
        self.port, self.timeout = port, timeout
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.id: str | None = None
        self.page: dict = {}

    def interact(self, body: dict) -> float:
        """Send one request, keep the finished page; its wall time in ms, or SessionError."""
        if self.id:
            body = {"session_id": self.id, **body}
        data = json.dumps(body).encode("utf-8")
        t = time.perf_counter()
        try:
            self.conn.request("POST", ROUTE, data, {"Content-Type": "application/json"})
            resp = self.conn.getresponse()
            raw = resp.read()
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            raise SessionError(f"{type(exc).__name__}: {exc}") from exc
        ms = (time.perf_counter() - t) * 1000
        if resp.status != 200:
            raise SessionError(f"HTTP {resp.status}: {raw[:300].decode('utf-8', 'replace')}")
        page = json.loads(raw)
        self.id = page["session_id"]
        self.page = page
        if page.get("status") != "ready":
            raise SessionError(f"page raised: {_exception_text(page['tree'])}")
        return ms

    def action_keys(self, prefix: str = "") -> list[str]:
        return [a["key"] for a in self.page.get("actions", []) if a["key"].startswith(prefix)]

    def close(self) -> None:
        self.conn.close()


def _cycle(s: AgentSession, rnd: random.Random, stats: SessionStats) -> None:
    """Search, facet, profile, back: what a purchaser does most, once."""

    def step(kind: str, body: dict) -> None:
        stats.latency_ms[kind].append(s.interact(body))
        stats.interactions += 1

    if "back" in s.action_keys():
        step("back", {"trigger": {"key": "back"}})
    step("search", {"widget_state": {"w_q": rnd.choice(QUERIES), "w_region_state": []}})
    stats.searches += 1
    if s.action_keys("open-"):
        stats.searches_with_results += 1
    facet = _find(s.page["tree"], "w_region_state")
    options = (facet or {}).get("props", {}).get("options") or []
    if options:
        step("facet", {"widget_state": {"w_region_state": [rnd.choice(options)]}})
    cards = s.action_keys("open-")
    if cards:
        step("profile", {"trigger": {"key": cards[0]}})
        if "back" in s.action_keys() and s.page.get("query_params", {}).get("id"):
            stats.profiles_shown += 1


def _warm_up(port: int, queries: list[str]) -> None:
    """Every query, each of its Bundesland options and its first profile once, in one session,
    so the app's caches (index, searches, profiles) are full before the base memory is taken
    and what the sessions add is their own state, not cache entries any session would fill."""
    s = AgentSession(port)
    s.interact({})
    for q in queries:
        if "back" in s.action_keys():
            s.interact({"trigger": {"key": "back"}})
        s.interact({"widget_state": {"w_q": q, "w_region_state": []}})
        facet = _find(s.page["tree"], "w_region_state")
        for option in (facet or {}).get("props", {}).get("options") or []:
            s.interact({"widget_state": {"w_region_state": [option]}})
            s.interact({"widget_state": {"w_region_state": []}})
        for key in s.action_keys("open-")[:1]:
            s.interact({"trigger": {"key": key}})
    s.close()


def _drive(port: int, stop: threading.Event, start: threading.Barrier, seed: int) -> SessionStats:
    stats = SessionStats()
    rnd = random.Random(seed)
    s = AgentSession(port)
    try:
        start.wait()
        stats.latency_ms["open"].append(s.interact({}))
        stats.interactions += 1
        while not stop.is_set():
            try:
                _cycle(s, rnd, stats)
            except SessionError as exc:
                stats.errors.append(str(exc))
                if s.id is None:
                    break
    except SessionError as exc:
        stats.errors.append(str(exc))
    finally:
        s.close()
    return stats


def build_index(where: Path) -> Path:
    """The demo index, built from the corpus's document folders into `where`."""
    from index.build import ingest

    idir = where / "index"
    ingest([ROOT / "corpus" / k for k in ("html", "pdf", "txt")], index_dir=idir)
    return idir


def start_app(
    index_dir: Path, port: int, log: Path, options: tuple[str, ...] = ()
) -> subprocess.Popen:
    """The real app on loopback with the agent API on, plus Streamlit `options` (`section.key=
    value`, as `--section.key value` on its command line); returns once it answers health
    checks."""
    env = {**os.environ, "SUPPLIER_SEARCH_INDEX": str(index_dir)}
    env.pop("SUPPLIER_SEARCH_STAFF_PASSWORD", None)
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.enableAgentApi",
        "true",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
    ]
    for opt in options:
        key, _, value = opt.partition("=")
        cmd += [f"--{key}", value]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while True:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", "/_stcore/health")
            if c.getresponse().status == 200:
                return proc
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"the app did not start: {log.read_text(errors='replace')[-2000:]}")
        time.sleep(0.2)


def run(
    sessions: int = 20,
    seconds: float = 30.0,
    options: tuple[str, ...] = (),
    full_warm_up: bool = True,
) -> Result:
    """Start the app on a fresh demo index (with Streamlit `options`, see `start_app`), drive
    `sessions` sessions at once for `seconds`; the measured `Result`. Nothing outside a
    temporary folder is written. `full_warm_up=False` only opens the app once before (the index
    loaded, the caches not filled): enough for counting errors, not for memory per session."""
    work = Path(tempfile.mkdtemp(prefix="sessions-"))
    res = Result(sessions, seconds, options=options, machine=machine())
    try:
        idir = build_index(work)
        port = _free_port()
        log = work / "app.log"
        proc = start_app(idir, port, log, options)
        try:
            _warm_up(port, QUERIES if full_warm_up else [])
            time.sleep(1.0)
            res.rss_base_mb = round(tree_rss(proc.pid) / 2**20, 1)
            res.load_before = os.getloadavg()
            stop = threading.Event()
            start = threading.Barrier(sessions + 1)
            out: list[SessionStats] = [SessionStats() for _ in range(sessions)]

            def one(i: int) -> None:
                out[i] = _drive(port, stop, start, i)

            threads = [threading.Thread(target=one, args=(i,)) for i in range(sessions)]
            for th in threads:
                th.start()
            peak = 0
            cpu0, own0 = _cpu_s(proc.pid), time.process_time()
            start.wait()
            t_end = time.monotonic() + seconds
            while time.monotonic() < t_end:
                peak = max(peak, tree_rss(proc.pid))
                time.sleep(0.25)
            stop.set()
            for th in threads:
                th.join()
            res.load_after = os.getloadavg()
            res.server_cpu_s = round(_cpu_s(proc.pid) - cpu0, 2)
            res.client_cpu_s = round(time.process_time() - own0, 2)
            end = tree_rss(proc.pid)
            res.rss_end_mb = round(end / 2**20, 1)
            res.rss_peak_mb = round(max(peak, end) / 2**20, 1)
            res.mb_per_session = round((res.rss_end_mb - res.rss_base_mb) / sessions, 2)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        errors = [e for s in out for e in s.errors]
        every = [x for s in out for xs in s.latency_ms.values() for x in xs]
        res.interactions = sum(s.interactions for s in out)
        res.errors = len(errors)
        res.error_samples = errors[:5]
        res.latency_ms = {"all": percentiles(every)} | {
            k: percentiles([x for s in out for x in s.latency_ms[k]]) for k in KINDS
        }
        res.max_ms = round(max(every, default=0.0), 1)
        res.searches_with_results = [s.searches_with_results for s in out]
        res.profiles_shown = [s.profiles_shown for s in out]
        if errors:
            res.server_log = log.read_text(errors="replace")[-3000:]
        return res
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="SECTION.KEY=VALUE",
        help="a Streamlit option for the app, e.g. runner.postScriptGC=false",
    )
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    res = run(a.sessions, a.seconds, tuple(a.option))
    if a.json:
        print(json.dumps(asdict(res), indent=2, ensure_ascii=False))
        return 0 if res.errors == 0 else 1
    lat = res.latency_ms
    print(
        "| sessions | s | interactions | errors | MB base | MB end | MB/session "
        "| p50 ms | p95 ms | p99 ms | max ms |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {res.sessions} | {res.seconds:g} | {res.interactions:,} | **{res.errors}** "
        f"| {res.rss_base_mb} | {res.rss_end_mb} | {res.mb_per_session} "
        f"| {lat['all']['p50']} | {lat['all']['p95']} | {lat['all']['p99']} | {res.max_ms} |"
    )
    print()
    print("| interaction | n | p50 ms | p95 ms |")
    print("|---|---|---|---|")
    for k in KINDS:
        print(f"| {k} | {lat[k]['n']} | {lat[k]['p50']} | {lat[k]['p95']} |")
    print()
    print(f"searches with results per session: {res.searches_with_results}")
    print(f"profiles shown per session: {res.profiles_shown}")
    print(f"Streamlit options: {list(res.options) or 'defaults'}")
    print(f"CPU s: app {res.server_cpu_s}, clients {res.client_cpu_s}")
    print(f"load average before {res.load_before}, after {res.load_after}; {res.machine}")
    if res.errors:
        print("errors:", *res.error_samples, sep="\n  ")
        print(res.server_log)
    return 0 if res.errors == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
