"""supplier-search: the public Python API in one place.

from supplier_search import Directory, ingest
ingest(["corpus/"])
Directory().search("Präzisionsdrehteile Osterzgebirge")
"""

from index.build import IndexLocked, Report, ingest
from index.search import Directory, QueryError

__all__ = ["Directory", "IndexLocked", "QueryError", "Report", "ingest"]
