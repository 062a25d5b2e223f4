"""Everything on record, everything undoable, as staff and operators meet it: a staff member
works through the real app (upload, ingest, remove, two curation files, restore both), the
audit log read by `supplier-search audit` in a real process says who did each, newest first;
`supplier-search curation history|restore N` brings an older curation back and the next ingest
applies it; a removed document comes back from `.removed/`; an edited log line is detected."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from index.build import ingest
from index.search import Directory
from supplier_search import audit, curation_history, staff
from tests.test_ui_app import APP, NEW_FIRM, small_site  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "supplier_search.cli"]
PW = "Anna-sicheres-Kennwort"
RENAME_1 = b'[[rename]]\nname = "Zerspanung Albrecht GmbH"\nto = "Albrecht Eins GmbH"\n'
RENAME_2 = b'[[rename]]\nname = "Zerspanung Albrecht GmbH"\nto = "Albrecht Zwei GmbH"\n'


def cli(index_dir: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [*CLI, *args, "--index", str(index_dir)]
    return subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def open_app(index_dir: Path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("SUPPLIER_SEARCH_INDEX", str(index_dir))
    monkeypatch.delenv("SUPPLIER_SEARCH_STAFF_PASSWORD", raising=False)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["view"] = "staff"
    at.run()
    at.text_input(key="w_user").input("anna")
    at.text_input(key="w_password").input(PW)
    next(b for b in at.button if b.key.startswith("FormSubmitter:staff-login")).click().run()
    assert not at.exception and at.get("file_uploader")
    return at


def first_name(index_dir: Path, q: str = "Drehteile") -> str:
    return Directory(index_dir).search(q)["results"][0]["name"]


def curate(at, data: bytes) -> None:
    at.get("file_uploader")[1].set_value(("curation.toml", data, "application/toml")).run()
    at.button(key="curation-apply").click().run()
    assert not at.exception


def test_staff_actions_in_the_app_are_logged_and_undone(small_site, monkeypatch):  # noqa: F811
    corpus, idir = small_site
    staff.add(idir, "anna", PW, "editor", by="chef", via="cli")
    at = open_app(idir, monkeypatch)
    # upload and ingest
    at.get("file_uploader")[0].set_value([("wendt.txt", NEW_FIRM.encode(), "text/plain")]).run()
    at.button(key="ingest").click().run()
    assert first_name(idir, "Aluminiumguss") == "Gießerei Wendt GmbH"
    # two curation files: the second replaces the first, both are kept
    curate(at, RENAME_1)
    assert first_name(idir) == "Albrecht Eins GmbH"
    curate(at, RENAME_2)
    assert first_name(idir) == "Albrecht Zwei GmbH"
    assert [v.n for v in curation_history.history(idir)] == [1, 2]
    # version 1 back from the page
    at.selectbox(key="w_history").set_value(1).run()
    at.button(key="history-restore").click().run()
    assert not at.exception
    assert first_name(idir) == "Albrecht Eins GmbH"
    assert (idir / "curation.toml").read_bytes() == RENAME_1
    # remove the uploaded document, then bring it back from .removed/
    target = str(corpus / "uploads" / "wendt.txt")
    at.selectbox(key="remove-doc").set_value(target).run()
    at.checkbox(key=f"remove-sure-{target}").check().run()  # removing asks once more
    at.button(key="remove").click().run()
    assert Directory(idir).search("Aluminiumguss")["total"] == 0
    at.selectbox(key="w_removed").set_value("wendt.txt").run()
    at.button(key="removed-restore").click().run()
    assert not at.exception
    assert (corpus / "uploads" / "wendt.txt").read_text() == NEW_FIRM
    assert first_name(idir, "Aluminiumguss") == "Gießerei Wendt GmbH"
    assert not (corpus / ".removed" / "wendt.txt").exists()

    # the log, as `supplier-search audit --json` prints it: newest first, who, what, counts
    out = json.loads(cli(idir, "audit", "--json").stdout)
    assert out["chain_broken_at_line"] is None
    rows = [(e["user"], e["action"], e["object"]) for e in reversed(out["entries"])]
    assert rows == [
        ("chef", "account_add", "anna"),
        ("anna", "login", "anna"),
        ("anna", "upload", "uploads/wendt.txt"),
        ("anna", "ingest", str(corpus)),
        ("anna", "curation", "curation.toml"),
        ("anna", "ingest", str(corpus)),
        ("anna", "curation", "curation.toml"),
        ("anna", "ingest", str(corpus)),
        ("anna", "curation_restore", "curation.toml"),
        ("anna", "ingest", str(corpus)),
        ("anna", "remove", "uploads/wendt.txt"),
        ("anna", "ingest", str(corpus)),
        ("anna", "restore_document", "uploads/wendt.txt"),
        ("anna", "ingest", str(corpus)),
    ]
    entries = list(reversed(out["entries"]))
    assert entries[3]["details"]["added"] == 1 and entries[11]["details"]["removed"] == 1
    assert '+to = "Albrecht Zwei GmbH"' in entries[6]["details"]["diff"]
    assert '-to = "Albrecht Eins GmbH"' in entries[6]["details"]["diff"]
    assert entries[8]["details"]["restored_from"] == 1
    # the page shows the same log, newest first, filterable by action
    at.multiselect(key="w_audit_actions").set_value(["remove"]).run()
    table = at.dataframe[-1].value
    assert list(table["Aktion"]) == ["Dokument entfernt"]
    assert list(table["Benutzer"]) == ["anna"]
    # --since: only what came after
    since = entries[10]["at"]
    later = json.loads(cli(idir, "audit", "--since", since, "--json").stdout)["entries"]
    assert all(dt.datetime.fromisoformat(e["at"]) > dt.datetime.fromisoformat(since) for e in later)


def test_cli_curation_history_restore_and_ingest_are_logged_with_the_os_user(small_site):  # noqa: F811
    corpus, idir = small_site
    curation_history.accept(idir, RENAME_1.decode(), "anna")
    curation_history.accept(idir, RENAME_2.decode(), "anna")
    hist = json.loads(cli(idir, "curation", "history", "--json").stdout)["versions"]
    assert [(v["n"], v["user"]) for v in hist] == [(1, "anna"), (2, "anna")]
    r = cli(idir, "curation", "restore", "1")
    assert r.returncode == 0 and "the next ingest applies it" in r.stdout
    assert (idir / "curation.toml").read_bytes() == RENAME_1
    r = cli(idir, "ingest", str(corpus))
    assert r.returncode == 0, r.stderr
    assert first_name(idir) == "Albrecht Eins GmbH"
    r = cli(idir, "curation", "restore", "9")
    assert r.returncode == 1 and "no curation version 9" in r.stderr
    me = audit.os_user()
    last = [(e.user, e.action, e.via) for e in audit.read(idir)][-2:]
    assert last == [(me, "curation_restore", "cli"), (me, "ingest", "cli")]
    text = cli(idir, "audit").stdout
    assert f"{me} (cli)  ingested" in text.splitlines()[0]  # newest first, in words


def test_an_edited_log_line_breaks_the_chain_and_is_named(tmp_path):
    for n in range(4):
        audit.record(tmp_path, "anna", "upload", f"uploads/{n}.txt")
    assert audit.verify(tmp_path) is None
    path = tmp_path / "audit.jsonl"
    lines = path.read_text().splitlines(keepends=True)
    lines[1] = lines[1].replace("anna", "bernd")
    path.write_text("".join(lines))
    assert audit.verify(tmp_path) == 3  # the line after the edited one no longer matches
    r = cli(tmp_path, "audit")
    assert "altered at line 3" in r.stderr


def test_cli_ingest_and_staff_changes_are_logged(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "wendt.txt").write_text(NEW_FIRM, encoding="utf-8")
    idir = tmp_path / "index"
    assert cli(idir, "ingest", str(corpus)).returncode == 0
    e = audit.read(idir)[-1]
    assert (e.action, e.via, e.user) == ("ingest", "cli", audit.os_user())
    assert e.details["added"] == 1 and e.details["organizations"] >= 1
    ingest([corpus], index_dir=idir)  # the Python API itself logs nothing: its callers do
    assert len(audit.read(idir)) == 1
