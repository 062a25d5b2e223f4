"""Staff accounts and login as staff and operators meet them: `supplier-search staff` in a real
process writes `staff.toml` beside a real index, the app's staff page logs in by name, locks a
name after 5 failures in 15 minutes, logs out, ends sessions after 8 hours, and only admins
manage accounts. Every failure is in the audit log, never the password."""

from __future__ import annotations

import dis
import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

from supplier_search import audit, staff
from tests.test_ui_app import APP, PASSWORD, small_site  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "supplier_search.cli"]
ANNA_PW = "Anna-sicheres-Kennwort"


def cli(index_dir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CLI, *args[:2], "--index", str(index_dir), *args[2:]]
        if args[0] == "staff"
        else [*CLI, args[0], "--index", str(index_dir), *args[1:]],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def test_cli_adds_lists_and_removes_accounts_with_salted_scrypt_hashes(tmp_path):
    idir = tmp_path / "index"
    same = "gleiches-Passwort-9"
    r = cli(idir, "staff", "add", "anna", "--role", "admin", "--password-stdin", stdin=same + "\n")
    assert r.returncode == 0, r.stderr
    r = cli(idir, "staff", "add", "bernd", "--password-stdin", stdin=same + "\n")
    assert r.returncode == 0, r.stderr
    listed = json.loads(cli(idir, "staff", "list", "--json").stdout)["accounts"]
    assert [(a["name"], a["role"]) for a in listed] == [("anna", "admin"), ("bernd", "editor")]
    text = (idir / "staff.toml").read_text()
    assert same not in text
    hashes = [line.split('"')[1] for line in text.splitlines() if line.startswith("hash")]
    assert all(h.startswith("scrypt$16384$8$1$") for h in hashes)
    assert hashes[0] != hashes[1]  # the same password, a different salt per user
    assert stat.S_IMODE((idir / "staff.toml").stat().st_mode) == 0o600
    assert staff.login(idir, "bernd", same).ok and not staff.login(idir, "bernd", "x").ok
    # refusals say why and change nothing
    r = cli(idir, "staff", "add", "kurz", "--password-stdin", stdin="kurz\n")
    assert r.returncode == 2 and "at least 8" in r.stderr
    r = cli(idir, "staff", "remove", "niemand")
    assert r.returncode == 1 and "no staff account named 'niemand'" in r.stderr
    assert cli(idir, "staff", "remove", "bernd").returncode == 0
    assert [a.name for a in staff.accounts(idir)] == ["anna"]
    # each change is on record under the OS user who ran the command
    log = [
        (e.action, e.object, e.user, e.via)
        for e in audit.read(idir, actions={"account_add", "account_remove"})
    ]
    me = audit.os_user()
    assert log == [
        ("account_add", "anna", me, "cli"),
        ("account_add", "bernd", me, "cli"),
        ("account_remove", "bernd", me, "cli"),
    ]


def test_five_failures_lock_the_name_for_15_minutes_and_the_log_never_holds_a_password(tmp_path):
    idir = tmp_path / "index"
    staff.add(idir, "anna", ANNA_PW, by="test")
    staff.add(idir, "bernd", ANNA_PW, by="test")
    guesses = [f"rate-{n}-geheim" for n in range(7)]
    codes = [staff.login(idir, "anna", g).code for g in guesses[:4]]
    assert codes == ["wrong"] * 4
    fifth = staff.login(idir, "anna", guesses[4])
    assert fifth.code == "locked" and fifth.until is not None
    assert 14 * 60 < fifth.until - time.time() <= 15 * 60
    # locked: even the right password is refused, without being checked
    assert staff.login(idir, "anna", ANNA_PW).code == "locked"
    # another name is not affected
    assert staff.login(idir, "bernd", ANNA_PW).ok
    # 15 minutes later the name opens again
    assert staff.lock_state(idir, "anna", now=fifth.until + 1) == (None, 0)
    assert staff.login(idir, "anna", ANNA_PW, now=fifth.until + 1).ok
    raw = staff.path_of(idir).parent.joinpath("audit.jsonl").read_text()
    assert not any(g in raw for g in guesses) and ANNA_PW not in raw
    anna = [e.action for e in audit.read(idir, user="anna")]
    assert anna == ["login_failed"] * 5 + ["login_locked", "login"]
    assert audit.verify(idir) is None


def test_failures_spread_over_more_than_15_minutes_do_not_lock(tmp_path):
    idir = tmp_path / "index"
    idir.mkdir()
    base = int(time.time()) - 4 * 3600

    def failures(gap: int) -> float:
        """Five failures `gap` seconds apart; returns the time of the last."""
        with (idir / "audit.jsonl").open("w") as fh:
            for n in range(5):
                at = audit.dt.datetime.fromtimestamp(base + n * gap).astimezone()
                line = {"at": at.isoformat(), "user": "anna", "action": "login_failed"}
                fh.write(json.dumps(line) + "\n")
        return float(int(base) + 4 * gap)

    last = failures(200)  # the first and the fifth 13:20 apart: locked
    assert staff.lock_state(idir, "anna", now=last + 1) == (last + 900, 0)
    last = failures(240)  # 16:00 apart: the first no longer counts
    assert staff.lock_state(idir, "anna", now=last + 1) == (None, 4)


def test_password_checks_are_constant_time():
    for fn in (staff.check_password, staff.shared_password_ok):
        calls = {i.argval for i in dis.get_instructions(fn) if "ATTR" in i.opname}
        assert "compare_digest" in calls


# ----------------------------------------------------------------------------- the app


def app(index_dir: Path, monkeypatch, shared: str | None = None):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("SUPPLIER_SEARCH_INDEX", str(index_dir))
    monkeypatch.delenv("SUPPLIER_SEARCH_STAFF_PASSWORD", raising=False)
    if shared:
        monkeypatch.setenv("SUPPLIER_SEARCH_STAFF_PASSWORD", shared)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["view"] = "staff"
    return at.run()


def login(at, user: str, password: str) -> None:
    at.text_input(key="w_user").input(user)
    at.text_input(key="w_password").input(password)
    next(b for b in at.button if b.key.startswith("FormSubmitter:staff-login")).click().run()


def page_text(at) -> str:
    return "\n".join(x.value for x in [*at.error, *at.info, *at.success, *at.caption])


def test_app_login_by_name_lockout_message_logout_and_roles(small_site, monkeypatch):  # noqa: F811
    _, idir = small_site
    staff.add(idir, "anna", ANNA_PW, "admin", by="test")
    staff.add(idir, "bernd", ANNA_PW, "editor", by="test")
    at = app(idir, monkeypatch)  # accounts alone open the page; no shared password needed
    assert at.text_input(key="w_user")
    login(at, "bernd", "falsch-1")
    assert "Noch 4 Versuche" in page_text(at) and not at.get("file_uploader")
    for n in range(2, 6):
        login(at, "bernd", f"falsch-{n}")
    assert "bis " in page_text(at) and "gesperrt" in page_text(at)
    login(at, "bernd", ANNA_PW)  # the right password while locked: still refused
    assert "gesperrt" in page_text(at) and not at.get("file_uploader")
    # an editor works with documents but does not see the accounts
    at2 = app(idir, monkeypatch)
    staff.add(idir, "carla", ANNA_PW, "editor", by="test")
    login(at2, "carla", ANNA_PW)
    assert at2.get("file_uploader") and "Angemeldet als carla" in page_text(at2)
    assert "Konten" not in [h.value for h in at2.subheader]
    # an admin adds an account in the page; the new account can log in
    login(at, "anna", ANNA_PW)
    assert "Konten" in [h.value for h in at.subheader]
    at.text_input(key="w_acc_name").input("dora")
    at.text_input(key="w_acc_pw").input("Dora-Kennwort-1")
    at.text_input(key="w_acc_pw2").input("Dora-Kennwort-1")
    next(b for b in at.button if b.key.startswith("FormSubmitter:staff-account-add")).click().run()
    assert "dora" in [a.name for a in staff.accounts(idir)]
    assert staff.login(idir, "dora", "Dora-Kennwort-1").ok
    # log out: back to the login form, on record
    at.button(key="logout").click().run()
    assert at.text_input(key="w_user") and not at.get("file_uploader")
    log = [(e.user, e.action) for e in audit.read(idir)]
    assert ("anna", "account_add") in log and log[-2:] == [("dora", "login"), ("anna", "logout")]


def test_app_shared_password_still_logs_in_as_admin(small_site, monkeypatch):  # noqa: F811
    _, idir = small_site
    at = app(idir, monkeypatch, shared=PASSWORD)
    login(at, "", PASSWORD)
    assert at.get("file_uploader") and "Angemeldet als admin" in page_text(at)
    assert audit.read(idir)[-1].via == "shared-password"


def test_app_session_ends_after_8_hours(small_site, monkeypatch):  # noqa: F811
    _, idir = small_site
    staff.add(idir, "anna", ANNA_PW, by="test")
    at = app(idir, monkeypatch)
    login(at, "anna", ANNA_PW)
    assert at.get("file_uploader")
    who = dict(at.session_state["staff_ok"])
    who["at"] = time.time() - 8 * 3600 + 30  # half a minute before the end: still in
    at.session_state["staff_ok"] = who
    at.run()
    assert at.get("file_uploader")
    who["at"] = time.time() - 8 * 3600 - 1
    at.session_state["staff_ok"] = who
    at.run()
    assert not at.get("file_uploader") and "nach 8 Stunden abgelaufen" in page_text(at)
    last = audit.read(idir)[-1]
    assert (last.user, last.action, last.details) == ("anna", "logout", {"reason": "expired"})
