"""Staff uploads land in the corpus folder's uploads/ and nowhere else, with the type checked by
content (`ingest/upload.py`)."""

from __future__ import annotations

import os

import pytest

from ingest import upload

HTML = b"<!doctype html><html><head><title>Firma</title></head><body><p>Die Beispiel GmbH.</p></body></html>"
TEXT = b"Die Beispiel GmbH in Freiberg fertigt Drehteile.\n"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize(
    "name, expected",
    [
        ("../../etc/cron.d/x.txt", "x.txt"),
        ("..\\..\\Windows\\win.ini.txt", "win.ini.txt"),
        ("/abs/path/Bericht 2024 (final).HTML", "Bericht-2024-final.html"),
        (".versteckt.txt", "versteckt.txt"),
        ("a\x00b\x1b.txt", "ab.txt"),
        ("Präzision & Söhne.pdf", "Präzision-Söhne.pdf"),
    ],
)
def test_names_are_reduced_to_a_plain_visible_file_name(name, expected):
    assert upload.safe_name(name) == expected


def test_upload_is_written_into_uploads_and_nowhere_else(tmp_path):
    corpus = tmp_path / "corpus"
    saved = upload.save("../../../outside.txt", TEXT, corpus)
    assert saved.path == corpus / "uploads" / "outside.txt" and saved.status == "new"
    assert saved.path.read_bytes() == TEXT
    assert [p.name for p in tmp_path.iterdir()] == ["corpus"]
    assert upload.save("outside.txt", TEXT, corpus).status == "same"
    assert upload.save("outside.txt", TEXT + b"Neu.\n", corpus).status == "replaced"
    assert not [p for p in (corpus / "uploads").iterdir() if p.name.startswith(".upload-")]


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("bericht.pdf", HTML, "content is html, not pdf"),
        ("bericht.txt", PDF, "content is pdf, not txt"),
        ("seite.html", PDF, "content is pdf, not html"),
        ("bild.txt", b"\x89PNG\r\n\x1a\n" + bytes(64), "content is image"),
        ("tabelle.xlsx", b"PK\x03\x04" + bytes(64), "unsupported file type '.xlsx'"),
        ("ohne-endung", TEXT, "unsupported file type '(none)'"),
        ("leer.txt", b"", "empty file"),
    ],
)
def test_wrong_type_or_empty_content_is_refused_with_a_reason(tmp_path, name, data, reason):
    with pytest.raises(upload.UploadRefused, match=reason.replace("(", r"\(").replace(")", r"\)")):
        upload.save(name, data, tmp_path / "corpus")
    assert not (tmp_path / "corpus" / "uploads").exists() or not any(
        (tmp_path / "corpus" / "uploads").iterdir()
    )


def test_size_cap(tmp_path):
    with pytest.raises(upload.UploadRefused, match="too large"):
        upload.save("gross.txt", b"a" * 2001, tmp_path, max_bytes=2000)
    assert upload.save("klein.txt", b"Die Beispiel GmbH. " * 100, tmp_path, max_bytes=2000)


def test_symlinks_are_never_written_through(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    os.symlink(outside, corpus / "uploads")
    with pytest.raises(upload.UploadRefused, match="symbolic link"):
        upload.save("x.txt", TEXT, corpus)
    assert not any(outside.iterdir())
    (corpus / "uploads").unlink()
    (corpus / "uploads").mkdir()
    victim = outside / "victim.txt"
    victim.write_text("keep")
    os.symlink(victim, corpus / "uploads" / "x.txt")
    with pytest.raises(upload.UploadRefused, match="not a plain file"):
        upload.save("x.txt", TEXT, corpus)
    assert victim.read_text() == "keep"


def test_remove_moves_only_files_inside_the_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    doc = upload.save("weg.txt", TEXT, corpus).path
    moved = upload.remove(doc, corpus)
    assert not doc.exists() and moved.parent == corpus / ".removed" and moved.read_bytes() == TEXT
    elsewhere = tmp_path / "fremd.txt"
    elsewhere.write_bytes(TEXT)
    with pytest.raises(upload.UploadRefused, match="not in the corpus folder"):
        upload.remove(elsewhere, corpus)
    assert elsewhere.exists()
    with pytest.raises(upload.UploadRefused):
        upload.remove(moved, corpus)  # already removed: stays where it is
