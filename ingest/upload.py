"""Saving files that staff upload in the browser into the corpus folder, safely.

An upload is untrusted: its name may contain path separators, `..`, control characters or a
leading dot (which the ingest scan passes over as hidden), and its bytes may not be what the
name claims. So the name is reduced to a plain file name, the type is decided from the content
(`ingest.load.sniff`), the size is capped, and the file is written atomically into the uploads
folder only — never outside the corpus folder, never through a symbolic link. A second upload
under the same name replaces the earlier upload (that is how staff send a new version; ingest then
reports it as updated); identical bytes are left untouched.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .load import SUPPORTED, sniff

CORPUS_ENV = "SUPPLIER_SEARCH_CORPUS"
UPLOADS = "uploads"
REMOVED = ".removed"  # hidden: the ingest scan skips it, so a removed file can still be restored
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_NAME_CHARS = 120

#: content types (as named by `sniff`) each accepted file suffix may hold; HTML without markup
#: cues sniffs as text, which `load` accepts for .html too.
ACCEPTS = {".pdf": {"pdf"}, ".txt": {"text"}, ".html": {"html", "text"}, ".htm": {"html", "text"}}


class UploadRefused(ValueError):
    """An upload that is not saved; the message is the reason shown to staff."""


@dataclass
class Saved:
    name: str  # the name as uploaded
    path: Path  # where it was written
    status: str  # "new", "replaced" or "same"


def corpus_dir() -> Path:
    """`$SUPPLIER_SEARCH_CORPUS`, else `corpus/` of this checkout: the folder the app ingests."""
    env = os.environ.get(CORPUS_ENV)
    if env:
        return Path(env).absolute()
    return Path(__file__).resolve().parents[1] / "corpus"


def uploads_dir(corpus: Path | None = None) -> Path:
    return (corpus or corpus_dir()) / UPLOADS


def safe_name(name: str) -> str:
    """A plain file name for the uploads folder: 'C:\\x\\../Bericht 2024 (1).HTML' → 'Bericht-2024-1.html'."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name or ""))[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = suffix, ""
    stem = re.sub(r"[^\w.-]+", "-", stem, flags=re.UNICODE)
    stem = re.sub(r"[-.]{2,}", "-", stem).strip("-._")
    suffix = re.sub(r"[^a-z0-9]", "", suffix.lower())
    stem = stem[: MAX_NAME_CHARS - len(suffix) - 1] or "upload"
    return f"{stem}.{suffix}" if suffix else stem


def check(name: str, data: bytes, max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    """The safe file name for an acceptable upload; raises `UploadRefused` with the reason."""
    if not data:
        raise UploadRefused("empty file")
    if len(data) > max_bytes:
        raise UploadRefused(
            f"file too large ({len(data) / 1e6:.1f} MB > limit {max_bytes / 1e6:.0f} MB)"
        )
    safe = safe_name(name)
    suffix = Path(safe).suffix
    if suffix not in ACCEPTS or suffix not in SUPPORTED:
        raise UploadRefused(
            f"unsupported file type '{suffix or '(none)'}' (use .html, .htm, .pdf or .txt)"
        )
    kind = sniff(data)
    if kind not in ACCEPTS[suffix]:
        raise UploadRefused(f"content is {kind}, not {suffix.lstrip('.')} as the name says")
    return safe


def save(
    name: str, data: bytes, corpus: Path | None = None, max_bytes: int = MAX_UPLOAD_BYTES
) -> Saved:
    """Write one upload into `<corpus>/uploads/` and say whether it was new, replaced or the same."""
    safe = check(name, data, max_bytes)
    folder = _uploads_folder(corpus or corpus_dir())
    target = folder / safe
    if target.is_symlink() or (target.exists() and not target.is_file()):
        raise UploadRefused(f"'{safe}' exists in the uploads folder and is not a plain file")
    if target.parent.resolve() != folder.resolve():
        raise UploadRefused("file name leaves the uploads folder")
    status = "new"
    if target.exists():
        if target.read_bytes() == data:
            return Saved(name, target, "same")
        status = "replaced"
    fd, tmp = tempfile.mkstemp(prefix=".upload-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Saved(name, target, status)


def remove(path: str | os.PathLike, corpus: Path | None = None) -> Path:
    """Move a document out of the ingested tree into `<corpus>/.removed/` (restorable by hand).

    Only files inside the corpus folder are touched; the next ingest of the corpus folder
    reports the document as removed and drops everything derived from it.
    """
    root = (corpus or corpus_dir()).resolve()
    p = Path(path)
    if p.is_symlink() or not p.is_file():
        raise UploadRefused(f"'{p.name}' is not a file in the corpus folder")
    real = p.resolve()
    if not real.is_relative_to(root) or real.relative_to(root).parts[0] == REMOVED:
        raise UploadRefused(f"'{p.name}' is not in the corpus folder {root}")
    bin_dir = root / REMOVED
    bin_dir.mkdir(exist_ok=True)
    dest = bin_dir / real.name
    if dest.exists():
        dest = bin_dir / f"{real.stem}-{time.strftime('%Y%m%d-%H%M%S')}{real.suffix}"
    shutil.move(str(real), dest)
    return dest


def _uploads_folder(corpus: Path) -> Path:
    corpus = corpus.absolute()
    corpus.mkdir(parents=True, exist_ok=True)
    folder = uploads_dir(corpus)
    if folder.is_symlink():
        raise UploadRefused("the uploads folder is a symbolic link; refusing to write through it")
    folder.mkdir(exist_ok=True)
    if not folder.resolve().is_relative_to(corpus.resolve()):
        raise UploadRefused("the uploads folder lies outside the corpus folder")
    return folder
