"""supplier-search: the public Python API in one place.

from supplier_search import Directory, ingest
ingest(["corpus/"])
Directory().search("Präzisionsdrehteile Osterzgebirge")

Names are imported on first use, so `supplier-search search` does not load the ingest
pipeline (extraction, PDF and HTML parsing) just to answer a query.
"""

from __future__ import annotations

import importlib

_WHERE = {
    "ingest": "index.build",
    "IndexLocked": "index.build",
    "Report": "index.build",
    "Directory": "index.search",
    "QueryError": "index.search",
}

__all__ = ["Directory", "IndexLocked", "QueryError", "Report", "ingest"]


def __getattr__(name: str):
    if name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'supplier_search' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
