"""Turn an understood question into Whoosh queries, and give understanding what it consults.

Each content word becomes an alternative over the four language fields,
each analysed by its own language; the thesaurus labels of its concepts in
the other languages join it, each in its own language's field and at a lower
weight, so a document in the question's language still ranks first. Every
term that comes from a translation is remembered, so a hit can say that it
matched through one. Places add their names as written in the question and as
the gazetteer writes them.
"""

from __future__ import annotations

from dataclasses import dataclass

from whoosh.query import Or, Phrase, Query, Term

from indexer.enrich.places import Gazetteer
from indexer.lexicon.dictionary import is_dictionary_word, zipf
from indexer.query import suggest
from indexer.query.understand import Resources, Understanding
from indexer.storage.records import term_text
from indexer.storage.schema import content_field
from indexer.text import fold
from indexer.vocabulary import LANGUAGES

TRANSLATION_BOOST = 0.35
LANGUAGE_SPREAD = 1.0  # Zipf points: a word is read in the languages where it is at most ten times rarer
PLACE_BOOST = 2.0
INFLECTION = 3
Origins = dict[tuple[str, str], dict]  # (field, indexed term) → {"word", "label", "lang"} for translated terms


def text_query(schema, field: str, text: str, boost: float = 1.0) -> Query | None:
    """``text`` analysed as ``field`` indexes it: one term, or a phrase for several words."""
    terms = [token.text for token in schema[field].analyzer(text, mode="query")]
    if not terms:
        return None
    if len(terms) == 1:
        return Term(field, terms[0], boost=boost)
    return Phrase(field, terms, boost=boost)


def same_word(word: str, label: str) -> bool:
    """True when a thesaurus label is the word itself, inflected: one folded form begins the other,
    at most ``INFLECTION`` letters apart (``Integrationskurs``/``Integrationskurse``, ``rumour``/``rumours``)."""
    a, b = sorted((fold(word), fold(label)), key=len)
    return " " not in b and b.startswith(a) and len(b) - len(a) <= INFLECTION and len(a) >= 4


def _all_fields(schema, text: str, languages=LANGUAGES) -> list[Query]:
    queries = [text_query(schema, content_field(lang), text) for lang in languages]
    return [q for q in queries if q is not None]


@dataclass
class UnderstoodQueries:
    """An understood question as queries (on page fields; the builder renames them for document records)."""

    pages: Query | None  # every word, translation and place: which pages (and documents) match
    titles: Query | None  # the words and places in titles
    origins: Origins  # translated terms → the word and label they came from
    concepts: list[Query]  # one query per word and per place of the question, for coordination


def understood_queries(schema, understood: Understanding) -> UnderstoodQueries:
    """The queries of an understood question: see ``UnderstoodQueries``."""
    units: list[Query] = []
    titles: list[Query] = []
    concepts: list[Query] = []
    origins: Origins = {}
    for word in understood.words:
        alternatives = _all_fields(schema, word, understood.languages.get(word, LANGUAGES))
        own = {term for query in alternatives for term in query.iter_all_terms()}
        for lang, label in understood.translations.get(word, []):
            inflection = same_word(word, label)  # "Integrationskurse" for "Integrationskurs": no translation
            query = text_query(schema, content_field(lang), label, boost=1.0 if inflection else TRANSLATION_BOOST)
            if query is None or set(query.iter_all_terms()) <= own:
                continue
            alternatives.append(query)
            if inflection:
                own |= set(query.iter_all_terms())
                continue
            for term in set(query.iter_all_terms()) - own:
                origins.setdefault(term, {"word": word, "label": label, "lang": lang})
        if alternatives:
            units.append(Or(alternatives))
        title = text_query(schema, "title", word)
        if title is not None:
            titles.append(title)
        if alternatives or title is not None:
            concepts.append(Or([*alternatives, *([title] if title is not None else [])]))
    for place in understood.places:
        named: list[Query] = []
        if place.kind == "city":
            # Pages where the gazetteer saw this city, not pages where its name is a common word ("Nice").
            named.append(Term("page_city", place.name, boost=PLACE_BOOST))
            units.append(named[-1])
        if place.in_collection:  # else its name as text would only find its namesakes ("nice", "reading")
            for name in {place.surface, place.name}:
                texts = _all_fields(schema, name)
                named.extend(texts)
                units.extend(texts)
                title = text_query(schema, "title", name)
                if title is not None:
                    titles.append(title)
                    named.append(title)
        if named:
            concepts.append(Or(named))
    return UnderstoodQueries(
        Or(units) if units else None,
        Or(titles) if titles else None,
        origins,
        concepts,
    )


def _values(searcher, field: str) -> list[str]:
    return [term_text(raw) for raw in searcher.lexicon(field)]


def collection_places(searcher, gazetteer) -> tuple[dict[str, str], frozenset[str]]:
    """The cities the collection is about, with their countries, and the countries it is about."""
    cities: dict[str, str] = {}
    for name in _values(searcher, "city"):
        found = gazetteer.lookup_city(name)
        cities[name] = found[0].country if found else ""
    return cities, frozenset(_values(searcher, "country"))


def resources_for(searcher, places: tuple[dict[str, str], frozenset[str]], thesaurus) -> Resources:
    """What understanding consults, for the index this searcher reads."""
    gazetteer = Gazetteer.load()

    def known_word(word: str) -> bool:
        """In the index, in a dictionary of the four languages, or a place name: never corrected."""
        if suggest.word_frequency(searcher, word.lower()) or is_dictionary_word(word):
            return True
        return bool(gazetteer.lookup_city(word) or gazetteer.lookup_country(word))

    def suggest_word(word: str) -> str | None:
        return suggest.correct_word(searcher, word)

    cities, countries = places
    return Resources(gazetteer, thesaurus, cities, known_word, suggest_word, countries, languages_of)


def languages_of(word: str) -> list[str]:
    """The languages ``word`` is a word of: those where it is at most ``LANGUAGE_SPREAD`` Zipf points (a factor
    of ten) rarer than in the language where it is most frequent; all four for a word no list knows.

    Web text borrows words ("policies" has Zipf 4.7 in English and 2.3 in French): a word read in a
    language where it is a borrowing meets that language's false friends.
    """
    frequencies = {lang: zipf(word.lower(), lang) for lang in LANGUAGES}
    best = max(frequencies.values())
    if not best:
        return list(LANGUAGES)
    return [lang for lang, frequency in frequencies.items() if frequency >= best - LANGUAGE_SPREAD]
