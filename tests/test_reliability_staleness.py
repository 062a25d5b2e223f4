"""Staleness: what a source file no longer says must leave the directory at the next ingest.

A changed file takes its old facts and evidence with it, a deleted (or now unreadable) file all
of its own, a supplier whose only evidence vanished disappears, and the curation file's
corrections are applied again to whatever the documents now say.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from index.build import ingest
from index.search import Directory

FIRM = "Wilde Sau Huber GmbH"
OTHER = "Rabenauer Schleiftechnik GmbH"
PAGE_V1 = (
    f"<html><head><title>{FIRM}</title></head><body><h1>{FIRM}</h1>"
    f"<p>Die {FIRM} aus Freiberg fertigt Getriebe und Zahnräder für die Luft- und Raumfahrt.</p>"
    "</body></html>"
)
PAGE_V2 = PAGE_V1.replace(
    "fertigt Getriebe und Zahnräder für die Luft- und Raumfahrt",
    "fertigt Kabelkonfektion für die Medizintechnik",
)
PRESS = (
    "Neue Aufträge in Mittelsachsen\n\n"
    f"Die {FIRM} aus Freiberg ist jetzt nach IATF 16949 zertifiziert. "
    f"Auch die {OTHER} aus Rabenau fertigt Schleifteile für den Fahrzeugbau.\n"
)


class Site:
    def __init__(self, base: Path):
        self.folder = base / "corpus"
        self.folder.mkdir()
        self.index = base / "index"
        self.page = self.folder / "wilde-sau.html"
        self.press = self.folder / "presse.txt"
        self.page.write_text(PAGE_V1, encoding="utf-8")
        self.press.write_text(PRESS, encoding="utf-8")

    def ingest(self):
        report = ingest([self.folder], index_dir=self.index)
        return report, Directory(self.index)


def profile(d: Directory, name: str) -> dict | None:
    hits = [r for r in d.list()["results"] if r["name"] == name]
    assert len(hits) <= 1, f"{name} listed twice"
    return d.show(hits[0]["id"]) if hits else None


def facts(p: dict) -> set[tuple[str, str]]:
    return {(f["facet"], f["value"]) for f in p["facts"]}


def sentences(p: dict) -> str:
    return " ".join(
        [f["evidence"]["sentence"] for f in p["facts"]] + [m["sentence"] for m in p["mentions"]]
    )


def all_evidence_docs(d: Directory) -> set[str]:
    out = set()
    for r in d.list()["results"]:
        p = d.show(r["id"])
        out |= {f["evidence"]["doc"] for f in p["facts"]}
        out |= {m["doc"] for m in p["mentions"]}
    return out


@pytest.fixture()
def site(tmp_path) -> Site:
    s = Site(tmp_path)
    _, d = s.ingest()
    p = profile(d, FIRM)
    assert p and ("capability", "cap.gearboxes") in facts(p)
    assert ("certification", "cert.iatf16949") in facts(p)
    assert profile(d, OTHER) is not None
    return s


def test_changed_file_replaces_its_facts_and_evidence(site):
    site.page.write_text(PAGE_V2, encoding="utf-8")
    report, d = site.ingest()
    assert report.updated == [str(site.page)]
    p = profile(d, FIRM)
    assert ("capability", "cap.gearboxes") not in facts(p)
    assert ("industry", "ind.aerospace") not in facts(p)
    assert any(f == "capability" and "cable" in v for f, v in facts(p)), facts(p)
    assert "Zahnräder" not in sentences(p)
    assert ("certification", "cert.iatf16949") in facts(p)  # the press text still says so
    assert FIRM not in [r["name"] for r in d.search("Zahnräder")["results"]]
    assert d.search("Kabelkonfektion")["results"][0]["name"] == FIRM


def test_deleted_file_takes_its_facts_and_its_only_supplier_with_it(site):
    _, before = site.ingest()
    press_doc = next(x["doc"] for x in before.documents() if x["path"] == str(site.press))
    site.press.unlink()
    report, d = site.ingest()
    assert report.removed == [str(site.press)]
    assert [x["path"] for x in d.documents()] == [str(site.page)]
    assert ("certification", "cert.iatf16949") not in facts(profile(d, FIRM))
    assert profile(d, OTHER) is None
    assert not d.search("Rabenauer Schleiftechnik")["results"]
    assert d.show(OTHER) is None or d.show(OTHER)["name"] != OTHER
    assert press_doc not in all_evidence_docs(d)


def test_file_that_became_unreadable_no_longer_speaks(site):
    site.press.write_bytes(bytes(range(256)) * 64)
    report, d = site.ingest()
    assert [p for p, _ in report.skipped] == [str(site.press)]
    assert report.removed == [str(site.press)]
    assert profile(d, OTHER) is None
    assert ("certification", "cert.iatf16949") not in facts(profile(d, FIRM))


def test_other_folders_in_the_same_index_are_left_alone(site, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "presse.txt").write_text(PRESS.replace("Freiberg", "Freiberg "), encoding="utf-8")
    ingest([elsewhere], index_dir=site.index)
    site.page.write_text(PAGE_V2, encoding="utf-8")
    report, d = site.ingest()
    assert not report.removed
    assert str(elsewhere / "presse.txt") in [x["path"] for x in d.documents()]
    assert profile(d, OTHER) is not None


def test_curation_is_applied_again_after_the_documents_change(site):
    renamed = "Wilde Sau Huber GmbH & Co. KG"
    curation = site.index / "curation.toml"
    curation.write_text(
        f'[[rename]]\nname = "{FIRM}"\nto = "{renamed}"\n\n'
        f'[[hide]]\nname = "{OTHER}"\nnote = "test"\n\n'
        f'[[fact]]\nname = "{FIRM}"\naction = "add"\nfacet = "certification"\n'
        'value = "cert.iso13485"\nnote = "seen on the certificate"\n',
        encoding="utf-8",
    )
    report, d = site.ingest()
    assert not report.curation_errors
    assert profile(d, FIRM) is None and profile(d, OTHER) is None
    assert ("certification", "cert.iso13485") in facts(profile(d, renamed))

    # the documents change: the corrections hold for what they say now
    site.page.write_text(PAGE_V2, encoding="utf-8")
    site.press.rename(site.folder / "presse-neu.txt")
    report, d = site.ingest()
    assert report.removed == [str(site.press)] and len(report.added) == 1
    p = profile(d, renamed)
    assert p is not None and profile(d, FIRM) is None and profile(d, OTHER) is None
    assert ("certification", "cert.iso13485") in facts(p)
    assert ("capability", "cap.gearboxes") not in facts(p)

    # only the curation file changes: the hidden firm comes back, nothing is re-read
    curation.write_text(f'[[rename]]\nname = "{FIRM}"\nto = "{renamed}"\n', encoding="utf-8")
    report, d = site.ingest()
    assert not report.added and not report.updated and not report.removed
    assert profile(d, OTHER) is not None
    assert ("certification", "cert.iso13485") not in facts(profile(d, renamed))
