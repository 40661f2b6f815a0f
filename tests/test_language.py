"""Language: langdetect among four languages, per page and per document, and per-language stemming."""

import pytest

from indexer.ingest.language import LanguageVote, detect_language
from tests.conftest import search_json
from tests.pdfs import PROSE


@pytest.mark.parametrize("lang", sorted(PROSE))
def test_prose_is_detected_in_each_language(lang):
    assert detect_language(PROSE[lang]) == lang


def test_tables_and_code_do_not_get_a_language():
    assert detect_language("1.1 ........ 3\n1.2 ........ 7\n2.4 ........ 12\n3.1 ...... 19") is None


def test_second_language_recorded_at_ten_percent():
    vote = LanguageVote.empty()
    for _ in range(3):
        vote.add("en", PROSE["en"])
    vote.add("de", PROSE["de"])
    vote.add("fr", "x" * 150)  # too short to vote
    assert vote.languages() == ["en", "de"]


def test_documents_get_their_languages(session_index):
    # Versions of one document in several languages are one hit; each version keeps its own language.
    hits = {v["title"]: v for hit in search_json(session_index, "", "--limit", "50")["hits"] for v in hit["versions"]}
    hits |= {hit["title"]: hit for hit in search_json(session_index, "", "--limit", "50")["hits"]}
    assert hits["Integration report de"]["lang"] == "de"
    assert hits["Integration report es"]["lang"] == "es"
    assert hits["Roadshow report"]["langs"] == ["en", "de"]
    assert hits["Vivienda en Madrid"]["lang"] == "es"
    assert hits["Nouvelles de Montréal"]["lang"] == "fr"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Einwanderern", "Integration report de"),
        ("inmigrante", "Integration report es"),
        ("famille", "Integration report fr"),
        ("mentoring", "Integration report en"),
    ],
)
def test_stemming_in_the_documents_language(session_index, query, expected):
    titles = [hit["title"] for hit in search_json(session_index, query, "--exact")["hits"]]
    assert expected in titles


def test_no_stemming_across_languages(session_index):
    # "bibliothek" is German; the French "bibliothèque" must not match it through a shared stem.
    titles = {hit["title"] for hit in search_json(session_index, "Bibliothek", "--exact")["hits"]}
    assert "Integration report fr" not in titles
    assert "Integration report de" in titles


def test_a_near_tie_between_two_languages_goes_to_the_language_of_the_cover():
    vote = LanguageVote.empty()
    vote.add("de", PROSE["de"] * 10)
    vote.add("en", PROSE["en"] * 10)
    leader = vote.languages()[0]
    other = "en" if leader == "de" else "de"
    assert vote.languages(cover=other) == [other, leader]
    vote.add(leader, PROSE[leader] * 10)
    assert vote.languages(cover=other)[0] == leader, "a clear majority is not overturned by the cover"
