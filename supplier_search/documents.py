"""Removing a document from the corpus and bringing it back, on record.

Removal moves the file into `<corpus>/.removed/` (`ingest.upload.remove`: hidden, so the ingest
scan passes over it) and records in the audit log where it came from; `restore` moves it back
to that place — or into `uploads/` for a file removed before the log existed — and records that
too. The next ingest then drops or re-adds everything derived from it.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from ingest import upload

from . import audit


class RestoreRefused(ValueError):
    """A restore that is not done; `code`: `unknown` (no such removed file) or `exists`
    (a file is back at the original place already)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Removed:
    """One file in `.removed/`: its name there, where it goes back to, when it was removed."""

    name: str
    path: Path
    origin: Path
    removed_at: str
    removed_by: str


def remove(
    path: str | os.PathLike,
    corpus: Path,
    index_dir,
    user: str,
    via: str = "app",
) -> Path:
    """Move a document into `.removed/` and record where from; returns its new place."""
    root = corpus.resolve()
    origin = Path(path).resolve()
    dest = upload.remove(path, corpus)
    audit.record(
        index_dir,
        user,
        "remove",
        str(origin.relative_to(root)),
        via=via,
        to=str(dest.resolve().relative_to(root)),
    )
    return dest


def removed(corpus: Path, index_dir) -> list[Removed]:
    """The files in `.removed/`, newest removal first, each with the place it goes back to.

    >>> import tempfile
    >>> c = Path(tempfile.mkdtemp()); (c / "uploads").mkdir(); i = tempfile.mkdtemp()
    >>> _ = (c / "uploads" / "a.txt").write_text("Text")
    >>> _ = remove(c / "uploads" / "a.txt", c, i, "anna")
    >>> [(r.name, r.origin.relative_to(c.resolve()).as_posix(), r.removed_by) for r in removed(c, i)]
    [('a.txt', 'uploads/a.txt', 'anna')]
    """
    root = corpus.resolve()
    bin_dir = root / upload.REMOVED
    if not bin_dir.is_dir():
        return []
    origins: dict[str, tuple[str, str, str]] = {}
    for e in audit.read(index_dir, actions={"remove"}):
        to = e.details.get("to")
        if to:
            origins[to] = (e.object, e.at, e.user)
    out = []
    for p in bin_dir.iterdir():
        if not p.is_file() or p.is_symlink():
            continue
        rel = str(p.relative_to(root))
        obj, at, who = origins.get(rel, (None, None, ""))
        origin = root / obj if obj else upload.uploads_dir(root) / p.name
        when = at or dt.datetime.fromtimestamp(p.stat().st_mtime).astimezone().isoformat(
            timespec="seconds"
        )
        out.append(Removed(p.name, p, origin, when, who))
    return sorted(out, key=lambda r: r.removed_at, reverse=True)


def restore(name: str, corpus: Path, index_dir, user: str, via: str = "app") -> Path:
    """Move a removed file back to where it was; refuses to overwrite a file there."""
    found = {r.name: r for r in removed(corpus, index_dir)}
    r = found.get(name)
    if r is None:
        raise RestoreRefused("unknown", f"'{name}' is not among the removed documents")
    root = corpus.resolve()
    if not r.origin.resolve().is_relative_to(root):
        raise RestoreRefused("unknown", f"'{name}' did not come from the corpus folder")
    if r.origin.exists():
        raise RestoreRefused("exists", f"a file is at {r.origin} already")
    r.origin.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(r.path), r.origin)
    audit.record(
        index_dir,
        user,
        "restore_document",
        str(r.origin.relative_to(root)),
        via=via,
        **{"from": str(r.path.relative_to(root))},
    )
    return r.origin
