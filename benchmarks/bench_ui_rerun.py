"""Rerun latency of the Streamlit app on the demo corpus (issue 5: p95 within 300 ms).

    python -m benchmarks.bench_ui_rerun [--reruns 60] [--write]

Builds the demo index from corpus/ in a temporary folder, opens the app headless with
`streamlit.testing.v1.AppTest` and times complete script reruns (wall clock of `AppTest.run`,
which includes AppTest's own message handling, so it is an upper bound of the server's work):

- `same search`: a rerun that does not change the search (ticking "Merken" on a result card),
  the commonest interaction after a search;
- `new search`: every rerun a different query from the demo queries, with the app's search
  cache emptied first, so each one runs `Directory.search` twice (results and kind counts),
  builds the cards and the map;
- `facet click`: toggling a Bundesland filter, cache emptied first;
- `profile`: rerun of an open supplier profile (`Directory.show`, facts, map).

`--write` replaces the section "Streamlit rerun latency" in BENCHMARKS.md with the table.
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import time
from pathlib import Path

from benchmarks.measure import machine, percentiles

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "ui" / "streamlit_app.py"
SECTION = "## Streamlit rerun latency"
QUERIES = [
    "Präzisionsdrehteile Osterzgebirge",
    "Kabelkonfektion",
    "cable assembly",
    "Getriebe",
    "Medizintechnik",
    "Optik Rathenow",
    "Mikroelektronik",
    "Armaturen",
    "Metallindustrie Brandenburg",
    "Feinmechanik",
    "Drehteile Freiberg",
    "Schleiftechnik",
    "Härterei",
    "Leiterplatten",
    "Luftfahrt Chemnitz",
    "Zerspanung Erzgebirge",
    "precision mechanics",
    "Feinwerktechnick",
    "",
]


def _timed(at, n: int, before=None) -> list[float]:
    out = []
    for i in range(n):
        if before:
            before(i)
        t = time.perf_counter()
        at.run()
        out.append((time.perf_counter() - t) * 1000)
        assert not at.exception, at.exception
    return out


def measure(reruns: int) -> dict:
    from streamlit.testing.v1 import AppTest

    from index.build import ingest
    from index.search import Directory
    from ui import resources

    tmp = Path(tempfile.mkdtemp(prefix="bench-ui-"))
    os.environ["SUPPLIER_SEARCH_INDEX"] = str(tmp / "index")
    t = time.perf_counter()
    report = ingest([ROOT / "corpus"], index_dir=tmp / "index")
    build_s = time.perf_counter() - t
    d = Directory(tmp / "index")
    results: dict[str, dict] = {}

    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["q"] = "Präzision"
    t = time.perf_counter()
    at.run()
    first_ms = (time.perf_counter() - t) * 1000
    top = d.search("Präzision")["results"][0]["id"]
    box = f"mark-{top}"

    def tick(i):
        at.checkbox(key=box).set_value(i % 2 == 0)

    _timed(at, 3, tick)  # warm
    results["same search"] = percentiles(_timed(at, reruns, tick))

    def new_query(i):
        resources._search.clear()
        at.text_input(key="w_q").set_value(QUERIES[i % len(QUERIES)])

    results["new search"] = percentiles(_timed(at, reruns, new_query))

    at.text_input(key="w_q").set_value("").run()

    def facet(i):
        resources._search.clear()
        at.multiselect(key="w_region_state").set_value(["Sachsen"] if i % 2 == 0 else [])

    results["facet click"] = percentiles(_timed(at, reruns, facet))

    at.query_params.clear()
    prof = AppTest.from_file(str(APP), default_timeout=60)
    prof.query_params["id"] = top
    prof.run()
    results["profile"] = percentiles(_timed(prof, reruns))
    return {
        "machine": machine(),
        "organizations": report.organizations,
        "documents": d.stats()["documents"],
        "index_build_s": round(build_s, 2),
        "first_run_ms": round(first_ms, 1),
        "reruns": reruns,
        "latency_ms": results,
    }


def markdown(r: dict) -> str:
    m = r["machine"]
    rows = "\n".join(
        f"| {name} | {v['n']} | {v['p50']:.0f} | {v['p95']:.0f} | {v['p99']:.0f} |"
        for name, v in r["latency_ms"].items()
    )
    return f"""{SECTION}

Measured by `python -m benchmarks.bench_ui_rerun --reruns {r["reruns"]} --write`: the app in
`streamlit.testing.v1.AppTest` on the demo corpus ({r["documents"]} documents,
{r["organizations"]} organizations); wall clock of complete script reruns in ms, AppTest's own
overhead included. Target (issue 5): p95 within 300 ms.

| rerun | n | p50 | p95 | p99 |
| --- | ---: | ---: | ---: | ---: |
{rows}

- `same search`: ticking "Merken" on a result; the search is answered from the app's cache
  (keyed by the index generation, so a new ingest is never served stale).
- `new search` / `facet click`: cache emptied before every rerun, so each runs the search
  (results plus kind counts), the cards and the map.
- `profile`: an open profile (`Directory.show`, grouped facts, sites map).
- First visit in a fresh process (opens the index, loads gazetteer and taxonomy):
  {r["first_run_ms"]:.0f} ms; nothing is ingested on a rerun.

Machine: {m["cores"]} cores ({m["cpu"]}), Python {m["python"]}, load average at start
{m["load_average_at_start"]}, {m["date"]}; other work ran on the machine at the same time, so
single values are noisy.
"""


def write(section: str, path: Path = ROOT / "BENCHMARKS.md") -> None:
    """Replace (or append) only this section; the rest of the file belongs to others."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(re.escape(SECTION) + r".*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section.rstrip() + "\n\n", text, count=1)
    else:
        text = text.rstrip() + "\n\n" + section
    path.write_text(text.rstrip() + "\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reruns", type=int, default=60)
    ap.add_argument("--write", action="store_true", help="update BENCHMARKS.md")
    args = ap.parse_args()
    r = measure(max(50, args.reruns))
    section = markdown(r)
    print(section)
    if args.write:
        write(section)


if __name__ == "__main__":
    main()
