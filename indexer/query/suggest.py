"""Did you mean: correct the words of a query that the index barely knows, from the index's own vocabulary.

Page text is indexed stemmed, one field per language. When a content field
keeps a separate spelling vocabulary (``spelling=True``), corrections are
words; otherwise the field's vocabulary is a list of stems (``immigr``) and a
correction found there is turned back into a word as the collection writes
it, by reading one page that holds the stem. Titles are indexed unstemmed.
Only the words of the query change: quotes, parentheses, ``AND``/``OR``/``NOT``
and ``field:`` prefixes stay where they are.
"""

from __future__ import annotations

import re

from indexer.lexicon.dictionary import is_dictionary_word
from indexer.storage.schema import content_field
from indexer.vocabulary import LANGUAGES

RARE = 1  # a word found on at most this many records is worth a suggestion
MIN_LENGTH = 3  # shorter words are left alone: too many neighbours within two edits
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}
_WORD = re.compile(r"(?<![\w:])([^\W\d_][\w'’-]*[^\W_]|[^\W\d_])(?![\w:*?])")


def _fields(searcher) -> list[str]:
    names = set(searcher.schema.names())
    return ["title"] + [content_field(code) for code in LANGUAGES if content_field(code) in names]


def _terms(searcher, field: str, word: str) -> list[str]:
    """The indexed form(s) of ``word`` in ``field`` (empty for a stopword)."""
    analyzer = searcher.schema[field].analyzer
    return [token.text for token in analyzer(word, mode="query")]


def word_frequency(searcher, word: str) -> int:
    """Records (titles and pages) holding ``word``, in any language's field (stemmed as that language does)."""
    total = 0
    for field in _fields(searcher):
        total += sum(searcher.doc_frequency(field, term) for term in _terms(searcher, field, word))
    return total


def _is_stopword(searcher, word: str) -> bool:
    """True when some language's analyzer drops the word (``the``, ``und``): it needs no correction."""
    return any(not _terms(searcher, field, word) for field in _fields(searcher) if field != "title")


def _surface(searcher, field: str, term: str) -> str | None:
    """A word of the collection whose indexed form in ``field`` is ``term``."""
    if field == "title" or searcher.schema[field].separate_spelling():
        return term  # the spelling vocabulary holds words, not stems
    if not searcher.reader().has_term(field, term):
        return None
    matcher = searcher.postings(field, term)
    if not matcher.is_active():
        return None
    text = searcher.stored_fields(matcher.id()).get("text") or ""
    analyzer = searcher.schema[field].analyzer
    for match in re.finditer(r"[^\W\d_]+", text):
        word = match.group(0)
        if len(word) >= MIN_LENGTH and [t.text for t in analyzer(word.lower(), mode="query")] == [term]:
            return word.lower()
    return None


def correct_word(searcher, word: str) -> str | None:
    """The closest more frequent word of the index for a missing or rare ``word``, or None."""
    lowered = word.lower()
    if len(lowered) < MIN_LENGTH or _is_stopword(searcher, lowered) or is_dictionary_word(lowered):
        return None  # a real word of one of the four languages is never "corrected" (fight → first)
    known = word_frequency(searcher, lowered)
    if known > RARE:
        return None
    candidates: list[tuple[int, int, str]] = []  # (distance rank, -frequency, word)
    for field in _fields(searcher):
        if searcher.schema[field].separate_spelling():
            terms = [lowered]  # a separate spelling field is indexed unstemmed
        else:
            terms = _terms(searcher, field, lowered)
        if len(terms) != 1:
            continue
        for suggestion in searcher.corrector(field).suggest(terms[0], limit=5, maxdist=2, prefix=1):
            surface = _surface(searcher, field, suggestion)
            if not surface or surface == lowered:
                continue
            frequency = word_frequency(searcher, surface)
            if frequency > known:
                distance = _distance(lowered, surface)
                candidates.append((distance, -frequency, surface))
    if not candidates:
        return None
    best = min(candidates)[2]
    return best.capitalize() if word[:1].isupper() and word[1:].islower() else best


def _distance(a: str, b: str) -> int:
    """Edit distance counting a swap of two neighbouring letters as one edit (``wgae`` → ``wage``)."""
    rows = [list(range(len(b) + 1))] + [[i] + [0] * len(b) for i in range(1, len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[-1][-1]


def did_you_mean(searcher, text: str) -> str | None:
    """The query with its missing or rare words replaced by close words of the index, or None."""
    if not text or not text.strip():
        return None
    changed = False
    parts: list[str] = []
    position = 0
    for match in _WORD.finditer(text):
        word = match.group(1)
        if word in OPERATORS or len(word) < MIN_LENGTH:
            continue
        replacement = correct_word(searcher, word)
        if replacement:
            parts += [text[position : match.start(1)], replacement]
            position = match.end(1)
            changed = True
    if not changed:
        return None
    return "".join(parts) + text[position:]
