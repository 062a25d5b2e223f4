"""The sessions benchmark's short version (CI): 4 browser-less sessions for a few seconds against
the real Streamlit app on loopback, driven through Streamlit's agent API — zero errors, and every
session found suppliers and opened a profile. Times and memory are measured by
`python -m benchmarks.sessions` (BENCHMARKS.md), not checked here."""

from __future__ import annotations

from benchmarks.sessions import run


def test_concurrent_app_sessions_get_no_errors_and_each_sees_results():
    res = run(sessions=4, seconds=5, full_warm_up=False)
    assert res.errors == 0, (res.error_samples, res.server_log)
    assert all(n > 0 for n in res.searches_with_results), res.searches_with_results
    assert all(n > 0 for n in res.profiles_shown), res.profiles_shown
