"""Organization names in German text, by rules and lexicons (no model download).

Real supplier text names firms in four ways, each a rule here:
- with a legal form: "Heinze Metallbau GmbH", "Müller GmbH & Co. KG", "IMPRO e.V.";
- by an industry head word next to a distinctive word: "Telegärtner Gerätebau",
  "Feinwerktechnik Geising", "KS Präzisionsteile", "Knorr Präzisionsteile";
- by an institutional head: "Netzwerk Metallindustrie Finsterwalde", "Ostsächsische Sparkasse
  Dresden", "Wirtschaftsförderung Sachsen", "Sächsische Zeitung", "TU Dresden";
- after a trigger, in lists: "die Annaberger Firmen Weber und Kunze", "Lorenz und RMT
  Metalltechnik aus Lauter".
A second pass finds later, shorter mentions of names the document introduced ("Impro",
"Impro-Verband", "Weber").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from . import german, lexicons
from .contacts import ROLE_WORDS, find_persons, first_names, surnames

LEGAL = (
    r"(?:GmbH\s*&\s*Co\.?\s*KGaA|GmbH\s*&\s*Co\.?\s*KG|GmbH\s*&\s*Co\.?\s*OHG|AG\s*&\s*Co\.?\s*KGaA|SE\s*&\s*Co\.?\s*KGaA|AG\s*&\s*Co\.?\s*KG|SE\s*&\s*Co\.?\s*KG"
    r"|gGmbH|GmbH|mbH|AG|SE|KGaA|KG|OHG|oHG|GbR|UG\s*\(haftungsbeschränkt\)|UG|e\.\s?K\.|e\.?\s?Kfm\.|e\.?\s?Kfr\."
    r"|e\.\s?V\.|eG|Ltd\.?|Inc\.?|PartG(?:mbB)?|S\.A\.|B\.V\.|Co\.\s?KG)"
)
_LOWER_EV = re.compile(
    r"(?:(?<=\b[Dd]er )|(?<=\b[Dd]ie )|(?<=\b[Dd]as )|(?<=\b[Dd]es )|(?<=\b[Dd]em )|(?<=Netzwerk )|(?<=Verein )|^)"
    r"(?P<name>[a-zäöü][\wäöüß-]{2,}(?:\s+[a-zäöü][\wäöüß-]{2,}){0,2})\s+(?P<legal>e\.\s?V\.)"
)
_LOWER_LEGAL = re.compile(
    r"(?<![\w\-.])(?P<word>[a-z][a-z0-9]*[A-Z0-9][\w]*|[a-z][a-z0-9]{3,})"
    r"(?:\s+[A-ZÄÖÜ][\w\-]*){0,2}\s+(?P<legal>GmbH & Co\. KG|GmbH|AG|SE|UG|KG)(?![\w])"
)
_LOWER_LEGAL_CUE = re.compile(r"(?:\b(?:die|der|den|dem|des|Firma|Firmen)|,)\s+$")
_ARTICLES = frozenset({"die", "der", "den", "dem", "des"})
_ISCH_ADJECTIVE = re.compile(r"[A-ZÄÖÜ]\w+ische[nrms]?")  # "Thüringischen", "Mechanische"
_LEGAL_RE = re.compile(r"(?<![\w])" + LEGAL + r"(?![\w])")
_NAME_TOK = r"(?:[A-ZÄÖÜ0-9][\w\-\u2011äöüßÄÖÜ&+'.]*[\wäöüß&+]-?|[A-ZÄÖÜ]|&|\+)"
_CONNECT = r"(?:und|für|der|des|von|de|van|&)"
_LEGAL_NAME = re.compile(
    r"(?P<name>"
    + _NAME_TOK
    + r"(?:[\s\-]+(?:"
    + _CONNECT
    + r"\s+)?"
    + _NAME_TOK
    + r"){0,6}?)[\s,]+(?P<legal>"
    + LEGAL
    + r")(?![\w])"
)
_TRIGGERS = {
    "firma", "firmen", "unternehmen", "betrieb", "betriebe", "betrieben", "hersteller", "herstellern", "zulieferer",
    "zulieferern", "zulieferbetriebe", "mitgliedsfirmen", "mitgliedsunternehmen", "mitgliedsbetriebe", "partnerfirmen",
    "partnerunternehmen", "dienstleister", "spezialist", "spezialisten", "fertiger", "lohnfertiger", "mittelständler",
    "familienunternehmen", "traditionsunternehmen", "traditionsfirma", "metallbetrieb", "metallbetriebe", "werkstatt",
    "tochterfirma", "tochterunternehmen", "konkurrenten", "wettbewerber",
}  # fmt: skip
# A compound ending in one of these classifies the name after it: "der Pumpenhersteller Pleuger",
# "beim Hydraulikspezialisten Viereck", "das Maschinenbauunternehmen Meyer".
_TRIGGER_TAILS = (
    "hersteller", "herstellern", "herstellers", "zulieferer", "zulieferern", "zulieferers", "spezialist",
    "spezialisten", "anbieter", "anbietern", "anbieters", "produzent", "produzenten", "lieferant", "lieferanten",
    "dienstleister", "dienstleistern", "dienstleisters", "verarbeiter", "verarbeitern", "fertiger", "fertigern",
    "ausruster", "ausrustern", "konzern", "konzerns", "betrieb", "betriebs", "unternehmen", "unternehmens",
    "firma", "bauer", "bauern", "marktfuhrer",
)  # fmt: skip
# plural nouns whose "wie …" lists organizations: "Kunden wie Bosch und Miele"
_EXAMPLE_NOUNS = {
    "kunden", "firmen", "unternehmen", "hersteller", "zulieferer", "betriebe", "partner", "konzerne",
    "marken", "auftraggeber", "abnehmer", "anbieter", "mitglieder", "industriegrossen", "weltmarktfuhrer",
    "aussteller", "wettbewerber", "mitbewerber", "konkurrenten", "lieferanten", "gesellschafter", "aktionare",
}  # fmt: skip
_LEFT_STOP = {
    "die", "der", "das", "den", "dem", "des", "ein", "eine", "einer", "eines", "einem", "einen", "und", "sowie", "oder",
    "auch", "mit", "von", "bei", "für", "aus", "in", "im", "am", "an", "auf", "nach", "seit", "zur", "zum", "wie",
}  # fmt: skip
_GENERIC_COMPANY_HEADS = (
    "technik", "tech", "tec", "teile", "bau", "werk", "werke", "mechanik", "metall", "guss", "fertigung", "systeme",
    "elektronik", "optik", "zerspanung", "dreherei", "schleiferei", "härterei", "gießerei", "galvanik", "schmiede",
    "automation", "engineering", "solutions", "components", "systems", "industries", "technologies", "präzision",
    "formenbau", "drehteile", "frästeile", "fabrik", "manufaktur", "montage", "service", "handel", "laser", "stahl",
    "druckguss", "oberflächen", "beschichtung", "instruments", "instrumente", "sensorik", "robotics", "messtechnik",
)  # fmt: skip
_NETWORK_HEADS = ("netzwerk", "network", "kompetenzzentrum", "kompetenznetzwerk", "kompetenznetz", "cluster", "verband", "interessenverband", "verein", "initiative", "arbeitsgemeinschaft", "innung", "verbund", "zentrum", "allianz", "forum")  # fmt: skip
_BUILTIN_HEADS = {
    "Wirtschaftsförderung": "public", "Wirtschaftsministerium": "public", "Staatsministerium": "public", "Ministerium": "public",
    "Landesregierung": "public", "Handwerkskammer": "public", "IHK": "public", "Industrie- und Handelskammer": "public",
    "Landratsamt": "public", "Stadtverwaltung": "public", "Agentur für Arbeit": "public", "Aktionsprogramm": "public",
    "Sparkasse": "bank", "Volksbank": "bank", "Raiffeisenbank": "bank", "Bank": "bank", "Commerzbank": "bank", "KfW": "bank",
    "Zeitung": "media", "Sächsische Zeitung": "media", "Freie Presse": "media", "Rundschau": "media", "Nachrichten": "media",
    "Anzeiger": "media", "Kurier": "media", "Tageblatt": "media", "Morgenpost": "media", "dpa": "media",
    "Universität": "institution", "Hochschule": "institution", "Fachhochschule": "institution", "TU": "institution",
    "Institut": "institution", "Fraunhofer": "institution", "Akademie": "institution", "Berufsschule": "institution",
    "Forschungszentrum": "institution", "IG Metall": "public", "Gewerkschaft": "public",
}  # fmt: skip


_NOUN_SUFFIX = re.compile(
    r"(ung|heit|keit|schaft|tion|ität|nis|tum|ment|ismus|punkt|platz|stelle|zeit|raum|ungen|nisse|ionen)$"
)


@dataclass
class OrgHit:
    name: str
    start: int
    end: int
    kind: str
    rule: str
    confidence: float = 1.0
    legal: str = ""
    place_hint: str = ""  # a place adjective or "aus X" right next to the name
    group: int = -1  # hits in one coordinated list share a group id
    alias_of: str = ""  # for second-pass mentions: the full name they refer to


@dataclass
class Lexicon:
    heads: dict[str, str] = field(default_factory=dict)  # head word (folded) → kind
    multi_heads: list[tuple[str, str]] = field(default_factory=list)  # multiword heads
    common: frozenset[str] = frozenset()
    not_acronyms: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()
    known: dict[tuple[str, ...], str] = field(default_factory=dict)  # word tuple → kind


@cache
def lexicon() -> Lexicon:
    heads: dict[str, str] = {}
    multi: list[tuple[str, str]] = []
    for word, kind in list(_BUILTIN_HEADS.items()) + [
        tuple(ln.split("\t")[:2]) for ln in lexicons.lines("org_heads.txt") if "\t" in ln
    ]:
        word, kind = word.strip(), kind.strip()
        if not word or not kind:
            continue
        if " " in word:
            multi.append((word, kind))
        else:
            heads.setdefault(german.fold(word), kind)
    multi.sort(key=lambda x: -len(x[0]))
    common = frozenset(german.fold(w.strip()) for w in lexicons.lines("common_nouns.txt"))
    not_acr = frozenset(w.strip() for w in lexicons.lines("not_org_acronyms.txt")) | {
        "CNC",
        "EU",
        "DIN",
        "ISO",
        "EN",
        "USA",
        "DDR",
        "KMU",
        "KMUs",
        "SPD",
        "CDU",
        "IATF",
        "VDA",
        "CAD",
        "IT",
        "TGZ",
        "TGZs",
        "GmbH",
        "LASA",
        "FDP",
        "CSU",
        "AfD",
        "PDF",
        "QM",
    }
    roles = frozenset(german.fold(r) for r in ROLE_WORDS)
    known = {
        tuple(ln.split("\t")[0].split()): ln.split("\t")[1].strip()
        for ln in lexicons.lines("known_companies.txt")
        if "\t" in ln
    }
    return Lexicon(heads, multi, common, not_acr, roles, known)


_NOT_HEADS = {
    "handwerk",
    "feuerwerk",
    "bergbau",
    "ausbau",
    "aufbau",
    "umbau",
    "anbau",
    "neubau",
    "abbau",
    "hochbau",
    "tiefbau",
}


@cache
def _multi_head_names() -> frozenset[str]:
    return frozenset(mh for mh, _ in lexicon().multi_heads)


def _has_multi_head(toks, a: int, b: int) -> bool:
    joined = " ".join(t[0] for t in toks[a:b])
    return any(mh in joined for mh in _multi_head_names())


@lru_cache(maxsize=100_000)  # pure in the token; the hottest call of extraction
def head_kind(token: str) -> str | None:
    """Kind signalled by a name word: 'Gerätebau' → company, 'Kompetenzzentrum' → network."""
    lex = lexicon()
    f = german.fold(token.strip("-"))
    if f in lex.heads:
        return lex.heads[f]
    if f.endswith("werks") and f[:-1] in lex.heads:
        return lex.heads[f[:-1]]  # "des Getriebewerks Gera": a works in the genitive
    for h in _NETWORK_HEADS:
        if f.endswith((h, h + "s", h + "es")) and len(f) >= len(h):
            return "network"  # "des Maritimen Clusters", "des Vereins"
    for suffix in ("sparkasse", "bank"):
        if f.endswith(suffix) and f not in ("datenbank", "werkbank", "drehbank"):
            return "bank"
    if f.endswith("zeitung"):
        return "media"
    if (
        f.endswith(("ministerium", "kammer", "amt", "forderung"))
        and not f.endswith(("ansprechpartnerkammer",))
        and f not in ("amt", "forderung")  # "Amt des Präsidenten", "Förderung des Maschinenbaus"
    ):
        return "public"
    if f.endswith(("institut", "universitat", "hochschule", "akademie")):
        return "institution"
    if f in lex.common or f in _NOT_HEADS:
        return None  # "Handwerk", "Feuerwerk" are words, not the trade in a firm's name
    for h in _GENERIC_COMPANY_HEADS:
        if (
            f.endswith(german.fold(h))
            and len(f) > len(h) + 1
            or f == german.fold(h)
            and h in ("technik", "metall", "optik", "elektronik", "mechanik")
        ):
            return "company"
    return None


def real_persons(text: str):
    """People, not firms named after them: 'Günther Feinmechanik' and 'Heinrich Getriebebau'
    start with a given name but end in a trade word."""
    out = []
    for p in find_persons(text):
        last = p.name.split()[-1]
        if (
            head_kind(last)
            or (is_common(last) and last not in surnames())
            or german.stem(last) in german.lexicon()
        ):
            continue
        out.append(p)
    return out


def is_common(token: str) -> bool:
    lex = lexicon()
    f = german.fold(token)
    return f in lex.common or f in lex.roles or f in _LEFT_STOP or f in _TRIGGERS


def is_trigger(token: str) -> bool:
    """A classifying noun after which a name follows ("Firma", "Pumpenhersteller").

    >>> is_trigger("Hydraulikspezialisten"), is_trigger("Hersteller"), is_trigger("Herstellung")
    (True, True, False)
    """
    if not token[:1].isupper() or token.endswith("-"):
        return False
    f = german.fold(token)
    if f in _TRIGGERS:
        return True
    # a compound, not the tail alone ("Bauer" is a surname, "Maschinenbauer" a classifier)
    return any(f.endswith(t) and len(f) >= len(t) + 4 for t in _TRIGGER_TAILS)


def noun_like(token: str) -> bool:
    """A word with the ending of an abstract noun ("…ung", "…heit", "…enz"): no firm's name.

    >>> noun_like("Residenz"), noun_like("Pleuger")
    (True, False)
    """
    return bool(_NOUN_SUFFIX.search(token.lower())) or token.lower().endswith(
        ("enz", "anz", "ie", "ik", "ur")
    )


def is_acronym(token: str) -> bool:
    core = token.split("-")[0]
    return (
        bool(re.fullmatch(r"[A-ZÄÖÜ][A-ZÄÖÜ0-9&]{1,6}", core))
        and core not in lexicon().not_acronyms
    )


def is_distinctive(token: str, places: set[str]) -> bool:
    """Could this word be the proper-name part of a firm name?"""
    if not token[:1].isupper() and not token[:1].isdigit():
        return False
    if is_acronym(token):
        return True
    if re.search(r"[a-zäöüß][A-ZÄÖÜ]", token):
        return True  # "OptoTech", "TechnologyMountains": a coined name, not a word
    if german.fold(token) in places:
        return True
    if token in surnames():
        return True
    if is_common(token) or head_kind(token) or german.stem(token) in german.lexicon():
        return False
    if len(token) >= 9 and german.is_compound(token):
        return False  # a compound of known words ("Unternehmenskooperationen") is no name
    if re.fullmatch(
        r"(Sächsisch|Deutsch|Europäisch|Ostsächsisch|Westsächsisch|Mitteldeutsch|Brandenburgisch|Thüringisch|Bayerisch|Neu|Alt|Groß|Klein|Hoh|Modern|Regional|International|Innovativ|National)(?:e|er|es|en|em)?",
        token,
    ):
        return False  # an adjective ("Sächsische", "Neue"), not "Hohenlimburg" or "Neumann"
    if re.fullmatch(
        r"(?:Neu|Alt|Groß|Klein|Hoch|Mittel|Ober|Unter|Nieder|Gesamt|Voll|Fein|Spezial)"
        r"(?:teil|teile|serien?|bau|handel|metall|technik|mechanik|maschinen\w*|anlagen\w*|\w+ung)\w*",
        token,
    ):
        return False
    return len(token) >= 3


_TOKEN = re.compile(r"[\wäöüÄÖÜß]+(?:[-'\u2011][\wäöüÄÖÜß]+)*-?|&|\(|\)|,|\.|;|:|„|“|\"|·|\||–|—|/")


def _toks(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def find(
    text: str, places: set[str], place_adjectives: set[str], known: dict[str, str] | None = None
) -> list[OrgHit]:
    """Organization mentions in one sentence.

    `places` are folded place names (they make a word distinctive: "Feinwerktechnik Geising"),
    `place_adjectives` folded adjective forms ("annaberger") that precede names without being
    part of them, and `known` maps folded names the document already introduced to their full
    names.
    """
    original = text
    text = _protect_places(text)
    hits: list[OrgHit] = []
    persons = real_persons(text)

    def overlaps_person(s: int, e: int) -> bool:
        return any(
            p.start < e
            and s < p.end
            and not (s <= p.start and p.end <= e and e - s > p.end - p.start + 4)
            for p in persons
        )

    # 1. legal forms
    for m in _LEGAL_NAME.finditer(text):
        name, start = _trim_left(m.group("name"), m.start("name"), place_adjectives, places)
        if not name:
            continue
        legal = re.sub(r"\s+", " ", m.group("legal"))
        full = f"{name} {legal}" if not name.endswith(legal) else name
        kind = _kind_for(name, legal)
        hit = OrgHit(full, start, m.end("legal"), kind, "legal", 1.0, legal=legal)
        hit.name = nominative(full)
        hits.append(hit)

    # 1a. brands written in lower case before a legal form: "die qutools GmbH", "eZono AG"
    for m in _LOWER_LEGAL.finditer(text):
        word = m.group("word")
        coined = bool(re.search(r"[A-Z0-9]", word))
        cue = _LOWER_LEGAL_CUE.search(text[: m.start()])
        # After a definite article an adjective ends in -e or -en ("die neue GmbH", "der
        # neuen AG"); a lower-case "-er" word there is a brand: "die fischer Hydroforming GmbH".
        after_article = bool(cue) and cue.group(0).strip().lower() in _ARTICLES
        adjectival = ("e", "en") if after_article else ("e", "n", "r", "m")
        if not coined and (
            not cue
            or word.endswith(adjectival)
            or german.stem(word) in german.lexicon()
            or german.fold(word) in _LEFT_STOP
        ):
            continue  # "seine GmbH", "die neue GmbH", "eine eigene AG"
        hits[:] = [h for h in hits if not (m.start() <= h.start and h.end <= m.end())]
        name = re.sub(r"\s+", " ", m.group(0))
        hits.append(
            OrgHit(name, m.start(), m.end(), "company", "legal", 1.0, legal=m.group("legal"))
        )

    # 1b. associations written in lower case: "die automotive thüringen e. V.", "medways e.V."
    for m in _LOWER_EV.finditer(text):
        if not any(h.start <= m.start("name") < h.end for h in hits):
            name = f"{m.group('name')} {m.group('legal')}"
            hits.append(
                OrgHit(name, m.start("name"), m.end(), "network", "legal", 0.9, legal="e.V.")
            )

    toks = _toks(text)
    # 2. multiword institutional heads and head-word names
    i = 0
    while i < len(toks):
        word, s, e = toks[i]
        if not word[:1].isupper() or any(h.start <= s < h.end for h in hits):
            i += 1
            continue
        span = _name_run(toks, i)
        if span is None:
            i += 1
            continue
        a, b = span  # tokens a..b-1 form a capitalised run
        hit = _from_run(text, toks, a, b, places, place_adjectives)
        if hit and not overlaps_person(hit.start, hit.end):
            hits.append(hit)
            # go on right after the name: the run may hold a second one
            i = next((k for k in range(i + 1, len(toks)) if toks[k][1] >= hit.end), len(toks))
        elif not any(head_kind(t[0]) for t in toks[a:b]) and not _has_multi_head(toks, a, b):
            i = b  # no head word anywhere in the run: no later start in it finds one either
        else:
            i += 1

    # 3. well-known groups named bare ("Kunden wie Bosch"), names with their own acronym or a
    # plus sign, triggers and coordinated lists
    hits.extend(_known_companies(text, toks, hits))
    hits.extend(_shaped_names(text, hits, persons))
    hits.extend(_town_hyphen_names(toks, hits, places))
    hits.extend(_lists(text, toks, hits, places, place_adjectives, persons))

    # 4. later mentions of names the document introduced
    if known:
        hits.extend(_known(text, toks, hits, known, persons))

    # "Carl Zeiss" is a person's name too; a group in known_companies.txt is the group
    hits = [
        h
        for h in hits
        if not overlaps_person(h.start, h.end)
        or h.rule in ("legal", "known_company")
        or (h.confidence == 0.9 and h.rule == "head")  # "Wilhelm Schulte-Wiese (WSW)"
    ]
    hits = [h for h in hits if not _territory(text, h) and not _sector(h, place_adjectives)]
    hits = [h for h in (_tidy(h) for h in hits) if h is not None]
    if text != original:
        for h in hits:  # "Frankfurt-am-Main" was only a disguise for the scan
            h.name = h.name.replace("\u2011", " ")
            h.alias_of = h.alias_of.replace("\u2011", " ")
    return _dedupe(hits)


@cache
def _connector_places() -> re.Pattern | None:
    """Place names with a small word inside ("Frankfurt am Main", "Brandenburg an der Havel")."""
    from .gazetteer import load as load_gazetteer

    names = set()
    for e in load_gazetteer().entries:
        for n in [e.place.name, *getattr(e, "_aliases", [])]:
            n = re.sub(r"\s*\(.*?\)", "", n).strip()
            if re.search(r" (am|an der|an den|auf|im|in|in der|bei|ob der|unter|vor der) ", n):
                names.add(n)
    if not names:
        return None
    return re.compile(
        r"\b(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b"
    )


def _protect_places(text: str) -> str:
    """Join the words of such place names with a non-breaking hyphen (same length), so that
    'Oberflächentechnik Frankfurt am Main KG' stays one name instead of 'Main KG'."""
    pattern = _connector_places()
    if pattern is None or not re.search(r" (am|an|auf|im|in|bei|ob|unter|vor) ", text):
        return text
    return pattern.sub(lambda m: m.group(0).replace(" ", "\u2011"), text)


_TERRITORY = re.compile(r"^(Landkreis|Kreis|Stadt|Gemeinde|Region|Freistaat|Land|Bundesland)\b")


def _territory(text: str, h: OrgHit) -> bool:
    """'im Landkreis Meißen', 'in der Stadt Pirna' name a territory, not an authority."""
    return bool(_TERRITORY.match(h.name)) and bool(
        re.search(r"\b(im|in|aus|dem|den|der|des)\s+$", text[: h.start])
    )


# "der Wirtschaftszweig Zerspanung", "die Schlüsselindustrie Zerspanungstechnik": a sector
_SECTOR_FIRST = {
    "wirtschaftszweig", "industriezweig", "schlusselindustrie", "schlusselbranche", "leitbranche",
    "branche", "sektor", "sparte", "zukunftsbranche", "querschnittsbranche",
}  # fmt: skip
# "die sächsische Metallindustrie", "Thüringer Netzwerke" (but "Jenaer Gewindetechnik" is a firm)
_SECTOR_WORD = re.compile(
    r"(?:industrie|wirtschaft|branche|netzwerke|unternehmen|firmen|betriebe)$"
)


def _sector(h: OrgHit, place_adjectives: set[str]) -> bool:
    """A name that is a region's trade, not an organization: a sector word first, or a place
    adjective before one sector word and nothing else, with no legal form."""
    if h.legal or h.rule not in ("head", "trigger"):
        return False
    words = h.name.split()
    first = german.fold(words[0])
    if first in _SECTOR_FIRST:
        return True
    return (
        len(words) == 2
        and (first in place_adjectives or first in ("sachsische", "thuringische", "bayerische"))
        and bool(_SECTOR_WORD.search(german.fold(words[1])))
    )


def _kind_for(name: str, legal: str) -> str:
    kinds = [k for k in (head_kind(w) for w in re.split(r"[\s\-]+", name)) if k]
    for k in ("bank", "media", "public", "institution", "network"):
        if k in kinds:
            return k
    if legal.replace(" ", "") in ("e.V.",):
        return "network"
    return "company"


def _trim_left(
    name: str, start: int, place_adjectives: set[str], places: set[str] = frozenset()
) -> tuple[str, int]:
    """Drop determiners, triggers, roles and 'Geschäftsführer der' from the front of a name.

    A word is kept when what would remain is only places ("Mechatronik Wildau UG"), and a
    place adjective is kept when the rest has no name word of its own ("Spremberger
    Zerspanungstechnik GmbH" — but "die Reinholdshainer | Knorr Präzisionsteile").
    """
    parts = [(m.group(0), start + m.start()) for m in re.finditer(r"\S+", name)]
    # cut everything up to a lowercase connector that follows a common noun ("Kunden der …")
    cut = 0
    for k, (w, _pos) in enumerate(parts):
        if (
            w in ("der", "des", "von", "für", "zu", "zur", "am")
            and k > 0
            and (
                (is_common(parts[k - 1][0]) and not head_kind(parts[k - 1][0]))
                # products ("die Schleifmaschinen der …"): a noun that names no firm, owned by
                # the firm after it — but "Materialprüfgesellschaft für …" is the name itself
                or (
                    w in ("der", "des")
                    and not is_distinctive(parts[k - 1][0], places)
                    and not head_kind(parts[k - 1][0])
                    and not german.fold(parts[k - 1][0]).endswith(("gesellschaft", "verein"))
                )
                # "die Gießerei der Focast GmbH": a trade noun, then the firm it belongs to
                or (
                    w in ("der", "des")
                    and head_kind(parts[k - 1][0]) == "company"
                    and all(x.lower() in _LEFT_STOP for x, _ in parts[: k - 1])
                )
            )
        ):
            cut = k + 1
    parts = parts[cut:]
    while parts and (
        parts[0][0][:1].islower()
        or (is_common(parts[0][0]) and not head_kind(parts[0][0]) and not is_acronym(parts[0][0]))
        or (is_trigger(parts[0][0]) and len(parts) > 1)  # "Stahlprofilhersteller Innostahl"
        or german.fold(parts[0][0]) in place_adjectives
        or parts[0][0] in ("&", "+")
    ):
        if len(parts) == 1 and parts[0][0][:1].isupper() and not is_common(parts[0][0]):
            break
        rest = [w for w, _ in parts[1:]]
        first = parts[0][0]
        if (
            first[:1].isupper()
            and rest
            and all(german.fold(w.strip("(),")) in places for w in rest)
        ):
            break
        if (
            (german.fold(first) in place_adjectives or _ISCH_ADJECTIVE.fullmatch(first))
            and rest
            and not any(is_distinctive(w, places) for w in rest)
        ):
            break  # "der Thüringischen Formenbau GmbH": the adjective is the name's own word
        if (
            _ISCH_ADJECTIVE.fullmatch(first)
            and len(rest) > 1
            and not is_distinctive(rest[0], places)
        ):
            break  # "der Mechanischen Metallbearbeitung Mierwald GmbH": adjective, trade, family
        parts = parts[1:]
    if not parts:
        return "", start
    s = parts[0][1]
    return name[s - start :].strip(" ,"), s


def _name_run(toks: list[tuple[str, int, int]], i: int) -> tuple[int, int] | None:
    """The run of capitalised words (with inner 'und', 'für', '&', '(Oder)') starting at i."""
    j = i
    n = len(toks)
    while j < n:
        w = toks[j][0]
        if w[:1].isupper() or w[:1].isdigit() and j > i:
            j += 1
            continue
        if w in ("&",) and j + 1 < n and toks[j + 1][0][:1].isupper():
            j += 1
            continue
        if (
            w == "für"
            and j > i
            and j + 1 < n
            and f"{toks[j - 1][0]} für {toks[j + 1][0]}" in _multi_head_names()
        ):
            j += 1
            continue
        if (
            w in ("für", "und", "des", "der")
            and j > i
            and j + 1 < n
            and toks[j + 1][0][:1].isupper()
            and (
                toks[j - 1][0].endswith("-")
                or (
                    any(head_kind(t[0]) in ("institution", "public", "network") for t in toks[i:j])
                    and not (w == "und" and head_kind(toks[j - 1][0]))
                )
            )
        ):
            j += 1
            continue
        if (
            w == "("
            and j + 2 < n
            and toks[j + 2][0] == ")"
            and toks[j + 1][0]
            in (
                "Oder",
                "Main",
                "Saale",
                "Elster",
                "Sachsen",
                "Erzgebirge",
                "Vogtland",
                "Havel",
                "Spree",
            )
        ):
            j += 3
            continue
        break
    return (i, j) if j > i else None


def _from_run(text, toks, a, b, places, place_adjectives) -> OrgHit | None:
    words = [t[0] for t in toks[a:b]]
    kinds = [head_kind(w) for w in words]
    lex = lexicon()
    # multiword heads written out ("IG Metall", "Sächsische Zeitung")
    joined = " ".join(words)
    for mh, kind in lex.multi_heads:
        pos = joined.find(mh)
        if pos >= 0 and (pos == 0 or joined[pos - 1] == " "):
            k0 = joined[:pos].count(" ")
            k1 = k0 + mh.count(" ") + 1
            end_k = k1
            while end_k < len(words) and (
                is_distinctive(words[end_k], places)
                or words[end_k] in ("(", ")")
                or head_kind(words[end_k])
            ):
                end_k += 1
            while k0 > 0 and (
                re.match(r"[A-ZÄÖÜ]\w+(ische|ischer|isches|ischen|ale|alen)$", words[k0 - 1])
                or german.fold(words[k0 - 1]) in place_adjectives
            ):
                k0 -= 1  # "Brandenburgische | Technische Universität", "Thüringer | Aufbaubank"
            return _hit(text, toks, a + k0, a + end_k, kind, "head")
    if not any(kinds):
        return None
    h = next(k for k, kind in enumerate(kinds) if kind)
    kind = kinds[h]
    if kind == "company":
        # the distinctive word stands right before or after the head word
        left = h
        while left > 0:
            prev = words[left - 1]
            if is_distinctive(prev, places) and german.fold(prev) not in place_adjectives:
                left -= 1
            elif (
                prev == "und"
                and left >= 2
                and (head_kind(words[left - 2]) == "company" or words[left - 2].endswith("-"))
            ):
                left -= 2  # "CNC-Dreherei und Fräserei Werner Brandt": coordinated trades
            else:
                break
        right = h + 1
        while right < len(words) and (
            is_distinctive(words[right], places) or head_kind(words[right]) == "company"
        ):
            right += 1
        if (
            left == h
            and right == h + 1
            and h > 0
            and (
                german.fold(words[h - 1]) in place_adjectives
                # a landscape's adjective the gazetteer has no town for: "Westerwälder"
                or _LANDSCAPE_ADJECTIVE.fullmatch(words[h - 1])
            )
            and not german.fold(words[h]).endswith(("er", "ern"))
            # "die Prenzlauer Gießerei", "die Hagener Gesenkschmiede" refer back to a firm
            and not german.fold(words[h]).endswith(("erei", "schmiede", "werkstatt", "manufaktur"))
            and h == len(words) - 1
        ):
            # "Jenaer Gewindetechnik", "Westerwälder Eisenwerk": a town's adjective before a
            # trade word names a firm; "Riesaer Stahlbauer" (a person noun) only classifies one
            return _hit(text, toks, a + h - 1, a + h + 1, kind, "head")
        if left == h and right == h + 1:
            return None
        if not any(
            is_distinctive(w, places)
            for w in words[left:right]
            if not head_kind(w) and not w.endswith("-") and w != "und"
        ):
            return None  # "Klein- und Mittelguss", "Maschinen- und Anlagenbau": trades only
        prev = toks[a + left - 1][0].lower() if a + left > 0 else ""
        if prev in ("im", "in", "nach", "um", "rund") and head_kind(words[-1]) and left < h:
            # "Wer im Osterzgebirge Präzisionsteile fertigt", "fertigt in Pölbitz Tiefziehteile":
            # a place (known or not) followed by the goods, not a firm
            return None
        return _hit(text, toks, a + left, a + right, kind, "head")
    # institutional heads take the words after them ("Netzwerk Metallindustrie Finsterwalde")
    left = h
    while left > 0 and (
        re.match(r"[A-ZÄÖÜ]\w+(ische|ischer|isches|ischen|ale|alen|ime|imen)$", words[left - 1])
        or german.fold(words[left - 1]) in place_adjectives
    ):
        left -= 1  # "Maritime | Cluster Norddeutschland"
    if (
        left == h
        and h > 0
        and german.fold(words[h]) in ("network", "cluster")
        and (german.fold(words[h - 1]) in places)
    ):
        left -= 1  # "Wetzlar Network": English word order, the place first
    right = h + 1
    while (
        right < len(words)
        and not words[right][:1].isdigit()  # "der Verein | 23 Unternehmen"
        and not (
            words[right][:1].isupper()
            and is_common(words[right])
            and german.fold(words[right]) not in places
            and right + 1 >= len(words)
        )
    ):
        right += 1
    extra = words[h + 1 : right]
    # after a place the name ends: "Landkreis Sächsische Schweiz-Osterzgebirge | Hunderte …"
    seen_place = False
    for k, w in enumerate(extra):
        is_place = german.fold(w) in places or all(
            german.fold(p) in places for p in w.split("-") if p
        )
        if seen_place and not is_place and w not in ("(", ")") and not is_acronym(w):
            if head_kind(w) and left == h:
                # "des Vereins Wetzlar Network": a classifying noun before a name of its own
                return _from_run(text, toks, a + h + 1, b, places, place_adjectives)
            extra = extra[:k]
            right = h + 1 + k
            break
        seen_place = seen_place or is_place
    while (
        extra
        and is_common(extra[-1])
        and not head_kind(extra[-1])
        and german.fold(extra[-1]) not in places
    ):
        extra.pop()
        right -= 1
    if left == h and not extra:
        return None
    if not extra and left == h and kind not in ("media", "bank"):
        return None
    head_word = words[h]
    if head_word.endswith("-"):
        return None  # "Netzwerk- und Kommunikationstechnik"
    own_acronym = "-" in head_word and is_acronym(head_word.split("-")[0])  # "IMU-Institut"
    content = [w for w in extra if w[:1].isupper()]
    if (
        extra
        and not own_acronym
        and left == h
        and not any(is_distinctive(w, places) or w in ("(", ")") for w in extra)
        and (len(content) < 2 or extra[0] in ("der", "des", "die"))
    ):
        return None  # "Netzwerk der Betriebsräte", "Verband der Präzisionsmechaniker"
    return _hit(text, toks, a + left, a + right, kind, "head")


_LANDSCAPE_ADJECTIVE = re.compile(
    r"(?:[A-ZÄÖÜ][a-zäöüß]+(?:wälder|felder|länder|berger|gauer|märker|tauner))"
)
_YEAR_PREFIX = re.compile(r"^(?:1[89]|20)\d\d\s+(?:(?:der|die|des|dem|den)\s+)?")
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
# adjectives and participles that start capitalised phrases which are not names:
# "Dekorative Galvanik", "Gefragte Kunststoffteile", "Angewandten Kunststofftechnik"
_ADJECTIVE = re.compile(
    r"[A-ZÄÖÜ][a-zäöüß]{2,}(?:ive|iven|iver|ives|ische|ischen|ischer|isches|liche|lichen|licher|"
    r"ierte|ierten|ene|enen)"
    r"|(?:An|Auf|Aus|Ab|Ein|Vor|Zu|Be|Er|Ver)?[Gg]e[a-zäöüß]{3,}(?:te|ten|ene|enen)"
)
_SITE_WORDS = {
    "werk",
    "werke",
    "standort",
    "niederlassung",
    "messezentrum",
    "rathaus",
    "betriebsstatte",
}


@cache
def _events() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(ln.split()) for ln in lexicons.lines("events.txt"))


def _tidy(h: OrgHit) -> OrgHit | None:
    """Last look at a name: a year before it goes ("2024 der Firma …" was cut to "2024 der …"),
    and what only looks like a name is dropped — hyphenated stubs ("Groß-"), events and trade
    fairs ("OPTATEC 2012", "Medizintechnik MEDICA"), phrases led by an adjective, and a works
    or site with a place ("Werk Saarbrücken")."""
    m = _YEAR_PREFIX.match(h.name)
    if m and len(h.name) > m.end() + 2:
        h.name, h.start = h.name[m.end() :], h.start + m.end()
    words = h.name.split()
    if not words or h.name.endswith("-"):
        return None
    if h.legal:
        return h
    if _YEAR.fullmatch(words[-1]):
        return None
    for ev in _events():
        if any(tuple(words[i : i + len(ev)]) == ev for i in range(len(words))):
            return None
    if _ADJECTIVE.fullmatch(words[0]) and words[0] not in surnames() and len(words) > 1:
        if not any(is_acronym(w) for w in words[1:]) and h.kind == "company":
            return None
    if german.fold(words[0]) in _SITE_WORDS and len(words) > 1 and h.kind == "company":
        return None
    if len(words) == 2 and german.fold(words[1]) in _SITE_WORDS and words[0].endswith("er"):
        return None  # "im Wetzlarer Rathaus", "im Jenaer Werk": a building, not a body
    return h


_GROUPS = iter(range(10**6, 10**9))


def _group_of(h: OrgHit) -> int:
    """Coordinated names share a group, so a place or fact after the list reaches all of them."""
    if h.group < 0:
        h.group = next(_GROUPS)
    return h.group


def _hit(text, toks, a, b, kind, rule) -> OrgHit | None:
    if b <= a:
        return None
    s, e = toks[a][1], toks[b - 1][2]
    name = text[s:e].strip(" -,")
    if len(name) < 3:
        return None
    hit = OrgHit(name, s, s + len(name), kind, rule, 0.8)
    hit.name = nominative(name)
    return hit


_FEMININE_HEAD = re.compile(
    r"(schule|universität|bank|kasse|zeitung|agentur|kammer|akademie|gesellschaft|stiftung|anstalt|initiative|vereinigung|gemeinschaft|presse|behörde"
    r"|werkstatt|fabrik|gießerei|schmiede|dreherei|schleiferei|härterei|manufaktur|hütte|gruppe|holding)\b"
    r"|\b(?:GmbH|AG|KG|SE|UG|eG|KGaA|OHG|GbR)\b",
    re.I,
)


_MASCULINE_HEADS = (
    "cluster",
    "verband",
    "verein",
    "verbund",
    "konzern",
    "betrieb",
    "kreis",
    "bund",
)
_NEUTER_HEADS = ("institut", "ministerium", "netzwerk", "zentrum", "werk", "amt", "unternehmen")


def nominative(name: str) -> str:
    """A name as its case ending leaves it, in the nominative.

    Adjectives before a feminine head (a GmbH, AG or KG is one too) lose the -n of the dative
    and genitive, and a head word in the genitive loses its -s:

    >>> nominative("Westsächsischen Hochschule Zwickau")
    'Westsächsische Hochschule Zwickau'
    >>> nominative("Thüringischen Formenbau GmbH"), nominative("Getriebewerks Gera")
    ('Thüringische Formenbau GmbH', 'Getriebewerk Gera')
    >>> nominative("Alere Technologies GmbH")
    'Alere Technologies GmbH'
    """
    words = name.split(" ")
    head_at = next((i for i, w in enumerate(words) if head_kind(w)), None)
    if head_at is not None and head_at <= 1:
        w = words[head_at]
        # English plurals keep their -s: "Alere Technologies", "Optical Systems"
        for cut in (2, 1) if not w.endswith(("ies", "ics", "ems", "ons", "ings")) else ():
            base = w[:-cut]
            if w.endswith("es"[2 - cut :]) and len(base) >= 4 and head_kind(base):
                words[head_at] = base  # "des Getriebewerks Gera", "des Maritimen Clusters"
                break
        head = german.fold(words[head_at])
        ending = (
            "e"
            if head.endswith(_MASCULINE_HEADS)
            else "es"
            if head.endswith(_NEUTER_HEADS)
            else None
        )
        if head_at == 1 and ending:
            # "des Maritimen Clusters" → "Maritimer Cluster" would be the strong form; names are
            # cited with their article, so the weak form: "Maritime Cluster"; "des Hessischen
            # Instituts" → "Hessisches Institut"
            ending = "e" if ending == "e" else "es"
            words[0] = re.sub(r"^([A-ZÄÖÜ]\w*(?:isch|al|ell|är|im))en$", r"\1" + ending, words[0])
        name = " ".join(words)
    m = _FEMININE_HEAD.search(name)
    if not m:
        return name
    head_at = m.start()
    before = re.sub(
        r"\b([A-ZÄÖÜ]\w*(?:isch|al|lich|ig|frei|neu|tisch))en\b", r"\1e", name[:head_at]
    )
    return before + name[head_at:]


def _lists(text, toks, hits, places, place_adjectives, persons) -> list[OrgHit]:
    """Names after a trigger word and names coordinated with a recognised organization."""
    out: list[OrgHit] = []
    n = len(toks)
    taken = [(h.start, h.end) for h in hits]

    def free(s, e):
        return not any(a < e and s < b for a, b in taken) and not any(
            p.start < e and s < p.end for p in persons
        )

    def name_at(j) -> tuple[int, int] | None:
        k = j
        while k < n and k - j < 4:
            w = toks[k][0]
            if (
                w[:1].isupper()
                and not w.endswith("-")
                and not is_common(w)
                and german.fold(w) not in place_adjectives
            ):
                k += 1
            elif w == "&" and k > j:
                k += 1
            elif (
                k > j
                and toks[k - 1][0] == "&"
                and w in ("Sohn", "Söhne", "Partner", "Co", "Tochter", "Töchter")
            ):
                k += 1
            else:
                break
        if k == j:
            return None
        words = [t[0] for t in toks[j:k]]
        # "Stanz- und Biegewerkzeuge", "Mikrofräsmaschinen": things, not names
        if not any(is_distinctive(w, places) for w in words if w != "&"):
            return None
        if len(words) == 1 and _NOUN_SUFFIX.search(words[0]) and words[0] not in surnames():
            return None
        return (j, k)

    group = 1000
    for i, (w, _s, _e) in enumerate(toks):
        abbreviated = w in ("Fa", "Fma") and i + 1 < n and toks[i + 1][0] == "."
        example = (
            german.fold(w) in _EXAMPLE_NOUNS
            and w[:1].isupper()
            and i + 1 < n
            and toks[i + 1][0] == "wie"
        )
        if not abbreviated and not example and not is_trigger(w):
            continue
        j = i + 2 if abbreviated else i + 1
        if j < n and toks[j][0] == "wie":
            # "Unternehmen wie Satisloh, OptoTech und Qioptiq", "Kunden wie etwa Bosch"
            j += 1
            while j < n and toks[j][0] in (
                "etwa",
                "zum",
                "Beispiel",
                "z",
                ".",
                "B",
                "beispielsweise",
            ):
                j += 1
        members = []
        while j < n:
            span = name_at(j)
            if not span:
                break
            a, b = span
            words = [t[0] for t in toks[a:b]]
            if len(words) == 1 and (german.fold(words[0]) in places and not head_kind(words[0])):
                break
            members.append((a, b))
            j = b
            if j < n and toks[j][0] in (",", "und", "sowie", "oder", "&"):
                j += 1
                continue
            break
        group += 1
        if (
            (abbreviated or german.fold(w) in _SINGULAR_TRIGGERS)
            and len(members) == 2
            and all(b - a == 1 for a, b in members)
            and toks[members[0][1]][0] == "und"
        ):
            # "der Firma Krüger und Salecker": one firm of two family names, not two firms
            members = [(members[0][0], members[1][1])]
        for a, b in members:
            s, e = toks[a][1], toks[b - 1][2]
            if free(s, e):
                kind = next((k for k in (head_kind(t[0]) for t in toks[a:b]) if k), "company")
                out.append(OrgHit(text[s:e], s, e, kind, "trigger", 0.7, group=group))
                taken.append((s, e))
    # coordination: "Lorenz und RMT Metalltechnik", "RMT Metalltechnik, Lorenz sowie Weber"
    for h in list(hits) + out:
        for direction in (-1, 1):
            pos = h.start if direction < 0 else h.end
            k = next(
                (
                    idx
                    for idx, t in enumerate(toks)
                    if (t[2] <= pos if direction < 0 else t[1] >= pos)
                ),
                None,
            )
            if direction < 0:
                idxs = [idx for idx, t in enumerate(toks) if t[2] <= pos]
                if not idxs:
                    continue
                k = idxs[-1]
                if toks[k][0] not in ("und", "sowie", ","):
                    continue
                m = k - 1
                a = m
                while (
                    a >= 0 and toks[a][0][:1].isupper() and not is_common(toks[a][0]) and k - a <= 3
                ):
                    a -= 1
                a += 1
                if a <= m and free(toks[a][1], toks[m][2]):
                    words = [t[0] for t in toks[a : m + 1]]
                    if (
                        all(german.fold(x) not in places for x in words)
                        and any(is_distinctive(x, places) for x in words)
                        and not (len(words) == 1 and _NOUN_SUFFIX.search(words[0]))
                        and h.kind not in ("institution", "public")
                    ):
                        s, e = toks[a][1], toks[m][2]
                        kind = next((k for k in map(head_kind, words) if k), h.kind or "company")
                        out.append(
                            OrgHit(text[s:e], s, e, kind, "coordination", 0.6, group=_group_of(h))
                        )
                        taken.append((s, e))
            else:
                if k is None or toks[k][0] not in ("und", "sowie"):
                    continue
                span = name_at(k + 1)
                if span:
                    a, b = span
                    s, e = toks[a][1], toks[b - 1][2]
                    words = [t[0] for t in toks[a:b]]
                    if (
                        free(s, e)
                        and all(german.fold(x) not in places for x in words)
                        and (b < n and toks[b][0] in (",", "aus", "in", ".", "und") or b == n)
                    ):
                        kind = next((k for k in map(head_kind, words) if k), h.kind or "company")
                        out.append(
                            OrgHit(text[s:e], s, e, kind, "coordination", 0.6, group=_group_of(h))
                        )
                        taken.append((s, e))
    return out


# classifying nouns in the singular: the names after them are one organization's
_SINGULAR_TRIGGERS = frozenset({"firma", "traditionsfirma", "tochterfirma"})


# words after a well-known group's name that make it one of the group's companies
DIVISION_WORDS = lexicons.words("division_words.txt")  # "Carl Zeiss Meditec"


def _known_companies(text, toks, hits) -> list[OrgHit]:
    """Names from `known_companies.txt`, longest first, outside names with a legal form: a
    known group wins over a trade-word reading ("das Schweinfurter Schaeffler-Werk" is
    Schaeffler; the overlapping head-rule hit gives way in `_dedupe`)."""
    known = lexicon().known
    longest = max((len(k) for k in known), default=0)
    out: list[OrgHit] = []
    taken = [(h.start, h.end) for h in hits if h.rule == "legal"]
    i = 0
    while i < len(toks):
        for n in range(min(longest, len(toks) - i), 0, -1):
            words = tuple(t[0] for t in toks[i : i + n])
            kind = known.get(words)
            if kind is None and n == 1 and "-" in words[0]:
                kind = known.get((words[0].split("-")[0],))  # "Bosch-Werk", "ZF-Konzern"
                if kind is not None:
                    words = (words[0],)
            if kind is None:
                continue
            s, e = toks[i][1], toks[i + n - 1][2]
            if "-" not in words[-1]:
                # "Leica Camera", "Zeiss Meditec", "Carl Zeiss Sport Optics": the group's own
                # company
                for _ in range(2):
                    if i + n < len(toks) and toks[i + n][0] in DIVISION_WORDS:
                        e = toks[i + n][2]
                        n += 1
            if not any(a < e and s < b for a, b in taken):
                name = text[s:e]
                if (name,) not in known and "-" in name:
                    name = name.split("-")[0]  # "das Bosch-Werk", "der ZF-Konzern": the group
                    e = s + len(name)
                out.append(OrgHit(name, s, e, kind, "known_company", 0.8))
                taken.append((s, e))
            i += n - 1
            break
        i += 1
    return out


_WITH_ACRONYM = re.compile(
    r"(?P<name>[A-ZÄÖÜ][\wäöüß-]+(?:\s+(?:und\s+)?[A-ZÄÖÜ][\wäöüß-]+){0,4})\s+\((?P<acr>[A-ZÄÖÜ]{2,6})\)"
)
_PLUS_PAIR = re.compile(
    r"(?:\b(?:bei|beim|von|vom|die|der|den|dem|des|mit|und|für|Firma|Unternehmen)\s+)"
    r"(?P<name>[A-ZÄÖÜ][\wäöüß]+\s+\+\s+[A-ZÄÖÜ][\wäöüß]+)"
)


# ", ein Unternehmen …", ", ein Hersteller von …": what stands before it is a firm's name
APPOSITION = re.compile(
    r",\s+(?:ein|eine|einem|einer|der|die|das|dem)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:Unternehmen|Familienunternehmen|Traditionsunternehmen|Firma|Betrieb|Mittelständler|"
    r"[\w-]*[Hh]ersteller|[\w-]*[Zz]ulieferer|[\w-]*[Ss]pezialist(?:en)?|[\w-]*[Aa]nbieter)\b"
)
# "GMH Gruppe", "SMS group", "MV Werften", "Meyer-Werft", "Index-Werke", "die Nissha-Gruppe"
_GROUP = re.compile(
    r"\b(?P<a>[A-ZÄÖÜ][\wäöüß]*[A-Za-zäöüß])(?P<sep>\s+|-)(?P<tail>Gruppe|Group|group|Werften|Werft|Werke|Konzern)\b"
)
_GEBRUEDER = re.compile(r"\bGebr(?:üder|\.)\s+[A-ZÄÖÜ][\wäöüß]+")
_AND_PAIR = re.compile(
    r"\b(?P<a>[A-ZÄÖÜ][\wäöüß]*)\s?&\s?(?P<b>[A-ZÄÖÜ][\wäöüß]*)(?:\s+(?P<c>[A-ZÄÖÜ][\wäöüß]+))?"
)


def _town_hyphen_names(toks, hits, places) -> list[OrgHit]:
    """A town joined to a trade word by a hyphen names a firm: "Mechanik-Ruhla",
    "Optik-Rathenow" — a trade word, not a district's name ("Jena-Göschwitz") or a state
    ("Baden-Württemberg")."""
    out: list[OrgHit] = []
    taken = [(h.start, h.end) for h in hits]
    for w, s, e in toks:
        parts = w.split("-")
        if len(parts) != 2 or not all(x[:1].isupper() for x in parts):
            continue
        folded = [german.fold(x) for x in parts]
        if german.fold(w) in places or all(f in places for f in folded):
            continue
        other = [x for x, f in zip(parts, folded, strict=True) if f not in places]
        if len(other) != 1 or len(other[0]) < 4:
            continue
        word = other[0]
        if head_kind(word) != "company":
            continue  # "Jena-Göschwitz", "Hagen-Eckesey": a town and its district
        if not any(a < e and s < b for a, b in taken):
            out.append(OrgHit(w, s, e, "company", "head", 0.8))
    return out


def _initials(name: str) -> str:
    return "".join(p[0] for w in name.split() for p in w.split("-") if p and p[0].isupper())


def _shaped_names(text, hits, persons) -> list[OrgHit]:
    """Names whose shape says they are one: a name followed by its own acronym ("Wilhelm
    Schulte-Wiese (WSW)", "Geraer Metall- und Gerätebau (GMG)": the letters are the initials,
    so not a person's and not a place's name), and two names joined by a plus sign ("Lang +
    Menke")."""
    out: list[OrgHit] = []
    taken = [(h.start, h.end) for h in hits]
    for m in _WITH_ACRONYM.finditer(text):
        name = m.group("name")
        words = name.split()
        acr = m.group("acr")
        # the acronym's letters are the initials of the name's last words
        for k in range(len(words)):
            tail = " ".join(words[k:])
            if _initials(tail) == acr or _initials(tail.replace(" und ", " ")) == acr:
                s = m.start("name") + len(" ".join(words[:k])) + (1 if k else 0)
                if not any(a < m.end("name") and s < b for a, b in taken):
                    out.append(OrgHit(tail, s, m.end("name"), "company", "head", 0.9))
                    taken.append((s, m.end("name")))
                break
    for m in _GROUP.finditer(text):
        first = m.group("a")
        if (
            (is_common(first) and not APPOSITION.match(text[m.end() :]))
            or first in first_names()
            or first.lower() == first
            or german.split_compound(first)
            or german.fold(first).endswith(("gruppe", "verband", "verein"))  # "Arbeitsgruppe Werke"
        ):
            continue
        s, e = m.start(), m.end()
        if m.group("sep") == "-" and m.group("tail").lower() in ("gruppe", "group", "konzern"):
            e = m.end("a")  # "die Nissha-Gruppe" is Nissha
        if not any(x < e and s < y for x, y in taken):
            out.append(OrgHit(text[s:e], s, e, "company", "head", 0.8))
            taken.append((s, e))
    for m in _GEBRUEDER.finditer(text):
        s, e = m.start(), m.end()
        if not any(a < e and s < b for a, b in taken):
            out.append(OrgHit(m.group(0), s, e, "company", "head", 0.9))  # "Gebrüder Thiel"
            taken.append((s, e))
    for m in _AND_PAIR.finditer(text):
        a_, b_ = m.group("a"), m.group("b")
        s = m.start()
        e = m.end() if m.group("c") and head_kind(m.group("c")) == "company" else m.end("b")
        cue = re.search(
            r"\b(?:Firma|Firmen|bei|beim|von|vom|die|der|des|den|dem|mit|Unternehmen)\s+$",
            text[max(0, s - 14) : s],
        )
        named = (
            a_ in surnames()
            or b_ in surnames()
            or (m.group("c") and head_kind(m.group("c")) == "company")
            or cue
        )
        if (
            named
            and not any(is_common(w) or w in first_names() for w in (a_, b_))
            and not any(x < e and s < y for x, y in taken)
            and not any(p.start < e and s < p.end for p in persons)
        ):
            # "Schäffer & Budenberg", "B&M Optik": two names joined by "&" are a firm's
            out.append(OrgHit(m.group(0), s, e, "company", "head", 0.8))
            taken.append((s, e))
    for m in _PLUS_PAIR.finditer(text):
        s, e = m.start("name"), m.end("name")
        if not any(a < e and s < b for a, b in taken):
            out.append(OrgHit(m.group("name"), s, e, "company", "head", 0.8))
            taken.append((s, e))
    return out


def _known(text, toks, hits, known, persons) -> list[OrgHit]:
    out = []
    taken = [(h.start, h.end) for h in hits] + [(p.start, p.end) for p in persons]
    for idx, (w, s, e) in enumerate(toks):
        if not w[:1].isupper():
            continue
        base = w.split("-")[0] if "-" in w else w
        for cand_len in (3, 2, 1):
            if idx + cand_len > len(toks):
                continue
            words = [t[0] for t in toks[idx : idx + cand_len]]
            if cand_len == 1 and german.fold(w) not in known:
                words = [base]  # "Pleuger-Erzeugnisse" is Pleuger; "Zegla-Plast" stays whole
            key = german.fold(" ".join(words))
            if key in known:
                end = toks[idx + cand_len - 1][2] if cand_len > 1 else e
                if not any(a < end and s < b for a, b in taken):
                    full = known[key]
                    out.append(OrgHit(text[s:end], s, end, "", "known", 0.9, alias_of=full))
                    taken.append((s, end))
                break
    return out


def _dedupe(hits: list[OrgHit]) -> list[OrgHit]:
    """Overlapping hits: the longer, more certain one wins."""
    order = {"legal": 0, "known": 1, "known_company": 1, "head": 2, "trigger": 3, "coordination": 4}
    hits = sorted(hits, key=lambda h: (order.get(h.rule, 9), -(h.end - h.start)))
    kept: list[OrgHit] = []
    for h in hits:
        if any(k.start < h.end and h.start < k.end for k in kept):
            continue
        kept.append(h)
    return sorted(kept, key=lambda h: h.start)


def short_forms(name: str, places: set[str]) -> list[str]:
    """Shorter names a document may use later for an organization it introduced.

    'Heinze Metallbau GmbH' → 'Heinze Metallbau', 'Heinze'; 'IMPRO e.V.' → 'IMPRO';
    a generic word alone ('Metallbau') is never a short form.
    """
    base = _LEGAL_RE.sub("", name).strip(" ,-")
    out = []
    if base and base != name:
        out.append(base)
    words = base.split()
    if len(words) >= 3 and head_kind(words[0]) in ("network", "institution", "public"):
        out.append(" ".join(words[1:]))
    for w in words:
        core = w.strip('„“"()')
        if (is_acronym(core) and len(core) >= 3) or (
            len(core) >= 4
            and is_distinctive(core, set())
            and not head_kind(core)
            and german.fold(core) not in places
            and core not in first_names()
        ):
            out.append(core)
    return out


def normalize_name(name: str) -> str:
    """Comparison key for a name: folded, without legal form, punctuation or hyphens."""
    base = _LEGAL_RE.sub(" ", name)
    base = re.sub(r"[„“\"()',.]", " ", base)
    base = base.replace("-", " ").replace("&", " ")
    return " ".join(german.fold(w) for w in base.split())
