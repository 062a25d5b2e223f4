"""The session side of `ui.state`: one `ViewState` and the shortlist per browser session, and
the callbacks widgets use to change them (callbacks run before the script, so a click is
reflected in the same rerun)."""

from __future__ import annotations

import streamlit as st

from .state import PAGE_SIZE, ViewState, from_params, to_params

STATE = "view_state"
SHORTLIST = "shortlist"


def view() -> ViewState:
    ss = st.session_state
    if STATE not in ss:
        ss[STATE] = from_params(st.query_params)
    return ss[STATE]


def publish() -> None:
    """Write the state to the URL (only when it changed: every write is a message to the browser)."""
    params = to_params(view())
    want = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    have = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
    if want != have:
        st.query_params.from_dict(params)


def shortlist() -> list[str]:
    return st.session_state.setdefault(SHORTLIST, [])


def set_query(q: str) -> None:
    s = view()
    s.q = q
    s.limit = PAGE_SIZE
    s.profile = ""
    s.page = "search"


def from_widget(field: str, key: str) -> None:
    """on_change callback: copy a widget's value into the state."""
    s = view()
    value = st.session_state.get(key)
    if field == "q":
        set_query(value or "")
    else:
        setattr(s, field, value)
        s.limit = PAGE_SIZE


def set_filter(field: str, values: list[str]) -> None:
    s = view()
    setattr(s, field, list(values))
    s.limit = PAGE_SIZE
    s.profile = ""


def clear_filters() -> None:
    s = view()
    for f in ("capability", "industry", "region", "certification", "kind"):
        setattr(s, f, [])
    s.limit = PAGE_SIZE


def open_profile(org_id: str) -> None:
    s = view()
    s.profile = org_id
    s.page = "search"


def close_profile() -> None:
    view().profile = ""


def more() -> None:
    view().limit += PAGE_SIZE


def toggle_shortlist(org_id: str, key: str) -> None:
    items = shortlist()
    if st.session_state.get(key):
        if org_id not in items:
            items.append(org_id)
    elif org_id in items:
        items.remove(org_id)


def drop_from_shortlist(org_id: str) -> None:
    items = shortlist()
    if org_id in items:
        items.remove(org_id)


def clear_shortlist() -> None:
    shortlist().clear()


def watch(since: str) -> None:
    """Keep (or stop, with "") the search as a watch link from `since` (an ISO date)."""
    view().since = since
