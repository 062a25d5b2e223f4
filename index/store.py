"""Where the index lives and how it is opened."""

from __future__ import annotations

import os
import re
import shutil
import time
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
    """True when a committed index is there; looks at file names only, so a commit deleting the
    previous table of contents at this moment cannot make it fail."""
    try:
        return any(_TOC.match(name) for name in os.listdir(index_dir))
    except OSError:
        return False


def open_or_create(index_dir: Path):
    index_dir.mkdir(parents=True, exist_ok=True)
    if exists(index_dir):
        return open_existing(index_dir)
    return windex.create_in(str(index_dir), build_schema(), indexname=INDEX_NAME)


def add_missing_fields(ix, writer) -> list[str]:
    """Fields the schema gained since this index was created are added in place (Whoosh can),
    so an index of an older version keeps working; the re-extraction that a new extractor
    version forces fills them."""
    added = []
    schema = build_schema()
    for name in schema.names():
        if name not in ix.schema:
            writer.add_field(name, schema[name])
            added.append(name)
    return added


def open_existing(index_dir: Path, attempts: int = 20):
    """Open the committed index, retrying when a concurrent commit removes the table of contents
    between finding and reading it (Whoosh retries this for searchers, but not for opening)."""
    for attempt in range(attempts):
        try:
            return windex.open_dir(str(index_dir), indexname=INDEX_NAME)
        except FileNotFoundError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.01 * (attempt + 1))


def extraction_dir(index_dir: Path) -> Path:
    return index_dir / "extractions"


_TOC = re.compile(rf"^_{INDEX_NAME}_\d+\.toc$")
_TEMP_TOC = re.compile(rf"^_{INDEX_NAME}_\d+\.toc\.[\d.]+$")
_SEGMENT_FILE = re.compile(rf"^({INDEX_NAME}_[0-9a-z]+)\.")


def remove_crash_leftovers(ix, writer) -> list[str]:
    """Delete what a writer killed mid-commit left behind: its temporary table of contents and
    the files and temp folders of segments that neither the index nor `writer` uses.

    Whoosh writes the new table of contents to a temporary name and renames it into place, so a
    kill leaves the previous index intact, but the unfinished segment's files stay until some
    later commit happens to clean them, and the temporary TOC and temp folder forever. Call this
    only with `writer` holding the write lock: then no other writer owns any of these files.
    """
    from whoosh.index import TOC

    toc = TOC.read(ix.storage, INDEX_NAME)
    live = {seg.segment_id() for seg in toc.segments} | {writer.newsegment.segment_id()}
    current = TOC._filename(INDEX_NAME, toc.generation)
    removed = []
    for p in Path(ix.storage.folder).iterdir():
        seg = _SEGMENT_FILE.match(p.name)
        stale_toc = p.name.startswith(f"_{INDEX_NAME}_") and p.name != current
        if (seg and seg.group(1) not in live) or stale_toc or _TEMP_TOC.match(p.name):
            try:
                shutil.rmtree(p) if p.is_dir() else p.unlink()
                removed.append(p.name)
            except OSError:
                pass
    return removed


def cancel(writer) -> None:
    """Cancel a writer and delete the files of the segment it had started.

    Whoosh's own cancel() leaves that segment's term and posting files behind until some later
    commit cleans up, so every ingest that found nothing to change would leave a few files.
    """
    seg = writer.newsegment.segment_id()
    folder = Path(writer.storage.folder)
    try:
        writer.cancel()
    except Exception:
        # a commit that failed half way (a full disk) leaves a writer whose files cannot be
        # closed: do the rest of what cancel() does, so the lock is released and the temporary
        # pool folder goes
        for step in (writer._tempstorage.destroy, writer.writelock.release):
            try:
                step()
            except Exception:
                pass
        writer.is_closed = True
    from whoosh.index import TOC

    if (folder / TOC._filename(INDEX_NAME, writer.generation)).exists():
        return  # the commit got as far as its table of contents: the segment is live
    for p in folder.iterdir():
        if p.name.startswith(f"{seg}.") or _TEMP_TOC.match(p.name):
            try:
                p.unlink()
            except OSError:
                pass


def keep_beside(side: Path, data: bytes) -> None:
    """Write a table derived from one index generation beside the index, atomically, and
    forget the same table of older generations (`<kind>-<generation…>`). A folder that
    cannot be written (a read-only snapshot) only means the next process derives it again.

    >>> import tempfile; d = Path(tempfile.mkdtemp())
    >>> keep_beside(d / "vocabulary-1-abc.marshal", b"old"); keep_beside(d / "vocabulary-2-def.marshal", b"new")
    >>> sorted(p.name for p in d.iterdir())
    ['vocabulary-2-def.marshal']
    """
    try:
        tmp = side.with_name(f"{side.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, side)
        kind = side.name.split("-", 1)[0]
        for old in side.parent.glob(f"{kind}-*"):
            if old != side and not old.name.endswith(".tmp"):
                old.unlink(missing_ok=True)
    except OSError:
        pass
