"""Good Idea profile PDFs (corpus/good-ideas/<id>.pdf): 1-2 pages.

Page: Letter for English/Spanish profiles of US or Canadian cities, A4
otherwise.  Top: the "CITIES OF MIGRATION" wordmark; then the title, a
dated byline in the document's language ("Good Ideas in Integration · 2012",
or with the full date when the front matter has one; omitted when
``print_date: false``), the city and country line (localized names), a rule,
the body (### subheads, bullets, footnotes at the page bottom as in reports,
hyphenation in the document's language), and on every page a footer line
"Cities of Migration – citiesofmigration.org" with the page number.
Typeface: Helvetica or Times (hash of the id), Vera when the text has
characters outside WinAnsi.
"""
from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import cm
from reportlab.platypus import Frame, PageTemplate, Paragraph, Spacer
from reportlab.platypus.flowables import HRFlowable

import i18n
from footnotes import NoteBlock, NotesDocTemplate, footnote_paragraph_class
from pdf_common import (FAMILIES, HYPHENATION, Markup,
                        canvas_maker, list_item, family_covers,
                        info_entries, style)
from report_pdf import variant
from sources import Source, parse_body

TEAL = colors.HexColor("#0f5e6b")
INK = colors.HexColor("#1d1d1d")
GREY = colors.HexColor("#5b5b5b")


def default_family(src: Source) -> str:
    fam = ("helvetica", "times")[variant(src, "pfamily", 2)]
    if not family_covers(fam, src.title + src.body):
        fam = "vera"
    return fam


def misleading_title(src: Source) -> str:
    slug = src.practice.replace("-", "_")
    return ("GoodIdeas_template_v2.docx", "%s_profile_FINAL.docx" % slug,
            "Untitled-1")[variant(src, "mis", 3)]


def byline(src: Source) -> str:
    series = i18n.t("profile_series", src.lang)
    when = i18n.long_date(src.date_obj, src.lang) if src.date_obj else str(src.year)
    return "%s · %s" % (series, when)


def build_profile(src: Source, out_path, family: str | None = None) -> dict:
    family = family or default_family(src)
    fam = FAMILIES[family]
    lang = src.lang
    body = parse_body(src.body, lang, src.title)
    mk = Markup(family, body.notes)
    us_ca = bool(set(src.country) & {"US", "CA"}) and lang in ("en", "es")
    pagesize = LETTER if us_ca else A4
    W, H = pagesize
    lm = rm = 2.2 * cm
    tm, bm = 2.4 * cm, 2.2 * cm
    justify = variant(src, "justify", 3) != 0
    size = 10.2 if family == "times" else 9.6
    lead = size * 1.36
    hy = HYPHENATION[lang]

    styles = {}

    def st(role, blang):
        key = (role, blang)
        if key not in styles:
            base = dict(fontName=fam["regular"], fontSize=size, leading=lead,
                        alignment=TA_JUSTIFY if justify else TA_LEFT,
                        hyphenationLang=HYPHENATION.get(blang, hy), textColor=INK,
                        spaceAfter=lead * 0.5, embeddedHyphenation=1)
            if role == "body":
                s = style("p-body", **base)
            elif role == "bullet":
                s = style("p-bullet", **dict(base, leftIndent=15,
                                              spaceAfter=lead * 0.25))
            elif role == "quote":
                s = style("p-quote", **dict(base, fontName=fam["italic"], leftIndent=20,
                                             rightIndent=20, textColor=GREY))
            elif role == "h2":
                s = style("p-h2", fontName=fam["bold"], fontSize=size + 2.2,
                          leading=size + 5, textColor=TEAL, spaceBefore=lead * 0.8,
                          spaceAfter=lead * 0.35, keepWithNext=1)
            elif role == "h3":
                s = style("p-h3", fontName=fam["bold"], fontSize=size + 0.6,
                          leading=size + 3.5, textColor=INK, spaceBefore=lead * 0.5,
                          spaceAfter=lead * 0.2, keepWithNext=1)
            else:
                s = style("p-note", fontName=fam["regular"], fontSize=7.6, leading=9.4,
                          textColor=INK, spaceAfter=1.5)
            styles[key] = s
        return styles[key]

    footer = i18n.t("site_footer", lang)

    def on_page(canv, doc):
        canv.saveState()
        canv.setFillColor(TEAL)
        canv.setFont(fam["bold"], 9)
        canv.drawString(lm, H - 1.4 * cm, "CITIES OF MIGRATION")
        canv.setStrokeColor(TEAL)
        canv.setLineWidth(1.2)
        canv.line(lm, H - 1.6 * cm, W - rm, H - 1.6 * cm)
        canv.setStrokeColor(colors.HexColor("#b8c7ca"))
        canv.setLineWidth(0.5)
        canv.line(lm, bm - 0.7 * cm, W - rm, bm - 0.7 * cm)
        canv.setFillColor(GREY)
        canv.setFont(fam["regular"], 7.8)
        canv.drawString(lm, bm - 1.1 * cm, footer)
        canv.drawRightString(W - rm, bm - 1.1 * cm, str(canv.getPageNumber()))
        canv.restoreState()

    author = src.meta.get("author") or "Cities of Migration"
    entries = info_entries(src.pdf_meta, src.title, author, src.pub_date,
                           misleading_title(src))
    ref_pages: dict[int, int] = {}
    doc = NotesDocTemplate(str(out_path), pagesize=pagesize, leftMargin=lm,
                           rightMargin=rm, topMargin=tm, bottomMargin=bm, lang=lang,
                           invariant=1, pageCompression=0, title="", author="",
                           subject="", creator="")
    doc.addPageTemplates([PageTemplate("page", [Frame(lm, bm, W - lm - rm, H - tm - bm,
                                                      id="body")], onPage=on_page)])
    story = [Paragraph(mk.plain(src.title, bold=True), style(
        "p-title", fontName=fam["bold"], fontSize=19, leading=23, textColor=INK,
        spaceAfter=7))]
    if src.print_date:
        story.append(Paragraph(mk.text(byline(src), italic=True), style(
            "p-byline", fontName=fam["italic"], fontSize=9.5, leading=12,
            textColor=GREY, spaceAfter=3)))
    place = i18n.place_line(src.city, src.country, lang)
    if place:
        story.append(Paragraph(mk.text(place, bold=True), style(
            "p-place", fontName=fam["bold"], fontSize=10, leading=13,
            textColor=TEAL, spaceAfter=4)))
    story.append(HRFlowable(width="100%", thickness=0.6, color=colors.HexColor("#b8c7ca"),
                            spaceBefore=4, spaceAfter=10))

    block = NoteBlock(mk.notes, st("note", lang))
    doc.note_block = block
    FPara = footnote_paragraph_class(block)
    for b in body.blocks:
        if b.kind == "lang":
            continue
        if b.kind in ("h2", "h3"):
            story.append(Paragraph(mk.plain(b.text, bold=True), st(b.kind, b.lang)))
        elif b.kind in ("para", "quote"):
            story.append(FPara(mk(b.text, italic=b.kind == "quote"),
                               st("body" if b.kind == "para" else "quote", b.lang)))
        elif b.kind in ("bullet", "number"):
            bt = "\u2022" if b.kind == "bullet" else "%d." % b.num
            story.append(list_item(FPara, mk(b.text), st("bullet", b.lang), bt))
    story.append(Spacer(1, 2))
    doc.build(story, canvasmaker=canvas_maker(entries, ref_pages))
    return {"note_pages": dict(doc.note_pages), "ref_pages": dict(ref_pages),
            "family": family}
