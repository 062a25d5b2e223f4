"""Result lists as CSV and Excel files for purchasers' own spreadsheets.

One export for every caller — the app's download buttons (`ui/export.py` re-exports this module)
and the HTTP API's `/export.csv` and `/export.xlsx` — so a file has the same columns whichever way
it was made. Nothing here imports Streamlit.

Rows are built from the search API's result objects (`Directory.search` results and
`Directory.show` profiles share the keys used here). The CSV is what German Excel opens directly:
UTF-8 with byte-order mark and `;` as separator. Cells that a spreadsheet would run as a formula
(`=…`, `@…`, `+…` that is not a phone number) are prefixed with `'`: document text is untrusted.

    >>> r = row({"name": "Drehteile Müller GmbH", "kind": "company", "id": "mueller"})
    >>> to_csv([r]).decode("utf-8-sig").splitlines()[1]
    'Drehteile Müller GmbH;Unternehmen;;;;;;;;;;;;;mueller'
"""

from __future__ import annotations

import csv
import io
import re
from functools import cache

from ingest import taxonomy as tx

COLUMNS = (
    "name",
    "kind",
    "places",
    "district",
    "state",
    "regions",
    "capabilities",
    "industries",
    "certifications",
    "contacts",
    "phone",
    "email",
    "evidence",
    "source",
    "id",
)
#: column → (German header, English header)
COLUMN_LABELS: dict[str, tuple[str, str]] = {
    "name": ("Name", "Name"),
    "kind": ("Art", "Kind"),
    "places": ("Orte", "Places"),
    "district": ("Landkreis", "District"),
    "state": ("Bundesland", "State"),
    "regions": ("Regionen", "Regions"),
    "capabilities": ("Fähigkeiten", "Capabilities"),
    "industries": ("Branchen", "Industries"),
    "certifications": ("Zertifizierungen", "Certifications"),
    "contacts": ("Kontakte", "Contacts"),
    "phone": ("Telefon", "Phone"),
    "email": ("E-Mail", "E-mail"),
    "evidence": ("Beleg", "Evidence"),
    "source": ("Quelle", "Source"),
    "id": ("ID", "ID"),
}
KIND_LABELS: dict[str, tuple[str, str]] = {
    "company": ("Unternehmen", "Company"),
    "network": ("Verbund / Netzwerk", "Association / network"),
    "institution": ("Forschung / Bildung", "Research / education"),
    "public": ("Öffentliche Stelle", "Public body"),
    "bank": ("Bank / Förderer", "Bank / sponsor"),
    "media": ("Medien", "Media"),
}
DOC_KIND_LABELS: dict[str, tuple[str, str]] = {
    "member_page": ("Mitgliederseite", "member page"),
    "press_article": ("Pressebericht", "press article"),
    "brochure": ("Broschüre", "brochure"),
    "curation": ("Kuratierung", "curation"),
    "other": ("Dokument", "document"),
}
SHEET_TITLE = ("Lieferantensuche", "Supplier search")
SEP = " | "
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_PHONE = re.compile(r"[+-]?[\d\s()/.-]+")


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def kind_label(kind: str, lang: str = "de") -> str:
    """An organization kind as purchasers call it; an unknown kind stays as it is.

    >>> kind_label("network"), kind_label("network", "en"), kind_label("guild")
    ('Verbund / Netzwerk', 'Association / network', 'guild')
    """
    pair = KIND_LABELS.get(kind)
    return _pick(pair, lang) if pair else kind


def doc_kind_label(kind: str | None, lang: str = "de") -> str:
    """A document kind in words; anything unknown is just a document.

    >>> doc_kind_label("press_article"), doc_kind_label(None, "en")
    ('Pressebericht', 'document')
    """
    return _pick(DOC_KIND_LABELS.get(kind or "other", DOC_KIND_LABELS["other"]), lang)


@cache
def concept_labels() -> dict[str, tuple[str, str]]:
    """German label → (German, English) for every taxonomy concept, and id → the same.

    >>> concept_labels()["cap.turning"]
    ('Drehen / Drehteile', 'Turning / turned parts')
    """
    out: dict[str, tuple[str, str]] = {}
    for c in tx.load().concepts.values():
        pair = (c.label_de, c.label_en or c.label_de)
        out[c.label_de] = pair
        out[c.id] = pair
    return out


def label_map(lang: str) -> dict[str, str]:
    """German concept label → label in `lang` (empty, i.e. identity, for German): results carry
    German labels, an English export or page shows the English ones.

    >>> label_map("en")["Drehen / Drehteile"], label_map("de")
    ('Turning / turned parts', {})
    """
    if lang != "en":
        return {}
    return {k: v[1] for k, v in concept_labels().items()}


def row(result: dict, lang: str = "de", labels: dict[str, str] | None = None) -> dict[str, str]:
    """One supplier as a flat row; `labels` maps German taxonomy labels to the export language.

    >>> r = row({"name": "X", "places": [{"name": "Pirna", "state": "Sachsen"}]})
    >>> r["places"], r["state"], r["kind"]
    ('Pirna', 'Sachsen', '')
    """
    labels = labels or {}
    places = result.get("places") or []
    contacts = result.get("contacts") or []
    ev = (result.get("evidence") or [{}])[0] if result.get("evidence") else {}

    def joined(values) -> str:
        return SEP.join(dict.fromkeys(v for v in values if v))

    def concepts(key: str) -> str:
        return joined(labels.get(v, v) for v in result.get(key) or [])

    source = ""
    if ev:
        source = ", ".join(
            x for x in (ev.get("title"), doc_kind_label(ev.get("kind"), lang), ev.get("date")) if x
        )
    return {
        "name": result.get("name", ""),
        "kind": kind_label(result.get("kind", ""), lang),
        "places": joined(p.get("name") for p in places),
        "district": joined(p.get("district") for p in places),
        "state": joined(p.get("state") for p in places),
        "regions": joined(r for p in places for r in p.get("regions") or []),
        "capabilities": concepts("capabilities"),
        "industries": concepts("industries"),
        "certifications": concepts("certifications"),
        "contacts": joined(
            c.get("person") + (f" ({c['role']})" if c.get("role") else "")
            for c in contacts
            if c.get("person")
        ),
        "phone": joined(c.get("phone") for c in contacts),
        "email": joined(c.get("email") for c in contacts),
        "evidence": " ".join((ev.get("sentence") or "").split()),
        "source": source,
        "id": result.get("id", ""),
    }


def rows(results: list[dict], lang: str = "de") -> list[dict[str, str]]:
    """Rows for search results or profiles, taxonomy labels in `lang`.

    >>> rows([{"name": "X", "capabilities": ["Drehen / Drehteile"]}], "en")[0]["capabilities"]
    'Turning / turned parts'
    """
    labels = label_map(lang)
    return [row(r, lang, labels) for r in results]


def header(lang: str = "de") -> list[str]:
    """The column headers in `lang`.

    >>> header("en")[:3]
    ['Name', 'Kind', 'Places']
    """
    return [_pick(COLUMN_LABELS[c], lang) for c in COLUMNS]


def to_csv(rows: list[dict[str, str]], lang: str = "de") -> bytes:
    """A CSV German Excel opens by double-click: UTF-8 with BOM, `;`, CRLF.

    >>> to_csv([], "en").decode("utf-8-sig").split(";")[:2]
    ['Name', 'Kind']
    """
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(header(lang))
    for r in rows:
        w.writerow([neutral(r.get(c, "")) for c in COLUMNS])
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx(rows: list[dict[str, str]], lang: str = "de") -> bytes:
    """An Excel workbook: bold frozen header row, readable column widths.

    >>> to_xlsx([])[:2]
    b'PK'
    """
    from openpyxl import Workbook  # imported on demand: only an export needs it
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = _pick(SHEET_TITLE, lang)[:31]
    ws.append(header(lang))
    for r in rows:
        ws.append([neutral(r.get(c, "")) for c in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    widths = {"name": 36, "evidence": 80, "capabilities": 50, "source": 40}
    for i, c in enumerate(COLUMNS):
        ws.column_dimensions[ws.cell(row=1, column=i + 1).column_letter].width = widths.get(c, 20)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def neutral(value: str) -> str:
    """A cell value a spreadsheet shows as text instead of evaluating it.

    >>> neutral("=HYPERLINK(1)"), neutral("+49 351 1234"), neutral("+1+1")
    ("'=HYPERLINK(1)", '+49 351 1234', "'+1+1")
    """
    if not value:
        return ""
    if value[0] in "=@\t\r" or (value[0] in "+-" and not _PHONE.fullmatch(value)):
        return "'" + value
    return value
