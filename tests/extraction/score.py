"""Score extraction against the hand-annotated documents in this folder.

Each `NN-*.toml` lists the organizations a careful reader finds in the documents `NN-*`: kind,
place, capabilities, industries, certifications, contacts and relations, plus names that must
*not* become organizations and pairs that must stay apart. Run it to see every miss:

    python tests/extraction/score.py
"""

from __future__ import annotations

import sys
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from index.build import ingest  # noqa: E402
from index.search import Directory  # noqa: E402
from ingest.german import fold  # noqa: E402

LIST_FACETS = {
    "capabilities": "capability",
    "industries": "industry",
    "certifications": "certification",
    "materials": "material",
}


@dataclass
class Score:
    checks: int = 0
    passed: int = 0
    misses: list[str] = field(default_factory=list)
    by_kind: dict[str, list[int]] = field(default_factory=dict)

    def check(self, ok: bool, kind: str, message: str) -> None:
        self.checks += 1
        self.passed += int(ok)
        tally = self.by_kind.setdefault(kind, [0, 0])
        tally[0] += int(ok)
        tally[1] += 1
        if not ok:
            self.misses.append(f"[{kind}] {message}")

    @property
    def rate(self) -> float:
        return self.passed / self.checks if self.checks else 0.0


def gold() -> list[tuple[str, dict]]:
    return [
        (p.stem, tomllib.loads(p.read_text(encoding="utf-8"))) for p in sorted(HERE.glob("*.toml"))
    ]


def build(index_dir: Path) -> Directory:
    docs = [p for p in HERE.iterdir() if p.suffix in (".txt", ".html", ".pdf")]
    ingest(docs, index_dir=index_dir)
    return Directory(index_dir)


def _find(profiles: list[dict], name: str) -> dict | None:
    key = fold(name)
    for p in profiles:
        if key in {fold(n) for n in [p["name"], *p.get("names", [])]}:
            return p
    return None


def score(directory: Directory) -> Score:
    listing = directory.list()["results"]
    profiles = [directory.show(r["id"]) for r in listing]
    sc = Score()
    for stem, g in gold():
        for o in g.get("org", []):
            p = _find(profiles, o["name"])
            sc.check(p is not None, "organization found", f"{stem}: '{o['name']}' not found")
            if p is None:
                continue
            facts = {(f["facet"], f["value"]) for f in p["facts"]}
            values = {f["facet"]: [] for f in p["facts"]}
            for f in p["facts"]:
                values[f["facet"]].append(f["value"])
            if "kind" in o:
                sc.check(
                    p["kind"] == o["kind"],
                    "kind",
                    f"{stem}: {o['name']} is {p['kind']}, expected {o['kind']}",
                )
            if "place" in o:
                places = {fold(pl["name"].split(" (")[0]) for pl in p["places"]}
                sc.check(
                    fold(o["place"]) in places,
                    "place",
                    f"{stem}: {o['name']} places {sorted(places)}, expected {o['place']}",
                )
            for key, facet in LIST_FACETS.items():
                for cid in o.get(key, []):
                    sc.check((facet, cid) in facts, facet, f"{stem}: {o['name']} lacks {cid}")
            for cid in o.get("not_capabilities", []):
                sc.check(
                    ("capability", cid) not in facts,
                    "wrong fact absent",
                    f"{stem}: {o['name']} wrongly has {cid}",
                )
            for person in o.get("contacts", []):
                people = [c["person"] for c in p["contacts"]]
                sc.check(
                    any(person in x for x in people),
                    "contact",
                    f"{stem}: {o['name']} contacts {people}, expected {person}",
                )
            if "phone" in o:
                phones = [c["phone"] for c in p["contacts"]]
                sc.check(
                    any(x.startswith(o["phone"]) for x in phones),
                    "contact",
                    f"{stem}: {o['name']} phones {phones}",
                )
            if "email" in o:
                mails = [c["email"] for c in p["contacts"]]
                sc.check(o["email"] in mails, "contact", f"{stem}: {o['name']} e-mails {mails}")
            for facet in ("employees", "founded", "network_size"):
                if facet in o:
                    sc.check(
                        o[facet] in values.get(facet, []),
                        facet,
                        f"{stem}: {o['name']} {facet} {values.get(facet)}, expected {o[facet]}",
                    )
            for facet in ("member_of", "successor_of", "taken_over_by"):
                if facet in o:
                    sc.check(
                        any(
                            fold(o[facet]) in fold(v) or fold(v) in fold(o[facet])
                            for v in values.get(facet, [])
                        ),
                        "relation",
                        f"{stem}: {o['name']} {facet} {values.get(facet)}, expected {o[facet]}",
                    )
            if "closed" in o:
                sc.check(
                    bool(p["closed"]) == o["closed"],
                    "closed",
                    f"{stem}: {o['name']} closed={p['closed']}",
                )
        for entry in g.get("not_org", []):
            for name in entry["names"]:
                sc.check(
                    _find(profiles, name) is None,
                    "no false organization",
                    f"{stem}: '{name}' became an organization",
                )
        for entry in g.get("distinct", []):
            a, b = (_find(profiles, n) for n in entry["names"])
            sc.check(
                a is not None and b is not None and a["id"] != b["id"],
                "kept apart",
                f"{stem}: {entry['names']} merged or missing",
            )
        for entry in g.get("same", []):
            found = [_find(profiles, n) for n in entry["names"]]
            sc.check(
                all(found) and len({f["id"] for f in found}) == 1,
                "merged",
                f"{stem}: {entry['names']} not one profile",
            )
    return sc


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        sc = score(build(Path(tmp)))
    for kind, (ok, n) in sorted(sc.by_kind.items()):
        print(f"{kind:24} {ok:3}/{n:<3} {ok / n:6.1%}")
    print(f"{'all checks':24} {sc.passed:3}/{sc.checks:<3} {sc.rate:6.1%}")
    for m in sc.misses:
        print("  miss", m)
    return 0


if __name__ == "__main__":
    sys.exit(main())
