"""What the writer records for the librarian: copies of one file, files damaged after indexing, the lock's holder.

Copies: byte-identical files (same SHA-256) are one document. The first path indexed holds the
document; the others are listed in its ``duplicates`` field with their size and mtime, so the next
run knows them without hashing. When the document's own path disappears, its first remaining copy
takes its place under the same id: removing one path keeps the document.

Damage after indexing: when a file that was indexed no longer reads, its last good text stays in
the index (nothing the library had is lost) and its record says since when the file is unreadable.
"""

from __future__ import annotations

import json
import os
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout

from indexer.errors import IndexBusy
from indexer.ingest.discover import SourceFile, file_hash
from indexer.ingest.merging import reclaim_deleted
from indexer.ingest.pipeline import ExtractedDoc, Failed
from indexer.storage.index import LOCK_HOLDER, RUN_HISTORY, read_lock_holder

HISTORY_KEPT = 20  # runs listed on /library


def health_fields(doc: ExtractedDoc) -> dict:
    """The ``health`` field of a document record: how sure its extraction is."""
    return {
        "health": {
            "textless_pages": doc.scan.textless,
            "ocr_pages": doc.scan.ocr,
            "ocr_unavailable": doc.scan.unavailable,
            "glued_pages": doc.glued_pages,
            "lang_certain": doc.lang_certain,
            "title_from_file_name": not doc.title,
        },
        "duplicates": [],
        "unreadable": None,
    }


def copy_entry(source: SourceFile) -> dict:
    """How a copy is remembered in its document's ``duplicates`` field."""
    return {"path": str(source.path), "relpath": source.relpath, "size": source.size, "mtime": source.mtime}


@dataclass
class Copies:
    """The run's view of which files repeat which document, and the record changes that follow."""

    by_hash: dict[str, dict] = field(default_factory=dict)  # sha256 → stored fields of its document
    copy_of: dict[str, dict] = field(default_factory=dict)  # path of a known copy → its document's fields
    found_copies: dict[str, list[dict]] = field(default_factory=dict)  # doc_id → copies present in this run
    unreadable: dict[str, dict] = field(default_factory=dict)  # doc_id → {"since", "reason"}
    promoted: dict[str, dict] = field(default_factory=dict)  # doc_id → the copy that now holds it
    recovered: set[str] = field(default_factory=set)  # doc_ids whose file reads again, unchanged

    @classmethod
    def from_index(cls, existing: dict[str, dict], changing: set[str], present: set[str]) -> Copies:
        """Known documents and copies; only documents still on disk and unchanged (not ``changing``) hold a hash."""
        copies = cls()
        for path, fields in existing.items():
            if path in present and path not in changing and fields.get("sha256"):
                copies.by_hash.setdefault(fields["sha256"], fields)
            for entry in fields.get("duplicates") or []:
                copies.copy_of[entry["path"]] = fields
        return copies

    def known_copy(self, source: SourceFile) -> bool:
        """True when ``source`` is a copy recorded before and unchanged since (it is then kept as a copy)."""
        fields = self.copy_of.get(str(source.path))
        if not fields:
            return False
        entry = next(e for e in fields["duplicates"] if e["path"] == str(source.path))
        if (entry["size"], entry["mtime"]) != (source.size, source.mtime):
            return False
        self.found_copies.setdefault(fields["doc_id"], []).append(copy_entry(source))
        return True

    def sort_out(self, tasks: list[tuple], existing: dict[str, dict]) -> tuple[list[tuple], list[str]]:
        """Hash the files about to be extracted and keep back those that repeat a document or one another.

        Among files of one run with the same bytes, a real file before a link, a shallower path
        before a deeper one, then the first in alphabetical order holds the document (whatever
        order the workers finish in). Returns the tasks left, in their order, and the ids of
        documents whose file now repeats another document (to be deleted: they live on as copies).
        """
        groups: dict[str, list[tuple]] = {}
        unhashed = []
        for task in tasks:
            try:
                groups.setdefault(file_hash(task[0].path), []).append(task)
            except OSError:
                unhashed.append(task)  # reading fails again in the worker, which reports why
        kept, retired = {id(task) for task in unhashed}, []
        for digest, group in groups.items():
            group.sort(key=lambda task: _holder_order(task[0]))
            original = self.by_hash.get(digest)
            holder = next((task for task in group if original and str(task[0].path) == original["path"]), None)
            if original is None or holder is not None:  # a new document, or its holder re-extracted (--rebuild)
                holder = holder or group[0]
                kept.add(id(holder))
                original = original or {"path": str(holder[0].path), "doc_id": holder[0].doc_id}
                self.by_hash[digest] = original
                group = [task for task in group if task is not holder]
            for source, _ in group:
                self.found_copies.setdefault(original["doc_id"], []).append(copy_entry(source))
                if str(source.path) in existing:
                    retired.append(existing[str(source.path)]["doc_id"])
        return [task for task in tasks if id(task) in kept], retired

    def original_of(self, doc: ExtractedDoc) -> dict | None:
        """The document ``doc`` repeats byte for byte (recording it as a copy), or None when it is new.

        ``sort_out`` has kept copies back already; this catches a file changed between hashing and extraction.
        """
        original = self.by_hash.get(doc.sha256)
        if original is None or original["path"] == str(doc.source.path):
            self.by_hash[doc.sha256] = {"path": str(doc.source.path), "doc_id": doc.source.doc_id}
            return None
        self.found_copies.setdefault(original["doc_id"], []).append(copy_entry(doc.source))
        return original

    def mark_unreadable(self, fields: dict, failed: Failed) -> None:
        """Remember that an indexed document's file no longer reads (since the first run that saw it)."""
        before = fields.get("unreadable") or {}
        self.unreadable[fields["doc_id"]] = {"since": before.get("since") or int(time.time()), "reason": failed.reason}

    def mark_readable(self, fields: dict) -> None:
        """The file of an indexed document reads again with the bytes indexed: its flag goes."""
        if fields.get("unreadable"):
            self.recovered.add(fields["doc_id"])

    def survivor(self, fields: dict) -> dict | None:
        """For a document whose own path is gone: the copy that takes its place, or None."""
        remaining = self.found_copies.get(fields["doc_id"]) or []
        if not remaining:
            return None
        self.promoted[fields["doc_id"]] = remaining[0]
        if fields.get("sha256"):  # new files with these bytes are copies of the document, not new ones
            self.by_hash.setdefault(fields["sha256"], {"path": remaining[0]["path"], "doc_id": fields["doc_id"]})
        return remaining[0]

    def changes(self, existing: dict[str, dict], written: set[str]) -> dict[str, dict]:
        """Field changes per doc_id that the run must write into document records after its commit."""
        stored_by_id = {fields["doc_id"]: fields for fields in existing.values()}
        ids = set(self.found_copies) | set(self.unreadable) | set(self.promoted) | self.recovered
        ids |= {doc_id for doc_id, fields in stored_by_id.items() if fields.get("duplicates")}
        changes: dict[str, dict] = {}
        for doc_id in ids:
            update: dict = {}
            copies = self.found_copies.get(doc_id, [])
            promoted = self.promoted.get(doc_id)
            if promoted:
                copies = [c for c in copies if c["path"] != promoted["path"]]
                update |= {"path": promoted["path"], "relpath": promoted["relpath"]}
                update |= {"size": promoted["size"], "mtime": promoted["mtime"]}
            stored = stored_by_id.get(doc_id) or {}
            current = [] if doc_id in written else stored.get("duplicates") or []  # a fresh record has none
            if promoted or sorted(c["path"] for c in copies) != sorted(c["path"] for c in current):
                update["duplicates"] = copies
            if doc_id in self.unreadable:
                update["unreadable"] = self.unreadable[doc_id]
            elif doc_id in self.recovered:
                update["unreadable"] = None
            if update:
                changes[doc_id] = update
        return changes


def _holder_order(source: SourceFile) -> tuple:
    return (source.path.is_symlink(), len(source.path.parts), str(source.path))


def apply_changes(ix, changes: dict[str, dict], stored_content) -> None:
    """Rewrite the document records named in ``changes`` (their pages stay as they are), in one commit.

    ``stored_content(searcher, doc_id)`` gives back a record's searchable text, which is not stored.
    """
    if not changes:
        return
    writer = ix.writer()
    try:
        names = set(writer.schema.names())
        with ix.searcher() as searcher:
            for doc_id, update in changes.items():
                stored = searcher.document(id=doc_id, kind="doc")
                if stored:
                    record = {k: v for k, v in stored.items() if k in names} | update
                    writer.update_document(**record | stored_content(searcher, doc_id))
        writer.commit(mergetype=reclaim_deleted)
    except BaseException:
        writer.cancel()
        raise


def write_lock_holder(index_dir: Path, what: str) -> None:
    """Say who holds the index lock, so that a second run can tell whom it waits for."""
    holder = {"what": what, "pid": os.getpid(), "host": socket.gethostname(), "since": int(time.time())}
    (Path(index_dir) / LOCK_HOLDER).write_text(json.dumps(holder), encoding="utf-8")


def clear_lock_holder(index_dir: Path) -> None:
    """Remove the holder note when the lock is released."""
    try:
        (Path(index_dir) / LOCK_HOLDER).unlink()
    except FileNotFoundError:
        pass


def append_history(index_dir: Path, report: dict) -> None:
    """Add a run to the index's run history, keeping the last ``HISTORY_KEPT``."""
    target = Path(index_dir) / RUN_HISTORY
    try:
        lines = target.read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    summary = {key: value for key, value in report.items() if not isinstance(value, list)}
    summary |= {key: len(value) for key, value in report.items() if isinstance(value, list) and key != "roots"}
    lines = [*lines, json.dumps(summary, ensure_ascii=False)][-HISTORY_KEPT:]
    tmp = target.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(tmp, target)


def check_file(path: Path, timeout: float = 60.0) -> str | None:
    """Why ``path`` could not be indexed (the extractor's reason), or None when it reads: for uploads.

    The file is extracted in a worker process, so the per-file timeout holds and a file that
    crashes the extractor cannot take the caller down.
    """
    import tempfile
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from indexer.ingest.pipeline import process_file

    st = path.stat()
    source = SourceFile(path=path, root=path.parent, size=st.st_size, mtime=st.st_mtime)
    with tempfile.TemporaryDirectory(prefix="citymig-check-") as spool, ProcessPoolExecutor(max_workers=1) as pool:
        try:
            result = pool.submit(process_file, source, None, spool, timeout).result()
        except BrokenProcessPool:
            return "the extraction process crashed on this file"
    if isinstance(result, Failed):
        return result.reason
    if isinstance(result, ExtractedDoc):
        result.discard()
    return None


def describe_holder(holder: dict | None) -> str:
    """Who holds the lock, in words: ``citymig index (process 123 on host, since 09:12:03)``."""
    if not holder:
        return "another process"
    since = time.strftime("%H:%M:%S", time.localtime(holder.get("since") or 0))
    return f"{holder.get('what', 'another run')} (process {holder.get('pid')} on {holder.get('host')}, since {since})"


def acquire_lock(lock: FileLock, index_dir: Path, timeout: float, on_wait) -> None:
    """Take the index lock, telling ``on_wait`` whom we wait for when another run holds it; IndexBusy after that."""
    try:
        lock.acquire(timeout=0)
        return
    except Timeout:
        holder = read_lock_holder(index_dir)
    if on_wait:
        on_wait(holder)
    try:
        lock.acquire(timeout=timeout)
    except Timeout as exc:
        raise IndexBusy(
            f"the index is being updated by {describe_holder(holder)} ({index_dir}); "
            f"waited {timeout:g} s, try again when it has finished"
        ) from exc
