"""The staff page's documents as staff see them: an upload checked at once with the checks the
ingest applies (so a broken PDF is refused on the spot, in plain words, instead of being saved
in green and skipped later with an English reason), every uploaded file removable (also one the
ingest skipped, which the index does not list), documents named by title and file name rather
than by server path, and the corpus folder's own non-documents (README.md, FACTS.md, a script)
set apart from the skipped documents of an ingest report.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from index.search import Directory
from ingest import upload
from ingest.load import SUPPORTED, LoadError, load

#: (pattern of the ingest's or upload check's English reason, German, English) — plain words
REASONS: tuple[tuple[str, str, str], ...] = (
    (r"^broken PDF", "keine lesbare PDF-Datei (beschädigt oder nur umbenannt)",
     "not a readable PDF (damaged, or only renamed)"),
    (r"^encrypted PDF", "die PDF-Datei ist mit einem Passwort geschützt; bitte ohne Passwort speichern",
     "the PDF is password protected; please save it without a password"),
    (r"^content is (\w+), not (\w+)", "der Inhalt ist {0}, nicht {1}, wie die Dateiendung sagt",
     "the content is {0}, not {1} as the file name says"),
    (r"^empty file", "die Datei ist leer", "the file is empty"),
    (r"^file too large", "die Datei ist zu groß (höchstens {mb} MB)", "the file is too large (at most {mb} MB)"),
    (r"^unsupported file type", "dieser Dateityp wird nicht eingelesen (nur HTML, PDF, TXT)",
     "this file type is not read (only HTML, PDF, TXT)"),
    (r"^no usable text", "die Datei enthält keinen lesbaren Text (ein gescanntes Bild?)",
     "the file holds no readable text (a scanned image?)"),
    (r"^PDF has \d+ pages", "die PDF-Datei hat zu viele Seiten", "the PDF has too many pages"),
    (r"^HTML page has", "die HTML-Datei ist ein Datenexport, keine Seite", "the HTML file is a data export, not a page"),
    (r"inflate", "die PDF-Datei entpackt sich zu sehr großen Daten", "the PDF inflates to very large data"),
)  # fmt: skip
KIND_WORDS = {"html": "HTML", "pdf": "PDF", "text": "Text", "binary": "binär"}
OTHER = ("die Datei kann nicht gelesen werden", "the file cannot be read")


def plain(reason: str, lang: str) -> str:
    """An ingest or upload reason in the interface language, without options or internals."""
    mb = upload.MAX_UPLOAD_BYTES // (1024 * 1024)
    for pattern, de, en in REASONS:
        m = re.search(pattern, reason)
        if m:
            words = [KIND_WORDS.get(g, g) if lang == "de" else g for g in m.groups()]
            return (en if lang == "en" else de).format(*words, mb=mb)
    return OTHER[1] if lang == "en" else OTHER[0]


def refusal(name: str, data: bytes, lang: str) -> str | None:
    """Why an upload would not be used, in plain words — None when it is fine. The same checks
    as saving (name, size, type by content) and then the ingest's own reading of the file."""
    try:
        safe = upload.check(name, data)
    except upload.UploadRefused as exc:
        return plain(str(exc), lang)
    with tempfile.TemporaryDirectory(prefix="upload-check-") as tmp:
        path = Path(tmp) / safe
        path.write_bytes(data)
        try:
            load(path)
        except LoadError as exc:
            return plain(str(exc), lang)
    return None


def is_document_file(path: str, corpus: Path) -> bool:
    """A file the ingest is meant to read: a supported type, or anything staff uploaded. The
    corpus folder's README.md, FACTS.md or make_brochure.py are not documents and not errors."""
    p = Path(path)
    try:
        inside_uploads = p.resolve().is_relative_to(upload.uploads_dir(corpus).resolve())
    except OSError:
        inside_uploads = False
    return inside_uploads or p.suffix.lower() in SUPPORTED


def removable(d: Directory, corpus: Path) -> dict[str, str]:
    """Every document staff can remove — indexed ones in the corpus folder and every uploaded
    file, also one the ingest skipped — as path → what the page shows ("Title (file name)")."""
    root = corpus.resolve()
    out: dict[str, str] = {}
    for x in d.documents():
        p = Path(x["path"])
        if p.exists() and p.resolve().is_relative_to(root):
            out[x["path"]] = shown(x.get("title") or "", p.name)
    folder = upload.uploads_dir(corpus)
    if folder.is_dir():
        indexed = {Path(p).resolve() for p in out}
        for p in sorted(folder.iterdir()):
            if p.is_file() and not p.name.startswith(".") and p.resolve() not in indexed:
                out[str(p)] = shown("", p.name)
    return out


def shown(title: str, file_name: str) -> str:
    return f"{title} ({file_name})" if title else file_name
