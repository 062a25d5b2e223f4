"""The audit log: who did what to the directory, when — append-only JSON lines beside the index.

Staff actions in the app (log in and out, upload, remove, restore, ingest, curation, accounts)
and the CLI's changing commands (`ingest`, `staff`, `curation restore`, `backup`, `restore`)
each append one line to `audit.jsonl` in the index folder: time, user, action, object and a few
details in codes and counts, never a password and never document text. Lines are only ever
appended (under an exclusive `flock`, one `write` each, so two processes never interleave), and
each carries the SHA-256 of the line before it, so an edited or deleted line breaks the chain
and `verify` names it. The staff page and `supplier-search audit` read it newest first.

A login failure is recorded like any other action; the login throttle (`supplier_search.staff`)
counts them from here, so the lock-out holds across sessions, app processes and restarts.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import getpass
import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from index import store

AUDIT_FILE = "audit.jsonl"
GENESIS = "0" * 64

#: every action the log knows; callers word them (ui/i18n.py, the CLI's English)
ACTIONS = (
    "login",
    "login_failed",
    "login_locked",
    "logout",
    "upload",
    "remove",
    "restore_document",
    "ingest",
    "curation",
    "curation_restore",
    "account_add",
    "account_remove",
    "backup",
    "restore",
)


@dataclass
class Entry:
    """One line of the log. `details` holds codes, counts and ids (e.g. the ingest's counts,
    a curation diff), `via` says where the action came from (`app`, `cli`, `shared-password`)."""

    at: str
    user: str
    action: str
    object: str = ""
    via: str = "app"
    details: dict = field(default_factory=dict)
    prev: str = GENESIS

    def to_dict(self) -> dict:
        return asdict(self)


def path_of(index_dir: str | os.PathLike | None) -> Path:
    """`audit.jsonl` in the index folder (`--index`, `$SUPPLIER_SEARCH_INDEX` or the default)."""
    return store.resolve_dir(index_dir) / AUDIT_FILE


def os_user() -> str:
    """The operating-system user running a CLI command: the person on record for it.

    >>> isinstance(os_user(), str) and bool(os_user())
    True
    """
    try:
        return getpass.getuser()
    except Exception:  # no passwd entry (some containers): the numeric id still tells users apart
        return f"uid:{os.getuid()}"


def now_iso() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def record(
    index_dir: str | os.PathLike | None,
    user: str,
    action: str,
    obj: str = "",
    via: str = "app",
    **details,
) -> Entry:
    """Append one action to the log and return it.

    Why one function: every caller (the staff page, the CLI) writes the same shape, so the log
    can be filtered and verified without knowing who wrote a line.

    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> record(d, "anna", "upload", "uploads/a.txt", status="new").action
    'upload'
    >>> [e.user for e in read(d)]
    ['anna']
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action '{action}'")
    path = path_of(index_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        prev = _hash(_last_line(fd))
        entry = Entry(now_iso(), user, action, obj, via, details, prev)
        line = json.dumps(entry.to_dict(), ensure_ascii=False, sort_keys=True) + "\n"
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)  # closing releases the lock
    return entry


def read(
    index_dir: str | os.PathLike | None,
    since: dt.datetime | None = None,
    actions: set[str] | None = None,
    user: str | None = None,
) -> list[Entry]:
    """The log's entries, oldest first, optionally only those after `since`, of some actions or
    one user. A line that is not JSON (a torn write on power loss) is skipped, not fatal."""
    path = path_of(index_dir)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return []
    out = []
    for line in raw.splitlines():
        try:
            d = json.loads(line)
            e = Entry(**d)
        except (ValueError, TypeError):
            continue
        if actions and e.action not in actions:
            continue
        if user is not None and e.user != user:
            continue
        if since is not None and dt.datetime.fromisoformat(e.at) <= since:
            continue
        out.append(e)
    return out


def verify(index_dir: str | os.PathLike | None) -> int | None:
    """The 1-based number of the first line whose `prev` does not match the line before it
    (a line edited, removed or inserted after the fact), or None when the chain is whole."""
    try:
        lines = path_of(index_dir).read_bytes().splitlines(keepends=True)
    except FileNotFoundError:
        return None
    before = b""
    for n, line in enumerate(lines, 1):
        try:
            prev = json.loads(line).get("prev")
        except ValueError:
            return n
        if prev != _hash(before):
            return n
        before = line
    return None


def copy_to(index_dir: str | os.PathLike | None, target: Path) -> None:
    """A consistent copy of the log (whole lines only, taken under its lock) for a backup."""
    path = path_of(index_dir)
    if not path.exists():
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        data = b""
        while chunk := os.read(fd, 1 << 20):
            data += chunk
    finally:
        os.close(fd)
    target.write_bytes(data[: data.rfind(b"\n") + 1])


def ingest_counts(report: dict) -> dict:
    """An ingest report (`Report.to_dict()`) as the log keeps it: counts, not file lists.

    >>> ingest_counts({"added": ["a.txt"], "organizations": 3})["added"]
    1
    """
    out = {
        k: len(report.get(k) or [])
        for k in ("added", "updated", "unchanged", "removed", "skipped", "curation_errors")
    }
    out["organizations"] = report.get("organizations", 0)
    return out


def _hash(line: bytes) -> str:
    return hashlib.sha256(line).hexdigest() if line else GENESIS


def _last_line(fd: int) -> bytes:
    """The last complete line of the open file (read backwards, so a long log costs little)."""
    size = os.lseek(fd, 0, os.SEEK_END)
    block = 4096
    data = b""
    pos = size
    while pos > 0:
        step = min(block, pos)
        pos -= step
        data = os.pread(fd, step, pos) + data
        body = data.rstrip(b"\n")
        if b"\n" in body:
            return body[body.rfind(b"\n") + 1 :] + b"\n"
    body = data.rstrip(b"\n")
    return body + b"\n" if body else b""
