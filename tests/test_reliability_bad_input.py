"""Bad input: a generated folder of broken, hostile and odd files next to good ones.

Staff must see every bad file named once with a one-line reason, every good file beside them
indexed and searchable, nothing read from outside the folder, and never a traceback or a hang.
The corpus is built by `badfiles.build` in a temporary folder (see SECURITY.md for the list).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import badfiles
import pytest
from test_reliability_crash import run_cli

from index.build import ingest
from index.search import Directory
from ingest.load import Limits

# A per-file limit well above what any good file needs (about a second on a busy machine) but
# low enough that a file hitting it would show as a failure rather than as a slow test.
LIMITS = Limits(seconds=30)


@pytest.fixture(scope="module")
def bad(tmp_path_factory) -> badfiles.BadCorpus:
    base = tmp_path_factory.mktemp("bad-input")
    return badfiles.build(base / "corpus", base / "outside")


@pytest.fixture(scope="module")
def ingested(bad, tmp_path_factory):
    ix = tmp_path_factory.mktemp("bad-index")
    report = ingest([bad.root], index_dir=ix, limits=LIMITS)
    return report, Directory(ix), ix


def reasons(report) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for path, reason in report.skipped:
        out.setdefault(path, []).append(reason)
    return out


def test_corpus_covers_the_inputs_the_issue_lists(bad):
    probes = " ".join(c.probe for c in bad.cases).lower()
    for needle in (
        "empty",
        "truncated",
        "password",
        "image-only",
        "150-page",
        "html saved as .pdf",
        "random bytes",
        "nul bytes",
        "utf-16",
        "windows-1252",
        "30 mb html",
        "20,000 elements deep",
        "excel",
        "word",
        "zip",
        "spaces, umlauts",
        "same bytes",
        "outside",
    ):
        assert needle in probes, needle
    assert len(bad.bad) >= 25 and len(bad.good) >= 12


def test_every_bad_file_is_named_once_with_a_one_line_reason(bad, ingested):
    report, _, _ = ingested
    got = reasons(report)
    for case in bad.bad:
        path = bad.path(case)
        assert path in got, f"{case.name} ({case.probe}) not reported; report:\n{report.summary()}"
        assert len(got[path]) == 1, got[path]
        reason = got[path][0]
        assert any(w.lower() in reason.lower() for w in case.reason_words), (case.name, reason)
        assert "\n" not in reason and len(reason) < 200 and "Traceback" not in reason
    unexpected = set(got) - {bad.path(c) for c in bad.bad}
    assert not unexpected, {p: got[p] for p in unexpected}


def test_good_files_beside_the_bad_ones_are_indexed_and_searchable(bad, ingested):
    report, d, _ = ingested
    assert sorted(report.added) == sorted(bad.path(c) for c in bad.good)
    listed = {r["name"] for r in d.list()["results"]}
    for case in bad.good:
        # the exact name proves the bytes were decoded right (UTF-16, Windows-1252, Latin-1)
        assert case.firm in listed, (case.name, case.probe, sorted(listed))
        top = d.search(case.firm)["results"]
        assert top and top[0]["name"] == case.firm, (case.firm, [r["name"] for r in top[:3]])


def test_nothing_outside_the_ingested_folder_is_read(bad, ingested):
    _, d, _ = ingested
    names = " ".join(r["name"] for r in d.list()["results"])
    assert "Draussen" not in names
    assert not d.search("Draussen Sondermaschinen")["results"]
    root = str(bad.root)
    assert all(doc["path"].startswith(root + os.sep) for doc in d.documents())


def test_bad_files_stay_reported_and_nothing_changes_on_the_next_ingest(bad, ingested):
    report, _, ix = ingested
    again = ingest([bad.root], index_dir=ix, limits=LIMITS)
    assert not again.added and not again.updated and not again.removed
    assert sorted(again.unchanged) == sorted(report.added)
    assert reasons(again) == reasons(report)


def test_cli_ingest_with_workers_names_each_bad_file_on_one_line_without_traceback(bad, tmp_path):
    res = run_cli("--index", str(tmp_path / "ix"), "ingest", str(bad.root), "--workers", "2")
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr + res.stdout
    lines = res.stdout.splitlines()
    assert lines[0].startswith(f"added {len(bad.good)}, ")
    skipped = [ln for ln in lines if ln.startswith("skipped ")]
    assert len(skipped) == len(bad.bad) == len(lines) - 1
    for case in bad.bad:
        # printable on one line: a line break as \n, a byte that is not UTF-8 as \xe9
        shown = os.fsencode(bad.path(case)).decode("utf-8", "backslashreplace")
        shown = shown.replace("\n", "\\n")
        assert sum(ln.startswith(f"skipped {shown}: ") for ln in skipped) == 1, case.name


def test_per_file_limits_are_set_from_the_cli_and_named_in_the_reason(bad, tmp_path):
    folder = tmp_path / "limits"
    folder.mkdir()
    for name in ("gut/sehr-lang.pdf", "gut/drehteile.html", "gut/riesig-mit-bildern.html"):
        (folder / Path(name).name).write_bytes((bad.root / name).read_bytes())
    res = run_cli(
        "--index",
        str(tmp_path / "ix"),
        "ingest",
        str(folder),
        "--max-pages",
        "100",
        "--max-html-elements",
        "5",
        "--max-mb",
        "1",
        "--json",
    )
    assert res.returncode == 0, res.stderr
    out = {Path(s["path"]).name: s["reason"] for s in json.loads(res.stdout)["skipped"]}
    assert "150 pages (limit 100, --max-pages)" in out["sehr-lang.pdf"]
    assert "(limit 5, --max-html-elements)" in out["drehteile.html"]
    assert "limit 1 MB, --max-mb" in out["riesig-mit-bildern.html"]

    slow = run_cli(
        "--index",
        str(tmp_path / "ix2"),
        "ingest",
        str(folder / "sehr-lang.pdf"),
        "--timeout",
        "0.05",
    )
    assert slow.returncode == 0, slow.stderr
    assert "took longer than 0.05 s (time limit per file)" in slow.stdout


@pytest.mark.parametrize(
    "args",
    [["--timeout", "0"], ["--timeout", "nan"], ["--max-mb", "-1"], ["--max-pages", "2.5"]],
)
def test_a_limit_that_would_switch_itself_off_is_refused(args, bad, tmp_path):
    res = run_cli("--index", str(tmp_path / "ix"), "ingest", str(bad.root / "gut"), *args)
    assert res.returncode == 2
    assert "Traceback" not in res.stderr and args[0] in res.stderr
    assert not (tmp_path / "ix").exists()
