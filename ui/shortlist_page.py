"""The purchaser's shortlist: marked suppliers side by side, exportable as CSV and Excel."""

from __future__ import annotations

import streamlit as st

from index.search import Directory

from . import export, render, safe, session
from .i18n import t
from .resources import label_map
from .search_page import download_pair
from .state import ViewState


def page(d: Directory, s: ViewState) -> None:
    lang = s.lang
    st.header(t("sl.title", lang), anchor=False)
    ids = list(session.shortlist())
    profiles = [p for p in (d.show(i) for i in ids) if p is not None]
    if not profiles:
        st.info(t("sl.empty", lang))
        return
    labels = label_map(lang)
    rows = [export.row(p, lang, labels) for p in profiles]
    with st.container(horizontal=True):
        download_pair(
            lambda: rows,
            t("export.sl.csv", lang),
            t("export.sl.xlsx", lang),
            "merkliste" if lang == "de" else "shortlist",
            "export-sl",
            lang,
        )
        st.button(t("sl.clear", lang), on_click=session.clear_shortlist, key="sl-clear")
    st.subheader(t("sl.compare", lang), anchor=False)
    # open and remove, one pair per supplier, in the table's column order
    for p in profiles:
        row = st.columns([6, 1], vertical_alignment="center")
        session.profile_link(row[0], f"**{safe.label(p['name'])}**", f"sl-open-{p['id']}", p["id"])
        row[1].button(
            t("sl.remove", lang),
            key=f"sl-drop-{p['id']}",
            on_click=session.drop_from_shortlist,
            args=(p["id"],),
        )
    st.markdown(compare_table(profiles, lang, labels), unsafe_allow_html=True)


#: the table's rows: (label key, how to get a supplier's cell); the same for every supplier so a
#: row reads across — one fact kind, every supplier side by side
ROWS = (
    "place",
    "capability",
    "industry",
    "certification",
    "material",
    "batch",
    "size",
    "contacts",
    "evidence",
)


def compare_table(profiles: list[dict], lang: str, labels: dict[str, str]) -> str:
    """One row per fact kind, one column per supplier: a table, because columns of free-flowing
    boxes do not line up once one supplier has fifteen capabilities and another two."""

    def tr(values):
        return [labels.get(v, v) for v in values]

    def facts(p: dict, facet: str) -> list[str]:
        seen = dict.fromkeys(
            (f.get("label_en") if lang == "en" and f.get("label_en") else f["label"])
            for f in p.get("facts") or []
            if f["facet"] == facet
        )
        return list(seen)

    def cell(p: dict, row: str) -> str:
        if row == "place":
            return render.place_line(p, lang)
        if row == "capability":
            return render.chips(tr(p.get("capabilities") or []), "", limit=40)
        if row == "industry":
            return render.chips(tr((p.get("industries") or []) + (p.get("focus") or [])), "ind")
        if row == "certification":
            return render.chips(tr(p.get("certifications") or []), "cert")
        if row in ("material", "batch"):
            return render.chips(facts(p, row), "")
        if row == "size":
            parts = [
                f"{safe.text(t(key, lang))}: {safe.text(p[field])}"
                for key, field in (
                    ("profile.employees", "employees"),
                    ("profile.founded", "founded"),
                )
                if p.get(field)
            ]
            return "<br>".join(parts)
        if row == "contacts":
            return render.contacts(p.get("contacts") or [], lang)
        if row == "evidence" and p.get("evidence"):
            ev = p["evidence"][0]
            return (
                f'<div class="ss-ev">„{safe.text(ev.get("sentence"))}“</div>'
                f'<div class="ss-src">{render.source(ev, lang)}</div>'
            )
        return ""

    head = "".join(f"<th>{safe.text(p['name'])}</th>" for p in profiles)
    body = []
    for row in ROWS:
        cells = [cell(p, row) for p in profiles]
        tds = "".join(f"<td>{c or '—'}</td>" for c in cells)
        body.append(f"<tr><th>{safe.text(t('sl.row.' + row, lang))}</th>{tds}</tr>")
    return (
        f'<table class="ss-compare"><thead><tr><th></th>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )
