"""Attribution: which organization each sentence's facts, places and contacts belong to."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from . import docstate as ds
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
from .records import Contact, Evidence, Fact, Mention
from .sentences import Sentence

_COREF = re.compile(
    # "das Unternehmen", "der 1991 gegründete Betrieb", "das Riesaer Unternehmen", "sein
    # Einzelunternehmen", "die Firma": a singular phrase that refers back to a firm
    r"\b(?:(?:das|des|dem)\s+(?:[\w-]+\s+){0,3}?(?:Unternehmens?|Familienunternehmens?|Einzelunternehmens?|Team|Start-?up|Netzwerks?|Werk)"
    r"|(?:der|des|dem|den)\s+(?:[\w-]+\s+){0,3}?(?:Betriebs?|Familienbetriebs?|Hersteller|Zulieferer|Spezialist(?:en)?|Mittelständler|Lohnfertiger|Dienstleister|Vereins?|Verband(?:es)?|Verbunds?)"
    r"|(?:die|der)\s+(?:[\w-]+\s+){0,3}?(?:Firma|Gesellschaft|Werkstatt|Dreherei|Schleiferei|Gießerei|Härterei|Manufaktur"
    r"|\w*[Ss]chmiede|\w*[Gg]ießerei|\w*[Dd]rückerei|Fräserei|Stanzerei|Lackiererei|Galvanik|Werft)"
    r"|(?:sein|seine|seinem|seinen|seiner|ihr|ihre|ihrem|ihren|ihrer)\s+(?:[\w-]+\s+){0,2}?(?:Unternehmen|Einzelunternehmen|Betrieb|Firma|Werkstatt|Team)"
    # compounds of those nouns: "Das Traditionsunternehmen", "der Maschinenbaubetrieb"
    r"|(?:das|des|dem)\s+(?:[\w-]+\s+){0,2}?[\w-]+(?:unternehmens?)"
    r"|(?:der|des|dem|den)\s+(?:[\w-]+\s+){0,2}?[\w-]+(?:betriebs?|zulieferer|hersteller|spezialist)"
    r"|(?:die|der)\s+(?:[\w-]+\s+){0,2}?[\w-]+firma"
    # what a firm offers or whom it serves, as the subject: "Das Leistungsspektrum umfasst …",
    # "Zu den wichtigsten Kunden zählen …"
    r"|^\s*(?:das|die|der|zum|zur|zu\s+den|im|in\s+der)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:leistungsspektrum|\w*portfolio|sortiment|produktpalette|produktprogramm|\w*aufgabengebiet|kerngeschäft|kerngeschäfts|kunden|kundenstamm|hauptkunden|stammkunden|abnehmern?|auftraggebern?)\b"
    r"|die\s+Mitarbeiter|die\s+Belegschaft|wir|uns|unser\w*|seit\s+\d{4}\s+(?:ist|liefert|fertigt|produziert)"
    # "Ihre Präzisionsventile werden in 60 Länder exportiert.": a sentence that opens with a
    # possessive and a noun goes on about the firm just discussed
    r"|^\s*(?:ihre|ihr|seine|sein)\s+(?=[A-ZÄÖÜ]))\b",
    re.IGNORECASE,
)
_CUSTOMER = re.compile(
    r"\b(Herstellern?|Produzenten|Kunden|Abnehmern?|Auftraggebern?|Anwendern?|beliefer\w*|liefer\w* an|"
    r"Werkzeuge für|Vorrichtungen für|Teile für|Gussteile für|Komponenten für)\b[^.;:!?]*$"
    # "für die Möbelindustrie" — but "bekannt für seine Bohrmaschinen" names its own products
    r"|\bfür\s+(?!(?:seine|ihre|unsere|sein|ihr|unser)\w*\s)(?:die\s+|den\s+|das\s+)?(?:[\w,-]+\s+){0,3}$",
    re.IGNORECASE,
)
_BOUGHT = re.compile(
    r"^[^.;:!?]*?\b(bezog|bezieht|beziehen|bezogen|zukauf\w*|eingekauft|kauft\w* ein|übernehmen unsere Kunden|übernimmt ein)\b"
)
_ADJ_GAP = re.compile(
    r"\s*(?:(?:Firma|Firmen|Betriebe?|Unternehmens?|Traditionsfirma|"
    r"Traditionsunternehmen|Familienbetrieb|Familienunternehmen|Mittelständler|Metallbetriebe?|Lohnfertiger|"
    r"Dienstleister|Betriebe|Mitgliedsfirmen|Mitgliedsunternehmen|"
    # "Zulieferer", and classifying compounds: "Optikhersteller", "Augenoptik-Herstellers"
    r"(?:[A-ZÄÖÜ][\wäöüß]*-?)?(?:[Hh]ersteller|[Zz]ulieferer|[Aa]nbieter|[Ss]pezialist)(?:s|n|en)?)"
    r"\s+)?(?:die\s+|der\s+)?[„\"»]?"
)
# a referring noun right after a place adjective: "das Jenaer Unternehmen", "der Suhler
# Familienbetrieb", "die Geraer Traditionsfirma"
_PLACED_REFERENCE = re.compile(
    r"\s+[\w-]*(?:[Uu]nternehmens?|[Bb]etriebs?|[Ff]irma|Mittelständlers?)\b(?P<colon>\s*:)?"
)
_REFERENCE_ARTICLE = re.compile(
    r"\b(?:das|der|dem|des|den|die|im|beim|vom|zum)\s+(?:[\w-]+\s+)?$", re.IGNORECASE
)
_PROCESS_NOUN = re.compile(r"(?:[a-zäöüß]+\s+)?(?:[\w-]+-)?[A-ZÄÖÜ][a-zäöüß]+(?:en|ung)")
_WE = re.compile(r"\b([Ww]ir|[Uu]ns|[Uu]nser\w*)\b")
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
# "eine Tochter der Y AG", "Die Tochtergesellschaft des Y-Konzerns": the firm before it (or the
# one the heading named) belongs to Y, and is not Y
_SUBSIDIARY = re.compile(
    r"\b(?:Tochter|Tochtergesellschaft|Tochterfirma|Tochterunternehmen|Konzerntochter)\s+"
    r"(?:der|des|von)\s+"
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


# a headline that places firms: "Optikunternehmen aus Wetzlar", "Zulieferer in Jena"
_FIRMS_FROM = re.compile(
    r"(?:unternehmen|firmen|betriebe|hersteller|zulieferer)\w*\s+(?:aus|in)\b", re.I
)


@dataclass
class Topic:
    """What the walk over a document carries from one sentence to the next.

    The stages read and update it in order; nothing else survives between sentences.
    """

    owner: Mention | None  # the organization a member or company page presents
    topic: Mention | None = None  # what "das Unternehmen", "der Betrieb" refers to
    section: Mention | None = None  # the organization a heading named
    section_block: int = -1
    section_place: tuple[gz.PlaceMatch, Evidence] | None = None  # "Prenzlau: Armaturen …"
    label_lines: list[str] = field(default_factory=list)  # unnamed lines above a contacts group
    label_org: Mention | None = None  # an organization heading right above a contacts group
    block_org: dict[int, Mention] = field(default_factory=dict)  # who an address block names
    recent: list[Mention] = field(default_factory=list)  # in order of last appearance
    seen: set[int] = field(default_factory=set)  # mentions met before this sentence
    members_ctx: bool = False  # inside a member list ("Unsere Mitglieder")
    current: Contact | None = None  # the contact the next phone line belongs to
    current_org: Mention | None = None


@dataclass
class Here:
    """One sentence as the stages see it: its organizations, persons and whom it refers to."""

    idx: int
    s: Sentence
    ev: Evidence
    hits: list[orgs.OrgHit]
    mentions: list[Mention]
    persons: list
    phones: list
    refers_back: bool = False  # "das Unternehmen", "die Firma", "wir"
    fallback: Mention | None = None  # who a sentence naming nobody speaks of
    coref_topic: Mention | None = None
    only_objects: bool = False  # every organization named is an object ("mit der X GmbH")

    @classmethod
    def read(cls, ctx: ds.DocState, idx: int, hits: list[orgs.OrgHit]) -> Here:
        """Sentence `idx` of `ctx` with the organizations `hits` it names."""
        s = ctx.sents[idx]
        return cls(
            idx=idx,
            s=s,
            ev=ds.evidence(ctx, s),
            hits=hits,
            mentions=[ds.mention_of(ctx, h) for h in hits],
            persons=orgs.real_persons(s.text),
            phones=find_phones(s.text),
        )

    @property
    def text(self) -> str:
        return self.s.text

    def about(self, ctx: ds.DocState, pos: int) -> list[Mention]:
        """The organization(s) a fact at character `pos` of this sentence is about."""
        hits, text = self.hits, self.text
        inside = [h for h in hits if h.start <= pos < h.end]
        if inside:
            return [ds.mention_of(ctx, inside[0])]  # "Rieger Stanztechnik KG" names its trade
        if self.only_objects and self.coref_topic is not None:
            # "… ist das Unternehmen mit der X GmbH, die Treppen baut": after the object,
            # its relative clause speaks of the object
            before = [h for h in hits if h.end <= pos]
            return [ds.mention_of(ctx, before[-1])] if before else [self.coref_topic]
        subj = ds.subjects(hits, text, pos)
        if subj:
            return [ds.mention_of(ctx, h) for h in subj]
        return [self.fallback] if self.fallback else []


Stage = Callable[[ds.DocState, Topic, Here], None]


def attribute(
    ctx: ds.DocState, per_sentence: list[list[orgs.OrgHit]], owner: Mention | None
) -> None:
    """Run the stages over every sentence in order, each over the shared `Topic`.

    Example:
        >>> from ingest.extract import find_mentions
        >>> from ingest.records import Block, Document
        >>> ctx = ds.DocState(Document("d", "d.txt", "press_article", "", None, "de", "h", [
        ...     Block("Die Weber Drehteile GmbH aus Suhl fertigt Wellen."),
        ...     Block("Das Unternehmen härtet auch.")]))
        >>> per_sentence = find_mentions(ctx)
        >>> attribute(ctx, per_sentence, None)
        >>> [f.value for f in ds.mention_of(ctx, per_sentence[0][0]).facts]
        ['cap.shafts', 'Suhl', 'cap.heat_treatment']
    """
    st = Topic(owner=owner, topic=owner)
    for idx, hits in enumerate(per_sentence):
        here = Here.read(ctx, idx, hits)
        for stage in STAGES:
            stage(ctx, st, here)


def headings(ctx: ds.DocState, st: Topic, here: Here) -> None:
    """A heading naming one firm starts its section; unnamed headings label a contacts group."""
    s, text, hits, mentions = here.s, here.text, here.hits, here.mentions
    if s.role == "heading":
        # "Prenzlau: Armaturen für Fernwärme" places the firms its section introduces
        places_here = [pm for pm in ctx.place_matches[here.idx] if pm.form == "name"]
        st.section_place = (
            (places_here[0], here.ev)
            if len(places_here) == 1
            and not hits
            and (ctx.doc.kind != "press_article" or _FIRMS_FROM.search(text))
            else None
        )  # a press headline's place is the story's, not every firm's in it
    if s.role in ("heading", "title"):
        if len(set(map(id, mentions))) == 1 and not here.persons and not here.phones:
            st.section = mentions[0]
            st.section_block = s.block
            st.label_org = mentions[0]
            st.label_lines = []
            st.topic = mentions[0]  # a heading naming a firm starts its section: "der Betrieb"
        elif not hits and not here.persons and not here.phones:
            st.label_lines.append(text)
            if len(st.label_lines) > 3:
                st.label_lines = st.label_lines[-3:]
    elif s.role == "para" and len(text) > 80:
        st.label_lines, st.label_org = [], None


def references(ctx: ds.DocState, st: Topic, here: Here) -> None:
    """Whom a sentence that names nobody speaks of: "wir", "das Riesaer Unternehmen", a section."""
    s, text, hits = here.s, here.text, here.hits
    # "Unsere Region ist ein Zentrum der Feinmechanik" speaks of the region, not for the firm
    about_place = _OUR_PLACE.search(text) or _PLACE_SUBJECT.match(text)
    probe = _OUR_PLACE.sub(lambda m: " " * len(m.group(0)), text)
    coref = _COREF.search(probe) or _SHARE_OF_OUTPUT.search(probe)
    generic = _GENERIC_FIRMS.search(probe) or about_place
    if generic and (coref is None or generic.start() < coref.start()):
        coref = None  # "Kleine Galvanik-Betriebe, die …": firms in general, not the one discussed
    here.refers_back = bool(coref)
    if coref and st.topic is not None:
        # "Das Riesaer Unternehmen": the recent firm from Riesa, not simply the last one
        towns = {
            german.fold((pm.chosen or pm.candidates[0]).place.name)
            for pm in ctx.place_matches[here.idx]
            if pm.form == "adjective" and coref.start() <= pm.start < coref.end()
        }
        if towns:
            located = [
                m
                for m in reversed(st.recent)
                if any(
                    f.facet in ("place", "site") and german.fold(f.value) in towns for f in m.facts
                )
            ]
            if located:
                st.topic = located[0]
    speaker = _speaker_org(ctx, here) if not hits else None
    if speaker is not None:
        # "Anna Roth: Wir härten …" in an interview speaks for the firm of Anna Roth
        here.fallback = speaker
        here.refers_back = True
        st.topic = speaker
    elif not hits and not (generic and not here.refers_back):
        if _WE.search(probe) and st.owner is not None:
            here.fallback = st.owner  # "wir", "unsere" on a member page speak for its owner
        elif here.refers_back and st.topic is not None:
            here.fallback = st.topic  # "das Unternehmen", "die Firma": the one just discussed
        elif (
            st.section is not None
            and (s.block == st.section_block or s.role in ("para", "list"))
            and s.role != "heading"
        ):
            here.fallback = st.section
        elif st.owner is not None and ctx.doc.kind == "member_page":
            here.fallback = st.owner
    # "… haben die Firma 2016 gegründet, direkt nach dem Studium an der TU Chemnitz":
    # when every organization named is an object, a referring phrase wins
    here.coref_topic = st.topic if here.refers_back and st.topic is not None else None
    here.only_objects = bool(hits) and all(ds.is_object(text, h) for h in hits)


# "unsere Region", "unser Land", "unsere Branche": the place or trade, not the speaker's firm
_OUR_PLACE = re.compile(
    r"\b[Uu]nser\w*\s+(?:[\w-]+\s+)?(?:Region|Stadt|Gemeinde|Land|Landkreis|Kreis|Heimat|"
    r"Bundesland|Freistaat|Branche|Industrie|Wirtschaft|Gesellschaft|Standortes?|Raum|Tal)\b"
)
# a region, town or trade as the subject: "Die Region ist seit jeher …", "Die Branche wächst"
_PLACE_SUBJECT = re.compile(
    r"^\s*(?:Die|Der|Unsere|Ganz)\s+(?:[\w-]+\s+)?(?:Region|Stadt|Gemeinde|Landkreis|Branche|"
    r"Industrie|Wirtschaft)\b"
)
# firms in general as the subject: "viele Anbieter", "Kleine Galvanik-Betriebe, die …",
# "Große Schmuckhersteller haben …"
_GENERIC_FIRMS = re.compile(
    r"(?:\b(?:[Vv]iele|[Ee]inige|[Mm]anche|[Aa]ndere|[Kk]leine|[Kk]leinere|[Gg]roße|[Gg]rößere|"
    r"[Zz]ahlreiche|[Dd]ie meisten|[Vv]iele andere)\s+(?:[\w-]+\s+)?"
    r"|^\s*(?:[A-ZÄÖÜ][\w-]*-)?)"
    r"[\w-]*(?:Unternehmen|Firmen|Betriebe|Hersteller|Anbieter|Zulieferer|Werkstätten)\b"
    r"(?!\s+(?:der|des)\b)"
)
# "50 Prozent gehen in die Autoindustrie", "Der Rest geht an die Medizintechnik": where the
# output of the firm just discussed goes
_SHARE_OF_OUTPUT = re.compile(
    r"(?:\b\d{1,3}\s*(?:Prozent|%)|\b[Dd]er Rest|\b[Dd]er (?:größte Teil|Großteil)|"
    r"\b(?:[Ee]in|[Zz]wei) (?:Drittel|Viertel)|\b[Dd]ie Hälfte)"
    r"[^.;:!?]{0,40}?\b(?:gehen|geht|gingen|ging|fließen|fließt|werden|wird)\b"
    r"[^.;:!?]{0,40}?\b(?:in|an)\s+(?:die|den|der|das)\b"
)
# an interview's speaker line: "Anna Roth: …"
_SPEAKER = re.compile(r"^\s*((?:[A-ZÄÖÜ][\w-]+\s+){1,2}[A-ZÄÖÜ][\w-]+)\s*:\s")


def _speaker_org(ctx: ds.DocState, here: Here) -> Mention | None:
    """The organization whose contact opens the sentence as its speaker ("Anna Roth: …")."""
    m = _SPEAKER.match(here.text)
    if not m:
        return None
    name = m.group(1)
    owners = [o for o in ctx.mentions.values() if any(c.person == name for c in o.contacts)]
    return owners[-1] if len(owners) == 1 else None


def taxonomy_facts(ctx: ds.DocState, st: Topic, here: Here) -> None:
    """Capabilities, materials, industries the sentence states of its subject."""
    text, hits = here.text, here.hits
    for cm in ctx.tax.match(text, document=ctx.doc.language or "de"):
        concept = ctx.tax.concepts[cm.concept]
        if any(h.start <= cm.start < h.end for h in hits):
            # a name hints at a trade but states nothing ("Rieger Stanztechnik KG", "Netzwerk
            # Fertigungstechnik Metallbearbeitung"); search weighs names on their own
            continue
        customer = _CUSTOMER.search(text[max(0, cm.start - 60) : cm.start])
        if (
            customer
            and customer.group(0).lower().startswith("für")
            and _PROCESS_NOUN.fullmatch(cm.text)
            and _is_process(concept)
        ):
            customer = None  # "ein Bearbeitungszentrum für das 5-Achs-Fräsen": its own process
        if concept.facet in ("capability", "material") and (
            customer or _BOUGHT.search(text[cm.end : cm.end + 80])
        ):
            # "… beliefern wir Hersteller von Hydraulikkomponenten", "… Gussteile aus der
            # Nachbarschaft bezog": a customer's trade or a purchase, not a capability
            continue
        for m in here.about(ctx, cm.start):
            ds.add_fact(m, Fact(concept.facet, concept.id, concept.label_de, here.ev))


def _is_process(concept: tx.Concept) -> bool:
    """A process ("Milling", "Optical coating"), not a product ("Valves"): "für Armaturen" names
    what the output serves, "für das Fräsen" what the machine does.

    >>> from ingest import taxonomy as tx
    >>> _is_process(tx.load().concepts["cap.milling"]), _is_process(tx.load().concepts["cap.valves"])
    (True, False)
    """
    first = re.split(r"\s*/\s*", concept.label_en)[0].strip().lower()
    return first.endswith("ing")


def places(ctx: ds.DocState, st: Topic, here: Here) -> None:
    """Each place the sentence names goes to the organization it seats or sites, if any."""
    for pm in ctx.place_matches[here.idx]:
        entry = pm.chosen or pm.candidates[0]
        for m, facet in _place_targets(ctx, here.hits, here.text, pm, here.fallback, here.s.role):
            ds.add_fact(
                m,
                Fact(facet, entry.place.name, entry.place.name, here.ev, place=ds.place_of(entry)),
            )


def numbers(ctx: ds.DocState, st: Topic, here: Here) -> None:
    """Headcount, founding year and a network's member count."""
    text = here.text
    for mm in _EMPLOYEES.finditer(text):
        for m in here.about(ctx, mm.start()):
            if m.kind != "company":
                continue
            word = mm.group(1).lower()
            n = str(_NUMBER_WORDS[word]) if word in _NUMBER_WORDS else re.sub(r"\D", "", word)
            if (
                mm.group(2).lower() == "mann"
                and not mm.group(0).endswith("-Betrieb")
                and "-" not in mm.group(0)
            ):
                continue  # "zwei Mann" at a machine is not the headcount
            ds.add_fact(m, Fact("employees", n, f"{n} Mitarbeiter", here.ev))
    for mm in _FOUNDED.finditer(text):
        year = mm.group(1) or mm.group(2)
        for m in here.about(ctx, mm.start())[:1]:
            ds.add_fact(m, Fact("founded", year, f"gegründet {year}", here.ev))
    if _NETWORK_WORDS.search(text):
        for mm in _MEMBERS.finditer(text):
            for m in here.about(ctx, mm.start())[:1]:
                if m.kind == "network":
                    label = f"{mm.group(1)} {mm.group(2)}"
                    ds.add_fact(m, Fact("network_size", mm.group(1), label, here.ev))


def relations(ctx: ds.DocState, st: Topic, here: Here) -> None:
    """Memberships, takeovers, closures (`_relations`), knowing whether a member list is open."""
    s = here.s
    if s.role in ("heading", "para") and not here.hits:
        st.members_ctx = bool(re.search(r"\bMitglied", s.text)) or (
            st.members_ctx and s.role == "para"
        )
    _relations(
        ctx, s, here.hits, here.mentions, here.ev, st.topic, st.section, st.owner,
        st.members_ctx, st.recent,
    )  # fmt: skip


# ---- contact persons: who is one (skip rules), and whose (owner rules), each tried in order

PersonRule = Callable[[ds.DocState, Topic, Here, object, "tuple[str, int] | None"], bool]
OwnerRule = Callable[[ds.DocState, Topic, Here, object, "tuple[str, int] | None"], "Mention | None"]


def _not_a_person_of_a_firm(ctx, st, here, p, role) -> bool:
    # an official, a photo credit, "Carl Zeiss" the company, or the person a firm is named
    # after ("Metallgießerei Ralf Mewes GmbH")
    return (
        not_a_contact(here.text, p, role[0] if role else None)
        or tuple(p.name.split()) in orgs.lexicon().known
        or any(h.start <= p.start and p.end <= h.end for h in here.hits)
    )


def _role_at_an_unknown_org(ctx, st, here, p, role) -> bool:
    # "…, Geschäftsführer der Gesellschaft zur …", "…, Geschäftsführer Metallpresswerk
    # Hohenlimburg": an organization nobody recognised
    if not role:
        return False
    text = here.text
    after_role = role[1] > p.start  # "X, Geschäftsführer …"
    unknown = _ROLE_OF_UNKNOWN.match(text[role[1] :]) or (
        after_role and re.match(r"\s+[A-ZÄÖÜ]", text[role[1] :])
    )
    return bool(unknown) and not any(0 <= h.start - role[1] < 40 for h in here.hits)


def _from_an_unknown_org(ctx, st, here, p, role) -> bool:
    # "Carsten Ott von Hessen Trade & Invest"
    return (
        not role
        and bool(_OF_UNKNOWN.match(here.text[p.end :]))
        and not any(0 <= h.start - p.end < 12 for h in here.hits)
    )


def _role_glued_to_unknown(ctx, st, here, p, role) -> bool:
    # "VDWF-Geschäftsführer X" where nobody recognised the VDWF
    text = here.text
    return bool(
        role
        and not role[1] > p.start
        and re.search(r"[\wÄÖÜäöüß]-\w*$", text[: role[1]])
        and not any(0 <= role[1] - len(role[0]) - 1 - h.end <= 1 for h in here.hits)
    )


def _quoted_nobody(ctx, st, here, p, role) -> bool:
    # "… sagte Anna Beispiel": whose person is a guess, so nobody's
    return (
        role is None
        and _firm_of_family(ctx, p.name) is None
        and here.s.role == "para"
        and ctx.doc.kind != "member_page"
    )


# a photo caption: "Anna Roth (links) mit …", "v. l.:", "© Foto"
_CAPTION = re.compile(
    r"\((?:links|rechts|Mitte|M\.|l\.|r\.|v\.\s?l\.(?:\s?n\.\s?r\.)?)\)|\bv\.\s?l\.|\bvon links\b|©"
)


def _unroled_in_caption(ctx, st, here, p, role) -> bool:
    # "Geschäftsführer Udo Brandl (rechts) mit Landrat … und Erich Sommer. © Kunz": who the
    # others in a photo are the caption does not say
    return role is None and bool(_CAPTION.search(here.text))


PERSON_SKIPS: tuple[PersonRule, ...] = (
    _unroled_in_caption,
    _not_a_person_of_a_firm,
    _role_at_an_unknown_org,
    _from_an_unknown_org,
    _role_glued_to_unknown,
    _quoted_nobody,
)


def _owner_by_role(ctx, st, here, p, role) -> Mention | None:
    if not role:
        return None
    text, hits = here.text, here.hits
    after = [
        h
        for h in hits
        if h.start >= role[1] - 2
        and h.start - role[1] < 40
        # "Geschäftsführer X und der Vorstandsvorsitzende der Y AG": Y is the other role's
        and not ROLE_RE.search(text[role[1] : h.start])
    ]
    org = ds.mention_of(ctx, after[0]) if after else None
    # "Friesland Kabel-Geschäftsführer Klaus Moorlampen": the firm before the role
    role_at = text.rfind(role[0], 0, role[1])
    glued = [h for h in hits if 0 <= role_at - h.end <= 1 and role_at > 0]
    if glued and text[role_at - 1] in "-\u2011":
        org = ds.mention_of(ctx, glued[-1])
    if org is None:
        # "Geschäftsführerin des Netzwerks": the network just discussed
        ref = _ROLE_REF.match(text[role[1] :])
        if ref:
            networks = ("netzwerks", "vereins", "verbandes", "verbands", "clusters")
            want = "network" if ref.group(1).lower() in networks else "company"
            org = next((m for m in reversed(st.recent) if m.kind == want), None)
    if org is None and hits and all(ds.is_object(text, h) for h in hits):
        org = _staff_topic(st)  # "Gründer X hat an der TH Wildau promoviert"
    return org


def _staff_topic(st: Topic) -> Mention | None:
    """The organization a manager named without one works for: the topic when it is a firm or
    network, else the firm named last ("Geschäftsführer X führte durch das Unternehmen" after a
    sentence about the university it works with)."""
    if st.topic is None or st.topic.kind in ("company", "network"):
        return st.topic
    return next((m for m in reversed(st.recent) if m.kind == "company"), None)


def _owner_known_before(ctx, st, here, p, role) -> Mention | None:
    # "Friesland Kabel-Geschäftsführer Klaus Moorlampen" before: his firm in later sentences too
    # — in the same role: the chair of a network may run a firm of his own
    owners = [
        o
        for o in ctx.mentions.values()
        if any(
            c.person == p.name and c.role and (role is None or c.role == role[0])
            for c in o.contacts
        )
    ]
    return owners[0] if len(owners) == 1 else None


def _owner_we_speak_for(ctx, st, here, p, role) -> Mention | None:
    # "Im März hat unser Geschäftsführer X …" on a firm's own page: the page's firm
    if here.hits or st.owner is None or not _WE.search(here.text):
        return None
    return st.owner


def _owner_by_block_email(ctx, st, here, p, role) -> Mention | None:
    if here.s.role != "contact" or here.hits:
        return None
    block = here.s.block
    return _org_by_email(
        ctx, [e for x in ctx.sents if x.block == block for e in find_emails(x.text)]
    )


def _owner_referred_to(ctx, st, here, p, role) -> Mention | None:
    return here.coref_topic if here.only_objects else None


def _owner_of_contact_block(ctx, st, here, p, role) -> Mention | None:
    if here.s.role != "contact":
        return None
    return st.block_org.get(here.s.block) or st.owner  # a contact card on the firm's own page


def _owner_by_family_or_topic(ctx, st, here, p, role) -> Mention | None:
    if here.hits:
        return None
    # "Inhaber Walter Kolbe": the family firm that bears the surname; else "sagt
    # Vertriebsleiter X" speaks for the firm just discussed
    return _firm_of_family(ctx, p.name) or (_staff_topic(st) if role or here.refers_back else None)


def _owner_bearing_the_name(ctx, st, here, p, role) -> Mention | None:
    # "… in der Uhrenfabrik X repariert Bernhard Steinel Fahrräder": the firm that bears the
    # person's family name, though the sentence names another organization too
    if not here.hits:
        return None
    if role is None and re.match(r"\s*[,;]", here.text[p.end :]):
        return None  # "Gründungsunternehmen: Adolf Würth, Albert Berner, …": a list of firms
    return _firm_of_family(ctx, p.name)


def _owner_only_one_named(ctx, st, here, p, role) -> Mention | None:
    near = [h for h in here.hits if h.kind != "media" and not _after_event(here.text, h.start)]
    return ds.mention_of(ctx, near[0]) if len(near) == 1 else None


def _after_event(text: str, pos: int) -> bool:
    """An event word among the three words before `pos`: '… auf der Zulieferkonferenz der
    Wirtschaftsförderung Sachsen' (its host, not a speaker's firm), 'Messe in Leipzig' (its
    venue, not a firm's seat)."""
    words = [german.fold(w) for w in german.words(text[max(0, pos - 45) : pos])][-3:]
    return any(w in _EVENT_WORDS or w.endswith("konferenz") for w in words)


def _owner_by_label(ctx, st, here, p, role) -> Mention | None:
    s = here.s
    if s.role not in ("heading", "list", "contact"):
        return None
    if st.label_org is not None and not st.label_lines:
        return st.label_org
    if st.label_lines:
        return _label_org(ctx, st.label_lines) or _label_as_org(ctx, st.label_lines, s)
    if st.current_org is not None and here.idx > 0 and find_phones(ctx.sents[here.idx - 1].text):
        return st.current_org  # a second person in the same contacts group
    return st.section or st.owner


def _owner_fallback(ctx, st, here, p, role) -> Mention | None:
    return here.fallback


OWNER_RULES: tuple[OwnerRule, ...] = (
    _owner_by_role,
    _owner_known_before,
    _owner_by_block_email,
    _owner_referred_to,
    _owner_of_contact_block,
    _owner_we_speak_for,
    _owner_bearing_the_name,
    _owner_by_family_or_topic,
    _owner_only_one_named,
    _owner_by_label,
    _owner_fallback,
)


def persons(ctx: ds.DocState, st: Topic, here: Here) -> None:
    """Each person named becomes a contact of the first organization an owner rule finds."""
    for p in here.persons:
        role = role_near(here.text, p)
        if any(skip(ctx, st, here, p, role) for skip in PERSON_SKIPS):
            continue
        org = next(
            (o for rule in OWNER_RULES if (o := rule(ctx, st, here, p, role)) is not None), None
        )
        if org is None:
            continue
        c = Contact(person=p.name, role=role[0] if role else "", evidence=here.ev)
        org.contacts.append(c)
        st.current, st.current_org = c, org
        st.label_lines, st.label_org = [], None


def contact_details(ctx: ds.DocState, st: Topic, here: Here) -> None:
    """Roles on their own line, phones, e-mail addresses and web sites, to the contact above."""
    s, text, hits, idx = here.s, here.text, here.hits, here.idx
    if hits and s.role == "contact":
        st.block_org.setdefault(s.block, ds.mention_of(ctx, hits[0]))
    current = st.current
    if (
        not here.persons
        and s.role == "contact"
        and current is not None
        and not current.role
        and ROLE_RE.match(text)
        and len(text) < 60
    ):
        current.role = text  # "Ines Vogel" / "Vertrieb und Angebote" / "Tel. …"
    emails = find_emails(text)
    urls = find_urls(text)
    if not (here.phones or emails or urls):
        return
    if hits and not here.persons:
        target = ds.mention_of(ctx, hits[0])
    elif current is not None and idx > 0 and (here.persons or _near_previous(ctx, idx, current)):
        target = st.current_org
    elif s.role == "contact":
        # an address or footer block speaks for the organization named in it, else the page's
        target = st.block_org.get(s.block) or st.owner or here.fallback
    elif st.label_lines:
        target = _label_org(ctx, st.label_lines) or _label_as_org(ctx, st.label_lines, s)
    else:
        target = here.fallback or st.owner
    if target is None:
        return
    c = (
        current
        if (
            current is not None
            and target is st.current_org
            and (here.persons or _near_previous(ctx, idx, current))
        )
        else None
    )
    if c is None:
        c = Contact(evidence=here.ev)
        target.contacts.append(c)
        st.current, st.current_org = c, target
    for ph in here.phones:
        if ph.kind == "fax":
            c.fax = c.fax or ph.number
        elif not c.phone:
            c.phone = ph.number
    for e in emails:
        c.email = c.email or e
    for u in urls:
        c.url = c.url or u


def topic_shift(ctx: ds.DocState, st: Topic, here: Here) -> None:
    """After the sentence: who was named last, the section's place for newcomers, the new topic."""
    s, text, hits = here.s, here.text, here.hits
    seen_before = set(st.seen)
    for m in here.mentions:
        if m in st.recent:
            st.recent.remove(m)
        st.recent.append(m)
        if id(m) not in st.seen and st.section_place is not None and m.kind == "company":
            pm, hev = st.section_place
            if not any(f.facet == "place" and f.place and f.place.municipality for f in m.facts):
                entry = pm.chosen or pm.candidates[0]
                ds.add_fact(
                    m,
                    Fact(
                        "place", entry.place.name, entry.place.name, hev, place=ds.place_of(entry)
                    ),
                )
        st.seen.add(id(m))
    if hits and s.role != "heading" and not ds.NAMED_AS_CUSTOMERS.search(text):
        subj = [h for h in hits if not ds.is_object(text, h)]
        if subj:
            st.topic = ds.mention_of(ctx, subj[0])
        else:
            # "Am Schweißsimulator von Metallbau-Heinze …": a firm introduced as the owner of a
            # thing is what "der Betrieb" in the next sentence refers to
            new = {
                id(m): m
                for h, m in zip(hits, here.mentions, strict=True)
                if m.kind == "company"
                and id(m) not in seen_before
                and _OWNER_VON.search(text[: h.start])
            }
            if len(new) == 1:
                st.topic = next(iter(new.values()))
    if (
        s.role == "heading"
        and not hits
        and not here.persons
        and not here.phones
        and st.label_lines
        and len(st.label_lines) == 1
    ):
        st.current = None  # a one-line heading starts a new contacts group


# a thing and its owner: "am Stand von", "im Werk von" (not "Teile von", "Kunden von")
_OWNER_VON = re.compile(r"\b(?:am|im|beim|vom)\s+[\w-]+\s+von\s+(?:der\s+|dem\s+)?$")


# The order matters: references need the heading's section; contacts need the places and
# relations stated first (a label may name a mention); the topic shifts only at the end.
STAGES: tuple[Stage, ...] = (
    headings,
    references,
    taxonomy_facts,
    places,
    numbers,
    relations,
    persons,
    contact_details,
    topic_shift,
)


# "Geschäftsführer der Gesellschaft zur …" — but not a referring noun ("des Käufers")
_OF_UNKNOWN = re.compile(r"\s*,?\s*(?:von|vom|von der|bei der|beim)\s+[A-ZÄÖÜ]")
_ROLE_OF_UNKNOWN = re.compile(
    r"\s*(?:der|des|vom|von der|beim)\s+(?!(?:Käufers?|Verkäufers?|Käuferin|Netzwerks?|Vereins?|"
    r"Verband(?:e)?s|Clusters?|Unternehmens?|Familienunternehmens?|Betriebs?|Firma|Gruppe|"
    r"Konzerns?|Tochter|Mutter|Gesellschaft\b(?!\s+(?:für|zur)))\b)[A-ZÄÖÜ]"
    # "Vertriebsleiter eines Zulieferers aus Aschaffenburg": a firm the text does not name
    r"|\s*(?:eines|einer)\s+(?:[\w-]+\s+)?[A-ZÄÖÜ]"
)
_ROLE_REF = re.compile(
    r"\s*(?:des|der)\s+(Netzwerks|Vereins|Verbandes|Verbands|Clusters|Unternehmens|Firma|Betriebs)\b"
)


def _org_by_email(ctx: ds.DocState, emails: list[str]) -> Mention | None:
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


def _firm_of_family(ctx: ds.DocState, person: str) -> Mention | None:
    last = person.split()[-1]
    if len(last) < 3:
        return None
    first = person.split()[0]

    def bears(n: str) -> bool:
        words = re.split(r"[\s-]+", n)
        if last not in words:
            return False
        # "CWG Christian Weber GmbH" bears Christian Weber's name, not Wolfgang Weber's
        before = words[words.index(last) - 1] if words.index(last) > 0 else ""
        return not (before in first_names() and before != first)

    found = [
        m
        for m in ctx.mentions.values()
        if m.kind == "company" and any(map(bears, [m.name, *m.names]))
    ]
    return found[0] if len(found) == 1 else None


def _near_previous(ctx: ds.DocState, idx: int, current: Contact) -> bool:
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


def _label_org(ctx: ds.DocState, label_lines: list[str]) -> Mention | None:
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


def _label_as_org(ctx: ds.DocState, label_lines: list[str], s: Sentence) -> Mention | None:
    """A contacts-block label naming an organization the text did not ('Wirtschaftsministerium
    des / Landes Brandenburg') becomes that organization; a label naming none ('Gesamt-
    koordination') attaches the contact to nobody rather than to the wrong one."""
    joined = " ".join(label_lines)
    hits = orgs.find(joined, ctx.place_words, ctx.place_adjs)
    if not hits:
        return None
    return ds.mention(ctx, hits[0], Sentence(joined, s.block, "heading", s.page))


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
            pm.start == h.start
            and text[pm.end : pm.end + 1] == "-"
            and " " not in rest
            and orgs.head_kind(rest) == "company"
            and pm.form == "name"
        ):
            return [(ds.mention_of(ctx, h), "place")]  # "Suhl-Optronik" is in Suhl
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
        return [(ds.mention_of(ctx, h), "place")]
    # one record per line in lists and tables: "Weber Drehteile GmbH | Annaberg-Buchholz | 2009"
    if role in ("list", "heading") and len({id(ds.mention_of(ctx, h)) for h in hits}) == 1:
        if hits[0].end <= pm.start and re.fullmatch(
            r"[\s|,;:·/()–-]*", text[hits[0].end : pm.start]
        ):
            return [(ds.mention_of(ctx, hits[0]), "place")]
    before = text[max(0, pm.start - 45) : pm.start]
    if pm.form == "adjective":
        # "die Annaberger Firmen Weber und Kunze", "die Riesaer Firma X" — but not "Riesaer
        # Stahlbauer übernimmt X": only a classifying noun may stand between
        nxt = [h for h in hits if h.start >= pm.end and _ADJ_GAP.fullmatch(text[pm.end : h.start])]
        if nxt:
            first = nxt[0]
            group = [h for h in hits if first.group >= 0 and h.group == first.group] or [first]
            return [(ds.mention_of(ctx, h), "place") for h in group]
        m = _PLACED_REFERENCE.match(text, pm.end)
        if m and _REFERENCE_ARTICLE.search(before):
            # "Das Schönebecker Unternehmen fertigt …": the firm just discussed is there;
            # "Frischer Wind im Schönebecker Unternehmen: … der Mierwald GmbH": the one firm
            # the sentence goes on to name
            if not hits and fallback is not None:
                return [(fallback, "place")]
            after = {ds.mention_of(ctx, h).name: h for h in hits if h.start >= m.end()}
            if len(after) == 1 and m.group("colon"):
                return [(ds.mention_of(ctx, next(iter(after.values()))), "place")]
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
        return [(ds.mention_of(ctx, x), facet if seat else "site") for x in group]
    # "der IFR Engineering GmbH Magdeburg": a town right after the legal form is the seat
    legal = [
        h for h in hits if h.legal and h.end <= pm.start and not text[h.end : pm.start].strip()
    ]
    entry = pm.chosen or pm.candidates[0]
    if legal and pm.form == "name" and entry.kind in ("place", "district"):
        return [(ds.mention_of(ctx, legal[-1]), "place")]
    if _after_event(text, pm.start):
        return []
    if pm.cue in ("plz",) and fallback:
        return [(fallback, "place")]
    subj = [h for h in hits if not ds.is_object(text, h) and h.kind != "media"]
    if pm.cue and len({ds.mention_of(ctx, h).name for h in subj}) == 1:
        # the one organization a sentence is about, placed by "in"/"aus" before or after it
        if subj[0].start < pm.start or pm.cue in ("in", "im", "aus"):
            return [(ds.mention_of(ctx, subj[0]), facet)]
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
                ds.add_fact(m, Fact("member_of", network.name, network.name, ev))
    # "Seit Januar gehört auch die X GmbH zum Netzwerk"
    joins = re.search(
        r"\b(gehört|gehören|zählt|zählen|kam|kommt)\b.{0,80}?\bzum\s+(Netzwerk|Verein|Verband|Verbund|Cluster)\b",
        text,
    )
    if joins and hits:
        net = next((m for m in reversed(list(recent)) if m.kind == "network"), None) or network
        for h in hits:
            m = ds.mention_of(ctx, h)
            if net is not None and m is not net and h.start < joins.end():
                ds.add_fact(m, Fact("member_of", net.name, net.name, ev))
    for mm in _MEMBER_OF.finditer(text):
        after = [h for h in hits if h.start >= mm.end() - 5]
        before = [h for h in hits if h.end <= mm.start()]
        if after and not before and _COREF.search(text[: mm.start()]):
            # "Wir sind Mitglied im Netzwerk …", "Das Unternehmen ist Mitglied des …"
            member = topic
            net = ds.mention_of(ctx, after[0])
            if member is not None and member is not net:
                ds.add_fact(member, Fact("member_of", net.name, net.name, ev))
        if after and before:
            net = ds.mention_of(ctx, after[0])
            for h in before:
                m = ds.mention_of(ctx, h)
                if m is not net:
                    ds.add_fact(m, Fact("member_of", net.name, net.name, ev))
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
        ds.absorb(ctx, mentions[0], owner)
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
            b, t = ds.mention_of(ctx, pair[0]), ds.mention_of(ctx, pair[1])
        elif (
            (len(after) == 1 or len(before) == 1)
            and _COREF.search(text[tk.end() :])
            and topic is not None
        ):
            # "Zum 1. April übernimmt die X GmbH den Betrieb": the firm the article is about
            b, t = ds.mention_of(ctx, (after or before)[0]), topic
        else:
            b = t = None
        if b is not None and t is not None and b is not t:
            ds.add_fact(b, Fact("successor_of", t.name, t.name, ev))
            ds.add_fact(t, Fact("taken_over_by", b.name, b.name, ev))
    for sub in _SUBSIDIARY.finditer(text):
        parent = [h for h in hits if h.start >= sub.end() and h.start - sub.end() <= 8]
        child_hits = [h for h in hits if h.end <= sub.start() and not ds.is_object(text, h)]
        if not parent:
            continue
        if child_hits:
            child = ds.mention_of(ctx, child_hits[-1])  # "X, eine Tochter der Y AG, …"
        else:
            child = section if section is not None else topic  # "Die Tochtergesellschaft der Y …"
        mother = ds.mention_of(ctx, parent[0])
        if child is not None and child is not mother and child.kind == mother.kind == "company":
            ds.add_fact(child, Fact("subsidiary_of", mother.name, mother.name, ev))
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
        targets = [ds.mention_of(ctx, h) for h in gen]
        if not targets and not hits and topic is not None and _COREF.search(text):
            targets = [topic]
        for m in targets:
            if m.kind == "company":
                ds.add_fact(m, Fact("closed", "closed", cl.group(0), ev))
    elif cl:
        subj = ds.subjects(hits, text, cl.start())
        targets = [ds.mention_of(ctx, h) for h in subj] or (
            [topic] if topic is not None and _COREF.search(text) else []
        )
        for m in targets:
            if m.kind == "company":
                ds.add_fact(m, Fact("closed", "closed", cl.group(0), ev))
