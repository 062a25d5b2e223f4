"""A full disk during an ingest, on a real small filesystem: a 4 MB tmpfs holds the index of
corpus/, is filled up to a few kilobytes, and a new document is ingested — sweeping the room
left so the disk runs out at every stage: writing the extraction cache, staging the change
batch, and inside Whoosh's commit (the segment's files and the table of contents). Each time:
a clear error naming the cause, the previous index still opens and answers exactly as before,
no temporary file is left, the write lock is free, and the next ingest on a disk with room
succeeds. Skipped with the reason where a filesystem cannot be mounted (not root)."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import traceback
from pathlib import Path

from index import resolution
from index.build import ingest
from index.search import Directory

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "supplier_search.cli"]
SURNAMES = (
    "Lenz Brandt Vogel Krause Seidel Haase Franke Lorenz Winkler Böhme Schubert Jäger Horn Kühn "
    "Pohl Thiel Graf Ludwig Berger Frank Arnold Keller Günther Roth Beck Lange Hahn Sommer Kraft "
    "Busch Voigt Ebert"
).split()


def fill(disk: Path, leave_kb: int) -> Path:
    filler = disk / "filler"
    filler.unlink(missing_ok=True)
    st = os.statvfs(disk)
    with filler.open("wb") as fh:
        fh.write(b"\0" * max(0, st.f_bavail * st.f_frsize - leave_kb * 1024))
    return filler


def state(d: Directory) -> list:
    res = d.search("", limit=100)
    return [(r["id"], r["name"], r["capabilities"]) for r in res["results"]]


def files(idir: Path) -> set[str]:
    """Every file but complete extraction-cache entries (content-addressed: reused, not junk)."""
    return {
        str(p.relative_to(idir))
        for p in idir.rglob("*")
        if not (p.parent.name == "extractions" and p.suffix == ".json")
    }


def stage_of(exc: BaseException) -> str:
    names = [f.name for f in traceback.extract_tb(exc.__traceback__)]
    if "commit" in names:
        return "commit:" + next(
            (
                n
                for n in reversed(names)
                if n in ("_finalize_segment", "_commit_toc", "_merge_segments")
            ),
            "other",
        )
    for n in ("_write_json", "stage", "update_document"):
        if n in names:
            return n
    return names[-1]


def sweep(small_disk: Path, tmp_path: Path, fill_at) -> dict[str, int]:
    """Ingest one new document after another, each time with 4 KB more room than the last,
    until an ingest fits; `fill_at(leave_kb)` fills the disk (at once, or later in the run).
    Every failed run must leave the previous index as it was. Returns failures by stage."""
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    idir = small_disk / "index"
    ingest([corpus], index_dir=idir)
    stages: dict[str, int] = {}
    for n, leave_kb in enumerate(range(0, 241, 4)):
        before_state = state(Directory(idir))
        before_files = files(idir)
        fill_at(leave_kb)
        (corpus / "txt" / f"neu{n}.txt").write_text(
            f"Die Kupferschmiede {SURNAMES[n % len(SURNAMES)]}{n} GmbH in Pirna fertigt "
            f"Kupferbauteile und Messingteile für den Anlagenbau.\n" * 4,
            encoding="utf-8",
        )
        try:
            ingest([corpus], index_dir=idir)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
            where = stage_of(exc)
            stages[where] = stages.get(where, 0) + 1
            # the previous index opens and answers exactly as before, nothing is left behind
            assert state(Directory(idir)) == before_state, where
            assert files(idir) == before_files, where
            (small_disk / "filler").unlink()
            # the lock is free and the next ingest, with room, succeeds and finds the new firm
            ingest([corpus], index_dir=idir)
            name = f"Kupferschmiede {SURNAMES[n % len(SURNAMES)]}{n} GmbH"
            found = Directory(idir).search(name.removesuffix(" GmbH"))["results"]
            assert found[0]["name"] == name, where
        else:
            (small_disk / "filler").unlink(missing_ok=True)
            break
    print("full-disk failures by stage:", stages)
    return stages


def test_full_disk_before_the_commit_keeps_the_old_index_and_the_next_ingest_succeeds(
    small_disk, tmp_path
):
    """The disk is full from the start: the cache entry, the change batch or the resolution
    state cannot be written."""
    stages = sweep(small_disk, tmp_path, lambda kb: fill(small_disk, kb))
    assert stages.get("_write_json") and stages.get("stage"), stages
    assert sum(stages.values()) >= 3, stages


def test_full_disk_inside_the_commit_keeps_the_old_index_and_the_next_ingest_succeeds(
    small_disk, tmp_path, monkeypatch
):
    """The disk fills up right after the resolution state is saved, so Whoosh's commit itself
    meets it — wherever the sizes of the files before it put the boundary on this machine."""
    room: list[int] = []
    save = resolution.save

    def save_then_fill(idir, st):
        token = save(idir, st)
        if room:  # once per sweep step: not for the first index, not for the retry
            fill(small_disk, room.pop())
        return token

    monkeypatch.setattr(resolution, "save", save_then_fill)
    stages = sweep(small_disk, tmp_path, room.append)
    assert any(k.startswith("commit:") for k in stages), stages
    assert sum(stages.values()) >= 3, stages


def test_cli_names_the_full_disk_and_exits_5(small_disk, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    idir = small_disk / "index"
    ingest([corpus], index_dir=idir)
    before = state(Directory(idir))
    (corpus / "txt" / "neu.txt").write_text("Die Kupferschmiede Lenz GmbH in Pirna.\n" * 50)
    filler = fill(small_disk, 0)
    r = subprocess.run(
        [*CLI, "ingest", str(corpus), "--index", str(idir)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert r.returncode == 5
    assert f"the disk holding {idir} is full (No space left on device)" in r.stderr
    assert "the previous index is unchanged" in r.stderr and "Traceback" not in r.stderr
    assert state(Directory(idir)) == before
    filler.unlink()
    r = subprocess.run(
        [*CLI, "ingest", str(corpus), "--index", str(idir)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert r.returncode == 0, r.stderr
