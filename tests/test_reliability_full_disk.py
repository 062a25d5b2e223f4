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


def test_full_disk_during_ingest_keeps_the_old_index_and_the_next_ingest_succeeds(
    small_disk, tmp_path
):
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    idir = small_disk / "index"
    ingest([corpus], index_dir=idir)
    stages: dict[str, int] = {}
    n = -1
    for leave_kb in range(0, 121, 4):
        n += 1
        before_state = state(Directory(idir))
        before_files = files(idir)
        filler = fill(small_disk, leave_kb)
        (corpus / "txt" / f"neu{n}.txt").write_text(
            f"Die Kupferschmiede {SURNAMES[n]} GmbH in Pirna fertigt Kupferbauteile und "
            f"Messingteile für den Anlagenbau.\n" * 4,
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
            filler.unlink()
            # the lock is free and the next ingest, with room, succeeds and finds the new firm
            ingest([corpus], index_dir=idir)
            found = Directory(idir).search(f"Kupferschmiede {SURNAMES[n]}")["results"]
            assert found[0]["name"] == f"Kupferschmiede {SURNAMES[n]} GmbH", where
        else:
            filler.unlink()
            break
    print("full-disk failures by stage:", stages)
    assert stages.get("_write_json") and any(k.startswith("commit:") for k in stages), stages
    assert sum(stages.values()) >= 5, stages


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
