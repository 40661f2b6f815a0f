"""Document records as stored in the index, and their codec: what a stored field means when read back.

Multi-valued facets are stored comma-separated (Whoosh KEYWORD with
``commas=True``); a document without a year holds the numeric column's
filler, which is not a year. Every reader of stored fields goes through
here, so no caller decodes them its own way.
"""

from __future__ import annotations

from datetime import UTC, datetime

MIN_YEAR, MAX_YEAR = 1000, 9999


def known_year(value: object) -> int | None:
    """A year column value, or None for a document without a year (whose column holds a filler)."""
    return value if isinstance(value, int) and MIN_YEAR <= value <= MAX_YEAR else None


def term_text(raw: str | bytes) -> str:
    """A term's text as str: Whoosh gives lexicon entries and matched terms as UTF-8 bytes."""
    return raw.decode("utf-8") if isinstance(raw, bytes) else raw


def split_values(value: str | None) -> list[str]:
    """Values of a comma-separated facet field."""
    return [part for part in (value or "").split(",") if part]


def hit_summary(fields: dict, score: float | None = None, pages: list[dict] | None = None) -> dict:
    """A document's stored fields in the JSON shape of a search hit."""
    return {
        "id": fields["doc_id"],
        "title": fields.get("title"),
        "path": fields.get("path"),
        "relpath": fields.get("relpath"),
        "lang": fields.get("lang"),
        "langs": split_values(fields.get("langs")),
        "year": fields.get("year") or None,
        "doc_type": fields.get("doc_type"),
        "city": split_values(fields.get("city")),
        "country": split_values(fields.get("country")),
        "theme": split_values(fields.get("theme")),
        "pages_total": fields.get("pages"),
        "score": round(score, 4) if score is not None else None,
        "pages": pages or [],
    }


def file_notes(fields: dict) -> dict:
    """What a reader or librarian should know about a document's file, from its record: unreadable since when
    and why, the paths of its copies, the pages read by OCR, the pages without text, and whether OCR was missing."""
    health = fields.get("health") or {}
    unreadable = fields.get("unreadable")
    since = unreadable and datetime.fromtimestamp(unreadable["since"], UTC).isoformat(timespec="seconds")
    return {
        "unreadable": {"since": since, "reason": unreadable.get("reason")} if unreadable else None,
        "paths": [fields.get("relpath")] + [copy["relpath"] for copy in fields.get("duplicates") or []],
        "ocr_pages": health.get("ocr_pages") or [],
        "textless_pages": health.get("textless_pages") or [],
        "ocr_unavailable": bool(health.get("ocr_unavailable")),
    }
