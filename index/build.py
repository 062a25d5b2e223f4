"""Ingest runs: files → extractions → profiles → one atomic Whoosh commit.

Incremental by default. A file's extraction is cached under its content hash and the extractor's
own version, so unchanged files cost a stat() and changed code re-extracts everything it must.
Profiles are re-resolved where a change can reach them (a new document can merge two suppliers, a
removed one split them; `index.resolution`), and only profiles that actually changed are rewritten. Everything a run changes — file records
and profiles — lands in a single commit: a crash or Ctrl-C before it leaves the previous index
as it was, and Whoosh's commit itself is atomic.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import json
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import writing
from whoosh.index import LockError

from ingest import curation as cur
from ingest import gazetteer as gz
from ingest import records as rec
from ingest.extract import extract
from ingest.load import SUPPORTED, Limits, LoadError, content_hash, load

from . import changes, resolution, store
from .evidence import units_record, units_version
from .profile_fields import profile_fields

META_ID = "meta"


class IndexLocked(Exception):
    """Another ingest holds the index."""


@dataclass
class Report:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    organizations: int = 0
    profiles_written: int = 0
    resolved_mentions: int = 0  # mentions resolved again: all, or the part a change reached
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)
    curation_errors: list[str] = field(default_factory=list)
    index_dir: str = ""

    def summary(self) -> str:
        lines = [
            f"added {len(self.added)}, updated {len(self.updated)}, unchanged {len(self.unchanged)}, "
            f"removed {len(self.removed)}, skipped {len(self.skipped)}; "
            f"{self.organizations} organizations ({self.profiles_written} rewritten) in {self.seconds:.2f} s"
        ]
        for path, reason in self.skipped:
            lines.append(f"skipped {shown(path)}: {shown(reason)}")
        for err in self.curation_errors:
            lines.append(f"curation: {shown(err)}")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "skipped": [{"path": shown(p), "reason": shown(r)} for p, r in self.skipped],
            "organizations": self.organizations,
            "profiles_written": self.profiles_written,
            "resolved_mentions": self.resolved_mentions,
            "seconds": round(self.seconds, 3),
            "stages": {k: round(v, 3) for k, v in self.stages.items()},
            "curation_errors": self.curation_errors,
        }


def shown(text: str) -> str:
    """One printable line: a file name may hold a line break, a tab or bytes that are not UTF-8
    (kept by Python as surrogates, which no terminal or JSON encoder can print)."""
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


_XVERSION: str | None = None


def extractor_version() -> str:
    """Hash of the extraction code and its data files: a change re-extracts every file."""
    global _XVERSION
    if _XVERSION is None:
        h = hashlib.sha1()
        base = Path(rec.__file__).parent
        for p in sorted(base.rglob("*")):
            if p.is_file() and p.suffix in (".py", ".csv", ".txt") and "__pycache__" not in p.parts:
                h.update(p.relative_to(base).as_posix().encode())
                h.update(p.read_bytes())
        _XVERSION = h.hexdigest()[:12]
    return _XVERSION


# ----------------------------------------------------------------------- scanning


def scan(
    paths: list[Path], stats: dict[str, os.stat_result] | None = None
) -> tuple[list[tuple[Path, Path]], list[tuple[str, str]]]:
    """(file, root) pairs under the given paths, and files refused before reading.

    Symlinks are followed only when they stay inside the folder that was given; hidden files
    and folders (editor backups, .git) are passed over silently. `stats`, when given, receives
    each listed file's stat (the directory listing has it: no second call per file).
    """
    files: list[tuple[Path, Path]] = []
    refused: list[tuple[str, str]] = []
    for given in paths:
        root = Path(os.path.abspath(given))
        if not root.exists() and not root.is_symlink():
            refused.append((str(root), "no such file or folder"))
            continue
        if _bad_name(str(root)):
            refused.append((str(root), _bad_name(str(root))))
            continue
        if root.is_file():
            files.append((root, root.parent))
            continue
        if not root.is_dir():
            refused.append((str(root), "not a regular file or folder (a pipe, device or socket)"))
            continue
        real_root = root.resolve()
        _walk(str(root), root, real_root, files, refused, stats)
    seen = set()
    unique = []
    for p, r in files:
        if str(p) not in seen:
            seen.add(str(p))
            unique.append((p, r))
    return unique, refused


def _walk(
    folder: str,
    root: Path,
    real_root: Path,
    files: list[tuple[Path, Path]],
    refused: list[tuple[str, str]],
    stats: dict[str, os.stat_result] | None,
) -> None:
    """A folder's files in name order, then its sub-folders in name order (as os.walk does)."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        return
    subdirs = []
    for e in entries:
        if e.name.startswith("."):
            continue
        try:
            is_dir = e.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            if e.is_symlink():
                refused.append((e.path, "symbolic link to a folder (not followed)"))
            else:
                subdirs.append(e)
            continue
        if _bad_name(e.name):
            refused.append((e.path, _bad_name(e.name)))
            continue
        p = Path(e.path)
        if e.is_symlink():
            try:
                target = p.resolve(strict=True)
            except (OSError, RuntimeError):
                refused.append((e.path, "broken symbolic link"))
                continue
            if not target.is_relative_to(real_root):
                refused.append(
                    (e.path, "symbolic link pointing outside the ingested folder (not followed)")
                )
                continue
        files.append((p, root))
        if stats is not None:
            try:
                stats[e.path] = e.stat()
            except OSError:
                pass
    for d in subdirs:
        _walk(d.path, root, real_root, files, refused, stats)


def _bad_name(name: str) -> str | None:
    """Why a file name cannot be kept in the index, if it cannot: names from old archives or
    Windows shares may be Latin-1 bytes, which are not valid UTF-8."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "file name is not valid UTF-8 (rename the file)"
    return None


# ----------------------------------------------------------------------- workers


class _Timeout(BaseException):  # not Exception: parsers that wrap errors must not swallow it
    pass


def _alarm(signum, frame):
    raise _Timeout()


def process_file(path: str, limits: Limits) -> tuple[str, dict | None, str | None]:
    """Load and extract one file: (path, extraction dict, None) or (path, None, reason)."""
    use_alarm = threading.current_thread() is threading.main_thread() and hasattr(
        signal, "setitimer"
    )
    if use_alarm:
        old = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, limits.seconds)
    try:
        doc = load(Path(path), limits)
        ex = extract(doc)
        return path, rec.to_dict(ex), None
    except LoadError as exc:
        return path, None, str(exc)
    except _Timeout:
        return path, None, f"took longer than {limits.seconds:g} s (time limit per file)"
    except RecursionError:
        return path, None, "structure nested too deeply to read"
    except MemoryError:
        return path, None, "too large to read in memory"
    except Exception as exc:  # a bad file must never stop the run
        return path, None, f"could not be read ({type(exc).__name__}: {str(exc)[:120]})"
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)


# ----------------------------------------------------------------------- ingest


def ingest(
    paths: list[str | os.PathLike],
    index_dir: str | os.PathLike | None = None,
    rebuild: bool = False,
    workers: int = 1,
    limits: Limits = Limits(),
    wait: float = 0.0,
    curation_file: str | os.PathLike | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    executor_factory: Callable[[int], cf.Executor] | None = None,
) -> Report:
    t0 = time.perf_counter()
    report = Report()
    idir = store.resolve_dir(index_dir)
    report.index_dir = str(idir)
    ix = store.open_or_create(idir)
    try:
        writer = ix.writer(timeout=wait) if wait else ix.writer()
    except LockError:
        waited = f" (waited {wait:g} s)" if wait else ""
        raise IndexLocked(
            f"another ingest is writing to {idir}{waited}; run this again when it has finished, "
            "or give --wait SECONDS to wait for it"
        ) from None
    committed = False
    try:
        store.remove_crash_leftovers(ix, writer)
        store.add_missing_fields(ix, writer)
        report.stages["open"] = time.perf_counter() - t0
        t = time.perf_counter()
        listed: dict[str, os.stat_result] = {}
        files, refused = scan([Path(p) for p in paths], listed)
        report.skipped.extend(refused)
        roots = [os.path.abspath(p) for p in paths]
        with ix.searcher() as s:
            old_docs = {f["path"]: f for f in s.documents(rtype="doc")}
            meta = next(iter(s.documents(id=META_ID)), None) or {}
        # a killed ingest may have left its change record half done: finish or drop it first
        changes.recover(idir, meta.get("docinfo", {}).get(changes.META_KEY))
        xv = extractor_version()
        xdir = store.extraction_dir(idir)
        xdir.mkdir(parents=True, exist_ok=True)
        cached_names = set(os.listdir(xdir))  # one listing, not a stat per document
        todo: list[str] = []
        keep: dict[str, dict] = {}  # path → doc record (unchanged)
        stats: dict[str, os.stat_result] = {}
        for p, _root in files:
            key = str(p)
            if p.suffix.lower() not in SUPPORTED:
                report.skipped.append(
                    (
                        key,
                        f"unsupported file type '{p.suffix or '(none)'}' (use .html, .htm, .pdf or .txt)",
                    )
                )
                continue
            try:
                st = listed.get(key) or p.stat()
            except OSError as exc:
                report.skipped.append((key, f"cannot be read ({exc.strerror})"))
                continue
            stats[key] = st
            old = old_docs.get(key)
            if (
                not rebuild
                and old is not None
                and old.get("xversion") == xv
                and old.get("size") == st.st_size
                and old.get("mtime") == st.st_mtime_ns
                and _cache_name(xv, old["chash"]) in cached_names
            ):
                keep[key] = old
            else:
                todo.append(key)
        report.stages["scan"] = time.perf_counter() - t

        # files whose bytes are unchanged need no extraction, only a fresh mtime
        t = time.perf_counter()
        new_extractions: dict[str, dict] = {}
        really_todo = []
        for key in todo:
            old = old_docs.get(key)
            if (
                old is not None
                and not rebuild
                and old.get("xversion") == xv
                and stats[key].st_size <= limits.max_bytes
            ):
                try:
                    h = content_hash(Path(key).read_bytes())
                except OSError:
                    h = None
                if h == old.get("chash") and _cache_name(xv, h) in cached_names:
                    keep[key] = dict(old, mtime=stats[key].st_mtime_ns, _touched=True)
                    continue
            really_todo.append(key)
        results = _run(really_todo, limits, workers, progress, executor_factory)
        report.stages["parse_extract"] = time.perf_counter() - t
        for key in really_todo:
            ex, reason = results.pop(key)
            if ex is None:
                report.skipped.append((key, reason or "could not be read"))
                continue
            # cache the full extraction now and keep only what resolution needs: a document's
            # text (its blocks) is most of the bytes and resolution never reads it
            _write_json(_cache_path(xdir, xv, ex["document"]["content_hash"]), ex)
            new_extractions[key] = _slim(ex)
            (report.updated if key in old_docs else report.added).append(key)
        # the same content under two names is one document: keep the first name
        by_hash: dict[str, str] = {}
        for key in sorted(keep):
            by_hash.setdefault(keep[key]["chash"], key)
        for key in sorted(new_extractions):
            h = new_extractions[key]["document"]["content_hash"]
            if h in by_hash and by_hash[h] != key:
                report.skipped.append(
                    (key, f"same content as {by_hash[h]} (duplicate, not indexed twice)")
                )
                (report.added if key in report.added else report.updated).remove(key)
                del new_extractions[key]
            else:
                by_hash[h] = key
        report.unchanged = sorted(k for k in keep)
        scanned = {str(p) for p, _ in files}
        for path in old_docs:
            under = any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)
            if under and path not in scanned:
                report.removed.append(path)
            elif (
                path in {p for p, _ in report.skipped}
                and path not in keep
                and path not in new_extractions
            ):
                report.removed.append(path)
        if rebuild:
            report.removed = [
                p
                for p in old_docs
                if p not in keep and p not in new_extractions and p not in report.removed
            ] + report.removed

        curation_path = Path(curation_file) if curation_file else idir / "curation.toml"
        curation, cur_errors, cur_hash = cur.load_checked(
            curation_path, meta.get("docinfo", {}).get("curation_good")
        )
        report.curation_errors = cur_errors
        changed = bool(report.added or report.updated or report.removed or rebuild)
        touched = [k for k, v in keep.items() if v.get("_touched")]
        # profiles whose stored units another analysis wrote are rewritten, though no file
        # changed: else every query would analyse them again (evidence.units_version)
        units_stale = meta.get("docinfo", {}).get("units_version") != units_version()
        if (
            not changed
            and cur_hash == meta.get("docinfo", {}).get("curation_hash")
            and not touched
            and not units_stale
        ):
            # a run killed after its commit never cleaned the cache: do it now, under the lock
            _gc_cache(
                xdir,
                {_cache_name(v.get("xversion", xv), v["chash"]) for v in old_docs.values()},
            )
            store.cancel(writer)
            committed = True
            with ix.searcher() as s:
                report.organizations = sum(1 for _ in s.document_numbers(rtype="org"))
            report.seconds = time.perf_counter() - t0
            return report

        # resolve over every document the index will hold after this run: the part a change
        # can reach when the last run's state is good for it (index.resolution), else all
        t = time.perf_counter()
        final: dict[str, dict] = {}
        for path, old in old_docs.items():
            if path in report.removed or path in new_extractions or path in keep:
                continue
            final[path] = old  # documents from other folders stay as they are
        final.update(keep)
        docinfo = meta.get("docinfo", {})
        state = None if rebuild else resolution.load(idir, docinfo.get(resolution.META_KEY))
        if state is not None and (
            units_stale
            or state.xversion != xv
            or state.curation_hash != cur_hash
            or {p: d[0] for p, d in state.docs.items()}
            != {p: v["chash"] for p, v in old_docs.items()}
        ):
            state = None

        def cached(path: str) -> rec.Extraction | None:
            old = final[path]
            data = _read_json(_cache_path(xdir, old.get("xversion", xv), old["chash"]))
            return None if data is None else rec.extraction_from(_slim(data))

        new_ex = {path: rec.extraction_from(ex) for path, ex in new_extractions.items()}
        report.stages["load_cache"] = time.perf_counter() - t
        t = time.perf_counter()
        outcome = None
        if state is not None:  # reads the caches of the part it re-resolves
            outcome = resolution.incremental(state, new_ex, set(report.removed), cached, curation)
        if outcome is None:
            t = time.perf_counter()
            extractions = {path: ex for path in final if (ex := cached(path)) is not None}
            extractions.update(new_ex)
            report.stages["load_cache"] += time.perf_counter() - t
            t = time.perf_counter()
            outcome = resolution.full(extractions, curation, xv, cur_hash)
        profiles = outcome.profiles
        report.resolved_mentions = outcome.part_mentions
        report.stages["resolve"] = time.perf_counter() - t

        t = time.perf_counter()
        # the change feed compares, by id, the profiles whose record changes (a different hash)
        # before and after: only those payloads are parsed, so an unchanged profile costs nothing
        before: dict[str, changes.Digest] = {}
        after: dict[str, changes.Digest] = {}
        feed_seconds = 0.0
        with ix.searcher() as s:
            old_orgs: dict[str, str | None] = {}
            old_docnums: dict[str, int] = {}
            if outcome.incremental:
                # only the profiles the part stood for, and any its new profiles take the ids of
                wanted = outcome.replaced | {p.id for p in profiles}
                docnums = (s.document_number(id=oid) for oid in wanted)
            else:
                docnums = s.document_numbers(rtype="org")
            for docnum in docnums:
                if docnum is None:
                    continue
                f = s.stored_fields(docnum)
                old_orgs[f["id"]] = f.get("phash")
                old_docnums[f["id"]] = docnum

            def old_digest(oid: str) -> changes.Digest:
                return changes.digest(json.loads(s.stored_fields(old_docnums[oid])["payload"]))

            new_ids = set()
            for p in profiles:
                fields = profile_fields(p)
                oid = fields["id"]
                new_ids.add(oid)
                differs = old_orgs.get(oid) != fields["phash"]
                if differs:
                    tf = time.perf_counter()
                    after[oid] = changes.digest(p)
                    if oid in old_docnums:
                        before[oid] = old_digest(oid)
                    feed_seconds += time.perf_counter() - tf
                if rebuild or differs or units_stale:
                    # analysed once here, not by every cold query that makes the firm a candidate
                    fields["units"] = units_record(json.loads(fields["payload"]))
                    writer.update_document(**fields)
                    report.profiles_written += 1
            tf = time.perf_counter()
            for oid in old_orgs:
                if oid not in new_ids:
                    before[oid] = old_digest(oid)  # listed as removed, never silently dropped
            feed_seconds += time.perf_counter() - tf
        if not rebuild:
            for oid in old_orgs:
                if oid not in new_ids:
                    writer.delete_by_term("id", oid)
        for path in report.removed:
            writer.delete_by_term("id", "doc:" + path)
        for path, ex in new_extractions.items():
            d = ex["document"]
            writer.update_document(**_doc_fields(path, d, stats[path], xv))
        for path, old in keep.items():
            if rebuild or old.get("_touched"):
                info = dict(old.get("docinfo") or {})
                writer.update_document(
                    id="doc:" + path,
                    rtype="doc",
                    path=path,
                    chash=old["chash"],
                    xversion=old.get("xversion", xv),
                    size=stats[path].st_size,
                    mtime=stats[path].st_mtime_ns,
                    docinfo=info,
                )
        good = (
            cur.text_of(curation_path)
            if not cur_errors
            else (meta.get("docinfo", {}).get("curation_good"))
        )
        now = time.time()
        tf = time.perf_counter()
        # written before the commit, its id committed with it, appended to the log after it
        batch = changes.stage(idir, before, after, at=now)
        feed_seconds += time.perf_counter() - tf
        token = resolution.save(idir, outcome.state)
        writer.update_document(
            id=META_ID,
            rtype="meta",
            docinfo={
                "curation_hash": cur_hash,
                "curation_good": good,
                "last_ingest": now,
                "xversion": xv,
                "units_version": units_version(),
                changes.META_KEY: batch,
                resolution.META_KEY: token,
            },
        )
        report.organizations = outcome.state.organizations
        report.stages["index_prepare"] = time.perf_counter() - t - feed_seconds
        t = time.perf_counter()
        writer.commit(mergetype=writing.CLEAR if rebuild else None, optimize=False)
        committed = True
        report.stages["commit"] = time.perf_counter() - t
        t = time.perf_counter()
        changes.publish(idir, batch)
        resolution.clean(idir, token)
        report.stages["changes"] = feed_seconds + time.perf_counter() - t
        _gc_cache(
            xdir,
            {_cache_name(v.get("xversion", xv), v["chash"]) for v in final.values()}
            | {_cache_name(xv, ex["document"]["content_hash"]) for ex in new_extractions.values()},
        )
        # the place book a search reads instead of the gazetteer, written now while the full
        # gazetteer is loaded, so the first search after an install or data update is fast too
        gz.book()
        report.seconds = time.perf_counter() - t0
        return report
    finally:
        if not committed:
            try:
                store.cancel(writer)
            except Exception:
                pass
            _settle_failed_commit(idir)


def _settle_failed_commit(idir: Path) -> None:
    """After a run that did not commit (a full disk, an error, Ctrl-C): drop its staged change
    batch and half-written cache files now, as the next ingest would, so nothing of a commit
    that did not happen stays behind."""
    try:
        ix = store.open_existing(idir)
        with ix.searcher() as s:
            meta = next(iter(s.documents(id=META_ID)), None) or {}
        changes.recover(idir, meta.get("docinfo", {}).get(changes.META_KEY))
        resolution.clean(idir, meta.get("docinfo", {}).get(resolution.META_KEY))
        for p in store.extraction_dir(idir).glob(f"*.tmp{os.getpid()}"):
            p.unlink(missing_ok=True)
    except Exception:
        pass


def _doc_fields(path: str, d: dict, st: os.stat_result, xv: str) -> dict:
    return {
        "id": "doc:" + path,
        "rtype": "doc",
        "path": path,
        "chash": d["content_hash"],
        "xversion": xv,
        "size": st.st_size,
        "mtime": st.st_mtime_ns,
        "docinfo": {
            "doc": d["id"],
            "title": d["title"],
            "kind": d["kind"],
            "date": d["date"],
            "language": d["language"],
        },
    }


def _run(
    keys, limits, workers, progress, executor_factory
) -> dict[str, tuple[dict | None, str | None]]:
    results: dict[str, tuple[dict | None, str | None]] = {}
    total = len(keys)
    if workers <= 1 or total < 4:
        for n, key in enumerate(keys, 1):
            _, ex, reason = process_file(key, limits)
            results[key] = (ex, reason)
            if progress:
                progress(n, total, key)
        return results
    factory = executor_factory or (lambda n: cf.ProcessPoolExecutor(max_workers=n))
    with factory(workers) as pool:
        futures = {pool.submit(process_file, key, limits): key for key in keys}
        for n, fut in enumerate(cf.as_completed(futures), 1):
            key = futures[fut]
            try:
                _, ex, reason = fut.result()
            except Exception as exc:  # a worker died (killed, out of memory)
                ex, reason = None, f"worker failed ({type(exc).__name__})"
            results[key] = (ex, reason)
            if progress:
                progress(n, total, key)
    return results


def _slim(ex: dict) -> dict:
    """An extraction without its document's text, which resolution and indexing never read."""
    return {**ex, "document": {**ex["document"], "blocks": []}}


def _cache_path(xdir: Path, xv: str, chash: str) -> Path:
    return xdir / _cache_name(xv, chash)


def _cache_name(xv: str, chash: str) -> str:
    return f"{xv}-{chash[:32]}.json"


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _gc_cache(xdir: Path, referenced: set[str]) -> None:
    for name in os.listdir(xdir):
        if name not in referenced:
            try:
                os.unlink(os.path.join(xdir, name))
            except OSError:
                pass
