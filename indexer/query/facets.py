"""Facet counts: documents per facet value, counted by set intersections over the document records of a result.

Several values of one facet are OR, different facets are AND, and each
facet's counts leave out that facet's own filter, so a count says what
ticking one more value would give: the ``documents`` of the same search with
that value ticked. A 40-page report counts once; a work in three languages
counts three times (a count is of documents, i.e. language versions).

Which documents hold each value changes only with the index, so the document
numbers of every facet value are read once per index version
(``value_sets``); a search's counts are then sizes of intersections of
Python sets, with no pass over the documents and no scoring.
"""

from __future__ import annotations

from whoosh.query import Term

from indexer.query.request import SearchRequest
from indexer.storage.cache import per_generation
from indexer.storage.records import known_year, term_text
from indexer.vocabulary import FACET, FACET_NAMES

ValueSets = dict[str, dict[object, frozenset[int]]]  # facet name → value → document numbers holding it


def _build_value_sets(searcher) -> tuple[frozenset[int], ValueSets]:
    documents = frozenset(searcher.docs_for_query(Term("kind", "doc")))
    sets: ValueSets = {}
    for name in FACET_NAMES:
        field = FACET[name].field
        values: dict[object, set[int] | frozenset[int]] = {}
        if FACET[name].kind == "range":
            column = searcher.reader().column_reader(field)
            for docnum in documents:
                year = known_year(column[docnum])
                if year is not None:
                    values.setdefault(year, set()).add(docnum)
        else:
            for value in map(term_text, searcher.lexicon(field)):
                if value:
                    held = documents.intersection(searcher.docs_for_query(Term(field, value)))
                    if held:
                        values[value] = held
        sets[name] = {value: frozenset(held) for value, held in values.items()}
    return documents, sets


def value_sets(ix, searcher) -> tuple[frozenset[int], ValueSets]:
    """Every document record's number, and the numbers of the documents holding each facet value (per index
    version)."""
    return per_generation(ix, searcher, "facet value sets", lambda: _build_value_sets(searcher))


def _allowed(request: SearchRequest, sets: ValueSets) -> dict[str, frozenset[int]]:
    """The documents each active filter lets through (a facet's values OR'ed), by facet name."""
    allowed = {}
    for name, values in request.active_filters().items():
        allowed[name] = frozenset().union(*(sets[name].get(value, frozenset()) for value in values))
    if request.year_from is not None or request.year_to is not None:
        low, high = request.year_from, request.year_to
        years = [
            held
            for year, held in sets["year"].items()
            if (low is None or year >= low) and (high is None or year <= high)
        ]
        allowed["year"] = frozenset().union(*years)
    return allowed


def count_facets(ix, searcher, request: SearchRequest, candidates: set[int] | None) -> dict[str, list[dict]]:
    """Documents per facet value among ``candidates`` (document numbers; None: every document), each facet's
    counts leaving out that facet's own filter."""
    documents, sets = value_sets(ix, searcher)
    base = documents if candidates is None else documents.intersection(candidates)
    allowed = _allowed(request, sets)
    counts: dict[str, list[dict]] = {}
    for name in FACET_NAMES:
        pool = base.intersection(*(held for other, held in allowed.items() if other != name))
        groups = {value: len(held & pool) for value, held in sets[name].items()}
        groups = {value: n for value, n in groups.items() if n}
        if FACET[name].kind == "range":
            ordered = sorted(groups.items())
        else:
            ordered = sorted(groups.items(), key=lambda item: (-item[1], str(item[0])))
        counts[name] = [{"value": value, "count": n} for value, n in ordered]
    return counts
