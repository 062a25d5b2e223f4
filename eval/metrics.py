"""Graded ranking metrics at a cut-off of ten: what fits on a purchaser's first page."""

from __future__ import annotations

import math

K = 10


def dedupe(ranked: list[str | None]) -> list[str | None]:
    """A second profile of the same organization adds nothing for the reader: count it as a
    non-relevant slot rather than a second hit."""
    seen: set[str] = set()
    out: list[str | None] = []
    for e in ranked:
        if e is not None and e in seen:
            out.append(None)
        else:
            out.append(e)
            if e is not None:
                seen.add(e)
    return out


def ndcg(ranked: list[str | None], grades: dict[str, int], k: int = K) -> float:
    """Normalised discounted cumulative gain with exponential gain 2^grade − 1."""

    def gain(g: int) -> float:
        return (2**g - 1) / 1.0

    dcg = sum(
        gain(grades.get(e, 0)) / math.log2(i + 2)
        for i, e in enumerate(dedupe(ranked)[:k])
        if e is not None
    )
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum(gain(g) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall(ranked: list[str | None], grades: dict[str, int], k: int = K) -> float:
    relevant = {e for e, g in grades.items() if g > 0}
    if not relevant:
        return 0.0
    found = {e for e in ranked[:k] if e in relevant}
    return len(found) / len(relevant)


def reciprocal_rank(ranked: list[str | None], grades: dict[str, int], k: int = K) -> float:
    for i, e in enumerate(ranked[:k]):
        if e is not None and grades.get(e, 0) > 0:
            return 1.0 / (i + 1)
    return 0.0
