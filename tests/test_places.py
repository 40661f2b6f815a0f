"""Place recognition: cities and countries in four languages, doubtful names, what a document is about."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from indexer.enrich.places import DocumentPlaces, Gazetteer, document_places, mentions_in


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def cities_in(gazetteer: Gazetteer, text: str, lang: str | None) -> list[tuple[str, str]]:
    return [(m.city.name, m.city.country) for m in mentions_in(gazetteer, text, lang) if m.city]


def countries_in(gazetteer: Gazetteer, text: str, lang: str | None) -> list[str]:
    return [m.country for m in mentions_in(gazetteer, text, lang) if m.country]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Das Programm in München hilft Gründern.", "de"),
        ("Migrant Entrepreneurs Munich is a programme of the city.", "en"),
        ("El programa de Múnich apoya a emprendedores.", "es"),
        ("Le programme de Munich aide les entrepreneurs.", "fr"),
    ],
)
def test_munich_is_one_city_in_all_four_languages(gazetteer, text, lang):
    assert cities_in(gazetteer, text, lang) == [("Munich", "DE")]


@pytest.mark.parametrize(
    ("text", "lang", "city", "country"),
    [
        ("La stratégie de Barcelone contre les rumeurs.", "fr", "Barcelona", "ES"),
        ("Die Stadt Köln und ihre Nachbarn.", "de", "Cologne", "DE"),
        ("Cologne has a new integration council.", "en", "Cologne", "DE"),
        ("Die Stadt Wien berät Unternehmer.", "de", "Vienna", "AT"),
        ("Vienna runs a one-stop shop.", "en", "Vienna", "AT"),
        ("El salario digno de Londres.", "es", "London", "GB"),
        ("Los parques de Nueva York.", "es", "New York City", "US"),
        ("Los paseos de La Haya.", "es", "The Hague", "NL"),
        ("Die Stadtführungen in Den Haag.", "de", "The Hague", "NL"),
        ("Une charte pour Montréal.", "fr", "Montreal", "CA"),
        ("The Living Library of Valongo.", "en", "Valongo", "PT"),
        ("La desfilada sij de Badalona.", "es", "Badalona", "ES"),
        ("Banks in San Francisco.", "en", "San Francisco", "US"),
    ],
)
def test_city_names_in_any_language_map_to_the_geonames_english_name(gazetteer, text, lang, city, country):
    assert cities_in(gazetteer, text, lang) == [(city, country)]


def test_country_names_and_short_forms_in_four_languages(gazetteer):
    text = "Deutschland, Alemania, Allemagne and Germany; the U.S., EE. UU., États-Unis; the UK and Royaume-Uni."
    assert countries_in(gazetteer, text, "en") == ["DE", "DE", "DE", "DE", "US", "US", "US", "GB", "GB"]


def test_the_pronoun_us_is_not_the_united_states(gazetteer):
    assert countries_in(gazetteer, "Tell us more. ABOUT US. Write to us.", "en") == []
    assert countries_in(gazetteer, "Cities in the US and Canada.", "en") == ["US", "CA"]


def test_lookup_city_is_accent_and_case_insensitive(gazetteer):
    assert gazetteer.lookup_city("Zurich")[0] == gazetteer.lookup_city("Zürich")[0]
    assert gazetteer.lookup_city("Munchen")[0].name == "Munich"
    assert gazetteer.lookup_city("MÜNCHEN")[0].name == "Munich"
    assert gazetteer.lookup_city("barcelona")[0].country == "ES"
    assert gazetteer.lookup_city("Nowhere-on-Earth") == []


def test_lookup_country_takes_names_in_four_languages_and_codes(gazetteer):
    assert gazetteer.lookup_country("Alemania") == "DE"
    assert gazetteer.lookup_country("Deutschland") == "DE"
    assert gazetteer.lookup_country("de") == "DE"
    assert gazetteer.lookup_country("DEU") == "DE"
    assert gazetteer.lookup_country("Royaume-Uni") == "GB"
    assert gazetteer.lookup_country("Estados Unidos") == "US"
    assert gazetteer.lookup_country("Atlantis") is None


def test_country_display_names_per_ui_language(gazetteer):
    assert gazetteer.country_name("DE", "en") == "Germany"
    assert gazetteer.country_name("DE", "de") == "Deutschland"
    assert gazetteer.country_name("DE", "es") == "Alemania"
    assert gazetteer.country_name("DE", "fr") == "Allemagne"
    assert gazetteer.country_name("GB", "fr") == "Royaume-Uni"
    assert gazetteer.country_name("US", "es") == "Estados Unidos"


def test_a_word_written_with_accents_matches_only_names_with_those_accents(gazetteer):
    # Folded, "Länder" would be Lander (Wyoming) and "Bank" Bānk (India).
    assert cities_in(gazetteer, "Bund, Länder und Kommunen arbeiten zusammen.", "de") == []
    assert cities_in(gazetteer, "A Bank for Everyone in the city.", "en") == []


def test_barcelona_is_in_spain_unless_the_text_says_venezuela(gazetteer):
    assert cities_in(gazetteer, "La estrategia de Barcelona, en Cataluña, es un modelo.", "es") == [("Barcelona", "ES")]
    assert cities_in(gazetteer, "Barcelona, Venezuela, es la capital de Anzoátegui.", "es") == [("Barcelona", "VE")]


def test_a_qualifier_moves_a_city_to_a_smaller_namesake(gazetteer):
    assert cities_in(gazetteer, "London, Ontario has a welcome centre; London pays a living wage.", "en") == [
        ("London", "CA"),
        ("London", "GB"),
    ]


def test_paris_stays_in_france_among_american_cities(gazetteer):
    text = "Immigrants in the United States settle in New York, Chicago and Houston; Paris remains a gateway."
    assert ("Paris", "FR") in cities_in(gazetteer, text, "en")


def test_nice_as_a_word_is_not_the_city_but_a_nice_in_france_is(gazetteer):
    assert cities_in(gazetteer, "Nice to meet you. It was a Nice day.", "en") == []
    assert cities_in(gazetteer, "Nous avons passé l'été à Nice, en France.", "fr") == [("Nice", "FR")]
    assert cities_in(gazetteer, "The port of Nice, France, welcomes ferries.", "en") == [("Nice", "FR")]


def test_reading_split_mobile_and_bath_need_evidence(gazetteer):
    assert cities_in(gazetteer, "Reading the report, we learned a lot. Split the group in two.", "en") == []
    assert cities_in(gazetteer, "Mobile phones help. Bath time.", "en") == []
    assert cities_in(gazetteer, "The town of Reading voted; we met in Bath.", "en") == [
        ("Reading", "GB"),
        ("Bath", "GB"),
    ]
    assert cities_in(gazetteer, "Split, Croatia, hosts a festival.", "en") == [("Split", "HR")]


def test_florence_as_a_first_name_is_not_florence_italy(gazetteer):
    assert cities_in(gazetteer, "Florence said the plan would work.", "en") == []
    assert cities_in(gazetteer, "The market in Florence, Italy, is busy.", "en") == [("Florence", "IT")]


def test_a_vouched_city_counts_again_but_not_as_a_noun_after_an_article(gazetteer):
    assert cities_in(gazetteer, "Das Essen war gut.", "de") == []
    text = "In Essen gibt es ein Programm. Das Essen dort ist gut. Die Verwaltung von Essen hilft."
    assert cities_in(gazetteer, text, "de") == [("Essen", "DE"), ("Essen", "DE")]


def test_organisations_named_after_places_are_not_places(gazetteer):
    assert cities_in(gazetteer, "Audrey Singer of the Brookings Institution wrote it.", "en") == []


def test_multi_word_names_match_longest_first(gazetteer):
    text = "New York City and the Bronx; San Francisco; Frankfurt am Main; Saint-Étienne."
    assert [name for name, _ in cities_in(gazetteer, text, "en")] == [
        "New York City",
        "The Bronx",
        "San Francisco",
        "Frankfurt am Main",
        "Saint-Étienne",
    ]


def test_mentions_carry_offsets_into_the_text(gazetteer):
    text = "Auf dem Weg nach Köln."
    (mention,) = mentions_in(gazetteer, text, "de")
    assert text[mention.start : mention.end] == mention.surface == "Köln"
    assert mention.country is None and mention.city.geonameid == 2886242


def report_pages(main_city: str, footnote_city: str, pages: int = 12) -> list[tuple[int, str]]:
    body = "The programme brings employers, colleges and community groups together. " * 20
    result = [(1, f"{main_city} builds bridges. {main_city} started the council in 2007. {body}")]
    for number in range(2, pages):
        result.append((number, f"In {main_city}, mentors meet newcomers every week. {body}"))
    result.append((pages, f"Notes. 1. A similar programme was later tried in {footnote_city}. {body}"))
    return result


def test_a_city_named_once_in_a_late_footnote_is_a_page_city_not_a_document_city(gazetteer):
    places = document_places(gazetteer, "Good Ideas from Toronto", report_pages("Toronto", "Copenhagen"), "en")
    assert isinstance(places, DocumentPlaces)
    assert places.cities == ["Toronto"]
    assert places.countries == ["CA"]
    assert places.page_cities[12] == ["Copenhagen"]
    assert places.page_cities[3] == ["Toronto"]
    assert "title: 'Toronto'" in places.evidence["Toronto"]
    assert "country of Toronto" in places.evidence["CA"]


def test_a_short_document_is_about_the_cities_it_names_repeatedly_or_at_the_top(gazetteer):
    text = (
        "Stuttgart won the national competition. The city of Stuttgart calls diversity its strength. "
        "Its mayor once visited Lisbon."
    )
    places = document_places(gazetteer, "A prize for openness", [(1, text)], "en")
    assert places.cities == ["Stuttgart"]
    assert places.countries == ["DE"]
    assert places.page_cities == {1: ["Stuttgart", "Lisbon"]}


def test_a_title_naming_a_country_makes_its_cities_the_subject(gazetteer):
    text = (
        "Der Bericht stellt Beispiele vor. In München hilft ein Programm Gründern. In Bremen lernen junge Menschen "
        "für die Verwaltung. Ähnliches gibt es in Toronto, Auckland und Lissabon."
    )
    places = document_places(gazetteer, "Länderbericht Deutschland", [(1, text)], "de")
    assert places.cities == ["Munich", "Bremen"]
    assert places.countries == ["DE"]
    assert "title: 'Deutschland'" in places.evidence["DE"]


def test_cities_only_listed_as_examples_are_not_the_subject(gazetteer):
    text = (
        "Most newcomers settle in Toronto, Vancouver and Montreal. Vancouver shows the suburban turn. Vancouver grows."
    )
    places = document_places(gazetteer, "Canadá y Australia: dónde viven los inmigrantes", [(1, text)], "es")
    assert places.cities == ["Vancouver"]
    assert places.countries == ["CA", "AU"]


def test_a_district_named_with_its_city_counts_for_the_city(gazetteer):
    text = "Nou Barris is a district of Barcelona. Nou Barris has a new park. Barcelona planned it with residents."
    places = document_places(gazetteer, "A park for Nou Barris", [(1, text)], "en")
    assert places.cities == ["Barcelona"]
    assert "Nou Barris" in places.page_cities[1]


def test_a_report_comparing_many_cities_is_about_those_it_discusses_ranked_and_the_rest_are_page_cities(gazetteer):
    # No few cities hold half of the mentions: the report is about every city it comes back to.
    discussed = {"Toronto": 6, "London": 4, "Barcelona": 3, "Auckland": 3}
    once = ["Munich", "Vienna", "Boston", "Turin", "Helsinki", "Dublin", "Lisbon", "Stuttgart"]
    pages = []
    for city, times in discussed.items():
        pages += [(len(pages) + 1, f"In {city}, the city works with employers. The programme grew.")] * times
    pages = [(n, text) for n, (_, text) in enumerate(pages, start=1)]
    pages += [(len(pages) + n, f"Elsewhere, {city} started a similar programme.") for n, city in enumerate(once, 1)]
    places = document_places(gazetteer, "Municipal leadership in immigrant integration", pages, "en")
    assert places.cities == ["Toronto", "London", "Barcelona", "Auckland"]
    assert places.countries == ["CA", "GB", "ES", "NZ"]
    page_of_munich = next(n for n, text in pages if "Munich" in text)
    assert places.page_cities[page_of_munich] == ["Munich"], "a city named once is still found on its page"
    assert "Munich" in places.rejected and "a subject needs 3" in places.rejected["Munich"][0]


def test_every_gold_city_is_a_geonames_name(gazetteer):
    gold = json.loads((Path(__file__).parent / "data" / "gold.json").read_text(encoding="utf-8"))
    for name in {city for document in gold for city in document["city"]}:
        assert gazetteer.lookup_city(name)[0].name == name


def test_a_forty_page_report_takes_well_under_a_second(gazetteer):
    pages = report_pages("Barcelona", "Madrid", pages=40)
    started = time.perf_counter()
    document_places(gazetteer, "La estrategia de Barcelona", pages, "en")
    assert time.perf_counter() - started < 1.0


def test_nearest_cities_of_the_same_country(gazetteer):
    assert [name for name, _ in gazetteer.nearest_cities("Barcelona", ["Madrid", "Badalona", "Toronto"])] == [
        "Badalona",
        "Madrid",
    ]


def test_the_gazetteer_is_built_without_a_cache_and_then_loaded_from_one(tmp_path, monkeypatch):
    from indexer.lexicon import gazetteer as module

    monkeypatch.setenv("CITYMIG_CACHE_DIR", str(tmp_path / "cache"))
    built = module._load.__wrapped__()
    assert list((tmp_path / "cache").glob("gazetteer-*.pickle"))
    loaded = module._load.__wrapped__()
    assert loaded is not built and loaded.lookup_city("Wien")[0].name == "Vienna"
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    monkeypatch.setenv("CITYMIG_CACHE_DIR", str(blocked / "cache"))
    assert module._load.__wrapped__().lookup_country("Alemania") == "DE"
