"""Is this a word of English, German, Spanish or French? (wordfreq's word lists, shipped in its wheel.)

A correction must never replace a real word the index happens not to hold:
"how to fight rumours" is not a typo of "first", nor "script" of "Schritt".
The index's vocabulary says what the collection contains, not what a
language contains, so a word is also checked against wordfreq's frequency
lists of the four languages (built from Wikipedia, subtitles, books and the
web; nothing is downloaded). A Zipf frequency of 2.0 is about one
occurrence in ten million words: rare words pass, typos such as "Barcelna",
"housng" or "wgae" score 0.
"""

from __future__ import annotations

from functools import lru_cache

from wordfreq import zipf_frequency

from indexer.text import normalize
from indexer.vocabulary import LANGUAGES

MIN_ZIPF = 2.0


@lru_cache(maxsize=200_000)
def zipf(word: str, lang: str) -> float:
    """How frequent a word is in a language, on wordfreq's Zipf scale (0 unknown, 3 rare, 5+ everyday)."""
    return zipf_frequency(word, lang) if lang in LANGUAGES else 0.0


@lru_cache(maxsize=65536)
def is_dictionary_word(word: str) -> bool:
    """True when ``word`` is a word of any of the four languages (case and accents as typed, then lower case)."""
    word = normalize(word).casefold()
    return any(zipf(word, lang) >= MIN_ZIPF for lang in LANGUAGES)
