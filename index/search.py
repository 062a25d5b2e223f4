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
import html
import json
import math
import re
import threading
import time
from collections import Counter, OrderedDict
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
    "und oder der die das den dem des ein eine einer eines in im bei aus von vom für fur mit nach nahe um rund raum region "
    "gegend umgebung firma firmen unternehmen hersteller lieferant lieferanten zulieferer anbieter suche gesucht "
    "and or the of for in near around at with from by to a an supplier suppliers manufacturer manufacturers "
    "company companies vendor vendors".split()
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

# --- how much each piece of evidence counts for one clause of the query
W_NAME = 1.2  # the organization's name says it ("Weber Drehteile" for "Drehteile")
W_OWN = 1.0  # a sentence the organization's facts come from
W_MENTION = 0.5  # a sentence that only names the organization
W_HEAD = 0.85  # the query compound's head ("Präzisionsdrehteile" → "Drehteile")
W_SYNONYM = 0.7  # another term of the same concept ("CNC-Drehen" for "Drehteile")
W_NO_FACT = 0.8  # a concept's words in a sentence the extraction did not file as a fact
W_DESCENDANT = 0.9  # a fact for a narrower concept (query "Zerspanung", fact "Drehen")
W_MODIFIER = 0.15  # a compound's modifier alone ranks, but never makes a match
W_NAME_PHRASE = 1.5  # every word typed is in the organization's name ("Optik Rathenow")
W_MORE = 0.1  # each further piece of evidence for the same clause (up to three)
NOUN = "^"  # marks a term that comes from a capitalised word (a noun) in the evidence
QUALIFY = 0.2  # the strength one clause needs for an organization to count as a match
# Certificates worth holding only for one industry: a firm certified to ISO 13485 supplies
# Medizintechnik even where no sentence says so (the descendant weight applies).
CERT_INDUSTRY = {
    "cert.iso13485": "ind.medical",
    "cert.en9100": "ind.aerospace",
    "cert.nadcap": "ind.aerospace",
    "cert.iatf16949": "ind.automotive",
    "cert.vda6": "ind.automotive",
    "cert.iso22163": "ind.rail",
    "cert.en15085": "ind.rail",
    "cert.aqap": "ind.defence",
}
# What a firm makes matters more than the material, batch size or certificate asked with it.
FACET_WEIGHT = {
    "capability": 1.0,
    "industry": 1.0,
    "certification": 0.8,
    "material": 0.6,
    "batch": 0.5,
}
CLOSED_FACTOR = 0.3
MAX_RERANK = 500  # candidates scored on their evidence (the best by Whoosh's own score)
MAX_CACHED = 5000  # organizations whose analysed evidence is kept between queries
# Heads too general to stand for a compound: "Holzbearbeitung" is not "Blechbearbeitung".
_GENERIC_HEADS = {
    "bearbeit", "fertig", "herstell", "verarbeit", "dienstleist", "leist", "konstruktion", "losung",
    "komponent", "element", "industri", "gerat", "anlag", "technik", "techn", "betrieb", "bedarf",
}  # fmt: skip


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
    corrections: dict[str, str] = field(default_factory=dict)  # typed word → corrected word


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
            u.places.append(_query_entry(entries))
            u.place_words.append(" ".join(toks[i : i + n]))
            for k in range(i, i + n):
                used[k] = True
            i += n
        else:
            i += 1
    rest = " ".join(t for t, k in zip(toks, used, strict=True) if not k)
    covered: set[str] = set()
    for cm in taxonomy.match(rest):
        covered.update(german.fold(w) for w in german.words(cm.text))
        if cm.concept not in u.concepts:
            u.concepts.append(cm.concept)
            u.concept_words.append(cm.text)
    u.words = [
        t
        for t, k in zip(toks, used, strict=True)
        if not k and german.fold(t) not in _STOP and german.fold(t) not in covered
    ]
    return u


def _query_entry(entries: list[gz.Entry]) -> gz.Entry:
    """A typed place name stands for the state or informal region of that name, else for the
    town (it has coordinates and knows its regions), and only last for a district record."""
    order = {"state": 0, "region": 1, "place": 2, "district": 3}
    return sorted(entries, key=lambda e: (order.get(e.kind, 4), -int(e.curated), -e.population))[0]


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


# --------------------------------------------------------------------------- spelling


def osa_distance(a: str, b: str, limit: int) -> int:
    """Edit distance counting a swap of neighbours as one edit ('drehtiele' → 'drehteile');
    stops early and returns limit + 1 once the distance must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


class Vocabulary:
    """The words the index and the taxonomy know. Read from the index's own term lists the first
    time a query has a word that might be misspelt, so ordinary queries never pay for it."""

    def __init__(self, searcher):
        self._searcher = searcher
        self._lock = threading.Lock()
        self._words: dict[str, int] | None = None  # folded written word → weight
        self._written: dict[str, str] = {}  # folded → written form for "did you mean"
        self._stems: dict[str, int] = {}  # stem (or compound part) in the text → doc frequency
        self._indexed: set[str] = set()  # written words that occur in names

    def _load(self) -> None:
        with self._lock:
            if self._words is not None:
                return
            words: Counter = Counter()
            reader = self._searcher.reader()

            def learn(text: str, weight: int) -> None:
                for w in german.words(text):
                    for piece in german._pieces(w):
                        if len(piece) >= 4 and piece.isalpha():
                            f = german.fold(piece)
                            words[f] += weight
                            self._written.setdefault(f, piece)

            for term in reader.field_terms("names"):  # words of names ("havel-optik" too)
                n = reader.doc_frequency("names", term)
                for part in {term, *term.split("-")}:
                    if len(part) >= 4 and part.isalpha():
                        words[part] += n
                        self._indexed.add(part)
            taxonomy = tx.load()
            for c in taxonomy.concepts.values():
                for term in c.terms_de + c.terms_en + (c.label_de, c.label_en):
                    learn(term, 2)
            for e in gz.load().entries:
                if e.kind != "place":
                    learn(e.place.name, 2)
            for fieldname in ("own", "mentioned", "name"):
                for term in reader.field_terms(fieldname):
                    if len(term) >= 4:
                        self._stems[term] = self._stems.get(term, 0) + reader.doc_frequency(
                            fieldname, term
                        )
            for w in list(words):
                self._stems.setdefault(german.stem(w), 1)
            self._words = dict(words)

    def knows(self, word: str) -> bool:
        self._load()
        assert self._words is not None
        return german.fold(word) in self._words or german.stem(word) in self._stems

    def correct(self, word: str) -> str | None:
        """The best known word within one edit (two for long words, then only after the first
        three letters), with the same first letter or the first two swapped; None when the word
        is known, a well-formed compound of known words, or nothing is close."""
        w = german.fold(word)
        if len(w) < 5 or not w.isalpha() or german.is_compound(word) or self.knows(word):
            return None
        assert self._words is not None
        found: list[tuple] = []
        for source, typed, vocab in ((0, w, self._words), (1, german.stem(word), self._stems)):
            limit = 1 if len(typed) < 10 else 2
            for cand, n in vocab.items():
                if cand[:1] != typed[:1] and cand[:2] != typed[1::-1]:
                    continue
                d = osa_distance(typed, cand, limit)
                if d > limit or (d == 2 and cand[:3] != typed[:3]):
                    continue
                # closest first; then what the index holds (names, text) before words only
                # the taxonomy or gazetteer knows ("Optick" → "Optik", not "optics")
                found.append(
                    (d, 0 if source == 1 or cand in self._indexed else 1, source, -n, cand)
                )
        for _d, _held, source, _n, cand in sorted(found)[:5]:
            written = (
                self._written_stem(cand)
                if source == 1
                else self._written.get(cand) or self._written_name(cand)
            )
            if written:
                return written
        return None

    def _written_name(self, folded: str) -> str | None:
        """A name word as written ("Uckermärker" for "uckermarker")."""
        for hit in self._searcher.search(Q.Term("names", folded), limit=1):
            for w in german.words(hit.get("name") or ""):
                if german.fold(w) == folded:
                    return w
        return None

    def _written_stem(self, stem: str) -> str | None:
        """A word as some sentence writes it, for a stem found in the text fields."""
        for fieldname in ("own", "mentioned", "name"):
            for hit in self._searcher.search(Q.Term(fieldname, stem), limit=3):
                p = json.loads(hit.get("payload") or "{}")
                texts = [p.get("name", "")] + [
                    (f.get("evidence") or {}).get("sentence", "") for f in p.get("facts", [])
                ]
                texts += [e.get("sentence", "") for e in p.get("sentences", [])]
                for text in texts:
                    for w in german.words(text):
                        if german.stem(w) == stem or stem in german.split_compound(w):
                            return w
        return None


def correct_query(text: str, u: Understood, vocab: Vocabulary) -> tuple[str, dict[str, str]]:
    """The query with misspelt free words replaced, and what was replaced."""
    fixes: dict[str, str] = {}
    for w in u.words:
        c = vocab.correct(w)
        if c and german.fold(c) != german.fold(w):
            fixes[w] = c
    if not fixes:
        return text, {}
    out = text
    for w, c in fixes.items():
        out = re.sub(r"(?<![\w-])" + re.escape(w) + r"(?![\w-])", c, out)
    return out, fixes


# --------------------------------------------------------------------------- clauses


@dataclass
class Clause:
    """One thing the purchaser asked for: a concept or a free word, with the analysed term
    combinations that state it and how strongly each counts."""

    label: str
    concept: str | None = None
    alternatives: list[tuple[tuple[str, ...], float]] = field(default_factory=list)
    idf: float = 1.0
    weight: float = 1.0  # by facet, see FACET_WEIGHT

    def add(self, terms: tuple[str, ...], weight: float) -> None:
        terms = tuple(t for t in terms if t)
        if not terms:
            return
        for i, (t, w) in enumerate(self.alternatives):
            if t == terms:
                if weight > w:
                    self.alternatives[i] = (t, weight)
                return
        self.alternatives.append((terms, weight))

    def terms(self) -> set[str]:
        return {t.lstrip(NOUN) for alt, _ in self.alternatives for t in alt}

    def strong_terms(self) -> set[str]:
        return {t.lstrip(NOUN) for alt, w in self.alternatives if w >= QUALIFY for t in alt}


def _word_alternatives(clause: Clause, word: str, weight: float = 1.0) -> None:
    """A word as typed, and the head of a compound it is (never a generic head alone). The
    head must be a noun in the evidence: "Zulieferverbund" is a Verbund, and "verbunden" —
    same stem, lower case — is not one."""
    for piece in german._pieces(word):
        clause.add((german.stem(piece),), weight)
        parts = german.split_compound(piece)
        for i, part in enumerate(parts):
            if i == 0 and part not in _GENERIC_HEADS:
                clause.add((NOUN + part,), weight * W_HEAD)
            else:
                clause.add((part,), W_MODIFIER)


def analyse_evidence(text: str) -> frozenset[str]:
    """Terms of a name or sentence (stems and compound parts), plus the same terms marked with
    NOUN where they come from a capitalised word."""
    out: set[str] = set()
    for w in german.words(german.expand_ellipsis(text)):
        terms = set()
        for piece in german._pieces(w):
            terms.add(german.stem(piece))
            terms.update(german.split_compound(piece))
        out |= terms
        if w[:1].isupper():
            out.update(NOUN + t for t in terms)
    return frozenset(out)


def _phrase_terms(phrase: str) -> tuple[str, ...]:
    return tuple(
        german.stem(w)
        for w in german.words(german.expand_ellipsis(phrase))
        if german.fold(w) not in _STOP
    )


def build_clauses(u: Understood, taxonomy: tx.Taxonomy) -> list[Clause]:
    clauses = []
    for cid, typed in zip(u.concepts, u.concept_words, strict=True):
        c = taxonomy.concepts[cid]
        cl = Clause(label=typed, concept=cid, weight=FACET_WEIGHT.get(c.facet, 1.0))
        words = german.words(typed)
        if len(words) == 1:
            _word_alternatives(cl, words[0])
        else:
            cl.add(_phrase_terms(typed), 1.0)
            for w in words:  # "feinmechanische" of "feinmechanische Fertigung" alone
                st = german.stem(w)
                if german.fold(w) not in _STOP and st not in _GENERIC_HEADS and len(st) >= 4:
                    cl.add((st,), W_HEAD)
        for term in c.terms_de + (c.label_de,):
            for variant in re.split(r"\s*/\s*", term):
                vw = [w for w in german.words(variant) if not w.isdigit()]  # not "2016"
                if len(vw) == 1:
                    cl.add((german.stem(vw[0]),), W_SYNONYM)
                elif vw:
                    cl.add(_phrase_terms(variant), W_SYNONYM)
        clauses.append(cl)
    for w in u.words:
        cl = Clause(label=w)
        _word_alternatives(cl, w)
        clauses.append(cl)
    return clauses


# --------------------------------------------------------------------------- evidence


@dataclass
class Unit:
    """One piece of evidence about one organization: its name or a sentence."""

    kind: str  # name | own | mention
    sentence: str
    terms: frozenset[str]
    facts: frozenset[str]  # concept ids this sentence states for the organization
    covers: frozenset[str]  # those concepts and every broader one
    ev: dict  # the evidence record (doc, sentence, date, page)
    key: tuple[str, str] = ("", "")  # (document, sentence): the same sentence in other profiles

    def factor(self, shared: Counter | None = None) -> float:
        """Own sentence 1, mention ½, divided the more organizations the sentence names."""
        if self.kind == "name":
            return 1.0
        base = W_OWN if self.kind == "own" else W_MENTION
        orgs = max(1, shared.get(self.key, 1)) if shared else 1
        return base / (1.0 + 0.5 * (orgs - 1))


def _sentence_key(ev: dict) -> tuple[str, str]:
    return (ev.get("doc") or "", " ".join((ev.get("sentence") or "").split()))


@dataclass
class Match:
    docnum: int
    score: float
    strengths: list[float]
    best: list[Unit | None]
    dist: float | None = None
    place_factor: float = 1.0
    closed: bool = False


# --------------------------------------------------------------------------- the directory


@dataclass
class _Cache:
    searcher: object
    info: dict  # docnum → facetinfo
    vocab: Vocabulary
    units: _Bounded = field(default_factory=lambda: _Bounded(MAX_CACHED))  # docnum → [Unit]
    payloads: _Bounded = field(default_factory=lambda: _Bounded(MAX_CACHED))  # docnum → dict


class _Bounded(OrderedDict):
    """A dict that forgets the least recently used entries beyond `size`."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def get(self, key, default=None):
        if key in self:
            self.move_to_end(key)
            return self[key]
        return default

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        if len(self) > self.size:
            self.popitem(last=False)


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
            self._cache = _build_cache(s)
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
        taxonomy = tx.load()
        filters, applied = _explicit_filters(taxonomy, capability, industry, certification, kind)
        region_entries = []
        for r in _as_list(region):
            e = gz.load().best(r)
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
        s = c.searcher
        base = Q.And(plan.filters)
        if plan.regions:
            base = Q.And(
                [base, Q.Or([Q.Term("region", _fold(e.place.name)) for e in plan.regions])]
            )
        if plan.clauses:
            textq = _retrieval_query(plan.clauses)
            res = s.search(textq, filter=base, limit=MAX_RERANK, scored=True)
            docnums = [hit.docnum for hit in res]
        else:
            docnums = list(s.docs_for_query(base))
        n_orgs = max(1, len(c.info))
        scored: list[Match] = []
        per_clause_df = [0] * len(plan.clauses)
        raw: list[tuple[int, list[float], list[float], list[Unit | None]]] = []
        candidates = {d: _units(c, d) for d in docnums if d in c.info}
        # how many candidates name each sentence: every organization named in a sentence that
        # matches the query is itself a candidate, so this counts exactly where it matters
        shared: Counter = Counter()
        for units in candidates.values():
            shared.update({un.key for un in units if un.kind != "name"})
        for d, units in candidates.items():
            strengths, totals, best = [], [], []
            for cl in plan.clauses:
                st, total, un = _clause_strength(cl, units, shared)
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
            m.score *= _recency(best, fi)
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
            keys = {german.fold(k) for k in fi.get("region") or []}
            name = german.fold(fi.get("name", ""))
            ok = False
            for entry, typed in plan.text_places:
                scope = [german.fold(k) for k in region_scope(entry)]
                if german.fold(typed) in name or any(k in keys for k in scope):
                    ok = True
                    m.place_factor = max(m.place_factor, _place_boost(fi, [entry]))
            if not ok:
                return False
            m.score *= m.place_factor
        if plan.near is not None:
            m.dist = _min_distance(fi.get("coords") or [], plan.near.place)
            if plan.radius_km is not None and (m.dist is None or m.dist > plan.radius_km):
                return False
            if m.dist is not None:
                if plan.clauses:
                    m.score /= 1.0 + m.dist / 50.0
                else:
                    m.score = 1.0 / (1.0 + m.dist)
            else:
                m.score *= 0.1  # place unknown: after every firm with a known distance
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
        why = _why(m, plan, u, taxonomy, applied, docs)
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
            "certifications": _labels(p, "certification", taxonomy),
            "contacts": contacts,
            "score": round(float(m.score), 4) if not math.isnan(m.score) else 0.0,
            "distance_km": round(m.dist, 1) if m.dist is not None else None,
            "evidence": evidence,
            "why": why,
        }

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


def _build_cache(s) -> _Cache:
    info = {}
    for docnum, fields in s.iter_docs():
        if fields.get("rtype") != "org":
            continue
        fi = dict(fields.get("facetinfo") or {})
        fi["id"] = fields["id"]
        fi["name"] = fields.get("name", "")
        info[docnum] = fi
    return _Cache(s, info, Vocabulary(s))


def _payload(c: _Cache, docnum: int) -> dict:
    p = c.payloads.get(docnum)
    if p is None:
        p = json.loads(c.searcher.stored_fields(docnum)["payload"])
        c.payloads[docnum] = p
    return p


def _units(c: _Cache, docnum: int) -> list[Unit]:
    """The organization's evidence, analysed once per searcher."""
    got = c.units.get(docnum)
    if got is not None:
        return got
    p = _payload(c, docnum)
    taxonomy = tx.load()
    units: list[Unit] = []
    names = list(dict.fromkeys([p.get("name", "")] + list(p.get("names") or [])))
    for n in names:
        if n:
            terms = analyse_evidence(n)
            units.append(Unit("name", n, terms, frozenset(), frozenset(), {}))
    own: dict[tuple[str, str], tuple[dict, set[str]]] = {}
    related: dict[tuple[str, str], list[str]] = {}  # sentence → networks it says the firm is in
    for f in p.get("facts", []):
        ev = f.get("evidence") or {}
        entry = own.setdefault(_sentence_key(ev), (ev, set()))
        if f.get("value") in taxonomy.concepts:
            entry[1].add(f["value"])
        elif f.get("facet") == "member_of" and f.get("value"):
            related.setdefault(_sentence_key(ev), []).append(str(f["value"]))
    for ct in p.get("contacts", []):
        ev = ct.get("evidence")
        if ev:
            own.setdefault(_sentence_key(ev), (ev, set()))
    mentions = {}
    for ev in p.get("sentences", []):
        key = _sentence_key(ev)
        if key not in own:
            mentions.setdefault(key, ev)
    for kind, items in (
        ("own", own.items()),
        ("mention", ((k, (e, set())) for k, e in mentions.items())),
    ):
        for key, (ev, facts) in items:
            sent = ev.get("sentence") or ""
            implied = {CERT_INDUSTRY[f] for f in facts if CERT_INDUSTRY.get(f) in taxonomy.concepts}
            covers = set(facts) | implied
            covers = covers.union(*(taxonomy.ancestors(f) for f in covers)) if covers else set()
            units.append(
                Unit(
                    kind,
                    sent,
                    analyse_evidence(sent + " " + " ".join(related.get(key, []))),
                    frozenset(facts),
                    frozenset(covers),
                    ev,
                    key,
                )
            )
    c.units[docnum] = units
    return units


def _unit_weight(cl: Clause, un: Unit, shared: Counter | None = None) -> float:
    """How strongly one name or sentence states one clause.

    A filed fact counts fully when the sentence also uses the purchaser's own word and a little
    less when it says it otherwise; the same words in a sentence without a fact count less; a
    name counts most, because a firm's name is what it wants to be found for.
    """
    said = max((aw for alt, aw in cl.alternatives if all(t in un.terms for t in alt)), default=0.0)
    if un.kind == "name":
        return W_NAME * said
    fact = 0.0
    if cl.concept and cl.concept in un.covers:
        fact = 1.0 if cl.concept in un.facts else W_DESCENDANT
    w = fact * (0.85 + 0.15 * said) if fact else (W_NO_FACT if cl.concept else 1.0) * said
    return w * un.factor(shared)


def _clause_strength(
    cl: Clause, units: list[Unit], shared: Counter | None = None
) -> tuple[float, float, Unit | None]:
    """(best single piece, that plus a little for further pieces, the best piece)."""
    weights = sorted(
        ((_unit_weight(cl, un, shared), i) for i, un in enumerate(units)), reverse=True
    )
    if not weights or weights[0][0] <= 0:
        return 0.0, 0.0, None
    best, i = weights[0]
    more = sum(w for w, _ in weights[1:4] if w >= QUALIFY)
    return best, best + W_MORE * more, units[i]


def _retrieval_query(clauses: list[Clause]) -> Q.Query:
    """Every organization that could match any clause; scoring happens on the evidence."""
    sub: list[Q.Query] = []
    for cl in clauses:
        if cl.concept:
            sub.append(Q.Term("concepts", cl.concept, boost=3.0))
        for t in cl.terms():
            sub.append(Q.Term("name", t, boost=3.0))
            sub.append(Q.Term("own", t, boost=1.5))
            sub.append(Q.Term("mentioned", t, boost=0.3))
    return Q.Or(sub)


def _recency(best: list[Unit | None], fi: dict) -> float:
    """Newer evidence wins at equal relevance (at most 4 %)."""
    dates = [(u.ev.get("date") or "")[:4] for u in best if u is not None and u.ev]
    dates = [d for d in dates if d.isdigit()] or [(fi.get("newest") or "")[:4]]
    year = max((int(d) for d in dates if d.isdigit()), default=None)
    if year is None:
        return 1.0
    return 1.0 + 0.04 * max(0.0, min(1.0, (year - 2000) / 25))


def _why(m: Match, plan: _Plan, u: Understood, taxonomy, applied: dict, docs: dict) -> list[str]:
    out: list[str] = []
    offered = []
    certified = []
    mentioned = []
    named = []
    for cl, st, un in zip(plan.clauses, m.strengths, m.best, strict=False):
        if un is None or st < QUALIFY:
            continue
        if cl.concept and cl.concept in un.covers:
            certs = [f for f in un.facts if CERT_INDUSTRY.get(f) == cl.concept]
            if certs and cl.concept not in un.facts:
                certified.extend(taxonomy.concepts[f].label_de for f in certs)
            else:
                offered.append(taxonomy.concepts[cl.concept].label_de)
        elif un.kind == "name":
            named.append(cl.label)
        else:
            mentioned.append(cl.label)
    if offered:
        out.append("offers " + ", ".join(dict.fromkeys(offered)))
    if certified:
        out.append("certified " + ", ".join(dict.fromkeys(certified)))
    if mentioned:
        out.append("evidence mentions " + ", ".join(dict.fromkeys(mentioned)))
    if named:
        out.append("name contains " + ", ".join(dict.fromkeys(named)))
    kinds = {
        un.kind
        for un, st in zip(m.best, m.strengths, strict=False)
        if un is not None and st >= QUALIFY
    }
    if kinds == {"mention"}:
        out.append("only mentioned alongside other organizations")
    if u.corrections:
        out.append(
            "spelling corrected: " + ", ".join(f"{a} → {b}" for a, b in u.corrections.items())
        )
    if plan.text_places:
        out.append("in or around " + ", ".join(e.place.name for e, _ in plan.text_places))
    if m.closed:
        out.append("reported closed: ranked last")
    if m.dist is not None and plan.near is not None:
        out.append(f"{m.dist:.0f} km away")
    for facet, vals in applied.items():
        if facet != "kind" and vals:
            out.append(f"filter {facet}: {', '.join(vals)}")
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
        e for e in gz.load().lookup(near) if e.place.lat is not None and e.place.lon is not None
    ]
    if not found:
        raise QueryError(f"unknown place '{near}' for --near")
    order = {"place": 0, "region": 1, "state": 2, "district": 3}
    return sorted(found, key=lambda e: (order.get(e.kind, 4), -int(e.curated), -e.population))[0]


def region_scope(e: gz.Entry) -> list[str]:
    """Region keys compatible with a place typed into the query.

    "… Glashütte" means Glashütte and its surroundings: the place, its municipality and the
    smallest informal region containing it (Osterzgebirge), whose members are also what an
    organization known only as "im Osterzgebirge" may be. Larger regions (Erzgebirge with the
    whole Erzgebirgskreis) and the district are too wide for "bei …"; exact places rank higher
    (see `_place_boost`). A region, district or state typed by name stands for itself.
    """
    if e.kind != "place":
        return [e.place.name]
    sizes = _region_sizes()
    regions = sorted(e.place.regions, key=lambda r: sizes.get(r, 0))
    near = [r for r in regions if sizes.get(r, 0) <= sizes.get(regions[0], 0)] if regions else []
    return list(dict.fromkeys(k for k in [e.place.name, e.place.municipality, *near] if k))


@functools.cache
def _region_sizes() -> dict[str, int]:
    """Number of places in each informal region of the gazetteer."""
    sizes: Counter = Counter()
    for e in gz.load().entries:
        if e.kind == "place":
            sizes.update(set(e.place.regions))
    return dict(sizes)


def _place_boost(fi: dict, entries: list[gz.Entry]) -> float:
    keys = {german.fold(k) for k in fi.get("region") or []}
    best = 1.0
    for e in entries:
        if e.kind != "place":
            continue
        if german.fold(e.place.name) in keys or german.fold(e.place.municipality or "") in keys:
            best = max(best, 1.3)
        elif any(german.fold(r) in keys for r in e.place.regions):
            best = max(best, 1.1)
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
