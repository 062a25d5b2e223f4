"""Entity resolution: mentions from all documents → one profile per organization.

"Metallbau-Heinze aus Zwönitz", "Heinze Metallbau GmbH" and "Metallbau Heinze (Zwönitz)" are one
supplier: they share their distinctive word and no town contradicts it. "Richter Metallbau"
(Plauen) and "Richter Präzisionsteile" (Freiberg) share a word but differ in trade and town, so
they stay two. Every merge records which names were joined and why.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter, defaultdict

from . import german, orgs
from .gazetteer import distance_km
from .records import Contact, Evidence, Extraction, Fact, Mention, Place, Profile

_KIND_PRIORITY = {"bank": 5, "media": 5, "public": 4, "institution": 4, "network": 3, "company": 1}


def distinctive(name: str) -> frozenset[str]:
    """The words of a name that identify it: not legal forms, trade words or common nouns."""
    out = set()
    base = orgs._LEGAL_RE.sub(" ", name)
    for w in re.split(r"[\s\-/&,()„“\"]+", base):
        if not w or not w[:1].isupper() and not w[:1].isdigit():
            continue
        if orgs.is_acronym(w) or (
            not orgs.head_kind(w)
            and not orgs.is_common(w)
            and german.stem(w) not in german.lexicon()
        ):
            out.add(german.fold(w))
    return frozenset(out)


@functools.lru_cache(maxsize=1 << 16)
def core(name: str) -> frozenset[str]:
    """Stems of every word of a name except legal forms and places: what it is, not where."""
    from .gazetteer import load as load_gazetteer

    gaz = load_gazetteer()
    base = orgs._LEGAL_RE.sub(" ", german.expand_ellipsis(name))
    return frozenset(
        german.stem(w)
        for w in re.split(r"[\s\-/&,()„“\"]+", base)
        if len(w) > 2 and w[:1].isupper() and not gaz.lookup(w)
    )


def _only_places(tokens: frozenset[str]) -> bool:
    from .gazetteer import load as load_gazetteer

    gaz = load_gazetteer()
    return all(gaz.lookup(t) for t in tokens)


def heads(name: str) -> frozenset[str]:
    return frozenset(
        german.stem(w) for w in re.split(r"[\s\-/]+", name) if w and orgs.head_kind(w) == "company"
    )


def _name_words(name: str) -> list[str]:
    base = orgs._LEGAL_RE.sub(" ", name)
    return [w for w in re.split(r"[\s,]+", base) if w and w not in ("&", "und", "+")]


def _acronyms(name: str) -> frozenset[str]:
    """The words of a name written as acronyms — in capitals ("GMG") or in syllables with
    capitals inside ("FerMeTh") —, folded like `distinctive`'s words.

    >>> sorted(_acronyms("Netzwerk FerMeTh")), sorted(_acronyms("IMPRO")), _acronyms("Leica Camera")
    (['fermeth'], ['impro'], frozenset())
    """
    return frozenset(
        german.fold(w)
        for w in re.split(r"[\s\-/&,()„“\"]+", name)
        if w and (orgs.is_acronym(w) or _SYLLABLE_ACRONYM.fullmatch(w))
    )


_SYLLABLE_ACRONYM = re.compile(r"(?:[A-ZÄÖÜ][a-zäöüß]{0,3}){2,4}")


def acronym_of(acronym: str, name: str, min_len: int = 3) -> bool:
    """'IMPRO' for 'Interessenverband Metall- und Präzisionstechnik Osterzgebirge': each word of
    the long name gives the acronym one or more of its first letters, in order."""
    a = german.fold(acronym)
    ws = [
        german.fold(w)
        for w in re.split(r"[\s\-]+", orgs._LEGAL_RE.sub(" ", name))
        if w and w[:1].isupper()
    ]
    if len(ws) < 2 or len(a) < min_len:
        return False

    def rec(i: int, k: int) -> bool:
        if i == len(a):
            return k == len(ws)
        if k == len(ws):
            return False
        w = ws[k]
        for take in range(1, min(len(w), len(a) - i) + 1):
            if w[:take] == a[i : i + take] and rec(i + take, k + 1):
                return True
        return False

    return rec(0, 0)


def sibling_names(a: str, b: str) -> bool:
    """Two names of one brand that each add their own word are two firms: "Leica Camera" and
    "Leica Microsystems", not a long and a short form of one name ("Leica", "Leica Camera AG").

    >>> sibling_names("Leica Camera", "Leica Microsystems"), sibling_names("Leica", "Leica Camera")
    (True, False)
    >>> sibling_names("Thüringische Formenbau GmbH", "Thüringischen Formenbau")
    False
    """
    ca, cb = core(a), core(b)
    return bool(ca & cb) and not (ca <= cb or cb <= ca)


class _Siblings:
    """The names each profile-in-making holds, so that a join through a shared word never puts
    two sibling names (`sibling_names`) into one profile — also not through a bare short form
    that would fit either ("Leica" beside "Leica Camera" and "Leica Microsystems")."""

    def __init__(self, uf: _UF, mentions: list[Mention]):
        # each distinct name once, with the documents it is written in: a name in a thousand
        # articles is one comparison, not a thousand
        self.names: dict[int, dict[str, set[str]]] = defaultdict(dict)
        for k, m in enumerate(mentions):
            if m.kind == "company":  # "Innovationscluster X" and "Netzwerk X" are one network
                self.names[uf.find(k)].setdefault(m.name, set()).add(m.doc)

    def _names(self, root: int) -> dict[str, set[str]]:
        return self.names.get(root, {})

    def apart(self, ri: int, rj: int) -> bool:
        return any(
            sibling_names(x, y) or (len(dx | dy) > 1 and _group_and_division(x, y))
            for x, dx in self._names(ri).items()
            for y, dy in self._names(rj).items()
        )

    def joined(self, root: int, ri: int, rj: int) -> None:
        merged: dict[str, set[str]] = {}
        for r in (ri, rj):
            for name, docs in self._names(r).items():
                merged.setdefault(name, set()).update(docs)
        self.names[root] = merged
        for r in (ri, rj):
            if r != root:
                self.names.pop(r, None)


class _UF:
    def __init__(self, n: int):
        self.p = list(range(n))
        self.why: dict[int, list[dict]] = defaultdict(list)

    def find(self, x: int) -> int:
        while self.p[x] != x:
            self.p[x] = self.p[self.p[x]]
            x = self.p[x]
        return x

    def union(self, a: int, b: int, reason: dict) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.p[rb] = ra
            self.why[ra].extend(self.why.pop(rb, []))
            self.why[ra].append(reason)


def _has_legal(m: Mention) -> bool:
    return bool(orgs._LEGAL_RE.search(m.name))


def _towns(m: Mention) -> list[Place]:
    return [
        f.place
        for f in m.facts
        if f.facet == "place" and f.place is not None and f.place.municipality
    ]


def _conflict(a: Mention, b: Mention) -> bool:
    """Two mentions placed in towns more than 30 km apart are different organizations; so are
    a subsidiary and its parent ("Optics Balzers Jena", "Tochtergesellschaft der Optics Balzers
    AG"), however alike their names."""
    if _parent_and_child(a, b) or _parent_and_child(b, a):
        return True
    if a.doc != b.doc and _group_and_division(a.name, b.name):
        return True
    ta, tb = _towns(a), _towns(b)
    if not ta or not tb:
        return False
    return (
        min(
            distance_km(x, y)
            if x.lat is not None and y.lat is not None
            else (0 if x.municipality == y.municipality else 1e6)
            for x in ta
            for y in tb
        )
        > 30
    )


def _group_and_division(a: str, b: str) -> bool:
    return _division_of(a, b) or _division_of(b, a)


def _division_of(name: str, group: str) -> bool:
    """ "Carl Zeiss Sport Optics" is one of the group's companies; another document's bare
    "Carl Zeiss" is the group, not a short form of it (in one document the short form is).

    >>> _division_of("Carl Zeiss Sport Optics", "Zeiss"), _division_of("Carl Zeiss", "Zeiss")
    (True, False)
    """
    words = name.split()
    base = list(words)
    while base and base[-1] in orgs.DIVISION_WORDS:
        base.pop()
    return (
        0 < len(base) < len(words)
        and tuple(base) in orgs.lexicon().known
        and set(group.split()) <= set(base)  # "Zeiss" and "Carl Zeiss" both name the group
    )


def _parent_and_child(child: Mention, parent: Mention) -> bool:
    named = [f.value for f in child.facts if f.facet == "subsidiary_of"]
    return any(orgs.normalize_name(v) == orgs.normalize_name(parent.name) for v in named)


def _kinds_clash(a: Mention, b: Mention) -> bool:
    """A chamber, a university and a firm in Chemnitz share a word, not an identity."""
    kinds = {a.kind, b.kind}
    return len(kinds) == 2 and not kinds <= {"company", "network"}


def _same_town(a: Mention, b: Mention) -> bool:
    return any(
        x.municipality == y.municipality or distance_km(x, y) < 5
        for x in _towns(a)
        for y in _towns(b)
    )


def _persons(m: Mention) -> set[str]:
    return {c.person for c in m.contacts if c.person}


TOO_COMMON = 200  # a distinctive word in more mentions than this identifies nothing


def mention_keys(m: Mention) -> frozenset[str]:
    """Every key by which `m` can be joined to another mention, as 'kind:value' strings.

    Two mentions can only be joined when one's key meets the other's (`partner_key`): the same
    full name ('k:'), the same distinctive word ('t:'), or an acronym before the rest of a longer
    name ('ra:' meets 'rs:'). Incremental ingest keeps these per mention, so a changed document
    re-resolves only the mentions its keys reach.

    >>> sorted(mention_keys(Mention(name="KS Präzisionsteile", kind="company", doc="d")))
    ['k:ks prazisionsteile', 'ra:Präzisionsteile', 'rs:Präzisionsteile', 't:ks']
    """
    key = orgs.normalize_name(m.name)
    out = {"k:" + key}
    for n in m.names:
        k = orgs.normalize_name(n)
        # a bare surname ("Rudert") names several firms: only full names join profiles
        if k != key and len(k.split()) >= 2:
            out.add("k:" + k)
    out.update("t:" + t for t in distinctive(m.name))
    words = _name_words(m.name)
    out.update("rs:" + " ".join(words[cut:]) for cut in range(1, len(words)))
    if len(words) >= 2 and orgs.is_acronym(words[0]) and len(words[0]) >= 2:
        out.add("ra:" + " ".join(words[1:]))
    return frozenset(out)


def partner_key(key: str) -> str:
    """The key another mention must hold to be joinable through `key`.

    >>> partner_key("ra:Präzisionsteile"), partner_key("t:heinze")
    ('rs:Präzisionsteile', 't:heinze')
    """
    if key.startswith("ra:"):
        return "rs:" + key[3:]
    if key.startswith("rs:"):
        return "ra:" + key[3:]
    return key


def too_common(counts: Counter) -> frozenset[str]:
    """Distinctive words ('t:' keys) held by more than TOO_COMMON mentions: never a reason to join."""
    return frozenset(k for k, n in counts.items() if n > TOO_COMMON and k.startswith("t:"))


def resolve(extractions: list[Extraction]) -> list[Profile]:
    """One profile per organization from the mentions of all documents.

    Mentions are taken in a fixed order (by document path), and every rule walks its keys in
    sorted order, so the result does not depend on the order documents were read in — which is
    what lets `resolve_mentions` re-resolve a part of the corpus and get what a full run gets.
    """
    ordered = sorted(extractions, key=lambda ex: (ex.document.path, ex.document.id))
    mentions = [m for ex in ordered for m in ex.mentions]
    docs = {ex.document.id: ex.document for ex in ordered}
    return [p for p, _ in resolve_mentions(mentions, docs)[0]]


def resolve_mentions(
    mentions: list[Mention],
    docs: dict,
    keys: list[frozenset[str]] | None = None,
    common: frozenset[str] | None = None,
    skip_keys: frozenset[str] = frozenset(),
    used_ids: frozenset[str] = frozenset(),
) -> tuple[list[tuple[Profile, list[int]]], list[frozenset[str]]]:
    """Profiles with the positions of their mentions, and each mention's `mention_keys`.

    `mentions` must be in the fixed order of `resolve`. For a part of the corpus: `common` are
    the too-common words of the whole corpus, `skip_keys` the full names whose first mention lies
    outside the part (a name joins every mention of it to its first one), `used_ids` the ids the
    rest of the corpus holds.
    """
    uf = _UF(len(mentions))
    if keys is None:
        keys = [mention_keys(m) for m in mentions]
    if common is None:
        common = too_common(Counter(k for ks in keys for k in ks if k.startswith("t:")))
    names = [orgs.normalize_name(m.name) for m in mentions]
    dist = [distinctive(m.name) for m in mentions]
    hd = [heads(m.name) for m in mentions]
    by_key: dict[str, list[int]] = defaultdict(list)
    by_token: dict[str, list[int]] = defaultdict(list)
    for i, ks in enumerate(keys):
        for k in ks:
            if k.startswith("k:"):
                by_key[k].append(i)
            elif k.startswith("t:") and k not in common:
                by_token[k[2:]].append(i)
    for k in sorted(by_key):
        if k in skip_keys:
            continue
        idxs = by_key[k]
        for j in idxs[1:]:
            if not _conflict(mentions[idxs[0]], mentions[j]):
                uf.union(idxs[0], j, {"code": "same_name", "names": [mentions[j].name]})
    siblings = _Siblings(uf, mentions)
    for t in sorted(by_token):
        idxs = by_token[t]
        for x in range(len(idxs)):
            for y in range(x + 1, len(idxs)):
                i, j = idxs[x], idxs[y]
                if uf.find(i) == uf.find(j):
                    continue
                a, b = mentions[i], mentions[j]
                if _conflict(a, b) or _kinds_clash(a, b):
                    continue
                if dist[i] != dist[j] and not (dist[i] <= dist[j] or dist[j] <= dist[i]):
                    continue
                if _only_places(dist[i] & dist[j]):
                    # "Netzwerk X Prenzlau" and "Arbeitsgemeinschaft Y Prenzlau" share only a town
                    ci, cj = core(a.name), core(b.name)
                    if not ci or not cj or not (ci <= cj or cj <= ci):
                        continue
                same_trade = not hd[i] or not hd[j] or bool(hd[i] & hd[j])
                # two trades under one family name are two firms, even in one town
                tie = bool(_persons(a) & _persons(b)) or (same_trade and _same_town(a, b))
                if (same_trade or tie) and not siblings.apart(uf.find(i), uf.find(j)):
                    code = "same_word_place" if tie else "same_word"
                    ri, rj = uf.find(i), uf.find(j)
                    uf.union(i, j, {"code": code, "names": [a.name, b.name], "word": t})
                    siblings.joined(uf.find(i), ri, rj)
    # acronyms introduced in the same document ("IMPRO" … „Interessenverband Metall- und …")
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        by_doc[m.doc].append(i)
    for d in sorted(by_doc):
        idxs = by_doc[d]
        # an acronym as written ("IMPRO", "GMG"): a word in capitals only by folding ("Leica")
        # would be the "acronym" of every name whose words spell it ("Leica Camera")
        written = {i: _acronyms(mentions[i].name) & dist[i] for i in idxs}
        acr = [i for i in idxs if written[i]]
        for i in acr:
            for j in idxs:
                if i != j and uf.find(i) != uf.find(j):
                    for w in sorted(written[i]):
                        if acronym_of(w, mentions[j].name):
                            uf.union(
                                i,
                                j,
                                {"code": "abbreviation", "names": [w.upper(), mentions[j].name]},
                            )
    # "KS Präzisionsteile" abbreviates "Krause & Seifert Präzisionsteile GmbH & Co. KG"
    by_rest: dict[str, list[int]] = defaultdict(list)
    for i, ks in enumerate(keys):
        for k in ks:
            if k.startswith("rs:"):
                by_rest[k[3:]].append(i)
    for i, m in enumerate(mentions):
        words = _name_words(m.name)
        if len(words) >= 2 and orgs.is_acronym(words[0]) and len(words[0]) >= 2:
            for j in by_rest.get(" ".join(words[1:]), []):
                if i != j and uf.find(i) != uf.find(j) and not _conflict(m, mentions[j]):
                    long_words = _name_words(mentions[j].name)
                    prefix = " ".join(long_words[: len(long_words) - len(words) + 1])
                    if prefix and acronym_of(words[0], prefix, min_len=2):
                        uf.union(
                            i, j, {"code": "abbreviation", "names": [m.name, mentions[j].name]}
                        )
    # within one document: "Siemag Siegener Maschinenbau AG" is the "Siegener Maschinenbau AG"
    # with a brand word before it; "Drägerwerk AG" is the works of "Dräger"
    for d in sorted(by_doc):
        idxs = by_doc[d]
        full = {names[i]: i for i in idxs if _has_legal(mentions[i])}
        bare = {german.fold(mentions[i].name): i for i in idxs if " " not in mentions[i].name}
        for i in idxs:
            m = mentions[i]
            words = m.name.split()
            if len(words) >= 3 and _has_legal(m):
                j = full.get(orgs.normalize_name(" ".join(words[1:])))
                if j is not None and uf.find(i) != uf.find(j) and not _conflict(m, mentions[j]):
                    uf.union(i, j, {"code": "name_inside", "names": [m.name, mentions[j].name]})
            works = re.match(r"(\w{3,}?)-?[Ww]erke?$", words[0])
            if works:
                j = bare.get(german.fold(works.group(1)))
                if j is not None and uf.find(i) != uf.find(j) and not _conflict(m, mentions[j]):
                    uf.union(i, j, {"code": "works_of", "names": [m.name, mentions[j].name]})
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(mentions)):
        groups[uf.find(i)].append(i)
    out = [
        (_profile([mentions[i] for i in idxs], uf.why.get(root, []), docs), idxs)
        for root, idxs in groups.items()
    ]
    _assign_ids([p for p, _ in out], used_ids)
    return out, keys


def _profile(ms: list[Mention], why: list[str], docs) -> Profile:
    names = Counter()
    for m in ms:
        names[m.name] += 2 + (1 if orgs._LEGAL_RE.search(m.name) else 0)
        for n in m.names:
            names[n] += 1
    # the name people use: frequent, with its legal form, not a five-word official title
    best = max(
        names,
        key=lambda n: (
            names[n] + (2 if orgs._LEGAL_RE.search(n) else 0) - max(0, len(n.split()) - 4),
            len(n),
        ),
    )
    kinds = Counter()
    for m in ms:
        kinds[m.kind] += m.confidence * _KIND_PRIORITY.get(m.kind, 1)
    kind = kinds.most_common(1)[0][0]
    facts: list[Fact] = []
    seen = set()
    for m in ms:
        for f in m.facts:
            k = (f.facet, f.value, f.evidence.sentence)
            if k not in seen:
                seen.add(k)
                facts.append(f)
    places: dict[str, Place] = {}
    place_count: Counter[str] = Counter()
    for f in facts:
        if f.facet in ("place", "site") and f.place is not None:
            places.setdefault(f.place.name, f.place)
            place_count[f.place.name] += 2 if f.facet == "place" else 1
    ordered_places = [places[n] for n, _ in place_count.most_common()]
    contacts = _merge_contacts([c for m in ms for c in m.contacts])
    sentences: list[Evidence] = []
    seen_s = set()
    for m in ms:
        for e in m.sentences:
            if (e.doc, e.sentence) not in seen_s:
                seen_s.add((e.doc, e.sentence))
                sentences.append(e)
    passages = [e for m in ms for e in m.passages if (e.doc, e.sentence) not in seen_s]
    page = [e for m in ms for e in m.page if (e.doc, e.sentence) not in seen_s]
    doc_ids = list(dict.fromkeys(m.doc for m in ms))
    documents = [
        {
            "doc": d,
            "title": docs[d].title,
            "kind": docs[d].kind,
            "date": docs[d].date,
            "path": docs[d].path,
        }
        for d in doc_ids
        if d in docs
    ]
    all_names = list(dict.fromkeys([best] + [n for m in ms for n in [m.name] + m.names]))
    p = Profile(
        id="",
        name=best,
        kind=kind,
        names=all_names,
        places=ordered_places,
        facts=facts,
        contacts=contacts,
        sentences=sentences,
        passages=passages,
        page=page,
        documents=documents,
        merged_because=list({repr(sorted(r.items())): r for r in why}.values()),
    )
    p.closed = is_closed(p)
    return p


def is_closed(p: Profile) -> bool:
    """Closed when the newest statement about it reports a closure (a later one may reopen)."""
    closed = [f.evidence.date or "" for f in p.facts if f.facet == "closed"]
    if not closed:
        return False
    newest_closed = max(closed)
    others = [f.evidence.date or "" for f in p.facts if f.facet not in ("closed",)]
    return not others or newest_closed >= max(others)


def _merge_contacts(cs: list[Contact]) -> list[Contact]:
    out: list[Contact] = []
    for c in cs:
        if not (c.person or c.phone or c.email or c.fax or c.url):
            continue
        same = next(
            (
                o
                for o in out
                if (
                    c.person
                    and o.person
                    and german.fold(c.person.split()[-1]) == german.fold(o.person.split()[-1])
                )
                or (
                    not c.person
                    and not o.person
                    and (c.phone and c.phone == o.phone or c.email and c.email == o.email)
                )
            ),
            None,
        )
        if same is None:
            out.append(Contact(c.person, c.role, c.phone, c.fax, c.email, c.url, c.evidence))
            continue
        for attr in ("role", "phone", "fax", "email", "url"):
            if not getattr(same, attr) and getattr(c, attr):
                setattr(same, attr, getattr(c, attr))
        if len(c.person) > len(same.person):
            same.person = c.person
    return out


_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "è": "e"})


def _slug(text: str) -> str:
    s = orgs._LEGAL_RE.sub(" ", text).lower().translate(_TRANSLIT)
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")[:60] or "org"


def _assign_ids(profiles: list[Profile], taken: frozenset[str] = frozenset()) -> None:
    """Readable, stable ids: the name's slug, with the town or a hash where names collide.

    `taken` are ids other profiles already hold and keep."""
    used: dict[str, int] = dict.fromkeys(taken, 1)
    for p in sorted(profiles, key=lambda p: (-len(p.sentences), p.name)):
        base = _slug(p.name)
        pid = base
        if pid in used and p.places:
            pid = f"{base}-{_slug(p.places[0].municipality or p.places[0].name)}"
        if pid in used:
            pid = f"{base}-{hashlib.sha1(p.name.encode()).hexdigest()[:6]}"
        n = 2
        while pid in used:
            pid = f"{base}-{n}"
            n += 1
        used[pid] = 1
        p.id = pid
