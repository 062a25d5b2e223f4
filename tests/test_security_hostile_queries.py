"""Hostile queries: property-based tests (hypothesis) of `Directory.search` and of
`supplier-search search --json` with arbitrary text, operators only, query-syntax injection,
markup, lone surrogates and very long input.

Properties: the API raises nothing but `QueryError` (a message for the person who typed the
query), answers in the JSON contract with HTML-escaped snippets, and never hangs (a watchdog
fails any single query that runs for a minute); the CLI always prints one valid UTF-8 JSON
object and exits 0 or 2. Timings are printed, not asserted: speed is measured in benchmarks/.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.query import MAX_QUERY_CHARS
from index.search import QueryError
from supplier_search import cli

OPERATORS = [
    "AND", "OR", "NOT", "AND NOT", "TO", "(", ")", '"', "„", "“", "*", "?", "~", "~2", "^", "^9",
    "+", "-", ":", "\\", "/", "[", "]", "{", "}", "!", "&&", "||", "<", ">", "=", "*:*", "name:",
    "own:", "id:", "rtype:org", "kind:bank", "payload:", "'", "%", "_", ";", "--", "\x00", "\t",
    "\n", "\u202e", "\ufeff", "\u200b", "\u00ad",
]  # fmt: skip
WORDS = [
    "Getriebe", "Präzisionsdrehteile", "Praezisionsdrehteile", "Dresden", "Osterzgebirge",
    "Sachsen", "cable assembly", "GmbH", "Kabelkonfektion", "Medizintechnik", "ISO 9001",
    "Glashütte", "Frankfurt (Oder)", "<script>alert(1)</script>", "<mark>", "</mark>", "&amp;",
    "<img src=x onerror=alert(1)>", "ß", "ẞ", "İ", "ﬁ", "𝔊𝔢𝔱𝔯𝔦𝔢𝔟𝔢", "Straße", "in der Nähe von",
]  # fmt: skip
SURROGATES = st.text(st.characters(min_codepoint=0xDC80, max_codepoint=0xDCFF), max_size=4)

queries = st.one_of(
    st.text(max_size=120),  # any Unicode text, control characters included
    st.lists(st.sampled_from(OPERATORS), min_size=1, max_size=30).map(" ".join),  # operators only
    st.lists(st.sampled_from(OPERATORS), min_size=1, max_size=30).map("".join),
    st.lists(st.sampled_from(OPERATORS + WORDS), max_size=40).map(" ".join),
    st.lists(st.one_of(st.sampled_from(WORDS), SURROGATES), max_size=6).map(" ".join),
    st.tuples(st.sampled_from([*WORDS, *OPERATORS, "x", "Getriebe "]), st.integers(50, 5000)).map(
        lambda t: t[0] * t[1]  # very long: up to 5,000 repetitions
    ),
    st.text(min_size=MAX_QUERY_CHARS, max_size=3 * MAX_QUERY_CHARS),
)
filter_values = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.sampled_from(["Drehen", "Medizintechnik", "ISO 9001", "Sachsen", "Osterzgebirge"]),
    st.lists(st.sampled_from(["Fräsen", "Sachsen", "Brandenburg", ",", "", " "]), max_size=5),
)
kinds = st.one_of(st.none(), st.sampled_from(["company", "network", "bank", "x", ""]))
CONTRACT = {"query", "total", "results", "facets", "suggestion"}
RESULT = {"id", "name", "kind", "places", "capabilities", "industries", "certifications"}
RESULT |= {"contacts", "score", "evidence"}

FUZZ = settings(
    max_examples=200,
    deadline=None,  # no timing assertions; the watchdog below catches hangs
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@contextlib.contextmanager
def watchdog(seconds: int = 60):
    """Fail a single query that has not returned after `seconds`: a hang, not slowness."""

    def hung(signum, frame):
        raise AssertionError(f"query did not return within {seconds} s")

    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def check_contract(res: dict, limit: int) -> None:
    assert CONTRACT <= set(res), set(res)
    assert isinstance(res["total"], int) and res["total"] >= len(res["results"])
    assert len(res["results"]) <= max(0, limit)
    for r in res["results"]:
        assert RESULT <= set(r), set(r)
        for ev in r["evidence"]:
            # snippets are escaped sentences: the only markup left is our own <mark>
            assert not re.search(r"[<>]", re.sub(r"</?mark>", "", ev["snippet"])), ev["snippet"]
    json.dumps(res, allow_nan=False)  # strict JSON: no NaN or Infinity anywhere


def fuzz_search(directory, label: str, **strategies) -> None:
    """Run `Directory.search` on generated arguments; print how many ran and how long."""
    timings: list[float] = []
    refused: list[str] = []

    @FUZZ
    @given(**strategies)
    def run(**kw):
        limit = kw.get("limit", 10)
        t = time.perf_counter()
        try:
            with watchdog():
                res = directory.search(**kw)
        except QueryError as exc:
            assert str(exc).strip()
            refused.append(str(exc))
            return
        finally:
            timings.append(time.perf_counter() - t)
        check_contract(res, limit)

    run()
    timings.sort()
    print(
        f"\n{label}: {len(timings)} fuzzed searches, {len(refused)} refused with QueryError; "
        f"median {timings[len(timings) // 2] * 1000:.0f} ms, slowest {timings[-1] * 1000:.0f} ms"
    )


def test_any_query_text_is_answered_within_the_contract(corpus_index):
    fuzz_search(
        corpus_index,
        "query text",
        query=queries,
        limit=st.integers(-5, 60),
        offset=st.integers(-5, 500),
    )


def test_any_filter_value_is_answered_or_refused_with_a_message(corpus_index):
    fuzz_search(
        corpus_index,
        "query with filters",
        query=st.one_of(st.sampled_from(WORDS), queries),
        capability=filter_values,
        industry=filter_values,
        region=filter_values,
        kind=kinds,
        near=st.one_of(st.none(), st.sampled_from(["Dresden", "Plauen", "Atlantis"]), st.text()),
        radius_km=st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)),
    )


def test_very_long_query_is_capped_before_parsing(corpus_index):
    words = "Getriebe Präzisionsdrehteile Dresden " * 20_000  # 740,000 characters
    with watchdog():
        res = corpus_index.search(words)
    assert res["results"] and len(" ".join(res["understood"]["words"])) <= MAX_QUERY_CHARS


def run_cli_in_process(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), watchdog():
        code = cli.main(argv)
    return code, out.getvalue(), err.getvalue()


def test_cli_search_json_is_always_one_valid_json_object(corpus_index):
    index = str(corpus_index.index_dir)
    codes: dict[int, int] = {}

    @settings(FUZZ, max_examples=80)
    @given(
        q=queries,
        extra=st.lists(
            st.one_of(
                st.tuples(
                    st.sampled_from(["--region", "--capability", "--kind", "--near"]),
                    st.text(max_size=20),
                ),
                st.tuples(st.just("--limit"), st.integers(-3, 30).map(str)),
                st.tuples(st.just("--radius-km"), st.sampled_from(["5", "nan", "-1", "inf", "x"])),
            ),
            max_size=3,
        ),
    )
    def run(q, extra):
        argv = ["--index", index, "search", q, "--json"]
        for option, value in extra:
            argv += [option, value]
        code, out, err = run_cli_in_process(argv)
        codes[code] = codes.get(code, 0) + 1
        assert code in (0, 2), (code, err)
        obj = json.loads(out)
        assert isinstance(obj, dict) and isinstance(obj["results"], list)
        assert code == 0 or obj["error"]
        out.encode("utf-8")  # lone surrogates from the query were escaped, not passed on
        assert "Traceback" not in err

    run()
    print(f"\nsupplier-search search --json: {sum(codes.values())} fuzzed runs, exit codes {codes}")


@pytest.mark.parametrize(
    "query",
    [
        os.fsdecode(b"Pr\xe4zision \xff\xfe"),  # Latin-1 bytes from an old terminal
        "-Getriebe",  # looks like an option
        "--json",
        "Getriebe " * 12_000,  # about 100 KB in one argument
        "*:* OR name:* AND NOT",
        "<script>alert(1)</script>",
    ],
)
def test_console_script_prints_utf8_json_for_hostile_arguments(corpus_index, query):
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}  # the least capable terminal
    res = subprocess.run(
        [sys.executable, "-m", "supplier_search.cli", "--index", str(corpus_index.index_dir)]
        + ["search", query, "--json"],
        capture_output=True,
        timeout=120,
        env=env,
    )
    assert res.returncode in (0, 2), res.stderr
    obj = json.loads(res.stdout.decode("utf-8"))  # strict UTF-8, then strict JSON
    assert isinstance(obj["results"], list)
    assert b"Traceback" not in res.stderr
