"""CSV and RIS export of a result list: the pure functions and the /search.csv and /search.ris routes."""

from __future__ import annotations

import csv
import io

import pytest

from indexer.report.export import to_csv, to_ris
from search_app import create_app

RESULT = {
    "query": "housing",
    "hits": [
        {
            "id": "abc",
            "title": '=HYPERLINK("http://evil")',
            "relpath": "reports/a.pdf",
            "lang": "en",
            "langs": ["en", "de"],
            "year": 2012,
            "doc_type": "report",
            "city": ["Toronto", "Berlin"],
            "country": ["CA"],
            "theme": ["Live"],
            "pages_total": 20,
            "pages": [{"page": 12, "snippet": "…"}, {"page": 3, "snippet": "…"}],
        },
        {
            "id": "def",
            "title": "Post\nwith a line break",
            "relpath": "blog/p.md",
            "lang": "fr",
            "langs": ["fr"],
            "year": None,
            "doc_type": None,
            "city": [],
            "country": [],
            "theme": [],
            "pages_total": 1,
            "pages": [],
        },
    ],
}


def url(doc_id: str) -> str:
    return f"http://x/doc/{doc_id}"


def test_csv_has_one_row_per_hit_with_pages_and_no_formulas():
    rows = list(csv.DictReader(io.StringIO(to_csv(RESULT, url))))
    assert len(rows) == 2
    assert rows[0]["title"].startswith("'=")  # a spreadsheet shows it as text, never runs it
    assert rows[0]["matching_pages"] == "3; 12" and rows[0]["city"] == "Toronto; Berlin"
    assert rows[0]["url"] == "http://x/doc/abc" and rows[1]["year"] == ""


def test_ris_has_one_record_per_document_with_type_keywords_url_and_pages():
    records = to_ris(RESULT, url, lambda d: f"http://x/doc/{d}/file").split("ER  - ")
    first, second = records[0], records[1]
    assert len(records) == 3 and records[2].strip() == ""
    assert first.startswith("TY  - RPRT\r\n")
    for line in ("PY  - 2012", "LA  - en", "KW  - Toronto", "KW  - CA", "KW  - Live", "UR  - http://x/doc/abc"):
        assert line + "\r\n" in first
    assert "N1  - Matching pages for the query 'housing': p. 3, p. 12" in first
    assert "TY  - ELEC" in second and "TI  - Post with a line break" in second


@pytest.fixture(scope="module")
def client(session_index):
    return create_app({"INDEX_DIR": str(session_index), "TESTING": True}).test_client()


def test_export_routes_hold_every_document_of_every_page_of_the_result(client):
    total = client.get("/api/search?per_page=2").get_json()["documents"]  # a row per language version
    response = client.get("/search.csv?per_page=2&page=2")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    assert len(list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))) == total
    ris = client.get("/search.ris?q=Bibliothek&lang=de")
    assert ris.mimetype == "application/x-research-info-systems"
    body = ris.get_data(as_text=True)
    assert body.count("TY  - ") == client.get("/api/search?q=Bibliothek&lang=de").get_json()["documents"]
    assert "UR  - http://localhost/doc/" in body and "N1  - Matching pages" in body
    assert client.get("/search.csv?year=abc").status_code == 400
