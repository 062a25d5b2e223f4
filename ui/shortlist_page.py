"""The purchaser's shortlist: marked suppliers side by side, exportable as CSV and Excel."""

from __future__ import annotations

import streamlit as st

from index.search import Directory

from . import export, render, safe, session
from .i18n import t
from .resources import label_map
from .search_page import download_pair
from .state import ViewState

PER_ROW = 3


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
    for start in range(0, len(profiles), PER_ROW):
        cols = st.columns(PER_ROW)
        for col, p in zip(cols, profiles[start : start + PER_ROW], strict=False):
            with col, st.container(border=True):
                st.button(
                    f"**{safe.label(p['name'])}**",
                    key=f"sl-open-{p['id']}",
                    type="tertiary",
                    on_click=session.open_profile,
                    args=(p["id"],),
                )
                st.markdown(compare_cell(p, lang, labels), unsafe_allow_html=True)
                st.button(
                    t("sl.remove", lang),
                    key=f"sl-drop-{p['id']}",
                    on_click=session.drop_from_shortlist,
                    args=(p["id"],),
                )


def compare_cell(p: dict, lang: str, labels: dict[str, str]) -> str:
    """The same headings in the same order for every supplier, so columns line up for reading."""

    def tr(values):
        return [labels.get(v, v) for v in values]

    parts = [render.place_line(p, lang)]
    for key, cls, values in (
        ("col.capabilities", "", tr(p.get("capabilities") or [])),
        ("col.industries", "ind", tr(p.get("industries") or [])),
        ("col.certifications", "cert", tr(p.get("certifications") or [])),
    ):
        parts.append(
            f"<div><b>{safe.text(t(key, lang))}</b><br>{render.chips(values, cls, limit=30) or '—'}</div>"
        )
    for key, value in (
        ("profile.employees", p.get("employees")),
        ("profile.founded", p.get("founded")),
    ):
        if value:
            parts.append(f"<div><b>{safe.text(t(key, lang))}</b>: {safe.text(value)}</div>")
    contacts = render.contacts(p.get("contacts") or [], lang)
    parts.append(f"<div><b>{safe.text(t('col.contacts', lang))}</b><br>{contacts or '—'}</div>")
    if p.get("evidence"):
        ev = p["evidence"][0]
        parts.append(
            f'<div class="ss-ev">„{safe.text(ev.get("sentence"))}“</div>'
            f'<div class="ss-src">{render.source(ev, lang)}</div>'
        )
    return "".join(parts)
