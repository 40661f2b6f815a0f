"""Extraction and indexing throughput: ``citymig index`` through the real CLI, beside poppler's pdftotext.

Pages per second of a full run into an empty index (wall clock of the
subprocess, start-up included) with ``--jobs 1`` and with all cores, and of
``pdftotext`` run on the same PDFs one after the other (a single process);
the ratio says how far citymig's pure-Python extraction and indexing is from
a C extractor that does no indexing at all. Beside the wall clock, the CPU
seconds of citymig's whole process tree (its workers included), and pages
per CPU second: on a shared machine they move much less than the wall clock. Peak memory is the RSS summed
over citymig's process tree while it indexes the collection's largest PDF.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.timing import run_measured

PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"


FILE_TIMEOUT = "900"  # seconds per file: a shared machine must not turn a long report into a failure


def citymig_cmd(*args: str) -> list[str]:
    """The ``citymig`` console script of this interpreter's environment (``python -m indexer`` without it)."""
    script = Path(sys.executable).with_name("citymig")
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "indexer", *args]


def run_index(
    collection: Path, index_dir: Path, jobs: int | None = None, rebuild: bool = False, labels: str = "wait"
) -> dict:
    """One ``citymig index`` run: wall seconds, peak RSS of the tree, and citymig's own JSON report.

    ``labels`` as ``citymig index --labels``: ``wait`` unless told, so the run's time and memory include the
    labels' preparation and a benchmark after it reads a prepared index (``auto``: as a librarian runs it).
    """
    cmd = citymig_cmd(
        "index", str(collection), "--index", str(index_dir), "--json", "--wait", "60", "--timeout", FILE_TIMEOUT
    )
    cmd += ["--labels", labels]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    if rebuild:
        cmd.append("--rebuild")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = run_measured(cmd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU seconds of the whole tree (citymig waits for its workers): on a shared machine the wall clock
    # says how busy the neighbours were, the CPU seconds what the indexing cost.
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    try:
        report = json.loads(run.stdout)
    except ValueError:
        report = {"error": (run.stderr or run.stdout)[-2000:]}
    return {
        "seconds": round(run.seconds, 3),
        "cpu_seconds": round(cpu, 2),
        "peak_rss_mb": run.peak_rss_mb,
        "exit": run.returncode,
        "added": report.get("added"),
        "updated": report.get("updated"),
        "removed": report.get("removed"),
        "unchanged": report.get("unchanged"),
        "metadata_updated": report.get("metadata_updated"),
        "failed": len(report.get("failed") or []),
        "pages": report.get("pages"),
        "reported_seconds": report.get("seconds"),
        "warnings": _warning_summary(report),
        **({"error": report["error"]} if "error" in report else {}),
    }


def _warning_summary(report: dict) -> dict[str, int]:
    """How many files carried each distinct warning (a broken step shows up here)."""
    counts: dict[str, int] = {}
    for entry in report.get("warnings") or []:
        for warning in entry.get("warnings", [])[:3]:
            counts[warning[:120]] = counts.get(warning[:120], 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: -kv[1])[:5])


def pdf_files(collection: Path) -> list[Path]:
    """The PDFs of a collection, sorted."""
    return sorted(p for p in collection.rglob("*") if p.suffix.lower() == ".pdf" and not p.name.startswith("."))


def page_count(pdf: Path) -> int:
    """Pages of a PDF, by pypdf."""
    from pypdf import PdfReader

    return len(PdfReader(str(pdf)).pages)


def pdftotext_throughput(pdfs: list[Path], pages: int) -> dict:
    """pdftotext over every PDF, one process after another (text thrown away)."""
    started = time.perf_counter()
    failed = 0
    for pdf in pdfs:
        done = subprocess.run([PDFTOTEXT, "-q", str(pdf), os.devnull], check=False)
        failed += done.returncode != 0
    seconds = time.perf_counter() - started
    return {
        "files": len(pdfs),
        "pages": pages,
        "seconds": round(seconds, 3),
        "pages_per_s": round(pages / seconds, 1),
        "failed": failed,
    }


def sample_folder(collection: Path, work_dir: Path, every: int) -> Path:
    """Every ``every``-th file of ``collection`` (sorted), hard-linked into a folder of its own."""
    folder = work_dir / f"sample-every{every}"
    shutil.rmtree(folder, ignore_errors=True)
    files = sorted(p for p in collection.rglob("*") if p.is_file() and p.name != "metadata.csv")
    for path in files[::every]:
        target = folder / path.relative_to(collection)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, target)
        except OSError:
            shutil.copy2(path, target)
    return folder


def throughput(
    collection: Path,
    work_dir: Path,
    jobs_list: list[int],
    pdf_pages: dict[Path, int],
    all_cores: int,
    sample_every: int = 1,
) -> dict:
    """Index ``collection`` from scratch once per jobs value; pdftotext on the same PDFs; the ratios.

    With ``sample_every`` > 1 the runs with fewer jobs than cores index every n-th file only
    (and pdftotext reads the same files), to keep a run on a large collection bounded.
    """
    result: dict = {"collection": str(collection), "runs": {}}
    result["pdftotext"] = pdftotext_throughput(sorted(pdf_pages), sum(pdf_pages.values()))
    for jobs in jobs_list:
        target, reference = collection, result["pdftotext"]
        if sample_every > 1 and jobs != all_cores:
            target = sample_folder(collection, work_dir, sample_every)
            pages = {target / p.relative_to(collection): n for p, n in pdf_pages.items()}
            pages = {p: n for p, n in pages.items() if p.exists()}
            if "pdftotext_sample" not in result:
                result["pdftotext_sample"] = {
                    "every": sample_every,
                    **pdftotext_throughput(sorted(pages), sum(pages.values())),
                }
            reference = result["pdftotext_sample"]
        index_dir = work_dir / f"index-jobs{jobs}"
        shutil.rmtree(index_dir, ignore_errors=True)
        run = run_index(target, index_dir, jobs=jobs)
        pages_done = run.get("pages") or 0
        run["sample_every"] = sample_every if target != collection else 1
        run["pages_per_s"] = round(pages_done / run["seconds"], 1) if run["seconds"] else None
        run["pages_per_cpu_s"] = round(pages_done / run["cpu_seconds"], 1) if run["cpu_seconds"] else None
        run["pdftotext_pages_per_s"] = reference["pages_per_s"]
        run["ratio_to_pdftotext"] = round(run["pages_per_s"] / reference["pages_per_s"], 3) if pages_done else None
        result["runs"][str(jobs)] = run
    return result


def peak_memory_largest(pdf_pages: dict[Path, int], work_dir: Path) -> dict:
    """Peak RSS of the citymig process tree while indexing only the largest PDF (by pages)."""
    largest = max(pdf_pages, key=lambda p: (pdf_pages[p], str(p)))
    index_dir = work_dir / "index-largest"
    shutil.rmtree(index_dir, ignore_errors=True)
    run = run_index(largest, index_dir)
    shutil.rmtree(index_dir, ignore_errors=True)
    return {
        "file": str(largest),
        "file_pages": pdf_pages[largest],
        "file_mb": round(largest.stat().st_size / 2**20, 1),
        **run,
    }
