"""End to end in Debian's Chromium: the map loads nothing from another host, the mobile filter jump and the
keyboard sort work, axe finds nothing serious on /map, a reading view and a document with its Cite box;
screenshots for review (test-artifacts/).

The real server (``citymig serve``) runs over an index of the bundled collection (real cities, blog posts
as HTML and Markdown).
"""

from __future__ import annotations

import json
import re
import urllib.parse
from pathlib import Path

import pytest

from tests.test_browser import ARTIFACTS, AXE_TAGS, CHROMIUM, CHROMIUM_ARGS, _axe_source, _index, _serving

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def corpus_server(tmp_path_factory):
    """The real server over an index of corpus/."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium; .ci/run does)")
    index_dir = _index(REPO / "corpus", tmp_path_factory)
    with _serving(index_dir, tmp_path_factory.mktemp("cwd")) as base:
        yield base


@pytest.fixture(scope="module")
def chromium(corpus_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _page(chromium, width: int = 1280, height: int = 900):
    context = chromium.new_context(viewport={"width": width, "height": height}, locale="en-GB")
    page = context.new_page()
    page.csp_errors = []
    page.on("console", lambda msg: "Content Security Policy" in msg.text and page.csp_errors.append(msg.text))
    return context, page


def _api(page, url: str) -> dict:
    return json.loads(page.request.get(url).text())


def _first_id(page, base: str, query: str, suffix: str) -> str:
    hits = _api(page, f"{base}/api/search?q={urllib.parse.quote(query)}&per_page=100")["hits"]
    return next(hit["id"] for hit in hits if (hit["relpath"] or "").endswith(suffix))


def test_the_map_draws_its_marks_without_any_request_to_another_host(chromium, corpus_server):
    ARTIFACTS.mkdir(exist_ok=True)
    context, page = _page(chromium)
    requested = []
    page.route("**/*", lambda route: (requested.append(route.request.url), route.continue_())[1])
    page.goto(corpus_server + "/map?ui=en")
    page.wait_for_load_state("networkidle")
    own = urllib.parse.urlsplit(corpus_server).netloc
    assert requested and {urllib.parse.urlsplit(url).netloc for url in requested} == {own}
    assert any(url.endswith("/map/world.svg") for url in requested)  # the outlines came from this site
    marks = page.locator("svg.places-map a.map-mark")
    places = _api(page, corpus_server + "/api/places")["places"]
    assert marks.count() >= len(places) > 10  # the world map, and the closer view of Europe
    box = page.locator("svg.places-map").first.bounding_box()
    assert box["width"] > 800 and box["height"] > 300
    page.screenshot(path=str(ARTIFACTS / "map.png"), full_page=True)
    # Badalona's small mark lies on Barcelona's (10 km apart): by keyboard, each mark is its own link.
    page.get_by_role("link", name=re.compile(r"^Barcelona, Spain: \d+ documents")).first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "city=Barcelona" in page.url and page.locator("a.chip").inner_text().split()[:2] == ["City:", "Barcelona"]
    assert page.csp_errors == []
    context.close()


def test_on_a_phone_the_filters_link_unfolds_the_filter_panel_and_goes_there(chromium, corpus_server):
    context, page = _page(chromium, 390, 844)
    page.goto(corpus_server + "/search?q=housing&ui=en")
    body = page.locator("#facets-body")
    body.wait_for(state="hidden")  # folded below the results on a narrow screen (by citymig.js)
    facets_top = page.evaluate("document.getElementById('facets').getBoundingClientRect().top")
    assert facets_top > 2000  # the filters are far down, after the results
    page.screenshot(path=str(ARTIFACTS / "search-mobile-folded.png"), full_page=False)
    page.get_by_role("link", name="Filters").click()
    body.wait_for(state="visible")
    page.wait_for_function("Math.abs(document.getElementById('facets').getBoundingClientRect().top) < 50")
    assert page.evaluate("document.activeElement.className") == "facets-toggle"
    assert page.evaluate("document.activeElement.getAttribute('aria-expanded')") == "true"
    page.screenshot(path=str(ARTIFACTS / "search-mobile-filters.png"), full_page=False)
    page.keyboard.press("Enter")  # the toggle folds the panel again
    body.wait_for(state="hidden")
    page.set_viewport_size({"width": 1280, "height": 900})
    body.wait_for(state="visible")  # wide screens always show the filters
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert page.csp_errors == []
    context.close()


def test_the_sort_menu_lets_a_keyboard_user_choose_before_it_applies(chromium, corpus_server):
    context, page = _page(chromium)
    page.goto(corpus_server + "/search?q=housing&ui=en")
    start = page.url
    page.locator("#sort").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(300)  # a submitting menu would have navigated by now
    assert page.url == start and page.locator("#sort").input_value() == "year_asc"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "sort=year_asc" in page.url and "q=housing" in page.url
    assert page.locator("#sort").input_value() == "year_asc"
    # The per-page menu: chosen by mouse, it applies at once.
    with page.expect_navigation():
        page.locator("#per_page").select_option("25")
    assert "per_page=25" in page.url and "sort=year_asc" in page.url
    assert page.locator("ol.hits > li").count() <= 25
    context.close()


def test_axe_finds_nothing_serious_on_the_map_the_reading_view_and_the_cite_box(chromium, corpus_server):
    axe = _axe_source()
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    post = _first_id(page, corpus_server, "antirrumores", ".md")
    pdf = _first_id(page, corpus_server, "Munich", ".pdf")
    urls = [
        "/map?ui=en",
        "/map?ui=de&country=DE",
        f"/doc/{post}/read?q=rumores&ui=es",
        f"/doc/{pdf}?ui=en",
        "/search?q=housing&ui=fr",
    ]
    report = {}
    try:
        for url in urls:
            page.goto(corpus_server + url)
            page.add_script_tag(content=axe)
            result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
            report[url] = [
                {"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"]), "help": v["help"]}
                for v in result["violations"]
            ]
            if url.startswith("/doc/") and "/read" not in url:
                page.screenshot(path=str(ARTIFACTS / "doc-cite.png"), full_page=True)
            if "/read" in url:
                assert page.locator(".reading-text mark").count() > 0
                assert page.locator(".reading-text script, .reading-text img").count() == 0
                page.screenshot(path=str(ARTIFACTS / "read.png"), full_page=True)
    finally:
        context.close()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "axe-discovery.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    serious = {url: [v for v in found if v["impact"] in ("serious", "critical")] for url, found in report.items()}
    assert not any(serious.values()), serious


def test_the_cite_box_copies_the_citation(chromium, corpus_server):
    context, page = _page(chromium)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=corpus_server)
    pdf = _first_id(page, corpus_server, "Munich", ".pdf")
    page.goto(f"{corpus_server}/doc/{pdf}?ui=de")
    assert page.locator('meta[name="citation_title"]').count() == 1
    button = page.get_by_role("button", name="Zitat kopieren")
    button.click()
    page.wait_for_function("document.querySelector('[data-copy=cite-apa]').textContent === 'Kopiert'")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#cite-apa").inner_text().strip() and "(20" in copied
    assert "München" in page.locator(".metadata").inner_text()
    context.close()
