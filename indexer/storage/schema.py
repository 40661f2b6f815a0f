"""The Whoosh schema: one record per document followed by one record per page.

Page records carry their document's id (a sortable column) and the cities
they mention; facets live on document records, where filters and counts
apply, so a metadata change rewrites one record per document. Page text is
indexed with the analyzer of the page's language (Snowball stemming and
stopwords), each language in its own field, so stems never cross languages.

A document record holds its whole text per language too, in fields of its
own (``document_field``), not in the page fields: a document query's
postings then hold one entry per document, not one per page, so ranking
documents costs what the documents cost, and BM25's length statistics are
those of documents.
"""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from indexer.text import content_analyzer, title_analyzer
from indexer.vocabulary import LANGUAGES

SCHEMA_VERSION = 7  # 7: documents' text in fields of their own; 6: health, duplicates, unreadable, OCR


def content_field(lang: str) -> str:
    """Name of the field that holds page text in ``lang``."""
    return f"content_{lang}"


def document_field(lang: str) -> str:
    """Name of the field of document records that holds a document's whole text in ``lang``."""
    return f"document_{lang}"


def build_schema() -> Schema:
    """The schema of a citymig index."""
    fields = {
        "id": ID(stored=True, unique=True),
        "doc_id": ID(stored=True, sortable=True),
        "kind": ID(stored=True),  # "doc" or "page"
        "path": ID(stored=True),
        "relpath": STORED(),
        "title": TEXT(stored=True, analyzer=title_analyzer(), field_boost=2.0),
        "page": NUMERIC(stored=True),
        "pages": NUMERIC(stored=True),
        "text": STORED(),
        "lang": ID(stored=True, sortable=True),
        "langs": KEYWORD(stored=True, commas=True, scorable=False),
        "year": NUMERIC(stored=True, sortable=True),
        "doc_type": ID(stored=True, sortable=True),
        "city": KEYWORD(stored=True, commas=True),
        "page_city": KEYWORD(stored=True, commas=True),  # page records: the cities the page mentions
        "country": KEYWORD(stored=True, commas=True),
        "theme": KEYWORD(stored=True, commas=True),
        "size": STORED(),
        "mtime": STORED(),
        "sha256": STORED(),
        "indexed_at": NUMERIC(stored=True, sortable=True),
        "warnings": STORED(),
        "author": STORED(),
        "date": STORED(),
        "extracted": STORED(),  # facets as extracted, before the librarian's metadata
        "evidence": STORED(),  # why each facet value was chosen (citymig explain)
        "overrides": STORED(),  # the librarian's values and their origin, with a fingerprint
        "health": STORED(),  # how sure the extraction is: pages without text, OCRed pages, glued, language, title
        "duplicates": STORED(),  # other paths holding the same bytes: [{"path", "relpath", "size", "mtime"}]
        "unreadable": STORED(),  # the file on disk no longer reads: {"since", "reason"}; its last text stays
        "ocr": STORED(),  # page records: True when the page's words were read by Tesseract
    }
    for lang in LANGUAGES:
        fields[content_field(lang)] = TEXT(analyzer=content_analyzer(lang), phrase=True, spelling=True)
        fields[document_field(lang)] = TEXT(analyzer=content_analyzer(lang), phrase=True)
    return Schema(**fields)
