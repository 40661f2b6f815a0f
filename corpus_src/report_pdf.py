"""Report PDFs (corpus/reports/<id>.pdf), built with reportlab platypus.

Layout, per report:
- cover page (own page template): a coloured band with the publisher's
  wordmark, the title, a subtitle (front-matter ``subtitle`` or a localized
  default), a date line unless ``print_date: false``, and at the foot
  "Published by Maytree" plus a copyright line ("Copyright 2012 The Maytree
  Foundation" / "© 2012 Maytree. …", undated when ``print_date: false``);
- a table of contents (``TableOfContents`` filled through ``multiBuild``,
  ## chapters at level 0 and ### sections at level 1, with page numbers);
  the chapters are also PDF outline entries (bookmarks);
- running header (front-matter ``short_title`` or the title up to its
  colon) and page number on every page after the cover.  Variant
  "baseline": short title and page number right-aligned at the top, on the
  SAME baseline and in ONE text object, so pdftotext and pypdf both read
  the line "Short title 7"; variant "footer": short title centred at the
  top, "Maytree" and "Page 7"/"Seite 7"/... at the foot.  The variant is
  picked from a hash of the id.  Printed page numbers are physical page
  numbers (the cover is page 1);
- body: justified paragraphs, hyphenated at line ends by pyphen in the
  block's language (``hyphenationLang``; ``<!-- lang: xx -->`` switches it),
  ``layout: two-column`` sets the body in two frames per page; one-column
  reports start each ## chapter on a new page;
- footnotes are set at the bottom of the page (of the column, in two-column
  reports) on which they are referenced, see footnotes.FootnoteParagraph
  (not endnotes); list items carry their marker inline with a hanging indent;
- fonts: Times, Helvetica (standard Type1) or the embedded TTF Vera with
  "fi"/"fl" set as the U+FB01/U+FB02 ligature glyphs (family from a hash of
  the id, at least one report forced to Vera by build.py).
"""
from __future__ import annotations

import zlib

from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import cm
from reportlab.platypus import (CondPageBreak, Frame, NextPageTemplate, PageBreak,
                                PageTemplate, Paragraph, Spacer)
from reportlab.platypus.flowables import PageBreakIfNotEmpty
from reportlab.platypus.tableofcontents import TableOfContents

import i18n
from footnotes import NoteBlock, NotesDocTemplate, footnote_paragraph_class
from pdf_common import (FAMILIES, HYPHENATION, Markup,
                        canvas_maker, list_item, draw_text, family_covers,
                        info_entries, style)
from sources import Source, parse_body, plain_text

TEAL = colors.HexColor("#0f5e6b")
INK = colors.HexColor("#1d1d1d")
GREY = colors.HexColor("#5b5b5b")


def variant(src: Source, salt: str, n: int) -> int:
    return zlib.crc32((salt + ":" + src.id).encode("utf-8")) % n


def default_family(src: Source) -> str:
    fam = ("vera", "times", "helvetica")[variant(src, "family", 3)]
    if not family_covers(fam, src.title + src.body):
        fam = "vera"
    return fam


def short_title(src: Source) -> str:
    if src.meta.get("short_title"):
        return str(src.meta["short_title"])
    title = src.title
    if ":" in title and len(title.split(":")[0]) >= 12:
        return title.split(":")[0].strip()
    words = title.split()
    return title if len(words) <= 8 else " ".join(words[:7]) + "…"


def misleading_title(src: Source) -> str:
    slug = src.practice.replace("-", "_")
    return ("report_final_v3.docx", "%s_FINAL.indd" % slug,
            "Microsoft Word - %s_draft2.docx" % slug)[variant(src, "mis", 3)]


class Styles:
    def __init__(self, fam: dict, two_col: bool):
        self.fam = fam
        self.two_col = two_col
        self.size = 9.5 if two_col else 10.5
        self.leading = 12.6 if two_col else 14.2
        self._cache = {}

    def get(self, role: str, lang: str):
        key = (role, lang)
        if key in self._cache:
            return self._cache[key]
        f, size, lead = self.fam, self.size, self.leading
        hy = HYPHENATION.get(lang, "")
        base = dict(fontName=f["regular"], fontSize=size, leading=lead,
                    alignment=TA_JUSTIFY, hyphenationLang=hy, textColor=INK,
                    spaceAfter=lead * 0.45, allowWidows=0, allowOrphans=0,
                    embeddedHyphenation=1, uriWasteReduce=0.3)
        if role == "body":
            s = style("body-" + lang, **base)
        elif role == "bullet":
            s = style("bullet-" + lang, **dict(base, leftIndent=16,
                                                alignment=TA_LEFT if self.two_col else TA_JUSTIFY,
                                                spaceAfter=lead * 0.25))
        elif role == "quote":
            s = style("quote-" + lang, **dict(base, fontName=f["italic"], leftIndent=22,
                                               rightIndent=22, textColor=GREY))
        elif role == "h2":
            s = style("h2-" + lang, fontName=f["bold"], fontSize=size + 5.5,
                      leading=size + 9, textColor=TEAL, spaceBefore=lead * 1.2,
                      spaceAfter=lead * 0.7, keepWithNext=1, alignment=TA_LEFT)
        elif role == "h3":
            s = style("h3-" + lang, fontName=f["bold"], fontSize=size + 1.5,
                      leading=size + 4, textColor=INK, spaceBefore=lead * 0.8,
                      spaceAfter=lead * 0.35, keepWithNext=1, alignment=TA_LEFT)
        elif role == "note":
            s = style("note-" + lang, fontName=f["regular"], fontSize=7.8, leading=9.6,
                      alignment=TA_LEFT, textColor=INK, spaceAfter=1.5)
        else:
            raise KeyError(role)
        self._cache[key] = s
        return s


class ReportDoc(NotesDocTemplate):
    def afterFlowable(self, flowable):
        toc = getattr(flowable, "_toc", None)
        if toc:
            level, text, markup, key = toc
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(text, key, level=level, closed=False)
            self.notify("TOCEntry", (level, markup, self.page, key))


def build_report(src: Source, out_path, family: str | None = None) -> dict:
    """Write the PDF; returns {'note_pages': .., 'ref_pages': ..} for checks."""
    family = family or default_family(src)
    fam = FAMILIES[family]
    lang = src.lang
    two_col = src.layout == "two-column"
    body = parse_body(src.body, lang, src.title)
    mk = Markup(family, body.notes)
    st = Styles(fam, two_col)
    pagesize = LETTER if lang == "en" else A4
    W, H = pagesize
    lm = rm = 2.3 * cm
    tm, bm = 2.6 * cm, 2.4 * cm
    head_variant = ("baseline", "footer")[variant(src, "header", 2)]
    running = short_title(src)
    if fam["ligatures"]:
        running_txt = running.replace("fi", "\ufb01").replace("fl", "\ufb02")
    else:
        running_txt = running

    # ---- page decorations
    def on_cover(canv, doc):
        canv.saveState()
        canv.setFillColor(TEAL)
        canv.rect(0, H * 0.66, W, H * 0.34, stroke=0, fill=1)
        canv.setFillColor(colors.white)
        canv.setFont(fam["bold"], 30)
        canv.drawString(lm, H - 3.6 * cm, "MAYTREE")
        canv.setFont(fam["regular"], 12)
        canv.drawString(lm, H - 4.5 * cm, "Cities of Migration")
        canv.setStrokeColor(TEAL)
        canv.setLineWidth(2)
        canv.line(lm, 4.6 * cm, W - rm, 4.6 * cm)
        canv.restoreState()

    def on_page(canv, doc):
        n = canv.getPageNumber()
        canv.saveState()
        canv.setFont(fam["italic"], 8.5)
        canv.setFillColor(GREY)
        top = H - tm + 0.9 * cm
        if head_variant == "baseline":
            # short title and page number share one baseline and one text
            # object, right-aligned: extractors read "Short title 7"
            draw_text(canv, W - rm, top, [(running_txt, fam["italic"], 8.5, 0),
                                          (str(n), fam["bold"], 8.5, 7)], "right")
            draw_text(canv, W / 2, bm - 1.3 * cm,
                      [("citiesofmigration.org", fam["regular"], 7.5, 0)], "center")
        else:
            draw_text(canv, W / 2, top, [(running_txt, fam["italic"], 8.5, 0)], "center")
            draw_text(canv, lm, bm - 1.3 * cm, [("Maytree", fam["regular"], 8.5, 0)])
            draw_text(canv, W - rm, bm - 1.3 * cm,
                      [("%s %d" % (i18n.t("page", lang), n), fam["regular"], 8.5, 0)],
                      "right")
        canv.setStrokeColor(colors.HexColor("#b8c7ca"))
        canv.setLineWidth(0.5)
        canv.line(lm, top - 5, W - rm, top - 5)
        canv.restoreState()

    fw = W - lm - rm
    fh = H - tm - bm
    cover_frame = Frame(lm, 5.2 * cm, fw, H * 0.66 - 6.2 * cm, id="cover")
    front_frame = Frame(lm, bm, fw, fh, id="front")
    if two_col:
        gap = 0.8 * cm
        cw = (fw - gap) / 2
        body_frames = [Frame(lm, bm, cw, fh, id="left", leftPadding=0, rightPadding=0),
                       Frame(lm + cw + gap, bm, cw, fh, id="right", leftPadding=0,
                             rightPadding=0)]
    else:
        body_frames = [Frame(lm, bm, fw, fh, id="body")]

    author = src.meta.get("author") or "The Maytree Foundation"
    entries = info_entries(src.pdf_meta, src.title, author, src.pub_date,
                           misleading_title(src))
    ref_pages: dict[int, int] = {}
    doc = ReportDoc(str(out_path), pagesize=pagesize, leftMargin=lm, rightMargin=rm,
                    topMargin=tm, bottomMargin=bm, lang=lang, invariant=1,
                    pageCompression=0, title="", author="", subject="", creator="")
    doc.addPageTemplates([
        PageTemplate("cover", [cover_frame], onPage=on_cover),
        PageTemplate("front", [front_frame], onPage=on_page),
        PageTemplate("body", body_frames, onPage=on_page),
    ])

    # ---- story
    story = []
    cov = dict(alignment=TA_LEFT, textColor=INK)
    story.append(Spacer(1, 0.4 * cm))
    story.append(Paragraph(mk.plain(src.title, bold=True), style(
        "cover-title", fontName=fam["bold"], fontSize=25, leading=30,
        spaceAfter=14, **cov)))
    subtitle = src.meta.get("subtitle") or i18n.t("default_subtitle", lang)
    story.append(Paragraph(mk.plain(str(subtitle)), style(
        "cover-sub", fontName=fam["regular"], fontSize=14, leading=18,
        spaceAfter=18, **dict(cov, textColor=GREY))))
    if src.meta.get("author") and src.author not in ("Maytree", "The Maytree Foundation",
                                                        "Cities of Migration"):
        story.append(Paragraph(mk.plain("%s %s" % (i18n.t("by", lang), src.author), italic=True), style(
            "cover-author", fontName=fam["italic"], fontSize=11, leading=14,
            spaceAfter=10, **cov)))
    if src.print_date:
        dline = i18n.month_year(src.date_obj, lang) if src.date_obj else str(src.year)
        story.append(Paragraph(mk.text(dline), style(
            "cover-date", fontName=fam["regular"], fontSize=12, leading=15, **cov)))
    # the foot of the cover: below the rule drawn by on_cover
    foot = [i18n.t("published_by", lang),
            i18n.copyright_line(lang, src.year if src.print_date else None,
                                variant(src, "copy", 2)),
            i18n.t("initiative", lang) + " citiesofmigration.org"]
    foot_style = style("cover-foot", fontName=fam["regular"], fontSize=8.5, leading=11,
                       textColor=GREY)
    story.append(_CoverFoot([Paragraph(mk.text(t_), foot_style) for t_ in foot],
                            lm, 4.2 * cm, fw))

    story.append(NextPageTemplate("front"))
    story.append(PageBreak())
    story.append(Paragraph(mk.plain(i18n.t("contents", lang), bold=True), style(
        "toc-title", fontName=fam["bold"], fontSize=18, leading=22, textColor=TEAL,
        spaceAfter=16)))
    toc = TableOfContents(dotsMinLevel=0, rightColumnWidth=40)
    toc.levelStyles = [
        style("toc0", fontName=fam["bold"], fontSize=10.5, leading=14, leftIndent=0,
              firstLineIndent=0, spaceBefore=5, rightIndent=40),
        style("toc1", fontName=fam["regular"], fontSize=9.5, leading=12.5, leftIndent=16,
              firstLineIndent=0, rightIndent=40),
    ]
    story.append(toc)
    story.append(NextPageTemplate("body"))
    story.append(PageBreak())

    block = NoteBlock(mk.notes, st.get("note", lang))
    doc.note_block = block
    FPara = footnote_paragraph_class(block)
    heads = 0
    first_chapter = True
    for b in body.blocks:
        if b.kind == "lang":
            continue
        if b.kind in ("h2", "h3"):
            heads += 1
            if b.kind == "h2":
                if not first_chapter:
                    story.append(PageBreakIfNotEmpty() if not two_col else CondPageBreak(6 * cm))
                first_chapter = False
            p = Paragraph(mk.plain(b.text, bold=True), st.get(b.kind, b.lang))
            level = 0 if b.kind == "h2" else 1
            p._toc = (level, plain_text(b.text), mk.plain(b.text, bold=level == 0),
                      "h%d" % heads)
            story.append(p)
        elif b.kind == "para":
            story.append(FPara(mk(b.text), st.get("body", b.lang)))
        elif b.kind == "quote":
            story.append(FPara(mk(b.text, italic=True), st.get("quote", b.lang)))
        elif b.kind in ("bullet", "number"):
            bt = "\u2022" if b.kind == "bullet" else "%d." % b.num
            story.append(list_item(FPara, mk(b.text), st.get("bullet", b.lang), bt))

    doc.multiBuild(story, canvasmaker=canvas_maker(entries, ref_pages))
    return {"note_pages": dict(doc.note_pages), "ref_pages": dict(ref_pages),
            "family": family, "header": head_variant}


class _CoverFoot(Spacer):
    """Draws the cover's foot lines at a fixed place on the page, whatever the
    height of the title block above (zero-size in the flow)."""

    def __init__(self, paras, x, top, width):
        super().__init__(0, 0)
        self.paras, self.x, self.top, self.w = paras, x, top, width

    def drawOn(self, canvas, x, y, _sW=0):
        top = self.top
        for p in self.paras:
            _, h = p.wrap(self.w, 1000)
            p.drawOn(canvas, self.x, top - h)
            top -= h + 2
