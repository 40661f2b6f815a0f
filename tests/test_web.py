"""The web app through Flask's test client: pages, JSON twins, facets, languages, files and safety."""

from __future__ import annotations

import hashlib
import re
import urllib.parse
from html import unescape
from pathlib import Path

import pytest

from search_app import create_app
from tests.conftest import run_cli
from tests.pdfs import PROSE, wrap, write_pdf
from tests.web_collection import CITIES, build_web_collection

TEMPLATES = Path(__file__).resolve().parent.parent / "search_app" / "templates"


@pytest.fixture(scope="session")
def client(session_index):
    return create_app({"INDEX_DIR": str(session_index), "TESTING": True}).test_client()


@pytest.fixture(scope="session")
def web_index(tmp_path_factory) -> Path:
    """An index of the web collection (librarian facets, hostile document)."""
    root = build_web_collection(tmp_path_factory.mktemp("webcoll"))
    index_dir = tmp_path_factory.mktemp("webindex")
    result = run_cli("index", root, "--index", index_dir, "--json", "--jobs", "1")
    assert result.exit_code == 0, result.output
    return index_dir


@pytest.fixture(scope="session")
def web(web_index):
    return create_app({"INDEX_DIR": str(web_index), "TESTING": True, "PER_PAGE": 10}).test_client()


def html(response) -> str:
    return response.get_data(as_text=True)


def links_in(body: str) -> list[tuple[str, str]]:
    """(href, text) of every link, text without tags."""
    found = re.findall(r'<a\b[^>]*href="([^"]*)"[^>]*>(.*?)</a>', body, flags=re.S)
    return [(unescape(href), " ".join(re.sub(r"<[^>]+>", " ", text).split())) for href, text in found]


def facet_link(body: str, label: str) -> str:
    """The href of the facet value whose label is ``label``."""
    for match in re.finditer(r'<a href="([^"]*)" class="facet-value[^"]*">(.*?)</a>', body, flags=re.S):
        if re.search(rf'<span class="facet-label">{re.escape(label)}</span>', match.group(2)):
            return unescape(match.group(1))
    raise AssertionError(f"no facet value {label!r}")


def facet_count(body: str, label: str) -> int | None:
    match = re.search(
        rf'<span class="facet-label">{re.escape(label)}</span>\s*<span class="count">(\d+)</span>', body, flags=re.S
    )
    return int(match.group(1)) if match else None


def api(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


# --- pages and their JSON twins ---------------------------------------------------------------------------


def test_search_page_links_its_json_twin_with_the_same_hits(client):
    page = client.get("/search?q=Einwanderer")
    assert page.status_code == 200
    assert 'rel="alternate"' in page.headers["Link"]
    twin_url = re.search(r"<([^>]+)>", page.headers["Link"]).group(1)
    assert twin_url.startswith("/api/search?") and "q=Einwanderer" in twin_url
    assert f'<link rel="alternate" type="application/json" href="{twin_url}">' in html(page)
    twin = client.get(twin_url).get_json()
    assert twin["total"] >= 1
    for hit in twin["hits"]:
        assert hit["title"] in html(page)


def test_api_search_has_the_cli_schema(client, session_index):
    from tests.conftest import search_json

    web = api(client, "/api/search?q=Bibliothek&lang=de")
    cli = search_json(session_index, "Bibliothek", "--lang", "de")
    assert {key: web[key] for key in cli} == cli
    assert set(web) - set(cli) <= {"did_you_mean"}


def test_every_page_links_its_twin_and_the_opensearch_description(client):
    doc_id = api(client, "/api/search?q=Bibliothek")["hits"][0]["id"]
    for url in ("/", "/search?q=Bibliothek", f"/doc/{doc_id}?q=Bibliothek"):
        page = client.get(url)
        assert page.status_code == 200, url
        twin = re.search(r"<([^>]+)>", page.headers["Link"]).group(1)
        assert client.get(twin).is_json, url
        assert 'rel="search" type="application/opensearchdescription+xml"' in html(page)
    description = client.get("/opensearch.xml")
    assert description.mimetype == "application/opensearchdescription+xml"
    assert "/search?q={searchTerms}" in html(description) and "/api/search?q={searchTerms}" in html(description)


def test_home_shows_the_collection_at_a_glance_and_the_newest_additions(client):
    body = html(client.get("/?ui=en"))
    assert 'name="q"' in body and "The collection at a glance" in body
    for language in ("English", "German", "Spanish", "French"):
        assert f"<span>{language}</span>" in body
    for theme in ("Live", "Work", "Learn", "Connect", "Plan"):
        assert f'<span class="theme-name">{theme}</span>' in body
    assert "Newest additions" in body and "Nouvelles de Montréal" in body


def test_hits_carry_marked_snippets_and_page_links_into_the_pdf(client):
    body = html(client.get("/search?q=Bibliothek&ui=en"))
    hit = api(client, "/api/search?q=Bibliothek")["hits"][0]
    page = hit["pages"][0]["page"]
    assert f'href="/doc/{hit["id"]}/file#page={page}"' in body
    assert f'>p. {page}<span class="visually-hidden">' in body
    assert "<mark>Bibliothek</mark>" in body
    assert f'href="/doc/{hit["id"]}?q=Bibliothek&amp;ui=en"' in body


# --- facets, chips, year, sort, pages ---------------------------------------------------------------------


def test_facet_values_toggle_filters_or_within_a_facet_and_across_facets(web):
    body = html(web.get("/search?ui=en"))
    assert facet_count(body, "Live") == 2 and facet_count(body, "Report") == 2
    live = facet_link(body, "Live")
    assert "theme=Live" in live
    body = html(web.get(live))
    assert api(web, "/api/search?theme=Live")["total"] == 2
    # Within a facet, values are OR: ticking Work adds its documents, and counts ignore the facet's own filter.
    assert facet_count(body, "Work") == 1
    both = facet_link(body, "Work")
    assert api(web, both.replace("/search?", "/api/search?"))["total"] == 3
    # Across facets, AND: Live and Report is Berlin only.
    body = html(web.get(both))
    report = facet_link(body, "Report")
    result = api(web, report.replace("/search?", "/api/search?"))
    assert {hit["title"] for hit in result["hits"]} == {"Wohnen in Berlin", "Empleo en Madrid"}
    # Ticking a ticked value unticks it.
    body = html(web.get(report))
    assert "is-selected" in body and facet_link(body, "Report").count("type=report") == 0


def test_active_filters_show_as_chips_that_remove_themselves(web):
    body = html(web.get("/search?theme=Live&type=report&year=2010-2015&ui=en"))
    chips = [(href, text) for href, text in links_in(body) if "remove filter" in text]
    assert len(chips) == 3
    by_text = {text.split(" ×")[0]: href for href, text in chips}
    assert "theme=Live" not in by_text["Theme: Live"] and "type=report" in by_text["Theme: Live"]
    assert "year=" not in by_text["Year: 2010–2015"] and "theme=Live" in by_text["Year: 2010–2015"]
    assert "Clear all filters" in body


def test_year_histogram_links_each_year_and_the_range_form_makes_a_permalink(web):
    body = html(web.get("/search?ui=en"))
    bars = re.findall(r'<a href="([^"]*)" class="bar-link', body)
    years = [urllib.parse.parse_qs(urllib.parse.urlsplit(unescape(b)).query)["year"] for b in bars]
    assert years == [["2009"], ["2011"], ["2012"], ["2014"], ["2016"]]
    assert re.search(r'class="bar level-10"', body)  # the highest bar is full height, drawn by a class
    assert '<label for="year_from">From</label>' in body
    response = web.get("/search?q=&theme=Live&year_from=2010&year_to=2012")
    assert response.status_code == 302
    assert response.headers["Location"] == "/search?theme=Live&year=2010-2012"
    assert api(web, "/api/search?year=2010-2012")["total"] == 3
    assert web.get("/search?year_from=20x0").status_code == 400


def test_long_facet_lists_show_the_top_values_and_a_show_all_link(web):
    body = html(web.get("/search?ui=en"))
    section = body.split('id="facet-city"')[1].split("</section>")[0]
    assert section.count("data-extra") == len(CITIES) - 8
    assert "data-facet-filter" in section  # the JavaScript filter box attaches here
    show_all = re.search(r'<a class="show-all" href="([^"]*)"', section)
    assert show_all and "more=city" in unescape(show_all.group(1))
    expanded = html(web.get(unescape(show_all.group(1))))
    assert "data-extra" not in expanded.split('id="facet-city"')[1].split("</section>")[0]


def test_sort_orders_and_pagination_keep_the_query_string(web):
    years = [hit["year"] for hit in api(web, "/api/search?sort=year")["hits"] if hit["year"]]
    assert years == sorted(years, reverse=True)
    body = html(web.get("/search?sort=year_asc&per_page=2&ui=en"))
    assert '<option value="year_asc" selected>' in body
    next_link = unescape(re.search(r'<a rel="next" href="([^"]*)"', body).group(1))
    assert "sort=year_asc" in next_link and "page=2" in next_link and "per_page=2" in next_link
    page2 = html(web.get(next_link))
    assert 'aria-current="page">2</a>' in page2


def test_did_you_mean_offers_the_corrected_query_from_the_index(client):
    result = api(client, "/api/search?q=Bibliotek")
    assert result["did_you_mean"] == "Bibliothek"
    body = html(client.get("/search?q=Bibliotek&ui=en"))  # a question is searched corrected, and says so
    assert "Showing results for" in body and 'href="/search?q=Bibliothek&amp;ui=en"' in body
    body = html(client.get("/search?q=Bibliotek&exact=1&ui=en"))  # literal words are only offered the correction
    assert "Did you mean" in body and 'href="/search?q=Bibliothek&amp;exact=1' in body
    assert api(client, "/api/search?q=Bibliothek")["did_you_mean"] is None


def test_an_empty_result_explains_itself_and_offers_to_drop_each_filter(web):
    body = html(web.get("/search?theme=Work&city=Toronto&ui=en"))
    assert "No documents found" in body
    drops = {text: href for href, text in links_in(body) if text.startswith("Without")}
    assert "theme=Work" not in drops["Without Theme Work"] and "city=Toronto" in drops["Without Theme Work"]
    assert re.search(r"Without Theme Work</a>: 2 documents", body)  # Toronto and the many-cities essay
    assert re.search(r"Without City Toronto</a>: 1 document", body)
    body = html(web.get("/search?q=xylophonequartz&ui=en"))
    assert "No page of any document contains these words" in body


def test_unknown_facet_value_is_an_empty_result_not_an_error(web):
    response = web.get("/search?city=Atlantis&ui=en")
    assert response.status_code == 200 and "No documents found" in html(response)
    assert "Atlantis" in html(response)  # shown as a chip that can be removed


# --- document page ---------------------------------------------------------------------------------------


def test_document_page_links_each_facet_value_its_matching_pages_and_similar_documents(web):
    hits = api(web, "/api/search?q=newcomers&city=Toronto")["hits"]
    hit = next(h for h in hits if h["title"] == "Affordable Housing in Toronto")
    body = html(web.get(f"/doc/{hit['id']}?q=newcomers&ui=en"))
    assert 'href="/search?city=Toronto&amp;ui=en"' in body
    assert 'href="/search?theme=Live&amp;ui=en"' in body
    assert 'href="/search?type=profile&amp;ui=en"' in body
    assert "3 pages match" in body and body.count('class="page-link"') == 3
    assert f'href="/doc/{hit["id"]}/file#page=2"' in body
    similar = body.split('id="similar"')[1].split("</aside>")[0]
    assert "/doc/" in similar and f"/doc/{hit['id']}" not in similar
    twin = api(web, f"/api/doc/{hit['id']}?q=newcomers")
    assert [page["page"] for page in twin["pages"]] == [1, 2, 3]
    assert hit["id"] not in {other["id"] for other in twin["similar"]} and twin["similar"]
    assert web.get("/doc/0123456789abcdef").status_code == 404
    assert web.get("/api/doc/nope").get_json() == {"error": "no indexed document with id 'nope'"}


# --- interface languages ---------------------------------------------------------------------------------


def test_interface_language_follows_accept_language_then_the_switcher_and_its_cookie(web):
    web = web.application.test_client()  # a browser without the ui cookie
    german = web.get("/search?q=Wohnen", headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"})
    assert '<html lang="de">' in html(german) and "Suche eingrenzen" in html(german)
    switch = dict((text, href) for href, text in links_in(html(german)))
    assert switch["Français"] == "/search?q=Wohnen&ui=fr"  # the switcher keeps the query
    french = web.get(switch["Français"])
    assert '<html lang="fr">' in html(french) and "ui=fr" in french.headers["Set-Cookie"]
    later = web.get("/", headers={"Accept-Language": "de"})  # the cookie outranks the browser's language
    assert '<html lang="fr">' in html(later)
    web.get("/?ui=en")
    assert '<html lang="en">' in html(web.get("/"))


@pytest.mark.parametrize(
    ("ui", "country", "theme", "doc_type", "language"),
    [
        ("de", "Spanien", "Leben", "Bericht", "Englisch"),
        ("es", "España", "Vivir", "Informe", "Inglés"),
        ("fr", "Espagne", "Vivre", "Rapport", "Anglais"),
        ("en", "Spain", "Live", "Report", "English"),
    ],
)
def test_facet_values_are_shown_in_the_interface_language(web, ui, country, theme, doc_type, language):
    body = html(web.get(f"/search?ui={ui}"))
    for label in (country, theme, doc_type, language):
        assert facet_count(body, label) is not None, label
    assert f'<html lang="{ui}">' in body


# --- safety ----------------------------------------------------------------------------------------------


def test_hostile_titles_text_and_queries_are_escaped_everywhere(web):
    hit = api(web, "/api/search?q=Zanzibar")["hits"][0]
    assert "<script>" in hit["title"]
    pages = [
        web.get("/search?q=Zanzibar&ui=en"),
        web.get(f"/doc/{hit['id']}?q=Zanzibar"),
        web.get("/search?q=%22%3E%3Cimg+src%3Dx+onerror%3Dalert(1)%3E+Zanzibar"),
        web.get("/search?q=<script>alert(1)</script>"),
        web.get("/"),
    ]
    for page in pages:
        body = html(page)
        assert "<script>alert" not in body and "<img src=x" not in body and "<img src" not in body
        assert "&lt;script&gt;" in body or page.status_code == 400
    assert re.search(r"Zanzibar(</mark>)? marker &lt;script&gt;alert", html(pages[0]))  # the page text, escaped


def test_pages_have_a_strict_content_security_policy_and_no_inline_script_or_style(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp and "script-src" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template.name
        assert not re.search(r"\sstyle=|<style|\son[a-z]+=", text), template.name


@pytest.mark.parametrize(
    "query",
    [
        "q=x&page=-1",
        "q=x&page=abc",
        "year=abc",
        "year=2010-20x4",
        "sort=bogus",
        "lang=xx",
        "type=novel",
        "theme=Dance",
        "per_page=0",
        "q=" + "a" * 10000,
        "q=%22unbalanced",
        "q=(open",
    ],
)
def test_bad_parameters_get_a_400_page_or_json_error_never_a_500(client, query):
    page = client.get(f"/search?{query}")
    assert page.status_code == 400 and page.mimetype == "text/html"
    assert "Traceback" not in html(page) and 'role="alert"' in html(page)
    twin = client.get(f"/api/search?{query}")
    assert twin.status_code == 400 and set(twin.get_json()) == {"error"}


def test_odd_but_harmless_parameters_give_sensible_results(client):
    assert api(client, "/api/search?per_page=100000")["per_page"] == 100
    assert client.get("/search?q=AND OR NOT").status_code in (200, 400)
    assert client.get("/search?q=%00%ff").status_code in (200, 400)
    beyond = client.get("/search?page=999")  # past the last page: redirected to the last one
    assert beyond.status_code == 302 and "page=999" not in beyond.headers["Location"]


def test_server_errors_show_a_plain_message_without_a_traceback(session_index, monkeypatch):
    app = create_app({"INDEX_DIR": str(session_index)})
    import search_app.views

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(search_app.views, "search", broken)
    page = app.test_client().get("/search?q=x")
    assert page.status_code == 500 and "secret internals" not in html(page) and "Traceback" not in html(page)
    assert app.test_client().get("/api/search?q=x").get_json()["error"].startswith("Something went wrong")


def test_original_file_served_with_its_type_only_when_indexed(client):
    hit = client.get("/api/search?q=Bibliothek").get_json()["hits"][0]
    with client.get(f"/doc/{hit['id']}/file") as response:
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert response.headers["Content-Disposition"].startswith("inline")
        assert response.data.startswith(b"%PDF-")
    for bad in (
        "/doc/..%2F..%2Fetc%2Fpasswd/file",
        "/doc/../../etc/passwd/file",
        "/doc/%2Fetc%2Fpasswd/file",
        "/doc//etc/passwd/file",
        "/doc/unknown/file",
        "/doc/0123456789abcdef/file",
    ):
        assert client.get(bad).status_code == 404, bad


def test_html_and_markdown_from_the_collection_are_served_as_sandboxed_plain_text(web):
    for query, name in (("q=welcome page", "page.html"), ("q=welcome centres", "notes.md")):
        hit = next(h for h in api(web, f"/api/search?{query}&per_page=20")["hits"] if h["relpath"] == name)
        with web.get(f"/doc/{hit['id']}/file") as response:
            assert response.status_code == 200
            assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
            assert response.headers["Content-Security-Policy"].startswith("sandbox")


def test_a_symlink_pointing_out_of_the_collection_is_not_served(tmp_path):
    root, outside = tmp_path / "coll", tmp_path / "secret"
    root.mkdir()
    outside.mkdir()
    write_pdf(outside / "secret.pdf", [wrap(PROSE["en"])], title="Secret")
    write_pdf(root / "inside.pdf", [wrap(PROSE["en"])], title="Inside")
    (root / "link.pdf").symlink_to(outside / "secret.pdf")
    assert run_cli("index", root, "--index", tmp_path / "ix", "--jobs", "1").exit_code == 0
    client = create_app({"INDEX_DIR": str(tmp_path / "ix"), "TESTING": True}).test_client()
    hits = {hit["relpath"]: hit["id"] for hit in api(client, "/api/search")["hits"]}
    with client.get(f"/doc/{hits['inside.pdf']}/file") as response:
        assert response.status_code == 200
    assert "link.pdf" not in hits, "a link out of the collection is never indexed (tests/test_librarian_ingest.py)"
    link_id = hashlib.sha1(str(root / "link.pdf").encode()).hexdigest()[:16]
    assert client.get(f"/doc/{link_id}/file").status_code == 404


def test_a_reindex_is_seen_without_restarting_the_app(tmp_path):
    root = tmp_path / "coll"
    root.mkdir()
    write_pdf(root / "first.pdf", [wrap(PROSE["en"])], title="First")
    assert run_cli("index", root, "--index", tmp_path / "ix", "--jobs", "1").exit_code == 0
    client = create_app({"INDEX_DIR": str(tmp_path / "ix"), "TESTING": True}).test_client()
    assert api(client, "/api/search?q=quokka")["total"] == 0
    assert "1 document" in html(client.get("/?ui=en"))
    write_pdf(root / "second.pdf", [wrap("The quokka programme welcomes newcomers. " + PROSE["en"])], title="Quokka")
    assert run_cli("index", root, "--index", tmp_path / "ix", "--jobs", "1").exit_code == 0
    assert api(client, "/api/search?q=quokka")["total"] == 1
    assert "2 documents" in html(client.get("/?ui=en"))  # the home page's cache is per index generation


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
