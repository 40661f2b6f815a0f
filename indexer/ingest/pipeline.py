"""The ingestion chain for one file: extract pages → normalise → detect language → analyse → enrich.

``process_file`` runs in a worker process. It streams pages through spool
files on disk (raw, clean, then clean with each page's index terms prepared
by ``indexer.ingest.postings``, so the one writer does not analyse text), so
a 1,400-page PDF never has its whole text in memory, and returns an
``ExtractedDoc`` that names the last spool for the index writer.

Enrichment (``enrich_doc``) needs the gazetteer and wordfreq's word lists,
about 220 MB per process: a local run leaves it to the writer's process
(``enrich_facets=False``), which loads them once instead of once per worker; a
Dask worker enriches the files it extracts, as the cluster is there to take
that work off the indexing machine.
"""

from __future__ import annotations

import json
import os
import re
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from indexer.enrich.chain import DocumentFacts, Facets, enrich
from indexer.enrich.years import FIRST_PAGES
from indexer.errors import ExtractionError
from indexer.ingest.discover import SourceFile, file_hash
from indexer.ingest.language import LanguageVote, detect_language
from indexer.ingest.normalize import Vocabulary, nfkc, normalize_page, strip_running_lines
from indexer.ingest.ocr import NEEDS_TESSERACT, ScanRecord, with_ocr
from indexer.ingest.pdf import PdfInfo, iter_pdf_pages
from indexer.ingest.postings import TERMS_KEY, analyse_page
from indexer.ingest.textfiles import EXTRACTORS
from indexer.ingest.titles import clean_title, pdf_title
from indexer.vocabulary import FORMATS


@dataclass
class ExtractedDoc:
    """A file after extraction: its metadata and where its clean pages are spooled."""

    source: SourceFile
    sha256: str
    title: str | None = None
    author: str | None = None
    date: str | None = None  # ISO date found in the file's own metadata
    date_source: str = "pdf"  # where that date comes from: "pdf", "web page" or "post"
    meta_title: str | None = None  # the title the file's metadata gives, even when it is a file name
    creator: str | None = None
    langs: list[str] = field(default_factory=list)
    pages: int = 0
    spool: str | None = None
    warnings: list[str] = field(default_factory=list)
    glued_pages: int = 0
    facets: Facets | None = None
    scan: ScanRecord = field(default_factory=ScanRecord)  # pages without a text layer and their OCR
    lang_certain: bool = True  # False when no page was long enough to vote for a language
    first_pages: list[str] = field(default_factory=list)  # raw, lines intact, until enriched: dates and titles

    @property
    def lang(self) -> str | None:
        """Main language of the document."""
        return self.langs[0] if self.langs else None

    def iter_pages(self) -> Iterator[dict]:
        """Yield the spooled pages ``{"page", "text", "lang"}`` in order."""
        if not self.spool:
            return
        with open(self.spool, encoding="utf-8") as fh:
            for line in fh:
                yield json.loads(line)

    def page_lang(self, page: dict) -> str:
        """The language a page is indexed in: its own when it is one of the document's, else the document's."""
        # A short page's own guess is noise; a page in another of the document's languages keeps it.
        return page["lang"] if page["lang"] in self.langs and len(page["text"]) >= 200 else self.lang

    def discard(self) -> None:
        """Remove the spool file."""
        if self.spool and os.path.exists(self.spool):
            os.unlink(self.spool)


_FILE_NAME_TITLE = re.compile(r"(\.(docx?|pdf|indd|odt|rtf|pptx?|qxd)$)|^(untitled|microsoft word\b)|^[\w.-]+$", re.I)
_NOT_A_TITLE = re.compile(r"(https?://|www\.|\w\.(org|com|net|ca|de|es|fr)\b|^(copyright|©|page|seite)\b)", re.I)


def looks_like_file_name(title: str) -> bool:
    """True for metadata titles that are really file names (``report_final_v3.docx``)."""
    return bool(_FILE_NAME_TITLE.search(title.strip()))


def title_from_text(text: str) -> str | None:
    """The first line of a first page that reads like a title: a few words, not shouting, no address."""
    for line in text.splitlines()[:15]:
        line = " ".join(line.split())
        words = line.split()
        if 2 <= len(words) <= 20 and any(c.islower() for c in line) and not _NOT_A_TITLE.search(line):
            return line
    return None


@dataclass
class Unchanged:
    """A file whose content hash matches the indexed one."""

    source: SourceFile
    sha256: str


@dataclass
class Failed:
    """A file that could not be extracted, with the reason in a librarian's words."""

    source: SourceFile
    reason: str


class FileTimeout(BaseException):
    """Raised inside a worker when a file takes longer than the per-file timeout.

    A BaseException, like KeyboardInterrupt: pypdf's parser catches ``Exception`` in places and
    logs it as a damaged object, which swallowed the timeout and let the file run on.
    """


@contextmanager
def time_limit(seconds: float):
    """Raise FileTimeout after ``seconds`` (main thread only; pypdf is pure Python, so it is interruptible).

    In any other thread (a Dask worker's, or the web app's admin thread with one file to extract) there
    is no alarm signal to use, and no limit; worker processes keep it.
    """
    if not seconds or seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise FileTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    # Re-fire every 50 ms after the limit: pypdf catches broad exceptions in places (it logs the
    # FileTimeout as a warning and goes on), so one signal alone can be swallowed.
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.05)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _raw_pages(source: SourceFile, doc: ExtractedDoc) -> Iterator[tuple[int, str]]:
    """Pages of any supported format, as extracted."""
    suffix = source.path.suffix.lower()
    if suffix == ".pdf":
        info = PdfInfo(pages=0)
        try:
            yield from with_ocr(iter_pdf_pages(source.path, info), source.path, doc.scan)
        finally:
            if doc.scan.error:
                doc.warnings.append(doc.scan.error)
            if doc.scan.unavailable:
                doc.warnings.append(f"{NEEDS_TESSERACT} (pages without text: {_page_list(doc.scan.textless)})")
            usable = info.title and not looks_like_file_name(info.title)
            doc.title = info.title if usable else (pdf_title(source.path) or info.layout_title)
            doc.author = info.author
            doc.date = info.created.date().isoformat() if info.created else None
            doc.meta_title, doc.creator = info.title, info.creator
            doc.warnings.extend(info.warnings)
            doc.glued_pages = info.glued_pages
        return
    extracted = EXTRACTORS[suffix](source.path)
    # "Post title | Site name": the site name is not the document's title.
    doc.title, doc.date = (extracted.title or "").split(" | ")[0].strip() or None, extracted.date
    doc.date_source = "web page" if suffix in (".html", ".htm") else "post" if FORMATS[suffix].web else "document"
    if not extracted.text.strip():
        raise ExtractionError("no text")
    # Form feeds separate pages in plain text; other formats are one page.
    yield from enumerate(extracted.text.split("\f"), start=1)


def _page_list(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers[:20]) + (" …" if len(numbers) > 20 else "")


def _prepare_terms(doc: ExtractedDoc, clean_path: str, spool_dir: str) -> str:
    """A spool of the clean pages, each with its index terms prepared (``TERMS_KEY``); the clean one is removed."""
    fd, path = tempfile.mkstemp(prefix="doc-", suffix=".jsonl", dir=spool_dir)
    try:
        with open(clean_path, encoding="utf-8") as clean, os.fdopen(fd, "w", encoding="utf-8") as out:
            for line in clean:
                page = json.loads(line)
                if page["text"]:
                    page[TERMS_KEY] = analyse_page(page["text"], doc.page_lang(page))
                out.write(json.dumps(page) + "\n")
    except BaseException:
        os.unlink(path)
        raise
    os.unlink(clean_path)
    return path


def enrich_doc(doc: ExtractedDoc) -> ExtractedDoc:
    """Give an extracted document its facets (places, year, themes, type), read from its spooled pages."""
    facts = DocumentFacts(
        relpath=doc.source.relpath,
        title=doc.title,
        lang=doc.lang,
        pages=doc.pages,
        first_pages=doc.first_pages,
        date=doc.date,
        date_source=doc.date_source,
        meta_title=doc.meta_title,
        creator=doc.creator,
    )
    try:
        doc.facets = enrich(facts, doc.iter_pages())
    except Exception as exc:  # noqa: BLE001 - facets are a bonus: the text is still indexed
        doc.facets = Facets()
        doc.warnings.append(f"facets could not be extracted: {type(exc).__name__}: {exc}")
    doc.first_pages = []
    return doc


def process_file(
    source: SourceFile, known_hash: str | None, spool_dir: str, timeout: float, enrich_facets: bool = True
):
    """Extract, normalise, detect the language of, prepare the index terms of and (by default) enrich one file.

    Returns ExtractedDoc (``facets`` None when not enriched), Unchanged (when ``known_hash`` matches) or Failed.
    """
    raw_path = clean_path = None
    try:
        with time_limit(timeout):
            sha256 = file_hash(source.path)
            if sha256 == known_hash:
                return Unchanged(source, sha256)
            doc = ExtractedDoc(source=source, sha256=sha256)
            vocabulary = Vocabulary()
            fd, raw_path = tempfile.mkstemp(prefix="raw-", suffix=".jsonl", dir=spool_dir)
            first_pages: list[str] = []  # raw, lines intact: dates and titles are read from them
            with os.fdopen(fd, "w", encoding="utf-8") as raw:
                for number, text in _raw_pages(source, doc):
                    vocabulary.add_page(text)
                    if len(first_pages) < FIRST_PAGES:
                        first_pages.append(nfkc(text))
                    raw.write(json.dumps({"page": number, "text": text}) + "\n")
            if not doc.title:
                doc.title = title_from_text(strip_running_lines(first_pages[0] if first_pages else "", vocabulary))
            doc.title = clean_title(doc.title)
            vote, cover_lang = LanguageVote.empty(), None
            sample = ""  # decides the language of documents too short for any page to vote
            fd, clean_path = tempfile.mkstemp(prefix="doc-", suffix=".jsonl", dir=spool_dir)
            with open(raw_path, encoding="utf-8") as raw, os.fdopen(fd, "w", encoding="utf-8") as clean:
                for line in raw:
                    page = json.loads(line)
                    text = normalize_page(page["text"], vocabulary)
                    lang = detect_language(text)
                    vote.add(lang, text)
                    if page["page"] == 1:
                        cover_lang = lang
                    if len(sample) < 3000:
                        sample += " " + text
                    clean.write(json.dumps({"page": page["page"], "text": text, "lang": lang}) + "\n")
                    doc.pages += 1
            os.unlink(raw_path)
            raw_path = None
            voted = vote.languages(cover=cover_lang)
            doc.lang_certain = bool(voted)
            doc.langs = voted or [detect_language(sample) or "en"]
            doc.spool = _prepare_terms(doc, clean_path, spool_dir)
            clean_path = None
            doc.first_pages = first_pages
            return enrich_doc(doc) if enrich_facets else doc
    except FileTimeout:
        return Failed(source, f"took longer than {timeout:g} s to extract (per-file timeout)")
    except ExtractionError as exc:
        return Failed(source, str(exc))
    except PermissionError:
        return Failed(source, "cannot read the file: permission denied")
    except OSError as exc:
        return Failed(source, f"cannot read the file: {exc.strerror or exc}")
    except RecursionError:
        return Failed(source, "damaged PDF: structure nested too deeply")
    except Exception as exc:  # noqa: BLE001 - one bad file must never stop the run
        return Failed(source, f"unexpected error while extracting: {type(exc).__name__}: {exc}")
    finally:
        for leftover in (raw_path, clean_path):
            if leftover and os.path.exists(leftover):
                os.unlink(leftover)
