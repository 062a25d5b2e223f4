"""Query understanding: what a purchaser's words ask for.

Place and region words become a region constraint (place ⊂ Landkreis / informal region ⊂
Bundesland); taxonomy terms in German or English become concept ids; the remaining words stay
free words. Each concept or free word becomes a `Clause`: the analysed term combinations that
state it in evidence and how strongly each counts (the word as typed, the head of a compound it
is, other terms of the same concept, a compound's modifier which alone never makes a match).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest import gazetteer as gz
from ingest import german, products
from ingest import taxonomy as tx

from .weights import FACET_WEIGHT, QUALIFY, W_HEAD, W_MODIFIER, W_SYNONYM  # noqa: F401

MAX_QUERY_CHARS = 500
_STOP = set(
    "und oder der die das den dem des ein eine einer eines in im bei aus von vom für fur mit nach nahe um rund raum region "
    "gegend umgebung firma firmen unternehmen hersteller lieferant lieferanten zulieferer anbieter suche gesucht "
    "and or the of for in near around at with from by to a an supplier suppliers manufacturer manufacturers "
    "company companies vendor vendors maker makers producer producers provider providers".split()
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

NOUN = "^"  # marks a term that comes from a capitalised word (a noun) in the evidence
_SELLER_WORDS = ("hersteller", "herstellern", "zulieferer", "anbieter", "lieferant", "lieferanten", "produzent", "produzenten")  # fmt: skip
# Heads that name a seller or a firm, not a product ("Pumpenhersteller", "Optikunternehmen"):
# the modifier is what the purchaser wants
_SELLER_HEADS = {german.stem(w) for w in ("Hersteller", "Zulieferer", "Anbieter", "Lieferant", "Produzent", "Spezialist", "Fertiger", "Unternehmen", "Betrieb", "Firma")}  # fmt: skip
# Heads too general to stand for a compound: "Holzbearbeitung" is not "Blechbearbeitung".
_GENERIC_HEADS = {
    "bearbeit", "fertig", "herstell", "verarbeit", "dienstleist", "leist", "konstruktion", "losung",
    "komponent", "element", "industri", "gerat", "anlag", "technik", "techn", "betrieb", "bedarf",
    "maschin", "werkzeug", "system", "material", "produkt", "artikel", "ware", "teil", "bauteil",
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
    products: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # English → German


_SELLER_ASKED = frozenset(
    _SELLER_WORDS
    + ("firma", "firmen", "betrieb", "betriebe", "fertiger", "spezialist", "spezialisten")
    + ("supplier", "suppliers", "manufacturer", "manufacturers", "maker", "makers")
    + ("vendor", "vendors", "producer", "producers", "company", "companies")
)


def asks_for_sellers(text: str) -> bool:
    """Whether the purchaser asks for makers: a seller word alone or as a compound's head.

    >>> asks_for_sellers("Feinmechanik Zulieferer Medizintechnik"), asks_for_sellers("Pumpenhersteller")
    (True, True)
    >>> asks_for_sellers("Netzwerk Optik Thüringen")
    False
    """
    for w in german.words(text or ""):
        f = german.fold(w)
        if f in _SELLER_ASKED or f.endswith(_SELLER_WORDS):
            return True
    return False


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
    gaz = gz.book()
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
        if german.fold(cm.text).endswith(_SELLER_WORDS) and " " not in cm.text:
            # "Pumpenhersteller" typed by a purchaser asks for pump makers, not for the
            # machine-building industry the term stands for when a text names customers
            continue
        if cm.narrower and taxonomy.concepts[cm.concept].facet == "industry":
            # "Zahnimplantate" names a product whose head ("Implantate") stands for a whole
            # industry: a medical-technology firm is no maker of dental implants, so the word
            # is searched as a word and the industry does not stand in for it
            continue
        covered.update(german.fold(w) for w in german.words(cm.text))
        if cm.concept not in u.concepts:
            u.concepts.append(cm.concept)
            u.concept_words.append(cm.text)
    u.words = [
        t
        for t, k in zip(toks, used, strict=True)
        if not k and german.fold(t) not in _STOP and german.fold(t) not in covered
    ]
    u.words, u.products = products.translate(u.words)
    return u


def _query_entry(entries: list[gz.Entry]) -> gz.Entry:
    """A typed place name stands for the state or informal region of that name, else for the
    town (it has coordinates and knows its regions), and only last for a district record."""
    order = {"state": 0, "region": 1, "place": 2, "district": 3}
    return sorted(entries, key=lambda e: (order.get(e.kind, 4), -int(e.curated), -e.population))[0]


def _is_region_word(entries: list[gz.Entry]) -> bool:
    return any(e.kind in ("state", "region") for e in entries)


def _adjective_lookup(gaz: gz.PlaceBook, word: str) -> list[gz.Entry]:
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
    sizes = gz.book().region_sizes  # places per informal region
    regions = sorted(e.place.regions, key=lambda r: sizes.get(r, 0))
    near = [r for r in regions if sizes.get(r, 0) <= sizes.get(regions[0], 0)] if regions else []
    return list(dict.fromkeys(k for k in [e.place.name, e.place.municipality, *near] if k))


@dataclass
class Clause:
    """One thing the purchaser asked for: a concept or a free word, with the analysed term
    combinations that state it and how strongly each counts."""

    label: str
    concept: str | None = None
    alternatives: list[tuple[tuple[str, ...], float]] = field(default_factory=list)
    idf: float = 1.0
    weight: float = 1.0  # by facet, see FACET_WEIGHT
    _words: frozenset[str] | None = field(default=None, repr=False, compare=False)

    def add(self, terms: tuple[str, ...], weight: float) -> None:
        terms = tuple(t for t in terms if t)
        self._words = None  # the term set is derived from the alternatives
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

    def words(self) -> frozenset[str]:
        """Every analysed term of every alternative (cached: asked once per candidate)."""
        if self._words is None:
            self._words = frozenset(t for alt, _ in self.alternatives for t in alt)
        return self._words

    def strong_terms(self) -> set[str]:
        return {t.lstrip(NOUN) for alt, w in self.alternatives if w >= QUALIFY for t in alt}


def _word_alternatives(clause: Clause, word: str, weight: float = 1.0) -> None:
    """A word as typed, and the head of a compound it is (never a generic head alone). The
    head must be a noun in the evidence: "Zulieferverbund" is a Verbund, and "verbunden" —
    same stem, lower case — is not one."""
    pieces = german.pieces(word)
    for k, pc in enumerate(pieces):
        if k == 0 or pc.text == pieces[-1].text:
            # the word joined, and its last part: "CNC-Drehen" is Drehen
            clause.add((pc.stem,), weight if k == 0 else weight * W_HEAD)
        else:
            clause.add((pc.stem,), W_MODIFIER)  # "3D" of "3D-Druck" alone
        parts = pc.parts
        seller = bool(parts) and parts[0] in _SELLER_HEADS
        for i, part in enumerate(parts):
            if i == 0 and part not in _GENERIC_HEADS and not seller:
                clause.add((NOUN + part,), weight * W_HEAD)
            elif i == 1 and seller:
                # "Pumpenhersteller", "Federnzulieferer": who sells it is no word to match,
                # what is sold is
                clause.add((NOUN + part,), weight * W_HEAD)
            else:
                clause.add((part,), W_MODIFIER)


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
        # a product the purchaser named in English asks for its German words too, beside the
        # concept ("hydraulic cylinders" → Hydraulikzylinder, not only "Fluidtechnik")
        for g in products.english().get(tuple(german.fold(w) for w in words), ()):
            _word_alternatives(cl, g)
        for term in c.terms_de + (c.label_de,):
            for variant in re.split(r"\s*/\s*", term):
                vw = [w for w in german.words(variant) if not w.isdigit()]  # not "2016"
                if term == c.label_de and len(vw) == 1 and tx.everyday_word(vw[0]):
                    continue  # label part "Räumen" is no synonym of broaching: "im Raum …"
                if len(vw) == 1:
                    cl.add((german.stem(vw[0]),), W_SYNONYM)
                elif vw:
                    cl.add(_phrase_terms(variant), W_SYNONYM)
        clauses.append(cl)
    for w in u.words:
        cl = Clause(label=w)
        _word_alternatives(cl, w)
        clauses.append(cl)
    for typed, german_words in u.products:
        # "hydraulic cylinders": the English words and the German product nouns they name
        cl = Clause(label=typed)
        cl.add(_phrase_terms(typed), 1.0)
        for g in german_words:
            _word_alternatives(cl, g)
        clauses.append(cl)
    return clauses
