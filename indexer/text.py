"""One text normaliser, one fold, one analyzer per language, used by every part of the engine.

The index, the thesaurus, the gazetteer, themes, snippets and question
understanding all meet text, and they must agree on what a word is, or a
word found by one is missed by another (``Øresund`` folded two ways;
``integración`` stemmed to ``integr`` by the thesaurus and to
``integracion`` by the index). So:

- ``normalize`` is applied once to anything a user types or a file holds:
  Unicode NFC (a decomposed ``u`` + combining diaeresis is ``ü``), format
  characters removed (zero-width spaces and joiners, bidi marks, soft
  hyphens, the BOM), which no one types on purpose and which split words.
- ``fold`` is the one accent- and case-insensitive form: case-folded, the
  letters that Unicode does not decompose mapped by hand (``ø`` → ``o``,
  ``ß`` → ``ss``, ``æ`` → ``ae``, ``ł`` → ``l``), combining marks dropped.
- ``content_analyzer(lang)`` is the index's analyzer for page text: words,
  lower case, the language's stop words removed *as written*, then folded,
  then Snowball-stemmed, so a word stems the same with or without its
  accents (the Spanish stemmer strips ``-ación`` but not ``-acion``, so the
  folding must come first). ``analyze`` runs it for anyone else.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StandardAnalyzer, StemFilter, StopFilter

# Unicode category Cf (Unicode 15): zero-width space and joiners, bidi marks and isolates, soft hyphen, BOM…
_FORMAT_CHARS = re.compile(
    "[\U000000ad\U00000600-\U00000605\U0000061c\U000006dd\U0000070f\U00000890-\U00000891\U000008e2\U0000180e\U0000200b-\U0000200f\U0000202a-\U0000202e\U00002060-\U00002064\U00002066-\U0000206f\U0000feff\U0000fff9-\U0000fffb\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
# Letters with no Unicode decomposition that readers still take for their base letter.
_FOLD = str.maketrans(
    {
        "ß": "ss",
        "ẞ": "ss",
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "þ": "th",
        "Þ": "th",
        "ı": "i",
        "ŀ": "l",
    }
)


def normalize(text: str) -> str:
    """NFC, without format characters: what everything typed or extracted goes through first."""
    if not text:
        return ""
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", _FORMAT_CHARS.sub("", text))


def fold(text: str) -> str:
    """Case-folded, without accents: ``Zürich`` → ``zurich``, ``Øresund`` → ``oresund``, ``Straße`` → ``strasse``."""
    if text.isascii():
        return text.casefold()
    text = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return unicodedata.normalize("NFC", _COMBINING.sub("", text)).casefold()


_fold_cached = lru_cache(maxsize=200_000)(fold)  # the same words recur on every page


class FoldFilter(Filter):
    """A Whoosh filter applying ``fold`` to every token, so the index folds exactly as the rest of the engine."""

    def __eq__(self, other: object) -> bool:
        return other is not None and self.__class__ is other.__class__

    def __call__(self, tokens):
        for token in tokens:
            token.text = _fold_cached(token.text)
            yield token


PAGE_BREAK = "citymigpagebreak"  # joins the pages of a document record; never indexed itself
PAGE_GAP = 100  # positions between two pages, so a phrase never runs from one page into the next


class PageGapFilter(Filter):
    """Drops ``PAGE_BREAK`` tokens and moves the positions after each one ``PAGE_GAP`` further on.

    A document record holds all its pages in one field (so AND, OR and NOT are decided per document),
    yet a phrase must still stand on one page, as it does in the page records.
    """

    def __eq__(self, other: object) -> bool:
        return other is not None and self.__class__ is other.__class__

    def __call__(self, tokens):
        offset = 0
        for token in tokens:
            if token.text == PAGE_BREAK:
                offset += PAGE_GAP
                continue
            if offset and token.positions:
                token.pos += offset
            yield token


def join_pages(texts) -> str:
    """Page texts as one document-record field, with page breaks the analyzer turns into position gaps."""
    return f" {PAGE_BREAK} ".join(texts)


def content_analyzer(lang: str):
    """Page text in ``lang``: stop words removed as written, folded, then Snowball-stemmed (see the module)."""
    return (
        RegexTokenizer()
        | LowercaseFilter()
        | StopFilter(lang=lang)
        | PageGapFilter()
        | FoldFilter()
        | StemFilter(lang=lang, cachesize=50000)
    )


def title_analyzer():
    """Titles: every word kept, folded."""
    return StandardAnalyzer(stoplist=None) | FoldFilter()


@cache
def _analyzer(lang: str):
    return content_analyzer(lang)


def analyze(text: str, lang: str) -> list[str]:
    """The index terms of ``text`` in ``lang``, as the index's own analyzer makes them."""
    return [token.text for token in _analyzer(lang)(normalize(text))]


def words(text: str) -> list[str]:
    """The words of ``text`` (letters, digits and inner apostrophes or hyphens), normalised."""
    return _WORD.findall(normalize(text))


_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
