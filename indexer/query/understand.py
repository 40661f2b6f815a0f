"""Understand a practitioner's question: scaffolding, places, themes, translations and typos.

``what worked in Barcelona``, ``Mentoring für zugewanderte Frauen``,
``vivienda para refugiados en Madrid``, ``Barcelna``: plain words, any of
four languages, sometimes misspelt. ``understand`` turns such a question into
what the search needs:

- **Scaffolding** (``what worked in``, ``was hat … funktioniert``, ``qué
  funcionó en``, ``qu'est-ce qui a marché à``…) is dropped: nobody wants
  documents that merely contain "worked".
- **Places** are looked up in the gazetteer in any language or spelling
  (``Barcelone``, ``Múnich``, ``Köln``); a place the collection holds becomes a
  preference (its documents rank first); one it does not hold is reported with
  the collection's cities of the same country. A word that is no place nor
  in the index but close to a city of the collection (``Barcelna``) is
  corrected to it.
- **Concepts** of the thesaurus found in the question lend their labels in the
  other three languages, so ``refugees`` also finds ``refugiados``; a concept
  linked to a theme (``jobs`` → Work) makes that theme preferred, never
  required.
- **Typos** in other words are corrected from the index's own vocabulary.

Questions with search syntax (quotes, ``AND``/``OR``/``NOT``, ``field:``,
parentheses, wildcards) are left to the query parser: researchers who write
syntax mean it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from whoosh.lang import stopwords_for_language

from indexer.text import fold
from indexer.vocabulary import LANGUAGES

_SCAFFOLDING = [
    # English
    r"\bwhat (?:has |have )?(?:worked|works|work)(?: well)?(?: in| for| at)?\b",
    r"\bhow (?:did|does|do|can|could|has|have|is|are|was|were)\b",
    r"\b(?:helped|helps|help)\b(?=[^?]*\??\s*$)",
    r"\bwhat can (?:we|i|cities|a city) learn from\b",
    r"\b(?:good )?(?:examples?|ideas?|practices?) (?:of|from|in|for)\b",
    r"\b(?:show me|tell me about|is there|are there|what about)\b",
    # German
    r"\bwas (?:hat|haben)(?: sich)?(?: in| im)?\b",
    r"\b(?:gut )?(?:funktioniert|bewährt)\b",
    r"\bwie (?:hat|haben|hilft|half|halfen|kann|können|konnte|wurde)\b",
    r"\bwas (?:kann|können) (?:man|wir) von\b",
    r"\b(?:beispiele|ideen) (?:für|aus)\b",
    r"\bgibt es\b",
    r"\blernen\b(?=[^?]*\??\s*$)",
    # Spanish
    r"\bqu[eé] (?:ha |han )?(?:funcionado|funcion[oó]|funciona)(?: bien)?(?: en)?\b",
    r"\bc[oó]mo (?:ha |han )?(?:ayudado|ayud[oó]|ayuda|funciona|funcion[oó])\b",
    r"\bqu[eé] (?:podemos|puede) aprender de\b",
    r"\b(?:ejemplos|ideas) de\b",
    # French
    r"\bqu['’ ]est[- ]ce qu(?:i|e|['’])(?: a| ont)?(?: bien)?(?: march[eé]| fonctionn[eé])?(?: [àa]| en)?\b",
    r"\bcomment (?:a|ont|est-ce que)?\b",
    r"\b(?:aid[eé]|aide)\b(?=[^?]*\??\s*$)",
    r"\bque peut-on apprendre de\b",
    r"\b(?:exemples|idées) de\b",
    r"\by a-t-il\b",
]
SCAFFOLDING = re.compile("|".join(_SCAFFOLDING), re.I)
_SYNTAX = re.compile(r'["()*?]|\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b|\b\w+:\S')
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
MAX_PLACE_WORDS = 3
FUZZY_PLACE_CUTOFF = 0.8  # difflib ratio for "Barcelna" → "Barcelona"


def _stopwords() -> frozenset[str]:
    words: set[str] = set()
    for lang in LANGUAGES:
        words |= {fold(w) for w in stopwords_for_language(lang)}
    return frozenset(words)


STOPWORDS = _stopwords()


_QUESTION_MARKS = re.compile(r"¿|\?+(?=\s|$)")  # "¿cómo …?" asks; "bancari?" inside a word is a wildcard


def has_syntax(text: str) -> bool:
    """True when the query uses search syntax, which is then taken literally (a question's ? is not syntax)."""
    return bool(_SYNTAX.search(_QUESTION_MARKS.sub(" ", text)))


@dataclass
class Place:
    """A place named in the question."""

    surface: str  # as the user wrote it
    name: str  # canonical city name, or ISO code for a country
    country: str
    kind: str = "city"  # "city" or "country"
    in_collection: bool = True
    nearest: list[str] = field(default_factory=list)  # collection cities in the same country, when not held
    corrected: bool = False


@dataclass
class Understanding:
    """What a question asks for, as the search uses it."""

    query: str
    words: list[str] = field(default_factory=list)  # content words, in the user's spelling (corrected)
    places: list[Place] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    translations: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # word → [(lang, label)]
    corrections: dict[str, str] = field(default_factory=dict)  # misspelt → corrected
    dropped: list[str] = field(default_factory=list)  # scaffolding taken out
    languages: dict[str, list[str]] = field(default_factory=dict)  # word → the languages it is read in

    @property
    def cities(self) -> list[str]:
        """Cities of the collection the question is about."""
        return [p.name for p in self.places if p.kind == "city" and p.in_collection]

    @property
    def countries(self) -> list[str]:
        """Countries the question names (directly, not through a city)."""
        return [p.name for p in self.places if p.kind == "country"]

    def corrected_query(self) -> str | None:
        """The question with its corrections applied, or None when nothing was corrected."""
        if not self.corrections:
            return None
        text = self.query
        for wrong, right in self.corrections.items():
            text = re.sub(rf"\b{re.escape(wrong)}\b", right, text)
        return text

    def to_dict(self) -> dict:
        """JSON-ready summary for the result page."""
        return {
            "places": [p.__dict__ for p in self.places],
            "themes": self.themes,
            "translations": {
                w: [{"lang": lang, "label": label} for lang, label in t] for w, t in self.translations.items()
            },
            "corrections": self.corrections,
            "dropped": self.dropped,
            "words": self.words,
            "languages": self.languages,
        }


@dataclass
class Resources:
    """What understanding consults: the gazetteer, the thesaurus and the index's own vocabulary."""

    gazetteer: object
    thesaurus: object
    collection_cities: dict[str, str]  # canonical city name → country, for the cities the collection holds
    known_word: Callable[[str], bool]  # is this word in the index?
    suggest_word: Callable[[str], str | None]  # the index's closest word to a misspelt one
    collection_countries: frozenset[str] = frozenset()  # ISO codes of the countries the collection is about
    languages_of: Callable[[str], list[str]] = lambda word: list(LANGUAGES)  # the languages a word is read in


def _windows(tokens: list[str]) -> Iterable[tuple[int, int]]:
    """(start, end) spans of up to MAX_PLACE_WORDS tokens, longest first."""
    for size in range(min(MAX_PLACE_WORDS, len(tokens)), 0, -1):
        for start in range(len(tokens) - size + 1):
            yield start, start + size


def _find_place(surface: str, resources: Resources) -> Place | None:
    gazetteer = resources.gazetteer
    folded = fold(surface)
    if " " not in surface and (len(folded) < 3 or folded in STOPWORDS):
        return None
    code = gazetteer.lookup_country(surface)
    if code and (surface[:1].isupper() or len(folded) > 3):
        place = Place(surface, code, code, kind="country", in_collection=code in resources.collection_countries)
        if not place.in_collection:
            place.nearest = sorted(name for name, country in resources.collection_cities.items() if country == code)
        return place
    candidates = gazetteer.lookup_city(surface)
    if not candidates:
        return None
    if (
        not surface[:1].isupper()
        and resources.known_word(surface)
        and not any(c.name in resources.collection_cities for c in candidates)
    ):
        return None  # "reading", "nice": a common word written in lower case is not a place
    held = [c for c in candidates if c.name in resources.collection_cities]
    city = held[0] if held else candidates[0]
    place = Place(surface, city.name, city.country, in_collection=bool(held))
    if not held:
        place.nearest = [n for n, country in sorted(resources.collection_cities.items()) if country == city.country]
    return place


def _fuzzy_city(word: str, resources: Resources) -> str | None:
    """A city of the collection that ``word`` misspells (``Barcelna``), or None."""
    names = {fold(name): name for name in resources.collection_cities}
    close = difflib.get_close_matches(fold(word), list(names), n=1, cutoff=FUZZY_PLACE_CUTOFF)
    return names[close[0]] if close else None


def understand(question: str, resources: Resources) -> Understanding:
    """Read a plain-language question; see the module docstring for what is understood."""
    found = Understanding(query=question)
    found.dropped = [m.group(0).strip() for m in SCAFFOLDING.finditer(question)]
    remaining = SCAFFOLDING.sub(" ", question)
    tokens = _WORD.findall(remaining)
    used = [False] * len(tokens)
    for start, end in _windows(tokens):
        if any(used[start:end]):
            continue
        place = _find_place(" ".join(tokens[start:end]), resources)
        if place and place.name not in {p.name for p in found.places}:
            found.places.append(place)
            used[start:end] = [True] * (end - start)
    words = []
    for token, is_place in zip(tokens, used, strict=True):
        if is_place or fold(token) in STOPWORDS or len(token) < 2:
            continue
        if not resources.known_word(token) and not resources.thesaurus.lookup(token):
            city = _fuzzy_city(token, resources)
            if city:
                found.corrections[token] = city
                found.places.append(Place(token, city, resources.collection_cities[city], corrected=True))
                continue
            suggestion = resources.suggest_word(token)
            if suggestion and fold(suggestion) != fold(token):
                found.corrections[token] = suggestion
                token = suggestion
        words.append(token)
    found.words = words
    _add_concepts(found, resources.thesaurus, resources.languages_of)
    return found


def _add_concepts(found: Understanding, thesaurus, languages_of: Callable[[str], list[str]]) -> None:
    """Translations of the thesaurus concepts among the words, and the themes they name.

    A word is read only in the languages it is a word of (``languages_of``), for its labels here and for
    its own terms in the search: stemmed as French, "policies" is "polic", the stem of "police"."""
    for word in found.words:
        concepts = []
        found.languages[word] = languages_of(word)
        for lang in found.languages[word]:
            concepts += [concept for concept in thesaurus.lookup(word, lang) if concept not in concepts]
        for concept in concepts:
            for theme in concept.themes:
                if theme not in found.themes:
                    found.themes.append(theme)
            labels = [(lang, label) for lang, names in concept.labels.items() for label in names]
            own = {fold(word)}
            found.translations.setdefault(word, [])
            for lang, label in labels:
                if fold(label) not in own and (lang, label) not in found.translations[word]:
                    found.translations[word].append((lang, label))
