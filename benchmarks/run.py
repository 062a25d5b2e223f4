"""Run the benchmark suite with one command and write results for BENCHMARKS.md.

    python -m benchmarks.run --sizes 1000,10000,100000 [--workers 2] [--out benchmarks/out]

For each size: generate the corpus (deterministic, reused when present), ingest it cold in a
fresh process (documents/s, MB/s, stage times, peak memory of the process tree, index size),
re-ingest with nothing changed and with one file changed, index the same texts with plain
Whoosh, measure warm search latency per query kind for both, and the CLI end to end in cold
processes. Every phase runs in its own process; results are saved after each phase to
`OUT/results-N.json`, and `OUT/report.md` tabulates all sizes with their growth.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from . import queries as bq
from .generate import generate
from .measure import dir_bytes, machine, percentiles, run_job

ROOT = Path(__file__).resolve().parents[1]
PHASES = ("ingest", "stages", "reingest", "plain", "plain_single", "search", "cli")


def _save(path: Path, results: dict) -> None:
    path.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")


def _cli() -> list[str]:
    """The CLI of this checkout (run with cwd=ROOT, so a frozen copy measures its own code)."""
    return [sys.executable, "-m", "supplier_search.cli"]


def _touch_one(corpus: Path) -> tuple[Path, bytes]:
    """Change one member page the way staff would: a new sentence on the page."""
    page = sorted((corpus / "docs").rglob("*-member_page.html"))[0]
    original = page.read_bytes()
    changed = original.replace(b"</main>", b"<p>Neu im Programm: Laserbeschriften.</p>\n</main>", 1)
    page.write_bytes(changed)
    return page, original


def bench_size(n: int, out: Path, workers: int, seed: int, per_kind: int, cli_runs: int,
               dask_scheduler: str | None = None, skip: frozenset[str] = frozenset()) -> dict:  # fmt: skip
    res_path = out / f"results-{n}.json"
    corpus = out / f"corpus-{n}"
    docs = str(corpus / "docs")
    manifest = str(corpus / "manifest.json")
    ix = out / f"index-{n}"
    pix = out / f"plain-index-{n}"
    if "ingest" in skip:  # add phases to an earlier run of this size
        results = json.loads(res_path.read_text(encoding="utf-8"))
        results.setdefault("machine_later_phases", machine())
        results.setdefault("ratios", {})
        m = generate(corpus, n, seed)
    else:
        results = {"size": n, "workers": workers, "machine": machine(), "ratios": {}}
        t = time.perf_counter()
        m = generate(corpus, n, seed)
        results["corpus"] = {
            "documents": m.docs,
            "by_kind": m.files,
            "megabytes": round(m.bytes / 1e6, 2),
            "pdf_pages": m.pdf_pages,
            "firms": len(m.firms),
            "digest": m.digest,
            "generate_seconds": round(time.perf_counter() - t, 1),
        }
        _save(res_path, results)
        shutil.rmtree(ix, ignore_errors=True)

    # ---- ingest, cold
    if "ingest" not in skip:
        extra = ["--dask-scheduler", dask_scheduler] if dask_scheduler else []
        r = run_job(["ingest", docs, "--index", str(ix), "--workers", str(workers), *extra])
        secs = r.data["in_process_seconds"]
        results["ingest"] = {
            "process_seconds": round(r.seconds, 2),
            "seconds": secs,
            "cpu_seconds": r.cpu_seconds,
            "docs_per_s": round(n / secs, 1),
            "docs_per_cpu_s": round(n / max(r.cpu_seconds, 1e-9), 1),
            "mb_per_s": round(m.bytes / 1e6 / secs, 3),
            "peak_rss_mb": round(r.peak_rss / 2**20),
            "organizations": r.data["organizations"],
            "added": r.data["added"],
            "skipped": r.data["skipped"],
            "stages": r.data["stages"],
            "index_mb": round(dir_bytes(ix, skip=("extractions",)) / 1e6, 2),
            "extraction_cache_mb": round(dir_bytes(ix / "extractions") / 1e6, 2),
        }
        _save(res_path, results)

    # ---- per-stage CPU split on a sample (parse vs extract per document kind)
    if "stages" not in skip:
        r = run_job(["stages", "--corpus", str(corpus), "--sample", str(min(n, 300))])
        results["stages_sample"] = r.data
        _save(res_path, results)

    # ---- re-ingest: nothing changed, then one file changed (and restored)
    if "reingest" not in skip:
        r = run_job(["ingest", docs, "--index", str(ix), "--workers", str(workers)])
        results["reingest_unchanged"] = {
            "seconds": r.data["in_process_seconds"],
            "process_seconds": round(r.seconds, 2),
            "unchanged": r.data["unchanged"],
            "stages": r.data["stages"],
        }
        page, original = _touch_one(corpus)
        try:
            r = run_job(["ingest", docs, "--index", str(ix), "--workers", str(workers)])
        finally:
            page.write_bytes(original)
        results["reingest_one_changed"] = {
            "seconds": r.data["in_process_seconds"],
            "process_seconds": round(r.seconds, 2),
            "updated": r.data["updated"],
            "profiles_written": r.data["profiles_written"],
            "stages": r.data["stages"],
        }
        run_job(["ingest", docs, "--index", str(ix), "--workers", str(workers)])  # restore
        _save(res_path, results)

    # ---- plain Whoosh on the same documents, parsing in as many workers as ours
    if "plain" not in skip:
        shutil.rmtree(pix, ignore_errors=True)
        r = run_job(["plain_ingest", "--corpus", str(corpus), "--index", str(pix),
                     "--workers", str(workers)])  # fmt: skip
        plain = r.data | {
            "cpu_seconds": r.cpu_seconds,
            "docs_per_s": round(n / r.data["seconds"], 1),
            "docs_per_cpu_s": round(n / max(r.cpu_seconds, 1e-9), 1),
            "peak_rss_mb": round(r.peak_rss / 2**20),
            "index_mb": round(dir_bytes(pix) / 1e6, 2),
        }
        results["plain_ingest"] = plain
        results["ratios"] |= {
            "ingest_throughput_vs_plain": round(plain["seconds"] / results["ingest"]["seconds"], 3),
            # CPU seconds are what other load on the machine disturbs least
            "ingest_cpu_throughput_vs_plain": round(
                plain["cpu_seconds"] / max(results["ingest"]["cpu_seconds"], 1e-9), 3
            ),
        }
        _save(res_path, results)

    # ---- plain Whoosh as it is used alone: one process parses and indexes
    if "plain_single" not in skip:
        spix = out / f"plain-single-index-{n}"
        shutil.rmtree(spix, ignore_errors=True)
        r = run_job(["plain_ingest", "--corpus", str(corpus), "--index", str(spix),
                     "--workers", "1"])  # fmt: skip
        results["plain_single_ingest"] = r.data | {
            "cpu_seconds": r.cpu_seconds,
            "docs_per_s": round(n / r.data["seconds"], 1),
            "peak_rss_mb": round(r.peak_rss / 2**20),
        }
        results["ratios"]["ingest_throughput_vs_plain_single"] = round(
            r.data["seconds"] / results["ingest"]["seconds"], 3
        )
        results["ratios"]["ingest_cpu_throughput_vs_plain_single"] = round(
            r.cpu_seconds / max(results["ingest"]["cpu_seconds"], 1e-9), 3
        )
        shutil.rmtree(spix, ignore_errors=True)
        _save(res_path, results)

    # ---- warm search, ours and plain
    if "search" not in skip:
        r = run_job(["search", "--index", str(ix), "--manifest", manifest,
                     "--per-kind", str(per_kind)])  # fmt: skip
        results["search"] = r.data | {"peak_rss_mb": round(r.peak_rss / 2**20)}
    if "plain" not in skip and "search" not in skip:
        r = run_job(["plain_search", "--index", str(pix), "--manifest", manifest,
                     "--per-kind", str(per_kind)])  # fmt: skip
        results["plain_search"] = r.data
        ours, theirs = results["search"].get("plain", {}), results["plain_search"]["plain"]
        if ours and theirs.get("p50"):
            results["ratios"]["search_p50_vs_plain"] = round(ours["p50"] / theirs["p50"], 2)
            results["ratios"]["search_p95_vs_plain"] = round(ours["p95"] / theirs["p95"], 2)
    _save(res_path, results)

    # ---- CLI end to end, each a cold process
    if "cli" not in skip:
        # as installed by scripts/demo.sh and test.sh: the project's modules compiled (where
        # PYTHONDONTWRITEBYTECODE is set, every process would otherwise compile them again)
        for pkg in ("ingest", "index", "supplier_search"):
            compileall.compile_dir(str(ROOT / pkg), quiet=1)
        qs = [
            q
            for q in bq.build(json.loads(Path(manifest).read_text()), per_kind)
            if q.kind == "plain"
        ]
        times = []
        for q in qs[:cli_runs]:
            t = time.perf_counter()
            subprocess.run([*_cli(), "--index", str(ix), "search", q.text, "--json"],
                           check=True, capture_output=True, cwd=ROOT)  # fmt: skip
            times.append((time.perf_counter() - t) * 1000)
        results["cli_search"] = percentiles(times)
        results["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        _save(res_path, results)
    return results


# ----------------------------------------------------------------------------- the report


def _row(label: str, values: list, fmt: str = "{}") -> str:
    cells = [fmt.format(v) if v is not None else "–" for v in values]
    growth = ""
    nums = [v for v in values if isinstance(v, int | float)]
    if len(nums) >= 2 and nums[0]:
        growth = " → ".join(
            f"×{b / a:.1f}" if a else "–" for a, b in zip(nums, nums[1:], strict=False)
        )
    return f"| {label} | " + " | ".join(cells) + f" | {growth} |"


def report(out: Path) -> str:
    """Markdown tables over every results-N.json in `out`, sizes side by side."""
    runs = sorted(
        (json.loads(p.read_text(encoding="utf-8")) for p in out.glob("results-*.json")),
        key=lambda r: r["size"],
    )
    if not runs:
        return "no results\n"

    def g(r: dict, *keys):
        for k in keys:
            if not isinstance(r, dict) or k not in r:
                return None
            r = r[k]
        return r

    sizes = [r["size"] for r in runs]
    head = (
        "| | "
        + " | ".join(f"{s:,} docs" for s in sizes)
        + " | growth |\n|---|"
        + "---|" * (len(sizes) + 1)
    )
    loads = ", ".join(
        f"{r['size']:,}: {r['machine']['load_average_at_start'][0]}→{(r.get('load_average_at_end') or ['?'])[0]}"
        for r in runs
    )
    lines = [
        f"Machine: {runs[-1]['machine']}",
        "",
        f"Load average (1 min) at start→end: {loads}",
        "",
        head,
    ]
    spec = [
        ("corpus MB", ("corpus", "megabytes")),
        ("PDF pages", ("corpus", "pdf_pages")),
        ("organizations found", ("ingest", "organizations")),
        ("**ingest** seconds (cold)", ("ingest", "seconds")),
        ("ingest documents/s", ("ingest", "docs_per_s")),
        ("ingest MB/s", ("ingest", "mb_per_s")),
        ("– parse+extract (parallel) s", ("ingest", "stages", "parse_extract")),
        ("– resolve s", ("ingest", "stages", "resolve")),
        ("– index (prepare+commit) s", None),
        ("peak memory MB (process tree)", ("ingest", "peak_rss_mb")),
        ("index MB (+ extraction cache MB)", None),
        ("**plain Whoosh** ingest s", ("plain_ingest", "seconds")),
        ("– parse s / index s", None),
        ("plain Whoosh documents/s", ("plain_ingest", "docs_per_s")),
        ("plain Whoosh index MB", ("plain_ingest", "index_mb")),
        ("plain Whoosh, one process: ingest s", ("plain_single_ingest", "seconds")),
        (
            "**ingest throughput ÷ plain, one process**",
            ("ratios", "ingest_throughput_vs_plain_single"),
        ),
        ("indexing stage only ÷ plain (same texts)", None),
        ("ingest CPU s (all processes)", ("ingest", "cpu_seconds")),
        ("plain Whoosh CPU s", ("plain_ingest", "cpu_seconds")),
        ("**ingest throughput ÷ plain** (wall)", ("ratios", "ingest_throughput_vs_plain")),
        ("**ingest throughput ÷ plain** (CPU)", ("ratios", "ingest_cpu_throughput_vs_plain")),
        ("ingest CPU throughput ÷ plain, one process", None),
        ("re-ingest, nothing changed s", ("reingest_unchanged", "seconds")),
        ("re-ingest, one file changed s", ("reingest_one_changed", "seconds")),
        ("search plain p50/p95/p99 ms", ("search", "plain")),
        ("search filtered p50/p95/p99 ms", ("search", "filtered")),
        ("search faceted p50/p95/p99 ms", ("search", "faceted")),
        ("search radius p50/p95/p99 ms", ("search", "radius")),
        ("plain Whoosh search p50/p95/p99 ms", ("plain_search", "plain")),
        ("search p95 ÷ plain Whoosh p95", None),
        ("first query after open ms", ("search", "first_query_ms")),
        ("generated firms found first by name", ("search", "firms_found_by_name")),
        ("CLI search end to end p50/p95 ms", ("cli_search",)),
    ]
    for label, keys in spec:
        if label.startswith("– index (prepare"):
            vals = [
                round((g(r, "ingest", "stages", "index_prepare") or 0) + (g(r, "ingest", "stages", "commit") or 0), 2)
                if g(r, "ingest") else None
                for r in runs
            ]  # fmt: skip
            lines.append(_row(label, vals))
        elif label.startswith("ingest CPU throughput ÷ plain, one"):
            vals = []
            for r in runs:
                ours, theirs = (
                    g(r, "ingest", "cpu_seconds"),
                    g(r, "plain_single_ingest", "cpu_seconds"),
                )
                vals.append(round(theirs / ours, 3) if ours and theirs else None)
            lines.append(_row(label, vals))
        elif label.startswith("search p95 ÷"):
            vals = []
            for r in runs:
                ours, theirs = g(r, "search", "plain", "p95"), g(r, "plain_search", "plain", "p95")
                vals.append(round(ours / theirs, 1) if ours and theirs else None)
            lines.append(_row(label, vals))
        elif label.startswith("indexing stage only"):
            vals = []
            for r in runs:
                st = g(r, "ingest", "stages") or {}
                ours = sum(
                    st.get(k, 0) for k in ("load_cache", "resolve", "index_prepare", "commit")
                )
                theirs = g(r, "plain_ingest", "index_seconds")
                vals.append(round(theirs / ours, 3) if ours and theirs else None)
            lines.append(_row(label, vals))
        elif label.startswith("index MB"):
            lines.append(
                _row(
                    label,
                    [
                        f"{g(r, 'ingest', 'index_mb')} (+{g(r, 'ingest', 'extraction_cache_mb')})"
                        if g(r, "ingest")
                        else None
                        for r in runs
                    ],
                )
            )
        elif label.startswith("– parse s / index s"):
            lines.append(
                _row(
                    label,
                    [
                        f"{g(r, 'plain_ingest', 'parse_seconds')} / {g(r, 'plain_ingest', 'index_seconds')}"
                        if g(r, "plain_ingest")
                        else None
                        for r in runs
                    ],
                )
            )
        else:
            vals = [g(r, *keys) for r in runs]
            if vals and isinstance(next((v for v in vals if v is not None), None), dict):
                lines.append(
                    _row(
                        label,
                        [
                            f"{v['p50']} / {v['p95']}"
                            + (
                                f" / {v['p99']}"
                                if "p99" in v and "cli" not in label.lower()
                                else ""
                            )
                            if v
                            else None
                            for v in vals
                        ],
                    )
                )
            else:
                lines.append(_row(label, vals))
    lines.append("")
    lines.append("Parse vs extract, CPU ms per document (sample, one process):")
    lines.append("")
    for r in runs:
        bk = g(r, "stages_sample", "by_kind") or {}
        parts = [f"{k} {v['parse_ms_per_doc']}/{v['extract_ms_per_doc']}" for k, v in bk.items()]
        pdf = g(r, "stages_sample", "by_kind", "brochure_pdf", "pdf_pages_per_cpu_s")
        lines.append(
            f"- {r['size']:,} docs: "
            + "; ".join(parts)
            + (f"; PDF pages/CPU-s {pdf}" if pdf else "")
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Run the supplier-search benchmarks.")
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "out"))
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--per-kind", dest="per_kind", type=int, default=60, help="queries per kind")
    ap.add_argument("--cli-runs", dest="cli_runs", type=int, default=10)
    ap.add_argument("--dask-scheduler", dest="dask_scheduler", help="ingest on this Dask cluster")
    ap.add_argument(
        "--skip",
        default="",
        help="comma-separated phases to leave out: " + ", ".join(PHASES),
    )
    ap.add_argument(
        "--only",
        default="",
        help="run just these phases on an earlier run's corpus, index and results (e.g. plain_single)",
    )
    ap.add_argument("--report-only", action="store_true")
    a = ap.parse_args(argv)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    if not a.report_only:
        for n in (int(s.replace("_", "")) for s in a.sizes.split(",") if s.strip()):
            print(f"benchmark: {n} documents …", file=sys.stderr, flush=True)
            skip = frozenset(x.strip() for x in a.skip.split(",") if x.strip())
            if a.only:
                skip = frozenset(PHASES) - {x.strip() for x in a.only.split(",")}
            bench_size(n, out, a.workers, a.seed, a.per_kind, a.cli_runs, a.dask_scheduler, skip)
    text = report(out)
    (out / "report.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
