"""Maps of results and of a profile's sites that work without network access.

Tile maps (st.map, pydeck's default basemap) go blank offline and pydeck needs WebGL. The app
draws a Vega-Lite chart in Mercator projection instead: the suppliers' points, labelled, on
grey dots of larger towns from the project's own gazetteer, so the picture stays readable with no
tiles at all and renders in any browser (SVG/canvas, no WebGL). The spec is written as a plain
dict for `st.vega_lite_chart`: building it through Altair cost ~140 ms per rerun (validation).
"""

from __future__ import annotations

from functools import cache

from ingest import gazetteer as gz

TOWN_POPULATION = 50_000
MAX_TOWNS = 18
MARGIN_DEG = 0.6


def points(results: list[dict]) -> list[dict]:
    """One point per located place, with the names of the suppliers there (label and tooltip)."""
    at: dict[tuple[float, float], dict] = {}
    for r in results:
        for p in r.get("places") or []:
            if p.get("lat") is None or p.get("lon") is None:
                continue
            key = (round(float(p["lat"]), 4), round(float(p["lon"]), 4))
            spot = at.setdefault(
                key, {"lat": key[0], "lon": key[1], "place": p["name"], "names": []}
            )
            if r["name"] not in spot["names"]:
                spot["names"].append(r["name"])
    rows = []
    for spot in at.values():
        n = len(spot["names"])
        rows.append(
            {
                "lat": spot["lat"],
                "lon": spot["lon"],
                "place": spot["place"],
                "suppliers": ", ".join(spot["names"][:8]) + (" …" if n > 8 else ""),
                "n": n,
                "label": spot["place"] if n == 1 else f"{spot['place']} ({n})",
            }
        )
    return rows


@cache
def _towns() -> tuple[tuple[str, float, float], ...]:
    """Larger towns, most populous first."""
    found = {}
    for e in sorted(gz.load().entries, key=lambda e: -e.population):
        p = e.place
        if e.kind == "place" and e.population >= TOWN_POPULATION and p.lat is not None:
            found.setdefault(p.municipality or p.name, (p.municipality or p.name, p.lat, p.lon))
    return tuple(found.values())


def towns(pts: list[dict]) -> list[dict]:
    """The largest towns around the points, for orientation where no map tiles are drawn."""
    if not pts:
        return []
    lat0 = min(p["lat"] for p in pts) - MARGIN_DEG
    lat1 = max(p["lat"] for p in pts) + MARGIN_DEG
    lon0 = min(p["lon"] for p in pts) - MARGIN_DEG
    lon1 = max(p["lon"] for p in pts) + MARGIN_DEG
    named = {p["place"] for p in pts}
    near = [
        {"lat": lat, "lon": lon, "town": name}
        for name, lat, lon in _towns()
        if lat0 <= lat <= lat1 and lon0 <= lon <= lon1 and name not in named
    ]
    return near[:MAX_TOWNS]


def spec(pts: list[dict], height: int = 380) -> dict:
    """Vega-Lite layers: towns (grey), their names, supplier points (red, sized by count), labels."""
    geo = {
        "longitude": {"field": "lon", "type": "quantitative"},
        "latitude": {"field": "lat", "type": "quantitative"},
    }
    ref = towns(pts)
    return {
        "height": height,
        "projection": {"type": "mercator"},
        "config": {"view": {"stroke": "#dddddd"}},
        "layer": [
            {
                "data": {"values": ref},
                "mark": {"type": "circle", "size": 18, "color": "#9e9e9e"},
                "encoding": {**geo, "tooltip": [{"field": "town", "type": "nominal"}]},
            },
            {
                "data": {"values": ref},
                "mark": {"type": "text", "dy": 9, "fontSize": 10, "color": "#8a8a8a"},
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
                },
                "encoding": {
                    **geo,
                    "size": {
                        "field": "n",
                        "type": "quantitative",
                        "scale": {"range": [90, 400]},
                        "legend": None,
                    },
                    "tooltip": [
                        {"field": "place", "type": "nominal"},
                        {"field": "suppliers", "type": "nominal"},
                    ],
                },
            },
            {
                "data": {"values": pts},
                "mark": {
                    "type": "text",
                    "dy": -12,
                    "fontSize": 11,
                    "fontWeight": "bold",
                    "color": "#333333",
                },
                "encoding": {**geo, "text": {"field": "label", "type": "nominal"}},
            },
        ],
    }
