"""Query latency against collection size: bundled, scaled, and a larger synthetic index.

    python -m bench.size_curve [--copies 3] [--queries 50] [--budget 30]

The synthetic point is the scaled collection's index (built by ``python -m
bench --scaled indexing``) with its segments added ``--copies`` times into
one new index by Whoosh's ``add_reader`` (postings copied, not analysed
again): ``copies`` times the pages and the matching pages of every query,
with documents repeated under the same ids, so a search groups ``copies``
times the pages into the same documents. It measures how the search path
scales with the pages it has to score, which is what grows with a larger
archive; it is not a collection anyone would search. The same kinds of
queries as the query benchmark are drawn from each index with the same seed
and timed through ``indexer.search.search`` (p50 / p95 ms).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

from bench.queries import build_queries, run_citymig

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "bench" / "cache" / "work"


def synthetic_index(source: Path, target: Path, copies: int) -> dict:
    """``copies`` times the index at ``source`` in one new index at ``target`` (kept when already made)."""
    from whoosh import index as whoosh_index

    from indexer.query.prepared import prepare
    from indexer.storage.index import INDEX_NAME, index_exists, open_index

    if index_exists(target):
        with open_index(target).searcher() as searcher:
            return {"pages": searcher.doc_count(), "reused": True}
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    src = open_index(source)
    ix = whoosh_index.create_in(str(target), src.schema, indexname=INDEX_NAME)
    started = time.perf_counter()
    writer = ix.writer()
    with src.reader() as reader:
        for _ in range(copies):
            # Segment by segment: given the whole (multi-segment) reader, whoosh3's add_reader copies a
            # sortable text column's translated values (str) where its raw bytes belong (TypeError).
            for segment, _ in reader.leaf_readers():
                writer.add_reader(segment)
    writer.commit(optimize=True)
    prepare(target)  # as the indexing run that makes a version does
    with ix.searcher() as searcher:
        return {"records": searcher.doc_count(), "seconds": round(time.perf_counter() - started, 1)}


def _pages(index_dir: Path) -> int:
    from indexer.storage.index import open_index

    with open_index(index_dir).searcher() as searcher:
        return sum(1 for _ in searcher.document_numbers(kind="page"))


def main(argv: list[str] | None = None) -> int:
    """Measure every point and print one line per point and query kind."""
    parser = argparse.ArgumentParser(prog="python -m bench.size_curve", description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=3, help="copies of the scaled index in the synthetic one [3]")
    parser.add_argument("--queries", type=int, default=50, help="queries of each kind [50]")
    parser.add_argument("--budget", type=float, default=30.0, help="seconds at most per kind and point [30]")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "cache" / "size_curve.json")
    args = parser.parse_args(argv)
    from indexer.storage.index import index_exists, open_index

    points = {"bundled": WORK / "bundled" / "index-jobs2", "scaled": WORK / "scaled" / "index-jobs2"}
    points = {name: path for name, path in points.items() if index_exists(path)}
    if "scaled" in points:
        synthetic = WORK / f"synthetic-x{args.copies}"
        try:
            build = synthetic_index(points["scaled"], synthetic, args.copies)
            points[f"synthetic x{args.copies}"] = synthetic
        except Exception as exc:  # noqa: BLE001 - a benchmark measures the other points and says why
            shutil.rmtree(synthetic, ignore_errors=True)  # not a half-made index that the next run would reuse
            build = {"error": f"the synthetic index could not be built: {type(exc).__name__}: {exc}"}
            print(build["error"], file=sys.stderr)
    else:
        print("no scaled index: run `python -m bench --scaled indexing` first", file=sys.stderr)
        build = None
    report = {"synthetic_build": build, "points": {}}
    for name, path in points.items():
        queries = build_queries(open_index(path), args.queries)
        figures = run_citymig(path, queries, args.budget)
        report["points"][name] = {"pages": _pages(path), "latency": figures}
        args.out.write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")
        pages = report["points"][name]["pages"]
        for kind, f in figures.items():
            if f.get("n"):
                print(f"{name:14} {pages:>8} pages  {kind:9} p50 {f['p50_ms']:>9.1f}  p95 {f['p95_ms']:>9.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
