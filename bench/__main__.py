"""``python -m bench``: run the benchmarks, write a JSON report and print a table.

    python -m bench                          # everything, bundled and scaled collections
    python -m bench --bundled-only           # corpus/ only
    python -m bench --scaled queries http    # some benchmarks, scaled collection only
    python -m bench --quick                  # smoke run on corpus/ (well under 2 minutes)
    python -m bench --scaled --tex indexing  # also Debian's TeX-made manuals (indexing only)

Benchmarks: indexing, memory, incremental, queries (with the tantivy
reference), http, quality. The scaled collection is generated into
bench/cache/scaled/ first when missing or out of date. Indexes and the
tantivy reference live in bench/cache/work/<collection>/. After the table
of every figure comes issue 11's table (bench.issue_table): each figure with
its reference measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
import traceback
from importlib import metadata as pkg_metadata
from pathlib import Path

from bench import scaled, tex
from bench.indexing import page_count, pdf_files, peak_memory_largest, run_index, throughput
from bench.issue_table import issue_rows
from bench.report import rows_of, table

REPO = Path(__file__).resolve().parent.parent
CACHE = REPO / "bench" / "cache"
BENCHMARKS = ("indexing", "memory", "incremental", "queries", "http", "quality")


def log(message: str) -> None:
    """Progress on stderr, so stdout holds only the table."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _version(name: str) -> str | None:
    try:
        return pkg_metadata.version(name)
    except pkg_metadata.PackageNotFoundError:
        return None


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def machine() -> dict:
    """What the figures were measured on, and which code (commit, files changed since) was measured."""
    return {
        "git_head": _git("rev-parse", "--short", "HEAD"),
        "git_changed": (_git("status", "--porcelain", "--", "indexer", "search_app") or "").splitlines(),
        "cpus": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": {
            name: _version(name) for name in ("citymig", "whoosh3", "pypdf", "tantivy", "reportlab", "waitress")
        },
    }


class Collection:
    """One collection under test: its folder, its PDFs and pages, its work folder for indexes."""

    def __init__(self, name: str, path: Path, pdf_pages: dict[Path, int], mutable: bool) -> None:
        self.name = name
        self.path = path
        self.pdf_pages = pdf_pages
        self.mutable = mutable  # may the incremental benchmark add and remove files in it?
        self.work = CACHE / "work" / name
        self.work.mkdir(parents=True, exist_ok=True)
        self.all_cores = os.cpu_count() or 1
        self.queries: dict | None = None

    @property
    def main_index(self) -> Path:
        """The index built with all cores (by the indexing benchmark, or on demand)."""
        return self.work / f"index-jobs{self.all_cores}"

    def ensure_index(self) -> Path:
        """The main index, built (untimed) when the indexing benchmark has not made it."""
        from indexer.storage.index import index_exists

        if not index_exists(self.main_index):
            log(f"{self.name}: building the index for this benchmark")
            run_index(self.path, self.main_index)
        return self.main_index


def bundled_collection() -> Collection:
    """corpus/, read only (the incremental benchmark works on a copy)."""
    corpus = REPO / "corpus"
    return Collection("bundled", corpus, {p: page_count(p) for p in pdf_files(corpus)}, mutable=False)


def scaled_collection(report: dict, jobs: int | None, reuse: bool = False) -> Collection:
    """bench/cache/scaled/corpus/, generated first when missing or out of date."""
    manifest = scaled.generate(jobs=jobs, log=log, reuse=reuse)
    report["scaled_generation"] = {k: v for k, v in manifest.items() if k not in ("files", "new_report")}
    corpus = scaled.SCALED_DIR / "corpus"
    pages = {corpus / e["path"]: e["pages"] for e in manifest["files"] if e["path"].endswith(".pdf")}
    return Collection("scaled", corpus, pages, mutable=True)


def tex_collection() -> Collection:
    """Debian's TeX-made manuals installed here (bench.tex), read only; only the indexing benchmark uses them."""
    pdfs = tex.collect()
    return Collection("tex", tex.TEX_DIR, {p: page_count(p) for p in pdfs}, mutable=False)


def new_report_file() -> Path:
    """The 40-page report the incremental benchmark adds: the scaled collection's, or made alone."""
    if scaled.read_manifest():
        return scaled.ensure_new_report()
    extra = CACHE / "extra"
    found = sorted(extra.glob("reports/*.pdf"))
    if found:
        return found[0]
    scaled._init_worker()
    return extra / scaled.write_new_report(extra)["path"]


def bench_indexing(coll: Collection, args) -> dict:
    """Throughput with each --jobs value, pdftotext beside it."""
    jobs_list = [coll.all_cores if j == "all" else int(j) for j in args.jobs.split(",")]
    every = args.sample_every if coll.name == "scaled" else 1
    result = throughput(coll.path, coll.work, list(dict.fromkeys(jobs_list)), coll.pdf_pages, coll.all_cores, every)
    result["all_cores"] = coll.all_cores
    return result


def bench_memory(coll: Collection, args) -> dict:
    """Peak RSS of the process tree while indexing the largest PDF."""
    return peak_memory_largest(coll.pdf_pages, coll.work)


def bench_incremental(coll: Collection, args) -> dict:
    """Reruns: unchanged, a new report, a deletion, metadata-only changes."""
    from bench.incremental import incremental

    new_report = new_report_file()
    if coll.mutable:
        return incremental(coll.path, coll.ensure_index(), new_report)
    copy = coll.work / "incremental" / "corpus"
    index_dir = coll.work / "incremental" / "index"
    shutil.rmtree(coll.work / "incremental", ignore_errors=True)
    shutil.copytree(coll.path, copy)
    prepared = run_index(copy, index_dir)
    return {"prepared_seconds": prepared["seconds"], **incremental(copy, index_dir, new_report)}


def _queries(coll: Collection, args) -> dict:
    from bench.queries import build_queries
    from indexer.storage.index import open_index

    if coll.queries is None:
        coll.queries = build_queries(open_index(coll.ensure_index()), args.queries)
    return coll.queries


def bench_queries(coll: Collection, args) -> dict:
    """Latency per kind through indexer.search, and on the tantivy reference."""
    from bench.queries import run_citymig

    queries = _queries(coll, args)
    result = {"citymig": run_citymig(coll.main_index, queries, args.query_budget)}
    if args.no_reference:
        return result
    try:
        from bench import reference

        log(f"{coll.name}: tantivy reference index")
        result["tantivy_build"] = reference.build(coll.main_index, coll.work / "tantivy")
        result["tantivy"] = reference.run_reference(coll.work / "tantivy", queries, args.query_budget)
    except ImportError as exc:
        result["tantivy_error"] = f"tantivy is not installed ({exc}): pip install -e '.[bench]'"
    return result


def bench_http(coll: Collection, args) -> dict:
    """Requests/s, p95 and errors of /api/search and /search at 1, 4 and 16 clients."""
    from bench.queries import build_queries
    from bench.server_load import run_http
    from indexer.storage.index import open_index

    # A query set of its own, large enough that no request repeats one the server may have kept.
    queries = build_queries(open_index(coll.ensure_index()), max(args.http_requests, args.queries), seed=11)
    mixed = [
        spec
        for group in zip(
            *(queries[k] for k in ("terms", "facets", "city", "browse", "question", "phrase")), strict=False
        )
        for spec in group
    ]
    return run_http(
        coll.ensure_index(), mixed, requests=args.http_requests, budget_s=args.http_budget, workers=args.http_workers
    )


def bench_quality(coll: Collection, args) -> dict | None:
    """bench.facet_quality.run on the bundled collection's index (its gold labels are of corpus/)."""
    if coll.name != "bundled":
        return None
    try:
        from bench import facet_quality
    except ImportError:
        return {"error": "bench/facet_quality.py is not there yet"}
    return facet_quality.run(coll.ensure_index())


RUNNERS = {
    "indexing": bench_indexing,
    "memory": bench_memory,
    "incremental": bench_incremental,
    "queries": bench_queries,
    "http": bench_http,
    "quality": bench_quality,
}


def parse_args(argv: list[str] | None):
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("benchmarks", nargs="*", metavar="BENCHMARK", help=f"any of {', '.join(BENCHMARKS)} [all]")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--scaled", action="store_true", help="only the scaled collection (generated if needed)")
    which.add_argument("--bundled-only", action="store_true", help="only the bundled collection, corpus/")
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: bundled only, all cores only, 20 queries a kind, 30 requests"
    )
    parser.add_argument("--out", type=Path, default=CACHE / "report.json", help="JSON report [bench/cache/report.json]")
    parser.add_argument("--queries", type=int, default=200, help="queries of each kind [200]")
    parser.add_argument("--query-budget", type=float, default=120.0, help="seconds at most per query kind [120]")
    parser.add_argument("--http-requests", type=int, default=400, help="requests per concurrency level [400]")
    parser.add_argument("--http-budget", type=float, default=90.0, help="seconds at most per concurrency level [90]")
    parser.add_argument("--jobs", default="1,all", help="--jobs values for the indexing benchmark [1,all]")
    parser.add_argument(
        "--sample-every",
        type=int,
        default=1,
        help="scaled collection: index only every N-th file in the runs with fewer jobs than cores [1: all]",
    )
    parser.add_argument("--generate-jobs", type=int, default=None, help="processes generating the scaled collection")
    parser.add_argument(
        "--reuse-scaled", action="store_true", help="keep the scaled collection even if corpus_src/ changed since"
    )
    parser.add_argument("--no-reference", action="store_true", help="skip the tantivy reference")
    parser.add_argument("--tex", action="store_true", help="also index Debian's TeX-made manuals (bench.tex)")
    parser.add_argument(
        "--http-workers", type=int, default=None, help="citymig serve --workers for the http benchmark [its default]"
    )
    args = parser.parse_args(argv)
    unknown = [b for b in args.benchmarks if b not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {unknown[0]!r}: use {', '.join(BENCHMARKS)}")
    if args.quick:
        args.bundled_only = True
        args.queries = min(args.queries, 20)
        args.http_requests = min(args.http_requests, 30)
        args.jobs = "all" if args.jobs == "1,all" else args.jobs
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the chosen benchmarks on the chosen collections; 0 when every benchmark ran, 1 otherwise."""
    args = parse_args(argv)
    chosen = args.benchmarks or list(BENCHMARKS)
    report: dict = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": machine(),
        "options": {k: str(v) for k, v in vars(args).items()},
        "collections": {},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)

    def save() -> None:
        args.out.write_text(json.dumps(report, indent=1, ensure_ascii=False, default=str), encoding="utf-8")

    collections = []
    if not args.scaled:
        collections.append(bundled_collection)
    if not args.bundled_only:
        collections.append(lambda: scaled_collection(report, args.generate_jobs, args.reuse_scaled))
    if args.tex:
        collections.append(tex_collection)
    failures = 0
    started = time.perf_counter()
    for make in collections:
        coll = make()
        entry = report["collections"].setdefault(
            coll.name, {"path": str(coll.path), "pdfs": len(coll.pdf_pages), "pdf_pages": sum(coll.pdf_pages.values())}
        )
        save()
        for name in chosen:
            if coll.name == "tex" and name != "indexing":
                continue  # a handful of manuals: nothing to query, the throughput is the figure
            log(f"{coll.name}: {name}")
            bench_started = time.perf_counter()
            try:
                result = RUNNERS[name](coll, args)
            except Exception as exc:  # noqa: BLE001 - one broken benchmark must not lose the others' figures
                failures += 1
                result = {"error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()[-3000:]}
                log(f"{coll.name}: {name} failed: {result['error']}")
            if result is not None:
                entry[name] = result
                entry.setdefault("bench_seconds", {})[name] = round(time.perf_counter() - bench_started, 1)
            save()
    report["total_seconds"] = round(time.perf_counter() - started, 1)
    report["rows"] = rows_of(report)
    report["issue_rows"] = issue_rows(report)
    save()
    print(table(report["rows"]))
    if report["issue_rows"]:
        print("\nIssue 11's table (references measured in the same run):\n")
        print(table(report["issue_rows"]))
    print(f"\nreport: {args.out}  ({report['total_seconds']:.0f} s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
