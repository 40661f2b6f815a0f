"""Extraction and enrichment on a Dask cluster; the one index writer stays on the calling machine.

``citymig index --scheduler tcp://HOST:PORT`` sends each file to the cluster
as one task (``extract_on_worker``: ``process_file`` with its spool read back
into the result, since the worker's disk is not the writer's). The files
must be readable at the same path on every worker (a shared or synchronised
folder); the index folder is only ever written here.

Nothing is lost or written twice when a worker dies: the scheduler gives the
tasks it held to another worker (a task that kills three workers in a row is
reported as a failed file), and the writer takes exactly one result per
file, by its future, whatever worker computed it. A bounded window of tasks
is in flight, so results wait on the workers, not in this process's memory.
The per-file timeout is not enforced on the cluster (Dask runs tasks in
threads, where no alarm signal can interrupt pypdf).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import replace

from indexer.errors import ClusterError
from indexer.ingest.discover import SourceFile
from indexer.ingest.pipeline import ExtractedDoc, Failed, process_file

IN_FLIGHT_PER_THREAD = 2  # tasks queued per worker thread: enough to keep it busy between results


def extract_on_worker(source: SourceFile, known_hash: str | None, timeout: float):
    """Run on a Dask worker: ``process_file`` with the clean pages carried in the result."""
    with tempfile.TemporaryDirectory(prefix="citymig-") as spool_dir:
        result = process_file(source, known_hash, spool_dir, timeout)
        if isinstance(result, ExtractedDoc):
            pages = list(result.iter_pages())
            result.discard()
            return replace(result, spool=None), pages
        return result, None


def _respool(doc: ExtractedDoc, pages: list[dict], spool_dir: str) -> ExtractedDoc:
    """Write a worker's pages to a local spool file, as a local extraction leaves them for the writer."""
    fd, path = tempfile.mkstemp(prefix="doc-", suffix=".jsonl", dir=spool_dir)
    with os.fdopen(fd, "w", encoding="utf-8") as spool:
        for page in pages:
            spool.write(json.dumps(page) + "\n")
    doc.spool = path
    return doc


def connect(scheduler: str, timeout: float = 20.0):
    """A distributed Client of ``scheduler``, or ClusterError in a librarian's words."""
    try:
        from distributed import Client
    except ImportError as exc:
        raise ClusterError("--scheduler needs Dask's distributed package: pip install 'citymig[cluster]'") from exc
    try:
        return Client(scheduler, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc


def run_on_cluster(
    tasks: list[tuple[SourceFile, str | None]], scheduler: str, spool_dir: str, timeout: float
) -> Iterator:
    """Yield the result of every task, computed on the cluster, one per file, in the order they finish."""
    from distributed import as_completed

    client = connect(scheduler)
    try:
        threads = sum(client.nthreads().values()) or 1
        window = max(2, IN_FLIGHT_PER_THREAD * threads)
        pending = list(reversed(tasks))
        sources = {}

        def submit():
            source, known = pending.pop()
            future = client.submit(extract_on_worker, source, known, timeout, pure=False)
            sources[future.key] = source
            return future

        running = as_completed([submit() for _ in range(min(window, len(pending)))], loop=client.loop)
        for future in running:
            source = sources.pop(future.key)
            if pending:
                running.add(submit())
            try:
                result, pages = future.result()
            except Exception as exc:  # noqa: BLE001 - KilledWorker and the like: this file fails, the run goes on
                yield Failed(source, f"the cluster could not extract this file: {type(exc).__name__}: {exc}")
                continue
            finally:
                future.release()
            yield _respool(result, pages, spool_dir) if isinstance(result, ExtractedDoc) else result
    finally:
        client.close()
