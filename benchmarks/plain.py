"""The side-by-side baseline: plain Whoosh with its StandardAnalyzer over the same texts.

Plain Whoosh cannot read HTML or PDF, so the baseline parses the files with the project's own
loader (same worker processes) and indexes each file's text as one Whoosh document with a
single writer — what a team would build with Whoosh alone, without extraction, resolution,
German analysis or facets. Its costs are the yardstick for ours.
"""

from __future__ import annotations

import concurrent.futures as cf
import time
from pathlib import Path

from whoosh import index as windex
from whoosh.analysis import StandardAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import QueryParser

from ingest.load import LoadError, load


def schema() -> Schema:
    return Schema(
        path=ID(stored=True, unique=True),
        title=TEXT(analyzer=StandardAnalyzer(), stored=True),
        content=TEXT(analyzer=StandardAnalyzer()),
    )


def parse_one(path: str) -> tuple[str, str, str] | None:
    """(path, title, text) of one file, or None when the loader refuses it."""
    try:
        doc = load(Path(path))
    except LoadError:
        return None
    return path, doc.title, "\n".join(b.text for b in doc.blocks)


def parse_all(paths: list[str], workers: int) -> list[tuple[str, str, str]]:
    if workers <= 1:
        return [r for r in map(parse_one, paths) if r]
    with cf.ProcessPoolExecutor(max_workers=workers) as pool:
        return [r for r in pool.map(parse_one, paths, chunksize=16) if r]


def build(paths: list[str], index_dir: Path, workers: int) -> dict:
    """Parse and index; returns seconds per stage and counts."""
    t0 = time.perf_counter()
    texts = parse_all(paths, workers)
    t1 = time.perf_counter()
    index_dir.mkdir(parents=True, exist_ok=True)
    ix = windex.create_in(str(index_dir), schema())
    w = ix.writer()
    chars = 0
    for path, title, text in texts:
        chars += len(text)
        w.add_document(path=path, title=title, content=text)
    w.commit()
    t2 = time.perf_counter()
    return {
        "documents": len(texts),
        "characters": chars,
        "parse_seconds": round(t1 - t0, 3),
        "index_seconds": round(t2 - t1, 3),
        "seconds": round(t2 - t0, 3),
    }


def searcher(index_dir: Path):
    ix = windex.open_dir(str(index_dir))
    return ix.searcher(), QueryParser("content", ix.schema)


def search(s, parser: QueryParser, text: str, limit: int = 10) -> int:
    """Run one query the plain way (parse, search, read the stored fields of a page)."""
    q = parser.parse(text)
    res = s.search(q, limit=limit)
    for hit in res:
        hit.fields()
    return len(res)
