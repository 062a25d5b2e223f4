"""Per-document extraction: organizations with the facts and contacts their own sentences state.

The rule that matters most for purchasers: a fact belongs to the organization the clause is
about, not to every organization in the document. So each fact goes to the nearest subject
organization before it in the sentence (coordinated lists share it), else to the one after it,
else — when the sentence refers back ("das Unternehmen", "wir", a section heading, the page's
owner) — to the current topic. Sentences naming nobody and referring to nobody yield nothing.
"""

from __future__ import annotations

import re
from collections import Counter

from . import docstate as ds
from . import gazetteer as gz
from . import german, orgs
from .attribute import attribute
from .contacts import (
    find_emails,
    surnames,
)
from .records import Document, Extraction, Fact, Mention
from .sentences import Sentence


def extract(doc: Document) -> Extraction:
    """Organizations of one document with the facts, places and contacts its sentences state.

    The passes run in order over one `DocState`: names (`find_mentions`), the page's owner,
    attribution (`ingest.attribute`, itself a sequence of stages), passages, datelines.

    Example:
        >>> from ingest.records import Block, Document
        >>> doc = Document("d", "d.txt", "press_article", "", None, "de", "h",
        ...     [Block("Die Weber Drehteile GmbH aus Suhl fertigt Präzisionsdrehteile.")])
        >>> [(m.name, [f.value for f in m.facts]) for m in extract(doc).mentions]
        [('Weber Drehteile GmbH', ['cap.turning', 'Suhl'])]
    """
    ctx = ds.DocState(doc)
    per_sentence = find_mentions(ctx)
    owner = _page_owner(ctx, per_sentence)
    attribute(ctx, per_sentence, owner)
    _passages(ctx, per_sentence, owner)
    _datelines(ctx, per_sentence)
    mentions = [m for m in ctx.mentions.values() if m.kind]
    for m in mentions:
        towns = [
            f for f in m.facts if f.facet in ("place", "site") and f.place and f.place.municipality
        ]
        if towns:
            # "Ostthüringen", "Thüringen" beside "Jena" say less than the town: the town is its
            # place (search still knows the regions the town lies in)
            m.facts = [
                f
                for f in m.facts
                if not (f.facet in ("place", "site") and f.place and not f.place.municipality)
            ]
        if m.kind == "media":
            # a newspaper's town is where it is printed and its people are journalists: neither
            # is a fact a purchaser looks for ("Lübecker Nachrichten", "Foto: … / Badische Zeitung")
            m.facts = [f for f in m.facts if f.facet not in ("place", "site")]
            m.contacts = []
        if m.kind != "company":
            # what an association, institute or office "does" is its topic, not an offer to
            # purchasers, and the industries its members serve are not its customers: only
            # companies carry capabilities, materials and industries served; a network's
            # industries are kept as its focus ("Medizintechnik" for a medical-technology cluster)
            for f in m.facts:
                if f.facet == "industry" and m.kind == "network":
                    f.facet = "focus"
            m.facts = [f for f in m.facts if f.facet not in _COMPANY_ONLY]
    return Extraction(document=doc, mentions=mentions)


def find_mentions(ctx: ds.DocState) -> list[list[orgs.OrgHit]]:
    """Every organization each sentence names, registered as mentions of `ctx`.

    Pass 1 collects the names the document introduces (legal forms, heads, known firms, brands
    with a cue); pass 2 finds all mentions knowing them, so a later bare "Weber" is the
    "Weber Drehteile GmbH" introduced before.

    Example:
        >>> from ingest.records import Block, Document
        >>> ctx = ds.DocState(Document("d", "d.txt", "press_article", "", None, "de", "h", [
        ...     Block("Die Weber Drehteile GmbH fertigt Wellen."), Block("Weber liefert.")]))
        >>> [[h.alias_of or h.name for h in hits] for hits in find_mentions(ctx)]
        [['Weber Drehteile GmbH'], ['Weber Drehteile GmbH']]
    """
    candidates: dict[str, set[str]] = {}
    for s in ctx.sents:
        for h in orgs.find(s.text, ctx.place_words, ctx.place_adjs):
            if h.rule in ("legal", "head", "trigger", "known_company") and h.kind:
                candidates.setdefault(german.fold(h.name), set()).add(h.name)
                for short in orgs.short_forms(h.name, ctx.place_words):
                    candidates.setdefault(german.fold(short), set()).add(h.name)
    known: dict[str, str] = {}
    for key, fulls in candidates.items():
        # a bare "Weber" from a list gives way to the "Weber Drehteile GmbH" it stands for
        longer = {f for f in fulls if german.fold(f) != key}
        if longer and len(fulls) > 1:
            fulls = longer
        # a short form shared by two different organizations is ambiguous: keep neither
        if len({orgs.normalize_name(f) for f in fulls}) == 1:
            known[key] = max(fulls, key=len)
    for key, name in _brand_names(ctx, known).items():
        known.setdefault(key, name)
    per_sentence: list[list[orgs.OrgHit]] = []
    for s in ctx.sents:
        hits = orgs.find(s.text, ctx.place_words, ctx.place_adjs, known)
        per_sentence.append(hits)
        for h in hits:
            ds.mention(ctx, h, s)
    return per_sentence


_BRAND_BEFORE = re.compile(
    r"\b(?:bei|beim|Firma|Unternehmens?|Konzerns?|Herstellers?|Zulieferers?|Tochter|"
    r"Marke|Firmenname|Familienunternehmen|Traditionsunternehmen|Mittelständler)\s+(?:der\s+|die\s+)?$"
)
_BRAND_AFTER = re.compile(
    r"^-(?:Chef|Chefin|Geschäftsführer\w*|Werk|Werke|Gruppe|Konzern|Mitarbeiter\w*|Standort|"
    r"Erzeugnisse|Produkte|Belegschaft|Sprecher\w*|Gründer\w*|Zentrale|Firmengelände|Hauptsitz)\b"
)
# "… von Mathys aus Möhrsdorf", "bei Confovis in Jena": one mention suffices where a word only
# a firm fits stands between a preposition of source and the town it is in
_BRAND_SOURCE = re.compile(r"\b(?:von|bei|beim)\s+$")
# a classifying noun, then a name in quotes: "des Optik-Herstellers „Oculus“"
_BRAND_CLASSIFIED = re.compile(
    r"(?:[Hh]ersteller|[Hh]erstellers|[Zz]ulieferer|[Zz]ulieferers|[Aa]nbieter|[Aa]nbieters|"
    r"[Ss]pezialisten|[Uu]nternehmens?|[Ff]irma|[Mm]arke)\s*$"
)
# "der Elmshorner Firma Viereck": after these words only a name fits, one mention suffices
_BRAND_NAMED = re.compile(r"\b(?:Firma|Firmenname|Firmennamen)\s+$")
_BRAND_TOWN = re.compile(
    r"^\s+(?:aus|in)\s+([A-ZÄÖÜ][\w\-]+(?:\s+(?:am|an der|im|in der|bei)\s+[A-ZÄÖÜ][\w\-]+)?)"
)
_TOWNISH = re.compile(r"(?:dorf|hausen|heim|ingen|stadt|burg|feld|bach|berg|hagen|rode|leben)$")
_BRAND_TOKEN = re.compile(r"[A-ZÄÖÜ][A-Za-zÄÖÜäöüß0-9&+]{2,}(?:-[A-ZÄÖÜ][A-Za-zäöüß]{2,})?")
_QUOTES_OPEN, _QUOTES_CLOSE = '„"»“', '“"«”'
_MONTHS = {
    "januar", "februar", "marz", "april", "mai", "juni", "juli", "august", "september", "oktober",
    "november", "dezember", "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag",
    "sonntag",
}  # fmt: skip


def _brand_names(ctx: ds.DocState, known: dict[str, str]) -> dict[str, str]:
    """Firm names with neither legal form nor trade word ("Pleuger", "GEDORE"): an unknown
    capitalised word the page uses at least twice, once where only a firm fits ("bei Pleuger",
    "der Firmenname Pleuger", "Pleuger-Chef", "die Pleuger-Erzeugnisse"). One mention suffices
    where only a firm fits: after "Firma", and between "von/bei" and "aus/in <town>" (one word
    or two: "von Mathys aus Möhrsdorf", "von Mesa Parts in Lenzkirch"). People's names,
    places, dictionary words and the names already found are no candidates."""
    if ctx.doc.language == "en":
        return {}
    people = {
        german.fold(w) for s in ctx.sents for p in orgs.real_persons(s.text) for w in p.name.split()
    }
    lex = german.lexicon()
    count: Counter[str] = Counter()
    cued: set[str] = set()
    sourced: set[str] = set()  # "von X aus <town>": a firm at its first mention
    surface: dict[str, str] = {}
    for s in ctx.sents:
        text = s.text
        for m in _BRAND_TOKEN.finditer(text):
            w = m.group(0)
            if (
                m.end() < len(text)
                and text[m.end()] in "-\u2011"
                and not _BRAND_AFTER.match(text[m.end() :])
            ):
                continue  # "Pleuger-Erzeugnisse" counts, "Groß-" or "Schrauben-" does not
            if m.start() > 0 and text[m.start() - 1] in "-\u2011":
                continue
            f = german.fold(w)
            if (
                (
                    _BRAND_NAMED.search(text[: m.start()])
                    # "Kessler, ein Familienunternehmen aus …": not a person's name
                    or (orgs.APPOSITION.match(text[m.end() :]) and f not in people)
                )
                and f not in known
                and f not in _MONTHS
                and not orgs.is_trigger(w)
                and not orgs.is_common(w)
                and not orgs.noun_like(w)
                and not orgs.head_kind(w)
                and german.stem(w) not in lex
                and not german.split_compound(w)
            ):
                # "die Lübecker Firma Viereck", "Firma Müller": a surname is a name here, a noun
                # is not ("härtet die Firma Werkzeuge")
                count[f] += 1
                surface.setdefault(f, w)
                sourced.add(f)
                continue
            if not _brand_word_ok(w, people, ctx, known, lex):
                continue
            count[f] += 1
            surface.setdefault(f, w)
            quoted = (
                m.start() > 0
                and text[m.start() - 1] in _QUOTES_OPEN
                and text[m.end() : m.end() + 1] in _QUOTES_CLOSE
                and m.end() < len(text)
            )  # „Zegla-Plast“: a name set in quotes
            if (
                quoted
                or _BRAND_BEFORE.search(text[: m.start()])
                or _BRAND_AFTER.match(text[m.end() :])
            ):
                cued.add(f)
                if quoted and _BRAND_CLASSIFIED.search(text[: m.start() - 1]):
                    sourced.add(f)  # "des Augenoptik-Herstellers „Oculus“": only a firm fits
            town = _BRAND_TOWN.match(text[m.end() :])
            if (
                town
                and _BRAND_SOURCE.search(text[: m.start()])
                and (gz.load().lookup(town.group(1)) or _TOWNISH.search(town.group(1)))
            ):
                sourced.add(f)  # a village the gazetteer lacks still looks like one
    found = {f: surface[f] for f in cued | sourced if count[f] >= 2 or f in sourced}
    # the same with two words: "beim Besuch von Mesa Parts in Lenzkirch"
    for s in ctx.sents:
        for m in _BRAND_PAIR.finditer(s.text):
            pair, town = m.group(1), m.group(2)
            words = pair.split()
            if (
                all(_brand_word_ok(w, people, ctx, known, lex) for w in words)
                and (gz.load().lookup(town) or _TOWNISH.search(town))
                and german.fold(pair) not in known
            ):
                found.setdefault(german.fold(pair), pair)
    return found


_BRAND_PAIR = re.compile(
    r"\b(?:von|bei|beim)\s+([A-ZÄÖÜ][A-Za-zÄÖÜäöüß0-9&+]{2,}\s+[A-ZÄÖÜ][A-Za-zÄÖÜäöüß0-9&+]{2,})"
    r"\s+(?:aus|in)\s+([A-ZÄÖÜ][\w\-]+)"
)


def _brand_word_ok(w: str, people: set[str], ctx: ds.DocState, known: dict[str, str], lex) -> bool:
    """A word that can be part of a brand name: no person's, place's, month's or dictionary
    word, no trade word or trigger."""
    f = german.fold(w)
    return not (
        f in people
        or f in ctx.place_words
        or f in known
        or f in _MONTHS
        or orgs.is_common(w)
        or orgs.head_kind(w)
        or german.stem(w) in lex
        or w in orgs.lexicon().not_acronyms
        or w in surnames()
        or orgs.is_trigger(w)
        or german.split_compound(w)  # "Zahnradpumpen", "Betriebsversammlung"
        or orgs.noun_like(w)
    )


def _page_owner(ctx: ds.DocState, per_sentence: list[list[orgs.OrgHit]]) -> Mention | None:
    """A member page speaks for one organization: the one in its title or first heading, or
    whose web domain matches the page's e-mail addresses, or simply the most named."""
    if ctx.doc.kind not in ("member_page", "other") and ctx.doc.kind != "brochure":
        return None
    counts: Counter[str] = Counter()
    for s, hits in zip(ctx.sents, per_sentence, strict=True):
        for h in hits:
            m = ds.mention_of(ctx, h)
            if m.kind in ("company", "network", "institution"):
                counts[id(m)] += 3 if s.role in ("title", "heading") else 1
    emails = [e for s in ctx.sents for e in find_emails(s.text)]
    for m in ctx.mentions.values():
        for e in emails:
            domain = german.fold(e.split("@")[-1].split(".")[0])
            for n in m.names:
                for w in german.words(n):
                    if len(w) >= 4 and german.fold(w) in domain:
                        counts[id(m)] += 4
    title_words = {
        german.fold(w) for w in german.words(ctx.doc.title + " " + ctx.doc.path.rsplit("/", 1)[-1])
    }
    for m in ctx.mentions.values():
        if any(
            german.fold(w) in title_words
            for n in m.names
            for w in german.words(n)
            if len(w) >= 4 and not orgs.head_kind(w)
        ):
            counts[id(m)] += 3
    for m in ctx.mentions.values():
        if m.kind == "media":
            counts.pop(id(m), None)  # a newspaper's clipping on a firm's page speaks for the firm
    if not counts:
        return None
    best_id, score = counts.most_common(1)[0]
    if ctx.doc.kind == "brochure" and score < 6:
        return None
    return next(m for m in ctx.mentions.values() if id(m) == best_id)


_COMPANY_ONLY = ("capability", "material", "batch", "industry")
_CUSTOMER_WORD = re.compile(
    r"\b(Kunden|Abnehmer|Auftraggeber|beliefert|beliefern|liefert an|Partner wie|Zulieferer für)\b"
)
# Page furniture: credits, rights, sharing and navigation lines state nothing about a firm
_FURNITURE = re.compile(
    r"\s*(?:Fotos?|Bild(?:er)?|Quelle|Text|Grafik|Nachdruck|©|\(c\)|Copyright|Alle Rechte|"
    r"Kommentare?|Artikel teilen|Teilen|Drucken|Mehr zum Thema|Lesen Sie auch|Anzeige|Werbung|"
    r"Impressum|Datenschutz|Cookie|Zur Startseite|Zurück|Weiterlesen|Newsletter|Abonnieren)\b",
    re.I,
)
MAX_PASSAGE = 8  # sentences after a mention that still speak of it, at most
MAX_PAGE = 40  # sentences of a page that presents one organization, at most


def _passages(
    ctx: ds.DocState, per_sentence: list[list[orgs.OrgHit]], owner: Mention | None
) -> None:
    """Text that speaks of an organization without naming it: search evidence below its own
    facts. The sentences after a mention belong to the organization the mention is about (the
    subject of that sentence) until another organization is named; a page that presents one
    organization speaks for it as a whole.

    Example: in "Die Weber GmbH liefert Federn. Sie wickelt auch Zugfedern." the second
    sentence is a passage of Weber GmbH, whether or not a fact was attributed from it.
    """
    current: Mention | None = None
    run = 0
    lead: list[Sentence] = []  # a press article's opening, before any organization is named
    for s, hits in zip(ctx.sents, per_sentence, strict=True):
        named = [h for h in hits if h.kind not in ("media",)]
        if s.role == "heading" and not hits:
            current = None  # a new heading ends the text about the firm before it
        if current is None and not named and s.role != "title" and not _FURNITURE.match(s.text):
            lead.append(s)
        if current is None and named and ctx.doc.kind == "press_article":
            first = next((h for h in named if h.kind == "company"), None)
            if first is not None:
                # the scene an article opens with is about the firm it then names first
                ds.mention_of(ctx, first).passages.extend(
                    ds.evidence(ctx, x) for x in lead[-MAX_PASSAGE:]
                )
        if named:
            subj = [
                h
                for h in named
                if not ds.is_object(s.text, h)
                and not _CUSTOMER_WORD.search(s.text[: h.start])
                and not ds.NAMED_AS_CUSTOMERS.search(s.text)
            ]
            if subj:
                current, run = ds.mention_of(ctx, subj[0]), 0
            elif current is None:
                current, run = ds.mention_of(ctx, named[0]), 0
            # "Zu den Kunden zählen Bosch und Miele.": the text goes on about its own subject
            continue
        if hits or s.role == "title" or current is None or run >= MAX_PASSAGE:
            continue
        if _FURNITURE.match(s.text):
            continue  # "Foto: …", "Nachdruck nur mit Genehmigung": the page, not the firm
        current.passages.append(ds.evidence(ctx, s))
        run += 1
    if owner is not None:
        own = {e.sentence for e in owner.sentences} | {e.sentence for e in owner.passages}
        owner.page = [
            ds.evidence(ctx, s)
            for s in ctx.sents
            if s.text[:600] not in own and s.role != "title" and not _FURNITURE.match(s.text)
        ][:MAX_PAGE]


_DATELINE_AFTER = re.compile(
    r"^\s*(?:\([A-Za-z/]{2,8}\)\s*)?(?:[.:–-]|,\s*(?:den\s+)?\d{1,2}\.\s*(?:\d{1,2}\.|[A-ZÄÖÜ][a-zä]+)\s*\d{4})"
)  # "Wetzlar.", "Jena (dpa) –", "Hagen, 21. Juni 2024"


def _datelines(ctx: ds.DocState, per_sentence: list[list[orgs.OrgHit]]) -> None:
    """'Wetzlar. Der Ventilhersteller Kornbach …', 'Hagen, 21. Juni 2024 …', a title that is
    only a town: a press note's dateline is the town of the first company the note then names
    (within its first sentences), when nothing else places that firm."""
    for idx, s in enumerate(ctx.sents[:4]):
        places = [pm for pm in ctx.place_matches[idx] if pm.form == "name" and pm.start <= 2]
        if not places:
            continue
        after = s.text[places[0].end :]
        if not (_DATELINE_AFTER.match(after) or not after.strip(" .:")):
            continue
        offset = places[0].end
        for j in range(idx, min(idx + 6, len(ctx.sents))):
            text = ctx.sents[j].text
            subj = [
                h
                for h in per_sentence[j]
                if (j > idx or h.start >= offset)
                and h.kind == "company"
                and not ds.is_object(text, h)
            ]
            if not subj:
                continue
            target = ds.mention_of(ctx, subj[0])
            if not any(f.facet == "place" for f in target.facts):
                entry = places[0].chosen or places[0].candidates[0]
                ds.add_fact(
                    target,
                    Fact(
                        "place",
                        entry.place.name,
                        entry.place.name,
                        ds.evidence(ctx, s),
                        place=ds.place_of(entry),
                    ),
                )
            break
        return
