"""Staff accounts, login and its throttle: who may change the directory, told apart by name.

Accounts live in `staff.toml` in the index folder (never in git; mode 0600): per name a role
and a password hash — `hashlib.scrypt` (n=2**14, r=8, p=1) with a random 16-byte salt per user,
so equal passwords give different hashes and a stolen file costs an attacker a memory-hard
guess per user. Roles: `editor` may upload, ingest, remove and curate; `admin` may also manage
accounts. The shared password of `$SUPPLIER_SEARCH_STAFF_PASSWORD` (the app's old login) stays
as a fallback admin login under the name `admin` when no account of that name exists.

`login` is the one check every caller uses: after `MAX_FAILURES` failures for one name within
`WINDOW` seconds the name is locked for `LOCKOUT` seconds — attempts during the lock are refused
without looking at the password — and every failure and refusal is written to the audit log
(name and time, never the password). Hashes are compared with `hmac.compare_digest`.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import re
import secrets
import tempfile
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

from index import store

from . import audit

STAFF_FILE = "staff.toml"
ROLES = ("editor", "admin")
SHARED_NAME = "admin"  # the name the shared password logs in as
MAX_FAILURES = 5
WINDOW = 15 * 60  # seconds in which MAX_FAILURES failures lock a name
LOCKOUT = 15 * 60  # seconds a name stays locked
SESSION_SECONDS = 8 * 3600
MIN_PASSWORD = 8
SCRYPT = {"n": 2**14, "r": 8, "p": 1}
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


class StaffError(ValueError):
    """An account change refused; `code` names the reason for callers to word."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Account:
    """One staff member as `staff list` shows it (the hash stays in the file)."""

    name: str
    role: str
    created: str


@dataclass(frozen=True)
class LoginResult:
    """What a login attempt came to. `code`: `ok`, `wrong` (unknown name or wrong password —
    never which), `locked` (too many failures; `until` is when it opens, epoch seconds)."""

    code: str
    user: str = ""
    role: str = ""
    via: str = ""
    until: float | None = None
    failures_left: int = MAX_FAILURES

    @property
    def ok(self) -> bool:
        return self.code == "ok"


def path_of(index_dir: str | os.PathLike | None) -> Path:
    return store.resolve_dir(index_dir) / STAFF_FILE


def hash_password(password: str, salt: bytes | None = None) -> str:
    """`scrypt$n$r$p$salt$hash` (base64), with a fresh random salt unless one is given.

    >>> h = hash_password("Kennwort-1", salt=b"0" * 16)
    >>> h.split("$")[:4], check_password("Kennwort-1", h), check_password("kennwort-1", h)
    (['scrypt', '16384', '8', '1'], True, False)
    """
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, **SCRYPT)
    b64 = base64.b64encode
    return (
        f"scrypt${SCRYPT['n']}${SCRYPT['r']}${SCRYPT['p']}$"
        f"{b64(salt).decode()}${b64(digest).decode()}"
    )


def check_password(password: str, stored: str) -> bool:
    """True when `password` hashes to `stored`; constant-time comparison of the digests."""
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        want = base64.b64decode(digest)
        got = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(want),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, want)


def shared_password_ok(given: str, expected: str) -> bool:
    """The fallback login: the shared password from the environment, compared in constant time."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


# ----------------------------------------------------------------------------- accounts


def _load(index_dir) -> dict[str, dict]:
    try:
        data = tomllib.loads(path_of(index_dir).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return {k: v for k, v in data.get("users", {}).items() if isinstance(v, dict)}


def _save(index_dir, users: dict[str, dict]) -> None:
    path = path_of(index_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# staff accounts of supplier-search: never commit this file", ""]
    for name in sorted(users):
        u = users[name]
        lines += [
            f'[users."{name}"]',
            f'role = "{u["role"]}"',
            f'hash = "{u["hash"]}"',
            f'created = "{u.get("created", "")}"',
            "",
        ]
    fd, tmp = tempfile.mkstemp(prefix=".staff-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines))
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def accounts(index_dir: str | os.PathLike | None = None) -> list[Account]:
    """Every account, by name.

    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> _ = add(d, "anna", "lang-genug", "editor", by="root", via="cli")
    >>> [(a.name, a.role) for a in accounts(d)]
    [('anna', 'editor')]
    """
    return [
        Account(name, u.get("role", "editor"), u.get("created", ""))
        for name, u in sorted(_load(index_dir).items())
    ]


def check_name(name: str) -> str:
    """A user name is lower-case letters, digits, `.`, `_`, `-` (up to 64): easy to type, safe
    in TOML and in the log."""
    name = (name or "").strip().lower()
    if not _NAME.match(name):
        raise StaffError(
            "bad_name", f"'{name}' is not a user name (letters a-z, digits, '.', '_', '-')"
        )
    return name


def add(
    index_dir: str | os.PathLike | None,
    name: str,
    password: str,
    role: str = "editor",
    by: str = "",
    via: str = "cli",
) -> Account:
    """Create an account or set a new password and role for an existing one; logged as
    `account_add` by `by`. Refuses short passwords and unknown roles."""
    name = check_name(name)
    if role not in ROLES:
        raise StaffError("bad_role", f"role must be one of {', '.join(ROLES)}, not '{role}'")
    if len(password) < MIN_PASSWORD:
        raise StaffError("short_password", f"the password needs at least {MIN_PASSWORD} characters")
    users = _load(index_dir)
    existed = name in users
    created = users.get(name, {}).get("created") or audit.now_iso()
    users[name] = {"role": role, "hash": hash_password(password), "created": created}
    _save(index_dir, users)
    audit.record(index_dir, by, "account_add", name, via=via, role=role, replaced=existed)
    return Account(name, role, created)


def remove(index_dir: str | os.PathLike | None, name: str, by: str = "", via: str = "cli") -> None:
    """Delete an account (logged as `account_remove`); an unknown name is refused."""
    name = check_name(name)
    users = _load(index_dir)
    if name not in users:
        raise StaffError("unknown_user", f"no staff account named '{name}'")
    del users[name]
    _save(index_dir, users)
    audit.record(index_dir, by, "account_remove", name, via=via)


# ----------------------------------------------------------------------------- login


def lock_state(index_dir, name: str, now: float | None = None) -> tuple[float | None, int]:
    """(locked until — epoch seconds, or None — , failures that still count) for one name,
    replayed from the audit log: failures within WINDOW seconds of each other count; the
    MAX_FAILURES-th locks the name for LOCKOUT seconds; a successful login starts afresh."""
    now = time.time() if now is None else now
    horizon = dt.datetime.fromtimestamp(now - WINDOW - LOCKOUT).astimezone()
    entries = audit.read(index_dir, since=horizon, actions={"login", "login_failed"}, user=name)
    until: float | None = None
    window: list[float] = []
    for e in entries:
        t = dt.datetime.fromisoformat(e.at).timestamp()
        if e.action == "login":
            window, until = [], None
            continue
        if until is not None and t < until:
            continue
        window = [x for x in window if t - x < WINDOW] + [t]
        if len(window) >= MAX_FAILURES:
            until, window = t + LOCKOUT, []
    if until is not None and until <= now:
        until = None
    return until, len([x for x in window if now - x < WINDOW])


def login(
    index_dir: str | os.PathLike | None,
    name: str,
    password: str,
    shared_password: str | None = None,
    via: str = "app",
    now: float | None = None,
) -> LoginResult:
    """Check one login attempt and record it. An empty name means the shared admin login.

    Why here and not in the page: the throttle must count every attempt against a name
    whichever session, tab or process makes it, and the audit log is the one shared record.

    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> _ = add(d, "anna", "lang-genug", by="root")
    >>> [login(d, "anna", "falsch").code for _ in range(5)] + [login(d, "anna", "lang-genug").code]
    ['wrong', 'wrong', 'wrong', 'wrong', 'locked', 'locked']
    """
    name = (name or "").strip().lower() or SHARED_NAME
    if not _NAME.match(name):
        name = "invalid-name"  # recorded as such: the log never holds what was typed there
    until, failures = lock_state(index_dir, name, now)
    if until is not None:
        audit.record(index_dir, name, "login_locked", name, via=via, until=_iso(until))
        return LoginResult("locked", name, until=until, failures_left=0)
    users = _load(index_dir)
    role = ""
    how = via
    if name in users:
        ok = check_password(password, users[name].get("hash", ""))
        role = users[name].get("role", "editor")
    elif name == SHARED_NAME and shared_password:
        ok = shared_password_ok(password, shared_password)
        role, how = "admin", "shared-password"
    else:
        check_password(password, hash_password("x", salt=b"\0" * 16))  # same time as a real check
        ok = False
    if ok:
        audit.record(index_dir, name, "login", name, via=how, role=role)
        return LoginResult("ok", name, role, how)
    audit.record(index_dir, name, "login_failed", name, via=via)
    until, failures = lock_state(index_dir, name, now)
    if until is not None:
        return LoginResult("locked", name, until=until, failures_left=0)
    return LoginResult("wrong", name, failures_left=MAX_FAILURES - failures)


def may(role: str, action: str) -> bool:
    """Whether a role may do an action: accounts are for admins, the rest for every role.

    >>> may("editor", "ingest"), may("editor", "accounts"), may("admin", "accounts")
    (True, False, True)
    """
    if action == "accounts":
        return role == "admin"
    return role in ROLES


def session_expired(started: float, now: float | None = None) -> bool:
    """Sessions end SESSION_SECONDS (8 hours) after login, however active they were."""
    return (time.time() if now is None else now) - started >= SESSION_SECONDS


def _iso(t: float) -> str:
    return dt.datetime.fromtimestamp(t).astimezone().isoformat(timespec="seconds")
