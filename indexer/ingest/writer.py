"""Write the index: incremental runs, parallel extraction, one writer, periodic commits.

Crash safety comes from Whoosh: a commit writes new segment files and then
atomically replaces the table of contents, so a run killed at any moment
leaves the last committed state. The fingerprint of every indexed file
(size, mtime, SHA-256) is stored in the index itself, so the next run knows
exactly what was committed and redoes only the rest, without duplicates.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path

from filelock import FileLock
from whoosh import index as whoosh_index

from indexer.config import IndexConfig
from indexer.enrich.chain import FACET_NAMES, Facets
from indexer.enrich.metadata import Metadata, Overrides, read_metadata
from indexer.ingest.discover import SourceFile, discover
from indexer.ingest.librarian import (
    Copies,
    acquire_lock,
    append_history,
    apply_changes,
    clear_lock_holder,
    health_fields,
    write_lock_holder,
)
from indexer.ingest.pipeline import ExtractedDoc, Failed, Unchanged, process_file
from indexer.storage.index import INDEX_NAME, LOCK_FILE, RUN_REPORT, index_exists
from indexer.storage.records import split_values
from indexer.storage.schema import build_schema, content_field, document_field
from indexer.text import join_pages


@dataclass
class RunReport:
    """What an indexing run did, file by file where it matters."""

    started: float = field(default_factory=time.time)
    finished: float | None = None
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    metadata_updated: int = 0  # documents whose librarian metadata changed, updated without extraction
    pages: int = 0
    failed: list[dict] = field(default_factory=list)
    metadata_errors: list[dict] = field(default_factory=list)  # rows of metadata.csv that could not be used
    warnings: list[dict] = field(default_factory=list)
    glued_pages_repaired: int = 0
    skipped: list[dict] = field(default_factory=list)  # found but not read: unsupported formats, links out
    duplicates: int = 0  # files that repeat an indexed document byte for byte (kept as its other paths)
    roots: list[str] = field(default_factory=list)  # the folders indexed (the web app reindexes these)

    @property
    def seconds(self) -> float:
        """Wall-clock duration of the run."""
        return round((self.finished or time.time()) - self.started, 2)

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {**asdict(self), "seconds": self.seconds}


def _open_or_create(index_dir: Path):
    index_dir.mkdir(parents=True, exist_ok=True)
    if index_exists(index_dir):
        return whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
    return whoosh_index.create_in(str(index_dir), build_schema(), indexname=INDEX_NAME)


def _write_run_report(index_dir: Path, report: RunReport) -> None:
    target = Path(index_dir) / RUN_REPORT
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(report.to_dict(), indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, target)  # atomic: status never reads half a report
    append_history(index_dir, report.to_dict())


def indexed_files(searcher) -> dict[str, dict]:
    """Stored fields of every indexed document, by absolute path."""
    return {fields["path"]: fields for fields in searcher.documents(kind="doc")}


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


def _page_lang(doc: ExtractedDoc, page: dict) -> str:
    """The language a page is indexed in: its own when it is one of the document's, else the document's."""
    # A short page's own guess is noise; a page in another of the document's languages keeps it.
    return page["lang"] if page["lang"] in doc.langs and len(page["text"]) >= 200 else doc.lang


def _page_records(doc: ExtractedDoc) -> Iterator[dict]:
    page_cities = doc.facets.page_cities if doc.facets else {}
    ocr_pages = set(doc.scan.ocr)
    for page in doc.iter_pages():
        lang = _page_lang(doc, page)
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
            record[content_field(lang)] = page["text"]
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


def _doc_content(doc: ExtractedDoc) -> dict:
    page_cities = doc.facets.page_cities if doc.facets else {}
    return document_content(
        (_page_lang(doc, page), page["text"], page_cities.get(page["page"], [])) for page in doc.iter_pages()
    )


def _stored_content(searcher, doc_id: str) -> dict:
    """The searchable text of an indexed document, rebuilt from its stored page records."""
    pages = sorted(searcher.documents(doc_id=doc_id, kind="page"), key=lambda fields: fields.get("page") or 0)
    return document_content(
        (fields.get("lang") or "en", fields.get("text") or "", split_values(fields.get("page_city")))
        for fields in pages
    )


def _write_doc(writer, doc: ExtractedDoc, replace: bool, overrides: Overrides | None) -> None:
    if replace:
        writer.delete_by_term("doc_id", doc.source.doc_id)
    with writer.group():
        writer.add_document(**_doc_record(doc, overrides), **_doc_content(doc))
        for record in _page_records(doc):
            writer.add_document(**record)


def _rewrite_doc_record(writer, stored: dict, overrides: Overrides | None, source: SourceFile | None = None) -> None:
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
        record |= _stored_content(searcher, stored["doc_id"])
    writer.update_document(**record)


def _overrides_changed(stored: dict, overrides: Overrides | None) -> bool:
    before = (stored.get("overrides") or {}).get("fingerprint")
    return before != (overrides.fingerprint() if overrides else None)


def _run_tasks(tasks: list[tuple[SourceFile, str | None]], config: IndexConfig, spool_dir: str) -> Iterator:
    """Yield the result of ``process_file`` for every task: on the Dask cluster, or here, in parallel when jobs > 1."""
    if config.scheduler and tasks:
        from indexer.ingest.cluster import run_on_cluster

        yield from run_on_cluster(tasks, config.scheduler, spool_dir, config.file_timeout)
        return
    if config.jobs == 1 or len(tasks) <= 1:
        for source, known in tasks:
            yield process_file(source, known, spool_dir, config.file_timeout)
        return
    pending = list(reversed(tasks))
    while pending:
        with ProcessPoolExecutor(max_workers=config.jobs) as pool:
            running = {}
            try:
                while pending or running:
                    while pending and len(running) < 2 * config.jobs:
                        source, known = pending.pop()
                        future = pool.submit(process_file, source, known, spool_dir, config.file_timeout)
                        running[future] = source
                    done, _ = wait(running, return_when=FIRST_COMPLETED)
                    for future in done:
                        source = running.pop(future)
                        yield future.result()
            except BrokenProcessPool:
                # A worker died (crash or out of memory): the files it held are reported, the rest go on.
                for source in running.values():
                    yield Failed(source, "the extraction process crashed on this file")


def _read_all_metadata(roots: list[Path]) -> Metadata:
    """Librarian metadata of every folder being indexed (a metadata.csv at its top)."""
    merged = Metadata()
    for root in roots:
        found = read_metadata(root) if root.is_dir() else Metadata()
        merged.rows |= found.rows
        merged.errors += found.errors
    return merged


def _changed(known: dict | None, source: SourceFile) -> bool:
    return not known or (known.get("size"), known.get("mtime")) != (source.size, source.mtime)


def _stale_docs(existing: dict[str, dict], found: set[str], roots: list[Path]) -> list[dict]:
    """Indexed documents whose file is gone, or no longer found under a folder being indexed."""
    stale = []
    for path, fields in existing.items():
        under_root = any(Path(path).is_relative_to(root) for root in roots)
        if path not in found and (under_root or not os.path.exists(path)):
            stale.append(fields)
    return stale


def index_paths(
    paths: Iterable[Path],
    config: IndexConfig,
    rebuild: bool = False,
    on_file: Callable[[object], None] | None = None,
    on_plan: Callable[[int], None] | None = None,
    on_wait: Callable[[dict | None], None] | None = None,
    holder: str = "citymig index",
) -> RunReport:
    """Index the files under ``paths`` incrementally; ``rebuild`` re-extracts everything.

    ``on_plan(n)`` is told how many files need extraction; ``on_file(result)`` hears about each one;
    ``on_wait(holder)`` is told, before waiting, who holds the lock (``holder`` is how this run says it).
    Raises IndexBusy when another run holds the index for longer than ``config.lock_timeout``.
    """
    index_dir = Path(config.index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(index_dir / LOCK_FILE))
    acquire_lock(lock, index_dir, config.lock_timeout, on_wait)
    write_lock_holder(index_dir, holder)
    try:
        return _index_locked(paths, config, index_dir, rebuild, on_file, on_plan)
    finally:
        clear_lock_holder(index_dir)
        lock.release()


def _index_locked(paths, config, index_dir, rebuild, on_file, on_plan) -> RunReport:
    report = RunReport()
    roots = [Path(p).absolute() for p in paths]
    report.roots = [str(root) for root in roots]
    for leftover in index_dir.glob(".spool-*"):  # from a killed run: we hold the lock, nobody uses it
        shutil.rmtree(leftover, ignore_errors=True)
    ix = _open_or_create(index_dir)
    with ix.searcher() as searcher:
        existing = indexed_files(searcher)
    found = discover(roots)
    sources = found.files
    report.skipped = [skipped.to_dict() for skipped in found.skipped]
    metadata = _read_all_metadata(roots)
    report.metadata_errors = metadata.errors
    tasks, retag = [], []
    present = {str(s.path) for s in sources}
    changing = {str(s.path) for s in sources if _changed(existing.get(str(s.path)), s)}
    copies = Copies.from_index(existing, changing, present)
    for source in sources:
        if not rebuild and copies.known_copy(source):
            report.unchanged += 1
            report.duplicates += 1
            continue
        known = existing.get(str(source.path))
        if known and not rebuild and known.get("size") == source.size and known.get("mtime") == source.mtime:
            report.unchanged += 1
            if _overrides_changed(known, metadata.rows.get(str(source.path))):
                retag.append(known)
        else:
            tasks.append((source, None if rebuild or not known else known.get("sha256")))
    stale = _stale_docs(existing, present, roots)
    stale = [fields for fields in stale if not copies.survivor(fields)]  # a copy takes the document's place
    tasks, retired = copies.sort_out(tasks, existing)
    report.duplicates = sum(len(found) for found in copies.found_copies.values())
    if on_plan:
        on_plan(len(tasks))

    spool_dir = tempfile.mkdtemp(prefix=".spool-", dir=index_dir)
    writer = ix.writer()
    changed = 0
    try:
        for fields in stale:
            writer.delete_by_term("doc_id", fields["doc_id"])
            report.removed += 1
            changed += 1
        for doc_id in retired:  # its file now repeats another document: it lives on as that one's copy
            writer.delete_by_term("doc_id", doc_id)
            changed += 1
        for fields in retag:
            _rewrite_doc_record(writer, fields, metadata.rows.get(fields["path"]))
            report.metadata_updated += 1
            changed += 1
        written: set[str] = set()
        for result in _run_tasks(tasks, config, spool_dir):
            if isinstance(result, ExtractedDoc) and copies.original_of(result) is not None:
                result.discard()
                report.duplicates += 1
                if str(result.source.path) in existing:  # it was a document of its own: now a copy
                    writer.delete_by_term("doc_id", existing[str(result.source.path)]["doc_id"])
                    changed += 1
            elif isinstance(result, ExtractedDoc):
                written.add(result.source.doc_id)
                replace = str(result.source.path) in existing
                try:
                    _write_doc(writer, result, replace, metadata.rows.get(str(result.source.path)))
                finally:
                    result.discard()
                report.updated += replace
                report.added += not replace
                report.pages += result.pages
                report.glued_pages_repaired += result.glued_pages
                if result.warnings:
                    report.warnings.append({"path": str(result.source.path), "warnings": result.warnings[:20]})
                changed += 1
            elif isinstance(result, Unchanged):
                # Same bytes, new mtime: remember the new mtime so the next run skips hashing it.
                stored = existing[str(result.source.path)]
                copies.mark_readable(stored)
                overrides = metadata.rows.get(str(result.source.path))
                report.metadata_updated += _overrides_changed(stored, overrides)
                _rewrite_doc_record(writer, stored, overrides, result.source)
                report.unchanged += 1
                changed += 1
            elif isinstance(result, Failed):
                indexed = existing.get(str(result.source.path))
                if indexed:  # damaged after indexing: the last good text stays searchable, flagged
                    copies.mark_unreadable(indexed, result)
                report.failed.append(
                    {"path": str(result.source.path), "reason": result.reason, "indexed": bool(indexed)}
                )
            if on_file:
                on_file(result)
            if changed >= config.commit_every:
                writer.commit()
                writer, changed = ix.writer(), 0
        if changed:
            writer.commit()
        else:
            writer.cancel()
    except BaseException:
        writer.cancel()
        raise
    finally:
        shutil.rmtree(spool_dir, ignore_errors=True)
    apply_changes(ix, copies.changes(existing, written), _stored_content)
    report.finished = time.time()
    _write_run_report(index_dir, report)
    return report


__all__ = ["RunReport", "index_paths"]
