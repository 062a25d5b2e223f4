"""The browser app's page logic, run headless with `streamlit.testing.v1.AppTest` against real
indexes on disk: the demo corpus (shared session index) for purchaser views, and small private
corpora for staff actions and for hostile document text."""

from __future__ import annotations

import csv
import html
import io
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from index.build import ingest
from index.search import Directory
from ui import export, safe

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "ui" / "streamlit_app.py")
PASSWORD = "korrekt-pferd-batterie"

HOSTILE = (
    "Zerspanung Albrecht GmbH – Drehteile aus Freiberg\n\n"
    "Die Zerspanung Albrecht GmbH in Freiberg fertigt Präzisionsdrehteile für den Maschinenbau. "
    "Die Zerspanung Albrecht GmbH prüft Eingaben wie <script>alert('xss')</script> und "
    "<img src=x onerror=alert(1)> gründlich, auch ![bild](http://example.invalid/x.png) und "
    "[Link](javascript:alert(2)) sowie $x^2$ Formeln.\n\n"
    "Kontakt: Telefon +49 3731 123456, E-Mail info@albrecht.example\n"
)
NEW_FIRM = (
    "Gießerei Wendt GmbH – Aluminiumguss aus Zwickau\n\n"
    "Die Gießerei Wendt GmbH in Zwickau fertigt Aluminiumguss und Druckguss für den Fahrzeugbau.\n"
)


def app(index_dir: Path, monkeypatch, env: dict[str, str] | None = None, **params) -> AppTest:
    monkeypatch.setenv("SUPPLIER_SEARCH_INDEX", str(index_dir))
    monkeypatch.delenv("SUPPLIER_SEARCH_STAFF_PASSWORD", raising=False)
    for k, v in (env or {}).items():
        monkeypatch.setenv(k, v)
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def cards(at: AppTest) -> list[str]:
    """Names on the result cards, in order (the card title is a button opening the profile)."""
    return [
        b.label.strip("*").replace("\\", "")
        for b in at.button
        if b.key and b.key.startswith("open-")
    ]


def texts(at: AppTest) -> str:
    """The Markdown/HTML the page sends, as sent (escaped)."""
    return "\n".join(m.value for m in at.markdown)


def shown(at: AppTest) -> str:
    """Roughly what a reader sees: the same with character references resolved."""
    return html.unescape(texts(at))


@pytest.fixture()
def small_site(tmp_path, monkeypatch):
    """A private corpus with one firm whose page contains markup, and its own index."""
    corpus = tmp_path / "corpus"
    (corpus / "txt").mkdir(parents=True)
    (corpus / "txt" / "albrecht.txt").write_text(HOSTILE, encoding="utf-8")
    index_dir = tmp_path / "index"
    ingest([corpus], index_dir=index_dir)
    monkeypatch.setenv("SUPPLIER_SEARCH_CORPUS", str(corpus))
    return corpus, index_dir


# ----------------------------------------------------------------------------- purchaser


def test_query_from_url_shows_cards_with_marked_snippet_source_and_why(corpus_index, monkeypatch):
    at = app(corpus_index.index_dir, monkeypatch, q="Getriebe")
    api = corpus_index.search("Getriebe", limit=10)
    assert not at.exception
    assert at.text_input(key="w_q").value == "Getriebe"
    assert cards(at) == [r["name"] for r in api["results"]]
    body = texts(at)
    assert "<mark>Getriebe" in body
    top_title = api["results"][0]["evidence"][0]["title"]
    assert safe.text(top_title) in body  # the source document's title is on the card
    assert "Warum:" in shown(at)
    assert f"{api['total']} Organisation" in at.caption[0].value


def test_facet_narrows_results_and_is_kept_in_the_url(corpus_index, monkeypatch):
    at = app(corpus_index.index_dir, monkeypatch)
    before = corpus_index.search("")["total"]
    options = at.multiselect(key="w_region_state").options
    assert any(o.startswith("Brandenburg (") for o in options)
    at.multiselect(key="w_region_state").select("Brandenburg").run()
    narrowed = corpus_index.search("", region="Brandenburg", limit=100)
    assert 0 < narrowed["total"] < before
    assert at.query_params["reg"] == ["Brandenburg"] or at.query_params["reg"] == "Brandenburg"
    assert set(cards(at)) <= {r["name"] for r in narrowed["results"]}
    for r in narrowed["results"]:
        assert any(p["state"] == "Brandenburg" for p in r["places"]), r["name"]
    # the shared link opens the same narrowed search
    again = app(corpus_index.index_dir, monkeypatch, reg="Brandenburg")
    assert cards(again) == cards(at)


def test_more_results_on_demand(corpus_index, monkeypatch):
    at = app(corpus_index.index_dir, monkeypatch)
    total = corpus_index.search("")["total"]
    assert total > 10, "the demo corpus should have more than one page of organizations"
    assert len(cards(at)) == 10
    at.button(key="more").click().run()
    assert len(cards(at)) == min(20, total)


def test_did_you_mean_offers_the_corrected_query(corpus_index, monkeypatch):
    typo = "Kabelkonfektoin"
    suggestion = corpus_index.search(typo)["suggestion"]
    assert suggestion and suggestion != typo
    at = app(corpus_index.index_dir, monkeypatch, q=typo)
    message = at.button(key="didyoumean").label
    assert typo in message and "korrigiert" in message  # one message: what was corrected
    at.button(key="didyoumean").click().run()
    assert at.text_input(key="w_q").value == suggestion
    assert cards(at)[0] == corpus_index.search(suggestion)["results"][0]["name"]


def test_empty_state_says_what_was_searched_and_offers_alternatives(corpus_index, monkeypatch):
    assert corpus_index.search("Getriebe", region="Brandenburg")["total"] == 0
    at = app(corpus_index.index_dir, monkeypatch, q="Getriebe", reg="Brandenburg")
    assert not cards(at)
    said = at.info[0].value
    assert "Getriebe" in said and "Brandenburg" in said
    without = [
        b for b in at.button if b.key and b.key.startswith("alt-") and "Brandenburg" in b.label
    ]
    assert without, [b.label for b in at.button]
    nearest = corpus_index.search("Getriebe", region="Brandenburg")["alternatives"]
    assert nearest, "the search API offers the same search outside the region"
    shown_nearest = [
        b.label.replace("\\", "") for b in at.button if b.key and b.key.startswith("nearest-0-")
    ]
    assert shown_nearest == [r["name"] for r in nearest[0]["results"]]
    without[0].click().run()
    assert cards(at)[0] == corpus_index.search("Getriebe")["results"][0]["name"]
    assert "reg" not in at.query_params


def test_profile_groups_facts_with_evidence_contacts_and_documents(corpus_index, monkeypatch):
    top = corpus_index.search("Getriebe")["results"][0]
    at = app(corpus_index.index_dir, monkeypatch, q="Getriebe")
    at.button(key=f"open-{top['id']}").click().run()
    profile = corpus_index.show(top["id"])
    assert at.query_params["id"] in (top["id"], [top["id"]])
    groups = [e.label for e in at.expander]
    assert any(g.startswith("Fähigkeiten (") for g in groups)
    body = texts(at)
    capability = next(f for f in profile["facts"] if f["facet"] == "capability")
    assert safe.text(capability["evidence"]["sentence"]) in body
    for c in profile["contacts"]:
        if c["phone"]:
            assert f'href="tel:{c["phone"].replace(" ", "")}"' in body
        if c["email"]:
            assert f'href="mailto:{c["email"]}"' in body
    for doc in profile["documents"]:
        assert safe.text(doc["title"]) in body
    at.button(key="back").click().run()
    assert cards(at) and "id" not in at.query_params


def test_shortlist_compares_marked_suppliers(corpus_index, monkeypatch):
    at = app(corpus_index.index_dir, monkeypatch, q="Präzision")
    first, second = cards(at)[:2]
    ids = [r["id"] for r in corpus_index.search("Präzision")["results"][:2]]
    for i in ids:
        at.checkbox(key=f"mark-{i}").check().run()
    assert at.sidebar.radio(key="w_page").options[1].endswith("(2)")
    at.sidebar.radio(key="w_page").set_value("shortlist").run()
    names = [
        b.label.strip("*").replace("\\", "")
        for b in at.button
        if b.key and b.key.startswith("sl-open-")
    ]
    assert names == [first, second]
    assert {b.key for b in at.get("download_button")} >= {"export-sl-csv", "export-sl-xlsx"}
    at.button(key=f"sl-drop-{ids[0]}").click().run()
    names = [
        b.label.strip("*").replace("\\", "")
        for b in at.button
        if b.key and b.key.startswith("sl-open-")
    ]
    assert names == [second]


def test_export_holds_every_result_not_just_the_page(corpus_index):
    res = corpus_index.search("", limit=1000)
    assert res["total"] > 10
    rows = [export.row(r) for r in res["results"]]
    parsed = list(csv.reader(io.StringIO(export.to_csv(rows).decode("utf-8-sig")), delimiter=";"))
    assert parsed[0][0] == "Name" and len(parsed) == res["total"] + 1
    assert [p[0] for p in parsed[1:]] == [r["name"] for r in res["results"]]
    wb = load_workbook(io.BytesIO(export.to_xlsx(rows)))
    sheet = list(wb.active.values)
    assert len(sheet) == res["total"] + 1 and sheet[1][0] == res["results"][0]["name"]


def test_export_cells_are_not_run_as_formulas():
    evil = {
        "name": '=HYPERLINK("http://x")',
        "contacts": [{"person": "", "phone": "+49 351 1234", "email": "", "role": ""}],
    }
    r = export.row(evil)
    assert export.neutral(r["name"]).startswith("'=")
    assert export.neutral(r["phone"]) == "+49 351 1234"
    wb = load_workbook(io.BytesIO(export.to_xlsx([r])))
    assert wb.active.cell(row=2, column=1).data_type == "s"


def test_english_switch_translates_interface_and_taxonomy_labels(corpus_index, monkeypatch):
    at = app(corpus_index.index_dir, monkeypatch, q="Getriebe")
    assert at.title[0].value == "Lieferantensuche"
    at.sidebar.toggle(key="w_english").set_value(True).run()
    assert at.title[0].value == "Supplier search"
    assert at.multiselect(key="w_capability").label == "Capability"
    assert at.query_params["lang"] in ("en", ["en"])
    assert "Why:" in shown(at)
    # the search's reason codes, worded in the interface language with the concept's label
    assert "offers Gearboxes" in shown(at) and "bietet" not in shown(at)


def test_reasons_are_worded_in_german_with_german_labels(corpus_index, monkeypatch):
    at = app(corpus_index.index_dir, monkeypatch, q="Getriebe", cap="cap.turning")
    body = shown(at)
    assert "bietet Getriebe" in body
    assert "Filter Fähigkeit: Drehen / Drehteile" in body  # no raw id "cap.turning"
    assert "offers" not in body and "cap.turning" not in body.replace("cap=cap.turning", "")


# ----------------------------------------------------------------------------- safety


def test_document_markup_is_shown_as_text(small_site, monkeypatch):
    corpus, index_dir = small_site
    at = app(index_dir, monkeypatch, q="Eingaben prüft")
    assert cards(at) == ["Zerspanung Albrecht GmbH"]
    body = texts(at)
    assert "&lt;script&gt;" in body and "&lt;img src=x onerror" in body
    assert "<script" not in body and "<img" not in body
    assert "](" not in body and "$x" not in body  # no Markdown link/image or LaTeX left
    # the profile shows every sentence, escaped too
    at.button(
        key="open-" + Directory(index_dir).search("Albrecht")["results"][0]["id"]
    ).click().run()
    body = texts(at)
    assert "&lt;img src=x onerror" in body and "<img" not in body


def test_escaping_helpers_keep_marks_and_neutralise_markup():
    assert safe.snippet("a &lt;b&gt; <mark>Dreh</mark> [x](y)") == (
        "a &lt;b&gt; <mark>Dreh</mark> &#91;x&#93;&#40;y&#41;"
    )
    assert html.unescape(safe.text("<img onerror=x> $1$")) == "<img onerror=x> $1$"
    assert "<" not in safe.text("<img onerror=x>")
    assert safe.label("![x](http://e)") == "\\!\\[x\\]\\(http\\://e\\)"
    assert safe.href("tel", "+49 351 12-34") == "tel:+493511234"
    assert safe.href("mailto", 'a@b.de" onclick="x') == ""
    assert safe.href("tel", "javascript:alert(1)") == ""


# ----------------------------------------------------------------------------- staff


def test_staff_page_without_password_explains_and_shows_nothing(small_site, monkeypatch):
    _, index_dir = small_site
    at = app(index_dir, monkeypatch, view="staff")
    assert "SUPPLIER_SEARCH_STAFF_PASSWORD" in at.info[0].value
    assert not at.get("file_uploader") and not at.text_input


def test_staff_login_upload_ingest_and_find_the_new_supplier(small_site, monkeypatch):
    corpus, index_dir = small_site
    env = {"SUPPLIER_SEARCH_STAFF_PASSWORD": PASSWORD}
    at = app(index_dir, monkeypatch, env, view="staff")
    login(at, "falsch")
    assert at.error and not at.get("file_uploader")
    login(at, PASSWORD)
    assert not at.exception
    uploader = at.get("file_uploader")[0]
    uploader.set_value(
        [
            ("../../Gießerei Wendt.txt", NEW_FIRM.encode("utf-8"), "text/plain"),
            ("tarnung.pdf", b"<html><body>kein PDF</body></html>", "application/pdf"),
        ]
    ).run()
    at.button(key="ingest").click().run()
    assert not at.exception
    body = texts(at) + "\n".join(s.value for s in at.success) + "\n".join(e.value for e in at.error)
    saved = corpus / "uploads" / "Gießerei-Wendt.txt"
    assert saved.is_file() and not (corpus.parent / "Gießerei Wendt.txt").exists()
    refused = "tarnung.pdf abgelehnt: der Inhalt ist HTML, nicht PDF"
    assert refused in body.replace("\\", "")  # refused at once, in plain words
    assert not (corpus / "uploads" / "tarnung.pdf").exists()
    assert "1 neu" in body and "uploads/Gießerei-Wendt.txt" in body.replace("\\", "")
    # the purchaser page sees the new index without a restart
    at.sidebar.radio(key="w_page").set_value("search").run()
    at.text_input(key="w_q").input("Aluminiumguss").run()
    assert cards(at)[0] == "Gießerei Wendt GmbH"


def login(at: AppTest, password: str) -> None:
    at.text_input(key="w_password").input(password)
    next(b for b in at.button if b.key.startswith("FormSubmitter:staff-login")).click().run()


def test_staff_remove_document_and_stats(small_site, monkeypatch):
    corpus, index_dir = small_site
    env = {"SUPPLIER_SEARCH_STAFF_PASSWORD": PASSWORD}
    (corpus / "txt" / "wendt.txt").write_text(NEW_FIRM, encoding="utf-8")
    ingest([corpus], index_dir=index_dir)
    at = app(index_dir, monkeypatch, env, view="staff")
    login(at, PASSWORD)
    stats = Directory(index_dir).stats()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Dokumente"] == str(stats["documents"]) == "2"
    assert metrics["Organisationen"] == str(stats["organizations"])
    target = str(corpus / "txt" / "wendt.txt")
    at.selectbox(key="remove-doc").set_value(target).run()
    at.checkbox(key=f"remove-sure-{target}").check().run()  # removing is confirmed first
    at.button(key="remove").click().run()
    assert not (corpus / "txt" / "wendt.txt").exists()
    assert (corpus / ".removed" / "wendt.txt").exists()
    assert "1 entfernt" in "\n".join(s.value for s in at.success)
    assert Directory(index_dir).search("Aluminiumguss")["total"] == 0


def test_staff_curation_upload_is_validated_then_applied(small_site, monkeypatch):
    corpus, index_dir = small_site
    env = {"SUPPLIER_SEARCH_STAFF_PASSWORD": PASSWORD}
    at = app(index_dir, monkeypatch, env, view="staff")
    login(at, PASSWORD)
    bad = b'[[rename]]\nname = "Zerspanung Albrecht GmbH"\n\n[[hide]]\nnote = "no name"\n'
    at.get("file_uploader")[1].set_value(("curation.toml", bad, "application/toml")).run()
    at.button(key="curation-apply").click().run()
    assert any("line 1" in e.value or "line 4" in e.value for e in at.error)
    assert not (index_dir / "curation.toml").exists()
    good = (
        b'[[rename]]\nname = "Zerspanung Albrecht GmbH"\nto = "Albrecht Zerspanung GmbH & Co. KG"\n'
    )
    at.get("file_uploader")[1].set_value(("curation.toml", good, "application/toml")).run()
    at.button(key="curation-apply").click().run()
    assert (index_dir / "curation.toml").read_bytes() == good
    assert (
        Directory(index_dir).search("Albrecht")["results"][0]["name"]
        == "Albrecht Zerspanung GmbH & Co. KG"
    )
    assert any(b.key == "curation-download" for b in at.get("download_button"))


def test_fresh_clone_builds_the_demo_index_on_first_visit(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus" / "txt", corpus / "txt")
    monkeypatch.setenv("SUPPLIER_SEARCH_CORPUS", str(corpus))
    at = app(tmp_path / "new-index", monkeypatch)
    built = Directory(tmp_path / "new-index")
    assert built.stats()["documents"] == len(list((corpus / "txt").glob("*.txt")))
    assert cards(at) == [r["name"] for r in built.search("")["results"]]
