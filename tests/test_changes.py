"""The change feed as its readers meet it: a small corpus on disk is ingested, its documents are
changed the way staff change them (a capability sentence added, a firm moved, a document
removed, a new one dropped in, a fact dropped, a closure reported), and after every re-ingest
the feed — through the Python API, `supplier-search changes --json`, `GET /changes` over real
HTTP and a watch link in the app — says exactly what changed, as codes and ids.
"""

from __future__ import annotations

import doctest
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from test_api_http import Server, check_schema
from test_ui_app import app, cards, shown

from index import changes as feed
from index.build import ingest
from index.search import Directory

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "supplier_search.cli"]
CRASH_CHILD = ROOT / "tests" / "test_reliability_crash.py"  # runs the CLI with a kill point

DOCS = {
    "zerspanung-albrecht.txt": (
        "Zerspanung Albrecht GmbH – Frästeile aus Freiberg\n\n"
        "Die Zerspanung Albrecht GmbH in Freiberg fertigt Frästeile für den Maschinenbau.\n"
    ),
    "giesserei-wendt.txt": (
        "Gießerei Wendt GmbH – Aluminiumguss aus Zwickau\n\n"
        "Die Gießerei Wendt GmbH in Zwickau fertigt Aluminiumguss und Druckguss für den "
        "Fahrzeugbau.\n"
    ),
    "haerterei-brandt.txt": (
        "Härterei Brandt GmbH – Wärmebehandlung aus Plauen\n\n"
        "Die Härterei Brandt GmbH in Plauen bietet Einsatzhärten und Nitrieren für den "
        "Werkzeugbau.\n"
    ),
    "federn-lenk.txt": (
        "Federnfabrik Lenk GmbH – Druckfedern aus Glauchau\n\n"
        "Die Federnfabrik Lenk GmbH in Glauchau fertigt Druckfedern und Zugfedern für den "
        "Maschinenbau.\n"
    ),
}
TURNING = "Außerdem fertigt die Zerspanung Albrecht GmbH Drehteile.\n"
NEW_FIRM = (
    "date 2025-03 Neue Werkhalle in Wildenfels\n\n"
    "Die Blechtechnik Ohm GmbH in Wildenfels fertigt Laserteile und Kantteile für den "
    "Anlagenbau.\n"
)
CLOSURE = (
    "date 2025-06 Aus in Freiberg\n\n"
    "Die Zerspanung Albrecht GmbH in Freiberg hat den Betrieb eingestellt.\n"
)


def write_corpus(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")


def step_two(folder: Path) -> None:
    """A capability sentence added, a firm moved, a document removed, a new firm's page."""
    albrecht = folder / "zerspanung-albrecht.txt"
    albrecht.write_text(albrecht.read_text(encoding="utf-8") + TURNING, encoding="utf-8")
    wendt = folder / "giesserei-wendt.txt"
    wendt.write_text(wendt.read_text(encoding="utf-8").replace("Zwickau", "Chemnitz"), "utf-8")
    (folder / "haerterei-brandt.txt").unlink()
    (folder / "presse-2025-03.txt").write_text(NEW_FIRM, encoding="utf-8")


def step_three(folder: Path) -> None:
    """A fact no longer stated, a closure reported."""
    wendt = folder / "giesserei-wendt.txt"
    wendt.write_text(wendt.read_text(encoding="utf-8").replace(" und Druckguss", ""), "utf-8")
    (folder / "presse-2025-06.txt").write_text(CLOSURE, encoding="utf-8")


def log_lines(index_dir: Path) -> list[dict]:
    path = index_dir / feed.LOG
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def flat(found: list[dict]) -> set[tuple]:
    """Each change as (organization id, code, facet, value, old places, new places)."""
    return {
        (
            o["id"],
            c["code"],
            c.get("facet"),
            c.get("value"),
            tuple(c.get("old") or ()),
            tuple(c.get("new") or ()),
        )
        for o in found
        for c in o["changes"]
    }


def of_ingest(found: list[dict], batch: str) -> list[dict]:
    return [o for o in found if o["ingest"] == batch]


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> dict:
    """One index through three ingests; each ingest's batch id and time as the log has it."""
    base = tmp_path_factory.mktemp("changes")
    folder, index_dir = base / "corpus", base / "index"
    write_corpus(folder)
    steps = []
    for change in (None, step_two, step_three):
        if change:
            change(folder)
        ingest([folder], index_dir=index_dir)
        steps.append(log_lines(index_dir)[-1])
    assert len({s["ingest"] for s in steps}) == 3, "every ingest that changed something records"
    return {"folder": folder, "index": index_dir, "steps": steps}


# ----------------------------------------------------------------------------- the record


def test_first_ingest_lists_every_organization_as_added(history):
    d = Directory(history["index"])
    first = history["steps"][0]
    found = of_ingest(d.changes("2000-01-01"), first["ingest"])
    assert flat(found) == {
        (oid, "added", None, None, (), ())
        for oid in (
            "federnfabrik-lenk",
            "giesserei-wendt",
            "haerterei-brandt",
            "zerspanung-albrecht",
        )
    }
    assert {o["at"] for o in found} == {first["at"]}


def test_reingest_records_exactly_what_changed_per_organization(history):
    d = Directory(history["index"])
    first, second, _ = history["steps"]
    found = of_ingest(d.changes(first["at"]), second["ingest"])
    assert flat(found) == {
        ("zerspanung-albrecht", "fact_added", "capability", "cap.turning", (), ()),
        ("giesserei-wendt", "place_changed", None, None, ("Zwickau",), ("Chemnitz",)),
        ("haerterei-brandt", "removed", None, None, (), ()),
        ("blechtechnik-ohm", "added", None, None, (), ()),
    }  # the unchanged Federnfabrik Lenk is not listed
    removed = next(o for o in found if o["id"] == "haerterei-brandt")
    assert removed["name"] == "Härterei Brandt GmbH"  # still named, though its profile is gone
    assert d.show("haerterei-brandt") is None or d.show("haerterei-brandt")["id"] != (
        "haerterei-brandt"
    )
    assert {o["at"] for o in found} == {second["at"]}


def test_withdrawn_fact_and_closure_are_recorded(history):
    d = Directory(history["index"])
    _, second, third = history["steps"]
    found = d.changes(second["at"])  # after the second ingest: the third one only
    assert {o["ingest"] for o in found} == {third["ingest"]}
    assert flat(found) == {
        ("giesserei-wendt", "fact_withdrawn", "capability", "cap.die_casting", (), ()),
        ("zerspanung-albrecht", "closed", None, None, (), ()),
    }
    assert d.show("zerspanung-albrecht")["closed"]


def test_since_is_exclusive_and_a_date_means_its_local_midnight(history):
    d = Directory(history["index"])
    last = history["steps"][-1]
    assert d.changes(last["at"]) == []  # pass the last `at` seen: nothing newer yet
    today = d.changes(date.today().isoformat())
    assert {o["ingest"] for o in today} == {s["ingest"] for s in history["steps"]}
    assert d.changes((date.today() + timedelta(days=1)).isoformat()) == []
    found = d.changes("2000-01-01")
    assert [o["at"] for o in found] == sorted(o["at"] for o in found)  # oldest first


def test_reingest_with_nothing_changed_records_nothing(tmp_path):
    folder, index_dir = tmp_path / "corpus", tmp_path / "index"
    write_corpus(folder)
    ingest([folder], index_dir=index_dir)
    assert len(log_lines(index_dir)) == 1
    ingest([folder], index_dir=index_dir)  # nothing changed
    lenk = folder / "federn-lenk.txt"
    os.utime(lenk, ns=(time.time_ns(), time.time_ns() + 10**9))  # touched, same bytes
    ingest([folder], index_dir=index_dir)
    # a new sentence that restates what is known: the profile's record changes, no fact does
    lenk.write_text(
        DOCS["federn-lenk.txt"] + "Die Federnfabrik Lenk GmbH fertigt auch Zugfedern.\n", "utf-8"
    )
    report = ingest([folder], index_dir=index_dir)
    assert report.profiles_written == 1
    ingest([folder], index_dir=index_dir, rebuild=True)
    assert len(log_lines(index_dir)) == 1
    assert not (index_dir / feed.PENDING).exists()


# ----------------------------------------------------------------------------- callers


def cli(index_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CLI, "changes", "--index", str(index_dir), *args],
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def test_cli_changes_since_prints_the_feed(history):
    first = history["steps"][0]
    out = cli(history["index"], "--since", first["at"], "--json")
    assert out.returncode == 0, out.stderr
    body = json.loads(out.stdout.decode("utf-8"))
    assert body["changes"] == Directory(history["index"]).changes(first["at"])
    assert body["total"] == len(body["changes"]) == 6
    assert body["since"] == first["at"]
    text = cli(history["index"], "--since", first["at"]).stdout.decode("utf-8")
    assert "[zerspanung-albrecht]" in text and "capability added: Turning / turned parts" in text
    assert "place: Zwickau → Chemnitz" in text and "removed from the directory" in text
    bad = cli(history["index"], "--since", "gestern", "--json")
    assert bad.returncode == 2 and "ISO 8601" in json.loads(bad.stdout)["error"]
    assert cli(history["index"]).returncode == 2  # --since is required


def test_get_changes_over_http_is_the_cli_json(history, tmp_path):
    srv = Server(history["index"], tmp_path / "serve.log")
    try:
        schema = srv.json("/openapi.json")
        first = history["steps"][0]
        body = srv.json("/changes", since=first["at"])
        check_schema(schema, "/changes", body)
        cli_body = json.loads(cli(history["index"], "--since", first["at"], "--json").stdout)
        assert body == cli_body
        assert ("giesserei-wendt", "place_changed", None, None, ("Zwickau",), ("Chemnitz",)) in (
            flat(body["changes"])
        )
        # a date alone and a time with an offset are both ISO 8601
        assert srv.json("/changes", since="2000-01-01")["total"] == 4 + 4 + 2
        assert srv.json("/changes", since="2999-01-01T00:00:00+01:00")["changes"] == []
        for bad in ({"since": "gestern"}, {"since": "2026-13-01"}, {}, {"since": "2026", "x": "1"}):
            err = srv.json("/changes", status=422, **bad)
            assert err["error"] and "Traceback" not in err["error"], bad
            check_schema(schema, "/changes", err, status=422)
    finally:
        srv.stop()
    assert "Traceback" not in (tmp_path / "serve.log").read_text()


def test_watch_link_marks_new_and_changed_suppliers_and_offers_todays_link(history, monkeypatch):
    first = history["steps"][0]
    at = app(history["index"], monkeypatch, since=first["at"])
    assert not at.exception
    body = shown(at).replace("\\", "")  # Markdown escapes of labels
    assert "Seit " in body and "neu oder geändert: 3 der Treffer" in body
    watched = [
        b.label.replace("\\", "") for b in at.button if b.key and b.key.startswith("watch-open-")
    ]
    assert sorted(watched) == ["Blechtechnik Ohm GmbH", "Gießerei Wendt GmbH", "Zerspanung Albrecht GmbH"]  # fmt: skip
    assert "Federnfabrik Lenk GmbH" in cards(at)  # listed, but not marked: nothing changed
    assert "Ort: Zwickau → Chemnitz; nicht mehr: Fähigkeit Druckguss" in body
    assert "neu: Fähigkeit Drehen / Drehteile; als geschlossen gemeldet" in body
    assert "Neu seit" in body
    assert body.count('class="ss-watch"') == 2 * 3  # in the box above and on each card
    today = date.today().isoformat()
    assert at.code[0].value.endswith(f"since={today}")
    at.button(key="watch-today").click().run()
    assert at.query_params["since"] in (today, [today])  # the address bar is the new link
    assert any(b.key == "watch-stop" for b in at.button)
    at.button(key="watch-stop").click().run()
    assert "since" not in at.query_params


def test_watch_link_for_a_search_and_in_english(history, monkeypatch):
    first = history["steps"][0]
    at = app(history["index"], monkeypatch, q="Drehteile", since=first["at"], lang="en")
    assert cards(at)[0] == "Zerspanung Albrecht GmbH"
    body = shown(at).replace("\\", "")
    assert "New or changed since" in body and "1 of the results" in body
    assert "capability added: Turning / turned parts" in body and "Geändert" not in body
    # a search is kept as a watch link from the page itself, even when it finds nothing yet
    at = app(history["index"], monkeypatch, q="Druckguss")
    at.button(key="watch-start").click().run()
    assert at.query_params["since"] in (date.today().isoformat(), [date.today().isoformat()])


def test_a_hand_edited_watch_link_warns_instead_of_failing(history, monkeypatch):
    at = app(history["index"], monkeypatch, since="letzte Woche")
    assert not at.exception and cards(at)
    assert "kein Datum" in at.warning[0].value
    typed = history["steps"][0]["at"].replace("+", " ")  # '+' typed into an address bar
    at = app(history["index"], monkeypatch, since=typed)
    assert len([b for b in at.button if b.key and b.key.startswith("watch-open-")]) == 3
    at = app(history["index"], monkeypatch, since="2999-01-01")  # nothing recorded after it
    assert any("keiner der Treffer neu oder geändert" in c.value for c in at.caption)
    assert 'class="ss-watch"' not in shown(at)


def test_what_changed_is_shown_as_text_not_markup():
    from ui import render

    hostile = {"changes": [{"code": "place_changed", "old": ["<img src=x onerror=alert(1)>"],
                            "new": ["[Link](javascript:alert(2))"]}]}  # fmt: skip
    line = render.watch_line([hostile], "01.12.2026", "de")
    assert "&lt;img src=x onerror" in line and "<img" not in line and "](" not in line


# ----------------------------------------------------------------------------- crashes


def _killed_ingest(point: str, folder: Path, index_dir: Path) -> None:
    res = subprocess.run(
        [sys.executable, str(CRASH_CHILD), point, "--", "--index", str(index_dir), "ingest",
         str(folder)],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )  # fmt: skip
    assert res.returncode == -signal.SIGKILL, res.stderr[-2000:]


@pytest.fixture()
def crash_site(tmp_path):
    folder, index_dir = tmp_path / "corpus", tmp_path / "index"
    write_corpus(folder)
    ingest([folder], index_dir=index_dir)
    step_two(folder)
    return folder, index_dir


def test_killed_after_the_commit_the_change_is_kept_once(crash_site):
    folder, index_dir = crash_site
    since = log_lines(index_dir)[-1]["at"]
    _killed_ingest("commit-end:1", folder, index_dir)  # committed, log not yet appended
    found = Directory(index_dir).changes(since)
    assert ("giesserei-wendt", "place_changed", None, None, ("Zwickau",), ("Chemnitz",)) in flat(
        found
    )
    ingest([folder], index_dir=index_dir)  # nothing left to do: it completes the record
    assert Directory(index_dir).changes(since) == found
    assert len(log_lines(index_dir)) == 2 and not (index_dir / feed.PENDING).exists()


def test_killed_before_the_commit_nothing_is_recorded_until_it_happens(crash_site):
    folder, index_dir = crash_site
    since = log_lines(index_dir)[-1]["at"]
    _killed_ingest("commit/toc-rename:1", folder, index_dir)  # the commit never happened
    assert (index_dir / feed.PENDING).exists()
    assert Directory(index_dir).changes(since) == []
    ingest([folder], index_dir=index_dir)  # does the work again, and records it once
    found = Directory(index_dir).changes(since)
    assert len({o["ingest"] for o in found}) == 1 and len(found) == 4
    assert len(log_lines(index_dir)) == 2 and not (index_dir / feed.PENDING).exists()


def test_a_line_cut_short_is_no_record_and_is_cut_off(crash_site):
    folder, index_dir = crash_site
    since = log_lines(index_dir)[-1]["at"]
    with (index_dir / feed.LOG).open("ab") as f:
        f.write(b'{"at": "2999-01-01T00:00:00+00:00", "ingest": "torn", "organiz')
    assert Directory(index_dir).changes(since) == []
    ingest([folder], index_dir=index_dir)
    lines = log_lines(index_dir)  # every line whole again, the torn one gone
    assert len(lines) == 2 and "torn" not in {b["ingest"] for b in lines}


def test_docstring_examples_hold():
    result = doctest.testmod(feed)
    assert result.attempted > 0 and result.failed == 0


def test_the_demo_corpus_reingested_unchanged_records_nothing(tmp_path):
    """The team's documents, as `scripts/demo.sh` ingests them, twice."""
    folders = [ROOT / "corpus" / sub for sub in ("html", "pdf", "txt")]
    index_dir = tmp_path / "index"
    ingest(folders, index_dir=index_dir)
    ingest(folders, index_dir=index_dir, rebuild=True)
    assert len(log_lines(index_dir)) == 1
    shutil.rmtree(index_dir)
