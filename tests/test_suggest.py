"""Did you mean: corrections come from the index's own words and leave query syntax alone."""

from __future__ import annotations

import pytest

from indexer.query.suggest import correct_word, did_you_mean, word_frequency
from indexer.storage.index import open_index


@pytest.fixture(scope="module")
def searcher(session_index):
    with open_index(session_index).searcher() as searcher:
        yield searcher


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Bibliotek", "Bibliothek"),
        ("imigrants", "immigrants"),
        ('"welcome centre" AND neigbourhood', '"welcome centre" AND neighbourhood'),
        ("(ayuntamento OR vivienda) NOT biblioteka", "(ayuntamiento OR vivienda) NOT biblioteca"),
    ],
)
def test_misspelt_words_are_corrected_and_syntax_kept(searcher, query, expected):
    assert did_you_mean(searcher, query) == expected


@pytest.mark.parametrize("query", ["Bibliothek", "the library", "", "   ", "title:Bibliotek", "zz", "AND OR"])
def test_known_words_short_words_and_field_syntax_get_no_suggestion(searcher, query):
    assert did_you_mean(searcher, query) is None


def test_word_frequency_counts_records_in_every_language_and_correct_word_prefers_frequent_words(searcher):
    assert word_frequency(searcher, "bibliothek") > 1
    assert word_frequency(searcher, "bibliotek") == 0
    assert correct_word(searcher, "Bibliotek") == "Bibliothek"
    assert correct_word(searcher, "qqqqqqq") is None
