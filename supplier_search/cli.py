"""The `supplier-search` command: each subcommand is a few lines over the library."""

from __future__ import annotations

import argparse
import atexit
import datetime
import errno
import gc
import html
import json
import math
import os
import re
import sys

from ingest.limits import Limits

DEBUG_ENV = "SUPPLIER_SEARCH_DEBUG"  # set to 1 to see the traceback of an unexpected error


def _print_json(obj) -> None:
    """JSON in UTF-8 whatever the terminal's encoding (RFC 8259 asks for UTF-8). Text typed in a
    Latin-1 terminal reaches Python as lone surrogates; they are written as \\u escapes."""
    text = json.dumps(obj, ensure_ascii=False, indent=2) + "\n"
    data = text.encode("utf-8", "backslashreplace")
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a StringIO in tests
        sys.stdout.write(data.decode("utf-8"))
        return
    sys.stdout.flush()
    buffer.write(data)
    buffer.flush()


class UsageError(Exception):
    """A command line argparse rejects; raised instead of exiting so `--json` can still answer."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would print usage and exit(2)
        raise UsageError(f"{self.prog}: {message}")


def _positive(text: str) -> float:
    """A finite number above zero: 'nan', 'inf' and negatives would silently disable a limit."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: '{text}'") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a finite number above 0, not '{text}'")
    return value


def _count(text: str) -> int:
    value = _positive(text)
    if value != int(value):
        raise argparse.ArgumentTypeError(f"must be a whole number, not '{text}'")
    return int(value)


def _limit(text: str) -> int:
    """A result count: 0 is allowed (totals and facets only)."""
    return 0 if text.strip() in ("0", "+0") else _count(text)


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: '{text}'") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port from 1 to 65535, not '{text}'")
    return value


def _plain(snippet: str) -> str:
    return html.unescape(
        re.sub(r"</?mark>", lambda m: "[" if m.group(0) == "<mark>" else "]", snippet)
    )


def cmd_ingest(a) -> int:
    from index.build import IndexLocked, ingest

    limits = Limits(
        max_bytes=int(a.max_mb * 1024 * 1024),
        max_pdf_pages=a.max_pages,
        max_html_elements=a.max_html_elements,
        max_inflated_bytes=int(a.max_inflated_mb * 1024 * 1024),
        seconds=a.timeout,
    )

    def progress(n, total, path):
        if a.progress:
            print(f"[{n}/{total}] {path}", file=sys.stderr)

    cluster = None
    if a.dask_scheduler:
        from index.distributed import ClusterError, DaskCluster

        try:
            cluster = DaskCluster(a.dask_scheduler)
        except ClusterError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 4
    try:
        report = ingest(
            a.paths,
            index_dir=a.index,
            rebuild=a.rebuild,
            workers=max(2, cluster.threads) if cluster else a.workers,
            limits=limits,
            wait=a.wait,
            curation_file=a.curation,
            progress=progress,
            executor_factory=cluster.executor_factory if cluster else None,
        )
    except IndexLocked as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        from index import store

        print(
            f"error: the disk holding {store.resolve_dir(a.index)} is full ({exc.strerror}); "
            "nothing was committed: the previous index is unchanged and still answers. "
            "Free some space and run the ingest again.",
            file=sys.stderr,
        )
        return 5
    finally:
        if cluster:
            cluster.close()
    from . import audit

    audit.record(
        a.index,
        audit.os_user(),
        "ingest",
        ", ".join(str(p) for p in a.paths),
        via="cli",
        **audit.ingest_counts(report.to_dict()),
    )
    if a.json:
        _print_json(report.to_dict())
    else:
        print(report.summary())
    return 0


def _directory(a):
    from index.search import Directory

    return Directory(a.index)


def cmd_search(a) -> int:
    from index.search import QueryError

    try:
        res = _directory(a).search(
            a.query,
            capability=a.capability,
            industry=a.industry,
            region=a.region,
            certification=a.certification,
            kind=a.kind,
            limit=a.limit,
            near=a.near,
            radius_km=a.radius_km,
        )
    except QueryError as exc:
        if a.json:
            _print_json(
                {
                    "query": a.query,
                    "total": 0,
                    "results": [],
                    "facets": {},
                    "suggestion": None,
                    "error": str(exc),
                }
            )
            return 2
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if a.json:
        _print_json(res)
        return 0
    for note in res["notes"]:
        print(f"note: {note}")
    if res["suggestion"]:
        print(f"did you mean: {res['suggestion']}")
    print(f"{res['total']} organizations for '{a.query}'")
    for n, r in enumerate(res["results"], 1):
        place = (
            ", ".join(filter(None, [r["places"][0]["name"], r["places"][0]["state"]]))
            if r["places"]
            else "place unknown"
        )
        print(
            f"{n:2}. {r['name']} ({r['kind']}; {place}){' [closed]' if r['closed'] else ''}  [{r['id']}]"
        )
        if r["capabilities"]:
            print("    capabilities: " + ", ".join(r["capabilities"][:8]))
        for ev in r["evidence"][:2]:
            print(
                f"    „{_plain(ev['snippet'])[:220]}“ — {ev['title']} ({ev['date'] or 'undated'})"
            )
        for c in r["contacts"][:2]:
            print(
                "    contact: "
                + ", ".join(v for v in (c["person"], c["role"], c["phone"], c["email"]) if v)
            )
    for alt in res.get("alternatives") or []:  # beside an empty answer, labelled, never in it
        print(f"alternative ({alt['label']}): " + ", ".join(r["name"] for r in alt["results"]))
    return 0


def cmd_list(a) -> int:
    res = _directory(a).list(kind=a.kind)
    if a.json:
        _print_json(res)
        return 0
    for r in res["results"]:
        place = r["places"][0]["name"] if r["places"] else "-"
        print(f"{r['id']}\t{r['kind']}\t{r['name']}\t{place}")
    return 0


def cmd_show(a) -> int:
    p = _directory(a).show(a.name)
    if p is None:
        print(f"error: no organization named '{a.name}'", file=sys.stderr)
        return 1
    if a.json:
        _print_json(p)
        return 0
    print(f"{p['name']}  [{p['id']}]  {p['kind']}{'  (reported closed)' if p['closed'] else ''}")
    if len(p["names"]) > 1:
        print("  also: " + "; ".join(p["names"][1:]))
    for pl in p["places"]:
        print(
            f"  place: {pl['name']}, {pl['district']}, {pl['state']} {('(' + ', '.join(pl['regions']) + ')') if pl['regions'] else ''}"
        )
    for c in p["contacts"]:
        print(
            "  contact: "
            + ", ".join(
                v
                for v in (
                    c["person"],
                    c["role"],
                    c["phone"],
                    f"Fax {c['fax']}" if c["fax"] else "",
                    c["email"],
                    c["url"],
                )
                if v
            )
        )
    for f in p["facts"]:
        ev = f["evidence"]
        print(f"  {f['facet']}: {f['label']}  (as of {f['as_of'] or 'undated'})")
        print(f"      „{ev['sentence'][:200]}“ — {ev['title']} ({ev['date'] or 'undated'})")
    from index.reasons import merged

    for why in p["merged_because"]:
        print(f"  merged: {merged(why)}")
    return 0


def iso_time(value: float | str | None) -> str | None:
    """An epoch time as a date a person can read, in the machine's zone with its offset (ISO
    8601); anything else (None, an ISO string already) as it is. `stats` and the API's
    `/health` say the last ingest this way.

    >>> iso_time(0).endswith(("+00:00", ":00")), iso_time(None)
    (True, None)
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.datetime.fromtimestamp(value).astimezone().isoformat(timespec="seconds")
    return value


def cmd_stats(a) -> int:
    stats = _directory(a).stats()
    stats["last_ingest"] = iso_time(stats.get("last_ingest"))
    _print_json(stats)
    return 0


def _since(text: str) -> str:
    """`--since`: checked by the feed's own parser, so the CLI, the API and the app read a date
    alike (a date alone is local midnight, a time without an offset local time)."""
    from index.changes import parse_since
    from index.search import QueryError

    try:
        parse_since(text)
    except QueryError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def changes_feed(directory, since: str) -> dict:
    """The object `changes --json` prints and `GET /changes` answers: the time asked for
    (ISO 8601, with offset), how many organization changes follow, and the changes.

    >>> sorted(changes_feed(type("D", (), {"changes": lambda self, s: []})(), "2026-12-01"))
    ['changes', 'since', 'total']
    """
    from index.changes import parse_since

    found = directory.changes(since)
    return {"since": parse_since(since).isoformat(), "total": len(found), "changes": found}


def cmd_changes(a) -> int:
    from index.changes import english

    feed = changes_feed(_directory(a), a.since)
    if a.json:
        _print_json(feed)
        return 0
    if not feed["changes"]:
        print(f"no changes since {feed['since']}")
        return 0
    for org in feed["changes"]:
        when = datetime.datetime.fromisoformat(org["at"]).astimezone().strftime("%Y-%m-%d %H:%M")
        print(f"{when}  {org['name']} ({org['kind']})  [{org['id']}]")
        for line in english(org):
            print(f"    {line}")
    return 0


def cmd_serve(a) -> int:
    from index import store

    from .api import serve

    where = store.resolve_dir(a.index)
    if not store.exists(where):
        print(
            f"error: no index at {where}: run 'supplier-search ingest corpus/' first",
            file=sys.stderr,
        )
        return 1
    print(
        f"serving {where} read-only at http://{a.host}:{a.port}/ (API docs at /docs)",
        file=sys.stderr,
    )
    serve(where, host=a.host, port=a.port)
    return 0


def cmd_snapshot(a) -> int:
    from index.snapshots import SnapshotError, publish

    try:
        snap = publish(a.index, a.to, keep=a.keep, wait=a.wait)
    except SnapshotError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    print(
        f"published version {snap.version} ({snap.documents} records) at {snap.path}; "
        f"serve it read-only with --index {a.to}/CURRENT"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    ap = _Parser(prog="supplier-search", description="A supplier directory built from documents.")
    ap.add_argument("--index", help="index folder (default: $SUPPLIER_SEARCH_INDEX or .data/index)")
    sub = ap.add_subparsers(dest="cmd", required=True)

    p = sub.add_parser("ingest", help="add, update and remove documents")
    p.add_argument("paths", nargs="+")
    p.add_argument("--index", default=argparse.SUPPRESS)
    p.add_argument("--rebuild", action="store_true", help="start from scratch")
    p.add_argument("--workers", type=int, default=1, help="parallel worker processes for parsing")
    p.add_argument(
        "--dask-scheduler",
        dest="dask_scheduler",
        metavar="ADDRESS",
        help="parse and extract on this Dask cluster (tcp://host:8786); the index is written here",
    )
    p.add_argument(
        "--wait", type=float, default=0.0, help="seconds to wait for another ingest to finish"
    )
    p.add_argument("--curation", help="curation file (default: curation.toml in the index folder)")
    d = Limits()
    p.add_argument(
        "--max-mb", type=_positive, default=d.max_bytes / 2**20, help="skip larger files"
    )
    p.add_argument(
        "--max-pages", type=_count, default=d.max_pdf_pages, help="skip PDFs with more pages"
    )
    p.add_argument(
        "--max-html-elements",
        type=_count,
        default=d.max_html_elements,
        help="skip HTML pages with more elements (data exports, not pages)",
    )
    p.add_argument(
        "--max-inflated-mb",
        type=_positive,
        default=d.max_inflated_bytes / 2**20,
        help="skip PDFs whose compressed streams inflate to more (decompression bombs)",
    )
    p.add_argument("--timeout", type=_positive, default=d.seconds, help="seconds allowed per file")
    p.add_argument("--progress", action="store_true")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("search", help="find suppliers")
    p.add_argument("query", nargs="?", default="")
    p.add_argument("--index", default=argparse.SUPPRESS)
    for facet in ("capability", "industry", "region", "certification", "kind"):
        p.add_argument(f"--{facet}", action="append", help=f"filter by {facet} (repeat for OR)")
    p.add_argument("--near", help="rank by distance from this place")
    p.add_argument("--radius-km", type=_positive, dest="radius_km")
    p.add_argument("--limit", type=_limit, default=10)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("list", help="every organization in the index")
    p.add_argument("--index", default=argparse.SUPPRESS)
    p.add_argument("--kind", action="append")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("show", help="one profile with all facts and their evidence")
    p.add_argument("name")
    p.add_argument("--index", default=argparse.SUPPRESS)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("stats", help="index statistics")
    p.add_argument("--index", default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("changes", help="what ingests changed, per organization, since a time")
    p.add_argument(
        "--since",
        required=True,
        type=_since,
        help="ISO 8601 date or time (2026-12-01, 2026-12-01T08:00+01:00); local time without offset",
    )
    p.add_argument("--index", default=argparse.SUPPRESS)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_changes)

    p = sub.add_parser(
        "snapshot", help="publish the index as an immutable version for read-only app instances"
    )
    p.add_argument("--to", required=True, help="snapshot folder (versions and CURRENT link)")
    p.add_argument("--keep", type=int, default=3, help="versions kept (default 3)")
    p.add_argument("--wait", type=float, default=30.0, help="seconds to wait for a running ingest")
    p.add_argument("--index", default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_snapshot)

    p = sub.add_parser("serve", help="the read-only HTTP API (FastAPI; docs at /docs)")
    p.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default: this machine only)"
    )
    p.add_argument("--port", type=_port, default=8000)
    p.add_argument("--index", default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_serve)

    from . import cli_staff

    cli_staff.add_parsers(sub)  # staff, audit, curation, backup, restore
    return ap


#: commands that read and print, in a process of their own: it ends in a second or two, and
#: what they make holds no cycles worth collecting
_SHORT_READS = frozenset({"search", "show", "list", "stats", "changes"})


def _short_process_gc(cmd: str) -> None:
    """Python's cycle collector in a command-line process. What the imports made lives as long
    as the process: frozen out of the collector's sight. A short read command turns it off:
    at 10k documents a cold search makes millions of objects (its candidates' evidence), over
    which full collections ran again and again, and the interpreter's last collection at exit
    walked them once more (paired runs at 10k: 0.70-0.74x the time). Ingest and the server
    keep it: parse trees are cyclic, and they run long. At exit every command freezes what is
    left, so the interpreter's final collection has nothing to walk (`atexit`)."""
    gc.freeze()
    atexit.register(gc.freeze)
    if cmd in _SHORT_READS:
        gc.disable()


def main(argv: list[str] | None = None) -> int:
    """Run one command; errors are one line on stderr (and a JSON object with `--json`).

    Exit codes: 0 done, 1 not found or unexpected error, 2 bad command line or query,
    3 index locked by another ingest, 4 cluster unavailable, 5 disk full, 130 interrupted.
    """
    process = argv is None  # the command line's own process, not a caller in the same one
    argv = sys.argv[1:] if argv is None else list(argv)
    want_json = "--json" in argv
    for stream in (sys.stdout, sys.stderr):  # an ASCII terminal must not turn 'ä' into a crash
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        args = build_parser().parse_args(argv)
    except UsageError as exc:
        return _fail(str(exc), 2, want_json, argv)
    from index.search import QueryError

    if process:
        _short_process_gc(args.cmd)
    try:
        return args.func(args)
    except QueryError as exc:
        return _fail(str(exc), 2, want_json, argv)
    except KeyboardInterrupt:
        print("interrupted; the index is unchanged", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `supplier-search list | head`: the reader has what it wanted; end quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:  # no traceback for users; SUPPLIER_SEARCH_DEBUG=1 shows it
        if os.environ.get(DEBUG_ENV):
            raise
        reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return _fail(f"unexpected error ({reason[:300]})", 1, want_json, argv)


def _fail(message: str, code: int, want_json: bool, argv: list[str]) -> int:
    print(f"error: {message}", file=sys.stderr)
    if want_json:
        out: dict = {"error": message}
        if "search" in argv:  # keep the search contract's keys for scripts
            out = {"query": None, "total": 0, "results": [], "facets": {}, "suggestion": None}
            out["error"] = message
        _print_json(out)
    return code


if __name__ == "__main__":
    sys.exit(main())
