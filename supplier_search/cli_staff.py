"""The CLI's staff commands — `staff`, `audit`, `curation`, `backup`, `restore` — a few lines
each over `supplier_search.staff`, `.audit`, `.curation_history` and `.backup`.

Every command that changes something is logged in the audit log under the OS user running it
(`via: cli`), so the log tells apart what staff did in the app and what an operator did here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys

from . import audit
from . import staff as accounts

#: the audit log's action codes in English words (the app words them in ui/i18n_staff.py)
ACTION_WORDS = {
    "login": "logged in",
    "login_failed": "failed login",
    "login_locked": "login refused (locked)",
    "logout": "logged out",
    "upload": "uploaded",
    "remove": "removed document",
    "restore_document": "restored document",
    "ingest": "ingested",
    "curation": "changed curation",
    "curation_restore": "restored curation version",
    "account_add": "added/changed account",
    "account_remove": "removed account",
    "backup": "backed up",
    "restore": "restored backup",
}


def _print_json(obj) -> None:
    from .cli import _print_json as out

    out(obj)


def _read_password(a) -> str | None:
    if a.password_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    first = getpass.getpass("password: ")
    second = getpass.getpass("again: ")
    if first != second:
        print("error: the two passwords differ; nothing changed", file=sys.stderr)
        return None
    return first


def cmd_staff_add(a) -> int:
    password = _read_password(a)
    if password is None:
        return 2
    try:
        acc = accounts.add(a.index, a.name, password, a.role, by=audit.os_user(), via="cli")
    except accounts.StaffError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"account '{acc.name}' ({acc.role}) saved in {accounts.path_of(a.index)}")
    return 0


def cmd_staff_remove(a) -> int:
    try:
        accounts.remove(a.index, a.name, by=audit.os_user(), via="cli")
    except accounts.StaffError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"account '{a.name}' removed")
    return 0


def cmd_staff_list(a) -> int:
    found = accounts.accounts(a.index)
    if a.json:
        _print_json({"accounts": [x.__dict__ for x in found]})
        return 0
    if not found:
        print(f"no staff accounts in {accounts.path_of(a.index)}")
    for x in found:
        print(f"{x.name}\t{x.role}\tsince {x.created}")
    return 0


def _since(text: str) -> dt.datetime:
    from index.changes import parse_since
    from index.search import QueryError

    try:
        return parse_since(text)
    except QueryError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def cmd_audit(a) -> int:
    entries = audit.read(
        a.index, since=a.since, actions=set(a.action) if a.action else None, user=a.user
    )
    entries.reverse()  # newest first
    broken = audit.verify(a.index)
    if a.json:
        _print_json(
            {
                "total": len(entries),
                "chain_broken_at_line": broken,
                "entries": [e.to_dict() for e in entries],
            }
        )
        return 0
    if broken:
        print(f"warning: the log was altered at line {broken} (hash chain broken)", file=sys.stderr)
    if not entries:
        print("no audit entries" + (f" since {a.since.isoformat()}" if a.since else ""))
    for e in entries:
        words = ACTION_WORDS.get(e.action, e.action)
        extra = ", ".join(f"{k}={v}" for k, v in e.details.items() if k != "diff")
        print(
            f"{e.at}  {e.user} ({e.via})  {words}  {e.object}" + (f"  [{extra}]" if extra else "")
        )
    return 0


def cmd_curation_history(a) -> int:
    from .curation_history import history

    versions = history(a.index)
    if a.json:
        _print_json({"versions": [v.to_dict() for v in versions]})
        return 0
    if not versions:
        print("no curation versions yet")
    for v in reversed(versions):
        again = f"  (restores version {v.restored_from})" if v.restored_from else ""
        print(f"{v.n:4}  {v.at}  {v.user}  {v.lines} lines  {v.sha256[:12]}{again}")
    return 0


def cmd_curation_restore(a) -> int:
    from .curation_history import CurationError, restore

    try:
        v = restore(a.index, a.n, audit.os_user(), via="cli")
    except CurationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(
        f"version {a.n} is the curation again (kept as version {v.n}); the next ingest applies it"
    )
    return 0


def cmd_backup(a) -> int:
    from pathlib import Path

    from .backup import BackupError, backup

    try:
        s = backup(a.index, a.to, corpus=Path(a.corpus) if a.corpus else None, wait=a.wait)
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3 if exc.code == "locked" else 1
    print(
        f"backed up generation {s.generation} ({s.documents} documents, {s.uploads} uploaded "
        f"files; {s.files} files, {s.bytes / 1e6:.1f} MB) to {s.path}  sha256 {s.sha256}"
    )
    return 0


def cmd_restore(a) -> int:
    from pathlib import Path

    from index import store

    from .backup import BackupError, restore

    try:
        s = restore(a.archive, a.index, corpus=Path(a.corpus) if a.corpus else None, wait=a.wait)
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3 if exc.code == "locked" else 1
    where = store.resolve_dir(a.index)
    uploads = f", {s.uploads} uploaded files into {a.corpus}" if a.corpus else ""
    print(f"restored generation {s.generation} ({s.documents} documents{uploads}) at {where}")
    return 0


def add_parsers(sub) -> None:
    """Add this module's subcommands to the CLI's parser."""
    p = sub.add_parser("staff", help="staff accounts of the app (staff.toml beside the index)")
    ss = p.add_subparsers(dest="staff_cmd", required=True)
    q = ss.add_parser("add", help="add an account or set its password and role")
    q.add_argument("name")
    q.add_argument("--role", choices=accounts.ROLES, default="editor")
    q.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of stdin (for scripts) instead of asking",
    )
    q.add_argument("--index", default=argparse.SUPPRESS)
    q.set_defaults(func=cmd_staff_add)
    q = ss.add_parser("remove", help="delete an account")
    q.add_argument("name")
    q.add_argument("--index", default=argparse.SUPPRESS)
    q.set_defaults(func=cmd_staff_remove)
    q = ss.add_parser("list", help="accounts and roles")
    q.add_argument("--json", action="store_true")
    q.add_argument("--index", default=argparse.SUPPRESS)
    q.set_defaults(func=cmd_staff_list)

    p = sub.add_parser("audit", help="who did what, newest first (audit.jsonl beside the index)")
    p.add_argument("--since", type=_since, help="ISO 8601 date or time")
    p.add_argument("--action", action="append", choices=audit.ACTIONS)
    p.add_argument("--user")
    p.add_argument("--json", action="store_true")
    p.add_argument("--index", default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser("curation", help="the numbered versions of the curation file")
    cs = p.add_subparsers(dest="curation_cmd", required=True)
    q = cs.add_parser("history", help="every accepted curation file, newest first")
    q.add_argument("--json", action="store_true")
    q.add_argument("--index", default=argparse.SUPPRESS)
    q.set_defaults(func=cmd_curation_history)
    q = cs.add_parser("restore", help="make version N the curation again (applied at next ingest)")
    q.add_argument("n", type=int, metavar="N")
    q.add_argument("--index", default=argparse.SUPPRESS)
    q.set_defaults(func=cmd_curation_restore)

    p = sub.add_parser("backup", help="one .tar.gz of the index, curation, staff, audit, uploads")
    p.add_argument("--to", required=True, metavar="FILE.tar.gz")
    p.add_argument("--corpus", help="corpus whose uploads/ and .removed/ to include")
    p.add_argument("--wait", type=float, default=30.0, help="seconds to wait for a running ingest")
    p.add_argument("--index", default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("restore", help="replace the index with a backup (all or nothing)")
    p.add_argument("archive", metavar="FILE.tar.gz")
    p.add_argument("--corpus", help="also put the archive's uploads/ and .removed/ back here")
    p.add_argument("--wait", type=float, default=30.0, help="seconds to wait for a running ingest")
    p.add_argument("--index", default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_restore)
