"""The real-document evaluation set: four texts about the archive, rendered as a library receives them, and traps.

The texts in ``tests/data/real/`` are real documents about the Cities of Migration archive (a policy
report, a project description, a blog post and a tribute web page). ``build_real_documents`` renders
them with reportlab (PDFs without title metadata, their titles in large type on the first page, as a
scanned-in or exported report arrives) or as a saved web page. The *traps* are real PDFs from Debian's
documentation packages (installed by ``.ci/run``): software manuals in en/de/es/fr that are about no
city and no theme of the archive. Gold labels, read from the documents: ``tests/data/real_gold.json``.
"""

from __future__ import annotations

import gzip
import html
import json
import re
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from tests.pdfs import wrap

DATA = Path(__file__).parent / "data"
TEXTS = DATA / "real"
GOLD = DATA / "real_gold.json"

_MARKUP = re.compile(r"</?i>|\*\*|(?<!\w)\*|\*(?!\w)")


def gold() -> dict:
    """The gold labels: ``{"documents": [...], "traps": [...]}``."""
    return json.loads(GOLD.read_text(encoding="utf-8"))


class _Pages:
    """A reportlab canvas that flows blocks of text down A4 pages, with an optional running head."""

    def __init__(self, path: Path, header: str | None = None) -> None:
        self.c = canvas.Canvas(str(path), pagesize=A4, invariant=1)  # no title metadata: as many reports arrive
        self.header = header
        self.number = 0
        self.y = 0.0
        self._new_page()

    def _new_page(self) -> None:
        if self.number:
            self.c.showPage()
        self.number += 1
        if self.header and self.number > 1:
            self.c.setFont("Helvetica", 8)
            self.c.drawString(72, 806, self.header)
        self.c.setFont("Helvetica", 8)
        self.c.drawCentredString(297, 30, str(self.number))
        self.y = 780.0

    def block(self, text: str, font: str = "Times-Roman", size: float = 10.5, space: float = 6) -> None:
        """Draw a paragraph, wrapped to the text width, starting a new page when it does not fit."""
        for line in wrap(text, font, size, 450):
            if self.y < 60:
                self._new_page()
            self.c.setFont(font, size)
            self.c.drawString(72, self.y, line)
            self.y -= size * 1.35
        self.y -= space

    def break_page(self) -> None:
        """Start a new page."""
        self._new_page()

    def save(self) -> None:
        """Write the PDF."""
        self.c.showPage()
        self.c.save()


def _paragraphs(path: Path) -> list[str]:
    text = _MARKUP.sub("", path.read_text(encoding="utf-8"))
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def _is_heading(paragraph: str) -> bool:
    return len(paragraph) < 80 and not paragraph.endswith((".", ",", ";")) and not paragraph[:1].isdigit()


def _render_report(source: Path, target: Path, title_lines: int, subtitle_lines: int, header: str) -> None:
    lines = [line.strip() for line in _MARKUP.sub("", source.read_text(encoding="utf-8")).splitlines()]
    lines = [line for line in lines if line]
    pages = _Pages(target, header=header)
    pages.y = 640
    for line in lines[:title_lines]:
        pages.block(line, "Helvetica-Bold", 28, 4)
    for line in lines[title_lines : title_lines + subtitle_lines]:
        pages.block(line, "Helvetica", 18, 2)
    pages.y -= 40
    rest = "\n".join(lines[title_lines + subtitle_lines :])
    body = _paragraphs_of(rest)
    for paragraph in body:
        if _is_heading(paragraph):
            pages.block(paragraph, "Helvetica-Bold", 12, 4)
        else:
            pages.block(paragraph)
    pages.save()


def _paragraphs_of(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _render_blog(source: Path, target: Path) -> None:
    paragraphs = _paragraphs(source)
    site, title, dek, *rest = paragraphs
    pages = _Pages(target, header=site)
    pages.block(site, "Helvetica-Bold", 14, 18)  # the site's banner, also the running head of later pages
    pages.block(title, "Helvetica-Bold", 22, 8)
    pages.block(dek, "Helvetica-Oblique", 12, 8)
    for paragraph in rest:
        pages.block(paragraph, "Helvetica-Bold", 12, 4) if _is_heading(paragraph) else pages.block(paragraph)
    pages.save()


def _render_web_page(source: Path, target: Path) -> None:
    paragraphs = _paragraphs(source)
    skip, title, *rest = paragraphs
    body = "\n".join(f"<h2>{html.escape(p)}</h2>" if _is_heading(p) else f"<p>{html.escape(p)}</p>" for p in rest)
    # A page saved from the browser without its <head>: the skip link of the site's accessibility
    # boilerplate comes first, the page's own heading second.
    target.write_text(
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'></head><body>"
        f"<p><a class='skip' href='#main'>{html.escape(skip)}</a></p><main id='main'>"
        f"<h1>{html.escape(title)}</h1>{body}</main></body></html>",
        encoding="utf-8",
    )


def build_real_documents(root: Path) -> Path:
    """Render the four real texts into ``root`` (file names as in the gold labels)."""
    root.mkdir(parents=True, exist_ok=True)
    _render_report(TEXTS / "practice-to-policy.txt", root / "practice-to-policy.pdf", 1, 2, "Practice to Policy")
    _render_report(TEXTS / "project-description.txt", root / "cities-of-migration.pdf", 1, 0, "Cities of Migration")
    _render_blog(TEXTS / "blog-local-leadership.txt", root / "lessons-local-leadership.pdf")
    _render_web_page(TEXTS / "tribute.txt", root / "tribute.html")
    return root


def trap_sources() -> list[tuple[dict, Path]]:
    """The trap manuals of the gold labels with their installed file (which may be absent)."""
    return [(entry, Path(entry["source"])) for entry in gold()["traps"]]


def copy_traps(root: Path) -> list[str]:
    """Copy the installed trap PDFs into ``root`` (unpacking .pdf.gz); returns the ones that are missing."""
    root.mkdir(parents=True, exist_ok=True)
    missing = []
    for entry, source in trap_sources():
        target = root / entry["path"]
        if not source.exists():
            missing.append(str(source))
            continue
        if not target.exists():
            data = source.read_bytes()
            target.write_bytes(gzip.decompress(data) if source.suffix == ".gz" else data)
    return missing
