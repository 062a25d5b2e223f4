"""supplier-search in the browser: purchaser search, profiles, map, shortlist and export, and a
password-protected staff page — a thin layer over `index.search.Directory` and
`index.build.ingest`.

Run: streamlit run ui/streamlit_app.py  (builds the demo index from corpus/ when none exists)

Nothing heavy happens at import or on a rerun: the Directory (and its open searcher) is cached
per server process; a rerun costs one search plus drawing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from index.search import QueryError  # noqa: E402
from ingest.upload import corpus_dir  # noqa: E402
from ui import profile_page, render, resources, search_page, session, shortlist_page, staff_page  # noqa: E402
from ui.i18n import t  # noqa: E402


def sidebar(lang: str) -> None:
    s = session.view()
    ss = st.session_state
    ss["w_english"] = s.lang == "en"
    st.sidebar.toggle(t("english", lang), key="w_english", on_change=_language)
    labels = {
        "search": t("nav.search", lang),
        "shortlist": t("nav.shortlist", lang, n=len(session.shortlist())),
        "staff": t("nav.staff", lang),
    }
    ss["w_page"] = s.page
    st.sidebar.radio(
        t("nav", lang),
        list(labels),
        key="w_page",
        format_func=labels.get,
        horizontal=True,
        on_change=session.from_widget,
        args=("page", "w_page"),
    )


def _language() -> None:
    session.view().lang = "en" if st.session_state.get("w_english") else "de"


def main() -> None:
    st.set_page_config(page_title="Lieferantensuche", page_icon="🔎", layout="wide")
    # purchasers and staff get no developer toolbar ("Deploy"), wherever streamlit is started:
    # the option is the server's and reaches the browser with the next run
    if st.get_option("client.toolbarMode") != "viewer":
        st.set_option("client.toolbarMode", "viewer")
        st.rerun()
    s = session.view()
    # the URL first, before anything is drawn: a click's callback has already changed the state,
    # and the browser must hold the new URL before it shows the result of the click, or a fast
    # second click (marking two suppliers in a row) is sent with the old URL and undone by it
    session.publish()
    lang = s.lang
    st.markdown(render.CSS, unsafe_allow_html=True)
    sidebar(lang)
    st.title(t("title", lang), anchor=False)
    if resources.needs_build():
        with st.spinner(t("building", lang, folder=corpus_dir())):
            d = resources.directory()
    else:
        d = resources.directory()
    try:
        if s.page == "staff":
            staff_page.page(d, s)
        elif s.page == "shortlist":
            shortlist_page.page(d, s)
        elif s.profile:
            profile_page.page(d, s)
        else:
            search_page.page(d, s)
    except QueryError as exc:  # no index and nothing to build it from
        st.error(t("noindex", lang, msg=str(exc)))
    session.publish()


main()
