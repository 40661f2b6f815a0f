"""A map of the places of a result: ``/map``, its JSON twin ``/api/places``, and a compact map beside the results.

Every city of the result is a mark sized by its documents, linked to the
search narrowed to that city, on world outlines drawn as SVG on the server
from Natural Earth's 1:110m countries (``static/world/``, from the npm
package ``world-atlas``), in the Equal Earth projection: no tile server,
nothing from another site, so the page keeps the site's CSP and works offline.
The marks are also a table, for screen readers and for reading exact counts.

The counts are the result's city facet. With a city filter the map shows the
chosen cities, each with the result's documents about it (facet counts leave
their own filter out, so cities named only beside a chosen one are not drawn).
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, request

from search_app.i18n import country_name, facet_value_label, gazetteer
from search_app.links import Links, state_of
from search_app.views import _html, _search, _ui_param

bp = Blueprint("places", __name__)

WORLD = Path(__file__).with_name("static") / "world" / "countries-110m.json"
WIDTH = 1000.0
NORTH, SOUTH = 84.0, -57.0  # latitudes shown: Antarctica is left out
# Equal Earth (Šavrič, Patterson & Jenny 2018): equal areas, so marks of equal counts look alike everywhere.
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2
_HALF_WIDTH = 2 * math.sqrt(3) * math.pi / (3 * _A1)
_SCALE = WIDTH / (2 * _HALF_WIDTH)


def _equal_earth(lon: float, lat: float) -> tuple[float, float]:
    theta = math.asin(_M * math.sin(math.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = (
        2
        * math.sqrt(3)
        * math.radians(lon)
        * math.cos(theta)
        / (3 * (9 * _A4 * t6 * t2 + 7 * _A3 * t6 + 3 * _A2 * t2 + _A1))
    )
    y = theta * (_A4 * t6 * t2 + _A3 * t6 + _A2 * t2 + _A1)
    return x, y


_TOP = _equal_earth(0, NORTH)[1]
HEIGHT = round((_TOP - _equal_earth(0, SOUTH)[1]) * _SCALE, 1)


def project(lat: float, lon: float) -> tuple[float, float]:
    """SVG coordinates of a point in the map's viewBox (0 0 WIDTH HEIGHT)."""
    x, y = _equal_earth(lon, max(min(lat, NORTH), SOUTH))
    return round((x + _HALF_WIDTH) * _SCALE, 1), round((_TOP - y) * _SCALE, 1)


def _arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON's quantized, delta-encoded arcs as lists of (lon, lat)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        decoded.append(points)
    return decoded


def _ring(arcs: list, indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]  # a negative index is the arc reversed
        points.extend(arc[1:] if points else arc)
    return points


def _path(ring: list[tuple[float, float]]) -> str:
    """SVG path data of a ring; a ring that runs along the antimeridian (Fiji) is cut there, not drawn across."""
    commands, previous = [], None
    for lon, lat in ring:
        x, y = project(lat, lon)
        jump = previous is not None and abs(lon - previous) > 180
        commands.append(("M" if previous is None or jump else "L") + f"{x:g},{y:g}")
        previous = lon
    return "".join(commands) + "Z"


@lru_cache(maxsize=1)
def outlines() -> tuple[tuple[str, str, str], ...]:
    """(ISO numeric id, name, SVG path data) of every country but Antarctica, projected once per process."""
    topology = json.loads(WORLD.read_text(encoding="utf-8"))
    arcs = _arcs(topology)
    shapes = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("id") == "010" or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        parts = []
        for polygon in polygons:
            for ring in polygon:
                parts.append(_path(_ring(arcs, ring)))
        shapes.append((geometry.get("id", ""), geometry.get("properties", {}).get("name", ""), "".join(parts)))
    return tuple(shapes)


@lru_cache(maxsize=1)
def world_svg() -> str:
    """The world outlines as a standalone SVG document (the map's background, cached by browsers)."""
    paths = "".join(f'<path d="{d}"><title>{name}</title></path>' for _, name, d in outlines())
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:g} {HEIGHT:g}" '
        f'width="{WIDTH:g}" height="{HEIGHT:g}"><rect width="100%" height="100%" fill="#eef3f7"/>'
        f'<g fill="#d9dfd3" stroke="#ffffff" stroke-width="0.6" stroke-linejoin="round">{paths}</g></svg>'
    )


def places_of(result: dict, ui: str | None = None) -> list[dict]:
    """The cities of a result: name, label in the reader's language, country, lat, lon, count; most documents first."""
    places_by_name = gazetteer()
    if places_by_name is None:
        return []
    chosen = set(result["filters"].get("city") or [])
    countries = list(result["filters"].get("country") or []) + [c["value"] for c in result["facets"].get("country", [])]
    places = []
    for item in result["facets"].get("city", []):
        if chosen and item["value"] not in chosen:
            continue
        city = places_by_name.city_named(item["value"], countries)
        if city is None:
            continue
        lat, lon = places_by_name.location(city)
        places.append(
            {
                "name": item["value"],
                "label": facet_value_label("city", item["value"], ui),
                "country": city.country,
                "country_label": country_name(city.country, ui),
                "lat": round(lat, 5),
                "lon": round(lon, 5),
                "count": item["count"],
            }
        )
    return places


def marks(places: list[dict], links: Links) -> list[dict]:
    """Each place with its mark on the map: x, y, radius (area by count) and the search narrowed to it."""
    highest = max((place["count"] for place in places), default=1)
    drawn = []
    # Biggest first, so the small marks are drawn on top and stay clickable.
    for place in sorted(places, key=lambda p: -p["count"]):
        x, y = project(place["lat"], place["lon"])
        radius = round(3 + 11 * math.sqrt(place["count"] / highest), 1)
        drawn.append(place | {"x": x, "y": y, "r": radius, "url": links.only("city", place["name"])})
    return drawn


DETAIL_WINDOW = (200.0, 100.0)  # the area, in map units, searched for crowded marks
MIN_DETAIL_WIDTH = 120.0


def detail_box(drawn: list[dict]) -> dict | None:
    """A closer view of the most crowded area (Europe, in this collection), when its marks overlap.

    Returns the viewBox around the marks of the window holding the most of them (at least three, not all
    of them), with margin, in the world map's aspect ratio; and the factor that keeps marks their size.
    """
    width, height = DETAIL_WINDOW
    best: list[dict] = []
    for centre in drawn:
        inside = [
            m for m in drawn if abs(m["x"] - centre["x"]) <= width / 2 and abs(m["y"] - centre["y"]) <= height / 2
        ]
        if len(inside) > len(best):
            best = inside
    if len(best) < 3 or len(best) == len(drawn) and len(drawn) < 6:
        return None
    left, right = min(m["x"] - m["r"] for m in best), max(m["x"] + m["r"] for m in best)
    top, bottom = min(m["y"] - m["r"] for m in best), max(m["y"] + m["r"] for m in best)
    box_width = max(right - left, (bottom - top) * WIDTH / HEIGHT, MIN_DETAIL_WIDTH) * 1.15
    box_height = box_width * HEIGHT / WIDTH
    x = min(max((left + right - box_width) / 2, 0), WIDTH - box_width)
    y = min(max((top + bottom - box_height) / 2, 0), HEIGHT - box_height)
    return {"viewbox": f"{x:.1f} {y:.1f} {box_width:.1f} {box_height:.1f}", "scale": round(box_width / WIDTH * 1.8, 3)}


def _links(search_request) -> Links:
    return Links(state_of(search_request, _ui_param(), current_app.config["PER_PAGE"]))


@bp.app_template_global("result_marks")
def result_marks(result: dict, links: Links) -> list[dict]:
    """For templates: the marks of a result's places (the compact map beside the results)."""
    return marks(places_of(result), links)


@bp.app_context_processor
def map_size() -> dict:
    """The map's viewBox, for templates."""
    return {"map_width": f"{WIDTH:g}", "map_height": f"{HEIGHT:g}"}


@bp.route("/map")
def map_page():
    """The result's cities on a world map, marks sized by documents, each linked to its search; and as a table."""
    search_request, result = _search(request.args)
    links = _links(search_request)
    drawn = marks(places_of(result), links)
    return _html(
        "map.html",
        links.current("places.api_places"),
        result=result,
        links=links,
        marks=drawn,
        detail=detail_box(drawn),
        table=sorted(drawn, key=lambda m: (-m["count"], m["label"])),
    )


@bp.route("/api/places")
def api_places():
    """JSON twin of /map: the result's cities with name, country, lat, lon and count (documents)."""
    _, result = _search(request.args)
    places = [
        {key: place[key] for key in ("name", "label", "country", "lat", "lon", "count")} for place in places_of(result)
    ]
    return jsonify(
        {
            "query": result["query"],
            "filters": result["filters"],
            "documents": result["documents"],
            "places": places,
        }
    )


@bp.route("/map/world.svg")
def world():
    """The world outlines as SVG (Natural Earth 1:110m countries), cached for a day."""
    response = Response(world_svg(), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


def map_url(links: Links) -> str:
    """The /map of the current result list."""
    return links.current("places.map_page")
