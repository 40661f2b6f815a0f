"""Export a result list (the dict of ``indexer.search.search``) as CSV or RIS for spreadsheets and reference managers.

Pure functions: the caller says how a document's page is addressed (``doc_url``), so the
CLI can export paths and the web app absolute URLs.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

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
# RIS reference types: a report is a report; a profile or blog post is a web page (ELEC) or blog entry (BLOG).
RIS_TYPES = {"report": "RPRT", "profile": "ELEC", "blog": "BLOG", "essay": "GEN"}
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


def _ris_type(hit: dict) -> str:
    if hit.get("doc_type") in RIS_TYPES:
        return RIS_TYPES[hit["doc_type"]]
    path = (hit.get("relpath") or hit.get("path") or "").lower()
    return "RPRT" if path.endswith(".pdf") else "ELEC"


def _ris_value(value: object) -> str:
    return " ".join(str(value).split())  # a tag's value is one line


def to_ris(result: dict, doc_url: Callable[[str], str], file_url: Callable[[str], str] | None = None) -> str:
    """One RIS record per hit: type, title, year, language, keywords (cities, countries, themes), URL, and
    the pages that matched the query in a note."""
    lines: list[str] = []

    def tag(name: str, value: object) -> None:
        if value not in (None, ""):
            lines.append(f"{name}  - {_ris_value(value)}")

    for work, hit in documents_of(result):
        tag("TY", _ris_type(hit))
        tag("ID", hit["id"])
        tag("TI", hit.get("title") or "(untitled)")
        tag("PY", hit.get("year"))
        tag("LA", hit.get("lang"))
        for version in work.get("versions") or []:
            if version["id"] != hit["id"]:
                tag("N1", f"Also in {version['lang']}: {version.get('title') or ''} ({doc_url(version['id'])})")
        for keyword in [*(hit.get("city") or []), *(hit.get("country") or []), *(hit.get("theme") or [])]:
            tag("KW", keyword)
        tag("UR", doc_url(hit["id"]))
        if file_url:
            tag("L1", file_url(hit["id"]))
        pages = _pages(hit)
        if pages:
            where = f" for the query {result['query']!r}" if result.get("query") else ""
            tag("N1", f"Matching pages{where}: " + ", ".join(f"p. {n}" for n in pages))
        if hit.get("pages_total"):
            tag("N1", f"{hit['pages_total']} pages")
        lines.append("ER  - ")
        lines.append("")
    return "\r\n".join(lines)
