"""Document kind, language and date, decided from content and structure."""

from __future__ import annotations

import re

from .records import Block

_MONTHS = {
    "januar": 1, "jänner": 1, "january": 1, "jan": 1,
    "februar": 2, "february": 2, "feb": 2,
    "märz": 3, "maerz": 3, "march": 3, "mär": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mai": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11,
    "dezember": 12, "december": 12, "dez": 12, "dec": 12,
}  # fmt: skip
_ISO = re.compile(r"\b(19[5-9]\d|20[0-4]\d)-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?\b")
_DE = re.compile(r"\b(0?[1-9]|[12]\d|3[01])\.\s?(0?[1-9]|1[0-2])\.\s?(19[5-9]\d|20[0-4]\d)\b")
_DE_LONG = re.compile(
    r"\b(?:(0?[1-9]|[12]\d|3[01])\.\s*)?("
    + "|".join(sorted(_MONTHS, key=len, reverse=True))
    + r")\.?\s+(19[5-9]\d|20[0-4]\d)\b",
    re.I,
)
_STAND = re.compile(
    r"\bStand[:\s]+(?:[a-zäöü ]{0,40}?)\b(" + "|".join(_MONTHS) + r")\s+(19[5-9]\d|20[0-4]\d)", re.I
)


def find_date(text: str) -> str | None:
    """The first explicit date in the text as YYYY-MM-DD or YYYY-MM (month precision is kept
    as such rather than inventing a day)."""
    if not text:
        return None
    candidates = []
    for m in _ISO.finditer(text):
        candidates.append(
            (m.start(), f"{m.group(1)}-{m.group(2)}" + (f"-{m.group(3)}" if m.group(3) else ""))
        )
    for m in _DE.finditer(text):
        candidates.append((m.start(), f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"))
    for m in _DE_LONG.finditer(text):
        month = _MONTHS[m.group(2).lower()]
        day = f"-{int(m.group(1)):02d}" if m.group(1) else ""
        candidates.append((m.start(), f"{m.group(3)}-{month:02d}{day}"))
    for m in _STAND.finditer(text):
        candidates.append((m.start() - 10**6, f"{m.group(2)}-{_MONTHS[m.group(1).lower()]:02d}"))
    if not candidates:
        return None
    return min(candidates)[1]


_DE_WORDS = set(
    "der die das und ist nicht mit für von den dem auf sich auch ein eine wird werden bei im zum zur aus wir unsere sind als oder".split()
)
_EN_WORDS = set("the and of to in is for with on are we our from by as this that be at an".split())


def detect_language(text: str) -> str:
    words = re.findall(r"[a-zäöüß]+", text[:20000].lower())
    de = sum(1 for w in words if w in _DE_WORDS)
    en = sum(1 for w in words if w in _EN_WORDS)
    if de == en == 0:
        return "unknown"
    return "de" if de >= en else "en"


_PRESS = re.compile(
    r"(\bsagt\b|\berklärt\b|\bberichtet\b|\bteilte\b.*\bmit\b|\(dpa\)|\([A-Z]{2,4}/[a-z]{1,4}\)|„|\bsagte\b|\bso\s+\w+\s+weiter\b|\bam (Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag)\b)"
)
_MEMBER = re.compile(
    r"(\bwir\b|\bunser[emnrs]?\b|\bÜber uns\b|\bImpressum\b|\bKontakt\b|\bLeistungen\b|\bLeistungsspektrum\b|\bMitgliedschaft\b|\bAnfahrt\b|\bProdukte\b)",
    re.I,
)
_BROCHURE = re.compile(
    r"(\bProgramm\b|\bAktionsprogramm\b|\bFörder|\bAnsprechpartner\b|\bBroschüre\b|\bSchwerpunkte\b|\bMaßnahmen\b|\bInitiative\b)",
    re.I,
)


def classify(filetype: str, title: str, blocks: list[Block]) -> str:
    """Member page, press article, brochure or other, from cues in the text.

    The file type only tips the balance (a brochure is usually a PDF, a member page HTML):
    a press article saved as PDF is still a press article.
    """
    text = title + "\n" + "\n".join(b.text for b in blocks[:200])
    press = len(_PRESS.findall(text))
    member = len(_MEMBER.findall(text))
    brochure = len(_BROCHURE.findall(text))
    headings = sum(1 for b in blocks if b.role == "heading")
    if filetype == "pdf":
        brochure += 2
    if filetype == "html":
        member += 1
    if re.search(r"\(\s*[A-Z]{2,4}\s*/\s*[a-z]{1,4}\s*\)|\bdpa\b|Pressemitteilung|Presse", text):
        press += 3
    if headings >= 6:
        brochure += 1
    scores = {"press_article": press, "member_page": member, "brochure": brochure}
    best = max(scores, key=scores.get)
    return best if scores[best] >= 2 else "other"
