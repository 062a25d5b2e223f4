"""Records passed along the pipeline: document → extraction → supplier profile.

They are plain dataclasses so that worker processes can pickle them and the index can store
them as JSON; `to_dict`/`from_dict` are the only (de)serialisation path.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

#: Organization kinds. Purchaser searches return the first two by default.
ORG_KINDS = ("company", "network", "institution", "public", "bank", "media")
DEFAULT_SEARCH_KINDS = ("company", "network")
ORG_KIND_LABELS = {
    "company": "supplier company",
    "network": "association / network",
    "institution": "research / education institution",
    "public": "public body / funding programme",
    "bank": "bank / sponsor",
    "media": "media",
}

#: Document kinds decided from content and structure.
DOC_KINDS = ("member_page", "press_article", "brochure", "other")


@dataclass
class Block:
    """A run of text with its structural role, so extraction can treat headings and list items
    as topics and lines rather than prose."""

    text: str
    role: str = "para"  # title | heading | para | list | contact
    page: int | None = None


@dataclass
class Document:
    id: str
    path: str
    kind: str
    title: str
    date: str | None
    language: str
    content_hash: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Evidence:
    """Where a fact is stated: the sentence itself plus enough to cite it."""

    doc: str
    sentence: str
    date: str | None = None
    page: int | None = None


@dataclass
class Place:
    name: str
    municipality: str = ""
    district: str = ""
    state: str = ""
    regions: list[str] = field(default_factory=list)
    lat: float | None = None
    lon: float | None = None


@dataclass
class Contact:
    person: str = ""
    role: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    url: str = ""
    evidence: Evidence | None = None


@dataclass
class Fact:
    """One statement about an organization.

    `facet` is capability | industry | certification | material | batch | place | employees |
    founded | member_of | members | network_size | subsidiary_of | successor_of | taken_over_by |
    closed | site | focus (the industries a network's members work for: not customers of the
    network itself).
    `value` is a taxonomy id, a place name, a number or another organization's name.
    """

    facet: str
    value: str
    label: str
    evidence: Evidence
    place: Place | None = None


@dataclass
class Mention:
    """An organization as one document speaks of it."""

    name: str
    kind: str
    doc: str
    names: list[str] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    sentences: list[Evidence] = field(default_factory=list)  # every sentence naming it
    confidence: float = 1.0
    # text about it that does not name it: the sentences after a mention until another
    # organization is named ("passage"), and for the organization a page presents, the page
    passages: list[Evidence] = field(default_factory=list)
    page: list[Evidence] = field(default_factory=list)


@dataclass
class Extraction:
    """Everything one document yields; cached per content hash so unchanged files are free."""

    document: Document
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class Profile:
    """A resolved supplier (or other organization) across all documents."""

    id: str
    name: str
    kind: str
    names: list[str] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    sentences: list[Evidence] = field(default_factory=list)
    passages: list[Evidence] = field(default_factory=list)  # see Mention.passages
    page: list[Evidence] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)
    # why mentions were joined, as codes each caller words (index.reasons.MERGED_ENGLISH):
    # {"code": "same_name" | "same_word" | "same_word_place" | "abbreviation" | "name_inside"
    #  | "works_of" | "staff_merged", "names": [...], "word": "…", "note": "…"}
    merged_because: list[dict] = field(default_factory=list)
    closed: bool = False
    hidden: bool = False
    curation_notes: list[str] = field(default_factory=list)


def to_dict(obj: Any) -> dict[str, Any]:
    """Same result as `dataclasses.asdict`, several times faster: asdict deep-copies every
    string, and extraction results are converted once per file on the ingest's hot path."""
    return _plain(obj)


_ATOMS = (str, int, float, bool, type(None))
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _plain(v: Any) -> Any:
    t = type(v)
    if t in _ATOMS:
        return v
    names = _FIELD_NAMES.get(t)
    if names is None and is_dataclass(v) and not isinstance(v, type):
        names = _FIELD_NAMES[t] = tuple(f.name for f in fields(v))
    if names is not None:
        return {n: _plain(getattr(v, n)) for n in names}
    if t is list:
        return [_plain(x) for x in v]
    if t is dict:
        return {_plain(k): _plain(x) for k, x in v.items()}
    # rarer containers, handled the way asdict handles them
    if isinstance(v, tuple):
        items = [_plain(x) for x in v]
        return t(*items) if hasattr(v, "_fields") else t(items)
    if isinstance(v, list):
        return t(_plain(x) for x in v)
    if isinstance(v, dict):
        return t((_plain(k), _plain(x)) for k, x in v.items())
    return copy.deepcopy(v)


def _build(cls: type, data: dict[str, Any]) -> Any:
    kwargs = {}
    names = {f.name: f for f in fields(cls)}
    for key, value in data.items():
        if key not in names:
            continue
        kwargs[key] = value
    return cls(**kwargs)


def evidence_from(d: dict | None) -> Evidence | None:
    return _build(Evidence, d) if d else None


def place_from(d: dict | None) -> Place | None:
    return _build(Place, d) if d else None


def contact_from(d: dict) -> Contact:
    c = _build(Contact, d)
    c.evidence = evidence_from(d.get("evidence"))
    return c


def fact_from(d: dict) -> Fact:
    f = _build(Fact, d)
    f.evidence = evidence_from(d["evidence"])
    f.place = place_from(d.get("place"))
    return f


def mention_from(d: dict) -> Mention:
    m = _build(Mention, d)
    m.facts = [fact_from(x) for x in d.get("facts", [])]
    m.contacts = [contact_from(x) for x in d.get("contacts", [])]
    m.sentences = [evidence_from(x) for x in d.get("sentences", [])]
    m.passages = [evidence_from(x) for x in d.get("passages", [])]
    m.page = [evidence_from(x) for x in d.get("page", [])]
    return m


def document_from(d: dict) -> Document:
    doc = _build(Document, d)
    doc.blocks = [_build(Block, b) for b in d.get("blocks", [])]
    return doc


def extraction_from(d: dict) -> Extraction:
    return Extraction(
        document=document_from(d["document"]),
        mentions=[mention_from(m) for m in d.get("mentions", [])],
    )


def profile_from(d: dict) -> Profile:
    p = _build(Profile, d)
    p.places = [place_from(x) for x in d.get("places", [])]
    p.facts = [fact_from(x) for x in d.get("facts", [])]
    p.contacts = [contact_from(x) for x in d.get("contacts", [])]
    p.sentences = [evidence_from(x) for x in d.get("sentences", [])]
    p.passages = [evidence_from(x) for x in d.get("passages", [])]
    p.page = [evidence_from(x) for x in d.get("page", [])]
    return p
