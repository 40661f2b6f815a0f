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
            running = {}
            try:
                while pending or running:
                    while pending and len(running) < 2 * config.jobs:
                        source, known = pending.pop()
                        future = pool.submit(process_file, source, known, spool_dir, config.file_timeout, False)
                        running[future] = source
                    done, _ = wait(running, return_when=FIRST_COMPLETED)
                    for future in done:
                        source = running.pop(future)
                        yield future.result()
            except BrokenProcessPool:
                # A worker died (crash or out of memory): the files it held are reported, the rest go on.
                for source in running.values():
                    yield Failed(source, "the extraction process crashed on this file")
