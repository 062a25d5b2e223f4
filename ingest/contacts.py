"""Phone and fax numbers, e-mail and web addresses, person names and their roles."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from . import lexicons

_PHONE_LABEL = re.compile(
    r"(?P<label>Telefon|Tel\.?|Fon|Phone|Telefax|Fax|Mobil|Mobile|Handy|Funk|T|F|M)\s*[:.]?\s*(?P<num>\+?\(?\d[\d \t/().\-–]{5,24}\d)",
    re.I,
)
_PHONE_BARE = re.compile(
    r"(?<![\w/])(?P<num>(?:\+49|0049)\s*(?:\(0\)\s*)?\d[\d \t/\-]{5,20}\d|0\d{2,5}\s*/\s*[\d \-]{3,14}\d)"
)
_EMAIL = re.compile(
    r"[\w.+\-]+(?:@|\s?\[at\]\s?|\s?\(at\)\s?)[\w\-]+(?:\.[\w\-]+)*\.[a-z]{2,12}\b", re.I
)
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"')]+", re.I)


def normalize_phone(raw: str) -> str:
    """'0 33 85 / 54 80-0' → '+49 3385 54800'; '+49 (0) 35054 298281' → '+49 35054 298281'.

    The area code is the part before '/' or the first digit group; the rest is the subscriber
    number with its extension ('-0' for the switchboard) appended as written.
    """
    s = raw.strip().replace("–", "-")
    s = re.sub(r"\(0\)", " ", s)
    international = s.startswith("+") or s.startswith("00")
    if international:
        s = re.sub(r"^(\+|00)\s*", "", s)
        m = re.match(r"(\d{2})\s*(.*)", s)
        if not m:
            return raw.strip()
        country, rest = m.group(1), m.group(2)
        if country != "49":
            return "+" + re.sub(r"[^\d]", "", s)
        rest = rest.lstrip("0 ")
    else:
        country, rest = "49", s.lstrip()
        if not rest.startswith("0"):
            return re.sub(r"\s+", " ", raw.strip())
        rest = rest[1:]
    if "/" in rest:
        area, number = rest.split("/", 1)
    else:
        parts = re.split(r"[\s\-]+", rest.strip(), maxsplit=1)
        area, number = (parts[0], parts[1]) if len(parts) == 2 else (rest[:4], rest[4:])
    area = re.sub(r"\D", "", area)
    number = re.sub(r"\D", "", number)
    if not area or not number:
        return "+" + country + " " + area + number
    return f"+{country} {area} {number}"


@dataclass
class PhoneHit:
    kind: str  # phone | fax | mobile
    number: str
    start: int
    end: int


def find_phones(text: str) -> list[PhoneHit]:
    hits: list[PhoneHit] = []
    taken: list[tuple[int, int]] = []
    for m in _PHONE_LABEL.finditer(text):
        label = m.group("label").lower().rstrip(".")
        if label in ("t", "f", "m") and not re.match(r"\s*[:.]", text[m.end("label") :]):
            continue
        num = m.group("num").strip()
        if sum(c.isdigit() for c in num) < 6:
            continue
        kind = (
            "fax"
            if label in ("telefax", "fax", "f")
            else "mobile"
            if label in ("mobil", "mobile", "handy", "funk", "m")
            else "phone"
        )
        hits.append(PhoneHit(kind, normalize_phone(num), m.start(), m.end()))
        taken.append((m.start("num"), m.end("num")))
    for m in _PHONE_BARE.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        num = m.group("num").strip()
        if sum(c.isdigit() for c in num) < 7:
            continue
        hits.append(PhoneHit("phone", normalize_phone(num), m.start(), m.end()))
    return sorted(hits, key=lambda h: h.start)


def find_emails(text: str) -> list[str]:
    out = []
    for m in _EMAIL.finditer(text):
        e = re.sub(r"\s?[\[(]at[\])]\s?", "@", m.group(0), flags=re.I).lower()
        out.append(e)
    return out


def find_urls(text: str) -> list[str]:
    return [m.group(0).rstrip(".,;:>") for m in _URL.finditer(text)]


# ------------------------------------------------------------------- persons

_TITLES = r"(?:(?:Dr\.|Prof\.|Dipl\.-[A-Z][a-z]+\.|Dipl\.-Ing\.(?:\s*\(FH\))?|Ing\.|Herr|Frau|Mag\.|MBA)\s+)*"
ROLE_WORDS = [
    "Geschäftsführender Gesellschafter", "Geschäftsführende Gesellschafterin", "Geschäftsführerin", "Geschäftsführer",
    "Inhaberin", "Inhaber", "Vorstandsvorsitzende", "Vorstandsvorsitzender", "Vorsitzende", "Vorsitzender", "Vorstand",
    "Vertriebsleiterin", "Vertriebsleiter", "Technische Leiterin", "Technischer Leiter", "Produktionsleiter", "Produktionsleiterin",
    "Betriebsleiter", "Betriebsleiterin", "Werkleiter", "Werkleiterin", "Niederlassungsleiter", "Prokurist", "Prokuristin",
    "Ansprechpartnerin", "Ansprechpartner", "Koordinatorin", "Koordinator", "Sprecherin", "Sprecher", "Leiterin", "Leiter",
    "Projektleiterin", "Projektleiter", "Netzwerkmanagerin", "Netzwerkmanager", "Clustermanager", "Clustermanagerin",
    "Regionalbeauftragter", "Regionalbeauftragte", "Qualitätsmanager", "Qualitätsmanagerin", "Firmenchef", "Firmenchefin",
    "Chefin", "Chef", "Gründerin", "Gründer", "Mitgründer", "Präsidentin", "Präsident", "Direktorin", "Direktor",
    "Bürgermeisterin", "Bürgermeister", "Oberbürgermeister", "Oberbürgermeisterin", "Landrätin", "Landrat",
    "Wirtschaftsministerin", "Wirtschaftsminister", "Ministerpräsidentin", "Ministerpräsident", "Ministerin", "Minister",
    "Staatssekretärin", "Staatssekretär", "Bezirksleiter", "Bezirksleiterin", "Hauptgeschäftsführer", "Hauptgeschäftsführerin",
    "Betriebsratsvorsitzende", "Betriebsratsvorsitzender", "Meister", "Meisterin", "CEO", "CTO", "Managing Director",
]  # fmt: skip
# compound roles: Vertriebsleiterin, Pressesprecher, Ausbildungsbeauftragte, Netzwerkmanager …
_ROLE_COMPOUND = r"[A-ZÄÖÜ][a-zäöüß]+(?:leiter|leiterin|sprecher|sprecherin|manager|managerin|beauftragter|beauftragte|referent|referentin|koordinator|koordinatorin|vorsitzender|vorsitzende|direktor|direktorin|führer|führerin)"
ROLE_RE = re.compile(
    r"\b("
    + "|".join(re.escape(r) for r in ROLE_WORDS)
    + r"|"
    + _ROLE_COMPOUND
    + r"|Schatzmeister(?:in)?|Stellvertreter(?:in)?|Vertrieb)(?:s|in|en)?\b"
)


@cache
def first_names() -> frozenset[str]:
    return lexicons.words("first_names.txt") | _BUILTIN_FIRST


@cache
def surnames() -> frozenset[str]:
    return lexicons.words("surnames.txt")


_BUILTIN_FIRST = frozenset(
    "Peter Martin Michael Andreas Thomas Frank Jürgen Klaus Hans Wolfgang Stefan Uwe Christoph Jan Jakub Norbert Mirko "
    "Heinz Gerhard Volker Matthias Anna Maria Katrin Sabine Susanne Petra Andrea Claudia Ute Silke Steffen Sven Ralf "
    "Dirk Jens Torsten Olaf Lars Kai Marco Tobias Daniel Sebastian Alexander Christian Markus Tom Manfred Hasso "
    "Wolfgang Ronny Rene René Maik Mike Enrico Heike Kerstin Anja Antje Birgit Ines Jana Doreen Nadine Franziska".split()
)
_NAME_TOKEN = r"[A-ZÄÖÜ][a-zäöüßéèáàçñ]+(?:-[A-ZÄÖÜ][a-zäöüßéèáà]+)?"
_PERSON = re.compile(
    r"(?P<title>"
    + _TITLES
    + r")(?P<first>"
    + _NAME_TOKEN
    + r")(?![\w])(?:\s+(?P<middle>[A-ZÄÖÜ]\.|"
    + _NAME_TOKEN
    + r"(?![\w])))?\s+(?P<last>(?:von\s+|van\s+|de\s+)?"
    + _NAME_TOKEN
    + r")(?![\w])"  # whole words only: "Albrecht GmbH" is no "Albrecht Gmb"
)


_CANDIDATE_START = re.compile(
    r"(?<![\w.-])(?=(?:Dr\.|Prof\.|Dipl\.|Ing\.|Herr\b|Frau\b|Mag\.|MBA\b|[A-ZÄÖÜ]))"
)


@dataclass
class PersonHit:
    name: str
    start: int
    end: int


def find_persons(text: str) -> list[PersonHit]:
    """People are a known given name followed by a capitalised surname (titles kept)."""
    out = []
    fn = first_names()
    pos = 0
    for start in _CANDIDATE_START.finditer(text):
        if start.start() < pos:
            continue
        m = _PERSON.match(text, start.start())
        if m is None:
            continue
        first, middle, last = m.group("first"), m.group("middle"), m.group("last")
        if first not in fn:
            # "Dr. Grundmann" style with a title but unknown given name
            if m.group("title").strip() and middle is None and last[:1].isupper():
                pass
            else:
                continue
        if middle and middle not in fn and not re.match(r"[A-Z]\.$", middle):
            # "Peter Nothnagel Geschäftsführer": the middle token is really the surname
            last = middle
            end = m.start("middle") + len(middle)
        else:
            end = m.end()
        if ROLE_RE.fullmatch(last) or last in ("GmbH", "AG", "KG"):
            continue
        name = text[m.start() : end].strip()
        name = re.sub(r"^(Herr|Frau)\s+", "", name)
        out.append(PersonHit(name, m.start(), end))
        pos = end
    return out


def role_near(text: str, person: PersonHit) -> tuple[str, int] | None:
    """The role word that describes a person: 'X, Geschäftsführer der …' or 'Geschäftsführer X'.

    Returns the role and the position where the organization phrase after it starts.
    """
    after = text[person.end : person.end + 60]
    m = re.match(
        r"\s*[,(]\s*(?:(?:der|die|des|dem|und)\s+)?(?:\w+\s+){0,2}?" + ROLE_RE.pattern, after
    )
    if m:
        return _role_text(m), person.end + m.end()
    before = text[max(0, person.start - 80) : person.start]
    m2 = None
    for m2 in ROLE_RE.finditer(before):
        pass
    if m2 is not None:
        gap = before[m2.end() :]
        # "Geschäftsführer Jürgen Graf" or "der Geschäftsführer der Feinwerktechnik Geising, Jürgen Graf,"
        # — but not "Geschäftsführerin Nina Beispiel, Thomas Muster": the role was hers
        if len(gap) <= 2 or (re.fullmatch(r"[^.;:!?]{0,60},\s*", gap) and not find_persons(gap)):
            return _role_text(m2), max(0, person.start - 80) + m2.end()
    return None


# Politicians, mayors and officials are named in most articles; they are nobody's contact.
_PUBLIC_ROLE = re.compile(
    r"(minister|burgermeister|landrat|landrat|staatssekretar|abgeordnet|kanzler|senator|"
    r"dezernent|beigeordnet|regierungsprasident|ortsvorsteher|stadtrat|kreisrat|landtag|bundestag)",
)
_PARTY_AFTER = re.compile(r"^\s*(?:\((?:CDU|CSU|SPD|FDP|Grüne|Linke|AfD|BSW)\)|,?\s*Md[LB]\b)")
_CREDIT_BEFORE = re.compile(
    r"(?:Fotos?|Bild(?:er)?|Text|Autor(?:in)?|Quelle|Grafik|Video|Interview|Von|von|©|\(c\))\s*[:/]?\s*$"
)


def is_public_role(role: str) -> bool:
    """'Landrätin', 'Wirtschaftsminister', 'Bundestagsabgeordneter': an official, not staff.

    >>> is_public_role("Landrätin"), is_public_role("Geschäftsführerin")
    (True, False)
    """
    from .german import fold

    return bool(_PUBLIC_ROLE.search(fold(role)))


def not_a_contact(text: str, person: PersonHit, role: str | None) -> bool:
    """A person who is nobody's contact: an official or politician by role or party, or the
    author or photographer of a byline or credit ("Foto: Anna Beispiel")."""
    if role and is_public_role(role):
        return True
    if _PARTY_AFTER.match(text[person.end : person.end + 12]):
        return True
    after = re.match(r"\s*[,(]\s*([^,;)]{0,50})", text[person.end : person.end + 60])
    if after and is_public_role(after.group(1)):
        return True  # "Michael Guse (Wirtschaftsdezernent Landkreis Rottweil)"
    if text[max(0, person.start - 1) : person.start] in ("„", '"', "»") and text[
        person.end : person.end + 1
    ] in ("“", '"', "«"):
        return True  # „Otto Normalverbraucher“: a figure of speech
    before = text[max(0, person.start - 40) : person.start]
    if _CREDIT_BEFORE.search(before):
        return True
    return bool(re.search(r"(Foto|Fotos|Bild)\s*:\s*[^.;]{0,30}$", before))


def _role_text(m: re.Match) -> str:
    return m.group(1)
