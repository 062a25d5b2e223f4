"""The one search API: the CLI and the Streamlit app are thin layers over `Directory`.

A query is understood before it is run: place and region words become a region constraint
(place ⊂ Landkreis / informal region ⊂ Bundesland), taxonomy terms in German or English become
concept ids, misspelt words are corrected against the words the index knows (and the correction
is offered as "did you mean"), and the remaining words are matched — stemmed, umlaut-folded and
decompounded — against each organization's sentences.

Whoosh finds the candidates; each candidate is then scored on its evidence, clause by clause: a
fact the organization's own sentence states counts fully, a sentence that names several
organizations counts less the more it names, a sentence that merely mentions the firm counts
half, a compound's modifier alone ("Holz" in "Holzbearbeitung") never makes a match. Recent
evidence wins ties, closed firms sink and are marked, and when a strict constraint leaves
nothing the answer is empty — with labelled alternatives beside it, never silent filler.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import html
import json
import math
import pickle
import threading
import time
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from whoosh import query as Q
from whoosh import scoring

from ingest import gazetteer as gz
from ingest import german
from ingest import taxonomy as tx
from ingest.records import DEFAULT_SEARCH_KINDS, ORG_KINDS

from . import store
from .evidence import (
    CERT_INDUSTRY,
    NO_SENTENCE,
    Unit,
    clause_strength,
    matching_per_clause,
    recency,
    units_from_record,
    units_of,
)
from .query import (
    _STOP,
    QUALIFY,
    Clause,
    QueryError,
    Understood,
    asks_for_sellers,
    build_clauses,
    clean_query,
    region_scope,
    understand,
)
from .reasons import english as why_english
from .reasons import name_words
from .retrieval import Retriever
from .spelling import Vocabulary, correct_query, vocabulary_version
from .weights import (
    CLOSED_FACTOR,
    NEAR_KM_HALF,
    W_NAME_PHRASE,
    W_NETWORK_INDUSTRY,
    W_PLACE_EXACT,
    W_PLACE_IN_TEXT,
    W_PLACE_NOT_NEAR,
    W_PLACE_REGION,
    W_PLACE_UNKNOWN,
    W_SELLER_OTHER_KIND,
)

__all__ = ["Directory", "QueryError", "clean_query", "understand", "region_scope", "mark"]

FACETS = ("capability", "industry", "region", "certification", "kind")
_FIELD_FOR = {
    "capability": "capability",
    "industry": "industry",
    "certification": "certification",
    "material": "material",
}

# --- ranking beyond the evidence of single clauses (see evidence.py for those)
MAX_RERANK = 500  # candidates scored on their evidence (the best by Whoosh's own score)
MAX_CACHED = 5000  # organizations whose analysed evidence is kept between queries
MAX_MASKS = 256  # filters whose admitted documents are kept between queries


@dataclass
class Match:
    """One organization as the query found it: its score and, per clause, the evidence."""

    docnum: int
    score: float
    strengths: list[float]
    best: list[Unit | None]
    dist: float | None = None
    place_factor: float = 1.0
    closed: bool = False
    place_unknown: bool = False  # a place word was asked and nothing places the firm anywhere


# --------------------------------------------------------------------------- the directory


@dataclass
class _Cache:
    searcher: object
    info: dict  # docnum → facetinfo
    vocab: Vocabulary
    retriever: Retriever  # the candidates of a query's terms (index/retrieval.py)
    units: _Bounded = field(default_factory=lambda: _Bounded(MAX_CACHED))  # docnum → [Unit]
    payloads: _Bounded = field(default_factory=lambda: _Bounded(MAX_CACHED))  # docnum → dict
    masks: _Bounded = field(default_factory=lambda: _Bounded(MAX_MASKS))  # filter → docs


class _Bounded(OrderedDict):
    """A dict that forgets the least recently used entries beyond `size`. Locked: the HTTP API
    serves threads from one Directory, and a lookup racing an eviction would raise KeyError."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size
        self._guard = threading.Lock()

    def get(self, key, default=None):
        with self._guard:
            if key in self:
                self.move_to_end(key)
                return self[key]
            return default

    def __setitem__(self, key, value):
        with self._guard:
            super().__setitem__(key, value)
            if len(self) > self.size:
                self.popitem(last=False)


def _one_reader_at_a_time(method):
    """Whoosh's readers share file positions and decoded blocks between calls: two threads in
    one searcher at once read each other's half-decoded posting blocks (zlib errors and HTTP
    500s in the API's 50-client load test). Calls through one Directory therefore take turns;
    under the GIL they could hardly run side by side anyway."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with self._reading:
            return method(self, *args, **kwargs)

    return wrapper


def _industry_only(plan) -> bool:
    taxonomy = tx.load()
    concepts = [cl.concept for cl in plan.clauses]
    return bool(concepts) and all(
        cid in taxonomy.concepts and taxonomy.concepts[cid].facet == "industry" for cid in concepts
    )


class Directory:
    """A handle on one index; cheap to keep, safe to share between threads."""

    def __init__(self, index_dir: str | Path | None = None):
        self.index_dir = store.resolve_dir(index_dir)
        self._lock = threading.Lock()
        self._reading = threading.RLock()  # see _one_reader_at_a_time
        self._ix = None
        self._cache: _Cache | None = None

    # ---- searcher lifecycle: reopen (never refresh(), see reference notes) when stale
    def _current(self) -> _Cache:
        with self._lock:
            if self._ix is None:
                if not store.exists(self.index_dir):
                    raise QueryError(
                        f"no index at {self.index_dir}: run 'supplier-search ingest corpus/' first"
                    )
                self._ix = store.open_existing(self.index_dir)
            if self._cache is not None:
                try:
                    if self._cache.searcher.up_to_date():
                        return self._cache
                except Exception:
                    pass
                # the old searcher is not closed here: other threads (the HTTP API's requests)
                # may still be reading it; it closes its files when the last of them lets go
            self._ix = store.open_existing(self.index_dir)
            s = self._ix.searcher(weighting=scoring.BM25F(B=0.6, K1=1.2))
            self._cache = _build_cache(s, self.index_dir)
            return self._cache

    def close(self) -> None:
        with self._lock:
            if self._cache is not None:
                self._cache.searcher.close()
                self._cache = None

    # ---- public API
    @_one_reader_at_a_time
    def search(
        self,
        query: str = "",
        capability: list[str] | str | None = None,
        industry: list[str] | str | None = None,
        region: list[str] | str | None = None,
        certification: list[str] | str | None = None,
        kind: list[str] | str | None = None,
        limit: int = 10,
        offset: int = 0,
        near: str | None = None,
        radius_km: float | None = None,
    ) -> dict:
        t0 = time.perf_counter()
        text = clean_query(query)
        c = self._current()
        taxonomy = tx.load()
        filters, applied = _explicit_filters(taxonomy, capability, industry, certification, kind)
        region_entries = []
        for r in _as_list(region):
            e = gz.book().best(r)
            if e is None:
                raise QueryError(f"unknown region '{r}'")
            region_entries.append(e)
        if region_entries:
            applied["region"] = [e.place.name for e in region_entries]
        near_entry = _near_entry(near) if near else None
        if radius_km is not None:
            try:
                radius_km = float(radius_km)
            except (TypeError, ValueError):
                radius_km = float("nan")
            if math.isnan(radius_km) or radius_km < 0:
                raise QueryError("radius_km must be a distance of 0 km or more")
        offset = max(0, int(offset or 0))

        u = understand(text) if text else Understood("")
        suggestion = None
        if text:
            corrected, fixes = correct_query(text, u, c.vocab)
            if fixes:
                u = understand(corrected)
                u.corrections = fixes
                suggestion = corrected
        clauses = build_clauses(u, taxonomy)
        plan = _Plan(
            clauses=clauses,
            filters=filters,
            regions=region_entries,
            text_places=list(zip(u.places, u.place_words, strict=True)),
            name_words=tuple(
                dict.fromkeys(
                    german.stem(w)
                    for w in german.words(" ".join(u.concept_words + u.words + u.place_words))
                    if german.fold(w) not in _STOP
                )
            ),
            near=near_entry,
            radius_km=radius_km,
            sellers=asks_for_sellers(text),
        )
        matches = self._match(c, plan)
        notes: list[str] = []
        alternatives: list[dict] = []
        asked = " ".join(cl.label for cl in clauses) or text or "these filters"
        if u.corrections:
            notes.append(
                "Showing results for '"
                + suggestion
                + "' (corrected: "
                + ", ".join(f"{a} → {b}" for a, b in u.corrections.items())
                + ")."
            )
        if not matches and (text or set(applied) - {"kind"} or near_entry is not None):
            alternatives = self._alternatives(c, plan, taxonomy, u, asked)
            where = plan.constraint_label()
            notes.append(
                f"Nothing matches '{asked}'"
                + (f" {where}" if where else "")
                + "."
                + (" Nearest alternatives are listed separately." if alternatives else "")
            )
        total = len(matches)
        facets = _facet_counts([c.info[m.docnum] for m in matches], taxonomy)
        page = matches[offset : offset + max(0, limit)] if limit else []
        terms = set().union(*(cl.strong_terms() for cl in clauses)) if clauses else set()
        results = [self._result(c, m, plan, u, terms, taxonomy, applied) for m in page]
        return {
            "query": query if isinstance(query, str) else "",
            "total": total,
            "results": results,
            "facets": facets,
            "suggestion": suggestion,
            "alternatives": alternatives,
            "understood": {
                "concepts": [
                    {"id": cid, "label": taxonomy.concepts[cid].label_de} for cid in u.concepts
                ],
                "places": [e.place.name for e in u.places],
                "words": u.words,
                "corrections": u.corrections,
                "filters": applied,
                "relaxed_region": False,
            },
            "notes": notes,
            "took_ms": round((time.perf_counter() - t0) * 1000, 1),
        }

    # ---- matching and scoring
    def _match(self, c: _Cache, plan: _Plan) -> list[Match]:
        base = Q.And(plan.filters)
        if plan.regions:
            base = Q.And(
                [base, Q.Or([Q.Term("region", _fold(e.place.name)) for e in plan.regions])]
            )
        allow = _filter_mask(c, base)  # always some: rtype and kind filter every search
        if plan.clauses:
            # the OR of every clause's terms on posting arrays (index/retrieval.py): the same
            # candidates as Whoosh's TopCollector, without walking its matcher tree in Python
            found = c.retriever.top(_retrieval_terms(plan.clauses), MAX_RERANK, allow)
            docnums = found.tolist()
        else:
            docnums = np.flatnonzero(allow).tolist()
        n_orgs = max(1, len(c.info))
        scored: list[Match] = []
        per_clause_df = [0] * len(plan.clauses)
        raw: list[tuple[int, list[float], list[float], list[Unit | None]]] = []
        candidates = {d: _units(c, d) for d in docnums if d in c.info}
        # how many candidates name each sentence: every organization named in a sentence that
        # matches the query is itself a candidate, so this counts exactly where it matters
        # (only sentences that can weigh for some clause are counted: a sentence that shares a
        # word with the query does so for every candidate holding it; one that only states the
        # concept as a fact counts for the candidates whose fact it is — on the suites the same
        # rankings within 0.001 nDCG, at a third of the time)
        shared: Counter = Counter()
        matching = {d: matching_per_clause(plan.clauses, units) for d, units in candidates.items()}
        for d, units in candidates.items():
            keys = {units[i].key for idx in matching[d] for i in idx}
            shared.update(k for k in keys if k != NO_SENTENCE)
        for d, units in candidates.items():
            strengths, totals, best = [], [], []
            for cl, idx in zip(plan.clauses, matching[d], strict=True):
                st, total, un = clause_strength(cl, units, shared, idx)
                strengths.append(st)
                totals.append(total)
                best.append(un)
            for i, st in enumerate(strengths):
                if st >= QUALIFY:
                    per_clause_df[i] += 1
            raw.append((d, strengths, totals, best))
        for i, cl in enumerate(plan.clauses):
            cl.idf = math.log(1.0 + n_orgs / (1.0 + per_clause_df[i])) * cl.weight
        # a clause nothing matches (a word the corpus lacks) neither helps nor hurts anyone
        live = [i for i, df in enumerate(per_clause_df) if df > 0]
        selective = {i for i in live if per_clause_df[i] / n_orgs < 0.25}
        for d, strengths, totals, best in raw:
            fi = c.info[d]
            if plan.clauses:
                hits = [i for i in live if strengths[i] >= QUALIFY]
                if not hits:
                    continue
                if len(live) > 1 and selective and not selective.intersection(hits):
                    continue  # only a very common word ("Teile") matched
                weight = sum(plan.clauses[i].idf for i in live)
                score = sum(plan.clauses[i].idf * totals[i] for i in hits) / weight
                score *= sum(plan.clauses[i].idf for i in hits) / weight
            else:
                score = 1.0 + 0.05 * min(10, len(fi.get("capability") or []))
            if len(plan.name_words) > 1:
                in_name = set().union(*(un.terms for un in _units(c, d) if un.kind == "name"))
                if all(w in in_name for w in plan.name_words):
                    score *= W_NAME_PHRASE  # the purchaser typed this organization's name
            m = Match(d, score, strengths, best)
            if not self._constrain(c, m, plan):
                continue
            m.score *= recency(best, fi)
            if fi.get("kind") == "network" and _industry_only(plan):
                m.score *= W_NETWORK_INDUSTRY
            if plan.sellers and fi.get("kind", "company") != "company":
                m.score *= W_SELLER_OTHER_KIND
            if fi.get("closed"):
                m.closed = True
                m.score *= CLOSED_FACTOR
            scored.append(m)
        scored.sort(key=lambda m: (-m.score, c.info[m.docnum]["name"]))
        return scored

    def _constrain(self, c: _Cache, m: Match, plan: _Plan) -> bool:
        """Apply the place words of the query and --near/--radius-km; set their ranking factors."""
        fi = c.info[m.docnum]
        if plan.text_places:
            # a place word in the free text ranks; only an explicit region filter is strict
            keys = {german.fold(k) for k in fi.get("region") or []}
            name = german.fold(fi.get("name", ""))
            factor = 0.0
            for entry, typed in plan.text_places:
                scope = [german.fold(k) for k in region_scope(entry)]
                if german.fold(typed) in name or any(k in keys for k in scope):
                    factor = max(factor, _place_boost(fi, [entry]))
                elif not keys and _text_names_place(c, m.docnum, entry, typed):
                    # "aus Erfurt" beside the name of a firm extraction placed nowhere; a firm
                    # placed elsewhere is not moved by a town its text happens to mention
                    factor = max(factor, W_PLACE_IN_TEXT)
            if not factor:
                if keys:
                    return False  # known to be elsewhere
                factor, m.place_unknown = W_PLACE_UNKNOWN, True
            m.place_factor = factor
            m.score *= factor
        if plan.near is not None:
            m.dist = _min_distance(fi.get("coords") or [], plan.near.place)
            if plan.radius_km is not None and (m.dist is None or m.dist > plan.radius_km):
                return False
            if m.dist is not None:
                if plan.clauses:
                    m.score /= 1.0 + m.dist / NEAR_KM_HALF
                else:
                    m.score = 1.0 / (1.0 + m.dist)
            else:
                m.score *= W_PLACE_NOT_NEAR
        return True

    def _alternatives(
        self, c: _Cache, plan: _Plan, taxonomy: tx.Taxonomy, u: Understood, asked: str
    ) -> list[dict]:
        """Nearest answers when nothing matches: the same search without the place
        constraint, and a broader or related capability inside it — each labelled."""
        out = []
        if plan.text_places or plan.regions or plan.radius_km is not None:
            wider = plan.relaxed()
            ms = self._match(c, wider)
            if ms:
                out.append(
                    {
                        "label": f"'{asked}' outside {plan.constraint_label(bare=True)}",
                        "reason": "relaxed_region",
                        "total": len(ms),
                        "results": [
                            self._result(c, m, wider, u, set(), taxonomy, {}) for m in ms[:5]
                        ],
                    }
                )
        for i, cl in enumerate(plan.clauses):
            if not cl.concept:
                continue
            # the nearest broader concept anybody offers (Druckguss → Gießen → Urformen)
            for parent_id in taxonomy.ancestors(cl.concept):
                parent = taxonomy.concepts[parent_id]
                related = Clause(label=parent.label_de, concept=parent.id)  # facts only
                ms = self._match(c, plan.replace(i, related))
                if ms:
                    break
            else:
                continue
            if ms:
                out.append(
                    {
                        "label": f"related: {parent.label_de} ({parent.label_en})"
                        + (f" {plan.constraint_label()}" if plan.constraint_label() else ""),
                        "reason": "related_capability",
                        "concept": parent.id,
                        "total": len(ms),
                        "results": [
                            self._result(c, m, plan, u, set(), taxonomy, {}) for m in ms[:5]
                        ],
                    }
                )
        return out

    def _result(
        self,
        c: _Cache,
        m: Match,
        plan: _Plan,
        u: Understood,
        terms: set[str],
        taxonomy: tx.Taxonomy,
        applied: dict,
    ) -> dict:
        p = _payload(c, m.docnum)
        docs = {d["doc"]: d for d in p.get("documents", [])}
        units = _units(c, m.docnum)
        # evidence: the sentences that matched the clauses, then the firm's own sentences
        chosen: list[Unit] = []
        for un in m.best:
            if un is not None and un.kind != "name" and un not in chosen:
                chosen.append(un)
        for un in sorted(
            (x for x in units if x.kind == "own"),
            key=lambda x: (-len(x.facts), -(int((x.ev.get("date") or "0")[:4] or 0))),
        ):
            if len(chosen) >= 3:
                break
            if un not in chosen:
                chosen.append(un)
        for un in units:
            if len(chosen) >= 3:
                break
            if un.kind == "mention" and un not in chosen:
                chosen.append(un)
        evidence = [
            _evidence_obj(un.ev, docs.get(un.ev.get("doc"), {}), terms) for un in chosen[:3]
        ]
        reasons = _reasons(m, plan, u, applied)
        contacts = [
            {k: ct.get(k) or "" for k in ("person", "role", "phone", "fax", "email", "url")}
            for ct in p.get("contacts", [])
        ]
        return {
            "id": p["id"],
            "name": p["name"],
            "kind": p["kind"],
            "closed": p.get("closed", False),
            "places": [
                {
                    "name": pl["name"],
                    "district": pl.get("district", ""),
                    "state": pl.get("state", ""),
                    "regions": pl.get("regions", []),
                    "lat": pl.get("lat"),
                    "lon": pl.get("lon"),
                }
                for pl in p.get("places", [])
            ],
            "capabilities": _labels(p, "capability", taxonomy),
            "industries": _labels(p, "industry", taxonomy),
            "focus": _labels(p, "focus", taxonomy),
            "certifications": _labels(p, "certification", taxonomy),
            "contacts": contacts,
            "score": round(float(m.score), 4) if not math.isnan(m.score) else 0.0,
            "distance_km": round(m.dist, 1) if m.dist is not None else None,
            "evidence": evidence,
            "why": why_english(reasons, taxonomy),
            "reasons": reasons,
            "place_unknown": m.place_unknown,
        }

    @_one_reader_at_a_time
    def list(self, kind: list[str] | str | None = None) -> dict:
        """Every organization (all kinds unless narrowed), same objects as search results."""
        return self.search("", kind=_as_list(kind) or list(ORG_KINDS), limit=100000)

    @_one_reader_at_a_time
    def show(self, name_or_id: str) -> dict | None:
        """One profile with all facts and their evidence."""
        c = self._current()
        s = c.searcher
        key = german.fold(name_or_id.strip())
        best = None
        for docnum, fi in c.info.items():
            if fi["id"] == name_or_id.strip():
                best = docnum
                break
        if best is None:
            for docnum, fi in c.info.items():
                if german.fold(fi["name"]) == key or any(
                    german.fold(n) == key for n in fi.get("names", [])
                ):
                    best = docnum
                    break
        if best is None:
            hits = self.search(name_or_id, kind=list(ORG_KINDS), limit=1)
            if hits["results"]:
                return self.show(hits["results"][0]["id"])
            return None
        fields = s.stored_fields(best)
        p = json.loads(fields["payload"])
        taxonomy = tx.load()
        docs = {d["doc"]: d for d in p.get("documents", [])}
        facts = []
        for f in p["facts"]:
            ev = f["evidence"]
            d = docs.get(ev["doc"], {})
            concept = taxonomy.concepts.get(f["value"])
            facts.append(
                {
                    "facet": f["facet"],
                    "value": f["value"],
                    "label": concept.label_de if concept else f["label"],
                    "label_en": concept.label_en if concept else f["label"],
                    "evidence": _evidence_obj(ev, d),
                }
            )
        facts.sort(key=lambda x: (x["facet"], x["label"], x["evidence"].get("date") or ""))
        as_of = {}
        for f in facts:
            k = (f["facet"], f["value"])
            as_of[k] = max(as_of.get(k, ""), f["evidence"].get("date") or "")
        for f in facts:
            f["as_of"] = as_of[(f["facet"], f["value"])] or None
        out = self._result(
            c, Match(best, 0.0, [], []), _Plan([], [], [], [], None, None), Understood(""),
            set(), taxonomy, {},
        )  # fmt: skip
        out.pop("score", None)
        out.update(
            {
                "names": p.get("names", []),
                "facts": facts,
                "documents": p.get("documents", []),
                "merged_because": p.get("merged_because", []),
                "curation_notes": p.get("curation_notes", []),
                "mentions": [
                    _evidence_obj(e, docs.get(e["doc"], {})) for e in p.get("sentences", [])
                ],
                "relations": [
                    f
                    for f in facts
                    if f["facet"]
                    in (
                        "member_of",
                        "network_size",
                        "subsidiary_of",
                        "successor_of",
                        "taken_over_by",
                        "closed",
                        "site",
                    )
                ],
                "employees": next(
                    (f["value"] for f in reversed(facts) if f["facet"] == "employees"), None
                ),
                "founded": next((f["value"] for f in facts if f["facet"] == "founded"), None),
            }
        )
        out["evidence"] = out["mentions"][:5]
        return out

    @_one_reader_at_a_time
    def stats(self) -> dict:
        c = self._current()
        s = c.searcher
        docs_by_kind: dict[str, int] = {}
        n_docs = 0
        last = None
        for fields in s.documents(rtype="doc"):
            n_docs += 1
            k = (fields.get("docinfo") or {}).get("kind", "other")
            docs_by_kind[k] = docs_by_kind.get(k, 0) + 1
        for fields in s.documents(id="meta"):
            last = (fields.get("docinfo") or {}).get("last_ingest")
        orgs_by_kind: dict[str, int] = {}
        for fi in c.info.values():
            orgs_by_kind[fi.get("kind", "company")] = (
                orgs_by_kind.get(fi.get("kind", "company"), 0) + 1
            )
        size = sum(p.stat().st_size for p in self.index_dir.rglob("*") if p.is_file())
        return {
            "documents": n_docs,
            "documents_by_kind": docs_by_kind,
            "organizations": len(c.info),
            "organizations_by_kind": orgs_by_kind,
            "last_ingest": last,
            "index_bytes": size,
            "index_dir": str(self.index_dir),
        }

    @_one_reader_at_a_time
    def documents(self) -> list[dict]:
        c = self._current()
        out = []
        for fields in c.searcher.documents(rtype="doc"):
            info = fields.get("docinfo") or {}
            out.append({"path": fields["path"], **info})
        return sorted(out, key=lambda d: d["path"])

    def changes(self, since: str) -> list[dict]:
        """What ingests changed after `since` (an ISO 8601 date or time), per
        organization and ingest, oldest first: codes and ids that each caller words itself.
        The CLI's `changes --since`, `GET /changes` and the app's watch links read this.

        Example: `Directory(".data/index").changes("2026-12-01")` → `[{"at":
        "2026-12-02T09:14:03.123456+00:00", "ingest": "…", "id": "zerspanung-albrecht",
        "name": "Zerspanung Albrecht GmbH", "kind": "company", "changes": [{"code":
        "fact_added", "facet": "capability", "value": "cap.turning"}]}, …]`.
        """
        from .changes import changes_since

        return [c.to_dict() for c in changes_since(self.index_dir, since)]


# --------------------------------------------------------------------------- plan


@dataclass
class _Plan:
    """Everything one search run needs; alternatives are plans with a constraint changed."""

    clauses: list[Clause]
    filters: list[Q.Query]
    regions: list[gz.Entry]  # explicit --region
    text_places: list[tuple[gz.Entry, str]]  # place words typed into the query
    near: gz.Entry | None
    radius_km: float | None
    name_words: tuple[str, ...] = ()  # stems of every word typed, to spot a typed name
    sellers: bool = False  # the purchaser asked for makers ("Hersteller", "Zulieferer", …)

    def relaxed(self) -> _Plan:
        return dataclasses.replace(self, regions=[], text_places=[], radius_km=None)

    def replace(self, i: int, clause: Clause) -> _Plan:
        clauses = list(self.clauses)
        clauses[i] = clause
        return dataclasses.replace(self, clauses=clauses)

    def constraint_label(self, bare: bool = False) -> str:
        names = [e.place.name for e in self.regions] + [e.place.name for e, _ in self.text_places]
        parts = []
        if names:
            parts.append(("" if bare else "in ") + " / ".join(dict.fromkeys(names)))
        if self.near is not None and self.radius_km is not None:
            parts.append(
                f"{'' if bare and not names else 'within '}{self.radius_km:g} km of {self.near.place.name}"
            )
        return " and ".join(parts)


# --------------------------------------------------------------------------- helpers


_INFO_FORMAT = 1  # raise when the shape of a facetinfo table changes


def _build_cache(s, index_dir: Path | None = None) -> _Cache:
    """The searcher with its per-organization facet table. Reading that table means reading
    every stored record (0.57 s at 10k documents, 10× that at 100k), so the first searcher to
    open a generation keeps it beside the index and every later process loads it (20 ms at
    10k). It is pickled like Whoosh's own table of contents in the same folder, so it asks for
    no more trust than the index does; an unwritable folder (a snapshot) just reads the records.
    """
    key = _generation_key(s) if index_dir else None
    side = index_dir / f"facetinfo-{key}-v{_INFO_FORMAT}.pickle" if key else None
    info = None
    if side is not None and side.exists():
        try:
            info = pickle.loads(side.read_bytes())
        except Exception:
            info = None
    if info is None:
        info = {}
        for docnum, fields in s.iter_docs():
            if fields.get("rtype") != "org":
                continue
            fi = dict(fields.get("facetinfo") or {})
            fi["id"] = fields["id"]
            fi["name"] = fields.get("name", "")
            info[docnum] = fi
        if side is not None:
            store.keep_beside(side, pickle.dumps(info, protocol=pickle.HIGHEST_PROTOCOL))
    vocabulary = index_dir / f"vocabulary-{key}-{vocabulary_version()}.marshal" if key else None
    return _Cache(s, info, Vocabulary(s, vocabulary), Retriever(s))


def _generation_key(s) -> str | None:
    """Names one committed state of the index: its generation and its segments (random ids, so
    a rebuilt index that counts generations from 1 again gets a new key) with their deletions."""
    r = s.reader()
    try:
        segs = sorted(
            f"{lr.segment().segment_id()}:{lr.segment().deleted_count()}"
            for lr, _ in r.leaf_readers()
        )
    except AttributeError:  # an empty index has no segments to name
        return None
    raw = f"{r.generation()}|{'|'.join(segs)}"
    return f"{r.generation()}-{hashlib.sha1(raw.encode()).hexdigest()[:12]}"


def _payload(c: _Cache, docnum: int) -> dict:
    p = c.payloads.get(docnum)
    if p is None:
        p = json.loads(c.searcher.stored_fields(docnum)["payload"])
        c.payloads[docnum] = p
    return p


def _units(c: _Cache, docnum: int) -> list[Unit]:
    """The organization's evidence, analysed once per searcher (bounded cache)."""
    got = c.units.get(docnum)
    if got is None:
        # analysed at index time; an index written by other analysis code is analysed here
        got = units_from_record(c.searcher.stored_fields(docnum).get("units"))
        if got is None:
            got = units_of(_payload(c, docnum))
        c.units[docnum] = got
    return got


def _retrieval_terms(clauses: list[Clause]) -> list[tuple[str, str, float]]:
    """Every organization that could match any clause, as (field, term, boost): the concept,
    the name and the firm's own sentences weigh most; scoring happens on the evidence."""
    out: list[tuple[str, str, float]] = []
    for cl in clauses:
        if cl.concept:
            out.append(("concepts", cl.concept, 3.0))
        for t in cl.terms():
            out.append(("name", t, 3.0))
            out.append(("own", t, 1.5))
            out.append(("mentioned", t, 0.3))
            out.append(("passage", t, 0.2))
    return out


def _filter_mask(c: _Cache, base: Q.Query) -> np.ndarray:
    """The documents a filter admits, as a boolean array, computed once per searcher: facet
    filters repeat (a purchaser narrows, pages, narrows again), and the docset of a filter on a
    common region is most of a filtered query's retrieval time otherwise."""
    key = repr(base)
    got = c.masks.get(key)
    if got is None:
        got = np.zeros(c.retriever.size, dtype=bool)
        ids = list(c.searcher.docs_for_query(base))
        if ids:
            got[np.asarray(ids, dtype=np.int64)] = True
        c.masks[key] = got
    return got


def _reasons(m: Match, plan: _Plan, u: Understood, applied: dict) -> list[dict]:
    """Why this organization matched, as codes (see index.reasons), truthful about the level of
    evidence: a fact it offers, its own sentence, the text about it, its name."""
    out: list[dict] = []
    by_code: dict[str, list[str]] = {"offers": [], "certified": [], "mentions": [], "passage": []}
    named: list[str] = []
    for cl, st, un in zip(plan.clauses, m.strengths, m.best, strict=False):
        if un is None or st < QUALIFY:
            continue
        if cl.concept and cl.concept in un.covers:
            certs = [f for f in un.facts if CERT_INDUSTRY.get(f) == cl.concept]
            if certs and cl.concept not in un.facts:
                by_code["certified"].extend(certs)
            else:
                by_code["offers"].append(cl.concept)
        elif un.kind == "name":
            named.extend(name_words(un.sentence, cl.terms()))
        elif un.kind in ("passage", "page"):
            by_code["passage"].append(cl.label)
        else:
            by_code["mentions"].append(cl.label)
    for code in ("offers", "certified"):
        if by_code[code]:
            out.append({"code": code, "concepts": list(dict.fromkeys(by_code[code]))})
    for code in ("mentions", "passage"):
        if by_code[code]:
            out.append({"code": code, "words": list(dict.fromkeys(by_code[code]))})
    if named:
        out.append({"code": "name", "words": list(dict.fromkeys(named))})
    kinds = {
        un.kind
        for un, st in zip(m.best, m.strengths, strict=False)
        if un is not None and st >= QUALIFY
    }
    if kinds == {"mention"}:
        out.append({"code": "only_mentioned"})
    if u.corrections:
        out.append({"code": "corrected", "pairs": [[a, b] for a, b in u.corrections.items()]})
    if plan.text_places and m.place_unknown:
        out.append({"code": "place_unknown"})
    elif plan.text_places:
        out.append({"code": "near_place", "places": [e.place.name for e, _ in plan.text_places]})
    if m.closed:
        out.append({"code": "closed"})
    if m.dist is not None and plan.near is not None:
        out.append({"code": "distance", "km": round(m.dist)})
    for facet, vals in applied.items():
        if facet != "kind" and vals:
            key = "places" if facet == "region" else "concepts"
            out.append({"code": "filter", "facet": facet, key: list(vals)})
    return out


def _labels(p: dict, facet: str, taxonomy: tx.Taxonomy) -> list[str]:
    out = []
    for f in p["facts"]:
        if f["facet"] == facet:
            c = taxonomy.concepts.get(f["value"])
            lab = c.label_de if c else f["label"]
            if lab not in out:
                out.append(lab)
    return out


def _explicit_filters(taxonomy, capability, industry, certification, kind):
    filters: list[Q.Query] = [Q.Term("rtype", "org")]
    applied: dict[str, list[str]] = {}
    explicit = {"capability": capability, "industry": industry, "certification": certification}
    for facet, values in explicit.items():
        values = _as_list(values)
        if not values:
            continue
        ids = [_concept_id(taxonomy, v, facet) for v in values]
        unknown = [v for v, i in zip(values, ids, strict=True) if i is None]
        if unknown:
            raise QueryError(f"unknown {facet} '{unknown[0]}'")
        applied[facet] = ids
        filters.append(Q.Or([Q.Term(_FIELD_FOR[facet], i) for i in ids]))
    kinds = _as_list(kind)
    for k in kinds:
        if k not in ORG_KINDS:
            raise QueryError(f"unknown kind '{k}' (use one of: {', '.join(ORG_KINDS)})")
    applied["kind"] = kinds or list(DEFAULT_SEARCH_KINDS)
    filters.append(Q.Or([Q.Term("kind", k) for k in applied["kind"]]))
    return filters, applied


def _near_entry(near: str) -> gz.Entry:
    """The place to measure from: a town with coordinates (a region's centre only if the name
    is nothing else)."""
    found = [
        e for e in gz.book().lookup(near) if e.place.lat is not None and e.place.lon is not None
    ]
    if not found:
        raise QueryError(f"unknown place '{near}' for --near")
    order = {"place": 0, "region": 1, "state": 2, "district": 3}
    return sorted(found, key=lambda e: (order.get(e.kind, 4), -int(e.curated), -e.population))[0]


def _text_names_place(c: _Cache, docnum: int, entry: gz.Entry, typed: str) -> bool:
    """Whether a sentence about the organization names the place (or a town inside the region)
    although extraction filed no place fact: a dateline, an address, "aus Erfurt"."""
    stems = {german.stem(w) for w in german.words(typed)} | {
        german.stem(w) for w in german.words(entry.place.name)
    }
    return any(stems <= un.terms for un in _units(c, docnum) if un.kind not in ("name", "page"))


def _place_boost(fi: dict, entries: list[gz.Entry]) -> float:
    keys = {german.fold(k) for k in fi.get("region") or []}
    best = 1.0
    for e in entries:
        if e.kind != "place":
            continue
        if german.fold(e.place.name) in keys or german.fold(e.place.municipality or "") in keys:
            best = max(best, W_PLACE_EXACT)
        elif any(german.fold(r) in keys for r in e.place.regions):
            best = max(best, W_PLACE_REGION)
    return best


def _as_list(v) -> list[str]:
    if v is None:
        return []
    if isinstance(v, str):
        return (
            [x.strip() for x in v.split(",") if x.strip()]
            if "," in v
            else ([v.strip()] if v.strip() else [])
        )
    return [str(x).strip() for x in v if str(x).strip()]


def _fold(value: str) -> str:
    return german.fold(value).replace(",", " ").strip()


def _concept_id(taxonomy: tx.Taxonomy, value: str, facet: str) -> str | None:
    if value in taxonomy.concepts:
        return value
    for m in taxonomy.match(value):
        if taxonomy.concepts[m.concept].facet == facet:
            return m.concept
    key = german.fold(value)
    for c in taxonomy.by_facet(facet):
        if german.fold(c.label_de) == key or german.fold(c.label_en) == key:
            return c.id
    return None


def _min_distance(coords, place: gz.Place) -> float | None:
    best = None
    for lat, lon in coords:
        d = gz.distance_km(gz.Place("x", lat=lat, lon=lon), place)
        best = d if best is None or d < best else best
    return best


def _facet_counts(infos: list[dict], taxonomy: tx.Taxonomy) -> dict:
    counts: dict[str, dict[str, int]] = {f: {} for f in FACETS}
    for fi in infos:
        for facet in ("capability", "industry", "certification"):
            for cid in fi.get(facet) or []:
                counts[facet][cid] = counts[facet].get(cid, 0) + 1
        for r in fi.get("region") or []:
            counts["region"][r] = counts["region"].get(r, 0) + 1
        k = fi.get("kind", "company")
        counts["kind"][k] = counts["kind"].get(k, 0) + 1
    out = {}
    gaz = gz.book()
    for facet, cnt in counts.items():
        items = []
        for value, n in sorted(cnt.items(), key=lambda x: (-x[1], x[0])):
            if facet in ("capability", "industry", "certification"):
                c = taxonomy.concepts.get(value)
                items.append(
                    {
                        "value": c.label_de if c else value,
                        "id": value,
                        "label_en": c.label_en if c else value,
                        "count": n,
                    }
                )
            elif facet == "region":
                e = gaz.best(value)
                level = {"state": "state", "region": "region", "district": "district"}.get(
                    e.kind if e else "", "place"
                )
                items.append({"value": value, "count": n, "level": level})
            else:
                items.append({"value": value, "count": n})
        out[facet] = items
    return out


def _evidence_obj(ev: dict, d: dict, terms: set[str] | None = None) -> dict:
    sentence = ev.get("sentence", "")
    return {
        "doc": ev.get("doc"),
        "title": d.get("title") or ("curation file" if ev.get("doc") == "curation" else ""),
        "kind": d.get("kind") or ("curation" if ev.get("doc") == "curation" else ""),
        "date": ev.get("date") or d.get("date"),
        "path": d.get("path"),
        "page": ev.get("page"),
        "sentence": sentence,
        "snippet": mark(sentence, terms or set()),
    }


def mark(sentence: str, terms: set[str]) -> str:
    """HTML-escaped sentence with the words that match the query in <mark>…</mark>."""
    out = []
    last = 0
    for word, s, e in german.tokens(sentence):
        word_pieces = german.pieces(word)
        analysed = {pc.stem for pc in word_pieces} | set(word_pieces[0].parts)
        if terms and analysed & terms:
            out.append(html.escape(sentence[last:s]))
            out.append("<mark>" + html.escape(sentence[s:e]) + "</mark>")
            last = e
    out.append(html.escape(sentence[last:]))
    return "".join(out)
