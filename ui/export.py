"""Shortlists and result lists as CSV and Excel files: the app's name for the library's export
(`supplier_search.export`), which the HTTP API uses too, so both make the same columns."""

from __future__ import annotations

from supplier_search.export import (  # noqa: F401  (re-exported for the pages and tests)
    COLUMNS,
    SEP,
    header,
    neutral,
    row,
    rows,
    to_csv,
    to_xlsx,
)
