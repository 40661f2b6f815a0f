"""One document: its record, the pages that match a query, documents like it, and its file on disk."""

from __future__ import annotations

import re
from pathlib import Path

from indexer.errors import DocumentNotFound
from indexer.query.builder import build
from indexer.query.similar import similar_documents
from indexer.query.translations import translation_groups
from indexer.search import best_pages
from indexer.storage.cache import per_generation
from indexer.storage.index import thread_searcher
from indexer.storage.records import file_notes, hit_summary
from indexer.text import normalize
from indexer.vocabulary import FORMATS

MAX_MATCHING_PAGES = 100
DOC_ID = re.compile(r"^[0-9a-f]{16}$")


def _fields(searcher, doc_id: str) -> dict:
    fields = searcher.document(id=doc_id, kind="doc") if DOC_ID.match(doc_id or "") else None
    if not fields:
        raise DocumentNotFound("no indexed document with id %(value)s", value=repr(doc_id))
    return fields


def matching_pages(ix, searcher, doc_id: str, q: str, understand: bool = True, limit: int = MAX_MATCHING_PAGES):
    """The pages of ``doc_id`` that match ``q`` as the result list reads it, in page order, with snippets."""
    built = build(ix, searcher, q, understand)
    pages = best_pages(ix, searcher, built, [doc_id], limit=limit).get(doc_id, [])
    return sorted(pages, key=lambda page: page["page"])


def get_document(ix, doc_id: str, q: str = "", ui_lang: str | None = None, understand: bool = True) -> dict:
    """A document's record in the shape of a search hit, plus the pages matching ``q`` and similar documents.

    :param ix: an open index
    :param doc_id: the document's id (as in search hits)
    :param q: a query in search syntax; its matching pages are listed (raise BadQuery when malformed)
    """
    with thread_searcher(ix) as searcher:
        fields = _fields(searcher, doc_id)
        groups = per_generation(ix, searcher, "translations", lambda: translation_groups(searcher))
        document = hit_summary(fields)
        document |= {
            "query": q or "",
            "author": fields.get("author"),
            "date": fields.get("date"),
            "format": Path(fields.get("path") or "").suffix.lower().lstrip(".") or None,
            "file_name": Path(fields.get("relpath") or fields.get("path") or "").name,
            "size": fields.get("size"),
            "indexed_at": fields.get("indexed_at"),
            "pages": matching_pages(ix, searcher, doc_id, normalize(q or ""), understand),
            "similar": similar_documents(searcher, doc_id, ui_lang=ui_lang, groups=groups),
            "versions": groups.get(doc_id, []),
            "library": file_notes(fields),
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
    with thread_searcher(ix) as searcher:
        fields = _fields(searcher, doc_id)
    path = Path(fields.get("path") or "")
    if not path.is_absolute():
        raise DocumentNotFound("document %(value)s has no file on record", value=repr(doc_id))
    try:
        real = path.resolve(strict=True)
        root = _collection_root(path, fields.get("relpath")).resolve(strict=True)
    except (OSError, RuntimeError):
        raise DocumentNotFound("the file of document %(value)s is no longer there", value=repr(doc_id)) from None
    if not real.is_file() or not real.is_relative_to(root):
        raise DocumentNotFound("the file of document %(value)s is outside the collection", value=repr(doc_id))
    fmt = FORMATS.get(path.suffix.lower())
    return real, fmt.media_type if fmt else "application/octet-stream"
