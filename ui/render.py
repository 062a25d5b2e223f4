"""HTML fragments for result cards, profiles and comparisons, built only from escaped text.

Every value that comes from a document passes through `safe.text`/`safe.snippet`; the markup
around it is fixed here. Keeping the fragments as plain functions returning strings lets the
tests check escaping without a browser.
"""

from __future__ import annotations

import html as _html

from . import safe
from .i18n import changes as change_texts
from .i18n import doc_kind_label, kind_label, t
from .i18n import reasons as reason_texts

CSS = """
<style>
.ss-meta {color:#555; font-size:0.9rem; margin:-0.4rem 0 0.3rem 0}
.ss-chip {display:inline-block; padding:0 0.45rem; margin:0 0.25rem 0.25rem 0; border-radius:0.7rem;
  font-size:0.78rem; line-height:1.35rem; background:#eef3f8; color:#1f3b57; border:1px solid #d5e1ec}
.ss-chip.ind {background:#f3efe6; color:#5a4212; border-color:#e6dcc6}
.ss-chip.cert {background:#e9f5ec; color:#1d5a2c; border-color:#cbe6d2}
.ss-ev {margin:0.35rem 0 0.1rem 0; padding-left:0.6rem; border-left:3px solid #c9d6e3}
.ss-ev mark {background:#ffe58a; padding:0 0.1rem}
.ss-src, .ss-why {color:#666; font-size:0.8rem}
.ss-closed {color:#a33; font-weight:600}
.ss-fact {margin:0.2rem 0 0.6rem 0}
.ss-fact ul {margin:0.1rem 0 0 0}
.ss-fact li {font-size:0.88rem}
.ss-contact {margin-bottom:0.4rem}
.ss-watch {display:inline-block; margin:0 0 0.3rem 0; padding:0 0.45rem; border-radius:0.3rem;
  font-size:0.82rem; background:#fff4d6; color:#6b4a00; border:1px solid #f0d58a}
</style>
"""


def chips(values: list[str], cls: str = "", limit: int = 12) -> str:
    shown = values[:limit]
    more = len(values) - len(shown)
    out = "".join(f'<span class="ss-chip {cls}">{safe.text(v)}</span>' for v in shown)
    if more > 0:
        out += f'<span class="ss-chip {cls}">+{more}</span>'
    return out


def source(ev: dict, lang: str) -> str:
    parts = [
        safe.text(ev.get("title") or ""),
        safe.text(doc_kind_label(ev.get("kind"), lang)),
        safe.text(ev.get("date") or t("nodate", lang)),
    ]
    if ev.get("page"):
        parts.append(f"S. {int(ev['page'])}" if lang == "de" else f"p. {int(ev['page'])}")
    return " · ".join(p for p in parts if p)


def place_line(result: dict, lang: str) -> str:
    places = result.get("places") or []
    if not places:
        where = safe.text(t("card.noplace", lang))
    else:
        p = places[0]
        area = ", ".join(x for x in (p.get("district"), p.get("state")) if x)
        regions = ", ".join((p.get("regions") or [])[:2])
        where = safe.text(p["name"])
        if area:
            where += f" ({safe.text(area)})"
        if regions:
            where += f" · {safe.text(regions)}"
        if len(places) > 1:
            where += f" · +{len(places) - 1}"
    out = f"{safe.text(kind_label(result.get('kind', ''), lang))} · {where}"
    if result.get("distance_km") is not None:
        out += f" · {float(result['distance_km']):.0f} km"
    if result.get("closed"):
        out += f' · <span class="ss-closed">{safe.text(t("card.closed", lang))}</span>'
    return f'<div class="ss-meta">{out}</div>'


def watch_line(orgs: list[dict], since: str, lang: str) -> str:
    """A watch link's mark on a card: "Neu seit 01.12.2026", or "Geändert seit 01.12.2026: …"
    with what changed (`orgs`: this supplier's entries of `Directory.changes`, oldest first)."""
    if not orgs:
        return ""
    if any(c.get("code") == "added" for o in orgs for c in o.get("changes") or []):
        text = t("card.new", lang, date=since)
    else:
        what = list(dict.fromkeys(x for o in orgs for x in change_texts(o, lang)))
        text = t("card.changed", lang, date=since, what="; ".join(what))
    return f'<div class="ss-watch">{safe.text(text)}</div>'


def card_body(
    result: dict,
    lang: str,
    labels: dict[str, str],
    changes: list[dict] | None = None,
    since: str = "",
) -> str:
    """Everything on a result card below the name: what changed since a watch link's date (if
    it did), place, chips, best evidence, source, why."""

    def tr(values):
        return [labels.get(v, v) for v in values]

    html = [watch_line(changes or [], since, lang), place_line(result, lang)]
    chip_html = (
        chips(tr(result.get("capabilities") or []))
        + chips(tr(result.get("industries") or []), "ind")
        + chips(tr(result.get("focus") or []), "ind")
        + chips(tr(result.get("certifications") or []), "cert")
    )
    if chip_html:
        html.append(f"<div>{chip_html}</div>")
    evidence = result.get("evidence") or []
    if evidence:
        ev = evidence[0]
        html.append(f'<div class="ss-ev">„{safe.snippet(ev.get("snippet"))}“</div>')
        html.append(
            f'<div class="ss-src">{safe.text(t("card.source", lang))}: {source(ev, lang)}</div>'
        )
    reasons = reason_texts(result, lang)
    if reasons:
        html.append(
            f'<div class="ss-why">{safe.text(t("card.why", lang, why="; ".join(reasons)))}</div>'
        )
    return "".join(html)


def contacts(items: list[dict], lang: str) -> str:
    out = []
    for c in items:
        lines = []
        who = " – ".join(safe.text(x) for x in (c.get("person"), c.get("role")) if x)
        if who:
            lines.append(f"<b>{who}</b>")
        for key, scheme, label in (
            ("phone", "tel", t("col.phone", lang)),
            ("fax", "", "Fax"),
            ("email", "mailto", t("col.email", lang)),
        ):
            value = c.get(key)
            if not value:
                continue
            target = safe.href(scheme, value) if scheme else ""
            shown = safe.text(value)
            lines.append(
                f'{label}: <a href="{_html.escape(target)}">{shown}</a>'
                if target
                else f"{label}: {shown}"
            )
        if c.get("url"):
            lines.append(safe.text(c["url"]))
        if lines:
            out.append(f'<div class="ss-contact">{"<br>".join(lines)}</div>')
    return "".join(out)


def fact_group(values: list[tuple[str, str | None, list[dict]]], lang: str) -> str:
    """One group of a profile: each value with its date and every sentence stating it."""
    out = []
    for label, as_of, evidence in values:
        items = "".join(
            f'<li>„{safe.text(ev.get("sentence"))}“ <span class="ss-src">— {source(ev, lang)}</span></li>'
            for ev in evidence
        )
        date = f' <span class="ss-src">({safe.text(as_of)})</span>' if as_of else ""
        out.append(f'<div class="ss-fact"><b>{safe.text(label)}</b>{date}<ul>{items}</ul></div>')
    return "".join(out)


def documents(docs: list[dict], lang: str) -> str:
    items = []
    for d in sorted(docs, key=lambda d: d.get("date") or "", reverse=True):
        name = (d.get("path") or "").rsplit("/", 1)[-1]
        items.append(
            f"<li>{source(d, lang)}"
            + (f' <span class="ss-src">({safe.text(name)})</span>' if name else "")
            + "</li>"
        )
    return f"<ul>{''.join(items)}</ul>"


def evidence_list(evs: list[dict], lang: str) -> str:
    return (
        "<ul>"
        + "".join(
            f'<li>„{safe.text(e.get("sentence"))}“ <span class="ss-src">— {source(e, lang)}</span></li>'
            for e in evs
        )
        + "</ul>"
    )
