"""/library and /api/library list every problem; admin actions need a password, a session and the form's token."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from indexer.ingest import ocr
from indexer.storage import prepared
from indexer.storage.index import open_index
from search_app import create_app
from tests.library_collection import SECRET, build_desk_collection
from tests.library_files import write_docx
from tests.pdfs import PROSE, write_prose_pdf

PASSWORD = "correct horse battery staple"
JSON = {"Accept": "application/json"}


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    return build_desk_collection(tmp_path_factory.mktemp("desk"))


def _app(index_dir: Path, **config):
    return create_app({"INDEX_DIR": str(index_dir), "TESTING": True, **config})


@pytest.fixture(scope="module")
def reader(desk):
    return _app(desk[1]).test_client()


def _groups(client) -> dict[str, list[dict]]:
    data = client.get("/api/library").get_json()
    return {group["key"]: group["files"] for group in data["problems"]}


def _names(entries: list[dict]) -> set[str]:
    return {Path(entry["relpath"]).name for entry in entries}


def test_api_library_lists_every_problem_of_the_collection(reader):
    groups = _groups(reader)
    assert _names(groups["failed"]) == {"broken.pdf"}
    assert "truncated PDF" in groups["failed"][0]["reason"] and "download or copy" in groups["failed"][0]["advice"]
    kinds = {Path(e["relpath"]).name: e["kind"] for e in groups["skipped"]}
    assert kinds == {"passwd.txt": "link_outside", "budget.xlsx": "unsupported", "toronto-copy.pdf": "duplicate"}
    damaged = groups["damaged"][0]
    assert Path(damaged["relpath"]).name == "survey.pdf" and damaged["state"] == "unreadable" and damaged["since"]
    scans = {Path(e["relpath"]).name: e for e in groups["scans"]}
    assert scans["mixed.pdf"]["pages"] == [2]
    assert scans["mixed.pdf"]["ocr_pages"] == ([2] if ocr.available() else [])
    assert _names(groups["repaired"]) == {"tex.pdf"}
    languages = {Path(e["relpath"]).name: e["detail"] for e in groups["language"]}
    assert languages["roadshow.pdf"].startswith("mixed") and languages["hola.txt"].startswith("uncertain")
    assert "toronto-2012.pdf" not in _names(groups["no_year"]) and "hola.txt" in _names(groups["no_year"])
    assert "toronto-2012.pdf" not in _names(groups["no_city"]) and "untitled.md" in _names(groups["no_city"])
    assert _names(groups["title_from_file_name"]) == {"untitled.md"}
    assert _names(groups["metadata"]) == {"note.docx"} and "Rotterdam" in groups["metadata"][0]["detail"]
    assert "web/missing.md" in groups["metadata_errors"][0]["detail"] or groups["metadata_errors"][0]["line"] == 3


def test_api_library_gives_figures_runs_and_sorts(reader):
    data = reader.get("/api/library?sort=type").get_json()
    figures = data["figures"]
    assert figures["documents"] == 8 and figures["pages"] >= 15
    assert 0 < figures["share_pages_with_text"] <= 1
    assert figures["facets"]["city"]["documents"] >= 2 and 0 < figures["facets"]["year"]["share"] < 1
    assert [run["failed"] for run in data["runs"][:2]] == [2, 1] and data["runs"][0]["skipped"] == 2
    formats = [entry["format"] for entry in next(g for g in data["problems"] if g["key"] == "no_city")["files"]]
    assert formats == sorted(formats)


def test_library_page_shows_each_group_with_links(reader):
    page = reader.get("/library").get_data(as_text=True)
    for title in (
        "Failed",
        "Skipped",
        "Damaged or changed on disk",
        "Pages without text (scans)",
        "Text repaired (glued words)",
        "Language uncertain or mixed",
        "No year",
        "No city",
        "Title taken from the file name",
        "Facets set by metadata.csv",
        "Rows of metadata.csv that could not be used",
    ):
        assert f">{title} <span" in page, title
    assert "reports/broken.pdf" in page and "link to a file outside the collection" in page
    assert re.search(r'href="/doc/[0-9a-f]{16}">Document', page) and "/library/explain/" in page
    assert "Admin actions are disabled" in page
    assert "Set-Cookie" not in reader.get("/library").headers, "reading the desk opens no session"
    assert SECRET not in page


def test_the_status_command_gives_the_same_data(desk, reader):
    import json

    from tests.conftest import run_cli

    result = run_cli("status", "--index", desk[1], "--json")
    assert result.exit_code == 0
    library = json.loads(result.output)["library"]
    assert [g["count"] for g in library["problems"]] == [
        g["count"] for g in reader.get("/api/library").get_json()["problems"]
    ]


def test_a_damaged_file_is_flagged_on_its_page_and_not_served(reader):
    doc_id = next(iter(_groups(reader)["damaged"]))["doc_id"]
    page = reader.get(f"/doc/{doc_id}").get_data(as_text=True)
    assert "The file on disk is unreadable since" in page and "truncated PDF" in page
    served = reader.get(f"/doc/{doc_id}/file")
    assert served.status_code == 409
    body = served.get_data(as_text=True)
    assert "damaged on disk" in body and not body.startswith("%PDF")
    hits = reader.get("/api/search?q=marimbaphone").get_json()["hits"]
    assert [hit["id"] for hit in hits] == [doc_id], "its last good text is still found"


def test_a_duplicate_is_one_document_listing_both_paths(reader):
    hits = reader.get("/api/search?q=newcomers+Toronto").get_json()["hits"]
    assert [hit["relpath"] for hit in hits].count("reports/toronto-2012.pdf") == 1
    assert "reports/toronto-copy.pdf" not in [hit["relpath"] for hit in hits]
    doc_id = next(hit["id"] for hit in hits if hit["relpath"] == "reports/toronto-2012.pdf")
    page = reader.get(f"/doc/{doc_id}").get_data(as_text=True)
    assert "reports/toronto-copy.pdf" in page


def test_explain_page_gives_the_evidence(reader):
    doc_id = _groups(reader)["metadata"][0]["doc_id"]
    page = reader.get(f"/library/explain/{doc_id}").get_data(as_text=True)
    assert "Rotterdam" in page and "set by the librarian" in page


def test_admin_actions_are_refused_without_a_password(reader):
    for action in ("/library/reindex", "/library/upload"):
        answer = reader.post(action, headers=JSON)
        assert answer.status_code == 403
        assert "no admin password is configured" in answer.get_json()["error"]
    assert reader.get("/library/login").status_code == 403


def _token(client, path: str = "/library/login") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


def _login(client) -> str:
    answer = client.post("/library/login", data={"password": PASSWORD, "csrf_token": _token(client)})
    assert answer.status_code == 303
    return _token(client, "/library")


@pytest.fixture
def admin_desk(tmp_path):
    root, index_dir = build_desk_collection(tmp_path)
    return root, index_dir, _app(index_dir, ADMIN_PASSWORD=PASSWORD).test_client()


def test_admin_actions_need_a_session_and_the_form_token(admin_desk):
    _, _, client = admin_desk
    assert client.post("/library/reindex", headers=JSON).status_code == 401
    assert client.post("/library/upload", headers=JSON).status_code == 401
    token = _token(client)
    wrong = client.post("/library/login", data={"password": "guess", "csrf_token": token})
    assert wrong.status_code == 401 and "not the admin password" in wrong.get_data(as_text=True)
    forged = client.post("/library/login", data={"password": PASSWORD, "csrf_token": "forged"})
    assert forged.status_code == 403
    _login(client)
    cookie = next(c for c in client._cookies.values() if c.key == "session")  # noqa: SLF001 - the browser's view
    assert cookie.http_only and cookie.same_site == "Strict"
    assert client.post("/library/reindex", headers=JSON).status_code == 403, "no CSRF token"
    assert client.post("/library/reindex", data={"csrf_token": "forged"}, headers=JSON).status_code == 403


def test_logins_are_rate_limited(admin_desk):
    _, _, client = admin_desk
    token = _token(client)
    statuses = [
        client.post("/library/login", data={"password": f"guess{i}", "csrf_token": token}).status_code for i in range(7)
    ]
    assert statuses[:5] == [401] * 5 and statuses[5:] == [429, 429]
    locked = client.post("/library/login", data={"password": PASSWORD, "csrf_token": token})
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0, "even the right password waits"


def test_upload_of_a_good_file_saves_it_and_reindex_makes_it_searchable(admin_desk):
    root, _, client = admin_desk
    token = _login(client)
    page = client.get("/library").get_data(as_text=True)
    assert 'value="0:web"' in page and "Reindex now" in page
    source = write_docx(root.parent / "upload.docx", "Capybara note", [("Mentors", PROSE["en"] + " capybaramentor")])
    answer = client.post(
        "/library/upload",
        data={"csrf_token": token, "folder": "0:web", "file": (io.BytesIO(source.read_bytes()), "../../Note Ü 1.docx")},
        headers=JSON,
    )
    assert answer.status_code == 201, answer.get_json()
    assert (root / "web" / "Note-Ü-1.docx").read_bytes() == source.read_bytes(), "the name is sanitised, the bytes kept"
    assert list(root.parent.rglob("Note*")) == [root / "web" / "Note-Ü-1.docx"], "nothing written elsewhere"
    started = client.post("/library/reindex", data={"csrf_token": token}, headers=JSON)
    assert started.status_code == 202
    job = client.application.extensions["citymig_reindexer"]
    job._thread.join(120)  # noqa: SLF001 - wait for the background run
    progress = client.get("/api/library/reindex").get_json()
    assert progress["state"] == "finished" and progress["done"] == progress["total"] >= 1
    hits = client.get("/api/search?q=capybaramentor").get_json()["hits"]
    assert [hit["relpath"] for hit in hits] == ["web/Note-Ü-1.docx"]
    index_dir = Path(client.application.config["INDEX_DIR"])
    with open_index(index_dir).searcher() as searcher:  # the new version's labels prepared for every worker
        assert prepared.written(index_dir, searcher)


def test_upload_of_a_bad_file_changes_nothing(admin_desk):
    root, _, client = admin_desk
    token = _login(client)
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    good = write_prose_pdf(root.parent / "g.pdf", "en", pages=1).read_bytes()
    cases = [
        ("truncated.pdf", good[: len(good) // 2], 400, "truncated PDF"),
        ("tool.exe", b"MZ\x90\x00", 400, "not a format the collection indexes"),
        ("empty.md", b"", 400, "is empty"),
        ("toronto-2012.pdf", good, 409, "already has a file named"),
    ]
    for name, data, status, words in cases:
        folder = "0:reports"
        answer = client.post(
            "/library/upload",
            data={"csrf_token": token, "folder": folder, "file": (io.BytesIO(data), name)},
            headers=JSON,
        )
        assert answer.status_code == status, (name, answer.get_json())
        assert words in answer.get_json()["error"] and "Nothing was changed" in answer.get_json()["error"]
    outside = client.post(
        "/library/upload",
        data={"csrf_token": token, "folder": "0:../outside", "file": (io.BytesIO(good), "x.pdf")},
        headers=JSON,
    )
    assert outside.status_code == 400 and "Choose one of the collection's folders" in outside.get_json()["error"]
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before


def test_the_operator_can_keep_the_desk_for_the_librarian(desk):
    client = _app(desk[1], ADMIN_PASSWORD=PASSWORD, LIBRARY_REQUIRES_LOGIN=True).test_client()
    assert client.get("/library").status_code == 401
    assert client.get("/api/library").status_code == 401
    _login(client)
    assert client.get("/api/library").status_code == 200


def _hit(client, q: str) -> dict:
    return client.get("/api/search", query_string={"q": q, "exact": "1"}).get_json()["hits"][0]


def test_document_json_holds_the_file_notes_the_document_page_shows(reader):
    survey = _hit(reader, "marimbaphone")
    notes = reader.get(f"/api/doc/{survey['id']}").get_json()["library"]
    assert notes["unreadable"]["since"] and "truncated" in notes["unreadable"]["reason"]
    assert "survey" in reader.get(f"/doc/{survey['id']}").get_data(as_text=True).lower()
    toronto = _hit(reader, '"welcome centres in toronto"')
    paths = reader.get(f"/api/doc/{toronto['id']}").get_json()["library"]["paths"]
    assert sorted(Path(p).name for p in paths) == ["toronto-2012.pdf", "toronto-copy.pdf"]


@pytest.mark.skipif(not ocr.available(), reason="Tesseract is not installed")
def test_a_page_read_by_ocr_says_so_in_the_result_json_and_list(reader):
    hit = _hit(reader, "Lyon")
    assert [page["ocr"] for page in hit["pages"]] == [True]
    assert reader.get(f"/api/doc/{hit['id']}").get_json()["library"]["ocr_pages"] == [2]
    assert "read by OCR" in reader.get("/search", query_string={"q": "Lyon", "exact": "1"}).get_data(as_text=True)
