"""Per-file limits of an ingest, apart from the loader: the CLI needs their defaults for its
options on every call, a search included, without importing the document parsers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Per-file limits, so that one bad file can neither stall an ingest nor exhaust memory.

    Every refusal names the limit and the `supplier-search ingest` option that raises it. The
    element and inflation limits are checked on the raw bytes before any parser runs: a 30 MB
    table export or a PDF whose streams inflate a thousandfold is refused in well under a second
    instead of after minutes of parsing. `seconds` is the backstop for everything else.
    """

    max_bytes: int = 50 * 1024 * 1024  # --max-mb
    max_pdf_pages: int = 300  # --max-pages
    max_html_elements: int = 100_000  # --max-html-elements
    max_inflated_bytes: int = 128 * 1024 * 1024  # --max-inflated-mb (PDF streams, inflated)
    seconds: float = 60.0  # --timeout
