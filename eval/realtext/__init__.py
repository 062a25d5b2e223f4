"""The real-text development set: pages nobody on the team wrote, their annotations, a scorer.

The pages are third-party text and stay on the machine that collected them
(`.data/realtext/docs/<id>.txt`, or `$SUPPLIER_SEARCH_REALTEXT`); `manifest.tsv` says where each
came from and how to find it again, `annotations/<id>.toml` what a careful reader takes from it.

Extraction is scored per document: every organization and every fact the program states with
evidence from that document is compared with the annotation of that document. Precision counts
*every* stated fact (a fact the annotation lacks is a false positive, and so is every fact of an
organization the annotation does not have); recall counts every annotated fact.

    >>> from eval.realtext import load_manifest
    >>> rows = load_manifest()
    >>> {r.kind for r in rows} <= {"press", "company", "network", "regional", "english"}
    True
"""

from __future__ import annotations

import os
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ingest import german
from ingest import taxonomy as tx
from ingest.orgs import normalize_name

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
MANIFEST = HERE / "manifest.tsv"
ANNOTATIONS = HERE / "annotations"
KINDS = ("press", "company", "network", "regional", "english")
#: the fact kinds the scorer reports, in order
FACT_KINDS = ("capability", "industry", "certification", "material", "place", "contact")
_LIST_KEYS = {
    "capability": "capabilities",
    "industry": "industries",
    "certification": "certifications",
    "material": "materials",
}


def docs_dir() -> Path:
    """Where this machine keeps the texts: `$SUPPLIER_SEARCH_REALTEXT`, else `.data/realtext/docs`."""
    env = os.environ.get("SUPPLIER_SEARCH_REALTEXT")
    return Path(env) if env else ROOT / ".data" / "realtext" / "docs"


@dataclass(frozen=True)
class Row:
    id: str
    url: str
    query: str
    kind: str


def load_manifest(path: Path = MANIFEST) -> list[Row]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 4 or parts[3] not in KINDS:
            raise ValueError(f"{path.name}:{n}: want id, url, query, kind (one of {KINDS})")
        rows.append(Row(*parts))
    return rows


def missing(rows: list[Row] | None = None) -> list[Row]:
    """Manifest rows whose text is not on this machine: collect them again with their query."""
    folder = docs_dir()
    return [r for r in rows or load_manifest() if not (folder / f"{r.id}.txt").is_file()]


# ---------------------------------------------------------------- annotations


@dataclass
class GoldOrg:
    name: str
    kind: str
    aliases: list[str]
    facts: dict[str, set[str]]
    products: list[str] = field(default_factory=list)


def load_annotations(folder: Path = ANNOTATIONS) -> dict[str, list[GoldOrg]]:
    """Document id → its annotated organizations (a typo in a concept id fails loudly)."""
    taxonomy = tx.load()
    out: dict[str, list[GoldOrg]] = {}
    for path in sorted(folder.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        orgs = []
        for o in data.get("org", []):
            facts: dict[str, set[str]] = {k: set() for k in FACT_KINDS}
            for kind, key in _LIST_KEYS.items():
                for cid in o.get(key) or []:
                    if cid not in taxonomy.concepts:
                        raise ValueError(f"{path.name}: {o['name']}: unknown concept '{cid}'")
                    facts[kind].add(cid)
            facts["place"] = {german.fold(p) for p in o.get("places") or []}
            facts["contact"] = {
                _person_key(c["person"] if isinstance(c, dict) else c)
                for c in o.get("contacts") or []
            }
            orgs.append(
                GoldOrg(
                    o["name"],
                    o.get("kind", "company"),
                    list(o.get("aliases") or []),
                    facts,
                    list(o.get("products") or []),
                )
            )
        out[data.get("doc") or path.stem] = orgs
    return out


def _person_key(name: str) -> str:
    """'Dr. Anke Muster-Beispiel' → 'anke muster beispiel': titles and punctuation do not count."""
    words = [w for w in re.findall(r"[^\W\d_]+", name) if w.lower() not in {"dr", "prof", "ing"}]
    return " ".join(german.fold(w) for w in words)


def _name_keys(names: list[str]) -> set[str]:
    return {k for k in (normalize_name(n) for n in names) if k}


_GROUP_WORDS = {"konzern", "gruppe", "group", "werk", "werke", "holding"}


def same_org(pred_names: list[str], gold: GoldOrg) -> bool:
    """A profile stands for an annotated organization when one of its names equals one of the
    annotation's (folded, without legal form), or when the shorter name's words all occur in the
    longer one and include a distinctive word (not a legal form, not one letter)."""
    gold_keys = _name_keys([gold.name, *gold.aliases])
    pred_keys = _name_keys(pred_names)
    if gold_keys & pred_keys:
        return True
    for g in gold_keys:
        gw = set(g.split())
        for p in pred_keys:
            pw = set(p.split())
            short, long_ = (gw, pw) if len(gw) <= len(pw) else (pw, gw)
            if (
                short
                and short <= long_
                and (any(len(w) >= 4 for w in short) or long_ - short <= _GROUP_WORDS)
            ):
                return True
    return False


# ---------------------------------------------------------------- predictions


@dataclass
class PredOrg:
    id: str
    name: str
    names: list[str]
    kind: str
    facts: dict[str, set[str]]


def predictions(directory, doc_paths: dict[str, str]) -> dict[str, list[PredOrg]]:
    """Document id → the organizations the program states something about from that document,
    each with only the facts whose evidence is in it. `doc_paths` maps file path → document id."""
    from index.search import _payload  # the stored profiles, as the CLI's `show` reads them

    c = directory._current()
    out: dict[str, list[PredOrg]] = defaultdict(list)
    for docnum in c.info:
        p = _payload(c, docnum)
        per_doc: dict[str, dict[str, set[str]]] = defaultdict(
            lambda: {k: set() for k in FACT_KINDS}
        )
        paths = {d.get("doc"): d.get("path") for d in p.get("documents") or []}
        for ev in p.get("sentences") or []:
            did = doc_paths.get(paths.get(ev.get("doc"), ""))
            if did:
                per_doc[did]  # noqa: B018 - mentioned there: a profile of that page
        for f in p.get("facts") or []:
            did = doc_paths.get(paths.get((f.get("evidence") or {}).get("doc"), ""))
            if not did:
                continue
            facet = f.get("facet")
            if facet in _LIST_KEYS:
                per_doc[did][facet].add(f["value"])
            elif facet in ("place", "site"):
                per_doc[did]["place"].add(german.fold(f["value"]))
        for ct in p.get("contacts") or []:
            did = doc_paths.get(paths.get((ct.get("evidence") or {}).get("doc"), ""))
            if did and ct.get("person"):
                per_doc[did]["contact"].add(_person_key(ct["person"]))
        for did, facts in per_doc.items():
            out[did].append(
                PredOrg(p["id"], p["name"], list(p.get("names") or [p["name"]]), p["kind"], facts)
            )
    return out


# ---------------------------------------------------------------- scoring


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Report:
    orgs: Tally = field(default_factory=Tally)
    companies: Tally = field(default_factory=Tally)  # annotated companies found
    facts: dict[str, Tally] = field(default_factory=lambda: {k: Tally() for k in FACT_KINDS})
    split: int = 0  # annotated organizations stated as several profiles of one page
    own_town: Tally = field(default_factory=Tally)  # the firm's first annotated place found
    errors: list[str] = field(default_factory=list)


def _concept_ok(value: str, wanted: set[str], taxonomy) -> bool:
    """A concept counts when it is an annotated one, or its direct parent or child: an
    annotator's 'Drehen' and a program's 'Präzisionsdrehteile' are the same statement."""
    if value in wanted:
        return True
    c = taxonomy.concepts.get(value)
    return any(
        (c is not None and c.parent == w) or (taxonomy.concepts[w].parent == value) for w in wanted
    )


def _place_ok(value: str, wanted: set[str]) -> bool:
    return any(value == w or value in w.split() or w in value.split() for w in wanted)


def score(gold: dict[str, list[GoldOrg]], pred: dict[str, list[PredOrg]]) -> Report:
    taxonomy = tx.load()
    r = Report()
    for did, golds in gold.items():
        preds = pred.get(did, [])
        matched: dict[int, list[PredOrg]] = defaultdict(list)
        for p in preds:
            # a name equal to an annotated one wins over one contained in another's longer name
            # ("IG Metall" is the union, not "Aktionsprogramm des Landes … und der IG Metall")
            keys = _name_keys([p.name])
            gi = next(
                (i for i, g in enumerate(golds) if keys & _name_keys([g.name, *g.aliases])),
                None,
            )
            if gi is None:
                gi = next((i for i, g in enumerate(golds) if same_org(p.names, g)), None)
            if gi is None:
                r.orgs.fp += 1
                r.errors.append(f"{did}: [org] not an annotated organization: {p.name!r}")
                for kind in FACT_KINDS:
                    for v in sorted(p.facts[kind]):
                        r.facts[kind].fp += 1
                        r.errors.append(f"{did}: [{kind}] {v} on non-organization {p.name!r}")
                continue
            matched[gi].append(p)
        for gi, g in enumerate(golds):
            ps = matched.get(gi, [])
            if g.kind == "company":
                if ps:
                    r.companies.tp += 1
                else:
                    r.companies.fn += 1
            if not ps:
                r.orgs.fn += 1
                r.errors.append(f"{did}: [org] missed {g.name!r} ({g.kind})")
                for kind in FACT_KINDS:
                    r.facts[kind].fn += len(g.facts[kind])
                continue
            r.orgs.tp += 1
            if len(ps) > 1:
                r.split += 1
                r.errors.append(f"{did}: [split] {g.name!r} as {[p.name for p in ps]}")
            if g.facts["place"]:
                found = set().union(*(p.facts["place"] for p in ps))
                first = next(iter(sorted(g.facts["place"])))
                if _place_ok(first, found) or any(_place_ok(v, g.facts["place"]) for v in found):
                    r.own_town.tp += 1
                else:
                    r.own_town.fn += 1
            for kind in FACT_KINDS:
                stated = set().union(*(p.facts[kind] for p in ps))
                wanted = g.facts[kind]
                for v in sorted(stated):
                    ok = (
                        _concept_ok(v, wanted, taxonomy)
                        if kind in _LIST_KEYS
                        else _place_ok(v, wanted)
                        if kind == "place"
                        else v in wanted
                    )
                    if ok:
                        r.facts[kind].tp += 1
                    else:
                        r.facts[kind].fp += 1
                        r.errors.append(f"{did}: [{kind}] extra {v} on {g.name!r}")
                for v in sorted(wanted):
                    hit = (
                        any(_concept_ok(s, {v}, taxonomy) for s in stated)
                        if kind in _LIST_KEYS
                        else any(_place_ok(s, {v}) for s in stated)
                        if kind == "place"
                        else v in stated
                    )
                    if not hit:
                        r.facts[kind].fn += 1
                        r.errors.append(f"{did}: [{kind}] missed {v} of {g.name!r}")
    return r


def table(r: Report) -> str:
    lines = [f"{'kind':14} {'P':>6} {'R':>6} {'TP':>5} {'FP':>5} {'FN':>5}", "-" * 44]

    def row(label: str, t: Tally) -> None:
        lines.append(f"{label:14} {t.precision:6.3f} {t.recall:6.3f} {t.tp:5d} {t.fp:5d} {t.fn:5d}")

    row("organizations", r.orgs)
    row("companies", r.companies)
    for kind in FACT_KINDS:
        row(kind, r.facts[kind])
    total = Tally(
        sum(t.tp for t in r.facts.values()),
        sum(t.fp for t in r.facts.values()),
        sum(t.fn for t in r.facts.values()),
    )
    row("all facts", total)
    row("own town", r.own_town)
    lines.append(f"split: {r.split} annotated organizations stated as several profiles")
    return "\n".join(lines)


def run(index_dir: Path | None = None) -> Report:
    """Ingest every text of the manifest that this machine has and score it."""
    import tempfile

    from index.build import ingest
    from index.search import Directory

    rows = [r for r in load_manifest() if r not in missing()]
    gold = load_annotations()
    folder = docs_dir()
    with tempfile.TemporaryDirectory(prefix="realtext-") as tmp:
        work = Path(index_dir) if index_dir else Path(tmp)
        files = [folder / f"{r.id}.txt" for r in rows if r.id in gold]
        ingest(files, index_dir=work)
        doc_paths = {str(f.resolve()): f.stem for f in files} | {str(f): f.stem for f in files}
        directory = Directory(work)
        pred = predictions(directory, doc_paths)
        directory.close()
    return score({k: v for k, v in gold.items() if k in {f.stem for f in files}}, pred)
