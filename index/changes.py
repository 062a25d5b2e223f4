"""The change feed: what each ingest changed, per organization, kept beside the index.

Why: purchasers want to hear when a supplier appears or starts offering what they look for, and
other systems (an ERP, the association's website) want to follow the directory without copying
and comparing all of it. So every ingest compares each organization's profile before and after,
by its id, and records what a reader would notice — as codes and ids, never sentences; each
caller words them in its own language (English in the CLI, German or English in the app):

    added            a new id
    removed          an id that is gone (its documents were removed, or curation hides it)
    fact_added       facet + value, e.g. {"facet": "capability", "value": "cap.turning"}
    fact_withdrawn   the same, no longer stated
    place_changed    old → new place names
    closed           it became reported closed
    reopened         it is no longer reported closed

A new sentence restating a known fact, a touched file or a re-ingest of unchanged files records
nothing.

Storage: `changes.jsonl` in the index folder, append-only, one line per ingest that changed
something: `{"at": ISO time (UTC), "ingest": id, "organizations": [{"id", "name", "kind",
"changes": [...]}]}`. One line per ingest makes an ingest's record all or nothing: a line cut
short by a crash has no line end and is ignored, and cut off by the next ingest.

The record must never tell of a commit that did not happen, nor miss one that did. So the ingest
writes its batch to `changes-pending.json` before it commits (`stage`), commits the batch's id
in the index's meta record, and appends the batch to the log after the commit (`publish`). A
pending batch whose id the committed index holds happened, one whose id it does not hold did
not: the reader counts the first and ignores the second, and the next ingest (`recover`, under
the write lock) appends the first to the log and deletes the second.

    >>> before = {"a": Digest("A GmbH", "company", frozenset({("capability", "cap.milling")}),
    ...                       ("Zwickau",), False)}
    >>> after = {"a": Digest("A GmbH", "company", frozenset({("capability", "cap.milling"),
    ...                      ("capability", "cap.turning")}), ("Chemnitz",), False)}
    >>> [c.to_dict() for c in diff(before, after)[0].changes]
    [{'code': 'fact_added', 'facet': 'capability', 'value': 'cap.turning'}, {'code': 'place_changed', 'old': ['Zwickau'], 'new': ['Chemnitz']}]
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest import records as rec
from ingest import taxonomy as tx

from . import store
from .query import QueryError

LOG = "changes.jsonl"
PENDING = "changes-pending.json"
META_KEY = "changes_batch"  # in the meta record's docinfo: the id of the batch committed last

CODES = (
    "added",
    "removed",
    "fact_added",
    "fact_withdrawn",
    "place_changed",
    "closed",
    "reopened",
)
#: facets reported by their own codes (places, closure), not as facts
_NOT_FACTS = frozenset({"place", "site", "closed"})

# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Change:
    """One thing that changed about an organization, as a code with its values."""

    code: str
    facet: str | None = None
    value: str | None = None
    old: list[str] | None = None
    new: list[str] | None = None

    def to_dict(self) -> dict[str, Any]:
        """Only the keys this code uses: `{"code": "added"}`, `{"code": "fact_added", "facet":
        "capability", "value": "cap.turning"}`, `{"code": "place_changed", "old": [...], "new":
        [...]}`."""
        out: dict[str, Any] = {"code": self.code}
        for key in ("facet", "value", "old", "new"):
            value = getattr(self, key)
            if value is not None:
                out[key] = list(value) if isinstance(value, (list, tuple)) else value
        return out

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Change:
        return cls(
            code=str(d.get("code", "")),
            facet=d.get("facet"),
            value=d.get("value"),
            old=list(d["old"]) if d.get("old") is not None else None,
            new=list(d["new"]) if d.get("new") is not None else None,
        )


@dataclass
class OrgChange:
    """What one ingest changed about one organization (its name and kind as it was last seen,
    so a removed organization can still be named)."""

    id: str
    name: str
    kind: str
    changes: list[Change] = field(default_factory=list)
    at: str = ""  # the ingest's time, ISO 8601 in UTC
    ingest: str = ""  # the ingest's id

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": self.at,
            "ingest": self.ingest,
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "changes": [c.to_dict() for c in self.changes],
        }

    @property
    def is_new(self) -> bool:
        return any(c.code == "added" for c in self.changes)


@dataclass(frozen=True)
class Digest:
    """The parts of a profile the feed reports on: facts as (facet, value), place names in the
    profile's order, closure, and the name and kind to show."""

    name: str
    kind: str
    facts: frozenset[tuple[str, str]]
    places: tuple[str, ...]
    closed: bool


def digest(profile: rec.Profile | Mapping[str, Any]) -> Digest:
    """A profile's digest, from the `Profile` an ingest resolves or from the payload the index
    stores (`rec.to_dict` of a profile), so before and after compare alike.

    >>> digest({"name": "A", "kind": "company", "closed": False, "places": [{"name": "Plauen"}],
    ...         "facts": [{"facet": "capability", "value": "cap.turning"},
    ...                   {"facet": "place", "value": "Plauen"}]}).facts
    frozenset({('capability', 'cap.turning')})
    """
    if isinstance(profile, rec.Profile):
        facts = [(f.facet, f.value) for f in profile.facts]
        places = [pl.name for pl in profile.places]
        return Digest(
            profile.name,
            profile.kind,
            frozenset((fa, v) for fa, v in facts if fa not in _NOT_FACTS),
            tuple(dict.fromkeys(places)),
            bool(profile.closed),
        )
    facts = [(str(f.get("facet", "")), str(f.get("value", ""))) for f in profile.get("facts", [])]
    places = [str(pl.get("name", "")) for pl in profile.get("places", [])]
    return Digest(
        str(profile.get("name", "")),
        str(profile.get("kind", "")),
        frozenset((fa, v) for fa, v in facts if fa not in _NOT_FACTS),
        tuple(dict.fromkeys(places)),
        bool(profile.get("closed", False)),
    )


def diff(before: Mapping[str, Digest], after: Mapping[str, Digest]) -> list[OrgChange]:
    """What changed from `before` to `after`, both keyed by organization id.

    `before` holds the organizations whose index record an ingest replaces or deletes, `after`
    those it writes (passing every organization on both sides gives the same answer, only
    slower). An id only in `after` is added, one only in `before` removed; an organization
    whose digest is the same is left out. Sorted by id, so the record is the same every run.
    """
    out: list[OrgChange] = []
    for oid in sorted(set(before) | set(after)):
        old, new = before.get(oid), after.get(oid)
        if old is None and new is not None:
            out.append(OrgChange(oid, new.name, new.kind, [Change("added")]))
            continue
        if new is None and old is not None:
            out.append(OrgChange(oid, old.name, old.kind, [Change("removed")]))
            continue
        assert old is not None and new is not None
        changes = [
            Change("fact_added", facet, value) for facet, value in sorted(new.facts - old.facts)
        ]
        changes += [
            Change("fact_withdrawn", facet, value) for facet, value in sorted(old.facts - new.facts)
        ]
        if set(old.places) != set(new.places):
            changes.append(Change("place_changed", old=list(old.places), new=list(new.places)))
        if new.closed != old.closed:
            changes.append(Change("closed" if new.closed else "reopened"))
        if changes:
            out.append(OrgChange(oid, new.name, new.kind, changes))
    return out


# --------------------------------------------------------------------------- writing


def stage(
    index_dir: str | os.PathLike,
    before: Mapping[str, Digest],
    after: Mapping[str, Digest],
    at: float,
) -> str | None:
    """Before the commit: compare, write the batch as pending and return its id, which the
    ingest commits in the index's meta record (`META_KEY`); None when nothing changed (and then
    nothing is written).

    Example (in `index.build.ingest`): `batch = stage(idir, before, after, time.time())`, the
    commit, then `publish(idir, batch)`.
    """
    changed = diff(before, after)
    if not changed:
        return None
    batch = uuid.uuid4().hex[:16]
    when = dt.datetime.fromtimestamp(at, dt.UTC).isoformat(timespec="microseconds")
    line = {
        "at": when,  # first key: the reader finds the time without parsing the whole line
        "ingest": batch,
        "organizations": [
            {
                "id": c.id,
                "name": c.name,
                "kind": c.kind,
                "changes": [x.to_dict() for x in c.changes],
            }
            for c in changed
        ],
    }
    path = Path(index_dir) / PENDING
    tmp = path.with_name(f"{PENDING}.tmp{os.getpid()}")
    tmp.write_text(json.dumps(line, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)
    return batch


def publish(index_dir: str | os.PathLike, batch: str | None) -> None:
    """After the commit: append the staged batch to the log, then drop the pending file.

    The append is one write of one line, so a reader sees all of it or none of it; it comes
    before the deletion, so at every moment the batch is in the log, the pending file or both
    (the reader looks at the pending file first and removes doubles).
    """
    if batch is None:
        return
    idir = Path(index_dir)
    pending = _read_pending(idir)
    if pending is None or pending.get("ingest") != batch:
        return
    _append(idir, pending)
    (idir / PENDING).unlink(missing_ok=True)


def recover(index_dir: str | os.PathLike, committed: str | None) -> None:
    """At the start of an ingest, holding the write lock: finish what a killed ingest left.

    A pending batch the index committed (`committed` is the meta record's `META_KEY`) is
    appended to the log unless it already is; any other is discarded, since its commit never
    happened. A last line cut short is cut off, and temporary files are deleted.
    """
    idir = Path(index_dir)
    for p in idir.glob(f"{PENDING}.tmp*"):
        p.unlink(missing_ok=True)
    _cut_torn_tail(idir / LOG)
    pending = _read_pending(idir)
    if pending is not None and committed and pending.get("ingest") == committed:
        if committed not in {b.get("ingest") for b in _batches(idir / LOG)}:
            _append(idir, pending)
    (idir / PENDING).unlink(missing_ok=True)


def _append(idir: Path, batch: dict) -> None:
    data = (json.dumps(batch, ensure_ascii=False) + "\n").encode("utf-8")
    fd = os.open(idir / LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _cut_torn_tail(path: Path) -> None:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    if size == 0:
        return
    with path.open("rb+") as f:
        f.seek(size - 1)
        if f.read(1) == b"\n":
            return
        # find the last complete line: read backwards in blocks
        end = size
        keep = 0
        while end > 0:
            start = max(0, end - 65536)
            f.seek(start)
            block = f.read(end - start)
            nl = block.rfind(b"\n")
            if nl >= 0:
                keep = start + nl + 1
                break
            end = start
        f.truncate(keep)


def _read_pending(idir: Path) -> dict | None:
    try:
        data = json.loads((idir / PENDING).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


# --------------------------------------------------------------------------- reading

_AT = re.compile(rb'^\{"at": "([^"]+)"')


def parse_since(value: str | dt.datetime | dt.date) -> dt.datetime:
    """A point in time from an ISO 8601 date or time; without an offset it is this machine's
    local time, and a date alone is its midnight. Raises `QueryError` with a message for the
    person who typed it.

    >>> parse_since("2026-12-01T08:00:00+01:00").isoformat()
    '2026-12-01T08:00:00+01:00'
    >>> parse_since("2026-12-01").date().isoformat()
    '2026-12-01'
    """
    if isinstance(value, dt.datetime):
        when = value
    elif isinstance(value, dt.date):
        when = dt.datetime.combine(value, dt.time())
    else:
        text = str(value).strip()
        try:
            when = dt.datetime.fromisoformat(text)
        except ValueError:
            shown = text[:40] + ("…" if len(text) > 40 else "")
            raise QueryError(
                f"'{shown}' is not an ISO 8601 date or time "
                "(e.g. 2026-12-01 or 2026-12-01T08:00:00+01:00)"
            ) from None
    return when if when.tzinfo is not None else when.astimezone()


def changes_since(
    index_dir: str | os.PathLike, since: str | dt.datetime | dt.date
) -> list[OrgChange]:
    """Every organization change recorded after `since`, oldest first (then by id).

    An organization changed by several ingests appears once per ingest. Pass the `at` of the
    last change seen to get only newer ones.

    Example: `changes_since(".data/index", "2026-12-01")` →
    `[OrgChange(id="zerspanung-albrecht", changes=[Change("fact_added", "capability",
    "cap.turning")], at="2026-12-02T09:14:03.123456+00:00", …), …]`.
    """
    idir = Path(index_dir)
    when = parse_since(since)
    if not store.exists(idir):
        raise QueryError(f"no index at {idir}: run 'supplier-search ingest corpus/' first")
    # the pending file first: a batch moves from it to the log, never back (see publish())
    pending = _read_pending(idir)
    batches = []
    if pending is not None and pending.get("ingest") == _committed_batch(idir):
        batches.append(pending)
    seen = {b.get("ingest") for b in batches}
    for b in _batches(idir / LOG, after=when):
        if b.get("ingest") not in seen:
            seen.add(b.get("ingest"))
            batches.append(b)
    out: list[OrgChange] = []
    for b in batches:
        at = str(b.get("at", ""))
        if not _after(at, when):
            continue
        for o in b.get("organizations", []):
            out.append(
                OrgChange(
                    id=str(o.get("id", "")),
                    name=str(o.get("name", "")),
                    kind=str(o.get("kind", "")),
                    changes=[Change.from_dict(c) for c in o.get("changes", [])],
                    at=at,
                    ingest=str(b.get("ingest", "")),
                )
            )
    out.sort(key=lambda c: (_time(c.at), c.id))
    return out


def _committed_batch(idir: Path) -> str | None:
    ix = store.open_existing(idir)
    try:
        with ix.searcher() as s:
            meta = next(iter(s.documents(id="meta")), None) or {}
    finally:
        ix.close()
    return (meta.get("docinfo") or {}).get(META_KEY)


def _batches(path: Path, after: dt.datetime | None = None) -> list[dict]:
    """The log's complete lines as dicts; lines older than `after` are skipped unparsed."""
    out = []
    try:
        f = path.open("rb")
    except FileNotFoundError:
        return out
    with f:
        for line in f:
            if not line.endswith(b"\n"):
                break  # cut short by a crash: not a record
            if after is not None:
                m = _AT.match(line)
                if m and not _after(m.group(1).decode("ascii", "replace"), after):
                    continue
            try:
                batch = json.loads(line)
            except ValueError:
                continue
            if isinstance(batch, dict):
                out.append(batch)
    return out


def _time(at: str) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(at)
    except ValueError:
        return dt.datetime.min.replace(tzinfo=dt.UTC)
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)


def _after(at: str, when: dt.datetime) -> bool:
    return _time(at) > when


# --------------------------------------------------------------------------- wording

#: How the CLI words a change; the app has its own templates (ui/i18n.py), from the same codes.
ENGLISH = {
    "added": "new in the directory",
    "removed": "removed from the directory",
    "fact_added": "{facet} added: {value}",
    "fact_withdrawn": "{facet} withdrawn: {value}",
    "place_changed": "place: {old} → {new}",
    "closed": "reported closed",
    "reopened": "no longer reported closed",
    "none": "none",
    "facet.capability": "capability",
    "facet.industry": "industry served",
    "facet.focus": "members' industry",
    "facet.certification": "certification",
    "facet.material": "material",
    "facet.batch": "batch size",
    "facet.employees": "employees",
    "facet.founded": "founded",
    "facet.member_of": "member of",
    "facet.members": "members",
    "facet.network_size": "number of members",
    "facet.subsidiary_of": "subsidiary of",
    "facet.successor_of": "successor of",
    "facet.taken_over_by": "taken over by",
}


def render(change: Mapping[str, Any], templates: Mapping[str, str], lang: str = "en") -> str:
    """One change (its dict) as text: concept ids by their label in `lang`, the rest as given.

    >>> render({"code": "fact_added", "facet": "capability", "value": "cap.turning"}, ENGLISH)
    'capability added: Turning / turned parts'
    >>> render({"code": "place_changed", "old": ["Zwickau"], "new": ["Chemnitz"]}, ENGLISH)
    'place: Zwickau → Chemnitz'
    """
    code = str(change.get("code", ""))
    template = templates.get(code)
    if template is None:
        return code
    taxonomy = tx.load()
    value = str(change.get("value") or "")
    concept = taxonomy.concepts.get(value)
    facet = str(change.get("facet") or "")
    none = templates.get("none", "-")
    return template.format(
        facet=templates.get("facet." + facet, facet),
        value=concept.label(lang) if concept else value,
        old=", ".join(change.get("old") or []) or none,
        new=", ".join(change.get("new") or []) or none,
    )


def english(org: Mapping[str, Any]) -> list[str]:
    """An organization's changes (an `OrgChange.to_dict()`) in English words, for the CLI."""
    return [render(c, ENGLISH, "en") for c in org.get("changes") or []]
