"""Evidence for and against reading a name as a place, in *this* text and *this* language.

``indexer.enrich.place_names`` finds every name the gazetteer knows; the rules
here weigh what the words around a name say about it. Each rule returns a
reason in a librarian's words (shown by ``citymig explain``) or None.

Against a place (the name is dropped, whatever else the text says):

- *A person.* A given name before it (``Jennifer Bradley``, ``George
  Washington``) or an initial (``M. Miller``); the name itself a given name
  with a surname after it (``Kim Turner``); a reference's ``Surname, X.``
  (``Florida, Richard.``); a capitalised word no dictionary knows before it
  (``Piali Roy``).
- *An affiliation.* In brackets after a person's name: ``Myer Siemiatycki
  (Toronto)`` names where the author works, not what the text is about.
- *A publisher's place or a reference.* ``City: Publisher`` (``New York:
  Routledge``, ``Washington, DC: The Brookings Institution``) and any name in a
  reference or footnote (a year in brackets, ``pp.``, ``Hrsg.``, ``Press`` in
  the same citation).
- *An organisation or product.* Followed by a word such as ``Institution``,
  ``University``, ``Foundation``, ``Software``, ``Corporation``; joined by a
  hyphen to a name no dictionary knows (``Addison-Wesley``,
  ``Magdeburg-Stendal``); or a one-word alternate name of a place under
  600,000 inhabitants that is far more frequent as a word than the place's
  own name is in any language (``Google`` is an alternate name of Topeka,
  ``Namen`` of Namur, ``October`` of 6th of October City; the exonyms of big
  cities, ``Wien``, ``Barcelone``, are as frequent as their fame).

Doubtful (the name counts only with evidence for it, see ``places``):

- *An ordinary word of the text's language.* A single word of a place under
  300,000 inhabitants that is frequent in the text's language (Zipf ≥ 4,
  wordfreq) and either much more frequent there than in the other three
  languages (``Ihren``, ``Fundación``) or far more frequent than so small a
  place explains (``Alice``, ``Kim``). German capitalises every noun, so
  capitalisation says nothing there. Such a word needs strong evidence: its
  country right after it or a word for city before it; a preposition is not
  enough (``in Ihren Paketen``).
- *An acronym.* A short name in capitals (``NIS``) counts only when its
  country qualifies it.
- *A small place far from everything else the text names, whose name is
  also a word.* A place under 500,000 inhabitants whose country the text
  never names, with no other city of the text within 1,500 km, and whose
  one-word name is a word in all four languages (Zipf 3+ in each: ``Samba``,
  Angola, in a manual on file servers; a town's name is common only in its
  own country's language, ``Badalona``) needs the same strong evidence
  (decided in ``places``).
"""

from __future__ import annotations

import re

from indexer.lexicon.dictionary import zipf
from indexer.lexicon.gazetteer import UI_LANGUAGES, Gazetteer
from indexer.text import fold

FREQUENT = 4.0  # Zipf: an everyday word (4 = once per 10,000 words)
LANGUAGE_EXCESS = 1.5  # this many Zipf steps (30x) more frequent in the text's language than in the others
SMALL_PLACE = 100_000  # a place this small does not make its name an everyday word
ORDINARY_WORD_MAX_POPULATION = 300_000  # bigger cities are the reason their names are frequent
ALTERNATE_EXCESS = 1.2  # an alternate name this much more frequent than the city's own name is another word
UNKNOWN_WORD = 1.0  # Zipf below this in every language: a name, not a word
BIG_CITY = 1_000_000  # a city this big after a given name is still the city ("Rahm Emanuel Chicago")

ORGANISATION_WORDS = {"institution", "institute", "university", "universitat", "universite", "universidad", "college",
                      "foundation", "fundacion", "fondation", "stiftung", "press", "school", "software", "corporation",
                      "corp", "inc", "ltd", "gmbh", "company", "publishing", "publishers", "verlag", "editorial",
                      "editions", "trust", "license", "licence", "distribution", "project", "group", "systems",
                      "labs", "consortium"}  # fmt: skip
_INITIAL = re.compile(r"(?:^|[\s(])[A-Z]\.\s*$")
_SURNAME_COMMA = re.compile(r"\s*,\s*(?:[A-Z]\.|[A-Z][a-zà-ÿ]+\.)")  # "Florida, R." / "Menz, Georg."
_PUBLISHER = re.compile(r"(?:,\s*(?:[A-Z]{2}|[A-Z]\.[A-Z]\.|[A-Z][a-z]+\.?))?\s*:\s*(?:The\s+)?[A-Z]")
# What follows "City:" in a reference: a publisher's name, capitalised words (and "of", "and"), then punctuation.
# A heading run into its text ("Barcelona: A Park for Nou Barris Barcelona has …") has lowercase words first.
_PUBLISHER_NAME = re.compile(
    r"(?:,\s*(?:[A-Z]{2}|[A-Z]\.[A-Z]\.|[A-Z][a-z]+\.?))?\s*:\s*"
    r"(?:(?:[A-Z][\w&'’.-]*|of|and|&|und|für|et|de|du|des|y|del)\s*){1,6}[.,;]"
)
_CITATION = re.compile(
    r"\(\s*(?:19|20)\d\d[a-z]?\s*\)|\bpp?\.\s*\d|\b(?:Hrsg|Eds?|éd|eds|coord)\.|\bet al\.|\bPress\b|\bIn:\s|\bISBN\b"
)
_DATED = re.compile(r"^[^.;()]{0,100},\s*(?:19|20)\d\d\b")  # "...: Germany Roadshow, 2011"
_BY_AUTHOR = re.compile(r"\s+(?:by|von|par|por)\s+[A-Z][\w-]+\s+[A-Z]")
_CAMPUS = re.compile(r"\b(?:University|Universit[äé]t?|Universidad|College|Institute)\s+of\s+[A-Z][\w ]{0,30},\s*$")
_CITATION_WINDOW = 160  # characters before a name where a citation's marks are looked for
_PERSON_TITLES = {"mr", "mrs", "ms", "dr", "prof", "professor", "senator", "mayor", "herr", "frau", "sr", "sra",
                  "mme", "m", "president", "minister", "by", "von", "par", "por"}  # fmt: skip


class Words:
    """The words of one text with their offsets, folded on demand."""

    def __init__(self, text: str, words: list[tuple[int, int, str]]) -> None:
        self.text = text
        self.items = words
        self._folded: dict[int, str] = {}

    def key(self, i: int) -> str:
        """The folded word ``i`` ('' outside the text)."""
        if i < 0 or i >= len(self.items):
            return ""
        if i not in self._folded:
            self._folded[i] = fold(self.items[i][2])
        return self._folded[i]

    def word(self, i: int) -> str:
        """Word ``i`` as written ('' outside the text)."""
        return self.items[i][2] if 0 <= i < len(self.items) else ""

    def gap(self, i: int) -> str:
        """What stands between word ``i`` and word ``i + 1``."""
        if i < 0 or i + 1 >= len(self.items):
            return ""
        return self.text[self.items[i][1] : self.items[i + 1][0]]


def _capitalised(word: str) -> bool:
    return bool(word) and word[0].isupper()


def _known_word(key: str) -> bool:
    return any(zipf(key, lang) >= UNKNOWN_WORD for lang in UI_LANGUAGES)


def _is_place(gazetteer: Gazetteer, key: str) -> bool:
    return key in gazetteer.city_keys or key in gazetteer.country_keys or key in gazetteer.region_keys


def ordinary_word(gazetteer: Gazetteer, key: str, population: int, lang: str | None) -> str | None:
    """Why a one-word name is an everyday word of the text's language, or None."""
    if not lang or population >= ORDINARY_WORD_MAX_POPULATION:
        return None
    here = zipf(key, lang)
    if here < FREQUENT:
        return None
    elsewhere = max(zipf(key, other) for other in UI_LANGUAGES if other != lang)
    if here - elsewhere >= LANGUAGE_EXCESS:
        return f"an everyday word of {lang} (Zipf {here:.1f}, at most {elsewhere:.1f} in the other languages)"
    if population < SMALL_PLACE:
        return f"an everyday word (Zipf {here:.1f}) far commoner than a place of {population:,} people explains"
    return None


def alternate_word(key: str, own_names: list[str], lang: str | None) -> str | None:
    """Why an alternate name is another word (``Google`` for Topeka, ``Namen`` for Namur), or None.

    An exonym is as frequent as the city's own name somewhere (``Barcelone`` in French, ``Barcelona`` in
    Spanish); a word that is far more frequent than the city's own name is in any language is another word.
    """
    langs = (lang,) if lang in UI_LANGUAGES else UI_LANGUAGES
    own = max(zipf(name, code) for name in own_names for code in UI_LANGUAGES)
    for code in langs:
        here = zipf(key, code)
        if here >= FREQUENT - 1 and here - own >= ALTERNATE_EXCESS:
            return f"an alternate name of {own_names[0]}, far commoner as a word (Zipf {here:.1f} against {own:.1f})"
    return None


def _qualified(gazetteer: Gazetteer, words: Words, j: int) -> bool:
    """True when a country or region follows the name: ``Hamburg, Germany``."""
    if words.gap(j).strip() not in (",", "("):
        return False
    for length in (1, 2, 3):
        key = " ".join(words.key(k) for k in range(j + 1, j + 1 + length))
        if key in gazetteer.country_keys or key in gazetteer.region_keys:
            return True
    return False


def person(gazetteer: Gazetteer, words: Words, i: int, j: int) -> str | None:
    """Why the name at words ``i..j`` is (part of) a person's name, or None."""
    before, after = words.key(i - 1), words.key(j + 1)
    gap_before, gap_after = words.gap(i - 1), words.gap(j)
    joined_before = gap_before in (" ", "\u00a0")
    joined_after = gap_after in (" ", "\u00a0")
    big = gazetteer.city_candidates(words.key(i) if i == j else "", None)
    if joined_before and _capitalised(words.word(i - 1)) and gazetteer.is_given_name(before):
        # A city of a million is rarely a surname: "Mayor Rahm Emanuel Chicago" is a caption run together.
        if not (big and big[0][0].population >= BIG_CITY) and not _qualified(gazetteer, words, j):
            if not _is_place(gazetteer, before) or words.key(i - 2) in _PERSON_TITLES:
                return f"a surname after the given name '{words.word(i - 1)}'"
    if (
        joined_before
        and _capitalised(words.word(i - 1))
        and not _known_word(before)
        and not _is_place(gazetteer, before)
    ):
        return f"a surname after '{words.word(i - 1)}', a name no dictionary knows"
    if _INITIAL.search(words.text[max(0, words.items[i][0] - 4) : words.items[i][0]]):
        return "a surname after an initial"
    if i == j and gazetteer.is_given_name(words.key(i)) and joined_after and _capitalised(words.word(j + 1)):
        if not _is_place(gazetteer, after) and after not in ORGANISATION_WORDS:
            return f"a given name before the surname '{words.word(j + 1)}'"
    if words.key(i - 1) in _PERSON_TITLES and joined_before and _capitalised(words.word(j + 1)) and joined_after:
        return f"a person's name after '{words.word(i - 1)}'"
    end = words.items[j][1]
    if _SURNAME_COMMA.match(words.text[end : end + 12]) and _CITATION.search(words.text[end : end + 200]):
        return "a surname in a reference ('Surname, X.')"
    return None


def affiliation(gazetteer: Gazetteer, words: Words, i: int, j: int) -> str | None:
    """Why the name is an author's home or employer in brackets (``Jan Niessen (Brussels)``), or None."""
    start = words.items[i][0]
    if not words.text[max(0, start - 2) : start].rstrip().endswith("("):
        return None
    names = [words.word(k) for k in (i - 1, i - 2)]
    if all(_capitalised(name) for name in names) and not any(
        _is_place(gazetteer, words.key(k)) for k in (i - 1, i - 2)
    ):
        return f"in brackets after the name '{names[1]} {names[0]}': an affiliation"
    return None


def reference(words: Words, i: int, j: int) -> str | None:
    """Why the name is a publisher's place or part of a reference or footnote, or None."""
    start, end = words.items[i][0], words.items[j][1]
    window = words.text[max(0, start - _CITATION_WINDOW) : start]
    cut = max(window.rfind(". "), 0)
    after = words.text[end : end + 120]
    same_sentence = after[: after.find(". ") + 1] if ". " in after[:40] else after[:40]
    citation = _CITATION.search(window) or _CITATION.search(same_sentence)
    dated = _DATED.search(after)
    after_sentence = bool(re.search(r"\*|[.?]\s*$", window[-120:])) and bool(_PUBLISHER_NAME.match(after))
    if _PUBLISHER.match(after) and (citation or dated or after_sentence):
        return "a publisher's place or a work's title ('City: Publisher', 'Title: Subtitle, 2011')"
    if _BY_AUTHOR.match(after):
        return "in the title of a work ('... Toronto by Zhixi Zhuang')"
    if citation and _CITATION.search(window[cut:] + same_sentence):
        return "inside a reference or footnote"
    return None


def organisation(gazetteer: Gazetteer, words: Words, i: int, j: int, lang: str | None) -> str | None:
    """Why the name is part of an organisation's or product's name, or None."""
    start = words.items[i][0]
    if _CAMPUS.search(words.text[max(0, start - 60) : start]):
        return "part of a university's name ('University of California, Berkeley')"
    after = words.key(j + 1)
    # A run of up to three capitalised words ending in an organisation's word: "Toronto Metropolitan University".
    for k in range(j + 1, j + 4):
        if not (_capitalised(words.word(k)) and words.gap(k - 1) in (" ", "-")):
            break
        if words.key(k) in ORGANISATION_WORDS:
            name = words.text[words.items[i][0] : words.items[k][1]]
            return f"part of the name '{name}'"
    if words.gap(j) == "-" and _capitalised(words.word(j + 1)) and not _is_place(gazetteer, after):
        if max(zipf(after, code) for code in UI_LANGUAGES) < FREQUENT:
            return f"joined to '{words.word(j + 1)}': part of another name"
    if words.gap(i - 1) == "-" and _capitalised(words.word(i - 1)) and not _is_place(gazetteer, words.key(i - 1)):
        if max(zipf(words.key(i - 1), code) for code in UI_LANGUAGES) < FREQUENT:
            return f"joined to '{words.word(i - 1)}': part of another name"
    return None
