"""`python -m eval`: the search-quality table per suite and over all suites, product against
plain Whoosh measured in the same run."""

from __future__ import annotations

import argparse
import functools
import json
import operator
from dataclasses import asdict

from .harness import REALTEXT, SUITES, evaluate, evaluate_realtext, per_query, table


def _count(ev) -> int:
    return len({s.query.id for s in ev.scored})


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval", description=__doc__)
    p.add_argument(
        "--suite",
        choices=sorted(SUITES) + ["realtext"],
        action="append",
        help="only these suites (repeat); realtext needs the texts of eval/realtext/manifest.tsv",
    )
    p.add_argument("--per-query", action="store_true", help="also list every query's score")
    p.add_argument("--baseline", action="store_true", help="with --per-query: the baseline's")
    p.add_argument("--json", action="store_true", help="print the rows as JSON")
    a = p.parse_args(argv)
    names = a.suite or list(SUITES)
    results = {
        name: evaluate_realtext() if name == "realtext" else evaluate(SUITES[name])
        for name in names
    }
    if a.json:
        print(json.dumps({n: [asdict(r) for r in ev.rows] for n, ev in results.items()}, indent=1))
        return 0
    for name, ev in results.items():
        n = _count(ev)
        suite = REALTEXT if name == "realtext" else SUITES[name]
        print(f"== {name}: {n} judged queries over {', '.join(str(c) for c in suite.corpus)}")
        print(table(ev))
        if name == "realtext":
            print("against (b), the same plain search mapped to the firms the product extracted:")
            print(table(ev, "extracted-de-or"))
        if a.per_query:
            print()
            print(per_query(ev, ev.best_baseline() if a.baseline else "search"))
        print()
    team = [ev for n, ev in results.items() if n != "realtext"]
    if len(team) > 1:
        total = functools.reduce(operator.add, team)
        print(f"== team-written suites: {sum(_count(ev) for ev in team)} judged queries")
        print(table(total))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
