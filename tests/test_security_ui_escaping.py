"""HTML from documents is escaped everywhere the app renders raw HTML (property-based).

Every fragment the app passes to `st.markdown(..., unsafe_allow_html=True)` is built by
`ui.render` (cards, place lines, facts, documents, mentions, contacts) or
`ui.shortlist_page.compare_table`. Here each of them renders real search results and profiles
from the demo index with every string replaced by generated hostile text; parsing the output
must find only the fragment's own tags and attributes — no element, event handler, link target
or Markdown/LaTeX control character that came from a document. The end-to-end checks (a real
document with <script> shown as text in AppTest and in Chromium) are in tests/test_ui_app.py and
tests/test_ui_browser.py.
"""

from __future__ import annotations

import copy
import itertools
import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ui import render, shortlist_page

HOSTILE = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=2">',
    "<mark onmouseover=alert(1)>x</mark>",
    '"><svg onload=alert(1)>',
    "' onclick='alert(1)",
    "javascript:alert(1)",
    "[Link](javascript:alert(2))",
    "![bild](http://example.invalid/x.png)",
    "$\\href{javascript:alert(1)}{x}$",
    "`code` **fett** _kursiv_ ~~weg~~ # Titel | a | b |",
    "&lt;script&gt;",
    "&#60;img src=x onerror=alert(3)&#62;",
    "</div></li></ul><iframe src=//example.invalid>",
    "<!-- --><style>*{display:none}</style>",
    "\\<b\\>",
    "+49 351 <b>1</b>",
    "info@x.example<script>",
]
ALLOWED_TAGS = {"div", "span", "b", "br", "ul", "li", "a", "mark", "small", "strong", "em"}
ALLOWED_TAGS |= {"table", "thead", "tbody", "tr", "th", "td"}  # the shortlist comparison
ALLOWED_HREF = re.compile(r"^(tel:\+?\d+|mailto:[\w.+-]+@[\w.-]+)?$")
MARKDOWN_ACTIVE = set("$`[]*\\")


class Fragment(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"element <{tag}>")
        for name, value in attrs:
            if name == "class" and value and re.fullmatch(r"[\w -]+", value):
                continue
            if name == "href" and ALLOWED_HREF.match(value or ""):
                continue
            self.problems.append(f"attribute {name}={value!r} on <{tag}>")

    def handle_comment(self, data):
        self.problems.append("comment")


def problems(fragment: str) -> list[str]:
    parser = Fragment()
    parser.feed(fragment)
    parser.close()
    out = parser.problems
    # outside tags, characters Markdown or KaTeX act on must arrive as character references
    text = re.sub(r"<[^>]*>", "", fragment)
    out += [f"raw {ch!r} in text" for ch in MARKDOWN_ACTIVE if ch in text]
    return out


def poisoned(obj, payloads):
    """`obj` with every string value replaced by the next payload (numbers, flags kept)."""
    if isinstance(obj, dict):
        return {k: poisoned(v, payloads) for k, v in obj.items()}
    if isinstance(obj, list):
        return [poisoned(v, payloads) for v in obj]
    if isinstance(obj, tuple):
        return tuple(poisoned(v, payloads) for v in obj)
    if isinstance(obj, str):
        return next(payloads)
    return obj


@pytest.fixture(scope="module")
def real(corpus_index):
    results = corpus_index.search("Getriebe Präzisionsteile", limit=5)["results"]
    results += corpus_index.search("Optik Rathenow", limit=3)["results"]
    profiles = [corpus_index.show(r["id"]) for r in results]
    assert any(p["contacts"] for p in profiles) and any(r["evidence"] for r in results)
    return results, profiles


def test_every_raw_html_fragment_keeps_document_text_inert(real):
    results, profiles = real
    checked = {"fragments": 0}

    @settings(
        max_examples=150,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(
        payloads=st.lists(
            st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40)), min_size=1, max_size=12
        ),
        pick=st.integers(0, 10_000),
        lang=st.sampled_from(["de", "en"]),
    )
    def run(payloads, pick, lang):
        stream = itertools.cycle(payloads)
        r = poisoned(copy.deepcopy(results[pick % len(results)]), stream)
        p = poisoned(copy.deepcopy(profiles[pick % len(profiles)]), stream)
        labels = {v: next(stream) for v in r["capabilities"] + r["industries"]}
        evidence = [f["evidence"] for f in p["facts"][:3]]
        groups = [(next(stream), next(stream), evidence)] if evidence else []
        fragments = {
            "card": render.card_body(r, lang, labels),
            "place": render.place_line(p, lang),
            "contacts": render.contacts(p["contacts"], lang),
            "facts": render.fact_group(groups, lang),
            "documents": render.documents(p["documents"], lang),
            "mentions": render.evidence_list(p["mentions"], lang),
            "compare": shortlist_page.compare_table([p, p], lang, labels),
        }
        for where, fragment in fragments.items():
            found = problems(fragment)
            assert not found, (where, found, fragment[:500])
            checked["fragments"] += 1

    run()
    print(f"\nUI escaping: {checked['fragments']} rendered fragments checked, none unsafe")


def test_the_checker_itself_catches_markup_and_handlers():
    assert problems("<div>ok</div>") == []
    assert problems("<img src=x onerror=alert(1)>")
    assert problems('<a href="javascript:alert(1)">x</a>')
    assert problems('<span onclick="x">y</span>')
    assert problems("<b>[a](b)</b>")
