"""How a result is shown: facet panels, the year histogram, filter chips, the pager, what a question was
understood as, and hits decorated for a page.

Pure functions of a result (the core's dict, never changed: it is shared through the result cache) and
the permalink's ``Links``; the views in ``views`` call them.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from search_app.i18n import FACET_LABELS, country_name, facet_value_label
from search_app.links import PARAM, Links

FACET_ORDER = ("theme", "doc_type", "lang", "country", "city")  # the sidebar's order (year is the histogram)
FACET_LIMIT = 8  # values shown before "show all"


def facet_panels(result: dict, links: Links, expanded: set[str]) -> list[dict]:
    panels = []
    for name in FACET_ORDER:
        counted = result["facets"].get(name, [])
        active = [str(v) for v in result["filters"].get(name, [])]
        listed = {str(item["value"]) for item in counted}
        values = [(item["value"], item["count"]) for item in counted] + [(v, 0) for v in active if v not in listed]
        if not values:
            continue
        # Ticked values stay in sight even when they would be past the first few.
        values.sort(key=lambda pair: str(pair[0]) not in active)
        items = [
            {
                "value": value,
                "label": facet_value_label(name, value),
                "count": count,
                "selected": str(value) in active,
                "url": links.toggle(name, value),
            }
            for value, count in values
        ]
        panels.append(
            {
                "name": name,
                "param": PARAM[name],
                "label": FACET_LABELS[name],
                "items": items,
                "limit": len(items) if name in expanded else FACET_LIMIT,
                "more_url": links.more(name),
            }
        )
    return panels


def histogram(result: dict, links: Links) -> list[dict]:
    years = result["facets"].get("year", [])
    if not years:
        return []
    highest = max(item["count"] for item in years)
    return [
        {
            "year": item["value"],
            "count": item["count"],
            "level": max(1, round(10 * item["count"] / highest)),
            "selected": links.selected("year", item["value"]),
            "url": links.toggle("year", item["value"]),
        }
        for item in years
    ]


def chips(result: dict, links: Links) -> list[dict]:
    chips = []
    for name, values in result["filters"].items():
        if name == "year":
            chips.append(
                {"facet": FACET_LABELS["year"], "label": values.replace("-", "–"), "param": "year", "value": values}
            )
            continue
        for value in values:
            chips.append(
                {"facet": FACET_LABELS[name], "label": facet_value_label(name, value), "param": PARAM[name]}
                | {"value": value}
            )
    for chip in chips:
        chip["url"] = links.without(chip["param"], chip["value"])
    return chips


def _place_label(facet: str, name: str) -> str:
    return country_name(name) if facet == "country" else name


def _places(understood: dict, query: str, links: Links) -> list[dict]:
    """The question's places: a scope switch for each one the collection holds, the nearest cities otherwise."""
    places = []
    for place in understood["places"]:
        facet = "city" if place["kind"] == "city" else "country"
        label = _place_label(facet, place["name"])
        if place["in_collection"]:
            places.append(
                {
                    "held": True,
                    "label": label,
                    "only": links.selected(facet, place["name"]),
                    "only_url": links.only(facet, place["name"]),
                    "everywhere_url": links.without(PARAM[facet], place["name"]),
                }
            )
            continue
        # The nearest city's search asks the same question about it, so the question still finds something.
        surface = re.compile(rf"(?<!\w){re.escape(place['surface'])}(?!\w)")
        nearest = [
            {"label": city, "url": links.only("city", city, q=surface.sub(city, query, count=1))}
            for city in place["nearest"]
        ]
        places.append({"held": False, "label": label, "country": country_name(place["country"]), "nearest": nearest})
    return places


def understanding(result: dict, links: Links) -> dict | None:
    """What the page says about how a question was read: corrections, places, preferred themes."""
    understood = result.get("understood")
    if not understood:
        return None
    correction = None
    if understood["corrections"] and result.get("did_you_mean"):
        corrected = result["did_you_mean"]
        correction = {
            "corrected": corrected,
            "corrected_url": links.with_query(corrected),
            "original": result["query"],
            "original_url": links.literal(result["query"]),
        }
    themes = [
        {"label": facet_value_label("theme", theme), "url": links.only("theme", theme)}
        for theme in understood["themes"]
        if not links.selected("theme", theme)
    ]
    places = _places(understood, result["query"], links)
    if not (correction or places or themes):
        return None
    return {"correction": correction, "places": places, "themes": themes}


def _about(hit: dict, understood: dict | None) -> str:
    """The places of the question a hit is about ("Barcelona"), which is why it comes first."""
    if not understood or not hit.get("about_query_place"):
        return ""
    cities = {p["name"] for p in understood["places"] if p["kind"] == "city" and p["in_collection"]}
    countries = {p["name"] for p in understood["places"] if p["kind"] == "country"}
    countries |= {p["country"] for p in understood["places"] if p["kind"] == "city" and not p["in_collection"]}
    about = [city for city in hit["city"] if city in cities]
    about += [country_name(code) for code in hit["country"] if code in countries and not about]
    return ", ".join(about)


def pager(page: int, per_page: int, total: int, links: Links) -> dict:
    last = max(1, -(-total // per_page))
    window = sorted({1, last, *range(max(1, page - 2), min(last, page + 2) + 1)})
    numbers: list[int | None] = []
    for number in window:
        if numbers and number - (numbers[-1] or 0) > 1:
            numbers.append(None)  # a gap: …
        numbers.append(number)
    return {
        "page": page,
        "last": last,
        "numbers": [{"number": n, "url": links.page(n) if n else None} for n in numbers],
        "prev": links.page(page - 1) if page > 1 else None,
        "next": links.page(page + 1) if page < last else None,
    }


def shown(hit: dict, understood: dict | None = None) -> dict:
    """A copy of a hit as a page shows it: snippets as markup, the places it is about. The core's result
    is shared by every request for the same search (it is cached), so views decorate copies."""
    # Snippets are escaped by indexer.query.snippets; only <mark> is markup.
    pages = [page | {"snippet": Markup(page["snippet"])} for page in hit.get("pages") or []]
    return hit | {"pages": pages, "about": _about(hit, understood)}


def notices(result: dict, links: Links) -> list[dict]:
    """The core's notices (a place filter the collection does not hold), with labels and links to its cities."""
    shown = []
    for notice in result.get("notices") or []:
        label = country_name(notice["value"]) if notice["facet"] == "country" else notice["value"]
        nearest = [{"label": city, "url": links.only("city", city)} for city in notice["nearest"]]
        shown.append(notice | {"label": label, "country_label": country_name(notice["country"]), "nearest": nearest})
    return shown
