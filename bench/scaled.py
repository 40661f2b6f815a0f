"""The scaled collection: about 2,000 documents and 50,000 pages generated from corpus_src/.

    python -m bench.scaled [--force] [--jobs N]

Every document is a deterministic variation of one source of the bundled
collection, written by corpus_src's own generators (``profile_pdf``,
``report_pdf``, ``blog_pages``), so it has the same layouts: running headers,
two-column reports, hyphenation, footnotes, tables of contents. A variation
swaps the city the source is about for another city of the collection (in
the text, the title and the facets), shuffles paragraphs within their
sections, and for reports cuts or repeats chapters until the report reaches
its target length: 10–40 pages, and a dozen long ones of several hundred.

The collection is written to ``bench/cache/scaled/corpus/`` with a
``metadata.csv``, plus ``extra/new-report-en.pdf`` (a 40-page report that is
not part of it, for the incremental benchmark) and ``manifest.json``. When the
manifest's plan hash matches (same sources, seed and generator version) and
its files are all there, nothing is regenerated.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib
import json
import multiprocessing
import os
import random
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.variation import report_short_title, swap_places, vary_body

REPO = Path(__file__).resolve().parent.parent
CORPUS_SRC = REPO / "corpus_src"
GOLD = REPO / "tests" / "data" / "gold.json"
SCALED_DIR = REPO / "bench" / "cache" / "scaled"
GENERATOR_VERSION = 1
SEED = 2008
# documents per kind: 560 + 128 + 1300 + 12 = 2,000; pages ≈ 800 + 128 + 40,000 + 7,800
COUNTS = {"profiles": 560, "blog": 128, "reports": 1300, "long": 12}
LONG_PAGES = (300, 1000)
NEW_REPORT_PAGES = 40
FILL = 0.85  # body characters per page, relative to the source report's own
SUBFOLDER = {"profiles": "good-ideas", "reports": "reports", "long": "reports", "blog": "blog"}


@dataclass(frozen=True)
class Variant:
    """One document of the scaled collection: which source, which city, how long."""

    number: int
    kind: str  # profiles | reports | long | blog
    base_id: str
    city: str | None  # the city swapped in (None: the source's own places are kept)
    country: str | None
    target_pages: int | None  # reports only

    @property
    def doc_id(self) -> str:
        """The variant's id, ending with the language segments of its source (``x0042-…-es``)."""
        return f"x{self.number:04d}-{self.base_id}"


def _corpus_src():
    """corpus_src's generator modules (they import each other as top-level modules)."""
    if str(CORPUS_SRC) not in sys.path:
        sys.path.insert(0, str(CORPUS_SRC))
    names = ("build", "profile_pdf", "report_pdf", "blog_pages", "i18n", "pdf_common")
    return tuple(importlib.import_module(name) for name in names)


def load_sources() -> list:
    """The valid sources of corpus_src/ (invalid ones, e.g. half-written, are skipped)."""
    build = _corpus_src()[0]
    return build.collect(CORPUS_SRC, lenient=True)


def plan_hash(sources: list, seed: int = SEED) -> str:
    """A hash of everything the collection depends on: sources, seed, counts, generator version."""
    digest = hashlib.sha256(json.dumps([GENERATOR_VERSION, seed, COUNTS, LONG_PAGES]).encode())
    for src in sorted(sources, key=lambda s: s.id):
        digest.update(src.id.encode() + b"\0" + Path(src.path).read_bytes())
    return digest.hexdigest()[:16]


def make_plan(sources: list, seed: int = SEED) -> list[Variant]:
    """The variants of the scaled collection, the same for the same sources and seed."""
    rng = random.Random(seed)
    pools = {
        "profiles": [s for s in sources if s.kind == "profiles"],
        "blog": [s for s in sources if s.kind == "blog"],
        "reports": [s for s in sources if s.kind == "reports"],
    }
    pools["long"] = pools["reports"]
    places = sorted({(s.city[0], s.country[0]) for s in sources if len(s.city) == 1 and len(s.country) == 1})
    variants, number = [], 0
    for kind, count in COUNTS.items():
        pool = pools[kind]
        for i in range(count):
            base = pool[i % len(pool)]
            city = country = None
            if len(base.city) == 1 and len(base.country) == 1:
                city, country = rng.choice([p for p in places if p[0] != base.city[0]])
            target = None
            if kind == "reports":
                target = 12 + int(29 * rng.random() ** 0.5)  # 12–40 pages, mean 31
            elif kind == "long":
                target = rng.randint(*LONG_PAGES)
            variants.append(Variant(number, kind, base.id, city, country, target))
            number += 1
    return variants


# ------------------------------------------------------------------ variants


def variant_source(variant: Variant, sources: dict, pages_of: dict):
    """The Source object of a variant: new id, places, title and body."""
    i18n = _corpus_src()[4]
    src = sources[variant.base_id]
    rng = random.Random(f"{SEED}:{variant.doc_id}")
    target_chars = None
    if variant.target_pages:
        base_pages = pages_of.get(src.id, 20)
        chars_per_page = len(src.body) / max(base_pages - 2, 1)  # the cover and contents hold no body
        # Chapter breaks and a longer table of contents add pages: aim a little short.
        target_chars = int(max(variant.target_pages - 2, 1) * chars_per_page * FILL)
    meta = dict(src.meta)
    meta["id"] = variant.doc_id
    meta["practice"] = f"{src.practice}-{variant.number:04d}"
    meta["title"] = swap_places(src.title, src, variant, i18n)
    if variant.city:
        meta["city"], meta["country"] = [variant.city], [variant.country]
    if variant.kind == "long":
        meta["short_title"] = report_short_title(meta["title"])
    body = swap_places(vary_body(src, rng, target_chars), src, variant, i18n)
    return type(src)(path=Path(f"{variant.doc_id}.md"), kind=src.kind, meta=meta, body=body)


# ------------------------------------------------------------------ generation (worker processes)

_WORKER: dict = {}


def _init_worker() -> None:
    build, *_rest, pdf_common = _corpus_src()
    pdf_common.setup_reportlab()
    pdf_common.register_fonts()
    sources = load_sources()
    _WORKER["sources"] = {s.id: s for s in sources}
    _WORKER["pages"] = _base_pages()


def _base_pages() -> dict[str, int]:
    try:
        gold = json.loads(GOLD.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {Path(g["path"]).stem: g["pages"] for g in gold}


def write_variant(variant: Variant, out_root: Path) -> dict:
    """Write one document under ``out_root``; return its manifest entry."""
    from pypdf import PdfReader

    _, profile_pdf, report_pdf, blog_pages, _, _ = _corpus_src()
    started = time.perf_counter()
    src = variant_source(variant, _WORKER["sources"], _WORKER["pages"])
    folder = out_root / SUBFOLDER[variant.kind]
    folder.mkdir(parents=True, exist_ok=True)
    if variant.kind == "blog":
        name = blog_pages.write_blog(src, folder)
        pages = 1
    else:
        name = src.id + ".pdf"
        tmp = folder / (name + ".tmp")
        if variant.kind == "profiles":
            profile_pdf.build_profile(src, tmp)
        else:
            report_pdf.build_report(src, tmp)
        os.replace(tmp, folder / name)
        pages = len(PdfReader(str(folder / name)).pages)
    path = folder / name
    return {
        "path": path.relative_to(out_root).as_posix(),
        "pages": pages,
        "bytes": path.stat().st_size,
        "seconds": round(time.perf_counter() - started, 3),
        "lang": src.lang,
        "doc_type": src.doc_type,
        "city": list(src.city),
        "country": list(src.country),
        "year": src.year,
        "themes": list(src.themes),
        "base": variant.base_id,
    }


def _write_one(args: tuple[Variant, str]) -> dict:
    variant, out_root = args
    return write_variant(variant, Path(out_root))


def _metadata_rows(entries: list[dict]) -> list[list[str]]:
    """A few librarian rows, like the bundled collection's: every 150th document gets a theme override."""
    rows = []
    for i, entry in enumerate(sorted(entries, key=lambda e: e["path"])):
        if i % 150 == 7:
            theme = ("Live", "Work", "Learn", "Connect", "Plan")[i % 5]
            rows.append([entry["path"], "", "", "", "", theme, ""])
    return rows


def write_metadata_csv(corpus_dir: Path, rows: list[list[str]]) -> None:
    """The collection's metadata.csv (columns as in indexer.enrich.metadata)."""
    with open(corpus_dir / "metadata.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["path", "title", "year", "city", "country", "theme", "doc_type"])
        writer.writerows(rows)


def read_manifest(out_dir: Path = SCALED_DIR) -> dict | None:
    """The manifest of a generated collection, if any."""
    try:
        return json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_current(out_dir: Path = SCALED_DIR, sources: list | None = None) -> bool:
    """True when the collection in ``out_dir`` matches the current sources and generator, files all there."""
    manifest = read_manifest(out_dir)
    if not manifest:
        return False
    sources = sources if sources is not None else load_sources()
    if manifest.get("plan_hash") != plan_hash(sources):
        return False
    corpus = out_dir / "corpus"
    files = [corpus / e["path"] for e in manifest["files"]] + [out_dir / manifest["new_report"]["path"]]
    return all(f.exists() for f in files)


def generate(
    out_dir: Path = SCALED_DIR, jobs: int | None = None, force: bool = False, log=print, reuse: bool = False
) -> dict:
    """Build the scaled collection into ``out_dir`` unless it is current; return its manifest.

    ``reuse`` keeps an existing collection even when the sources have changed since it was made.
    """
    sources = load_sources()
    if reuse and not force and read_manifest(out_dir) and not is_current(out_dir, sources):
        manifest = read_manifest(out_dir)
        log(f"reusing the scaled collection made from older sources ({manifest['plan_hash']}), as asked")
        return manifest
    if not force and is_current(out_dir, sources):
        manifest = read_manifest(out_dir)
        log(f"scaled collection is current: {len(manifest['files'])} documents, {manifest['pages']} pages")
        return manifest
    jobs = jobs or os.cpu_count() or 1
    variants = make_plan(sources)
    corpus = out_dir / "corpus"
    if corpus.exists():
        import shutil

        shutil.rmtree(corpus)
    corpus.mkdir(parents=True)
    # Longest first, so the long reports do not end the run alone on one core.
    tasks = sorted(variants, key=lambda v: -(v.target_pages or 1))
    started = time.perf_counter()
    entries = []
    with multiprocessing.get_context("fork").Pool(jobs, initializer=_init_worker) as pool:
        for n, entry in enumerate(pool.imap_unordered(_write_one, [(v, str(corpus)) for v in tasks]), 1):
            entries.append(entry)
            if n % 100 == 0 or n == len(tasks):
                pages = sum(e["pages"] for e in entries)
                log(f"  {n}/{len(tasks)} documents, {pages} pages, {time.perf_counter() - started:.0f} s")
        extra = out_dir / "extra"
        extra.mkdir(parents=True, exist_ok=True)
        new_entry = pool.apply(_write_new_report, (str(extra),))
    seconds = time.perf_counter() - started
    entries.sort(key=lambda e: e["path"])
    write_metadata_csv(corpus, _metadata_rows(entries))
    manifest = {
        "generator_version": GENERATOR_VERSION,
        "seed": SEED,
        "plan_hash": plan_hash(sources),
        "sources": len(sources),
        "documents": len(entries),
        "pages": sum(e["pages"] for e in entries),
        "bytes": sum(e["bytes"] for e in entries),
        "generation_seconds": round(seconds, 1),
        "jobs": jobs,
        "by_kind": {
            kind: {
                "documents": sum(1 for v, e in _pair(variants, entries) if v.kind == kind),
                "pages": sum(e["pages"] for v, e in _pair(variants, entries) if v.kind == kind),
            }
            for kind in COUNTS
        },
        "new_report": {**new_entry, "path": f"extra/{new_entry['path']}"},
        "files": entries,
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    log(f"generated {manifest['documents']} documents, {manifest['pages']} pages in {seconds:.0f} s ({jobs} jobs)")
    return manifest


def _pair(variants: list[Variant], entries: list[dict]):
    by_id = {Path(e["path"]).stem: e for e in entries}
    return [(v, by_id[v.doc_id]) for v in variants if v.doc_id in by_id]


def _new_report_base(sources: list) -> str:
    """An English report, one-column if there is one (its length follows its target most closely)."""
    reports = sorted(
        (s.lang != "en" or len(s.langs) > 1, s.layout != "one-column", s.id) for s in sources if s.kind == "reports"
    )
    return reports[0][2]


def write_new_report(out_root: Path) -> dict:
    """The 40-page report the incremental benchmark adds (not part of the collection), written under ``out_root``.

    Its length is aimed at, then corrected until it has 40 pages (± 1). Needs ``_init_worker()`` first.
    """
    sources = list(_WORKER["sources"].values())
    target = NEW_REPORT_PAGES
    for _ in range(4):
        entry = write_variant(Variant(9999, "reports", _new_report_base(sources), None, None, target), out_root)
        if abs(entry["pages"] - NEW_REPORT_PAGES) <= 1:
            break
        target = max(12, round(target * NEW_REPORT_PAGES / entry["pages"]))
    return entry


def _write_new_report(out_root: str) -> dict:
    return write_new_report(Path(out_root))


def ensure_new_report(out_dir: Path = SCALED_DIR) -> Path:
    """The new report of the scaled collection's manifest, remade (and the manifest updated) if not 40 pages."""
    manifest = read_manifest(out_dir)
    if manifest is None:
        raise FileNotFoundError(f"no scaled collection in {out_dir}")
    known = manifest.get("new_report") or {}
    path = out_dir / known.get("path", "missing")
    if path.exists() and abs(known.get("pages", 0) - NEW_REPORT_PAGES) <= 1:
        return path
    if not _WORKER:
        _init_worker()
    entry = write_new_report(out_dir / "extra")
    manifest["new_report"] = {**entry, "path": f"extra/{entry['path']}"}
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    return out_dir / manifest["new_report"]["path"]


def main(argv: list[str] | None = None) -> int:
    """Command line: generate the scaled collection."""
    parser = argparse.ArgumentParser(description="Generate the scaled benchmark collection.")
    parser.add_argument("--out", type=Path, default=SCALED_DIR)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--force", action="store_true", help="regenerate even when the manifest matches")
    parser.add_argument("--plan", action="store_true", help="print the plan's totals and exit")
    args = parser.parse_args(argv)
    if args.plan:
        variants = make_plan(load_sources())
        print(json.dumps([asdict(v) for v in variants[:5]], indent=1))
        print(len(variants), "documents; target report pages", sum(v.target_pages or 0 for v in variants))
        return 0
    generate(args.out, args.jobs, args.force)
    return 0


if __name__ == "__main__":
    sys.exit(main())
