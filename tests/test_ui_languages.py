"""One language at a time: every view of the app, walked headless in German and in English,
shows no interface words of the other language. Documents are German in both modes, so in
English mode only what the app itself writes (widget labels, headings, captions, reasons) is
checked; in German mode everything it sends."""

from __future__ import annotations

import html

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_ui_app import APP

# phrases only the app writes, never a document of the demo corpus
ENGLISH_ONLY = [
    "Why:", "Merged because", "same name", "same distinctive word", "abbreviates",
    "spelling corrected", "place unknown", "evidence mentions", "text about it mentions",
    "only mentioned alongside", "Select all", "Shortlist", "Clear all filters", "results for",
]  # fmt: skip
GERMAN_ONLY = [
    "Warum:", "Zusammengeführt", "gleicher Name", "kennzeichnendes Wort", "Abkürzung",
    "Schreibweise korrigiert", "Ort unbekannt", "Beleg nennt", "Text über die Firma",
    "Merkliste", "Alle Filter entfernen", "Treffer", "Fähigkeit", "Branche", "Suche",
]  # fmt: skip


def _views(corpus_index, monkeypatch, lang: str):
    """(name, app) for the search, a typo, a merged profile, the shortlist and the staff page."""
    monkeypatch.setenv("SUPPLIER_SEARCH_INDEX", str(corpus_index.index_dir))
    monkeypatch.delenv("SUPPLIER_SEARCH_STAFF_PASSWORD", raising=False)
    merged = next(
        r["id"]
        for r in corpus_index.list()["results"]
        if (corpus_index.show(r["id"]) or {}).get("merged_because")
    )
    two = [r["id"] for r in corpus_index.search("Präzision")["results"][:2]]
    for name, params in (
        ("search", {"q": "Getriebe"}),
        ("typo", {"q": "Getrebe"}),
        ("profile", {"id": merged}),
        ("shortlist", {"view": "shortlist", "ml": ",".join(two)}),
        ("staff", {"view": "staff"}),
    ):
        at = AppTest.from_file(APP, default_timeout=60)
        for k, v in {**params, "lang": lang}.items():
            at.query_params[k] = v
        yield name, at.run()


def _app_written(at: AppTest) -> str:
    """What the app writes itself: labels, headings, captions, messages, reasons."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "caption", "info", "warning", "error", "success"):
        parts += [str(e.value) for e in at.get(kind)]
    parts += [str(e.label) for kind in ("button", "checkbox", "toggle", "radio", "selectbox",
              "multiselect", "text_input", "text_area", "expander", "download_button")
              for e in at.get(kind) if getattr(e, "label", None)]  # fmt: skip
    parts += [str(p) for e in at.get("multiselect") for p in [getattr(e, "placeholder", "")] if p]
    parts += [
        line
        for m in at.markdown
        for line in html.unescape(m.value).splitlines()
        if line.lstrip("*_ ").startswith(("Warum:", "Why:"))
    ]
    return "\n".join(parts)


@pytest.mark.parametrize("lang, foreign", [("de", ENGLISH_ONLY), ("en", GERMAN_ONLY)])
def test_every_view_speaks_one_language(corpus_index, monkeypatch, lang, foreign):
    seen = []
    for name, at in _views(corpus_index, monkeypatch, lang):
        assert not at.exception, (name, at.exception)
        text = (
            _app_written(at)
            if lang == "en"
            else _app_written(at) + "\n" + "\n".join(html.unescape(m.value) for m in at.markdown)
        )
        seen += [(name, w) for w in foreign if w in text]
    assert not seen, seen
