"""Shortlists and result lists as CSV and Excel files for purchasers' own spreadsheets.

Rows are built from the search API's result objects (`Directory.search` results and
`Directory.show` profiles share the keys used here). The CSV is what German Excel opens directly:
UTF-8 with byte-order mark and `;` as separator. Cells that a spreadsheet would run as a formula
(`=…`, `@…`, `+…` that is not a phone number) are prefixed with `'`: document text is untrusted.
"""

from __future__ import annotations

import csv
import io
import re

from .i18n import doc_kind_label, kind_label, t

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
SEP = " | "
_PHONE = re.compile(r"[+-]?[\d\s()/.-]+")


def row(result: dict, lang: str = "de", labels: dict[str, str] | None = None) -> dict[str, str]:
    """One supplier as a flat row; `labels` maps German taxonomy labels to the export language."""
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


def header(lang: str = "de") -> list[str]:
    return [t(f"col.{c}", lang) for c in COLUMNS]


def to_csv(rows: list[dict[str, str]], lang: str = "de") -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(header(lang))
    for r in rows:
        w.writerow([neutral(r.get(c, "")) for c in COLUMNS])
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx(rows: list[dict[str, str]], lang: str = "de") -> bytes:
    from openpyxl import Workbook  # imported on demand: only an export needs it
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = t("title", lang)[:31]
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
    """A cell value a spreadsheet shows as text instead of evaluating it."""
    if not value:
        return ""
    if value[0] in "=@\t\r" or (value[0] in "+-" and not _PHONE.fullmatch(value)):
        return "'" + value
    return value
