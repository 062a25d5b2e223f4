"""Spelling: "Präzisionsdrehtiele" → "Präzisionsdrehteile", "Feinwerktechnick" → "Feinwerktechnik".

A free word the index does not know is corrected to the closest word it does know — in names,
in the text fields (as stems) or in the taxonomy and gazetteer — and the search runs with the
correction, which is offered as "did you mean". Real words the corpus lacks ("Holzbearbeitung",
a compound of known parts) are left alone, so an empty answer stays empty; so is another form of
a known word ("Lieferung" is no typo of "liefert", "eigener" none of "eine"), and a long pasted
text gets at most `MAX_FIXES` corrections — prose is not a query full of typos.
"""

from __future__ import annotations

import functools
import hashlib
import json
import marshal
import re
import threading
from collections import Counter
from pathlib import Path

from whoosh import query as Q

from ingest import derived, german
from ingest import gazetteer as gz
from ingest import taxonomy as tx

from .query import Understood
from .store import keep_beside

#: at most this many words of one query are corrected
MAX_FIXES = 3
#: a stem shorter than this says too little to correct by ("eigener" → "eig" ≠ "ein")
MIN_STEM = 5


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
    time a query has a word that might be misspelt, so ordinary queries never pay for it; kept
    beside the index for its generation (`side`), so a cold process with a possible typo reads
    it in milliseconds instead of walking every term list again (0.6 s at 1,000 documents)."""

    def __init__(self, searcher, side: Path | None = None):
        self._searcher = searcher
        self._side = side
        self._lock = threading.Lock()
        self._words: dict[str, int] | None = None  # folded written word → weight
        self._written: dict[str, str] = {}  # folded → written form for "did you mean"
        self._stems: dict[str, int] = {}  # stem (or compound part) in the text → doc frequency
        self._indexed: set[str] = set()  # written words that occur in names

    def _load(self) -> None:
        with self._lock:
            if self._words is not None:
                return
            if self._side is not None:
                try:
                    self._words, self._written, self._stems, self._indexed = marshal.loads(
                        self._side.read_bytes()
                    )
                    return
                except (OSError, EOFError, ValueError, TypeError):
                    self._words = None
            self._build()
            if self._side is not None:
                keep_beside(self._side, marshal.dumps(
                    (self._words, self._written, self._stems, self._indexed)
                ))  # fmt: skip

    def _build(self) -> None:
        words: Counter = Counter()
        reader = self._searcher.reader()

        def learn(text: str, weight: int) -> None:
            for w in german.words(text):
                for piece in (pc.text for pc in german.pieces(w)):
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
        for name in gz.book().names(("region", "state", "district")):
            learn(name, 2)
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
            if source == 1 and len(typed) < MIN_STEM:
                continue
            limit = 1 if len(typed) < 10 else 2
            for cand, n in vocab.items():
                if cand[:1] != typed[:1] and cand[:2] != typed[1::-1]:
                    continue
                if source == 1 and (cand.startswith(typed) or typed.startswith(cand)):
                    continue  # the same stem with another ending: another form, not a typo
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


@functools.cache
def vocabulary_version() -> str:
    """What a kept vocabulary was derived with: this module's code and the data tables
    (taxonomy, gazetteer, stemmer) it learns from.

    >>> len(vocabulary_version())
    12
    """
    h = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=6)
    h.update(derived.version().encode())
    return h.hexdigest()


def correct_query(text: str, u: Understood, vocab: Vocabulary) -> tuple[str, dict[str, str]]:
    """The query with misspelt free words replaced, and what was replaced."""
    fixes: dict[str, str] = {}
    for w in u.words:
        if len(fixes) >= MAX_FIXES:
            break
        c = vocab.correct(w)
        if c and german.fold(c) != german.fold(w):
            fixes[w] = c
    if not fixes:
        return text, {}
    out = text
    for w, c in fixes.items():
        out = re.sub(r"(?<![\w-])" + re.escape(w) + r"(?![\w-])", c, out)
    return out, fixes
