"""Shared fixtures: real indexes on disk, built once per test session."""

from __future__ import annotations

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
