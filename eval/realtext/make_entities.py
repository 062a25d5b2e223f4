"""Write eval/realtext/entities.toml from the annotations: one judged entity per annotated
company or network (the same firm in several pages is one entity), with the names the pages use.

    python -m eval.realtext.make_entities
"""

from __future__ import annotations

import re

from ingest.orgs import normalize_name

from . import HERE, load_annotations

_REFERRING = re.compile(r"^(der|die|das|des|dem|den|ein|eine|sein|seine|ihr|ihre|unser)\b", re.I)


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", normalize_name(name)).strip("-")[:40] or "org"


def main() -> int:
    entities: dict[str, dict] = {}
    by_key: dict[str, str] = {}
    for doc, orgs in sorted(load_annotations().items()):
        for o in orgs:
            if o.kind not in ("company", "network"):
                continue
            key = normalize_name(o.name)
            eid = by_key.get(key)
            if eid is None:
                eid = slug(o.name)
                while eid in entities:
                    eid += "-x"
                by_key[key] = eid
                entities[eid] = {"name": o.name, "aliases": [], "docs": []}
            e = entities[eid]
            e["docs"].append(doc)
            for a in [o.name, *o.aliases]:
                a = a.strip()
                if (
                    len(a) >= 2
                    and a[:1].isupper()
                    and not _REFERRING.match(a)
                    and a not in e["aliases"]
                ):
                    e["aliases"].append(a)
    lines = [
        "# Judged entities of the real-text suite, generated from annotations/ by",
        "# `python -m eval.realtext.make_entities` (companies and networks; names, not sentences).",
        "",
    ]
    for eid, e in entities.items():
        lines.append(f"[entities.{eid}]")
        lines.append(f"name = {_q(e['name'])}")
        lines.append("aliases = [" + ", ".join(_q(a) for a in e["aliases"]) + "]")
        lines.append("docs = [" + ", ".join(_q(d) for d in e["docs"]) + "]")
        lines.append("")
    (HERE / "entities.toml").write_text("\n".join(lines), encoding="utf-8")
    print(f"{len(entities)} entities")
    return 0


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


if __name__ == "__main__":
    raise SystemExit(main())
