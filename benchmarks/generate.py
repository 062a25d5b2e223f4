"""A deterministic generator of realistic German supplier documents for the benchmarks.

Member pages of firms and associations (HTML), press notes (HTML and the plain-text dump form
`` date YYYY-MM title lead``) and programme brochures (PDF, two-column contact pages, via
reportlab) about a fictional population of firms placed in real German towns from the project's
gazetteer and described with the project's taxonomy terms. The same seed and size give the same
bytes, so runs on different days and machines measure the same work.

    python -m benchmarks.generate --docs 1000 --out benchmarks/out/corpus-1000
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import html
import json
import math
import random
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

GENERATOR_VERSION = 1
DATA = Path(__file__).resolve().parents[1] / "ingest" / "data"

# share of documents per kind; the rest are firm member pages
MIX = {"assoc_page": 0.06, "press_html": 0.16, "press_txt": 0.16, "brochure_pdf": 0.10}
FIRMS_PER_DOC = 0.3  # 100k documents → 30k firms: "tens of thousands of suppliers"

TRADES = [
    "Drehteile", "Feinmechanik", "Präzisionstechnik", "Metallbau", "Werkzeugbau",
    "Blechbearbeitung", "Zerspanungstechnik", "Gerätebau", "Elektronik", "Kunststofftechnik",
    "Oberflächentechnik", "Härtetechnik", "Schleiftechnik", "Frästechnik", "Maschinenbau",
    "Antriebstechnik", "Lasertechnik", "Stanztechnik", "Formenbau", "Sondermaschinenbau",
    "Messtechnik", "Vorrichtungsbau", "Schweißtechnik", "Feinwerktechnik", "Zahnradtechnik",
    "Federntechnik", "Gießerei", "Galvanotechnik", "Kabeltechnik", "Baugruppenfertigung",
]  # fmt: skip
LEGAL = [("GmbH", 50), ("GmbH & Co. KG", 16), ("KG", 8), ("AG", 4), ("e.K.", 8),
         ("UG (haftungsbeschränkt)", 6), ("OHG", 3)]  # fmt: skip
ROLES = ["Geschäftsführer", "Geschäftsführerin", "Vertriebsleiter", "Vertrieb",
         "Leiterin Qualitätsmanagement", "Technischer Leiter", "Prokurist", "Einkauf"]  # fmt: skip
PAPERS = ["Lausitzer Wirtschaftsblatt", "Mitteldeutscher Industriekurier", "Rheintal-Anzeiger",
          "Fränkischer Wirtschaftsspiegel", "Nordsee-Rundschau", "Schwäbische Betriebszeitung",
          "Westfälischer Mittelstandsbote", "Havelland-Kurier", "Thüringer Technikblatt"]  # fmt: skip
ASSOC_PATTERNS = ["Zulieferverbund {region} e.V.", "Netzwerk {trade} {region}",
                  "Interessenverband Metall- und Präzisionstechnik {region} e.V.",
                  "Kompetenzzentrum {trade} {region}", "Industrieverein {region} e.V."]  # fmt: skip
FILLER = [
    "Kurze Lieferzeiten und eine verlässliche Termintreue sind für uns selbstverständlich.",
    "Jeder Auftrag wird von der ersten Anfrage bis zur Auslieferung von einem festen Ansprechpartner begleitet.",
    "Der Maschinenpark wird laufend modernisiert, zuletzt im vergangenen Jahr.",
    "Die Fertigung arbeitet im Zweischichtbetrieb, bei Bedarf auch am Wochenende.",
    "Gemeinsam mit unseren Kunden entwickeln wir Lösungen, die sich wirtschaftlich fertigen lassen.",
    "Zeichnungen nehmen wir in allen gängigen Formaten entgegen.",
    "Die Ausbildung junger Fachkräfte hat im Betrieb eine lange Tradition.",
    "Viele Kunden arbeiten seit mehr als zehn Jahren mit uns zusammen.",
    "Auf Wunsch übernehmen wir auch die Lagerhaltung und liefern auf Abruf.",
    "Prüfprotokolle und Werkstoffzeugnisse liegen jeder Lieferung bei.",
    "Die Hallenfläche wurde in den letzten Jahren mehrfach erweitert.",
    "Ein eigenes Messlabor sichert die Qualität jedes Bauteils.",
    "Anfragen beantworten wir in der Regel innerhalb von zwei Arbeitstagen.",
    "Die Energieversorgung stammt zu einem großen Teil aus der eigenen Photovoltaikanlage.",
    "Wir verstehen uns als verlängerte Werkbank unserer Kunden.",
    "Muster und Prototypen fertigen wir kurzfristig.",
    "Die Mitarbeiterinnen und Mitarbeiter werden regelmäßig weitergebildet.",
    "Zum Standort gehören ein Verwaltungsgebäude und zwei Fertigungshallen.",
    "Für Rückfragen steht unser Vertriebsteam gern zur Verfügung.",
    "Der Betrieb ist gut an die Autobahn angebunden.",
]  # fmt: skip
PRESS_FILLER = [
    "Die Auftragslage in der Branche gilt nach wie vor als gut.",
    "Schwierig bleibt die Suche nach Fachkräften, vor allem im gewerblichen Bereich.",
    "Die Industrie- und Handelskammer rechnet für das laufende Jahr mit stabilen Umsätzen.",
    "Mehrere Betriebe der Region haben zuletzt in neue Anlagen investiert.",
    "Gestiegene Energiepreise belasten vor allem kleinere Unternehmen.",
    "Der Landkreis unterstützt die Ansiedlung mit einem neuen Gewerbegebiet.",
    "Bei der Veranstaltung kamen rund achtzig Unternehmer ins Gespräch.",
    "Die Wirtschaftsförderung will solche Kooperationen weiter unterstützen.",
]  # fmt: skip
TOPICS = ["Leistungen", "Über uns", "Qualität", "Fertigung", "Referenzen"]


@dataclass
class Firm:
    name: str
    place: str
    state: str
    lat: float
    lon: float
    capabilities: list[str]  # concept ids
    cap_terms: list[str]  # German terms used in the text
    industries: list[str]
    ind_terms: list[str]
    certifications: list[str]
    cert_terms: list[str]
    material_terms: list[str]
    people: list[tuple[str, str]]  # (name, role)
    phone: str
    email: str
    founded: int
    employees: int


@dataclass
class Association:
    name: str
    place: str
    state: str
    members: list[int]  # firm indexes
    contact: tuple[str, str]
    phone: str


@dataclass
class Manifest:
    seed: int
    docs: int
    version: int = GENERATOR_VERSION
    files: dict[str, int] = field(default_factory=dict)  # kind → count
    bytes: int = 0
    pdf_pages: int = 0
    digest: str = ""  # sha1 over all file bytes in order: equal digests, equal corpus
    firms: list[dict] = field(default_factory=list)


def _read_lexicon(name: str) -> list[str]:
    out = []
    for line in (DATA / "lexicon" / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and re.fullmatch(r"[A-ZÄÖÜ][a-zäöüß]+", line):
            out.append(line)
    return out


def _places() -> list[dict]:
    rows = []
    with open(DATA / "places.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            try:
                pop = int(r["population"] or 0)
                lat, lon = float(r["lat"]), float(r["lon"])
            except ValueError:
                continue
            if pop >= 8000 and "(" not in r["name"] and r["state"]:
                rows.append(
                    {"name": r["name"], "state": r["state"], "lat": lat, "lon": lon, "pop": pop}
                )
    rows.sort(key=lambda r: r["name"])
    return rows


def _taxonomy() -> dict[str, list[tuple[str, list[str]]]]:
    """facet → [(concept id, usable German terms)]: nouns only, so templates read well."""
    out: dict[str, list[tuple[str, list[str]]]] = {}
    with open(DATA / "taxonomy.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["id"].endswith(".other") or not r["parent"] and r["facet"] == "capability":
                continue
            terms = [
                t
                for t in r["terms_de"].split("|")
                if t and t[0].isupper() and " " not in t and "/" not in t and len(t) > 3
            ]
            if r["facet"] == "certification":
                terms = [t for t in r["terms_de"].split("|") if re.search(r"\d", t)][:2]
            if terms:
                out.setdefault(r["facet"], []).append((r["id"], terms))
    return out


class Universe:
    """The fictional firms and associations a corpus of a given size talks about."""

    def __init__(self, n_docs: int, seed: int):
        rng = random.Random(f"universe-{seed}")
        self.surnames = _read_lexicon("surnames.txt")
        self.first = _read_lexicon("first_names.txt")
        places = _places()
        weights = [math.sqrt(p["pop"]) for p in places]
        tax = _taxonomy()
        caps, inds, certs, mats = (
            tax["capability"],
            tax["industry"],
            tax["certification"],
            tax.get("material", []),
        )
        n_firms = max(8, int(n_docs * FIRMS_PER_DOC))
        self.firms: list[Firm] = []
        used: set[str] = set()
        while len(self.firms) < n_firms:
            place = rng.choices(places, weights)[0]
            trade = rng.choice(TRADES)
            legal = rng.choices([x for x, _ in LEGAL], [w for _, w in LEGAL])[0]
            sur = rng.choice(self.surnames)
            pattern = rng.random()
            if pattern < 0.45:
                base = f"{sur} {trade}"
            elif pattern < 0.7:
                base = f"{trade} {sur}"
            elif pattern < 0.85:
                base = f"{trade} {place['name']}"
            else:
                base = f"{sur} & {rng.choice(self.surnames)} {trade}"
            name = f"{base} {legal}"
            if base in used:
                continue
            used.add(base)
            fc = rng.sample(caps, rng.randint(2, 5))
            fi = rng.sample(inds, rng.randint(1, 3))
            fz = rng.sample(certs, rng.choice([0, 1, 1, 2]))
            fm = rng.sample(mats, rng.randint(0, 2)) if mats else []
            people = [
                (f"{rng.choice(self.first)} {rng.choice(self.surnames)}", role)
                for role in rng.sample(ROLES, 2)
            ]
            slug = re.sub(r"[^a-z]+", "-", base.lower().translate(_TRANSLIT)).strip("-")
            self.firms.append(
                Firm(
                    name=name,
                    place=place["name"],
                    state=place["state"],
                    lat=place["lat"],
                    lon=place["lon"],
                    capabilities=[c for c, _ in fc],
                    cap_terms=[rng.choice(t) for _, t in fc],
                    industries=[c for c, _ in fi],
                    ind_terms=[t[0] for _, t in fi],
                    certifications=[c for c, _ in fz],
                    cert_terms=[t[0] for _, t in fz],
                    material_terms=[rng.choice(t) for _, t in fm],
                    people=people,
                    phone=_phone(rng),
                    email=f"info@{slug}.example",
                    founded=rng.randint(1900, 2018),
                    employees=rng.choice([6, 9, 12, 18, 25, 35, 48, 60, 85, 120, 160, 240, 400]),
                )
            )
        by_state: dict[str, list[int]] = {}
        for i, f in enumerate(self.firms):
            by_state.setdefault(f.state, []).append(i)
        self.by_state = by_state
        n_assoc = max(2, n_docs // 60)
        self.assocs: list[Association] = []
        assoc_names: set[str] = set()
        states = sorted(by_state)
        tries = 0
        while len(self.assocs) < n_assoc and tries < n_assoc * 20:
            tries += 1
            state = rng.choice(states)
            members = by_state[state]
            seat = self.firms[rng.choice(members)]
            region = rng.choice([seat.place, state])
            name = rng.choice(ASSOC_PATTERNS).format(region=region, trade=rng.choice(TRADES))
            if name in assoc_names:
                continue
            assoc_names.add(name)
            k = min(len(members), rng.randint(6, 18))
            self.assocs.append(
                Association(
                    name=name,
                    place=seat.place,
                    state=state,
                    members=sorted(rng.sample(members, k)),
                    contact=(
                        f"{rng.choice(self.first)} {rng.choice(self.surnames)}",
                        "Geschäftsstelle",
                    ),
                    phone=_phone(rng),
                )
            )


_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "&": " "})


def _phone(rng: random.Random) -> str:
    return f"0{rng.randint(30, 99)}{rng.randint(1, 9)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"


def _art(name: str, case: str) -> str:
    """German article for an association name: der Verein/Verbund, das Netzwerk/Zentrum."""
    neuter = name.startswith(("Netzwerk", "Kompetenzzentrum"))
    return {"nom": "das" if neuter else "der", "dat": "dem"}[case]


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " und " + items[-1]


def _date(rng: random.Random) -> tuple[int, int, int]:
    return rng.randint(2005, 2025), rng.randint(1, 12), rng.randint(1, 28)


# ----------------------------------------------------------------------------- text pieces


def firm_sentences(f: Firm, rng: random.Random, year: int) -> list[str]:
    """What a firm says about itself: capabilities, industries, certificates, size, history."""
    s = [
        f"Die {f.name} in {f.place} fertigt {_join(f.cap_terms[:3])} für Kunden aus den Branchen {_join(f.ind_terms)}.",
        rng.choice(
            [
                f"Das Unternehmen wurde {f.founded} gegründet und beschäftigt heute {f.employees} Mitarbeiterinnen und Mitarbeiter.",
                f"Seit der Gründung im Jahr {f.founded} ist der Betrieb auf {f.employees} Beschäftigte gewachsen.",
            ]
        ),
    ]
    if len(f.cap_terms) > 3:
        s.append(f"Außerdem gehören {_join(f.cap_terms[3:])} zum Leistungsspektrum.")
    if f.material_terms:
        s.append(f"Verarbeitet werden vor allem {_join(f.material_terms)}.")
    if f.cert_terms:
        s.append(f"Das Qualitätsmanagement ist nach {_join(f.cert_terms)} zertifiziert.")
    s.append(
        rng.choice(
            [
                "Gefertigt wird in Einzelfertigung, Kleinserien und Serienfertigung.",
                "Schwerpunkt sind Kleinserien und Prototypen.",
                f"Im Jahr {year} wurde in eine neue Fertigungslinie investiert.",
            ]
        )
    )
    return s


def contact_lines(f: Firm) -> list[str]:
    out = []
    for person, role in f.people:
        out.append(f"{person}, {role}")
    out.append(f"Tel. {f.phone}")
    out.append(f"E-Mail: {f.email}")
    return out


def _para(sentences: list[str]) -> str:
    return "<p>" + html.escape(" ".join(sentences)) + "</p>"


def _html_page(
    title: str, date: tuple[int, int, int], brand: str, body: list[str], aside: list[str]
) -> str:
    y, m, d = date
    nav = "".join(f'<li><a href="/{t.lower()}">{t}</a></li>' for t in ["Home", *TOPICS, "Kontakt"])
    return (
        '<!DOCTYPE html>\n<html lang="de">\n<head>\n<meta charset="UTF-8">\n'
        f'<meta name="date" content="{y:04d}-{m:02d}-{d:02d}">\n'
        f"<title>{html.escape(title)}</title>\n"
        '<script async src="/js/consent.js"></script>\n'
        "<style>body{font-family:sans-serif}nav ul{display:flex}</style>\n</head>\n<body>\n"
        f'<header class="top"><div class="brand">{html.escape(brand)}</div></header>\n'
        f'<nav class="primary"><ul>{nav}</ul></nav>\n<main>\n'
        + "\n".join(body)
        + "\n</main>\n"
        + ('<aside class="kontakt">\n' + "\n".join(aside) + "\n</aside>\n" if aside else "")
        + '<footer><ul><li><a href="/impressum">Impressum</a></li>'
        '<li><a href="/datenschutz">Datenschutz</a></li></ul>'
        f"<p>© {y} {html.escape(brand)}</p></footer>\n</body>\n</html>\n"
    )


# ----------------------------------------------------------------------------- documents


def member_page(u: Universe, rng: random.Random, fi: int) -> tuple[str, str]:
    f = u.firms[fi]
    date = _date(rng)
    topic = rng.choice(TOPICS)
    body = [
        f"<h1>{html.escape(topic)} – {html.escape(f.name)}</h1>",
        f'<p class="meta">Stand: {date[2]:02d}.{date[1]:02d}.{date[0]}</p>',
    ]
    facts = firm_sentences(f, rng, date[0])
    body.append(_para(facts[:2] + rng.sample(FILLER, 2)))
    body.append("<h2>Was wir fertigen</h2>")
    body.append(
        "<ul>"
        + "".join(
            f"<li>{html.escape(t)} für {html.escape(rng.choice(f.ind_terms))}</li>"
            for t in f.cap_terms
        )
        + "</ul>"
    )
    body.append(_para(facts[2:] + rng.sample(FILLER, 3)))
    body.append("<h2>Ihr Vorteil</h2>")
    body.append(_para(rng.sample(FILLER, 4)))
    aside = ["<h2>Ansprechpartner</h2>"]
    for person, role in f.people:
        aside.append(
            f'<div class="person"><p class="name">{html.escape(person)}</p><p class="rolle">{html.escape(role)}</p></div>'
        )
    aside.append(
        f'<p class="adresse">{html.escape(f.name)} · {html.escape(f.place)}<br>Tel. {f.phone}<br>'
        f'<a href="mailto:{f.email}">{f.email}</a></p>'
    )
    title = f"{topic} – {f.name}, {f.place}"
    return "html", _html_page(title, date, f.name, body, aside)


def assoc_page(u: Universe, rng: random.Random, ai: int) -> tuple[str, str]:
    a = u.assocs[ai]
    date = _date(rng)
    trades = sorted({t for i in a.members for t in u.firms[i].cap_terms[:1]})
    body = [
        f"<h1>Über {'das' if _art(a.name, 'nom') == 'das' else 'den'} {html.escape(a.name)}</h1>",
        f'<p class="meta">Stand: {date[1]:02d}/{date[0]}</p>',
        _para(
            [
                f"{_art(a.name, 'nom').capitalize()} {a.name} mit Sitz in {a.place} vereint {len(a.members)} Unternehmen aus {a.state}.",
                f"Die Mitglieder sind spezialisiert auf {_join(trades[:4])}.",
                rng.choice(PRESS_FILLER),
            ]
        ),
        "<h2>Unsere Mitglieder</h2>",
        "<ul>"
        + "".join(
            f"<li>{html.escape(u.firms[i].name)}, {html.escape(u.firms[i].place)} – "
            f"{html.escape(_join(u.firms[i].cap_terms[:2]))}</li>"
            for i in a.members
        )
        + "</ul>",
        _para(rng.sample(FILLER, 2)),
    ]
    aside = [
        "<h2>Geschäftsstelle</h2>",
        f"<p>{html.escape(a.contact[0])}, {a.contact[1]}<br>Tel. {a.phone}</p>",
    ]
    return "html", _html_page(f"{a.name} – Mitglieder", date, a.name, body, aside)


def _press_story(
    u: Universe, rng: random.Random
) -> tuple[str, str, list[str], tuple[int, int, int]]:
    """Title, lead and paragraphs of a regional press note about two to four firms."""
    date = _date(rng)
    state = rng.choice(sorted(u.by_state))
    pool = u.by_state[state]
    firms = [u.firms[i] for i in rng.sample(pool, min(len(pool), rng.randint(2, 4)))]
    lead_firm = firms[0]
    kind = rng.choice(["auftrag", "investition", "messe", "ausbildung"])
    if kind == "auftrag":
        title = f"Großauftrag für {lead_firm.name.split(' ')[0]} aus {lead_firm.place}"
        lead = f"Ein Auftrag aus der Branche {lead_firm.ind_terms[0]} bringt mehrere Zulieferer aus {state} an einen Tisch."
    elif kind == "investition":
        title = f"{lead_firm.place}: Zulieferer investiert in neue Halle"
        lead = f"Die {lead_firm.name} baut ihre Fertigung aus und schafft neue Stellen."
    elif kind == "messe":
        title = f"Zulieferer aus {state} zeigen sich auf der Fachmesse"
        lead = f"Mehrere Betriebe stellten {_join([f.cap_terms[0] for f in firms[:2]])} vor."
    else:
        title = f"Ausbildung in {lead_firm.place}: Betriebe werben um Nachwuchs"
        lead = "Metall- und Elektrobetriebe der Region suchen Auszubildende."
    paras = []
    for f in firms:
        person, role = f.people[0]
        paras.append(
            " ".join(
                [
                    f"Die {f.name} aus {f.place} ist auf {_join(f.cap_terms[:2])} spezialisiert und beliefert vor allem {_join(f.ind_terms[:2])}.",
                    f"Der Betrieb hat {f.employees} Beschäftigte."
                    if rng.random() < 0.5
                    else f"{role} {person} sieht das Unternehmen gut aufgestellt.",
                    f"„Wir haben zuletzt stark in {f.cap_terms[-1]} investiert“, sagt {person}.",
                ]
                + ([f"Zertifiziert ist die Firma nach {f.cert_terms[0]}."] if f.cert_terms else [])
            )
        )
        paras.append(" ".join(rng.sample(PRESS_FILLER, 2)))
    if rng.random() < 0.4 and u.assocs:
        a = rng.choice(u.assocs)
        paras.append(
            f"Der Kontakt kam über {'das' if _art(a.name, 'nom') == 'das' else 'den'} {a.name} zustande, in {_art(a.name, 'dat')} {firms[0].name} Mitglied ist."
        )
    return title, lead, paras, date


def press_html(u: Universe, rng: random.Random) -> tuple[str, str]:
    title, lead, paras, date = _press_story(u, rng)
    paper = rng.choice(PAPERS)
    body = [
        f"<article><h1>{html.escape(title)}</h1>",
        f'<p class="lead"><strong>{html.escape(lead)}</strong></p>',
        f'<p class="byline">{html.escape(paper)}, {date[2]:02d}.{date[1]:02d}.{date[0]}</p>',
        *(_para([p]) for p in paras),
        "</article>",
    ]
    return "html", _html_page(f"{title} | {paper}", date, paper, body, [])


def press_txt(u: Universe, rng: random.Random) -> tuple[str, str]:
    title, lead, paras, date = _press_story(u, rng)
    head = f" date {date[0]:04d}-{date[1]:02d} {title} {lead}"
    return "txt", head + "\n\n" + "\n\n".join(paras) + "\n\n(red)\n"


def brochure(u: Universe, rng: random.Random) -> tuple[str, dict]:
    """A programme brochure: an overview page, then firm profiles with a contact column."""
    a = rng.choice(u.assocs)
    date = _date(rng)
    members = [u.firms[i] for i in a.members[: rng.randint(4, 8)]]
    overview = [
        f"{_art(a.name, 'nom').capitalize()} {a.name} stellt in dieser Broschüre Unternehmen aus {a.state} vor.",
        f"Stand {_MONTHS[date[1] - 1]} {date[0]}.",
        *rng.sample(PRESS_FILLER, 3),
        f"Ansprechpartner in der Geschäftsstelle in {a.place} ist {a.contact[0]}, Telefon {a.phone}.",
    ]
    profiles = []
    for f in members:
        profiles.append((f.name, " ".join(firm_sentences(f, rng, date[0])[:4]), contact_lines(f)))
    return "pdf", {
        "title": f"{a.name} – Unternehmen und Ansprechpartner",
        "overview": overview,
        "profiles": profiles,
    }


_MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
           "Oktober", "November", "Dezember"]  # fmt: skip


def write_pdf(path: Path, spec: dict) -> int:
    """Render a brochure with reportlab's canvas (fast, Latin-1 base fonts); returns pages."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen.canvas import Canvas

    width, height = A4
    c = Canvas(str(path), pagesize=A4, invariant=1)
    c.setTitle(spec["title"])
    y = height - 72
    c.setFont("Helvetica-Bold", 16)
    for line in simpleSplit(spec["title"], "Helvetica-Bold", 16, width - 144):
        c.drawString(72, y, line)
        y -= 20
    c.setFont("Helvetica", 10)
    y -= 10
    for sentence in spec["overview"]:
        for line in simpleSplit(sentence, "Helvetica", 10, width - 144):
            c.drawString(72, y, line)
            y -= 13
        y -= 4
    pages = 1
    per_page = 3
    for start in range(0, len(spec["profiles"]), per_page):
        c.showPage()
        pages += 1
        c.setFillGray(0.92)
        c.rect(360, 60, width - 400, height - 130, stroke=0, fill=1)
        c.setFillGray(0)
        yl, yr = height - 80, height - 80
        for name, text, contacts in spec["profiles"][start : start + per_page]:
            c.setFont("Helvetica-Bold", 11)
            c.drawString(60, yl, name)
            yl -= 15
            c.setFont("Helvetica", 9.5)
            for line in simpleSplit(text, "Helvetica", 9.5, 280):
                c.drawString(60, yl, line)
                yl -= 12
            yl -= 14
            c.setFont("Helvetica-Bold", 9)
            c.drawString(370, yr, name[:38])
            yr -= 12
            c.setFont("Helvetica", 9)
            for line in contacts:
                c.drawString(370, yr, line[:44])
                yr -= 11
            yr -= 14
    c.showPage()
    c.save()
    return pages


# ----------------------------------------------------------------------------- the corpus


def plan(n_docs: int, seed: int) -> list[str]:
    """The kind of each document, in a fixed shuffled order."""
    rng = random.Random(f"plan-{seed}")
    kinds = []
    for kind, share in MIX.items():
        kinds += [kind] * round(n_docs * share)
    kinds += ["member_page"] * (n_docs - len(kinds))
    kinds = kinds[:n_docs]
    rng.shuffle(kinds)
    return kinds


def generate(out_dir: str | Path, n_docs: int, seed: int = 7) -> Manifest:
    """Write `n_docs` documents under `out_dir/docs/` and `out_dir/manifest.json`.

    An existing corpus with the same size, seed and generator version is reused as it is.
    """
    out = Path(out_dir)
    mpath = out / "manifest.json"
    if mpath.exists():
        old = json.loads(mpath.read_text(encoding="utf-8"))
        if (old["seed"], old["docs"], old["version"]) == (seed, n_docs, GENERATOR_VERSION):
            return Manifest(**old)
    u = Universe(n_docs, seed)
    kinds = plan(n_docs, seed)
    manifest = Manifest(seed=seed, docs=n_docs)
    digest = hashlib.sha1()
    page_firm = 0
    assoc_i = 0
    for i, kind in enumerate(kinds):
        rng = random.Random(f"doc-{seed}-{i}")
        if kind == "member_page":
            ext, content = member_page(u, rng, page_firm % len(u.firms))
            page_firm += 1
        elif kind == "assoc_page":
            ext, content = assoc_page(u, rng, assoc_i % len(u.assocs))
            assoc_i += 1
        elif kind == "press_html":
            ext, content = press_html(u, rng)
        elif kind == "press_txt":
            ext, content = press_txt(u, rng)
        else:
            ext, content = brochure(u, rng)
        folder = out / "docs" / f"{i // 1000:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{i:06d}-{kind}.{ext}"
        if ext == "pdf":
            manifest.pdf_pages += write_pdf(path, content)
        else:
            path.write_text(content, encoding="utf-8")
        data = path.read_bytes()
        digest.update(data)
        manifest.bytes += len(data)
        manifest.files[kind] = manifest.files.get(kind, 0) + 1
    manifest.digest = digest.hexdigest()
    manifest.firms = [
        {
            "name": f.name,
            "place": f.place,
            "state": f.state,
            "capabilities": f.capabilities,
            "cap_terms": f.cap_terms,
            "industries": f.industries,
            "certifications": f.certifications,
        }
        for f in u.firms
    ]
    mpath.write_text(json.dumps(asdict(manifest), ensure_ascii=False), encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args(argv)
    m = generate(a.out, a.docs, a.seed)
    print(json.dumps({k: v for k, v in asdict(m).items() if k != "firms"}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
