"""Export a result list (the dict of ``indexer.search.search``) as CSV or RIS for spreadsheets and reference managers.

Pure functions: the caller says how a document's page is addressed (``doc_url``), so the
CLI can export paths and the web app absolute URLs.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from indexer.report.cite import csl_item
from indexer.report.cite import to_ris as cite_ris

MAX_EXPORT = 1000  # documents in one export: all pages of a result list, up to this many
CSV_COLUMNS = (
    "work",
    "id",
    "title",
    "year",
    "type",
    "language",
    "languages",
    "city",
    "country",
    "theme",
    "matching_pages",
    "pages_total",
    "url",
    "file",
)
DEFAULT_PUBLISHER = "Cities of Migration"  # cited as author where a document names no person
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _pages(hit: dict) -> list[int]:
    return sorted({page["page"] for page in hit.get("pages") or []})


def documents_of(result: dict) -> list[tuple[dict, dict]]:
    """(work's hit, document) for every document of a result: each matching language version of each hit,
    the one shown first (it carries the matching pages). Exports hold every document a result counts."""
    rows = []
    for hit in result["hits"]:
        rows.append((hit, hit))
        rows += [(hit, doc) for doc in hit.get("documents") or [] if doc["id"] != hit["id"]]
    return rows


def to_csv(result: dict, doc_url: Callable[[str], str]) -> str:
    """One row per document (language version) with the work it belongs to, its facets, the numbers of
    its matching pages and the URL of its document page."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for work, hit in documents_of(result):
        row = (
            work["id"],
            hit["id"],
            hit.get("title"),
            hit.get("year"),
            hit.get("doc_type"),
            hit.get("lang"),
            "; ".join(hit.get("langs") or []),
            "; ".join(hit.get("city") or []),
            "; ".join(hit.get("country") or []),
            "; ".join(hit.get("theme") or []),
            "; ".join(str(n) for n in _pages(hit)),
            hit.get("pages_total"),
            doc_url(hit["id"]),
            hit.get("relpath") or hit.get("path"),
        )
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()


def _ris_notes(result: dict, doc_url: Callable[[str], str]) -> dict[str, list[str]]:
    """RIS notes per document: its other language versions, and the pages that matched the query."""
    where = f" for the query {result['query']!r}" if result.get("query") else ""
    notes: dict[str, list[str]] = {}
    for work, hit in documents_of(result):
        lines = [
            f"Also in {version['lang']}: {version.get('title') or ''} ({doc_url(version['id'])})"
            for version in work.get("versions") or []
            if version["id"] != hit["id"]
        ]
        if _pages(hit):
            lines.append(f"Matching pages{where}: " + ", ".join(f"p. {n}" for n in _pages(hit)))
        notes[hit["id"]] = lines
    return notes


def to_ris(
    result: dict,
    doc_url: Callable[[str], str],
    file_url: Callable[[str], str] | None = None,
    publisher: str = DEFAULT_PUBLISHER,
) -> str:
    """One RIS record per document (written by ``cite``): type, title, authors (the document's ``author`` if
    it has one, else ``publisher``), year, language, keywords (cities, countries, themes), URL, its other
    language versions and the pages that matched the query in notes."""
    items = [
        csl_item(hit, doc_url(hit["id"]), publisher, file_url(hit["id"]) if file_url else None)
        for _, hit in documents_of(result)
    ]
    return cite_ris(items, _ris_notes(result, doc_url))
