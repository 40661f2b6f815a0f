"""Where files are extracted: here, in worker processes, or on a Dask cluster; results come back one per file.

Worker processes extract, normalise, detect languages and prepare index
terms, but do not enrich: enrichment needs the gazetteer and wordfreq's
word lists (about 220 MB), which the writer's process then loads once
instead of every worker loading its own copy (``indexer.ingest.pipeline``).
The largest files go first when several run at once, so that one long
report is not the last thing left running on one core while the others
idle (longest job first keeps the makespan near the ideal); a single process
keeps the files' order.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from indexer.config import IndexConfig
from indexer.ingest.discover import SourceFile
from indexer.ingest.pipeline import Failed, process_file

IN_FLIGHT_PER_WORKER = 2  # files queued or being extracted per worker process, beside those handed over


def largest_first(tasks: list[tuple[SourceFile, str | None]]) -> list[tuple[SourceFile, str | None]]:
    """The tasks by file size, largest first (ties keep their order)."""
    return sorted(tasks, key=lambda task: -task[0].size)


def run_tasks(tasks: list[tuple[SourceFile, str | None]], config: IndexConfig, spool_dir: str) -> Iterator:
    """Yield the result of ``process_file`` for every task: on the Dask cluster, or here, in parallel when jobs > 1.

    Results of worker processes are not enriched yet (``facets`` is None): the caller enriches
    those it writes (``indexer.ingest.pipeline.enrich_doc``).
    """
    if config.scheduler and tasks:
        from indexer.ingest.cluster import run_on_cluster

        yield from run_on_cluster(largest_first(tasks), config.scheduler, spool_dir, config.file_timeout)
        return
    if config.jobs == 1 or len(tasks) <= 1:
        for source, known in tasks:
            yield process_file(source, known, spool_dir, config.file_timeout)
        return
    pending = list(reversed(largest_first(tasks)))
    while pending:
        with ProcessPoolExecutor(max_workers=config.jobs) as pool:
            running, ready = {}, []  # ready: finished, not yet handed over
            try:
                while pending or running:
                    # Top up before handing a result over: the caller enriches and writes it meanwhile,
                    # and the workers must not run dry while it does.
                    while pending and len(running) - len(ready) < IN_FLIGHT_PER_WORKER * config.jobs:
                        source, known = pending[-1]  # taken off only once submitted: a broken pool refuses it
                        future = pool.submit(process_file, source, known, spool_dir, config.file_timeout, False)
                        running[future] = pending.pop()[0]
                    if not ready:
                        ready = list(wait(running, return_when=FIRST_COMPLETED)[0])
                        continue
                    future = ready.pop()
                    result = future.result()
                    del running[future]
                    yield result
            except BrokenProcessPool:
                # A worker died (crash or out of memory): the files it held are reported, those already
                # extracted are handed over, the rest go on in a new pool.
                for future, source in running.items():
                    if future.done() and not future.cancelled() and future.exception() is None:
                        yield future.result()
                    else:
                        yield Failed(source, "the extraction process crashed on this file")
