"""What repeated reindexing leaves in an index: records, disk, and whether it still ranks as a fresh build.

    python -m bench.churn [--rebuilds N] [--collection DIR] [--checkout DIR]

A librarian reindexes again and again: ``--rebuild`` after a release, a run
after every batch of new or corrected files. This indexes the collection
(corpus/ unless told) once, then rebuilds it N times (3 unless told), and
after each run prints the index's records (all, and live), segments and size
on disk, the median time of the evaluation questions (``tests/data/queries.json``,
plain queries, 5 rounds), and how many of them rank their top ten exactly
as on a fresh build of the same files (same documents, same order, scores
equal to 0.1 %), with the largest score difference. ``--checkout DIR`` runs
the indexer of another checkout (its code, this Python) to measure "before".
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import time
from pathlib import Path

from bench.facet_quality import CACHE, CORPUS, QUERIES, REPO, _index
from indexer.search import SearchRequest, search
from indexer.storage.index import open_index

ROUNDS = 5
WIDTHS = (9, 7, 10, 7, 17, 13, 11)  # the table's columns after the first


def _ranked(index_dir: Path, queries: list[str]) -> tuple[dict[str, list[tuple[str, float]]], float]:
    """Each query's top ten (id, score), and the median seconds a query took over ROUNDS rounds."""
    ix = open_index(index_dir)
    ranked, times = {}, []
    for _ in range(ROUNDS):
        for query in queries:
            started = time.perf_counter()
            result = search(ix, SearchRequest(q=query, per_page=10, understand=False), cache=False)
            times.append(time.perf_counter() - started)
            ranked[query] = [(hit["id"], hit["score"]) for hit in result["hits"]]
    return ranked, statistics.median(times)


def _same(a: list[tuple[str, float]], b: list[tuple[str, float]]) -> bool:
    """The same documents in the same order, scores equal to 0.1 %."""
    if [i for i, _ in a] != [i for i, _ in b]:
        return False
    return all(abs(x - y) <= 1e-3 * abs(y) for (_, x), (_, y) in zip(a, b, strict=True))


def _state(index_dir: Path) -> dict:
    segments = open_index(index_dir)._segments()
    size = sum(path.stat().st_size for path in index_dir.iterdir() if path.is_file())
    return {
        "records": sum(s.doc_count_all() for s in segments),
        "live": sum(s.doc_count() for s in segments),
        "segments": len(segments),
        "mb": round(size / 1e6, 1),
    }


def churn(collection: Path, rebuilds: int, checkout: Path) -> list[dict]:
    """The index's state and ranking after the first run and after each rebuild."""
    queries = [q["query"] for q in json.loads(QUERIES.read_text(encoding="utf-8"))]
    work = CACHE / "churn"
    shutil.rmtree(work, ignore_errors=True)
    fresh, churned = work / "fresh", work / "churned"
    _index(sys.executable, [collection], fresh, checkout)  # --rebuild into an empty folder: a first run
    expected, _ = _ranked(fresh, queries)
    rows = []
    for run in range(rebuilds + 1):
        _index(sys.executable, [collection], churned, checkout)  # the first into an empty folder, then rebuilds
        ranked, median = _ranked(churned, queries)
        worst = max(
            (abs(x - y) / y for q in queries for (_, x), (_, y) in zip(ranked[q], expected[q], strict=False) if y),
            default=0.0,
        )
        rows.append(
            {
                "run": "first run" if not run else f"rebuild {run}",
                **_state(churned),
                "same_as_fresh": sum(_same(ranked[q], expected[q]) for q in queries),
                "queries": len(queries),
                "worst_score_diff": round(worst, 4),
                "median_ms": round(1000 * median, 2),
            }
        )
    return rows


def main(argv: list[str]) -> None:
    """Command line: see the module docstring."""

    def option(name: str, default):
        return argv[argv.index(name) + 1] if name in argv else default

    collection = Path(option("--collection", CORPUS)).resolve()
    checkout = Path(option("--checkout", REPO)).resolve()
    rows = churn(collection, int(option("--rebuilds", 3)), checkout)
    print(f"{collection} indexed by {checkout}")
    header = ("records", "live", "segments", "MB", "ranked as fresh", "worst score", "median ms")
    print(f"{'run':<12}" + "".join(f"{name:>{width}}" for name, width in zip(header, WIDTHS, strict=True)))
    for row in rows:
        print(
            f"{row['run']:<12}{row['records']:>9}{row['live']:>7}{row['segments']:>10}{row['mb']:>7}"
            f"{row['same_as_fresh']:>11} / {row['queries']:<3}{row['worst_score_diff']:>13.2%}{row['median_ms']:>11}"
        )
    print(json.dumps(rows))


if __name__ == "__main__":
    main(sys.argv[1:])
