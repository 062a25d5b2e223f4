"""Shared fixtures: real indexes on disk, built once per test session."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from index.build import ingest
from index.search import Directory

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir() or not any(SEEDS.glob("*.txt")):
        pytest.skip("../shared/seeds is not present")
    return SEEDS


@pytest.fixture(scope="session")
def seeds_index(tmp_path_factory, seeds_dir) -> Directory:
    ix = tmp_path_factory.mktemp("seeds-index")
    report = ingest([seeds_dir], index_dir=ix)
    assert not report.skipped, report.summary()
    return Directory(ix)


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory) -> Directory:
    ix = tmp_path_factory.mktemp("corpus-index")
    ingest([CORPUS], index_dir=ix)
    return Directory(ix)


def names(result: dict) -> list[str]:
    return [r["name"] for r in result["results"]]


DISK_MB = 4  # small enough to fill in a test, large enough for the demo index


@pytest.fixture()
def small_disk(tmp_path):
    """A real, tiny tmpfs for full-disk tests; skipped with the reason where it cannot be
    mounted (no root, no tmpfs)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    r = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={DISK_MB}m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if r.returncode != 0:
        pytest.skip(f"cannot mount a {DISK_MB} MB tmpfs here: {r.stderr.strip() or r.returncode}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)
