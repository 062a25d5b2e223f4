"""Where the index lives and how it is opened."""

from __future__ import annotations

import os
from pathlib import Path

from whoosh import index as windex

from .schema import build_schema

ENV = "SUPPLIER_SEARCH_INDEX"
INDEX_NAME = "suppliers"


def default_index_dir() -> Path:
    """`$SUPPLIER_SEARCH_INDEX`, else `.data/index` in a source checkout (git-ignored), else the
    user's data directory."""
    env = os.environ.get(ENV)
    if env:
        return Path(env)
    root = Path(__file__).resolve().parents[1]
    if (root / "pyproject.toml").exists():
        return root / ".data" / "index"
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "supplier-search" / "index"


def resolve_dir(index_dir: str | os.PathLike | None) -> Path:
    return Path(index_dir) if index_dir else default_index_dir()


def exists(index_dir: Path) -> bool:
    return index_dir.exists() and windex.exists_in(str(index_dir), indexname=INDEX_NAME)


def open_or_create(index_dir: Path):
    index_dir.mkdir(parents=True, exist_ok=True)
    if exists(index_dir):
        return windex.open_dir(str(index_dir), indexname=INDEX_NAME)
    return windex.create_in(str(index_dir), build_schema(), indexname=INDEX_NAME)


def open_existing(index_dir: Path):
    return windex.open_dir(str(index_dir), indexname=INDEX_NAME)


def extraction_dir(index_dir: Path) -> Path:
    return index_dir / "extractions"
