"""Query sets for the search benchmark, drawn deterministically from a corpus manifest.

Purchaser-style queries about the generated firms: a capability term, a capability with a
town, a firm's name; the same with a region or capability filter; broad industry words and
region browsing whose facet counts cover thousands of matches; capability within a radius.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Query:
    kind: str  # plain | filtered | faceted | radius
    text: str
    filters: dict = field(default_factory=dict)

    def kwargs(self) -> dict:
        return {"query": self.text, **self.filters}


def build(manifest: dict, per_kind: int = 60, seed: int = 11) -> list[Query]:
    rng = random.Random(f"queries-{seed}-{manifest['docs']}")
    firms = manifest["firms"]
    out: list[Query] = []
    for i in range(per_kind):
        f = rng.choice(firms)
        term = rng.choice(f["cap_terms"])
        name_words = f["name"].split(" ")[:2]
        form = i % 3
        text = (
            term
            if form == 0
            else f"{term} {f['place']}"
            if form == 1
            else " ".join(w for w in name_words if w != "&")
        )
        out.append(Query("plain", text))
    for i in range(per_kind):
        f = rng.choice(firms)
        if i % 2:
            out.append(Query("filtered", rng.choice(f["cap_terms"]), {"region": [f["state"]]}))
        else:
            out.append(
                Query(
                    "filtered",
                    rng.choice(["Präzision", "Fertigung", "Metall", "Technik"]),
                    {"capability": [rng.choice(f["capabilities"])]},
                )
            )
    broad = ["Maschinenbau", "Medizintechnik", "Automobilindustrie", "Elektronik", "Fertigung"]
    for i in range(per_kind):
        f = rng.choice(firms)
        if i % 2:
            out.append(Query("faceted", "", {"region": [f["state"]]}))
        else:
            out.append(Query("faceted", rng.choice(broad)))
    for _ in range(per_kind):
        f = rng.choice(firms)
        out.append(
            Query(
                "radius",
                rng.choice(f["cap_terms"]),
                {"near": f["place"], "radius_km": float(rng.choice([25, 50, 100]))},
            )
        )
    return out
