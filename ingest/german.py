"""German word analysis shared by extraction (taxonomy matching) and the index (Whoosh analyzer).

One implementation for both sides matters: a term is found in a sentence at ingest exactly when
the same term typed as a query finds that sentence.

- Spelling: Snowball German (PyStemmer ≥ 3) folds ä/ae, ö/oe, ü/ue and ß/ss inside the stem, so
  Präzision = Praezision = Prazision and Glashütte = Glashuette = Glashütter.
- Inflection: the same stemmer (Drehteile/Drehteil, Zulieferer/Zulieferern).
- Compounds: a dictionary decompounder over the project's own lexicon (taxonomy terms and common
  nouns), in the spirit of Lucene's DictionaryCompoundWordTokenFilter: "Präzisionsdrehteile"
  also yields "drehteil" and "prazision".
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import Stemmer

from . import derived, lexicons

DATA = Path(__file__).parent / "data"

_stemmer = Stemmer.Stemmer("german")
_WORD = re.compile(r"[0-9A-Za-zÀ-ÖØ-öø-ÿĀ-ſ]+(?:[-'][0-9A-Za-zÀ-ÖØ-öø-ÿĀ-ſ]+)*")

# Parts too generic to stand for a compound on their own; they would make every "…teile" firm
# match a query for "Teile".
_TOO_GENERIC = {
    "teil", "bau", "werk", "tech", "stoff", "art", "ung", "stell", "halt", "lage", "gang", "stand", "zeug", "arbeit",
    "satz", "weis", "lich", "techn", "technik", "industri", "branch", "wirtschaft",
    "bereich", "system", "produkt", "anlag", "servic", "verband", "netzwerk", "zentrum", "grupp", "entwickl",
    "leistung", "projekt", "programm", "region", "standort", "markt", "kund", "partn", "verein",
}  # fmt: skip
# Linking elements (Fugenelemente) between compound parts.
_LINKS = ("s", "es", "n", "en", "e", "er")


_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
_DIGRAPH = re.compile(r"ae|oe|(?<![aeiouq])ue")


@lru_cache(maxsize=500_000)
def fold(text: str) -> str:
    """Lowercase and fold umlauts and ß the way Lucene's GermanNormalizationFilter does."""
    t = text.lower().translate(_UMLAUTS)
    if "e" in t:
        t = _DIGRAPH.sub(lambda m: m.group(0)[0], t)
    return t


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Stem of one word (any case, any umlaut spelling)."""
    w = word.lower()
    s = _stemmer.stemWord(w)
    return fold(s)


def words(text: str) -> list[str]:
    """Word tokens; hyphenated compounds are kept whole ("CNC-Drehen") and also handled by
    `expand_hyphens` for matching."""
    return _WORD.findall(text)


def tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text)]


@cache
def lexicon() -> frozenset[str]:
    """Stems of the words compounds are split into: taxonomy terms, heads and common nouns.
    Built once per data version and kept in the cache folder (`ingest.derived`).

    >>> {"dreh", "fed", "drehteil"} <= lexicon()
    True
    """
    return derived.cached("lexicon", _build_lexicon)


def _build_lexicon() -> frozenset[str]:
    stems: set[str] = set()

    def add(word: str) -> None:
        for w in re.split(r"[\s/\-]+", word):
            if len(w) >= 4 and w[:1].isalpha():
                stems.add(stem(w))

    tax = DATA / "taxonomy.csv"
    if tax.exists():
        with tax.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                for term in (row.get("terms_de") or "").split("|") + [row.get("label_de") or ""]:
                    if " " not in term.strip():
                        add(term)
    for name in ("common_nouns.txt", "org_heads.txt"):
        for line in lexicons.lines(name):
            line = line.split("\t")[0].strip()
            if line[:1].isupper() and " " not in line:
                add(line)
    # product nouns purchasers type (data/products.csv) split compounds too: "Zugfedern"
    short: set[str] = set()
    products = DATA / "products.csv"
    if products.exists():
        with products.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                for w in (row.get("de") or "").split("|"):
                    w = w.strip()
                    if len(w) >= 5:
                        add(w)
                        short.add(stem(w))  # "Federn" stems to "fed": kept although short
    stems.update(_BUILTIN_PARTS)
    return frozenset(
        s for s in stems if (len(s) >= 4 or s in short) and len(s) >= 3 and s not in _TOO_GENERIC
    )


# A few parts every compound-rich supplier text needs, also when the data files are edited.
_BUILTIN_PARTS = {
    stem(w)
    for w in "Präzision Dreh Drehteile Frästeile Teile Getriebe Baugruppen Montage Kabel Konfektion "
    "Mechanik Technik Metall Optik Elektronik Armaturen Fertigung Bearbeitung Maschinenbau "
    "Fahrzeugbau Werkzeugbau Formenbau Gerätebau Metallbau Stahlbau Industrie Medizintechnik "
    "Feinmechanik Zerspanung Schleifen Fräsen Drehen Guss Blech Laser Schweißen Härten Galvanik "
    "Oberfläche Beschichtung Kunststoff Spritzguss Messtechnik Automation Teile Zulieferer".split()
}


@lru_cache(maxsize=200_000)
def split_compound(word: str) -> tuple[str, ...]:
    """Stems of the known parts inside a compound, head first; empty if nothing is known.

    The head (last part) is what the compound *is* ("Präzisionsdrehteile" are Drehteile), so it
    is found as the longest known suffix; the rest is split again for modifiers.
    """
    w = word.lower().replace("-", "")
    if len(w) < 7:
        return ()
    lex = lexicon()
    parts: list[str] = []
    rest = w
    while len(rest) >= 7:
        head = None
        for i in range(3, len(rest) - 3):
            s = stem(rest[i:])
            if s in lex:
                head = (i, s)
                break
        if head is None:
            break
        i, s = head
        # of two complete readings the one with the longer first word: "Maschinenbau|unternehmen",
        # not "Maschinen|bauunternehmen"; "Edelstahl|rohre", not "Edel|stahlrohre"
        if _known_modifier(rest[:i], lex):
            for j in range(len(rest) - 4, i, -1):
                sj = stem(rest[j:])
                if sj in lex and _known_modifier(rest[:j], lex):
                    i, s = j, sj
                    break
        parts.append(s)
        rest = rest[:i]
        # the modifier itself, with or without its linking element
        for link in ("",) + _LINKS:
            if link and not rest.endswith(link):
                continue
            base = rest[: len(rest) - len(link)] if link else rest
            if len(base) >= 4 and stem(base) in lex:
                parts.append(stem(base))
                return tuple(dict.fromkeys(parts))
    return tuple(dict.fromkeys(parts))


def _known_modifier(rest: str, lex: frozenset[str]) -> bool:
    """Whether `rest` is one known word, with or without its linking element."""
    for link in ("",) + _LINKS:
        if link and not rest.endswith(link):
            continue
        base = rest[: len(rest) - len(link)] if link else rest
        if len(base) >= 4 and stem(base) in lex:
            return True
    return False


def is_compound(word: str) -> bool:
    """True when the word splits completely into known words ("Unternehmenskooperationen"):
    a common noun, never a proper name."""
    w = word.lower().replace("-", "")
    known = lexicon() | _GENERIC_STEMS
    for i in range(3, len(w) - 3):
        if stem(w[i:]) in known:
            rest = w[:i]
            for link in ("",) + _LINKS:
                if link and not rest.endswith(link):
                    continue
                base = rest[: len(rest) - len(link)] if link else rest
                if len(base) >= 3 and (stem(base) in known or base in known):
                    return True
    return False


_GENERIC_STEMS = frozenset(_TOO_GENERIC)

_ELLIPSIS = re.compile(
    r"\b([A-ZÄÖÜa-zäöüß][\wäöüß]*)-\s+(und|oder|sowie|bzw\.|&)\s+([A-ZÄÖÜa-zäöüß][\wäöüß]*)"
)


def expand_ellipsis(text: str, guess: bool = False) -> str:
    """'Maschinen- und Fahrzeugbau' → 'Maschinenbau und Fahrzeugbau', so each half is a word.

    The shared head is the shortest known suffix of the second word. Where no suffix is known
    ("Hüft- oder Kniegelenke"), `guess` adds the first part joined to every possible head of
    the second word: search wants "Hüftgelenke" to be found and a wrong guess is a term no
    purchaser types, while extraction (no guessing) files no fact from a guessed word.

    >>> expand_ellipsis("Hüft- oder Kniegelenke")
    'Hüft- oder Kniegelenke'
    >>> "Hüftgelenke" in expand_ellipsis("Hüft- oder Kniegelenke", guess=True)
    True
    >>> "Tiefziehwerkzeuge" in expand_ellipsis("Tiefziehformen und -werkzeuge")
    True
    """

    def repl(m: re.Match) -> str:
        first, conj, second = m.groups()
        low = second.lower()
        lex = lexicon()
        head = None
        for i in range(len(low) - 3, 2, -1):
            if stem(low[i:]) in lex or stem(low[i:]) in _TOO_GENERIC:
                head = second[i:]
                break
        if head is None:
            if not guess:
                return m.group(0)
            guesses = " ".join(first + second[i:].lower() for i in range(2, len(second) - 3))
            return f"{m.group(0)} {guesses}" if guesses else m.group(0)
        # the truncated word stays too, so "Armaturen" finds "Armaturen- und Maschinenbau"
        return f"{first} {first}{head} {conj} {second}"

    def back(m: re.Match) -> str:
        # "Tiefziehformen und -werkzeuge" → "… und Tiefziehwerkzeuge": the first word's
        # modifier is shared
        first, conj, second = m.groups()
        low = first.lower()
        lex = lexicon()
        for i in range(3, len(low) - 2):
            if stem(low[i:]) in lex or stem(low[i:]) in _TOO_GENERIC:
                return f"{first} {conj} {first[:i]}{second.lower()}"
        if guess:
            guesses = " ".join(first[:i] + second.lower() for i in range(3, len(first) - 2))
            return f"{first} {conj} {guesses}" if guesses else m.group(0)
        return m.group(0)

    text = _ELLIPSIS.sub(repl, text)
    if " -" in text:
        text = _BACK_ELLIPSIS.sub(back, text)
    return text


_BACK_ELLIPSIS = re.compile(
    r"\b([A-ZÄÖÜ][\wäöüß]{4,})\s+(und|oder|sowie|bzw\.|&)\s+-([a-zäöüß][\wäöüß]{2,})"
)


@dataclass(frozen=True)
class Piece:
    """One analysable piece of a word: the word itself (hyphens joined), or a part of a
    hyphenated word, with its stem and the stems of its known compound parts (head first)."""

    text: str
    stem: str
    parts: tuple[str, ...]


@lru_cache(maxsize=200_000)
def pieces(word: str) -> tuple[Piece, ...]:
    """The one analysis of a word that extraction, taxonomy, index and query share.

    >>> [(p.text, p.stem, p.parts) for p in pieces("CNC-Drehteile")][:2]
    [('CNCDrehteile', 'cncdrehteil', ('drehteil',)), ('CNC', 'cnc', ())]
    """
    return tuple(Piece(p, stem(p), split_compound(p)) for p in _pieces(word))


def word_terms(word: str) -> tuple[str, ...]:
    """Every term a word stands for in the index: each piece's stem, then its compound parts."""
    out: list[str] = []
    for pc in pieces(word):
        out.append(pc.stem)
        out.extend(pc.parts)
    return tuple(dict.fromkeys(t for t in out if t))


def analyze(text: str) -> list[str]:
    """Terms for one text: stems plus compound parts (what the index stores)."""
    out: list[str] = []
    for w in words(expand_ellipsis(text)):
        for pc in pieces(w):
            out.append(pc.stem)
            out.extend(pc.parts)
    return out


def _pieces(word: str) -> list[str]:
    """A hyphenated word stands for itself joined and for its parts ("CNC-Drehteile")."""
    if "-" not in word:
        return [word]
    parts = [p for p in word.split("-") if p]
    # "Metall-3D-Druck" is also a "3D-Druck": joined tails count as words of their own
    tails = ["".join(parts[k:]) for k in range(1, len(parts) - 1)]
    return ["".join(parts)] + tails + parts
