"""Extract the text of a PDF page by page with pypdf, and repair glued words.

Glued words: pypdf decides whether a gap inside a ``TJ`` array is a word
space by comparing it with the width of the font's space glyph. Fonts made
by TeX and many DTP tools have no space glyph (upstream py-pdf/pypdf#3978),
pypdf then measures some other glyph, and every word on a line runs into the
next: ``Hereareafewbasicmethods``. We detect this per page by the share of
tokens of 25 or more letters (8-14 % when glued, at most 0.1 % in clean text)
and extract such a page again with the ``TJ`` gaps normalised: a gap of at
least ``WORD_GAP`` thousandths of an em is a word space (TeX's interword space
is 250-400, its kerns stay under 100), and is made large enough that pypdf
cannot miss it. The better of the two extractions is kept.

Glued words are a property of a font, so the verdict is kept per font for
the file being read (``FontVerdicts``): once a font is known to glue, every
later page that uses it is extracted once, with the gaps normalised; once a
font is known to be clean, its pages are read plainly without attributing
text to fonts. Only pages with fonts not yet judged pay for the attribution,
and only pages that still come out glued are extracted a second time, from
the content stream already parsed for the first pass (``_shared_contents``).
pypdf also builds every font of a page again for each page and each pass
(parsing its ToUnicode map: a third of the time on Word- and ReportLab-made
reports); ``_fonts_of_file`` keeps them for the file being read.

pypdf reads a hexadecimal string (``<0041004200>``, how XeTeX and many other
tools write the text of ``TJ`` arrays) one byte at a time, through two
function calls per byte: 7 % of the time spent on TeX-made manuals.
``_read_hex_string`` reads the same strings with one regular expression and
``binascii``, and hands anything unusual (an invalid character, a string
longer than ``HEX_CHUNK``, the end of the stream) back to pypdf's reader, so
results and errors are pypdf's own.
"""

from __future__ import annotations

import binascii
import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pypdf import PdfReader
from pypdf import _page as pypdf_page
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PdfStreamError
from pypdf.generic import ArrayObject, ContentStream, FloatObject, NameObject
from pypdf.generic import _data_structures as pypdf_structures
from pypdf.generic._font import Font
from pypdf.generic._utils import create_string_object, read_hex_string_from_stream

from indexer.errors import ExtractionError

WORD_GAP = 150.0  # thousandths of an em: wider TJ gaps are word spaces
GLUED_SHARE = 0.02  # share of 25+ letter tokens above which a page counts as glued
_LETTER_TOKEN = re.compile(r"[^\W\d_]+")


@dataclass
class PdfInfo:
    """What a PDF says about itself besides its text."""

    pages: int
    title: str | None = None
    author: str | None = None
    creator: str | None = None  # the program that made the file ("Microsoft Word")
    created: datetime | None = None
    warnings: list[str] = field(default_factory=list)
    glued_pages: int = 0
    layout_title: str | None = None  # the largest type on the first page that reads like a title


_fonts_of_file = threading.local()  # per thread: a Dask worker reads several files at once


class _FileFont(Font):
    """pypdf's Font, built once per font dictionary of the file being read instead of once per page."""

    @classmethod
    def from_font_resource(cls, pdf_font_dict):
        """The Font of ``pdf_font_dict``, from the file's cache when one is open."""
        cache = getattr(_fonts_of_file, "cache", None)
        if cache is None:
            return Font.from_font_resource(pdf_font_dict)
        # The reader resolves a font dictionary to the same object on every page; keeping the
        # dictionary in the entry keeps its id from being reused. pypdf's only change to a Font
        # (space_width when the glyph has none) is the same on every page.
        entry = cache.get(id(pdf_font_dict))
        if entry is None:
            entry = cache[id(pdf_font_dict)] = (pdf_font_dict, Font.from_font_resource(pdf_font_dict))
        return entry[1]


# pypdf (pinned in setup.cfg) looks Font up in its page module at every extraction.
pypdf_page.Font = _FileFont


HEX_CHUNK = 1024  # bytes read ahead for a hex string; a longer one is left to pypdf's reader
_HEX_STRING = re.compile(rb"<([0-9A-Fa-f\x00\t\n\x0c\r ]*)>")
_HEX_WHITESPACE = b"\x00\t\n\x0c\r "  # pypdf's WHITESPACES, skipped between digits


def _read_hex_string(stream, forced_encoding=None):
    """pypdf's ``read_hex_string_from_stream`` (the stream at ``<``), without a Python call per byte."""
    start = stream.tell()
    match = _HEX_STRING.match(stream.read(HEX_CHUNK))
    if match is None:
        stream.seek(start)
        return read_hex_string_from_stream(stream, forced_encoding)
    stream.seek(start + match.end())
    digits = match.group(1).translate(None, _HEX_WHITESPACE)
    if len(digits) % 2:
        digits += b"0"  # as pypdf: a missing last digit is 0
    return create_string_object(binascii.unhexlify(digits), forced_encoding)


# pypdf's object reader looks the hex string reader up in its module at every string.
pypdf_structures.read_hex_string_from_stream = _read_hex_string


@contextmanager
def _fonts_from(cache: dict):
    """Build fonts through ``cache`` (one per file) while reading one page."""
    previous = getattr(_fonts_of_file, "cache", None)
    _fonts_of_file.cache = cache
    try:
        yield
    finally:
        _fonts_of_file.cache = previous


def glued_share(text: str) -> float:
    """Share of tokens with 25 or more letters: high when word spaces are lost."""
    tokens = _LETTER_TOKEN.findall(text)
    if not tokens:
        return 0.0
    return sum(1 for t in tokens if len(t) >= 25) / len(tokens)


def is_glued(text: str) -> bool:
    """True when a page's text has lost its word spaces."""
    tokens = _LETTER_TOKEN.findall(text)
    long_tokens = sum(1 for t in tokens if len(t) >= 25)
    return long_tokens >= 2 and long_tokens / len(tokens) >= GLUED_SHARE


def _widen_word_gaps(operator: bytes, operands: list, cm: object, tm: object) -> None:
    """pypdf visitor: turn TJ gaps that are word spaces into unmistakable ones."""
    if operator != b"TJ" or not operands or not isinstance(operands[0], ArrayObject):
        return
    array = operands[0]
    for i, item in enumerate(array):
        if isinstance(item, (int, float)) and item <= -WORD_GAP:
            array[i] = FloatObject(-100000)


def check_pdf_file(path: Path) -> None:
    """Reject files that are empty, not PDFs or truncated, before pypdf sees them."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(1024)
            fh.seek(max(0, size - 2048))
            tail = fh.read()
    except PermissionError as exc:
        raise ExtractionError("cannot read the file: permission denied") from exc
    except OSError as exc:
        raise ExtractionError(f"cannot read the file: {exc.strerror or exc}") from exc
    if size == 0:
        raise ExtractionError("empty file")
    # pypdf raises the same error for a damaged PDF and for a non-PDF, so tell them apart here.
    if b"%PDF-" not in head:
        raise ExtractionError("not a PDF file (no %PDF- header)")
    if b"%%EOF" not in tail:
        raise ExtractionError("truncated PDF (no %%EOF marker at the end)")


def open_pdf(path: Path) -> PdfReader:
    """Open a PDF, decrypting it when the user password is empty."""
    check_pdf_file(path)
    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise ExtractionError("password required")
            except DependencyError as exc:
                raise ExtractionError(f"encrypted with a method this installation cannot read: {exc}") from exc
        len(reader.pages)  # forces the page tree to be read, where damage shows
    except ExtractionError:
        raise
    except FileNotDecryptedError as exc:
        raise ExtractionError("password required") from exc
    except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ExtractionError(f"damaged PDF: {exc}") from exc
    return reader


CLEAN_TOKENS = 200  # letter tokens of a font's text, unglued, after which the font counts as clean
CLEAN_PAGES = 5  # or pages it appeared on without gluing (fonts of page numbers and symbols say little)


@dataclass
class FontVerdicts:
    """Which fonts of one file glue their words and which do not, learnt page by page."""

    glued: set = field(default_factory=set)
    clean: set = field(default_factory=set)
    tokens: dict = field(default_factory=dict)  # font -> [letter tokens, long tokens, pages]

    def learn(self, texts: dict, repaired_won: bool) -> None:
        """Take in one page's text per font; ``repaired_won`` when repairing the page helped."""
        for font, text in texts.items():
            if font in self.glued or font in self.clean:
                continue
            tokens = _LETTER_TOKEN.findall(text)
            long_tokens = sum(1 for t in tokens if len(t) >= 25)
            if repaired_won and long_tokens >= 2 and long_tokens / len(tokens) >= GLUED_SHARE:
                self.glued.add(font)
                continue
            seen = self.tokens.setdefault(font, [0, 0, 0])
            seen[0] += len(tokens)
            seen[1] += long_tokens
            seen[2] += 1
            if seen[1] == 0 and (seen[0] >= CLEAN_TOKENS or seen[2] >= CLEAN_PAGES):
                self.clean.add(font)


def _font_key(font) -> object:
    """A font's identity within its file: the object number of its dictionary."""
    ref = getattr(font, "indirect_reference", None)
    return ref.idnum if ref is not None else id(font)


def _page_fonts(page) -> set:
    """The fonts a page's own resources name (fonts inside form XObjects are not listed)."""
    try:
        fonts = page["/Resources"].get_object().get("/Font")
        return {_font_key(ref.get_object()) for ref in fonts.get_object().values()} if fonts else set()
    except (AttributeError, KeyError, TypeError, ValueError):
        return set()


@contextmanager
def _shared_contents(page):
    """Parse a page's content stream once for all its extractions, and let go of it afterwards."""
    original = page.get("/Contents")
    if original is None:
        yield
        return
    try:
        page[NameObject("/Contents")] = ContentStream(original.get_object(), page.pdf, "bytes")
    except (AttributeError, TypeError, ValueError, PdfReadError, PdfStreamError):
        yield  # pypdf reports the damage itself when it reads the page
        return
    try:
        yield
    finally:
        # Put the reference back: the parsed operations would otherwise live as long as the reader.
        page[NameObject("/Contents")] = original


def _repaired_text(page) -> str:
    return page.extract_text(visitor_operand_before=_widen_word_gaps) or ""


def _page_text(page, verdicts: FontVerdicts | None = None, before_repair=None) -> tuple[str, bool]:
    """Text of one page, re-extracted with word gaps repaired when it comes out glued.

    ``verdicts`` carries what earlier pages taught about the file's fonts; ``before_repair(page)``
    runs while the page's content stream is still as parsed (the repair rewrites its word gaps).
    """
    verdicts = verdicts if verdicts is not None else FontVerdicts()
    fonts = _page_fonts(page)
    with _shared_contents(page):
        if fonts & verdicts.glued:
            if before_repair:
                before_repair(page)
            return _repaired_text(page), True
        texts: dict = {}

        def attribute(text, cm, tm, font, font_size):
            if font is not None and text:
                key = _font_key(font)
                texts[key] = texts.get(key, "") + text

        undecided = not fonts or bool(fonts - verdicts.clean)
        text = (page.extract_text(visitor_text=attribute) if undecided else page.extract_text()) or ""
        if before_repair:
            before_repair(page)
        if not is_glued(text):
            verdicts.learn(texts, repaired_won=False)
            return text, False
        repaired = _repaired_text(page)
        won = glued_share(repaired) < glued_share(text)
        verdicts.learn(texts, repaired_won=won)
        return (repaired, True) if won else (text, False)


def title_from_layout(page) -> str | None:
    """The text set in the largest type on a page that reads like a title (a brand name alone does not)."""
    sizes: dict[float, list[str]] = {}

    def collect(text, cm, tm, font, font_size):
        if text.strip():
            size = round(font_size * (abs(tm[3] * cm[3]) or 1), 1)
            sizes.setdefault(size, []).append(" ".join(text.split()))

    page.extract_text(visitor_text=collect)
    for size in sorted(sizes, reverse=True):
        candidate = " ".join(sizes[size])
        words = candidate.split()
        if 2 <= len(words) <= 30 and any(c.islower() for c in candidate):
            return candidate
    return None


class _WarningCollector(logging.Handler):
    """Keeps pypdf's logged warnings for the file being read."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message not in self.messages and len(self.messages) < 20:
            self.messages.append(message)


def _metadata(reader: PdfReader, info: PdfInfo) -> None:
    try:
        meta = reader.metadata
        if meta:
            info.title = (meta.title or "").strip() or None
            info.author = (meta.author or "").strip() or None
            info.creator = (meta.creator or "").strip() or None
            info.created = meta.creation_date
    except Exception as exc:  # noqa: BLE001 - broken metadata must not lose the text
        info.warnings.append(f"unreadable metadata: {exc}")


def iter_pdf_pages(path: Path, info: PdfInfo | None = None) -> Iterator[tuple[int, str]]:
    """Yield ``(page_number, text)`` for every page, numbered from 1 as a viewer shows them.

    Raises ExtractionError for files that cannot be read; fills ``info`` as it goes.
    """
    collector = _WarningCollector()
    pypdf_logger = logging.getLogger("pypdf")
    pypdf_logger.addHandler(collector)
    try:
        reader = open_pdf(path)
        info = info if info is not None else PdfInfo(pages=0)
        info.pages = len(reader.pages)
        _metadata(reader, info)
        chars = 0
        verdicts, fonts = FontVerdicts(), {}
        for number, page in enumerate(reader.pages, start=1):
            titles: list[str | None] = []

            def read_title(page, titles=titles) -> None:
                titles.append(title_from_layout(page))

            try:
                with _fonts_from(fonts):
                    text, repaired = _page_text(page, verdicts, read_title if number == 1 else None)
            except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError, AttributeError) as exc:
                info.warnings.append(f"page {number}: {exc}")
                text, repaired = "", False
            info.glued_pages += repaired
            if number == 1 and text.strip() and titles:
                info.layout_title = titles[0]
            chars += len(text.strip())
            yield number, text
        if chars < 10 * max(1, info.pages) and chars < 200:
            raise ExtractionError("no text layer: needs OCR")
    finally:
        pypdf_logger.removeHandler(collector)
        if info is not None:
            info.warnings.extend(collector.messages)
