"""The one search API: the CLI and the Streamlit app are thin layers over `Directory`.

A query is understood before it is run: place and region words become a region constraint
(place ⊂ Landkreis / informal region ⊂ Bundesland), taxonomy terms in German or English become
concept ids, and the remaining words are matched — stemmed, umlaut-folded and decompounded —
against each organization's own evidence, its names and, weakly, the sentences that merely
mention it. Facet counts cover all matches, not just the page shown.
"""

from __future__ import annotations

import difflib
import html
import json
import math
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import query as Q
from whoosh import scoring

from ingest import gazetteer as gz
from ingest import german
from ingest import taxonomy as tx
from ingest.records import DEFAULT_SEARCH_KINDS, ORG_KINDS

from . import store

MAX_QUERY_CHARS = 500
FACETS = ("capability", "industry", "region", "certification", "kind")
_FIELD_FOR = {
    "capability": "capability",
    "industry": "industry",
    "certification": "certification",
    "material": "material",
}
_STOP = set(
    "und oder der die das den dem des ein eine einer eines in im bei aus von für fur mit nach nahe um rund raum region "
    "gegend umgebung firma firmen unternehmen hersteller lieferant lieferanten zulieferer anbieter suche gesucht "
    "and or the of for in near around at with from supplier suppliers manufacturer manufacturers company companies "
    "small kleine kleinen".split()
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class QueryError(ValueError):
    """A query that cannot be run, with a message for the person who typed it."""


@dataclass
class Understood:
    text: str
    words: list[str] = field(default_factory=list)  # free words (surface)
    concepts: list[str] = field(default_factory=list)  # concept ids
    concept_words: list[str] = field(default_factory=list)
    places: list[gz.Entry] = field(default_factory=list)
    place_words: list[str] = field(default_factory=list)


def clean_query(text: str | None) -> str:
    if text is None:
        return ""
    text = _CONTROL.sub(" ", str(text))
    text = text.replace('"', " ").replace("„", " ").replace("“", " ")
    text = re.sub(r"[()\[\]{}^~*?:\\/+!<>=|]", " ", text)
    text = re.sub(r"\b(AND|OR|NOT)\b", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text[:MAX_QUERY_CHARS]


def understand(text: str) -> Understood:
    """Split a query into region words, taxonomy concepts and free words."""
    u = Understood(text)
    gaz = gz.load()
    taxonomy = tx.load()
    toks = german.words(text)
    used = [False] * len(toks)
    # places and regions: the longest run of up to four words that names one
    i = 0
    while i < len(toks):
        found = None
        for n in (4, 3, 2, 1):
            if i + n > len(toks):
                continue
            phrase = " ".join(toks[i : i + n])
            key = german.fold(phrase)
            if n == 1 and (key in _STOP or len(key) < 3):
                continue
            entries = gaz.lookup(phrase)
            if not entries and n == 1:
                entries = _adjective_lookup(gaz, phrase)
            if entries and not (n == 1 and taxonomy.match(phrase) and not _is_region_word(entries)):
                found = (n, entries)
                break
        if found:
            n, entries = found
            entry = sorted(
                entries,
                key=lambda e: (
                    {"state": 0, "region": 1, "district": 2}.get(e.kind, 3),
                    -int(e.curated),
                    -e.population,
                ),
            )[0]
            u.places.append(entry)
            u.place_words.append(" ".join(toks[i : i + n]))
            for k in range(i, i + n):
                used[k] = True
            i += n
        else:
            i += 1
    rest = " ".join(t for t, k in zip(toks, used, strict=True) if not k)
    for cm in taxonomy.match(rest):
        if cm.concept not in u.concepts:
            u.concepts.append(cm.concept)
            u.concept_words.append(cm.text)
    u.words = [t for t, k in zip(toks, used, strict=True) if not k and german.fold(t) not in _STOP]
    return u


def _is_region_word(entries: list[gz.Entry]) -> bool:
    return any(e.kind in ("state", "region") for e in entries)


def _adjective_lookup(gaz: gz.Gazetteer, word: str) -> list[gz.Entry]:
    """'Dresdner' → Dresden, 'sächsische' → Sachsen, as typed in queries."""
    w = german.fold(word)
    for state, adjs in gz.STATE_ADJECTIVES.items():
        if any(w.startswith(german.fold(a)) for a in adjs):
            return gaz.lookup(state)
    for suffix, repl in (("ner", "en"), ("er", ""), ("er", "e"), ("r", "")):
        if w.endswith(suffix) and len(w) > len(suffix) + 3:
            found = [
                e
                for e in gaz.lookup(w[: -len(suffix)] + repl)
                if e.kind == "place" and (e.curated or e.population >= 3000)
            ]
            if found:
                return found
    return []


# --------------------------------------------------------------------------- the directory


@dataclass
class _Cache:
    searcher: object
    info: dict  # docnum → facetinfo
    vocab: list[str]


class Directory:
    """A handle on one index; cheap to keep, safe to share between threads."""

    def __init__(self, index_dir: str | Path | None = None):
        self.index_dir = store.resolve_dir(index_dir)
        self._lock = threading.Lock()
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
                try:
                    self._cache.searcher.close()
                except Exception:
                    pass
            self._ix = store.open_existing(self.index_dir)
            s = self._ix.searcher(weighting=scoring.BM25F(B=0.6, K1=1.2))
            info = {}
            vocab: set[str] = set()
            for docnum, fields in s.iter_docs():
                if fields.get("rtype") == "org":
                    fi = dict(fields.get("facetinfo") or {})
                    fi["id"] = fields["id"]
                    fi["name"] = fields.get("name", "")
                    info[docnum] = fi
                    vocab.update(
                        german.fold(w) for w in german.words(fields.get("name", "")) if len(w) >= 4
                    )
            taxonomy = tx.load()
            for c in taxonomy.concepts.values():
                for term in c.terms_de + c.terms_en + (c.label_de,):
                    vocab.update(german.fold(w) for w in german.words(term) if len(w) >= 4)
            self._cache = _Cache(s, info, sorted(vocab))
            return self._cache

    def close(self) -> None:
        with self._lock:
            if self._cache is not None:
                self._cache.searcher.close()
                self._cache = None

    # ---- public API
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
        s = c.searcher
        u = understand(text) if text else Understood("")
        taxonomy = tx.load()
        filters: list[Q.Query] = [Q.Term("rtype", "org")]
        explicit = {
            "capability": _as_list(capability),
            "industry": _as_list(industry),
            "certification": _as_list(certification),
        }
        applied: dict[str, list[str]] = {}
        for facet, values in explicit.items():
            if not values:
                continue
            ids = [_concept_id(taxonomy, v, facet) for v in values]
            unknown = [v for v, i in zip(values, ids, strict=True) if i is None]
            if unknown:
                raise QueryError(f"unknown {facet} '{unknown[0]}'")
            applied[facet] = ids
            filters.append(Q.Or([Q.Term(_FIELD_FOR[facet], i) for i in ids]))
        regions = _as_list(region)
        region_entries = []
        for r in regions:
            e = gz.load().best(r)
            if e is None:
                raise QueryError(f"unknown region '{r}'")
            region_entries.append(e)
        if region_entries:
            applied["region"] = [e.place.name for e in region_entries]
            filters.append(Q.Or([Q.Term("region", _fold(e.place.name)) for e in region_entries]))
        kinds = _as_list(kind)
        for k in kinds:
            if k not in ORG_KINDS:
                raise QueryError(f"unknown kind '{k}' (use one of: {', '.join(ORG_KINDS)})")
        applied["kind"] = kinds or list(DEFAULT_SEARCH_KINDS)
        filters.append(Q.Or([Q.Term("kind", k) for k in applied["kind"]]))
        near_entry = None
        if near:
            near_entry = gz.load().best(near)
            if near_entry is None or near_entry.place.lat is None:
                raise QueryError(f"unknown place '{near}' for --near")

        textq, terms = _text_query(u, c.vocab)
        base_filter = Q.And(filters)
        # free-text place words narrow to their region when anything is there; else say so
        notes: list[str] = []
        text_regions = [e for e in u.places]
        relaxed = False
        hits = self._run(s, textq, base_filter, text_regions)
        if text_regions and not hits and textq is not None:
            hits = self._run(s, textq, base_filter, [])
            relaxed = bool(hits)
            if relaxed:
                notes.append(
                    "Nothing in "
                    + ", ".join(e.place.name for e in text_regions)
                    + " matches; showing matches from other regions."
                )
        suggestion = None
        if not hits and text:
            suggestion = _suggest(u, c.vocab)

        scored = []
        for docnum, score in hits:
            fi = c.info.get(docnum)
            if fi is None:
                continue
            adj = score
            why = []
            if fi.get("closed"):
                adj *= 0.2
                why.append("reported closed: ranked last")
            if text_regions and not relaxed:
                adj *= _place_boost(fi, text_regions)
                why.append("in or around " + ", ".join(e.place.name for e in text_regions))
            dist = None
            if near_entry is not None:
                dist = _min_distance(fi.get("coords") or [], near_entry.place)
                if radius_km is not None and (dist is None or dist > radius_km):
                    continue
                if dist is not None:
                    adj = adj / (1.0 + dist / 25.0) if textq is not None else 1.0 / (1.0 + dist)
            newest = fi.get("newest") or ""
            if newest[:4].isdigit():
                adj *= 1.0 + 0.02 * max(0, min(10, int(newest[:4]) - 2010)) / 10
            scored.append((adj, docnum, dist, why))
        scored.sort(key=lambda x: (-x[0], c.info[x[1]]["name"]))
        total = len(scored)
        facets = _facet_counts([c.info[d] for _, d, _, _ in scored], taxonomy)
        page = scored[offset : offset + max(0, limit)] if limit else []
        results = []
        for adj, docnum, dist, why in page:
            fields = s.stored_fields(docnum)
            results.append(_result(fields, adj, dist, why, u, terms, taxonomy, applied))
        return {
            "query": query if isinstance(query, str) else "",
            "total": total,
            "results": results,
            "facets": facets,
            "suggestion": suggestion,
            "understood": {
                "concepts": [
                    {"id": cid, "label": taxonomy.concepts[cid].label_de} for cid in u.concepts
                ],
                "places": [e.place.name for e in u.places],
                "words": u.words,
                "filters": applied,
                "relaxed_region": relaxed,
            },
            "notes": notes,
            "took_ms": round((time.perf_counter() - t0) * 1000, 1),
        }

    def _run(self, s, textq, base_filter, text_regions):
        f = base_filter
        if text_regions:
            f = Q.And(
                [
                    base_filter,
                    Q.Or(
                        [Q.Term("region", _fold(k)) for e in text_regions for k in region_scope(e)]
                    ),
                ]
            )
        if textq is None:
            docs = s.docs_for_query(f)
            return [(d, 1.0) for d in docs]
        res = s.search(textq, filter=f, limit=None, scored=True)
        return [(hit.docnum, hit.score) for hit in res]

    def list(self, kind: list[str] | str | None = None) -> dict:
        """Every organization (all kinds unless narrowed), same objects as search results."""
        return self.search("", kind=_as_list(kind) or list(ORG_KINDS), limit=100000)

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
                if german.fold(fi["name"]) == key:
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
        out = _result(fields, 0.0, None, [], Understood(""), set(), taxonomy, {})
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

    def documents(self) -> list[dict]:
        c = self._current()
        out = []
        for fields in c.searcher.documents(rtype="doc"):
            info = fields.get("docinfo") or {}
            out.append({"path": fields["path"], **info})
        return sorted(out, key=lambda d: d["path"])


# --------------------------------------------------------------------------- helpers


def region_scope(e: gz.Entry) -> list[str]:
    """Region keys compatible with a place typed into the query.

    An organization known only as "im Osterzgebirge" may well be in Glashütte, so a query for
    Glashütte accepts the place itself and the informal regions and district containing it;
    exact places rank higher (see `_place_boost`). A region or state stands for itself.
    """
    if e.kind != "place":
        return [e.place.name]
    return list(
        dict.fromkeys([e.place.name, e.place.municipality, *e.place.regions, e.place.district])
    )


def _place_boost(fi: dict, entries: list[gz.Entry]) -> float:
    keys = {german.fold(k) for k in fi.get("region") or []}
    best = 1.0
    for e in entries:
        if german.fold(e.place.name) in keys or german.fold(e.place.municipality or "") in keys:
            best = max(best, 1.5)
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


def _text_query(u: Understood, vocab: list[str]) -> tuple[Q.Query | None, set[str]]:
    """Whoosh query for the free words and concepts, and the analysed terms for highlighting."""
    groups: list[Q.Query] = []
    terms: set[str] = set()
    for cid in u.concepts:
        groups.append(Q.Term("concepts", cid, boost=3.0))
    for word in u.words + u.concept_words:
        sub: list[Q.Query] = []
        for piece in german._pieces(word):
            st = german.stem(piece)
            parts = german.split_compound(piece)
            for t, w in [(st, 1.0)] + [(p, 0.6 if i == 0 else 0.25) for i, p in enumerate(parts)]:
                terms.add(t)
                sub.append(Q.Term("name", t, boost=3.0 * w))
                sub.append(Q.Term("own", t, boost=1.5 * w))
                sub.append(Q.Term("mentioned", t, boost=0.3 * w))
            sub.append(Q.Term("names", german.fold(piece), boost=2.0))
            if len(piece) >= 5 and word in u.words:
                sub.append(
                    Q.FuzzyTerm(
                        "names",
                        german.fold(piece),
                        maxdist=1 if len(piece) < 8 else 2,
                        prefixlength=1,
                        boost=0.8,
                    )
                )
        if sub:
            groups.append(Q.Or(sub))
    for pw in u.place_words:
        terms.update(german.stem(w) for w in german.words(pw))
    if not groups:
        return None, terms
    return Q.Or(groups), terms


def _suggest(u: Understood, vocab: list[str]) -> str | None:
    """'Feinwerktechnick' → 'feinwerktechnik': the closest known name or taxonomy word."""
    out = []
    changed = False
    for w in u.words:
        f = german.fold(w)
        if f in vocab:
            out.append(w)
            continue
        m = difflib.get_close_matches(f, vocab, n=1, cutoff=0.8)
        if m:
            out.append(m[0])
            changed = True
        else:
            out.append(w)
    if not changed:
        return None
    return " ".join(out + u.place_words)


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
    gaz = gz.load()
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
        analysed = {german.stem(p) for p in german._pieces(word)} | set(german.split_compound(word))
        if terms and analysed & terms:
            out.append(html.escape(sentence[last:s]))
            out.append("<mark>" + html.escape(sentence[s:e]) + "</mark>")
            last = e
    out.append(html.escape(sentence[last:]))
    return "".join(out)


def _result(
    fields, score, dist, why, u: Understood, terms: set[str], taxonomy: tx.Taxonomy, applied: dict
) -> dict:
    p = json.loads(fields["payload"])
    docs = {d["doc"]: d for d in p.get("documents", [])}
    concept_terms = set(terms)
    for cid in u.concepts:
        c = taxonomy.concepts.get(cid)
        if c:
            for t in c.terms_de + (c.label_de,):
                concept_terms.update(german.stem(w) for w in german.words(t))
    # best evidence: own fact sentences that match the query, then mentions that do
    cands = []
    seen = set()
    for f in p["facts"]:
        ev = f["evidence"]
        if ev["sentence"] in seen:
            continue
        seen.add(ev["sentence"])
        hit = f["value"] in u.concepts
        cands.append((ev, 2.0 + (3.0 if hit else 0.0)))
    for ev in p.get("sentences", []):
        if ev["sentence"] not in seen:
            seen.add(ev["sentence"])
            cands.append((ev, 1.0))
    scored = []
    for ev, base in cands:
        words = set(german.analyze(ev["sentence"]))
        overlap = len(words & concept_terms)
        scored.append((overlap * 2 + base if concept_terms else base, ev.get("date") or "", ev))
    scored.sort(key=lambda x: (-x[0], x[1]), reverse=False)
    evidence = [
        _evidence_obj(ev, docs.get(ev["doc"], {}), concept_terms) for _, _, ev in scored[:3]
    ]

    def labels(facet):
        out = []
        for f in p["facts"]:
            if f["facet"] == facet:
                c = taxonomy.concepts.get(f["value"])
                lab = c.label_de if c else f["label"]
                if lab not in out:
                    out.append(lab)
        return out

    matched_concepts = [
        taxonomy.concepts[c].label_de
        for c in u.concepts
        if any(f["value"] == c for f in p["facts"])
    ]
    matched_words = sorted(
        {
            w
            for w in u.words
            if set(german.analyze(w))
            & set(german.analyze(" ".join(e["sentence"] for e in evidence)))
        }
    )
    why_list = []
    if matched_concepts:
        why_list.append("offers " + ", ".join(matched_concepts))
    if matched_words:
        why_list.append("evidence mentions " + ", ".join(matched_words))
    why_list.extend(why)
    if dist is not None:
        why_list.append(f"{dist:.0f} km away")
    for facet, vals in applied.items():
        if facet != "kind" and vals:
            why_list.append(f"filter {facet}: {', '.join(vals)}")
    contacts = [
        {k: c.get(k) or "" for k in ("person", "role", "phone", "fax", "email", "url")}
        for c in p.get("contacts", [])
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
        "capabilities": labels("capability"),
        "industries": labels("industry"),
        "certifications": labels("certification"),
        "contacts": contacts,
        "score": round(float(score), 4) if not math.isnan(score) else 0.0,
        "distance_km": round(dist, 1) if dist is not None else None,
        "evidence": evidence,
        "why": why_list,
    }
