"""Practitioners' questions: scaffolding, places in any language, translations, typos, accents, syntax."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli, search_json
from tests.pdfs import wrap, write_pdf

DOCUMENTS = {
    "barcelona-rumours-en.pdf": (
        "Anti-rumour agents in Barcelona",
        "Barcelona, Spain. In Barcelona the city council trained volunteers as anti-rumour agents who answer "
        "prejudice against immigrants in markets and on the street. Barcelona shared the method with other cities.",
    ),
    "barcelona-rumores-es.pdf": (
        "Agentes antirrumores en Barcelona",
        "Barcelona, España. En Barcelona el ayuntamiento formó a voluntarios como agentes antirrumores que "
        "responden a los prejuicios contra los inmigrantes en los mercados. Barcelona compartió el método.",
    ),
    "muenchen-gruendung-de.pdf": (
        "Gründungsberatung für Zugewanderte in München",
        "München, Deutschland. Die Stadt München berät Zugewanderte, die ein Unternehmen gründen wollen. In München "
        "begleiten Mentorinnen zugewanderte Frauen bei den ersten Schritten in die Selbstständigkeit.",
    ),
    "toronto-mentoring-en.pdf": (
        "Mentoring skilled immigrants in Toronto",
        "Toronto, Canada. Employers in Toronto pair skilled immigrants with mentors in their profession, and the "
        "mentoring leads to employment. Toronto employers found that mentoring pays off for both sides.",
    ),
    "wien-geruechte-de.pdf": (
        "Freiwillige gegen Gerüchte in Wien",
        "Wien, Österreich. In Wien treten Freiwillige Vorurteilen gegen Zugewanderte entgegen: sie widerlegen "
        "Gerüchte auf Märkten und in Gesprächen auf der Straße. Wien hat die Methode von anderen Städten gelernt.",
    ),
    "sevilla-refugiados-es.pdf": (
        "Vivienda para refugiados en Sevilla",
        "Sevilla, España. La ciudad de Sevilla ofrece vivienda a refugiados y acompaña su integración en el barrio. "
        "En Sevilla la integración empieza por una vivienda digna para las familias refugiadas.",
    ),
}


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("practices")
    for name, (title, text) in DOCUMENTS.items():
        write_pdf(root / name, [[title, *wrap(" ".join([text] * 3))]], title=title)
    index_dir = tmp_path_factory.mktemp("ix")
    assert run_cli("index", root, "--index", index_dir).exit_code == 0
    return index_dir


def names(result: dict) -> list[str]:
    return [Path(hit["path"]).name for hit in result["hits"]]


def test_question_scaffolding_need_not_match_and_the_place_ranks_first(index_dir):
    for question in ("what worked in Barcelona", "qué funcionó en Barcelona", "qu'est-ce qui a marché à Barcelone"):
        result = search_json(index_dir, question)
        assert names(result)[0].startswith("barcelona-"), question
        assert result["hits"][0]["about_query_place"] and result["understood"]["dropped"]
        assert result["understood"]["places"][0]["name"] == "Barcelona"


@pytest.mark.parametrize("spelling", ["München", "Munich", "Múnich", "Munchen"])
def test_a_place_in_any_spelling_is_the_same_city(index_dir, spelling):
    result = search_json(index_dir, f"Gründung {spelling}")
    assert names(result)[0] == "muenchen-gruendung-de.pdf"
    assert result["understood"]["places"][0]["name"] == "Munich"


def test_a_place_the_collection_does_not_hold_says_so_with_the_nearest_ones(index_dir):
    result = search_json(index_dir, "what worked in Madrid")
    place = result["understood"]["places"][0]
    assert (place["name"], place["in_collection"]) == ("Madrid", False)
    assert set(place["nearest"]) == {"Barcelona", "Seville"}, "the collection's cities in Spain"
    assert result["total"] == 0


def test_a_query_finds_documents_in_the_other_languages_and_says_so(index_dir):
    result = search_json(index_dir, "refugees housing")
    assert names(result)[0] == "sevilla-refugiados-es.pdf"
    labels = {match["label"] for match in result["hits"][0]["via_translation"]}
    assert labels & {"refugiado", "refugiados", "vivienda"}
    assert not search_json(index_dir, "refugees housing", "--exact")["hits"], "literally, no document has them"


def test_theme_words_prefer_the_theme_without_excluding_the_rest(index_dir):
    result = search_json(index_dir, "employment integration")
    assert "Work" in result["understood"]["themes"]
    found = names(result)
    assert found[0] == "toronto-mentoring-en.pdf"
    assert "sevilla-refugiados-es.pdf" in found, "a document on another theme that matches is not excluded"


def test_typos_are_corrected_from_the_collection(index_dir):
    result = search_json(index_dir, "Barcelna")
    assert result["did_you_mean"] == "Barcelona"
    assert names(result)[0].startswith("barcelona-")
    spanish = search_json(index_dir, "inmigrantes refujiados")
    assert "refugiados" in spanish["did_you_mean"] and "sevilla-refugiados-es.pdf" in names(spanish)


def test_accents_are_optional(index_dir):
    assert names(search_json(index_dir, "integracion", "--exact")) == ["sevilla-refugiados-es.pdf"]
    assert names(search_json(index_dir, "Munchen", "--exact")) == ["muenchen-gruendung-de.pdf"]


def test_researchers_syntax_still_works(index_dir):
    assert names(search_json(index_dir, '"anti-rumour agents" AND Barcelona')) == ["barcelona-rumours-en.pdf"]
    toronto = search_json(index_dir, "mentoring city:Toronto")
    assert names(toronto) == ["toronto-mentoring-en.pdf"] and toronto["filters"]["city"] == ["Toronto"]
    malformed = run_cli("search", '"living wage AND London', "--index", index_dir)
    assert malformed.exit_code == 2 and "unbalanced quotation mark" in malformed.output


def test_similar_practices_are_found_in_other_languages_and_other_cities(index_dir):
    from indexer.documents import get_document
    from indexer.storage.index import open_index

    hits = search_json(index_dir, "anti-rumour agents", "--exact")["hits"]
    barcelona = next(hit for hit in hits if hit["path"].endswith("barcelona-rumours-en.pdf"))
    similar = get_document(open_index(index_dir), barcelona["id"])["similar"]
    assert Path(similar[0]["path"]).name == "wien-geruechte-de.pdf", "the German practice on rumours, in Vienna"
    assert all("Barcelona" not in hit["city"] for hit in similar), "the document's own city is left out"


def test_a_word_is_read_in_its_own_languages_not_as_a_false_friend(tmp_path):
    """Stemmed as French, "policies" is "polic", the stem of the French word "police": a question about
    housing policies must not bring the documents about the police (nor the thesaurus's Polizei, policía)."""
    documents = {
        "lyon-housing-en.pdf": (
            "Housing policies for newcomers in Lyon",
            "Lyon, France. The city's housing policies reserve social housing for newcomers and refugees, and "
            "its integration policies pair each family with a neighbour.",
        ),
        "lille-police-fr.pdf": (
            "La police de proximité à Lille",
            "Lille, France. La police municipale de Lille a formé ses agents à l'accueil des nouveaux arrivants : "
            "les policiers tiennent des permanences dans les quartiers.",
        ),
    }
    for name, (title, text) in documents.items():
        write_pdf(tmp_path / name, [[title, *wrap(" ".join([text] * 3))]], title=title)
    assert run_cli("index", tmp_path, "--index", tmp_path / "ix").exit_code == 0
    result = search_json(tmp_path / "ix", "housing policies")
    assert names(result) == ["lyon-housing-en.pdf"]
    translations = {t["label"].lower() for ts in result["understood"]["translations"].values() for t in ts}
    assert not translations & {"police", "polizei", "policía", "policier"}, translations
    assert result["understood"]["languages"]["policies"] == ["en"]
    # A word of several languages is read in each: "integration" is English and German.
    assert set(search_json(tmp_path / "ix", "Integration")["understood"]["languages"]["Integration"]) == {"en", "de"}
