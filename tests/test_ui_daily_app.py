"""What purchasers trip over in daily use (issue 16), through the app run headless with
`streamlit.testing.v1.AppTest` on the demo corpus's real index: result cards, the typo message,
reasons, the map and the comparison table."""

from __future__ import annotations

import html
import json
import math
import re
from html.parser import HTMLParser

import test_ui_app
from test_ui_app import app, cards, shown

from index.spelling import MAX_FIXES
from ui import mapview
from ui.render import CARD_CHIPS

small_site = test_ui_app.small_site  # the staff tests' private corpus (a fixture)

LONG_TEXT = (
    "Wir suchen für ein eigenes Projekt einen Lieferanten mit eigener Fertigung, der Drehteile "
    "aus Edelstahl in kleinen Serien herstellt. Die Lieferung soll termingerecht erfolgen, eine "
    "Zertifizierung nach ISO 9001 ist erwünscht. Bitte senden Sie uns Angebote für "
    "Präzisionsdrehteile und Frästeile, gerne auch mit Oberflächenbehandlung und Montage von "
    "Baugruppen. Unser Unternehmen sitzt in Sachsen und beliefert die Automobilindustrie sowie "
    "den Maschinenbau mit hochwertigen Komponenten."
)


def card_bodies(at) -> list[str]:
    """The HTML under each result card's name, in card order."""
    return [m.value for m in at.markdown if 'class="ss-meta"' in m.value and "ss-src" in m.value]


def chips_of(body: str) -> list[str]:
    return [
        html.unescape(c) for c in re.findall(r'<span class="ss-chip[^"]*">([^<]*)</span>', body)
    ]


def everything_said(at) -> list[str]:
    """Every text element and button label on the page."""
    out = [e.value for kind in ("caption", "info", "warning", "markdown") for e in at.get(kind)]
    return out + [b.label for b in at.button]


# ----------------------------------------------------------------------------- cards


def test_a_card_shows_the_matching_chip_first_and_counts_the_rest(corpus_index, monkeypatch):
    res = corpus_index.search("Präzisionsdrehteile", limit=10)
    wide = next(r for r in res["results"] if len(r["capabilities"]) > 10)
    at = app(corpus_index.index_dir, monkeypatch, q="Präzisionsdrehteile")
    body = card_bodies(at)[cards(at).index(wide["name"])]
    chips = chips_of(body)
    assert chips[0] == "Drehen / Drehteile", chips  # what was asked for, not "Getriebe"
    every = wide["capabilities"] + wide["industries"] + wide["focus"] + wide["certifications"]
    assert len(chips) <= CARD_CHIPS + 1, chips
    assert chips[-1] == f"+{len(set(every)) - (len(chips) - 1)}", chips


# ----------------------------------------------------------------------------- messages


def test_a_typo_gets_one_message_not_two(corpus_index, monkeypatch):
    typo = "Kabelkonfektoin"
    at = app(corpus_index.index_dir, monkeypatch, q=typo)
    about = [s for s in everything_said(at) if "korrigiert" in s or "Meinten Sie" in s]
    assert len(about) == 1, about
    assert "Kabelkonfektoin → Kabelkonfektion" in about[0].replace("\\", "")
    # the one message is the button that takes the correction into the search box
    at.button(key="didyoumean").click().run()
    assert at.text_input(key="w_q").value == "Kabelkonfektion"


def test_long_pasted_text_gets_no_corrections_of_correct_german(corpus_index, monkeypatch):
    res = corpus_index.search(LONG_TEXT)
    assert res["understood"]["corrections"] == {}
    at = app(corpus_index.index_dir, monkeypatch, q=LONG_TEXT)
    said = "\n".join(everything_said(at))
    assert "korrigiert" not in said and "Eine" not in re.findall(r"→ (\w+)", said)
    assert cards(at), "the pasted text still finds suppliers"


def test_never_more_than_a_few_corrections(corpus_index):
    typos = "Kabelkonfektoin Feinwerktechnick Präzisionsdrehtiele Optick Ostererzgebirge"
    fixes = corpus_index.search(typos)["understood"]["corrections"]
    assert 0 < len(fixes) <= MAX_FIXES == 3, fixes


def test_a_name_reason_claims_only_words_the_name_contains(corpus_index, monkeypatch):
    at = app(corpus_index.index_dir, monkeypatch, q="Präzisionsdrehteile")
    page = shown(at)
    claims = re.findall(r"Name enthält ([^;<]+)", page)
    assert claims, "some card matched by its name"
    names = " ".join(cards(at))
    for claim in claims:
        for word in claim.split(", "):
            assert word.strip() in names, (word, names)
    # and through the API, for queries whose words are parts of compounds in names
    for q in ("Präzisionsdrehteile", "Feinwerktechnik Geising", "Drehteile Weber", "Präzision"):
        for r in corpus_index.search(q, limit=20)["results"]:
            for reason in r["reasons"]:
                if reason["code"] == "name":
                    for w in reason["words"]:
                        assert w in " ".join([r["name"], *corpus_index.show(r["id"])["names"]])


# ----------------------------------------------------------------------------- map


def map_spec(at) -> dict:
    charts = at.get("vega_lite_chart")
    assert charts, "no map on the page"
    return json.loads(charts[0].proto.spec)


def project(spec: dict, lat: float, lon: float) -> tuple[float, float]:
    p = spec["projection"]
    lon0, lat0 = p["center"]

    def merc(x):
        return math.log(math.tan(math.pi / 4 + math.radians(x) / 2))

    x = p["translate"][0] + p["scale"] * math.radians(lon - lon0)
    y = p["translate"][1] - p["scale"] * (merc(lat) - merc(lat0))
    return x, y


def test_the_map_draws_towns_fits_the_bulk_labels_apart_and_tooltips_for_people(
    corpus_index, monkeypatch
):
    at = app(corpus_index.index_dir, monkeypatch)
    spec = map_spec(at)
    points, labels = spec["layer"][2], spec["layer"][3]
    places = [p for row in points["data"]["values"] for p in row["place"].split(", ")]
    for region in ("Erzgebirge", "Osterzgebirge", "Region Dresden", "Elbland"):
        assert region not in places, places  # a region is not a town
    # every label its own space (the same boxes the layout uses)
    boxes = []
    for row in labels["data"]["values"]:
        x, y = project(spec, row["lat"], row["lon"])
        w = mapview.CHAR_W * len(row["label"])
        boxes.append((x - w / 2, y - mapview.LABEL_H / 2, x + w / 2, y + mapview.LABEL_H / 2))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
    # the view fits where most results are: they spread over the map, the far one is named
    xs = [project(spec, r["lat"], r["lon"])[0] for r in points["data"]["values"]]
    assert max(xs) - min(xs) > spec["width"] / 2
    outside = [c.value.replace("\\", "") for c in at.caption]
    assert any("Außerhalb des Kartenausschnitts: Rathenow" in c for c in outside), outside
    # tooltips in words: place, suppliers, what they offer — never lon/lat/label
    for layer in spec["layer"]:
        tips = layer["encoding"].get("tooltip") or []
        assert all(tip["field"] not in ("lat", "lon", "label") for tip in tips)
        if layer["mark"]["type"] == "text":
            assert layer["mark"]["tooltip"] is False
    assert [tip["title"] for tip in points["encoding"]["tooltip"]] == [
        "Ort",
        "Lieferanten",
        "bietet u. a.",
    ]
    close = next(r for r in points["data"]["values"] if "Geising" in r["place"])
    assert "Altenberg" in close["place"]  # neighbours too close to tell apart are one point


# ----------------------------------------------------------------------------- compare


class Table(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def test_compare_is_a_table_one_row_per_fact_kind_one_column_per_supplier(
    corpus_index, monkeypatch
):
    ids = [r["id"] for r in corpus_index.search("Drehteile", limit=3)["results"]]
    at = app(corpus_index.index_dir, monkeypatch, view="shortlist", ml=ids)
    table = next(m.value for m in at.markdown if m.value.startswith("<table"))
    parsed = Table()
    parsed.feed(table)
    head, *rows = parsed.rows
    assert head[1:] == [corpus_index.show(i)["name"] for i in ids]
    assert [r[0] for r in rows] == [
        "Ort",
        "Fähigkeiten",
        "Branchen",
        "Zertifizierungen",
        "Werkstoffe",
        "Losgrößen",
        "Größe",
        "Kontakte",
        "Beleg",
    ]
    assert all(len(r) == 1 + len(ids) for r in rows)  # every row lines up across suppliers
    assert all(cell != "—" for cell in rows[1][1:])  # each of them offers something


# ----------------------------------------------------------------------------- staff


def staff(small_site, monkeypatch):
    from test_ui_app import PASSWORD, login

    corpus, index_dir = small_site
    at = app(index_dir, monkeypatch, {"SUPPLIER_SEARCH_STAFF_PASSWORD": PASSWORD}, view="staff")
    login(at, PASSWORD)
    assert not at.exception
    return at


def staff_said(at) -> str:
    parts = [e.value for kind in ("success", "error", "caption", "markdown") for e in at.get(kind)]
    return html.unescape("\n".join(parts)).replace("\\", "")


def test_a_broken_upload_is_refused_at_once_in_plain_words(small_site, monkeypatch):
    corpus, _index = small_site
    at = staff(small_site, monkeypatch)
    at.get("file_uploader")[0].set_value(
        [("Katalog 2026.pdf", b"%PDF-1.4\nkein echtes PDF", "application/pdf")]
    ).run()
    at.button(key="ingest").click().run()
    said = staff_said(at)
    assert "Katalog 2026.pdf abgelehnt: keine lesbare PDF-Datei" in said, said
    assert not re.search(r"Katalog.2026\.pdf gespeichert", said) and "broken PDF" not in said
    assert not (corpus / "uploads" / "Katalog-2026.pdf").exists()


def test_the_report_sets_apart_non_documents_and_shows_no_server_paths(small_site, monkeypatch):
    corpus, _index = small_site
    (corpus / "README.md").write_text("# Korpus\n", encoding="utf-8")
    at = staff(small_site, monkeypatch)
    at.button(key="reindex").click().run()
    said = staff_said(at)
    assert "0 übersprungen" in said, said
    assert "keine Dokumente und werden nicht eingelesen: README.md" in said
    assert "Übersprungen (mit Grund)" not in said
    assert str(corpus) not in said and str(corpus.resolve()) not in said  # no server paths
    orgs = next(m for m in at.metric if m.label == "Organisationen")
    assert "Die Suche zeigt ohne Filter nur Unternehmen und Verbünde" in orgs.help


def test_staff_remove_any_upload_after_confirming_and_the_list_forgets_it(small_site, monkeypatch):
    corpus, _index = small_site
    uploads = corpus / "uploads"
    uploads.mkdir()
    (uploads / "alt-kaputt.pdf").write_bytes(b"%PDF-1.4\nkaputt")  # saved before, never ingested
    at = staff(small_site, monkeypatch)
    box = at.selectbox(key="remove-doc")
    target = str(uploads / "alt-kaputt.pdf")
    assert target in box.options or "alt-kaputt.pdf" in box.options, box.options
    box.set_value(target).run()
    assert at.button(key="remove").disabled, "removing needs a confirmation"
    at.checkbox(key=f"remove-sure-{target}").check().run()
    assert not at.button(key="remove").disabled
    at.button(key="remove").click().run()
    assert not (uploads / "alt-kaputt.pdf").exists()
    assert "alt-kaputt.pdf" not in " ".join(at.selectbox(key="remove-doc").options)
