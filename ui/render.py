"""HTML fragments for result cards, profiles and comparisons, built only from escaped text.

Every value that comes from a document passes through `safe.text`/`safe.snippet`; the markup
around it is fixed here. Keeping the fragments as plain functions returning strings lets the
tests check escaping without a browser.
"""

from __future__ import annotations

import html as _html

from ingest import taxonomy as tx

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
.ss-chip.hit {font-weight:600; border-color:#1f3b57}
.ss-chip.more {background:#fff; color:#555}
.ss-ev {margin:0.35rem 0 0.1rem 0; padding-left:0.6rem; border-left:3px solid #c9d6e3}
.ss-ev mark {background:#ffe58a; padding:0 0.1rem}
.ss-src, .ss-why {color:#666; font-size:0.8rem}
.ss-closed {color:#a33; font-weight:600}
.ss-fact {margin:0.2rem 0 0.6rem 0}
.ss-fact ul {margin:0.1rem 0 0 0}
.ss-fact li {font-size:0.88rem}
.ss-contact {margin-bottom:0.4rem}
.ss-compare {width:100%; border-collapse:collapse; table-layout:fixed; font-size:0.88rem}
.ss-compare th, .ss-compare td {border-top:1px solid #e3e7ec; padding:0.45rem 0.5rem;
  vertical-align:top; text-align:left}
.ss-compare thead th {border-top:none; font-size:0.95rem}
.ss-compare th:first-child {width:9rem}
.ss-compare tbody th {color:#555; font-weight:600}
.ss-compare .ss-meta {margin:0}
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


#: chips on a result card: the ones the search matched, then others up to this many, then "+N"
CARD_CHIPS = 6
CHIP_FIELDS = (
    ("capabilities", ""),
    ("industries", "ind"),
    ("focus", "ind"),
    ("certifications", "cert"),
)


def card_chips(result: dict, labels: dict[str, str], limit: int = CARD_CHIPS) -> str:
    """A card's capability, industry and certification chips, those the query or a filter
    matched first (from the result's reason codes) and a "+N" for the rest: fifteen chips in
    taxonomy order hide the one a purchaser asked for. The profile lists them all."""
    concepts = tx.load().concepts
    ids = {c for r in result.get("reasons") or [] for c in r.get("concepts") or []}
    # a result names its facts by their German labels, its reasons by concept ids
    hits = ids | {concepts[c].label_de for c in ids if c in concepts}
    items = list(dict.fromkeys((v, cls) for key, cls in CHIP_FIELDS for v in result.get(key) or []))
    matched = [i for i in items if i[0] in hits]
    rest = [i for i in items if i[0] not in hits]
    shown = matched + rest[: max(0, limit - len(matched))]
    out = "".join(
        f'<span class="ss-chip {cls}{" hit" if v in hits else ""}">{safe.text(labels.get(v, v))}</span>'
        for v, cls in shown
    )
    if len(items) > len(shown):
        out += f'<span class="ss-chip more">+{len(items) - len(shown)}</span>'
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

    html = [watch_line(changes or [], since, lang), place_line(result, lang)]
    chip_html = card_chips(result, labels)
    if chip_html:
        html.append(f"<div>{chip_html}</div>")
    evidence = result.get("evidence") or []
    if evidence:
        ev = evidence[0]
        html.append(f'<div class="ss-ev">„{safe.snippet(ev.get("snippet"))}“</div>')
        html.append(
            f'<div class="ss-src">{safe.text(t("card.source", lang))}: {source(ev, lang)}</div>'
        )
    # a corrected spelling is said once above the results, not again on every card
    said_once = [r for r in result.get("reasons") or [] if r.get("code") != "corrected"]
    reasons = reason_texts({**result, "reasons": said_once}, lang)
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
