"""The session side of `ui.state`: one `ViewState` (with the shortlist) per browser session, and
the callbacks widgets use to change them (callbacks run before the script, so a click is
reflected in the same rerun)."""

from __future__ import annotations

import streamlit as st

from .state import PAGE_SIZE, ViewState, from_params, to_params

STATE = "view_state"
PUBLISHED = "view_state_url"  # the URL parameters this session last wrote


def _url() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params.keys()}


def view() -> ViewState:
    """The session's state — read again from the URL when the URL is not the one the app last
    wrote: the browser went Back or Forward (or a link was opened), and the view must follow it
    instead of writing the old view back over the URL."""
    ss = st.session_state
    url = _url()
    if STATE not in ss or url != ss.get(PUBLISHED):
        ss[STATE] = from_params(st.query_params)
        ss[PUBLISHED] = url
    return ss[STATE]


def publish() -> None:
    """Write the state to the URL (only when it changed: every write is a message to the browser,
    and Streamlit makes it a new entry of the browser's history)."""
    params = to_params(view())
    want = {k: list(v) if isinstance(v, list) else [v] for k, v in params.items()}
    if want != _url():
        st.query_params.from_dict(params)
    st.session_state[PUBLISHED] = want


def shortlist() -> list[str]:
    """The marked organization ids (the state's own list: changing it changes the URL)."""
    return view().shortlist


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


def profile_link(where, label: str, key: str, org_id: str, help: str | None = None) -> None:
    """A supplier's name as a link that opens its profile, drawn into `where` (`st` or a column):
    one look for the cards, the watch list, the alternatives and the shortlist."""
    where.button(
        label,
        key=key,
        type="tertiary",
        icon=":material/chevron_right:",
        icon_position="right",
        help=help,
        on_click=open_profile,
        args=(org_id,),
    )


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
