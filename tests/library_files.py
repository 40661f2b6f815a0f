"""Files for the librarian's tests, made with real libraries: scans (Pillow, reportlab), DOCX, ODT.

None is written by hand: a scanned page is text drawn by Pillow into a bitmap that reportlab places
on a PDF page without any text layer, as a scanner's PDF has.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import reportlab
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from tests.pdfs import wrap

FONT = os.path.join(os.path.dirname(reportlab.__file__), "fonts", "Vera.ttf")
SCAN_DPI = 200


def scanned_page_image(text: str) -> Image.Image:
    """An A4 greyscale bitmap at ``SCAN_DPI`` with ``text`` set in 18 pt type, as a scanner would see a page."""
    width, height = int(8.27 * SCAN_DPI), int(11.69 * SCAN_DPI)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, int(18 * SCAN_DPI / 72 / 1.4))
    y = int(1.2 * SCAN_DPI)
    for line in textwrap.wrap(text, 55):
        draw.text((int(0.9 * SCAN_DPI), y), line, font=font, fill=0)
        y += int(font.size * 1.6)
    return image


def write_scan_pdf(path: Path, pages: list[str | None]) -> Path:
    """A PDF whose pages are scans of the given texts; a ``None`` page is not scanned but typeset (has text)."""
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for text in pages:
        if text is None:
            raise ValueError("use write_mixed_pdf for typeset pages")
        c.drawImage(ImageReader(scanned_page_image(text)), 0, 0, width=A4[0], height=A4[1])
        c.showPage()
    c.save()
    return path


def write_mixed_pdf(path: Path, typeset: str, scanned: str) -> Path:
    """Page 1 typeset (a text layer), page 2 a scan of ``scanned`` (no text layer)."""
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("Times-Roman", 11)
    y = 780
    for line in wrap(typeset):
        c.drawString(72, y, line)
        y -= 14
    c.showPage()
    c.drawImage(ImageReader(scanned_page_image(scanned)), 0, 0, width=A4[0], height=A4[1])
    c.showPage()
    c.save()
    return path


def write_docx(path: Path, title: str, sections: list[tuple[str, str]], table: list[list[str]] | None = None) -> Path:
    """A Word file made by python-docx: a title, then a Heading 1 and a paragraph per section."""
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.add_paragraph(title, style="Title")
    for heading, body in sections:
        document.add_heading(heading, level=1)
        document.add_paragraph(body)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    document.save(str(path))
    return path


def write_odt(path: Path, title: str, sections: list[tuple[str, str]]) -> Path:
    """An OpenDocument text made by odfpy: a heading of level 1 and a paragraph per section."""
    from odf import dc
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    document = OpenDocumentText()
    document.meta.addElement(dc.Title(text=title))
    for heading, body in sections:
        document.text.addElement(H(outlinelevel=1, text=heading))
        document.text.addElement(P(text=body))
    document.save(str(path))
    return path
