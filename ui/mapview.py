"""Maps of results and of a profile's sites that work without network access.

Tile maps (st.map, pydeck's default basemap) go blank offline and pydeck needs WebGL. The app
draws a Vega-Lite chart in Mercator projection instead: the suppliers' towns on grey dots of
larger towns from the project's own gazetteer, so the picture stays readable with no tiles at all
and renders in any browser (SVG/canvas, no WebGL). The spec is written as a plain dict for
`st.vega_lite_chart`: building it through Altair cost ~140 ms per rerun (validation).

The layout is done here, not left to Vega-Lite, because Vega-Lite neither clusters points nor
keeps labels apart: the projection (centre, scale) is fixed in Python, so every point's pixel
position is known, and then

- only towns are points — a region ("Erzgebirge", "Region Dresden") has a centroid, not a
  location, and drawn as a dot it reads as a town;
- the view fits where most results are: a result far from the rest (Tuttlingen for a search in
  Saxony) is left outside and named below the map instead of shrinking Saxony to a blob;
- points closer than a few pixels become one (Altenberg and Geising), sized by suppliers;
- each label takes the first free place around its point or is left to the tooltip;
- tooltips say, in the interface language, where, who and what they offer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache

from ingest import gazetteer as gz

from .i18n import t

WIDTH, HEIGHT = 440, 380
TOWN_POPULATION = 50_000
MAX_TOWNS = 18
CLUSTER_PX = 18  # points nearer than this on screen are drawn as one
OUTLIER_KM = 160  # results farther than this from the bulk are not fitted into the view
MIN_SPAN_DEG = 0.5  # a single town is shown with this much around it
PAD = 0.12  # share of the view kept free around the fitted points
LABEL_H = 14
CHAR_W = 6.3  # bold 11 px, a generous average


@dataclass
class Spot:
    """One drawn point: one town, or several towns too close to tell apart."""

    lat: float
    lon: float
    places: list[str]
    names: list[str] = field(default_factory=list)
    offers: list[str] = field(default_factory=list)
    x: float = 0.0
    y: float = 0.0


@dataclass
class Layout:
    spots: list[Spot]
    labels: list[dict]  # {"lat", "lon", "label"}: label centres, placed apart
    towns: list[dict]  # grey orientation towns {"lat", "lon", "town"}
    outside: list[str]  # towns of results left out of the view
    center: tuple[float, float]  # (lon, lat)
    scale: float


@cache
def _town_names() -> frozenset[str]:
    """Names the gazetteer knows as towns (a municipality or a place in one)."""
    out = set()
    for e in gz.load().entries:
        if e.kind == "place":
            out.add(e.place.name)
            if e.place.municipality:
                out.add(e.place.municipality)
    return frozenset(out)


def points(results: list[dict], labels: dict[str, str] | None = None) -> list[Spot]:
    """One spot per located town, with the suppliers there and what they offer (labels of
    their first capabilities); regions and places without coordinates are left out."""
    labels = labels or {}
    towns = _town_names()
    at: dict[tuple[float, float], Spot] = {}
    for r in results:
        for p in r.get("places") or []:
            if p.get("lat") is None or p.get("lon") is None or p["name"] not in towns:
                continue
            key = (round(float(p["lat"]), 4), round(float(p["lon"]), 4))
            spot = at.setdefault(key, Spot(key[0], key[1], [p["name"]]))
            if r["name"] not in spot.names:
                spot.names.append(r["name"])
                for c in (r.get("capabilities") or [])[:3]:
                    label = labels.get(c, c)
                    if label not in spot.offers:
                        spot.offers.append(label)
    return sorted(at.values(), key=lambda s: -len(s.names))


def _merc(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _km(a: Spot, b: Spot) -> float:
    dlat = math.radians(a.lat - b.lat)
    dlon = math.radians(a.lon - b.lon) * math.cos(math.radians((a.lat + b.lat) / 2))
    return 6371 * math.hypot(dlat, dlon)


def _fit(spots: list[Spot]) -> tuple[list[Spot], tuple[float, float], float]:
    """The spots to fit (those near the bulk of results) and the projection's centre and scale."""
    lats = sorted(s.lat for s in spots)
    lons = sorted(s.lon for s in spots)
    mid = Spot(lats[len(lats) // 2], lons[len(lons) // 2], [])
    near = [s for s in spots if _km(s, mid) <= OUTLIER_KM] or spots
    lat0, lat1 = min(s.lat for s in near), max(s.lat for s in near)
    lon0, lon1 = min(s.lon for s in near), max(s.lon for s in near)
    if lat1 - lat0 < MIN_SPAN_DEG / 2:
        lat0, lat1 = (lat0 + lat1) / 2 - MIN_SPAN_DEG / 4, (lat0 + lat1) / 2 + MIN_SPAN_DEG / 4
    if lon1 - lon0 < MIN_SPAN_DEG:
        lon0, lon1 = (lon0 + lon1) / 2 - MIN_SPAN_DEG / 2, (lon0 + lon1) / 2 + MIN_SPAN_DEG / 2
    usable = 1 - 2 * PAD
    scale = min(
        WIDTH * usable / math.radians(lon1 - lon0),
        HEIGHT * usable / (_merc(lat1) - _merc(lat0)),
    )
    center_lat = math.degrees(
        2 * math.atan(math.exp((_merc(lat0) + _merc(lat1)) / 2)) - math.pi / 2
    )
    return near, ((lon0 + lon1) / 2, center_lat), scale


def _project(lat: float, lon: float, center: tuple[float, float], scale: float):
    x = WIDTH / 2 + scale * math.radians(lon - center[0])
    y = HEIGHT / 2 - scale * (_merc(lat) - _merc(center[1]))
    return x, y


def _unproject(x: float, y: float, center: tuple[float, float], scale: float):
    lon = center[0] + math.degrees((x - WIDTH / 2) / scale)
    m = _merc(center[1]) - (y - HEIGHT / 2) / scale
    return math.degrees(2 * math.atan(math.exp(m)) - math.pi / 2), lon


def _inside(x: float, y: float) -> bool:
    return 0 <= x <= WIDTH and 0 <= y <= HEIGHT


def radius(n: int) -> float:
    """A point's radius in pixels for n suppliers (the circle mark's size is its area)."""
    return math.sqrt(size(n) / math.pi)


def size(n: int) -> float:
    return min(400.0, 90.0 + 50.0 * (n - 1))


def label_of(spot: Spot) -> str:
    more = len(spot.places) - 1
    text = spot.places[0] + (f" +{more}" if more else "")
    return text if len(spot.names) == 1 else f"{text} ({len(spot.names)})"


def _overlaps(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def layout(results: list[dict], labels: dict[str, str] | None = None) -> Layout | None:
    """Where everything goes: fitted view, clustered spots, labels that do not overlap."""
    located = points(results, labels)
    if not located:
        return None
    near, center, scale = _fit(located)
    spots: list[Spot] = []
    outside: list[str] = []
    for s in located:
        x, y = _project(s.lat, s.lon, center, scale)
        if not _inside(x, y):
            outside.append(label_of(s))
            continue
        close = next((c for c in spots if math.hypot(c.x - x, c.y - y) < CLUSTER_PX), None)
        if close is None:
            s.x, s.y = x, y
            spots.append(s)
            continue
        close.places += [p for p in s.places if p not in close.places]
        close.names += [n for n in s.names if n not in close.names]
        close.offers += [o for o in s.offers if o not in close.offers]
    taken = [
        (s.x - radius(len(s.names)), s.y - radius(len(s.names)))
        + (s.x + radius(len(s.names)), s.y + radius(len(s.names)))
        for s in spots
    ]
    placed: list[dict] = []
    for s in spots:
        text = label_of(s)
        w, r = CHAR_W * len(text), radius(len(s.names))
        for dx, dy in ((0, -(r + 8)), (0, r + 9), (r + 4 + w / 2, 0), (-(r + 4 + w / 2), 0)):
            cx, cy = s.x + dx, s.y + dy
            box = (cx - w / 2, cy - LABEL_H / 2, cx + w / 2, cy + LABEL_H / 2)
            own = taken[spots.index(s)]
            if box[0] < 0 or box[2] > WIDTH or box[1] < 0 or box[3] > HEIGHT:
                continue
            if any(_overlaps(box, o) for o in taken if o is not own):
                continue
            lat, lon = _unproject(cx, cy, center, scale)
            placed.append({"lat": lat, "lon": lon, "label": text, "box": box})
            taken.append(box)
            break
    ref = []
    drawn = {p for s in spots for p in s.places}
    for name, lat, lon in _towns():
        if name in drawn or len(ref) >= MAX_TOWNS:
            continue
        x, y = _project(lat, lon, center, scale)
        w = 5.5 * len(name)
        box = (x - w / 2, y - 3, x + w / 2, y + 16)
        if not _inside(x, y) or box[0] < 0 or box[2] > WIDTH or box[3] > HEIGHT:
            continue
        if any(_overlaps(box, o) for o in taken):
            continue
        taken.append(box)
        ref.append({"lat": lat, "lon": lon, "town": name})
    return Layout(spots, placed, ref, outside, center, scale)


@cache
def _towns() -> tuple[tuple[str, float, float], ...]:
    """Larger towns, most populous first."""
    found = {}
    for e in sorted(gz.load().entries, key=lambda e: -e.population):
        p = e.place
        if e.kind == "place" and e.population >= TOWN_POPULATION and p.lat is not None:
            found.setdefault(p.municipality or p.name, (p.municipality or p.name, p.lat, p.lon))
    return tuple(found.values())


def spec(lay: Layout, lang: str = "de") -> dict:
    """Vega-Lite layers: towns (grey) and their names, supplier points sized by count with a
    tooltip for people, and the labels placed by `layout`; no layer shows raw coordinates."""
    geo = {
        "longitude": {"field": "lon", "type": "quantitative"},
        "latitude": {"field": "lat", "type": "quantitative"},
    }
    pts = [
        {
            "lat": s.lat if len(s.places) == 1 else _unproject(s.x, s.y, lay.center, lay.scale)[0],
            "lon": s.lon if len(s.places) == 1 else _unproject(s.x, s.y, lay.center, lay.scale)[1],
            "place": ", ".join(s.places),
            "suppliers": "; ".join(s.names[:6]) + (" …" if len(s.names) > 6 else ""),
            "offers": ", ".join(s.offers[:5]) or "—",
            "size": size(len(s.names)),
        }
        for s in lay.spots
    ]
    labels = [{k: v for k, v in x.items() if k != "box"} for x in lay.labels]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "autosize": "none",
        "projection": {
            "type": "mercator",
            "center": list(lay.center),
            "scale": lay.scale,
            "translate": [WIDTH / 2, HEIGHT / 2],
        },
        "config": {"view": {"stroke": "#dddddd"}},
        "layer": [
            {
                "data": {"values": lay.towns},
                "mark": {"type": "circle", "size": 18, "color": "#9e9e9e", "clip": True},
                "encoding": {
                    **geo,
                    "tooltip": [
                        {"field": "town", "type": "nominal", "title": t("map.tip.town", lang)}
                    ],
                },
            },
            {
                "data": {"values": lay.towns},
                "mark": {
                    "type": "text",
                    "dy": 9,
                    "fontSize": 10,
                    "color": "#8a8a8a",
                    "clip": True,
                    "tooltip": False,
                },
                "encoding": {**geo, "text": {"field": "town", "type": "nominal"}},
            },
            {
                "data": {"values": pts},
                "mark": {
                    "type": "circle",
                    "color": "#c62828",
                    "opacity": 0.85,
                    "stroke": "white",
                    "strokeWidth": 1,
                    "clip": True,
                },
                "encoding": {
                    **geo,
                    "size": {"field": "size", "type": "quantitative", "scale": None},
                    "tooltip": [
                        {"field": "place", "type": "nominal", "title": t("map.tip.place", lang)},
                        {
                            "field": "suppliers",
                            "type": "nominal",
                            "title": t("map.tip.suppliers", lang),
                        },
                        {"field": "offers", "type": "nominal", "title": t("map.tip.offers", lang)},
                    ],
                },
            },
            {
                "data": {"values": labels},
                "mark": {
                    "type": "text",
                    "fontSize": 11,
                    "fontWeight": "bold",
                    "color": "#333333",
                    "align": "center",
                    "baseline": "middle",
                    "clip": True,
                    "tooltip": False,
                },
                "encoding": {**geo, "text": {"field": "label", "type": "nominal"}},
            },
        ],
    }
