"""The web app through Flask's test client: search page, JSON twin, files, safety headers."""

import pytest

from search_app import create_app


@pytest.fixture
def client(session_index):
    return create_app({"INDEX_DIR": str(session_index), "TESTING": True}).test_client()


def test_search_page_links_its_json_twin_with_the_same_hits(client):
    page = client.get("/search?q=Einwanderer")
    assert page.status_code == 200
    assert 'rel="alternate"' in page.headers["Link"]
    twin = client.get("/api/search?q=Einwanderer").get_json()
    assert twin["total"] >= 1
    for hit in twin["hits"]:
        assert hit["title"] in page.get_data(as_text=True)


def test_query_is_escaped_and_bad_queries_get_400(client):
    page = client.get('/search?q="><img onerror=alert(1)>')
    body = page.get_data(as_text=True)
    assert "<img onerror" not in body
    assert page.status_code == 400 and "unbalanced quotation mark" in body
    assert client.get("/search?q=x&page=-1").status_code == 400
    assert client.get("/api/search?q=" + "a" * 10000).status_code == 400
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert "script-src" not in page.headers["Content-Security-Policy"]


def test_original_file_served_with_its_type_only_when_indexed(client):
    hit = client.get("/api/search?q=Bibliothek").get_json()["hits"][0]
    with client.get(f"/doc/{hit['id']}/file") as response:
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert response.data.startswith(b"%PDF-")
    assert client.get("/doc/..%2F..%2Fetc%2Fpasswd/file").status_code == 404
    assert client.get("/doc/unknown/file").status_code == 404


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
