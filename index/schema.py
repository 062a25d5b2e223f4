"""The index schema: one record per organization profile and one per ingested file.

Both record types live in one Whoosh index so that a single commit switches the files' state
and the profiles derived from them together — a crash can never leave one without the other.
"""

from __future__ import annotations

from whoosh.fields import BOOLEAN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from .analysis import german_analyzer, name_analyzer

SCHEMA_VERSION = 1
FACET_FIELDS = ("capability", "industry", "certification", "material", "batch")


def build_schema() -> Schema:
    ga = german_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        rtype=ID(stored=True),
        # organization records
        name=TEXT(analyzer=ga, stored=True, field_boost=2.0),
        names=TEXT(analyzer=name_analyzer(), phrase=False),
        own=TEXT(analyzer=ga, phrase=False),
        mentioned=TEXT(analyzer=ga, phrase=False),
        passage=TEXT(analyzer=ga, phrase=False),
        concepts=KEYWORD(commas=True, scorable=True),
        capability=KEYWORD(commas=True),
        industry=KEYWORD(commas=True),
        certification=KEYWORD(commas=True),
        material=KEYWORD(commas=True),
        batch=KEYWORD(commas=True),
        region=KEYWORD(commas=True),
        kind=ID(stored=True),
        closed=BOOLEAN(stored=True),
        newest=ID(stored=True),
        phash=ID(stored=True),
        payload=STORED(),
        units=STORED(),  # the payload's evidence analysed (evidence.units_record)
        facetinfo=STORED(),
        # file records
        path=ID(stored=True),
        chash=ID(stored=True),
        xversion=ID(stored=True),
        size=NUMERIC(stored=True),
        mtime=STORED(),
        docinfo=STORED(),
    )
