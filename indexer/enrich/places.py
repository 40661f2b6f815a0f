"""Cities and countries a document names and is about, in English, German, Spanish and French.

``Gazetteer.mentions`` finds place names in a text; ``document_places`` decides
which cities and countries a document is *about* (its facet values) and which
cities each page mentions. The gazetteer (GeoNames cities, ISO 3166 countries
and their translations) lives in ``indexer.lexicon.gazetteer``.

How a name is found and which evidence weighs for or against it:
``indexer.enrich.place_names`` and ``indexer.enrich.place_evidence``. In short:
a name is dropped when the words around it show a person (``Kim Turner``,
``Jennifer Bradley``), an affiliation (``Jan Niessen (Brussels)``), a
publisher's place or reference (``New York: Routledge``), an organisation or
product (``Brookings Institution``, ``Addison-Wesley``) or a common word that is
only an alternate name (``Google``, ``Namen``).

1. *Doubtful names.* A capitalised word that is an ordinary word in the
   text's language or in English (``Nice``, ``Reading``, ``Split``, ``Bath``,
   German ``Essen``, ``Halle``; ``data/place_words.txt``, drafted from
   spell-checker dictionaries and edited by hand), a given name (``Florence``,
   ``Charlotte``) or a short word in capitals counts as a city only with
   evidence: a locative preposition right before it (``in``, ``at``, ``from``,
   ``near``, ``en``, ``desde``, ``nach``, ``aus``, ``bei``, ``depuis``; ``à Nice``),
   a word for city before it (``town of Reading``, ``ville de Nice``, ``Stadt
   Essen``), or its country or region right after it (``Nice, France``;
   ``Split (Croatia)``; ``à Nice, en France``). An everyday word of the text's
   language by its frequency (``Ihren``) and an acronym (``NIS``) need the
   stronger evidence: the country or a word for city. Once one mention has
   such evidence, the name's other mentions in the document count too, except
   at the start of a sentence or after an article (``das Essen``). Country
   names that are words or names (``Chad``, ``Jordan``, ``Georgia``) follow the
   same rule; ``US`` counts only in capitals and not inside a heading in
   capitals. Accent-free words match accented names (``Munchen``), but a word
   written with accents matches only the same accents (``Länder`` is not
   Lander, Wyoming), and a small place known only by an accented name is not
   matched by the plain word (``Anew`` is not Änew).
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
   report, every city it discusses (named 3+ times, and at least once every
   ten pages), however many there are, most named first. A report that
   compares thirty cities is about those it comes back to, and the others it
   names once or twice are page cities.

Cities only ever named in lists of places ("Toronto, Vancouver y Montreal")
are examples, not subjects; a city named once in a late footnote is not a
subject either, but every page records every city it mentions, so the
Barcelona pages of a 40-page report can be found. A document's countries are
those of its cities plus the countries its title names. The candidates that
were dropped or came close (named, but not enough) are kept with their
reasons for ``citymig explain``.

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

from indexer.enrich.place_names import NameMatch, find_names
from indexer.lexicon.dictionary import zipf
from indexer.lexicon.gazetteer import UI_LANGUAGES, City, Gazetteer

__all__ = ["City", "DocumentPlaces", "Gazetteer", "Mention", "document_places", "mentions_in"]

COUNTRY_NAMED = 0.75  # score for a candidate whose country the document names (the log10 of population is ~4-7)
NEIGHBOURS = 0.25  # ... and one whose country holds other cities the document names
QUALIFIED = 3.0  # ... and one qualified by its country or region: "London, Ontario"
SAME_LANGUAGE = 0.5  # ... and one whose country's first language is the text's (Halle in German is in Germany)
_TITLE = -1  # the title's page number among a document's texts
LONG_PAGES = 5  # a report, not a profile or a blog post
REPEATED = 3  # mentions that make a document about a city or country
PER_PAGE = 0.1  # ... and in a long report, at least this many mentions per page (once every ten pages)
SECTION = 3  # mentions on one page of a long document: a section about the city
CLOSE = 10  # rejected or near-miss candidates kept for `citymig explain`
ISOLATED_POPULATION = 500_000  # a smaller place far from everything else the text names ...
KNOWN_WORD = 3.0  # ... whose one-word name is a word in all four languages (Zipf 3+) needs strong evidence
NEAR_KM = 1500.0  # ... where far means: no other city of the text within this distance
DISTRICT_NEAR = 40  # characters: a district named this close to its city is the same mention ("Blackburn with Darwen")

_QUALIFIER = re.compile(r"\s*[,(/–-]\s*(?:(?:en|in|à|au|aux)\s+)?")  # "Nice, France", "à Nice, en France"


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
    rejected: dict[str, list[str]] = field(default_factory=dict)  # candidates dropped or not enough, and why


Resolved = list[tuple[NameMatch, City | None, str | None]]


class _Resolver:
    """Settles which city each name means and which doubtful names count, for one document."""

    def __init__(self, gazetteer: Gazetteer, matches: list[NameMatch], texts: dict[int, str], lang: str | None):
        self.gazetteer = gazetteer
        self.lang = lang
        self.matches = matches
        self.texts = texts
        self.rejected: list[tuple[NameMatch, str]] = []
        self.country_named: Counter = Counter()
        for m in matches:
            if m.kind in ("country", "region") and (not m.weak or m.supported):
                self.country_named[m.country] += 1
        # Countries of cities named unambiguously (one candidate, not a doubtful word).
        self.city_countries: Counter = Counter()
        self.plain: dict[str, City] = {}  # cities named by a name nothing speaks against, by key
        for m in matches:
            if m.kind == "city" and not m.weak and not m.against:
                candidates = gazetteer.city_candidates(m.key, m.only)
                if len(candidates) == 1:
                    self.city_countries[candidates[0][0].country] += 1
                self.plain.setdefault(m.key, candidates[0][0])

    def isolated(self, m: NameMatch, city: City) -> bool:
        """True for a small place far from everything else the text names, whose name is also a word (``Samba``)."""
        return (
            city.population < ISOLATED_POPULATION
            and " " not in m.key
            and min(zipf(m.key, lang) for lang in UI_LANGUAGES) >= KNOWN_WORD
            and not self.country_named[city.country]
            and not any(key != m.key and self.gazetteer.km(city, other) <= NEAR_KM for key, other in self.plain.items())
        )

    def choose(self, m: NameMatch) -> City:
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

    def nearby_country(self, m: NameMatch, country: str) -> bool:
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

    def resolve(self) -> Resolved:
        """Each match with the city or country it counts as; names shown to be something else are set aside."""
        resolved: Resolved = []
        vouched: set[str] = set()
        pending = []
        for m in self.matches:
            if m.kind == "region":
                continue
            if m.kind == "country":
                if not m.weak or m.supported or self.nearby_country(m, m.country):
                    resolved.append((m, None, m.country))
                continue
            if m.against:
                self.rejected.append((m, m.against))
                continue
            city = self.choose(m)
            if not m.weak and self.isolated(m, city):
                m.weak, m.strict = True, True
                m.doubt = f"a word, and a small place ({city.population:,} people) far from everything the text names"
            if not m.weak:
                resolved.append((m, city, None))
                continue
            city = self._with_nearby_country(m) or city
            qualified = self.nearby_country(m, city.country)
            if qualified or m.city_word or (m.supported and not m.strict):
                vouched.add(m.key)
                resolved.append((m, city, None))
            else:
                pending.append((m, city))
        for m, city in pending:
            if m.key in vouched and not m.sentence_start and not m.after_article:
                resolved.append((m, city, None))
            else:
                self.rejected.append((m, f"{m.doubt}, with nothing in the text vouching for a place"))
        resolved.sort(key=lambda r: (r[0].page, r[0].start))
        return resolved

    def _with_nearby_country(self, m: NameMatch) -> City | None:
        for city, _ in self.gazetteer.city_candidates(m.key, m.only):
            if self.nearby_country(m, city.country):
                return city
        return None


def _resolver(gazetteer: Gazetteer, texts: dict[int, str], lang: str | None) -> _Resolver:
    matches = []
    for page, text in texts.items():
        for m in find_names(gazetteer, text, lang):
            m.page = page
            matches.append(m)
    return _Resolver(gazetteer, matches, texts, lang)


def mentions_in(gazetteer: Gazetteer, text: str, lang: str | None) -> list[Mention]:
    """Cities and countries named in a text, doubtful names settled by the rules above."""
    return [
        Mention(m.surface, m.start, m.end, city, country)
        for m, city, country in _resolver(gazetteer, {0: text}, lang).resolve()
    ]


def _listed(resolved: Resolved) -> set[str]:
    """Cities only ever named in lists of places ("Toronto, Vancouver y Montreal"): examples, not subjects."""
    in_list = {city.name for m, city, _ in resolved if city and m.listed}
    return in_list - {city.name for m, city, _ in resolved if city and not m.listed}


def _discussed(city_count: Counter, listed: set[str], pages: int) -> list[str]:
    """The cities a report comes back to: named REPEATED+ times and once every ten pages, most named first."""
    needed = max(REPEATED, math.ceil(PER_PAGE * pages))
    return [name for name, n in city_count.most_common() if n >= needed and name not in listed]


def _rejected(resolver: _Resolver, city_count: Counter, kept: list[str], needed: int) -> dict[str, list[str]]:
    """Why the candidates that came closest were not kept: dropped by a rule, or not named often enough."""
    dropped: dict[str, list[str]] = defaultdict(list)
    for m, reason in resolver.rejected:
        label = f"{m.surface} (mentions set aside)" if m.surface in kept else m.surface
        if len(dropped[label]) < 3 and (entry := f"page {m.page}: {reason}") not in dropped[label]:
            dropped[label].append(entry)
    close = {label: reasons for label, reasons in sorted(dropped.items(), key=lambda item: -len(item[1]))[:CLOSE]}
    for name, n in [(name, n) for name, n in city_count.most_common() if name not in kept][:CLOSE]:
        close[name] = [f"named {n} time{'s' if n > 1 else ''}; a subject needs {needed}"]
    return close


def _merge_districts(gazetteer: Gazetteer, cities: dict, city_count: Counter, in_title: dict, resolved: Resolved):
    """Districts named alongside their city are part of it ("Nou Barris" in Barcelona), not a subject of their own."""
    for name, city in list(cities.items()):
        parent = gazetteer.district_of(city)
        if parent and parent.name in cities:
            near = {
                (m.page, m.start)
                for m, c, _ in resolved
                if c and c.name == name
                for p, pc, _ in resolved
                if pc and pc.name == parent.name and p.page == m.page and abs(p.start - m.start) <= DISTRICT_NEAR
            }
            city_count[parent.name] += city_count.pop(name, 0) - len(near)
            in_title.pop(name, None)
            del cities[name]


def document_places(
    gazetteer: Gazetteer, title: str | None, pages: Iterable[tuple[int, str]], lang: str | None
) -> DocumentPlaces:
    """The cities and countries a document is about, the cities of each page, and why."""
    texts: dict[int, str] = {}
    if title:
        texts[_TITLE] = title
    for number, text in pages:
        texts[number] = text
    resolver = _resolver(gazetteer, texts, lang)
    resolved = resolver.resolve()

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
    _merge_districts(gazetteer, cities, city_count, in_title, resolved)

    evidence: dict[str, list[str]] = defaultdict(list)
    page_count = len(texts) - (_TITLE in texts)
    long_document = page_count >= LONG_PAGES
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
    needed = max(REPEATED, math.ceil(PER_PAGE * page_count)) if long_document else 2
    if not in_title and not title_countries and long_document:
        for name in _discussed(city_count, listed, page_count):
            about(name, f"named {city_count[name]} times in {page_count} pages (a subject needs {needed})")
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
    return DocumentPlaces(
        cities=doc_cities,
        countries=countries,
        page_cities=page_cities,
        evidence=dict(evidence),
        rejected=_rejected(resolver, city_count, doc_cities, needed),
    )
