"""End to end in a real browser: Debian's Chromium driven by Playwright against a real
`streamlit run` server on a free localhost port, with a temporary copy of corpus/ and a
temporary index (the server builds the demo index on the first visit, as on a fresh clone).

The browser is cut off from everything but the local server, so the map is checked the way a
purchaser without map tiles would see it. Screenshots of the main views are written to
test-artifacts/screenshots/ (git-ignored).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from index.search import Directory

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = ROOT / "test-artifacts" / "screenshots"
PASSWORD = "browser-test-passwort"
WAIT_MS = 30_000

pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM),
    reason="Debian's chromium is not installed (apt-get install chromium)",
)

HOSTILE_TXT = (
    "Zerspanung Albrecht GmbH – Drehteile aus Freiberg\n\n"
    "Die Zerspanung Albrecht GmbH in Freiberg fertigt Präzisionsdrehteile für den Maschinenbau. "
    "Die Zerspanung Albrecht GmbH prüft Eingaben wie <script>window.__pwned=1</script> und "
    '<img src=x onerror="window.__pwned=2"> gründlich.\n'
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """One `streamlit run` for the whole session, on temporary corpus and index folders."""
    base = tmp_path_factory.mktemp("browser")
    corpus = base / "corpus"
    shutil.copytree(ROOT / "corpus", corpus, ignore=shutil.ignore_patterns("uploads", ".removed"))
    index_dir = base / "index"
    port = _free_port()
    env = dict(
        os.environ,
        SUPPLIER_SEARCH_INDEX=str(index_dir),
        SUPPLIER_SEARCH_CORPUS=str(corpus),
        SUPPLIER_SEARCH_STAFF_PASSWORD=PASSWORD,
    )
    log = open(base / "streamlit.log", "wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "ui" / "streamlit_app.py"),
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],  # fmt: skip
        cwd=base,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail("streamlit did not start:\n" + (base / "streamlit.log").read_text())
            time.sleep(0.3)
        yield {"url": url, "corpus": corpus, "index": index_dir}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


@pytest.fixture()
def page(browser, server, tmp_path):
    """A fresh browser session that can reach the local server only (no map tiles, no CDN)."""
    context = browser.new_context(
        viewport={"width": 1400, "height": 2000}, accept_downloads=True, locale="de-DE"
    )
    p = context.new_page()
    p.set_default_timeout(WAIT_MS)
    outside: list[str] = []

    def only_local(route):
        if route.request.url.startswith(server["url"]):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    p.route("**/*", only_local)
    p.dialogs = []
    p.on("dialog", lambda d: (p.dialogs.append(d.message), d.dismiss()))
    p.outside_requests = outside
    yield p
    context.close()


def directory(server) -> Directory:
    return Directory(server["index"])


def open_app(page, server, query: str = "") -> None:
    page.goto(server["url"] + "/" + query)
    expect(page.get_by_role("heading", name="Lieferantensuche")).to_be_visible(timeout=120_000)
    idle(page)


def idle(page) -> None:
    """Wait until the script run triggered by the last interaction has finished."""
    page.wait_for_timeout(300)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')


def param(url: str, key: str) -> list[str]:
    return parse_qs(urlparse(url).query).get(key, [])


def until_url(page, test) -> None:
    """Wait for the URL the app publishes at the end of a run, then for the run to be over:
    a deterministic sign that the interaction's rerun has happened."""
    page.wait_for_url(lambda url: test(url))
    idle(page)


CARDS = '[class*="st-key-open-"][data-stale="false"]'


def card_names(page) -> list[str]:
    """Names on the result cards (the label of each card's title button, not its icon)."""
    return [c.locator("button p").first.inner_text().strip() for c in page.locator(CARDS).all()]


def first_card(page):
    return page.locator(CARDS).first.locator("button p").first


def search(page, text: str) -> None:
    box = page.get_by_role("textbox", name="Suche")
    box.fill(text)
    box.press("Enter")
    until_url(page, lambda u: param(u, "q") == ([text] if text else []))


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def red_pixels(png: bytes) -> int:
    """Pixels of the map's supplier colour (#c62828) in a screenshot."""
    from PIL import Image

    raw = Image.open(io.BytesIO(png)).convert("RGB").tobytes()
    return sum(
        1
        for i in range(0, len(raw), 3)
        if abs(raw[i] - 0xC6) < 30 and raw[i + 1] < 0x50 and raw[i + 2] < 0x50
    )


# ----------------------------------------------------------------------------- purchaser


def test_search_narrow_by_facet_open_profile_and_map_without_tiles(page, server):
    open_app(page, server)
    # no developer toolbar for users: Streamlit's "Deploy" button is not shown
    expect(page.get_by_role("button", name="Deploy")).to_have_count(0)
    search(page, "Präzision")
    d = directory(server)
    expected = d.search("Präzision", limit=10)
    expect(first_card(page)).to_have_text(expected["results"][0]["name"])
    assert card_names(page) == [r["name"] for r in expected["results"]]
    expect(page.locator("mark").first).to_be_visible()
    chart = page.get_by_test_id("stVegaLiteChart").first
    expect(chart).to_be_visible()
    page.wait_for_timeout(800)  # vega draws after the element appears
    assert red_pixels(chart.screenshot()) > 30, "the map shows no supplier points"
    shot(page, "01-search")

    # narrow by a facet: Bundesland Sachsen
    page.get_by_test_id("stMultiSelect").filter(has_text="Bundesland").click()
    page.get_by_role("option", name=re.compile(r"^Sachsen \(\d+\)")).click()
    page.keyboard.press("Escape")
    until_url(page, lambda u: param(u, "reg") == ["Sachsen"])
    narrowed = d.search("Präzision", region="Sachsen", limit=10)
    assert 0 < narrowed["total"] <= expected["total"]
    expect(first_card(page)).to_have_text(narrowed["results"][0]["name"])
    assert card_names(page) == [r["name"] for r in narrowed["results"]]
    assert "reg=Sachsen" in page.url and "q=Pr" in page.url
    shot(page, "02-facet-sachsen")

    # open the first supplier's profile: facts with evidence, contact links, documents, sites
    # map (a network states no capabilities of its own, so the first company is opened)
    top = next(r for r in narrowed["results"] if r["kind"] == "company" and r["capabilities"])
    page.locator(f".st-key-open-{top['id']}").get_by_role("button", name=top["name"]).click()
    until_url(page, lambda u: param(u, "id") == [top["id"]])
    profile = d.show(top["id"])
    expect(page.get_by_role("heading", name=profile["name"], exact=True)).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Fähigkeiten \(\d+\)"))).to_be_visible()
    for doc in profile["documents"]:
        expect(page.get_by_text(doc["title"], exact=False).first).to_be_attached()
    phones = [c["phone"] for c in profile["contacts"] if c["phone"]]
    if phones:
        href = "tel:" + phones[0].replace(" ", "")
        expect(page.locator(f'a[href="{href}"]').first).to_be_visible()
    assert f"id={top['id']}" in page.url
    page.wait_for_timeout(800)
    shot(page, "03-profile")
    assert page.outside_requests == [] or all(
        not u.startswith(("http://", "https://")) or "127.0.0.1" in u for u in page.outside_requests
    ), page.outside_requests


def test_export_all_results_and_shortlist_as_csv(page, server, tmp_path):
    open_app(page, server)
    d = directory(server)
    everything = d.search("", limit=1000)
    assert everything["total"] > 10  # more than the page shown
    assert len(card_names(page)) == 10
    page.get_by_text("Export", exact=True).click()
    with page.expect_download() as dl:
        page.get_by_role("button", name=f"Alle {everything['total']} Treffer als CSV").click()
    path = tmp_path / "all.csv"
    dl.value.save_as(path)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Name", "Art", "Orte"]
    assert [r[0] for r in rows[1:]] == [r["name"] for r in everything["results"]]
    assert rows[1][-1] == everything["results"][0]["id"]

    # shortlist two suppliers and compare them
    first, second = everything["results"][:2]
    for n, r in enumerate((first, second), 1):
        page.locator(f".st-key-mark-{r['id']} label").click()
        expect(page.get_by_text(f"Merkliste ({n})")).to_be_visible()
    page.get_by_text("Merkliste (2)").click()
    until_url(page, lambda u: param(u, "view") == ["shortlist"])
    expect(page.locator('[class*="st-key-sl-open-"] button')).to_have_count(2)
    shot(page, "04-shortlist-compare")
    with page.expect_download() as dl:
        page.get_by_role("button", name="Merkliste als CSV").click()
    path = tmp_path / "shortlist.csv"
    dl.value.save_as(path)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert [r[0] for r in rows[1:]] == [first["name"], second["name"]]


def test_empty_state_offers_alternatives(page, server):
    d = directory(server)
    assert d.search("Getriebe", region="Brandenburg")["total"] == 0
    open_app(page, server, "?q=Getriebe&reg=Brandenburg")
    expect(page.get_by_text("Keine Treffer für „Getriebe“", exact=False)).to_be_visible()
    page.get_by_role("button", name=re.compile(r"^ohne Filter Region: Brandenburg")).click()
    until_url(page, lambda u: not param(u, "reg"))
    expect(first_card(page)).to_have_text(d.search("Getriebe")["results"][0]["name"])
    assert "reg=" not in page.url
    open_app(page, server, "?q=Getriebe&reg=Brandenburg")
    shot(page, "08-empty-state")


# ----------------------------------------------------------------------------- staff


def test_staff_login_upload_ingest_and_find_the_new_supplier(page, server, tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "Härterei Lindner.pdf"
    c = canvas.Canvas(str(pdf), pagesize=A4)
    c.setFont("Helvetica-Bold", 16)
    c.drawString(72, 780, "Härterei Lindner GmbH – Wärmebehandlung aus Chemnitz")
    c.setFont("Helvetica", 11)
    for n, line in enumerate(
        [
            "Die Härterei Lindner GmbH in Chemnitz bietet Vakuumhärten, Einsatzhärten und Nitrieren",
            "für Werkzeuge und Getriebeteile an. Die Härterei Lindner GmbH ist nach ISO 9001",
            "zertifiziert und beliefert den Fahrzeugbau und den Maschinenbau.",
            "Kontakt: Telefon +49 371 4455660, E-Mail info@lindner-haerterei.example",
        ]
    ):
        c.drawString(72, 750 - 16 * n, line)
    c.save()
    hostile = tmp_path / "albrecht.txt"
    hostile.write_text(HOSTILE_TXT, encoding="utf-8")
    disguised = tmp_path / "kein-pdf.pdf"
    disguised.write_bytes(b"<html><body>Ich bin kein PDF.</body></html>")

    page.goto(server["url"] + "/?view=staff")
    password = page.get_by_label("Passwort")
    expect(password).to_be_visible(timeout=120_000)
    expect(page.locator('input[type="file"]')).to_have_count(0)
    password.fill("falsch")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_text(re.compile(r"^Benutzername oder Passwort falsch\."))).to_be_visible()
    password.fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    # the documents' uploader takes several files; the curation file's beside it takes one, and
    # which of the two is first in the page while Streamlit is still rendering varies
    files = page.locator('input[type="file"][multiple]').first
    expect(files).to_be_attached()
    files.set_input_files([str(pdf), str(hostile), str(disguised)])
    ingest_button = page.get_by_role("button", name="Hochladen und einlesen")
    expect(ingest_button).to_be_enabled()
    ingest_button.click()
    expect(page.get_by_text(re.compile(r"^2 neu, "))).to_be_visible(timeout=120_000)
    expect(
        page.get_by_text(re.compile(r"kein-pdf\.pdf abgelehnt: der Inhalt ist HTML, nicht PDF"))
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Index")).to_be_visible()
    idle(page)
    uploads = server["corpus"] / "uploads"
    assert sorted(p.name for p in uploads.iterdir()) == ["Härterei-Lindner.pdf", "albrecht.txt"]
    shot(page, "05-staff-ingest-report")

    # the purchaser page finds the new supplier without a restart
    page.get_by_text("Suche", exact=True).first.click()
    until_url(page, lambda u: not param(u, "view"))
    search(page, "Vakuumhärten")
    expect(first_card(page)).to_have_text("Härterei Lindner GmbH")
    shot(page, "06-new-supplier-found")

    # its markup is shown as text, never run
    search(page, "Eingaben prüft")
    expect(first_card(page)).to_have_text("Zerspanung Albrecht GmbH")
    expect(page.get_by_text('<img src=x onerror="window.__pwned=2">', exact=False)).to_be_visible()
    assert page.evaluate("window.__pwned === undefined")
    assert page.locator('img[src="x"]').count() == 0
    assert page.dialogs == []
    shot(page, "07-markup-shown-as-text")


# ----------------------------------------------------------------------------- daily use (issue 16)


VIEWPORT_H = 900


def card_button(page, n: int):
    """The title button of the n-th result card on screen."""
    return page.locator(CARDS).nth(n).get_by_role("button").first


def in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and 0 <= box["y"] and box["y"] + box["height"] <= VIEWPORT_H


def test_back_and_forward_move_between_views_and_a_profile_opens_at_its_top(page, server):
    page.set_viewport_size({"width": 1400, "height": VIEWPORT_H})
    open_app(page, server)
    everything = directory(server).search("", limit=10)["results"]
    low = everything[7]  # a card far below the fold
    button = card_button(page, 7)
    expect(button.locator("p").first).to_have_text(low["name"])
    button.scroll_into_view_if_needed()
    button.click()
    until_url(page, lambda u: param(u, "id") == [low["id"]])
    heading = page.get_by_role("heading", name=low["name"], exact=True)
    back = page.get_by_role("button", name="← Zurück zu den Treffern")
    expect(heading).to_be_visible()
    page.wait_for_timeout(300)
    assert in_viewport(page, heading) and in_viewport(page, back), "profile opened mid-page"

    # the browser's Back shows the results again, Forward the profile again
    page.go_back()
    until_url(page, lambda u: not param(u, "id"))
    expect(heading).to_have_count(0)
    expect(page.locator(CARDS)).to_have_count(10)
    page.go_forward()
    until_url(page, lambda u: param(u, "id") == [low["id"]])
    expect(heading).to_be_visible()
    page.wait_for_timeout(500)
    assert param(page.url, "id") == [low["id"]], "the app wrote the old view over the URL"


def test_the_shortlist_survives_a_reload_and_travels_in_a_link(page, browser, server):
    open_app(page, server, "?q=Pr%C3%A4zision")
    found = directory(server).search("Präzision", limit=10)["results"]
    first, second = found[0], found[1]
    for n, r in enumerate((first, second), 1):
        page.locator(f".st-key-mark-{r['id']} label").click()
        until_url(page, lambda u, n=n: len(param(u, "ml")) == n)
    assert param(page.url, "ml") == [first["id"], second["id"]]
    page.reload()
    idle(page)
    expect(page.get_by_text("Merkliste (2)")).to_be_visible()
    expect(page.locator(f".st-key-mark-{first['id']} input")).to_be_checked()

    # a colleague opens the shared link in another browser session
    page.get_by_text("Merkliste (2)").click()
    until_url(page, lambda u: param(u, "view") == ["shortlist"])
    link = page.url
    other = browser.new_context(viewport={"width": 1400, "height": 1200})
    try:
        colleague = other.new_page()
        colleague.goto(link)
        expect(colleague.get_by_role("heading", name="Merkliste", exact=True)).to_be_visible(
            timeout=60_000
        )
        idle(colleague)
        table = colleague.locator("table.ss-compare")
        expect(table).to_be_visible()
        expect(table.locator("thead th")).to_have_text(
            [re.compile(".*"), first["name"], second["name"]]
        )
    finally:
        other.close()
