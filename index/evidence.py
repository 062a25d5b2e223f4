"""Evidence-level scoring: how strongly one organization's names and sentences state one clause.

A fact the organization's own sentence states counts fully (a little less when the sentence says
it in other words than the purchaser's), the same words in a sentence without a fact count less,
a sentence that merely mentions the firm counts half, and every sentence counts less the more
organizations it names — so a firm whose own sentence says "Drehteile" beats one listed in the
same article. A name counts most: it is what a firm wants to be found for.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ingest import german
from ingest import taxonomy as tx

from .query import NOUN, Clause
from .weights import (
    QUALIFY,
    RECENCY_MAX,
    W_BY_KIND,
    W_DESCENDANT,
    W_FACT_OTHER_WORDS,
    W_MORE,
    W_NAME,
    W_NO_FACT,
    W_SYNONYM,
    W_SYNONYM_NO_FACT,
)

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


#: the sentence id of a name unit (no document, no sentence)
NO_SENTENCE = 0


@dataclass(eq=False)
class Unit:
    """One piece of evidence about one organization: its name or a sentence. Its terms are
    analysed when a query first needs them, so listing every organization analyses nothing.
    Units compare by identity: two firms' units of one sentence are still two units."""

    kind: str  # name | own | mention | passage | page
    sentence: str
    facts: frozenset[str]  # concept ids this sentence states for the organization
    covers: frozenset[str]  # those concepts and every broader one
    ev: dict  # the evidence record (doc, sentence, date, page)
    key: int = NO_SENTENCE  # `sentence_id` of (document, sentence): the same sentence elsewhere
    also: str = ""  # text that counts as part of it (networks its membership fact names)

    @functools.cached_property
    def terms(self) -> frozenset[str]:
        return analyse_evidence(f"{self.sentence} {self.also}".strip())

    def factor(self, shared: Counter | None = None) -> float:
        """Own sentence 1, mention ½, divided the more organizations the sentence names."""
        if self.kind == "name":
            return 1.0
        base = W_BY_KIND[self.kind]
        orgs = max(1, shared.get(self.key, 1)) if shared else 1
        return base / (1.0 + 0.5 * (orgs - 1))


class _Texts:
    """The texts of one profile's stored units (sentence, evidence record, extra text),
    unpickled the first time any of them is read: a query weighs every candidate's units by
    their terms and facts, but reads the sentences of the few it shows."""

    __slots__ = ("_packed", "_rows")

    def __init__(self, packed: bytes):
        self._packed = packed
        self._rows: list | None = None

    def row(self, i: int) -> tuple[str, dict, str]:
        if self._rows is None:
            self._rows = pickle.loads(self._packed)
        return self._rows[i]


class StoredUnit(Unit):
    """A unit read from the index: terms, facts and kind at once, its texts on first use."""

    def __init__(self, kind, facts, covers, key, terms, texts: _Texts, i: int):
        self.kind, self.facts, self.covers, self.key = kind, facts, covers, key
        self.__dict__["terms"] = terms  # the cached property, filled from the index
        self._texts, self._i = texts, i

    @property
    def sentence(self) -> str:  # type: ignore[override]
        return self._texts.row(self._i)[0]

    @property
    def ev(self) -> dict:  # type: ignore[override]
        return self._texts.row(self._i)[1]

    @property
    def also(self) -> str:  # type: ignore[override]
        return self._texts.row(self._i)[2]


class Units(list):
    """An organization's evidence units, with an index from analysed term (and from concept)
    to the units that hold it, so a clause looks up its few candidate units instead of
    testing every sentence; built on second use (see `matching_per_clause`), kept with the units in
    the searcher's cache."""

    uses = 0  # clauses answered by scanning, before the term index was worth building

    @functools.cached_property
    def postings(self) -> dict[str, tuple[int, ...]]:
        return self._inverted(lambda un: un.terms)

    @functools.cached_property
    def by_concept(self) -> dict[str, tuple[int, ...]]:
        return self._inverted(lambda un: un.covers)

    def _inverted(self, keys) -> dict[str, tuple[int, ...]]:
        out: dict[str, list[int]] = {}
        for i, un in enumerate(self):
            for k in keys(un):
                out.setdefault(k, []).append(i)
        return {k: tuple(v) for k, v in out.items()}


def sentence_key(ev: dict) -> tuple[str, str]:
    return (ev.get("doc") or "", " ".join((ev.get("sentence") or "").split()))


def sentence_id(key: tuple[str, str]) -> int:
    """A sentence's `sentence_key` as one 64-bit number, the same in every process: what a
    unit keeps to count the organizations one sentence names, without a copy of the sentence.

    >>> sentence_id(("a.txt", "Die Muster GmbH dreht.")) == sentence_id(("a.txt", "Die Muster GmbH dreht."))
    True
    >>> sentence_id(("", ""))
    0
    """
    if key == ("", ""):
        return NO_SENTENCE
    digest = hashlib.blake2b(f"{key[0]}\0{key[1]}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") or 1


@functools.lru_cache(maxsize=1 << 17)
def analyse_evidence(text: str) -> frozenset[str]:
    """Terms of a name or sentence (stems and compound parts), plus the same terms marked with
    NOUN where they come from a capitalised word. Cached: a page's sentences stand in the
    profile of every firm the page names (at 10k documents 82k units hold 16k sentences)."""
    out: set[str] = set()
    for w in german.words(german.expand_ellipsis(text, guess=True)):
        terms = set(german.word_terms(w))
        out |= terms
        if w[:1].isupper():
            out.update(NOUN + t for t in terms)
    return frozenset(out)


def units_of(p: dict) -> Units:
    """An organization's evidence (its profile payload) as analysed units: names, the sentences
    its facts come from, and the sentences that merely mention it."""
    taxonomy = tx.load()
    units = Units()
    names = list(dict.fromkeys([p.get("name", "")] + list(p.get("names") or [])))
    for n in names:
        if n:
            units.append(Unit("name", n, frozenset(), frozenset(), {}))
    own: dict[tuple[str, str], tuple[dict, set[str]]] = {}
    related: dict[tuple[str, str], list[str]] = {}  # sentence → networks it says the firm is in
    for f in p.get("facts", []):
        ev = f.get("evidence") or {}
        entry = own.setdefault(sentence_key(ev), (ev, set()))
        if f.get("value") in taxonomy.concepts:
            entry[1].add(f["value"])
        elif f.get("facet") == "member_of" and f.get("value"):
            related.setdefault(sentence_key(ev), []).append(str(f["value"]))
    for ct in p.get("contacts", []):
        ev = ct.get("evidence")
        if ev:
            own.setdefault(sentence_key(ev), (ev, set()))
    mentions: dict[tuple[str, str], dict] = {}
    for ev in p.get("sentences", []):
        key = sentence_key(ev)
        if key not in own:
            mentions.setdefault(key, ev)
    near: dict[str, dict[tuple[str, str], dict]] = {"passage": {}, "page": {}}
    for kind in near:
        for ev in p.get(kind + "s" if kind == "passage" else kind) or []:
            key = sentence_key(ev)
            if key not in own and key not in mentions and key not in near["passage"]:
                near[kind].setdefault(key, ev)
    for kind, items in (
        ("own", own.items()),
        ("mention", ((k, (e, set())) for k, e in mentions.items())),
        ("passage", ((k, (e, set())) for k, e in near["passage"].items())),
        ("page", ((k, (e, set())) for k, e in near["page"].items())),
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
                    frozenset(facts),
                    frozenset(covers),
                    ev,
                    sentence_id(key),
                    " ".join(related.get(key, [])),
                )
            )
    return units


# What an organization's analysed units depend on besides its payload: this module, the query
# module's NOUN mark, the German analysis and the data files it and the taxonomy read.
_UNIT_SOURCES = (
    Path(__file__),
    Path(__file__).with_name("query.py"),
    Path(german.__file__),
    Path(tx.__file__),
    Path(german.DATA) / "taxonomy.csv",
    Path(german.DATA) / "products.csv",
    Path(german.DATA) / "lexicon" / "common_nouns.txt",
    Path(german.DATA) / "lexicon" / "org_heads.txt",
)


@functools.lru_cache(maxsize=1)
def units_version() -> str:
    """Hash of the code and data that turn a payload into analysed units. Units stored with an
    index are used only while it matches, so changed analysis never scores with stale terms.

    >>> len(units_version())
    12
    """
    h = hashlib.sha1()
    for path in _UNIT_SOURCES:
        h.update(path.name.encode())
        h.update(path.read_bytes() if path.exists() else b"")
    return h.hexdigest()[:12]


def units_record(p: dict) -> bytes:
    """A profile payload's units, analysed, in the form stored with its index record: analysing
    at index time what no query changes spares every cold query the analysis of each candidate
    (at 10k documents, 500 candidates cost over a second to analyse). The analysis version, then
    compressed: what weighing needs (kind, facts, covers, sentence id, terms) pickled apart from
    the texts (sentence, evidence, extra text), which a query unpickles only for the firms it
    shows. Opaque bytes, so reading a record for anything else (the facet table reads every
    record) does not unpack its units.

    >>> record = units_record({"name": "Muster Drehteile GmbH"})
    >>> record[:12] == units_version().encode()
    True
    """
    units = units_of(p)
    weigh = [(u.kind, u.facts, u.covers, u.key, u.terms) for u in units]
    texts = pickle.dumps([(u.sentence, u.ev, u.also) for u in units], pickle.HIGHEST_PROTOCOL)
    packed = zlib.compress(pickle.dumps((weigh, texts), protocol=pickle.HIGHEST_PROTOCOL), 1)
    return units_version().encode() + packed


def units_from_record(record: bytes | None) -> Units | None:
    """The stored units again, or None when they were analysed by other code or are missing
    (then the caller analyses the payload itself). The record comes from the index, which is
    trusted like Whoosh's own pickled stored fields in the same folder.

    >>> again = units_from_record(units_record({"name": "Muster Drehteile GmbH"}))
    >>> again[0].kind, "drehteil" in again[0].terms, again[0].sentence
    ('name', True, 'Muster Drehteile GmbH')
    >>> units_from_record(b"stale-version" + zlib.compress(pickle.dumps([]))) is None
    True
    """
    version = units_version().encode()
    if not isinstance(record, bytes) or not record.startswith(version):
        return None
    weigh, packed = pickle.loads(zlib.decompress(record[len(version) :]))
    texts = _Texts(packed)
    units = Units()
    for i, (kind, facts, covers, key, terms) in enumerate(weigh):
        units.append(StoredUnit(kind, facts, covers, key, terms, texts, i))
    return units


def unit_weight(
    cl: Clause, un: Unit, shared: Counter | None = None, words: frozenset[str] | None = None
) -> float:
    """How strongly one name or sentence states one clause.

    A filed fact counts fully when the sentence also uses the purchaser's own word and a little
    less when it says it otherwise; the same words in a sentence without a fact count less; a
    name counts most, because a firm's name is what it wants to be found for.
    """
    terms = un.terms
    if words is not None and terms.isdisjoint(words):
        said = 0.0  # shares no word with any alternative (`words`: all of their terms)
    else:
        said = max((aw for alt, aw in cl.alternatives if terms.issuperset(alt)), default=0.0)
    if un.kind == "name":
        return W_NAME * said
    fact = 0.0
    if cl.concept and cl.concept in un.covers:
        fact = 1.0 if cl.concept in un.facts else W_DESCENDANT
    if not fact and said <= W_SYNONYM:
        # without a filed fact another term of the concept ("Maschinenbau" for "Pumpen") is a
        # weak sign: it counts in the firm's own sentences, not where it is merely named
        said *= W_SYNONYM_NO_FACT
    if not fact and not said:
        return 0.0  # what the formula below gives, without looking up how shared it is
    if fact:
        # the concept adds to the purchaser's word, it never replaces it: a fact stated in the
        # purchaser's own word counts fully, one stated in another term of the concept less
        own = max(
            (aw for alt, aw in cl.alternatives if aw > W_SYNONYM and terms.issuperset(alt)),
            default=0.0,
        )
        w = fact * (W_FACT_OTHER_WORDS + (1.0 - W_FACT_OTHER_WORDS) * max(own, 0.5 * said))
    else:
        w = (W_NO_FACT if cl.concept else 1.0) * said
    return w * un.factor(shared)


def matching_units(cl: Clause, units: list[Unit]) -> set[int]:
    """Indices of the units that share a word with the clause or state its concept: only they
    can weigh anything for it."""
    if not isinstance(units, Units):
        return set(range(len(units)))
    post = units.postings
    idx: set[int] = set()
    for t in cl.words():
        idx.update(post.get(t, ()))
    if cl.concept:
        idx.update(units.by_concept.get(cl.concept, ()))
    return idx


def matching_per_clause(clauses: list[Clause], units: list[Unit]) -> list[set[int]]:
    """`matching_units` of each clause. The first query that makes an organization a candidate
    scans its units; from the second on its term index answers (building that index costs a
    hundred scans, and a cold query over 500 candidates spent seconds on indexes most of which
    no later query reuses)."""
    if isinstance(units, Units) and units.uses < 1:
        units.uses += 1
        out: list[set[int]] = []
        for cl in clauses:
            words = cl.words()
            out.append(
                {
                    i
                    for i, un in enumerate(units)
                    if not un.terms.isdisjoint(words) or (cl.concept and cl.concept in un.covers)
                }
            )
        return out
    return [matching_units(cl, units) for cl in clauses]


def clause_strength(
    cl: Clause, units: list[Unit], shared: Counter | None = None, idx: set[int] | None = None
) -> tuple[float, float, Unit | None]:
    """(best single piece, that plus a little for further pieces, the best piece)."""
    if idx is None:
        idx = matching_units(cl, units)
    weights = sorted(((unit_weight(cl, units[i], shared, None), i) for i in idx), reverse=True)
    if not weights or weights[0][0] <= 0:
        return 0.0, 0.0, None
    best, i = weights[0]
    more = sum(w for w, _ in weights[1:4] if w >= QUALIFY)
    return best, best + W_MORE * more, units[i]


def recency(best: list[Unit | None], fi: dict) -> float:
    """Newer evidence wins at equal relevance (at most 4 %)."""
    dates = [(u.ev.get("date") or "")[:4] for u in best if u is not None and u.ev]
    dates = [d for d in dates if d.isdigit()] or [(fi.get("newest") or "")[:4]]
    year = max((int(d) for d in dates if d.isdigit()), default=None)
    if year is None:
        return 1.0
    return 1.0 + RECENCY_MAX * max(0.0, min(1.0, (year - 2000) / 25))
