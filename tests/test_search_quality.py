"""Search quality as a purchaser sees it.

The judged-query harness (eval/) runs over corpus/ next to a plain-Whoosh baseline and must stay
above floors set from measured numbers with a margin; the behaviours the issue names are checked
one by one on the same real index, and evidence-level ranking on a few purpose-written pages.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import names

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from eval.harness import SUITES, evaluate, table  # noqa: E402
from eval.judgments import TYPES  # noqa: E402
from index.build import ingest  # noqa: E402
from index.search import Directory  # noqa: E402

# Measured when these floors were set (python -m eval), nDCG@10 over both suites (146 judged
# queries): german 0.861, english 0.848, typo 0.918, region 0.841, empty 1.000, all 0.878
# (R@10 0.848, MRR 0.947); per suite: corpus 0.857, annotated 0.921. Stronger baseline (Whoosh,
# OR of the words): corpus 0.366, annotated 0.457. The floors leave room for extraction changes
# that move single queries, not for a broken ranking.
NDCG_FLOOR = {"german": 0.76, "english": 0.74, "typo": 0.80, "region": 0.72, "empty": 0.9}
ALL_FLOOR = {"ndcg": 0.80, "recall": 0.74, "mrr": 0.87}
SUITE_FLOOR = {"corpus": 0.78, "annotated": 0.80}
MARGIN_OVER_BASELINE = 0.30


@pytest.fixture(scope="session")
def suites(corpus_index, tmp_path_factory) -> dict:
    """Each suite's evaluation; corpus/ reuses the session's product index."""
    out = {}
    for name, suite in SUITES.items():
        work = tmp_path_factory.mktemp(f"eval-{name}")
        out[name] = evaluate(
            suite, index_dir=work, directory=corpus_index if name == "corpus" else None
        )
    return out


@pytest.fixture(scope="session")
def evaluation(suites):
    return suites["corpus"] + suites["annotated"]


def test_judged_queries_stay_above_floors(evaluation):
    low = {
        t: round(evaluation.row("search", t).ndcg, 3)
        for t in TYPES
        if evaluation.row("search", t).ndcg < NDCG_FLOOR[t]
    }
    assert not low, f"nDCG@10 below floor by query type: {low}\n{table(evaluation)}"
    overall = evaluation.row("search", "all")
    assert overall.ndcg >= ALL_FLOOR["ndcg"], table(evaluation)
    assert overall.recall >= ALL_FLOOR["recall"], table(evaluation)
    assert overall.mrr >= ALL_FLOOR["mrr"], table(evaluation)


@pytest.mark.parametrize("suite", sorted(SUITE_FLOOR))
def test_each_suite_beats_its_floor_and_plain_whoosh_in_the_same_run(suites, suite):
    ev = suites[suite]
    ours = ev.row("search", "all").ndcg
    assert ours >= SUITE_FLOOR[suite], table(ev)
    assert ours - ev.row(ev.best_baseline(), "all").ndcg >= MARGIN_OVER_BASELINE, table(ev)


def test_table_reports_every_query_type_and_the_baseline(evaluation):
    text = table(evaluation)
    for t in (*TYPES, "all"):
        assert any(line.startswith(t) for line in text.splitlines()), t
    assert "baseline" in text
    assert len({s.query.id for s in evaluation.scored}) >= 50


# ----------------------------------------------------------------------------- behaviours


def test_compounds_match_both_ways(corpus_index):
    # "Präzisionsdrehteile" finds the firm whose evidence says "Drehteile", and back
    assert "Weber Drehteile GmbH" in names(corpus_index.search("Präzisionsdrehteile"))
    assert any(
        n.startswith("Feinwerktechnik Geising") for n in names(corpus_index.search("Drehteile"))
    )
    for q in ("Baugruppenmontage", "Montage von Baugruppen"):
        assert names(corpus_index.search(q))[0].startswith("Feinwerktechnik Geising"), q
    assert any("Feinmechanik" in n for n in names(corpus_index.search("feinmechanische Fertigung")))


@pytest.mark.parametrize(
    "typed, meant, firm",
    [
        ("Präzisionsdrehtiele", "Präzisionsdrehteile", None),
        ("Feinwerktechnick", "Feinwerktechnik", "Feinwerktechnik Geising"),
        ("Kabelkonfecktion", "Kabelkonfektion", "Telegärtner Gerätebau"),
    ],
)
def test_typos_still_find_and_offer_did_you_mean(corpus_index, typed, meant, firm):
    res = corpus_index.search(typed)
    assert res["suggestion"] and meant.lower() in res["suggestion"].lower()
    assert res["total"] > 0
    if firm:
        assert res["results"][0]["name"].startswith(firm)


def test_spelling_variant_is_no_typo(corpus_index):
    res = corpus_index.search("Telegaertner")
    assert res["results"][0]["name"].startswith("Telegärtner Gerätebau")
    assert res["suggestion"] is None


def test_a_real_word_the_corpus_lacks_is_not_corrected_into_something_else(corpus_index):
    res = corpus_index.search("Holzbearbeitung")
    assert res["suggestion"] is None
    assert res["total"] == 0 and res["results"] == []


def test_english_query_finds_german_evidence(corpus_index):
    top = corpus_index.search("gear assemblies")["results"][0]
    assert top["name"].startswith("Feinwerktechnik Geising")
    assert any("<mark>" in ev["snippet"] for ev in top["evidence"])
    assert names(corpus_index.search("sheet metal bending"))[0].startswith(
        "Schubert Blechbearbeitung"
    )


def test_place_words_in_the_query_constrain_the_region(corpus_index):
    res = corpus_index.search("Schleifen in Sachsen")
    assert res["total"] > 0 and res["understood"]["places"] == ["Sachsen"]
    for r in res["results"]:
        assert r["places"] and all(p["state"] == "Sachsen" for p in r["places"]), r["name"]
    top = corpus_index.search("Kabelkonfektion bei Dresden")["results"][0]
    assert top["name"].startswith("Telegärtner Gerätebau")
    assert "in or around Dresden" in top["why"]


def test_nothing_in_the_region_is_said_plainly_with_labelled_alternatives(corpus_index):
    res = corpus_index.search("Kabelkonfektion in Brandenburg")
    assert res["total"] == 0 and res["results"] == []
    assert any(n.startswith("Nothing matches") and "Brandenburg" in n for n in res["notes"])
    wider = [a for a in res["alternatives"] if a["reason"] == "relaxed_region"]
    assert wider and "outside Brandenburg" in wider[0]["label"]
    assert any(r["name"].startswith("Telegärtner Gerätebau") for r in wider[0]["results"])


def test_near_and_radius_rank_by_distance(corpus_index):
    res = corpus_index.search("Schleifen", near="Dresden", radius_km=30)
    assert res["total"] > 0
    assert all(r["distance_km"] is not None and r["distance_km"] <= 30 for r in res["results"])
    assert all(any(w.endswith("km away") for w in r["why"]) for r in res["results"])
    everyone = corpus_index.search("", near="Dresden", radius_km=60, limit=50)["results"]
    dists = [r["distance_km"] for r in everyone]
    assert dists and dists == sorted(dists)


def test_closed_firm_is_marked_and_ranked_after_open_ones(corpus_index):
    found = corpus_index.search("optische Linsen")["results"]
    voigt = [i for i, r in enumerate(found) if r["name"].startswith("Linsenschleiferei Voigt")]
    havel = [i for i, r in enumerate(found) if r["name"].startswith("Havel-Optik")]
    assert voigt and havel and havel[0] < voigt[0]
    closed = found[voigt[0]]
    assert closed["closed"] and "reported closed: ranked last" in closed["why"]


def test_each_result_explains_why_it_matched(corpus_index):
    top = corpus_index.search("Kabelkonfektion")["results"][0]
    # codes with concept ids for every caller, English words for the JSON contract
    assert {"code": "offers", "concepts": ["cap.cable_assembly"]} in top["reasons"]
    assert any(w.startswith("offers Cable assembly") for w in top["why"])
    assert any("<mark>Kabelkonfektion</mark>" in ev["snippet"] for ev in top["evidence"])


# ------------------------------------------------------------------ evidence-level ranking

_PAGES = {
    "messe-antriebe-2020.html": (
        "2020-05-12",
        "Antriebsmesse in Chemnitz",
        [
            "Zur Antriebsmesse in Chemnitz kamen die Kappa Antriebstechnik GmbH, die Alpha "
            "Metallwaren GmbH und die Beta Kunststofftechnik GmbH.",
            "Die Messe stand ganz im Zeichen der Planetengetriebe.",
            "Die Kappa Antriebstechnik GmbH fertigt seit 1995 Planetengetriebe für Roboter.",
        ],
    ),
    "delta-schleiftechnik.html": (
        "2012-04-02",
        "Delta Schleiftechnik GmbH",
        ["Die Delta Schleiftechnik GmbH aus Pirna bietet Rundschleifen und Flachschleifen an."],
    ),
    "omega-schleiftechnik.html": (
        "2022-04-02",
        "Omega Schleiftechnik GmbH",
        ["Die Omega Schleiftechnik GmbH aus Pirna bietet Rundschleifen und Flachschleifen an."],
    ),
    "zulieferer-vogtland-2021.html": (
        "2021-09-01",
        "Zulieferer im Vogtland",
        [
            "Die Zeta Metallwaren GmbH aus Plauen fertigt Gehäuse aus Aluminium.",
            "Auch die Rho Technik GmbH, die Chi Stahl GmbH und die Psi Werke GmbH aus Plauen "
            "liefern Gehäuse.",
        ],
    ),
}


@pytest.fixture(scope="session")
def pages_index(tmp_path_factory) -> Directory:
    src = tmp_path_factory.mktemp("pages")
    for name, (date, title, paras) in _PAGES.items():
        body = "".join(f"<p>{p}</p>" for p in paras)
        (src / name).write_text(
            f'<!doctype html><html><head><meta charset="utf-8"><meta name="date" content="{date}">'
            f"<title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>",
            encoding="utf-8",
        )
    ix = tmp_path_factory.mktemp("pages-index")
    ingest([src], index_dir=ix)
    return Directory(ix)


def test_own_sentence_beats_being_listed_in_the_same_article(pages_index):
    # a whole-article match would tie all three, and the name order would put Alpha first
    found = names(pages_index.search("Planetengetriebe"))
    assert found and found[0] == "Kappa Antriebstechnik GmbH"
    for other in ("Alpha Metallwaren GmbH", "Beta Kunststofftechnik GmbH"):
        assert other not in found[:1]


def test_sentence_of_its_own_beats_a_sentence_shared_with_others(pages_index):
    # the name order would put Zeta last
    found = names(pages_index.search("Gehäuse"))
    assert found[0] == "Zeta Metallwaren GmbH"
    assert {"Rho Technik GmbH", "Chi Stahl GmbH", "Psi Werke GmbH"} & set(found[1:])


def test_newer_evidence_wins_at_equal_relevance(pages_index):
    # same sentence, same place; only the dates differ (and the name order would favour Delta)
    assert names(pages_index.search("Rundschleifen"))[:2] == [
        "Omega Schleiftechnik GmbH",
        "Delta Schleiftechnik GmbH",
    ]
