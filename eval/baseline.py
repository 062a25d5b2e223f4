"""The baseline the issue asks for: plain Whoosh over whole documents.

Each file's extracted text (the same loader the product uses) is one Whoosh document under
Whoosh's StandardAnalyzer and default BM25F scoring. A query returns documents; the baseline's
answer is the judged organizations those documents name, best document first and, inside a
document, in order of first mention. Two query groupings are measured — Whoosh's default AND and
an OR of the words — and the report compares against the stronger of the two, so the product is
never flattered by a crippled baseline.
"""

from __future__ import annotations

import re
from pathlib import Path

from whoosh import index as windex
from whoosh.analysis import StandardAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import AndGroup, OrGroup, QueryParser

from index.build import scan
from ingest.load import SUPPORTED, LoadError, load

from .judgments import Judgments

GROUPINGS = {"and": AndGroup, "or": OrGroup}
_SYNTAX = re.compile(r"[(){}\[\]^~*?:\\/+!<>=|\"]")


class PlainWhoosh:
    """A whole-document index in `index_dir` and the organizations each document names."""

    def __init__(self, paths: list[Path], index_dir: Path, judgments: Judgments):
        schema = Schema(
            path=ID(stored=True, unique=True), content=TEXT(analyzer=StandardAnalyzer())
        )
        index_dir.mkdir(parents=True, exist_ok=True)
        self.ix = windex.create_in(str(index_dir), schema)
        self.orgs: dict[str, list[str]] = {}
        writer = self.ix.writer()
        files, _refused = scan(paths)
        for path, _root in files:
            if path.suffix.lower() not in SUPPORTED:
                continue
            try:
                doc = load(path)
            except LoadError:
                continue
            text = "\n".join([doc.title] + [b.text for b in doc.blocks])
            writer.add_document(path=str(path), content=text)
            self.orgs[str(path)] = judgments.entities_in(text)
        writer.commit()

    def search(self, text: str, grouping: str = "or") -> list[str]:
        """Judged organizations in the order the best-matching documents name them."""
        parser = QueryParser("content", self.ix.schema, group=GROUPINGS[grouping])
        q = parser.parse(_SYNTAX.sub(" ", text))
        out: list[str] = []
        with self.ix.searcher() as s:
            for hit in s.search(q, limit=None):
                for eid in self.orgs.get(hit["path"], []):
                    if eid not in out:
                        out.append(eid)
        return out
