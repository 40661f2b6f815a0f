"""Stored fields of documents beyond a hit's summary (author, when indexed), read for exports and feeds."""

from __future__ import annotations

from collections.abc import Iterable

EXTRA_FIELDS = ("author", "date", "indexed_at")


def stored_extras(ix, doc_ids: Iterable[str], names: tuple[str, ...] = EXTRA_FIELDS) -> dict[str, dict]:
    """``{doc_id: {name: value}}`` for the stored fields ``names`` of each document record."""
    extras = {}
    with ix.searcher() as searcher:
        for doc_id in doc_ids:
            fields = searcher.document(id=doc_id, kind="doc") or {}
            extras[doc_id] = {name: fields.get(name) for name in names}
    return extras


def with_extras(ix, hits: list[dict], names: tuple[str, ...] = EXTRA_FIELDS) -> list[dict]:
    """Copies of ``hits`` with their stored ``names`` added (a hit of the result cache is never changed)."""
    extras = stored_extras(ix, [hit["id"] for hit in hits], names)
    return [hit | extras.get(hit["id"], {}) for hit in hits]
