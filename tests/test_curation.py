"""Staff corrections in curation.toml: applied at every ingest, explained in the profile, and a
broken file never undoes the last good corrections."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.build import ingest
from index.search import Directory

DOCS = Path(__file__).parent / "extraction"
FILES = [DOCS / "01-vogtland-messe.txt", DOCS / "03-uebernahme-2019.txt"]

GOOD = """
[[rename]]
name = "MKT Metalltechnik"
to = "MKT Metalltechnik GmbH"
note = "legal form from the commercial register"

[[merge]]
names = ["Hartig", "Böttcher"]
note = "one firm, two brands"

[[hide]]
name = "Freie Presse"

[[kind]]
name = "Sparkasse Vogtland"
kind = "public"

[[alias]]
name = "Präzisionstechnik Adorf"
alias = "PTA"

[[fact]]
name = "Präzisionstechnik Adorf"
action = "add"
facet = "certification"
value = "cert.iso9001"
note = "certificate seen at the fair"

[[fact]]
name = "Günther Metallbau GmbH"
action = "withdraw"
facet = "place"
value = "Plauen"
"""


def _names(d: Directory) -> dict[str, dict]:
    return {r["name"]: r for r in d.list()["results"]}


@pytest.fixture()
def curated(tmp_path) -> Directory:
    cur = tmp_path / "curation.toml"
    cur.write_text(GOOD, encoding="utf-8")
    report = ingest(FILES, index_dir=tmp_path / "ix", curation_file=cur)
    assert not report.curation_errors
    return Directory(tmp_path / "ix")


def test_rename_hide_and_kind_take_effect(curated):
    orgs = _names(curated)
    assert "MKT Metalltechnik GmbH" in orgs and "MKT Metalltechnik" not in orgs
    assert "Freie Presse" not in orgs
    assert orgs["Sparkasse Vogtland"]["kind"] == "public"


def test_merge_joins_two_profiles_and_says_why(curated):
    p = curated.show("Hartig")
    assert "Böttcher" in p["names"]
    assert any(why["code"] == "staff_merged" for why in p["merged_because"])
    caps = {f["value"] for f in p["facts"] if f["facet"] == "capability"}
    assert {"cap.turning", "cap.laser_cutting"} <= caps


def test_added_fact_cites_the_curation_file_and_alias_finds_the_firm(curated):
    p = curated.show("PTA")
    assert p["name"] == "Präzisionstechnik Adorf"
    added = [f for f in p["facts"] if f["value"] == "cert.iso9001"]
    assert added and added[0]["evidence"]["doc"] == "curation"
    assert "certificate seen at the fair" in added[0]["evidence"]["sentence"]


def test_withdrawn_fact_is_gone(curated):
    p = curated.show("Günther Metallbau GmbH")
    assert all(f["value"] != "Plauen" for f in p["facts"] if f["facet"] == "place")


def test_malformed_file_reports_the_line_and_keeps_the_last_good_curation(tmp_path):
    cur = tmp_path / "curation.toml"
    cur.write_text(GOOD, encoding="utf-8")
    ix = tmp_path / "ix"
    ingest(FILES, index_dir=ix, curation_file=cur)
    cur.write_text(GOOD + '\n[[kind]]\nname = "Hartig"\nkind = "spaceship"\n', encoding="utf-8")
    report = ingest(FILES, index_dir=ix, curation_file=cur)
    assert report.curation_errors and "line" in report.curation_errors[0]
    assert "last good curation stays in force" in report.curation_errors[0]
    orgs = _names(Directory(ix))
    assert "MKT Metalltechnik GmbH" in orgs and "Freie Presse" not in orgs


def test_removing_a_correction_restores_the_extracted_state(tmp_path):
    cur = tmp_path / "curation.toml"
    cur.write_text(GOOD, encoding="utf-8")
    ix = tmp_path / "ix"
    ingest(FILES, index_dir=ix, curation_file=cur)
    cur.write_text("", encoding="utf-8")
    ingest(FILES, index_dir=ix, curation_file=cur)
    orgs = _names(Directory(ix))
    assert "MKT Metalltechnik" in orgs and "Freie Presse" in orgs
    assert "MKT Metalltechnik GmbH" not in orgs
