"""The examples in the docstrings of public functions are true (run as doctests)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "ingest.german",
    "ingest.derived",
    "ingest.lexicons",
    "ingest.gazetteer",
    "ingest.products",
    "ingest.taxonomy",
    "ingest.orgs",
    "ingest.extract",
    "ingest.attribute",
    "ingest.contacts",
    "ingest.resolve",
    "index.reasons",
    "index.evidence",
    "index.spelling",
    "index.store",
    "supplier_search.export",
    "supplier_search.audit",
    "supplier_search.staff",
    "supplier_search.curation_history",
    "supplier_search.documents",
    "supplier_search.backup",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
