"""The load test's short version (CI): 8 clients for 6 s against a real `supplier-search serve`
on loopback while an ingest commits — zero errors and the commit visible; times are measured
by `python -m benchmarks.load` (BENCHMARKS.md), not checked here."""

from __future__ import annotations

from pathlib import Path

from benchmarks.load import run

ROOT = Path(__file__).resolve().parents[1]


def test_concurrent_clients_during_a_commit_get_no_errors():
    res = run(ROOT / "corpus", clients=8, seconds=6)
    assert res.errors == 0, res.error_samples
    assert res.requests > 100 and res.ingest_rc == 0 and res.commit_seen
