"""Texts of the staff page's login, accounts, audit log, curation history and restore parts, in
German and English; merged into `ui.i18n.TEXTS` so `t()` finds them like any other text.

Kept apart from `ui/i18n.py` so the purchaser views' texts and these can change independently.
"""

from __future__ import annotations

STAFF_TEXTS: dict[str, tuple[str, str]] = {
    "staff.noaccess": (
        "Die Verwaltung ist gesperrt, weil weder ein Konto noch ein Passwort eingerichtet ist. "
        "Legen Sie ein Konto an (`supplier-search staff add NAME --role admin`) oder setzen Sie "
        "die Umgebungsvariable `SUPPLIER_SEARCH_STAFF_PASSWORD` für den Server (oder "
        '`staff_password = "…"` in `.streamlit/secrets.toml`) und starten Sie die App neu.',
        "The staff page is locked because neither an account nor a password is configured. "
        "Create an account (`supplier-search staff add NAME --role admin`) or set the "
        "environment variable `SUPPLIER_SEARCH_STAFF_PASSWORD` for the server (or "
        '`staff_password = "…"` in `.streamlit/secrets.toml`) and restart the app.',
    ),
    "staff.diskfull": (
        "Das Einlesen ist abgebrochen, weil der Speicherplatz für den Index ({folder}) voll ist. "
        "Es wurde nichts übernommen: Der bisherige Index ist unverändert und wird weiter "
        "durchsucht. Bitte schaffen Sie Platz (oder bitten Sie die IT darum) und lesen Sie "
        "dann erneut ein.",
        "The ingest stopped because the disk holding the index ({folder}) is full. Nothing was "
        "committed: the previous index is unchanged and still answers searches. Free some space "
        "(or ask IT to) and then ingest again.",
    ),
    "staff.user": ("Benutzername", "User name"),
    "staff.user.help": (
        "Leer lassen für die Anmeldung mit dem gemeinsamen Passwort.",
        "Leave empty to log in with the shared password.",
    ),
    "staff.wrong.left": (
        "Benutzername oder Passwort falsch. Noch {n} Versuche, dann wird der Name 15 Minuten "
        "gesperrt.",
        "Wrong user name or password. {n} attempts left before the name is locked for 15 minutes.",
    ),
    "staff.lockedout": (
        "Zu viele Fehlversuche: Die Anmeldung als „{user}“ ist bis {until} Uhr gesperrt.",
        "Too many failed attempts: logging in as '{user}' is locked until {until}.",
    ),
    "staff.expired": (
        "Ihre Sitzung ist nach 8 Stunden abgelaufen. Bitte melden Sie sich neu an.",
        "Your session ended after 8 hours. Please log in again.",
    ),
    "staff.whoami": ("Angemeldet als {user} ({role})", "Logged in as {user} ({role})"),
    "staff.role.editor": ("Redaktion", "editor"),
    "staff.role.admin": ("Administration", "admin"),
    "staff.accounts": ("Konten", "Accounts"),
    "staff.accounts.none": (
        "Noch keine Konten; angemeldet wird mit dem gemeinsamen Passwort.",
        "No accounts yet; logins use the shared password.",
    ),
    "staff.accounts.name": ("Name", "Name"),
    "staff.accounts.role": ("Rolle", "Role"),
    "staff.accounts.created": ("Seit", "Since"),
    "staff.accounts.password": ("Passwort", "Password"),
    "staff.accounts.again": ("Passwort wiederholen", "Repeat password"),
    "staff.accounts.add": ("Konto speichern", "Save account"),
    "staff.accounts.remove": ("Konto löschen", "Delete account"),
    "staff.accounts.saved": ("Konto „{name}“ gespeichert.", "Account '{name}' saved."),
    "staff.accounts.removed": ("Konto „{name}“ gelöscht.", "Account '{name}' deleted."),
    "staff.accounts.mismatch": (
        "Die beiden Passwörter stimmen nicht überein.",
        "The two passwords differ.",
    ),
    "staff.accounts.self": (
        "Das eigene Konto kann hier nicht gelöscht werden.",
        "You cannot delete your own account here.",
    ),
    "staff.err.bad_name": (
        "Ungültiger Name (Kleinbuchstaben a–z, Ziffern, „.“, „_“, „-“).",
        "Not a valid name (letters a-z, digits, '.', '_', '-').",
    ),
    "staff.err.bad_role": ("Unbekannte Rolle.", "Unknown role."),
    "staff.err.short_password": (
        "Das Passwort braucht mindestens 8 Zeichen.",
        "The password needs at least 8 characters.",
    ),
    "staff.err.unknown_user": ("Kein Konto dieses Namens.", "No account of that name."),
    "staff.audit": ("Protokoll", "Audit log"),
    "staff.audit.help": (
        "Wer wann was geändert hat, neueste zuerst. Auch Befehle der Kommandozeile stehen hier, "
        "mit dem Benutzer des Betriebssystems.",
        "Who changed what and when, newest first. Command-line actions appear too, under the "
        "operating-system user.",
    ),
    "staff.audit.actions": ("Aktionen", "Actions"),
    "staff.audit.users": ("Benutzer", "Users"),
    "staff.audit.none": ("Keine Einträge.", "No entries."),
    "staff.audit.broken": (
        "Das Protokoll wurde ab Zeile {n} nachträglich verändert (Prüfsummenkette unterbrochen).",
        "The log was altered from line {n} on (hash chain broken).",
    ),
    "staff.audit.col.at": ("Zeit", "Time"),
    "staff.audit.col.user": ("Benutzer", "User"),
    "staff.audit.col.action": ("Aktion", "Action"),
    "staff.audit.col.object": ("Objekt", "Object"),
    "staff.audit.col.via": ("Über", "Via"),
    "staff.audit.col.details": ("Einzelheiten", "Details"),
    "staff.history": ("Frühere Fassungen der Kuratierung", "Earlier curation versions"),
    "staff.history.item": ("Fassung {n} — {at}, {user}", "Version {n} — {at}, {user}"),
    "staff.history.again": (" (holt Fassung {n} zurück)", " (restores version {n})"),
    "staff.history.show": ("Fassung {n} ansehen", "Show version {n}"),
    "staff.history.restore": ("Diese Fassung anwenden", "Apply this version"),
    "staff.history.done": (
        "Fassung {n} der Kuratierung ist wieder gültig und angewandt.",
        "Curation version {n} is current again and applied.",
    ),
    "staff.removed": ("Entfernte Dokumente", "Removed documents"),
    "staff.removed.item": (
        "{name} — zurück nach {origin} (entfernt {at})",
        "{name} — back to {origin} (removed {at})",
    ),
    "staff.removed.restore": ("Wiederherstellen und einlesen", "Restore and ingest"),
    "staff.removed.done": ("{name} wiederhergestellt.", "{name} restored."),
    "staff.removed.exists": (
        "Am ursprünglichen Ort liegt schon eine Datei; nichts geändert.",
        "A file is at the original place already; nothing changed.",
    ),
    "staff.removed.unknown": (
        "Dieses Dokument ist nicht mehr unter den entfernten.",
        "This document is no longer among the removed ones.",
    ),
    "audit.login": ("Anmeldung", "logged in"),
    "audit.login_failed": ("Fehlversuch", "failed login"),
    "audit.login_locked": ("Anmeldung gesperrt", "login refused (locked)"),
    "audit.logout": ("Abmeldung", "logged out"),
    "audit.upload": ("Hochgeladen", "uploaded"),
    "audit.remove": ("Dokument entfernt", "removed document"),
    "audit.restore_document": ("Dokument wiederhergestellt", "restored document"),
    "audit.ingest": ("Eingelesen", "ingested"),
    "audit.curation": ("Kuratierung geändert", "changed curation"),
    "audit.curation_restore": ("Kuratierung zurückgeholt", "restored curation version"),
    "audit.account_add": ("Konto gespeichert", "saved account"),
    "audit.account_remove": ("Konto gelöscht", "deleted account"),
    "audit.backup": ("Sicherung erstellt", "backed up"),
    "audit.restore": ("Sicherung eingespielt", "restored backup"),
}
