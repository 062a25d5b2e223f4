"""Warm latency of the HTTP API on the demo corpus, over real HTTP.

    python -m benchmarks.api_latency [--requests 50] [--index DIR] [--json]

Builds the demo index from corpus/ (its document folders, as `scripts/demo.sh` does) in a
temporary folder unless `--index` names one, starts `supplier-search serve` on a free port in
its own process, sends every request once to warm the server (imports, searcher, evidence
caches), then times `--requests` sequential requests per endpoint with urllib — connection,
request, the whole response read — and prints p50/p95 per endpoint in milliseconds. Beside it,
the same library call made in this process (`Directory.search`, `show`, `stats`): the
difference is what HTTP, validation and JSON add.

Searches cycle through several queries, profiles through several suppliers, so the numbers are
not one cached answer repeated. The machine and its load average are printed with the table:
compare numbers only from the same machine at a similar load.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.measure import machine, percentiles

ROOT = Path(__file__).resolve().parents[1]
QUERIES = [
    "Präzisionsdrehteile Osterzgebirge",
    "cable assembly",
    "Kabelkonfecktion",
    "Getriebe Dresden",
    "Medizintechnik",
    "Optik Rathenow",
    "Drehteile Freiberg",
    "Luftfahrt Chemnitz",
]


@dataclass
class Endpoint:
    """One endpoint: the requests to cycle through, and the same work done in-process."""

    name: str
    paths: list[str]
    direct: Callable[[int], object] | None = None


def _url(path: str, **params) -> str:
    return path + ("?" + urllib.parse.urlencode(params, doseq=True) if params else "")


def endpoints(directory) -> list[Endpoint]:
    """The API's endpoints with representative requests on the demo corpus."""
    ids = [r["id"] for r in directory.search("", limit=8)["results"]]
    return [
        Endpoint(
            "GET /search",
            [_url("/search", q=q) for q in QUERIES],
            lambda i: directory.search(QUERIES[i % len(QUERIES)]),
        ),
        Endpoint(
            "GET /search (filters only)",
            [_url("/search", region="Sachsen", capability="Drehen")],
            lambda i: directory.search("", region="Sachsen", capability="Drehen"),
        ),
        Endpoint(
            "GET /suppliers",
            [_url("/suppliers", limit=100)],
            lambda i: directory.search("", kind=list(_kinds()), limit=100),
        ),
        Endpoint(
            "GET /suppliers/{id}",
            [f"/suppliers/{urllib.parse.quote(i)}" for i in ids],
            lambda i: directory.show(ids[i % len(ids)]),
        ),
        Endpoint("GET /export.csv", [_url("/export.csv", region="Sachsen")]),
        Endpoint("GET /export.xlsx", [_url("/export.xlsx", region="Sachsen")]),
        Endpoint("GET /health", ["/health"], lambda i: directory.stats()),
        Endpoint(
            "GET /changes",
            [_url("/changes", since="2000-01-01")],  # the whole feed: every organization added
            lambda i: directory.changes("2000-01-01"),
        ),
        Endpoint("GET /openapi.json", ["/openapi.json"]),
        Endpoint("GET /docs", ["/docs"]),
    ]


def _kinds():
    from ingest.records import ORG_KINDS

    return ORG_KINDS


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(base: str, path: str) -> bytes:
    with urllib.request.urlopen(base + path, timeout=60) as r:
        if r.status != 200:
            raise RuntimeError(f"{path}: HTTP {r.status}")
        return r.read()


def _time(fn: Callable[[int], object], n: int) -> list[float]:
    out = []
    for i in range(n):
        t = time.perf_counter()
        fn(i)
        out.append((time.perf_counter() - t) * 1000)
    return out


def measure(index_dir: Path, n: int) -> dict:
    """Start a server on `index_dir`, time every endpoint, stop the server."""
    from index.search import Directory

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = tempfile.TemporaryFile()
    server = subprocess.Popen(
        [sys.executable, "-m", "supplier_search.cli", "serve"]
        + ["--index", str(index_dir), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=log,
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(base, "/health")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError("server did not start:\n" + log.read().decode()) from None
                time.sleep(0.1)
        directory = Directory(index_dir)
        rows = []
        for ep in endpoints(directory):
            for path in ep.paths:  # warm: every request once
                _get(base, path)
            if ep.direct:
                for i in range(len(ep.paths)):
                    ep.direct(i)
            http = _time(lambda i, ep=ep: _get(base, ep.paths[i % len(ep.paths)]), n)
            size = len(_get(base, ep.paths[0]))
            direct = _time(ep.direct, n) if ep.direct else None
            rows.append(
                {
                    "endpoint": ep.name,
                    "http": percentiles(http),
                    "in_process": percentiles(direct) if direct else None,
                    "bytes": size,
                }
            )
        return {"requests": n, "index": str(index_dir), "endpoints": rows}
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def table(result: dict) -> str:
    lines = [
        "| endpoint | p50 ms | p95 ms | in-process p50 ms | response bytes |",
        "|---|---|---|---|---|",
    ]
    for r in result["endpoints"]:
        direct = f"{r['in_process']['p50']:.1f}" if r["in_process"] else ""
        lines.append(
            f"| {r['endpoint']} | {r['http']['p50']:.1f} | {r['http']['p95']:.1f} | {direct} "
            f"| {r['bytes']:,} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=50, help="timed requests per endpoint")
    ap.add_argument("--index", help="an existing index (default: build the demo corpus's)")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    a = ap.parse_args(argv)
    info = machine()
    with tempfile.TemporaryDirectory(prefix="api-latency-") as tmp:
        index_dir = Path(a.index) if a.index else Path(tmp) / "index"
        if not a.index:
            from index.build import ingest

            corpus = ROOT / "corpus"
            ingest([corpus / "html", corpus / "pdf", corpus / "txt"], index_dir=index_dir)
        result = measure(index_dir, a.requests)
    result["machine"] = info
    result["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    if a.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    print(table(result))
    print(
        f"\n{a.requests} warm requests per endpoint, sequential, over HTTP on 127.0.0.1; "
        f"{info['cpu']} ({info['cores']} cores), commit {info['commit']}, "
        f"load average {info['load_average_at_start']} at start, "
        f"{result['load_average_at_end']} at end"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
