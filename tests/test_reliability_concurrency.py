"""Concurrent use: searches while ingests commit, two ingests at once, and long-lived readers
(a `Directory`, the Streamlit app, the CLI) seeing each new commit without a restart.

The folder has three fixed member pages and one, `wechsel.html`, whose firm alternates between
two states, so every index state is one of two known sets of names.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import badfiles
import pytest
from test_reliability_crash import _child_cmd
from test_reliability_crash import run_cli as cli

from index.build import IndexLocked, ingest
from index.search import Directory

ROOT = Path(__file__).resolve().parents[1]
FIXED = ["Elbtal Drehteile GmbH", "Saidenbach Lasertechnik GmbH", "Bielatal Montagebau GmbH"]
ONE, TWO = "Mulde Eins Drehteile GmbH", "Mulde Zwei Frästeile GmbH"


class Site:
    """A corpus folder whose changing page can be flipped between the two firms."""

    def __init__(self, base: Path):
        self.folder = base / "corpus"
        self.folder.mkdir(parents=True)
        for n, firm in enumerate(FIXED):
            (self.folder / f"fest-{n}.html").write_text(badfiles.supplier_html(firm, n))
        self.index = base / "index"
        self.flip(ONE)
        ingest([self.folder], index_dir=self.index)

    def flip(self, firm: str) -> None:
        (self.folder / "wechsel.html").write_text(badfiles.supplier_html(firm, 3))

    @staticmethod
    def names(d: Directory) -> frozenset[str]:
        return frozenset(r["name"] for r in d.list()["results"])


STATE = {firm: frozenset([*FIXED, firm]) for firm in (ONE, TWO)}


@pytest.fixture()
def site(tmp_path) -> Site:
    return Site(tmp_path)


WRITER = """
import sys
from pathlib import Path
sys.path.insert(0, {tests!r})
import badfiles
from index.build import ingest
folder, index, n = Path({folder!r}), {index!r}, {n}
for i in range(n):
    firm = {two!r} if i % 2 == 0 else {one!r}
    (folder / "wechsel.html").write_text(badfiles.supplier_html(firm, 3))
    ingest([folder], index_dir=index, wait=60)
"""


def test_searches_during_repeated_commits_never_fail_or_see_a_mixture(site):
    commits = 9  # odd: the last commit leaves firm TWO
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            WRITER.format(
                tests=str(ROOT / "tests"),
                folder=str(site.folder),
                index=str(site.index),
                n=commits,
                one=ONE,
                two=TWO,
            ),
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    long_lived = Directory(site.index)
    errors: list[str] = []
    seen: dict[str, list] = {"long-lived": [], "fresh": [], "cli": []}

    def reader(kind: str) -> None:
        while writer.poll() is None:
            try:
                if kind == "long-lived":
                    names = Site.names(long_lived)
                    long_lived.search("Drehteile Freiberg", region="Sachsen")
                elif kind == "fresh":
                    d = Directory(site.index)
                    names = Site.names(d)
                    d.close()
                else:
                    res = cli("--index", str(site.index), "search", "--json", "--limit", "50", "")
                    assert res.returncode == 0, res.stderr
                    names = frozenset(r["name"] for r in json.loads(res.stdout)["results"])
                if names not in STATE.values():
                    errors.append(f"{kind} saw a mixture: {sorted(names)}")
                seen[kind].append(names)
            except Exception as exc:  # any failure of a search counts
                errors.append(f"{kind}: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=reader, args=(k,)) for k in seen]
    for t in threads:
        t.start()
    _, err = writer.communicate(timeout=600)
    for t in threads:
        t.join(timeout=300)
    assert writer.returncode == 0, err
    assert not errors, errors[:5]
    assert Site.names(long_lived) == STATE[TWO]  # the last commit, seen without reopening
    assert all(seen.values()), {k: len(v) for k, v in seen.items()}
    total = sum(len(v) for v in seen.values())
    changes = sum(a != b for a, b in zip(seen["long-lived"], seen["long-lived"][1:], strict=False))
    print(f"\n{total} searches during {commits} commits; long-lived reader saw {changes} switches")


def test_second_ingest_stops_with_a_clear_message_or_waits_its_turn(site, tmp_path):
    pause = tmp_path / "pause"
    pause.mkdir()
    site.flip(TWO)
    first = subprocess.Popen(
        _child_cmd("pause+resolve:1", site.folder, site.index),
        env={**os.environ, "CRASH_PAUSE_DIR": str(pause)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not (pause / "paused").exists():
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline, "first ingest never reached its pause"
            time.sleep(0.05)
        # the first ingest holds the lock: the previous index still answers
        assert Site.names(Directory(site.index)) == STATE[ONE]
        at_once = cli("--index", str(site.index), "ingest", str(site.folder))
        assert at_once.returncode == 3 and not at_once.stdout
        assert "another ingest is writing to" in at_once.stderr and "--wait" in at_once.stderr
        waited = cli("--index", str(site.index), "ingest", str(site.folder), "--wait", "0.5")
        assert waited.returncode == 3 and "(waited 0.5 s)" in waited.stderr
        assert "Traceback" not in at_once.stderr + waited.stderr
        with pytest.raises(IndexLocked):
            ingest([site.folder], index_dir=site.index)
        patient = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "supplier_search.cli",
                "--index",
                str(site.index),
                "ingest",
                str(site.folder),
                "--wait",
                "300",
                "--json",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    finally:
        (pause / "release").write_text("go")
    out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    assert out.startswith("added 0, updated 1, ")
    out, err = patient.communicate(timeout=300)
    assert patient.returncode == 0, err
    # it ran after the first one had committed: nothing left to do
    report = json.loads(out)
    assert not report["added"] and not report["updated"] and len(report["unchanged"]) == 4
    assert Site.names(Directory(site.index)) == STATE[TWO]


def test_long_lived_directory_and_cli_see_a_new_commit_without_restart(site):
    d = Directory(site.index)
    assert Site.names(d) == STATE[ONE]
    assert not d.search(TWO)["results"] or d.search(TWO)["results"][0]["name"] != TWO
    site.flip(TWO)
    res = cli("--index", str(site.index), "ingest", str(site.folder))
    assert res.returncode == 0, res.stderr
    assert Site.names(d) == STATE[TWO]
    assert d.search(TWO)["results"][0]["name"] == TWO
    found = cli("--index", str(site.index), "search", "--json", TWO)
    assert json.loads(found.stdout)["results"][0]["name"] == TWO


def test_running_app_sees_a_cli_commit_without_restart(site, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("SUPPLIER_SEARCH_INDEX", str(site.index))
    monkeypatch.delenv("SUPPLIER_SEARCH_STAFF_PASSWORD", raising=False)
    at = AppTest.from_file(str(ROOT / "ui" / "streamlit_app.py"), default_timeout=60)
    at.query_params["q"] = "Mulde Zwei Frästeile"

    def page_text() -> str:
        return "\n".join([m.value for m in at.markdown] + [b.label for b in at.button])

    at.run()
    assert not at.exception
    assert TWO not in page_text()
    site.flip(TWO)
    res = cli("--index", str(site.index), "ingest", str(site.folder))
    assert res.returncode == 0, res.stderr
    at.run()  # the same app process: a rerun, no restart
    assert not at.exception
    assert TWO in page_text()
