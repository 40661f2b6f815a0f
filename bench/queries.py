"""Query latency through the Python API the web app uses (``indexer.search.search``).

Six kinds of query, drawn deterministically (seeded) from the index's own
page texts and facet values:

- ``terms``: one or two words of a page;
- ``phrase``: two adjacent words of a page, quoted;
- ``facets``: one word of a page with two filters (a theme of its document
  and its language), so all six facets are counted in three passes (one for the unfiltered facets, one
  per filtered facet, which ignores its own filter);
- ``city``: one word of a page filtered by a city of its document (or any
  city of the city facet when it has none);
- ``browse``: no query, results pages 1–3, every document counted;
- ``question``: a practitioner's question in the page's language
  ("what worked in Barcelona", "qué funcionó en Barcelona").

Every search counts every facet, as the web app's does.
"""

from __future__ import annotations

import random
import re
import time
from pathlib import Path

from bench.timing import latency_summary

KINDS = ("terms", "phrase", "facets", "city", "browse", "question")
THEMES = ("Live", "Work", "Learn", "Connect", "Plan")
FALLBACK_CITIES = ("Barcelona", "Toronto", "London", "Vienna", "Munich", "Auckland")
QUESTIONS = {
    "en": (
        "what worked in {city}",
        "how did {city} help newcomers find work",
        "what did {city} do for immigrant youth",
    ),
    "de": ("was hat in {city} funktioniert", "wie hilft {city} Zugewanderten bei der Arbeitssuche"),
    "es": ("qué funcionó en {city}", "cómo ayudó {city} a los inmigrantes a encontrar trabajo"),
    "fr": ("qu'est-ce qui a marché à {city}", "comment {city} aide les nouveaux arrivants à trouver un emploi"),
}
_WORD = re.compile(r"[^\W\d_]{5,}")
_PAIR = re.compile(r"([^\W\d_]{4,}) ([^\W\d_]{4,})")


def sample_pages(ix, count: int, rng: random.Random) -> list[dict]:
    """Stored fields of up to ``count`` random page records with some text."""
    pages: list[dict] = []
    with ix.searcher() as searcher:
        reader = searcher.reader()
        total = reader.doc_count_all()
        tries = 0
        while len(pages) < count and tries < count * 20:
            tries += 1
            number = rng.randrange(total)
            if reader.is_deleted(number):
                continue
            fields = reader.stored_fields(number)
            if fields.get("kind") == "page" and len(fields.get("text") or "") >= 400:
                doc = searcher.document(kind="doc", doc_id=fields["doc_id"]) or {}
                pages.append(
                    {
                        "text": fields["text"],
                        "lang": fields.get("lang") or "en",
                        "cities": [c for c in (doc.get("city") or "").split(",") if c],
                        "themes": [t for t in (doc.get("theme") or "").split(",") if t],
                    }
                )
    return pages


def facet_values(ix, name: str) -> list[str]:
    """Values of one facet in the whole collection, most frequent first (from a browse search)."""
    from indexer.search import SearchRequest, search

    try:
        result = search(ix, SearchRequest(q=""))
        return [str(v["value"]) for v in result.get("facets", {}).get(name, []) if v.get("value")]
    except Exception:  # noqa: BLE001 - a benchmark reports what it can
        return []


def build_queries(ix, per_kind: int, seed: int = 7) -> dict[str, list[dict]]:
    """``per_kind`` query specs of each kind: ``{"q", "filters", "page", "lang"}``."""
    rng = random.Random(seed)
    pages = sample_pages(ix, max(50, min(per_kind, 400)), rng)
    if not pages:
        raise RuntimeError("the index has no page with text to draw queries from")
    cities = facet_values(ix, "city")[:40] or list(FALLBACK_CITIES)
    queries: dict[str, list[dict]] = {kind: [] for kind in KINDS}
    for i in range(per_kind):
        page = pages[i % len(pages)]
        words = _WORD.findall(page["text"]) or ["integration"]
        lang = page["lang"] if page["lang"] in QUESTIONS else "en"
        one = rng.choice(words).lower()
        terms = one if rng.random() < 0.5 else f"{one} {rng.choice(words).lower()}"
        queries["terms"].append({"q": terms, "filters": {}, "lang": lang})
        pairs = _PAIR.findall(page["text"])
        phrase = " ".join(rng.choice(pairs)) if pairs else f"{one} {one}"
        queries["phrase"].append({"q": f'"{phrase.lower()}"', "filters": {}, "lang": lang})
        # Filters from the page's own document, so that most filtered queries find something.
        filters = {"theme": [rng.choice(page["themes"] or THEMES)], "lang": [lang]}
        queries["facets"].append({"q": rng.choice(words).lower(), "filters": filters, "lang": lang})
        city = rng.choice(page["cities"] or cities)
        queries["city"].append({"q": rng.choice(words).lower(), "filters": {"city": [city]}, "lang": lang})
        queries["browse"].append({"q": "", "filters": {}, "page": 1 + i % 3, "lang": lang})
        question = rng.choice(QUESTIONS[lang]).format(city=rng.choice(cities))
        queries["question"].append({"q": question, "filters": {}, "lang": lang})
    return queries


def make_request(spec: dict):
    """A SearchRequest for a spec; (request, note) where note says what the current API could not take."""
    from indexer.search import SearchRequest

    try:
        request = SearchRequest(
            q=spec["q"],
            page=spec.get("page", 1),
            per_page=10,
            filters=spec.get("filters") or {},
            year_from=None,
            year_to=None,
            sort="relevance",
        )
        return request, None
    except TypeError:
        pass
    try:
        return SearchRequest(q=spec["q"], page=spec.get("page", 1), per_page=10), "SearchRequest has no filters yet"
    except TypeError:
        return SearchRequest(q=spec["q"]), "SearchRequest takes only q"


def uncached_search():
    """``indexer.search.search`` with its result cache off when it has one: a benchmark measures the search."""
    import inspect

    from indexer.search import search

    if "cache" in inspect.signature(search).parameters:
        return lambda ix, request: search(ix, request, cache=False), "result cache off (cache=False)"
    return search, None


def run_citymig(index_dir: Path, queries: dict[str, list[dict]], budget_s: float = 120.0) -> dict:
    """Latency of every query kind through ``indexer.search.search``; each kind stops early past ``budget_s``."""
    from indexer.storage.index import open_index

    search, cache_note = uncached_search()
    ix = open_index(index_dir)
    results: dict[str, dict] = {}
    for kind, specs in queries.items():
        notes, errors, totals, seconds = set([cache_note] if cache_note else []), [], [], []
        for spec in specs[:5]:  # warm-up: caches, lazy imports
            try:
                search(ix, make_request(spec)[0])
            except Exception:  # noqa: BLE001, S112 - counted below
                pass
        kind_started = time.perf_counter()
        for spec in specs:
            request, note = make_request(spec)
            if note:
                notes.add(note)
            started = time.perf_counter()
            try:
                result = search(ix, request)
            except Exception as exc:  # noqa: BLE001 - reported with the figures
                errors.append(f"{type(exc).__name__}: {exc}"[:200])
                continue
            seconds.append(time.perf_counter() - started)
            totals.append(result.get("total", 0))
            if time.perf_counter() - kind_started > budget_s:
                notes.add(f"stopped after {len(seconds)} queries: time budget {budget_s:.0f} s")
                break
        results[kind] = {
            **latency_summary(seconds),
            "errors": len(errors),
            "first_error": errors[0] if errors else None,
            "mean_total": round(sum(totals) / len(totals), 1) if totals else None,
            "empty": sum(1 for t in totals if not t),
            "notes": sorted(notes),
            "example": specs[0] if specs else None,
        }
    return results
