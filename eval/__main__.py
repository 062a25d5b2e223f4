"""`python -m eval`: print the search-quality table (product vs. plain Whoosh, same run)."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path

from .harness import evaluate, per_query, table
from .judgments import load


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval", description=__doc__)
    p.add_argument("corpus", nargs="*", type=Path, help="folders to evaluate on (default corpus/)")
    p.add_argument("--queries", type=Path, help="judged queries (default eval/queries.toml)")
    p.add_argument("--per-query", action="store_true", help="also list every query's score")
    p.add_argument("--baseline", action="store_true", help="with --per-query: the baseline's")
    p.add_argument("--json", action="store_true", help="print the rows as JSON")
    a = p.parse_args(argv)
    judgments = load(a.queries)
    ev = evaluate(a.corpus or None, judgments=judgments)
    if a.json:
        print(json.dumps([asdict(r) for r in ev.rows], indent=1))
        return 0
    print(table(ev))
    if a.per_query:
        print()
        print(per_query(ev, judgments, ev.best_baseline() if a.baseline else "search"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
