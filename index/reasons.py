"""Why a result matched, as codes with concept ids and values; each caller renders them.

A result's `reasons` are plain dicts — `{"code": "offers", "concepts": ["cap.turning"]}`,
`{"code": "passage", "words": ["Zugfedern"]}`, `{"code": "filter", "facet": "capability",
"concepts": ["cap.milling"]}` — so the CLI and the HTTP API render them in English (the `why`
strings of the JSON contract) and the app in the interface language, from the same codes, and no
caller translates another's sentences back.

    >>> from ingest import taxonomy as tx
    >>> render({"code": "offers", "concepts": ["cap.turning"]}, ENGLISH, tx.load(), "en")
    'offers Turning / turned parts'
"""

from __future__ import annotations

from ingest import german
from ingest import taxonomy as tx

#: one template per code; {items} is the rendered list of concepts, words or places
ENGLISH = {
    "offers": "offers {items}",
    "certified": "certified {items}",
    "mentions": "evidence mentions {items}",
    "passage": "text about it mentions {items}",
    "name": "name contains {items}",
    "only_mentioned": "only mentioned alongside other organizations",
    "corrected": "spelling corrected: {items}",
    "place_unknown": "place unknown",
    "near_place": "in or around {items}",
    "closed": "reported closed: ranked last",
    "distance": "{km} km away",
    "filter": "filter {facet}: {items}",
}


def render(reason: dict, templates: dict[str, str], taxonomy: tx.Taxonomy, lang: str) -> str:
    """One reason as text: concepts by their label in `lang`, the rest as given."""
    code = reason.get("code", "")
    template = templates.get(code)
    if template is None:
        return code
    items: list[str] = [
        taxonomy.concepts[c].label(lang) if c in taxonomy.concepts else c
        for c in reason.get("concepts") or []
    ]
    items += list(reason.get("words") or []) + list(reason.get("places") or [])
    items += [f"{a} → {b}" for a, b in reason.get("pairs") or []]
    facet = reason.get("facet", "")
    return template.format(
        items=", ".join(dict.fromkeys(items)),
        km=reason.get("km", ""),
        facet=templates.get("facet." + facet, facet),
    )


def english(reasons: list[dict], taxonomy: tx.Taxonomy) -> list[str]:
    """The `why` strings of the JSON contract."""
    return [render(r, ENGLISH, taxonomy, "en") for r in reasons]


def name_words(name: str, terms: set[str] | frozenset[str]) -> list[str]:
    """The words of an organization's name that carry one of a query clause's terms: a name
    reason says what the name does contain ("Drehteile" in "Weber Drehteile GmbH"), never the
    query word that led there ("Präzisionsdrehteile"), which the name may not contain at all.

    >>> name_words("Weber Drehteile GmbH", {"prazisionsdrehteil", "drehteil"})
    ['Drehteile']
    """
    return [w for w in german.words(name) if set(german.word_terms(w)) & set(terms)]


#: why a profile joins several mentions (`merged_because` of `show`), worded in English
MERGED_ENGLISH = {
    "same_name": "same name '{a}'",
    "same_word": "'{a}' = '{b}': same distinctive word '{word}'",
    "same_word_place": "'{a}' = '{b}': same distinctive word '{word}' and place",
    "abbreviation": "'{a}' abbreviates '{b}'",
    "name_inside": "'{a}' is '{b}' with a brand word before it",
    "works_of": "'{a}' is the works of '{b}'",
    "staff_merged": "staff merged '{a}'{note}",
}


def merged(reason: dict, templates: dict[str, str] = MERGED_ENGLISH) -> str:
    """One merge reason as text.

    >>> merged({"code": "abbreviation", "names": ["GMG", "Geraer Metall- und Gerätebau"]})
    "'GMG' abbreviates 'Geraer Metall- und Gerätebau'"
    """
    names = list(reason.get("names") or []) + ["", ""]
    note = reason.get("note") or ""
    template = templates.get(reason.get("code", ""), "{a}")
    return template.format(
        a=names[0], b=names[1], word=reason.get("word", ""), note=f": {note}" if note else ""
    )
