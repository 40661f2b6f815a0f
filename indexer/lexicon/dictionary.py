"""Is this a word of English, German, Spanish or French? (wordfreq's word lists, shipped in its wheel.)

A correction must never replace a real word the index happens not to hold:
"how to fight rumours" is not a typo of "first", nor "script" of "Schritt".
The index's vocabulary says what the collection contains, not what a
language contains, so a word is also checked against wordfreq's frequency
lists of the four languages (built from Wikipedia, subtitles, books and the
web; nothing is downloaded). A Zipf frequency of 2.0 is about one
occurrence in ten million words: rare words pass, typos such as "Barcelna",
"housng" or "wgae" score 0.

Why the lists are read into tries and not through ``wordfreq.zipf_frequency``: wordfreq
keeps each language's list as a Python dict of about 300,000-630,000 words, 30-40 MB of
memory a language in every process that asks (the indexing writer and every serving
worker). The same lists, as one static trie per language (``marisa-trie``) written once
to the cache folder and memory-mapped, take 2-3 MB of disk each, shared between processes.
``zipf`` gives exactly what ``wordfreq.zipf_frequency`` gives (same tokeniser, same
centibel values, same combination and rounding: ``tests/test_dictionary.py``).
"""

from __future__ import annotations

import math
from functools import cache, lru_cache
from importlib import metadata

import marisa_trie
from wordfreq import available_languages, digit_freq, freq_to_zipf, lossy_tokenize, read_cBpack, smash_numbers

from indexer.lexicon.gazetteer import cache_dir, write_cached
from indexer.text import normalize
from indexer.vocabulary import LANGUAGES

MIN_ZIPF = 2.0
_ZIPF_ZERO = 1e-9  # Zipf 0, the least zipf_frequency reports
_FORMAT = "<H"  # a word's centibels below frequency 1 (wordfreq's bucket index), 0-65535


@lru_cache(maxsize=200_000)
def zipf(word: str, lang: str) -> float:
    """How frequent a word is in a language, on wordfreq's Zipf scale (0 unknown, 3 rare, 5+ everyday)."""
    if lang not in LANGUAGES:
        return 0.0
    centibels = _centibels(lang)
    tokens = lossy_tokenize(word, lang)
    if not tokens:
        return 0.0
    # wordfreq's own combination of several tokens' frequencies: 1 / f = 1 / f1 + 1 / f2 + ...
    one_over_result = 0.0
    for token in tokens:
        smashed = smash_numbers(token)
        found = centibels.get(smashed)
        if not found:
            return 0.0
        freq = 10 ** (-max(found)[0] / 100)  # a word in two buckets: wordfreq keeps the last, rarer one
        if smashed != token:
            freq *= digit_freq(token)
        one_over_result += 1.0 / freq
    freq = max(1.0 / one_over_result, _ZIPF_ZERO)
    freq = round(freq, math.floor(-math.log(freq, 10)) + 3)  # wordfreq keeps three significant digits
    return round(freq_to_zipf(freq), 2)


@lru_cache(maxsize=65536)
def is_dictionary_word(word: str) -> bool:
    """True when ``word`` is a word of any of the four languages (case and accents as typed, then lower case)."""
    word = normalize(word).casefold()
    return any(zipf(word, lang) >= MIN_ZIPF for lang in LANGUAGES)


@cache
def _centibels(lang: str) -> marisa_trie.RecordTrie:
    """The language's word list as a trie of word → centibels, memory-mapped from the cache folder.

    Built from wordfreq's file on first use (about a second a language); any problem with the cache
    folder (read-only, no home, a damaged file) keeps the trie in memory instead.
    """
    try:
        path = cache_dir() / f"wordfreq-{metadata.version('wordfreq')}-{lang}.marisa"
    except (OSError, RuntimeError):
        return _build(lang)
    if not path.exists():
        built = _build(lang)
        if not write_cached(path, built.save):
            return built
    trie = marisa_trie.RecordTrie(_FORMAT)
    try:
        trie.mmap(str(path))
    except (OSError, RuntimeError, ValueError):
        return _build(lang)
    return trie


def _build(lang: str) -> marisa_trie.RecordTrie:
    buckets = read_cBpack(available_languages("best")[lang])
    records = ((word, (index,)) for index, bucket in enumerate(buckets) for word in bucket)
    return marisa_trie.RecordTrie(_FORMAT, records)
