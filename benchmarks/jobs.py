"""Benchmark jobs, each run in a fresh process by `benchmarks.run` so that memory, imports and
caches of one measurement never help another. Each prints one JSON line.

    python -m benchmarks.jobs ingest --index DIR --workers 2 PATH...
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from . import queries as bq
from .measure import percentiles


def corpus_files(corpus: Path) -> list[str]:
    return sorted(str(p) for p in (corpus / "docs").rglob("*") if p.is_file())


def job_ingest(a) -> dict:
    from index.build import ingest

    t0 = time.perf_counter()
    if a.dask_scheduler:
        from index.distributed import DaskCluster

        with DaskCluster(a.dask_scheduler) as cluster:
            report = ingest(
                a.paths,
                index_dir=a.index,
                workers=max(2, cluster.threads),
                executor_factory=cluster.executor_factory,
            )
    else:
        report = ingest(a.paths, index_dir=a.index, workers=a.workers)
    out = report.to_dict()
    for k in ("added", "updated", "unchanged", "removed"):
        out[k] = len(out[k])
    out["skipped"] = len(out["skipped"])
    out["in_process_seconds"] = round(time.perf_counter() - t0, 3)
    return out


def job_plain_ingest(a) -> dict:
    from . import plain

    return plain.build(corpus_files(Path(a.corpus)), Path(a.index), a.workers)


def _manifest(path: str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def job_search(a) -> dict:
    """Warm-searcher latency per query kind: one pass to warm up, one measured pass."""
    from index.search import Directory, QueryError

    qs = bq.build(_manifest(a.manifest), a.per_kind)
    t0 = time.perf_counter()
    d = Directory(a.index)
    first = d.search(qs[0].text, **qs[0].filters)
    open_ms = (time.perf_counter() - t0) * 1000
    for q in qs:
        try:
            d.search(**q.kwargs())
        except QueryError:
            pass
    times: dict[str, list[float]] = {}
    hits: dict[str, list[int]] = {}
    errors = 0
    facets_ok = True
    for q in qs:
        t = time.perf_counter()
        try:
            res = d.search(**q.kwargs())
        except QueryError:
            errors += 1
            continue
        times.setdefault(q.kind, []).append((time.perf_counter() - t) * 1000)
        hits.setdefault(q.kind, []).append(res["total"])
        facets_ok &= set(res["facets"]) >= {"capability", "industry", "region", "certification"}
    out = {
        "first_query_ms": round(open_ms, 1),
        "first_query_total": first["total"],
        "errors": errors,
        "facets_present": facets_ok,
    }
    out["firms_found_by_name"] = _firms_found(d, _manifest(a.manifest))
    for kind, xs in times.items():
        out[kind] = percentiles(xs) | {
            "with_results": round(sum(1 for h in hits[kind] if h) / len(hits[kind]), 3),
            "mean_total": round(sum(hits[kind]) / len(hits[kind]), 1),
        }
    return out


def _firms_found(d, manifest: dict, sample: int = 50) -> float:
    """Share of generated firms that a search for their name returns first: whether the corpus
    is realistic enough for extraction to find the directory it describes."""
    import random

    firms = random.Random(5).sample(manifest["firms"], min(sample, len(manifest["firms"])))
    found = 0
    for f in firms:
        res = d.search(f["name"], limit=1)
        found += bool(res["results"]) and res["results"][0]["name"] == f["name"]
    return round(found / len(firms), 3)


def job_plain_search(a) -> dict:
    from . import plain

    qs = [q for q in bq.build(_manifest(a.manifest), a.per_kind) if q.kind == "plain"]
    t0 = time.perf_counter()
    s, parser = plain.searcher(Path(a.index))
    plain.search(s, parser, qs[0].text)
    open_ms = (time.perf_counter() - t0) * 1000
    for q in qs:
        plain.search(s, parser, q.text)
    xs, hits = [], []
    for q in qs:
        t = time.perf_counter()
        hits.append(plain.search(s, parser, q.text))
        xs.append((time.perf_counter() - t) * 1000)
    return {
        "first_query_ms": round(open_ms, 1),
        "plain": percentiles(xs)
        | {"with_results": round(sum(1 for h in hits if h) / len(hits), 3)},
    }


def job_stages(a) -> dict:
    """CPU cost of parse and extract per document kind, measured one file at a time."""
    from ingest.extract import extract
    from ingest.load import load

    files = corpus_files(Path(a.corpus))
    step = max(1, len(files) // a.sample)
    sample = files[::step][: a.sample]
    extract(load(Path(sample[0])))  # lexicons and gazetteer load once, not per file
    per: dict[str, dict] = {}
    for f in sample:
        kind = Path(f).stem.split("-", 1)[1]
        t0 = time.process_time()
        doc = load(Path(f))
        t1 = time.process_time()
        extract(doc)
        t2 = time.process_time()
        e = per.setdefault(
            kind, {"files": 0, "parse_s": 0.0, "extract_s": 0.0, "bytes": 0, "pages": 0}
        )
        e["files"] += 1
        e["parse_s"] += t1 - t0
        e["extract_s"] += t2 - t1
        e["bytes"] += Path(f).stat().st_size
        if f.endswith(".pdf"):
            e["pages"] += len({b.page for b in doc.blocks if b.page})
    total = {"files": 0, "parse_s": 0.0, "extract_s": 0.0, "bytes": 0, "pages": 0}
    for e in per.values():
        for k in total:
            total[k] += e[k]
    out = {"sample_files": len(sample), "by_kind": {}}
    for kind, e in sorted(per.items()) + [("all", total)]:
        row = {
            "files": e["files"],
            "parse_ms_per_doc": round(e["parse_s"] / e["files"] * 1000, 2),
            "extract_ms_per_doc": round(e["extract_s"] / e["files"] * 1000, 2),
        }
        if e["pages"]:
            pdf = per.get("brochure_pdf", e)
            row["pdf_pages_per_cpu_s"] = round(pdf["pages"] / max(pdf["parse_s"], 1e-9), 1)
        out["by_kind"][kind] = row
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="job", required=True)
    p = sub.add_parser("ingest")
    p.add_argument("paths", nargs="+")
    p.add_argument("--index", required=True)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--dask-scheduler", dest="dask_scheduler")
    p = sub.add_parser("plain_ingest")
    p.add_argument("--corpus", required=True)
    p.add_argument("--index", required=True)
    p.add_argument("--workers", type=int, default=2)
    for name in ("search", "plain_search"):
        p = sub.add_parser(name)
        p.add_argument("--index", required=True)
        p.add_argument("--manifest", required=True)
        p.add_argument("--per-kind", dest="per_kind", type=int, default=60)
    p = sub.add_parser("stages")
    p.add_argument("--corpus", required=True)
    p.add_argument("--sample", type=int, default=300)
    a = ap.parse_args(argv)
    fn = {
        "ingest": job_ingest,
        "plain_ingest": job_plain_ingest,
        "search": job_search,
        "plain_search": job_plain_search,
        "stages": job_stages,
    }[a.job]
    print(json.dumps(fn(a), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
