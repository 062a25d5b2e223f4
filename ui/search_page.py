"""The purchaser's search page: search box, facets with counts, result cards, map and export.

All matching, ranking and counting is `Directory.search`; this page only turns the view state
into its arguments and draws what comes back.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import urllib.parse

import streamlit as st

from index.changes import parse_since
from index.search import Directory, QueryError
from ingest import gazetteer as gz
from ingest import taxonomy as tx
from ingest.records import ORG_KINDS

from . import export, mapview, render, safe, session
from .i18n import kind_label, t
from .resources import changes, concept_label, label_map, search
from .state import MAX_LIMIT, PAGE_SIZE, ViewState, to_params

REGION_LEVELS = ("state", "district", "place")  # Bundesland → Landkreis / informal region → place


def page(d: Directory, s: ViewState) -> None:
    lang = s.lang
    st.session_state["w_q"] = s.q
    st.text_input(
        t("search.label", lang),
        key="w_q",
        placeholder=t("search.placeholder", lang),
        help=t("search.help", lang),
        on_change=session.from_widget,
        args=("q", "w_q"),
    )
    try:
        res = search(**s.search_args(), limit=s.limit)
    except QueryError as exc:
        st.warning(safe.label(str(exc)))
        st.button(t("filters.clear", lang), on_click=session.clear_filters)
        return
    with st.sidebar:
        facets(d, s, res)
    summary(res, s)
    if s.since:
        changed, since = watched(s, res)
    else:
        changed, since = {}, ""
        watch_offer(s)
    if res["total"] == 0:
        empty_state(s, res)
        return
    labels = label_map(lang)
    left, right = st.columns([3, 2], gap="medium")
    with left:
        marked = session.shortlist()
        for r in res["results"]:
            card(r, lang, labels, marked, changed.get(r["id"]), since)
        shown = len(res["results"])
        st.caption(t("shown", lang, shown=shown, total=res["total"]))
        if shown < res["total"]:
            st.button(t("more", lang), on_click=session.more, key="more")
    with right:
        st.subheader(t("map", lang))
        show_map(res["results"], lang)
        with st.expander(t("export", lang), expanded=False):
            export_buttons(d, s, res["total"])


# ----------------------------------------------------------------------------- facets


def facets(d: Directory, s: ViewState, res: dict) -> None:
    lang = s.lang
    st.header(t("filters", lang))
    fc = res["facets"]
    for field in ("capability", "industry", "certification"):
        items = {i["id"]: i["count"] for i in fc.get(field, [])}
        select(
            field,
            t(f"facet.{field}", lang),
            items,
            getattr(s, field),
            lambda v: concept_label(v, lang),
            lang,
        )
    region_select(s, fc.get("region", []))
    kinds = {k: 0 for k in ORG_KINDS}
    try:
        every = search(**{**s.search_args(), "kind": list(ORG_KINDS)}, limit=0)
        kinds.update({i["value"]: i["count"] for i in every["facets"]["kind"]})
    except QueryError:
        pass
    select(
        "kind",
        t("facet.kind", lang),
        {k: n for k, n in kinds.items() if n or k in s.kind},
        s.kind,
        lambda v: kind_label(v, lang),
        lang,
        placeholder=", ".join(kind_label(k, lang) for k in ("company", "network")),
    )
    if s.active_filters():
        st.button(t("filters.clear", lang), on_click=session.clear_filters, key="clear-filters")


def select(field, label, counts: dict[str, int], selected: list[str], name, lang, placeholder=None):
    """A multiselect over facet values, labelled with counts; selected values always stay
    selectable (also when the current results no longer contain them)."""
    key = f"w_{field}"
    options = list(counts) + [v for v in selected if v not in counts]
    st.session_state[key] = [v for v in selected if v in options]

    def fmt(v):
        return f"{name(v)} ({counts[v]})" if counts.get(v) else name(v)

    st.multiselect(
        label,
        options,
        key=key,
        format_func=fmt,
        placeholder=placeholder or t("facet.choose", lang),
        on_change=session.from_widget,
        args=(field, key),
        select_all=False,  # Streamlit's own "Select all" is English in a German page
    )


def region_select(s: ViewState, items: list[dict]) -> None:
    """Region facet as three lists, from Bundesland to place; all three together are one
    `region` filter (values within it combine with OR)."""
    lang = s.lang
    st.markdown(f"**{t('facet.region', lang)}**")
    counts = {lvl: {} for lvl in REGION_LEVELS}
    for i in items:
        counts[_level(i.get("level"))][i["value"]] = i["count"]
    chosen = {lvl: [] for lvl in REGION_LEVELS}
    for v in s.region:
        lvl = next((lv for lv in REGION_LEVELS if v in counts[lv]), None) or _level_of(v)
        chosen[lvl].append(v)
    for lvl in REGION_LEVELS:
        key = f"w_region_{lvl}"
        options = list(counts[lvl]) + [v for v in chosen[lvl] if v not in counts[lvl]]
        st.session_state[key] = chosen[lvl]
        st.multiselect(
            t(f"facet.region.{lvl}", lang),
            options,
            key=key,
            format_func=lambda v, c=counts[lvl]: f"{v} ({c[v]})" if c.get(v) else v,
            placeholder=t("facet.choose", lang),
            on_change=_region_changed,
            select_all=False,
        )


def _region_changed() -> None:
    ss = st.session_state
    values = [v for lvl in REGION_LEVELS for v in ss.get(f"w_region_{lvl}", [])]
    session.set_filter("region", list(dict.fromkeys(values)))


def _level(level: str | None) -> str:
    return {"state": "state", "district": "district", "region": "district"}.get(
        level or "", "place"
    )


def _level_of(value: str) -> str:
    e = gz.book().best(value)
    return _level(e.kind if e else None)


# ----------------------------------------------------------------------------- results


def summary(res: dict, s: ViewState) -> None:
    lang = s.lang
    n = res["total"]
    if not s.q and not s.active_filters():
        line = t("all.orgs", lang, n=n)
    else:
        line = t("total.one", lang) if n == 1 else t("total", lang, n=n)
    u = res.get("understood") or {}
    parts = []
    if u.get("concepts"):
        parts.append(
            t(
                "understood.concepts",
                lang,
                v=", ".join(concept_label(c["id"], lang) for c in u["concepts"]),
            )
        )
    if u.get("places"):
        parts.append(t("understood.places", lang, v=", ".join(u["places"])))
    if u.get("words"):
        parts.append(t("understood.words", lang, v=", ".join(u["words"])))
    if parts:
        line += " · " + t("understood", lang, what="; ".join(parts))
    st.caption(safe.label(line))
    if u.get("relaxed_region"):
        st.info(safe.label(t("relaxed", lang, places=", ".join(u.get("places") or []))))
    corrected_message(res, lang)


#: a corrected query longer than this is not repeated in the message, only what was corrected
SHOW_QUERY_CHARS = 80


def corrected_message(res: dict, lang: str) -> None:
    """One message for a corrected typo: the search already ran with the correction, so "showing
    results for …" says so and, clicked, puts the corrected words into the search box — not a
    second "did you mean" beside it. A long pasted text is not repeated, only its corrections."""
    suggestion = res.get("suggestion")
    if not suggestion:
        return
    fixes = (res.get("understood") or {}).get("corrections") or {}
    pairs = ", ".join(f"{a} → {b}" for a, b in fixes.items())
    if len(suggestion) <= SHOW_QUERY_CHARS:
        text = t("corrected", lang, s=suggestion, fixes=pairs)
    else:
        text = t("corrected.long", lang, fixes=pairs)
    st.button(
        safe.label(text),
        type="tertiary",
        key="didyoumean",
        icon=":material/spellcheck:",
        help=t("corrected.help", lang),
        on_click=session.set_query,
        args=(suggestion,),
    )


def card(
    r: dict,
    lang: str,
    labels: dict[str, str],
    marked: list[str],
    changes: list[dict] | None = None,
    since: str = "",
) -> None:
    with st.container(border=True):
        top = st.columns([5, 1], vertical_alignment="center")
        session.profile_link(
            top[0], f"**{safe.label(r['name'])}**", f"open-{r['id']}", r["id"], t("card.open", lang)
        )
        mark_box(top[1], r["id"], lang, marked)
        st.markdown(render.card_body(r, lang, labels, changes, since), unsafe_allow_html=True)


# ----------------------------------------------------------------------------- watch links


def watched(s: ViewState, res: dict) -> tuple[dict[str, list[dict]], str]:
    """A watch link (`since=DATE` in the URL): which results are new or changed since then,
    said above the results, and the same link with today's date to keep. Returns what changed
    per result id (for the cards) and the date as shown.

    Every result counts, not just the page shown (up to the app's largest page), so a
    changed supplier on page three is listed here too."""
    lang = s.lang
    # a "+01:00" typed into an address bar arrives as " 01:00" (a plus is a space in a query)
    since = re.sub(r"(\d\d:\d\d(?::\d\d(?:\.\d+)?)?) (\d\d:?\d\d)$", r"\1+\2", s.since.strip())
    try:
        when = parse_since(since)
        found = changes(since)
    except QueryError:
        st.warning(safe.label(t("watch.bad", lang, since=s.since[:40])))
        return {}, ""
    shown = _date_label(when, lang)
    by_id: dict[str, list[dict]] = {}
    for org in found:
        by_id.setdefault(org["id"], []).append(org)
    results = res["results"]
    if res["total"] > len(results) and by_id:
        results = search(**s.search_args(), limit=MAX_LIMIT)["results"]
    hits = [r for r in results if r["id"] in by_id]
    with st.container(border=True, key="watch"):
        if hits:
            st.markdown(f"**{safe.label(t('watch.title', lang, date=shown, n=len(hits)))}**")
            for r in hits:
                session.profile_link(st, safe.label(r["name"]), f"watch-open-{r['id']}", r["id"])
                st.markdown(render.watch_line(by_id[r["id"]], shown, lang), unsafe_allow_html=True)
        else:
            st.caption(safe.label(t("watch.none", lang, date=shown)))
        st.caption(t("watch.link", lang))
        st.code(watch_link(s, _today()), language=None)
        left, right = st.columns(2)
        left.button(
            t("watch.today", lang),
            key="watch-today",
            icon=":material/update:",
            on_click=session.watch,
            args=(_today(),),
        )
        right.button(t("watch.stop", lang), key="watch-stop", on_click=session.watch, args=("",))
    return {r["id"]: by_id[r["id"]] for r in hits}, shown


def watch_offer(s: ViewState) -> None:
    """Keep this search as a watch link — also an empty one: the supplier not found today may
    be there next month."""
    lang = s.lang
    with st.expander(t("watch", lang), expanded=False, icon=":material/notifications:"):
        st.caption(t("watch.help", lang))
        st.button(
            t("watch.start", lang), key="watch-start", on_click=session.watch, args=(_today(),)
        )


def watch_link(s: ViewState, since: str) -> str:
    """This search's link with `since`, as the browser addresses the app (a relative link when
    the app cannot tell its own address)."""
    view = dataclasses.replace(s, since=since, profile="", page="search", limit=PAGE_SIZE)
    query = urllib.parse.urlencode(to_params(view), doseq=True)
    try:
        base = (st.context.url or "").split("?", 1)[0]
    except Exception:  # no browser session (a script run)
        base = ""
    return f"{base}?{query}"


def _today() -> str:
    return datetime.date.today().isoformat()


def _date_label(when: datetime.datetime, lang: str) -> str:
    local = when.astimezone()
    fmt = "%d.%m.%Y" if lang == "de" else "%Y-%m-%d"
    if (local.hour, local.minute) != (0, 0):
        fmt += " %H:%M"
    return local.strftime(fmt)


def mark_box(where, org_id: str, lang: str, marked: list[str]) -> None:
    key = f"mark-{org_id}"
    st.session_state[key] = org_id in marked
    where.checkbox(
        t("card.mark", lang), key=key, on_change=session.toggle_shortlist, args=(org_id, key)
    )


def empty_state(s: ViewState, res: dict) -> None:
    """Say what was searched and offer the nearest searches that do find something."""
    lang = s.lang
    what = t("empty.query", lang, q=s.q) if s.q else t("empty.all", lang)
    if s.active_filters():
        what += " " + t(
            "empty.filters",
            lang,
            f=", ".join(_filter_label(f, v, lang) for f, v in s.active_filters()),
        )
    st.info(safe.label(t("empty", lang, what=what)))
    alts = alternatives(s)
    nearest = res.get("alternatives") or []
    if not alts and not nearest:
        st.caption(t("empty.none", lang))
        return
    st.markdown(t("empty.alternatives", lang))
    for n, (text, fn, args) in enumerate(alts):
        st.button(
            safe.label(text),
            key=f"alt-{n}",
            type="tertiary",
            icon=":material/arrow_forward:",
            on_click=fn,
            args=args,
        )
    for n, alt in enumerate(nearest):
        nearest_answer(n, alt, lang)


def nearest_answer(n: int, alt: dict, lang: str) -> None:
    """One of the search API's nearest answers (wider region, related capability) with its
    first results, each opening its profile."""
    label = alt.get("label") or ""
    if alt.get("reason") == "relaxed_region":
        title = t("alt.relaxed", lang, n=alt.get("total", 0))
    elif alt.get("reason") == "related_capability":
        concept = tx.load().concepts.get(alt.get("concept") or "")
        shown = concept.label(lang) if concept else label.removeprefix("related: ")
        title = t("alt.related", lang, label=shown, n=alt.get("total", 0))
    else:
        title = t("alt.other", lang, label=label, n=alt.get("total", 0))
    with st.container(border=True):
        st.markdown(f"**{safe.label(title)}**")
        for r in alt.get("results") or []:
            session.profile_link(st, safe.label(r["name"]), f"nearest-{n}-{r['id']}", r["id"])
            st.markdown(render.place_line(r, lang), unsafe_allow_html=True)


def alternatives(s: ViewState) -> list[tuple[str, object, tuple]]:
    """Changes to the purchaser's own filters and words that would find something, as actions."""
    lang = s.lang
    base = s.search_args()
    out = []

    def total(**changes) -> int:
        try:
            return search(**{**base, **changes}, limit=0)["total"]
        except QueryError:
            return 0

    for field, value in s.active_filters():
        rest = [v for v in getattr(s, field) if v != value]
        n = total(**{field: rest or None})
        if n:
            out.append(
                (
                    t("alt.without", lang, f=_filter_label(field, value, lang), n=n),
                    session.set_filter,
                    (field, rest),
                )
            )
    if not s.kind:
        n = total(kind=list(ORG_KINDS))
        if n:
            out.append(
                (t("alt.allkinds", lang, n=n), session.set_filter, ("kind", list(ORG_KINDS)))
            )
    words = s.q.split()
    if len(words) > 1:
        for w in words[:5]:
            n = total(query=w)
            if n:
                out.append((t("alt.word", lang, w=w, n=n), session.set_query, (w,)))
    return out


def _filter_label(field: str, value: str, lang: str) -> str:
    if field in ("capability", "industry", "certification"):
        shown = concept_label(value, lang)
    elif field == "kind":
        shown = kind_label(value, lang)
    else:
        shown = value
    return f"{t('facet.' + field, lang)}: {shown}"


def show_map(results: list[dict], lang: str) -> None:
    lay = mapview.layout(results, label_map(lang))
    if lay is None:
        st.caption(t("map.none", lang))
        return
    # the projection is fixed in pixels (see ui.mapview), so the chart keeps its own width
    st.vega_lite_chart(spec=mapview.spec(lay, lang), width="content")
    if lay.outside:
        st.caption(safe.label(t("map.outside", lang, places=", ".join(lay.outside))))
    st.caption(t("map.caption", lang))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_buttons(d: Directory, s: ViewState, total: int) -> None:
    """Downloads of every result (not just the page shown); the file is made only on click."""
    lang = s.lang
    args = s.search_args()
    labels = label_map(lang)

    def rows():
        return [
            export.row(r, lang, labels) for r in d.search(**args, limit=max(total, 1))["results"]
        ]

    download_pair(
        rows,
        t("export.all.csv", lang, n=total),
        t("export.all.xlsx", lang, n=total),
        "lieferanten" if lang == "de" else "suppliers",
        "export-all",
        lang,
    )


def download_pair(rows, csv_label: str, xlsx_label: str, stem: str, key: str, lang: str) -> None:
    """CSV and Excel download buttons for the rows `rows()` returns, made when clicked."""
    for suffix, label, make, mime in (
        ("csv", csv_label, export.to_csv, "text/csv"),
        ("xlsx", xlsx_label, export.to_xlsx, XLSX),
    ):
        st.download_button(
            label,
            data=lambda make=make: make(rows(), lang),
            file_name=f"{stem}.{suffix}",
            mime=mime,
            on_click="ignore",
            key=f"{key}-{suffix}",
        )
