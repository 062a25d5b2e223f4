"""Every ranking weight of the search, in one place, with what it stands for.

Levels of evidence, as a purchaser reads them: a fact the organization's own sentence states >
the text about it (the sentences after its mention, the page presenting it) > a sentence that
merely names it. A query's own word counts more than another term of its concept. Change a
weight here and measure with `python -m eval` (team-written and real-text suites).
"""

from __future__ import annotations

# --- evidence units: how much one piece of evidence counts for one clause (index.evidence)
W_NAME = 1.2  # the organization's name says it ("Weber Drehteile" for "Drehteile")
W_OWN = 1.0  # a sentence the organization's facts come from
W_MENTION = 0.5  # a sentence that only names the organization
W_PASSAGE = 0.4  # a sentence after its mention, before another organization is named
W_PAGE = 0.36  # any other sentence of the page that presents the organization
W_BY_KIND = {"own": W_OWN, "mention": W_MENTION, "passage": W_PASSAGE, "page": W_PAGE}
W_NO_FACT = 0.8  # a concept's words in a sentence the extraction did not file as a fact
W_DESCENDANT = 0.9  # a fact for a narrower concept (query "Zerspanung", fact "Drehen")
W_FACT_OTHER_WORDS = 0.7  # a filed fact whose sentence does not use the purchaser's word
W_SYNONYM_NO_FACT = 0.5  # another term of the concept, in a sentence without its fact
W_MORE = 0.1  # each further piece of evidence for the same clause (up to three)

# --- query terms: how much a term combination counts when a sentence contains it (index.query)
W_HEAD = 0.85  # the query compound's head ("Präzisionsdrehteile" → "Drehteile")
W_SYNONYM = 0.7  # another term of the same concept ("CNC-Drehen" for "Drehteile")
W_MODIFIER = 0.15  # a compound's modifier alone ranks, but never makes a match
QUALIFY = 0.2  # the strength one clause needs for an organization to count as a match
# What a firm makes matters more than the material, batch size or certificate asked with it.
FACET_WEIGHT = {
    "capability": 1.0,
    "industry": 1.0,
    "certification": 0.8,
    "material": 0.6,
    "batch": 0.5,
}

# --- whole results (index.search)
W_NAME_PHRASE = 1.5  # every word typed is in the organization's name ("Optik Rathenow")
CLOSED_FACTOR = 0.3  # a firm reported closed sinks below open ones of similar relevance
W_PLACE_EXACT = 1.3  # placed in the very town asked for
W_PLACE_REGION = 1.1  # placed in a region the town asked for lies in
W_PLACE_IN_TEXT = 0.8  # its sentences name the place asked for, no place fact does
W_PLACE_UNKNOWN = 0.5  # nothing places it anywhere: after the firms placed there
W_PLACE_NOT_NEAR = 0.1  # --near without a known place: after every firm with a distance
NEAR_KM_HALF = 50.0  # --near with a query: the score halves at this distance
# A query that names only an industry served ("Medizintechnik", "supplier for aerospace") asks
# who in a region works for that industry; a network of the region stands for many such firms
# at once, so at equal evidence it ranks with the best single firm rather than after it.
W_NETWORK_INDUSTRY = 1.06
# A query that asks for makers ("Feinmechanik Zulieferer Medizintechnik", "gear pumps
# manufacturer") wants firms: networks, institutions and public bodies whose texts use the same
# words rank after firms of similar relevance.
W_SELLER_OTHER_KIND = 0.5
RECENCY_MAX = 0.04  # newer evidence wins at equal relevance, by at most this much
