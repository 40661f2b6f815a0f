"""Finding the names of cities, countries and regions in a text, with the evidence around each.

The text is split into words; every capitalised word (or article: ``the
Hague``, ``la Haya``) that starts some known name is looked up, longest name
first (``New York`` before ``York``), as casefolded, accent-free keys, so
``München``, ``Munchen``, ``Munich`` and ``Múnich`` are one key each for the same
city. The words of a name are separated by at most a space, hyphen, apostrophe
or full stop (``St. Louis``, ``U.S.``). A name's first and last words must be
capitalised (``Frankfurt am Main``). Each name found carries what the words
around it say (``indexer.enrich.place_evidence``): evidence against it (a
person, a reference, an organisation), why it is doubtful (an ordinary word,
an acronym) and what supports it (a preposition, a word for city).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.enrich import place_evidence as rules
from indexer.lexicon.gazetteer import UI_LANGUAGES, WEAK_COUNTRY_KEYS, Gazetteer
from indexer.text import fold

_WORD = re.compile(r"[^\W\d_]+")
_JOINER = re.compile(r"[ \-'’.]{1,2}")  # what may stand between the words of one name
_SENTENCE_END = set('.!?:;•·|"“”«»()[]–—*')
_ARTICLES = {"the", "la", "le", "el", "den", "de", "l", "los", "las", "les"}
PREPOSITIONS = {"in", "at", "from", "near", "en", "desde", "nach", "aus", "bei", "depuis"}
CITY_WORDS = {"city", "town", "ville", "stadt", "ciudad", "municipality", "municipalite", "municipio", "gemeinde"}
_OF = {"of", "de", "d", "del", "du"}
_DETERMINERS = {"the", "a", "an", "this", "that", "der", "die", "das", "dem", "den", "des", "ein", "eine", "einen",
                "le", "la", "les", "un", "une", "el", "los", "las", "una", "unos"}  # fmt: skip
_LIST_JOINER = re.compile(r"\s*(?:,|;|/|&|,?\s*(?:and|und|y|e|et|or|oder|o|ou)\s)\s*")


@dataclass
class NameMatch:
    """A name found in a text, before ambiguity is settled, with the evidence around it."""

    surface: str
    start: int
    end: int
    key: str
    kind: str  # "city", "country" or "region"
    country: str | None  # for countries and regions
    weak: bool  # an ordinary word, given name or acronym: needs evidence
    supported: bool  # preposition or city word before it
    sentence_start: bool
    only: set[int] | None = None  # the cities a name written with accents may be
    page: int = 0
    joined_before: bool = False  # joined to the place before it like items of a list
    listed: bool = False  # an item of a list of places
    after_article: bool = False  # "das Essen", "the Split decision": a noun, whatever else the text says
    against: str | None = None  # why it is not a place at all (a person, a reference, an organisation)
    doubt: str | None = None  # why it is doubtful
    strict: bool = False  # doubtful enough that only its country or a word for city vouches for it
    city_word: bool = False  # "city of", "Stadt", "ville de" right before it
    notes: list[str] = field(default_factory=list)


def languages_of(lang: str | None) -> tuple[str, ...]:
    """The languages whose ordinary words make a name doubtful in a text of ``lang``."""
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


def _longest(gazetteer: Gazetteer, text: str, words: rules.Words, i: int, article: bool):
    """The longest known name starting at word ``i``: (last word, key, kind, country, only) or None."""
    items, count = words.items, len(words.items)
    last = i
    while last + 1 < count and last - i + 1 < gazetteer.max_words:
        if not _JOINER.fullmatch(text[items[last][1] : items[last + 1][0]]):
            break
        last += 1
    for j in range(last, i - 1, -1):
        if article and j == i:
            break
        if not _capitalised(items[j][2]):
            continue
        start, end = items[i][0], items[j][1]
        key, only = gazetteer.text_key(text[start:end])
        kind, country = _kind(gazetteer, key, only, text, start, end) if key else (None, None)
        if kind:
            return j, key, kind, country, only
    return None


def _doubt(gazetteer: Gazetteer, m: NameMatch, words: rules.Words, i: int, j: int, article: bool, lang) -> None:
    """Set why a city name is doubtful or not a place, from its words and their neighbours."""
    core = j == i or (article and j == i + 1)  # one word, maybe after an article: "la Unión"
    candidates = gazetteer.city_candidates(m.key, m.only)
    best, main = candidates[0]
    if m.surface.isupper() and len(m.surface) <= 4:
        m.doubt, m.strict = "a short word in capitals (an acronym)", True
    elif core and (reason := rules.ordinary_word(gazetteer, m.key, best.population, lang)):
        m.doubt, m.strict = reason, True
    elif core and gazetteer.is_common_word(words.key(j), languages_of(lang)):
        m.doubt = "an ordinary word or given name (place_words.txt)"
    if (
        core
        and not article
        and best.population < rules.ORDINARY_WORD_MAX_POPULATION * 2
        and not any(is_main for _, is_main in candidates)
    ):
        own = [fold(best.name)] + [fold(city.name) for city, _ in candidates[1:3]]
        if reason := rules.alternate_word(m.key, own, lang):
            m.against = reason
    m.against = (
        m.against
        or rules.person(gazetteer, words, i, j)
        or rules.affiliation(gazetteer, words, i, j)
        or rules.reference(words, i, j)
        or rules.organisation(gazetteer, words, i, j, lang)
    )
    m.weak = m.doubt is not None


def find_names(gazetteer: Gazetteer, text: str, lang: str | None) -> list[NameMatch]:
    """Every name of a city, country or region in ``text``, longest first, with its evidence, not yet resolved."""
    words = rules.Words(text, [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)])
    key_at = words.key
    found: list[NameMatch] = []
    i, count = 0, len(words.items)
    while i < count:
        word = words.items[i][2]
        article = False
        if not _capitalised(word):
            if key_at(i) not in _ARTICLES:
                i += 1
                continue
            article = True
        if key_at(i) not in gazetteer.first_words:
            i += 1
            continue
        match = _longest(gazetteer, text, words, i, article)
        if match is None:
            i += 1
            continue
        j, key, kind, country, only = match
        start, end = words.items[i][0], words.items[j][1]
        sentence_start = _sentence_start(text, start)
        # The words before a name vouch for it only within its sentence: "… de la ciudad. Para los …" is no city.
        previous = [] if sentence_start else [key_at(k) for k in range(max(0, i - 3), i)]
        city_word = bool(previous) and (
            previous[-1] in CITY_WORDS or (len(previous) >= 2 and previous[-1] in _OF and previous[-2] in CITY_WORDS)
        )
        supported = city_word or (bool(previous) and previous[-1] in PREPOSITIONS)
        m = NameMatch(text[start:end], start, end, key, kind, country, False, supported, sentence_start)
        m.only, m.city_word = only, city_word
        if kind == "city":
            _doubt(gazetteer, m, words, i, j, article, lang)
        elif kind == "country":
            m.weak = key in WEAK_COUNTRY_KEYS
        m.after_article = bool(previous) and previous[-1] in _DETERMINERS
        m.joined_before = bool(found) and bool(_LIST_JOINER.fullmatch(text[found[-1].end : start]))
        found.append(m)
        i = j + 1
    for index, m in enumerate(found):
        m.listed = m.joined_before or (index + 1 < len(found) and found[index + 1].joined_before)
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
