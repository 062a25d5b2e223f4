"""Immutable, versioned index snapshots that many app instances serve read-only.

The live index (`index.build`, one writer) keeps changing; a serving fleet wants a version that
never changes under it and a switch to the next one that every instance sees at once or not at
all. A snapshot root holds numbered versions and a `CURRENT` symbolic link:

    ROOT/v000001/   _suppliers_7.toc + the segment files that TOC names, manifest.json (read-only)
    ROOT/v000002/
    ROOT/CURRENT -> v000002

Publishing takes the live index's write lock for a moment (no commit can happen meanwhile),
hard-links the committed generation's TOC and segment files into a new version folder — Whoosh
never rewrites a segment file or a TOC, and deletions live in the TOC, so the links are a
consistent, immutable copy that costs no disk until the live index merges those segments away —
then writes the manifest, makes the folder read-only and switches `CURRENT` with one
`os.replace` (atomic rename of a symbolic link). Nothing in the live index changes, so
`index.build`'s single-writer, atomic-commit behaviour is untouched.

Serving: `SnapshotServer(ROOT).directory()` returns a `Directory` on the version `CURRENT`
names, opening the new version when the link moves and leaving searches already running on
the old one to finish. A cold process (the CLI) can simply use `--index ROOT/CURRENT`.
Old versions are pruned after `keep` newer ones exist, never the current one.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from whoosh.index import TOC

from . import store

CURRENT = "CURRENT"
MANIFEST = "manifest.json"


class SnapshotError(RuntimeError):
    """A snapshot cannot be published or served (no index, index busy, bad root)."""


@dataclass
class Snapshot:
    version: int
    path: Path
    generation: int
    files: int
    documents: int


def _versions(root: Path) -> list[tuple[int, Path]]:
    out = []
    if root.is_dir():
        for p in root.iterdir():
            if p.is_dir() and p.name.startswith("v") and p.name[1:].isdigit():
                out.append((int(p.name[1:]), p))
    return sorted(out)


def current(root: str | os.PathLike) -> Path | None:
    """The version folder `CURRENT` points at, or None before the first publish."""
    link = Path(root) / CURRENT
    try:
        return (Path(root) / os.readlink(link)).resolve()
    except OSError:
        return None


def publish(
    index_dir: str | os.PathLike | None,
    root: str | os.PathLike,
    keep: int = 3,
    wait: float = 30.0,
) -> Snapshot:
    """Snapshot the live index's last commit into a new version and make it current."""
    idir = store.resolve_dir(index_dir)
    if not store.exists(idir):
        raise SnapshotError(f"no index at {idir}: run 'supplier-search ingest' first")
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    ix = store.open_existing(idir)
    lock = ix.lock("WRITELOCK")
    deadline = time.monotonic() + wait
    while not lock.acquire(blocking=False):
        if time.monotonic() > deadline:
            raise SnapshotError(f"an ingest is writing to {idir}; try again when it has finished")
        time.sleep(0.2)
    try:
        gen = ix.latest_generation()
        toc = TOC.read(ix.storage, store.INDEX_NAME, gen)
        names = [TOC._filename(store.INDEX_NAME, gen)]
        prefixes = tuple(seg.segment_id() + "." for seg in toc.segments)
        names += sorted(n for n in os.listdir(idir) if prefixes and n.startswith(prefixes))
        documents = sum(seg.doc_count() for seg in toc.segments)
        version = (_versions(root)[-1][0] + 1) if _versions(root) else 1
        tmp = root / f".v{version:06d}.tmp{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        for name in names:
            try:
                os.link(idir / name, tmp / name)
            except OSError:  # another file system, or links not allowed: copy
                shutil.copy2(idir / name, tmp / name)
    finally:
        lock.release()
    manifest = {
        "version": version,
        "generation": gen,
        "source": str(idir.resolve()),
        "files": names,
        "documents": documents,
        "published": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    (tmp / MANIFEST).chmod(0o444)
    # the folder is made read-only; the linked files share their inode (and mode) with the live
    # index, whose files Whoosh never writes again after a commit, so they are left as they are
    final = root / f"v{version:06d}"
    os.rename(tmp, final)
    final.chmod(0o555)
    _switch(root, final.name)
    prune(root, keep)
    return Snapshot(version, final, gen, len(names), documents)


def _switch(root: Path, target: str) -> None:
    """Point CURRENT at `target` in one atomic rename."""
    tmp = root / f".{CURRENT}.tmp{os.getpid()}"
    try:
        tmp.unlink()
    except FileNotFoundError:
        pass
    os.symlink(target, tmp)
    os.replace(tmp, root / CURRENT)


def prune(root: str | os.PathLike, keep: int = 3) -> list[Path]:
    """Remove all but the newest `keep` versions (never the current one); returns removed."""
    root = Path(root)
    cur = current(root)
    removed = []
    versions = _versions(root)
    for _, path in versions[: max(0, len(versions) - max(1, keep))]:
        if cur is not None and path.resolve() == cur:
            continue
        path.chmod(0o755)
        shutil.rmtree(path)
        removed.append(path)
    return removed


class SnapshotServer:
    """Hands out a `Directory` on the current snapshot; follows `CURRENT` when it moves.

    Checking the link costs one readlink per call, so an app can call `directory()` for every
    request. A version once opened is never modified, so its searcher is never stale.
    """

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self._lock = threading.Lock()
        self._path: Path | None = None
        self._directory = None

    def directory(self):
        from .search import Directory

        path = current(self.root)
        if path is None:
            raise SnapshotError(f"no snapshot published in {self.root}")
        with self._lock:
            if path != self._path:
                self._directory = Directory(path)
                self._path = path
            return self._directory

    @property
    def version(self) -> int | None:
        path = current(self.root)
        return int(path.name[1:]) if path is not None else None
