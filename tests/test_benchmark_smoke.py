"""The benchmark suite at a small size: one command produces complete, sane results.

No timing thresholds (timings belong in BENCHMARKS.md); what is checked is that every phase
ran on the documents it should have and measured something.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.generate import generate
from ingest.load import load

ROOT = Path(__file__).resolve().parents[1]
SIZE = 60
KINDS = {"member_page", "assoc_page", "press_html", "press_txt", "brochure_pdf"}


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> tuple[dict, str, Path]:
    out = tmp_path_factory.mktemp("bench")
    args = ["--sizes", str(SIZE), "--out", str(out), "--per-kind", "6", "--cli-runs", "2"]
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = json.loads((out / f"results-{SIZE}.json").read_text(encoding="utf-8"))
    return data, (out / "report.md").read_text(encoding="utf-8"), out


def test_corpus_has_every_document_kind_and_pdf_pages(results):
    data, *_ = results
    corpus = data["corpus"]
    assert corpus["documents"] == SIZE
    assert set(corpus["by_kind"]) == KINDS
    assert sum(corpus["by_kind"].values()) == SIZE
    assert corpus["pdf_pages"] >= 2 * corpus["by_kind"]["brochure_pdf"]


def test_ingest_reads_every_document_and_finds_the_generated_firms(results):
    data, *_ = results
    ing = data["ingest"]
    assert ing["added"] == SIZE and ing["skipped"] == 0
    assert ing["organizations"] >= data["corpus"]["firms"]
    assert ing["seconds"] > 0 and ing["cpu_seconds"] > 0 and ing["peak_rss_mb"] > 0
    assert ing["index_mb"] > 0 and ing["extraction_cache_mb"] > 0
    assert {"parse_extract", "resolve", "commit"} <= set(ing["stages"])
    # a purchaser searching a generated firm's name gets that firm first (98 % at 1,000 docs)
    assert data["search"]["firms_found_by_name"] >= 0.8


def test_reingest_skips_unchanged_files_and_redoes_only_the_changed_one(results):
    data, *_ = results
    assert data["reingest_unchanged"]["unchanged"] == SIZE
    assert data["reingest_one_changed"]["updated"] == 1


def test_plain_whoosh_indexes_the_same_documents_side_by_side(results):
    data, *_ = results
    assert data["plain_ingest"]["documents"] == SIZE
    assert data["ratios"]["ingest_throughput_vs_plain"] > 0
    assert data["plain_search"]["plain"]["n"] == 6


def test_every_query_kind_is_measured_with_ordered_percentiles(results):
    data, report, _ = results
    search = data["search"]
    assert search["errors"] == 0 and search["facets_present"]
    for kind in ("plain", "filtered", "faceted", "radius"):
        p = search[kind]
        assert p["n"] == 6
        assert 0 < p["p50"] <= p["p95"] <= p["p99"]
    assert search["plain"]["with_results"] > 0.5
    assert search["faceted"]["mean_total"] > search["plain"]["mean_total"]
    assert data["cli_search"]["n"] == 2
    assert f"{SIZE} docs" in report and "plain Whoosh" in report


def test_generator_is_deterministic_and_every_file_loads(tmp_path):
    a = generate(tmp_path / "a", 25, seed=5)
    b = generate(tmp_path / "b", 25, seed=5)
    c = generate(tmp_path / "c", 25, seed=6)
    assert a.digest == b.digest != c.digest
    files = sorted((tmp_path / "a" / "docs").rglob("*.*"))
    assert len(files) == 25
    for f in files:
        doc = load(f)
        assert len(doc.blocks) >= 3, f


def test_cli_search_loads_no_ingest_pipeline_ui_or_dataframe_modules(results):
    """The CLI answers a query without importing what only ingest or the app need."""
    *_, out = results
    firm = json.loads((out / f"corpus-{SIZE}" / "manifest.json").read_text())["firms"][0]["name"]
    code = (
        "import sys; from supplier_search.cli import main; "
        f"rc = main(['--index', {str(out / f'index-{SIZE}')!r}, 'search', {firm!r}, '--json']); "
        "print(' '.join(sorted(sys.modules)), file=sys.stderr); "
        "sys.exit(rc)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout)["results"]
    loaded = set(proc.stderr.split())
    assert not loaded & {"pandas", "streamlit", "pdfplumber", "bs4", "dask", "distributed"}
    assert not loaded & {"index.build", "ingest.extract", "ingest.resolve", "ingest.load"}


def test_only_the_command_lines_own_process_turns_the_cycle_collector_off(results, tmp_path):
    """A search in its own process runs without the cycle collector (it ends in a second and
    would spend a third of it collecting); Python code that calls `main()` keeps its collector,
    and an ingest keeps it in its own process too (parse trees are cyclic)."""
    *_, out = results
    index = str(out / f"index-{SIZE}")
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import atexit, gc, sys\n"
        "from supplier_search import cli\n"
        "atexit.register(lambda: print('gc', gc.isenabled(), file=sys.stderr))\n"
        "if sys.argv[1] == 'caller':\n"
        f"    cli.main(['--index', {index!r}, 'search', 'Drehteile', '--json'])\n"
        "    print('gc', gc.isenabled(), file=sys.stderr); sys.exit(0)\n"
        "sys.argv = ['supplier-search', *sys.argv[2:]]\n"
        "sys.exit(cli.main())\n",
        encoding="utf-8",
    )

    def collector(*args: str) -> str:
        proc = subprocess.run(
            [sys.executable, str(probe), *args], cwd=ROOT, capture_output=True, text=True,
            timeout=120,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr[-2000:]
        return [ln for ln in proc.stderr.splitlines() if ln.startswith("gc ")][0]

    assert collector("process", "--index", index, "search", "Drehteile", "--json") == "gc False"
    assert collector("caller") == "gc True"
    assert collector("process", "--index", index, "stats") == "gc False"
    assert (
        collector("process", "ingest", str(tmp_path / "none"), "--index", str(tmp_path / "i"))
        == "gc True"
    )
