"""One normaliser, one fold, one analyzer: every part of the engine reads a word the same way."""

from __future__ import annotations

import pytest

from indexer.lexicon.gazetteer import Gazetteer, name_key
from indexer.lexicon.thesaurus import Thesaurus
from indexer.storage.schema import build_schema, content_field
from indexer.text import analyze, fold, join_pages, normalize


@pytest.mark.parametrize(
    ("typed", "clean"),
    [
        ("Mu\u0308nchen", "München"),
        ("inte\u200bgration", "integration"),
        ("\ufeffBarcelona", "Barcelona"),
        ("Mig\u00adration", "Migration"),
        ("\u200fLisboa\u200e", "Lisboa"),
    ],
)
def test_normalize_composes_and_drops_format_characters(typed, clean):
    assert normalize(typed) == clean


@pytest.mark.parametrize(
    ("word", "folded"),
    [("Øresund", "oresund"), ("Straße", "strasse"), ("Zürich", "zurich"), ("Łódź", "lodz"), ("Æbeltoft", "aebeltoft")],
)
def test_one_fold_for_the_gazetteer_the_index_and_the_thesaurus(word, folded):
    assert fold(word) == folded
    assert name_key(word) == folded
    assert [t.text for t in build_schema()["title"].analyzer(word)] == [folded]


def test_the_thesaurus_stems_as_the_index_does():
    schema = build_schema()
    for lang, word in (("es", "integración"), ("de", "Integrationskurse"), ("fr", "intégration")):
        index_terms = [t.text for t in schema[content_field(lang)].analyzer(word)]
        assert analyze(word, lang) == index_terms
        assert analyze(fold(word), lang) == index_terms, "a word stems the same with or without its accents"
    concept = next(iter(Thesaurus.load().lookup("integración")), None)
    assert concept is not None


def test_pages_joined_in_a_document_record_keep_phrases_apart():
    analyzer = build_schema()[content_field("en")].analyzer
    tokens = [(t.text, t.pos) for t in analyzer(join_pages(["housing first", "policy now"]), positions=True)]
    (_, first_end), (_, next_start) = tokens[1], tokens[2]
    assert next_start - first_end > 1
    assert "citymigpagebreak" not in {text for text, _ in tokens}


def test_the_gazetteer_finds_a_decomposed_name():
    assert Gazetteer.load().lookup_city(normalize("Mu\u0308nchen"))[0].name == "Munich"
