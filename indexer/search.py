"""Search: a request in, the result every surface shows out (CLI, JSON API, HTML, exports).

The orchestration only; each step lives in ``indexer.query``: the request
(``request``), its queries (``builder``), scores and sort keys
(``ranking``), language versions (``translations``), facet counts
(``facets``) and snippets (``snippets``).

What the result counts (``indexer.vocabulary`` defines the words):
``total`` is the number of *works* (hits; the language versions of one
work are one hit), ``documents`` the number of matching *documents*
(language versions). Facet counts are documents, so a value's count equals
the ``documents`` of the same search with that value ticked.
"""

from __future__ import annotations

from dataclasses import astuple

from whoosh.query import Query, Require, Term

from indexer.errors import BadQuery
from indexer.lexicon.gazetteer import Gazetteer
from indexer.query.builder import BuiltQuery, build, document_term, documents_query, on_documents
from indexer.query.evaluate import Evaluation, term_scores
from indexer.query.expand import collection_places
from indexer.query.facets import count_facets
from indexer.query.ranking import TRANSLATION_ONLY, coordinate, doc_facts, lift, prefer, sort_key
from indexer.query.request import SearchRequest, closest, request_from_params, validate
from indexer.query.snippets import page_snippets
from indexer.query.suggest import did_you_mean
from indexer.query.translations import translation_groups, works
from indexer.storage.cache import RecentResults, at_generation, per_generation
from indexer.storage.index import thread_searcher
from indexer.storage.records import hit_summary, term_text

# The API callers use (the CLI, the web app, benchmarks): the request and its parsing come from indexer.query.
__all__ = ["SearchRequest", "best_pages", "request_from_params", "search"]

PAGES_PER_HIT = 3


def search(ix, request: SearchRequest, cache: bool = True) -> dict:
    """Run a search and return the JSON-ready result described in the README.

    The result may be shared with other callers of the same request (it is cached per index version):
    callers decorate copies of what they show and never change it.

    :param cache: reuse the result of the same request on the same index version (False: always search)
    """
    validate(request)
    if not cache:
        return _search(ix, request)
    key = repr(astuple(request))
    recent = at_generation(ix, ix.latest_generation(), "recent results", RecentResults)
    result = recent.get(key)
    if result is None:
        result = _search(ix, request)
        recent.put(key, result)
    return result


def _doc_id_column(ix, searcher) -> list[str]:
    """The doc_id of every record, by record number, read once per index generation.

    Whoosh's column reader reads each segment's offsets and lengths again whenever it is opened
    (2-3 ms on the scaled index, twice a search); a list of 48,000 ids costs about 4 MB.
    """
    return per_generation(ix, searcher, "doc_id column", lambda: list(searcher.reader().column_reader("doc_id")))


def _doc_numbers(ix, searcher) -> dict[str, int]:
    """Document number of every document record, by doc_id (the page records point to these; per generation)."""

    def read() -> dict[str, int]:
        doc_ids = _doc_id_column(ix, searcher)
        return {doc_ids[n]: n for n in searcher.docs_for_query(Term("kind", "doc"))}

    return per_generation(ix, searcher, "doc_numbers", read)


def _pages_of(ix, searcher) -> dict[str, list[int]]:
    """The record numbers of each document's pages, in order, by doc_id (per generation)."""

    def read() -> dict[str, list[int]]:
        doc_ids = _doc_id_column(ix, searcher)
        pages: dict[str, list[int]] = {}
        for n in searcher.docs_for_query(Term("kind", "page")):
            pages.setdefault(doc_ids[n], []).append(n)
        return pages

    return per_generation(ix, searcher, "pages of documents", read)


def _place_notices(ix, searcher, request: SearchRequest) -> list[dict]:
    """Say why a place filter finds nothing: a city the collection does not hold (with its cities of the
    same country); raise BadQuery for a city no gazetteer knows either (a typo: with the closest held ones)."""
    filters = request.active_filters()
    if not filters.get("city") and not filters.get("country"):
        return []
    places = per_generation(ix, searcher, "places", lambda: collection_places(searcher, Gazetteer.load()))
    cities, countries = places
    gazetteer = Gazetteer.load()
    notices = []
    for city in filters.get("city", []):
        if city in cities:
            continue
        known = gazetteer.lookup_city(city)
        if not known:
            raise BadQuery(
                "unknown city %(value)s: the collection's closest cities are %(closest)s",
                value=repr(city),
                closest=closest(city, sorted(cities)),
            )
        country = known[0].country
        nearest = sorted(name for name, code in cities.items() if code == country)
        notices.append({"facet": "city", "value": city, "country": country, "nearest": nearest})
    for code in filters.get("country", []):
        if code not in countries:
            notices.append({"facet": "country", "value": code, "country": code, "nearest": []})
    return notices


def best_pages(
    ix, searcher, built: BuiltQuery, doc_ids: list[str], limit: int | None = PAGES_PER_HIT
) -> dict[str, list[dict]]:
    """The pages of each of ``doc_ids`` that match the positive part of the query, best first, with snippets.

    The query is evaluated on their pages only (``indexer.query.evaluate``: each term's postings skip
    to them), so the cost follows the pages of the documents shown, not every page of the collection
    that matches. Equal scores: the earlier page first.
    """
    if built.page_query is None or not doc_ids:
        return {}
    pages_of = _pages_of(ix, searcher)
    column = _doc_id_column(ix, searcher)
    numbers = _doc_numbers(ix, searcher)
    on_records = Evaluation(searcher, term_scores(ix, searcher))

    def narrow(leaf: Query) -> list[int] | None:
        # A page holds a term or phrase only if its document's record does (the record is its pages' text,
        # joined with a gap no phrase spans); the records' scores are kept per index version.
        as_record = on_documents(leaf)
        if getattr(as_record, "fieldname", None) == getattr(leaf, "fieldname", None):
            return None  # not a page text field (titles): every page of the documents shown
        holders = on_records.scores(as_record)
        return sorted(n for d in doc_ids if numbers.get(d) in holders for n in pages_of.get(d, ()))

    within = [n for d in doc_ids for n in pages_of.get(d, ())]
    scored = Evaluation(searcher, within=within, narrow=narrow).scores(built.page_query)
    found: dict[str, list[tuple[float, int]]] = {}
    for docnum, score in sorted(scored.items(), key=lambda item: (-item[1], item[0])):
        ranked = found.setdefault(column[docnum], [])
        if limit is None or len(ranked) < limit:
            ranked.append((score, docnum))
    pages = {}
    for doc_id, ranked in found.items():
        pages[doc_id] = page_snippets(searcher, built.page_query, [docnum for _, docnum in ranked])
        for page, (score, _) in zip(pages[doc_id], ranked, strict=True):
            page["score"] = round(score, 4)
    return pages


def _match(ix, searcher, built: BuiltQuery, kept: Query, doc_ids) -> tuple[dict[str, float], set[str]]:
    """Scores of the matching documents that ``kept`` (a query on document records) keeps, and those that
    matched only through translations (``Require``: scored by the text alone; evaluated a set at a time,
    with the terms' scores on document records kept per index version: ``indexer.query.evaluate``).

    A question's coordination and its translation-only matches are read from the terms each document
    matched, recorded by the same evaluation, not from searches of their own.
    """
    understood = bool(built.concepts or built.origins)
    evaluation = Evaluation(searcher, term_scores(ix, searcher), terms=understood)
    found = evaluation.scores(Require(built.doc_query, kept))
    scores = {doc_ids[docnum]: score for docnum, score in found.items()}
    if not understood:
        return scores, set()
    if len(built.concepts) > 1:
        counts: dict[str, int] = {}
        for concept in built.concepts:
            for docnum in evaluation.matching(_terms(concept.iter_all_terms())) & found.keys():
                counts[doc_ids[docnum]] = counts.get(doc_ids[docnum], 0) + 1
        coordinate(scores, counts, len(built.concepts))
    translated: set[str] = set()
    if built.origins:
        own = _terms(built.doc_query.iter_all_terms()) - {document_term(*term) for term in built.origins}
        literal = evaluation.matching(own)
        translated = {doc_ids[docnum] for docnum in found if docnum not in literal}
        for doc_id in translated:
            scores[doc_id] *= TRANSLATION_ONLY
    return scores, translated


def _terms(terms) -> set[tuple[str, str]]:
    """(field, text) pairs with text as str."""
    return {(field, term_text(text)) for field, text in terms}


def _translations_of(searcher, built: BuiltQuery, docnum: int) -> list[dict]:
    """The thesaurus translations a document matched through (one that matched through nothing else):
    the translated terms its record holds, read from their postings, without scoring a search."""
    reader = searcher.reader()
    via = []
    for term, origin in built.origins.items():
        term = document_term(*term)
        if origin in via or term not in reader:
            continue
        postings = reader.postings(*term)
        postings.skip_to(docnum)
        if postings.is_active() and postings.id() == docnum:
            via.append(origin)
    return via


def _version(fields: dict, matched: bool) -> dict:
    summary = hit_summary(fields)
    summary.pop("pages")
    summary.pop("score")
    return summary | {"matched": matched}


def _search(ix, request: SearchRequest) -> dict:
    text = (request.q or "").strip()
    first = (request.page - 1) * request.per_page
    with thread_searcher(ix) as searcher:
        numbers = _doc_numbers(ix, searcher)
        facts = per_generation(ix, searcher, "doc facts", lambda: doc_facts(searcher))
        groups = per_generation(ix, searcher, "translations", lambda: translation_groups(searcher))
        notices = _place_notices(ix, searcher, request)
        built = build(ix, searcher, text, request.understand)
        kept = documents_query(request)
        doc_ids = _doc_id_column(ix, searcher)
        scores: dict[str, float] = {}
        translated: set[str] = set()
        preferred: set[str] = set()
        if not built.empty:
            scores, translated = _match(ix, searcher, built, kept, doc_ids)
            if built.understood:
                preferred = prefer(facts, scores, built.understood)
            lift(scores, preferred, translated)
        elif not text:
            listed = Evaluation(searcher, term_scores(ix, searcher)).scores(kept)  # the filters' records, kept
            scores = {doc_ids[n]: 0.0 for n in listed}
        columns = {name: searcher.reader().column_reader(name) for name in ("year", "indexed_at")}
        key = sort_key(request.sort, not built.empty, scores, facts, lambda name, d: columns[name][numbers[d]])
        keys = {doc_id: key(doc_id) for doc_id in scores}  # each document's key computed once
        found = works(sorted(scores, key=keys.__getitem__), groups, request.ui_lang, keys.__getitem__)
        hits = []
        shown_works = found[first : first + request.per_page]
        pages = best_pages(ix, searcher, built, [shown for shown, _ in shown_works])
        for shown, members in shown_works:
            fields = searcher.stored_fields(numbers[shown])
            hit = hit_summary(fields, scores[shown] if not built.empty else None)
            hit["pages"] = pages.get(shown, [])
            # Every language version of the work (none for a work in one language), those that matched marked.
            hit["versions"] = [version | {"matched": version["id"] in members} for version in groups.get(shown, [])]
            others = [_version(searcher.stored_fields(numbers[m]), True) for m in members if m != shown]
            hit["documents"] = [_version(fields, True), *others]  # the shown version first, as exports list them
            hit["via_translation"] = _translations_of(searcher, built, numbers[shown]) if shown in translated else []
            hit["about_query_place"] = shown in preferred
            hits.append(hit)
        understood = built.understood
        return {
            "query": request.q,
            "total": len(found),
            "documents": len(scores),
            "page": request.page,
            "per_page": request.per_page,
            "sort": request.sort,
            "filters": {**request.active_filters(), **({"year": request.year_label()} if request.year_label() else {})},
            "hits": hits,
            "facets": count_facets(ix, searcher, request, {numbers[d] for d in scores} if text else None),
            "understood": understood.to_dict() if understood else None,
            "did_you_mean": (understood.corrected_query() if understood else None)
            or (did_you_mean(searcher, text) if text and not understood else None),
            "notices": notices,
        }
