"""Atom feeds of searches: ``/search.atom?<the parameters of /search>``, newest indexed first.

A researcher follows "new documents about housing in Spain" in a feed reader: the
feed is the same result list as the page, sorted by when each document was
indexed, one entry per work (its language versions are one hit) with its first
snippet as summary and its cities and themes as categories. Written by
``feedgen``, which produces valid Atom 1.0.
"""

from __future__ import annotations

import dataclasses
import html
import re
from datetime import UTC, datetime

from feedgen.feed import FeedGenerator
from flask import Blueprint, Response, request, url_for

from indexer.report.stored import with_extras
from indexer.search import search
from search_app.i18n import facet_value_label, ui_language
from search_app.links import Links, state_of
from search_app.views import _search_request, live

bp = Blueprint("feeds", __name__)

FEED_ENTRIES = 50
_TAGS = re.compile(r"<[^>]+>")


def _when(timestamp: int | None) -> datetime:
    return datetime.fromtimestamp(timestamp or 0, tz=UTC)


def _title(result: dict) -> str:
    parts = [f"“{result['query']}”"] if result["query"] else []
    for name, values in result["filters"].items():
        values = [values] if isinstance(values, str) else values
        parts += [facet_value_label(name, value) for value in values]
    return "citymig" + (": " + ", ".join(parts) if parts else "")


def feed_xml(result: dict, hits: list[dict], self_url: str, html_url: str) -> bytes:
    """The Atom document of a result (``hits`` carry ``indexed_at``)."""
    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(_title(result))
    feed.link(href=self_url, rel="self", type="application/atom+xml")
    feed.link(href=html_url, rel="alternate", type="text/html")
    feed.language(ui_language())
    feed.generator("citymig")
    feed.updated(max((_when(hit.get("indexed_at")) for hit in hits), default=_when(0)))
    scheme = url_for("search.search_page", _external=True)  # a category's scheme: the search by that facet
    for hit in hits:
        url = url_for("search.document", doc_id=hit["id"], _external=True)
        entry = feed.add_entry(order="append")
        entry.id(url)
        entry.title(hit.get("title") or hit.get("relpath") or hit["id"])
        entry.link(href=url, rel="alternate", type="text/html")
        entry.updated(_when(hit.get("indexed_at")))
        if hit.get("year"):
            entry.published(datetime(int(hit["year"]), 1, 1, tzinfo=UTC))
        if hit.get("author"):
            entry.author(name=hit["author"])
        snippet = (hit.get("pages") or [{}])[0].get("snippet")
        if snippet:
            entry.summary(html.unescape(_TAGS.sub("", snippet)), type="text")
        for name in ("city", "theme"):
            for value in hit.get(name) or []:
                entry.category(term=value, label=facet_value_label(name, value), scheme=f"{scheme}?{name}=")
    return feed.atom_str(pretty=True)


@bp.route("/search.atom")
def search_atom():
    """The search of the same parameters as an Atom feed, newest indexed first (the ``sort`` is ignored)."""
    search_request = dataclasses.replace(_search_request(request.args), sort="newest", page=1, per_page=FEED_ENTRIES)
    ix = live().get()
    result = search(ix, search_request)
    state = state_of(dataclasses.replace(search_request, sort="relevance", per_page=10))
    links = Links(state)
    body = feed_xml(
        result,
        with_extras(ix, result["hits"], ("author", "indexed_at")),
        request.url,
        links.current("search.search_page", _external=True),
    )
    return Response(body, mimetype="application/atom+xml")
