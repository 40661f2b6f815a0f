"""The one query builder: a request's text and filters as Whoosh queries, for every surface alike.

The result list, a document's own page ("search in this document"), exports
and feeds all get their queries here, so a document page shows the pages
the result list promised. A query has two readings:

- ``doc_query`` runs on *document* records, which hold a document's whole
  text per language in fields of their own (``document_field``; the query
  is built on the page fields and renamed by ``on_documents``), so
  ``a b``, ``AND``, ``OR``, ``NOT`` and parentheses decide whether a
  document matches, and ``D(a NOT b) + D(a AND b) = D(a)`` holds exactly; a
  phrase still stands within one page (pages are joined with a position
  gap, ``indexer.text.PAGE_GAP``);
- ``page_query`` is its positive part (no ``NOT``; ``AND`` read as ``OR``)
  on page records: which pages of a matching document to show, best first.

``NOT`` is a prohibition as in every search engine a researcher knows:
``housing NOT London`` is ``housing AND NOT London`` (Whoosh's parser
would read it as ``housing OR (NOT London)``, matching nearly everything).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from whoosh.qparser import MultifieldParser, OrGroup
from whoosh.query import And, AndMaybe, AndNot, NullQuery, NumericRange, Or, Query, Term
from whoosh.query import Not as NotQuery

from indexer.errors import BadQuery
from indexer.lexicon.gazetteer import Gazetteer
from indexer.lexicon.thesaurus import Thesaurus
from indexer.query.expand import Origins, collection_places, resources_for, understood_queries
from indexer.query.phrases import adjacent_phrases
from indexer.query.request import MAX_QUERY_CHARS, SearchRequest, too_long
from indexer.query.understand import Understanding, has_syntax, understand
from indexer.storage.cache import per_generation
from indexer.storage.schema import content_field, document_field
from indexer.vocabulary import FACET, LANGUAGES

_NULL = type(NullQuery)  # whoosh's parser returns its NullQuery instance for a text with no terms
_TO_DOCUMENT = {content_field(lang): document_field(lang) for lang in LANGUAGES}


@dataclass
class BuiltQuery:
    """A request's text as queries: see the module docstring."""

    doc_query: Query | None = None
    page_query: Query | None = None
    origins: Origins = field(default_factory=dict)  # translated terms → the word and label they came from
    understood: Understanding | None = None
    concepts: list[Query] = field(default_factory=list)  # a question's words and places, each on documents

    @property
    def empty(self) -> bool:
        """True when the text had no searchable word (only stop words or operators)."""
        return self.doc_query is None


def _prohibit(query: Query) -> Query:
    """``a NOT b`` inside an OR (or AND) group made ``(a) AND NOT (b)``, at every level of the tree."""
    if isinstance(query, NotQuery):
        return NotQuery(_prohibit(query.query))
    if isinstance(query, AndNot):
        return And([_prohibit(query.a), NotQuery(_prohibit(query.b))])
    if isinstance(query, AndMaybe):
        return AndMaybe(_prohibit(query.a), _prohibit(query.b))
    if not isinstance(query, And | Or):
        return query
    children = [_prohibit(child) for child in query.subqueries]
    negated = [child.query for child in children if isinstance(child, NotQuery)]
    kept = [child for child in children if not isinstance(child, NotQuery)]
    if not negated:
        return type(query)(kept, boost=query.boost)
    if not kept:
        return NotQuery(Or(negated) if len(negated) > 1 else negated[0])
    positive = kept[0] if len(kept) == 1 else type(query)(kept, boost=query.boost)
    # Not AndNot: whoosh3's AndNot matcher misses documents when its negative side is an Or of terms
    # some of which the index lacks; And with an inverted matcher is exact.
    return And([positive, NotQuery(Or(negated) if len(negated) > 1 else negated[0])])


def positive_part(query: Query | None) -> Query | None:
    """What a page must contain to be shown for ``query``: its terms and phrases, negations dropped."""
    if query is None or isinstance(query, NotQuery | _NULL):
        return None
    if isinstance(query, AndMaybe):
        parts = [positive_part(query.a), positive_part(query.b)]
    elif isinstance(query, And | Or):
        parts = [positive_part(child) for child in query.subqueries]
    else:
        return query
    parts = [part for part in parts if part is not None]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Or(parts, boost=query.boost)


def _check_syntax(text: str) -> None:
    if len(text) > MAX_QUERY_CHARS:
        raise too_long(text)
    if text.count('"') % 2:
        raise BadQuery('unbalanced quotation mark: close the phrase with a second "')
    if text.count("(") != text.count(")"):
        raise BadQuery("unbalanced parentheses in the query")


def parse_literal(schema, text: str) -> Query | None:
    """User syntax (``AND``, ``OR``, ``NOT``, parentheses, phrases) over titles and the four languages' text."""
    _check_syntax(text)
    fields = ["title", *(content_field(lang) for lang in LANGUAGES)]
    try:
        parsed = MultifieldParser(fields, schema, group=OrGroup.factory(0.9)).parse(text)
    except Exception as exc:  # noqa: BLE001 - whoosh's parser errors are not user-facing
        raise BadQuery("the query could not be understood: %(reason)s", reason=exc) from exc
    parsed = _prohibit(parsed.normalize())
    return None if isinstance(parsed, _NULL) else parsed


def unions(query: Query | None) -> Query | None:
    """``query`` with every ``Or`` in it matched as a tree of unions (in place; returned for chaining).

    On an index of under 5,000 records Whoosh's default preloads every ``Or`` into an array of 2,048
    scores, cleared and filled in Python: most of a small collection's query time. A tree of unions is
    what Whoosh uses on larger indexes anyway, so small and large collections rank the same way.
    """
    if query is None:
        return None
    if isinstance(query, Or):
        query.matcher_type = Or.DEFAULT_MATCHER
    for child in query.children():
        unions(child)
    return query


def matchable(query: Query | None) -> Query | None:
    """``query`` as it is matched: its unions as trees, its exact phrases by positions (``phrases``)."""
    return unions(adjacent_phrases(query))


def on_documents(query: Query | None) -> Query | None:
    """``query`` (on page fields) on the fields of document records, which hold each document's whole text."""
    if query is None:
        return None

    def rename(node: Query) -> Query:
        if getattr(node, "fieldname", None) in _TO_DOCUMENT:
            node = copy.copy(node)
            node.fieldname = _TO_DOCUMENT[node.fieldname]
        return node

    return matchable(query.accept(rename))


def document_term(fieldname: str, text: str) -> tuple[str, str]:
    """A page field's term as document records index it."""
    return _TO_DOCUMENT.get(fieldname, fieldname), text


def _either(*queries: Query | None) -> Query | None:
    parts = [q for q in queries if q is not None]
    return (parts[0] if len(parts) == 1 else Or(parts)) if parts else None


def build(ix, searcher, text: str, understand_question: bool = True) -> BuiltQuery:
    """The queries for ``text``: understood as a question unless it has search syntax or ``understand_question``
    is off (``exact=1``, ``--exact``)."""
    text = (text or "").strip()
    if not text:
        return BuiltQuery()
    if understand_question and not has_syntax(text):
        places = per_generation(ix, searcher, "places", lambda: collection_places(searcher, Gazetteer.load()))
        understood = understand(text, resources_for(searcher, places, Thesaurus.load()))
        queries = understood_queries(ix.schema, understood)
        return BuiltQuery(
            on_documents(_either(queries.pages, queries.titles)),
            matchable(queries.pages),
            queries.origins,
            understood,
            [on_documents(concept) for concept in queries.concepts],
        )
    literal = parse_literal(ix.schema, text)
    return BuiltQuery(on_documents(literal), matchable(positive_part(literal)))


def _facet_clause(name: str, values: list[str]) -> Query:
    return unions(Or([Term(FACET[name].field, value) for value in values]))


def filter_clauses(request: SearchRequest, skip: str | None = None) -> list[Query]:
    """Whoosh queries for the request's filters (all but ``skip``), on document records."""
    clauses = [_facet_clause(name, values) for name, values in request.active_filters().items() if name != skip]
    if skip != "year" and (request.year_from is not None or request.year_to is not None):
        clauses.append(NumericRange(FACET["year"].field, request.year_from, request.year_to))
    return clauses


def documents_query(request: SearchRequest, skip: str | None = None) -> Query:
    """Every document record passing the request's filters (all but ``skip``)."""
    return And([Term("kind", "doc"), *filter_clauses(request, skip=skip)])
