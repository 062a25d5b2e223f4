"""Immutable versioned snapshots: what an app instance serving one sees while ingest goes on."""

from __future__ import annotations

import os
import shutil

import pytest

from benchmarks.generate import generate
from index import store
from index.build import ingest
from index.search import Directory
from index.snapshots import CURRENT, SnapshotError, SnapshotServer, current, publish
from supplier_search.cli import main


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("snap-corpus")
    generate(out, 16, seed=9)
    files = sorted((out / "docs").rglob("*.*"))
    first, later = out / "first", out / "later"
    first.mkdir()
    later.mkdir()
    for f in files[:8]:
        shutil.copy(f, first / f.name)
    for f in files[8:]:
        shutil.copy(f, later / f.name)
    return first, later


def _ids(d: Directory) -> set[str]:
    """What a purchaser can find: every organization, and the documents behind them."""
    return {r["id"] for r in d.list()["results"]} | {doc["path"] for doc in d.documents()}


def test_published_versions_stay_as_they_were_while_the_live_index_changes(
    corpus, tmp_path, capsys
):
    first, later = corpus
    live, root = tmp_path / "live", tmp_path / "snapshots"
    ingest([first], index_dir=live)
    s1 = publish(live, root)
    server = SnapshotServer(root)
    served = server.directory()
    before = _ids(served)
    assert before == _ids(Directory(live)) and s1.version == 1

    # the live index grows and is then rebuilt from scratch (old segment files deleted)
    ingest([first, later], index_dir=live)
    ingest([first, later], index_dir=live, rebuild=True)
    grown = _ids(Directory(live))
    assert before < grown
    assert _ids(served) == before  # the open version did not move …
    assert _ids(Directory(s1.path)) == before  # … nor does a fresh look at it

    assert main(["--index", str(live), "snapshot", "--to", str(root)]) == 0
    assert "published version 2" in capsys.readouterr().out
    assert current(root) == (root / "v000002").resolve()
    assert os.readlink(root / CURRENT) == "v000002"
    assert server.version == 2
    assert _ids(server.directory()) == grown  # the server follows CURRENT
    assert _ids(Directory(root / CURRENT)) == grown  # and so does a cold process


def test_versions_are_read_only_and_old_ones_are_pruned(corpus, tmp_path):
    first, _ = corpus
    live, root = tmp_path / "live", tmp_path / "snapshots"
    ingest([first], index_dir=live)
    snaps = [publish(live, root, keep=2) for _ in range(3)]
    assert [s.version for s in snaps] == [1, 2, 3]
    assert not snaps[0].path.exists() and snaps[1].path.exists()
    assert not snaps[2].path.stat().st_mode & 0o222  # no file can be added, renamed or removed
    assert (live / "_suppliers_1.toc").stat().st_mode & 0o200  # the live index is left as it was
    # publishing never holds the live index: ingest can write right after
    assert ingest([first], index_dir=live, rebuild=True).organizations > 0


def test_publishing_waits_for_a_running_ingest_and_says_so(corpus, tmp_path):
    first, _ = corpus
    live = tmp_path / "live"
    ingest([first], index_dir=live)
    ix = store.open_existing(live)
    writer = ix.writer()
    try:
        with pytest.raises(SnapshotError, match="an ingest is writing"):
            publish(live, tmp_path / "snapshots", wait=0.3)
    finally:
        writer.cancel()
    assert publish(live, tmp_path / "snapshots").version == 1
