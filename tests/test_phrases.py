"""Exact phrases matched by positions give Whoosh's own phrase results, document for document, score for score."""

import pytest
from whoosh.query import Phrase

from indexer.query.phrases import AdjacentPhrase, adjacent_phrases
from indexer.storage.index import open_index
from indexer.storage.schema import content_field, document_field


def _phrases(searcher, schema) -> list[tuple[str, list[str]]]:
    """Runs of two and three words of the collection's titles, on page and document fields of their language."""
    phrases = []
    for fields in searcher.all_stored_fields():
        if fields.get("kind") != "doc" or not fields.get("lang"):
            continue
        lang = fields["lang"]
        words = [t.text for t in schema[content_field(lang)].analyzer(fields["title"], mode="query")]
        for size in (2, 3):
            for start in range(len(words) - size + 1):
                run = words[start : start + size]
                phrases += [(content_field(lang), run), (document_field(lang), run)]
    return phrases


def _hits(searcher, query) -> list[tuple[int, float]]:
    return [(hit.docnum, round(hit.score, 9)) for hit in searcher.search(query, limit=None)]


def test_adjacent_phrases_match_and_score_as_whooshs_phrases(corpus_index):
    ix = open_index(corpus_index)
    with ix.searcher() as searcher:
        phrases = _phrases(searcher, ix.schema)
        assert len(phrases) > 200
        found = 0
        for field, words in phrases:
            theirs = _hits(searcher, Phrase(field, words, boost=1.5))
            assert _hits(searcher, AdjacentPhrase(field, words, boost=1.5)) == theirs, (field, words)
            found += bool(theirs)
        assert found > len(phrases) / 2  # most titles' words stand side by side in their text
        # Words that are all there but not side by side, a repeated word, a word the index lacks, a slop.
        field = document_field("en")
        for words in (["integration", "city"], ["city", "city"], ["housing", "xqzzyv"]):
            assert _hits(searcher, AdjacentPhrase(field, words)) == _hits(searcher, Phrase(field, words))
        assert _hits(searcher, AdjacentPhrase(field, ["integration", "city"], slop=4)) == _hits(
            searcher, Phrase(field, ["integration", "city"], slop=4)
        )


def _spans(searcher, query) -> list[tuple[int, list[tuple[int, int]]]]:
    matcher, found = query.matcher(searcher), []
    while matcher.is_active():
        found.append((matcher.id(), [(span.start, span.end) for span in matcher.spans()]))
        matcher.next()
    return found


def test_adjacent_phrases_give_whooshs_spans(corpus_index):
    ix = open_index(corpus_index)
    with ix.searcher() as searcher:
        for field, words in _phrases(searcher, ix.schema)[:40]:
            assert _spans(searcher, AdjacentPhrase(field, words)) == _spans(searcher, Phrase(field, words))


@pytest.mark.parametrize("slop, swapped", [(1, True), (3, False)])
def test_only_exact_phrases_are_swapped(slop, swapped):
    query = adjacent_phrases(Phrase("content_en", ["new", "york"], slop=slop, boost=2.0))
    assert isinstance(query, AdjacentPhrase) is swapped
    assert (query.words, query.slop, query.boost) == (["new", "york"], slop, 2.0)
