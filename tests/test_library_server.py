"""The librarian's desk on the real server (``citymig serve``, waitress): login, reindex with server-sent
progress over HTTP, and /library audited with axe in Debian's Chromium."""

from __future__ import annotations

import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.library_collection import build_desk_collection
from tests.library_files import write_docx
from tests.pdfs import PROSE, write_prose_pdf
from tests.servers import serving
from tests.test_browser import ARTIFACTS, AXE_TAGS, CHROMIUM, CHROMIUM_ARGS, _axe_source

pytestmark = pytest.mark.slow
PASSWORD = "a long librarian passphrase"


@contextmanager
def _serving(index_dir: Path, root: Path, password_file: Path | None):
    """``citymig serve`` on a free loopback port, with the admin password from a file when given."""
    args = ["--collection", str(root)] + (["--admin-password-file", str(password_file)] if password_file else [])
    with serving(index_dir, *args, cwd=root.parent, tries=150) as (base, _):
        yield base


@pytest.fixture(scope="module")
def desk_server(tmp_path_factory):
    base_dir = tmp_path_factory.mktemp("deskserver")
    root, index_dir = build_desk_collection(base_dir)
    password_file = base_dir / "admin-password"
    password_file.write_text(PASSWORD + "\n", encoding="utf-8")
    with _serving(index_dir, root, password_file) as base:
        yield base, root


def _opener():
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def _token(opener, url: str) -> str:
    with opener.open(url, timeout=10) as response:
        return re.search(r'name="csrf_token" value="([^"]+)"', response.read().decode()).group(1)


def _post(opener, url: str, fields: dict, accept: str = "application/json"):
    request = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode(), headers={"Accept": accept})
    try:
        return opener.open(request, timeout=30)
    except urllib.error.HTTPError as error:
        return error


def test_reindex_over_http_pushes_progress_as_server_sent_events(desk_server):
    base, root = desk_server
    anonymous = _opener()
    with _post(anonymous, base + "/library/reindex", {}) as refused:
        assert refused.status == 401 and "Log in" in json.loads(refused.read())["error"]

    librarian = _opener()
    fields = {"password": PASSWORD, "csrf_token": _token(librarian, base + "/library/login")}
    with _post(librarian, base + "/library/login", fields, accept="text/html") as login:
        assert login.status == 200 and login.url.endswith("/library")  # redirected after login
    set_cookie = [c for c in librarian.handlers if isinstance(c, urllib.request.HTTPCookieProcessor)][0].cookiejar
    session = next(cookie for cookie in set_cookie if cookie.name == "session")
    assert session.has_nonstandard_attr("HttpOnly") and session.get_nonstandard_attr("SameSite") == "Strict"

    for number in range(3):  # new files, so the run has work to show
        write_prose_pdf(root / "reports" / f"new-{number}.pdf", "en", pages=2, title=f"New report {number}")
    token = _token(librarian, base + "/library")
    with _post(librarian, base + "/library/reindex", {"csrf_token": token}) as started:
        assert started.status == 202
    events = []
    with librarian.open(base + "/library/reindex/events", timeout=120) as stream:
        assert stream.headers["Content-Type"].startswith("text/event-stream")
        event = None
        for raw in stream:
            line = raw.decode().rstrip("\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: ") and event == "progress":
                events.append(json.loads(line[6:]))
            elif line.startswith("data: ") and event == "end":
                break
    final = events[-1]
    assert final["state"] == "finished" and final["total"] >= 4 and final["done"] == final["total"]
    assert [f["path"] for f in final["failures"]] == ["reports/broken.pdf", "reports/survey.pdf"]
    assert "added 3" in final["message"]
    with urllib.request.urlopen(base + "/api/search?q=%22New+report+2%22", timeout=10) as response:
        assert [hit["title"] for hit in json.loads(response.read())["hits"]][0] == "New report 2"


@pytest.fixture(scope="module")
def browser(desk_server):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium; .ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def test_library_page_in_the_browser_uploads_and_has_no_serious_axe_violations(browser, desk_server):
    base, root = desk_server
    axe = _axe_source()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    report = {}
    try:
        page.goto(base + "/library/login")
        page.get_by_label("Admin password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(re.compile(r"/library$"))
        page.get_by_role("button", name="Reindex now").click()  # library.js: fetch, then server-sent events
        progress = page.locator("#reindex-progress[data-state=finished]")
        progress.wait_for(timeout=120_000)
        assert re.search(r"finished: (\d+) / \1 files", progress.inner_text()), progress.inner_text()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "library.png"), full_page=True)

        bad = root.parent / "half.pdf"
        data = (root / "reports" / "toronto-2012.pdf").read_bytes()
        bad.write_bytes(data[: len(data) // 2])
        page.get_by_label("Folder").select_option(label="collection/reports")
        page.locator("#upload-file").set_input_files(str(bad))
        page.get_by_role("button", name="Upload").click()
        assert "cannot be indexed: truncated PDF" in page.locator("[role=alert]").inner_text()
        assert not (root / "reports" / "half.pdf").exists()
        page.goto(base + "/library")
        good = write_docx(root.parent / "Plan für Wien.docx", "Wien plant", [("Plan", "wombatplan " + PROSE["de"])])
        page.get_by_label("Folder").select_option(label="collection/web")
        page.locator("#upload-file").set_input_files(str(good))
        page.get_by_role("button", name="Upload").click()
        assert "Saved collection/web/Plan-für-Wien.docx. Reindexing now." in page.locator(".notice").first.inner_text()
        page.locator("#reindex-progress[data-state=finished]").wait_for(timeout=120_000)
        with urllib.request.urlopen(base + "/api/search?q=wombatplan", timeout=10) as response:
            assert [hit["relpath"] for hit in json.loads(response.read())["hits"]] == ["web/Plan-für-Wien.docx"]
        doc_link = page.locator("#group-damaged a", has_text="Explain").first.get_attribute("href")
        for url in ("/library", "/library?sort=date&ui=de", doc_link, "/library/login"):
            page.goto(base + url)
            page.add_script_tag(content=axe)
            result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
            report[url] = [
                {"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"]), "help": v["help"]}
                for v in result["violations"]
            ]
    finally:
        context.close()
    (ARTIFACTS / "axe-library.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    serious = {url: [v for v in found if v["impact"] in ("serious", "critical")] for url, found in report.items()}
    assert not any(serious.values()), serious
