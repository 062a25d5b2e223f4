"""The HTTP API (`supplier-search serve`): a thin, read-only layer over `Directory`, like the CLI.

Procurement tools, an association's website or a script reach the directory over HTTP instead
of shelling out to the CLI. Every endpoint is a few lines over the one search API, so `GET
/search` answers exactly the object `supplier-search search --json` prints, `GET /suppliers/{id}`
the `show --json` profile, `GET /changes` what `changes --json` prints, and the exports have the
app's columns (`supplier_search.export`).

    >>> sorted(create_app("/tmp/no-index-yet").openapi()["paths"])
    ['/changes', '/export.csv', '/export.xlsx', '/health', '/search', '/suppliers', '/suppliers/{id}']

Contract: the pydantic models below are the OpenAPI schema (`/openapi.json`, browsable at
`/docs`, served from a package so the page needs no network). Endpoints hand back the library's
dicts unchanged — no field is dropped, renamed or reordered on the way — and the tests check
every real answer against the schema.

Errors are JSON `{"error": "…"}`: 422 for a request that cannot be answered (a parameter of the
wrong type or range, an unknown filter value or place — the library's `QueryError` —, a `q` that
would be searched as something else than what was sent), 404 for an unknown supplier id, 503
when there is no index yet; never a traceback. Hostile text inside words (quotes, brackets,
control characters) is neutralised by the library's `clean_query`, as in the CLI.

A re-ingest while the server runs is served at once: `Directory` checks on every call whether
its searcher is still on the latest committed generation and reopens it when not.
"""

from __future__ import annotations

import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.exceptions import HTTPException

from index import store
from index.changes import CODES as CHANGE_CODES
from index.changes import parse_since
from index.query import MAX_QUERY_CHARS, clean_query
from index.search import Directory, QueryError
from ingest.records import ORG_KINDS

from . import export
from .cli import changes_feed, iso_time

Kind = Literal["company", "network", "institution", "public", "bank", "media"]
assert set(get_args(Kind)) == set(ORG_KINDS), "Kind must list ingest.records.ORG_KINDS"

DEFAULT_HOST = "127.0.0.1"  # reachable from this machine only unless told otherwise
DEFAULT_PORT = 8000

# --------------------------------------------------------------------------- the contract


class Place(BaseModel):
    name: str
    district: str
    state: str
    regions: list[str] = Field(description="informal regions the place lies in (Erzgebirge …)")
    lat: float | None
    lon: float | None


class Contact(BaseModel):
    person: str
    role: str
    phone: str
    fax: str
    email: str
    url: str


class Evidence(BaseModel):
    doc: str | None = Field(description="document id")
    title: str
    kind: str = Field(description="member_page, press_article, brochure, curation, other")
    date: str | None = Field(description="ISO date of the document or statement, if known")
    path: str | None = Field(description="the document's file on the server")
    page: int | None = Field(description="PDF page number")
    sentence: str = Field(description="the sentence that states the fact, as plain text")
    snippet: str = Field(description="the sentence HTML-escaped, query words in <mark>…</mark>")


class Reason(BaseModel):
    """Why a result matched, as a code with concept ids or words (`why` says it in English)."""

    code: str = Field(description="offers, certified, mentions, passage, name, filter …")
    concepts: list[str] | None = None
    words: list[str] | None = None
    places: list[str] | None = None
    pairs: list[list[str]] | None = Field(None, description="spelling corrections: [typed, read]")
    facet: str | None = None
    km: int | None = None


class _Organization(BaseModel):
    id: str
    name: str
    kind: str
    closed: bool = Field(description="reported closed (ranked last)")
    places: list[Place]
    capabilities: list[str] = Field(description="German taxonomy labels")
    industries: list[str] = Field(description="industries served, German taxonomy labels")
    focus: list[str] = Field(description="a network's members' industries")
    certifications: list[str]
    contacts: list[Contact]
    distance_km: float | None = Field(description="from `near`, when given")
    evidence: list[Evidence]
    why: list[str] = Field(description="the reasons in English words")
    reasons: list[Reason]
    place_unknown: bool = Field(description="a place was asked and nothing places the firm")


class SearchResult(_Organization):
    score: float


class FacetValue(BaseModel):
    value: str = Field(description="German label, region name or kind")
    count: int
    id: str | None = Field(None, description="taxonomy concept id (capability, industry …)")
    label_en: str | None = None
    level: str | None = Field(None, description="regions: state, district, region or place")


class Facets(BaseModel):
    capability: list[FacetValue]
    industry: list[FacetValue]
    region: list[FacetValue]
    certification: list[FacetValue]
    kind: list[FacetValue]


class Alternative(BaseModel):
    """A nearest answer beside an empty one, never mixed into it."""

    label: str
    reason: str = Field(description="relaxed_region or related_capability")
    concept: str | None = Field(
        default=None, description="for related_capability: the broader concept's id"
    )
    total: int
    results: list[SearchResult]


class Concept(BaseModel):
    id: str
    label: str


class Understood(BaseModel):
    concepts: list[Concept]
    places: list[str]
    words: list[str]
    corrections: dict[str, str] = Field(description="typed word → corrected word")
    filters: dict[str, list[str]]
    relaxed_region: bool


class SearchResponse(BaseModel):
    """Exactly what `supplier-search search --json` prints."""

    query: str
    total: int = Field(description="all matches, not just this page")
    results: list[SearchResult]
    facets: Facets
    suggestion: str | None = Field(description="the corrected query ('did you mean')")
    alternatives: list[Alternative]
    understood: Understood = Field(description="how the query was read")
    notes: list[str]
    took_ms: float


class Fact(BaseModel):
    facet: str
    value: str
    label: str
    label_en: str
    evidence: Evidence
    as_of: str | None = Field(description="date of the latest evidence for this fact")


class Document(BaseModel):
    doc: str
    title: str
    kind: str
    date: str | None
    path: str


class MergeReason(BaseModel):
    """Why a profile joins mentions: a code (same_name, same_word, same_word_place,
    abbreviation, name_inside, works_of, staff_merged) with the names involved; each caller
    words it."""

    code: str
    names: list[str]
    word: str | None = None
    note: str | None = None


class Profile(_Organization):
    """Exactly what `supplier-search show ID --json` prints."""

    names: list[str]
    facts: list[Fact]
    documents: list[Document]
    merged_because: list[MergeReason]
    curation_notes: list[str]
    mentions: list[Evidence]
    relations: list[Fact]
    employees: str | None
    founded: str | None


class SupplierPage(BaseModel):
    total: int
    limit: int
    offset: int
    results: list[SearchResult]


class Health(BaseModel):
    status: Literal["ok"]
    generation: int = Field(description="the index's committed generation; grows with ingests")
    documents: int
    organizations: int
    last_ingest: str | None = Field(description="ISO 8601 time of the last ingest")


ChangeCode = Literal[
    "added", "removed", "fact_added", "fact_withdrawn", "place_changed", "closed", "reopened"
]  # fmt: skip
assert set(get_args(ChangeCode)) == set(CHANGE_CODES), "ChangeCode must list index.changes.CODES"


class Change(BaseModel):
    """One thing that changed, as a code with its values (the keys a code does not use are
    left out)."""

    code: ChangeCode
    facet: str | None = Field(None, description="fact_*: capability, industry, certification …")
    value: str | None = Field(None, description="fact_*: taxonomy concept id, or the value")
    old: list[str] | None = Field(None, description="place_changed: the place names before")
    new: list[str] | None = Field(None, description="place_changed: the place names after")


class OrganizationChange(BaseModel):
    """What one ingest changed about one organization."""

    at: str = Field(description="the ingest's time, ISO 8601 in UTC")
    ingest: str = Field(description="the ingest's id: the changes one ingest made share it")
    id: str = Field(description="the organization's id (GET /suppliers/{id}; gone if removed)")
    name: str = Field(description="its name, as last seen")
    kind: str
    changes: list[Change]


class ChangesResponse(BaseModel):
    """Exactly what `supplier-search changes --since … --json` prints."""

    since: str = Field(description="the time asked for, ISO 8601 with offset")
    total: int
    changes: list[OrganizationChange] = Field(
        description="oldest first; pass the last `at` as `since` to get only newer ones"
    )


class ErrorDetail(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class Error(BaseModel):
    error: str
    detail: list[ErrorDetail] | None = None


ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"model": Error, "description": "a request that cannot be answered"},
    503: {"model": Error, "description": "no index yet"},
}

# --------------------------------------------------------------------------- parameters


class Filters(BaseModel):
    """The CLI's search parameters; unknown parameters are refused, not silently ignored."""

    model_config = ConfigDict(extra="forbid")

    q: str = Field(
        "",
        max_length=MAX_QUERY_CHARS,
        description="capability, industry, firm name or place, German or English; empty: all",
    )
    capability: list[str] = Field([], description="repeat for OR")
    industry: list[str] = Field([], description="repeat for OR")
    region: list[str] = Field([], description="strict; repeat for OR")
    certification: list[str] = Field([], description="repeat for OR")
    kind: list[Kind] = Field([], description="default: company and network")
    near: str | None = Field(None, description="rank by distance from this place")
    radius_km: float | None = Field(None, gt=0, allow_inf_nan=False, description="with `near`")

    @field_validator("q")
    @classmethod
    def _has_words(cls, q: str) -> str:
        # the library would search nothing, i.e. list everything: say so instead
        if q.strip() and not clean_query(q):
            raise ValueError(
                "has no words to search for (AND, OR, NOT, quotes and brackets are not query "
                "syntax here); leave q empty to list every supplier"
            )
        return q

    def args(self) -> dict[str, Any]:
        """Keyword arguments for `Directory.search`, as the CLI passes them."""
        return {
            "query": self.q,
            "capability": self.capability,
            "industry": self.industry,
            "region": self.region,
            "certification": self.certification,
            "kind": list(self.kind),
            "near": self.near,
            "radius_km": self.radius_km,
        }


class SearchParams(Filters):
    limit: int = Field(10, ge=0, description="results on this page; 0: totals and facets only")
    offset: int = Field(0, ge=0)


class ExportParams(Filters):
    lang: Literal["de", "en"] = Field("de", description="headers and labels")


class ListParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: list[Kind] = Field([], description="default: every kind")
    limit: int = Field(100, ge=0)
    offset: int = Field(0, ge=0)


class ChangesParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    since: str = Field(
        description="ISO 8601 date or time; a date alone is the server's local midnight, a time "
        "without an offset its local time",
        examples=["2026-12-01", "2026-12-01T08:00:00+01:00"],
    )

    @field_validator("since")
    @classmethod
    def _is_a_time(cls, since: str) -> str:
        parse_since(since)  # the library's reading; its QueryError is a ValueError: a 422
        return since


# --------------------------------------------------------------------------- the app


class NoIndex(Exception):
    """The index folder holds no committed index (yet)."""


def _version() -> str:
    try:
        return version("supplier-search")
    except PackageNotFoundError:
        return "0"


def create_app(index_dir: str | Path | None = None) -> FastAPI:
    """The API over the index in `index_dir` (else `$SUPPLIER_SEARCH_INDEX`, else the default),
    as an ASGI app; `serve()` runs it. A missing index answers 503 until an ingest makes one.

    >>> create_app("/tmp/no-index-yet").title
    'supplier-search'
    """
    directory = Directory(index_dir)
    app = FastAPIOffline(
        title="supplier-search",
        version=_version(),
        summary="A German supplier directory built from documents: read-only search API.",
        description=(
            "Search suppliers by capability, region and industry served, in German or English; "
            "every fact comes with the sentence that states it. Errors are JSON "
            '`{"error": "…"}` (422 bad request, 404 unknown id, 503 no index).'
        ),
        redoc_url=None,
    )

    def current() -> Directory:
        if not store.exists(directory.index_dir):
            raise NoIndex(f"no index at {directory.index_dir}: run 'supplier-search ingest' first")
        return directory

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/docs")

    @app.get(
        "/search",
        summary="Find suppliers",
        response_model=SearchResponse,
        responses=ERRORS,
        tags=["search"],
    )
    def search(p: Annotated[SearchParams, Query()]) -> Response:
        """Find suppliers: the object `supplier-search search --json` prints."""
        res = current().search(**p.args(), limit=p.limit, offset=p.offset)
        return JSONResponse(res)

    @app.get(
        "/suppliers",
        summary="Every supplier, paged",
        response_model=SupplierPage,
        responses=ERRORS,
        tags=["suppliers"],
    )
    def suppliers(p: Annotated[ListParams, Query()]) -> Response:
        """Every organization, a page at a time, in the order of `supplier-search list`."""
        res = current().search(
            "", kind=list(p.kind) or list(ORG_KINDS), limit=p.limit, offset=p.offset
        )
        return JSONResponse(
            {"total": res["total"], "limit": p.limit, "offset": p.offset, "results": res["results"]}
        )

    @app.get(
        "/suppliers/{id}",
        summary="One supplier's profile",
        response_model=Profile,
        responses={404: {"model": Error, "description": "no supplier with this id"}, **ERRORS},
        tags=["suppliers"],
    )
    def supplier(id: str) -> Response:
        """One profile with all facts and their evidence: `supplier-search show ID --json`."""
        p = current().show(id)
        if p is None or p["id"] != id:  # show() also finds by name or search: an id is exact
            return _error(404, f"no supplier with id '{id}' (ids are listed by GET /suppliers)")
        return JSONResponse(p)

    def exported(p: ExportParams, make, media_type: str, suffix: str) -> Response:
        res = current().search(**p.args(), limit=sys.maxsize)  # every result, not a page
        stem = "suppliers" if p.lang == "en" else "lieferanten"
        return Response(
            make(export.rows(res["results"], p.lang), p.lang),
            media_type=media_type,
            headers={"Content-Disposition": f'attachment; filename="{stem}.{suffix}"'},
        )

    file_responses = {
        200: {"content": {export.CSV_TYPE: {}}, "description": "all results, the app's columns"},
        **ERRORS,
    }

    @app.get(
        "/export.csv",
        summary="All results as CSV",
        response_class=Response,
        responses=file_responses,
        tags=["export"],
    )
    def export_csv(p: Annotated[ExportParams, Query()]) -> Response:
        """Every result of the search as CSV for German Excel (UTF-8 with BOM, `;`)."""
        return exported(p, export.to_csv, export.CSV_TYPE, "csv")

    xlsx_responses = {**file_responses, 200: {"content": {export.XLSX_TYPE: {}}}}

    @app.get(
        "/export.xlsx",
        summary="All results as Excel",
        response_class=Response,
        responses=xlsx_responses,
        tags=["export"],
    )
    def export_xlsx(p: Annotated[ExportParams, Query()]) -> Response:
        """Every result of the search as an Excel workbook."""
        return exported(p, export.to_xlsx, export.XLSX_TYPE, "xlsx")

    @app.get(
        "/health",
        summary="What is being served",
        response_model=Health,
        responses=ERRORS,
        tags=["index"],
    )
    def health() -> Response:
        """What is being served: `supplier-search stats` in short, plus the generation."""
        d = current()
        stats = d.stats()  # refreshes the searcher first, so the generation is the one served
        return JSONResponse(
            {
                "status": "ok",
                "generation": store.open_existing(d.index_dir).latest_generation(),
                "documents": stats["documents"],
                "organizations": stats["organizations"],
                "last_ingest": iso_time(stats.get("last_ingest")),
            }
        )

    @app.get(
        "/changes",
        summary="What changed since a time",
        response_model=ChangesResponse,
        responses=ERRORS,
        tags=["index"],
    )
    def changes(p: Annotated[ChangesParams, Query()]) -> Response:
        """Every organization each ingest after `since` added, removed or changed (facts added
        or withdrawn, place changed, closed): `supplier-search changes --since … --json`."""
        return JSONResponse(changes_feed(current(), p.since))

    @app.exception_handler(RequestValidationError)
    def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        detail = [
            {
                "loc": [str(x) if not isinstance(x, int) else x for x in e.get("loc", ())],
                "msg": str(e.get("msg", "")).removeprefix("Value error, "),
                "type": str(e.get("type", "")),
            }
            for e in exc.errors()
        ]  # the input is not echoed: it may be 10,000 characters
        message = "; ".join(
            f"{'.'.join(str(x) for x in d['loc'][1:]) or 'request'}: {d['msg']}" for d in detail
        )
        return _error(422, message, detail)

    @app.exception_handler(QueryError)
    def refused(request: Request, exc: QueryError) -> JSONResponse:
        return _error(422, str(exc))

    @app.exception_handler(NoIndex)
    def no_index(request: Request, exc: NoIndex) -> JSONResponse:
        return _error(503, str(exc))

    @app.exception_handler(HTTPException)
    def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        return _error(exc.status_code, str(exc.detail), headers=exc.headers)

    @app.exception_handler(Exception)
    def unexpected(request: Request, exc: Exception) -> JSONResponse:
        # the traceback goes to the server's log, never to the client
        return _error(500, f"unexpected error ({type(exc).__name__})")

    return app


def _error(
    status: int, message: str, detail: list | None = None, headers: dict | None = None
) -> JSONResponse:
    body: dict[str, Any] = {"error": message}
    if detail is not None:
        body["detail"] = detail
    return JSONResponse(body, status_code=status, headers=headers)


def serve(
    index_dir: str | Path | None = None, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT
) -> None:
    """Run the API with uvicorn until interrupted (Ctrl-C stops it cleanly).

    Example: `serve(".data/index", port=8080)`, then `curl 'localhost:8080/search?q=Drehteile'`.
    """
    import uvicorn

    uvicorn.run(create_app(index_dir), host=host, port=port, log_level="info")
