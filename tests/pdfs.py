"""Build the test PDFs with real PDF libraries: reportlab draws, pypdf encrypts and rewrites.

Every PDF used by the tests is made here; none is written by hand.
"""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, FloatObject, NameObject, NumberObject
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

# Vera ships inside reportlab and has the fi and fl ligature glyphs.
pdfmetrics.registerFont(TTFont("Vera", "Vera.ttf"))

PROSE = {
    "en": (
        "The city council opened a welcome centre where newcomers find advice on housing, employment and "
        "language courses. Immigrants who arrived last year now mentor the families who arrive today, and "
        "the library offers conversation circles every week in the neighbourhood."
    ),
    "de": (
        "Die Stadt eröffnete ein Willkommenszentrum, in dem Einwanderer Beratung zu Wohnung, Arbeit und "
        "Sprachkursen erhalten. Zugewanderte, die im letzten Jahr gekommen sind, begleiten heute die Familien, "
        "die neu ankommen, und die Bibliothek lädt jede Woche zu Gesprächskreisen im Stadtteil ein."
    ),
    "es": (
        "El ayuntamiento abrió un centro de acogida donde los inmigrantes reciben orientación sobre vivienda, "
        "empleo y cursos de idiomas. Las personas que llegaron el año pasado acompañan hoy a las familias que "
        "llegan, y la biblioteca organiza cada semana círculos de conversación en el barrio."
    ),
    "fr": (
        "La municipalité a ouvert un centre d'accueil où les nouveaux arrivants trouvent des conseils sur le "
        "logement, l'emploi et les cours de langue. Les immigrés arrivés l'an dernier accompagnent aujourd'hui "
        "les familles qui arrivent, et la bibliothèque propose chaque semaine des cercles de conversation."
    ),
}


def wrap(text: str, font: str = "Times-Roman", size: float = 11, width: float = 440) -> list[str]:
    """Break text into lines that fit ``width`` points."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and pdfmetrics.stringWidth(candidate, font, size) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return lines + [line] if line else lines


def write_pdf(
    path: Path,
    pages: list[list[str]],
    title: str | None = None,
    header: str | None = None,
    font: str = "Times-Roman",
    columns: list[list[str]] | None = None,
    metadata: bool = True,
) -> Path:
    """Write ``pages`` (lists of lines) to a PDF; ``header`` adds a running head with the page number on one line.

    ``columns`` (left lines, right lines) adds a final two-column page.
    """
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    if metadata and title:
        c.setTitle(title)
        c.setAuthor("citymig tests")
    total = len(pages) + (1 if columns else 0)

    def running_head(number: int) -> None:
        if header:
            c.setFont("Helvetica", 8)
            c.drawString(72, 800, f"{header}    {number}")
            c.drawCentredString(297, 40, f"Page {number} of {total}")

    for number, lines in enumerate(pages, start=1):
        running_head(number)
        text = c.beginText(72, 760)
        text.setFont(font, 11)
        text.setLeading(15)
        for line in lines:
            text.textLine(line)
        c.drawText(text)
        c.showPage()
    if columns:
        running_head(total)
        for x, lines in zip((72, 320), columns, strict=True):
            text = c.beginText(x, 760)
            text.setFont(font, 11)
            text.setLeading(15)
            for line in lines:
                text.textLine(line)
            c.drawText(text)
        c.showPage()
    c.save()
    return path


def write_prose_pdf(path: Path, lang: str, pages: int = 3, title: str | None = None) -> Path:
    """A report of ``pages`` pages of prose in one language, with running heads and page numbers."""
    body = wrap(" ".join([PROSE[lang]] * 3))
    return write_pdf(path, [body] * pages, title=title or f"Report {lang}", header=f"Cities report ({lang})")


def write_tex_like_pdf(path: Path, text: str, size: float = 10) -> Path:
    """A page set the way TeX sets it: no space glyph, word gaps as ``TJ`` offsets.

    reportlab draws each word with a ``Tj`` and a move; pypdf then rewrites the
    content stream so each line is one ``TJ`` array, and gives the font an
    encoding whose code 32 names a glyph (as TeX's OT1 does), so the font has
    no space: pypdf's plain extraction glues the words (py-pdf/pypdf#3978).
    """
    gap = 0.33  # em: TeX's interword space
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    y = 780.0
    for line in wrap(text, size=size):
        words = c.beginText(72, y)
        words.setFont("Times-Roman", size)
        for word in line.split():
            words.textOut(word)
            words.moveCursor(pdfmetrics.stringWidth(word, "Times-Roman", size) + gap * size, 0)
        c.drawText(words)
        y -= 14
    c.showPage()
    c.save()
    writer = PdfWriter(clone_from=io.BytesIO(buffer.getvalue()))
    page = writer.pages[0]
    content = ContentStream(page.get_contents(), writer)
    operations: list = []
    for operands, operator in content.operations:
        in_line = operations and operations[-1][1] == b"TJ"
        if operator == b"Tj" and in_line:
            operations[-1][0][0].extend([FloatObject(-gap * 1000), operands[0]])
        elif operator == b"Tj":
            operations.append(([ArrayObject([operands[0]])], b"TJ"))
        elif operator == b"Td" and in_line:
            continue  # the move is now the gap inside the TJ array
        else:
            operations.append((operands, operator))
    content.operations = operations
    page.replace_contents(content)
    for font in page["/Resources"]["/Font"].values():
        font.get_object()[NameObject("/Encoding")] = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Encoding"),
                NameObject("/BaseEncoding"): NameObject("/WinAnsiEncoding"),
                NameObject("/Differences"): ArrayObject([NumberObject(32), NameObject("/Q")]),
            }
        )
    writer.write(path)
    return path


def encrypt_pdf(source: Path, target: Path, user_password: str, algorithm: str = "AES-256") -> Path:
    """Encrypt a PDF with pypdf; an empty user password opens without asking."""
    writer = PdfWriter(clone_from=source)
    writer.encrypt(user_password=user_password, owner_password="librarian-owner", algorithm=algorithm)
    writer.write(target)
    return target


def write_scanned_pdf(path: Path) -> Path:
    """A 'scan': pages with only drawings and no text layer."""
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for _ in range(2):
        c.setFillGray(0.85)
        c.rect(60, 60, 475, 720, fill=1)
        for y in range(700, 100, -14):
            c.setFillGray(0.2)
            c.rect(80, y, 430, 6, fill=1)
        c.showPage()
    c.save()
    return path
