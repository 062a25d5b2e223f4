"""What the purchaser is looking at, kept in the URL so a search — and a shortlist — can be
shared as a link, and so the browser's Back and Forward move between views.

The canonical state is one `ViewState` in the session; widgets only edit it through callbacks.
(Widget values themselves vanish when a widget is not drawn, e.g. while a profile is open, so
they cannot be the state.) It is written to `st.query_params` after every run and read back from
it whenever the URL differs from what the app last wrote: on the first run of a session and after
the browser's Back or Forward (Streamlit reruns the script with that history entry's URL).

The shortlist (Merkliste) is part of it as a list of organization ids (`ml=`), so a reload keeps
it and a link sent to a colleague opens the same shortlist.

A watch link is a search's URL with `since=DATE`: no account, nothing stored, shareable; the
search page marks the results that are new or changed since that date.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from index.search import FACETS

PAGE_SIZE = 10
PAGES = ("search", "shortlist", "staff")
FILTERS = FACETS  # the filters a URL carries are the search API's facets

#: state field → URL parameter; list fields repeat the parameter (?reg=Sachsen&reg=Brandenburg)
URL = {
    "q": "q",
    "capability": "cap",
    "industry": "ind",
    "region": "reg",
    "certification": "cert",
    "kind": "kind",
    "profile": "id",
    "page": "view",
    "lang": "lang",
    "limit": "n",
    "since": "since",  # a watch link: mark what changed since this date (index.changes)
    "shortlist": "ml",  # Merkliste: organization ids, in the order they were marked
}
MAX_SHORTLIST = 100  # a hand-edited link cannot make the shortlist page show thousands
MAX_LIMIT = 500


@dataclass
class ViewState:
    q: str = ""
    capability: list[str] = field(default_factory=list)
    industry: list[str] = field(default_factory=list)
    region: list[str] = field(default_factory=list)
    certification: list[str] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    profile: str = ""
    page: str = "search"
    lang: str = "de"
    limit: int = PAGE_SIZE
    since: str = ""  # ISO date; checked where it is used, so a hand-edited link only warns
    shortlist: list[str] = field(default_factory=list)

    def filters(self) -> dict[str, list[str]]:
        return {f: list(getattr(self, f)) for f in FILTERS}

    def active_filters(self) -> list[tuple[str, str]]:
        return [(f, v) for f in FILTERS for v in getattr(self, f)]

    def search_args(self) -> dict:
        return {"query": self.q, **{f: v or None for f, v in self.filters().items()}}


def from_params(params) -> ViewState:
    """Read a state from `st.query_params` (or any mapping with `get_all`); bad values fall back
    to defaults instead of failing, since a shared link may be edited by hand."""
    s = ViewState()
    for f in fields(ViewState):
        key = URL[f.name]
        values = [v for v in params.get_all(key) if v is not None]
        if not values:
            continue
        if f.name in FILTERS:
            setattr(s, f.name, list(dict.fromkeys(v.strip() for v in values if v.strip())))
        elif f.name == "shortlist":
            ids = dict.fromkeys(i.strip()[:200] for v in values for i in v.split(",") if i.strip())
            s.shortlist = list(ids)[:MAX_SHORTLIST]
        elif f.name == "limit":
            try:
                s.limit = max(PAGE_SIZE, min(MAX_LIMIT, int(values[0])))
            except ValueError:
                pass
        else:
            setattr(s, f.name, values[0][:500])
    if s.page not in PAGES:
        s.page = "search"
    if s.lang not in ("de", "en"):
        s.lang = "de"
    return s


def to_params(s: ViewState) -> dict[str, str | list[str]]:
    """The non-default parts of a state, as URL parameters."""
    out: dict[str, str | list[str]] = {}
    default = ViewState()
    for f in fields(ViewState):
        value = getattr(s, f.name)
        if value == getattr(default, f.name):
            continue
        out[URL[f.name]] = list(value) if isinstance(value, list) else str(value)  # a copy
    return out
