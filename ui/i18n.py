"""Interface texts in German (the default: purchasers and staff are German) and English.

Texts are looked up by key so a missing translation falls back to German instead of failing.
Data labels (taxonomy concepts) carry their own English label from `ingest/data/taxonomy.csv`;
place names stay as they are.
"""

from __future__ import annotations

from index.changes import ENGLISH as CHANGE_ENGLISH
from index.changes import render as render_change
from index.reasons import ENGLISH, MERGED_ENGLISH, merged, render
from ingest import taxonomy as tx
from supplier_search.export import (  # noqa: F401  (the export's labels, re-exported)
    COLUMN_LABELS,
    DOC_KIND_LABELS,
    KIND_LABELS,
    doc_kind_label,
    kind_label,
)
from ui.i18n_staff import STAFF_TEXTS

LANGS = ("de", "en")

TEXTS: dict[str, tuple[str, str]] = {
    "title": ("Lieferantensuche", "Supplier search"),
    "nav": ("Ansicht", "View"),
    "nav.search": ("Suche", "Search"),
    "nav.shortlist": ("Merkliste ({n})", "Shortlist ({n})"),
    "nav.staff": ("Verwaltung", "Staff"),
    "english": ("English", "English"),
    "search.label": ("Suche", "Search"),
    "search.placeholder": (
        "z. B. Präzisionsdrehteile Osterzgebirge",
        "e.g. precision turned parts Osterzgebirge",
    ),
    "search.help": (
        "Fähigkeit, Branche, Firmenname oder Ort – deutsch oder englisch",
        "Capability, industry, firm name or place – German or English",
    ),
    "filters": ("Filter", "Filters"),
    "filters.clear": ("Alle Filter entfernen", "Clear all filters"),
    "facet.capability": ("Fähigkeit", "Capability"),
    "facet.industry": ("Branche (belieferte)", "Industry served"),
    "facet.certification": ("Zertifizierung", "Certification"),
    "facet.kind": ("Art", "Kind"),
    "facet.region": ("Region", "Region"),
    "facet.region.state": ("Bundesland", "State"),
    "facet.region.district": ("Landkreis / Region", "District / region"),
    "facet.region.place": ("Ort", "Place"),
    "facet.choose": ("auswählen", "choose"),
    "total": ("{n} Organisationen gefunden", "{n} organizations found"),
    "total.one": ("1 Organisation gefunden", "1 organization found"),
    "all.orgs": (
        "{n} Unternehmen und Verbünde im Verzeichnis",
        "{n} companies and networks in the directory",
    ),
    "understood": ("Verstanden als: {what}", "Read as: {what}"),
    "understood.concepts": ("Fähigkeit/Branche {v}", "capability/industry {v}"),
    "understood.places": ("Region {v}", "region {v}"),
    "understood.words": ("Wörter {v}", "words {v}"),
    "relaxed": (
        "In {places} passt nichts; gezeigt werden Treffer aus anderen Regionen.",
        "Nothing in {places} matches; showing matches from other regions.",
    ),
    "corrected": (
        "Gezeigt werden Treffer für „{s}“ (korrigiert: {fixes}).",
        "Showing results for “{s}” (corrected: {fixes}).",
    ),
    "corrected.long": (
        "Gezeigt werden Treffer mit korrigierter Schreibweise: {fixes}.",
        "Showing results with corrected spelling: {fixes}.",
    ),
    "corrected.help": (
        "Klicken übernimmt die korrigierte Schreibweise ins Suchfeld.",
        "Click to put the corrected spelling into the search box.",
    ),
    "alt.relaxed": ("Außerhalb der Region: {n} Treffer", "Outside the region: {n} matches"),
    "alt.related": (
        "Verwandte Fähigkeit {label}: {n} Treffer",
        "Related capability {label}: {n} matches",
    ),
    "alt.other": ("{label}: {n} Treffer", "{label}: {n} matches"),
    "empty": ("Keine Treffer für {what}.", "No matches for {what}."),
    "empty.query": ("„{q}“", "“{q}”"),
    "empty.filters": ("mit den Filtern {f}", "with the filters {f}"),
    "empty.all": ("die leere Suche", "the empty search"),
    "empty.alternatives": ("Stattdessen:", "Instead:"),
    "empty.none": (
        "Auch ohne Filter und mit einzelnen Wörtern findet sich nichts. Versuchen Sie einen "
        "allgemeineren Begriff (z. B. „Drehteile“, „Medizintechnik“).",
        "Nothing either without filters or with single words. Try a broader term "
        "(e.g. “turned parts”, “medical technology”).",
    ),
    "alt.without": ("ohne Filter {f} ({n} Treffer)", "without filter {f} ({n} matches)"),
    "alt.word": ("nur „{w}“ ({n} Treffer)", "only “{w}” ({n} matches)"),
    "alt.allkinds": (
        "auch Institutionen, Behörden, Banken, Medien ({n} Treffer)",
        "also institutions, public bodies, banks, media ({n} matches)",
    ),
    "more": ("Weitere Treffer anzeigen", "Show more results"),
    "shown": ("{shown} von {total} angezeigt", "showing {shown} of {total}"),
    "card.open": ("Profil öffnen", "Open profile"),
    "card.mark": ("Merken", "Shortlist"),
    "card.why": ("Warum: {why}", "Why: {why}"),
    "card.noplace": ("Ort unbekannt", "place unknown"),
    "card.closed": ("als geschlossen gemeldet", "reported closed"),
    "card.source": ("Quelle", "Source"),
    "nodate": ("ohne Datum", "undated"),
    "map": ("Karte", "Map"),
    "map.caption": (
        "Punkte ohne Kartenhintergrund (funktioniert offline); graue Punkte: größere Städte zur Orientierung.",
        "Points without map tiles (works offline); grey dots: larger towns for orientation.",
    ),
    "map.outside": (
        "Außerhalb des Kartenausschnitts: {places}",
        "Outside the map's view: {places}",
    ),
    "map.tip.town": ("Stadt", "Town"),
    "map.tip.place": ("Ort", "Place"),
    "map.tip.suppliers": ("Lieferanten", "Suppliers"),
    "map.tip.offers": ("bietet u. a.", "offers e.g."),
    "map.none": ("Keine Koordinaten für diese Treffer.", "No coordinates for these results."),
    "export": ("Export", "Export"),
    "export.all.csv": ("Alle {n} Treffer als CSV", "All {n} results as CSV"),
    "export.all.xlsx": ("Alle {n} Treffer als Excel", "All {n} results as Excel"),
    "export.sl.csv": ("Merkliste als CSV", "Shortlist as CSV"),
    "export.sl.xlsx": ("Merkliste als Excel", "Shortlist as Excel"),
    "back": ("← Zurück zu den Treffern", "← Back to results"),
    "profile.names": ("Auch genannt", "Also named"),
    "profile.contacts": ("Kontakte", "Contacts"),
    "profile.nocontacts": (
        "Keine Kontaktdaten in den Dokumenten.",
        "No contact details in the documents.",
    ),
    "profile.facts": ("Angaben mit Belegen", "Facts with evidence"),
    "profile.sites": ("Standorte", "Sites"),
    "profile.documents": ("Dokumente, die {name} nennen", "Documents that mention {name}"),
    "profile.mentions": ("Weitere Erwähnungen", "Further mentions"),
    "profile.merged": ("Zusammengeführt, weil: {why}", "Merged because: {why}"),
    "profile.curation": ("Kuratierung: {note}", "Curation: {note}"),
    "profile.notfound": (
        "Kein Profil „{id}“ im Verzeichnis.",
        "No profile “{id}” in the directory.",
    ),
    "profile.employees": ("Beschäftigte", "Employees"),
    "profile.founded": ("Gegründet", "Founded"),
    "group.capability": ("Fähigkeiten", "Capabilities"),
    "group.industry": ("Belieferte Branchen", "Industries served"),
    "group.focus": ("Branchen der Mitglieder", "Members' industries"),
    "group.certification": ("Zertifizierungen", "Certifications"),
    "group.material": ("Werkstoffe", "Materials"),
    "group.batch": ("Losgrößen", "Batch sizes"),
    "group.place": ("Orte", "Places"),
    "group.relation": ("Beziehungen", "Relations"),
    "group.figures": ("Kennzahlen", "Figures"),
    "group.other": ("Weitere Angaben", "Other facts"),
    "facet.member_of": ("Mitglied in", "member of"),
    "facet.network_size": ("Mitgliederzahl", "number of members"),
    "facet.subsidiary_of": ("Tochter von", "subsidiary of"),
    "facet.successor_of": ("Nachfolger von", "successor of"),
    "facet.taken_over_by": ("übernommen von", "taken over by"),
    "facet.closed": ("geschlossen", "closed"),
    "facet.site": ("Standort", "site"),
    "facet.employees": ("Beschäftigte", "employees"),
    "facet.founded": ("gegründet", "founded"),
    "watch": ("Suche beobachten", "Watch this search"),
    "watch.help": (
        "Ein Beobachtungslink ist diese Suche mit einem Datum: Wer ihn später öffnet, sieht, "
        "welche Treffer seitdem neu sind oder sich geändert haben. Ohne Konto, nichts wird "
        "gespeichert – Lesezeichen setzen oder weitergeben.",
        "A watch link is this search with a date: whoever opens it later sees which results "
        "are new or changed since then. No account, nothing is stored – bookmark or share it.",
    ),
    "watch.start": ("Beobachtungslink ab heute", "Watch link from today"),
    "watch.title": (
        "Seit {date} neu oder geändert: {n} der Treffer",
        "New or changed since {date}: {n} of the results",
    ),
    "watch.none": (
        "Seit {date} ist keiner der Treffer neu oder geändert.",
        "None of the results is new or changed since {date}.",
    ),
    "watch.link": (
        "Derselbe Link mit heutigem Datum – zum Speichern oder Weitergeben:",
        "The same link with today's date – to keep or share:",
    ),
    "watch.today": ("Ab heute beobachten", "Watch from today"),
    "watch.stop": ("Beobachtung beenden", "Stop watching"),
    "watch.bad": (
        "„{since}“ im Link ist kein Datum (erwartet z. B. since=2026-12-01); nichts markiert.",
        "“{since}” in the link is not a date (expected e.g. since=2026-12-01); nothing marked.",
    ),
    "card.new": ("Neu seit {date}", "New since {date}"),
    "card.changed": ("Geändert seit {date}: {what}", "Changed since {date}: {what}"),
    "sl.title": ("Merkliste", "Shortlist"),
    "sl.empty": (
        "Die Merkliste ist leer. Markieren Sie Treffer mit „Merken“.",
        "The shortlist is empty. Mark results with “Shortlist”.",
    ),
    "sl.compare": ("Vergleich", "Comparison"),
    "sl.row.place": ("Ort", "Place"),
    "sl.row.capability": ("Fähigkeiten", "Capabilities"),
    "sl.row.industry": ("Branchen", "Industries"),
    "sl.row.certification": ("Zertifizierungen", "Certifications"),
    "sl.row.material": ("Werkstoffe", "Materials"),
    "sl.row.batch": ("Losgrößen", "Batch sizes"),
    "sl.row.size": ("Größe", "Size"),
    "sl.row.contacts": ("Kontakte", "Contacts"),
    "sl.row.evidence": ("Beleg", "Evidence"),
    "sl.remove": ("Entfernen", "Remove"),
    "sl.clear": ("Merkliste leeren", "Clear shortlist"),
    **{f"col.{k}": v for k, v in COLUMN_LABELS.items()},  # the export's headers
    "staff.title": ("Verwaltung", "Staff"),
    "staff.nopassword": (
        "Die Verwaltung ist gesperrt, weil kein Passwort eingerichtet ist. Setzen Sie die "
        "Umgebungsvariable `SUPPLIER_SEARCH_STAFF_PASSWORD` für den Server oder tragen Sie "
        '`staff_password = "…"` in `.streamlit/secrets.toml` ein und starten Sie die App neu.',
        "The staff page is locked because no password is configured. Set the environment "
        "variable `SUPPLIER_SEARCH_STAFF_PASSWORD` for the server or put "
        '`staff_password = "…"` into `.streamlit/secrets.toml` and restart the app.',
    ),
    "staff.password": ("Passwort", "Password"),
    "staff.login": ("Anmelden", "Log in"),
    "staff.logout": ("Abmelden", "Log out"),
    "staff.wrong": ("Falsches Passwort.", "Wrong password."),
    "staff.upload": ("Dokumente hochladen", "Upload documents"),
    "staff.upload.help": (
        "HTML, PDF oder TXT, höchstens {mb} MB je Datei. Jede Datei wird sofort so geprüft, "
        "wie das Einlesen sie prüft; gleichnamige frühere Uploads werden ersetzt.",
        "HTML, PDF or TXT, at most {mb} MB per file. Each file is checked at once the way the "
        "ingest checks it; earlier uploads of the same name are replaced.",
    ),
    "staff.files": ("Dateien", "Files"),
    "staff.ingest": ("Hochladen und einlesen", "Upload and ingest"),
    "staff.reindex": ("Korpus neu einlesen", "Re-ingest corpus"),
    "staff.reindex.help": (
        "Liest den Korpus-Ordner ein: neue und geänderte Dateien werden verarbeitet, gelöschte "
        "entfernt.",
        "Ingests the corpus folder: new and changed files are processed, deleted ones removed.",
    ),
    "staff.rebuild": ("Vollständig neu aufbauen", "Full rebuild"),
    "staff.saved": ("{name} gespeichert ({status})", "{name} saved ({status})"),
    "staff.status.new": ("neu", "new"),
    "staff.status.replaced": ("ersetzt", "replaced"),
    "staff.status.same": ("unverändert", "unchanged"),
    "staff.refused": ("{name} abgelehnt: {reason}", "{name} refused: {reason}"),
    "staff.progress": ("Lese {name} ({n}/{total})", "Reading {name} ({n}/{total})"),
    "staff.locked": (
        "Ein anderer Einlesevorgang läuft gerade; bitte gleich noch einmal versuchen.",
        "Another ingest is running; please try again in a moment.",
    ),
    "staff.report": ("Bericht des Einlesens", "Ingest report"),
    "staff.report.summary": (
        "{added} neu, {updated} aktualisiert, {unchanged} unverändert, {removed} entfernt, "
        "{skipped} übersprungen; {orgs} Organisationen, {secs:.1f} s",
        "{added} added, {updated} updated, {unchanged} unchanged, {removed} removed, "
        "{skipped} skipped; {orgs} organizations, {secs:.1f} s",
    ),
    "staff.report.added": ("Neu", "Added"),
    "staff.report.updated": ("Aktualisiert", "Updated"),
    "staff.report.unchanged": ("Unverändert", "Unchanged"),
    "staff.report.removed": ("Entfernt", "Removed"),
    "staff.report.skipped": ("Übersprungen (mit Grund)", "Skipped (with reason)"),
    "staff.report.curation": ("Fehler in der Kuratierung", "Curation errors"),
    "staff.remove": ("Dokument entfernen", "Remove a document"),
    "staff.remove.choose": ("Dokument", "Document"),
    "staff.remove.button": ("Entfernen und neu einlesen", "Remove and re-ingest"),
    "staff.remove.help": (
        "Die Datei wird beiseitegelegt (wiederherstellbar) und alles, was aus ihr stammt, aus "
        "dem Verzeichnis entfernt. Auch hochgeladene Dateien, die nicht eingelesen wurden, "
        "stehen zur Auswahl.",
        "The file is set aside (restorable) and everything derived from it is removed from the "
        "directory. Uploaded files that were not ingested can be chosen too.",
    ),
    "staff.remove.outside": (
        "Im Korpus-Ordner liegen keine Dokumente, die sich hier entfernen ließen.",
        "The corpus folder holds no documents that could be removed here.",
    ),
    "staff.remove.done": ("{name} entfernt.", "{name} removed."),
    "staff.remove.confirm": ("Ja, „{name}“ entfernen", "Yes, remove “{name}”"),
    "staff.report.others": (
        "{n} weitere Dateien im Korpus-Ordner sind keine Dokumente und werden nicht eingelesen: "
        "{names}",
        "{n} more files in the corpus folder are not documents and are not ingested: {names}",
    ),
    "staff.stats.orgs.help": (
        "Alle Arten: Unternehmen, Verbünde, Forschung, Behörden, Banken, Medien. Die Suche zeigt "
        "ohne Filter nur Unternehmen und Verbünde.",
        "All kinds: companies, networks, research, public bodies, banks, media. The search "
        "shows only companies and networks unless filtered.",
    ),
    "staff.stats": ("Index", "Index"),
    "staff.stats.docs": ("Dokumente", "Documents"),
    "staff.stats.orgs": ("Organisationen", "Organizations"),
    "staff.stats.last": ("Zuletzt eingelesen", "Last ingest"),
    "staff.stats.size": ("Indexgröße", "Index size"),
    "staff.stats.bykind": ("nach Art", "by kind"),
    "staff.curation": ("Kuratierung", "Curation"),
    "staff.curation.help": (
        "Korrekturen in `curation.toml` (Format: README, Abschnitt „Curation“). Eine hochgeladene "
        "Datei wird geprüft, gespeichert und sofort angewandt.",
        "Corrections in `curation.toml` (format: README, section “Curation”). An uploaded file "
        "is checked, saved and applied at once.",
    ),
    "staff.curation.download": ("curation.toml herunterladen", "Download curation.toml"),
    "staff.curation.none": ("Noch keine Kuratierungsdatei.", "No curation file yet."),
    "staff.curation.upload": ("Neue curation.toml", "New curation.toml"),
    "staff.curation.apply": ("Prüfen und anwenden", "Check and apply"),
    "staff.curation.invalid": (
        "Die Datei wurde nicht übernommen:",
        "The file was not accepted:",
    ),
    "staff.curation.ok": ("Kuratierung gespeichert und angewandt.", "Curation saved and applied."),
    "building": (
        "Das Verzeichnis wird zum ersten Mal aus {folder} aufgebaut …",
        "Building the directory from {folder} for the first time …",
    ),
    "noindex": ("Kein Index: {msg}", "No index: {msg}"),
}

# How the app says why a result matched: the search returns codes (index.reasons), each caller
# words them in its own language; concepts show by their label in that language.
REASONS = {
    "de": {
        "offers": "bietet {items}",
        "certified": "zertifiziert: {items}",
        "mentions": "Beleg nennt {items}",
        "passage": "Text über die Firma nennt {items}",
        "name": "Name enthält {items}",
        "only_mentioned": "nur neben anderen Organisationen genannt",
        "corrected": "Schreibweise korrigiert: {items}",
        "place_unknown": "Ort unbekannt",
        "near_place": "in oder bei {items}",
        "closed": "als geschlossen gemeldet: zuletzt gereiht",
        "distance": "{km} km entfernt",
        "filter": "Filter {facet}: {items}",
        "facet.capability": "Fähigkeit",
        "facet.industry": "Branche",
        "facet.certification": "Zertifizierung",
        "facet.region": "Region",
    },
    "en": {
        **ENGLISH,
        "facet.capability": "capability",
        "facet.industry": "industry",
        "facet.certification": "certification",
        "facet.region": "region",
    },
}


# What changed about a supplier (the change feed, index.changes): codes worded per language.
CHANGES = {
    "de": {
        "added": "neu im Verzeichnis",
        "removed": "aus dem Verzeichnis entfernt",
        "fact_added": "neu: {facet} {value}",
        "fact_withdrawn": "nicht mehr: {facet} {value}",
        "place_changed": "Ort: {old} → {new}",
        "closed": "als geschlossen gemeldet",
        "reopened": "nicht mehr als geschlossen gemeldet",
        "none": "unbekannt",
        "facet.capability": "Fähigkeit",
        "facet.industry": "Branche",
        "facet.focus": "Branche der Mitglieder",
        "facet.certification": "Zertifizierung",
        "facet.material": "Werkstoff",
        "facet.batch": "Losgröße",
        "facet.employees": "Beschäftigte",
        "facet.founded": "gegründet",
        "facet.member_of": "Mitglied in",
        "facet.members": "Mitglieder",
        "facet.network_size": "Mitgliederzahl",
        "facet.subsidiary_of": "Tochter von",
        "facet.successor_of": "Nachfolger von",
        "facet.taken_over_by": "übernommen von",
    },
    "en": CHANGE_ENGLISH,
}


# Why a profile joins several mentions (`merged_because`): codes worded per language.
MERGED = {
    "de": {
        "same_name": "gleicher Name „{a}“",
        "same_word": "„{a}“ = „{b}“: gleiches kennzeichnendes Wort „{word}“",
        "same_word_place": "„{a}“ = „{b}“: gleiches kennzeichnendes Wort „{word}“ und gleicher Ort",
        "abbreviation": "„{a}“ ist die Abkürzung von „{b}“",
        "name_inside": "„{a}“ ist „{b}“ mit vorangestelltem Markennamen",
        "works_of": "„{a}“ ist das Werk von „{b}“",
        "staff_merged": "von der Redaktion zusammengeführt: „{a}“{note}",
    },
    "en": MERGED_ENGLISH,
}


TEXTS.update(STAFF_TEXTS)  # login, accounts, audit log, curation history, restore


def t(key: str, lang: str = "de", **kw) -> str:
    pair = TEXTS.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**kw) if kw else text


def reasons(result: dict, lang: str = "de") -> list[str]:
    """A result's reasons (codes from the search) in the interface language."""
    templates = REASONS["en" if lang == "en" else "de"]
    return [render(r, templates, tx.load(), lang) for r in result.get("reasons") or []]


def merge_reasons(profile: dict, lang: str = "de") -> list[str]:
    """Why the profile joins several mentions, in the interface language."""
    templates = MERGED["en" if lang == "en" else "de"]
    return [merged(r, templates) for r in profile.get("merged_because") or []]


def changes(org: dict, lang: str = "de") -> list[str]:
    """What changed about one organization (an entry of `Directory.changes`), in the interface
    language: `{"code": "fact_added", "facet": "capability", "value": "cap.turning"}` is
    "neu: Fähigkeit Drehen / Drehteile"."""
    templates = CHANGES["en" if lang == "en" else "de"]
    return [render_change(c, templates, lang) for c in org.get("changes") or []]
