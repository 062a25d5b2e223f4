"""The staff page when an ingest runs out of disk: the index lives on a real 4 MB tmpfs that is
filled to the last byte after login, and "Korpus neu einlesen" is pressed with a new document in
the corpus. The page must say in plain words (German, and English in English mode) that the disk
is full and the previous index is unchanged, show no traceback, keep answering searches as
before, and the same button must work once there is room again. Skipped with the reason where a
filesystem cannot be mounted (not root), like tests/test_reliability_full_disk.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from index.build import ingest
from index.search import Directory

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "ui" / "streamlit_app.py")
PASSWORD = "korrekt-pferd-batterie"
FIRM = (
    "Drehteile Albrecht GmbH – Präzisionsdrehteile aus Freiberg\n\n"
    "Die Drehteile Albrecht GmbH in Freiberg fertigt Präzisionsdrehteile für den Maschinenbau.\n"
)
NEW_FIRM = (
    "Gießerei Wendt GmbH – Aluminiumguss aus Zwickau\n\n"
    "Die Gießerei Wendt GmbH in Zwickau fertigt Aluminiumguss und Druckguss für den Fahrzeugbau.\n"
)


def fill(disk: Path) -> Path:
    """Take every free block of the disk, so the next write of the ingest fails with ENOSPC."""
    filler = disk / "filler"
    st = os.statvfs(disk)
    with filler.open("wb") as fh:
        fh.write(b"\0" * (st.f_bavail * st.f_frsize))
    return filler


def names(index_dir: Path, query: str) -> list[str]:
    return [r["name"] for r in Directory(index_dir).search(query)["results"]]


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        ("de", ("Speicherplatz", "voll", "Der bisherige Index ist unverändert")),
        ("en", ("disk holding the index", "is full", "the previous index is unchanged")),
    ],
)
def test_staff_page_says_the_disk_is_full_and_the_old_index_stays(
    small_disk, tmp_path, monkeypatch, lang, says
):
    corpus = tmp_path / "corpus"
    (corpus / "txt").mkdir(parents=True)
    (corpus / "txt" / "albrecht.txt").write_text(FIRM, encoding="utf-8")
    index_dir = small_disk / "index"
    ingest([corpus], index_dir=index_dir)
    monkeypatch.setenv("SUPPLIER_SEARCH_INDEX", str(index_dir))
    monkeypatch.setenv("SUPPLIER_SEARCH_CORPUS", str(corpus))
    monkeypatch.setenv("SUPPLIER_SEARCH_STAFF_PASSWORD", PASSWORD)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["view"] = "staff"
    at.query_params["lang"] = lang
    at.run()
    at.text_input(key="w_password").input(PASSWORD)
    next(b for b in at.button if b.key.startswith("FormSubmitter:staff-login")).click().run()
    assert at.get("file_uploader"), "logged in"

    (corpus / "txt" / "wendt.txt").write_text(NEW_FIRM, encoding="utf-8")
    filler = fill(small_disk)
    at.button(key="reindex").click().run()
    assert not at.exception
    errors = "\n".join(e.value for e in at.error).replace("\\", "")
    for words in says:
        assert words in errors, errors
    assert str(index_dir) in errors  # names the place to free, as the CLI does
    assert names(index_dir, "Präzisionsdrehteile") == ["Drehteile Albrecht GmbH"]
    assert names(index_dir, "Aluminiumguss") == []

    filler.unlink()
    at.button(key="reindex").click().run()
    assert not at.exception and not at.error
    assert names(index_dir, "Aluminiumguss") == ["Gießerei Wendt GmbH"]
