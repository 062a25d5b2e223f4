"""The HTTP API as its clients meet it: a real `supplier-search serve` process on a free port,
real HTTP through urllib, an index built from the demo corpus (the shared `corpus_index`, read
only) and a private one that is re-ingested while the server runs.

What a client relies on: `GET /search` is exactly what `supplier-search search --json` prints
and `GET /suppliers/{id}` what `show --json` prints; every answer fits the OpenAPI schema the
server publishes; bad input gets a 422 with a JSON message (never a 500, never a traceback); an
ingest is served without a restart; nothing can be changed through the API.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from openpyxl import load_workbook

from index.build import ingest
from supplier_search import export

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "supplier_search.cli"]
NEW_FIRM = (
    "Gießerei Wendt GmbH – Aluminiumguss aus Zwickau\n\n"
    "Die Gießerei Wendt GmbH in Zwickau fertigt Aluminiumguss und Druckguss für den Fahrzeugbau.\n"
)


class Server:
    """A `supplier-search serve` subprocess; its log goes to a file (a full pipe would block)."""

    def __init__(self, index_dir: Path, log: Path):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.log = log
        self.proc = subprocess.Popen(
            [*CLI, "serve", "--index", str(index_dir), "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=log.open("wb"),
            cwd=ROOT,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                self.get("/health")
                return
            except (urllib.error.URLError, ConnectionError):
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("server did not start:\n" + log.read_text()) from None
                time.sleep(0.1)

    def get(self, path: str, **params) -> tuple[int, dict[str, str], bytes]:
        return self.request("GET", path, **params)

    def request(self, method: str, path: str, **params) -> tuple[int, dict[str, str], bytes]:
        query = urllib.parse.urlencode(params, doseq=True)
        url = f"http://127.0.0.1:{self.port}{path}" + (f"?{query}" if query else "")
        req = urllib.request.Request(url, method=method)
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def json(self, path: str, status: int = 200, **params):
        code, headers, body = self.get(path, **params)
        assert code == status, (code, body[:500])
        assert headers["content-type"].startswith("application/json")
        return json.loads(body)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture(scope="module")
def server(corpus_index, tmp_path_factory):
    srv = Server(corpus_index.index_dir, tmp_path_factory.mktemp("api") / "serve.log")
    yield srv
    srv.stop()
    assert "Traceback" not in srv.log.read_text(), "the server hit an unexpected error"


@pytest.fixture(scope="module")
def schema(server) -> dict:
    return server.json("/openapi.json")


def cli_json(index_dir: Path, *args: str) -> dict:
    out = subprocess.run(
        [*CLI, *args, "--json", "--index", str(index_dir)], capture_output=True, cwd=ROOT
    )
    return json.loads(out.stdout.decode("utf-8"))


def without_timing(res: dict) -> dict:
    return {k: v for k, v in res.items() if k != "took_ms"}


# --------------------------------------------------------------------------- schema checking


def conforms(value, schema: dict, defs: dict, where: str = "$") -> list[str]:
    """Where `value` breaks the JSON schema: an undeclared key, a missing required one, a wrong
    type. Objects with declared properties are closed: a key the schema lacks is an error."""
    if "$ref" in schema:
        return conforms(value, defs[schema["$ref"].rsplit("/", 1)[-1]], defs, where)
    if "anyOf" in schema:
        tries = [conforms(value, s, defs, where) for s in schema["anyOf"]]
        return [] if any(not t for t in tries) else min(tries, key=len)
    if "const" in schema and value != schema["const"]:
        return [f"{where}: {value!r} is not {schema['const']!r}"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{where}: {value!r} not in {schema['enum']}"]
    kind = schema.get("type")
    types = {
        "string": str,
        "integer": int,
        "number": (int, float),
        "boolean": bool,
        "null": type(None),
        "array": list,
        "object": dict,
    }
    if kind and (
        not isinstance(value, types[kind]) or (kind in ("integer", "number") and value is True)
    ):
        return [f"{where}: {type(value).__name__} where {kind} is declared"]
    problems: list[str] = []
    if kind == "array":
        for i, item in enumerate(value):
            problems += conforms(item, schema.get("items", {}), defs, f"{where}[{i}]")
    if kind == "object":
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key in schema.get("required", []):
            if key not in value:
                problems.append(f"{where}: required key '{key}' missing")
        for key, item in value.items():
            if key in props:
                problems += conforms(item, props[key], defs, f"{where}.{key}")
            elif isinstance(extra, dict):
                problems += conforms(item, extra, defs, f"{where}.{key}")
            elif props or extra is False:
                problems.append(f"{where}: key '{key}' is not in the schema")
    return problems


def check_schema(schema: dict, path: str, body, status: int = 200) -> None:
    op = schema["paths"][path]["get"]
    declared = op["responses"][str(status)]["content"]["application/json"]["schema"]
    problems = conforms(body, declared, schema["components"]["schemas"])
    assert not problems, problems[:10]


# --------------------------------------------------------------------------- the contract


PARITY = [  # (CLI arguments, the same search as HTTP parameters)
    (["Präzisionsdrehteile Osterzgebirge"], {"q": "Präzisionsdrehteile Osterzgebirge"}),
    (["cable assembly", "--limit", "3"], {"q": "cable assembly", "limit": 3}),
    (["Kabelkonfecktion"], {"q": "Kabelkonfecktion"}),  # misspelt: corrected, suggestion
    (
        ["Drehteile", "--region", "Sachsen", "--region", "Brandenburg"],
        {"q": "Drehteile", "region": ["Sachsen", "Brandenburg"]},
    ),
    (["", "--capability", "Fräsen", "--kind", "company"], {"capability": "Fräsen", "kind": "company"}),
    (["Getriebe", "--near", "Dresden", "--radius-km", "60"], {"q": "Getriebe", "near": "Dresden", "radius_km": 60}),
    (["Getriebe Cottbus"], {"q": "Getriebe Cottbus"}),  # empty answer, alternatives beside it
    (['"Getriebe'], {"q": '"Getriebe'}),  # an unbalanced quote among words is dropped, as in the CLI
    (["Getriebe\tDresden\x07"], {"q": "Getriebe\tDresden\x07"}),  # control characters too
    (["", "--limit", "0"], {"limit": 0}),  # totals and facets only
]  # fmt: skip


@pytest.mark.parametrize("cli_args,params", PARITY, ids=[" ".join(a) for a, _ in PARITY])
def test_search_is_exactly_the_cli_json(server, schema, corpus_index, cli_args, params):
    cli = cli_json(corpus_index.index_dir, "search", *cli_args)
    body = server.json("/search", **params)
    assert without_timing(body) == without_timing(cli)
    assert list(body) == list(cli)  # same keys in the same order
    check_schema(schema, "/search", body)


def test_search_answer_has_the_contract_keys(server, schema):
    res = server.json("/search", q="Präzisionsdrehteile Osterzgebirge", limit=3)
    assert {"query", "total", "results", "facets", "suggestion"} <= set(res)
    assert res["total"] >= len(res["results"]) > 0
    first = res["results"][0]
    assert {"id", "name", "kind", "places", "capabilities", "industries", "certifications"} <= set(
        first
    )
    assert {"contacts", "score", "evidence", "why", "reasons"} <= set(first)
    assert {"name", "district", "state", "regions", "lat", "lon"} <= set(first["places"][0])
    assert {"doc", "title", "kind", "date", "snippet"} <= set(first["evidence"][0])
    assert "<mark>" in " ".join(ev["snippet"] for r in res["results"] for ev in r["evidence"])
    assert set(res["facets"]) == {"capability", "industry", "region", "certification", "kind"}
    # paging: the second page is the continuation of the first
    both = server.json("/search", q="Drehteile", limit=4)["results"]
    second = server.json("/search", q="Drehteile", limit=2, offset=2)["results"]
    assert [r["id"] for r in second] == [r["id"] for r in both[2:4]]


def test_profile_is_exactly_the_cli_show_json_and_unknown_ids_are_404(server, schema, corpus_index):
    first = server.json("/suppliers", limit=1)["results"][0]
    body = server.json(f"/suppliers/{urllib.parse.quote(first['id'])}")
    assert body == cli_json(corpus_index.index_dir, "show", first["id"])
    assert body["facts"] and all(f["evidence"]["sentence"] for f in body["facts"])
    check_schema(schema, "/suppliers/{id}", body)
    for unknown in ("no-such-supplier", first["name"]):  # a name is no id (the CLI takes names)
        err = server.json(f"/suppliers/{urllib.parse.quote(unknown)}", status=404)
        assert "no supplier with id" in err["error"]
        check_schema(schema, "/suppliers/{id}", err, status=404)


def test_supplier_list_pages_through_everything_in_cli_order(server, schema, corpus_index):
    listed = cli_json(corpus_index.index_dir, "list")
    page = server.json("/suppliers", limit=5, offset=5)
    assert page["total"] == listed["total"] and (page["limit"], page["offset"]) == (5, 5)
    assert [r["id"] for r in page["results"]] == [r["id"] for r in listed["results"][5:10]]
    check_schema(schema, "/suppliers", page)
    banks = server.json("/suppliers", kind="bank", limit=1000)
    assert banks["total"] == len(banks["results"]) > 0
    assert {r["kind"] for r in banks["results"]} == {"bank"}


def test_exports_hold_every_result_with_the_apps_columns(server):
    total = server.json("/search", region="Sachsen", limit=0)["total"]
    names = [r["name"] for r in server.json("/search", region="Sachsen", limit=total)["results"]]
    assert total > 10  # more than a page
    code, headers, body = server.get("/export.csv", region="Sachsen")
    assert code == 200 and headers["content-type"].startswith("text/csv")
    assert 'filename="lieferanten.csv"' in headers["content-disposition"]
    parsed = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert parsed[0] == export.header("de")
    assert [r[0] for r in parsed[1:]] == names
    code, headers, body = server.get("/export.xlsx", region="Sachsen", lang="en")
    assert code == 200 and headers["content-type"] == export.XLSX_TYPE
    sheet = list(load_workbook(io.BytesIO(body)).active.values)
    assert list(sheet[0]) == export.header("en") and [r[0] for r in sheet[1:]] == names
    # the same parameters as /search, refused the same way
    assert server.json("/export.csv", status=422, region="Atlantis")["error"]


def test_health_says_what_is_served(server, schema, corpus_index):
    h = server.json("/health")
    check_schema(schema, "/health", h)
    stats = corpus_index.stats()
    assert h["status"] == "ok" and isinstance(h["generation"], int) and h["generation"] >= 1
    assert (h["documents"], h["organizations"]) == (stats["documents"], stats["organizations"])
    when = datetime.datetime.fromisoformat(h["last_ingest"])
    assert when.tzinfo is not None and when <= datetime.datetime.now(datetime.UTC)


# --------------------------------------------------------------------------- bad input


BAD = [  # (what a client sent, words the message must contain)
    ({"q": "AND OR NOT"}, "no words"),  # operators only
    ({"q": '" ( ) "'}, "no words"),  # quotes and brackets only, unbalanced
    ({"q": "x" * 10_000}, "at most 500"),  # far beyond what is searched
    ({"q": "Getriebe " * 1_100}, "at most 500"),
    ({"q": "\x00\x01\x1b"}, "no words"),  # control characters only
    ({"limit": -5}, "limit"),
    ({"limit": "zehn"}, "limit"),
    ({"offset": -1}, "offset"),
    ({"radius_km": "nan", "near": "Dresden"}, "finite"),
    ({"radius_km": "inf", "near": "Dresden"}, "finite"),
    ({"radius_km": -3, "near": "Dresden"}, "radius_km"),
    ({"region": "Atlantis"}, "unknown region 'Atlantis'"),  # the library's QueryError
    ({"capability": "Zauberei"}, "unknown capability"),
    ({"near": "Atlantis"}, "unknown place"),
    ({"kind": "guild"}, "kind"),
    ({"query": "Getriebe"}, "query"),  # a misspelt parameter is not silently ignored
]


@pytest.mark.parametrize("params,says", BAD, ids=[repr(p)[:40] for p, _ in BAD])
def test_bad_input_gets_422_with_a_json_message(server, schema, params, says):
    code, headers, body = server.get("/search", **params)
    assert code == 422, body[:300]
    assert headers["content-type"].startswith("application/json")
    err = json.loads(body)
    assert says in err["error"] and "Traceback" not in body.decode()
    assert len(body) < 5000  # a 10,000-character query is not echoed back
    check_schema(schema, "/search", err, status=422)


def test_hostile_text_is_never_a_server_error(server):
    hostile = [
        "*:*", "name:x OR 1=1", "rtype:org", "\\", "((((", "„Getriebe", "Getriebe“ OR", "~2 ^9",
        "<script>alert(1)</script>", "\u202e\u200bGetriebe", "İ ẞ ﬁ 𝔊𝔢𝔱𝔯𝔦𝔢𝔟𝔢", "%00", "'; --",
        "Dresden " * 60, "\ud800",
    ]  # fmt: skip
    for q in hostile:
        code, _, body = server.get("/search", q=q.encode("utf-8", "surrogatepass"))
        assert code in (200, 422), (q, code, body[:300])
        res = json.loads(body)
        assert ("error" in res) == (code == 422)
        for r in res.get("results", []):
            for ev in r["evidence"]:
                assert not re.search(r"[<>]", re.sub(r"</?mark>", "", ev["snippet"]))


def test_read_only_and_bound_to_this_machine(server, schema):
    assert {m for ops in schema["paths"].values() for m in ops} == {"get"}
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        for path in ("/search", "/suppliers", "/suppliers/x", "/health"):
            code, _, body = server.request(method, path)
            assert code == 405 and "error" in json.loads(body), (method, path, code)
    # nothing but the loopback address listens on the server's port (IPv4 table of the kernel)
    port = f"{server.port:04X}"
    listening = [
        line.split()[1]
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]
        if line.split()[1].endswith(":" + port) and line.split()[3] == "0A"
    ]
    assert listening == [f"0100007F:{port}"]


def test_docs_page_works_without_network(server, schema):
    code, _, page = server.get("/docs")
    assert code == 200 and b"swagger-ui" in page
    assets = re.findall(rb'(?:src|href)="([^"]+)"', page)
    assert assets and all(a.startswith(b"/") for a in assets), assets  # nothing from a CDN
    for a in assets:
        assert server.get(a.decode())[0] == 200, a
    assert schema["info"]["title"] == "supplier-search"
    assert set(schema["paths"]) == {
        "/search", "/suppliers", "/suppliers/{id}", "/export.csv", "/export.xlsx", "/health",
        "/changes",
    }  # fmt: skip


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed")
def test_docs_page_renders_in_a_browser_cut_off_from_the_network(server):
    playwright = pytest.importorskip("playwright.sync_api")
    local = f"http://127.0.0.1:{server.port}/"
    elsewhere: list[str] = []

    def only_local(route):
        if route.request.url.startswith(local):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.route("**/*", only_local)
            page.goto(local + "docs")
            page.wait_for_selector(".opblock-summary-path", timeout=30_000)
            shown = [e.inner_text() for e in page.query_selector_all(".opblock-summary-path")]
        finally:
            browser.close()
    assert "/search" in shown and "/suppliers/{id}" in shown and "/health" in shown
    assert not elsewhere, elsewhere


def test_api_does_not_import_streamlit():
    code = "import sys, supplier_search.api; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "False", out.stderr


# --------------------------------------------------------------------------- a live index


def test_an_ingest_is_served_without_a_restart(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus" / "txt", corpus)
    idx = tmp_path / "index"
    ingest([corpus], index_dir=idx)
    srv = Server(idx, tmp_path / "serve.log")
    try:
        before = srv.json("/health")
        assert "Gießerei Wendt GmbH" not in names(srv.json("/search", q="Aluminiumguss Zwickau"))
        (corpus / "wendt.txt").write_text(NEW_FIRM, encoding="utf-8")
        ingest([corpus], index_dir=idx)  # another process commits while the server runs
        assert names(srv.json("/search", q="Aluminiumguss Zwickau"))[0] == "Gießerei Wendt GmbH"
        after = srv.json("/health")
        assert after["generation"] > before["generation"]
        assert after["organizations"] > before["organizations"]
        assert srv.proc.poll() is None  # the same process, not restarted
        (corpus / "wendt.txt").unlink()
        ingest([corpus], index_dir=idx)  # and a removal too
        assert "Gießerei Wendt GmbH" not in names(srv.json("/search", q="Aluminiumguss Zwickau"))
    finally:
        srv.stop()


def test_serve_refuses_to_start_without_an_index(tmp_path):
    out = subprocess.run(
        [*CLI, "serve", "--index", str(tmp_path / "none"), "--port", "1"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        env={**os.environ, "SUPPLIER_SEARCH_DEBUG": ""},
    )
    assert out.returncode == 1 and "no index at" in out.stderr and "Traceback" not in out.stderr


def names(res: dict) -> list[str]:
    return [r["name"] for r in res["results"]]
