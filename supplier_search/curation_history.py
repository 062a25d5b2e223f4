"""Curation history: every accepted curation file is kept as a numbered version, so a replaced
curation is never lost and any earlier one can be brought back.

Versions live in `curation-history/` in the index folder (`0001.toml`, … and `versions.jsonl`
saying who accepted each, when, and which version a restore brought back). Accepting a file
writes the version first and then `curation.toml` atomically, and records a `curation` entry
with a unified diff in the audit log; a restore is a new version (`curation_restore`), applied
by the next ingest like any other curation change. The first accept keeps a curation file that
predates the history as version 1, so nothing that was there before is lost either.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from index import store
from ingest import curation as cur

from . import audit

HISTORY_DIR = "curation-history"
CURATION_FILE = "curation.toml"
MAX_DIFF_LINES = 200


class CurationError(ValueError):
    """A curation change refused; `code`: `unknown_version` or `invalid` (with the parser's
    errors in `errors`)."""

    def __init__(self, code: str, message: str, errors: list[str] | None = None):
        super().__init__(message)
        self.code = code
        self.errors = errors or []


@dataclass(frozen=True)
class Version:
    """One accepted curation file."""

    n: int
    at: str
    user: str
    sha256: str
    lines: int
    restored_from: int | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def folder(index_dir) -> Path:
    return store.resolve_dir(index_dir) / HISTORY_DIR


def curation_file(index_dir) -> Path:
    return store.resolve_dir(index_dir) / CURATION_FILE


def history(index_dir: str | os.PathLike | None = None) -> list[Version]:
    """Every version, oldest first.

    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> _ = accept(d, '[[hide]]\\nname = "X GmbH"\\n', "anna")
    >>> [(v.n, v.user) for v in history(d)]
    [(1, 'anna')]
    """
    try:
        raw = (folder(index_dir) / "versions.jsonl").read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    out = []
    for line in raw.splitlines():
        try:
            out.append(Version(**json.loads(line)))
        except (ValueError, TypeError):
            continue
    return out


def text_of(index_dir, n: int) -> str:
    """The text of version `n`; `CurationError("unknown_version")` when there is none."""
    if n not in {v.n for v in history(index_dir)}:
        raise CurationError("unknown_version", f"there is no curation version {n}")
    return (folder(index_dir) / f"{n:04d}.toml").read_text(encoding="utf-8")


def accept(
    index_dir: str | os.PathLike | None,
    text: str,
    user: str,
    via: str = "app",
    restored_from: int | None = None,
) -> Version:
    """Check a curation text, keep it as the next version, make it the current curation file
    and record the change with its diff. Invalid text is refused (`CurationError("invalid")`)
    and changes nothing."""
    errors = cur.parse(text)[1]
    if errors:
        raise CurationError("invalid", "the curation file has errors", errors)
    hdir = folder(index_dir)
    hdir.mkdir(parents=True, exist_ok=True)
    path = curation_file(index_dir)
    before = cur.text_of(path) or ""
    versions = history(index_dir)
    if not versions and before:  # a file from before the history: keep it as version 1
        versions.append(_keep(hdir, 1, before, "(before history)", None))
    n = (versions[-1].n if versions else 0) + 1
    version = _keep(hdir, n, text, user, restored_from)
    _write_atomic(path, text)
    diff = list(
        difflib.unified_diff(
            before.splitlines(), text.splitlines(), "before", f"version {version.n}", lineterm=""
        )
    )
    details: dict = {"version": version.n, "sha256": version.sha256}
    if restored_from is not None:
        details["restored_from"] = restored_from
    details["diff"] = diff[:MAX_DIFF_LINES]
    action = "curation_restore" if restored_from is not None else "curation"
    audit.record(index_dir, user, action, CURATION_FILE, via=via, **details)
    return version


def restore(index_dir: str | os.PathLike | None, n: int, user: str, via: str = "cli") -> Version:
    """Make version `n` current again, as a new version that says it restored `n`."""
    return accept(index_dir, text_of(index_dir, n), user, via=via, restored_from=n)


def _keep(hdir: Path, n: int, text: str, user: str, restored_from: int | None) -> Version:
    data = text.encode("utf-8")
    v = Version(
        n,
        audit.now_iso(),
        user,
        hashlib.sha256(data).hexdigest(),
        len(text.splitlines()),
        restored_from,
    )
    _write_atomic(hdir / f"{n:04d}.toml", text)
    with (hdir / "versions.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(v.to_dict(), ensure_ascii=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return v


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".curation-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
