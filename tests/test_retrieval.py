"""Candidate retrieval on posting arrays gives the candidates Whoosh's own collector gives.

Search re-scores only the organizations retrieval hands it; a purchaser would notice a firm
that Whoosh would have found and the array path drops (or one a filter should exclude), on
an index that has grown by re-ingests: several segments, deleted records.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from whoosh import collectors
from whoosh import query as Q

from index.build import ingest
from index.query import build_clauses, understand
from index.search import Directory, _retrieval_terms
from ingest import taxonomy as tx

CORPUS = Path(__file__).resolve().parents[1] / "corpus"

QUERIES = [
    "Präzisionsdrehteile Osterzgebirge",
    "cable assembly small batches Saxony",
    "Druckfedern Zugfedern Hersteller",
    "Optik Rathenow",
    "Kunststoffspritzguss Medizintechnik",
    "Armaturen",
    "CNC Fräsen Aluminium",
    "Teile",
    "Feinwerktechnik Glashütte Uhren",
    "laser cutting stainless steel",
]


@pytest.fixture(scope="module")
def grown(tmp_path_factory) -> Directory:
    """The demo corpus ingested, then edited and shrunk: more segments, deleted records."""
    tmp = tmp_path_factory.mktemp("grown")
    folder = tmp / "corpus"
    shutil.copytree(CORPUS, folder, ignore=shutil.ignore_patterns("*.md", "*.toml", "*.py"))
    index = tmp / "index"
    ingest([folder], index_dir=index)
    pages = sorted((folder / "html").glob("*.html"))
    for page in pages[:3]:
        page.write_bytes(page.read_bytes().replace(b"</body>", b"<p>Neu: Honen.</p></body>", 1))
    pages[3].unlink()
    ingest([folder], index_dir=index)
    return Directory(index)


def whoosh_top(s, terms, limit, allow_q):
    """What Whoosh's TopCollector picks for the same OR of terms (the former retrieval)."""
    q = Q.Or([Q.Term(f, t, boost=b) for f, t, b in terms])
    col = collectors.TopCollector(limit, usequality=False, replace=0)
    col = collectors.FilterCollector(col, allow_q)
    s.search_with_collector(q, col)
    return [(hit.docnum, hit.score) for hit in col.results()]


def test_index_under_test_has_segments_and_deletions(grown):
    r = grown._current().searcher.reader()
    assert len(r.leaf_readers()) > 1 or r.has_deletions()
    assert any(lr.has_deletions() for lr, _ in r.leaf_readers())


@pytest.mark.parametrize("limit", [3, 10, 500])
def test_same_candidates_as_whoosh(grown, limit):
    c = grown._current()
    allow_q = Q.And([Q.Term("rtype", "org"), Q.Or([Q.Term("kind", "company")])])
    allow = np.zeros(c.retriever.size, dtype=bool)
    allow[list(c.searcher.docs_for_query(allow_q))] = True
    compared = 0
    for text in QUERIES:
        terms = _retrieval_terms(build_clauses(understand(text), tx.load()))
        expected = whoosh_top(c.searcher, terms, limit, allow_q)
        got = c.retriever.top(terms, limit, allow).tolist()
        compared += bool(expected)
        if len(expected) == limit:  # a cut: the same firms, unless scores tie at the cut
            cut = expected[-1][1]
            sure = {d for d, sc in expected if sc > cut + 1e-9}
            assert sure <= set(got), text
            assert len(got) == limit, text
        else:
            assert set(got) == {d for d, _ in expected}, text
    assert compared >= len(QUERIES) - 2  # most queries find something to compare


def test_scores_are_whooshs_bm25f(grown):
    """The per-term scores equal Whoosh's (name carries its field boost, concepts are scored)."""
    c = grown._current()
    checked = 0
    r = c.searcher.reader()
    for field in ("name", "own", "mentioned", "passage", "concepts"):
        term = r.most_frequent_terms(field, 1)[0][1].decode()
        ids, scores = c.retriever.postings(field, term)
        hits = c.searcher.search(Q.Term(field, term), limit=None, scored=True)
        want = {h.docnum: h.score for h in hits}
        assert set(ids.tolist()) == set(want), (field, term)
        for d, sc in zip(ids.tolist(), scores.tolist(), strict=True):
            assert sc == pytest.approx(want[d], rel=1e-5), (field, term, d)
        checked += len(ids)
    assert checked > 50
