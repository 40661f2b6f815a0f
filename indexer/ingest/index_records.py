"""What a document becomes in the index: one document record, then one record per page.

The writer's loop (``indexer.ingest.writer``) decides *when* a document is
written, replaced or retagged; this module decides *what* is written, so the
fields of a record are set in one place whichever way it is reached: a new
extraction, a metadata change (``rewrite_doc_record``), or the librarian's
changes after a run (``stored_content``, used by ``apply_changes``).

Content fields are written from the terms the worker prepared
(``indexer.ingest.postings``) when every page has them in the language it is
indexed in, and the index's field analyses as the worker did; otherwise from
the text, as Whoosh analyses it. Both give the same postings.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator

from indexer.enrich.chain import FACET_NAMES, Facets
from indexer.enrich.metadata import Overrides
from indexer.ingest.discover import SourceFile
from indexer.ingest.librarian import health_fields
from indexer.ingest.pipeline import ExtractedDoc
from indexer.ingest.postings import TERMS_KEY, DocumentTerms, Prepared, accepts_prepared
from indexer.storage.records import split_values
from indexer.storage.schema import content_field, document_field
from indexer.text import join_pages


def facet_fields(extracted: Facets, overrides: Overrides | None) -> dict:
    """Index fields of a document's facets: the extracted values, overridden by the librarian's."""
    values = {name: getattr(extracted, name) for name in FACET_NAMES}
    evidence = {
        name: {value: list(reasons) for value, reasons in found.items()} for name, found in extracted.evidence.items()
    }
    if overrides:
        for name, value in overrides.values.items():
            values[name] = value
            if name in FACET_NAMES:
                shown = value if isinstance(value, list) else [value]
                evidence[name] = {str(v): [f"set by the librarian ({overrides.origin})"] for v in shown}
    fields = {name: ",".join(values[name]) for name in ("city", "country", "theme")}
    fields |= {"doc_type": values["doc_type"] or None, "evidence": evidence}
    if values["year"]:
        fields["year"] = int(values["year"])
    if overrides and overrides.values.get("title"):
        fields["title"] = overrides.values["title"]
    fields["overrides"] = (
        {"values": overrides.values, "origin": overrides.origin, "fingerprint": overrides.fingerprint()}
        if overrides
        else None
    )
    return fields


def _doc_record(doc: ExtractedDoc, overrides: Overrides | None) -> dict:
    source = doc.source
    title = doc.title or source.path.stem.replace("_", " ").replace("-", " ")
    extracted = doc.facets or Facets()
    record = {
        "id": source.doc_id,
        "doc_id": source.doc_id,
        "kind": "doc",
        "path": str(source.path),
        "relpath": source.relpath,
        "title": title,
        "pages": doc.pages,
        "lang": doc.lang,
        "langs": ",".join(doc.langs),
        "size": source.size,
        "mtime": source.mtime,
        "sha256": doc.sha256,
        "indexed_at": int(time.time()),
        "warnings": doc.warnings[:20],
        "author": doc.author,
        "date": doc.date,
        "extracted": {**extracted.to_dict(), "title": title},
    }
    return record | facet_fields(extracted, overrides) | health_fields(doc)


class _ContentValues:
    """Which value a content field gets: the worker's prepared terms when the index's field can take them."""

    def __init__(self, schema) -> None:
        self.schema = schema
        self.accepted: dict[str, bool] = {}

    def usable(self, lang: str, page: dict) -> bool:
        """True when ``page`` carries prepared terms in ``lang`` that this index's field ``lang`` accepts."""
        prepared = page.get(TERMS_KEY)
        if not prepared or prepared.get("lang") != lang:
            return False
        if lang not in self.accepted:
            self.accepted[lang] = accepts_prepared(self.schema, content_field(lang), lang)
        return self.accepted[lang]


def _page_records(doc: ExtractedDoc, values: _ContentValues) -> Iterator[dict]:
    page_cities = doc.facets.page_cities if doc.facets else {}
    ocr_pages = set(doc.scan.ocr)
    for page in doc.iter_pages():
        lang = doc.page_lang(page)
        record = {
            "id": f"{doc.source.doc_id}:{page['page']}",
            "doc_id": doc.source.doc_id,
            "kind": "page",
            "path": str(doc.source.path),
            "page": page["page"],
            "text": page["text"],
            "lang": lang,
            "langs": ",".join(doc.langs),
            "page_city": ",".join(page_cities.get(page["page"], [])),
            "ocr": page["page"] in ocr_pages,
        }
        if page["text"]:
            usable = values.usable(lang, page)
            record[content_field(lang)] = Prepared.of_page(page[TERMS_KEY]) if usable else page["text"]
        yield record


def document_content(pages: Iterable[tuple[str, str, list[str]]]) -> dict:
    """A document record's searchable text: every page, by language, and every page's cities.

    ``pages``: (language, text, cities) of each page in order. The document record holds the
    whole text so that AND, OR and NOT decide whether a *document* matches, and ranking scores
    documents; the page records still say which pages to show.
    """
    texts: dict[str, list[str]] = {}
    cities: set[str] = set()
    for lang, text, page_cities in pages:
        if text:
            texts.setdefault(lang, []).append(text)
        cities.update(page_cities)
    content = {document_field(lang): join_pages(parts) for lang, parts in texts.items()}
    return content | {"page_city": ",".join(sorted(cities))}


def _doc_content(doc: ExtractedDoc, values: _ContentValues) -> dict:
    """``document_content`` of an extracted document, from its pages' prepared terms when they all have them."""
    page_cities = doc.facets.page_cities if doc.facets else {}
    terms: dict[str, DocumentTerms] = {}
    cities: set[str] = set()
    for page in doc.iter_pages():
        cities.update(page_cities.get(page["page"], []))
        if not page["text"]:
            continue
        lang = doc.page_lang(page)
        if not values.usable(lang, page):
            return document_content(
                (doc.page_lang(page), page["text"], page_cities.get(page["page"], [])) for page in doc.iter_pages()
            )
        terms.setdefault(lang, DocumentTerms()).add(page[TERMS_KEY])
    content = {document_field(lang): found.value() for lang, found in terms.items()}
    return content | {"page_city": ",".join(sorted(cities))}


def stored_content(searcher, doc_id: str) -> dict:
    """The searchable text of an indexed document, rebuilt from its stored page records."""
    pages = sorted(searcher.documents(doc_id=doc_id, kind="page"), key=lambda fields: fields.get("page") or 0)
    return document_content(
        (fields.get("lang") or "en", fields.get("text") or "", split_values(fields.get("page_city")))
        for fields in pages
    )


def write_doc(writer, doc: ExtractedDoc, replace: bool, overrides: Overrides | None) -> None:
    """Write an extracted document's record and its pages' records (replacing the indexed ones when ``replace``)."""
    values = _ContentValues(writer.schema)
    if replace:
        writer.delete_by_term("doc_id", doc.source.doc_id)
    with writer.group():
        writer.add_document(**_doc_record(doc, overrides), **_doc_content(doc, values))
        for record in _page_records(doc, values):
            writer.add_document(**record)


def rewrite_doc_record(writer, stored: dict, overrides: Overrides | None, source: SourceFile | None = None) -> None:
    """Rewrite only a document's own record (new metadata, new mtime); its pages stay as they are."""
    extracted = dict(stored.get("extracted") or {})
    record = {key: value for key, value in stored.items() if key in writer.schema.names()}
    for name in ("city", "country", "theme", "doc_type", "year", "title", "overrides"):
        record.pop(name, None)
    record["title"] = extracted.pop("title", None) or stored.get("title")
    if source is not None:
        record |= {"size": source.size, "mtime": source.mtime}
    record |= facet_fields(Facets.from_dict(extracted), overrides)
    with writer.searcher() as searcher:
        record |= stored_content(searcher, stored["doc_id"])
    writer.update_document(**record)


def overrides_changed(stored: dict, overrides: Overrides | None) -> bool:
    """True when the librarian's metadata of a document differs from what its record was written with."""
    before = (stored.get("overrides") or {}).get("fingerprint")
    return before != (overrides.fingerprint() if overrides else None)
