"""Incremental resolution: after a change, the directory holds exactly what a full ingest of the
same files holds, while only the part of the corpus the change can reach is resolved again.

A purchaser would notice a stale profile (a firm still merged with one a removed article linked
it to, a fact from an edited page) or a profile id that moved; staff would notice a re-ingest
of one page taking as long as the first ingest.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from index import store
from index.build import ingest
from index.search import Directory

CORPUS = Path(__file__).resolve().parents[1] / "corpus"

# written for this test: a new press note naming two firms of the demo corpus, and a firm of
# its own whose name the later edit repeats
NEW_NOTE = (
    "Zwei Nachbarn, ein Auftrag\n\n"
    "Die Schleiftechnik Müglitztal GmbH schleift künftig Wellen für die Drehteile von "
    "KS Präzisionsteile. Der Auftrag kam über die Zulieferbörse der Kammer zustande. "
    "Die Ostrauer Federnwerkstatt GmbH aus Bad Schandau wickelt dafür die Druckfedern.\n"
)
EDIT = b"<p>Neu im Programm: Laserbeschriften von Edelstahlteilen.</p>"


def edit(page: Path) -> None:
    """A sentence added to a member page (bytes: one demo page is in Latin-1)."""
    page.write_bytes(page.read_bytes().replace(b"</body>", EDIT + b"</body>", 1))


def profiles(index: Path) -> dict[str, dict]:
    """Every profile record the index holds, by id (what search, show and export read)."""
    ix = store.open_existing(index)
    with ix.searcher() as s:
        return {f["id"]: json.loads(f["payload"]) for f in s.documents(rtype="org")}


@pytest.fixture()
def site(tmp_path) -> tuple[Path, Path]:
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder, ignore=shutil.ignore_patterns("*.md", "*.toml", "*.py"))
    index = tmp_path / "index"
    report = ingest([folder], index_dir=index)
    assert report.organizations > 30, report.summary()
    return folder, index


def full_ingest(folder: Path, tmp: Path) -> dict[str, dict]:
    fresh = tmp / "fresh-index"
    shutil.rmtree(fresh, ignore_errors=True)
    ingest([folder], index_dir=fresh)
    return profiles(fresh)


def test_one_changed_page_resolves_a_small_part_and_gives_what_a_full_ingest_gives(site, tmp_path):
    folder, index = site
    page = folder / "html" / "richter-praezisionsteile-freiberg.html"
    edit(page)
    report = ingest([folder], index_dir=index)
    assert report.updated == [str(page)]
    full = full_ingest(folder, tmp_path)
    total = ingest([folder], index_dir=tmp_path / "count-index").resolved_mentions
    assert 0 < report.resolved_mentions < total / 3, (report.resolved_mentions, total)
    assert profiles(index) == full
    assert report.organizations == len(full)
    richter = Directory(index).search("Laserbeschriften")["results"]
    assert richter and richter[0]["name"].startswith("Richter Präzisionsteile")


def test_added_removed_and_edited_documents_together_match_a_full_ingest(site, tmp_path):
    folder, index = site
    before = profiles(index)
    (folder / "txt" / "presse-2023-nachbarn.txt").write_text(NEW_NOTE, encoding="utf-8")
    (folder / "txt" / "presse-2022-01-rathenow-optik.txt").unlink()
    page = folder / "html" / "feinwerktechnik-geising.html"
    edit(page)
    report = ingest([folder], index_dir=index)
    assert len(report.added) == 1 and len(report.removed) == 1 and len(report.updated) == 1
    after = profiles(index)
    assert after == full_ingest(folder, tmp_path)
    assert any(p["name"] == "Ostrauer Federnwerkstatt GmbH" for p in after.values())
    # a profile the change did not reach keeps its id and its record
    untouched = [i for i in before if i in after and before[i] == after[i]]
    assert len(untouched) > len(before) / 2


def test_removing_the_only_document_of_a_firm_removes_its_profile(site, tmp_path):
    folder, index = site
    note = folder / "txt" / "presse-2023-nachbarn.txt"
    note.write_text(NEW_NOTE, encoding="utf-8")
    ingest([folder], index_dir=index)
    assert any(p["name"] == "Ostrauer Federnwerkstatt GmbH" for p in profiles(index).values())
    note.unlink()
    report = ingest([folder], index_dir=index)
    after = profiles(index)
    assert not any(p["name"] == "Ostrauer Federnwerkstatt GmbH" for p in after.values())
    assert after == full_ingest(folder, tmp_path)
    assert report.organizations == len(after)


def test_a_lost_state_file_means_a_full_resolution_not_a_wrong_one(site, tmp_path):
    folder, index = site
    for p in index.glob("resolution-*"):
        p.write_bytes(b"not a pickle")
    (folder / "txt" / "presse-2023-nachbarn.txt").write_text(NEW_NOTE, encoding="utf-8")
    report = ingest([folder], index_dir=index)
    full = full_ingest(folder, tmp_path)
    assert profiles(index) == full
    assert report.resolved_mentions == ingest([folder], tmp_path / "n").resolved_mentions
    assert len(list(index.glob("resolution-*"))) == 1  # a fresh state, the broken one gone


def test_staff_corrections_hold_after_an_incremental_change(site, tmp_path):
    folder, index = site
    curation = index / "curation.toml"
    curation.write_text(
        '[[merge]]\nnames = ["Richter Präzisionsteile GmbH", "Richter Metallbau e.K."]\n'
        'into = "Richter Präzisionsteile GmbH"\nnote = "Test: one firm"\n',
        encoding="utf-8",
    )
    ingest([folder], index_dir=index)
    page = folder / "html" / "richter-praezisionsteile-freiberg.html"
    edit(page)
    report = ingest([folder], index_dir=index)
    assert report.resolved_mentions < ingest([folder], tmp_path / "n").resolved_mentions
    after = profiles(index)
    fresh = tmp_path / "fresh-index"
    fresh.mkdir()
    shutil.copy(curation, fresh / "curation.toml")
    ingest([folder], index_dir=fresh)
    assert after == profiles(fresh)
    merged = [p for p in after.values() if p["name"] == "Richter Präzisionsteile GmbH"]
    assert len(merged) == 1 and "Richter Metallbau e.K." in merged[0]["names"]
    assert not any(p["name"] == "Richter Metallbau e.K." for p in after.values())
