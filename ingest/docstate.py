"""What one document has said so far, and the small helpers every extraction stage shares.

`DocState` holds a document's sentences, the places found in each, and the organizations named
so far (`mentions`, keyed by normalized name, with `alias` for every surface form), so that the
name passes, the attribution stages (`ingest.attribute`) and the passage and dateline passes
(`ingest.extract`) all speak of the same `Mention` objects.
"""

from __future__ import annotations

import re

from . import gazetteer as gz
from . import german, orgs
from . import taxonomy as tx
from .records import Document, Evidence, Fact, Mention, Place
from .sentences import Sentence, sentences

OBJECT_BEFORE = re.compile(
    r"(\ban\b|\bfür\b|\bKunden\w*|\bwie\b|\bvon\b|\bmit\b|\bgegen\b|\büber\b|\bGast\b"
    # "In jedem X stecken Teile aus …": the firm's products, where its parts go
    r"|\b[Ii]n\s+(?:jedem|jeder|jedes|allen|vielen))\s+(?:(?:die|den|der|das|dem|des|die\s+Firma|der\s+Firma)\s+)?$"
)
# "Auch die Meyer-Werft und Konzerne wie BASF gehören zu den Kunden.": the firms named are the
# customers of the one the text is about, which stays its subject ("das Unternehmen" next)
NAMED_AS_CUSTOMERS = re.compile(
    r"\b(?:gehör\w*|zähl\w*)\s+(?:auch\s+|ebenfalls\s+)?zu\s+(?:den|seinen|ihren|unseren)\s+"
    r"(?:\w+\s+)?(?:Kunden|Abnehmern|Auftraggebern|Stammkunden)\b"
    # "Im Autosegment ist Bosch eindeutig der größte Kunde."
    r"|\b(?:ist|sind|bleibt|bleiben|war|waren)\s+(?:[\w.-]+\s+){0,6}?(?:der|die|ein|eine|einer)\s+"
    r"(?:größte\w*|wichtigste\w*|bedeutendste\w*)\s+(?:Kunden?|Abnehmer|Auftraggeber)\b"
    r"|\b(?:Hauptkunden?|Hauptabnehmer|Großkunden?)\s+(?:ist|sind|bleibt|war)\b"
)


class DocState:
    """What the document has said so far: places for homonyms, names for later mentions."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.gaz = gz.load()
        self.tax = tx.load()
        self.sents: list[Sentence] = sentences(doc.blocks)
        self.place_matches: list[list[gz.PlaceMatch]] = [self.gaz.find(s.text) for s in self.sents]
        # the first distinct unambiguous places are context enough to settle homonyms
        unambiguous = list(
            {
                id(m.candidates[0]): m.candidates[0]
                for ms in self.place_matches
                for m in ms
                if len(m.candidates) == 1
            }.values()
        )[:50]
        for ms in self.place_matches:
            for m in ms:
                m.chosen = self.gaz.choose(m.candidates, unambiguous)
        self.place_words = {
            german.fold(e.place.name) for ms in self.place_matches for m in ms for e in m.candidates
        } | {german.fold(w) for ms in self.place_matches for m in ms for w in german.words(m.text)}
        self.place_adjs = {
            german.fold(m.text) for ms in self.place_matches for m in ms if m.form == "adjective"
        }
        self.mentions: dict[str, Mention] = {}
        self.alias: dict[str, str] = {}  # folded surface → mention key


def name_key(name: str) -> str:
    return orgs.normalize_name(name)


def mention(ctx: DocState, h: orgs.OrgHit, s: Sentence) -> Mention:
    full = h.alias_of or h.name
    key = ctx.alias.get(german.fold(full)) or name_key(full)
    m = ctx.mentions.get(key)
    if m is None:
        m = Mention(name=full, kind=h.kind or "company", doc=ctx.doc.id, confidence=h.confidence)
        ctx.mentions[key] = m
    ctx.alias[german.fold(full)] = key
    ctx.alias[german.fold(h.name)] = key
    if h.name not in m.names:
        m.names.append(h.name)
    if h.kind and (m.kind == "company" and h.kind != "company" and h.rule in ("legal", "head")):
        m.kind = h.kind
    if h.confidence > m.confidence:
        m.confidence = h.confidence
    if len(strip_legal(full)) > len(strip_legal(m.name)) or (
        "GmbH" in full and "GmbH" not in m.name
    ):
        m.name = full
    ev = evidence(ctx, s)
    if not m.sentences or m.sentences[-1].sentence != ev.sentence:
        m.sentences.append(ev)
    return m


def strip_legal(n: str) -> str:
    return orgs._LEGAL_RE.sub("", n).strip()


def evidence(ctx: DocState, s: Sentence) -> Evidence:
    return Evidence(doc=ctx.doc.id, sentence=s.text[:600], date=ctx.doc.date, page=s.page)


def mention_of(ctx: DocState, h: orgs.OrgHit) -> Mention:
    key = ctx.alias.get(german.fold(h.alias_of or h.name)) or name_key(h.alias_of or h.name)
    return ctx.mentions[key]


# the rest of a product word, then "von": "Messsystem|en von Confovis"
_MADE_BY = re.compile(r"[\wäöüß-]*\s+von\s+(?:der\s+|dem\s+|den\s+)?(?:Firma\s+)?")


def is_object(text: str, h: orgs.OrgHit) -> bool:
    return bool(OBJECT_BEFORE.search(text[: h.start]))


def subjects(hits: list[orgs.OrgHit], text: str, pos: int) -> list[orgs.OrgHit]:
    """The organization(s) a fact at `pos` is about, within one sentence."""
    cands = [h for h in hits if h.kind not in ("media",)]
    if not cands:
        return []
    left = [h for h in cands if h.end <= pos]
    right = [h for h in cands if h.start >= pos]
    chosen = None
    subj_left = [h for h in left if not is_object(text, h)]
    if all(is_object(text, h) for h in cands):
        # "In jedem X stecken Teile aus …", "Baugruppen, verbaut in Möbeln von X": the firms
        # named are where the goods go — except the maker in "Messsystemen von X", where the
        # goods stand right before it
        makers = [h for h in right if _MADE_BY.fullmatch(text[pos : h.start])]
        return makers[:1]
    if subj_left:
        chosen = subj_left[-1]
    elif left and not right:
        chosen = left[-1]
    else:
        subj_right = [h for h in right if not is_object(text, h)]
        chosen = (subj_right or right or left or [None])[0]
    if chosen is None:
        return []
    if chosen.group >= 0:
        return [h for h in cands if h.group == chosen.group]
    return [chosen]


def place_of(e: gz.Entry) -> Place:
    p = e.place
    return Place(p.name, p.municipality, p.district, p.state, list(p.regions), p.lat, p.lon)


def absorb(ctx: DocState, part: Mention, whole: Mention) -> None:
    """Fold a mention into another: its names become aliases, its facts the other's."""
    for key, m in list(ctx.mentions.items()):
        if m is part:
            del ctx.mentions[key]
            for alias, k in list(ctx.alias.items()):
                if k == key:
                    ctx.alias[alias] = next(k2 for k2, m2 in ctx.mentions.items() if m2 is whole)
    whole.names.extend(n for n in [part.name, *part.names] if n not in whole.names)
    for f in part.facts:
        add_fact(
            whole,
            Fact("site" if f.facet == "place" else f.facet, f.value, f.label, f.evidence, f.place),
        )
    whole.sentences.extend(part.sentences)
    whole.contacts.extend(part.contacts)


def add_fact(m: Mention, f: Fact) -> None:
    for old in m.facts:
        if (
            old.facet == f.facet
            and old.value == f.value
            and old.evidence.sentence == f.evidence.sentence
        ):
            return
    m.facts.append(f)
