"""Tables derived from the data files (the place book, the compound lexicon, the taxonomy's
term index) come from the cache folder in a cold process and answer exactly as the tables
built from the CSV files; a damaged or unwritable cache only costs a rebuild."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from ingest import derived, german, taxonomy
from ingest import gazetteer as gz

ROOT = Path(__file__).resolve().parents[1]


def test_every_place_name_looks_up_the_same_places_in_the_book_as_in_the_gazetteer():
    full, book = gz.load(), gz.book()
    for key in full.by_name:
        assert book.lookup(key) == full.lookup(key), key
    for typed in ("Osterzgebirge", "glashuette", "Saxony", "Landkreis Görlitz", "Frankfurt"):
        assert book.lookup(typed) == full.lookup(typed), typed
        assert book.best(typed) == full.best(typed), typed
    assert book.region_sizes["Osterzgebirge"] == sum(
        1 for e in full.entries if e.kind == "place" and "Osterzgebirge" in e.place.regions
    )


def test_a_cold_process_answers_from_the_cache_without_reading_the_place_files(tmp_path):
    env = {**os.environ, derived.CACHE_ENV: str(tmp_path / "cache")}
    probe = (
        "from ingest import gazetteer as gz, german, taxonomy\n"
        "import json\n"
        "def refuse(*a, **k): raise AssertionError('built from the CSV files')\n"
        "if __import__('sys').argv[1] == 'cached':\n"
        "    gz.load = gz.Gazetteer = german._build_lexicon = taxonomy._tables = refuse\n"
        "e = gz.book().best('Glashütte')\n"
        "print(json.dumps([e.place.name, e.place.regions, len(german.lexicon()),\n"
        "    [m.concept for m in taxonomy.load().match('Präzisionsdrehteile und Kabelkonfektion')]]))\n"
    )
    run = [sys.executable, "-c", probe]
    first = subprocess.run([*run, "build"], env=env, cwd=ROOT, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert {p.name.split("-")[0] for p in (tmp_path / "cache").iterdir()} >= {"places", "lexicon"}
    again = subprocess.run([*run, "cached"], env=env, cwd=ROOT, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout) == json.loads(first.stdout)
    name, regions, n_stems, concepts = json.loads(again.stdout)
    assert name == "Glashütte" and "Osterzgebirge" in regions
    assert n_stems == len(german._build_lexicon())
    built = taxonomy.Taxonomy(list(taxonomy.load().concepts.values()))
    assert concepts == [m.concept for m in built.match("Präzisionsdrehteile und Kabelkonfektion")]
    assert "cap.turning" in concepts


def test_a_damaged_cache_file_is_rebuilt_and_an_unwritable_folder_still_answers(
    tmp_path, monkeypatch
):
    monkeypatch.setenv(derived.CACHE_ENV, str(tmp_path))
    path = tmp_path / f"example-{derived.version()}.marshal"
    path.write_bytes(b"\x00 not marshal")
    assert derived.cached("example", lambda: {"Glashütte": (1, 2)}) == {"Glashütte": (1, 2)}
    assert derived.cached("example", lambda: "built again") == {"Glashütte": (1, 2)}  # rewritten
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv(derived.CACHE_ENV, str(blocked))
    assert derived.cached("example", lambda: ("still", "answers")) == ("still", "answers")


def test_the_cli_finds_the_same_suppliers_with_and_without_a_usable_cache(tmp_path):
    """A first process builds the cache, a second reads it, a third cannot write one: the
    same JSON each time (the typo makes each process consult the kept vocabulary too)."""
    idx = tmp_path / "index"
    cli = [sys.executable, "-m", "supplier_search.cli"]
    env = {**os.environ, derived.CACHE_ENV: str(tmp_path / "cache")}
    r = subprocess.run(
        [*cli, "ingest", str(ROOT / "corpus"), "--index", str(idx)],
        env=env, cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    (tmp_path / "blocked").write_text("")
    outs = []
    for cache in ("cache", "cache", "blocked"):
        env[derived.CACHE_ENV] = str(tmp_path / cache)
        r = subprocess.run(
            [*cli, "search", "Präzisionsdrehtiele Osterzgebirge", "--index", str(idx), "--json"],
            env=env, cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
        assert r.returncode == 0, r.stderr
        out = json.loads(r.stdout)
        out.pop("took_ms")
        outs.append(out)
    assert outs[0]["results"], "the demo corpus has turned parts in the Osterzgebirge"
    assert outs[0]["suggestion"] == "Präzisionsdrehteile Osterzgebirge"
    assert list(idx.glob("vocabulary-*.marshal")), "the vocabulary is kept beside the index"
    assert outs[0] == outs[1] == outs[2]


def test_the_taxonomy_read_from_the_cache_matches_as_the_one_built_from_its_file():
    cached = taxonomy.load()
    built = taxonomy.Taxonomy(list(cached.concepts.values()))
    assert cached._index == built._index and cached._cert_codes == built._cert_codes
    assert german.lexicon() == german._build_lexicon()
