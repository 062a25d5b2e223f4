"""SIGKILL during ingest: at every kill point the previous index still answers, no half-built
profile is visible, and the next ingest ends exactly where a clean rebuild does.

The ingest runs as a real `supplier-search ingest` in a child interpreter: this file is also
the child's entry point (`python test_reliability_crash.py KILLSPEC -- CLI ARGS`). The child
wraps one function of the real code path — a pipeline stage of `index.build`, a Whoosh writer
method, a storage operation inside the commit — and sends itself SIGKILL on its n-th call, so
each kill point is exact and named. A first child run counts how often each point is passed, so
the kill points follow the code instead of guessed numbers; timed kills add arbitrary moments.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# (name, dotted target, when): "commit/" counts only calls made while Whoosh commits.
TARGETS = {
    "scan": ("index.build.scan", "after"),
    "extract": ("index.build.process_file", "after"),
    "cache-write": ("index.build._write_json", "after"),
    "resolve": ("index.resolution.incremental", "after"),
    "state-write": ("index.resolution.save", "after"),
    "curation": ("ingest.curation.apply", "after"),
    "add-record": ("whoosh.writing.SegmentWriter.update_document", "after"),
    "delete-record": ("whoosh.writing.SegmentWriter.delete_by_term", "after"),
    "commit-start": ("whoosh.writing.SegmentWriter.commit", "before"),
    "commit/create-file": ("whoosh.filedb.filestore.FileStorage.create_file", "after"),
    "commit/close-file": ("whoosh.filedb.structfile.StructFile.close", "before"),
    "commit/toc-rename": ("whoosh.filedb.filestore.FileStorage.rename_file", "before"),
    "commit/toc-renamed": ("whoosh.filedb.filestore.FileStorage.rename_file", "after"),
    "commit/delete-old": ("whoosh.filedb.filestore.FileStorage.delete_file", "after"),
    "commit-end": ("whoosh.writing.SegmentWriter.commit", "after"),
    "cache-gc": ("index.build._gc_cache", "before"),
}


# ------------------------------------------------------------------ the child process


def _resolve(dotted: str):
    parts = dotted.split(".")
    for i in range(len(parts) - 1, 0, -1):
        try:
            owner = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for attr in parts[i:-1]:
            owner = getattr(owner, attr)
        return owner, parts[-1]
    raise ImportError(dotted)


def _stop(action: str) -> None:
    """SIGKILL, or for 'pause': say so in $CRASH_PAUSE_DIR/paused and wait for .../release."""
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    folder = Path(os.environ["CRASH_PAUSE_DIR"])
    (folder / "paused").write_text(str(os.getpid()))
    deadline = time.monotonic() + 300
    while not (folder / "release").exists() and time.monotonic() < deadline:
        time.sleep(0.02)


def _child(argv: list[str]) -> int:
    """Install the kill point (or counters for every point), then run the real CLI.

    SPEC is 'count', 'NAME:N' (SIGKILL on the N-th pass of NAME) or 'pause+NAME:N' (hold the
    ingest there, lock and all, until the test releases it).
    """
    spec, cli_args = argv[0], argv[argv.index("--") + 1 :]
    action, _, point = spec.rpartition("+")
    action = action or "kill"
    counts: dict[str, int] = {}
    in_commit = [False]
    kill_name, _, n = point.rpartition(":")
    kill_n = int(n) if kill_name else 0
    wrapped: dict[str, object] = {}
    commit_owner, commit_attr = _resolve("whoosh.writing.SegmentWriter.commit")
    real_commit = getattr(commit_owner, commit_attr)

    def flagged_commit(*a, **kw):
        in_commit[0] = True
        try:
            return real_commit(*a, **kw)
        finally:
            in_commit[0] = False

    setattr(commit_owner, commit_attr, flagged_commit)
    for name, (dotted, when) in TARGETS.items():
        if spec != "count" and name != kill_name:
            continue
        owner, attr = _resolve(dotted)
        original = getattr(owner, attr)
        wrapped[name] = original

        def wrapper(*a, __name=name, __when=when, __orig=original, **kw):
            if not (__name.startswith("commit/") and not in_commit[0]):
                counts[__name] = counts.get(__name, 0) + 1
                if __when == "before" and __name == kill_name and counts[__name] == kill_n:
                    _stop(action)
            result = __orig(*a, **kw)
            if __when == "after" and __name == kill_name and counts.get(__name) == kill_n:
                _stop(action)
            return result

        setattr(owner, attr, wrapper)
    from supplier_search.cli import main

    code = main(cli_args)
    if spec == "count":
        Path(os.environ["CRASH_COUNTS"]).write_text(json.dumps(counts))
    return code


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))


# ------------------------------------------------------------------ the tests

import badfiles  # noqa: E402
import pytest  # noqa: E402

from index.build import ingest  # noqa: E402
from index.search import Directory  # noqa: E402

CORPUS = ROOT / "corpus"


def run_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """`supplier-search ARGS` in a fresh interpreter (the console script's code path)."""
    return subprocess.run(
        [sys.executable, "-m", "supplier_search.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def _child_cmd(spec: str, corpus: Path, index: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        __file__,
        spec,
        "--",
        "--index",
        str(index),
        "ingest",
        str(corpus),
        *extra,
    ]


def state(index: Path) -> dict:
    """Everything a user can see: every profile with its facts and evidence, every document."""
    d = Directory(index)
    try:
        orgs = {}
        for r in d.list()["results"]:
            p = d.show(r["id"])
            orgs[r["id"]] = {
                "name": p["name"],
                "kind": p["kind"],
                "names": sorted(p["names"]),
                "facts": sorted(
                    (f["facet"], f["value"], f["evidence"]["sentence"], f["evidence"]["doc"] or "")
                    for f in p["facts"]
                ),
                "documents": sorted(x.get("doc", "") for x in p["documents"]),
            }
        docs = sorted((x["path"], x.get("doc", ""), x.get("title", "")) for x in d.documents())
        return {"orgs": orgs, "docs": docs}
    finally:
        d.close()


def answer(index: Path, query: str) -> list[str]:
    d = Directory(index)
    try:
        return [r["name"] for r in d.search(query, limit=5)["results"]]
    finally:
        d.close()


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    """Index A over corpus v1; the folder then changed to v2 (a file edited, one deleted, two
    added); B is a clean rebuild of v2. Every crash run starts from a copy of A."""
    base = tmp_path_factory.mktemp("crash")
    folder = base / "corpus"
    folder.mkdir()
    sources = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".html", ".txt", ".pdf"))
    assert len(sources) >= 6, "corpus/ has too few documents for the crash scenario"
    v1, extra = sources[:4], sources[4:6]
    for p in v1:
        shutil.copy(p, folder / p.name)
    index_a = base / "index-a"
    ingest([folder], index_dir=index_a)
    # v2: one file edited, one deleted, a corpus file and a new member page added
    edited = folder / v1[0].name
    edited.write_bytes(edited.read_bytes().replace(b"</body>", b"<p>Neu im Programm.</p></body>"))
    (folder / v1[1].name).unlink()
    shutil.copy(extra[0], folder / extra[0].name)
    (folder / "neu.html").write_text(badfiles.supplier_html("Mandau Drehtechnik GmbH", 1))
    index_b = base / "index-b"
    ingest([folder], index_dir=index_b, rebuild=True)
    a, b = state(index_a), state(index_b)
    assert a != b and a["orgs"] and b["orgs"]
    return {
        "base": base,
        "folder": folder,
        "index_a": index_a,
        "state_a": a,
        "state_b": b,
        "query": "Mandau Drehtechnik",
        "answer_a": answer(index_a, "Mandau Drehtechnik"),
        "answer_b": answer(index_b, "Mandau Drehtechnik"),
        "extractions_b": sorted(p.name for p in (index_b / "extractions").iterdir()),
    }


@pytest.fixture(scope="module")
def counts(scenario) -> dict[str, int]:
    """How often one uninterrupted ingest passes each kill point, and how long it takes."""
    work = scenario["base"] / "count-index"
    shutil.copytree(scenario["index_a"], work)
    out = scenario["base"] / "counts.json"
    t = time.perf_counter()
    res = subprocess.run(
        _child_cmd("count", scenario["folder"], work),
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "CRASH_COUNTS": str(out)},
    )
    seconds = time.perf_counter() - t
    assert res.returncode == 0, res.stderr
    assert state(work) == scenario["state_b"]
    found = json.loads(out.read_text())
    found["_seconds"] = seconds
    return found


def kill_points(counts: dict[str, int]) -> list[str]:
    """First, middle and last pass of every point (once for points passed once)."""
    out = []
    for name in TARGETS:
        n = counts.get(name, 0)
        assert n > 0, f"kill point {name} is never passed by an ingest: update TARGETS"
        for k in sorted({1, (n + 1) // 2, n}):
            out.append(f"{name}:{k}")
    return out


def check_survivor(scenario, work: Path, label: str) -> str:
    """The killed ingest left A or B, never a mixture; the next ingest reaches B."""
    seen = state(work)
    assert seen in (scenario["state_a"], scenario["state_b"]), f"half-built state after {label}"
    got = answer(work, scenario["query"])
    assert got in (scenario["answer_a"], scenario["answer_b"]), label
    which = "old" if seen == scenario["state_a"] else "new"
    report = ingest([scenario["folder"]], index_dir=work)
    assert not report.skipped, report.summary()
    assert state(work) == scenario["state_b"], f"next ingest after {label} differs from a rebuild"
    assert answer(work, scenario["query"]) == scenario["answer_b"]
    left = sorted(p.name for p in (work / "extractions").iterdir())
    assert left == scenario["extractions_b"], f"stale extraction files after {label}"
    assert not [p.name for p in work.iterdir() if ".tmp" in p.name or p.name.count(".") > 1]
    return which


def test_sigkill_at_every_named_point_leaves_old_or_new_and_recovers(scenario, counts):
    points = kill_points(counts)
    assert len(points) >= 20
    outcomes: dict[str, str] = {}
    for spec in points:
        work = scenario["base"] / ("k-" + spec.replace("/", "_").replace(":", "_"))
        shutil.copytree(scenario["index_a"], work)
        res = subprocess.run(
            _child_cmd(spec, scenario["folder"], work), capture_output=True, text=True, timeout=300
        )
        assert res.returncode == -signal.SIGKILL, (spec, res.returncode, res.stderr[-2000:])
        outcomes[spec] = check_survivor(scenario, work, spec)
        shutil.rmtree(work)
    # killed before the commit: the old index; after the TOC rename: the new one
    assert outcomes["scan:1"] == "old" and outcomes["commit/toc-rename:1"] == "old"
    assert outcomes["commit/toc-renamed:1"] == "new" and outcomes["cache-gc:1"] == "new"
    print(
        f"\n{len(points)} kill points survived: "
        + ", ".join(f"{k}={v}" for k, v in outcomes.items())
    )


def test_sigkill_at_arbitrary_moments_leaves_old_or_new_and_recovers(scenario, counts):
    """Kills by the clock, spread over the second half of a run. The run's length is taken from
    the last run that finished, so the kills keep landing however busy the machine is."""
    duration = counts["_seconds"]
    fractions = (0.55, 0.65, 0.75, 0.85, 0.95)
    killed = attempts = 0
    while killed < len(fractions) and attempts < 2 * len(fractions):
        fraction = fractions[killed]
        work = scenario["base"] / f"t-{attempts}"
        attempts += 1
        shutil.copytree(scenario["index_a"], work)
        cmd = [sys.executable, "-m", "supplier_search.cli", "--index", str(work)]
        start = time.perf_counter()
        proc = subprocess.Popen(
            [*cmd, "ingest", str(scenario["folder"])],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            proc.wait(timeout=duration * fraction)
            duration = time.perf_counter() - start  # finished first: learn the real length
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
        _, err = proc.communicate(timeout=300)
        assert proc.returncode in (0, -signal.SIGKILL), err
        killed += proc.returncode == -signal.SIGKILL
        check_survivor(scenario, work, f"kill after {fraction:.0%} of a run")
        shutil.rmtree(work)
    assert killed >= 3, f"only {killed} of {attempts} timed kills hit a running ingest"
    print(f"\n{killed} timed kills in {attempts} runs; each left old or new and recovered")
