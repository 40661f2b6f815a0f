"""One meaning everywhere: works, documents and pages counted, filtered, sorted and exported alike.

Each test reproduces a disagreement a new user found on the bundled collection
(the issue "One coherent search core") and checks it through the surfaces a
user meets: the Python API, the CLI, the JSON API and the HTML pages.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from indexer.search import SearchRequest, request_from_params, search
from indexer.storage.index import open_index
from indexer.text import fold
from search_app import create_app
from tests.conftest import run_cli, search_json
from tests.pdfs import PROSE, wrap, write_pdf

PAIRS = [("housing", "London"), ("integration", "employment"), ("school", "Toronto"), ("rumour", "Barcelona")]


@pytest.fixture(scope="module")
def ix(corpus_index):
    return open_index(corpus_index)


@pytest.fixture(scope="module")
def client(corpus_index):
    return create_app({"INDEX_DIR": str(corpus_index), "TESTING": True}).test_client()


def docs(ix, q: str, exact: bool = True, **filters) -> set[str]:
    """Ids of every document (language version) matching ``q``."""
    request = request_from_params({"q": [q], "exact": ["1" if exact else "0"], **{k: [v] for k, v in filters.items()}})
    request.per_page = 1000
    result = search(ix, request, cache=False)
    return {doc["id"] for hit in result["hits"] for doc in hit["documents"]}


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_boolean_operators_decide_per_document(ix, a, b):
    only_a, both, either, only_b = (
        docs(ix, f"{a} NOT {b}"),
        docs(ix, f"{a} AND {b}"),
        docs(ix, f"{a} OR {b}"),
        docs(ix, b),
    )
    assert docs(ix, a), f"{a} must match something for the test to mean anything"
    assert only_a | both == docs(ix, a) and not only_a & both
    assert len(either) == len(docs(ix, a)) + len(only_b) - len(both)
    assert docs(ix, f"{a} AND NOT {b}") == only_a


def test_not_narrows_and_excludes_documents_naming_the_word_on_any_page(ix):
    housing, without = docs(ix, "housing"), docs(ix, "housing NOT London")
    assert without < housing
    with ix.searcher() as searcher:
        for doc_id in without:
            texts = " ".join(f.get("text") or "" for f in searcher.documents(doc_id=doc_id, kind="page"))
            assert "london" not in fold(texts), doc_id


def test_a_phrase_still_stands_on_one_page(ix):
    with ix.searcher() as searcher:
        for doc_id in docs(ix, '"anti-rumour agents"'):
            pages = [fold(f.get("text") or "") for f in searcher.documents(doc_id=doc_id, kind="page")]
            assert any(re.search(r"anti.rumour agents", page) for page in pages)


def test_cli_and_json_api_count_the_same_documents_for_a_boolean_query(corpus_index, client):
    cli = search_json(corpus_index, "housing NOT London", "--exact")
    api = client.get("/api/search?q=housing+NOT+London&exact=1").get_json()
    assert (cli["total"], cli["documents"]) == (api["total"], api["documents"])
    assert api["documents"] == len(docs(open_index(corpus_index), "housing NOT London"))


def test_counts_say_what_they_count_on_every_surface(corpus_index, client):
    api = client.get("/api/search?q=what+worked+in+Barcelona").get_json()
    assert api["total"] < api["documents"], "works group language versions"
    assert sum(v["count"] for v in api["facets"]["lang"]) == api["documents"]
    page = client.get("/search?q=what+worked+in+Barcelona&ui=en").get_data(as_text=True)
    assert f"{api['total']} results · {api['documents']} documents" in " ".join(page.split())
    cli = run_cli("search", "what worked in Barcelona", "--index", corpus_index)
    assert f"{api['total']} results · {api['documents']} documents" in cli.output
    status = search_json_status(corpus_index)
    home = " ".join(client.get("/?ui=en").get_data(as_text=True).split())
    assert f"Search every page of {status['documents']} documents" in home
    assert status["works"] < status["documents"]


def search_json_status(index_dir) -> dict:
    import json

    result = run_cli("status", "--index", index_dir, "--json")
    return json.loads(result.output)


def test_a_facet_count_is_the_documents_of_the_search_with_that_value_ticked(client):
    base = client.get("/api/search?q=integration").get_json()
    for name, param in (("city", "city"), ("doc_type", "type"), ("lang", "lang")):
        for item in base["facets"][name][:4]:
            ticked = client.get(f"/api/search?q=integration&{param}={item['value']}").get_json()
            assert ticked["documents"] == item["count"], (name, item)


def test_sorting_by_year_follows_the_year_each_hit_shows(client):
    result = client.get("/api/search?sort=year&per_page=100&ui=en").get_json()
    years = [hit["year"] for hit in result["hits"] if hit["year"]]
    assert years == sorted(years, reverse=True)
    oldest = client.get("/api/search?sort=year_asc&per_page=100&ui=de").get_json()
    years = [hit["year"] for hit in oldest["hits"] if hit["year"]]
    assert years == sorted(years)


def test_sorting_by_title_ignores_case_and_accents(client):
    result = client.get("/api/search?sort=title&per_page=100&ui=fr").get_json()
    keys = [fold(hit["title"]).lstrip("\"'«»“”‘’¿¡([{-–—. ") for hit in result["hits"]]
    assert keys == sorted(keys)


@pytest.mark.parametrize("query", ["q=school&theme=Learn", "q=what+worked+in+Barcelona", "q=Integrationskurs"])
def test_shown_scores_are_in_rank_order(client, query):
    scores = [hit["score"] for hit in client.get(f"/api/search?{query}&per_page=50").get_json()["hits"]]
    assert scores and scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(
    ("param", "spellings"),
    [
        ("city", ["Munich", "München", "Múnich", "munchen", "Mu\u0308nchen"]),
        ("city", ["Vienna", "Wien", "Viena"]),
        ("city", ["Lisbon", "Lisboa", "Lisbonne", "Lissabon"]),
        ("country", ["DE", "Deutschland", "Germany", "Alemania", "allemagne"]),
        ("theme", ["Work", "Arbeiten", "trabajar", "Travailler"]),
        ("type", ["report", "Bericht", "Informe", "rapport"]),
        ("lang", ["de", "Deutsch", "German", "alemán"]),
    ],
)
def test_filters_accept_names_in_any_language_and_spelling(client, param, spellings):
    found = [client.get(f"/api/search?{param}={name}").get_json() for name in spellings]
    assert found[0]["documents"] > 0
    assert all(result["filters"] == found[0]["filters"] for result in found)
    assert all(result["documents"] == found[0]["documents"] for result in found)


def test_field_syntax_and_cli_options_take_the_same_names(corpus_index, client):
    api = client.get("/api/search?city=Vienna").get_json()
    assert client.get("/api/search?q=city:Wien").get_json()["documents"] == api["documents"]
    assert search_json(corpus_index, "--city", "Wien")["documents"] == api["documents"]
    assert (
        search_json(corpus_index, "--city", "Lissabon")["documents"]
        == client.get("/api/search?city=Lisbon").get_json()["documents"]
    )


def test_a_city_the_collection_does_not_hold_is_never_a_silent_zero(corpus_index, client):
    result = client.get("/api/search?city=K%C3%B6ln").get_json()
    assert result["total"] == 0 and result["filters"] == {"city": ["Cologne"]}
    (notice,) = result["notices"]
    assert notice["country"] == "DE" and "Munich" in notice["nearest"]
    page = client.get("/search?city=K%C3%B6ln&ui=en").get_data(as_text=True)
    assert "No document in the collection is about Cologne." in page and "/search?city=Munich" in page
    cli = run_cli("search", "--city", "Köln", "--index", corpus_index)
    assert "No document in the collection is about Cologne" in cli.output and "Munich" in cli.output


def test_an_unknown_filter_value_says_so_with_the_closest_known_values(corpus_index, client):
    response = client.get("/api/search?city=Barcelna")
    assert response.status_code == 400 and "Barcelona" in response.get_json()["error"]
    assert client.get("/api/search?theme=Wrok").status_code == 400
    assert "Work" in client.get("/api/search?theme=Wrok").get_json()["error"]
    result = run_cli("search", "--city", "Qwertzburg", "--index", corpus_index)
    assert result.exit_code == 2 and "unknown city 'Qwertzburg'" in result.output


@pytest.mark.parametrize(
    ("typed", "plain"),
    [("Mu\u0308nchen", "München"), ("inte\u200bgration", "integration"), ("hou\u200esing", "housing")],
)
def test_queries_are_normalised_before_anything_reads_them(client, typed, plain):
    a = client.get("/api/search", query_string={"q": typed}).get_json()
    b = client.get("/api/search", query_string={"q": plain}).get_json()
    assert a["documents"] == b["documents"] > 0
    assert [h["id"] for h in a["hits"]] == [h["id"] for h in b["hits"]]


@pytest.mark.parametrize("query", ["how to fight rumours about immigrants", "script", "Schritt für Schritt"])
def test_real_words_are_never_corrected(client, query):
    result = client.get("/api/search", query_string={"q": query}).get_json()
    assert result["did_you_mean"] is None
    assert not (result["understood"] or {}).get("corrections")
    page = client.get("/search", query_string={"q": query, "ui": "en"}).get_data(as_text=True)
    assert "Showing results for" not in page


@pytest.mark.parametrize(("typo", "meant"), [("Barcelna", "Barcelona"), ("housng", "housing")])
def test_typos_are_still_corrected(client, typo, meant):
    assert client.get(f"/api/search?q={typo}").get_json()["did_you_mean"] == meant


def test_munchen_without_its_accent_is_understood_as_munich(client):
    understood = client.get("/api/search?q=Munchen").get_json()["understood"]
    assert [p["name"] for p in understood["places"]] == ["Munich"]


@pytest.mark.parametrize("query", ["Barcelna", "what worked in Barcelona", "housing NOT London"])
def test_the_document_page_shows_the_pages_the_result_list_promised(client, query):
    hit = client.get("/api/search", query_string={"q": query}).get_json()["hits"][0]
    doc = client.get(f"/api/doc/{hit['id']}", query_string={"q": query}).get_json()
    assert {p["page"] for p in hit["pages"]} <= {p["page"] for p in doc["pages"]}
    assert doc["pages"]


def test_a_question_scaffolding_is_not_highlighted_on_the_document_page(client):
    hit = client.get("/api/search?q=what+worked+in+Barcelona").get_json()["hits"][0]
    doc = client.get(f"/api/doc/{hit['id']}?q=what+worked+in+Barcelona").get_json()
    marked = {fold(m) for page in doc["pages"] for m in re.findall(r"<mark>(.*?)</mark>", page["snippet"])}
    assert marked and not marked & {"work", "worked", "what"}


def test_a_document_page_lists_and_links_its_language_versions(client):
    hit = next(
        h for h in client.get("/api/search?q=anti-rumour&per_page=20").get_json()["hits"] if len(h["versions"]) > 2
    )
    page = client.get(f"/doc/{hit['id']}?ui=en").get_data(as_text=True)
    assert "This document in other languages" in page
    for version in hit["versions"]:
        if version["id"] != hit["id"]:
            assert f'href="/doc/{version["id"]}' in page
    assert {v["id"] for v in client.get(f"/api/doc/{hit['id']}").get_json()["versions"]} == {
        v["id"] for v in hit["versions"]
    }


def test_exports_hold_every_document_of_the_result(client):
    api = client.get("/api/search?city=Barcelona&per_page=100").get_json()
    expected = {doc["id"] for hit in api["hits"] for doc in hit["documents"]}
    assert len(expected) == api["documents"] > api["total"]
    rows = list(csv.DictReader(io.StringIO(client.get("/search.csv?city=Barcelona").get_data(as_text=True))))
    assert {row["id"] for row in rows} == expected and len(rows) == api["documents"]
    ris = client.get("/search.ris?city=Barcelona").get_data(as_text=True)
    assert ris.count("TY  - ") == api["documents"]


def test_a_literal_match_in_the_querys_language_outranks_translations(client):
    hits = client.get("/api/search?q=Integrationskurs").get_json()["hits"]
    assert "de" in hits[0]["langs"] and not hits[0]["via_translation"]
    translated = [i for i, h in enumerate(hits) if h["via_translation"]]
    literal = [i for i, h in enumerate(hits) if not h["via_translation"]]
    assert translated and max(literal) < min(translated)


def test_views_never_change_the_cached_result(ix, client):
    request = SearchRequest(q="what worked in Barcelona", ui_lang="en")
    before = search(ix, request)
    snapshot = repr(before)
    client.get("/search?q=what+worked+in+Barcelona&ui=en")
    client.get("/search?q=what+worked+in+Barcelona&ui=en")
    assert repr(search(ix, request)) == snapshot


@pytest.mark.parametrize("question", ["¿cómo abrir una cuenta bancaria?", "what worked in Barcelona?"])
def test_a_question_mark_ends_a_question_it_is_no_wildcard(client, question):
    result = client.get("/api/search", query_string={"q": question}).get_json()
    assert result["understood"] is not None and result["documents"] > 0
    assert client.get("/api/search", query_string={"q": "bancari?", "exact": "1"}).get_json()["documents"] > 0


def test_a_question_ranks_documents_holding_all_its_words_above_one_word_repeated(tmp_path):
    """Whole documents are scored: without coordination, a profile repeating one of the question's words in
    its title and text outranked the report answering both."""
    root = tmp_path / "collection"
    root.mkdir()
    repeated = " ".join(["Mentors meet newcomers every week and newcomers meet mentors."] * 6)
    write_pdf(root / "mentors.pdf", [wrap(repeated)], title="Newcomers and mentors: newcomers first")
    answer = (
        "The city council opened a housing office. Newcomers find a flat through it, and the office "
        "explains leases to tenants. " + PROSE["en"]
    )
    write_pdf(root / "housing.pdf", [wrap(answer)], title="A report on the city council")
    assert run_cli("index", root, "--index", tmp_path / "index", "--jobs", "1").exit_code == 0
    hits = search_json(tmp_path / "index", "housing for newcomers")["hits"]
    assert [Path(hit["path"]).name for hit in hits] == ["housing.pdf", "mentors.pdf"]


def test_a_translations_phrase_is_marked_only_where_its_words_stand_together(client):
    """'new arrival' and 'recent immigrant' are thesaurus phrases of 'newcomers': their words alone are no match."""
    hits = client.get("/api/search?q=housing+for+newcomers").get_json()["hits"]
    snippets = " ".join(page["snippet"] for hit in hits for page in hit["pages"])
    assert "<mark>New</mark> Zealand" not in snippets and "<mark>New</mark> York" not in snippets
    assert re.search(r"<mark>recent(ly)? (immigrants?|arrived)</mark>", snippets, flags=re.I)


def test_a_search_that_finds_nothing_counts_nothing_in_its_facets(client):
    """Facet counts are the documents of the same search with a value ticked: with no match, none."""
    result = client.get("/api/search?q=zzyzxq+AND+integration").get_json()
    assert result["documents"] == 0
    assert result["facets"] == {name: [] for name in result["facets"]}
