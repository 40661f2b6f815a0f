"""What the result page says about a question: places, nearest cities, corrections, language versions,
translations, preferred themes, and similar practices in other cities (issue 6)."""

from __future__ import annotations

import re
from html import unescape

import pytest

from search_app import create_app
from tests.conftest import run_cli
from tests.web_collection import build_question_collection


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    root = build_question_collection(tmp_path_factory.mktemp("practices"))
    index_dir = tmp_path_factory.mktemp("ix")
    assert run_cli("index", root, "--index", index_dir, "--jobs", "1").exit_code == 0
    return create_app({"INDEX_DIR": str(index_dir), "TESTING": True}).test_client(use_cookies=False)


def page(web, url: str) -> str:
    response = web.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def text_of(body: str) -> str:
    """The page as a reader sees it: tags dropped, entities decoded, whitespace collapsed."""
    return re.sub(r" ([.,?])", r"\1", " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split()))


def link(body: str, text: str) -> tuple[str, str]:
    """(href, attributes) of the link whose visible text is ``text``."""
    for attributes, inner in re.findall(r"<a\b([^>]*)>(.*?)</a>", body, flags=re.S):
        if text_of(inner) == text:
            return unescape(re.search(r'href="([^"]*)"', attributes).group(1)), attributes
    raise AssertionError(f"no link {text!r}")


def hit_id(web, title: str, query: str) -> str:
    for hit in web.get(f"/api/search?q={query}&per_page=50").get_json()["hits"]:
        for version in hit["versions"] or [hit]:
            if version["title"] == title:
                return version["id"]
    raise AssertionError(f"no hit {title!r}")


@pytest.mark.parametrize(
    ("ui", "only", "everywhere"),
    [("en", "Only Barcelona", "Search everywhere"), ("de", "Nur Barcelona", "Überall suchen")],
)
def test_a_place_the_collection_holds_offers_only_it_or_everywhere(web, ui, only, everywhere):
    body = page(web, f"/search?q=qu%C3%A9+funcion%C3%B3+en+Barcelona&ui={ui}")
    only_url, _ = link(body, only)
    assert "city=Barcelona" in only_url and f"ui={ui}" in only_url
    here, attributes = link(body, everywhere)
    assert 'aria-current="page"' in attributes and "city=" not in here
    # Following "Only Barcelona" filters (a chip) and makes it the current choice.
    narrowed = page(web, only_url)
    assert re.search(r'class="chip".*?Barcelona', narrowed, flags=re.S)
    assert 'aria-current="page"' in link(narrowed, only)[1]
    assert "city=" not in link(narrowed, everywhere)[0]


@pytest.mark.parametrize(
    ("ui", "held", "missing"),
    [
        ("en", "Only Spain", "France is not in this collection."),
        ("de", "Nur Spanien", "Frankreich ist nicht in dieser Sammlung."),
    ],
)
def test_a_country_in_the_question_is_offered_by_its_name_or_said_to_be_missing(web, ui, held, missing):
    body = page(web, f"/search?q=Espa%C3%B1a+voluntarios&ui={ui}")
    assert "country=ES" in link(body, held)[0]
    assert missing in text_of(page(web, f"/search?q=Frankreich+Ger%C3%BCchte&ui={ui}"))


@pytest.mark.parametrize(
    ("ui", "sentence"),
    [
        ("en", "Madrid is not in this collection. Nearest in Spain: Barcelona, Seville"),
        ("de", "Madrid ist nicht in dieser Sammlung. Am nächsten in Spanien: Barcelona, Sevilla"),
    ],
)
def test_a_place_the_collection_lacks_names_the_nearest_cities_of_its_country(web, ui, sentence):
    body = page(web, f"/search?q=what+worked+in+Madrid&ui={ui}")
    assert sentence in text_of(body)
    nearest, _ = link(body, "Seville" if ui == "en" else "Sevilla")  # named as the reader names it
    assert "city=Seville" in nearest and "q=what+worked+in+Seville" in nearest
    assert "Vivienda para refugiados en Sevilla" in page(web, nearest)


@pytest.mark.parametrize(
    ("ui", "showing", "instead"),
    [
        ("en", "Showing results for Barcelona.", "Search instead for Barcelna"),
        ("de", "Ergebnisse für Barcelona.", "Stattdessen suchen nach Barcelna"),
    ],
)
def test_a_corrected_question_says_so_and_offers_the_words_as_typed(web, ui, showing, instead):
    body = page(web, f"/search?q=Barcelna&ui={ui}")
    assert showing in text_of(body) and instead in text_of(body)
    literal, _ = link(body, "Barcelna")
    assert "q=Barcelna" in literal and "exact=1" in literal
    exact = page(web, literal)
    assert showing not in text_of(exact)
    assert "exact=1" in link(exact, "Barcelona")[0], "the did-you-mean of a literal search stays literal"
    assert 'name="exact"' not in exact.split('role="search"')[1].split("</form>")[0], "a new question is read afresh"
    back = link(exact, {"en": "Read them as a question", "de": "Als Frage verstehen"}[ui])[0]
    assert "exact" not in back and showing in text_of(page(web, back))


def test_syntax_queries_keep_the_plain_did_you_mean(web):
    body = page(web, "/search?q=Barcelna+AND+agents&ui=en")
    assert "Did you mean Barcelona AND agents?" in text_of(body) and "Showing results for" not in body


@pytest.mark.parametrize(("ui", "shown"), [("en", "EN"), ("es", "ES"), ("de", "EN")])
def test_a_document_in_several_languages_is_one_hit_with_a_badge_per_version(web, ui, shown):
    body = page(web, f"/search?q=anti-rumour+agents&ui={ui}")
    versions = re.findall(r'<ul class="versions".*?</ul>', body, flags=re.S)
    assert len(versions) == 1
    badges = re.findall(
        r'<a class="version" href="/doc/([0-9a-f]{16})[^"]*" hreflang="(\w\w)"([^>]*)>(\w\w)', versions[0]
    )
    assert [code for *_, code in badges] == ["EN", "ES", "FR"]
    assert [code for _, _, attributes, code in badges if "aria-current" in attributes] == [shown]
    ids = {code: doc_id for doc_id, _, _, code in badges}
    assert ids["ES"] == hit_id(web, "Agentes antirrumores en Barcelona", "anti-rumour+agents")
    assert page(web, f"/doc/{ids['FR']}").count("Agents anti-rumeurs à Barcelone") >= 1
    # The reader's language decides which version the hit shows, in the JSON twin too.
    twin = web.get(f"/api/search?q=anti-rumour+agents&ui={ui}").get_json()
    assert twin["hits"][0]["lang"] == shown.lower() and twin["documents"] == twin["total"] + 2


@pytest.mark.parametrize(
    ("ui", "note"),
    [
        ("en", "Matched through the translations: refugiado (Spanish), vivienda (Spanish)"),
        ("de", "Gefunden über die Übersetzungen: refugiado (Spanisch), vivienda (Spanisch)"),
    ],
)
def test_a_hit_found_only_through_a_translation_says_which(web, ui, note):
    body = page(web, f"/search?q=refugees+housing&ui={ui}")
    assert note in text_of(body)
    assert '<span lang="es">refugiado</span>' in body


@pytest.mark.parametrize(
    ("ui", "line", "only"),
    [("en", "Preferring the theme Work", "Only Work"), ("de", "Bevorzugt: das Thema Arbeiten", "Nur Arbeiten")],
)
def test_a_theme_the_question_names_is_preferred_and_offered_as_a_filter(web, ui, line, only):
    body = page(web, f"/search?q=employment+integration&ui={ui}")
    assert line in text_of(body)
    narrowed = page(web, link(body, only)[0])
    assert "theme=Work" in link(body, only)[0] and line not in text_of(narrowed), "once filtered, no preference line"


@pytest.mark.parametrize(
    ("ui", "heading"), [("en", "Similar practices in other cities"), ("de", "Ähnliche Praxis in anderen Städten")]
)
def test_the_document_page_shows_similar_practices_in_other_cities_with_their_languages(web, ui, heading):
    vienna = hit_id(web, "Freiwillige gegen Gerüchte in Wien", "Gerüchte")
    body = page(web, f"/doc/{vienna}?ui={ui}")
    aside = body.split('id="similar"')[1].split("</aside>")[0]
    assert text_of(f"<h2 {aside}").startswith(f"{heading}")
    first = re.search(r'<li><a href="/doc/.*?</div>\s*</li>', aside, flags=re.S).group(0)
    vienna_name = "Vienna" if ui == "en" else "Wien"  # the city as the reader names it
    assert "Barcelona" in text_of(first) and vienna_name not in aside
    assert [code for code in re.findall(r'hreflang="\w\w"[^>]*>(\w\w)<', first)] == ["EN", "ES", "FR"]
    barcelona = hit_id(web, "Anti-rumour agents in Barcelona", "anti-rumour+agents")
    similar = page(web, f"/doc/{barcelona}?ui={ui}").split('id="similar"')[1].split("</aside>")[0]
    assert "Freiwillige gegen Gerüchte in Wien" in similar and f"{vienna_name}, " in text_of(similar)
    assert "/doc/" + barcelona not in similar and "Agentes antirrumores" not in similar


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "Barcelna '><script>alert</script> in Madrid",
            "Search instead for Barcelna '><script>alert</script> in Madrid",
        ),
        ("Madrid <img src=x onerror=alert> Barcelna", "Madrid is not in this collection."),
        ('Barcelona "><script>alert</script>', "unbalanced quotation mark"),
    ],
)
def test_hostile_questions_are_escaped_in_every_message(web, query, message):
    response = web.get("/search", query_string={"q": query, "ui": "en"})
    body = response.get_data(as_text=True)
    assert "<script>alert" not in body and "<img src" not in body
    assert "&lt;script&gt;" in body or "&lt;img src" in body
    assert message in text_of(body), "the message is shown, its text escaped"
