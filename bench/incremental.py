"""Incremental work: what a rerun of ``citymig index`` costs when little or nothing changed.

Four timed runs on an index that is up to date with its collection, each
through the real CLI: nothing changed; one new 40-page report added; one
file deleted (that report again, which leaves the collection as it was); a
row added to the collection's metadata.csv (a metadata-only change), then
the original metadata.csv put back (timed too). Beside the new report's run
stands the time citymig's own extraction chain (``process_file``) takes for
that file alone, in this process, so "indexed in its extraction time + 2 s"
can be checked. Each run is started as a librarian starts it (``--labels auto``:
on the scaled collection the thesaurus labels' scores are prepared in the
background after the run returns); the benchmark waits for them, untimed,
before the next run, and reports how long after the run they were written.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
import time
from pathlib import Path

from bench.indexing import run_index

NEW_NAME = "zz-bench-new-report-en.pdf"


def extraction_seconds(pdf: Path) -> float:
    """Seconds citymig's ingestion chain takes for one file (extract, normalise, languages, facets)."""
    from indexer.ingest.discover import find_files
    from indexer.ingest.pipeline import ExtractedDoc, process_file

    source = next(iter(find_files([pdf])))
    with tempfile.TemporaryDirectory(prefix="bench-spool-") as spool:
        started = time.perf_counter()
        result = process_file(source, None, spool, 900.0)
        seconds = time.perf_counter() - started
        if isinstance(result, ExtractedDoc):
            result.discard()
    return round(seconds, 3)


def _metadata_row_target(collection: Path, csv_text: str) -> str:
    """A document of the collection with no metadata row yet (relative path, forward slashes)."""
    listed = {row.get("path") for row in csv.DictReader(io.StringIO(csv_text))}
    for pdf in sorted(collection.rglob("*.pdf")):
        rel = pdf.relative_to(collection).as_posix()
        if rel not in listed and not pdf.name.startswith((".", "zz-bench")):
            return rel
    raise RuntimeError(f"no document without a metadata row in {collection}")


def _labels_prepared(index_dir: Path, timeout: float = 300.0) -> float:
    """Wait until the index's latest version has its labels' scores (``citymig index`` may prepare them in
    the background, which would otherwise run into the next timed step); the seconds waited."""
    from indexer.query.prepared import unprepared_records

    started = time.perf_counter()
    while unprepared_records(index_dir) is not None and time.perf_counter() - started < timeout:
        time.sleep(0.2)
    return round(time.perf_counter() - started, 3)


def _run(collection: Path, index_dir: Path, jobs: int | None) -> dict:
    """A rerun as a librarian starts it (``--labels auto``), then the labels' background preparation awaited."""
    run = run_index(collection, index_dir, jobs, labels="auto")
    run["labels_after_s"] = _labels_prepared(index_dir)
    return run


def incremental(collection: Path, index_dir: Path, new_report: Path, jobs: int | None = None) -> dict:
    """Time the four kinds of rerun on an index already up to date with ``collection``."""
    steps: dict[str, dict] = {}
    steps["unchanged"] = _run(collection, index_dir, jobs)
    target = collection / "reports" / NEW_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(new_report, target)
    try:
        steps["add_report"] = _run(collection, index_dir, jobs)
        steps["add_report"]["extraction_seconds"] = extraction_seconds(target)
    finally:
        target.unlink(missing_ok=True)
    steps["delete_file"] = _run(collection, index_dir, jobs)
    metadata = collection / "metadata.csv"
    original = metadata.read_bytes() if metadata.exists() else None
    text = original.decode("utf-8") if original else "path,title,year,city,country,theme,doc_type\n"
    row = _metadata_row_target(collection, text)
    try:
        with_row = text + ("" if text.endswith("\n") else "\n") + f"{row},,,,,Learn,\n"
        metadata.write_text(with_row, encoding="utf-8")
        steps["metadata_row_added"] = {"row": row, **_run(collection, index_dir, jobs)}
    finally:
        if original is None:
            metadata.unlink(missing_ok=True)
        else:
            metadata.write_bytes(original)
    steps["metadata_row_removed"] = _run(collection, index_dir, jobs)
    return steps
