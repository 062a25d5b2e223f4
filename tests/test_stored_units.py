"""Evidence analysed at index time scores exactly like evidence analysed at query time.

Search reads each candidate's analysed sentences from its index record instead of analysing
them per query; a purchaser would notice a firm ranked by terms that are not those of its
sentences (stale or mixed-up units), or a firm lost because its record carries none.
"""

from __future__ import annotations

import json

from index.evidence import units_from_record, units_of, units_record, units_version


def _rows(units) -> list[tuple]:
    return [(u.kind, u.sentence, u.facts, u.covers, u.ev, u.key, u.also, u.terms) for u in units]


def test_every_record_carries_the_units_its_payload_analyses_to(corpus_index):
    s = corpus_index._current().searcher
    checked = 0
    for docnum in s.document_numbers(rtype="org"):
        fields = s.stored_fields(docnum)
        stored = units_from_record(fields.get("units"))
        assert stored is not None, f"{fields['name']}: no units stored with the current analysis"
        assert _rows(stored) == _rows(units_of(json.loads(fields["payload"]))), fields["name"]
        checked += 1
    assert checked >= 40  # every demo profile


def test_units_of_other_analysis_code_are_not_used():
    record = units_record({"name": "Muster Drehteile GmbH", "facts": []})
    other = b"0" * len(units_version()) + record[len(units_version()) :]
    assert units_from_record(record) is not None
    assert units_from_record(other) is None
    assert units_from_record(None) is None  # a record written before units were stored


def test_a_firm_is_found_through_its_stored_sentences(corpus_index):
    r = corpus_index.search("Präzisionsdrehteile Osterzgebirge")
    top = r["results"][0]
    units = units_from_record(corpus_index._current().searcher.document(id=top["id"]).get("units"))
    assert units is not None
    assert any("drehteil" in u.terms for u in units if u.kind != "name")


def test_profiles_analysed_by_other_code_are_rewritten_though_no_file_changed(tmp_path):
    # an upgrade that changes only the analysis must not leave every query analysing again
    from pathlib import Path

    from index import store
    from index.build import META_ID, ingest

    corpus = Path(__file__).resolve().parents[1] / "corpus"
    index_dir = tmp_path / "index"
    first = ingest([corpus], index_dir=index_dir)
    assert first.profiles_written > 0
    again = ingest([corpus], index_dir=index_dir)
    assert again.profiles_written == 0  # nothing changed, nothing rewritten
    ix = store.open_existing(index_dir)
    with ix.searcher() as s:
        meta = dict(s.document(id=META_ID))
    writer = ix.writer()
    writer.update_document(
        id=META_ID, rtype="meta", docinfo={**meta["docinfo"], "units_version": "older-code"}
    )
    writer.commit()
    after_upgrade = ingest([corpus], index_dir=index_dir)
    assert after_upgrade.profiles_written == first.profiles_written
    with store.open_existing(index_dir).searcher() as s:
        assert s.document(id=META_ID)["docinfo"]["units_version"] == units_version()
