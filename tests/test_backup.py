"""Backup and recovery tested by restoring: a real index of corpus/ is backed up by the real CLI
while searches run, its segment files are deleted or corrupted, and `supplier-search restore`
brings back the same answers; an archive from an older generation replaces a newer index; a
truncated or tampered archive is refused and the current index keeps answering."""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import threading
from pathlib import Path

import pytest

from index.build import ingest
from index.search import Directory
from supplier_search import audit, curation_history, staff
from tests.test_ui_app import NEW_FIRM

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "supplier_search.cli"]
QUERIES = [
    ("Präzisionsdrehteile", {}),
    ("Blechbearbeitung", {"region": ["Sachsen"]}),
    ("precision turning", {}),
    ("", {"kind": ["company"]}),
    ("Lasercutting Dresdn", {}),
    ("Aluminiumguss", {}),
]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CLI, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def answers(index_dir: Path) -> list:
    """What purchasers see for a handful of searches: ids, names and evidence, in order."""
    d = Directory(index_dir)
    out = []
    for q, filters in QUERIES:
        res = d.search(q, limit=20, **filters)
        out.append(
            (
                res["total"],
                [
                    (r["id"], r["name"], [e["snippet"] for e in r["evidence"]])
                    for r in res["results"]
                ],
            )
        )
    return out


@pytest.fixture()
def site(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    (corpus / "uploads").mkdir()
    (corpus / "uploads" / "wendt.txt").write_text(NEW_FIRM, encoding="utf-8")
    idir = tmp_path / "index"
    ingest([corpus], index_dir=idir)
    staff.add(idir, "anna", "Anna-sicheres-Kennwort", "admin", by="test")
    curation_history.accept(
        idir,
        '[[rename]]\nname = "Gießerei Wendt GmbH"\nto = "Gießerei Wendt & Söhne GmbH"\n',
        "anna",
    )
    ingest([corpus], index_dir=idir)
    return corpus, idir


def test_backup_while_searching_then_restore_after_losing_or_corrupting_segments(site, tmp_path):
    corpus, idir = site
    before = answers(idir)
    assert before[0][0] > 0 and "Gießerei Wendt & Söhne GmbH" in json.dumps(
        before, ensure_ascii=False
    )
    archive = tmp_path / "backups" / "dir.backup.tar.gz"
    errors: list[BaseException] = []
    searches = 0
    stop = threading.Event()

    def search_loop() -> None:
        nonlocal searches
        d = Directory(idir)
        while not stop.is_set():
            try:
                assert d.search("Drehteile")["total"] > 0
                searches += 1
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)

    threads = [threading.Thread(target=search_loop) for _ in range(3)]
    for th in threads:
        th.start()
    r = cli("backup", "--index", str(idir), "--to", str(archive), "--corpus", str(corpus))
    stop.set()
    for th in threads:
        th.join()
    assert r.returncode == 0, r.stderr
    assert not errors and searches > 0
    assert "backed up generation" in r.stdout and "1 uploaded files" in r.stdout
    names = tarfile.open(archive).getnames()
    for must in (
        "MANIFEST.json",
        "index/staff.toml",
        "index/audit.jsonl",
        "index/curation.toml",
        "index/curation-history/0001.toml",
        "corpus/uploads/wendt.txt",
    ):
        assert must in names
    assert not any("WRITELOCK" in n for n in names)

    segments = [p for p in idir.iterdir() if p.name.startswith("suppliers_") and p.suffix == ".seg"]
    assert segments
    trips = 0
    for damage in ("delete", "corrupt"):
        for p in [p for p in idir.iterdir() if p.suffix == ".seg"]:
            if damage == "delete":
                p.unlink()
            else:
                data = bytearray(p.read_bytes())
                data[len(data) // 3 : len(data) // 3 + 4096] = os.urandom(4096)
                p.write_bytes(bytes(data))
        with pytest.raises(Exception):  # noqa: B017  (the damage is real: the index fails)
            assert answers(idir) == before
        shutil.rmtree(corpus / "uploads")  # the uploads are lost too
        r = cli("restore", str(archive), "--index", str(idir), "--corpus", str(corpus))
        assert r.returncode == 0, r.stderr
        assert answers(idir) == before
        assert (corpus / "uploads" / "wendt.txt").read_text(encoding="utf-8") == NEW_FIRM
        assert staff.login(idir, "anna", "Anna-sicheres-Kennwort").ok
        assert [v.n for v in curation_history.history(idir)] == [1]
        trips += 1
    assert trips == 2
    # nothing is left beside the index, and both actions are on record
    assert sorted(p.name for p in idir.parent.iterdir()) == ["backups", "corpus", "index"]
    assert sorted(p.name for p in archive.parent.iterdir()) == [archive.name]
    acts = [e.action for e in audit.read(idir)]
    # the log as it was at the backup, plus the last restore and the login after it
    assert acts[-2:] == ["restore", "login"] and "backup" not in acts
    assert audit.verify(idir) is None  # with the chain whole


def test_an_archive_of_an_older_generation_replaces_a_newer_index(site, tmp_path):
    corpus, idir = site
    before = answers(idir)
    archive = tmp_path / "old.backup.tar.gz"
    assert cli("backup", "--index", str(idir), "--to", str(archive)).returncode == 0
    gen = Directory(idir)  # a long-lived reader, like the app's
    (corpus / "txt" / "neu.txt").write_text(
        "Die Kupferschmiede Lenz GmbH in Pirna fertigt Kupferbauteile für den Anlagenbau.\n",
        encoding="utf-8",
    )
    ingest([corpus], index_dir=idir)
    assert Directory(idir).search("Kupferbauteile")["total"] == 1
    r = cli("restore", str(archive), "--index", str(idir))
    assert r.returncode == 0, r.stderr
    assert answers(idir) == before
    assert gen.search("Kupferbauteile")["total"] == 0  # the running reader sees the restore
    # and it restores into a fresh folder elsewhere just as well
    other = tmp_path / "elsewhere" / "index"
    assert cli("restore", str(archive), "--index", str(other)).returncode == 0
    assert answers(other) == before
    # the next ingest picks the new file up again
    ingest([corpus], index_dir=idir)
    assert Directory(idir).search("Kupferbauteile")["total"] == 1


def test_truncated_or_tampered_archives_are_refused_and_the_index_stays(site, tmp_path):
    corpus, idir = site
    archive = tmp_path / "good.backup.tar.gz"
    assert cli("backup", "--index", str(idir), "--to", str(archive)).returncode == 0
    before = answers(idir)
    listing = sorted((p.name, p.stat().st_size) for p in idir.rglob("*") if p.is_file())
    data = archive.read_bytes()
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(data[: len(data) // 2])
    # a well-formed archive whose segment file was changed after the manifest was written
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(tampered, "w:gz") as out:
        for m in src.getmembers():
            body = src.extractfile(m).read() if m.isfile() else None
            if m.name.endswith(".seg"):
                body = body[:-10] + b"0123456789"
            out.addfile(m, io.BytesIO(body) if body is not None else None)
    not_gzip = tmp_path / "plain.tar.gz"
    not_gzip.write_bytes(gzip.decompress(data)[:5000])
    for bad, why in (
        (truncated, "damaged"),
        (tampered, "differs from its checksum"),
        (not_gzip, "damaged"),
    ):
        r = cli("restore", str(bad), "--index", str(idir))
        assert (
            r.returncode == 1 and why in r.stderr and "the current index is unchanged" in r.stderr
        )
        assert "Traceback" not in r.stderr
        assert answers(idir) == before
        assert sorted((p.name, p.stat().st_size) for p in idir.rglob("*") if p.is_file()) == listing
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
