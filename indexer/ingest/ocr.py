"""Read the words of scanned PDF pages with Tesseract (Debian's ``tesseract-ocr``).

A page without a text layer is rendered with PDFium (pypdfium2) at ``DPI`` and read by
Tesseract through pytesseract, one page at a time, in the document's language when the
pages with text tell it, otherwise with all four languages' data at once. Measured on a
rendered A4 page (see the README): PDFium renders in 0.19 s where poppler's pdftoppm
takes 0.68 s, and Tesseract reads the page in about 1.4 s at 300 dpi.

A page with nothing drawn on it (an intentionally blank page) is not a scan: it costs one
rendering, never a Tesseract run. Without Tesseract the scanned pages stay empty and the
caller reports ``NEEDS_TESSERACT``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from indexer.errors import ExtractionError

DPI = 300  # Tesseract's documented sweet spot for body text
TESSERACT_LANGS = {"en": "eng", "de": "deu", "es": "spa", "fr": "fra"}  # our languages → Tesseract's data
NEEDS_TESSERACT = "needs OCR: install tesseract-ocr"
MIN_TEXT = 20  # characters below which a page counts as having no text layer
BLANK = 245  # grey level (0 black, 255 white): a page with no darker pixel has nothing drawn on it


class OcrUnavailable(Exception):
    """Tesseract (or its language data) is not installed."""


@cache
def installed_languages() -> frozenset[str]:
    """Tesseract's installed language data among ours ({} when Tesseract is missing)."""
    if not shutil.which("tesseract"):
        return frozenset()
    import pytesseract

    try:
        have = set(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractError, OSError):
        return frozenset()
    return frozenset(code for code in TESSERACT_LANGS.values() if code in have)


def available() -> bool:
    """True when Tesseract and at least one of our languages' data are installed."""
    return bool(installed_languages())


def tesseract_languages(lang: str | None) -> str:
    """The ``-l`` argument for a page in ``lang`` (None: every installed language of ours)."""
    have = installed_languages()
    code = TESSERACT_LANGS.get(lang or "")
    if code in have:
        return code
    return "+".join(sorted(have))


def has_text(text: str) -> bool:
    """True when a page's text layer holds more than a stray mark or page number."""
    return len(text.strip()) >= MIN_TEXT


class PageReader:
    """Renders and reads the pages without text of one PDF; open once per file, close when done."""

    def __init__(self, path: Path) -> None:
        import pypdfium2

        self._pdf = pypdfium2.PdfDocument(str(path))

    def read(self, number: int, lang: str | None = None) -> str | None:
        """Tesseract's words on page ``number`` (from 1); None when nothing is drawn on it (a blank page).

        Raise OcrUnavailable for a page with something on it when Tesseract is not installed.
        """
        page = self._pdf[number - 1]
        try:
            image = page.render(scale=DPI / 72, grayscale=True).to_pil()
        finally:
            page.close()
        if image.getextrema()[0] >= BLANK:  # no pixel darker than paper: an empty page, not a scan
            return None
        if not available():
            raise OcrUnavailable(NEEDS_TESSERACT)
        import pytesseract

        # One OpenMP thread per Tesseract: the pipeline already runs one worker per core.
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        return pytesseract.image_to_string(image, lang=tesseract_languages(lang))

    def close(self) -> None:
        """Release the PDF."""
        self._pdf.close()


@dataclass
class ScanRecord:
    """Which pages of a PDF had no text layer, which of them Tesseract read, and whether it could."""

    textless: list[int] = field(default_factory=list)  # pages with something drawn but no text layer
    ocr: list[int] = field(default_factory=list)  # pages whose words come from Tesseract
    unavailable: bool = False  # Tesseract is not installed: the textless pages stay empty
    error: str | None = None  # PDFium could not render the file's pages


def with_ocr(pages: Iterator[tuple[int, str]], path: Path, scan: ScanRecord) -> Iterator[tuple[int, str]]:
    """Pass ``(number, text)`` pages through, reading the ones without a text layer with Tesseract.

    A blank page (nothing drawn) is passed as it is, not counted as a scan. The language of a
    scanned page is the one the text pages before it are written in, when there are enough of
    them to tell (or the scanned pages before it, once read). A PDF that is all scan fails only
    when Tesseract is missing or finds nothing.
    """
    from indexer.ingest.language import detect_language

    reader: PageReader | None = None
    sample = ""
    try:
        try:
            for number, text in pages:
                if has_text(text) or scan.error:
                    if len(sample) < 3000:
                        sample += " " + text
                    yield number, text
                    continue
                try:
                    reader = reader or PageReader(path)
                    read = reader.read(number, detect_language(sample) if sample.strip() else None)
                except OcrUnavailable:
                    scan.unavailable, read = True, ""
                except Exception as exc:  # noqa: BLE001 - a renderer's failure must not lose the text pages
                    scan.error, read = f"pages without text could not be rendered for OCR: {exc}", None
                if read is not None:
                    scan.textless.append(number)
                    if has_text(read):
                        scan.ocr.append(number)
                        text = read
                        if len(sample) < 3000:  # the next scans are read in this page's language only
                            sample += " " + read
                yield number, text
        except ExtractionError as exc:
            # pdf.py's verdict on a file without any text layer: the OCR above may have found its words.
            if not str(exc).startswith("no text layer"):
                raise
            if scan.error:
                raise ExtractionError(f"no text layer, and {scan.error}") from exc
            if not scan.textless:
                raise ExtractionError("no text: every page is blank") from exc
            if scan.unavailable:
                raise ExtractionError(f"no text layer: {NEEDS_TESSERACT}") from exc
            if not scan.ocr:
                raise ExtractionError("no text layer: needs OCR, and Tesseract found no words on its pages") from exc
    finally:
        if reader is not None:
            reader.close()
