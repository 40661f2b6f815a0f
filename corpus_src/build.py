#!/usr/bin/env python3
"""Regenerate the bundled demo collection from the Markdown sources.

    python corpus_src/build.py                 # sources in corpus_src/, writes corpus/ and tests/data/gold.json
    python corpus_src/build.py --check         # rebuild in a temp dir; exit 1 if the committed files differ
    python corpus_src/build.py --src DIR --out ROOT   # read DIR/{profiles,reports,blog}/*.md,
                                               # write ROOT/corpus/... and ROOT/tests/data/gold.json

Outputs (see README.md here for the source contract):
- corpus/good-ideas/<id>.pdf   profiles           (profile_pdf.py)
- corpus/reports/<id>.pdf      reports and essays (report_pdf.py)
- corpus/blog/<id>.html|.md    blog posts         (blog_pages.py)
- corpus/metadata.csv          librarian overrides: path,title,year,city,country,theme,doc_type
- tests/data/gold.json         one object per generated file, sorted by path

The output is byte-for-byte deterministic: reportlab runs with
``invariant=1`` and uncompressed streams, every PDF date is set from the
front matter (or the fixed 2019 "build date" of ``pdf_meta: misleading``),
and every per-document choice (typeface, header variant, blog format) comes
from a CRC of the document's id, never from the order or number of sources
(except that one report is forced to the ligature typeface when no report's
hash picks it).
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.dont_write_bytecode = True      # keep corpus_src/ free of __pycache__
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from pypdf import PdfReader  # noqa: E402

import blog_pages  # noqa: E402
import profile_pdf  # noqa: E402
import report_pdf  # noqa: E402
from pdf_common import family_covers, missing_chars, register_fonts, setup_reportlab  # noqa: E402
from sources import LIBRARIAN_KEYS, SourceError, inline_tokens, load_source, parse_body  # noqa: E402

REPO = HERE.parent
KINDS = (("profiles", "good-ideas"), ("reports", "reports"), ("blog", "blog"))
OUT_EXTS = (".pdf", ".html", ".md")
CSV_COLUMNS = ("path", "title", "year", "city", "country", "theme", "doc_type")


def log(msg: str):
    print(msg, file=sys.stderr)


def collect(src_dir: Path, lenient: bool):
    """All sources, sorted by kind then id; raises SystemExit on errors
    unless lenient (then invalid sources are skipped with a warning)."""
    sources, errors = [], []
    for kind, _ in KINDS:
        for path in sorted((src_dir / kind).glob("*.md")):
            try:
                src, warns = load_source(path, kind)
            except (SourceError, UnicodeDecodeError, ValueError) as exc:
                errors.append("%s: %s" % (path, exc))
                continue
            for w in warns:
                log("warning: %s: %s" % (path, w))
            sources.append(src)
    ids = {}
    for src in sources:
        if src.id in ids:
            errors.append("%s: id %r also used by %s" % (src.path, src.id, ids[src.id]))
        ids[src.id] = src.path
    if errors:
        for e in errors:
            log(("skipped: " if lenient else "error: ") + e)
        if not lenient:
            raise SystemExit("build.py: %d invalid source(s); fix them or pass --lenient"
                             % len(errors))
        bad = {e.split(":", 1)[0] for e in errors}
        sources = [s for s in sources if str(s.path) not in bad]
    return sources


def report_families(reports) -> dict[str, str]:
    fams = {s.id: report_pdf.default_family(s) for s in reports}
    if reports and "vera" not in fams.values():
        for s in reports:          # sorted by id: the first one that can take it
            if family_covers("vera", s.title + s.body):
                fams[s.id] = "vera"
                break
    return fams


def note_problems(src) -> list[str]:
    """Footnotes referenced but not defined (dropped) or defined but unused."""
    body = parse_body(src.body, src.lang, src.title)
    refs = {tok[1] for b in body.blocks if b.kind != "lang"
            for tok in inline_tokens(b.text) if tok[0] == "note"}
    out = []
    for label in sorted(refs - set(body.notes)):
        out.append("%s: footnote [^%s] is referenced but not defined (dropped)"
                   % (src.path.name, label))
    for label in sorted(set(body.notes) - refs):
        out.append("%s: footnote [^%s] is defined but never referenced"
                   % (src.path.name, label))
    return out


def _write_atomic(path: Path, data: bytes):
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def build(src_dir: Path, out_root: Path, lenient: bool = False, verbose: bool = True):
    setup_reportlab()
    register_fonts()
    sources = collect(src_dir, lenient)
    corpus = out_root / "corpus"
    for _, sub in KINDS:
        (corpus / sub).mkdir(parents=True, exist_ok=True)
    fams = report_families([s for s in sources if s.kind == "reports"])
    gold, produced, problems = [], set(), []
    for src in sources:
        sub = dict(KINDS)[src.kind]
        problems.extend(note_problems(src))
        if src.kind != "blog":
            fam = fams.get(src.id) or profile_pdf.default_family(src)
            bad = missing_chars(fam, src.title + src.body)
            if bad:
                raise SystemExit("build.py: %s: no font for the characters %r (family %s;"
                                 " is fonts-dejavu-core installed?)" % (src.path, bad, fam))
        if src.kind == "blog":
            name = blog_pages.write_blog(src, corpus / sub)
            pages, info = 1, {}
        else:
            name = src.id + ".pdf"
            tmp = corpus / sub / (name + ".tmp")
            if src.kind == "profiles":
                info = profile_pdf.build_profile(src, tmp)
            else:
                info = report_pdf.build_report(src, tmp, fams[src.id])
            os.replace(tmp, corpus / sub / name)
            pages = len(PdfReader(str(corpus / sub / name)).pages)
            if info["note_pages"] != info["ref_pages"]:
                problems.append("%s: footnote pages %s differ from reference pages %s"
                                % (name, info["note_pages"], info["ref_pages"]))
            if src.kind == "profiles" and pages > 2:
                problems.append("%s: profile has %d pages (want 1-2)" % (name, pages))
            if src.kind == "reports" and not 10 <= pages <= 40:
                problems.append("%s: report has %d pages (want 10-40)" % (name, pages))
        rel = "%s/%s" % (sub, name)
        produced.add(rel)
        if verbose:
            extra = " ".join("%s=%s" % kv for kv in sorted(info.items())
                             if kv[0] in ("family", "header"))
            log("  %-55s %2d p. %s" % (rel, pages, extra))
        gold.append({
            "path": rel, "id": src.id, "practice": src.practice, "title": src.title,
            "lang": src.lang, "langs": list(src.langs), "doc_type": src.doc_type,
            "city": list(src.city), "country": list(src.country), "year": src.year,
            "themes": list(src.themes), "pages": pages,
            "_librarian": src.librarian,
        })
    # stale outputs of removed sources
    for _, sub in KINDS:
        for f in sorted((corpus / sub).iterdir()):
            if f.suffix in OUT_EXTS and "%s/%s" % (sub, f.name) not in produced:
                log("  removing stale %s/%s" % (sub, f.name))
                f.unlink()
    gold.sort(key=lambda g: g["path"])
    _write_atomic(corpus / "metadata.csv", metadata_csv(gold).encode("utf-8"))
    for g in gold:
        del g["_librarian"]
    gold_path = out_root / "tests" / "data" / "gold.json"
    gold_path.parent.mkdir(parents=True, exist_ok=True)
    _write_atomic(gold_path, (json.dumps(gold, indent=2, ensure_ascii=False) + "\n")
                  .encode("utf-8"))
    for p in problems:
        log("warning: " + p)
    return gold


def _cell(v) -> str:
    if isinstance(v, list):
        return ";".join(str(x) for x in v)
    return "" if v is None else str(v)


def metadata_csv(gold) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for g in gold:
        lib = g["_librarian"]
        if not lib:
            continue
        row = {c: "" for c in CSV_COLUMNS}
        row["path"] = g["path"]
        for k, v in lib.items():
            row[LIBRARIAN_KEYS[k]] = _cell(v)
        w.writerow([row[c] for c in CSV_COLUMNS])
    return buf.getvalue()


def _tree(root: Path) -> dict[str, Path]:
    files = {}
    corpus = root / "corpus"
    for _, sub in KINDS:
        d = corpus / sub
        if d.is_dir():
            for f in d.iterdir():
                if f.suffix in OUT_EXTS:
                    files["corpus/%s/%s" % (sub, f.name)] = f
    for rel in ("corpus/metadata.csv", "tests/data/gold.json"):
        if (root / rel).is_file():
            files[rel] = root / rel
    return files


def check(src_dir: Path, out_root: Path, lenient: bool) -> int:
    with tempfile.TemporaryDirectory(prefix="citymig-corpus-") as tmp:
        build(src_dir, Path(tmp), lenient, verbose=False)
        fresh, committed = _tree(Path(tmp)), _tree(out_root)
        diffs = []
        for rel in sorted(set(fresh) | set(committed)):
            if rel not in committed:
                diffs.append("missing (not built/committed): " + rel)
            elif rel not in fresh:
                diffs.append("stale (no source): " + rel)
            elif fresh[rel].read_bytes() != committed[rel].read_bytes():
                diffs.append("differs: " + rel)
    if diffs:
        for d in diffs:
            log(d)
        log("build.py --check: %d file(s) out of date; run `python corpus_src/build.py`"
            % len(diffs))
        return 1
    log("build.py --check: corpus is up to date (%d files)" % len(fresh))
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--src", type=Path, default=HERE,
                    help="source folder holding profiles/, reports/, blog/ (default: %(default)s)")
    ap.add_argument("--out", type=Path, default=REPO,
                    help="output root: writes OUT/corpus/ and OUT/tests/data/gold.json "
                         "(default: the repository root)")
    ap.add_argument("--check", action="store_true",
                    help="rebuild into a temp dir and fail if OUT differs")
    ap.add_argument("--lenient", action="store_true",
                    help="skip invalid sources with a warning instead of failing")
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args(argv)
    if args.check:
        return check(args.src, args.out, args.lenient)
    gold = build(args.src, args.out, args.lenient, verbose=not args.quiet)
    log("built %d documents into %s" % (len(gold), args.out / "corpus"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
