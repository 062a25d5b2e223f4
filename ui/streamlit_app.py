"""supplier-search in the browser: a thin page over `index.search.Directory`.

Run: streamlit run ui/streamlit_app.py  (builds the demo index from corpus/ when none exists)
"""

from __future__ import annotations

import html
import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from index import store  # noqa: E402
from index.build import ingest  # noqa: E402
from index.search import Directory, QueryError  # noqa: E402


@st.cache_resource
def directory() -> Directory:
    """One Directory per server process; it reopens its searcher itself after a new commit."""
    idir = store.default_index_dir()
    if not store.exists(idir):
        ingest([ROOT / "corpus"], index_dir=idir, wait=60)
    return Directory(idir)


st.set_page_config(page_title="Lieferantensuche", layout="wide")
st.title("Lieferantensuche")
query = st.text_input(
    "Suche",
    value=st.query_params.get("q", ""),
    placeholder="z. B. Präzisionsdrehteile Osterzgebirge",
)
st.query_params["q"] = query
try:
    res = directory().search(query, limit=20)
except QueryError as exc:
    st.warning(str(exc))
    st.stop()
st.caption(f"{res['total']} Organisationen")
for r in res["results"]:
    place = r["places"][0]["name"] if r["places"] else "Ort unbekannt"
    st.markdown(f"**{html.escape(r['name'])}** · {html.escape(place)} · {html.escape(r['kind'])}")
    for ev in r["evidence"][:1]:
        st.markdown(
            f"<div>{ev['snippet']}</div><small>{html.escape(ev['title'] or '')} ({html.escape(ev['date'] or 'ohne Datum')})</small>",
            unsafe_allow_html=True,
        )
