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


# A photo credit ends its caption even without a full stop: "… und Erich Sommer. © Kunz Die
# Hochschule …" is two sentences, the credit staying with the caption.
_AFTER_CREDIT = re.compile(
    r"©\s*[A-ZÄÖÜ][\w.&-]*(?:\s+[A-ZÄÖÜ][\w.&-]*)?(?=\s+(?:Die|Der|Das|Den|Dem|Ein|Eine|Auch|"
    r"Im|In|Mit|Seit|Nach|Bei|Für|Am|Zum|Zur|Heute|Damit|Dabei|Wir|Er|Sie|Es)\s)"
)


def split(text: str) -> list[str]:
    if "©" in text:
        cuts = [m.end() for m in _AFTER_CREDIT.finditer(text)]
        if cuts:
            bounds = [0, *cuts, len(text)]
            return [
                p for a, b in zip(bounds[:-1], bounds[1:], strict=True) for p in _split(text[a:b])
            ]
    return _split(text)


def _split(text: str) -> list[str]:
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


MAX_SENTENCE = 1200  # characters; real sentences are far shorter, machine text is not


def _bounded(text: str) -> list[str]:
    """Split run-on machine text (tables flattened to prose, lists without full stops) into
    pieces of at most MAX_SENTENCE characters at spaces, and cut words no language has, so
    that extraction stays linear in the length of a document."""
    text = re.sub(r"\S{80,}", " ", text) if len(text) > 80 else text
    if len(text) <= MAX_SENTENCE:
        return [text]
    out, start = [], 0
    while start < len(text):
        end = min(len(text), start + MAX_SENTENCE)
        if end < len(text):
            cut = text.rfind(" ", start + MAX_SENTENCE // 2, end)
            end = cut if cut > start else end
        out.append(text[start:end].strip())
        start = end
    return [o for o in out if o]


def sentences(blocks: list[Block]) -> list[Sentence]:
    out = []
    for i, b in enumerate(blocks):
        if b.role in ("para", "title") and len(b.text) > 40:
            pieces = [p for s in split(b.text) for p in _bounded(s)]
        else:
            pieces = [
                p for line in b.text.split("\n") if line.strip() for p in _bounded(line.strip())
            ]
        for piece in pieces:
            out.append(Sentence(piece, i, b.role, b.page))
    return out
