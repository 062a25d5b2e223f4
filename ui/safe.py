"""Showing document text safely: it is data, never markup.

Streamlit renders `st.markdown` as Markdown (with LaTeX between `$`) and, with
`unsafe_allow_html=True`, raw HTML; widget labels render Markdown too. A document may contain
`<script>`, `<img onerror=…>`, Markdown links or images. So every piece of document text goes
through `text()` before it is placed into HTML (HTML-escaped, and the characters Markdown or
LaTeX would act on turned into character references), and through `label()` before it becomes a
widget label (backslash-escaped Markdown).
"""

from __future__ import annotations

import html
import re

_ENTITY = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "'": "&#39;",
}
# characters Markdown, GFM or KaTeX would interpret even inside text
_MD = set("\\`*_{}[]()#!|~$:")
_SPACE = re.compile(r"\s+")
_MARK = re.compile(r"(</?mark>)")


def text(value: object, strip: bool = True) -> str:
    """Document text as inert HTML: escaped, Markdown-neutral, on one line."""
    s = _SPACE.sub(" ", "" if value is None else str(value))
    s = s.strip() if strip else s
    out = []
    for ch in s:
        if ch in _ENTITY:
            out.append(_ENTITY[ch])
        elif ch in _MD:
            out.append(f"&#{ord(ch)};")
        else:
            out.append(ch)
    return "".join(out)


def snippet(value: str | None) -> str:
    """A search snippet (HTML-escaped by the search API, query words in <mark>) made inert the
    same way as `text`, keeping only the <mark> tags."""
    parts = _MARK.split(value or "")
    return "".join(
        p if p in ("<mark>", "</mark>") else text(html.unescape(p), strip=False) for p in parts
    )


def label(value: object) -> str:
    """Document text for a widget label, where Streamlit renders Markdown but not HTML."""
    s = _SPACE.sub(" ", "" if value is None else str(value)).strip()
    s = "".join("\\" + ch if ch in _MD or ch in "<>&" else ch for ch in s)
    return s or "—"


def href(scheme: str, value: str) -> str:
    """A tel:/mailto: link target: only the characters such addresses use, so a document cannot
    smuggle a javascript: URL or extra attributes into the link."""
    if scheme == "tel":
        digits = re.sub(r"[^\d+]", "", value)
        return f"tel:{digits}" if re.fullmatch(r"\+?\d{3,20}", digits) else ""
    if scheme == "mailto":
        v = value.strip()
        return f"mailto:{v}" if re.fullmatch(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", v) else ""
    return ""
