"""Search an index: a hit is a document, carrying its best matching pages with snippets.

The query is parsed once per language field (each with its own analyzer)
and once for titles. Pages are searched, and their hits grouped by the
``doc_id`` column: a document scores as its best page (or its title), so
ranking, totals and pagination are about documents, and the snippets of a
hit come from the page hits already scored.

Facets are counted by Whoosh (``groupedby``) over the *document* records
of the result, so a 40-page report counts once. Several values of one facet
are OR, different facets are AND, and each facet's counts ignore that
facet's own filter (the counts say what ticking one more value would add),
as in library discovery interfaces.
"""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Mapping
from dataclasses import astuple, dataclass, field

from whoosh import sorting
from whoosh.qparser import MultifieldParser, OrGroup, QueryParser
from whoosh.query import And, NumericRange, Or, Query, Term
from whoosh.searching import Hit

from indexer.enrich.places import Gazetteer
from indexer.errors import BadQuery
from indexer.lexicon.thesaurus import Thesaurus
from indexer.query.expand import collection_places, resources_for, understood_queries
from indexer.query.snippets import query_terms, snippet
from indexer.query.suggest import did_you_mean
from indexer.query.translations import group_versions, translation_groups
from indexer.query.understand import has_syntax, understand
from indexer.storage.cache import RecentResults, at_generation, per_generation
from indexer.storage.records import hit_summary, known_year, split_values
from indexer.storage.schema import content_field
from indexer.vocabulary import DOC_TYPES, LANGUAGES, THEMES

MAX_QUERY_CHARS = 1000
PAGES_PER_HIT = 3
MAX_PER_PAGE = 1000
THEME_PREFERENCE = 1.25  # score factor for documents on a theme the question names
FACETS = ("city", "country", "year", "theme", "lang", "doc_type")
FILTER_FACETS = ("city", "country", "theme", "lang", "doc_type")  # keyword facets; year is a range
SORTS = ("relevance", "year", "year_asc", "title", "newest")
PARAM_NAMES = {"type": "doc_type"}  # query-string names that differ from the facet name
_YEAR_RANGE = re.compile(r"^\s*(\d{4})?\s*(?:(-|–|\.\.)\s*(\d{4})?)?\s*$")


@dataclass
class SearchRequest:
    """Everything that defines a result list, as it appears in a permalink."""

    q: str = ""
    lang: str | None = None  # shorthand for filters["lang"] = [lang]
    page: int = 1
    per_page: int = 10
    filters: dict[str, list[str]] = field(default_factory=dict)
    year_from: int | None = None
    year_to: int | None = None
    sort: str = "relevance"
    understand: bool = True  # read plain questions as a practitioner means them (indexer.query.understand)
    ui_lang: str | None = None  # the reader's language: a translated document is shown in it first

    def active_filters(self) -> dict[str, list[str]]:
        """Keyword filters with values, ``lang`` folded in."""
        active = {name: list(values) for name, values in self.filters.items() if values}
        if self.lang and self.lang not in active.get("lang", []):
            active.setdefault("lang", []).append(self.lang)
        return active

    def year_label(self) -> str | None:
        """The year filter as written in a permalink: ``2010-2014``, ``2012``, ``2010-``."""
        if self.year_from is None and self.year_to is None:
            return None
        if self.year_from == self.year_to:
            return str(self.year_from)
        return f"{self.year_from or ''}-{self.year_to or ''}"


def parse_year(text: str) -> tuple[int | None, int | None]:
    """``2012`` → (2012, 2012); ``2010-2014`` or ``2010..2014`` → (2010, 2014); ``2010-`` → (2010, None)."""
    match = _YEAR_RANGE.match(text or "")
    if not match or not (match.group(1) or match.group(3)):
        raise BadQuery(f"year must be a year or a range like 2010-2014, not {text!r}")
    low = int(match.group(1)) if match.group(1) else None
    high = int(match.group(3)) if match.group(3) else None
    if not match.group(2):
        high = low
    if low is not None and high is not None and low > high:
        low, high = high, low
    return low, high


def _canonical(name: str, value: str) -> str:
    """Facet values as the index holds them, however they were typed (``city:toronto``, ``theme:work``)."""
    if name == "country":
        return value.upper()
    if name == "theme":
        return value.capitalize()
    if name in ("lang", "doc_type"):
        return value.lower()
    return value.title() if value.islower() else value


def _positive_int(value: str, name: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise BadQuery(f"{name} must be a whole number, not {value!r}") from None
    if number < 1:
        raise BadQuery(f"{name} must be 1 or more, not {number}")
    return number


def request_from_params(params: Mapping[str, list[str]], per_page: int = 10) -> SearchRequest:
    """A SearchRequest from permalink parameters (``q``, ``city``, ``country``, ``year``, ``theme``,
    ``lang``, ``type``, ``sort``, ``page``, ``per_page``), each a list of values; raise BadQuery."""

    def first(name: str) -> str | None:
        values = [v for v in params.get(name, []) if v not in (None, "")]
        return values[0] if values else None

    request = SearchRequest(q=first("q") or "", per_page=per_page)
    request.q, syntax_filters = field_filters(request.q)
    for name, value in syntax_filters:
        params = {**params, name: [*params.get(name, []), value]}
    for name in FILTER_FACETS:
        values = []
        for param in (name, *[p for p, target in PARAM_NAMES.items() if target == name]):
            for value in params.get(param, []):
                # "city=Barcelona,Madrid" and "city=Barcelona&city=Madrid" mean the same.
                values += [part.strip() for part in (value or "").split(",") if part.strip()]
        if values:
            request.filters[name] = list(dict.fromkeys(_canonical(name, v) for v in values))
    if first("year"):
        request.year_from, request.year_to = parse_year(first("year"))
    if first("sort"):
        request.sort = first("sort")
    if first("page"):
        request.page = _positive_int(first("page"), "page")
    if first("exact") in ("1", "true", "yes"):
        request.understand = False
    if first("ui") in LANGUAGES:
        request.ui_lang = first("ui")
    if first("per_page"):
        request.per_page = min(_positive_int(first("per_page"), "per_page"), MAX_PER_PAGE)
    validate(request)
    return request


_FIELD_SYNTAX = re.compile(r"\b(city|country|theme|lang|type|doc_type|year):(\"[^\"]*\"|\S+)", re.I)


def field_filters(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Take ``city:Toronto``, ``year:2010..2014``, ``theme:Work``… out of a query as filters."""
    found = []

    def take(match: re.Match) -> str:
        name = match.group(1).lower()
        found.append(("type" if name == "doc_type" else name, match.group(2).strip('"')))
        return " "

    rest = _FIELD_SYNTAX.sub(take, text or "")
    rest = re.sub(r"^\s*(AND|OR)\s+|\s+(AND|OR|NOT)\s*$", "", " ".join(rest.split()))
    return rest, found


def validate(request: SearchRequest) -> None:
    """Raise BadQuery for values no index can hold: page < 1, an unknown sort, language, theme or type."""
    if request.page < 1 or request.per_page < 1:
        raise BadQuery("page and per_page must be positive numbers")
    if request.sort not in SORTS:
        raise BadQuery(f"unknown sort {request.sort!r}: use one of {', '.join(SORTS)}")
    filters = request.active_filters()
    known = {"lang": LANGUAGES, "theme": THEMES, "doc_type": DOC_TYPES}
    for name, allowed in known.items():
        for value in filters.get(name, []):
            if value not in allowed:
                raise BadQuery(f"unknown {name.replace('doc_', '')} {value!r}: use one of {', '.join(allowed)}")
    if len(request.q or "") > MAX_QUERY_CHARS:
        raise BadQuery(f"the query is too long ({len(request.q)} characters; the limit is {MAX_QUERY_CHARS})")


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


def _facet_clause(name: str, values: list[str]) -> Query:
    return Or([Term(name if name != "lang" else "langs", value) for value in values])


def _filter_clauses(request: SearchRequest, skip: str | None = None) -> list[Query]:
    """Whoosh queries for the request's filters (all but ``skip``), for document and page records alike."""
    clauses = [_facet_clause(name, values) for name, values in request.active_filters().items() if name != skip]
    if skip != "year" and (request.year_from is not None or request.year_to is not None):
        clauses.append(NumericRange("year", request.year_from, request.year_to))
    return clauses


def page_snippets(searcher, query, docnums: list[int]) -> list[dict]:
    """``{"page", "snippet"}`` for page records, with the words ``query`` matched marked."""
    pages = []
    for docnum in docnums:
        fields = searcher.stored_fields(docnum)
        text, field = fields.get("text") or "", content_field(fields.get("lang") or "en")
        terms = query_terms(query, field)
        found = snippet(text, terms, searcher.schema[field].analyzer) if field in searcher.schema else ""
        pages.append({"page": fields["page"], "snippet": found or html.escape(text[:200])})
    return pages


def _doc_facts(searcher) -> dict[str, tuple[str, set[str], set[str]]]:
    """Each document's sortable title, places (cities and countries) and themes, by doc_id."""
    facts = {}
    for fields in searcher.documents(kind="doc"):
        places = set(split_values(fields.get("city"))) | set(split_values(fields.get("country")))
        facts[fields["doc_id"]] = (
            (fields.get("title") or "").casefold(),
            places,
            set(split_values(fields.get("theme"))),
        )
    return facts


def _doc_numbers(searcher) -> dict[str, int]:
    """Document number of every document record, by doc_id (the page records point to these)."""
    doc_ids = searcher.reader().column_reader("doc_id")
    return {doc_ids[n]: n for n in searcher.docs_for_query(Term("kind", "doc"))}


def _rank_documents(searcher, page_results, title_results) -> tuple[dict[str, float], dict[str, list]]:
    """Each matching document's best page or title score, and its page hits best first."""
    doc_ids = searcher.reader().column_reader("doc_id")
    best: dict[str, float] = {}
    pages: dict[str, list[tuple[float, int]]] = {}
    for score, docnum in page_results.top_n if page_results else ():
        doc_id = doc_ids[docnum]
        pages.setdefault(doc_id, []).append((score, docnum))
        best[doc_id] = max(best.get(doc_id, 0.0), score)
    for score, docnum in title_results.top_n if title_results else ():
        doc_id = doc_ids[docnum]
        best[doc_id] = max(best.get(doc_id, 0.0), score)
    return best, pages


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
    if name == "year":
        return sorting.FieldFacet("year")
    return _MultiValueFacet("langs" if name == "lang" else name, lists)


def _count_facets(ix, searcher, request: SearchRequest, candidates: set[int] | None) -> dict[str, list[dict]]:
    """Documents per facet value among ``candidates`` (document numbers; None: every document).

    Facets without an active filter are counted in one pass; each filtered facet in a pass of its own
    that leaves its own filter out.
    """
    active = set(request.active_filters()) | ({"year"} if request.year_label() else set())
    passes = [(None, [name for name in FACETS if name not in active])] + [(name, [name]) for name in sorted(active)]
    counts: dict[str, list[dict]] = {}
    lists = per_generation(ix, searcher, "facet value lists", dict)
    for skip, names in passes:
        if not names:
            continue
        results = searcher.search(
            And([Term("kind", "doc"), *_filter_clauses(request, skip=skip)]),
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
    return {name: counts.get(name, []) for name in FACETS}


def _order(
    ix, searcher, request: SearchRequest, scores: dict[str, float], numbers: dict[str, int], preferred: set[str]
) -> list[str]:
    """Doc ids in the order the request asks for; relevance falls back to title when nothing is scored.

    ``preferred`` documents (about a place the question names) come first in relevance order.
    """
    facts = per_generation(ix, searcher, "doc facts", lambda: _doc_facts(searcher))

    def title(doc_id: str) -> str:
        return facts[doc_id][0] if doc_id in facts else ""

    if request.sort == "relevance" and request.q.strip():
        return sorted(scores, key=lambda d: (d not in preferred, -scores[d], d))
    if request.sort in ("year", "year_asc"):
        years = searcher.reader().column_reader("year")
        sign = -1 if request.sort == "year" else 1

        def by_year(doc_id: str) -> tuple:
            year = known_year(years[numbers[doc_id]])
            return (year is None, sign * (year or 0), title(doc_id))  # documents without a year come last

        return sorted(scores, key=by_year)
    if request.sort == "newest":
        added = searcher.reader().column_reader("indexed_at")
        return sorted(scores, key=lambda d: (-(added[numbers[d]] or 0), title(d)))
    return sorted(scores, key=title)


def _prefer(ix, searcher, scores: dict[str, float], understood) -> set[str]:
    """Documents about the question's places; documents on its themes get a higher score (in place)."""
    preferred = set()
    places, themes = set(understood.cities) | set(understood.countries), set(understood.themes)
    # A place the collection does not hold: its country's documents are the nearest answer.
    places |= {p.country for p in understood.places if p.kind == "city" and not p.in_collection}
    facts = per_generation(ix, searcher, "doc facts", lambda: _doc_facts(searcher))
    for doc_id in scores:
        _, doc_places, doc_themes = facts.get(doc_id, ("", set(), set()))
        if places & doc_places:
            preferred.add(doc_id)
        if themes & doc_themes:
            scores[doc_id] *= THEME_PREFERENCE
    return preferred


def _translated_matches(page_results, page_hits: list, origins: dict) -> list[dict]:
    """The translations a document matched through, when it matched through nothing else."""
    via, own = [], False
    for score, docnum in page_hits[:PAGES_PER_HIT]:
        for fieldname, text in Hit(page_results, docnum, score=score).matched_terms():
            term = (fieldname, text.decode("utf-8") if isinstance(text, bytes) else text)
            if term in origins:
                if origins[term] not in via:
                    via.append(origins[term])
            elif fieldname.startswith("content_"):
                own = True
    return [] if own else via


def _queries(ix, searcher, request: SearchRequest, text: str):
    """(page query, title query, translated-term origins, understanding or None) for the request's text."""
    if request.understand and not has_syntax(text):
        places = per_generation(ix, searcher, "places", lambda: collection_places(searcher, Gazetteer.load()))
        understood = understand(text, resources_for(searcher, places, Thesaurus.load()))
        page_query, title_query, origins = understood_queries(ix.schema, understood)
        return page_query, title_query, origins, understood
    page_query, title_query = parse_query(ix.schema, text)
    return page_query, title_query, {}, None


def search(ix, request: SearchRequest, cache: bool = True) -> dict:
    """Run a search and return the JSON-ready result described in the README (a copy the caller may change).

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
    return copy.deepcopy(result)


def _search(ix, request: SearchRequest) -> dict:
    text = (request.q or "").strip()
    first = (request.page - 1) * request.per_page
    with ix.searcher() as searcher:
        numbers = per_generation(ix, searcher, "doc_numbers", lambda: _doc_numbers(searcher))
        page_results, understood, origins, preferred = None, None, {}, set()
        page_hits: dict[str, list] = {}
        page_query = title_query = None
        if text:
            page_query, title_query, origins, understood = _queries(ix, searcher, request, text)
        if page_query is not None or title_query is not None:
            scores: dict[str, float] = {}
            if page_query is not None:
                page_results = searcher.search(page_query, limit=None, filter=Term("kind", "page"), terms=bool(origins))
            title_results = (
                searcher.search(title_query, limit=None, filter=Term("kind", "doc")) if title_query else None
            )
            scores, page_hits = _rank_documents(searcher, page_results, title_results)
            if understood:
                preferred = _prefer(ix, searcher, scores, understood)
            candidates = {numbers[d] for d in scores if d in numbers}
        elif text and not understood:
            scores, candidates = {}, set()
        else:
            scores = dict.fromkeys(numbers, 0.0)
            candidates = None
        kept = searcher.docs_for_query(And([Term("kind", "doc"), *_filter_clauses(request)]))
        kept = set(kept) if candidates is None else candidates.intersection(kept)
        scores = {d: s for d, s in scores.items() if numbers.get(d) in kept}
        ordered = _order(ix, searcher, request, scores, numbers, preferred)
        groups = per_generation(ix, searcher, "translations", lambda: translation_groups(searcher))
        shown = group_versions(ordered, groups, request.ui_lang)
        hits = []
        for doc_id, versions in shown[first : first + request.per_page]:
            fields = searcher.stored_fields(numbers[doc_id])
            pages = page_hits.get(doc_id, [])
            hit = hit_summary(fields, scores[doc_id] if page_results or title_query else None)
            hit["pages"] = page_snippets(searcher, page_query, [n for _, n in pages[:PAGES_PER_HIT]]) if pages else []
            hit["versions"] = versions
            hit["via_translation"] = _translated_matches(page_results, pages, origins) if origins else []
            hit["about_query_place"] = doc_id in preferred
            hits.append(hit)
        return {
            "query": request.q,
            "total": len(shown),
            "documents": len(ordered),
            "page": request.page,
            "per_page": request.per_page,
            "sort": request.sort,
            "filters": {**request.active_filters(), **({"year": request.year_label()} if request.year_label() else {})},
            "hits": hits,
            "facets": _count_facets(ix, searcher, request, candidates),
            "understood": understood.to_dict() if understood else None,
            "did_you_mean": (understood.corrected_query() if understood else None)
            or (did_you_mean(searcher, text) if text and not understood else None),
        }
