"""What purchasers trip over in daily use (issue 16), in a real browser: Debian's Chromium driven
by Playwright against a real `streamlit run` server on the demo corpus (the fixtures of
tests/test_ui_browser.py: temporary corpus and index, browser cut off from everything but the
local server).

Screenshots go to test-artifacts/screenshots/ (git-ignored), never into the repository.
"""

from __future__ import annotations

import re

import pytest

pytest.importorskip("playwright.sync_api")

import test_ui_browser as suite  # noqa: E402
from test_ui_browser import (  # noqa: E402
    CARDS,
    directory,
    expect,
    idle,
    open_app,
    param,
    until_url,
)

pytestmark = suite.pytestmark
# the browser suite's fixtures (server, browser, page), under their names so pytest finds them;
# assigned rather than imported so test parameters of the same name do not shadow an import
globals().update({name: getattr(suite, name) for name in ("server", "browser", "page")})

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
