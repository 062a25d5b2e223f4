"""Uploads as an attacker would send them (`ingest/upload.py`), property-based (hypothesis).

Whatever the file name — traversal, absolute paths, drive letters, NUL and control characters,
leading dots, look-alike slashes, thousands of characters — an accepted upload lands directly in
`<corpus>/uploads/` under a visible name the ingest scan picks up, with exactly the bytes sent,
and nothing else on disk changes. What upload accepts by content, ingest accepts by content too.
The example-based cases (symlinks, removal, refusals) are in tests/test_upload.py.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from index.build import scan
from ingest import upload
from ingest.load import SUPPORTED, LoadError, load

TEXT = "Die Beispiel Drehteile GmbH in Freiberg fertigt Präzisionsdrehteile.\n".encode()
HTML = (
    b"<!doctype html><html><head><title>Beispiel</title></head><body>"
    b"<p>Die Beispiel Drehteile GmbH in Freiberg fertigt Drehteile.</p></body></html>"
)
TRAVERSAL = [
    "../", "..\\", "/", "\\", "C:\\", "//server/share/", "/etc/", "uploads/../../", "./", "~/",
    "%2e%2e%2f", "..%2f", "\u2215", "\uff0f", "\uff0e\uff0e\uff0f", ".", "..", "...", "\x00",
    "\n", "\r", "\x1b[31m", "\u202e", " ", "-", ".htaccess", "con", "nul:", "*", "?", "|", ":",
]  # fmt: skip
names = st.builds(
    lambda parts, stem, suffix: "".join(parts) + stem + suffix,
    st.lists(st.sampled_from(TRAVERSAL), max_size=6),
    st.one_of(st.text(max_size=40), st.text(min_size=200, max_size=400)),
    st.sampled_from([".txt", ".TXT", ".html", ".htm", ".txt.", ".txt ", "", ".txt\x00.pdf"]),
)
FUZZ = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def snapshot(root: Path) -> dict[str, str]:
    """Every file under `root` with a hash of its bytes (symlinks not followed)."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


@pytest.fixture()
def site(tmp_path) -> dict[str, Path]:
    corpus = tmp_path / "corpus"
    (corpus / "html").mkdir(parents=True)
    (corpus / "html" / "bestand.html").write_bytes(HTML)
    (tmp_path / "outside.txt").write_bytes(TEXT)
    return {"base": tmp_path, "corpus": corpus}


def test_any_name_lands_in_uploads_as_a_visible_file_and_nothing_else_changes(site):
    base, corpus = site["base"], site["corpus"]
    uploads = upload.uploads_dir(corpus)
    accepted: list[str] = []

    @FUZZ
    @given(name=names, data=st.sampled_from([TEXT, HTML]))
    def run(name, data):
        before = snapshot(base)
        try:
            saved = upload.save(name, data, corpus)
        except upload.UploadRefused as exc:
            assert str(exc).strip() and "\n" not in str(exc)
            assert snapshot(base) == before
            return
        accepted.append(saved.path.name)
        assert saved.path.parent == uploads
        assert saved.path.read_bytes() == data
        assert not saved.path.name.startswith(".") and not saved.path.is_symlink()
        assert saved.path.suffix in SUPPORTED and len(saved.path.name) <= upload.MAX_NAME_CHARS
        assert all(ch.isprintable() for ch in saved.path.name)
        after = snapshot(base)
        changed = {k for k in after if before.get(k) != after[k]} | (set(before) - set(after))
        assert changed <= {str(saved.path.relative_to(base))}, changed
        files, refused = scan([corpus])
        assert saved.path in {p for p, _ in files} and not refused

    run()
    assert accepted, "no generated name was accepted: the property was never checked"
    assert (base / "outside.txt").read_bytes() == TEXT
    assert (corpus / "html" / "bestand.html").read_bytes() == HTML
    print(f"\nupload names: {len(set(accepted))} distinct accepted names, all inside uploads/")


def test_upload_and_ingest_agree_on_content_types(tmp_path):
    seen = {"accepted": 0, "refused": 0}

    @FUZZ
    @given(
        suffix=st.sampled_from(sorted(set(SUPPORTED))),
        data=st.one_of(
            st.binary(min_size=1, max_size=300),
            st.sampled_from([TEXT, HTML, b"%PDF-1.4\n", b"PK\x03\x04", b"\x1f\x8b\x08"]).flatmap(
                lambda head: st.binary(max_size=100).map(lambda tail: head + tail)
            ),
        ),
    )
    def run(suffix, data):
        try:
            upload.check("datei" + suffix, data)
        except upload.UploadRefused:
            seen["refused"] += 1
            return
        seen["accepted"] += 1
        p = tmp_path / ("datei" + suffix)
        p.write_bytes(data)
        try:
            load(p)
        except LoadError as exc:
            assert "content is" not in str(exc), (suffix, data[:40], str(exc))

    run()
    assert seen["accepted"] and seen["refused"]
    print(f"\ncontent sniffing: {seen}")


@given(size=st.integers(1, 5000), cap=st.integers(1, 5000))
@settings(max_examples=100, deadline=None)
def test_size_cap_is_exact(size, cap):
    data = (TEXT * (size // len(TEXT) + 1))[:size]
    assume(data.strip())
    if size > cap:
        with pytest.raises(upload.UploadRefused, match="too large"):
            upload.check("gross.txt", data, max_bytes=cap)
    else:
        assert upload.check("gross.txt", data, max_bytes=cap) == "gross.txt"
