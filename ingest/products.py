"""Product nouns purchasers type, German with English (data/products.csv).

They are words, not taxonomy concepts: "Zugfedern", "Hydraulikzylinder", "Zahnstangen" are
matched as words in facts and passages; the list lets an English query ("hydraulic cylinders")
ask for the German words, and lets the decompounder split them ("Zugfedern" → Federn).
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from . import german

DATA = Path(__file__).parent / "data" / "products.csv"


@cache
def english() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Folded English word sequence → German product words."""
    out: dict[tuple[str, ...], tuple[str, ...]] = {}
    if not DATA.exists():
        return out
    with DATA.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            de = tuple(w.strip() for w in (row.get("de") or "").split("|") if w.strip())
            for en in (row.get("en") or "").split("|"):
                key = tuple(german.fold(w) for w in en.split())
                if key and de:
                    out.setdefault(key, de)
    return out


def translate(words: list[str]) -> tuple[list[str], list[tuple[str, tuple[str, ...]]]]:
    """Split free query words into the remaining words and English product phrases.

    >>> translate(["hydraulic", "cylinders", "Erfurt"])
    (['Erfurt'], [('hydraulic cylinders', ('Hydraulikzylinder',))])
    """
    table = english()
    longest = max((len(k) for k in table), default=0)
    rest: list[str] = []
    found: list[tuple[str, tuple[str, ...]]] = []
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            key = tuple(german.fold(w) for w in words[i : i + n])
            if key in table:
                found.append((" ".join(words[i : i + n]), table[key]))
                i += n
                break
        else:
            rest.append(words[i])
            i += 1
    return rest, found
