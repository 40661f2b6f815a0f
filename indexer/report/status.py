"""Describe an index: how much it holds, in which languages, and how its last run went."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from whoosh.query import Term
from whoosh.sorting import FieldFacet

from indexer.query.translations import translation_key
from indexer.storage.index import open_index, read_run_report


def index_status(index_dir: Path) -> dict:
    """Documents (language versions), works, pages, languages, last update and the files that failed last run."""
    ix = open_index(index_dir)
    with ix.searcher() as searcher:
        documents = searcher.search(Term("kind", "doc"), limit=None, groupedby={"lang": FieldFacet("lang")})
        languages = {lang: len(docnums) for lang, docnums in documents.groups("lang").items() if lang}
        pages = len(searcher.search(Term("kind", "page"), limit=None, scored=False).docs())
        total_docs = len(documents)
        paths = [fields.get("relpath") or fields.get("path") or "" for fields in searcher.documents(kind="doc")]
        works = len({translation_key(path) or path for path in paths})
    report = read_run_report(index_dir) or {}
    finished = report.get("finished")
    return {
        "index": str(index_dir),
        "documents": total_docs,
        "works": works,
        "pages": pages,
        "languages": dict(sorted(languages.items(), key=lambda item: -item[1])),
        "last_updated": datetime.fromtimestamp(finished, UTC).isoformat(timespec="seconds") if finished else None,
        "last_run": {
            key: report.get(key)
            for key in ("added", "updated", "removed", "unchanged", "metadata_updated", "pages", "seconds")
        }
        if report
        else None,
        "failed": report.get("failed", []),
        "skipped": report.get("skipped", []),
        "metadata_errors": report.get("metadata_errors", []),
    }


def full_status(index_dir: Path, sort: str = "folder") -> dict:
    """``citymig status --json``: the summary above and the librarian's desk (the data of /api/library)."""
    from indexer.report.library import library_report

    return index_status(index_dir) | {"library": library_report(index_dir, sort=sort)}
