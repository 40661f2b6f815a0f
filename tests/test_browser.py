"""End to end: the real server (waitress) driven by Debian's Chromium through Playwright; axe-core audits.

Chromium is the system's (/usr/bin/chromium, installed by .ci/run); Playwright never downloads
a browser. axe-core comes from the npm registry into .cache/axe (by .ci/run, or here when missing).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.servers import serving
from tests.web_collection import build_question_collection, build_web_collection

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
AXE_DIR = REPO / ".cache" / "axe"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@contextmanager
def _serving(index_dir: Path, cwd: Path):
    """The real server (``citymig serve``) on a free loopback port over ``index_dir``; yields its base URL."""
    with serving(index_dir, cwd=cwd, tries=100) as (base, _):
        yield base


def _index(root: Path, tmp_path_factory) -> Path:
    index_dir = tmp_path_factory.mktemp("browserindex")
    assert run_cli("index", root, "--index", index_dir, "--jobs", "1").exit_code == 0
    return index_dir


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The real server over an index of the web collection."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium; .ci/run does)")
    index_dir = _index(build_web_collection(tmp_path_factory.mktemp("browsercoll")), tmp_path_factory)
    with _serving(index_dir, tmp_path_factory.mktemp("cwd")) as base:
        yield base


@pytest.fixture(scope="module")
def question_server(server, tmp_path_factory):
    """The real server over the question collection (practices in several cities, one in three languages)."""
    index_dir = _index(build_question_collection(tmp_path_factory.mktemp("questioncoll")), tmp_path_factory)
    with _serving(index_dir, tmp_path_factory.mktemp("cwd")) as base:
        yield base


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.csp_errors = []
    page.on("console", lambda msg: "Content Security Policy" in msg.text and page.csp_errors.append(msg.text))
    yield page
    context.close()


def _count(page, facet: str, label: str) -> int:
    item = page.locator(f"#values-{facet} a.facet-value", has=page.locator(".facet-label", has_text=label))
    return int(item.locator(".count").inner_text())


def test_search_tick_a_facet_remove_the_chip_switch_to_german_and_open_a_page(page, server):
    page.goto(server + "/")
    page.get_by_label("Search the collection").fill("newcomers")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=newcomers"))
    before = page.locator(".summary").inner_text()
    assert _count(page, "doc_type", "Blog post") >= 2

    page.locator("#values-theme a.facet-value", has_text="Live").click()
    page.wait_for_url(re.compile(r"theme=Live"))
    assert page.locator(".summary").inner_text() != before
    # The other facets now count within the filter: no blog post is about Live.
    assert page.locator("#values-doc_type .facet-label", has_text="Blog post").count() == 0
    assert page.locator("#values-theme .is-selected").count() == 1

    page.locator("a.chip").first.click()
    page.wait_for_url(lambda url: "theme=Live" not in url)
    assert page.locator(".summary").inner_text() == before

    page.get_by_role("link", name="Deutsch").click()
    page.wait_for_url(re.compile(r"ui=de"))
    assert page.locator("html").get_attribute("lang") == "de"
    assert "q=newcomers" in page.url and page.get_by_text("Suche eingrenzen").is_visible()

    link = page.locator("a.page-link").first
    href = link.get_attribute("href")
    assert re.fullmatch(r"/doc/[0-9a-f]{16}/file#page=\d+", href) and link.inner_text().startswith("S. ")
    response = page.request.get(server + href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
    with page.expect_response(lambda r: "/file" in r.url) as opened:
        try:
            link.click()
        except Exception:  # noqa: BLE001 - headless Chromium may download the PDF instead of showing it
            pass
    assert opened.value.status == 200 and opened.value.url == server + href.split("#")[0]
    assert page.csp_errors == []


def test_facets_work_by_keyboard_alone_and_the_filter_box_narrows_long_lists(page, server):
    page.goto(server + "/search?ui=en")
    assert page.locator("#values-city li:visible").count() == 8
    box = page.get_by_label("Filter City")
    box.fill("tur")
    assert page.locator("#values-city li:visible").all_inner_texts()[0].startswith("Turin")
    assert page.locator("#values-city li:visible").count() == 1
    box.fill("")
    page.locator("[data-show-all]").click()
    assert page.locator("#values-city li:visible").count() == 11

    seen = []
    for _ in range(80):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("document.activeElement.className"))
        if "facet-value" in seen[-1]:
            break
    else:
        pytest.fail("no facet value reachable with Tab")
    assert [name for name in seen if name][0] == "skip-link"  # the first stop is the skip link
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".chip").count() == 1
    assert page.csp_errors == []


def test_screenshots_of_the_search_page(page, server):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(server + "/search?q=newcomers&theme=Live&theme=Plan&ui=en")
    page.screenshot(path=str(ARTIFACTS / "search.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "search-mobile.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")  # no sideways scroll


def test_a_question_offers_only_its_city_and_the_filter_chip_appears(page, question_server):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(question_server + "/search?q=what+worked+in+Barcelona+with+volunteers&ui=en")
    everywhere = page.get_by_role("link", name="Search everywhere")
    assert everywhere.get_attribute("aria-current") == "page"
    assert [badge.split()[0] for badge in page.locator(".versions a.version").all_inner_texts()] == ["EN", "ES", "FR"]
    page.screenshot(path=str(ARTIFACTS / "question.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "question-mobile.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")  # no sideways scroll
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="Only Barcelona").click()
    page.wait_for_url(re.compile(r"city=Barcelona"))
    chip = page.locator("a.chip")
    assert chip.count() == 1 and "Barcelona" in chip.inner_text()
    assert page.get_by_role("link", name="Only Barcelona").get_attribute("aria-current") == "page"

    page.goto(question_server + "/search?q=what+worked+in+Madrid+housing+refugees&ui=en")
    page.screenshot(path=str(ARTIFACTS / "question-nearest.png"), full_page=True)
    page.locator(".understood").get_by_role("link", name="Seville").click()
    page.wait_for_url(re.compile(r"city=Seville"))
    assert page.locator("a.chip").inner_text().split()[:2] == ["City:", "Seville"]
    page.locator(".hit-title a").first.click()
    page.screenshot(path=str(ARTIFACTS / "doc-similar.png"), full_page=True)
    assert page.get_by_role("heading", name="Similar practices in other cities").is_visible()
    assert page.csp_errors == []


def _axe_source() -> str:
    found = os.environ.get("CITYMIG_AXE") or str(AXE_DIR / "node_modules" / "axe-core" / "axe.min.js")
    if not Path(found).is_file():
        npm = shutil.which("npm")
        if not npm:
            pytest.skip("axe-core is not installed and npm is not available to install it")
        subprocess.run(
            [npm, "install", "--prefix", str(AXE_DIR), "--no-audit", "--no-fund", "--silent", "axe-core@4"],
            check=True,
            timeout=300,
        )
    return Path(found).read_text(encoding="utf-8")


def test_axe_finds_no_serious_or_critical_violations(browser, server, question_server):
    axe = _axe_source()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(server + "/api/search?q=newcomers")
    doc_id = json.loads(page.inner_text("body"))["hits"][0]["id"]
    report = {}
    try:
        page.goto(question_server + "/api/search?q=Gerüchte")
        vienna = next(hit["id"] for hit in json.loads(page.inner_text("body"))["hits"] if "Wien" in hit["title"])
        questions = ["/search?q=what+worked+in+Barcelna+with+volunteers", "/search?q=what+worked+in+Madrid"]
        questions += ["/search?q=refugees+housing&ui=de", f"/doc/{vienna}"]
        urls = [server + url for url in ("/", "/search?q=newcomers&theme=Live", f"/doc/{doc_id}?q=newcomers")]
        urls += [server + "/search?q=Wohnen&ui=de"] + [question_server + url for url in questions]
        for url in urls:
            page.goto(url)
            page.add_script_tag(content=axe)
            result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
            report[url] = [
                {"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"]), "help": v["help"]}
                for v in result["violations"]
            ]
    finally:
        context.close()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "axe.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    serious = {url: [v for v in found if v["impact"] in ("serious", "critical")] for url, found in report.items()}
    assert not any(serious.values()), serious
