"""The bilingual capability / industry / certification taxonomy (data in data/taxonomy.csv).

Terms are matched on analysed words (stems plus compound parts), so one German base form in the
data file finds its inflections and compounds, and English terms map purchasers' queries onto
the same concept ids as the German evidence.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import derived, german, lexicons

DATA = Path(__file__).parent / "data"
FACETS = ("capability", "industry", "certification", "material", "batch")


@dataclass(frozen=True)
class Concept:
    id: str
    facet: str
    parent: str
    label_de: str
    label_en: str
    terms_de: tuple[str, ...]
    terms_en: tuple[str, ...]
    code: str

    def label(self, lang: str = "de") -> str:
        return self.label_en if lang == "en" and self.label_en else self.label_de


@dataclass(frozen=True)
class ConceptMatch:
    concept: str
    start: int
    end: int
    text: str
    narrower: bool = False  # one word, matched by its compound head: "Zahnimplantate" ⊂ Implantate


_CERT = re.compile(
    r"\b(?:DIN\s+)?(?:EN\s+)?(?:ISO(?:/IEC|/TS)?|IATF|AS|EN|VDA)\s*(\d{3,5})(?:[-:]\d+)?(?::\d{4})?",
    re.I,
)


class Taxonomy:
    def __init__(self, concepts: list[Concept], index: tuple | None = None):
        self.concepts = {c.id: c for c in concepts}
        # first analysed word → (term word sequence, concept id, source, term words, language);
        # source 0 is a listed term, 1 a label. `index`: (that, certificate codes) as `tables`
        # built it, read from the cache folder by `load`
        self._index, self._cert_codes = index or _tables(concepts)

    def by_facet(self, facet: str) -> list[Concept]:
        return [c for c in self.concepts.values() if c.facet == facet]

    def ancestors(self, concept_id: str) -> list[str]:
        out = []
        seen = set()
        cur = self.concepts.get(concept_id)
        while cur and cur.parent and cur.parent not in seen:
            seen.add(cur.parent)
            out.append(cur.parent)
            cur = self.concepts.get(cur.parent)
        return out

    def match(self, text: str, document: str | None = None) -> list[ConceptMatch]:
        """Concepts stated in the text, longest term first, each span used once.

        A purchaser's query matches loosely (any umlaut spelling, English terms anywhere). A
        document's sentence (`document` = its language, "de" or "en") matches only what the
        term itself says: its own word, inflections and compounds with it as head, never a
        word that merely shares its stem ("im Raum Dresden" is no Räumen, "lag" no Lager, a
        "Mechatroniker" is a trade, not Mechatronik), and English terms only in English text.

        >>> t = load()
        >>> [m.concept for m in t.match("Wir sind im Raum Dresden tätig.", document="de")]
        []
        >>> [m.concept for m in t.match("Nutenräumen bis 20 mm", document="de")]
        ['cap.broaching']
        """
        # Offsets refer to the ellipsis-expanded text; they only drift by the few letters a
        # "Maschinen- und Fahrzeugbau" expansion adds, which is fine for locating the subject.
        expanded = german.expand_ellipsis(text)
        toks = german.tokens(expanded)
        # per word: its full stems first, then its compound parts (head first), so that
        # "Kleinserien" is batch.small before its head "Serien" is batch.series
        ordered: list[list[str]] = []
        whole: list[set[str]] = []  # per word: the stems of the word itself, not of its parts
        for word, _s, _e in toks:
            terms: list[str] = []
            whole.append(set())
            if not _PARTICIPLE.fullmatch(word):  # "aus verzinktem Stahl" describes a material
                word_pieces = german.pieces(word)
                terms.extend(pc.stem for pc in word_pieces)
                whole[-1].update(pc.stem for pc in word_pieces)
                # only a compound's head says what it is: "Schweißvorrichtungen" are fixtures
                for pc in word_pieces:
                    terms.extend(pc.parts[:1])
            ordered.append(list(dict.fromkeys(terms)))
        positions = [set(t) for t in ordered]
        found: list[ConceptMatch] = []
        used = [False] * len(toks)
        for i, terms in enumerate(ordered):
            if used[i]:
                continue
            best = None
            served = _SERVED.search(expanded[max(0, toks[i][1] - 40) : toks[i][1]]) is not None
            for rank, t in enumerate(terms):
                for seq, cid, source, surface, lang in self._index.get(t, ()):
                    n = len(seq)
                    if i + n > len(toks) or any(used[i : i + n]):
                        continue
                    if document is not None and not all(
                        _says(surface[k], seq[k], toks[i + k][0], lang, document, source, n)
                        for k in range(n)
                    ):
                        continue
                    if all(seq[k] in positions[i + k] for k in range(n)):
                        # a word that names both a trade and an industry ("Optik") is the
                        # industry after "für die", "Kunden aus der" …, else the trade
                        facet_pref = 0 if (self.concepts[cid].facet == "industry") == served else 1
                        key = (-n, rank, source, facet_pref, cid)
                        if best is None or key < best[3]:
                            best = (n, cid, t, key)
            if best:
                n, cid, t, _key = best
                for k in range(i, i + n):
                    used[k] = True
                s, e = toks[i][1], toks[i + n - 1][2]
                narrower = n == 1 and t not in whole[i]
                found.append(ConceptMatch(cid, s, e, expanded[s:e], narrower))
        for m in _CERT.finditer(text):
            cid = self._cert_codes.get(m.group(1))
            if cid and not any(f.concept == cid for f in found):
                found.append(ConceptMatch(cid, m.start(), m.end(), m.group(0)))
        return found


_PERSON_NOUN = tuple(lexicons.words("person_suffixes.txt"))  # str.endswith takes a tuple
_VERB_PREFIXES = ("", "ab", "an", "auf", "aus", "ein", "nach", "um", "vor", "zu", "ge", "abge", "ange", "aufge", "ausge", "einge", "nachge", "umge", "vorge", "zuge", "be", "ver", "zer", "über", "unter")  # fmt: skip
_DIGRAPHS = re.compile(r"ae|oe|(?<![aeiouq])ue")


def _umlauts(word: str) -> str:
    """Lowercase with ae/oe/ue written as umlauts and ß as ss: the letters that tell Raum
    from Räumen, whatever the spelling."""
    w = word.lower().replace("ß", "ss")
    return _DIGRAPHS.sub(lambda m: {"ae": "ä", "oe": "ö", "ue": "ü"}[m.group(0)], w)


@cache
def _common_nouns() -> frozenset[str]:
    return frozenset(german.fold(x.strip()) for x in lexicons.lines("common_nouns.txt"))


def everyday_word(word: str) -> bool:
    """An everyday German noun ("Entwicklung", "Räumen"): as part of a label it states no
    concept on its own; listed terms are chosen to."""
    return german.fold(word) in _common_nouns()


def _says(term: str, stem: str, word: str, lang: str, doc_lang: str, source: int, n: int) -> bool:
    """Whether a document's word states one term word, beyond sharing its stem."""
    if lang == "en" and doc_lang != "en":
        return False  # "zur Navigation springen" is no "springs"
    if source == 1 and n == 1 and everyday_word(term):
        return False  # a label part that is an everyday word ("Entwicklung") is no term
    if term[:1].isupper() and not word[:1].isupper():
        return False  # a noun is written as one: "lag" is no "Lager"
    if term[:1].islower():
        # a verb form starts the word, after at most a verb prefix ("abgekantet"), or is no
        # match: "Fragebogen" holds no "gebogen", "riskanter" no "kantet"
        core, w = _umlauts(term)[: len(stem)], _umlauts(word)
        if not any(w.startswith(p + core) for p in _VERB_PREFIXES):
            return False
    fw = german.fold(word)
    if fw.endswith(_PERSON_NOUN) and not german.fold(term).endswith(_PERSON_NOUN):
        return False  # "Mechatroniker", "Entwickler": people in a trade
    core = _umlauts(term)[: len(stem)]
    w = _umlauts(word).replace("-", "")
    if core and _umlauts(term).endswith("en") and w.endswith(_agent_nouns(core)):
        return False  # "Schweißer", "Fräser", "Schraubendreher": people and tools, not Schweißen
    return not core or core in w


def _agent_nouns(core: str) -> tuple[str, ...]:
    """The agent nouns of a verb's stem: dreh → Dreher, Drehern, Dreherin, Dreherinnen."""
    return tuple(core + e for e in ("er", "ern", "erin", "erinnen", "ers"))


_PARTICIPLE = re.compile(r"(?:ge|ver|be|ent|er|zer)[a-zäöüß]+t(?:e|em|en|er|es)")
_SERVED = re.compile(
    r"\b(für|fuer|Kunden|Branchen?|Abnehmer|beliefert|beliefern|beliefern|aus der|aus dem|Industrie)\b[^.;:]*$",
    re.I,
)


def _variants(term: str) -> list[str]:
    term = term.strip()
    if not term:
        return []
    if " / " in term:
        return [v for part in re.split(r"\s*/\s*", term) for v in _variants(part)]
    out = [term]
    if "-" in term and " " not in term:
        out.append(term.replace("-", " "))
    return out


def _split(v: str | None) -> tuple[str, ...]:
    return tuple(t.strip() for t in (v or "").split("|") if t.strip())


def _tables(concepts: list[Concept]) -> tuple[dict, dict]:
    """The term index (first analysed word → candidate terms, longest first) and the
    certificate numbers of the taxonomy."""
    index: dict[str, list[tuple[tuple[str, ...], str, int, tuple[str, ...], str]]] = {}
    for c in concepts:
        sources = (
            [(t, 0, "de") for t in c.terms_de]
            + [(t, 0, "en") for t in c.terms_en]
            + [(c.label_de, 1, "de"), (c.label_en, 1, "en")]
        )
        for term, source, lang in sources:
            for variant in _variants(term):
                surface = tuple(w.replace("-", "") for w in german.words(variant))
                seq = tuple(german.stem(w) for w in surface)
                if seq:
                    index.setdefault(seq[0], []).append((seq, c.id, source, surface, lang))
    # deterministic: longest term, then listed terms before labels, then id
    for key in index:
        best: dict[tuple, tuple] = {}
        for entry in index[key]:
            seq, cid, source = entry[:3]
            if (seq, cid) not in best or source < best[(seq, cid)][2]:
                best[(seq, cid)] = entry
        index[key] = sorted(best.values(), key=lambda x: (-len(x[0]), x[2], x[1]))
    cert_codes: dict[str, str] = {}
    for c in concepts:
        if c.facet == "certification":
            for d in re.findall(r"\d{3,5}", " ".join((c.code, c.label_de) + c.terms_de)):
                cert_codes.setdefault(d, c.id)
    return index, cert_codes


@cache
def load(path: Path | None = None) -> Taxonomy:
    path = path or DATA / "taxonomy.csv"
    concepts = []
    if path.exists():
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if not row.get("id") or row.get("facet") not in FACETS:
                    continue
                concepts.append(
                    Concept(
                        id=row["id"].strip(),
                        facet=row["facet"].strip(),
                        parent=(row.get("parent") or "").strip(),
                        label_de=(row.get("label_de") or "").strip(),
                        label_en=(row.get("label_en") or "").strip(),
                        terms_de=_split(row.get("terms_de")),
                        terms_en=_split(row.get("terms_en")),
                        code=(row.get("code") or "").strip(),
                    )
                )
    if path != DATA / "taxonomy.csv":
        return Taxonomy(concepts)
    return Taxonomy(concepts, derived.cached("taxonomy-index", lambda: _tables(concepts)))
