"""Run the judged queries against the product and the baseline and summarise per query type.

A query whose right answer is "nothing" scores 1 on every metric when the product returns an
empty result set (alternatives may stand beside it, labelled), and 0 when anything is passed off
as a result; the baseline scores 1 only when Whoosh finds no document at all.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from index.build import ingest
from index.search import Directory, QueryError

from . import metrics
from .baseline import GROUPINGS, PlainWhoosh
from .judgments import TYPES, Judgments, Query
from .judgments import load as load_judgments

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


@dataclass(frozen=True)
class Suite:
    """Documents and the queries judged on them; each suite gets indexes of its own, so that
    judgments written for one set of documents are never scored against another's firms."""

    name: str
    corpus: tuple[Path, ...]
    queries: Path
    entities: Path

    def judgments(self) -> Judgments:
        return load_judgments(self.queries, self.entities)


SUITES = {
    s.name: s
    for s in (
        Suite("corpus", (ROOT / "corpus",), HERE / "queries.toml", HERE / "entities.toml"),
        Suite(
            "annotated",  # the extraction issue's hand-annotated documents
            (ROOT / "tests" / "extraction",),
            HERE / "annotated_queries.toml",
            HERE / "annotated_entities.toml",
        ),
    )
}


REALTEXT = Suite(
    "realtext",
    (ROOT / ".data" / "realtext" / "docs",),
    HERE / "realtext" / "queries.toml",
    HERE / "realtext" / "entities.toml",
)


@dataclass
class Scored:
    query: Query
    system: str
    ndcg: float
    recall: float
    rr: float
    ranked: list[str | None] = field(default_factory=list)
    total: int = 0


@dataclass
class Row:
    system: str
    type: str
    n: int
    ndcg: float
    recall: float
    mrr: float


def score(q: Query, system: str, ranked: list[str | None], total: int) -> Scored:
    if q.expect_nothing:
        ok = 1.0 if total == 0 else 0.0
        return Scored(q, system, ok, ok, ok, ranked, total)
    return Scored(
        q,
        system,
        metrics.ndcg(ranked, q.relevant),
        metrics.recall(ranked, q.relevant),
        metrics.reciprocal_rank(ranked, q.relevant),
        ranked,
        total,
    )


def run_search(directory: Directory, judgments: Judgments) -> list[Scored]:
    out = []
    for q in judgments.queries:
        try:
            res = directory.search(q.text, limit=metrics.K, **q.search_args())
        except QueryError:  # refused outright: nothing shown to the purchaser
            res = {"results": [], "total": 0}
        ranked = [judgments.entity_of(r["name"]) for r in res["results"]]
        out.append(score(q, "search", ranked, res["total"]))
    return out


def run_baseline(
    base: PlainWhoosh, judgments: Judgments, grouping: str, prefix: str = "baseline-"
) -> list[Scored]:
    out = []
    for q in judgments.queries:
        extra = " ".join(v for v in (q.region, q.near) if v)
        ranked: list[str | None] = list(base.search(f"{q.text} {extra}".strip(), grouping))
        out.append(score(q, f"{prefix}{grouping}", ranked[: metrics.K], len(ranked)))
    return out


def summarise(scored: list[Scored]) -> list[Row]:
    rows = []
    systems = list(dict.fromkeys(s.system for s in scored))
    for system in systems:
        mine = [s for s in scored if s.system == system]
        for t in (*TYPES, "all"):
            part = [s for s in mine if t == "all" or s.query.type == t]
            if not part:
                continue
            n = len(part)
            rows.append(
                Row(
                    system,
                    t,
                    n,
                    sum(s.ndcg for s in part) / n,
                    sum(s.recall for s in part) / n,
                    sum(s.rr for s in part) / n,
                )
            )
    return rows


@dataclass
class Evaluation:
    scored: list[Scored]
    rows: list[Row]

    def __add__(self, other: Evaluation) -> Evaluation:
        scored = self.scored + other.scored
        return Evaluation(scored, summarise(scored))

    def row(self, system: str, type_: str = "all") -> Row:
        return next(r for r in self.rows if r.system == system and r.type == type_)

    def best_baseline(self) -> str:
        """The stronger baseline grouping by overall nDCG@10."""
        bases = [r for r in self.rows if r.type == "all" and r.system.startswith("baseline")]
        return max(bases, key=lambda r: r.ndcg).system


def evaluate(
    suite: Suite | None = None,
    index_dir: Path | None = None,
    directory: Directory | None = None,
) -> Evaluation:
    """Build both indexes over the suite's documents (in a temporary folder unless given; an
    existing product index may be passed as `directory`) and score its judged queries."""
    suite = suite or SUITES["corpus"]
    judgments = suite.judgments()
    corpus = list(suite.corpus)
    with tempfile.TemporaryDirectory(prefix="eval-") as tmp:
        work = Path(index_dir) if index_dir else Path(tmp)
        if directory is None:
            ingest(corpus, index_dir=work / "search")
            directory = Directory(work / "search")
        base = PlainWhoosh(corpus, work / "baseline", judgments)
        scored = run_search(directory, judgments)
        for g in GROUPINGS:
            scored += run_baseline(base, judgments, g)
    return Evaluation(scored, summarise(scored))


def evaluate_realtext(index_dir: Path | None = None) -> Evaluation:
    """The real-text suite (eval/realtext/): real pages outside Saxony and Brandenburg, queries
    judged before they were run. Two baselines run beside the product, as the search issue asks:
    plain Whoosh with a German analyzer (Snowball, umlaut folding, stop words) over the pages,
    its pages mapped (a) to the firms annotated for each page (`baseline-de-*`), (b) to the
    firms the product extracted from each page (`extracted-de-or`)."""
    from . import realtext
    from .baseline import german_plain_analyzer

    suite = REALTEXT
    judgments = suite.judgments()
    folder = realtext.docs_dir()
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise FileNotFoundError(f"no real texts in {folder}: python -m eval.realtext missing")
    on_page: dict[str, list[str]] = {}
    for eid, ent in judgments.entities.items():
        for doc in ent.docs:
            on_page.setdefault(doc, []).append(eid)

    def annotated(path: Path, text: str) -> list[str]:
        named = [e for e in judgments.entities_in(text) if e in on_page.get(path.stem, [])]
        return named + [e for e in on_page.get(path.stem, []) if e not in named]

    with tempfile.TemporaryDirectory(prefix="eval-realtext-") as tmp:
        work = Path(index_dir) if index_dir else Path(tmp)
        ingest(files, index_dir=work / "search")
        directory = Directory(work / "search")
        extracted_names: dict[str, list[str]] = {}
        for doc, orgs in realtext.predictions(
            directory, {str(f): f.stem for f in files} | {str(f.resolve()): f.stem for f in files}
        ).items():
            extracted_names[doc] = [n for o in orgs for n in [o.name]]

        def extracted(path: Path, text: str) -> list[str]:
            ids = [judgments.entity_of(n) for n in extracted_names.get(path.stem, [])]
            ids = list(dict.fromkeys(i for i in ids if i))
            first = {e: i for i, e in enumerate(judgments.entities_in(text))}
            return sorted(ids, key=lambda e: first.get(e, len(first)))

        base_a = PlainWhoosh(files, work / "base-a", judgments, german_plain_analyzer(), annotated)
        base_b = PlainWhoosh(files, work / "base-b", judgments, german_plain_analyzer(), extracted)
        scored = run_search(directory, judgments)
        for g in GROUPINGS:
            scored += run_baseline(base_a, judgments, g, "baseline-de-")
        scored += run_baseline(base_b, judgments, "or", "extracted-de-")
        directory.close()
    return Evaluation(scored, summarise(scored))


def table(ev: Evaluation, against: str | None = None) -> str:
    """The per-type table: product against the stronger baseline (or `against`), and the
    difference."""
    best = against or ev.best_baseline()
    lines = [
        f"{'type':8} {'n':>3} | {'nDCG@10':>7} {'R@10':>5} {'MRR':>5} | "
        f"{best + ' nDCG':>18} {'R@10':>5} {'MRR':>5} | {'ΔnDCG':>6}",
        "-" * 86,
    ]
    for t in (*TYPES, "all"):
        try:
            a, b = ev.row("search", t), ev.row(best, t)
        except StopIteration:
            continue
        lines.append(
            f"{t:8} {a.n:>3} | {a.ndcg:7.3f} {a.recall:5.3f} {a.mrr:5.3f} | "
            f"{b.ndcg:18.3f} {b.recall:5.3f} {b.mrr:5.3f} | {a.ndcg - b.ndcg:+6.3f}"
        )
    others = [r for r in ev.rows if r.type == "all" and r.system not in ("search", best)]
    for r in others:
        lines.append(f"({r.system}: nDCG@10 {r.ndcg:.3f}, R@10 {r.recall:.3f}, MRR {r.mrr:.3f})")
    return "\n".join(lines)


def per_query(ev: Evaluation, system: str = "search") -> str:
    lines = []
    for s in ev.scored:
        if s.system != system:
            continue
        got = ", ".join(
            f"{e or '-'}:{s.query.relevant.get(e, 0)}" if e else "-" for e in s.ranked[:6]
        )
        want = (
            "nothing"
            if s.query.expect_nothing
            else ", ".join(
                f"{e}:{g}" for e, g in sorted(s.query.relevant.items(), key=lambda x: -x[1])
            )
        )
        lines.append(
            f"{s.ndcg:5.2f} {s.query.type:7} {s.query.text[:38]:38} total={s.total:<3} got [{got}]"
            f"  want [{want}]"
        )
    return "\n".join(lines)
