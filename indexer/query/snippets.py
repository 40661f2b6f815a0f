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

from indexer.storage.schema import content_field
from indexer.text import fold

WORD = re.compile(r"\w+(?:\.?\w+)*")  # whoosh's RegexTokenizer default
PREFIX = 2  # letters a word shares with the query term it stems to (stems drop endings, not beginnings)
MAX_CHARS = 220
FRAGMENTS = 2
BETWEEN = " … "


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


def match_spans(text: str, terms: set[str], field: str, analyzer) -> list[tuple[int, int]]:
    """(start, end) of every word of ``text`` that ``field``'s ``analyzer`` turns into one of ``terms``.

    Each distinct word of the page is looked at once; only the words found are then located.
    """
    prefixes = {term[:PREFIX] for term in terms}
    matched = {
        word
        for word in set(WORD.findall(text))
        if _folded(word)[:PREFIX] in prefixes and not _forms(field, analyzer, word).isdisjoint(terms)
    }
    if not matched:
        return []
    alternatives = "|".join(re.escape(word) for word in sorted(matched, key=len, reverse=True))
    # Whole tokens only, as WORD cuts them: not after or before a word character or a dot inside a word.
    return [match.span() for match in re.finditer(rf"(?<!\w)(?<!\w\.)(?:{alternatives})(?!\w)(?!\.\w)", text)]


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


def query_terms(query, field: str) -> set[str]:
    """The indexed forms a query looks for in ``field``."""
    terms = set()
    for name, text in query.iter_all_terms():
        if name == field:
            terms.add(text.decode("utf-8") if isinstance(text, bytes) else text)
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
