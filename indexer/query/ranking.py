"""Ranking: the score of a matching document, the preferences of a question, and every sort order's key.

Documents are scored by Whoosh's BM25F over their document record (title
and the whole text, per language). Then, for an understood question:

- a document scores in proportion to the share of the question's words and
  places it holds (``coordinate``, Lucene's classic coordination factor):
  with whole documents scored, one word repeated in a title otherwise
  outranks a document that answers every word of the question;
- a document on a theme the question names scores ``THEME_PREFERENCE`` times more;
- a document that matched *only* through thesaurus translations scores
  ``TRANSLATION_ONLY`` times less, so a literal match in the reader's or
  the query's language outranks a translated match of similar strength
  (``Integrationskurs`` finds the German document that says it first);
- documents mainly about a place the question names come first (``preferred``): the place is one
  of their first ``MAIN_PLACES`` cities or countries. A document's cities are stored ranked, most
  discussed first, so a profile is about its one or two cities while a survey report that
  discusses twenty is mainly about the few it comes back to most; for a place that is a minor
  subject of such a report (Turin in a report on municipal leadership), the report still matches
  on its words but does not jump ahead of the documents about that place.

Those two orders are kept by *lifting* scores, tier by tier (``lift``), so
the score shown beside a hit is the score it was ranked by, and shown scores
are always in rank order.

Sort keys are tuples, smaller first; titles sort folded (case and accents
ignored), documents without a year after those with one.
"""

from __future__ import annotations

from collections.abc import Callable

from indexer.storage.records import known_year, split_values
from indexer.text import fold

THEME_PREFERENCE = 1.25
MAIN_PLACES = 2  # a document is mainly about its first two cities (and first two countries)
TRANSLATION_ONLY = 0.5


def doc_facts(searcher) -> dict[str, tuple[str, set[str], set[str]]]:
    """Each document's title sort key, the places it is mainly about (its first cities and countries) and
    its themes, by doc_id."""
    facts = {}
    for fields in searcher.documents(kind="doc"):
        cities, countries = split_values(fields.get("city")), split_values(fields.get("country"))
        places = set(cities[:MAIN_PLACES]) | set(countries[:MAIN_PLACES])
        facts[fields["doc_id"]] = (title_key(fields.get("title")), places, set(split_values(fields.get("theme"))))
    return facts


def title_key(title: str | None) -> str:
    """A title as it sorts: folded, leading quotes and punctuation ignored."""
    folded = fold(title or "")
    return folded.lstrip("\"'«»“”‘’¿¡([{-–—. ")


def coordinate(scores: dict[str, float], matched: dict[str, int], concepts: int) -> None:
    """Scale each score (in place) by the share of the question's ``concepts`` its document ``matched``."""
    for doc_id in scores:
        scores[doc_id] *= matched.get(doc_id, 0) / concepts


def prefer(facts: dict, scores: dict[str, float], understood) -> set[str]:
    """Documents mainly about the question's places; documents on its themes get a higher score (in place)."""
    places, themes = set(understood.cities) | set(understood.countries), set(understood.themes)
    # A place the collection does not hold: its country's documents are the nearest answer.
    places |= {p.country for p in understood.places if p.kind == "city" and not p.in_collection}
    preferred = set()
    for doc_id in scores:
        _, doc_places, doc_themes = facts.get(doc_id, ("", set(), set()))
        if places & doc_places:
            preferred.add(doc_id)
        if themes & doc_themes:
            scores[doc_id] *= THEME_PREFERENCE
    return preferred


def lift(scores: dict[str, float], preferred: set[str], translated: set[str]) -> None:
    """Raise scores (in place) so that preferred documents rank above the others and, within each,
    literal matches above translation-only ones, each tier above the best score of every tier below it."""

    def tier(doc_id: str) -> int:
        return 2 * (doc_id not in preferred) + (doc_id in translated)

    floor = 0.0
    for level in (3, 2, 1, 0):
        members = [d for d in scores if tier(d) == level]
        if not members:
            continue
        for doc_id in members:
            scores[doc_id] += floor
        floor = max(scores[d] for d in members)


def sort_key(
    sort: str, scored: bool, scores: dict[str, float], facts: dict, column: Callable
) -> Callable[[str], tuple]:
    """The key that orders doc ids for ``sort``; ``column(name, doc_id)`` reads a sortable column.

    Relevance without a query (browsing) orders by title.
    """

    def title(doc_id: str) -> str:
        return facts[doc_id][0] if doc_id in facts else ""

    if sort == "relevance" and scored:
        return lambda d: (-scores[d], title(d), d)
    if sort in ("year", "year_asc"):
        sign = -1 if sort == "year" else 1

        def by_year(doc_id: str) -> tuple:
            year = known_year(column("year", doc_id))
            return (year is None, sign * (year or 0), title(doc_id), doc_id)  # no year: last

        return by_year
    if sort == "newest":
        return lambda d: (-(column("indexed_at", d) or 0), title(d), d)
    return lambda d: (title(d), d)
