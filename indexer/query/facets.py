"""Facet counts: documents per facet value, counted by Whoosh over the document records of a result.

Several values of one facet are OR, different facets are AND, and each
facet's counts leave out that facet's own filter, so a count says what
ticking one more value would give: the ``documents`` of the same search with
that value ticked. A 40-page report counts once; a work in three languages
counts three times (a count is of documents, i.e. language versions).
"""

from __future__ import annotations

from whoosh import sorting

from indexer.query.builder import documents_query
from indexer.query.request import SearchRequest
from indexer.storage.cache import per_generation
from indexer.storage.records import known_year
from indexer.vocabulary import FACET, FACET_NAMES


class _SegmentValues(sorting.OverlappingCategorizer):
    """Whoosh's categorizer for multi-valued fields, with each segment's document → values lists kept.

    Whoosh builds those lists from the field's postings in every search; they change only with the
    index, so they are built once per index version (``lists``: a dict shared by the searches of one).
    """

    def __init__(self, global_searcher, fieldname: str, lists: dict) -> None:
        super().__init__(global_searcher, fieldname)
        self._shared = lists

    def set_searcher(self, segment_searcher, docoffset: int) -> None:
        key = (self._fieldname, docoffset)
        if key not in self._shared:
            super().set_searcher(segment_searcher, docoffset)
            self._shared[key] = self._lists
        self._segment_searcher = segment_searcher
        self._lists = self._shared[key]


class _MultiValueFacet(sorting.FieldFacet):
    """A facet over a comma-separated keyword field whose per-segment value lists are cached."""

    def __init__(self, fieldname: str, lists: dict) -> None:
        super().__init__(fieldname, allow_overlap=True)
        self.lists = lists

    def categorizer(self, global_searcher):
        return _SegmentValues(global_searcher, self.fieldname, self.lists)


def _facet(name: str, lists: dict):
    if FACET[name].kind == "range":
        return sorting.FieldFacet(FACET[name].field)
    return _MultiValueFacet(FACET[name].field, lists)


def count_facets(ix, searcher, request: SearchRequest, candidates: set[int] | None) -> dict[str, list[dict]]:
    """Documents per facet value among ``candidates`` (document numbers; None: every document).

    Facets without an active filter are counted in one pass; each filtered facet in a pass of its own
    that leaves its own filter out.
    """
    active = set(request.active_filters()) | ({"year"} if request.year_label() else set())
    passes = [(None, [name for name in FACET_NAMES if name not in active])] + [
        (name, [name]) for name in sorted(active)
    ]
    counts: dict[str, list[dict]] = {}
    lists = per_generation(ix, searcher, "facet value lists", dict)
    for skip, names in passes:
        if not names:
            continue
        results = searcher.search(
            documents_query(request, skip=skip),
            filter=candidates,
            groupedby={name: _facet(name, lists) for name in names},
            maptype=sorting.Count,
            limit=None,
            scored=False,
        )
        for name in names:
            groups = {value: n for value, n in results.groups(name).items() if value not in (None, "", 0)}
            if name == "year":  # a document without a year holds the column's filler value
                groups = {value: n for value, n in groups.items() if known_year(value)}
            if name == "year":
                ordered = sorted(groups.items())
            else:
                ordered = sorted(groups.items(), key=lambda item: (-item[1], str(item[0])))
            counts[name] = [{"value": value, "count": n} for value, n in ordered]
    return {name: counts.get(name, []) for name in FACET_NAMES}
