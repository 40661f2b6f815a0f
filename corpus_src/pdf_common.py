"""What the profile and report PDF writers share.

- ``setup_reportlab``: deterministic output (``rl_config.invariant``, no
  stream compression so bytes do not depend on the zlib build).
- font families: standard Type1 (Helvetica, Times; WinAnsi text only) and
  Bitstream Vera (a TTF shipped inside reportlab, embedded as a subset, with
  the U+FB01/U+FB02 "fi"/"fl" ligature glyphs that ``ligate`` substitutes).
- ``Markup``: inline Markdown tokens -> reportlab paragraph markup (escaping,
  bold/italic, typographic apostrophes, footnote references).
- ``DocInfo`` / ``canvas_maker``: the PDF Info dictionary per ``pdf_meta``
  (full / none / misleading), with dates set explicitly.
- Footnotes at the bottom of the frame: in ``footnotes``.
"""
from __future__ import annotations

import datetime as _dt
import os
import re
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFInfo, PDFString
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from sources import inline_tokens

HYPHENATION = {"en": "en_GB", "de": "de_DE", "es": "es_ES", "fr": "fr_FR"}


def setup_reportlab():
    rl_config.invariant = 1
    rl_config.pageCompression = 0


# ---------------------------------------------------------------- fonts

FAMILIES = {
    "helvetica": dict(regular="Helvetica", bold="Helvetica-Bold",
                      italic="Helvetica-Oblique", bolditalic="Helvetica-BoldOblique",
                      ttf=False, ligatures=False),
    "times": dict(regular="Times-Roman", bold="Times-Bold", italic="Times-Italic",
                  bolditalic="Times-BoldItalic", ttf=False, ligatures=False),
    "vera": dict(regular="Vera", bold="VeraBd", italic="VeraIt", bolditalic="VeraBI",
                 ttf=True, ligatures=True),
}
_vera_cmap: set[int] = set()
_fallback_cmap: set[int] = set()
# Characters that Vera lacks (e.g. the macron vowels of "Māori") are set in
# DejaVu Sans, Vera's extension with the same design, taken from the system
# (Debian package fonts-dejavu-core); only documents that need it use it.
FALLBACK_DIR = "/usr/share/fonts/truetype/dejavu"
FALLBACK = {"Vera": "DejaVuSans", "VeraBd": "DejaVuSans-Bold",
            "VeraIt": "DejaVuSans-Oblique", "VeraBI": "DejaVuSans-BoldOblique"}


def register_fonts():
    if "Vera" in pdfmetrics.getRegisteredFontNames():
        return
    import reportlab
    fdir = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    for name in ("Vera", "VeraBd", "VeraIt", "VeraBI"):
        pdfmetrics.registerFont(TTFont(name, os.path.join(fdir, name + ".ttf")))
    pdfmetrics.registerFontFamily("Vera", normal="Vera", bold="VeraBd",
                                  italic="VeraIt", boldItalic="VeraBI")
    _vera_cmap.update(pdfmetrics.getFont("Vera").face.charToGlyph.keys())
    if all(os.path.exists(os.path.join(FALLBACK_DIR, f + ".ttf")) for f in FALLBACK.values()):
        for name in FALLBACK.values():
            pdfmetrics.registerFont(TTFont(name, os.path.join(FALLBACK_DIR, name + ".ttf")))
        pdfmetrics.registerFontFamily("DejaVuSans", normal="DejaVuSans",
                                      bold="DejaVuSans-Bold", italic="DejaVuSans-Oblique",
                                      boldItalic="DejaVuSans-BoldOblique")
        _fallback_cmap.update(pdfmetrics.getFont("DejaVuSans").face.charToGlyph.keys())


def missing_chars(family: str, text: str) -> str:
    """The characters of text that cannot be set in this family (for Vera:
    not even with the DejaVu fallback)."""
    chars = set(text) - {"\n", "\t", "\r"}
    if FAMILIES[family]["ttf"]:
        register_fonts()
        bad = [c for c in chars if ord(c) not in _vera_cmap and ord(c) not in _fallback_cmap]
    else:
        bad = []
        for c in chars:
            try:
                c.encode("cp1252")
            except UnicodeEncodeError:
                bad.append(c)
    return "".join(sorted(bad))


def family_covers(family: str, text: str) -> bool:
    return not missing_chars(family, text)


def font_runs(text: str, font: str):
    """Split text into (run, font name) pieces, using the DejaVu fallback for
    characters a Vera font lacks."""
    if font not in FALLBACK or not _fallback_cmap:
        return [(text, font)]
    runs = []
    for ch in text:
        f = font if (ord(ch) in _vera_cmap or ord(ch) not in _fallback_cmap) else FALLBACK[font]
        if runs and runs[-1][1] == f:
            runs[-1] = (runs[-1][0] + ch, f)
        else:
            runs.append((ch, f))
    return runs


def draw_text(canv, x, y, pieces, align="left"):
    """Draw ``pieces`` — a list of (text, font, size, gap_before) — as ONE
    text object on one baseline (so extractors read them as one line), with
    the DejaVu fallback for characters a Vera font lacks."""
    if isinstance(pieces, str):
        raise TypeError("pieces must be a list of (text, font, size, gap)")
    runs = []
    for text, font, size, gap in pieces:
        for i, (t, f) in enumerate(font_runs(text, font)):
            runs.append((t, f, size, gap if i == 0 else 0.0))
    width = sum(pdfmetrics.stringWidth(t, f, sz) + g for t, f, sz, g in runs)
    if align == "right":
        x -= width
    elif align == "center":
        x -= width / 2.0
    tx = canv.beginText(x, y)
    for t, f, sz, g in runs:
        if g:
            tx.moveCursor(g, 0)
        tx.setFont(f, sz)
        tx.textOut(t)
        tx.moveCursor(pdfmetrics.stringWidth(t, f, sz), 0)
    canv.drawText(tx)


def ligate(text: str) -> str:
    return text.replace("fi", "\ufb01").replace("fl", "\ufb02")


_APOS_RE = re.compile(r"(?<=\w)'(?=\w)")


class Markup:
    """Inline Markdown -> reportlab markup for one document.

    Footnote labels are numbered 1, 2, ... in order of first reference; the
    first reference carries the onDraw hook that places the note."""

    def __init__(self, family: str, note_texts: dict[str, str] | None = None):
        self.lig = FAMILIES[family]["ligatures"]
        self.ttf = FAMILIES[family]["ttf"]
        self.note_texts = note_texts or {}
        self.numbers: dict[str, int] = {}
        self.notes: dict[int, str] = {}     # number -> markup of the note text

    def text(self, s: str, bold: bool = False, italic: bool = False) -> str:
        s = _APOS_RE.sub("\u2019", s)
        if self.lig:
            s = ligate(s)
        if not self.ttf:
            return escape(s)
        vera = ("VeraBI" if italic else "VeraBd") if bold else ("VeraIt" if italic else "Vera")
        out = []
        for run, font in font_runs(s, vera):
            out.append(escape(run) if font == vera
                       else '<font name="%s">%s</font>' % (font, escape(run)))
        return "".join(out)

    def __call__(self, md: str, notes: bool = True, bold: bool = False,
                 italic: bool = False) -> str:
        """bold/italic: the paragraph style's own weight and slant."""
        out = []
        b, i = bold, italic
        for tok in inline_tokens(md):
            kind = tok[0]
            if kind == "text":
                out.append(self.text(tok[1], b, i))
            elif kind == "link":
                out.append(self.text(tok[1], b, i))
            elif kind == "bold":
                out.append("<b>" if tok[1] else "</b>")
                b = tok[1] or bold
            elif kind == "italic":
                out.append("<i>" if tok[1] else "</i>")
                i = tok[1] or italic
            elif kind == "note" and notes:
                label = tok[1]
                if label not in self.note_texts:
                    continue          # undefined footnote: drop the reference
                if label in self.numbers:
                    out.append("<super>%d</super>" % self.numbers[label])
                    continue
                n = self.numbers[label] = len(self.numbers) + 1
                self.notes[n] = self(self.note_texts[label], notes=False)
                out.append('<onDraw name="_fnref" label="%d"/><super>%d</super>' % (n, n))
        return "".join(out)

    def plain(self, md: str, bold: bool = False, italic: bool = False) -> str:
        """Markup for headings/TOC: no footnotes."""
        return self(md, notes=False, bold=bold, italic=italic)


# ---------------------------------------------------------------- PDF info

def pdf_date(d: _dt.datetime) -> str:
    return d.strftime("D:%Y%m%d%H%M%S+00'00'")


class DocInfo(PDFInfo):
    """The document Info dictionary, exactly as given (no implicit dates)."""

    def __init__(self, entries: dict[str, str]):
        super().__init__()
        self.entries = entries

    def digest(self, md5object):
        for k in sorted(self.entries):
            md5object.update(("%s=%s" % (k, self.entries[k])).encode("utf-8"))

    def format(self, document):
        return PDFDictionary({k: PDFString(v) for k, v in self.entries.items()}).format(document)


MISLEADING_DATE = _dt.datetime(2019, 6, 30, 14, 12, 5)


def info_entries(mode: str, title: str, author: str, date: _dt.date,
                 misleading_title: str) -> dict[str, str]:
    if mode == "none":
        return {}
    if mode == "misleading":
        stamp = pdf_date(MISLEADING_DATE)
        return {"Title": misleading_title, "Author": "Administrator",
                "Creator": "Microsoft Word", "Producer": "ReportLab PDF Library",
                "CreationDate": stamp, "ModDate": stamp}
    stamp = pdf_date(_dt.datetime(date.year, date.month, date.day, 9, 0, 0))
    return {"Title": title, "Author": author, "Creator": "Cities of Migration",
            "Producer": "ReportLab PDF Library", "CreationDate": stamp, "ModDate": stamp}


def canvas_maker(entries: dict[str, str], ref_pages: dict[int, int]):
    """A canvasmaker for doc.build: fixed Info dict, uncompressed, invariant,
    and the ``_fnref`` callback recording the page of each note reference."""

    def make(filename, **kw):
        kw["invariant"] = 1
        kw["pageCompression"] = 0
        c = Canvas(filename, **kw)
        c._doc.info = DocInfo(entries)

        def fnref(canv, kind, label):
            ref_pages[int(label)] = canv.getPageNumber()
        c.setNamedCB("_fnref", fnref)
        return c
    return make


def style(name, **kw) -> ParagraphStyle:
    return ParagraphStyle(name, **kw)


def list_item(para_class, markup: str, st: ParagraphStyle, marker: str):
    """A list item with its marker ("•", "3.") inline at the start of the
    text and a hanging indent, rather than platypus' separately drawn
    bulletText (which pdftotext tends to split off the first line)."""
    prefix = marker + "\u00a0\u00a0"
    cache = st.__dict__.setdefault("_cm_hang", {})
    if prefix not in cache:
        w = pdfmetrics.stringWidth(prefix, st.fontName, st.fontSize)
        cache[prefix] = ParagraphStyle(st.name + "-hang", parent=st, firstLineIndent=-w)
    return para_class(escape(prefix) + markup, cache[prefix])
