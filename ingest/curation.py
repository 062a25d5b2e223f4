"""Staff corrections, kept in a TOML file and applied after every resolution.

The file is data that non-programmers edit (README, "Curation"). Each correction names an
organization by its id or any of its names. A malformed file is reported with its line and the
last good curation stays in force, so a typo never undoes every earlier correction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from . import german
from .records import ORG_KINDS, Contact, Evidence, Fact, Profile

OPS = {
    "rename": {"name", "to"},
    "merge": {"names"},
    "split": {"name", "parts"},
    "hide": {"name"},
    "alias": {"name", "alias"},
    "kind": {"name", "kind"},
    "fact": {"name", "action", "facet", "value"},
}
OPTIONAL = {"note", "into", "label", "date"}


@dataclass
class Curation:
    ops: list[tuple[str, dict]] = field(default_factory=list)


def text_of(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def parse(text: str) -> tuple[Curation, list[str]]:
    """Parse and validate; errors name the line of the entry at fault."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return Curation(), [f"not valid TOML: {exc}"]
    errors: list[str] = []
    cur = Curation()
    for op, entries in data.items():
        if op not in OPS:
            errors.append(
                f"line {_line_of(text, op, 0)}: unknown section [[{op}]] (use one of: {', '.join(OPS)})"
            )
            continue
        if not isinstance(entries, list):
            errors.append(
                f"line {_line_of(text, op, 0)}: write [[{op}]] (a list of entries), not [{op}]"
            )
            continue
        for n, entry in enumerate(entries):
            line = _line_of(text, op, n)
            missing = OPS[op] - set(entry)
            unknown = set(entry) - OPS[op] - OPTIONAL
            if missing:
                errors.append(f"line {line}: [[{op}]] needs {', '.join(sorted(missing))}")
                continue
            if unknown:
                errors.append(f"line {line}: [[{op}]] does not know {', '.join(sorted(unknown))}")
                continue
            if op == "kind" and entry["kind"] not in ORG_KINDS:
                errors.append(f"line {line}: kind must be one of {', '.join(ORG_KINDS)}")
                continue
            if op == "fact" and entry["action"] not in ("add", "withdraw"):
                errors.append(f"line {line}: action must be 'add' or 'withdraw'")
                continue
            if op == "merge" and (not isinstance(entry["names"], list) or len(entry["names"]) < 2):
                errors.append(
                    f'line {line}: merge needs names = ["A", "B", …] with two or more names'
                )
                continue
            if op == "split" and (
                not isinstance(entry["parts"], list)
                or not all(
                    isinstance(p, dict) and "name" in p and "place" in p for p in entry["parts"]
                )
            ):
                errors.append(f'line {line}: split needs parts = [{{name = "…", place = "…"}}, …]')
                continue
            cur.ops.append((op, entry))
    return cur, errors


def _line_of(text: str, op: str, n: int) -> int:
    hits = [
        m.start() for m in re.finditer(r"^\s*\[\[?\s*" + re.escape(op) + r"\s*\]\]?", text, re.M)
    ]
    pos = hits[n] if n < len(hits) else (hits[-1] if hits else 0)
    return text.count("\n", 0, pos) + 1


def load_checked(path: Path, last_good: str | None) -> tuple[Curation, list[str], str]:
    """The curation in force: the file if valid, else the last good version with the errors."""
    text = text_of(path)
    if text is None:
        return Curation(), [], ""
    h = hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
    cur, errors = parse(text)
    if errors:
        fallback = parse(last_good)[0] if last_good else Curation()
        note = " — the last good curation stays in force" if last_good else ""
        return fallback, [f"{path.name}: {e}{note}" for e in errors], h
    return cur, [], h


def _matches(p: Profile, name: str) -> bool:
    k = german.fold(name.strip())
    return p.id == name.strip() or any(german.fold(n) == k for n in [p.name, *p.names])


def _staff_evidence(note: str, date: str | None = None) -> Evidence:
    return Evidence(
        doc="curation",
        sentence=note or "set by staff in the curation file",
        date=date or dt.date.today().isoformat(),
    )


def apply(cur: Curation, profiles: list[Profile]) -> list[Profile]:
    for op, e in cur.ops:
        note = e.get("note", "")
        if op == "rename":
            for p in profiles:
                if _matches(p, e["name"]):
                    if p.name not in p.names:
                        p.names.append(p.name)
                    p.name = e["to"]
                    p.names.insert(0, e["to"])
                    p.curation_notes.append(
                        f"renamed to '{e['to']}'" + (f": {note}" if note else "")
                    )
        elif op in ("merge", "alias"):
            names = e["names"] if op == "merge" else [e["name"], e["alias"]]
            group = [p for p in profiles if any(_matches(p, n) for n in names)]
            if op == "alias":
                for p in group[:1] or [p for p in profiles if _matches(p, e["name"])]:
                    p.names.append(e["alias"])
            if len(group) >= 2:
                target = next(
                    (p for p in group if e.get("into") and _matches(p, e["into"])), group[0]
                )
                for other in group:
                    if other is target:
                        continue
                    target.facts += other.facts
                    target.contacts += other.contacts
                    target.sentences += other.sentences
                    target.documents += [d for d in other.documents if d not in target.documents]
                    target.names += [n for n in other.names if n not in target.names]
                    target.places += [
                        pl for pl in other.places if pl.name not in {x.name for x in target.places}
                    ]
                    target.merged_because.append(
                        {"code": "staff_merged", "names": [other.name], "note": note or ""}
                    )
                    profiles.remove(other)
        elif op == "split":
            for p in [p for p in profiles if _matches(p, e["name"])]:
                parts = []
                for part in e["parts"]:
                    docs = {
                        f.evidence.doc
                        for f in p.facts
                        if f.facet in ("place", "site")
                        and german.fold(f.value) == german.fold(part["place"])
                    }
                    np = Profile(
                        id=p.id + "-" + german.fold(part["place"]).replace(" ", "-"),
                        name=part["name"],
                        kind=p.kind,
                        names=[part["name"]],
                    )
                    np.facts = [f for f in p.facts if f.evidence.doc in docs]
                    np.sentences = [s for s in p.sentences if s.doc in docs]
                    np.contacts = [c for c in p.contacts if c.evidence and c.evidence.doc in docs]
                    np.places = [
                        pl for pl in p.places if german.fold(pl.name) == german.fold(part["place"])
                    ]
                    np.documents = [d for d in p.documents if d["doc"] in docs]
                    np.curation_notes.append(
                        f"split from '{p.name}'" + (f": {note}" if note else "")
                    )
                    parts.append(np)
                profiles.remove(p)
                profiles.extend(parts)
        elif op == "hide":
            for p in profiles:
                if _matches(p, e["name"]):
                    p.hidden = True
                    p.curation_notes.append("hidden" + (f": {note}" if note else ""))
        elif op == "kind":
            for p in profiles:
                if _matches(p, e["name"]):
                    p.kind = e["kind"]
                    p.curation_notes.append(
                        f"kind set to {e['kind']}" + (f": {note}" if note else "")
                    )
        elif op == "fact":
            for p in profiles:
                if not _matches(p, e["name"]):
                    continue
                if e["action"] == "withdraw":
                    p.facts = [
                        f
                        for f in p.facts
                        if not (
                            f.facet == e["facet"]
                            and german.fold(f.value) == german.fold(str(e["value"]))
                        )
                    ]
                    if e["facet"] == "contact":
                        p.contacts = [
                            c
                            for c in p.contacts
                            if german.fold(c.person) != german.fold(str(e["value"]))
                        ]
                    p.curation_notes.append(
                        f"withdrew {e['facet']} {e['value']}" + (f": {note}" if note else "")
                    )
                elif e["facet"] == "contact":
                    p.contacts.append(
                        Contact(
                            person=str(e["value"]),
                            role=e.get("label", ""),
                            evidence=_staff_evidence(note, e.get("date")),
                        )
                    )
                else:
                    p.facts.append(
                        Fact(
                            e["facet"],
                            str(e["value"]),
                            e.get("label", str(e["value"])),
                            _staff_evidence(note, e.get("date")),
                        )
                    )
                    p.curation_notes.append(
                        f"added {e['facet']} {e['value']}" + (f": {note}" if note else "")
                    )
    return [p for p in profiles if not p.hidden]
