"""The baseline the issue asks for: plain Whoosh over whole documents.

Each file's extracted text (the same loader the product uses) is one Whoosh document under
Whoosh's StandardAnalyzer and default BM25F scoring. A query returns documents; the baseline's
answer is the judged organizations those documents name, best document first and, inside a
document, in order of first mention. Two query groupings are measured — Whoosh's default AND and
an OR of the words — and the report compares against the stronger of the two, so the product is
never flattered by a crippled baseline.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path

import Stemmer
from whoosh import index as windex
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StandardAnalyzer, StopFilter
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import AndGroup, OrGroup, QueryParser

from index.build import scan
from ingest.load import SUPPORTED, LoadError, load

from .judgments import Judgments

GROUPINGS = {"and": AndGroup, "or": OrGroup}
_SYNTAX = re.compile(r"[(){}\[\]^~*?:\\/+!<>=|\"]")


class PlainWhoosh:
    """A whole-document index in `index_dir` and the organizations each document names."""

    def __init__(
        self,
        paths: list[Path],
        index_dir: Path,
        judgments: Judgments,
        analyzer=None,
        orgs_of: Callable[[Path, str], list[str]] | None = None,
    ):
        """`analyzer` defaults to Whoosh's StandardAnalyzer; `orgs_of(path, text)` gives the
        judged organizations a document presents (default: those its text names)."""
        schema = Schema(
            path=ID(stored=True, unique=True),
            content=TEXT(analyzer=analyzer or StandardAnalyzer()),
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
            self.orgs[str(path)] = orgs_of(path, text) if orgs_of else judgments.entities_in(text)
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


# Common German function words (the stop list of Lucene's German analyzer, abridged).
GERMAN_STOP = frozenset(
    "aber alle allem allen aller alles als also am an ander andere anderem anderen anderer "
    "anderes auch auf aus bei bin bis bist da damit dann der den des dem die das dass du "
    "durch ein eine einem einen einer eines er es für hatte hat hier ich ihr im in ist ja "
    "kein man mit nach nicht noch nur oder sein sich sie sind so über um und uns unter vom "
    "von vor war wie wir wird zu zum zur".split()
)


@functools.cache
def _stemmer():
    return Stemmer.Stemmer("german")


class SnowballGermanFilter(Filter):
    """Snowball German (PyStemmer) with umlaut folding: ä/ae, ö/oe, ü/ue, ß/ss stem alike."""

    def __eq__(self, other):
        return other.__class__ is self.__class__

    def __call__(self, tokens):
        stem = _stemmer().stemWord  # not an attribute: Whoosh pickles the analyzer
        for t in tokens:
            w = t.text.replace("ß", "ss")
            w = stem(w)
            t.text = w.replace("ä", "a").replace("ö", "o").replace("ü", "u")
            yield t


def german_plain_analyzer():
    """What anyone sets up in an afternoon: words, lower case, German stop words, Snowball."""
    return (
        RegexTokenizer(r"\w+")
        | LowercaseFilter()
        | StopFilter(stoplist=GERMAN_STOP)
        | SnowballGermanFilter()
    )
