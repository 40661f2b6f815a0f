"""Explain a document's facets: for each value, the evidence that chose it (words, pages, metadata)."""

from __future__ import annotations

from pathlib import Path

from indexer.errors import DocumentNotFound
from indexer.storage.records import hit_summary

EXPLAINED = ("city", "country", "year", "theme", "doc_type")


def explain_document(ix, ref: str) -> dict:
    """Facet values of the document ``ref`` (its id, or its file path) with the evidence for each."""
    with ix.searcher() as searcher:
        fields = searcher.document(id=ref, kind="doc") or searcher.document(path=str(Path(ref).absolute()), kind="doc")
    if not fields:
        raise DocumentNotFound(
            "no indexed document with id or path %(value)s (ids are shown by `citymig search`)", value=repr(ref)
        )
    hit = hit_summary(fields)
    evidence = fields.get("evidence") or {}
    facets = {}
    for name in EXPLAINED:
        values = hit[name] if isinstance(hit[name], list) else [hit[name]] if hit[name] else []
        facets[name] = [{"value": v, "evidence": evidence.get(name, {}).get(str(v), [])} for v in values]
    overrides = fields.get("overrides") or {}
    return {
        "id": hit["id"],
        "title": hit["title"],
        "path": hit["path"],
        "lang": hit["lang"],
        "langs": hit["langs"],
        "facets": facets,
        "extracted": {name: (fields.get("extracted") or {}).get(name) for name in EXPLAINED},
        "librarian": {"values": overrides.get("values"), "origin": overrides.get("origin")} if overrides else None,
        "warnings": fields.get("warnings") or [],
    }
