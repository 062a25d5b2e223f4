"""The judged queries and the organizations they name (data in queries.toml, entities.toml).

Results are matched to judged organizations by name, because profile ids are derived data that
change when extraction changes, while the names the corpus writes do not.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ingest import german

HERE = Path(__file__).parent
TYPES = ("german", "english", "typo", "region", "empty")


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    aliases: tuple[str, ...]
    docs: tuple[str, ...] = ()  # real-text suite: the pages annotated with it


@dataclass(frozen=True)
class Query:
    id: str
    type: str
    text: str
    relevant: dict[str, int] = field(default_factory=dict)  # entity id → grade 1..3
    expect_nothing: bool = False
    tags: tuple[str, ...] = ()
    region: str | None = None
    near: str | None = None
    radius_km: float | None = None

    def search_args(self) -> dict:
        """Keyword arguments for `Directory.search` besides the text."""
        args: dict = {}
        if self.region:
            args["region"] = self.region
        if self.near:
            args["near"] = self.near
        if self.radius_km is not None:
            args["radius_km"] = self.radius_km
        return args


def words_key(text: str) -> tuple[str, ...]:
    """Folded word sequence: 'Telegärtner  Gerätebau\\nGmbH' and 'telegaertner geratebau gmbh'
    compare equal word by word."""
    return tuple(german.fold(w) for w in re.findall(r"[^\W_]+", text))


def _contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> int:
    """Position of `needle` as a contiguous word run in `haystack`, or -1."""
    n = len(needle)
    for i in range(len(haystack) - n + 1):
        if haystack[i : i + n] == needle:
            return i
    return -1


@dataclass
class Judgments:
    entities: dict[str, Entity]
    queries: list[Query]

    @cached_property
    def _alias_keys(self) -> list[tuple[tuple[str, ...], str]]:
        keys = [(words_key(a), e.id) for e in self.entities.values() for a in e.aliases]
        return sorted(keys, key=lambda x: -len(x[0]))

    def entity_of(self, name: str) -> str | None:
        """The judged organization a result name stands for (longest alias wins), or None."""
        key = words_key(name)
        for alias, eid in self._alias_keys:
            if _contains(key, alias) >= 0:
                return eid
        return None

    def entities_in(self, text: str) -> list[str]:
        """Judged organizations a document names, in order of their first mention."""
        key = words_key(text)
        first: dict[str, int] = {}
        for alias, eid in self._alias_keys:
            n = len(alias)
            for i in range(len(key) - n + 1):
                if key[i : i + n] == alias:
                    first[eid] = min(first.get(eid, i), i)
                    break
        return sorted(first, key=lambda e: first[e])


def load(queries: Path | None = None, entities: Path | None = None) -> Judgments:
    """Read and check the judgment files; a typo in an entity id must fail loudly, not score 0."""
    ent_data = tomllib.loads((entities or HERE / "entities.toml").read_text(encoding="utf-8"))
    ents = {
        eid: Entity(
            eid, d["name"], tuple(d.get("aliases") or [d["name"]]), tuple(d.get("docs") or ())
        )
        for eid, d in ent_data["entities"].items()
    }
    q_data = tomllib.loads((queries or HERE / "queries.toml").read_text(encoding="utf-8"))
    out: list[Query] = []
    seen: set[str] = set()
    for d in q_data["query"]:
        qid = d["id"]
        if qid in seen:
            raise ValueError(f"query id '{qid}' is used twice")
        seen.add(qid)
        if d["type"] not in TYPES:
            raise ValueError(f"query '{qid}': unknown type '{d['type']}'")
        relevant = {k: int(v) for k, v in (d.get("relevant") or {}).items()}
        nothing = d.get("expect") == "nothing"
        if nothing == bool(relevant):
            raise ValueError(f"query '{qid}': give either judgments or expect = \"nothing\"")
        for eid, grade in relevant.items():
            if eid not in ents:
                raise ValueError(f"query '{qid}': unknown entity '{eid}'")
            if grade not in (1, 2, 3):
                raise ValueError(f"query '{qid}': grade for '{eid}' must be 1, 2 or 3")
        out.append(
            Query(
                id=qid,
                type=d["type"],
                text=d["text"],
                relevant=relevant,
                expect_nothing=nothing,
                tags=tuple(d.get("tags") or ()),
                region=d.get("region"),
                near=d.get("near"),
                radius_km=d.get("radius_km"),
            )
        )
    return Judgments(ents, out)
