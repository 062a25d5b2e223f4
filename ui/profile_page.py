"""A supplier's profile: every fact grouped, each with the sentences that state it, contacts as
tel:/mailto: links, a map of its sites and all documents that mention it (`Directory.show`)."""

from __future__ import annotations

import streamlit as st

from index.search import Directory

from . import i18n, render, safe, session
from .i18n import t
from .search_page import mark_box, show_map
from .state import ViewState

#: profile sections: (group key, facets in it), in reading order
GROUPS = (
    ("capability", ("capability",)),
    ("industry", ("industry",)),
    ("focus", ("focus",)),
    ("certification", ("certification",)),
    ("material", ("material",)),
    ("batch", ("batch",)),
    (
        "relation",
        ("member_of", "network_size", "subsidiary_of", "successor_of", "taken_over_by", "closed"),
    ),
    ("place", ("site", "place")),
    ("figures", ("employees", "founded")),
)
OPEN = {"capability", "industry", "focus", "certification", "relation"}
LABELLED = {f for g, fs in GROUPS if g in ("relation", "figures") for f in fs}  # "Mitglied in: …"


def grouped(
    facts: list[dict], lang: str
) -> list[tuple[str, list[tuple[str, str | None, list[dict]]]]]:
    """Facts as (group, [(label, as-of date, evidence…)]): one entry per value, its evidence
    de-duplicated and newest first."""
    known = {f for _, fs in GROUPS for f in fs}
    groups = [*GROUPS, ("other", tuple(sorted({f["facet"] for f in facts} - known)))]
    out = []
    for group, facet_names in groups:
        values: dict[tuple[str, str], tuple[str, str | None, list[dict]]] = {}
        for facet in facet_names:
            for f in facts:
                if f["facet"] != facet:
                    continue
                label = f.get("label_en") if lang == "en" and f.get("label_en") else f["label"]
                if facet in LABELLED or group == "other":
                    name = t(f"facet.{facet}", lang)
                    label = f"{name if not name.startswith('facet.') else facet}: {label}"
                entry = values.setdefault((facet, f["value"]), (label, f.get("as_of"), []))
                ev = f["evidence"]
                if not any(
                    e.get("sentence") == ev.get("sentence") and e.get("doc") == ev.get("doc")
                    for e in entry[2]
                ):
                    entry[2].append(ev)
        if values:
            items = [
                (label, as_of, sorted(evs, key=lambda e: e.get("date") or "", reverse=True))
                for label, as_of, evs in values.values()
            ]
            out.append((group, items))
    return out


#: Streamlit keeps the page's scroll position from one view to the next, so a profile opened from
#: a lower card would open mid-page with its name and "Zurück" out of sight. The id in the script
#: makes it a new element, run once, whenever another profile opens (not on every rerun of one).
TO_TOP = """<script data-profile="{id}">
for (const el of document.querySelectorAll(
  '[data-testid="stMain"], [data-testid="stAppViewContainer"], section.main')) el.scrollTop = 0;
window.scrollTo(0, 0);
</script>"""


def page(d: Directory, s: ViewState) -> None:
    lang = s.lang
    st.html(TO_TOP.format(id=safe.text(s.profile)), unsafe_allow_javascript=True)
    st.button(t("back", lang), on_click=session.close_profile, key="back")
    p = d.show(s.profile)
    if p is None:
        st.warning(safe.label(t("profile.notfound", lang, id=s.profile)))
        return
    head = st.columns([5, 1], vertical_alignment="center")
    head[0].header(safe.label(p["name"]), anchor=False)
    mark_box(head[1], p["id"], lang, session.shortlist())
    st.markdown(render.place_line(p, lang), unsafe_allow_html=True)
    others = [n for n in p.get("names", []) if n != p["name"]]
    if others:
        st.caption(safe.label(f"{t('profile.names', lang)}: {', '.join(others)}"))
    left, right = st.columns([3, 2], gap="medium")
    with left:
        st.subheader(t("profile.contacts", lang), anchor=False)
        html = render.contacts(p.get("contacts") or [], lang)
        if html:
            st.markdown(html, unsafe_allow_html=True)
        else:
            st.caption(t("profile.nocontacts", lang))
        st.subheader(t("profile.facts", lang), anchor=False)
        for group, items in grouped(p.get("facts") or [], lang):
            with st.expander(f"{t('group.' + group, lang)} ({len(items)})", expanded=group in OPEN):
                st.markdown(render.fact_group(items, lang), unsafe_allow_html=True)
        for reason in i18n.merge_reasons(p, lang):
            st.caption(safe.label(t("profile.merged", lang, why=reason)))
        for note in p.get("curation_notes") or []:
            st.caption(safe.label(t("profile.curation", lang, note=note)))
    with right:
        st.subheader(t("profile.sites", lang), anchor=False)
        show_map([p], lang)
        st.subheader(t("profile.documents", lang, name=safe.label(p["name"])), anchor=False)
        st.markdown(render.documents(p.get("documents") or [], lang), unsafe_allow_html=True)
        mentions = p.get("mentions") or []
        if mentions:
            with st.expander(f"{t('profile.mentions', lang)} ({len(mentions)})"):
                st.markdown(render.evidence_list(mentions, lang), unsafe_allow_html=True)
