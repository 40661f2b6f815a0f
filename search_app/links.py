"""Permalinks: the state of a result list as query-string parameters, and the links that change one thing.

Every view is a URL: the query, each filter value, the year range, the sort
order and the page. A facet value's link toggles that value; a chip's link
removes it; changing filters or sort goes back to page 1. ``exact=1`` (words
taken literally, the question not interpreted) is part of the state, so
filtering an exact search keeps it exact.
"""

from __future__ import annotations

from flask import url_for

from indexer.query.request import SearchRequest
from indexer.vocabulary import FACETS

PARAM = {facet.name: facet.param for facet in FACETS}  # facet name → query-string name
ORDER = ("q", "exact", *PARAM.values(), "sort", "per_page", "page", "ui", "more")


def state_of(request: SearchRequest, ui: str | None = None, default_per_page: int = 10) -> dict[str, list[str]]:
    """The canonical query-string parameters of a search request (repeated parameters, no commas)."""
    state: dict[str, list[str]] = {"q": [request.q] if request.q else []}
    if not request.understand:
        state["exact"] = ["1"]
    for name, values in request.active_filters().items():
        state[PARAM[name]] = list(values)
    if request.year_label():
        state["year"] = [request.year_label()]
    if request.sort != "relevance":
        state["sort"] = [request.sort]
    if request.per_page != default_per_page:
        state["per_page"] = [str(request.per_page)]
    if request.page > 1:
        state["page"] = [str(request.page)]
    if ui:
        state["ui"] = [ui]
    return {key: state[key] for key in ORDER if state.get(key)}


class Links:
    """URLs for the current result list and its variations, for templates."""

    def __init__(self, state: dict[str, list[str]], endpoint: str = "search.search_page") -> None:
        self.state = state
        self.endpoint = endpoint

    def _url(self, state: dict[str, list[str]], endpoint: str | None = None, **values) -> str:
        params = {key: state[key] for key in ORDER if state.get(key)}
        return url_for(endpoint or self.endpoint, **values, **params)

    def _changed(self, **changes: list[str] | None) -> dict[str, list[str]]:
        state = {key: list(values) for key, values in self.state.items()}
        for key, values in changes.items():
            state[key] = values or []
        return state

    def current(self, endpoint: str | None = None, **values) -> str:
        """This result list (at another endpoint: its JSON twin, its CSV export)."""
        return self._url(self.state, endpoint, **values)

    def selected(self, facet: str, value: object) -> bool:
        """True when ``value`` of ``facet`` is an active filter."""
        return str(value) in self.state.get(PARAM.get(facet, facet), [])

    def toggle(self, facet: str, value: object) -> str:
        """The list with ``value`` of ``facet`` added (OR with the facet's other values) or removed."""
        param, value = PARAM.get(facet, facet), str(value)
        if facet == "year":
            return self._url(self._changed(year=[] if self.selected("year", value) else [value], page=[]))
        values = self.state.get(param, [])
        values = [v for v in values if v != value] if value in values else [*values, value]
        return self._url(self._changed(**{param: values, "page": []}))

    def without(self, param: str, value: str | None = None) -> str:
        """The list without a filter value (or without the whole parameter)."""
        kept = [] if value is None else [v for v in self.state.get(param, []) if v != value]
        return self._url(self._changed(**{param: kept, "page": []}))

    def only(self, facet: str, value: object, q: str | None = None) -> str:
        """The list narrowed to ``value`` of ``facet`` alone (any other value of that facet dropped), or
        another query ``q`` so narrowed."""
        changes = {PARAM.get(facet, facet): [str(value)], "page": []} | ({"q": [q]} if q is not None else {})
        return self._url(self._changed(**changes))

    def without_filters(self) -> str:
        """The query alone, every filter dropped."""
        return self._url({key: self.state[key] for key in ("q", "exact", "sort", "ui") if key in self.state})

    def with_query(self, q: str) -> str:
        """The same filters with another query (did you mean)."""
        return self._url(self._changed(q=[q], page=[]))

    def literal(self, q: str) -> str:
        """The same filters with ``q`` taken literally (``exact=1``): no corrections, places or translations."""
        return self._url(self._changed(q=[q], exact=["1"], page=[]))

    def understood(self) -> str:
        """The same list with the query read as a question again (``exact`` dropped)."""
        return self._url(self._changed(exact=[], page=[]))

    def page(self, number: int) -> str:
        """Another page of the list."""
        return self._url(self._changed(page=[str(number)] if number > 1 else []))

    def more(self, facet: str) -> str:
        """The list with every value of ``facet`` shown (no-JavaScript "show all")."""
        return self._url(self._changed(more=[facet]))

    def hidden_fields(self, *skip: str) -> list[tuple[str, str]]:
        """(name, value) pairs for a form that changes only the parameters in ``skip``."""
        return [(key, value) for key in ORDER if key not in skip and key != "page" for value in self.state.get(key, [])]
