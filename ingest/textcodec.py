"""Turning bytes into text the way German web pages and office exports actually arrive."""

from __future__ import annotations

import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)


def decode(data: bytes, declared: str | None = None) -> str:
    """Decode with BOM first, then strict UTF-8, then the declared charset, then Windows-1252.

    Strict UTF-8 goes before a declared charset because pages that declare ISO-8859-1 but are
    really UTF-8 are common, while valid UTF-8 that is really Latin-1 practically never occurs.
    Windows-1252 is a superset of Latin-1 for printable text, so it is the right last resort.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    return data.decode("cp1252", errors="replace")


def html_declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii", "ignore") if m else None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u00ad\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2009\u202f]+")
_RUN = re.compile(r"([^\w\s])\1{3,}")


def clean(text: str) -> str:
    """Normalise whitespace and drop control characters, soft hyphens and zero-width spaces.

    Runs of one punctuation mark ('Inhalt ........ 5', '-----', '=====') shrink to three: they
    carry no words, and sentence splitting backtracks over them in time that grows with the
    square of their length.
    """
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _RUN.sub(r"\1\1\1", _SPACES.sub(" ", text))
