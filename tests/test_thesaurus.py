"""The bundled thesaurus: its shape, its coverage and its lookups across languages."""

import json
from collections import defaultdict

import pytest
from whoosh.lang import stopwords_for_language

from indexer.lexicon.thesaurus import DEFAULT_PATH, Concept, Thesaurus, ThesaurusError
from indexer.text import analyze, fold
from indexer.vocabulary import LANGUAGES, THEMES

# Labels of different concepts that the Snowball stemmer makes identical, kept on purpose:
# both concepts are about the same theme and a query for one may well find the other.
DELIBERATE_SHARED_STEMS = {
    ("en", ("employ",)),  # employer / employment
    ("fr", ("emploi",)),  # employeur / emploi
    ("de", ("unternehm",)),  # Unternehmer / Unternehmen
    ("es", ("trabaj",)),  # trabajador / trabajo (theme concept)
}
TOO_GENERIC = {"city", "cities", "people", "program", "programme", "project", "stadt", "ciudad", "ville"}


@pytest.fixture(scope="module")
def thesaurus() -> Thesaurus:
    return Thesaurus.load()


def by_id(thesaurus: Thesaurus, concept_id: str) -> Concept:
    return next(concept for concept in thesaurus.concepts if concept.id == concept_id)


def ids(concepts: list[Concept]) -> list[str]:
    return [concept.id for concept in concepts]


def write(tmp_path, document) -> str:
    path = tmp_path / "thesaurus.jsonld"
    path.write_text(document if isinstance(document, str) else json.dumps(document), encoding="utf-8")
    return path


def node(concept_id="cm:test", **extra) -> dict:
    return {
        "@id": concept_id,
        "@type": "skos:Concept",
        "skos:prefLabel": [{"@value": "housing", "@language": "en"}],
        **extra,
    }


def test_bundled_file_is_json_ld_with_skos_context_and_a_concept_scheme():
    document = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    assert document["@context"]["skos"] == "http://www.w3.org/2004/02/skos/core#"
    assert document["@context"]["cm"].startswith("https://")
    types = [entry["@type"] for entry in document["@graph"]]
    assert types.count("skos:ConceptScheme") == 1
    assert all(kind in ("skos:Concept", "skos:ConceptScheme") for kind in types)


def test_bundled_thesaurus_has_at_least_150_concepts(thesaurus):
    assert len(thesaurus.concepts) >= 150
    assert all(concept.id.startswith("cm:") for concept in thesaurus.concepts)


def test_every_concept_has_a_pref_label_in_all_four_languages(thesaurus):
    missing = [(c.id, lang) for c in thesaurus.concepts for lang in LANGUAGES if not c.pref_label(lang)]
    assert missing == []


def test_every_concept_links_at_most_two_known_themes(thesaurus):
    assert all(len(c.themes) <= 2 and set(c.themes) <= set(THEMES) for c in thesaurus.concepts)


def test_every_theme_has_labels_in_every_language(thesaurus):
    for lang in LANGUAGES:
        labels = thesaurus.theme_labels(lang)
        assert set(labels) == set(THEMES)
        for theme in THEMES:
            assert len(labels[theme]) >= 20, (theme, lang)


def test_theme_concepts_exist_but_do_not_vote_for_their_theme(thesaurus):
    work = by_id(thesaurus, "cm:theme-work")
    assert [work.pref_label(lang) for lang in LANGUAGES] == ["work", "Arbeit", "trabajo", "travail"]
    assert work.themes == ()
    assert "work" not in thesaurus.theme_labels("en")["Work"]


def test_no_stemmed_label_belongs_to_two_concepts_in_one_language_unless_deliberate(thesaurus):
    owners = defaultdict(set)
    for concept in thesaurus.concepts:
        for lang, labels in concept.labels.items():
            for label in labels:
                owners[lang, tuple(fold(stem) for stem in analyze(label, lang))].add(concept.id)
    shared = {key for key, concept_ids in owners.items() if len(concept_ids) > 1}
    assert shared == DELIBERATE_SHARED_STEMS


def test_no_label_is_a_stop_word_in_any_of_the_four_languages(thesaurus):
    stop_words = set().union(*(stopwords_for_language(lang) for lang in LANGUAGES))
    offenders = [
        (concept.id, label)
        for concept in thesaurus.concepts
        for labels in concept.labels.values()
        for label in labels
        if label.casefold() in stop_words
    ]
    assert offenders == []


def test_concepts_linked_to_themes_have_no_labels_so_generic_that_every_page_matches(thesaurus):
    generic = [
        (concept.id, label)
        for concept in thesaurus.concepts
        if concept.themes
        for labels in concept.labels.values()
        for label in labels
        if label.casefold() in TOO_GENERIC
    ]
    assert generic == []


def test_german_immigrant_leads_to_the_spanish_label(thesaurus):
    for word in ("Einwanderer", "Einwanderin", "Zugewanderte", "Eingewanderten"):
        assert ids(thesaurus.lookup(word, "de")) == ["cm:immigrant"], word
    assert thesaurus.lookup("Einwanderer", "de")[0].pref_label("es") == "inmigrante"
    assert "immigrée" in by_id(thesaurus, "cm:immigrant").labels["fr"]


def test_spanish_housing_has_theme_live_in_any_language(thesaurus):
    found = thesaurus.lookup("vivienda")
    assert ids(found) == ["cm:housing"]
    assert found[0].themes == ("Live",)
    assert found[0].pref_label("en") == "housing"


def test_spanish_employment_has_theme_work(thesaurus):
    found = thesaurus.lookup("empleo", "es")
    assert ids(found) == ["cm:employment"]
    assert "Work" in found[0].themes


@pytest.mark.parametrize(
    ("phrase", "lang"),
    [
        ("Sprachkurs", "de"),
        ("Sprachkurse", "de"),
        ("curso de idiomas", "es"),
        ("cursos de idiomas", "es"),
        ("language course", "en"),
        ("cours de langue", "fr"),
    ],
)
def test_multi_word_and_compound_labels_find_language_course(thesaurus, phrase, lang):
    assert ids(thesaurus.lookup(phrase, lang)) == ["cm:language-course"]


def test_accents_are_optional(thesaurus):
    assert ids(thesaurus.lookup("integracion", "es")) == ["cm:integration"]
    assert ids(thesaurus.lookup("integración", "es")) == ["cm:integration"]
    assert ids(thesaurus.lookup("recien llegados", "es")) == ["cm:newcomer"]
    assert ids(thesaurus.lookup("Arbeitsmarkte", "de")) == ["cm:labour-market"]


def test_newcomer_variants_in_three_languages(thesaurus):
    for phrase, lang in [("Neuzugewanderte", "de"), ("recién llegados", "es"), ("nouveaux arrivants", "fr")]:
        assert ids(thesaurus.lookup(phrase, lang)) == ["cm:newcomer"], phrase


def test_lookup_of_an_unknown_word_finds_nothing(thesaurus):
    assert thesaurus.lookup("Quantenchromodynamik", "de") == []
    assert thesaurus.lookup("the", "en") == []


def test_match_in_text_finds_longest_labels_in_a_stemmed_query(thesaurus):
    words = analyze("Sprachkurs für Neuzugewanderte in Köln", "de")
    spans = [(start, end, concept.id) for start, end, concept in thesaurus.match_in_text(words, "de")]
    assert spans == [(0, 1, "cm:language-course"), (1, 2, "cm:newcomer")]


def test_match_in_text_prefers_the_multi_word_label(thesaurus):
    words = analyze("el mercado laboral y los cursos de idiomas", "es")
    found = [(end - start, concept.id) for start, end, concept in thesaurus.match_in_text(words, "es")]
    assert found == [(2, "cm:labour-market"), (2, "cm:language-course")]
    words = analyze("marché du travail", "fr")
    assert [(s, e, c.id) for s, e, c in thesaurus.match_in_text(words, "fr")] == [(0, 2, "cm:labour-market")]


def test_match_in_text_accepts_unaccented_query_words(thesaurus):
    words = analyze("integracion de inmigrantes", "es")
    assert [c.id for _, _, c in thesaurus.match_in_text(words, "es")] == ["cm:integration"]


def test_load_is_cached_per_path(thesaurus, tmp_path):
    assert Thesaurus.load() is thesaurus
    assert Thesaurus.load(DEFAULT_PATH) is thesaurus
    other = write(tmp_path, {"@graph": [node()]})
    assert Thesaurus.load(other) is not thesaurus


def test_concepts_can_be_collected_in_sets(thesaurus):
    assert len(set(thesaurus.concepts)) == len(thesaurus.concepts)


def test_a_concept_without_a_language_has_no_pref_label_there(tmp_path):
    thesaurus = Thesaurus.load(write(tmp_path, {"@graph": [node(**{"cm:theme": ["Live"]})]}))
    concept = thesaurus.concepts[0]
    assert concept.pref_label("en") == "housing"
    assert concept.pref_label("de") is None
    assert thesaurus.theme_labels("en")["Live"] == ["housing"]
    assert thesaurus.theme_labels("de")["Live"] == []


def test_missing_file_error_names_the_file(tmp_path):
    missing = tmp_path / "nowhere.jsonld"
    with pytest.raises(ThesaurusError, match="nowhere.jsonld"):
        Thesaurus.load(missing)


def test_invalid_json_error_names_the_file_and_the_line(tmp_path):
    path = write(tmp_path, '{"@graph": [\n  {"@id": "cm:x",}\n]}')
    with pytest.raises(ThesaurusError, match=r"thesaurus\.jsonld.*line 2") as error:
        Thesaurus.load(path)
    assert str(path) in str(error.value)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (node(**{"cm:theme": ["Housing"]}), "unknown theme 'Housing'"),
        (node(**{"cm:theme": ["Live", "Work", "Plan"]}), "at most 2"),
        (node(**{"skos:prefLabel": []}), "no skos:prefLabel"),
        (node(**{"skos:prefLabel": [{"@value": "housing", "@language": "english"}]}), "language 'english'"),
        (node(**{"skos:altLabel": [{"@value": "Wohnung", "@language": "de"}]}), "no skos:prefLabel"),
        (node(**{"skos:altLabel": [{"@value": "the", "@language": "en"}]}), "only stop words"),
        (node(**{"skos:prefLabel": ["housing"]}), "must be objects"),
    ],
)
def test_malformed_concept_error_names_the_file_and_the_concept(tmp_path, bad, message):
    path = write(tmp_path, {"@graph": [node("cm:fine"), bad | {"@id": "cm:broken"}]})
    with pytest.raises(ThesaurusError, match=message) as error:
        Thesaurus.load(path)
    assert str(path) in str(error.value)
    assert "cm:broken" in str(error.value)


def test_duplicate_concept_id_is_an_error(tmp_path):
    with pytest.raises(ThesaurusError, match="cm:test appears twice"):
        Thesaurus.load(write(tmp_path, {"@graph": [node(), node()]}))


def test_file_without_graph_is_an_error(tmp_path):
    with pytest.raises(ThesaurusError, match="no '@graph'"):
        Thesaurus.load(write(tmp_path, [node()]))
