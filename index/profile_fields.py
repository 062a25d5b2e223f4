"""How a supplier profile becomes an index record.

Text is split by how strongly it speaks for the organization: `own` holds the sentences its
facts come from (plus the names of its concepts in German and English), `mentioned` every other
sentence that merely names it, `passage` the text about it that does not name it (the sentences
after a mention, the page that presents it). Ranking weighs them differently, so a firm whose own sentence
says "Drehteile" beats one merely listed in the same article.
"""

from __future__ import annotations

import hashlib
import json

from ingest import gazetteer as gz
from ingest import records as rec
from ingest import taxonomy as tx

from .evidence import units_version

FACT_FACETS = ("capability", "industry", "certification", "material", "batch")


def _fold_key(value: str) -> str:
    from ingest.german import fold

    return fold(value).replace(",", " ").strip()


def region_values(p: rec.Profile) -> list[str]:
    keys = []
    for place in p.places:
        for k in gz.region_keys(place):
            if k not in keys:
                keys.append(k)
    return keys


def profile_fields(p: rec.Profile) -> dict:
    taxonomy = tx.load()
    payload = rec.to_dict(p)
    facet_values: dict[str, list[str]] = {f: [] for f in FACT_FACETS}
    concepts: list[str] = []
    own_sentences: list[str] = []
    labels: list[str] = []
    for f in p.facts:
        # a network's focus answers the industry filter as it did before it was told apart
        facet = "industry" if f.facet == "focus" else f.facet
        if facet in FACT_FACETS and f.value in taxonomy.concepts:
            if f.value not in facet_values[facet]:
                facet_values[facet].append(f.value)
            for cid in [f.value, *taxonomy.ancestors(f.value)]:
                if cid not in concepts:
                    concepts.append(cid)
                    c = taxonomy.concepts[cid]
                    labels.extend([c.label_de, c.label_en])
        if f.evidence.sentence not in own_sentences:
            own_sentences.append(f.evidence.sentence)
    for c in p.contacts:
        if c.evidence and c.evidence.sentence not in own_sentences:
            own_sentences.append(c.evidence.sentence)
    mentioned = [e.sentence for e in p.sentences if e.sentence not in own_sentences]
    near = [e.sentence for e in p.passages + p.page]
    regions = region_values(p)
    dates = [f.evidence.date for f in p.facts if f.evidence.date] + [
        e.date for e in p.sentences if e.date
    ]
    newest = max(dates) if dates else ""
    payload["regions"] = regions
    payload["newest"] = newest
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    return {
        "id": p.id,
        "rtype": "org",
        "name": p.name,
        "names": " ".join(p.names),
        "own": "\n".join(own_sentences + labels),
        "mentioned": "\n".join(mentioned),
        "passage": "\n".join(near),
        "concepts": ",".join(concepts),
        **{f: ",".join(v) for f, v in facet_values.items()},
        "region": ",".join(_fold_key(r) for r in regions),
        "kind": p.kind,
        "closed": p.closed,
        "newest": newest,
        # with the analysis version: changed analysis rewrites the stored units at the next run
        "phash": hashlib.sha1((units_version() + body).encode("utf-8")).hexdigest()[:16],
        "payload": body,
        "facetinfo": {
            **facet_values,
            "region": regions,
            "kind": p.kind,
            "names": p.names,
            "coords": [
                (pl.lat, pl.lon) for pl in p.places if pl.lat is not None and pl.lon is not None
            ],
            "closed": p.closed,
            "newest": newest,
        },
    }
