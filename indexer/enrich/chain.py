"""Enrich an extracted document with its facets: places, year, themes and document type.

This is the step of the ingestion chain after language detection. It reads
the document's clean pages once, streaming, and returns ``Facets`` with the
evidence for every value, which ``citymig explain`` shows and the index
stores. Librarian metadata is applied afterwards, with the records
(``indexer.ingest.index_records.facet_fields``), so that changing only metadata.csv needs no extraction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field

from indexer.enrich.doctypes import document_type
from indexer.enrich.places import Gazetteer, document_places
from indexer.enrich.themes import ThemeLexicon, ThemeVote
from indexer.enrich.years import YearFinding, filename_year, mentioned_years, metadata_year, printed_year

FACET_NAMES = ("city", "country", "year", "theme", "doc_type")
REJECTED = "rejected"  # evidence key suffix for candidates that were not kept: "city rejected", "theme rejected"


@dataclass
class Facets:
    """A document's facet values, with the evidence for each value."""

    city: list[str] = field(default_factory=list)
    country: list[str] = field(default_factory=list)
    year: int | None = None
    theme: list[str] = field(default_factory=list)
    doc_type: str | None = None
    page_cities: dict[int, list[str]] = field(default_factory=dict)
    evidence: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """JSON-ready form (page numbers become strings, as JSON keys must)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Facets:
        """Inverse of ``to_dict``."""
        facets = cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})
        facets.page_cities = {int(k): v for k, v in facets.page_cities.items()}
        return facets

    def note(self, name: str, value: object, reason: str) -> None:
        """Record a reason for a facet value."""
        self.evidence.setdefault(name, {}).setdefault(str(value), []).append(reason)


@dataclass
class DocumentFacts:
    """What enrichment needs to know about a document besides its pages."""

    relpath: str
    title: str | None
    lang: str | None
    pages: int
    first_pages: list[str]  # raw text of the first pages, lines intact, for printed dates
    date: str | None = None  # the file's own date (PDF metadata, web page, front matter)
    date_source: str = "pdf"
    meta_title: str | None = None
    creator: str | None = None


def _year(facts: DocumentFacts, text_years: list[int]) -> YearFinding | None:
    return (
        printed_year(facts.first_pages)
        or metadata_year(facts.date, facts.date_source, facts.meta_title, facts.creator, text_years)
        or filename_year(facts.relpath)
    )


def enrich(facts: DocumentFacts, pages: Iterable[dict]) -> Facets:
    """Facets of a document from its clean pages ``{"page", "text", "lang"}``, read once."""
    facets = Facets()
    lexicon = ThemeLexicon.load()
    themes = ThemeVote()
    text_years: list[int] = []

    def each_page() -> Iterator[tuple[int, str]]:
        for page in pages:
            themes.add_page(page["page"], page["text"], page.get("lang") or facts.lang, lexicon)
            if len(text_years) < 5000:
                text_years.extend(mentioned_years(page["text"]))
            yield page["page"], page["text"]

    places = document_places(Gazetteer.load(), facts.title, each_page(), facts.lang)
    facets.city, facets.country, facets.page_cities = places.cities, places.countries, places.page_cities
    for value, reasons in places.evidence.items():
        facets.note(
            "country" if value in places.countries and value not in places.cities else "city", value, "; ".join(reasons)
        )

    for value, reasons in places.rejected.items():
        facets.note(f"city {REJECTED}", value, "; ".join(reasons))

    year = _year(facts, text_years)
    if year:
        facets.year = year.year
        facets.note("year", year.year, year.evidence)

    facets.theme = themes.themes()
    for theme in facets.theme:
        facets.note("theme", theme, themes.evidence(theme))
    for theme, reason in themes.rejected().items():
        facets.note(f"theme {REJECTED}", theme, reason)

    facets.doc_type, why = document_type(facts.relpath, facts.pages)
    facets.note("doc_type", facets.doc_type, why)
    return facets
