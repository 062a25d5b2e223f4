"""Places, districts, states and informal regions (data in data/places.csv and data/regions.csv).

German text names places in several ways, all handled here: "aus Höckendorf", "im
Osterzgebirge", "in der Region Dresden", "die Pirnaer Betriebe", "Glashütter Uhrenindustrie",
"01768 Glashütte". Homonyms (Bärenstein, Heidenau, Frankfurt, Höckendorf) are resolved against
the other places the same document names.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from . import derived, german, lexicons
from .records import Place

DATA = Path(__file__).parent / "data"

STATE_ADJECTIVES = {
    "Sachsen": ["sächsisch"],
    "Brandenburg": ["brandenburgisch"],
    "Thüringen": ["thüringisch", "thüringer"],
    "Bayern": ["bayerisch", "bairisch"],
    "Baden-Württemberg": ["baden-württembergisch"],
    "Berlin": ["berliner"],
    "Sachsen-Anhalt": [],
    "Mecklenburg-Vorpommern": [],
    "Niedersachsen": ["niedersächsisch"],
    "Hessen": ["hessisch"],
    "Nordrhein-Westfalen": ["nordrhein-westfälisch"],
    "Rheinland-Pfalz": ["rheinland-pfälzisch"],
    "Saarland": ["saarländisch"],
    "Schleswig-Holstein": ["schleswig-holsteinisch"],
    "Hamburg": ["hamburger"],
    "Bremen": ["bremer"],
}
ENGLISH_NAMES = {
    "saxony": "Sachsen", "lower saxony": "Niedersachsen", "saxony-anhalt": "Sachsen-Anhalt",
    "bavaria": "Bayern", "thuringia": "Thüringen", "hesse": "Hessen",
    "north rhine-westphalia": "Nordrhein-Westfalen", "rhineland-palatinate": "Rheinland-Pfalz",
    "mecklenburg-western pomerania": "Mecklenburg-Vorpommern", "ore mountains": "Erzgebirge",
    "eastern ore mountains": "Osterzgebirge", "saxon switzerland": "Sächsische Schweiz",
    "dresden region": "Region Dresden", "munich": "München", "cologne": "Köln",
    "nuremberg": "Nürnberg", "black forest": "Schwarzwald", "ruhr area": "Ruhrgebiet",
    "germany": "Deutschland",
}  # fmt: skip

#: Words before a place name that make it a place reference rather than an ordinary noun.
PLACE_CUES = {
    "aus",
    "in",
    "im",
    "bei",
    "nahe",
    "nach",
    "von",
    "raum",
    "standort",
    "sitz",
    "ort",
    "stadt",
    "gemeinde",
    "um",
    "rund",
}
_PLZ = re.compile(r"^\d{5}$")
# words that name a place only in a gazetteer: "im Norden" is a direction, "im Industriegebiet"
# an estate, "Medical Valley" no Bavarian village
_NEVER_PLACES = {"norden", "suden", "osten", "westen", "industriegebiet", "gewerbegebiet", "valley"}
_COMMON = {"essen", "halle", "hof", "weil", "wald", "forst", "berg", "bad", "marke", "brück", "lauter", "elster", "plate", "zell", "au", "linden", "buch", "werben", "weiden", "kirchen", "hagen", "bergen", "worms", "mark", "dom", "land", "stadt", "insel", "grund", "ohne", "schmölln", "taucha", "kahla", "olbernhau", "gera", "rot", "roth", "rain", "stein", "laage", "werder", "wittstock", "friedland", "neustadt", "neukirchen", "mühlhausen", "lichtenberg", "schönau", "burg", "glauchau", "ebersbach", "crimmitschau", "goch", "sonne", "arnstadt", "rheine", "hausen", "dorf", "ost", "west", "nord", "süd", "mitte", "anger", "park", "teltow", "zeitz", "rehau", "kamenz", "stolpe", "platz", "hain", "kappeln", "seelow"}  # fmt: skip


@dataclass
class Entry:
    place: Place
    ags: str = ""
    population: int = 0
    curated: bool = False
    kind: str = "place"  # place | region | state | district


@dataclass
class PlaceMatch:
    start: int
    end: int
    text: str
    candidates: list[Entry]
    form: str  # name | adjective | plz
    cue: str = ""  # the preposition or cue word before it, lowercased
    chosen: Entry | None = field(default=None)


_WORDS = re.compile(r"[0-9A-Za-zÀ-ÖØ-öø-ÿĀ-ſ]+")


def _key(word: str) -> str:
    return german.fold(word)


_RIVER = re.compile(r"\s+(?:an der|an dem|am|im|in der|ob der|auf der)\s+.*$")


_ABBREVIATED_QUALIFIER = re.compile(
    r"\s*(?P<prep>a\.\s?d\.|a\.|i\.|b\.|o\.)\s?(?P<word>[A-ZÄÖÜ][a-zäöüß]*)\.?"
)
_PREP_OF = {
    "a.": ("am", "an"),
    "a.d.": ("an der",),
    "i.": ("im", "in"),
    "b.": ("bei",),
    "o.": ("ob",),
}


def _abbreviates(m: re.Match, name: str) -> bool:
    """Whether "a. H." abbreviates the qualifier of "Reichenbach am Heuberg".

    >>> _abbreviates(_ABBREVIATED_QUALIFIER.match(" a. H."), "Reichenbach am Heuberg")
    True
    >>> _abbreviates(_ABBREVIATED_QUALIFIER.match(" a. H."), "Reichenbach (bei Hermsdorf)")
    False
    """
    prep = m.group("prep").replace(" ", "")
    rest = name.split(" ", 1)[1] if " " in name else ""
    rest = rest.strip("()")
    return any(
        rest.startswith(f"{p} ") and rest[len(p) + 1 :].startswith(m.group("word"))
        for p in _PREP_OF.get(prep, ())
    )


def adjective_forms(name: str) -> list[str]:
    """'Dresden' → Dresdner, 'Glashütte' → Glashütter, 'Pirna' → Pirnaer, 'Olbernhau' → Olbernhauer.

    A river or landscape after the name is not part of the adjective: 'Marburg an der Lahn'
    → Marburger, 'Frankfurt am Main' → Frankfurter.

    >>> adjective_forms("Marburg an der Lahn"), adjective_forms("Bad Schwartau")
    (['Marburger'], [])
    """
    name = _RIVER.sub("", name)
    if " " in re.split(r"[(/]", name)[0].strip():
        return []  # "Deutsch Evern", "Bad Schwartau": no "Deutscher", no "Bader"
    base = re.split(r"[\s(/]", name)[0]
    bases = [base] + ([base.split("-")[0]] if "-" in base else [])  # Annaberg-Buchholz → Annaberger
    forms = []
    for b in bases:
        if b.endswith("en") and len(b) > 4:
            forms.append(b[:-2] + "ner")
            forms.append(b[:-1] + "er")
        if b.endswith("e"):
            forms.append(b + "r")
        else:
            forms.append(b + "er")
    return forms


class _NameLookups:
    """Look-ups by name, shared by the full `Gazetteer` and the compact `PlaceBook`: each
    supplies `_named(key)`, the entries filed under one folded name."""

    def _named(self, key: str) -> list[Entry]:
        raise NotImplementedError

    def lookup(self, name: str) -> list[Entry]:
        """Entries whose name or alias is `name` (any umlaut spelling; English names too)."""
        k = _key(name.strip())
        if k in ENGLISH_NAMES:
            k = _key(ENGLISH_NAMES[k])
        found = _uniq(self._named(k))
        if not found:
            k2 = _key(re.sub(r"^(region|raum|landkreis|kreis|lk)\s+", "", name.strip(), flags=re.I))
            found = _uniq(self._named(k2))
        return found

    def best(self, name: str) -> Entry | None:
        found = self.lookup(name)
        if not found:
            return None
        return sorted(found, key=_rank)[0]


class Gazetteer(_NameLookups):
    def __init__(self, entries: list[Entry]):
        self.entries = entries
        self._index: dict[str, list[tuple[tuple[str, ...], Entry, str]]] = {}
        self.by_name: dict[str, list[Entry]] = {}
        later: list[Entry] = []  # "Marburg an der Lahn": its adjective if no other town has it
        for e in entries:
            names = [e.place.name] + getattr(e, "_aliases", [])
            for n in names:
                self._add(n, e, "name")
                self.by_name.setdefault(_key(n), []).append(e)
                plain = re.sub(r"\s*\(.*?\)\s*", "", n).strip()
                if plain and plain != n:
                    self._add(plain, e, "name")
                    self.by_name.setdefault(_key(plain), []).append(e)
            if e.kind == "place" and (e.curated or e.population >= 3000):
                if _RIVER.search(e.place.name):
                    later.append(e)
                    continue
                for adj in adjective_forms(e.place.name):
                    self._add(adj, e, "adjective")
            if e.kind == "state":
                for adj in STATE_ADJECTIVES.get(e.place.name, []):
                    if adj.endswith("er"):
                        self._add(adj, e, "adjective")  # "Thüringer", "Berliner" do not inflect
                        continue
                    for ending in ("e", "en", "er", "es", "em"):
                        self._add(adj + ending, e, "adjective")
        for e in later:
            for adj in adjective_forms(e.place.name):
                key = _key(adj)
                if not any(
                    f == "adjective" and len(q) == 1 for q, _, f in self._index.get(key, [])
                ):
                    self._add(adj, e, "adjective")  # "Frankfurter" stays Frankfurt (Oder)'s
        for k, v in self._index.items():
            v.sort(key=lambda x: -len(x[0]))

    def _named(self, key: str) -> list[Entry]:
        return self.by_name.get(key, [])

    def _add(self, name: str, e: Entry, form: str) -> None:
        seq = tuple(_key(w) for w in _WORDS.findall(name))
        if seq:
            self._index.setdefault(seq[0], []).append((seq, e, form))

    def find(self, text: str) -> list[PlaceMatch]:
        """Place, region and state references in one sentence, longest match first."""
        toks = [(m.group(0), m.start(), m.end()) for m in _WORDS.finditer(text)]
        out: list[PlaceMatch] = []
        i = 0
        while i < len(toks):
            word, s, _e = toks[i]
            if not word[:1].isupper() and not word.isdigit():
                i += 1
                continue
            hits = self._index.get(_key(word), [])
            best = None
            for seq, entry, form in hits:
                n = len(seq)
                if i + n <= len(toks) and all(_key(toks[i + k][0]) == seq[k] for k in range(n)):
                    if best is None or n > best[0]:
                        best = (n, [entry], form)
                    elif n == best[0] and form == best[2]:
                        best[1].append(entry)
            if best is None:
                i += 1
                continue
            n, cands, form = best
            end = toks[i + n - 1][2]
            # "Frankfurt (Oder)" / "Frankfurt(Oder)": take the qualifier when it follows
            qual = re.match(r"\s*\(([^)]{2,20})\)", text[end:])
            if qual:
                q = _key(qual.group(1))
                narrowed = [
                    c for c in cands if q in _key(c.place.name) or q in _key(c.place.district)
                ]
                if narrowed:
                    cands = narrowed
                    end += qual.end()
            # "Reichenbach a. H.", "Weißenburg i. Bay.": an abbreviated river or landscape
            abbr = _ABBREVIATED_QUALIFIER.match(text[end:]) if len(cands) > 1 else None
            if abbr:
                narrowed = [c for c in cands if _abbreviates(abbr, c.place.name)]
                if narrowed:
                    cands = narrowed
                    end += abbr.end()
            prev = _key(toks[i - 1][0]) if i > 0 else ""
            prev2 = _key(toks[i - 2][0]) if i > 1 else ""
            cue = (
                prev if prev in PLACE_CUES or prev in ("der", "dem") and prev2 in PLACE_CUES else ""
            )
            if cue in ("der", "dem"):
                cue = prev2
            if _PLZ.match(prev):
                cue = "plz"
            if form == "adjective":
                nxt = toks[i + n][0] if i + n < len(toks) else ""
                if not nxt[:1].isupper():
                    i += n
                    continue
            elif n == 1 and (
                _key(word) in _NEVER_PLACES
                or (_is_word(word, cands) and cue not in ("aus", "plz", "in", "im", "bei", "nahe"))
            ):
                # "Wellen", "Essen", "Halle": ordinary nouns unless clearly used as a place
                i += n
                continue
            out.append(PlaceMatch(s, end, text[s:end], _uniq(cands), form, cue))
            i += n
        return out

    def choose(self, candidates: list[Entry], context: list[Entry]) -> Entry:
        """Pick among homonyms: a candidate near the document's other places or inside a region
        the document names wins; then curated rows; then the larger place."""
        if len(candidates) == 1:
            return candidates[0]
        ctx_regions = {r for c in context for r in c.place.regions} | {
            c.place.name for c in context if c.kind in ("region", "state")
        }
        ctx_states = {c.place.state for c in context if c.place.state}

        def score(c: Entry) -> tuple:
            inside = (
                1 if (set(c.place.regions) & ctx_regions or c.place.district in ctx_regions) else 0
            )
            state = 1 if c.place.state in ctx_states else 0
            dist = min(
                (
                    distance_km(c.place, o.place)
                    for o in context
                    if o.place.lat is not None and o is not c
                ),
                default=1e6,
            )
            # a bare "Brandenburg", "Hessen", "Sachsen" is the state, not the town or village
            # of that name ("Brandenburg an der Havel" is written out where it is meant)
            is_state = 1 if c.kind == "state" else 0
            return (
                -is_state,
                -inside,
                -state,
                dist if dist < 1e6 else 1e6,
                -int(c.curated),
                -c.population,
            )

        return sorted(candidates, key=score)[0]


def _uniq(cands: list[Entry]) -> list[Entry]:
    seen, out = set(), []
    for c in cands:
        if id(c) not in seen:
            seen.add(id(c))
            out.append(c)
    return out


def _rank(e: Entry) -> tuple:
    order = {"state": 0, "region": 1, "district": 2, "place": 3}
    return (order.get(e.kind, 4), -int(e.curated), -e.population)


def distance_km(a: Place, b: Place) -> float:
    if a.lat is None or b.lat is None or a.lon is None or b.lon is None:
        return 1e6
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def _is_word(word: str, cands: list[Entry] = ()) -> bool:
    """'Wellen', 'Essen', 'Halle' are ordinary nouns too; a state or region only when it is one
    exactly: 'Thüringen' and 'Brandenburg' share their stem with 'thüringische' and
    'brandenburgische' but are no inflection of them."""
    k = _key(word)
    if k in _COMMON or k in _common_nouns():
        return True
    if any(c.kind in ("state", "region") for c in cands):
        return False
    return german.stem(word) in german.lexicon()


@cache
def _common_nouns() -> frozenset[str]:
    return frozenset(_key(ln.strip()) for ln in lexicons.lines("common_nouns.txt"))


def _float(v: str | None) -> float | None:
    try:
        return float(v) if v not in (None, "") else None
    except ValueError:
        return None


@cache
def load(places_path: Path | None = None, regions_path: Path | None = None) -> Gazetteer:
    places_path = places_path or DATA / "places.csv"
    regions_path = regions_path or DATA / "regions.csv"
    entries: list[Entry] = []
    region_members: dict[str, list[str]] = {}
    region_rows = []
    if regions_path.exists():
        with regions_path.open(encoding="utf-8") as fh:
            region_rows = list(csv.DictReader(fh))
    for row in region_rows:
        name = row["region"].strip()
        for m in (row.get("members") or "").split("|"):
            if m.strip():
                region_members.setdefault(_key(m.strip()), []).append(name)
    districts: dict[str, Entry] = {}
    if places_path.exists():
        with places_path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                regions = [r.strip() for r in (row.get("regions") or "").split("|") if r.strip()]
                muni = (row.get("municipality") or row["name"]).strip()
                district = (row.get("district") or "").strip()
                for key in (_key(row["name"]), _key(muni), _key(district)):
                    for r in region_members.get(key, []):
                        if r not in regions:
                            regions.append(r)
                place = Place(
                    name=row["name"].strip(),
                    municipality=muni,
                    district=district,
                    state=(row.get("state") or "").strip(),
                    regions=regions,
                    lat=_float(row.get("lat")),
                    lon=_float(row.get("lon")),
                )
                e = Entry(
                    place,
                    ags=(row.get("ags") or "").strip(),
                    population=int(float(row.get("population") or 0)),
                    curated=_is_curated(row),
                )
                e._aliases = [a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()]  # type: ignore[attr-defined]
                entries.append(e)
                if district and district not in districts:
                    districts[district] = e
    # Informal regions, states and districts are places of their own for matching and filters.
    members_of: dict[str, list[Entry]] = {}
    for e in entries:
        for r in e.place.regions:
            members_of.setdefault(r, []).append(e)
    region_names = set()
    for row in region_rows:
        name = row["region"].strip()
        region_names.add(_key(name))
        kind = "state" if row.get("kind", "").strip() == "state" else "region"
        states = [s for s in (row.get("state") or "").split("|") if s]
        located = [e for e in members_of.get(name, []) if e.place.lat is not None]
        lat = sum(e.place.lat for e in located) / len(located) if located else None
        lon = sum(e.place.lon for e in located) / len(located) if located else None
        p = Place(
            name=name,
            state=name if kind == "state" else (states[0] if len(states) == 1 else ""),
            lat=lat,
            lon=lon,
        )
        e = Entry(p, kind=kind, curated=True)
        e._aliases = [a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()]  # type: ignore[attr-defined]
        entries.append(e)
    for district, sample in districts.items():
        if _key(district) in region_names:
            continue
        p = Place(name=district, district=district, state=sample.place.state)
        e = Entry(p, kind="district", curated=True)
        e._aliases = ["Landkreis " + district, "Kreis " + district]  # type: ignore[attr-defined]
        entries.append(e)
    return Gazetteer(entries)


def _is_curated(row: dict) -> bool:
    return (row.get("name") or "").strip() in _curated_names()


@cache
def _curated_names() -> frozenset[str]:
    path = DATA / "places_curated.csv"
    if not path.exists():
        return frozenset()
    with path.open(encoding="utf-8") as fh:
        return frozenset((r.get("name") or "").strip() for r in csv.DictReader(fh))


def region_keys(place: Place) -> list[str]:
    """Every name under which a filter or facet may select this place, broad to narrow."""
    keys = []
    if place.state:
        keys.append(place.state)
    if place.district and place.district != place.state:
        keys.append(place.district)
    keys.extend(r for r in place.regions if r)
    if place.municipality and place.municipality not in keys:
        keys.append(place.municipality)
    if place.name and place.name not in keys:
        keys.append(place.name)
    return keys


# ----------------------------------------------------------------------- the compact place book


class PlaceBook(_NameLookups):
    """What a search needs of the gazetteer — look-ups by name, the size of each region, the
    names of regions and states — without building its matcher over 12,000 places and their
    adjective forms, which took half a second of every cold CLI search.

    Written once per data version as one `marshal` file in the cache folder (`book()`); an
    entry becomes an `Entry` only when a look-up reaches it, and stays the same object after.

    >>> b = book()
    >>> b.best("Glashütte").place.state, b.lookup("glashuette") == load().lookup("Glashütte")
    ('Sachsen', True)
    """

    def __init__(self, rows: list[tuple], names: dict[str, tuple[int, ...]], sizes: dict):
        self._rows = rows
        self._names = names
        self._made: dict[int, Entry] = {}
        self.region_sizes: dict[str, int] = sizes

    def _entry(self, i: int) -> Entry:
        e = self._made.get(i)
        if e is None:
            name, muni, district, state, regions, lat, lon, ags, pop, curated, kind = self._rows[i]
            place = Place(name, muni, district, state, list(regions), lat, lon)
            e = self._made[i] = Entry(place, ags, pop, curated, kind)
        return e

    def _named(self, key: str) -> list[Entry]:
        return [self._entry(i) for i in self._names.get(key, ())]

    def names(self, kinds: tuple[str, ...]) -> list[str]:
        """The names of every entry of these kinds ('region', 'state', 'district', 'place')."""
        return [r[0] for r in self._rows if r[10] in kinds]

    @classmethod
    def of(cls, gaz: Gazetteer) -> PlaceBook:
        position = {id(e): i for i, e in enumerate(gaz.entries)}
        rows = [
            (
                e.place.name, e.place.municipality, e.place.district, e.place.state,
                tuple(e.place.regions), e.place.lat, e.place.lon, e.ags, e.population,
                e.curated, e.kind,
            )
            for e in gaz.entries
        ]  # fmt: skip
        names = {k: tuple(position[id(e)] for e in v) for k, v in gaz.by_name.items()}
        sizes: dict[str, int] = {}
        for e in gaz.entries:
            if e.kind == "place":
                for r in set(e.place.regions):
                    sizes[r] = sizes.get(r, 0) + 1
        return cls(rows, names, sizes)


@cache
def book() -> PlaceBook:
    """The place book of the installed data, from the cache folder (`ingest.derived`) in
    milliseconds, else built from the full gazetteer once and kept there."""

    def build() -> tuple:
        b = PlaceBook.of(load())
        return b._rows, b._names, b.region_sizes

    return PlaceBook(*derived.cached("places", build))
