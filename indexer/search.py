"""Search an index: a hit is a document, carrying its best matching pages with snippets.

The query is parsed once per language field (each with its own analyzer)
and once for titles. Pages are searched, and their hits grouped by the
``doc_id`` column: a document scores as its best page (or its title), so
ranking, totals and pagination are about documents, and the snippets of a
hit come from the page hits already scored.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from whoosh import highlight
from whoosh.qparser import MultifieldParser, OrGroup, QueryParser
from whoosh.query import And, Or, Query, Term
from whoosh.searching import Hit

from indexer.errors import BadQuery
from indexer.language import LANGUAGES
from indexer.schema import content_field

MAX_QUERY_CHARS = 1000
PAGES_PER_HIT = 3
FACETS = ("city", "country", "year", "theme", "lang", "doc_type")


@dataclass
class SearchRequest:
    """Everything that defines a result list, as it appears in a permalink."""

    q: str = ""
    lang: str | None = None
    page: int = 1
    per_page: int = 10
    filters: dict[str, list[str]] = field(default_factory=dict)


class _MarkFormatter(highlight.Formatter):
    """Escaped text with ``<mark>`` around the matched terms."""

    between = " … "

    def format_token(self, text, token, replace=False):
        return f"<mark>{html.escape(highlight.get_text(text, token, replace))}</mark>"

    def format_fragment(self, fragment, replace=False):
        output, index = [], fragment.startchar
        text = fragment.text
        for token in fragment.matches:
            if token.startchar < index:
                continue
            output.append(html.escape(text[index : token.startchar]))
            output.append(self.format_token(text, token, replace))
            index = token.endchar
        output.append(html.escape(text[index : fragment.endchar]))
        return "".join(output)


def _highlighter() -> highlight.Highlighter:
    return highlight.Highlighter(
        fragmenter=highlight.ContextFragmenter(maxchars=220, surround=70),
        formatter=_MarkFormatter(),
    )


def _content_fields(lang: str | None) -> list[str]:
    return [content_field(lang)] if lang else [content_field(code) for code in LANGUAGES]


def parse_query(schema, text: str, lang: str | None = None) -> tuple[Query, Query]:
    """Parse user syntax into (page query, title query); raise BadQuery with a helpful message."""
    if len(text) > MAX_QUERY_CHARS:
        raise BadQuery(f"the query is too long ({len(text)} characters; the limit is {MAX_QUERY_CHARS})")
    if text.count('"') % 2:
        raise BadQuery('unbalanced quotation mark: close the phrase with a second "')
    if text.count("(") != text.count(")"):
        raise BadQuery("unbalanced parentheses in the query")
    try:
        pages = MultifieldParser(_content_fields(lang), schema, group=OrGroup.factory(0.9)).parse(text)
        titles = QueryParser("title", schema, group=OrGroup.factory(0.9)).parse(text)
    except Exception as exc:  # noqa: BLE001 - whoosh's parser errors are not user-facing
        raise BadQuery(f"the query could not be understood: {exc}") from exc
    return pages, titles


def _filter_query(request: SearchRequest) -> list[Query]:
    clauses: list[Query] = []
    if request.lang:
        clauses.append(Term("langs", request.lang))
    for name, values in request.filters.items():
        if values:
            clauses.append(Or([Term(name, value) for value in values]))
    return clauses


def _snippets(page_results, docnums: list[tuple[float, int]]) -> list[dict]:
    """Snippets of a document's best pages, from the page search that found them."""
    pages = []
    for score, docnum in docnums[:PAGES_PER_HIT]:
        hit = Hit(page_results, docnum, score=score)
        text = hit.get("text") or ""
        snippet = hit.highlights(content_field(hit["lang"]), text=text, top=2) or html.escape(text[:200])
        pages.append({"page": hit["page"], "snippet": snippet})
    return pages


def _rank_documents(searcher, page_results, title_results) -> list[tuple[float, str, list]]:
    """Documents ranked by their best page or title score, with their page hits best first."""
    doc_ids = searcher.reader().column_reader("doc_id")
    best: dict[str, float] = {}
    pages: dict[str, list[tuple[float, int]]] = {}
    for score, docnum in page_results.top_n:
        doc_id = doc_ids[docnum]
        pages.setdefault(doc_id, []).append((score, docnum))
        best[doc_id] = max(best.get(doc_id, 0.0), score)
    for score, docnum in title_results.top_n:
        doc_id = doc_ids[docnum]
        best[doc_id] = max(best.get(doc_id, 0.0), score)
    ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))
    return [(score, doc_id, pages.get(doc_id, [])) for doc_id, score in ranked]


def _split(value: str | None) -> list[str]:
    return [part for part in (value or "").split(",") if part]


def _hit(fields: dict, score: float | None, pages: list[dict]) -> dict:
    return {
        "id": fields["doc_id"],
        "title": fields.get("title"),
        "path": fields.get("path"),
        "lang": fields.get("lang"),
        "langs": _split(fields.get("langs")),
        "year": fields.get("year"),
        "doc_type": fields.get("doc_type"),
        "city": _split(fields.get("city")),
        "country": _split(fields.get("country")),
        "theme": _split(fields.get("theme")),
        "score": round(score, 4) if score is not None else None,
        "pages": pages,
    }


def search(ix, request: SearchRequest) -> dict:
    """Run a search and return the JSON-ready result described in the README."""
    if request.page < 1 or request.per_page < 1:
        raise BadQuery("page and per_page must be positive numbers")
    if request.lang and request.lang not in LANGUAGES:
        raise BadQuery(f"unknown language {request.lang!r}: use one of {', '.join(LANGUAGES)}")
    text = (request.q or "").strip()
    filters = _filter_query(request)
    first = (request.page - 1) * request.per_page
    with ix.searcher() as searcher:
        if text:
            page_query, title_query = parse_query(ix.schema, text, request.lang)
            page_results = searcher.search(page_query, limit=None, filter=And([Term("kind", "page"), *filters]))
            page_results.highlighter = _highlighter()
            title_results = searcher.search(title_query, limit=None, filter=And([Term("kind", "doc"), *filters]))
            ranked = _rank_documents(searcher, page_results, title_results)
            total = len(ranked)
            hits = []
            for score, doc_id, page_hits in ranked[first : first + request.per_page]:
                fields = searcher.document(id=doc_id) or {"doc_id": doc_id}
                hits.append(_hit(fields, score, _snippets(page_results, page_hits)))
        else:
            results = searcher.search(And([Term("kind", "doc"), *filters]), limit=None, scored=False)
            total = len(results)
            docnums = sorted(results.docs())[first : first + request.per_page]
            hits = [_hit(searcher.stored_fields(n), None, []) for n in docnums]
        return {
            "query": request.q,
            "total": total,
            "page": request.page,
            "per_page": request.per_page,
            "hits": hits,
            "facets": {name: [] for name in FACETS},
        }
