"""Extract the text of Word (``.docx``, python-docx) and OpenDocument (``.odt``, odfpy) files.

Word processors do not store pages (where a page ends depends on the printer), so a
document is cut where its author cut it: every heading of the first level (Word's
"Heading 1", ODF's ``text:h`` of outline level 1) and every explicit page break starts
a new page. Page numbers of an office document therefore count its sections.
Tables are read row by row, a cell's paragraphs after one another.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from indexer.errors import ExtractionError
from indexer.ingest.extracted import TextFile

PAGE_BREAK = "\f"  # the pipeline splits a text into pages at form feeds


def _pages_text(pages: list[list[str]]) -> str:
    return PAGE_BREAK.join("\n".join(lines) for lines in pages if any(line.strip() for line in lines))


def _check_zip(path: Path, member: str, kind: str) -> None:
    """Tell an unreadable, truncated or mislabelled file from a document before the library sees it."""
    try:
        if path.stat().st_size == 0:
            raise ExtractionError("empty file")
        with zipfile.ZipFile(path) as archive:
            if member not in archive.namelist():
                raise ExtractionError(f"not a {kind} file (no {member} inside)")
    except PermissionError as exc:
        raise ExtractionError("cannot read the file: permission denied") from exc
    except zipfile.BadZipFile as exc:
        raise ExtractionError(f"damaged or not a {kind} file (not a readable ZIP package)") from exc
    except OSError as exc:
        raise ExtractionError(f"cannot read the file: {exc.strerror or exc}") from exc


def _docx_blocks(document):
    """Paragraphs and table cells' paragraphs of a python-docx document, in reading order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            yield block
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    yield from cell.paragraphs


def extract_docx(path: Path) -> TextFile:
    """Text of a Word file, a page per first-level heading; title and date from its core properties."""
    import docx

    _check_zip(path, "word/document.xml", "Word")
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many types for damaged packages
        raise ExtractionError(f"damaged Word file: {type(exc).__name__}: {exc}") from exc
    pages: list[list[str]] = [[]]
    title = None
    for paragraph in _docx_blocks(document):
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        text = paragraph.text.strip()
        if style == "Title" and text and not title:
            title = text
        if style == "Heading 1" and any(pages[-1]):
            pages.append([])
        pages[-1].append(paragraph.text)
        if any(run.element.xpath(".//w:br[@w:type='page']") for run in paragraph.runs) and any(pages[-1]):
            pages.append([])
    properties = document.core_properties
    created = properties.created or properties.modified
    return TextFile(
        text=_pages_text(pages),
        title=(properties.title or "").strip() or title,
        date=created.date().isoformat() if created else None,
    )


def extract_odt(path: Path) -> TextFile:
    """Text of an OpenDocument text file, a page per first-level heading; title and date from its meta.xml."""
    from odf import teletype
    from odf.opendocument import load

    _check_zip(path, "content.xml", "OpenDocument")
    try:
        document = load(str(path))
    except Exception as exc:  # noqa: BLE001 - odfpy raises XML and KeyError alike for damaged files
        raise ExtractionError(f"damaged OpenDocument file: {type(exc).__name__}: {exc}") from exc
    pages: list[list[str]] = [[]]
    # Walk in document order: headings and paragraphs interleaved as written.
    for element in _odf_blocks(document.text):
        if element.qname[1] == "h" and str(element.getAttribute("outlinelevel") or "1") == "1" and any(pages[-1]):
            pages.append([])
        pages[-1].append(teletype.extractText(element))
    title, date = _odf_meta(document)
    return TextFile(text=_pages_text(pages), title=title, date=date)


def _odf_blocks(node):
    """Headings and paragraphs under ``node`` in document order (a paragraph inside a list or table too)."""
    for child in node.childNodes:
        name = getattr(child, "qname", (None, None))[1]
        if name in ("h", "p"):
            yield child
        elif getattr(child, "childNodes", None):
            yield from _odf_blocks(child)


def _odf_meta(document) -> tuple[str | None, str | None]:
    from odf import dc, meta

    def first(kind) -> str | None:
        found = document.meta.getElementsByType(kind)
        value = str(found[0]).strip() if found else ""
        return value or None

    date = first(meta.CreationDate) or first(dc.Date)
    return first(dc.Title), date[:10] if date else None
