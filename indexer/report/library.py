"""The librarian's desk: the collection's health and every file that needs attention, grouped by problem.

One function builds the data of ``/library``, ``/api/library`` and ``citymig status --json``
(the figures at the top, the last runs, then the problems). It reads the index's document
records and the reports the runs left beside it; it stats each indexed file once, to tell
files changed or gone since they were indexed.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from indexer.storage.index import open_index, read_lock_holder, read_run_history, read_run_report
from indexer.storage.records import known_year, split_values
from indexer.vocabulary import FORMATS

# The problem groups, in the order of the page: key → (title, what to do).
GROUPS = {
    "failed": ("Failed", "The file could not be read; see the reason and what to do."),
    "skipped": ("Skipped", "Found but not indexed: unsupported formats, links out of the collection, duplicates."),
    "damaged": ("Damaged or changed on disk", "The file changed or no longer reads since it was indexed."),
    "scans": ("Pages without text (scans)", "Pages with no text layer, and whether OCR read them."),
    "repaired": ("Text repaired", "Pages whose words were glued together and were separated again."),
    "language": ("Language uncertain or mixed", "Check the language the document is listed under."),
    "no_year": ("No year", "No publication year was found; metadata.csv can give one."),
    "no_city": ("No city", "No city was found; metadata.csv can give one."),
    "title_from_file_name": ("Title taken from the file name", "The file has no usable title; metadata.csv can."),
    "metadata": ("Facets set by metadata.csv", "Values the librarian set, which override the extracted ones."),
    "metadata_errors": ("Rows of metadata.csv that could not be used", "Fix the row and reindex."),
}
FACET_COVERAGE = ("city", "country", "year", "theme", "doc_type")
SORTS = ("folder", "type", "date")
# What to do about a failure, by the words of its reason (first match wins).
ADVICE = (
    ("install tesseract", "Install Tesseract (apt-get install tesseract-ocr tesseract-ocr-eng) and reindex."),
    ("no text layer", "OCR found no words: scan the pages again at 300 dpi, or add a text version of the file."),
    ("password", "Ask for a copy without a password (or remove it) and reindex."),
    ("truncated", "The file is incomplete: download or copy it again, then reindex."),
    ("damaged", "The file is damaged: replace it with a good copy, then reindex."),
    ("not a ", "The file is not what its name says: rename it with the right extension or replace it."),
    ("empty file", "The file is empty: replace it with the real document."),
    ("permission", "The indexer may not read the file: fix its permissions, then reindex."),
    ("cannot read", "The file cannot be opened (a broken link, or a disk error): fix or remove it."),
    ("timeout", "The file took too long: index it again with a longer --timeout."),
    ("crashed", "The extractor crashed on this file: try a re-saved copy, and report the file."),
)


def advice_for(reason: str) -> str:
    """What a librarian can do about a failure with this reason."""
    lowered = reason.lower()
    for words, advice in ADVICE:
        if words in lowered:
            return advice
    return "Open the file to check it; replace it with a good copy and reindex."


def _iso(timestamp: float | None) -> str | None:
    return datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="seconds") if timestamp else None


def _relpath(path: str, roots: list[str]) -> str:
    for root in sorted(roots, key=len, reverse=True):
        if path.startswith(root.rstrip("/") + "/"):
            return path[len(root.rstrip("/")) + 1 :]
    return Path(path).name


def _entry(path: str, relpath: str, when: float | None, **extra) -> dict:
    """One file on the page: where it is, its format, when it was seen, and what is wrong."""
    suffix = Path(path).suffix.lower()
    fmt = FORMATS.get(suffix)
    folder = str(PurePosixPath(relpath).parent)
    return {
        "path": path,
        "relpath": relpath,
        "folder": "" if folder == "." else folder,
        "format": fmt.name if fmt else (suffix.lstrip(".") or None),
        "date": _iso(when),
        **extra,
    }


def _disk_state(fields: dict) -> str | None:
    """ "gone" or "changed" when the file on disk is not the one indexed, else None."""
    try:
        st = os.stat(fields["path"])
    except OSError:
        return "gone"
    if (st.st_size, st.st_mtime) != (fields.get("size"), fields.get("mtime")):
        return "changed"
    return None


def _document_problems(fields: dict, groups: dict[str, list]) -> None:
    """Add a document to every group it belongs in."""
    health = fields.get("health") or {}
    langs = split_values(fields.get("langs"))

    def add(group: str, detail: str, **extra) -> None:
        entry = _entry(fields["path"], fields.get("relpath") or "", fields.get("indexed_at"), **extra)
        groups[group].append(entry | {"doc_id": fields["doc_id"], "title": fields.get("title"), "detail": detail})

    unreadable = fields.get("unreadable")
    if unreadable:
        since = _iso(unreadable.get("since"))
        add(
            "damaged",
            f"unreadable on disk since {since}: {unreadable.get('reason')}; the last good text stays searchable",
            state="unreadable",
            since=since,
            reason=unreadable.get("reason"),
        )
    elif (state := _disk_state(fields)) is not None:
        detail = "the file is gone" if state == "gone" else "the file changed on disk since it was indexed"
        add("damaged", detail + ": reindex to bring the index up to date", state=state)
    for copy in fields.get("duplicates") or []:
        groups["skipped"].append(
            _entry(copy["path"], copy["relpath"], copy.get("mtime"), kind="duplicate")
            | {
                "doc_id": fields["doc_id"],
                "target": fields["path"],
                "detail": f"byte-identical copy of {fields.get('relpath')}: indexed once, as that document",
            }
        )
    textless = health.get("textless_pages") or []
    if textless:
        ocr = health.get("ocr_pages") or []
        if health.get("ocr_unavailable"):
            how = "not OCRed: needs OCR: install tesseract-ocr"
        else:
            how = f"{len(ocr)} of {len(textless)} read by OCR"
        add(
            "scans",
            f"{len(textless)} page(s) without a text layer ({how})",
            pages=textless,
            ocr_pages=ocr,
            ocr_unavailable=bool(health.get("ocr_unavailable")),
        )
    if health.get("glued_pages"):
        add("repaired", f"{health['glued_pages']} page(s) with glued words separated again")
    if len(langs) > 1:
        add("language", "mixed: " + ", ".join(langs), langs=langs)
    elif health and not health.get("lang_certain", True):
        add("language", f"uncertain: too little text to tell; listed as {fields.get('lang')}", langs=langs)
    if known_year(fields.get("year")) is None:
        add("no_year", "no year found")
    if not split_values(fields.get("city")):
        add("no_city", "no city found")
    if health.get("title_from_file_name"):
        add("title_from_file_name", f"title {fields.get('title')!r} made from the file name")
    overrides = fields.get("overrides")
    if overrides:
        values = overrides.get("values") or {}
        shown = ", ".join(f"{k}={v if not isinstance(v, list) else '; '.join(v)}" for k, v in values.items())
        add("metadata", f"{overrides.get('origin')}: {shown}", values=values)


def _sort(entries: list[dict], sort: str) -> list[dict]:
    keys = {
        "folder": lambda e: (e["folder"], e["relpath"]),
        "type": lambda e: (e["format"] or "", e["relpath"]),
        "date": lambda e: (e["date"] or "", e["relpath"]),
    }
    return sorted(entries, key=keys.get(sort, keys["folder"]), reverse=sort == "date")


def _figures(docs: list[dict], pages: int, textless_pages: int) -> dict:
    total = len(docs)

    def share(count: int, of: int) -> float:
        return round(count / of, 4) if of else 0.0

    coverage = {}
    for name in FACET_COVERAGE:
        has = [d for d in docs if (known_year(d.get("year")) if name == "year" else d.get(name))]
        coverage[name] = {"documents": len(has), "share": share(len(has), total)}
    return {
        "documents": total,
        "pages": pages,
        "pages_with_text": pages - textless_pages,
        "share_pages_with_text": share(pages - textless_pages, pages),
        "facets": coverage,
    }


def library_report(index_dir: Path, sort: str = "folder") -> dict:
    """Figures, last runs and every file needing attention (grouped, each group sorted by ``sort``)."""
    ix = open_index(index_dir)
    with ix.searcher() as searcher:
        docs = list(searcher.documents(kind="doc"))
        pages = searcher.doc_count() - len(docs)  # every other record is a page
    report = read_run_report(index_dir) or {}
    roots = report.get("roots") or []
    groups: dict[str, list] = {key: [] for key in GROUPS}
    textless = 0
    for fields in docs:
        _document_problems(fields, groups)
        health = fields.get("health") or {}
        textless += len(health.get("textless_pages") or []) - len(health.get("ocr_pages") or [])
    finished = report.get("finished")
    for failure in report.get("failed", []):
        if failure.get("indexed"):
            continue  # listed under "damaged", with its last good text
        relpath = _relpath(failure["path"], roots)
        reason = failure["reason"]
        groups["failed"].append(
            _entry(failure["path"], relpath, finished, detail=reason, reason=reason, advice=advice_for(reason))
        )
    for skipped in report.get("skipped", []):
        groups["skipped"].append(
            _entry(
                skipped["path"],
                _relpath(skipped["path"], roots),
                finished,
                kind=skipped["kind"],
                target=skipped.get("target"),
                detail=skipped["reason"],
            )
        )
    for error in report.get("metadata_errors", []):
        groups["metadata_errors"].append(
            _entry(
                error["path"],
                _relpath(error["path"], roots),
                finished,
                line=error.get("line"),
                detail=f"line {error.get('line')}: {error.get('reason')}",
            )
        )
    sort = sort if sort in SORTS else "folder"
    return {
        "index": str(index_dir),
        "roots": roots,
        "figures": _figures(docs, pages, textless),
        "runs": read_run_history(index_dir)[:10],
        "running": read_lock_holder(index_dir),
        "sort": sort,
        "problems": [
            {"key": key, "title": title, "about": about, "count": len(groups[key]), "files": _sort(groups[key], sort)}
            for key, (title, about) in GROUPS.items()
        ],
    }


def file_problem(index_dir: Path, ref: str) -> dict | None:
    """The last run's failure or skip of the file ``ref`` (a path), or None when it neither failed nor was skipped."""
    report = read_run_report(index_dir) or {}
    wanted = str(Path(ref).absolute())
    for failure in report.get("failed", []):
        if failure["path"] == wanted:
            return {
                "path": wanted,
                "status": "failed",
                "reason": failure["reason"],
                "advice": advice_for(failure["reason"]),
            }
    for skipped in report.get("skipped", []):
        if skipped["path"] == wanted:
            return {"path": wanted, "status": "skipped", "reason": skipped["reason"], "target": skipped.get("target")}
    ix = open_index(index_dir)
    with ix.searcher() as searcher:
        for fields in searcher.documents(kind="doc"):
            if any(copy["path"] == wanted for copy in fields.get("duplicates") or []):
                return {
                    "path": wanted,
                    "status": "duplicate",
                    "target": fields["path"],
                    "doc_id": fields["doc_id"],
                    "reason": f"byte-identical copy of {fields['path']}: indexed once, as that document",
                }
    return None
