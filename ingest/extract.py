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

from . import gazetteer as gz
from . import german, orgs
from . import taxonomy as tx
from .contacts import (
    ROLE_RE,
    find_emails,
    find_phones,
    find_urls,
    first_names,
    not_a_contact,
    role_near,
    surnames,
)
from .records import Contact, Document, Evidence, Extraction, Fact, Mention, Place
from .sentences import Sentence, sentences

_COREF = re.compile(
    # "das Unternehmen", "der 1991 gegründete Betrieb", "das Riesaer Unternehmen", "sein
    # Einzelunternehmen", "die Firma": a singular phrase that refers back to a firm
    r"\b(?:(?:das|des|dem)\s+(?:[\w-]+\s+){0,3}?(?:Unternehmens?|Familienunternehmens?|Einzelunternehmens?|Team|Start-?up|Netzwerks?|Werk)"
    r"|(?:der|des|dem|den)\s+(?:[\w-]+\s+){0,3}?(?:Betriebs?|Familienbetriebs?|Hersteller|Zulieferer|Spezialist(?:en)?|Mittelständler|Lohnfertiger|Dienstleister|Vereins?|Verband(?:es)?|Verbunds?)"
    r"|(?:die|der)\s+(?:[\w-]+\s+){0,3}?(?:Firma|Gesellschaft|Werkstatt|Dreherei|Schleiferei|Gießerei|Härterei|Manufaktur"
    r"|\w*[Ss]chmiede|\w*[Gg]ießerei|\w*[Dd]rückerei|Fräserei|Stanzerei|Lackiererei|Galvanik|Werft)"
    r"|(?:sein|seine|seinem|seinen|seiner|ihr|ihre|ihrem|ihren|ihrer)\s+(?:[\w-]+\s+){0,2}?(?:Unternehmen|Einzelunternehmen|Betrieb|Firma|Werkstatt|Team)"
    r"|die\s+Mitarbeiter|die\s+Belegschaft|wir|uns|unser\w*|seit\s+\d{4}\s+(?:ist|liefert|fertigt|produziert)"
    # "Ihre Präzisionsventile werden in 60 Länder exportiert.": a sentence that opens with a
    # possessive and a noun goes on about the firm just discussed
    r"|^\s*(?:ihre|ihr|seine|sein)\s+(?=[A-ZÄÖÜ]))\b",
    re.IGNORECASE,
)
_CUSTOMER = re.compile(
    r"\b(Herstellern?|Produzenten|Kunden|Abnehmern?|Auftraggebern?|Anwendern?|beliefer\w*|liefer\w* an|"
    r"Werkzeuge für|Vorrichtungen für|Teile für|Gussteile für|Komponenten für)\b[^.;:!?]*$"
    r"|\bfür\s+(?:die\s+|den\s+|das\s+)?(?:[\w,-]+\s+){0,3}$",
    re.IGNORECASE,
)
_BOUGHT = re.compile(
    r"^[^.;:!?]*?\b(bezog|bezieht|beziehen|bezogen|zukauf\w*|eingekauft|kauft\w* ein|übernehmen unsere Kunden|übernimmt ein)\b"
)
_ADJ_GAP = re.compile(
    r"\s*(?:(?:Firma|Firmen|Betriebe?|Unternehmen|Zulieferer[n]?|Hersteller[n]?|Spezialisten?|Traditionsfirma|"
    r"Traditionsunternehmen|Familienbetrieb|Familienunternehmen|Mittelständler|Metallbetriebe?|Lohnfertiger|"
    r"Dienstleister|Betriebe|Mitgliedsfirmen|Mitgliedsunternehmen)\s+)?(?:die\s+|der\s+)?"
)
_PROCESS_NOUN = re.compile(r"(?:[\w-]+-)?[A-ZÄÖÜ][a-zäöüß]+(?:en|ung)")
_WE = re.compile(r"\b([Ww]ir|[Uu]ns|[Uu]nser\w*)\b")
_OBJECT_BEFORE = re.compile(
    r"(\ban\b|\bfür\b|\bKunden\w*|\bwie\b|\bvon\b|\bmit\b|\bgegen\b|\büber\b|\bGast\b)\s+(?:(?:die|den|der|das|dem|des|die\s+Firma|der\s+Firma)\s+)?$"
)
_EVENT_WORDS = {"konferenz", "zulieferkonferenz", "messe", "tagung", "treffen", "veranstaltung", "workshop", "forum", "kongress", "ausstellung", "festakt", "podium", "gesprach", "besuch", "sitzung"}  # fmt: skip
_NUMBER_WORDS = {
    "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9,
    "zehn": 10, "elf": 11, "zwölf": 12, "dreizehn": 13, "vierzehn": 14, "fünfzehn": 15,
    "sechzehn": 16, "siebzehn": 17, "achtzehn": 18, "neunzehn": 19, "zwanzig": 20, "dreißig": 30,
    "vierzig": 40, "fünfzig": 50, "hundert": 100,
}  # fmt: skip
_EMPLOYEES = re.compile(
    r"(?:(?:rund|etwa|ca\.|circa|über|mehr als|knapp|derzeit|insgesamt|jetzt|heute|nun)\s+)?"
    r"(?:(?:ein\s+)?Team\s+(?:von|aus)\s+)?(\d{1,3}(?:[.\s]\d{3})*|\d+|"
    + "|".join(_NUMBER_WORDS)
    + r")"
    r"(?:\s+(?:festangestellten?|fest\s+angestellten?|eigenen?))?"
    r"\s*(?:-\s*)?(Mitarbeiter(?:innen|n)?|Mitarbeitende[n]?|Beschäftigte[n]?|Angestellte[n]?|Fachkräfte[n]?|Leute[n]?|Mann-Betrieb|Mann|(?<=Team von \d\d )Spezialisten|(?<=Team von \d )Spezialisten)\b",
    re.I,
)
_FOUNDED = re.compile(
    r"(?:gegründet|Gründung|gründete|Gründungsjahr|besteht seit|existiert seit)\D{0,25}?(1[89]\d\d|20[0-3]\d)|(1[89]\d\d|20[0-3]\d)\D{0,80}?\b(?:gegründet|initiiert|ins Leben gerufen)",
    re.I,
)
_MEMBERS = re.compile(
    r"(\d{1,4})\s+(?:Mitglieds)?(Unternehmen|Firmen|Mitglieder[n]?|Betriebe[n]?|Mitgliedsunternehmen|Partner[n]?)",
    re.I,
)
_NETWORK_WORDS = re.compile(
    r"\b(Zusammenschluss|Netzwerk|Verbund|Verband|Verein|Kooperation|Arbeitsgruppe|Arbeitsgemeinschaft|Mitglied|Cluster|zusammengeschlossen|vereint|bündelt|gehören)",
    re.I,
)
_TAKEOVER = re.compile(
    r"\b(übernimmt|übernahm|übernommen|Übernahme|kauft|kaufte|gekauft|erwirbt|erwarb|erworben)\b"
)
_HIRED = re.compile(
    r"\b(?:Mitarbeiter\w*|Beschäftigte\w*|Fachkräfte\w*|Leute|Personal|Azubis|Auszubildende\w*|"
    r"Ingenieure\w*|Menschen|Lücken?|Kreislauf|Vertrag|Verträge|Partnerschaft\w*|Kooperation\w*)\b"
)
# what a closure may close short of the firm: "die Schließung des Werks Elfershausen", "schließt
# ihren Standort in X", "das Werk wurde stillgelegt"
_PLANT = re.compile(
    r"\b(?:Werk|Werks|Werkes|Werke|Werken|Standort\w*|Niederlassung\w*|Filiale\w*|Zweigwerk\w*|"
    r"Produktionsstätte\w*|Produktionsstandort\w*|Betriebsteil\w*|Abteilung\w*|Fertigungslinie\w*|"
    r"Produktionslinie\w*|Halle|Sparte\w*|Geschäftsbereich\w*)\b"
)
_CLOSED = re.compile(
    r"\b(insolvent|Insolvenz(?:antrag|verfahren)?|schließt|geschlossen|stillgelegt|aufgegeben|abgewickelt|Schließung|eingestellt|schloss)\b"
)
_MEMBER_OF = re.compile(
    r"\b(Mitglied|Mitgliedsunternehmen|Mitgliedsfirma|gehört zu|ist Teil)\b.{0,40}?\b(im|des|der|beim|dem)\b",
    re.I,
)
_SITE = re.compile(
    r"\b(Werk|Zweigwerk|Niederlassung|Standort|Zweigstelle|Produktionsstätte|Betriebsstätte|Filiale)\b",
    re.I,
)


class _Ctx:
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


def extract(doc: Document) -> Extraction:
    ctx = _Ctx(doc)
    # pass 1: names the document introduces; pass 2: all mentions, knowing those names
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
            _mention(ctx, h, s)
    owner = _page_owner(ctx, per_sentence)
    _attribute(ctx, per_sentence, owner)
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


def _brand_names(ctx: _Ctx, known: dict[str, str]) -> dict[str, str]:
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
                _BRAND_NAMED.search(text[: m.start()])
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


def _brand_word_ok(w: str, people: set[str], ctx: _Ctx, known: dict[str, str], lex) -> bool:
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


def _key(name: str) -> str:
    return orgs.normalize_name(name)


def _mention(ctx: _Ctx, h: orgs.OrgHit, s: Sentence) -> Mention:
    full = h.alias_of or h.name
    key = ctx.alias.get(german.fold(full)) or _key(full)
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
    if len(_strip_legal(full)) > len(_strip_legal(m.name)) or (
        "GmbH" in full and "GmbH" not in m.name
    ):
        m.name = full
    ev = _ev(ctx, s)
    if not m.sentences or m.sentences[-1].sentence != ev.sentence:
        m.sentences.append(ev)
    return m


def _strip_legal(n: str) -> str:
    return orgs._LEGAL_RE.sub("", n).strip()


def _ev(ctx: _Ctx, s: Sentence) -> Evidence:
    return Evidence(doc=ctx.doc.id, sentence=s.text[:600], date=ctx.doc.date, page=s.page)


def _mention_of(ctx: _Ctx, h: orgs.OrgHit) -> Mention:
    key = ctx.alias.get(german.fold(h.alias_of or h.name)) or _key(h.alias_of or h.name)
    return ctx.mentions[key]


def _page_owner(ctx: _Ctx, per_sentence: list[list[orgs.OrgHit]]) -> Mention | None:
    """A member page speaks for one organization: the one in its title or first heading, or
    whose web domain matches the page's e-mail addresses, or simply the most named."""
    if ctx.doc.kind not in ("member_page", "other") and ctx.doc.kind != "brochure":
        return None
    counts: Counter[str] = Counter()
    for s, hits in zip(ctx.sents, per_sentence, strict=True):
        for h in hits:
            m = _mention_of(ctx, h)
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
# a headline that places firms: "Optikunternehmen aus Wetzlar", "Zulieferer in Jena"
_FIRMS_FROM = re.compile(
    r"(?:unternehmen|firmen|betriebe|hersteller|zulieferer)\w*\s+(?:aus|in)\b", re.I
)
# "Auch die Meyer-Werft und Konzerne wie BASF gehören zu den Kunden.": the firms named are the
# customers of the one the text is about, which stays its subject ("das Unternehmen" next)
_NAMED_AS_CUSTOMERS = re.compile(
    r"\b(?:gehör\w*|zähl\w*)\s+(?:auch\s+|ebenfalls\s+)?zu\s+(?:den|seinen|ihren|unseren)\s+"
    r"(?:\w+\s+)?(?:Kunden|Abnehmern|Auftraggebern|Stammkunden)\b"
)
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


def _passages(ctx: _Ctx, per_sentence: list[list[orgs.OrgHit]], owner: Mention | None) -> None:
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
        if current is None and not named and s.role != "title" and not _FURNITURE.match(s.text):
            lead.append(s)
        if current is None and named and ctx.doc.kind == "press_article":
            first = next((h for h in named if h.kind == "company"), None)
            if first is not None:
                # the scene an article opens with is about the firm it then names first
                _mention_of(ctx, first).passages.extend(_ev(ctx, x) for x in lead[-MAX_PASSAGE:])
        if named:
            subj = [
                h
                for h in named
                if not _is_object(s.text, h)
                and not _CUSTOMER_WORD.search(s.text[: h.start])
                and not _NAMED_AS_CUSTOMERS.search(s.text)
            ]
            if subj:
                current, run = _mention_of(ctx, subj[0]), 0
            elif current is None:
                current, run = _mention_of(ctx, named[0]), 0
            # "Zu den Kunden zählen Bosch und Miele.": the text goes on about its own subject
            continue
        if hits or s.role == "title" or current is None or run >= MAX_PASSAGE:
            continue
        if _FURNITURE.match(s.text):
            continue  # "Foto: …", "Nachdruck nur mit Genehmigung": the page, not the firm
        current.passages.append(_ev(ctx, s))
        run += 1
    if owner is not None:
        own = {e.sentence for e in owner.sentences} | {e.sentence for e in owner.passages}
        owner.page = [
            _ev(ctx, s)
            for s in ctx.sents
            if s.text[:600] not in own and s.role != "title" and not _FURNITURE.match(s.text)
        ][:MAX_PAGE]


_DATELINE_AFTER = re.compile(
    r"^\s*(?:\([A-Za-z/]{2,8}\)\s*)?(?:[.:–-]|,\s*(?:den\s+)?\d{1,2}\.\s*(?:\d{1,2}\.|[A-ZÄÖÜ][a-zä]+)\s*\d{4})"
)  # "Wetzlar.", "Jena (dpa) –", "Hagen, 21. Juni 2024"


def _datelines(ctx: _Ctx, per_sentence: list[list[orgs.OrgHit]]) -> None:
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
                and not _is_object(text, h)
            ]
            if not subj:
                continue
            target = _mention_of(ctx, subj[0])
            if not any(f.facet == "place" for f in target.facts):
                entry = places[0].chosen or places[0].candidates[0]
                _add_fact(
                    target,
                    Fact(
                        "place",
                        entry.place.name,
                        entry.place.name,
                        _ev(ctx, s),
                        place=_place(entry),
                    ),
                )
            break
        return


def _is_object(text: str, h: orgs.OrgHit) -> bool:
    return bool(_OBJECT_BEFORE.search(text[: h.start]))


def _subjects(hits: list[orgs.OrgHit], text: str, pos: int) -> list[orgs.OrgHit]:
    """The organization(s) a fact at `pos` is about, within one sentence."""
    cands = [h for h in hits if h.kind not in ("media",)]
    if not cands:
        return []
    left = [h for h in cands if h.end <= pos]
    right = [h for h in cands if h.start >= pos]
    chosen = None
    subj_left = [h for h in left if not _is_object(text, h)]
    if subj_left:
        chosen = subj_left[-1]
    elif left and not right:
        chosen = left[-1]
    else:
        subj_right = [h for h in right if not _is_object(text, h)]
        chosen = (subj_right or right or left or [None])[0]
    if chosen is None:
        return []
    if chosen.group >= 0:
        return [h for h in cands if h.group == chosen.group]
    return [chosen]


def _attribute(ctx: _Ctx, per_sentence: list[list[orgs.OrgHit]], owner: Mention | None) -> None:
    topic: Mention | None = owner
    section: Mention | None = None
    section_block = -1
    label_lines: list[str] = []
    label_org: Mention | None = None  # an organization heading right above a contacts group
    block_org: dict[int, Mention] = {}  # the organization an address block names
    recent: list[Mention] = []  # mentions in order of last appearance
    section_place = None  # a place named by the current section's heading
    seen: set[int] = set()  # mentions already met before this sentence
    members_ctx = False  # inside a member list ("Unsere Mitglieder", "Mitgliedsunternehmen")
    current: Contact | None = None
    current_org: Mention | None = None
    for idx, (s, hits) in enumerate(zip(ctx.sents, per_sentence, strict=True)):
        text = s.text
        ev = _ev(ctx, s)
        mentions = [_mention_of(ctx, h) for h in hits]
        persons = orgs.real_persons(text)
        phones = find_phones(text)

        # ---- topic bookkeeping
        if s.role == "heading":
            # "Prenzlau: Armaturen für Fernwärme" places the firms its section introduces
            places_here = [pm for pm in ctx.place_matches[idx] if pm.form == "name"]
            section_place = (
                (places_here[0], ev)
                if len(places_here) == 1
                and not hits
                and (ctx.doc.kind != "press_article" or _FIRMS_FROM.search(text))
                else None
            )  # a press headline's place is the story's, not every firm's in it
        if s.role in ("heading", "title"):
            if len(set(map(id, mentions))) == 1 and not persons and not phones:
                section = mentions[0]
                section_block = s.block
                label_org = mentions[0]
                label_lines = []
                topic = mentions[
                    0
                ]  # a heading naming a firm starts its section: "der Betrieb" is it
            elif not hits and not persons and not phones:
                label_lines.append(text)
                if len(label_lines) > 3:
                    label_lines = label_lines[-3:]
        elif s.role == "para" and len(text) > 80:
            label_lines, label_org = [], None
        coref = _COREF.search(text)
        refers_back = bool(coref)
        if coref and topic is not None:
            # "Das Riesaer Unternehmen": the recent firm from Riesa, not simply the last one
            towns = {
                german.fold((pm.chosen or pm.candidates[0]).place.name)
                for pm in ctx.place_matches[idx]
                if pm.form == "adjective" and coref.start() <= pm.start < coref.end()
            }
            if towns:
                located = [
                    m
                    for m in reversed(recent)
                    if any(
                        f.facet in ("place", "site") and german.fold(f.value) in towns
                        for f in m.facts
                    )
                ]
                if located:
                    topic = located[0]
        we = bool(_WE.search(text))
        fallback: Mention | None = None
        if not hits:
            if we and owner is not None:
                fallback = owner  # "wir", "unsere" on a member page speak for its owner
            elif refers_back and topic is not None:
                fallback = topic  # "das Unternehmen", "die Firma": the one just discussed
            elif (
                section is not None
                and (s.block == section_block or s.role in ("para", "list"))
                and s.role != "heading"
            ):
                fallback = section
            elif owner is not None and ctx.doc.kind == "member_page":
                fallback = owner

        # "… haben die Firma 2016 gegründet, direkt nach dem Studium an der TU Chemnitz":
        # when every organization named is an object, a referring phrase wins
        coref_topic = topic if refers_back and topic is not None else None
        only_objects = bool(hits) and all(_is_object(text, h) for h in hits)

        def about(pos: int) -> list[Mention]:
            inside = [h for h in hits if h.start <= pos < h.end]
            if inside:
                return [_mention_of(ctx, inside[0])]  # "Rieger Stanztechnik KG" names its trade
            if only_objects and coref_topic is not None:
                # "… ist das Unternehmen mit der X GmbH, die Treppen baut": after the object,
                # its relative clause speaks of the object
                before = [h for h in hits if h.end <= pos]
                return [_mention_of(ctx, before[-1])] if before else [coref_topic]
            subj = _subjects(hits, text, pos)
            if subj:
                return [_mention_of(ctx, h) for h in subj]
            return [fallback] if fallback else []

        # ---- taxonomy facts
        for cm in ctx.tax.match(text, document=ctx.doc.language or "de"):
            concept = ctx.tax.concepts[cm.concept]
            named_in = [h for h in hits if h.start <= cm.start < h.end]
            if named_in:
                # a name hints at a trade but states nothing ("Rieger Stanztechnik KG", "Netzwerk
                # Fertigungstechnik Metallbearbeitung"); search weighs names on their own
                continue
            customer = _CUSTOMER.search(text[max(0, cm.start - 60) : cm.start])
            if (
                customer
                and customer.group(0).lower().startswith("für")
                and _PROCESS_NOUN.fullmatch(cm.text)
            ):
                customer = None  # "ein Bearbeitungszentrum für das 5-Achs-Fräsen": its own process
            if concept.facet in ("capability", "material") and (
                customer or _BOUGHT.search(text[cm.end : cm.end + 80])
            ):
                # "… beliefern wir Hersteller von Hydraulikkomponenten", "… Gussteile aus der
                # Nachbarschaft bezog": a customer's trade or a purchase, not a capability
                continue
            for m in about(cm.start):
                _add_fact(m, Fact(concept.facet, concept.id, concept.label_de, ev))

        # ---- places
        for pm in ctx.place_matches[idx]:
            entry = pm.chosen or pm.candidates[0]
            targets = _place_targets(ctx, hits, text, pm, fallback, s.role)
            for m, facet in targets:
                _add_fact(
                    m, Fact(facet, entry.place.name, entry.place.name, ev, place=_place(entry))
                )

        # ---- numbers and relations
        for mm in _EMPLOYEES.finditer(text):
            for m in about(mm.start()):
                if m.kind in ("company",):
                    word = mm.group(1).lower()
                    n = (
                        str(_NUMBER_WORDS[word])
                        if word in _NUMBER_WORDS
                        else re.sub(r"\D", "", word)
                    )
                    if (
                        mm.group(2).lower() == "mann"
                        and not mm.group(0).endswith("-Betrieb")
                        and "-" not in mm.group(0)
                    ):
                        continue  # "zwei Mann" at a machine is not the headcount
                    _add_fact(m, Fact("employees", n, f"{n} Mitarbeiter", ev))
        for mm in _FOUNDED.finditer(text):
            year = mm.group(1) or mm.group(2)
            for m in about(mm.start())[:1]:
                _add_fact(m, Fact("founded", year, f"gegründet {year}", ev))
        if _NETWORK_WORDS.search(text):
            for mm in _MEMBERS.finditer(text):
                for m in about(mm.start())[:1]:
                    if m.kind == "network":
                        _add_fact(
                            m, Fact("network_size", mm.group(1), f"{mm.group(1)} {mm.group(2)}", ev)
                        )
        if s.role in ("heading", "para") and not hits:
            members_ctx = bool(re.search(r"\bMitglied", text)) or (members_ctx and s.role == "para")
        _relations(ctx, s, hits, mentions, ev, topic, section, owner, members_ctx, recent)

        # ---- contacts
        if persons:
            for p in persons:
                role = role_near(text, p)
                if (
                    not_a_contact(text, p, role[0] if role else None)
                    or tuple(p.name.split()) in orgs.lexicon().known
                    or any(h.start <= p.start and p.end <= h.end for h in hits)
                ):
                    # an official, a photo credit, "Carl Zeiss" the company, or the person a
                    # firm is named after ("Metallgießerei Ralf Mewes GmbH")
                    continue
                after_role = role is not None and role[1] > p.start  # "X, Geschäftsführer …"
                unknown = role and (
                    _ROLE_OF_UNKNOWN.match(text[role[1] :])
                    or (after_role and re.match(r"\s+[A-ZÄÖÜ]", text[role[1] :]))
                )
                if unknown and not any(0 <= h.start - role[1] < 40 for h in hits):
                    continue  # "…, Geschäftsführer der Gesellschaft zur …", "…, Geschäftsführer
                    # Metallpresswerk Hohenlimburg": an organization nobody recognised
                if (
                    not role
                    and _OF_UNKNOWN.match(text[p.end :])
                    and not any(0 <= h.start - p.end < 12 for h in hits)
                ):
                    continue  # "Carsten Ott von Hessen Trade & Invest"
                if (
                    role
                    and not after_role
                    and re.search(r"[\wÄÖÜäöüß]-\w*$", text[: role[1]])
                    and not any(0 <= role[1] - len(role[0]) - 1 - h.end <= 1 for h in hits)
                ):
                    continue  # "VDWF-Geschäftsführer X" where nobody recognised the VDWF
                family = _firm_of_family(ctx, p.name)
                if (
                    role is None
                    and family is None
                    and s.role == "para"
                    and ctx.doc.kind != "member_page"
                ):
                    continue  # "… sagte Anna Beispiel": whose person is a guess, so nobody's
                org = None
                if role:
                    after = [h for h in hits if h.start >= role[1] - 2 and h.start - role[1] < 40]
                    org = _mention_of(ctx, after[0]) if after else None
                    # "Friesland Kabel-Geschäftsführer Klaus Moorlampen": the firm before the role
                    role_at = text.rfind(role[0], 0, role[1])
                    glued = [h for h in hits if 0 <= role_at - h.end <= 1 and role_at > 0]
                    if glued and text[role_at - 1] in "-\u2011":
                        org = _mention_of(ctx, glued[-1])
                    if org is None:
                        # "Geschäftsführerin des Netzwerks": the network just discussed
                        ref = _ROLE_REF.match(text[role[1] :])
                        if ref:
                            want = (
                                "network"
                                if ref.group(1).lower()
                                in ("netzwerks", "vereins", "verbandes", "verbands", "clusters")
                                else "company"
                            )
                            org = next((m for m in reversed(recent) if m.kind == want), None)
                    if org is None and hits and all(_is_object(text, h) for h in hits):
                        org = topic  # "Gründer X hat an der TH Wildau promoviert"
                if org is None and s.role == "contact" and not hits:
                    org = _org_by_email(
                        ctx,
                        [e for x in ctx.sents if x.block == s.block for e in find_emails(x.text)],
                    )
                if org is None and only_objects and coref_topic is not None:
                    org = coref_topic
                if org is None and s.role == "contact":
                    org = block_org.get(s.block) or owner  # a contact card on the firm's own page
                if org is None and not hits:
                    # "Inhaber Walter Kolbe": the family firm that bears the surname; else
                    # "sagt Vertriebsleiter X" speaks for the firm just discussed
                    org = _firm_of_family(ctx, p.name) or (topic if role or refers_back else None)
                if org is None:
                    near = [h for h in hits if h.kind != "media"]
                    if len(near) == 1:
                        org = _mention_of(ctx, near[0])
                if org is None and s.role in ("heading", "list", "contact"):
                    if label_org is not None and not label_lines:
                        org = label_org
                    elif label_lines:
                        org = _label_org(ctx, label_lines) or _label_as_org(ctx, label_lines, s)
                    elif (
                        current_org is not None and idx > 0 and find_phones(ctx.sents[idx - 1].text)
                    ):
                        org = current_org  # a second person in the same contacts group
                    else:
                        org = section or owner
                if org is None:
                    org = fallback
                if org is None:
                    continue
                c = Contact(person=p.name, role=role[0] if role else "", evidence=ev)
                org.contacts.append(c)
                current, current_org = c, org
                label_lines, label_org = [], None
        if hits and s.role == "contact":
            block_org.setdefault(s.block, _mention_of(ctx, hits[0]))
        if (
            not persons
            and s.role == "contact"
            and current is not None
            and not current.role
            and ROLE_RE.match(text)
            and len(text) < 60
        ):
            current.role = text  # "Ines Vogel" / "Vertrieb und Angebote" / "Tel. …"
        emails = find_emails(text)
        urls = find_urls(text)
        if phones or emails or urls:
            target_org = None
            if hits and not persons:
                target_org = _mention_of(ctx, hits[0])
            elif current is not None and (
                idx > 0 and (persons or _near_previous(ctx, idx, current))
            ):
                target_org = current_org
            elif s.role == "contact":
                # an address or footer block speaks for the organization named in it, else the page's
                target_org = block_org.get(s.block) or owner or fallback
            elif label_lines:
                target_org = _label_org(ctx, label_lines) or _label_as_org(ctx, label_lines, s)
            else:
                target_org = fallback or owner
            if target_org is not None:
                c = (
                    current
                    if (
                        current is not None
                        and target_org is current_org
                        and (persons or _near_previous(ctx, idx, current))
                    )
                    else None
                )
                if c is None:
                    c = Contact(evidence=ev)
                    target_org.contacts.append(c)
                    current, current_org = c, target_org
                for ph in phones:
                    if ph.kind == "fax":
                        c.fax = c.fax or ph.number
                    elif not c.phone:
                        c.phone = ph.number
                for e in emails:
                    c.email = c.email or e
                for u in urls:
                    c.url = c.url or u
        for m in mentions:
            if m in recent:
                recent.remove(m)
            recent.append(m)
            if id(m) not in seen and section_place is not None and m.kind == "company":
                pm, hev = section_place
                if not any(
                    f.facet == "place" and f.place and f.place.municipality for f in m.facts
                ):
                    entry = pm.chosen or pm.candidates[0]
                    _add_fact(
                        m,
                        Fact("place", entry.place.name, entry.place.name, hev, place=_place(entry)),
                    )
            seen.add(id(m))
        if hits and s.role != "heading" and not _NAMED_AS_CUSTOMERS.search(text):
            subj = [h for h in hits if not _is_object(text, h)]
            if subj:
                topic = _mention_of(ctx, subj[0])
        if (
            s.role == "heading"
            and not hits
            and not persons
            and not phones
            and label_lines
            and len(label_lines) == 1
        ):
            current = None


# "Geschäftsführer der Gesellschaft zur …" — but not a referring noun ("des Käufers")
_OF_UNKNOWN = re.compile(r"\s*,?\s*(?:von|vom|von der|bei der|beim)\s+[A-ZÄÖÜ]")
_ROLE_OF_UNKNOWN = re.compile(
    r"\s*(?:der|des|vom|von der|beim)\s+(?!(?:Käufers?|Verkäufers?|Käuferin|Netzwerks?|Vereins?|"
    r"Verband(?:e)?s|Clusters?|Unternehmens?|Familienunternehmens?|Betriebs?|Firma|Gruppe|"
    r"Konzerns?|Tochter|Mutter|Gesellschaft\b(?!\s+(?:für|zur)))\b)[A-ZÄÖÜ]"
)
_ROLE_REF = re.compile(
    r"\s*(?:des|der)\s+(Netzwerks|Vereins|Verbandes|Verbands|Clusters|Unternehmens|Firma|Betriebs)\b"
)


def _org_by_email(ctx: _Ctx, emails: list[str]) -> Mention | None:
    """presse@wuerzburg.ihk.example speaks for the IHK Würzburg-Schweinfurt."""
    best, best_score = None, 0
    for e in emails:
        labels = {german.fold(x) for x in re.split(r"[.\-]", e.split("@")[-1])}
        for m in ctx.mentions.values():
            words = {
                german.fold(w)
                for n in [m.name, *m.names]
                for w in re.split(r"[\s\-/&]+", n)
                if len(w) >= 3
            }
            score = len(words & labels)
            if score > best_score:
                best, best_score = m, score
    return best


def _firm_of_family(ctx: _Ctx, person: str) -> Mention | None:
    last = person.split()[-1]
    if len(last) < 3:
        return None
    found = [
        m
        for m in ctx.mentions.values()
        if m.kind == "company" and any(last in re.split(r"[\s-]+", n) for n in [m.name, *m.names])
    ]
    return found[0] if len(found) == 1 else None


def _near_previous(ctx: _Ctx, idx: int, current: Contact) -> bool:
    """Phone lines belong to the person named just above them in a contacts block."""
    if current.evidence is None:
        return False
    for back in range(1, 4):
        if idx - back < 0:
            return False
        if ctx.sents[idx - back].text == current.evidence.sentence:
            return True
        if not find_phones(ctx.sents[idx - back].text):
            return False
    return False


def _label_org(ctx: _Ctx, label_lines: list[str]) -> Mention | None:
    """'Optik Rathenow' above a contact person names the network it stands for: the mention
    sharing most (stemmed, decompounded) words with the label."""
    if not label_lines:
        return None
    label = set(german.analyze(" ".join(label_lines)))
    best, best_score = None, 0
    for m in ctx.mentions.values():
        names = set(german.analyze(" ".join(m.names + [m.name])))
        score = len(label & names)
        if score > best_score:
            best, best_score = m, score
    return best if best_score >= 2 or (best_score == 1 and len(label) <= 2) else None


def _label_as_org(ctx: _Ctx, label_lines: list[str], s: Sentence) -> Mention | None:
    """A contacts-block label naming an organization the text did not ('Wirtschaftsministerium
    des / Landes Brandenburg') becomes that organization; a label naming none ('Gesamt-
    koordination') attaches the contact to nobody rather than to the wrong one."""
    joined = " ".join(label_lines)
    hits = orgs.find(joined, ctx.place_words, ctx.place_adjs)
    if not hits:
        return None
    return _mention(ctx, hits[0], Sentence(joined, s.block, "heading", s.page))


def _place(e: gz.Entry) -> Place:
    p = e.place
    return Place(p.name, p.municipality, p.district, p.state, list(p.regions), p.lat, p.lon)


def _place_targets(
    ctx, hits, text, pm: gz.PlaceMatch, fallback: Mention | None, role: str = "para"
) -> list[tuple[Mention, str]]:
    """Which organization a place belongs to, and how: 'place' (seat) or 'site'."""
    out: list[tuple[Mention, str]] = []
    facet = "site" if _SITE.search(text[max(0, pm.start - 40) : pm.start]) else "place"
    inside = [h for h in hits if h.start <= pm.start and pm.end <= h.end]
    if inside:
        # a place inside the name ("Netzwerk Metallindustrie Finsterwalde") is where it is —
        # unless it is the firm's own name word ("Böhme Feinmechanik", "Richter Metallbau",
        # "Franken Plastik", "Uhrenfabrik Thomas Ernst"), a word inside a longer one
        # ("Verband Deutscher …") or stands before the rest of the name ("Medical Valley EMN")
        h = inside[0]
        rest = orgs._LEGAL_RE.sub("", text[pm.end : h.end]).strip(" ,.()&-")
        before = text[h.start : pm.start].split()
        entry = pm.chosen or pm.candidates[0]
        known = orgs.lexicon().known
        if (
            (pm.start == h.start and h.kind == "company" and pm.text in surnames())
            # a firm whose whole name is a town's ("Viereck") is not thereby there
            or (pm.start == h.start and h.kind == "company" and not rest and pm.form == "name")
            # "Werner Brandt", "Dräger": a given name or a known firm, not Werne's or Drage's
            or (pm.form == "adjective" and (pm.text in first_names() or (pm.text,) in known))
            or (
                h.kind != "network"  # "Logistik Netzwerk Thüringen e. V." is Thuringia's
                and pm.form != "adjective"  # "Siegener Maschinenbau AG" is in Siegen
                and (
                    (pm.start == h.start and entry.kind != "place")
                    or (rest and not orgs.is_acronym(rest.split()[0]))
                    or (before and before[-1] in first_names())
                    or re.match(r"\w", text[pm.end : pm.end + 1])
                )
            )
        ):
            return []
        return [(_mention_of(ctx, h), "place")]
    # one record per line in lists and tables: "Weber Drehteile GmbH | Annaberg-Buchholz | 2009"
    if role in ("list", "heading") and len({id(_mention_of(ctx, h)) for h in hits}) == 1:
        if hits[0].end <= pm.start and re.fullmatch(
            r"[\s|,;:·/()–-]*", text[hits[0].end : pm.start]
        ):
            return [(_mention_of(ctx, hits[0]), "place")]
    before = text[max(0, pm.start - 45) : pm.start]
    if pm.form == "adjective":
        # "die Annaberger Firmen Weber und Kunze", "die Riesaer Firma X" — but not "Riesaer
        # Stahlbauer übernimmt X": only a classifying noun may stand between
        nxt = [h for h in hits if h.start >= pm.end and _ADJ_GAP.fullmatch(text[pm.end : h.start])]
        if nxt:
            first = nxt[0]
            group = [h for h in hits if first.group >= 0 and h.group == first.group] or [first]
            return [(_mention_of(ctx, h), "place") for h in group]
        return []
    # "X aus Höckendorf", "X (Zwönitz)", "X in Glashütte"
    prev = [
        h
        for h in hits
        if h.end <= pm.start and len(re.findall(r"\w+", text[h.end : pm.start])) <= 3
    ]
    if prev and (
        pm.cue in ("aus", "in", "im", "bei", "plz", "sitz", "standort")
        or re.search(r"\(\s*$", before)
    ):
        h = prev[-1]
        group = [x for x in hits if h.group >= 0 and x.group == h.group] or [h]
        between = text[h.end : pm.start]
        # "X aus Y", "X (Y)", "X in Y", "X mit Sitz in Y" state the seat; "X wächst in Y"
        # or "X hat ein Werk in Y" only a site
        seat = (
            pm.cue in ("aus", "plz", "sitz")
            or re.fullmatch(
                r"[\s,(]*(?:(?:mit|hat|seinen|ihren|dem)\s+)*(?:Haupt)?(?:Sitz|Firmensitz)?\s*(?:in|im|bei|aus)?\s*(?:der|dem)?\s*",
                between,
            )
            or re.search(r"\b(Sitz|ansässig|beheimatet|zu Hause)\b", between)
        )
        return [(_mention_of(ctx, x), facet if seat else "site") for x in group]
    words_before = [german.fold(w) for w in german.words(before)][-3:]
    if any(w in _EVENT_WORDS or w.endswith("konferenz") for w in words_before):
        return []
    if pm.cue in ("plz",) and fallback:
        return [(fallback, "place")]
    subj = [h for h in hits if not _is_object(text, h) and h.kind != "media"]
    if pm.cue and len({_mention_of(ctx, h).name for h in subj}) == 1:
        # the one organization a sentence is about, placed by "in"/"aus" before or after it
        if subj[0].start < pm.start or pm.cue in ("in", "im", "aus"):
            return [(_mention_of(ctx, subj[0]), facet)]
    if (
        not hits
        and pm.cue
        and fallback is not None
        and (
            re.search(r"\b(Sitz|ansässig|Standort|beheimatet|zu Hause)\b", text)
            or ctx.doc.kind == "member_page"
        )
    ):
        return [(fallback, facet)]
    return out


def _absorb(ctx: _Ctx, part: Mention, whole: Mention) -> None:
    """Fold a mention into another: its names become aliases, its facts the other's."""
    for key, m in list(ctx.mentions.items()):
        if m is part:
            del ctx.mentions[key]
            for alias, k in list(ctx.alias.items()):
                if k == key:
                    ctx.alias[alias] = next(k2 for k2, m2 in ctx.mentions.items() if m2 is whole)
    whole.names.extend(n for n in [part.name, *part.names] if n not in whole.names)
    for f in part.facts:
        _add_fact(
            whole,
            Fact("site" if f.facet == "place" else f.facet, f.value, f.label, f.evidence, f.place),
        )
    whole.sentences.extend(part.sentences)
    whole.contacts.extend(part.contacts)


def _add_fact(m: Mention, f: Fact) -> None:
    for old in m.facts:
        if (
            old.facet == f.facet
            and old.value == f.value
            and old.evidence.sentence == f.evidence.sentence
        ):
            return
    m.facts.append(f)


def _relations(
    ctx, s, hits, mentions, ev, topic, section, owner=None, members_ctx=False, recent=()
) -> None:
    text = s.text
    # list items and table rows under a network's member list, or "Mitglieder sind A, B und C"
    network = None
    for cand in (section, owner, topic):
        if cand is not None and cand.kind == "network":
            network = cand
            break
    first_cell = text.split(" | ")[0]
    is_member_line = (
        s.role == "list"
        and len(hits) >= 1
        and (
            hits[0].start == 0 and (" | " in text or len(text) - (hits[0].end - hits[0].start) < 40)
        )
        and len(first_cell) >= hits[0].end - hits[0].start - 2
    )
    if network is not None and (
        (is_member_line and members_ctx) or re.search(r"\bMitglied\w*\b", text)
    ):
        for h, m in zip(hits, mentions, strict=True):
            if m is network or m.kind == "media":
                continue
            if is_member_line and h is not hits[0]:
                continue
            if is_member_line or h.rule in ("trigger", "coordination", "legal", "head"):
                _add_fact(m, Fact("member_of", network.name, network.name, ev))
    # "Seit Januar gehört auch die X GmbH zum Netzwerk"
    joins = re.search(
        r"\b(gehört|gehören|zählt|zählen|kam|kommt)\b.{0,80}?\bzum\s+(Netzwerk|Verein|Verband|Verbund|Cluster)\b",
        text,
    )
    if joins and hits:
        net = next((m for m in reversed(list(recent)) if m.kind == "network"), None) or network
        for h in hits:
            m = _mention_of(ctx, h)
            if net is not None and m is not net and h.start < joins.end():
                _add_fact(m, Fact("member_of", net.name, net.name, ev))
    for mm in _MEMBER_OF.finditer(text):
        after = [h for h in hits if h.start >= mm.end() - 5]
        before = [h for h in hits if h.end <= mm.start()]
        if after and not before and _COREF.search(text[: mm.start()]):
            # "Wir sind Mitglied im Netzwerk …", "Das Unternehmen ist Mitglied des …"
            member = topic
            net = _mention_of(ctx, after[0])
            if member is not None and member is not net:
                _add_fact(member, Fact("member_of", net.name, net.name, ev))
        if after and before:
            net = _mention_of(ctx, after[0])
            for h in before:
                m = _mention_of(ctx, h)
                if m is not net:
                    _add_fact(m, Fact("member_of", net.name, net.name, ev))
    # "… gründeten die Mitglieder das Zentrum X als gemeinsame Geschäftsstelle": X is the
    # association's own office, not a second organization
    office = re.search(
        r"\bals\s+(?:\w+\s+)?(Geschäftsstelle|Koordinierungsstelle|Büro|Sitz)\b", text
    )
    owner = network or topic
    if (
        office
        and owner is not None
        and len(hits) == 1
        and mentions[0] is not owner
        and mentions[0].kind != "company"
    ):
        _absorb(ctx, mentions[0], owner)
    tk = _TAKEOVER.search(text)
    if tk and hits:
        before = [h for h in hits if h.end <= tk.start()]
        after = [h for h in hits if h.start >= tk.end()]
        passive = re.search(r"\b(übernommen|gekauft|erworben)\b", tk.group(0)) and re.search(
            r"\bvon\b", text[tk.start() - 60 : tk.start()] + text[tk.end() : tk.end() + 5]
        )
        pair = None
        if before and after:
            pair = (after[0], before[-1]) if passive else (before[-1], after[0])
        elif len(after) >= 2 and not passive:
            pair = (after[0], after[1])  # "Zum 1. Juli übernimmt die A die B"
        if pair:
            b, t = _mention_of(ctx, pair[0]), _mention_of(ctx, pair[1])
        elif (
            (len(after) == 1 or len(before) == 1)
            and _COREF.search(text[tk.end() :])
            and topic is not None
        ):
            # "Zum 1. April übernimmt die X GmbH den Betrieb": the firm the article is about
            b, t = _mention_of(ctx, (after or before)[0]), topic
        else:
            b = t = None
        if b is not None and t is not None and b is not t:
            _add_fact(b, Fact("successor_of", t.name, t.name, ev))
            _add_fact(t, Fact("taken_over_by", b.name, b.name, ev))
    cl = None
    for found in _CLOSED.finditer(text):
        if found.group(0) in ("eingestellt", "geschlossen") and _HIRED.search(
            text[max(0, found.start() - 60) : found.start()]
        ):
            continue  # "hat 30 Mitarbeiter eingestellt": hired, not closed; "Lücken geschlossen"
        if _PLANT.search(text[max(0, found.start() - 40) : found.end() + 30]):
            continue  # a plant or site closes, the firm goes on
        cl = found
        break
    filed = cl is not None and re.match(
        r"Insolvenz\w*\s+(?:an(?:ge)?meld|beantrag)", text[cl.start() : cl.end() + 20]
    )
    if cl and cl.group(0)[:1].isupper() and not filed:
        # "Hart trifft die Schließung auch die Kranbau GmbH": the noun closes only its genitive;
        # "X hat Insolvenz angemeldet" closes its subject (the branch below)
        gen = [
            h
            for h in hits
            if 0 <= h.start - cl.end() <= 12
            and re.match(r"\s+(der|des)\s", text[cl.end() : h.start + 1])
        ]
        targets = [_mention_of(ctx, h) for h in gen]
        if not targets and not hits and topic is not None and _COREF.search(text):
            targets = [topic]
        for m in targets:
            if m.kind == "company":
                _add_fact(m, Fact("closed", "closed", cl.group(0), ev))
    elif cl:
        subj = _subjects(hits, text, cl.start())
        targets = [_mention_of(ctx, h) for h in subj] or (
            [topic] if topic is not None and _COREF.search(text) else []
        )
        for m in targets:
            if m.kind == "company":
                _add_fact(m, Fact("closed", "closed", cl.group(0), ev))
