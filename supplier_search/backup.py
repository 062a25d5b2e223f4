"""Backup and recovery of the whole directory: one `.tar.gz` with a manifest of checksums.

`backup` takes the index's write lock for the moment it needs to link or copy the files — so
the archive holds exactly the last commit, never half of the next one — and releases it before
compressing; searches go on meanwhile (readers take no lock). The archive holds the committed
index (the table of contents and the segments it names, the extraction cache, the change feed),
the curation file and its history, `staff.toml`, the audit log, and the corpus's `uploads/` and
`.removed/`, plus `MANIFEST.json` with every file's size and SHA-256.

`restore` unpacks into a new folder beside the target, checks every file against the manifest
and opens the restored index before anything current is touched; only then it swaps the folders
(under the target's write lock, so never under a running ingest). A truncated, corrupted or
tampered archive is refused with a message saying so, and the current index stays as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import tarfile
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

from index import store
from ingest import upload

from . import audit

FORMAT = "supplier-search-backup"
FORMAT_VERSION = 1
MANIFEST = "MANIFEST.json"
#: the corpus folders a backup keeps: staff uploads and what was removed from the corpus
CORPUS_PARTS = (upload.UPLOADS, upload.REMOVED)
#: files appended to while the app runs: copied as whole lines, never linked
APPENDED = {audit.AUDIT_FILE, "changes.jsonl", "versions.jsonl"}


class BackupError(Exception):
    """A backup or restore that is not done; `code`: `no_index`, `locked`, `damaged`."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Summary:
    """What a backup holds or a restore brought back."""

    path: Path
    files: int
    bytes: int
    generation: int
    documents: int
    uploads: int
    sha256: str = ""


def backup(
    index_dir: str | os.PathLike | None,
    to: str | os.PathLike,
    corpus: Path | None = None,
    user: str = "",
    via: str = "cli",
    wait: float = 30.0,
) -> Summary:
    """Write a consistent archive of the directory to `to` (written aside, then renamed).

    >>> import tempfile
    >>> from index.build import ingest
    >>> d = Path(tempfile.mkdtemp()); (d / "c").mkdir()
    >>> _ = (d / "c" / "a.txt").write_text("Die Muster GmbH in Freiberg fertigt Drehteile.")
    >>> _ = ingest([d / "c"], index_dir=d / "i")
    >>> s = backup(d / "i", d / "b.tar.gz", corpus=d / "c")
    >>> s.documents, check(d / "b.tar.gz")["format"]
    (1, 'supplier-search-backup')
    """
    idir = store.resolve_dir(index_dir)
    if not store.exists(idir):
        raise BackupError("no_index", f"no index at {idir}")
    target = Path(to).absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".backup-", dir=target.parent))
    try:
        ix = store.open_existing(idir)
        lock = _lock(ix, idir, wait)
        try:
            generation = ix.latest_generation()
            with ix.searcher() as s:
                documents = sum(1 for _ in s.documents(rtype="doc"))
            _stage_index(ix, idir, stage / "index")
        finally:
            lock.release()
        uploads = 0
        root = (corpus or upload.corpus_dir()).absolute()
        for part in CORPUS_PARTS:
            src = root / part
            if src.is_dir() and not src.is_symlink():
                for p in sorted(src.rglob("*")):
                    if p.is_file() and not p.is_symlink():
                        dest = stage / "corpus" / part / p.relative_to(src)
                        dest.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copy2(p, dest)
                        uploads += 1
        files = _checksums(stage)
        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "created": audit.now_iso(),
            "index_dir": str(idir),
            "corpus": str(root),
            "generation": generation,
            "documents": documents,
            "files": files,
        }
        tmp = target.with_name(f".{target.name}.tmp{os.getpid()}")
        try:
            with tarfile.open(tmp, "w:gz", compresslevel=6) as tar:
                data = json.dumps(manifest, indent=1, sort_keys=True).encode("utf-8")
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
                tar.addfile(info, io.BytesIO(data))
                for rel in sorted(files):
                    tar.add(stage / rel, arcname=rel, recursive=False)
            os.chmod(tmp, 0o600)  # staff.toml is inside: as private as the file itself
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    digest = _sha256(target)
    summary = Summary(
        target,
        len(files),
        sum(f["size"] for f in files.values()),
        generation,
        documents,
        uploads,
        digest,
    )
    audit.record(
        idir,
        user or audit.os_user(),
        "backup",
        str(target),
        via=via,
        generation=generation,
        files=summary.files,
        sha256=digest,
    )
    return summary


def check(archive: str | os.PathLike) -> dict:
    """The archive's manifest after checking every file in it; `BackupError("damaged")` when
    it cannot be read to the end, a file is missing, extra or differs from its checksum."""
    with tempfile.TemporaryDirectory(prefix=".check-") as tmp:
        return _unpack(Path(archive), Path(tmp))


def _extract_data(tar: tarfile.TarFile, dest: Path) -> None:
    """Extract only plain files and folders inside `dest`, as `filter="data"` does where the
    Python has it (3.11.4 and later; Debian 12's 3.11.2 has not): a member with an absolute
    path, a way out of `dest` or a link is refused as damage, never followed."""
    if hasattr(tarfile, "data_filter"):
        tar.extractall(dest, filter="data")
        return
    root = Path(dest).resolve()
    for member in tar.getmembers():
        target = (root / member.name).resolve()
        if not (member.isfile() or member.isdir()) or not target.is_relative_to(root):
            raise tarfile.TarError(f"unsafe member {member.name!r}")
    tar.extractall(dest)


def restore(
    archive: str | os.PathLike,
    index_dir: str | os.PathLike | None,
    corpus: Path | None = None,
    user: str = "",
    via: str = "cli",
    wait: float = 30.0,
) -> Summary:
    """Replace the index at `index_dir` (and, when `corpus` is given, its `uploads/` and
    `.removed/`) with the archive's; all or nothing."""
    archive = Path(archive)
    idir = store.resolve_dir(index_dir).absolute()
    idir.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{idir.name}.restore-", dir=idir.parent))
    old: list[Path] = []  # the folders the restore replaced, deleted at the end
    try:
        manifest = _unpack(archive, stage)
        try:
            ix = store.open_existing(stage / "index")
            with ix.searcher() as s:
                documents = sum(1 for _ in s.documents(rtype="doc"))
        except Exception as exc:
            raise BackupError(
                "damaged", f"the index in {archive} does not open ({exc}); nothing was restored"
            ) from None
        swaps = [(stage / "index", idir)]
        uploads = 0
        if corpus is not None:
            for part in CORPUS_PARTS:
                src = stage / "corpus" / part
                uploads += sum(1 for p in src.rglob("*") if p.is_file()) if src.is_dir() else 0
                if not src.is_dir():
                    src.mkdir(parents=True)
                swaps.append((src, corpus.absolute() / part))
        lock = None
        if store.exists(idir):
            lock = _lock(store.open_existing(idir), idir, wait)
        try:
            stamp = time.strftime("%Y%m%d-%H%M%S")
            done: list[tuple[Path, Path, Path | None]] = []
            try:
                for new, live in swaps:
                    aside = None
                    if live.exists() or live.is_symlink():
                        aside = live.with_name(f".{live.name}.old-{stamp}-{os.getpid()}")
                        os.rename(live, aside)
                    live.parent.mkdir(parents=True, exist_ok=True)
                    try:
                        os.rename(new, live)
                    except BaseException:
                        if aside is not None:
                            os.rename(aside, live)
                        raise
                    done.append((new, live, aside))
            except BaseException:
                for new, live, aside in reversed(done):  # put everything back as it was
                    os.rename(live, new)
                    if aside is not None:
                        os.rename(aside, live)
                raise
            old = [aside for _, _, aside in done if aside is not None]
        finally:
            if lock is not None:
                lock.release()
        for aside in old:
            shutil.rmtree(aside, ignore_errors=True)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    files = manifest["files"]
    audit.record(
        idir,
        user or audit.os_user(),
        "restore",
        str(archive.absolute()),
        via=via,
        generation=manifest["generation"],
        created=manifest["created"],
        uploads=uploads,
    )
    return Summary(
        idir,
        len(files),
        sum(f["size"] for f in files.values()),
        manifest["generation"],
        documents,
        uploads,
    )


# ----------------------------------------------------------------------------- helpers


_LIVE_SEGMENT = re.compile(rf"^({store.INDEX_NAME}_[0-9a-z]+)\.")


def _lock(ix, idir: Path, wait: float):
    lock = ix.lock("WRITELOCK")
    deadline = time.monotonic() + wait
    while not lock.acquire(blocking=False):
        if time.monotonic() >= deadline:
            raise BackupError(
                "locked", f"an ingest is writing to {idir} (waited {wait:g} s); try again later"
            )
        time.sleep(0.05)
    return lock


def _stage_index(ix, idir: Path, dest: Path) -> None:
    """Link (immutable files) or copy (files appended to) the committed state into `dest`."""
    from whoosh.index import TOC

    toc = TOC.read(ix.storage, store.INDEX_NAME)
    live = {seg.segment_id() for seg in toc.segments}
    current = TOC._filename(store.INDEX_NAME, toc.generation)
    for p in sorted(idir.rglob("*")):
        rel = p.relative_to(idir)
        top = rel.parts[0]
        if p.is_dir() or p.is_symlink() or top.endswith("WRITELOCK") or top.startswith("."):
            continue
        if len(rel.parts) == 1:
            seg = _LIVE_SEGMENT.match(top)
            if seg and seg.group(1) not in live:
                continue  # a stale segment a later commit would delete
            if top.startswith(f"_{store.INDEX_NAME}_") and top != current:
                continue  # an older or temporary table of contents
            if ".tmp" in top:
                continue
        out = dest / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        if p.name in APPENDED:
            data = p.read_bytes()
            out.write_bytes(data[: data.rfind(b"\n") + 1])
            continue
        try:
            os.link(p, out)
        except OSError:
            shutil.copy2(p, out)


def _checksums(root: Path) -> dict[str, dict]:
    return {
        str(p.relative_to(root)): {"size": p.stat().st_size, "sha256": _sha256(p)}
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _unpack(archive: Path, dest: Path) -> dict:
    def damaged(why: str) -> BackupError:
        return BackupError(
            "damaged",
            f"the archive {archive} is damaged ({why}); nothing was restored, "
            "the current index is unchanged",
        )

    if not archive.is_file():
        raise BackupError("damaged", f"no archive at {archive}")
    try:
        with tarfile.open(archive, "r:gz") as tar:
            _extract_data(tar, dest)
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise damaged(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__) from None
    try:
        manifest = json.loads((dest / MANIFEST).read_text(encoding="utf-8"))
        files = manifest["files"]
        if manifest.get("format") != FORMAT:
            raise ValueError("not a supplier-search backup")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise damaged(f"no valid {MANIFEST}: {exc}") from None
    if manifest.get("version", 0) > FORMAT_VERSION:
        raise BackupError("damaged", f"{archive} was written by a newer supplier-search")
    found = _checksums(dest)
    found.pop(MANIFEST, None)
    for rel, want in files.items():
        got = found.get(rel)
        if got is None:
            raise damaged(f"{rel} is missing")
        if got != want:
            raise damaged(f"{rel} differs from its checksum")
    extra = sorted(set(found) - set(files))
    if extra:
        raise damaged(f"{extra[0]} is not in the manifest")
    return manifest


def describe(manifest: dict) -> str:
    """One line about a checked archive, for the CLI."""
    when = dt.datetime.fromisoformat(manifest["created"]).strftime("%Y-%m-%d %H:%M")
    return (
        f"backup of {manifest['index_dir']} from {when}: generation {manifest['generation']}, "
        f"{manifest['documents']} documents, {len(manifest['files'])} files"
    )
