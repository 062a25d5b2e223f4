"""Things the app opens once per server process, not on every rerun.

The `Directory` is cached per index folder (`st.cache_resource`): it keeps its Whoosh searcher
open and reopens it by itself when an ingest has committed, so a staff ingest shows up on the
purchaser page without a restart and nothing is re-read on a rerun. When no index exists yet
(a fresh clone), the first visitor builds the demo index from the corpus folder.
"""

from __future__ import annotations

import hmac
import os
from pathlib import Path

import streamlit as st

from index import store
from index.build import ingest
from index.search import Directory
from ingest.upload import corpus_dir
from supplier_search.export import concept_labels, label_map  # noqa: F401  (re-exported)

PASSWORD_ENV = "SUPPLIER_SEARCH_STAFF_PASSWORD"
CURATION_FILE = "curation.toml"


def index_dir() -> Path:
    return store.default_index_dir()


def curation_path(idir: Path | None = None) -> Path:
    return (idir or index_dir()) / CURATION_FILE


def needs_build() -> bool:
    return not store.exists(index_dir())


@st.cache_resource(show_spinner=False)
def _directory(idir: str) -> Directory:
    path = Path(idir)
    if not store.exists(path):
        # the first visitor on a fresh clone builds the demo index; others wait for the lock
        ingest([corpus_dir()], index_dir=path, wait=300, curation_file=curation_path(path))
    d = Directory(path)
    d.search("", limit=1)  # opens the searcher and loads gazetteer and taxonomy once, here
    return d


def directory() -> Directory:
    return _directory(str(index_dir()))


@st.cache_resource(show_spinner=False)
def _index(idir: str):
    return store.open_existing(Path(idir))


@st.cache_data(max_entries=256, show_spinner=False)
def _search(idir: str, generation: int, args: tuple) -> dict:
    return _directory(idir).search(**{k: list(v) if isinstance(v, tuple) else v for k, v in args})


def search(**kwargs) -> dict:
    """`Directory.search`, remembered per index generation: a rerun that does not change the
    search (ticking "Merken", opening the export) does not search again, and any commit — a
    staff ingest here or a CLI ingest elsewhere — starts a new generation, so results never go
    stale."""
    idir = str(index_dir())
    _directory(idir)
    args = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in kwargs.items()))
    return _search(idir, _index(idir).latest_generation(), args)


@st.cache_data(max_entries=64, show_spinner=False)
def _changes(idir: str, generation: int, since: str) -> list[dict]:
    return _directory(idir).changes(since)


def changes(since: str) -> list[dict]:
    """`Directory.changes`, remembered per index generation like `search`: a change is recorded
    only with a commit, so a new generation is the only way the answer can change."""
    idir = str(index_dir())
    _directory(idir)
    return _changes(idir, _index(idir).latest_generation(), since)


def concept_label(key: str, lang: str) -> str:
    pair = concept_labels().get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]


def staff_password() -> str | None:
    """From `$SUPPLIER_SEARCH_STAFF_PASSWORD`, else `st.secrets["staff_password"]`, else None."""
    env = os.environ.get(PASSWORD_ENV)
    if env:
        return env
    try:
        value = st.secrets.get("staff_password")
    except Exception:  # no secrets.toml at all: Streamlit raises rather than returning None
        return None
    return str(value) if value else None


def password_ok(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))
