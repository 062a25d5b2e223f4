"""Sentence splitting for German business prose, where abbreviations are everywhere."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .records import Block

_ABBREV = {
    "z", "b", "u", "a", "v", "m", "dr", "prof", "dipl", "ing", "nr", "str", "tel", "fax", "ca", "bzw", "usw", "inkl",
    "ggf", "vgl", "evtl", "co", "st", "mio", "mrd", "jh", "jhd", "abs", "bspw", "d", "h", "e", "k", "gmbh",
    "kfm", "hr", "fr", "mr", "mrs", "ltd", "inc", "etc", "ff", "i", "s", "o", "zzgl", "max", "min", "mind", "geb",
    "gem", "ehem", "zt", "tsd", "allg", "rd", "mwst", "ag", "kg", "ug", "ev", "eg", "bzgl", "lt", "sog",
    "stellv", "betr", "verw", "dt", "engl", "frz", "gegr", "insb", "okt", "nov", "dez", "jan", "feb", "mär", "apr",
    "jun", "jul", "aug", "sep", "sept", "uvm", "ua", "fa", "hrsg", "mitgl",
}  # fmt: skip
_BOUNDARY = re.compile(r"([.!?]+[\"“”»«)]*)\s+(?=[\"„“»«(]?[A-ZÄÖÜ0-9])")


@dataclass
class Sentence:
    text: str
    block: int
    role: str
    page: int | None


def split(text: str) -> list[str]:
    out: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        end = m.end(1)
        before = text[start:end]
        word = re.search(r"([\wäöüÄÖÜß]+)\.+[\"“”»«)]*$", before)
        if word:
            w = word.group(1).lower()
            if w in _ABBREV or len(w) == 1:
                continue
            # ordinal or date ("am 2. Juni", "1. Vorsitzender")
            if w.isdigit() and len(w) <= 2:
                continue
        piece = text[start:end].strip()
        if piece:
            out.append(piece)
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def sentences(blocks: list[Block]) -> list[Sentence]:
    out = []
    for i, b in enumerate(blocks):
        if b.role in ("para", "title") and len(b.text) > 40:
            for s in split(b.text):
                out.append(Sentence(s, i, b.role, b.page))
        else:
            for line in b.text.split("\n"):
                if line.strip():
                    out.append(Sentence(line.strip(), i, b.role, b.page))
    return out
