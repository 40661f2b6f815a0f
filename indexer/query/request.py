"""A search request as a permalink holds it, read from URL parameters, CLI options or ``field:`` syntax.

Everything a reader types goes through ``indexer.text.normalize`` here, once,
before anything else reads it. Filter values are mapped to the canonical
values the index holds, whatever the language or spelling they were typed
in: a theme or type by its label in any of the four languages
(``Arbeiten`` → Work, ``Bericht`` → report), a language by its name
(``Deutsch`` → de), a country by any name the gazetteer knows
(``Deutschland`` → DE) and a city likewise (``München``, ``Múnich`` →
Munich). A value that names nothing known is a ``BadQuery`` whose message
lists the closest known values, never a silent zero.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from indexer.errors import BadQuery
from indexer.lexicon.gazetteer import Gazetteer
from indexer.text import fold, normalize
from indexer.vocabulary import BY_PARAM, DOC_TYPE_WORDS, FACET, KEYWORD_FACETS, LANGUAGES, SORTS

MAX_QUERY_CHARS = 1000
MAX_PER_PAGE = 1000
_YEAR_RANGE = re.compile(r"^\s*(\d{4})?\s*(?:(-|–|\.\.)\s*(\d{4})?)?\s*$")
_FIELD_SYNTAX = re.compile(
    r"\b(" + "|".join(sorted({*BY_PARAM, *FACET}, key=len, reverse=True)) + r"):(\"[^\"]*\"|\S+)", re.I
)


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
        raise BadQuery("year must be a year or a range like 2010-2014, not %(value)s", value=repr(text))
    low = int(match.group(1)) if match.group(1) else None
    high = int(match.group(3)) if match.group(3) else None
    if not match.group(2):
        high = low
    if low is not None and high is not None and low > high:
        low, high = high, low
    return low, high


def _code_aliases(name: str) -> dict[str, str]:
    """Folded names → canonical value for a facet with a closed list: values, labels in four languages, words."""
    facet = FACET[name]
    aliases = {fold(value): value for value in facet.values or ()}
    for value, labels in facet.value_labels.items():
        aliases |= {fold(label): value for label in labels.values()}
    if name == "doc_type":
        aliases |= {fold(word): value for value, words in DOC_TYPE_WORDS.items() for word in words}
    return aliases


_ALIASES = {name: _code_aliases(name) for name in ("theme", "lang", "doc_type")}


def closest(value: str, known: list[str]) -> str:
    """The known values nearest to ``value`` (folded), for a message; the first few known ones if none is near."""
    names = {fold(k): k for k in known}
    close = difflib.get_close_matches(fold(value), list(names), n=3, cutoff=0.5)
    return ", ".join(names[c] for c in close) if close else ", ".join(known[:8])


def canonical_value(name: str, value: str, gazetteer: Gazetteer | None = None) -> str:
    """The value the index holds for ``value`` of facet ``name``, typed in any language; raise BadQuery if unknown.

    A city the gazetteer does not know is kept as typed: whether the collection holds it is for the search
    to say (it knows the collection's cities and lists the closest ones).
    """
    facet = FACET[name]
    if name in _ALIASES:
        found = _ALIASES[name].get(fold(value))
        if found is None:
            near = difflib.get_close_matches(fold(value), list(_ALIASES[name]), n=6, cutoff=0.5)
            meant = list(dict.fromkeys(_ALIASES[name][key] for key in near)) or list(facet.values or ())
            raise BadQuery(
                "unknown %(name)s %(value)s: did you mean %(meant)s?",
                name=facet.label().lower(),
                value=repr(value),
                meant=", ".join(meant[:3]),
            )
        return found
    gazetteer = gazetteer or Gazetteer.load()
    if name == "country":
        code = gazetteer.lookup_country(value)
        if code is None:
            raise BadQuery(
                "unknown country %(value)s: use a country's name or its ISO code, like ES or Spain", value=repr(value)
            )
        return code
    cities = gazetteer.lookup_city(value)
    return cities[0].name if cities else value


def _positive_int(value: str, name: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise BadQuery("%(name)s must be a whole number, not %(value)s", name=name, value=repr(value)) from None
    if number < 1:
        raise BadQuery("%(name)s must be 1 or more, not %(value)s", name=name, value=number)
    return number


def request_from_params(params: Mapping[str, list[str]], per_page: int = 10) -> SearchRequest:
    """A SearchRequest from permalink parameters (``q``, ``city``, ``country``, ``year``, ``theme``,
    ``lang``, ``type``, ``sort``, ``page``, ``per_page``, ``exact``, ``ui``), each a list of values; raise BadQuery."""
    params = {key: [normalize(v) for v in values if v not in (None, "")] for key, values in params.items()}

    def first(name: str) -> str | None:
        values = params.get(name, [])
        return values[0] if values else None

    request = SearchRequest(q=first("q") or "", per_page=per_page)
    request.q, syntax_filters = field_filters(request.q)
    for param, value in syntax_filters:
        params[param] = [*params.get(param, []), value]
    for name in KEYWORD_FACETS:
        facet = FACET[name]
        values = []
        for param in dict.fromkeys((facet.param, facet.name)):
            for value in params.get(param, []):
                # "city=Barcelona,Madrid" and "city=Barcelona&city=Madrid" mean the same.
                values += [part.strip() for part in value.split(",") if part.strip()]
        if values:
            request.filters[name] = list(dict.fromkeys(canonical_value(name, v) for v in values))
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


def field_filters(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Take ``city:Toronto``, ``year:2010..2014``, ``theme:Work``… out of a query as (URL parameter, value)."""
    found = []

    def take(match: re.Match) -> str:
        name = match.group(1).lower()
        param = FACET[name].param if name in FACET else name
        found.append((param, match.group(2).strip('"')))
        return " "

    rest = _FIELD_SYNTAX.sub(take, text or "")
    rest = re.sub(r"^\s*(AND|OR)\s+|\s+(AND|OR|NOT)\s*$", "", " ".join(rest.split()))
    return rest, found


def too_long(text: str) -> BadQuery:
    """The error for a query over MAX_QUERY_CHARS."""
    return BadQuery(
        "the query is too long (%(length)s characters; the limit is %(limit)s)", length=len(text), limit=MAX_QUERY_CHARS
    )


def validate(request: SearchRequest) -> None:
    """Raise BadQuery for values no index can hold: page < 1, an unknown sort, language, theme or type."""
    if request.page < 1 or request.per_page < 1:
        raise BadQuery("page and per_page must be positive numbers")
    if request.sort not in SORTS:
        raise BadQuery(
            "unknown sort %(value)s: use one of %(allowed)s", value=repr(request.sort), allowed=", ".join(SORTS)
        )
    filters = request.active_filters()
    for name in _ALIASES:
        for value in filters.get(name, []):
            if value not in FACET[name].values:
                raise BadQuery(
                    "unknown %(name)s %(value)s: use one of %(allowed)s",
                    name=FACET[name].param,
                    value=repr(value),
                    allowed=", ".join(FACET[name].values),
                )
    if len(request.q or "") > MAX_QUERY_CHARS:
        raise too_long(request.q)
