"""Write the index: incremental runs, parallel extraction, one writer, periodic commits.

Crash safety comes from Whoosh: a commit writes new segment files and then
atomically replaces the table of contents, so a run killed at any moment
leaves the last committed state. The fingerprint of every indexed file
(size, mtime, SHA-256) is stored in the index itself, so the next run knows
exactly what was committed and redoes only the rest, without duplicates.

This module is the run: what to extract, remove or retag, and when to
commit. Where files are extracted is ``indexer.ingest.tasks``; what a
document's records hold is ``indexer.ingest.index_records``; the writer is a
``PreparedWriter`` (``indexer.ingest.postings``), which takes the terms the
workers analysed instead of analysing the text again in this one process.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from filelock import FileLock
from whoosh.filedb.filestore import FileStorage

from indexer.config import IndexConfig
from indexer.enrich.metadata import Metadata, read_metadata
from indexer.ingest.discover import SourceFile, discover
from indexer.ingest.index_records import overrides_changed, rewrite_doc_record, stored_content, write_doc
from indexer.ingest.librarian import (
    Copies,
    acquire_lock,
    append_history,
    apply_changes,
    clear_lock_holder,
    write_lock_holder,
)
from indexer.ingest.merging import drop_dead, reclaim_deleted
from indexer.ingest.pipeline import ExtractedDoc, Failed, Unchanged, enrich_doc
from indexer.ingest.postings import PreparedWriter
from indexer.ingest.tasks import run_tasks
from indexer.storage.index import INDEX_NAME, LOCK_FILE, RUN_REPORT, index_exists, open_index
from indexer.storage.schema import build_schema

# Megabytes of postings the writer buffers before it spills a run to disk (Whoosh's default is 128):
# the buffer is a pool of Python tuples, larger in memory than Whoosh's estimate says.
WRITER_LIMIT_MB = 64


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
    """The index as the writer opens it: its segments read through files, not memory maps.

    Whoosh maps segment files into memory by default, and every page a merge or a
    record's rewrite touches counts in the writer's RSS: on the scaled collection
    (260 MB of segments) opening a searcher alone took 392 MB (194 MB of it mapped
    file pages), against 16 MB with plain reads. Serving keeps the maps.
    """
    if index_exists(index_dir):
        return open_index(index_dir, mapped=False)
    return FileStorage(str(index_dir), supports_mmap=False).create_index(build_schema(), indexname=INDEX_NAME)


def _write_run_report(index_dir: Path, report: RunReport) -> None:
    target = Path(index_dir) / RUN_REPORT
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(report.to_dict(), indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, target)  # atomic: status never reads half a report
    append_history(index_dir, report.to_dict())


def indexed_files(searcher) -> dict[str, dict]:
    """Stored fields of every indexed document, by absolute path."""
    return {fields["path"]: fields for fields in searcher.documents(kind="doc")}


def _writer(ix):
    return PreparedWriter(ix, limitmb=WRITER_LIMIT_MB)


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
            if overrides_changed(known, metadata.rows.get(str(source.path))):
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
    writer = _writer(ix)
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
            rewrite_doc_record(writer, fields, metadata.rows.get(fields["path"]))
            report.metadata_updated += 1
            changed += 1
        written: set[str] = set()
        for result in run_tasks(tasks, config, spool_dir):
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
                    if result.facets is None:  # extracted by a worker process: enriched here (see tasks)
                        enrich_doc(result)
                    write_doc(writer, result, replace, metadata.rows.get(str(result.source.path)))
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
                report.metadata_updated += overrides_changed(stored, overrides)
                rewrite_doc_record(writer, stored, overrides, result.source)
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
                writer.commit(mergetype=drop_dead)
                writer, changed = _writer(ix), 0
        if changed:
            writer.commit(mergetype=reclaim_deleted)
        else:
            writer.cancel()
    except BaseException:
        writer.cancel()
        raise
    finally:
        shutil.rmtree(spool_dir, ignore_errors=True)
    apply_changes(ix, copies.changes(existing, written), stored_content)
    report.finished = time.time()
    _write_run_report(index_dir, report)
    return report


__all__ = ["RunReport", "index_paths"]
