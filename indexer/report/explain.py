"""Explain a document's facets: for each value, the evidence that chose it (words, pages, metadata).

Besides the values kept, ``rejected`` lists the candidates that were not: the
city names set aside (a person, a reference, an everyday word…) or named too
rarely to be a subject, and the themes that scored but fell short (off topic,
or too far behind the best theme), each with why.
"""

from __future__ import annotations

from pathlib import Path

from indexer.errors import DocumentNotFound
from indexer.storage.records import hit_summary

EXPLAINED = ("city", "country", "year", "theme", "doc_type")
REJECTED = ("city", "theme")  # facets whose rejected candidates are recorded ("city rejected" in the evidence)


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
        "rejected": {
            name: [{"value": v, "evidence": reasons} for v, reasons in evidence.get(f"{name} rejected", {}).items()]
            for name in REJECTED
        },
        "librarian": {"values": overrides.get("values"), "origin": overrides.get("origin")} if overrides else None,
        "warnings": fields.get("warnings") or [],
    }
