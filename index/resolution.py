"""Incremental resolution: a changed document re-resolves only the profiles it can reach.

Resolving all 10,000 documents of a directory again for one edited member page reads every
cached extraction and joins every mention. But a mention can only join another through a key
they share (`ingest.resolve.mention_keys`: a full name, a distinctive word, an acronym before
the rest of a name), so the last run's state — each mention's keys and raw profile — is kept
beside the index, and the next run re-resolves a *part*:

1. the seeds: the mentions of new and changed documents, and the old mentions of changed or
   removed ones;
2. every old mention holding a key a seed can meet, with the whole old profile it is in (a new
   mention can join it, a removed one can split it), and every profile a staff correction names
   (a merge needs all of them);
3. a full name whose first mention lies outside the part joins nothing inside it: in a full run
   that first mention is where the name's mentions are joined, and it conflicts with them.

Everything outside the part keeps its profile and its id. Inside, the part resolves with the
same rules, in the same order, over the same pairs as a full run, so its profiles are the
ones a full run makes (`tests/test_incremental_resolution.py` compares both); only where a new
profile's id collides with one outside it keeps the outside one's and takes the next.

Whenever the state cannot be trusted — none kept, another extractor or curation file, documents
that differ from the index's, a missing cache, a word that becomes too common to join by (or
stops being) — the run resolves everything, as before, and writes a fresh state.

The state is one pickle named by a token in the index's meta record, written before the commit
and so committed with it: a crash before the commit leaves the previous token pointing at the
previous state.
"""

from __future__ import annotations

import os
import pickle
import secrets
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ingest import curation as cur
from ingest.records import Extraction, Mention, Profile
from ingest.resolve import mention_keys, partner_key, resolve_mentions, too_common

STATE_VERSION = 1
META_KEY = "resolution"

MentionId = tuple[str, int]  # (document path, position among the document's mentions)


@dataclass
class Group:
    """One raw profile (before curation): its id, its names and its mentions."""

    raw_id: str
    names: tuple[str, ...]
    members: list[MentionId]
    curated: bool = False  # a staff correction names it


@dataclass
class State:
    xversion: str
    curation_hash: str
    docs: dict[str, tuple[str, int]] = field(default_factory=dict)  # path → (hash, mentions)
    keys: dict[MentionId, frozenset[str]] = field(default_factory=dict)
    group_of: dict[MentionId, int] = field(default_factory=dict)
    groups: dict[int, Group] = field(default_factory=dict)
    counts: Counter = field(default_factory=Counter)  # 't:' key → mentions holding it
    curated_finals: list[str] = field(default_factory=list)  # ids curation made from curated groups
    organizations: int = 0
    next_group: int = 0
    version: int = STATE_VERSION


@dataclass
class Outcome:
    """What a resolution run gives the writer."""

    profiles: list[Profile]  # every profile to (re)write: all of them, or the part's
    replaced: set[str]  # ids of old profiles the part stands for (delete those not rewritten)
    state: State
    incremental: bool
    part_mentions: int = 0  # mentions re-resolved


# ----------------------------------------------------------------------- state on disk


def state_path(idir: Path, token: str) -> Path:
    return idir / f"resolution-{token}.pickle"


def save(idir: Path, state: State) -> str:
    """Write the state under a new token (atomically) and return the token."""
    token = secrets.token_hex(6)
    path = state_path(idir, token)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    with open(tmp, "wb") as fh:
        pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
    return token


def load(idir: Path, token: str | None) -> State | None:
    if not token:
        return None
    try:
        with open(state_path(idir, token), "rb") as fh:
            state = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        return None
    return state if isinstance(state, State) and state.version == STATE_VERSION else None


def clean(idir: Path, keep: str | None) -> None:
    """Remove every state file but the committed one (older runs, runs that did not commit)."""
    for p in idir.glob("resolution-*"):
        if keep is None or p.name != state_path(idir, keep).name:
            p.unlink(missing_ok=True)


# ----------------------------------------------------------------------- curation


def _curation_names(curation: cur.Curation) -> set[str]:
    out: set[str] = set()
    for _op, e in curation.ops:
        for k in ("name", "into", "alias", "to"):
            if isinstance(e.get(k), str):
                out.add(e[k])
        out.update(n for n in e.get("names", []) if isinstance(n, str))
    return out


def _curated(p: Profile, names: set[str]) -> bool:
    return any(cur._matches(p, n) for n in names)


def _finish(
    raw: list[tuple[Profile, list[MentionId]]], curation: cur.Curation
) -> tuple[list[Profile], list[Group], list[str]]:
    """Curation over raw profiles: the final profiles, the raw groups, the curated final ids."""
    names = _curation_names(curation)
    groups = [
        Group(p.id, tuple(dict.fromkeys([p.name, *p.names])), mids, _curated(p, names))
        for p, mids in raw
    ]
    plain = {g.raw_id for g in groups if not g.curated}
    finals = cur.apply(curation, [p for p, _ in raw])
    return finals, groups, [p.id for p in finals if p.id not in plain]


# ----------------------------------------------------------------------- full run


def full(
    extractions: dict[str, Extraction],
    curation: cur.Curation,
    xversion: str,
    curation_hash: str,
) -> Outcome:
    """Resolve every document (path → extraction) and make the state for the next run."""
    mids: list[MentionId] = []
    mentions: list[Mention] = []
    docs = {}
    state = State(xversion, curation_hash)
    for path in sorted(extractions):
        ex = extractions[path]
        docs[ex.document.id] = ex.document
        state.docs[path] = (ex.document.content_hash, len(ex.mentions))
        for n, m in enumerate(ex.mentions):
            mids.append((path, n))
            mentions.append(m)
    out, keys = resolve_mentions(mentions, docs)
    for mid, ks in zip(mids, keys, strict=True):
        state.keys[mid] = ks
        state.counts.update(k for k in ks if k.startswith("t:"))
    finals, groups, curated = _finish([(p, [mids[i] for i in idxs]) for p, idxs in out], curation)
    _store_groups(state, groups)
    state.curated_finals = curated
    state.organizations = len(finals)
    return Outcome(finals, set(), state, incremental=False, part_mentions=len(mentions))


def _store_groups(state: State, groups: list[Group]) -> None:
    for g in groups:
        gid = state.next_group
        state.next_group += 1
        state.groups[gid] = g
        for mid in g.members:
            state.group_of[mid] = gid


# ----------------------------------------------------------------------- incremental run


def incremental(
    state: State,
    new: dict[str, Extraction],
    removed: set[str],
    read: Callable[[str], Extraction | None],
    curation: cur.Curation,
) -> Outcome | None:
    """Re-resolve the part of the corpus that `new` (added or changed documents, path →
    extraction) and `removed` (paths) can reach; None when only a full run can tell.

    `read(path)` gives a kept document's cached extraction. `state` is updated in place.
    """
    changed = set(new) | set(removed)
    old_seeds = [
        (path, n) for path in changed if path in state.docs for n in range(state.docs[path][1])
    ]
    new_mids: list[MentionId] = []
    new_keys: dict[MentionId, frozenset[str]] = {}
    new_mention: dict[MentionId, Mention] = {}
    for path, ex in new.items():
        for n, m in enumerate(ex.mentions):
            mid = (path, n)
            new_mids.append(mid)
            new_keys[mid] = mention_keys(m)
            new_mention[mid] = m
    counts = state.counts.copy()
    counts.subtract(k for mid in old_seeds for k in state.keys[mid] if k.startswith("t:"))
    counts.update(k for ks in new_keys.values() for k in ks if k.startswith("t:"))
    common = too_common(counts)
    if common != too_common(state.counts):
        return None  # a word became too common to join by, or stopped being: everything moves

    index: dict[str, list[MentionId]] = defaultdict(list)
    for mid, ks in state.keys.items():
        if mid[0] not in changed:
            for k in ks:
                index[k].append(mid)
    reach = {
        partner_key(k)
        for ks in [*(state.keys[mid] for mid in old_seeds), *new_keys.values()]
        for k in ks
        if k not in common
    }
    touched = {state.group_of[mid] for mid in old_seeds}
    for k in reach:
        touched.update(state.group_of[mid] for mid in index.get(k, ()))
    if curation.ops:
        touched.update(gid for gid, g in state.groups.items() if g.curated)
    part = sorted(
        {mid for gid in touched for mid in state.groups[gid].members if mid[0] not in changed}
        | set(new_mids)
    )
    inside = set(part)
    skip = set()
    for mid in part:
        for k in new_keys.get(mid) or state.keys[mid]:
            if k.startswith("k:"):
                first = min(
                    [*index.get(k, ()), *(m for m in new_mids if k in new_keys[m])],
                    default=mid,
                )
                if first not in inside:
                    skip.add(k)

    extractions: dict[str, Extraction] = dict(new)
    for path in {mid[0] for mid in part} - set(new):
        ex = read(path)
        if ex is None or len(ex.mentions) != state.docs[path][1]:
            return None
        extractions[path] = ex
    mentions = [extractions[p].mentions[n] for p, n in part]
    docs = {ex.document.id: ex.document for ex in extractions.values()}
    keys = [new_keys.get(mid) or state.keys[mid] for mid in part]
    used = frozenset(g.raw_id for gid, g in state.groups.items() if gid not in touched)
    out, _ = resolve_mentions(mentions, docs, keys, common, frozenset(skip), used)
    finals, groups, curated = _finish([(p, [part[i] for i in idxs]) for p, idxs in out], curation)

    old_groups = [state.groups.pop(gid) for gid in touched]
    replaced = {g.raw_id for g in old_groups if not g.curated} | set(state.curated_finals)
    for mid in old_seeds:
        state.keys.pop(mid, None)
        state.group_of.pop(mid, None)
    for path in removed:
        state.docs.pop(path, None)
    for path, ex in new.items():
        state.docs[path] = (ex.document.content_hash, len(ex.mentions))
    state.keys.update(new_keys)
    state.counts = +counts
    _store_groups(state, groups)
    state.organizations += len(finals) - len(replaced)
    state.curated_finals = curated
    return Outcome(finals, replaced, state, incremental=True, part_mentions=len(part))
