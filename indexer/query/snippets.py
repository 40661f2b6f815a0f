"""Snippets: the passages of a page around the words a query matched, escaped, with ``<mark>`` around them.

Whoosh's highlighter runs the whole page through the field's analyzer
(stop words, accents, Snowball) to find the matches, and on a page of a few
thousand words that is most of a search's time. Here the page is split with
a plain regular expression, and only the words that could stem to a query
term (they share its first letters once case and accents are folded) go
through the analyzer: the same matches, found for a fraction of the cost.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from itertools import pairwise

from whoosh.query import Phrase

from indexer.storage.records import term_text
from indexer.storage.schema import content_field
from indexer.text import fold

WORD = re.compile(r"\w+(?:\.?\w+)*")  # whoosh's RegexTokenizer default
PREFIX = 2  # letters a word shares with the query term it stems to (stems drop endings, not beginnings)
MAX_CHARS = 220
FRAGMENTS = 2
BETWEEN = " … "
MAX_GAP = 40  # characters between two words of a phrase (punctuation and stop words)


_folded = lru_cache(maxsize=65536)(fold)  # the same words recur on every page
_FORMS: dict[tuple[str, str], frozenset[str]] = {}  # (field, word) → the indexed forms of the word
_MAX_FORMS = 200_000


def _forms(field: str, analyzer, word: str) -> frozenset[str]:
    """The indexed forms ``field``'s ``analyzer`` makes of ``word``, remembered: a page's words recur on every
    page (by field name: each searcher unpickles its own analyzer objects, and a field's never changes)."""
    key = (field, word)
    forms = _FORMS.get(key)
    if forms is None:
        if len(_FORMS) >= _MAX_FORMS:
            _FORMS.clear()
        forms = _FORMS[key] = frozenset(token.text for token in analyzer(word))
    return forms


def _located(text: str, wanted: set[str], field: str, analyzer) -> list[tuple[int, int, frozenset[str]]]:
    """(start, end, indexed forms) of every word of ``text`` whose forms include one of ``wanted``.

    Each distinct word of the page is analysed once; only the words found are then located, by one regex.
    """
    prefixes = {term[:PREFIX] for term in wanted}
    matched = {
        word
        for word in set(WORD.findall(text))
        if _folded(word)[:PREFIX] in prefixes and not _forms(field, analyzer, word).isdisjoint(wanted)
    }
    if not matched:
        return []
    alternatives = "|".join(re.escape(word) for word in sorted(matched, key=len, reverse=True))
    # Whole tokens only, as WORD cuts them: not after or before a word character or a dot inside a word.
    found = re.finditer(rf"(?<!\w)(?<!\w\.)(?:{alternatives})(?!\w)(?!\.\w)", text)
    return [(*match.span(), _forms(field, analyzer, match.group(0))) for match in found]


def _only_stop_words(gap: str, field: str, analyzer) -> bool:
    """True when ``gap`` between two words holds no word the index keeps (a phrase query skips stop words)."""
    return len(gap) <= MAX_GAP and all(not _forms(field, analyzer, word) for word in WORD.findall(gap))


def match_spans(text: str, terms: set, field: str, analyzer) -> list[tuple[int, int]]:
    """(start, end) of every word of ``text`` that ``field``'s ``analyzer`` turns into one of ``terms``, and of
    every run of words that makes one of its phrases (``terms`` holds indexed forms, and tuples for phrases).

    A phrase's words are marked only together, where they stand as a phrase: "new arrival" marks no "New"
    in "New Zealand".
    """
    singles = {term for term in terms if isinstance(term, str)}
    phrases = [term for term in terms if isinstance(term, tuple)]
    located = _located(text, singles | {word for phrase in phrases for word in phrase}, field, analyzer)
    spans = {(start, end) for start, end, forms in located if not forms.isdisjoint(singles)}
    for phrase in phrases:
        for i in range(len(located) - len(phrase) + 1):
            run = located[i : i + len(phrase)]
            if all(word in forms for word, (_, _, forms) in zip(phrase, run, strict=True)) and all(
                _only_stop_words(text[left[1] : right[0]], field, analyzer) for left, right in pairwise(run)
            ):
                spans.add((run[0][0], run[-1][1]))
    ordered = sorted(spans, key=lambda span: (span[0], -span[1]))
    kept: list[tuple[int, int]] = []
    for span in ordered:  # a word inside a marked phrase is not marked again
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def _window(text: str, spans: list[tuple[int, int]], first: int, max_chars: int) -> tuple[int, int, int]:
    """(start, end, matches) of a passage of ``max_chars`` that opens a little before match ``first``."""
    start = max(0, spans[first][0] - max_chars // 4)
    end = min(len(text), start + max_chars)
    # Do not cut words in two at either end.
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    count = sum(1 for s, e in spans if s >= start and e <= end)
    return start, end, count


def snippet(
    text: str, terms: set[str], field: str, analyzer, max_chars: int = MAX_CHARS, fragments: int = FRAGMENTS
) -> str:
    """The best passages of ``text`` for ``terms`` (indexed forms), escaped, matches in ``<mark>``; '' if none."""
    spans = match_spans(text, terms, field, analyzer) if terms else []
    if not spans:
        return ""
    windows = sorted((_window(text, spans, i, max_chars) for i in range(len(spans))), key=lambda w: (-w[2], w[0]))
    chosen: list[tuple[int, int, int]] = []
    for window in windows:
        if len(chosen) == fragments:
            break
        if all(window[1] <= s or window[0] >= e for s, e, _ in chosen):
            chosen.append(window)
    parts = []
    for start, end, _ in sorted(chosen):
        out, position = [], start
        for s, e in spans:
            if s >= start and e <= end:
                out += [html.escape(text[position:s]), "<mark>", html.escape(text[s:e]), "</mark>"]
                position = e
        out.append(html.escape(text[position:end]))
        parts.append("".join(out).strip())
    return BETWEEN.join(parts)


def query_terms(query, field: str) -> set:
    """The indexed forms a query looks for in ``field``: words, and phrases as tuples of words."""
    terms: set = set()
    for leaf in query.leaves() if query.children() else [query]:
        if isinstance(leaf, Phrase):
            if leaf.fieldname == field:
                terms.add(tuple(leaf.words))
            continue
        for name, text in leaf.iter_all_terms():
            if name == field:
                terms.add(term_text(text))
    return terms


def page_snippets(searcher, query, docnums: list[int]) -> list[dict]:
    """``{"page", "snippet", "ocr"}`` for page records, with the words ``query`` matched marked (``ocr``: the
    page's words were read by Tesseract from a scan, so a reader knows to check the page image)."""
    pages = []
    for docnum in docnums:
        fields = searcher.stored_fields(docnum)
        text, field = fields.get("text") or "", content_field(fields.get("lang") or "en")
        terms = query_terms(query, field)
        found = snippet(text, terms, field, searcher.schema[field].analyzer) if field in searcher.schema else ""
        pages.append(
            {"page": fields["page"], "snippet": found or html.escape(text[:200]), "ocr": bool(fields.get("ocr"))}
        )
    return pages
