"""Load test of the HTTP API: many concurrent clients against a real `supplier-search serve`
on loopback, bounded in clients and seconds, while an ingest commits once in another process.

    python -m benchmarks.load --corpus corpus/ --clients 50 --seconds 60

Each client keeps one HTTP/1.1 connection and loops over a fixed mix — plain searches, searches
with facet filters, profiles of ids seen in results, the supplier list — until the time is up.
Halfway through, a new document is written into a copy of the corpus and `supplier-search
ingest` commits it. Reported: requests, errors (any status other than 200 or a failed
connection), throughput, p50/p95/p99 latency in ms, and whether the commit was seen.
Loopback only: the server binds 127.0.0.1 and the clients connect there.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import asdict, dataclass, field
from pathlib import Path

CLI = [sys.executable, "-m", "supplier_search.cli"]
SEARCHES = [
    "Präzisionsdrehteile",
    "Blechbearbeitung Sachsen",
    "precision turning",
    "Laserschneiden",
    "Zerspanung Erzgebirge",
    "Werkzeugbau",
    "Drehteile Medizintechnik",
    "welding",
]
FILTERS = [
    {"region": "Sachsen"},
    {"kind": "company"},
    {"capability": "cap.turning"},
    {"region": "Brandenburg", "kind": "company"},
]


@dataclass
class Result:
    """What a load run measured."""

    clients: int
    seconds: float
    requests: int = 0
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    throughput: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    commit_seen: bool = False
    ingest_rc: int | None = None
    server_errors: str = ""  # the end of the server's log when a request failed


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _client(port: int, stop: threading.Event, seed: int, lat: list, errs: list, ids: list) -> None:
    rnd = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    n = 0
    while not stop.is_set():
        n += 1
        kind = n % 4
        if kind == 0 and ids:
            path = "/suppliers/" + urllib.parse.quote(rnd.choice(ids))
        elif kind == 1:
            params = {"q": rnd.choice(SEARCHES), **rnd.choice(FILTERS)}
            path = "/search?" + urllib.parse.urlencode(params)
        elif kind == 2 and n % 20 == 2:
            path = "/suppliers?limit=20"
        else:
            path = "/search?" + urllib.parse.urlencode({"q": rnd.choice(SEARCHES)})
        t = time.perf_counter()
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            body = resp.read()
            if resp.status != 200:
                errs.append(f"{resp.status} {path}")
            elif path.startswith("/search") and len(ids) < 200:
                ids.extend(r["id"] for r in json.loads(body).get("results", [])[:3])
        except Exception as exc:  # noqa: BLE001  (every failure counts as an error)
            errs.append(f"{type(exc).__name__}: {exc} {path}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        lat.append(time.perf_counter() - t)
    conn.close()


def run(corpus: Path, clients: int = 50, seconds: float = 60.0) -> Result:
    """Index a copy of `corpus`, serve it, load it for `seconds` with `clients` and commit one
    more document halfway; the measured `Result`. The original corpus is never written to."""
    work = Path(tempfile.mkdtemp(prefix="load-"))
    try:
        idir = work / "index"
        docs = work / "corpus"
        shutil.copytree(corpus, docs)
        ingest_cmd = [*CLI, "ingest", str(docs), "--index", str(idir), "--wait", "60"]
        subprocess.run(ingest_cmd, check=True, capture_output=True)
        port = _free_port()
        log = (work / "serve.log").open("wb")
        server = subprocess.Popen(
            [*CLI, "serve", "--index", str(idir), "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                    c.request("GET", "/health")
                    c.getresponse().read()
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("server did not start") from None
                    time.sleep(0.1)
            res = Result(clients, seconds)
            stop = threading.Event()
            lats: list[list[float]] = [[] for _ in range(clients)]
            errs: list[str] = []
            ids: list[str] = []
            threads = [
                threading.Thread(target=_client, args=(port, stop, i, lats[i], errs, ids))
                for i in range(clients)
            ]
            t0 = time.perf_counter()
            for th in threads:
                th.start()
            time.sleep(seconds / 2)
            (docs / "txt").mkdir(exist_ok=True)
            (docs / "txt" / "lasttest-neu.txt").write_text(
                "Die Lasttest Kupferschmiede GmbH in Pirna fertigt Kupferbauteile.\n",
                encoding="utf-8",
            )
            res.ingest_rc = subprocess.run(ingest_cmd, capture_output=True).returncode
            remaining = seconds - (time.perf_counter() - t0)
            if remaining > 0:
                time.sleep(remaining)
            stop.set()
            for th in threads:
                th.join()
            elapsed = time.perf_counter() - t0
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            c.request("GET", "/search?" + urllib.parse.urlencode({"q": "Kupferbauteile"}))
            res.commit_seen = "Lasttest" in c.getresponse().read().decode("utf-8")
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()
        all_lat = sorted(x for one in lats for x in one)
        res.requests = len(all_lat) + len(errs)
        res.errors = len(errs)
        res.error_samples = errs[:5]
        if errs:
            res.server_errors = (work / "serve.log").read_text(errors="replace")[-3000:]
        res.throughput = round(len(all_lat) / elapsed, 1)
        if all_lat:
            q = statistics.quantiles(all_lat, n=100, method="inclusive")
            res.p50_ms, res.p95_ms, res.p99_ms = (round(q[i] * 1000, 1) for i in (49, 94, 98))
            res.max_ms = round(all_lat[-1] * 1000, 1)
        return res
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60.0)
    a = ap.parse_args(argv)
    res = run(Path(a.corpus), a.clients, a.seconds)
    print(json.dumps(asdict(res), indent=1))
    return 0 if res.errors == 0 and res.ingest_rc == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
