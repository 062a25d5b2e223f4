"""`python -m eval.realtext missing|score`: which texts are missing here; extraction P/R."""

from __future__ import annotations

import argparse
import datetime
import subprocess

from . import ROOT, docs_dir, load_manifest, missing, run, table


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.realtext", description=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("missing", help="list manifest rows whose text is not on this machine")
    sc = sub.add_parser("score", help="ingest the texts and score extraction")
    sc.add_argument("--errors", action="store_true", help="also list every error")
    a = p.parse_args(argv)
    if a.cmd == "missing":
        rows = load_manifest()
        gone = missing(rows)
        for r in gone:
            print(f"{r.id}\t{r.kind}\t{r.url}\tquery: {r.query}")
        print(f"{len(rows) - len(gone)} of {len(rows)} texts present in {docs_dir()}")
        return 1 if gone else 0
    report = run()
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    print(f"real-text extraction, {datetime.date.today()} at {commit}")
    print(table(report))
    if a.errors:
        print()
        print("\n".join(report.errors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
