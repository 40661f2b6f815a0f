"""One document: its record, the pages that match a query, documents like it, and its file on disk."""

from __future__ import annotations

import re
from pathlib import Path

from whoosh.query import And, Or, Term

from indexer.explain import DocumentNotFound
from indexer.schema import content_field
from indexer.search import _highlighter, hit_summary, parse_query

SIMILAR = 5
MAX_MATCHING_PAGES = 100
KEY_TERMS = 15
KEY_TERM_CHARS = 60_000  # enough text to find a document's key terms; a 1,400-page PDF is not read whole
DOC_ID = re.compile(r"^[0-9a-f]{16}$")
FILE_TYPES = {".pdf": "application/pdf", ".txt": "text/plain", ".md": "text/markdown", ".markdown": "text/markdown"}
FILE_TYPES |= {".html": "text/html", ".htm": "text/html"}


def _fields(searcher, doc_id: str) -> dict:
    fields = searcher.document(id=doc_id, kind="doc") if DOC_ID.match(doc_id or "") else None
    if not fields:
        raise DocumentNotFound(f"no indexed document with id {doc_id!r}")
    return fields


def matching_pages(searcher, doc_id: str, q: str, limit: int = MAX_MATCHING_PAGES) -> list[dict]:
    """The pages of ``doc_id`` that match ``q``, in page order, each with a snippet (``<mark>``, escaped)."""
    if not (q or "").strip():
        return []
    page_query, _ = parse_query(searcher.schema, q)
    results = searcher.search(
        page_query, filter=And([Term("kind", "page"), Term("doc_id", doc_id)]), limit=limit, terms=True
    )
    results.highlighter = _highlighter()
    pages = []
    for hit in results:
        text = hit.get("text") or ""
        snippet = hit.highlights(content_field(hit["lang"]), text=text, top=2) if hit.get("lang") else ""
        pages.append({"page": hit["page"], "snippet": snippet, "score": round(hit.score, 4)})
    return sorted(pages, key=lambda page: page["page"])


def _page_text(searcher, doc_id: str) -> str:
    chunks, size = [], 0
    for fields in sorted(searcher.documents(doc_id=doc_id, kind="page"), key=lambda f: f.get("page") or 0):
        chunks.append(fields.get("text") or "")
        size += len(chunks[-1])
        if size >= KEY_TERM_CHARS:
            break
    return " ".join(chunks)[:KEY_TERM_CHARS]


def similar_documents(searcher, doc_id: str, limit: int = SIMILAR) -> list[dict]:
    """Documents that share the key terms of ``doc_id`` (its own language's field), best first, itself excluded."""
    fields = _fields(searcher, doc_id)
    lang = fields.get("lang")
    text = _page_text(searcher, doc_id)
    if not lang or not text.strip():
        return []
    field = content_field(lang)
    key_terms = searcher.key_terms_from_text(field, text, numterms=KEY_TERMS)
    if not key_terms:
        return []
    query = Or([Term(field, term, boost=weight) for term, weight in key_terms])
    results = searcher.search(query, filter=Term("kind", "page"), mask=Term("doc_id", doc_id), limit=500)
    doc_ids = searcher.reader().column_reader("doc_id")
    best: dict[str, float] = {}
    for score, docnum in results.top_n:
        other = doc_ids[docnum]
        best[other] = max(best.get(other, 0.0), score)
    similar = []
    for other in sorted(best, key=lambda d: (-best[d], d))[:limit]:
        stored = searcher.document(id=other, kind="doc")
        if stored:
            similar.append(hit_summary(stored, best[other]))
    return similar


def get_document(ix, doc_id: str, q: str = "") -> dict:
    """A document's record in the shape of a search hit, plus the pages matching ``q`` and similar documents.

    :param ix: an open index
    :param doc_id: the document's id (as in search hits)
    :param q: a query in search syntax; its matching pages are listed (raise BadQuery when malformed)
    """
    with ix.searcher() as searcher:
        fields = _fields(searcher, doc_id)
        document = hit_summary(fields)
        document |= {
            "query": q or "",
            "author": fields.get("author"),
            "date": fields.get("date"),
            "format": Path(fields.get("path") or "").suffix.lower().lstrip(".") or None,
            "file_name": Path(fields.get("relpath") or fields.get("path") or "").name,
            "size": fields.get("size"),
            "indexed_at": fields.get("indexed_at"),
            "pages": matching_pages(searcher, doc_id, q),
            "similar": similar_documents(searcher, doc_id),
        }
        return document


def _collection_root(path: Path, relpath: str | None) -> Path:
    """The folder the document was indexed under: its path less its path relative to that folder."""
    parts = Path(relpath or path.name).parts
    if len(parts) < len(path.parts) and path.parts[-len(parts) :] == parts:
        return Path(*path.parts[: -len(parts)])
    return path.parent


def document_file(ix, doc_id: str) -> tuple[Path, str]:
    """The original file of an indexed document and its content type, only when it is still inside its collection.

    The real path (symlinks resolved) must be a regular file under the real path of the folder it was indexed
    from, so a link from the collection to elsewhere on the disk is refused. Raise DocumentNotFound otherwise.
    """
    with ix.searcher() as searcher:
        fields = _fields(searcher, doc_id)
    path = Path(fields.get("path") or "")
    if not path.is_absolute():
        raise DocumentNotFound(f"document {doc_id!r} has no file on record")
    try:
        real = path.resolve(strict=True)
        root = _collection_root(path, fields.get("relpath")).resolve(strict=True)
    except (OSError, RuntimeError):
        raise DocumentNotFound(f"the file of document {doc_id!r} is no longer there") from None
    if not real.is_file() or not real.is_relative_to(root):
        raise DocumentNotFound(f"the file of document {doc_id!r} is outside the collection")
    return real, FILE_TYPES.get(path.suffix.lower(), "application/octet-stream")
