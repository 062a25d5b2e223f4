"""What a new user meets first: the README's set-up scripts and the CLI's manners.

The scripts run for real elsewhere (CI runs `scripts/test.sh`); here their promises are checked
on the files: a virtual environment of the checkout, no `python` command, no install into the
system Python. The CLI is run as a real process.
"""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from pathlib import Path

import pytest

from index.build import ingest

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "supplier_search.cli"]


@pytest.mark.parametrize("script", ["scripts/demo.sh", "scripts/test.sh"])
def test_setup_scripts_use_a_virtual_environment_and_only_python3(script):
    text = (ROOT / script).read_text(encoding="utf-8")
    assert "source scripts/venv.sh" in text
    lines = [ln.strip() for ln in text.splitlines() if not ln.strip().startswith("#")]
    assert not any(ln.startswith(("python ", "pip ")) for ln in lines), "bare python/pip"
    venv = (ROOT / "scripts" / "venv.sh").read_text(encoding="utf-8")
    assert "command -v python3" in venv and "-m venv .venv" in venv
    assert "python${ver}-venv" in venv  # Debian's package when the venv module is missing


def test_demo_ingests_only_the_document_folders():
    text = (ROOT / "scripts" / "demo.sh").read_text(encoding="utf-8")
    assert "ingest corpus/html corpus/pdf corpus/txt" in text


@pytest.fixture(scope="module")
def small_index(tmp_path_factory) -> Path:
    idx = tmp_path_factory.mktemp("setup-index")
    ingest([ROOT / "corpus" / "txt"], index_dir=idx)
    return idx


def test_stats_shows_the_last_ingest_as_a_date(small_index):
    out = subprocess.run(
        [*CLI, "stats", "--index", str(small_index)], capture_output=True, text=True, check=True
    )
    last = json.loads(out.stdout)["last_ingest"]
    when = datetime.datetime.fromisoformat(last)
    assert abs((datetime.datetime.now(datetime.UTC) - when).total_seconds()) < 3600


@pytest.mark.parametrize("args", [["list"], ["list", "--json"], ["search", "Drehteile"]])
def test_piping_into_head_ends_quietly(small_index, args):
    # `… | head` closes the pipe before the CLI has written: no "unexpected error
    # (BrokenPipeError)", exit 0 (the reader here closes at once, so the write always fails)
    proc = subprocess.Popen(
        [*CLI, *args, "--index", str(small_index)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0 and err == ""
