"""Cities and countries a document names and is about, in English, German, Spanish and French.

``Gazetteer.mentions`` finds place names in a text; ``document_places`` decides
which cities and countries a document is *about* (its facet values) and which
cities each page mentions. The gazetteer (GeoNames cities, ISO 3166 countries
and their translations) lives in ``indexer.lexicon.gazetteer``.

How a name is found. The text is split into words; every capitalised word
(or article: ``the Hague``, ``la Haya``) that starts some known name is
looked up, longest name first (``New York`` before ``York``), as casefolded,
accent-free keys, so ``München``, ``Munchen``, ``Munich`` and ``Múnich`` are
one key each for the same city. The words of a name are separated by at most
a space, hyphen, apostrophe or full stop (``St. Louis``, ``U.S.``). A name's
first and last words must be capitalised (``Frankfurt am Main``).

How doubtful names are settled (the rules of a careful reader):

1. *Ordinary words and given names.* A capitalised word that is an ordinary
   word in the text's language or in English (``Nice``, ``Reading``, ``Split``,
   ``Bath``, ``Mobile``, ``Tours``, German ``Essen``, ``Halle``), a given name
   (``Florence``, ``Victoria``, ``Charlotte``) or a short word in capitals
   counts as a city only with evidence: a locative preposition right before
   it (``in``, ``at``, ``from``, ``near``, ``en``, ``desde``, ``nach``, ``aus``,
   ``bei``, ``depuis``; ``à Nice``), a word for city before it (``town of
   Reading``, ``ville de Nice``, ``Stadt Essen``), or its country or region
   right after it (``Nice, France``; ``Split (Croatia)``; ``à Nice, en
   France``). Once one mention has such evidence, the name's other mentions
   in the document count too, except at the start of a sentence or after an
   article (``das Essen``). The word list is ``data/place_words.txt``, drafted
   from spell-checker dictionaries and edited by hand. Country names that are
   words or names (``Chad``, ``Jordan``, ``Georgia``) follow the same rule;
   ``US`` counts only in capitals and not inside a heading in capitals.
   Accent-free words match accented names (``Munchen``), but a word written
   with accents matches only the same accents (``Länder`` is not Lander,
   Wyoming), and a small place known only by an accented name is not matched
   by the plain word (``Anew`` is not Änew). A place name followed by
   ``Institution``, ``University``, ``Foundation``… is an organisation.
2. *Several cities of one name.* Each candidate scores log10 of its
   population, +1 when the name is its own GeoNames name (not an alternate),
   +0.75 when the document names its country or one of its regions, +0.25 when
   the document names other cities of that country unambiguously, +0.5 when
   its country's first language is the text's, and +3 when its country or
   region qualifies the name (``London, Ontario``). So Barcelona is in Spain
   unless the text names Venezuela, Paris stays in France in a text about
   American cities, and London is in England unless qualified.
3. *Regions qualify, they are not cities.* ``Montréal, Québec``: Québec is
   the province (``Quebec City``/``ville de Québec`` is the city). Regions
   are evidence for their country only.
4. *Districts.* A place within 8 km of a 3× bigger city of the same region
   (Nou Barris and Barcelona, per GeoNames) is a district: named alongside
   its city, it is a page city but not a document city.

What a document is about (its facet values), in order of importance:

1. the cities its title names ("Making London a Living Wage City"); when the
   title names a city, no other city is a subject (a Toronto profile that
   compares itself with Auckland is not about Auckland);
2. otherwise, when the title names a country ("Länderbericht Deutschland"),
   the cities of that country it names: in a short document (under 5 pages)
   twice, or once outside a list of places; in a report, 3+ times on one
   page (a section about the city);
3. otherwise, in a short document, the cities named twice or more; in a
   report, the few cities (at most 4, each named 3+ times) that hold half of
   all its city mentions. A report that surveys twenty cities evenly is about
   none of them.

Cities only ever named in lists of places ("Toronto, Vancouver y Montreal")
are examples, not subjects; a city named once in a late footnote is not a
subject either, but every page records every city it mentions, so the
Barcelona pages of a 40-page report can be found. A document's countries are
those of its cities plus the countries its title names.

Facet values are the GeoNames English name for cities (with the English name
for the few GeoNames gives in the local language: ``Köln`` → ``Cologne``,
``Montréal`` → ``Montreal``; ``data/city_names_en.tsv``) and ISO alpha-2
codes for countries, displayed with ``Gazetteer.country_name``.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from indexer.lexicon.gazetteer import UI_LANGUAGES, WEAK_COUNTRY_KEYS, City, Gazetteer
from indexer.text import fold

__all__ = ["City", "DocumentPlaces", "Gazetteer", "Mention", "document_places", "mentions_in"]

COUNTRY_NAMED = 0.75  # score for a candidate whose country the document names (the log10 of population is ~4-7)
NEIGHBOURS = 0.25  # ... and one whose country holds other cities the document names
QUALIFIED = 3.0  # ... and one qualified by its country or region: "London, Ontario"
SAME_LANGUAGE = 0.5  # ... and one whose country's first language is the text's (Halle in German is in Germany)
_TITLE = -1  # the title's page number among a document's texts
LONG_PAGES = 5  # a report, not a profile or a blog post
REPEATED = 3  # mentions that make a document about a city or country
HALF = 0.5  # a long document is about the few cities that hold this share of its city mentions
CONCENTRATED = 4  # ... if they are this few
SECTION = 3  # mentions on one page of a long document: a section about the city

_WORD = re.compile(r"[^\W\d_]+")
_JOINER = re.compile(r"[ \-'’.]{1,2}")  # what may stand between the words of one name
_SENTENCE_END = set('.!?:;•·|"“”«»()[]–—*')
_ARTICLES = {"the", "la", "le", "el", "den", "de", "l", "los", "las", "les"}
_PREPOSITIONS = {"in", "at", "from", "near", "en", "desde", "nach", "aus", "bei", "depuis"}
_QUALIFIER = re.compile(r"\s*[,(/–-]\s*(?:(?:en|in|à|au|aux)\s+)?")  # "Nice, France", "à Nice, en France"
_CITY_WORDS = {"city", "town", "ville", "stadt", "ciudad", "municipality", "municipalite", "municipio", "gemeinde"}
_OF = {"of", "de", "d", "del", "du"}
_DETERMINERS = {"the", "a", "an", "this", "that", "der", "die", "das", "dem", "den", "des", "ein", "eine", "einen",
                "le", "la", "les", "un", "une", "el", "los", "las", "una", "unos"}  # fmt: skip
_ORGANISATION_WORDS = {"institution", "institute", "university", "universitat", "universite", "universidad", "college",
                       "foundation", "fundacion", "fondation", "stiftung", "press", "school"}  # fmt: skip
_LIST_JOINER = re.compile(r"\s*(?:,|;|/|&|,?\s*(?:and|und|y|e|et|or|oder|o|ou)\s)\s*")


@dataclass(frozen=True)
class Mention:
    """A place named in a text: its surface form, offsets, and the city or country it names."""

    surface: str
    start: int
    end: int
    city: City | None
    country: str | None


@dataclass
class DocumentPlaces:
    """The places a document is about (facet values), the cities of each page, and the reasons."""

    cities: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    page_cities: dict[int, list[str]] = field(default_factory=dict)
    evidence: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class _Match:
    """A name found in a text, before ambiguity is settled."""

    surface: str
    start: int
    end: int
    key: str
    kind: str  # "city", "country" or "region"
    country: str | None  # for countries and regions
    weak: bool  # an ordinary word or given name: needs evidence
    supported: bool  # preposition or city word before it
    sentence_start: bool
    only: set[int] | None = None  # the cities a name written with accents may be
    page: int = 0
    joined_before: bool = False  # joined to the place before it like items of a list
    listed: bool = False  # an item of a list of places
    after_article: bool = False  # "das Essen", "the Split decision": a noun, whatever else the text says


def _langs(lang: str | None) -> tuple[str, ...]:
    if lang in UI_LANGUAGES:
        return (lang, "en") if lang != "en" else ("en",)
    return UI_LANGUAGES


def _sentence_start(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END or text[i].isdigit()


def _capitalised(word: str) -> bool:
    return word[0].isupper()


def _find(gazetteer: Gazetteer, text: str, lang: str | None) -> list[_Match]:
    """Every name of a city, country or region in ``text``, longest first, not yet resolved."""
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    folded: dict[int, str] = {}

    def key_at(i: int) -> str:
        if i not in folded:
            folded[i] = fold(words[i][2])
        return folded[i]

    langs = _langs(lang)
    found: list[_Match] = []
    i, count = 0, len(words)
    while i < count:
        word = words[i][2]
        article = False
        if not _capitalised(word):
            if key_at(i) not in _ARTICLES:
                i += 1
                continue
            article = True
        if key_at(i) not in gazetteer.first_words:
            i += 1
            continue
        match = None
        # Longest name first: extend while the words are joined like the words of one name.
        last = i
        while last + 1 < count and last - i + 1 < gazetteer.max_words:
            gap = text[words[last][1] : words[last + 1][0]]
            if not _JOINER.fullmatch(gap):
                break
            last += 1
        for j in range(last, i - 1, -1):
            if article and j == i:
                break
            if not _capitalised(words[j][2]):
                continue
            start, end = words[i][0], words[j][1]
            key, only = gazetteer.text_key(text[start:end])
            kind, country = _kind(gazetteer, key, only, text, start, end) if key else (None, None)
            if kind:
                match = (j, key, kind, country, only)
                break
        if match is None:
            i += 1
            continue
        j, key, kind, country, only = match
        start, end = words[i][0], words[j][1]
        surface = text[start:end]
        weak = False
        if kind == "city":
            core = j == i or (article and j == i + 1)  # one word, maybe after an article: "la Unión"
            weak = (core and gazetteer.is_common_word(key_at(j), langs)) or (surface.isupper() and len(surface) <= 4)
        elif kind == "country":
            weak = key in WEAK_COUNTRY_KEYS
        previous = [key_at(k) for k in range(max(0, i - 3), i)]
        supported = bool(previous) and (
            previous[-1] in _PREPOSITIONS
            or previous[-1] in _CITY_WORDS
            or (len(previous) >= 2 and previous[-1] in _OF and previous[-2] in _CITY_WORDS)
        )
        following = key_at(j + 1) if j + 1 < count and _capitalised(words[j + 1][2]) else ""
        if kind == "city" and following in _ORGANISATION_WORDS and _JOINER.fullmatch(text[end : words[j + 1][0]]):
            i = j + 1  # "Brookings Institution", "Princeton University": an organisation, not the place
            continue
        match = _Match(surface, start, end, key, kind, country, weak, supported, _sentence_start(text, start), only)
        match.after_article = bool(previous) and previous[-1] in _DETERMINERS
        match.joined_before = bool(found) and bool(_LIST_JOINER.fullmatch(text[found[-1].end : start]))
        found.append(match)
        i = j + 1
    for index, match in enumerate(found):
        match.listed = match.joined_before or (index + 1 < len(found) and found[index + 1].joined_before)
    return found


def _in_capitals(text: str, start: int, end: int) -> bool:
    before = _WORD.findall(text[max(0, start - 30) : start])[-1:]
    after = _WORD.findall(text[end : end + 30])[:1]
    return any(len(word) > 1 and word.isupper() for word in before + after)


def _kind(
    gazetteer: Gazetteer, key: str, only: set[int] | None, text: str, start: int, end: int
) -> tuple[str | None, str | None]:
    if key in gazetteer.country_keys:
        code = gazetteer.country_keys[key]
        # "US" only as written in capitals and not inside a heading in capitals ("ABOUT US").
        if key == "us" and (text[start:end] != "US" or _in_capitals(text, start, end)):
            return None, None
        return "country", code
    if key in gazetteer.region_keys:
        return "region", gazetteer.region_keys[key]
    if key in gazetteer.city_keys and (only is None or only):
        return "city", None
    return None, None


class _Resolver:
    """Settles which city each name means and which doubtful names count, for one document."""

    def __init__(self, gazetteer: Gazetteer, matches: list[_Match], texts: dict[int, str], lang: str | None):
        self.gazetteer = gazetteer
        self.lang = lang
        self.matches = matches
        self.texts = texts
        self.country_named: Counter = Counter()
        for m in matches:
            if m.kind in ("country", "region") and (not m.weak or m.supported):
                self.country_named[m.country] += 1
        # Countries of cities named unambiguously (one candidate, not a doubtful word).
        self.city_countries: Counter = Counter()
        for m in matches:
            if m.kind == "city" and not m.weak:
                candidates = gazetteer.city_candidates(m.key, m.only)
                if len(candidates) == 1:
                    self.city_countries[candidates[0][0].country] += 1

    def choose(self, m: _Match) -> City:
        """The most likely city for a name in this document."""
        best, best_score = None, float("-inf")
        for city, main in self.gazetteer.city_candidates(m.key, m.only):
            score = math.log10(max(city.population, 1)) + (1.0 if main else 0.0)
            if self.country_named[city.country]:
                score += COUNTRY_NAMED
            if self.city_countries[city.country]:
                score += NEIGHBOURS
            if self.nearby_country(m, city.country):
                score += QUALIFIED
            if self.lang and self.gazetteer.country_language(city.country) == self.lang:
                score += SAME_LANGUAGE
            if score > best_score:
                best, best_score = city, score
        assert best is not None
        return best

    def nearby_country(self, m: _Match, country: str) -> bool:
        """True when a country (or one of its regions) qualifies a name: ``Nice, France``, ``Split (Croatia)``."""
        text = self.texts[m.page]
        return any(
            other.page == m.page
            and other.kind in ("country", "region")
            and other.country == country
            and other.start >= m.end
            and _QUALIFIER.fullmatch(text[m.end : other.start])
            for other in self.matches
        )

    def resolve(self) -> list[tuple[_Match, City | None, str | None]]:
        """Each match with the city or country it counts as; doubtful ones without evidence are dropped."""
        resolved: list[tuple[_Match, City | None, str | None]] = []
        vouched: set[str] = set()
        pending = []
        for m in self.matches:
            if m.kind == "region":
                continue
            if m.kind == "country":
                if not m.weak or m.supported or self.nearby_country(m, m.country):
                    resolved.append((m, None, m.country))
                continue
            city = self.choose(m)
            if not m.weak:
                resolved.append((m, city, None))
                continue
            city = self._with_nearby_country(m) or city
            if m.supported or self.nearby_country(m, city.country):
                vouched.add(m.key)
                resolved.append((m, city, None))
            else:
                pending.append((m, city))
        for m, city in pending:
            if m.key in vouched and not m.sentence_start and not m.after_article:
                resolved.append((m, city, None))
        resolved.sort(key=lambda r: (r[0].page, r[0].start))
        return resolved

    def _with_nearby_country(self, m: _Match) -> City | None:
        for city, _ in self.gazetteer.city_candidates(m.key, m.only):
            if self.nearby_country(m, city.country):
                return city
        return None


def _resolve_texts(gazetteer: Gazetteer, texts: dict[int, str], lang: str | None):
    matches = []
    for page, text in texts.items():
        for m in _find(gazetteer, text, lang):
            m.page = page
            matches.append(m)
    return _Resolver(gazetteer, matches, texts, lang).resolve()


def mentions_in(gazetteer: Gazetteer, text: str, lang: str | None) -> list[Mention]:
    """Cities and countries named in a text, doubtful names settled by the rules above."""
    return [
        Mention(m.surface, m.start, m.end, city, country)
        for m, city, country in _resolve_texts(gazetteer, {0: text}, lang)
    ]


def _listed(resolved: list[tuple[_Match, City | None, str | None]]) -> set[str]:
    """Cities only ever named in lists of places ("Toronto, Vancouver y Montreal"): examples, not subjects."""
    in_list = {city.name for m, city, _ in resolved if city and m.listed}
    return in_list - {city.name for m, city, _ in resolved if city and not m.listed}


def _concentrated(city_count: Counter) -> list[str]:
    """The few cities (at most CONCENTRATED, each named REPEATED+ times) holding half of the city mentions."""
    total = sum(city_count.values())
    ranked = [(name, n) for name, n in city_count.most_common() if n >= REPEATED]
    group: list[str] = []
    held = 0
    for index, (name, n) in enumerate(ranked):
        if held >= HALF * total and n < ranked[index - 1][1]:
            break
        group.append(name)
        held += n
    return group if held >= HALF * total and len(group) <= CONCENTRATED else []


def document_places(
    gazetteer: Gazetteer, title: str | None, pages: Iterable[tuple[int, str]], lang: str | None
) -> DocumentPlaces:
    """The cities and countries a document is about, the cities of each page, and why."""
    texts: dict[int, str] = {}
    if title:
        texts[_TITLE] = title
    for number, text in pages:
        texts[number] = text
    resolved = _resolve_texts(gazetteer, texts, lang)

    city_count: Counter = Counter()
    in_title: dict[str, str] = {}
    country_in_title: dict[str, str] = {}
    max_on_page: Counter = Counter()
    listed = _listed(resolved)
    surfaces: dict[tuple[str, int], Counter] = defaultdict(Counter)
    country_pages: dict[str, list[int]] = defaultdict(list)
    page_cities: dict[int, list[str]] = {}
    cities: dict[str, City] = {}
    for m, city, country in resolved:
        if city:
            cities[city.name] = city
            if m.page == _TITLE:
                in_title.setdefault(city.name, m.surface)
                continue
            city_count[city.name] += 1
            surfaces[(city.name, m.page)][m.surface] += 1
            max_on_page[city.name] = max(max_on_page[city.name], sum(surfaces[(city.name, m.page)].values()))
            page_cities.setdefault(m.page, [])
            if city.name not in page_cities[m.page]:
                page_cities[m.page].append(city.name)
        elif country:
            if m.page == _TITLE:
                country_in_title.setdefault(country, m.surface)
                continue
            if m.page not in country_pages[country]:
                country_pages[country].append(m.page)

    # Districts named alongside their city are part of it, not a subject of their own.
    for name, city in list(cities.items()):
        parent = gazetteer.district_of(city)
        if parent and parent.name in cities:
            city_count[parent.name] += city_count.pop(name, 0)
            in_title.pop(name, None)
            del cities[name]

    evidence: dict[str, list[str]] = defaultdict(list)
    total = sum(city_count.values())
    long_document = len(texts) - (_TITLE in texts) >= LONG_PAGES
    title_countries = list(country_in_title)
    doc_cities: list[str] = []

    def about(name: str, reason: str) -> None:
        if name not in doc_cities:
            doc_cities.append(name)
        evidence[name].append(reason)

    for name in in_title:
        about(name, f"title: '{in_title[name]}'")
    if not in_title:
        for name, count in city_count.most_common():
            if cities[name].country in title_countries:
                if (long_document and max_on_page[name] >= SECTION) or (
                    not long_document and (count >= 2 or name not in listed)
                ):
                    about(name, f"in {cities[name].country}, the country of the title")
            elif not long_document and count >= 2:
                about(name, f"named {count} times")
    if not in_title and not title_countries and long_document:
        for name in _concentrated(city_count):
            about(name, f"named {city_count[name]} of {total} times a city is named")
    for name in doc_cities:
        for (city_name, page), counter in sorted(surfaces.items(), key=lambda item: item[0][1]):
            if city_name == name:
                for surface, n in counter.items():
                    evidence[name].append(f"page {page}: '{surface}'" + (f" ×{n}" if n > 1 else ""))

    countries: list[str] = []
    for name in doc_cities:
        code = cities[name].country
        if code not in countries:
            countries.append(code)
        evidence[code].append(f"country of {name}")
    for code in title_countries:
        if code not in countries:
            countries.append(code)
        evidence[code].append(f"title: '{country_in_title[code]}'")
    for code in countries:
        for page in country_pages[code][:5]:
            evidence[code].append(f"country {code} named on page {page}")
    return DocumentPlaces(cities=doc_cities, countries=countries, page_cities=page_cities, evidence=dict(evidence))
